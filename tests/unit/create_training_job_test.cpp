#include "api/create_training_job.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace trainyard::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

Catalogue TestCatalogue() {
  return Catalogue({
      {"ml.m5.large", 0.115, 64, 64, 0.30, 0.01, 120, 10},
      {"ml.p3.2xlarge", 3.825, 16, 16, 0.30, 0.03, 180, 10},
  });
}

// The smallest request SageMaker accepts.
json MinimalRequest() {
  return json::parse(R"({
    "TrainingJobName": "minimal-job",
    "AlgorithmSpecification": {
      "TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1-gpu-py310",
      "TrainingInputMode": "File"
    },
    "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
    "OutputDataConfig": {"S3OutputPath": "s3://bucket/output"},
    "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
    "StoppingCondition": {}
  })");
}

// A file as written for `aws sagemaker create-training-job --cli-input-json`:
// one ml.p3.2xlarge on managed spot with checkpoints (CASES.md, the rail
// defect case), plus members trainyard echoes without using.
constexpr char kSpotCheckpointRequest[] = R"json({
  "TrainingJobName": "rail-defects-resnet50-2026-01-15",
  "HyperParameters": {
    "epochs": "30",
    "batch-size": "128",
    "trainyard.work_seconds": "36000",
    "trainyard.checkpoint_interval_seconds": "900",
    "trainyard.checkpoint_on_notice": "true",
    "trainyard.dataset_gb": "150",
    "trainyard.failure_probability": "0.01",
    "trainyard.spot_fallback": "on-demand"
  },
  "AlgorithmSpecification": {
    "TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1-gpu-py310",
    "TrainingInputMode": "Pipe",
    "MetricDefinitions": [{"Name": "train:loss", "Regex": "loss=([0-9\\.]+)"}],
    "EnableSageMakerMetricsTimeSeries": true
  },
  "RoleArn": "arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole",
  "InputDataConfig": [
    {
      "ChannelName": "train",
      "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                                      "S3Uri": "s3://rail-data/train/",
                                      "S3DataDistributionType": "ShardedByS3Key"}},
      "ContentType": "application/x-recordio",
      "RecordWrapperType": "RecordIO",
      "InputMode": "Pipe"
    },
    {
      "ChannelName": "config",
      "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://rail-data/config/"}},
      "CompressionType": "None"
    }
  ],
  "OutputDataConfig": {"S3OutputPath": "s3://rail-models/output/"},
  "ResourceConfig": {"InstanceType": "ml.p3.2xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
  "VpcConfig": {"SecurityGroupIds": ["sg-0123456789abcdef0"], "Subnets": ["subnet-0abc1234"]},
  "StoppingCondition": {"MaxRuntimeInSeconds": 86400, "MaxWaitTimeInSeconds": 172800},
  "Tags": [{"Key": "team", "Value": "vision"}, {"Key": "cost-center", "Value": "rail-42"}],
  "EnableNetworkIsolation": false,
  "EnableManagedSpotTraining": true,
  "CheckpointConfig": {"S3Uri": "s3://rail-models/checkpoints/", "LocalPath": "/opt/ml/checkpoints"},
  "Environment": {"NCCL_DEBUG": "INFO"},
  "ExperimentConfig": {"ExperimentName": "rail-defects"},
  "ProfilerConfig": {"DisableProfiler": true},
  "RetryStrategy": {"MaximumRetryAttempts": 3}
})json";

Result<ValidatedCreate> Parse(const json& request) {
  return ParseCreateTrainingJob(request.dump(), TestCatalogue());
}

// Passes when the request is rejected as a validation error whose message
// contains every fragment (the member path, and the rule where given).
::testing::AssertionResult Rejected(const json& request, std::initializer_list<std::string> fragments) {
  Result<ValidatedCreate> result = Parse(request);
  if (result.ok()) return ::testing::AssertionFailure() << "accepted: " << request.dump();
  if (result.status().code() != ErrorCode::kValidation) {
    return ::testing::AssertionFailure() << "not a validation error: " << result.status().message();
  }
  for (const std::string& fragment : fragments) {
    if (result.status().message().find(fragment) == std::string::npos) {
      return ::testing::AssertionFailure()
             << "message '" << result.status().message() << "' lacks '" << fragment << "'";
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Accepted(const json& request) {
  Result<ValidatedCreate> result = Parse(request);
  if (result.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << result.status().message();
}

// --- Whole requests --------------------------------------------------------------

TEST(CreateTrainingJobTest, RealisticSpotRequestYieldsTheSpec) {
  Result<ValidatedCreate> result = ParseCreateTrainingJob(kSpotCheckpointRequest, TestCatalogue());
  ASSERT_TRUE(result.ok()) << result.status().message();
  const JobSpec& spec = result->spec;
  EXPECT_EQ(spec.name, "rail-defects-resnet50-2026-01-15");
  EXPECT_EQ(spec.instance_type, "ml.p3.2xlarge");
  EXPECT_EQ(spec.instance_count, 1);
  EXPECT_EQ(spec.volume_size_gb, 50);
  EXPECT_EQ(spec.input_mode, TrainingInputMode::kPipe);
  EXPECT_TRUE(spec.managed_spot);
  EXPECT_EQ(spec.max_runtime_seconds, 86400);
  EXPECT_EQ(spec.max_wait_seconds, 172800);
  EXPECT_TRUE(spec.checkpointing);
  EXPECT_EQ(spec.max_retry_attempts, 3);
  EXPECT_EQ(spec.s3_output_path, "s3://rail-models/output/");
  using Tag = std::pair<std::string, std::string>;
  EXPECT_EQ(spec.tags, (std::vector<Tag>{{"team", "vision"}, {"cost-center", "rail-42"}}));
  EXPECT_DOUBLE_EQ(spec.workload.work_seconds, 36000);
  EXPECT_DOUBLE_EQ(spec.workload.checkpoint_interval_seconds, 900);
  EXPECT_TRUE(spec.workload.checkpoint_on_notice);
  EXPECT_DOUBLE_EQ(spec.workload.dataset_gb, 150);
  EXPECT_DOUBLE_EQ(spec.workload.failure_probability, 0.01);
  EXPECT_TRUE(spec.workload.spot_fallback_on_demand);

  // The document echoes every member, unused ones included, plus defaults.
  const json& doc = result->document;
  EXPECT_EQ(doc["VpcConfig"]["Subnets"][0], "subnet-0abc1234");
  EXPECT_EQ(doc["Environment"]["NCCL_DEBUG"], "INFO");
  EXPECT_EQ(doc["HyperParameters"]["epochs"], "30");
  EXPECT_EQ(doc["EnableInterContainerTrafficEncryption"], false);
  EXPECT_EQ(doc["InputDataConfig"][0]["DataSource"]["S3DataSource"]["S3DataDistributionType"],
            "ShardedByS3Key");
  EXPECT_EQ(doc["InputDataConfig"][0]["CompressionType"], "None");
  EXPECT_EQ(doc["InputDataConfig"][0]["RecordWrapperType"], "RecordIO");
  EXPECT_EQ(doc["InputDataConfig"][1]["DataSource"]["S3DataSource"]["S3DataDistributionType"],
            "FullyReplicated");
  EXPECT_EQ(doc["InputDataConfig"][1]["RecordWrapperType"], "None");
}

TEST(CreateTrainingJobTest, MinimalRequestGetsSageMakerDefaults) {
  Result<ValidatedCreate> result = Parse(MinimalRequest());
  ASSERT_TRUE(result.ok()) << result.status().message();
  const JobSpec& spec = result->spec;
  EXPECT_EQ(spec.input_mode, TrainingInputMode::kFile);
  EXPECT_FALSE(spec.managed_spot);
  EXPECT_EQ(spec.max_runtime_seconds, 86400);
  EXPECT_FALSE(spec.max_wait_seconds.has_value());
  EXPECT_FALSE(spec.checkpointing);
  EXPECT_EQ(spec.max_retry_attempts, 0);
  EXPECT_TRUE(spec.tags.empty());
  Workload defaults;
  EXPECT_EQ(spec.workload.work_seconds, defaults.work_seconds);
  EXPECT_EQ(spec.workload.checkpoint_interval_seconds, defaults.checkpoint_interval_seconds);
  EXPECT_FALSE(spec.workload.spot_fallback_on_demand);

  const json& doc = result->document;
  EXPECT_EQ(doc["StoppingCondition"], json({{"MaxRuntimeInSeconds", 86400}}));
  EXPECT_EQ(doc["EnableManagedSpotTraining"], false);
  EXPECT_EQ(doc["EnableNetworkIsolation"], false);
  EXPECT_EQ(doc["TrainingJobName"], "minimal-job");
}

TEST(CreateTrainingJobTest, StoppingConditionWithoutMaxRuntimeGetsTheDefault) {
  json request = MinimalRequest();
  request["StoppingCondition"] = json::object();
  Result<ValidatedCreate> result = Parse(request);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->document["StoppingCondition"]["MaxRuntimeInSeconds"], 86400);
}

TEST(CreateTrainingJobTest, AlgorithmNameInsteadOfImageIsAccepted) {
  json request = MinimalRequest();
  request["AlgorithmSpecification"].erase("TrainingImage");
  request["AlgorithmSpecification"]["AlgorithmName"] = "my-marketplace-algo";
  EXPECT_TRUE(Accepted(request));
}

// --- JSON syntax and top-level shape ---------------------------------------------

TEST(CreateTrainingJobTest, MalformedJsonNamesThePosition) {
  Result<ValidatedCreate> result =
      ParseCreateTrainingJob(R"({"TrainingJobName": "a",})", TestCatalogue());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kValidation);
  EXPECT_THAT(result.status().message(), HasSubstr("Request body is not valid JSON"));
  EXPECT_THAT(result.status().message(), HasSubstr("column 25"));
  EXPECT_THAT(result.status().message(), HasSubstr("byte 25"));
  EXPECT_THAT(result.status().message(), ::testing::Not(HasSubstr("json.exception")));
}

TEST(CreateTrainingJobTest, EmptyBodyIsNotJson) {
  Result<ValidatedCreate> result = ParseCreateTrainingJob("", TestCatalogue());
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("not valid JSON"));
}

TEST(CreateTrainingJobTest, NumberOverflowIsNotJsonAndDoesNotThrow) {
  Result<ValidatedCreate> result =
      ParseCreateTrainingJob(R"({"TrainingJobName": 1e999})", TestCatalogue());
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("not valid JSON"));
}

TEST(CreateTrainingJobTest, BodyThatIsNotAnObjectIsRejected) {
  EXPECT_TRUE(Rejected(json::array({1, 2}), {"request body must be an object", "got an array"}));
  EXPECT_TRUE(Rejected(json("text"), {"request body must be an object"}));
}

// --- Unknown members ---------------------------------------------------------------

TEST(CreateTrainingJobTest, TypoInNestedMemberIsRejectedWithSuggestion) {
  json request = MinimalRequest();
  request["StoppingCondition"] = {{"MaxRunTimeInSeconds", 3600}};
  EXPECT_TRUE(Rejected(request, {"Unknown member 'StoppingCondition.MaxRunTimeInSeconds'",
                                 "did you mean 'StoppingCondition.MaxRuntimeInSeconds'"}));
}

TEST(CreateTrainingJobTest, UnknownTopLevelMemberIsRejected) {
  json request = MinimalRequest();
  request["Priority"] = "high";
  EXPECT_TRUE(Rejected(request, {"Unknown member 'Priority'", "accepts TrainingJobName"}));
}

TEST(CreateTrainingJobTest, UnknownMemberDeepInAChannelIsRejected) {
  json request = MinimalRequest();
  request["InputDataConfig"] = json::parse(R"([{"ChannelName": "train", "DataSource":
      {"S3DataSource": {"S3DataType": "S3Prefix", "S3URI": "s3://b/k"}}}])");
  EXPECT_TRUE(Rejected(request, {"Unknown member 'InputDataConfig[0].DataSource.S3DataSource.S3URI'"}));
}

TEST(CreateTrainingJobTest, MembersTrainyardDoesNotUseAreTypeChecked) {
  json request = MinimalRequest();
  request["EnableNetworkIsolation"] = "true";
  EXPECT_TRUE(Rejected(request, {"EnableNetworkIsolation must be a boolean", "got a string"}));

  request = MinimalRequest();
  request["VpcConfig"] = {{"SecurityGroupIds", "sg-1"}, {"Subnets", json::array({"subnet-1"})}};
  EXPECT_TRUE(Rejected(request, {"VpcConfig.SecurityGroupIds must be an array"}));

  request = MinimalRequest();
  request["Environment"] = {{"DEBUG", 1}};
  EXPECT_TRUE(Rejected(request, {"Environment.DEBUG must be a string"}));

  request = MinimalRequest();
  request["DebugHookConfig"] = {{"LocalPath", "/opt/ml/debug"}};
  EXPECT_TRUE(Rejected(request, {"DebugHookConfig.S3OutputPath is required"}));
}

TEST(CreateTrainingJobTest, InstanceGroupsAreNotSupported) {
  json request = MinimalRequest();
  request["ResourceConfig"]["InstanceGroups"] = json::array();
  EXPECT_TRUE(Rejected(request, {"ResourceConfig.InstanceGroups is not supported by trainyard"}));
}

// --- Types -------------------------------------------------------------------------

TEST(CreateTrainingJobTest, WrongJsonTypesNameMemberAndExpectedType) {
  json request = MinimalRequest();
  request["ResourceConfig"]["InstanceCount"] = "2";
  EXPECT_TRUE(Rejected(request, {"ResourceConfig.InstanceCount must be an integer", "got a string"}));

  request = MinimalRequest();
  request["ResourceConfig"]["InstanceCount"] = 2.5;
  EXPECT_TRUE(Rejected(request, {"ResourceConfig.InstanceCount must be an integer"}));

  request = MinimalRequest();
  request["TrainingJobName"] = 7;
  EXPECT_TRUE(Rejected(request, {"TrainingJobName must be a string"}));

  request = MinimalRequest();
  request["AlgorithmSpecification"] = "File";
  EXPECT_TRUE(Rejected(request, {"AlgorithmSpecification must be an object"}));

  request = MinimalRequest();
  request["ResourceConfig"]["VolumeSizeInGB"] = nullptr;
  EXPECT_TRUE(Rejected(request, {"ResourceConfig.VolumeSizeInGB must be an integer", "got null"}));
}

TEST(CreateTrainingJobTest, IntegerBeyondThirtyTwoBitsIsOutOfRange) {
  json request = MinimalRequest();
  request["ResourceConfig"]["VolumeSizeInGB"] = 4294967296LL;
  EXPECT_TRUE(Rejected(request, {"ResourceConfig.VolumeSizeInGB must be <= 2147483647"}));
  request["ResourceConfig"]["VolumeSizeInGB"] = 18446744073709551615ULL;
  EXPECT_TRUE(Rejected(request, {"ResourceConfig.VolumeSizeInGB must be <= 2147483647"}));
}

// --- Required members --------------------------------------------------------------

class CreateTrainingJobRequiredTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CreateTrainingJobRequiredTest, MissingMemberIsNamed) {
  json request = MinimalRequest();
  json::json_pointer pointer("/" + GetParam());
  request[pointer.parent_pointer()].erase(pointer.back());
  std::string path = GetParam();
  std::replace(path.begin(), path.end(), '/', '.');
  EXPECT_TRUE(Rejected(request, {path + " is required"}));
}

INSTANTIATE_TEST_SUITE_P(
    Members, CreateTrainingJobRequiredTest,
    ::testing::Values("TrainingJobName", "AlgorithmSpecification",
                      "AlgorithmSpecification/TrainingInputMode", "RoleArn", "OutputDataConfig",
                      "OutputDataConfig/S3OutputPath", "ResourceConfig",
                      "ResourceConfig/InstanceType", "ResourceConfig/InstanceCount",
                      "ResourceConfig/VolumeSizeInGB", "StoppingCondition"));

TEST(CreateTrainingJobTest, ImageOrAlgorithmNameIsRequiredButNotBoth) {
  json request = MinimalRequest();
  request["AlgorithmSpecification"].erase("TrainingImage");
  EXPECT_TRUE(Rejected(request, {"AlgorithmSpecification.TrainingImage is required"}));
  request = MinimalRequest();
  request["AlgorithmSpecification"]["AlgorithmName"] = "algo";
  EXPECT_TRUE(Rejected(request, {"AlgorithmSpecification.AlgorithmName", "mutually exclusive"}));
}

// --- TrainingJobName, RoleArn, S3 URIs, enums ----------------------------------

TEST(CreateTrainingJobTest, TrainingJobNamePattern) {
  for (const std::string& good :
       std::vector<std::string>{"a", "job-1", "a--b", "A1", std::string(63, 'x')}) {
    json request = MinimalRequest();
    request["TrainingJobName"] = good;
    EXPECT_TRUE(Accepted(request)) << good;
  }
  for (const char* bad : {"-a", "a-", "a_b", "a.b", "job 1"}) {
    json request = MinimalRequest();
    request["TrainingJobName"] = bad;
    EXPECT_TRUE(Rejected(request, {"TrainingJobName must match the pattern"})) << bad;
  }
  json request = MinimalRequest();
  request["TrainingJobName"] = std::string(64, 'x');
  EXPECT_TRUE(Rejected(request, {"TrainingJobName must be at most 63 characters"}));
  request["TrainingJobName"] = "";
  EXPECT_TRUE(Rejected(request, {"TrainingJobName must not be empty"}));
}

TEST(CreateTrainingJobTest, RoleArnPattern) {
  json request = MinimalRequest();
  request["RoleArn"] = "arn:aws-cn:iam::123456789012:role/path/Role_1+=,.@-";
  EXPECT_TRUE(Accepted(request));
  request["RoleArn"] = "arn:aws:iam::12345:role/SageMakerRole";
  EXPECT_TRUE(Rejected(request, {"RoleArn must match the pattern"}));
  request["RoleArn"] = "arn:aws:iam::123456789012:user/alice";
  EXPECT_TRUE(Rejected(request, {"RoleArn must match the pattern"}));
  request["RoleArn"] = "SageMakerRole";
  EXPECT_TRUE(Rejected(request, {"RoleArn must be at least 20 characters"}));
}

TEST(CreateTrainingJobTest, S3UriPatternAndLength) {
  json request = MinimalRequest();
  request["OutputDataConfig"]["S3OutputPath"] = "https://bucket.s3.amazonaws.com/out";
  EXPECT_TRUE(Accepted(request));
  request["OutputDataConfig"]["S3OutputPath"] = "bucket/output";
  EXPECT_TRUE(Rejected(request, {"OutputDataConfig.S3OutputPath must match the pattern"}));
  request["OutputDataConfig"]["S3OutputPath"] = "s3:///key";
  EXPECT_TRUE(Rejected(request, {"OutputDataConfig.S3OutputPath must match"}));
  request["OutputDataConfig"]["S3OutputPath"] = "s3://b/" + std::string(1018, 'k');
  EXPECT_TRUE(Rejected(request, {"OutputDataConfig.S3OutputPath must be at most 1024 characters"}));

  request = MinimalRequest();
  request["CheckpointConfig"] = {{"S3Uri", "file:///tmp/ckpt"}};
  EXPECT_TRUE(Rejected(request, {"CheckpointConfig.S3Uri must match"}));
}

TEST(CreateTrainingJobTest, TrainingInputModeEnum) {
  json request = MinimalRequest();
  for (const char* mode : {"File", "Pipe", "FastFile"}) {
    request["AlgorithmSpecification"]["TrainingInputMode"] = mode;
    EXPECT_TRUE(Accepted(request)) << mode;
  }
  request["AlgorithmSpecification"]["TrainingInputMode"] = "file";
  EXPECT_TRUE(Rejected(request, {"AlgorithmSpecification.TrainingInputMode must be one of File, "
                                 "Pipe, FastFile (got 'file')"}));
}

// --- InputDataConfig ---------------------------------------------------------------

json Channel(const std::string& name) {
  return {{"ChannelName", name},
          {"DataSource",
           {{"S3DataSource", {{"S3DataType", "S3Prefix"}, {"S3Uri", "s3://data/" + name}}}}}};
}

TEST(CreateTrainingJobTest, ChannelCountLimits) {
  json request = MinimalRequest();
  request["InputDataConfig"] = json::array();
  EXPECT_TRUE(Accepted(request));
  for (int i = 0; i < 20; ++i) request["InputDataConfig"].push_back(Channel("c" + std::to_string(i)));
  EXPECT_TRUE(Accepted(request));
  request["InputDataConfig"].push_back(Channel("c20"));
  EXPECT_TRUE(Rejected(request, {"InputDataConfig must have at most 20 items (got 21)"}));
}

TEST(CreateTrainingJobTest, DuplicateChannelNamesAreRejected) {
  json request = MinimalRequest();
  request["InputDataConfig"] = {Channel("train"), Channel("validation"), Channel("train")};
  EXPECT_TRUE(Rejected(request, {"InputDataConfig[2].ChannelName 'train' duplicates "
                                 "InputDataConfig[0].ChannelName"}));
}

TEST(CreateTrainingJobTest, ChannelNameRules) {
  json request = MinimalRequest();
  request["InputDataConfig"] = {Channel("train"), Channel("bad name")};
  EXPECT_TRUE(Rejected(request, {"InputDataConfig[1].ChannelName must match the pattern"}));
  request["InputDataConfig"] = {Channel(std::string(65, 'c'))};
  EXPECT_TRUE(Rejected(request, {"InputDataConfig[0].ChannelName must be at most 64"}));
  request["InputDataConfig"] = {Channel("a.b-c_d")};
  EXPECT_TRUE(Accepted(request));
}

TEST(CreateTrainingJobTest, ChannelEnumsAreChecked) {
  struct Case {
    std::string pointer, value, path;
  };
  for (const Case& c : std::vector<Case>{
           {"/DataSource/S3DataSource/S3DataType", "Prefix",
            "InputDataConfig[0].DataSource.S3DataSource.S3DataType must be one of"},
           {"/DataSource/S3DataSource/S3DataDistributionType", "Sharded",
            "InputDataConfig[0].DataSource.S3DataSource.S3DataDistributionType must be one of"},
           {"/InputMode", "Stream", "InputDataConfig[0].InputMode must be one of"},
           {"/CompressionType", "Zip", "InputDataConfig[0].CompressionType must be one of None, Gzip"},
           {"/RecordWrapperType", "TFRecord",
            "InputDataConfig[0].RecordWrapperType must be one of None, RecordIO"},
       }) {
    json channel = Channel("train");
    channel[json::json_pointer(c.pointer)] = c.value;
    json request = MinimalRequest();
    request["InputDataConfig"] = {channel};
    EXPECT_TRUE(Rejected(request, {c.path})) << c.pointer;
  }
}

TEST(CreateTrainingJobTest, ChannelNeedsExactlyOneDataSource) {
  json request = MinimalRequest();
  json channel = Channel("train");
  channel["DataSource"] = json::object();
  request["InputDataConfig"] = {channel};
  EXPECT_TRUE(Rejected(request, {"InputDataConfig[0].DataSource must have exactly one of"}));

  channel = Channel("train");
  channel["DataSource"]["S3DataSource"].erase("S3Uri");
  request["InputDataConfig"] = {channel};
  EXPECT_TRUE(Rejected(request, {"InputDataConfig[0].DataSource.S3DataSource.S3Uri is required"}));
}

// --- ResourceConfig ------------------------------------------------------------------

TEST(CreateTrainingJobTest, UnknownInstanceTypeListsValidTypes) {
  json request = MinimalRequest();
  request["ResourceConfig"]["InstanceType"] = "ml.p9.mega";
  EXPECT_TRUE(Rejected(request, {"ResourceConfig.InstanceType 'ml.p9.mega'",
                                 "valid types: ml.m5.large, ml.p3.2xlarge"}));
}

TEST(CreateTrainingJobTest, InstanceCountAndVolumeMustBePositive) {
  json request = MinimalRequest();
  request["ResourceConfig"]["InstanceCount"] = 0;
  EXPECT_TRUE(Rejected(request, {"ResourceConfig.InstanceCount must be >= 1 (got 0)"}));
  request = MinimalRequest();
  request["ResourceConfig"]["VolumeSizeInGB"] = 0;
  EXPECT_TRUE(Rejected(request, {"ResourceConfig.VolumeSizeInGB must be >= 1 (got 0)"}));
  request = MinimalRequest();
  request["ResourceConfig"]["InstanceCount"] = 8;
  Result<ValidatedCreate> result = Parse(request);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->spec.instance_count, 8);
}

// --- StoppingCondition and managed spot -------------------------------------------

json SpotRequest(int64_t runtime, int64_t wait) {
  json request = MinimalRequest();
  request["EnableManagedSpotTraining"] = true;
  request["StoppingCondition"] = {{"MaxRuntimeInSeconds", runtime}, {"MaxWaitTimeInSeconds", wait}};
  return request;
}

TEST(CreateTrainingJobTest, MaxRuntimeRange) {
  json request = MinimalRequest();
  request["StoppingCondition"] = {{"MaxRuntimeInSeconds", 2419200}};
  EXPECT_TRUE(Accepted(request));
  request["StoppingCondition"] = {{"MaxRuntimeInSeconds", 2419201}};
  EXPECT_TRUE(Rejected(request, {"StoppingCondition.MaxRuntimeInSeconds must be <= 2419200"}));
  request["StoppingCondition"] = {{"MaxRuntimeInSeconds", 0}};
  EXPECT_TRUE(Rejected(request, {"StoppingCondition.MaxRuntimeInSeconds must be >= 1"}));
}

TEST(CreateTrainingJobTest, MaxWaitWithoutSpotIsRejected) {
  json request = SpotRequest(3600, 7200);
  request["EnableManagedSpotTraining"] = false;
  EXPECT_TRUE(Rejected(request, {"StoppingCondition.MaxWaitTimeInSeconds",
                                 "only when EnableManagedSpotTraining is true"}));
  request.erase("EnableManagedSpotTraining");
  EXPECT_TRUE(Rejected(request, {"StoppingCondition.MaxWaitTimeInSeconds"}));
}

TEST(CreateTrainingJobTest, SpotWithoutMaxWaitIsRejected) {
  json request = MinimalRequest();
  request["EnableManagedSpotTraining"] = true;
  EXPECT_TRUE(Rejected(request, {"StoppingCondition.MaxWaitTimeInSeconds is required when "
                                 "EnableManagedSpotTraining is true"}));
}

TEST(CreateTrainingJobTest, MaxWaitShorterThanMaxRuntimeIsRejected) {
  EXPECT_TRUE(Rejected(SpotRequest(7200, 3600),
                       {"StoppingCondition.MaxWaitTimeInSeconds must be >= "
                        "StoppingCondition.MaxRuntimeInSeconds (got 3600 < 7200)"}));
  // Against the default run time of a day when MaxRuntimeInSeconds is absent.
  json request = SpotRequest(1, 3600);
  request["StoppingCondition"].erase("MaxRuntimeInSeconds");
  EXPECT_TRUE(Rejected(request, {"(got 3600 < 86400)"}));
}

TEST(CreateTrainingJobTest, MaxWaitEqualToMaxRuntimeIsAccepted) {
  Result<ValidatedCreate> result = Parse(SpotRequest(3600, 3600));
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_TRUE(result->spec.managed_spot);
  EXPECT_EQ(result->spec.max_wait_seconds, 3600);
}

TEST(CreateTrainingJobTest, MaxWaitRange) {
  EXPECT_TRUE(Rejected(SpotRequest(3600, 2419201),
                       {"StoppingCondition.MaxWaitTimeInSeconds must be <= 2419200"}));
  EXPECT_TRUE(Accepted(SpotRequest(3600, 2419200)));
}

// --- RetryStrategy ------------------------------------------------------------------------

TEST(CreateTrainingJobTest, RetryStrategyRange) {
  json request = MinimalRequest();
  request["RetryStrategy"] = {{"MaximumRetryAttempts", 0}};
  EXPECT_TRUE(Rejected(request, {"RetryStrategy.MaximumRetryAttempts must be >= 1 (got 0)"}));
  request["RetryStrategy"] = {{"MaximumRetryAttempts", 31}};
  EXPECT_TRUE(Rejected(request, {"RetryStrategy.MaximumRetryAttempts must be <= 30 (got 31)"}));
  request["RetryStrategy"] = json::object();
  EXPECT_TRUE(Rejected(request, {"RetryStrategy.MaximumRetryAttempts is required"}));
  for (int attempts : {1, 30}) {
    request["RetryStrategy"] = {{"MaximumRetryAttempts", attempts}};
    Result<ValidatedCreate> result = Parse(request);
    ASSERT_TRUE(result.ok()) << result.status().message();
    EXPECT_EQ(result->spec.max_retry_attempts, attempts);
  }
}

// --- HyperParameters and Tags ----------------------------------------------------------

TEST(CreateTrainingJobTest, HyperParameterLimits) {
  json request = MinimalRequest();
  for (int i = 0; i < 100; ++i) request["HyperParameters"]["p" + std::to_string(i)] = "1";
  EXPECT_TRUE(Accepted(request));
  request["HyperParameters"]["p100"] = "1";
  EXPECT_TRUE(Rejected(request, {"HyperParameters must have at most 100 entries (got 101)"}));

  request = MinimalRequest();
  request["HyperParameters"][std::string(257, 'k')] = "1";
  EXPECT_TRUE(Rejected(request, {"HyperParameters.kkk", "must be at most 256 characters"}));

  request = MinimalRequest();
  request["HyperParameters"]["long"] = std::string(2501, 'v');
  EXPECT_TRUE(Rejected(request, {"HyperParameters.long must be at most 2500 characters"}));
  request["HyperParameters"]["long"] = std::string(2500, 'v');
  EXPECT_TRUE(Accepted(request));
}

TEST(CreateTrainingJobTest, HyperParameterValuesMustBeStrings) {
  json request = MinimalRequest();
  request["HyperParameters"] = {{"epochs", 10}};
  EXPECT_TRUE(Rejected(request, {"HyperParameters.epochs must be a string", "got an integer"}));
}

json Tags(int count) {
  json tags = json::array();
  for (int i = 0; i < count; ++i) tags.push_back({{"Key", "k" + std::to_string(i)}, {"Value", "v"}});
  return tags;
}

TEST(CreateTrainingJobTest, TagLimits) {
  json request = MinimalRequest();
  request["Tags"] = Tags(50);
  EXPECT_TRUE(Accepted(request));
  request["Tags"] = Tags(51);
  EXPECT_TRUE(Rejected(request, {"Tags must have at most 50 items (got 51)"}));

  request["Tags"] = {{{"Key", std::string(129, 'k')}, {"Value", ""}}};
  EXPECT_TRUE(Rejected(request, {"Tags[0].Key must be at most 128 characters"}));
  request["Tags"] = {{{"Key", ""}, {"Value", ""}}};
  EXPECT_TRUE(Rejected(request, {"Tags[0].Key must not be empty"}));
  request["Tags"] = {{{"Key", "k"}, {"Value", std::string(257, 'v')}}};
  EXPECT_TRUE(Rejected(request, {"Tags[0].Value must be at most 256 characters"}));
  request["Tags"] = {{{"Key", "k"}}};
  EXPECT_TRUE(Rejected(request, {"Tags[0].Value is required"}));
  request["Tags"] = {{{"Key", "team!"}, {"Value", "v"}}};
  EXPECT_TRUE(Rejected(request, {"Tags[0].Key must match the pattern"}));
  request["Tags"] = {{{"Key", "aws:createdBy"}, {"Value", "v"}}};
  EXPECT_TRUE(Rejected(request, {"Tags[0].Key must not start with 'aws:'"}));
  request["Tags"] = {{{"Key", "équipe"}, {"Value", "Zürich ml/2 = a+b @x"}}};
  EXPECT_TRUE(Accepted(request));
}

TEST(CreateTrainingJobTest, DuplicateTagKeysAreRejected) {
  json request = MinimalRequest();
  request["Tags"] = Tags(3);
  request["Tags"][2]["Key"] = "k0";
  EXPECT_TRUE(Rejected(request, {"Tags[2].Key 'k0' duplicates Tags[0].Key"}));
}

// --- trainyard.* hyperparameters ------------------------------------------------

json WithHyperParameter(const std::string& key, const std::string& value) {
  json request = MinimalRequest();
  request["HyperParameters"] = {{key, value}, {"learning_rate", "0.1"}};
  return request;
}

TEST(CreateTrainingJobTest, WorkloadNumbersAreParsedStrictly) {
  for (const char* bad : {"0", "-1", "abc", "10s", " 10", "+10", "nan", "inf", "1e999", "",
                          "241920001"}) {
    EXPECT_TRUE(Rejected(WithHyperParameter("trainyard.work_seconds", bad),
                         {"HyperParameters.trainyard.work_seconds must be a number > 0"}))
        << "'" << bad << "'";
  }
  Result<ValidatedCreate> result = Parse(WithHyperParameter("trainyard.work_seconds", "1.5e3"));
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_DOUBLE_EQ(result->spec.workload.work_seconds, 1500);
}

TEST(CreateTrainingJobTest, WorkloadRangesPerKey) {
  EXPECT_TRUE(Rejected(WithHyperParameter("trainyard.checkpoint_interval_seconds", "0"),
                       {"HyperParameters.trainyard.checkpoint_interval_seconds must be a number > 0"}));
  EXPECT_TRUE(Rejected(WithHyperParameter("trainyard.dataset_gb", "-0.5"),
                       {"HyperParameters.trainyard.dataset_gb must be a number >= 0"}));
  EXPECT_TRUE(Accepted(WithHyperParameter("trainyard.dataset_gb", "0")));
  EXPECT_TRUE(Rejected(WithHyperParameter("trainyard.failure_probability", "1.5"),
                       {"HyperParameters.trainyard.failure_probability must be a number >= 0 and <= 1"}));
  EXPECT_TRUE(Accepted(WithHyperParameter("trainyard.failure_probability", "1")));
  EXPECT_TRUE(Rejected(WithHyperParameter("trainyard.checkpoint_on_notice", "yes"),
                       {"HyperParameters.trainyard.checkpoint_on_notice must be 'true' or 'false'"}));
  EXPECT_TRUE(Rejected(WithHyperParameter("trainyard.spot_fallback", "always"),
                       {"HyperParameters.trainyard.spot_fallback must be 'on-demand' or 'none'"}));
  Result<ValidatedCreate> result = Parse(WithHyperParameter("trainyard.spot_fallback", "none"));
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->spec.workload.spot_fallback_on_demand);
}

TEST(CreateTrainingJobTest, UnknownTrainyardHyperParameterIsRejected) {
  EXPECT_TRUE(Rejected(WithHyperParameter("trainyard.work_secs", "10"),
                       {"Unknown trainyard hyperparameter 'HyperParameters.trainyard.work_secs'",
                        "trainyard.work_seconds"}));
  EXPECT_TRUE(Rejected(WithHyperParameter("Trainyard.work_seconds", "10"),
                       {"'HyperParameters.Trainyard.work_seconds'"}));
  EXPECT_TRUE(Rejected(WithHyperParameter("trainyard_work_seconds", "10"),
                       {"'HyperParameters.trainyard_work_seconds'"}));
}

TEST(CreateTrainingJobTest, OtherHyperParametersAreTheAlgorithmsBusiness) {
  EXPECT_TRUE(Accepted(WithHyperParameter("sagemaker_program", "train.py")));
}

TEST(CreateTrainingJobTest, SpotFallbackNeedsManagedSpot) {
  json request = WithHyperParameter("trainyard.spot_fallback", "on-demand");
  EXPECT_TRUE(Rejected(request, {"HyperParameters.trainyard.spot_fallback",
                                 "requires EnableManagedSpotTraining"}));
  json spot = SpotRequest(3600, 7200);
  spot["HyperParameters"] = request["HyperParameters"];
  Result<ValidatedCreate> result = Parse(spot);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_TRUE(result->spec.workload.spot_fallback_on_demand);
}

// --- Error choice ---------------------------------------------------------------------

TEST(CreateTrainingJobTest, FirstErrorIsReportedDeterministically) {
  json request = MinimalRequest();
  request["TrainingJobName"] = "bad_name";
  request["ResourceConfig"]["InstanceCount"] = 0;
  request["RetryStrategy"] = {{"MaximumRetryAttempts", 99}};
  std::string first;
  for (int i = 0; i < 3; ++i) {
    Result<ValidatedCreate> result = Parse(request);
    ASSERT_FALSE(result.ok());
    if (i == 0) first = result.status().message();
    EXPECT_EQ(result.status().message(), first);
  }
  EXPECT_THAT(first, HasSubstr("TrainingJobName"));
}

TEST(CreateTrainingJobTest, EchoedUserTextIsSafeToPrint) {
  json request = MinimalRequest();
  request["AlgorithmSpecification"]["TrainingInputMode"] = "File\n" + std::string(500, 'x');
  Result<ValidatedCreate> result = Parse(request);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("(got 'File?xxx"));
  EXPECT_THAT(result.status().message(), HasSubstr("...')"));
  EXPECT_LT(result.status().message().size(), 200u);
}

}  // namespace
}  // namespace trainyard::api
