// CreateTrainingJob at the wire: turns a request body -- exactly what
// `aws sagemaker create-training-job --cli-input-json` takes -- into the
// JobSpec the engine runs, or a Validation status naming the offending member
// by its JSON path and the rule it breaks (DESIGN.md section 4).
//
// Both the REST route (POST /v1/training-jobs) and the AWS JSON 1.1 protocol
// call it. Pure function: safe from any thread; throws nothing.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "trainyard/catalogue.h"
#include "trainyard/job.h"
#include "trainyard/status.h"

namespace trainyard::api {

inline constexpr int64_t kDefaultMaxRuntimeSeconds = 86400;  // SageMaker: 1 day

struct ValidatedCreate {
  JobSpec spec;  // what the engine needs
  // The request as accepted, with SageMaker's defaults filled in where its
  // DescribeTrainingJob shows them: StoppingCondition.MaxRuntimeInSeconds
  // (86400); EnableNetworkIsolation, EnableInterContainerTrafficEncryption
  // and EnableManagedSpotTraining (false); per channel CompressionType and
  // RecordWrapperType ("None") and S3DataSource.S3DataDistributionType
  // ("FullyReplicated"). Describe echoes it.
  nlohmann::json document;
};

// Checks, in order: JSON syntax; every member against SageMaker's model
// (names at every level, required members, types, lengths, counts, ranges,
// enums, patterns); then the rules across members (TrainingImage xor
// AlgorithmName, one data source and a unique name per channel, instance
// type in `catalogue`, the managed-spot stopping rules, unique tag keys, the
// `trainyard.*` hyperparameters). Returns the first error found.
Result<ValidatedCreate> ParseCreateTrainingJob(std::string_view body, const Catalogue& catalogue);

}  // namespace trainyard::api
