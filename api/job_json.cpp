#include "api/job_json.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

std::string ModelArtifactsUri(const TrainingJob& job) {
  std::string base = job.spec.s3_output_path;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + job.spec.name + "/output/model.tar.gz";
}

json TransitionsJson(const std::vector<StatusTransition>& transitions) {
  json out = json::array();
  for (const auto& t : transitions) {
    json entry = {{"Status", ToString(t.status)},
                  {"StartTime", t.start_time},
                  {"StatusMessage", t.message}};
    if (t.end_time) entry["EndTime"] = *t.end_time;
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

std::string TrainingJobArn(const ArnScope& scope, const std::string& name) {
  return "arn:aws:sagemaker:" + scope.region + ":" + scope.account_id + ":training-job/" + name;
}

json DescribeTrainingJobJson(const TrainingJob& job) {
  // The accepted request is echoed member for member, as DescribeTrainingJob
  // does; the state members are laid over it.
  json out = json::parse(job.request_document, nullptr, /*allow_exceptions=*/false);
  if (!out.is_object()) out = json::object();
  out["TrainingJobName"] = job.spec.name;
  out["TrainingJobArn"] = job.arn;
  out["TrainingJobStatus"] = ToString(job.status);
  out["SecondaryStatus"] = ToString(job.secondary_status);
  out["CreationTime"] = job.creation_time;
  out["LastModifiedTime"] = job.last_modified_time;
  if (job.training_start_time) out["TrainingStartTime"] = *job.training_start_time;
  if (job.training_end_time) out["TrainingEndTime"] = *job.training_end_time;
  if (!job.failure_reason.empty()) out["FailureReason"] = job.failure_reason;
  out["SecondaryStatusTransitions"] = TransitionsJson(job.transitions);
  out["ModelArtifacts"] = {{"S3ModelArtifacts", ModelArtifactsUri(job)}};
  return out;
}

json TrainingJobSummaryJson(const JobSummary& summary) {
  json out = {{"TrainingJobName", summary.name},
              {"TrainingJobArn", summary.arn},
              {"CreationTime", summary.creation_time},
              {"LastModifiedTime", summary.last_modified_time},
              {"TrainingJobStatus", ToString(summary.status)},
              {"SecondaryStatus", ToString(summary.secondary_status)}};
  if (summary.training_end_time) out["TrainingEndTime"] = *summary.training_end_time;
  return out;
}

json ListTrainingJobsJson(const JobPage& page) {
  json summaries = json::array();
  for (const auto& s : page.jobs) summaries.push_back(TrainingJobSummaryJson(s));
  json out = {{"TrainingJobSummaries", std::move(summaries)}};
  if (!page.next_token.empty()) out["NextToken"] = page.next_token;
  return out;
}

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace trainyard::api
