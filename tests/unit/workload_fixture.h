// Builds lines of the `trainyard simulate --jobs` format for the workload
// tests: a minimal valid CreateTrainingJob request with the members a test
// cares about.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace trainyard::testing {

// Line("a").Spot().Count(2).At(100).Text()
class Line {
 public:
  explicit Line(std::string name) : name_(std::move(name)) {}
  Line& At(double submit_time) { submit_time_ = submit_time; return *this; }
  Line& Type(std::string instance_type) { instance_type_ = std::move(instance_type); return *this; }
  Line& Count(int n) { instance_count_ = n; return *this; }
  Line& Work(double seconds) { work_seconds_ = seconds; return *this; }
  Line& Spot() { spot_ = true; return *this; }
  Line& MaxRuntime(int64_t s) { max_runtime_seconds_ = s; return *this; }
  // Spot only; defaults to twice MaxRuntime.
  Line& MaxWait(int64_t s) { max_wait_seconds_ = s; return *this; }

  nlohmann::json Request() const {
    nlohmann::json request = {
        {"TrainingJobName", name_},
        {"AlgorithmSpecification",
         {{"TrainingImage", "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1"},
          {"TrainingInputMode", "Pipe"}}},
        {"RoleArn", "arn:aws:iam::123456789012:role/SageMakerRole"},
        {"HyperParameters",
         {{"trainyard.work_seconds", std::to_string(static_cast<int64_t>(work_seconds_))}}},
        {"OutputDataConfig", {{"S3OutputPath", "s3://bucket/output/"}}},
        {"ResourceConfig",
         {{"InstanceType", instance_type_}, {"InstanceCount", instance_count_},
          {"VolumeSizeInGB", 10}}},
        {"StoppingCondition", {{"MaxRuntimeInSeconds", max_runtime_seconds_}}},
    };
    if (spot_) {
      request["EnableManagedSpotTraining"] = true;
      request["StoppingCondition"]["MaxWaitTimeInSeconds"] =
          max_wait_seconds_.value_or(2 * max_runtime_seconds_);
    }
    return request;
  }
  std::string Text() const {
    return nlohmann::json{{"SubmitTime", submit_time_}, {"Request", Request()}}.dump();
  }

 private:
  std::string name_;
  double submit_time_ = 0;
  std::string instance_type_ = "ml.p3.2xlarge";
  int instance_count_ = 1;
  double work_seconds_ = 3600;
  bool spot_ = false;
  int64_t max_runtime_seconds_ = 86400;
  std::optional<int64_t> max_wait_seconds_;
};

}  // namespace trainyard::testing
