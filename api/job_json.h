// Domain jobs -> the SageMaker response shapes (DescribeTrainingJob,
// ListTrainingJobs summaries). Shared by the REST and AWS JSON protocols.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "trainyard/job.h"
#include "trainyard/job_query.h"

namespace trainyard::api {

// Where the wire layer says a job lives: arn:aws:sagemaker:<region>:<account>:...
struct ArnScope {
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
};

std::string TrainingJobArn(const ArnScope& scope, const std::string& name);

nlohmann::json DescribeTrainingJobJson(const TrainingJob& job);
nlohmann::json TrainingJobSummaryJson(const JobSummary& summary);
nlohmann::json ListTrainingJobsJson(const JobPage& page);

// Serializes for the wire; invalid UTF-8 is replaced rather than thrown on.
std::string Dump(const nlohmann::json& value);

}  // namespace trainyard::api
