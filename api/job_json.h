// Domain jobs -> the SageMaker response shapes (DescribeTrainingJob,
// ListTrainingJobs summaries). Shared by the REST and AWS JSON protocols.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "trainyard/catalogue.h"
#include "trainyard/job.h"
#include "trainyard/job_query.h"

namespace trainyard::api {

// Where the wire layer says a job lives: arn:aws:sagemaker:<region>:<account>:...
struct ArnScope {
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
};

std::string TrainingJobArn(const ArnScope& scope, const std::string& name);

// `pool` (the job's instance type, or null when the catalogue lacks it) and
// `upload_seconds` feed the CostSummary; without a pool it is left out.
nlohmann::json DescribeTrainingJobJson(const TrainingJob& job, const InstancePool* pool,
                                       double upload_seconds);
// {TrainingJobArn, TrainingJobStatus, SecondaryStatus}: the answer to a
// command that changes a job's state (stop, injected failure).
nlohmann::json JobStateJson(const TrainingJob& job);
nlohmann::json CostSummaryJson(const CostSummary& summary);
nlohmann::json AttemptJson(const Attempt& attempt);
nlohmann::json TrainingJobSummaryJson(const JobSummary& summary);
nlohmann::json ListTrainingJobsJson(const JobPage& page);

// Serializes for the wire; invalid UTF-8 is replaced rather than thrown on.
std::string Dump(const nlohmann::json& value);

}  // namespace trainyard::api
