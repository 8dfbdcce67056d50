// Builds lines of the `trainyard simulate --jobs` format for the workload
// tests: a minimal valid CreateTrainingJob request with the members a test
// cares about.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace trainyard::testing {

struct WorkloadLineSpec {
  std::string name;
  double submit_time = 0;
  std::string instance_type = "ml.p3.2xlarge";
  int instance_count = 1;
  double work_seconds = 3600;
  bool spot = false;
  int64_t max_runtime_seconds = 86400;
  std::optional<int64_t> max_wait_seconds;  // spot: defaults to 2 x max runtime
};

inline nlohmann::json WorkloadRequest(const WorkloadLineSpec& s) {
  nlohmann::json request = {
      {"TrainingJobName", s.name},
      {"AlgorithmSpecification",
       {{"TrainingImage", "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1"},
        {"TrainingInputMode", "Pipe"}}},
      {"RoleArn", "arn:aws:iam::123456789012:role/SageMakerRole"},
      {"HyperParameters", {{"trainyard.work_seconds", std::to_string(static_cast<int64_t>(s.work_seconds))}}},
      {"OutputDataConfig", {{"S3OutputPath", "s3://bucket/output/"}}},
      {"ResourceConfig",
       {{"InstanceType", s.instance_type}, {"InstanceCount", s.instance_count}, {"VolumeSizeInGB", 10}}},
      {"StoppingCondition", {{"MaxRuntimeInSeconds", s.max_runtime_seconds}}},
  };
  if (s.spot) {
    request["EnableManagedSpotTraining"] = true;
    request["StoppingCondition"]["MaxWaitTimeInSeconds"] =
        s.max_wait_seconds.value_or(2 * s.max_runtime_seconds);
  }
  return request;
}

inline std::string WorkloadLine(const WorkloadLineSpec& s) {
  return nlohmann::json{{"SubmitTime", s.submit_time}, {"Request", WorkloadRequest(s)}}.dump();
}

}  // namespace trainyard::testing
