#include "api/create_training_job.h"

#include <string>
#include <utility>

#include "api/hyperparameters.h"
#include "api/sagemaker_members.h"
#include "api/sagemaker_shape.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

Result<json> ParseJson(std::string_view body) {
  try {
    return json::parse(body);
  } catch (const json::exception& e) {
    // what() reads "[json.exception.parse_error.101] parse error at line 1,
    // column 9: ..."; the bracketed id means nothing to a caller.
    std::string detail = e.what();
    if (size_t close = detail.find("] "); detail.starts_with("[json.") && close != std::string::npos) {
      detail.erase(0, close + 2);
    }
    if (const auto* parse_error = dynamic_cast<const json::parse_error*>(&e)) {
      detail += " (byte " + std::to_string(parse_error->byte) + ")";
    }
    return Status::Validation("Request body is not valid JSON: " + Printable(detail, 300));
  }
}

Status CheckAlgorithm(const json& algorithm) {
  bool image = algorithm.contains("TrainingImage");
  bool name = algorithm.contains("AlgorithmName");
  if (image && name) {
    return Status::Validation(
        "AlgorithmSpecification.TrainingImage and AlgorithmSpecification.AlgorithmName are "
        "mutually exclusive: give exactly one");
  }
  if (!image && !name) {
    return Status::Validation(
        "AlgorithmSpecification.TrainingImage is required (or AlgorithmSpecification.AlgorithmName)");
  }
  return Status::Ok();
}

Status CheckChannels(const json& request) {
  auto channels = request.find("InputDataConfig");
  if (channels == request.end()) return Status::Ok();
  for (size_t i = 0; i < channels->size(); ++i) {
    const json& channel = (*channels)[i];
    std::string path = IndexPath("InputDataConfig", i);
    const json& source = channel["DataSource"];
    if (source.contains("S3DataSource") == source.contains("FileSystemDataSource")) {
      return Status::Validation(path + ".DataSource must have exactly one of S3DataSource or "
                                       "FileSystemDataSource");
    }
    const auto& name = channel["ChannelName"].get_ref<const std::string&>();
    for (size_t j = 0; j < i; ++j) {
      if ((*channels)[j]["ChannelName"] == name) {
        return Status::Validation(path + ".ChannelName '" + Printable(name) + "' duplicates " +
                                  IndexPath("InputDataConfig", j) +
                                  ".ChannelName; channel names must be unique");
      }
    }
  }
  return Status::Ok();
}

Status CheckInstanceType(const json& resources, const Catalogue& catalogue) {
  const auto& type = resources["InstanceType"].get_ref<const std::string&>();
  if (catalogue.Find(type) != nullptr) return Status::Ok();
  std::string offered;
  for (const InstancePool& pool : catalogue.pools()) {
    offered += (offered.empty() ? "" : ", ") + pool.instance_type;
  }
  if (offered.empty()) offered = "(none configured)";
  return Status::Validation("ResourceConfig.InstanceType '" + Printable(type) +
                            "' is not an instance type trainyard offers; valid types: " + offered);
}

// SageMaker's managed-spot rules, with MaxRuntimeInSeconds at its default
// when absent: MaxWaitTimeInSeconds exactly when spot is on, and then no
// shorter than the run time it has to contain.
Status CheckStoppingCondition(const json& request) {
  bool spot = request.value("EnableManagedSpotTraining", false);
  json stopping = request.value("StoppingCondition", json::object());
  int64_t runtime = stopping.value("MaxRuntimeInSeconds", kDefaultMaxRuntimeSeconds);
  auto wait = stopping.find("MaxWaitTimeInSeconds");
  if (wait == stopping.end()) {
    if (!spot) return Status::Ok();
    return Status::Validation(
        "StoppingCondition.MaxWaitTimeInSeconds is required when EnableManagedSpotTraining is "
        "true (it bounds waiting for spot capacity plus running)");
  }
  if (!spot) {
    return Status::Validation(
        "StoppingCondition.MaxWaitTimeInSeconds is allowed only when EnableManagedSpotTraining is "
        "true");
  }
  if (wait->get<int64_t>() < runtime) {
    return Status::Validation("StoppingCondition.MaxWaitTimeInSeconds must be >= "
                              "StoppingCondition.MaxRuntimeInSeconds (got " +
                              std::to_string(wait->get<int64_t>()) + " < " +
                              std::to_string(runtime) + ")");
  }
  return Status::Ok();
}

Status CheckTags(const json& request) {
  auto tags = request.find("Tags");
  if (tags == request.end()) return Status::Ok();
  for (size_t i = 0; i < tags->size(); ++i) {
    std::string path = IndexPath("Tags", i) + ".Key";
    const auto& key = (*tags)[i]["Key"].get_ref<const std::string&>();
    if (key.starts_with("aws:")) {
      return Status::Validation(path + " must not start with 'aws:', which AWS reserves (got '" +
                                Printable(key) + "')");
    }
    for (size_t j = 0; j < i; ++j) {
      if ((*tags)[j]["Key"] == key) {
        return Status::Validation(path + " '" + Printable(key) + "' duplicates " +
                                  IndexPath("Tags", j) + ".Key; tag keys must be unique");
      }
    }
  }
  return Status::Ok();
}

Status CheckCrossMemberRules(const json& request, const Catalogue& catalogue) {
  if (Status s = CheckAlgorithm(request["AlgorithmSpecification"]); !s.ok()) return s;
  if (Status s = CheckChannels(request); !s.ok()) return s;
  if (Status s = CheckInstanceType(request["ResourceConfig"], catalogue); !s.ok()) return s;
  if (Status s = CheckStoppingCondition(request); !s.ok()) return s;
  return CheckTags(request);
}

void FillDefaults(json& request) {
  json& stopping = request["StoppingCondition"];  // creates {} when absent
  if (!stopping.contains("MaxRuntimeInSeconds")) {
    stopping["MaxRuntimeInSeconds"] = kDefaultMaxRuntimeSeconds;
  }
  for (const char* flag : {"EnableNetworkIsolation", "EnableInterContainerTrafficEncryption",
                           "EnableManagedSpotTraining"}) {
    if (!request.contains(flag)) request[flag] = false;
  }
  if (auto channels = request.find("InputDataConfig"); channels != request.end()) {
    for (json& channel : *channels) {
      if (!channel.contains("CompressionType")) channel["CompressionType"] = "None";
      if (!channel.contains("RecordWrapperType")) channel["RecordWrapperType"] = "None";
      json& source = channel["DataSource"];
      if (source.contains("S3DataSource") &&
          !source["S3DataSource"].contains("S3DataDistributionType")) {
        source["S3DataSource"]["S3DataDistributionType"] = "FullyReplicated";
      }
    }
  }
}

// REQUIRES: `request` passed validation and FillDefaults.
JobSpec SpecFrom(const json& request, Workload workload) {
  JobSpec spec;
  const json& resources = request["ResourceConfig"];
  const json& stopping = request["StoppingCondition"];
  spec.name = request["TrainingJobName"].get<std::string>();
  spec.instance_type = resources["InstanceType"].get<std::string>();
  spec.instance_count = resources["InstanceCount"].get<int>();
  spec.volume_size_gb = resources["VolumeSizeInGB"].get<int>();
  spec.input_mode =
      ParseTrainingInputMode(request["AlgorithmSpecification"]["TrainingInputMode"].get<std::string>())
          .value_or(TrainingInputMode::kFile);
  spec.managed_spot = request["EnableManagedSpotTraining"].get<bool>();
  spec.max_runtime_seconds = stopping["MaxRuntimeInSeconds"].get<int64_t>();
  if (spec.managed_spot) spec.max_wait_seconds = stopping["MaxWaitTimeInSeconds"].get<int64_t>();
  spec.checkpointing = request.contains("CheckpointConfig");
  if (request.contains("RetryStrategy")) {
    spec.max_retry_attempts = request["RetryStrategy"]["MaximumRetryAttempts"].get<int>();
  }
  spec.s3_output_path = request["OutputDataConfig"]["S3OutputPath"].get<std::string>();
  if (request.contains("Tags")) {
    for (const json& tag : request["Tags"]) {
      spec.tags.emplace_back(tag["Key"].get<std::string>(), tag["Value"].get<std::string>());
    }
  }
  spec.workload = workload;
  return spec;
}

}  // namespace

Result<ValidatedCreate> ParseCreateTrainingJob(std::string_view body, const Catalogue& catalogue) {
  Result<json> parsed = ParseJson(body);
  if (!parsed.ok()) return parsed.status();
  json& request = *parsed;
  if (Status s = ValidateShape(request, CreateTrainingJobRequestShape(), ""); !s.ok()) return s;
  if (Status s = CheckCrossMemberRules(request, catalogue); !s.ok()) return s;

  Result<Workload> workload = ParseWorkload(request.value("HyperParameters", json()));
  if (!workload.ok()) return workload.status();
  if (workload->spot_fallback_on_demand && !request.value("EnableManagedSpotTraining", false)) {
    return Status::Validation(
        "HyperParameters.trainyard.spot_fallback 'on-demand' requires EnableManagedSpotTraining "
        "to be true: only a spot job can fall back to on-demand");
  }

  FillDefaults(request);
  ValidatedCreate out;
  out.spec = SpecFrom(request, *workload);
  out.document = std::move(request);
  return out;
}

}  // namespace trainyard::api
