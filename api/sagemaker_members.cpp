#include "api/sagemaker_members.h"

#include <regex>

#include "api/job_name.h"

namespace trainyard::api {
namespace {

// --- Patterns --------------------------------------------------------------
// botocore patterns are Java regular expressions matched against the whole
// value. Simple character classes are checked by hand; the rest use
// std::regex, compiled once. Lengths are checked before patterns, so no regex
// sees more than a few thousand characters.

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,N}$ with the length bounded separately: runs
// of hyphens between alphanumerics, none at either end.
bool IsHyphenatedName(std::string_view s) {
  if (s.empty() || !IsAsciiAlnum(s.front()) || !IsAsciiAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsAsciiAlnum(c) && c != '-') return false;
  }
  return true;
}

// [<alnum><extra>]+
bool IsAlnumPlus(std::string_view s, std::string_view extra) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiAlnum(c) && extra.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool CheckChannelName(std::string_view s) { return IsAlnumPlus(s, ".-_"); }
bool CheckAwsResourceId(std::string_view s) { return IsAlnumPlus(s, "-"); }

bool CheckEnvironmentKey(std::string_view s) {
  if (s.empty() || (s.front() >= '0' && s.front() <= '9')) return false;
  return IsAlnumPlus(s, "_");
}

// ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$. Non-ASCII characters are letters, numbers
// or separators often enough that trainyard accepts them all; in ASCII the
// class is alphanumerics, space and _.:/=+-@.
bool CheckTagText(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) continue;
    if (!IsAsciiAlnum(c) && std::string_view(" _.:/=+-@").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool CheckRoleArn(std::string_view s) {
  static const std::regex kRoleArn(R"(arn:aws[a-z\-]*:iam::[0-9]{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+)");
  return std::regex_match(s.begin(), s.end(), kRoleArn);
}

bool CheckS3Uri(std::string_view s) {
  static const std::regex kS3Uri(R"((https|s3)://([^/]+)/?(.*))");
  return std::regex_match(s.begin(), s.end(), kS3Uri);
}

// botocore's pattern ends in a lookbehind, (?<!-)$, which ECMAScript regexes
// lack: the name may not end in a hyphen.
bool CheckArnOrName(std::string_view s) {
  static const std::regex kArnOrName(
      R"((arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:[a-z\-]*/)?[a-zA-Z0-9][a-zA-Z0-9-]{0,62})");
  return !s.empty() && s.back() != '-' && std::regex_match(s.begin(), s.end(), kArnOrName);
}

using namespace shapes;  // NOLINT: the table reads better unqualified

constexpr std::optional<int64_t> kAny = std::nullopt;

// --- Shared leaves -----------------------------------------------------------

constexpr Shape kBoolean = Boolean();
constexpr Shape kS3Uri = String(kAny, 1024, CheckS3Uri, "^(https|s3)://([^/]+)/?(.*)$");
constexpr Shape kDirectoryPath = String(kAny, 4096);
constexpr Shape kKmsKeyId = String(kAny, 2048);
// botocore has no minimum; an empty image name is never runnable.
constexpr Shape kAlgorithmImage = String(1, 255);
constexpr std::string_view kTrainingInputModes[] = {"File", "Pipe", "FastFile"};
constexpr Shape kTrainingInputMode = Enum(kTrainingInputModes);
constexpr Shape kConfigKey = String(1, 256);
constexpr Shape kConfigValue = String(kAny, 256);
constexpr Shape kConfigMap20 = Map(&kConfigKey, &kConfigValue, 20);

// --- TrainingJobName, HyperParameters, RoleArn -------------------------------

constexpr Shape kTrainingJobName =
    String(1, 63, IsValidTrainingJobName, "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$");
constexpr Shape kHyperParameterKey = String(kAny, 256);
constexpr Shape kHyperParameterValue = String(kAny, 2500);
constexpr Shape kHyperParameters = Map(&kHyperParameterKey, &kHyperParameterValue, 100);
constexpr Shape kRoleArn = String(20, 2048, CheckRoleArn,
                                  R"(^arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$)");

// --- AlgorithmSpecification ---------------------------------------------------

constexpr Shape kArnOrName = String(1, 170, CheckArnOrName,
                                    R"((arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:[a-z\-]*\/)?)"
                                    R"(([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)$)");
constexpr Shape kMetricName = String(1, 255);
constexpr Shape kMetricRegex = String(1, 500);
constexpr ShapeMember kMetricDefinitionMembers[] = {
    {"Name", &kMetricName, true},
    {"Regex", &kMetricRegex, true},
};
constexpr Shape kMetricDefinition = Structure(kMetricDefinitionMembers);
constexpr Shape kMetricDefinitionList = List(&kMetricDefinition, kAny, 40);
constexpr Shape kContainerString = String(kAny, 256);
constexpr Shape kContainerEntrypoint = List(&kContainerString, 1, 10);
constexpr Shape kContainerArguments = List(&kContainerString, 1, 100);
// Added to SageMaker after botocore 1.29.27 (private registries).
constexpr Shape kCredentialsProviderArn = String(1, 2048);
constexpr ShapeMember kTrainingRepositoryAuthConfigMembers[] = {
    {"TrainingRepositoryCredentialsProviderArn", &kCredentialsProviderArn, true},
};
constexpr Shape kTrainingRepositoryAuthConfig = Structure(kTrainingRepositoryAuthConfigMembers);
constexpr std::string_view kRepositoryAccessModes[] = {"Platform", "Vpc"};
constexpr Shape kRepositoryAccessMode = Enum(kRepositoryAccessModes);
constexpr ShapeMember kTrainingImageConfigMembers[] = {
    {"TrainingRepositoryAccessMode", &kRepositoryAccessMode, true},
    {"TrainingRepositoryAuthConfig", &kTrainingRepositoryAuthConfig},
};
constexpr Shape kTrainingImageConfig = Structure(kTrainingImageConfigMembers);
constexpr ShapeMember kAlgorithmSpecificationMembers[] = {
    {"TrainingImage", &kAlgorithmImage},
    {"AlgorithmName", &kArnOrName},
    {"TrainingInputMode", &kTrainingInputMode, true},
    {"MetricDefinitions", &kMetricDefinitionList},
    {"EnableSageMakerMetricsTimeSeries", &kBoolean},
    {"ContainerEntrypoint", &kContainerEntrypoint},
    {"ContainerArguments", &kContainerArguments},
    {"TrainingImageConfig", &kTrainingImageConfig},
};
constexpr Shape kAlgorithmSpecification = Structure(kAlgorithmSpecificationMembers);

// --- InputDataConfig -----------------------------------------------------------

constexpr std::string_view kS3DataTypes[] = {"S3Prefix", "ManifestFile", "AugmentedManifestFile"};
constexpr Shape kS3DataType = Enum(kS3DataTypes);
constexpr std::string_view kS3DataDistributions[] = {"FullyReplicated", "ShardedByS3Key"};
constexpr Shape kS3DataDistribution = Enum(kS3DataDistributions);
constexpr Shape kAttributeName = String(1, 256);
constexpr Shape kAttributeNames = List(&kAttributeName, kAny, 16);
constexpr Shape kInstanceGroupName = String(1, 64);
constexpr Shape kInstanceGroupNames = List(&kInstanceGroupName, kAny, 5);
// Added after botocore 1.29.27 (gated models such as Llama).
constexpr ShapeMember kModelAccessConfigMembers[] = {{"AcceptEula", &kBoolean, true}};
constexpr Shape kModelAccessConfig = Structure(kModelAccessConfigMembers);
constexpr ShapeMember kS3DataSourceMembers[] = {
    {"S3DataType", &kS3DataType, true},
    {"S3Uri", &kS3Uri, true},
    {"S3DataDistributionType", &kS3DataDistribution},
    {"AttributeNames", &kAttributeNames},
    {"InstanceGroupNames", &kInstanceGroupNames},
    {"ModelAccessConfig", &kModelAccessConfig},
};
constexpr Shape kS3DataSource = Structure(kS3DataSourceMembers);
constexpr Shape kFileSystemId = String(11, kAny);
constexpr std::string_view kFileSystemAccessModes[] = {"rw", "ro"};
constexpr Shape kFileSystemAccessMode = Enum(kFileSystemAccessModes);
constexpr std::string_view kFileSystemTypes[] = {"EFS", "FSxLustre"};
constexpr Shape kFileSystemType = Enum(kFileSystemTypes);
constexpr ShapeMember kFileSystemDataSourceMembers[] = {
    {"FileSystemId", &kFileSystemId, true},
    {"FileSystemAccessMode", &kFileSystemAccessMode, true},
    {"FileSystemType", &kFileSystemType, true},
    {"DirectoryPath", &kDirectoryPath, true},
};
constexpr Shape kFileSystemDataSource = Structure(kFileSystemDataSourceMembers);
// SageMaker requires exactly one source; create_training_job.cpp checks that.
constexpr ShapeMember kDataSourceMembers[] = {
    {"S3DataSource", &kS3DataSource},
    {"FileSystemDataSource", &kFileSystemDataSource},
};
constexpr Shape kDataSource = Structure(kDataSourceMembers);
constexpr Shape kChannelName = String(1, 64, CheckChannelName, R"([A-Za-z0-9\.\-_]+)");
constexpr Shape kContentType = String(kAny, 256);
constexpr std::string_view kCompressionTypes[] = {"None", "Gzip"};
constexpr Shape kCompressionType = Enum(kCompressionTypes);
constexpr std::string_view kRecordWrappers[] = {"None", "RecordIO"};
constexpr Shape kRecordWrapper = Enum(kRecordWrappers);
constexpr Shape kSeed = Long();
constexpr ShapeMember kShuffleConfigMembers[] = {{"Seed", &kSeed, true}};
constexpr Shape kShuffleConfig = Structure(kShuffleConfigMembers);
constexpr ShapeMember kChannelMembers[] = {
    {"ChannelName", &kChannelName, true},
    {"DataSource", &kDataSource, true},
    {"ContentType", &kContentType},
    {"CompressionType", &kCompressionType},
    {"RecordWrapperType", &kRecordWrapper},
    {"InputMode", &kTrainingInputMode},
    {"ShuffleConfig", &kShuffleConfig},
};
constexpr Shape kChannel = Structure(kChannelMembers);
// botocore says 1..20; an empty list is as good as none (DESIGN.md: 0..20).
constexpr Shape kInputDataConfig = List(&kChannel, kAny, 20);

// --- OutputDataConfig, ResourceConfig, VpcConfig ------------------------------

constexpr std::string_view kOutputCompressionTypes[] = {"GZIP", "NONE"};  // added later
constexpr Shape kOutputCompressionType = Enum(kOutputCompressionTypes);
constexpr ShapeMember kOutputDataConfigMembers[] = {
    {"KmsKeyId", &kKmsKeyId},
    {"S3OutputPath", &kS3Uri, true},
    {"CompressionType", &kOutputCompressionType},
};
constexpr Shape kOutputDataConfig = Structure(kOutputDataConfigMembers);
// botocore enumerates instance types; trainyard checks them against its
// catalogue instead, which `--capacity FILE` may extend.
constexpr Shape kInstanceType = String(1, 64);
// botocore allows 0 (for InstanceGroups); a job on zero instances never runs.
constexpr Shape kInstanceCount = Integer(1, kAny);
constexpr Shape kVolumeSizeInGB = Integer(1, kAny);
constexpr Shape kKeepAlivePeriodInSeconds = Integer(0, 3600);
constexpr Shape kTrainingPlanArn = String(1, 2048);  // added later
constexpr ShapeMember kResourceConfigMembers[] = {
    // Optional in botocore only because InstanceGroups may replace them.
    {"InstanceType", &kInstanceType, true},
    {"InstanceCount", &kInstanceCount, true},
    {"VolumeSizeInGB", &kVolumeSizeInGB, true},
    {"VolumeKmsKeyId", &kKmsKeyId},
    {"InstanceGroups", nullptr, false,
     "heterogeneous clusters are not simulated; use InstanceType and InstanceCount"},
    {"KeepAlivePeriodInSeconds", &kKeepAlivePeriodInSeconds},
    {"TrainingPlanArn", &kTrainingPlanArn},
};
constexpr Shape kResourceConfig = Structure(kResourceConfigMembers);
constexpr Shape kSecurityGroupId = String(kAny, 32, CheckAwsResourceId, "[-0-9a-zA-Z]+");
constexpr Shape kSecurityGroupIds = List(&kSecurityGroupId, 1, 5);
constexpr Shape kSubnets = List(&kSecurityGroupId /* SubnetId: same rule */, 1, 16);
constexpr ShapeMember kVpcConfigMembers[] = {
    {"SecurityGroupIds", &kSecurityGroupIds, true},
    {"Subnets", &kSubnets, true},
};
constexpr Shape kVpcConfig = Structure(kVpcConfigMembers);

// --- StoppingCondition, Tags, CheckpointConfig, RetryStrategy -----------------

// botocore states no maximum; SageMaker documents 28 days for both.
constexpr int64_t kTwentyEightDays = 28 * 24 * 3600;
constexpr Shape kMaxSeconds = Integer(1, kTwentyEightDays);
constexpr ShapeMember kStoppingConditionMembers[] = {
    {"MaxRuntimeInSeconds", &kMaxSeconds},
    {"MaxWaitTimeInSeconds", &kMaxSeconds},
};
constexpr Shape kStoppingCondition = Structure(kStoppingConditionMembers);
constexpr std::string_view kTagPattern = R"(^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$)";
constexpr Shape kTagKey = String(1, 128, CheckTagText, kTagPattern);
constexpr Shape kTagValue = String(0, 256, CheckTagText, kTagPattern);
constexpr ShapeMember kTagMembers[] = {{"Key", &kTagKey, true}, {"Value", &kTagValue, true}};
constexpr Shape kTag = Structure(kTagMembers);
constexpr Shape kTagList = List(&kTag, kAny, 50);
constexpr ShapeMember kCheckpointConfigMembers[] = {
    {"S3Uri", &kS3Uri, true},
    {"LocalPath", &kDirectoryPath},
};
constexpr Shape kCheckpointConfig = Structure(kCheckpointConfigMembers);
constexpr Shape kMaximumRetryAttempts = Integer(1, 30);
constexpr ShapeMember kRetryStrategyMembers[] = {{"MaximumRetryAttempts", &kMaximumRetryAttempts, true}};
constexpr Shape kRetryStrategy = Structure(kRetryStrategyMembers);

// --- Debugger, profiler, TensorBoard, experiments, environment ---------------

constexpr Shape kCollectionName = String(1, 256);
constexpr ShapeMember kCollectionConfigurationMembers[] = {
    {"CollectionName", &kCollectionName},
    {"CollectionParameters", &kConfigMap20},
};
constexpr Shape kCollectionConfiguration = Structure(kCollectionConfigurationMembers);
constexpr Shape kCollectionConfigurations = List(&kCollectionConfiguration, kAny, 20);
constexpr ShapeMember kDebugHookConfigMembers[] = {
    {"LocalPath", &kDirectoryPath},
    {"S3OutputPath", &kS3Uri, true},
    {"HookParameters", &kConfigMap20},
    {"CollectionConfigurations", &kCollectionConfigurations},
};
constexpr Shape kDebugHookConfig = Structure(kDebugHookConfigMembers);
constexpr Shape kRuleConfigurationName = String(1, 256);
// botocore enumerates processing instance types; SageMaker has added many
// since, and trainyard runs no rule evaluators, so any name is echoed.
constexpr Shape kProcessingInstanceType = String(1, 64);
constexpr Shape kOptionalVolumeSizeInGB = Integer(0, kAny);
constexpr Shape kRuleParameters = Map(&kConfigKey, &kConfigValue, 100);
constexpr ShapeMember kRuleConfigurationMembers[] = {
    {"RuleConfigurationName", &kRuleConfigurationName, true},
    {"LocalPath", &kDirectoryPath},
    {"S3OutputPath", &kS3Uri},
    {"RuleEvaluatorImage", &kAlgorithmImage, true},
    {"InstanceType", &kProcessingInstanceType},
    {"VolumeSizeInGB", &kOptionalVolumeSizeInGB},
    {"RuleParameters", &kRuleParameters},
};
// DebugRuleConfiguration and ProfilerRuleConfiguration have the same members.
constexpr Shape kRuleConfiguration = Structure(kRuleConfigurationMembers);
constexpr Shape kRuleConfigurations = List(&kRuleConfiguration, kAny, 20);
constexpr ShapeMember kTensorBoardOutputConfigMembers[] = {
    {"LocalPath", &kDirectoryPath},
    {"S3OutputPath", &kS3Uri, true},
};
constexpr Shape kTensorBoardOutputConfig = Structure(kTensorBoardOutputConfigMembers);
constexpr Shape kExperimentEntityName =
    String(1, 120, IsHyphenatedName, "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}$");
constexpr ShapeMember kExperimentConfigMembers[] = {
    {"ExperimentName", &kExperimentEntityName},
    {"TrialName", &kExperimentEntityName},
    {"TrialComponentDisplayName", &kExperimentEntityName},
    {"RunName", &kExperimentEntityName},
};
constexpr Shape kExperimentConfig = Structure(kExperimentConfigMembers);
constexpr Shape kProfilingIntervalInMilliseconds = Long();
constexpr ShapeMember kProfilerConfigMembers[] = {
    {"S3OutputPath", &kS3Uri},
    {"ProfilingIntervalInMilliseconds", &kProfilingIntervalInMilliseconds},
    {"ProfilingParameters", &kConfigMap20},
    {"DisableProfiler", &kBoolean},
};
constexpr Shape kProfilerConfig = Structure(kProfilerConfigMembers);
constexpr Shape kEnvironmentKey = String(kAny, 512, CheckEnvironmentKey, "[a-zA-Z_][a-zA-Z0-9_]*");
constexpr Shape kEnvironmentValue = String(kAny, 512);
constexpr Shape kEnvironment = Map(&kEnvironmentKey, &kEnvironmentValue, 48);
// Added to SageMaker after botocore 1.29.27.
constexpr ShapeMember kRemoteDebugConfigMembers[] = {{"EnableRemoteDebug", &kBoolean}};
constexpr Shape kRemoteDebugConfig = Structure(kRemoteDebugConfigMembers);
constexpr ShapeMember kInfraCheckConfigMembers[] = {{"EnableInfraCheck", &kBoolean}};
constexpr Shape kInfraCheckConfig = Structure(kInfraCheckConfigMembers);
constexpr ShapeMember kSessionChainingConfigMembers[] = {{"EnableSessionTagChaining", &kBoolean}};
constexpr Shape kSessionChainingConfig = Structure(kSessionChainingConfigMembers);

// --- The request ----------------------------------------------------------------

constexpr ShapeMember kCreateTrainingJobRequestMembers[] = {
    {"TrainingJobName", &kTrainingJobName, true},
    {"HyperParameters", &kHyperParameters},
    {"AlgorithmSpecification", &kAlgorithmSpecification, true},
    {"RoleArn", &kRoleArn, true},
    {"InputDataConfig", &kInputDataConfig},
    {"OutputDataConfig", &kOutputDataConfig, true},
    {"ResourceConfig", &kResourceConfig, true},
    {"VpcConfig", &kVpcConfig},
    // Required, as in botocore; its MaxRuntimeInSeconds defaults to 1 day.
    {"StoppingCondition", &kStoppingCondition, true},
    {"Tags", &kTagList},
    {"EnableNetworkIsolation", &kBoolean},
    {"EnableInterContainerTrafficEncryption", &kBoolean},
    {"EnableManagedSpotTraining", &kBoolean},
    {"CheckpointConfig", &kCheckpointConfig},
    {"DebugHookConfig", &kDebugHookConfig},
    {"DebugRuleConfigurations", &kRuleConfigurations},
    {"TensorBoardOutputConfig", &kTensorBoardOutputConfig},
    {"ExperimentConfig", &kExperimentConfig},
    {"ProfilerConfig", &kProfilerConfig},
    {"ProfilerRuleConfigurations", &kRuleConfigurations},
    {"Environment", &kEnvironment},
    {"RetryStrategy", &kRetryStrategy},
    {"RemoteDebugConfig", &kRemoteDebugConfig},
    {"InfraCheckConfig", &kInfraCheckConfig},
    {"SessionChainingConfig", &kSessionChainingConfig},
};
constexpr Shape kCreateTrainingJobRequest = Structure(kCreateTrainingJobRequestMembers);

}  // namespace

const Shape& CreateTrainingJobRequestShape() { return kCreateTrainingJobRequest; }

}  // namespace trainyard::api
