#include "api/job_json.h"

#include <algorithm>
#include <array>
#include <optional>

#include "api/json_text.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

// The output path without its trailing slashes.
std::string_view ModelArtifactsBase(const TrainingJob& job) {
  std::string_view base = job.spec.s3_output_path;
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return base;
}

std::string ModelArtifactsUri(const TrainingJob& job) {
  return std::string(ModelArtifactsBase(job)) + "/" + job.spec.name + "/output/model.tar.gz";
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

json DescribedJob::ToJson() const {
  const TrainingJob& job = *job_;
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
  if (pool_ != nullptr) {
    // Describe shows the summary as of the job's last change, so the same
    // stored job always describes the same way.
    CostSummary cost = ComputeCostSummary(job, *pool_, upload_seconds_);
    if (!job.attempts.empty()) {
      out["TrainingTimeInSeconds"] = cost.training_seconds;
      out["BillableTimeInSeconds"] = cost.billable_seconds;
    }
    out["CostSummary"] = CostSummaryJson(cost);
  }
  return out;
}

// ToText writes what ToJson builds, member for member; job_json_test checks
// the two agree. The tree orders members by key, so the text must too: the
// state members are listed here in that order, and merged with the stored
// request's members, which Dump wrote in that order.
namespace {

enum class StateMember {
  kAttempts,
  kBillableTimeInSeconds,
  kCostSummary,
  kCreationTime,
  kFailureReason,
  kLastModifiedTime,
  kModelArtifacts,
  kSecondaryStatus,
  kSecondaryStatusTransitions,
  kTags,
  kTrainingEndTime,
  kTrainingJobArn,
  kTrainingJobName,
  kTrainingJobStatus,
  kTrainingStartTime,
  kTrainingTimeInSeconds,
};

struct StateMemberKey {
  std::string_view key;
  StateMember member;
};

constexpr StateMemberKey kStateMembers[] = {
    {"Attempts", StateMember::kAttempts},
    {"BillableTimeInSeconds", StateMember::kBillableTimeInSeconds},
    {"CostSummary", StateMember::kCostSummary},
    {"CreationTime", StateMember::kCreationTime},
    {"FailureReason", StateMember::kFailureReason},
    {"LastModifiedTime", StateMember::kLastModifiedTime},
    {"ModelArtifacts", StateMember::kModelArtifacts},
    {"SecondaryStatus", StateMember::kSecondaryStatus},
    {"SecondaryStatusTransitions", StateMember::kSecondaryStatusTransitions},
    {"Tags", StateMember::kTags},
    {"TrainingEndTime", StateMember::kTrainingEndTime},
    {"TrainingJobArn", StateMember::kTrainingJobArn},
    {"TrainingJobName", StateMember::kTrainingJobName},
    {"TrainingJobStatus", StateMember::kTrainingJobStatus},
    {"TrainingStartTime", StateMember::kTrainingStartTime},
    {"TrainingTimeInSeconds", StateMember::kTrainingTimeInSeconds},
};
static_assert(std::ranges::is_sorted(kStateMembers, {}, &StateMemberKey::key));

// A CreateTrainingJob request has about twenty members SageMaker defines;
// a document with more than this takes the general path.
constexpr size_t kMaxRequestMembers = 64;

void WriteTransitions(JsonTextWriter& w, const std::vector<StatusTransition>& transitions) {
  w.BeginArray();
  for (const StatusTransition& t : transitions) {
    w.BeginObject();
    if (t.end_time) {
      w.Key("EndTime");
      w.Number(*t.end_time);
    }
    w.Key("StartTime");
    w.Number(t.start_time);
    w.Key("Status");
    w.String(ToString(t.status));
    w.Key("StatusMessage");
    w.String(t.message);
    w.EndObject();
  }
  w.EndArray();
}

void WriteAttempts(JsonTextWriter& w, const std::vector<Attempt>& attempts) {
  w.BeginArray();
  for (const Attempt& a : attempts) {
    w.BeginObject();
    w.Key("AttemptNumber");
    w.Integer(a.number);
    w.Key("BillableSeconds");
    w.Number(a.billable_seconds);
    w.Key("BilledSeconds");
    w.Number(a.billed_seconds);
    w.Key("Cost");
    w.Number(a.cost);
    if (a.end_time) {
      w.Key("EndTime");
      w.Number(*a.end_time);
    }
    w.Key("Market");
    w.String(ToString(a.market));
    if (!a.outcome.empty()) {
      w.Key("Outcome");
      w.String(a.outcome);
    }
    w.Key("ProgressAtEndSeconds");
    w.Number(a.progress_at_end);
    w.Key("ProgressAtStartSeconds");
    w.Number(a.progress_at_start);
    w.Key("StartTime");
    w.Number(a.start_time);
    w.EndObject();
  }
  w.EndArray();
}

void WriteCostSummary(JsonTextWriter& w, const CostSummary& c) {
  w.BeginObject();
  w.Key("ActualCost");
  w.Number(c.actual_cost);
  w.Key("Attempts");
  w.Integer(c.attempts);
  w.Key("InstanceCount");
  w.Integer(c.instance_count);
  w.Key("InstanceType");
  w.String(c.instance_type);
  w.Key("Interruptions");
  w.Integer(c.interruptions);
  w.Key("LostTrainingSeconds");
  w.Number(c.lost_training_seconds);
  w.Key("Market");
  w.String(ToString(c.market));
  w.Key("NetSavings");
  w.Number(c.net_savings);
  w.Key("NetSavingsPercent");
  w.Number(c.net_savings_percent);
  w.Key("OnDemandEquivalentCost");
  w.Number(c.on_demand_equivalent_cost);
  w.Key("OnDemandPricePerHour");
  w.Number(c.on_demand_price_per_hour);
  w.Key("SavingsPercent");
  w.Number(c.savings_percent);
  w.Key("WaitingSeconds");
  w.Number(c.waiting_seconds);
  w.EndObject();
}

}  // namespace

std::string DescribedJob::ToText() const {
  const TrainingJob& job = *job_;
  std::array<JsonMember, kMaxRequestMembers> request;
  size_t request_count = 0;
  if (!ReadDumpedObject(job.request_document, request, &request_count)) {
    // Not as Dump wrote it (hand-made, or from some other writer): only
    // the tree knows how it reads back.
    return Dump(ToJson());
  }
  std::optional<CostSummary> cost;
  if (pool_ != nullptr) cost = ComputeCostSummary(job, *pool_, upload_seconds_);

  // Whether the state sets the member (and so replaces the request's).
  // Tags always do: a job without tags hides the request's.
  auto sets = [&](StateMember member) {
    switch (member) {
      case StateMember::kBillableTimeInSeconds:
      case StateMember::kTrainingTimeInSeconds: return cost && !job.attempts.empty();
      case StateMember::kCostSummary: return cost.has_value();
      case StateMember::kFailureReason: return !job.failure_reason.empty();
      case StateMember::kTrainingEndTime: return job.training_end_time.has_value();
      case StateMember::kTrainingStartTime: return job.training_start_time.has_value();
      default: return true;
    }
  };

  std::string out;
  out.reserve(job.request_document.size() + 1024);
  JsonTextWriter w(out);
  auto write = [&](std::string_view key, StateMember member) {
    if (member == StateMember::kTags && job.spec.tags.empty()) return;
    w.Key(key);
    switch (member) {
      case StateMember::kAttempts: WriteAttempts(w, job.attempts); break;
      case StateMember::kBillableTimeInSeconds: w.Number(cost->billable_seconds); break;
      case StateMember::kCostSummary: WriteCostSummary(w, *cost); break;
      case StateMember::kCreationTime: w.Number(job.creation_time); break;
      case StateMember::kFailureReason: w.String(job.failure_reason); break;
      case StateMember::kLastModifiedTime: w.Number(job.last_modified_time); break;
      case StateMember::kModelArtifacts:
        w.BeginObject();
        w.Key("S3ModelArtifacts");
        w.String({ModelArtifactsBase(job), "/", job.spec.name, "/output/model.tar.gz"});
        w.EndObject();
        break;
      case StateMember::kSecondaryStatus: w.String(ToString(job.secondary_status)); break;
      case StateMember::kSecondaryStatusTransitions: WriteTransitions(w, job.transitions); break;
      case StateMember::kTags:
        w.BeginArray();
        for (const auto& [key, value] : job.spec.tags) {
          w.BeginObject();
          w.Key("Key");
          w.String(key);
          w.Key("Value");
          w.String(value);
          w.EndObject();
        }
        w.EndArray();
        break;
      case StateMember::kTrainingEndTime: w.Number(*job.training_end_time); break;
      case StateMember::kTrainingJobArn: w.String(job.arn); break;
      case StateMember::kTrainingJobName: w.String(job.spec.name); break;
      case StateMember::kTrainingJobStatus: w.String(ToString(job.status)); break;
      case StateMember::kTrainingStartTime: w.Number(*job.training_start_time); break;
      case StateMember::kTrainingTimeInSeconds: w.Number(cost->training_seconds); break;
    }
  };

  w.BeginObject();
  size_t r = 0;
  for (const auto& [key, member] : kStateMembers) {
    if (!sets(member)) continue;  // the request's member, if any, stays
    for (; r < request_count && request[r].key < key; ++r) {
      w.Key(request[r].key);
      w.Raw(request[r].value);
    }
    if (r < request_count && request[r].key == key) ++r;  // replaced
    write(key, member);
  }
  for (; r < request_count; ++r) {
    w.Key(request[r].key);
    w.Raw(request[r].value);
  }
  w.EndObject();
  return out;
}

void to_json(json& out, const DescribedJob& described) { out = described.ToJson(); }

DescribedJob DescribeTrainingJobJson(const TrainingJob& job, const InstancePool* pool,
                                     double upload_seconds) {
  return DescribedJob(job, pool, upload_seconds);
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
