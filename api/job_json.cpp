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

json JobStateJson(const TrainingJob& job) {
  return {{"TrainingJobArn", job.arn},
          {"TrainingJobStatus", ToString(job.status)},
          {"SecondaryStatus", ToString(job.secondary_status)}};
}

json CostSummaryJson(const CostSummary& c) {
  return {{"Market", ToString(c.market)},
          {"InstanceType", c.instance_type},
          {"InstanceCount", c.instance_count},
          {"OnDemandPricePerHour", c.on_demand_price_per_hour},
          {"ActualCost", c.actual_cost},
          {"OnDemandEquivalentCost", c.on_demand_equivalent_cost},
          {"SavingsPercent", c.savings_percent},
          {"NetSavings", c.net_savings},
          {"NetSavingsPercent", c.net_savings_percent},
          {"Interruptions", c.interruptions},
          {"Attempts", c.attempts},
          {"LostTrainingSeconds", c.lost_training_seconds},
          {"WaitingSeconds", c.waiting_seconds}};
}

json AttemptJson(const Attempt& a) {
  json out = {{"AttemptNumber", a.number},
              {"Market", ToString(a.market)},
              {"StartTime", a.start_time},
              {"ProgressAtStartSeconds", a.progress_at_start},
              {"ProgressAtEndSeconds", a.progress_at_end},
              {"BilledSeconds", a.billed_seconds},
              {"BillableSeconds", a.billable_seconds},
              {"Cost", a.cost}};
  if (a.end_time) out["EndTime"] = *a.end_time;
  if (!a.outcome.empty()) out["Outcome"] = a.outcome;
  return out;
}

json DescribeTrainingJobJson(const TrainingJob& job, const InstancePool* pool,
                             double upload_seconds) {
  // The accepted request is echoed member for member, as DescribeTrainingJob
  // does; the state members are laid over it.
  json out = json::parse(job.request_document, nullptr, /*allow_exceptions=*/false);
  if (!out.is_object()) out = json::object();
  out["TrainingJobName"] = job.spec.name;
  // Tags can change after creation (AddTags, DeleteTags): the job's own
  // list, not the request's, is what Describe shows.
  if (job.spec.tags.empty()) {
    out.erase("Tags");
  } else {
    json tags = json::array();
    for (const auto& [key, value] : job.spec.tags) tags.push_back({{"Key", key}, {"Value", value}});
    out["Tags"] = std::move(tags);
  }
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
  json attempts = json::array();
  for (const auto& a : job.attempts) attempts.push_back(AttemptJson(a));
  out["Attempts"] = std::move(attempts);
  if (pool != nullptr) {
    // Describe shows the summary as of the job's last change, so the same
    // stored job always describes the same way.
    CostSummary cost = ComputeCostSummary(job, *pool, upload_seconds);
    if (!job.attempts.empty()) {
      out["TrainingTimeInSeconds"] = cost.training_seconds;
      out["BillableTimeInSeconds"] = cost.billable_seconds;
    }
    out["CostSummary"] = CostSummaryJson(cost);
  }
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
