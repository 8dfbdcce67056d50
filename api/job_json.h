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

// DescribeTrainingJob's answer for one job: the accepted request, echoed
// member for member, with the job's state laid over it. Two forms: a json
// tree for a caller that edits it before sending (the AWS protocol rounds
// two members), and text for one that sends it as is (JsonResponse in
// json_body.h). The text is byte for byte Dump(ToJson()) but written
// directly, copying the stored request document instead of parsing it:
// Describe is what every client polls, and parse, tree and dump were most
// of its cost.
//
// A view, like std::string_view: it refers to the job and pool it was made
// from, which must outlive it.
class DescribedJob {
 public:
  nlohmann::json ToJson() const;
  std::string ToText() const;

 private:
  friend DescribedJob DescribeTrainingJobJson(const TrainingJob&, const InstancePool*, double);
  DescribedJob(const TrainingJob& job, const InstancePool* pool, double upload_seconds)
      : job_(&job), pool_(pool), upload_seconds_(upload_seconds) {}

  const TrainingJob* job_;
  const InstancePool* pool_;
  double upload_seconds_;
};

// So that `nlohmann::json out = DescribeTrainingJobJson(...)` builds the tree.
void to_json(nlohmann::json& out, const DescribedJob& described);

// `pool` (the job's instance type, or null when the catalogue lacks it) and
// `upload_seconds` feed the CostSummary; without a pool it is left out.
DescribedJob DescribeTrainingJobJson(const TrainingJob& job, const InstancePool* pool,
                                     double upload_seconds);
// The answer refers to the job: a temporary would be gone before it is used.
DescribedJob DescribeTrainingJobJson(TrainingJob&& job, const InstancePool* pool,
                                     double upload_seconds) = delete;
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
