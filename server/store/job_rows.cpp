#include "server/store/job_rows.h"

// The jobs table. Its children and the meta table are in job_child_rows.cpp.

#include <array>

namespace trainyard::store {
namespace {

// The jobs columns in the order every statement here uses them. The enum is
// the column index in a SELECT and, plus one, the parameter index in the
// upsert; seq is bound after them all.
enum JobColumn : int {
  kName,
  kArn,
  kStatus,
  kSecondaryStatus,
  kCreationTime,
  kLastModifiedTime,
  kTrainingStartTime,
  kTrainingEndTime,
  kFailureReason,
  kRequestDocument,
  kInstanceType,
  kInstanceCount,
  kVolumeSizeGb,
  kInputMode,
  kManagedSpot,
  kMaxRuntimeSeconds,
  kMaxWaitSeconds,
  kCheckpointing,
  kMaxRetryAttempts,
  kS3OutputPath,
  kWorkSeconds,
  kCheckpointIntervalSeconds,
  kCheckpointOnNotice,
  kDatasetGb,
  kFailureProbability,
  kSpotFallbackOnDemand,
  kCheckpointedSeconds,
  kLostTrainingSeconds,
  kInterruptions,
  kRunOnDemandFallback,
  kRunPhaseStart,
  kRunPhaseProgress,
  kRunWaitingSince,
  kRunBilledUntil,
  kRunNoticeTime,
  kRunReclaimTime,
  kRunFailureProgress,
  kRunStopBilled,
  kRunStopOutcome,
  kJobColumnCount,
};

constexpr std::array<std::string_view, kJobColumnCount> kJobColumnNames = {
    "name",
    "arn",
    "status",
    "secondary_status",
    "creation_time",
    "last_modified_time",
    "training_start_time",
    "training_end_time",
    "failure_reason",
    "request_document",
    "instance_type",
    "instance_count",
    "volume_size_gb",
    "input_mode",
    "managed_spot",
    "max_runtime_seconds",
    "max_wait_seconds",
    "checkpointing",
    "max_retry_attempts",
    "s3_output_path",
    "work_seconds",
    "checkpoint_interval_seconds",
    "checkpoint_on_notice",
    "dataset_gb",
    "failure_probability",
    "spot_fallback_on_demand",
    "checkpointed_seconds",
    "lost_training_seconds",
    "interruptions",
    "run_on_demand_fallback",
    "run_phase_start",
    "run_phase_progress",
    "run_waiting_since",
    "run_billed_until",
    "run_notice_time",
    "run_reclaim_time",
    "run_failure_progress",
    "run_stop_billed",
    "run_stop_outcome",
};

constexpr std::array<JobStatus, 5> kAllJobStatuses = {
    JobStatus::kInProgress, JobStatus::kCompleted, JobStatus::kFailed,
    JobStatus::kStopping,   JobStatus::kStopped,
};

std::string JobColumnList(std::string_view prefix) {
  std::string list;
  for (std::string_view column : kJobColumnNames) {
    if (!list.empty()) list += ", ";
    list += prefix;
    list += column;
  }
  return list;
}

std::string BuildUpsertJobSql() {
  std::string placeholders;
  std::string updates;
  for (int i = 0; i < kJobColumnCount; ++i) {
    placeholders += "?" + std::to_string(i + 1) + ", ";
    // The name is the conflict target. The creation time is fixed at insert:
    // listings and their page cursors are ordered by it, and leaving it out
    // of the SET spares two index updates per save.
    // The request document, as accepted, never changes either: the engine
    // saves later states of a job without it.
    if (i == kName || i == kCreationTime || i == kRequestDocument) continue;
    if (!updates.empty()) updates += ", ";
    std::string column(kJobColumnNames[static_cast<size_t>(i)]);
    updates += column + " = excluded." + column;
  }
  placeholders += "?" + std::to_string(kJobColumnCount + 1);
  return "INSERT INTO jobs (" + JobColumnList("") + ", seq) VALUES (" + placeholders +
         ") ON CONFLICT (name) DO UPDATE SET " + updates + " RETURNING seq";
}

Status Corrupt(std::string_view job, std::string_view what, std::string_view value) {
  return Status::Internal("store: job '" + std::string(job) + "' has an unknown " +
                          std::string(what) + " '" + std::string(value) + "'");
}

}  // namespace

std::string UnfinishedStatusPlaceholders() {
  std::string params;
  int n = 0;
  for (JobStatus s : kAllJobStatuses) {
    if (IsTerminal(s)) continue;
    if (n > 0) params += ", ";
    params += "?" + std::to_string(++n);
  }
  return params;
}

std::string_view UpsertJobSql() {
  static const std::string sql = BuildUpsertJobSql();
  return sql;
}

std::string_view SelectJobByNameSql() {
  static const std::string sql = "SELECT " + JobColumnList("") + " FROM jobs WHERE name = ?1";
  return sql;
}

std::string_view SelectUnfinishedJobsSql() {
  // IN over the (status, seq) index, not NOT IN over a table scan: at start-up
  // most of a long-lived database is finished jobs.
  static const std::string sql = "SELECT " + JobColumnList("") +
                                 " FROM jobs WHERE status IN (" + UnfinishedStatusPlaceholders() +
                                 ") ORDER BY seq";
  return sql;
}

const std::string_view kJobExistsSql = "SELECT 1 FROM jobs WHERE name = ?1";
const std::string_view kMaxSeqSql = "SELECT MAX(seq) FROM jobs";

const std::string_view kSummaryColumns =
    "name, arn, status, secondary_status, creation_time, last_modified_time, "
    "training_end_time, seq";

void BindUnfinishedStatuses(Statement& stmt) {
  int n = 0;
  for (JobStatus s : kAllJobStatuses) {
    if (!IsTerminal(s)) stmt.BindText(++n, ToString(s));
  }
}

void BindJobRow(Statement& stmt, const TrainingJob& job, int64_t seq) {
  const JobSpec& spec = job.spec;
  const Workload& work = spec.workload;
  auto p = [](JobColumn c) { return static_cast<int>(c) + 1; };
  stmt.BindText(p(kName), spec.name);
  stmt.BindText(p(kArn), job.arn);
  stmt.BindText(p(kStatus), ToString(job.status));
  stmt.BindText(p(kSecondaryStatus), ToString(job.secondary_status));
  stmt.BindDouble(p(kCreationTime), job.creation_time);
  stmt.BindDouble(p(kLastModifiedTime), job.last_modified_time);
  stmt.BindOptionalDouble(p(kTrainingStartTime), job.training_start_time);
  stmt.BindOptionalDouble(p(kTrainingEndTime), job.training_end_time);
  stmt.BindText(p(kFailureReason), job.failure_reason);
  stmt.BindText(p(kRequestDocument), job.request_document);
  stmt.BindText(p(kInstanceType), spec.instance_type);
  stmt.BindInt64(p(kInstanceCount), spec.instance_count);
  stmt.BindInt64(p(kVolumeSizeGb), spec.volume_size_gb);
  stmt.BindText(p(kInputMode), ToString(spec.input_mode));
  stmt.BindBool(p(kManagedSpot), spec.managed_spot);
  stmt.BindInt64(p(kMaxRuntimeSeconds), spec.max_runtime_seconds);
  stmt.BindOptionalInt64(p(kMaxWaitSeconds), spec.max_wait_seconds);
  stmt.BindBool(p(kCheckpointing), spec.checkpointing);
  stmt.BindInt64(p(kMaxRetryAttempts), spec.max_retry_attempts);
  stmt.BindText(p(kS3OutputPath), spec.s3_output_path);
  stmt.BindDouble(p(kWorkSeconds), work.work_seconds);
  stmt.BindDouble(p(kCheckpointIntervalSeconds), work.checkpoint_interval_seconds);
  stmt.BindBool(p(kCheckpointOnNotice), work.checkpoint_on_notice);
  stmt.BindDouble(p(kDatasetGb), work.dataset_gb);
  stmt.BindDouble(p(kFailureProbability), work.failure_probability);
  stmt.BindBool(p(kSpotFallbackOnDemand), work.spot_fallback_on_demand);
  stmt.BindDouble(p(kCheckpointedSeconds), job.checkpointed_seconds);
  stmt.BindDouble(p(kLostTrainingSeconds), job.lost_training_seconds);
  stmt.BindInt64(p(kInterruptions), job.interruptions);
  const JobRunState& run = job.run;
  stmt.BindBool(p(kRunOnDemandFallback), run.on_demand_fallback);
  stmt.BindDouble(p(kRunPhaseStart), run.phase_start);
  stmt.BindDouble(p(kRunPhaseProgress), run.phase_progress);
  stmt.BindDouble(p(kRunWaitingSince), run.waiting_since);
  stmt.BindDouble(p(kRunBilledUntil), run.billed_until);
  stmt.BindOptionalDouble(p(kRunNoticeTime), run.notice_time);
  stmt.BindOptionalDouble(p(kRunReclaimTime), run.reclaim_time);
  stmt.BindOptionalDouble(p(kRunFailureProgress), run.failure_progress);
  stmt.BindBool(p(kRunStopBilled), run.stop_billed);
  stmt.BindText(p(kRunStopOutcome), ToString(run.stop_outcome));
  stmt.BindInt64(kJobColumnCount + 1, seq);
}

Result<TrainingJob> ReadJobRow(const Statement& stmt) {
  TrainingJob job;
  JobSpec& spec = job.spec;
  Workload& work = spec.workload;
  spec.name = stmt.ColumnText(kName);
  job.arn = stmt.ColumnText(kArn);

  std::string status = stmt.ColumnText(kStatus);
  std::optional<JobStatus> parsed_status = ParseJobStatus(status);
  if (!parsed_status) return Corrupt(spec.name, "status", status);
  job.status = *parsed_status;
  std::string secondary = stmt.ColumnText(kSecondaryStatus);
  std::optional<SecondaryStatus> parsed_secondary = ParseSecondaryStatus(secondary);
  if (!parsed_secondary) return Corrupt(spec.name, "secondary status", secondary);
  job.secondary_status = *parsed_secondary;

  job.creation_time = stmt.ColumnDouble(kCreationTime);
  job.last_modified_time = stmt.ColumnDouble(kLastModifiedTime);
  job.training_start_time = stmt.ColumnOptionalDouble(kTrainingStartTime);
  job.training_end_time = stmt.ColumnOptionalDouble(kTrainingEndTime);
  job.failure_reason = stmt.ColumnText(kFailureReason);
  job.request_document = stmt.ColumnText(kRequestDocument);

  spec.instance_type = stmt.ColumnText(kInstanceType);
  spec.instance_count = stmt.ColumnInt(kInstanceCount);
  spec.volume_size_gb = stmt.ColumnInt(kVolumeSizeGb);
  std::string mode = stmt.ColumnText(kInputMode);
  std::optional<TrainingInputMode> parsed_mode = ParseTrainingInputMode(mode);
  if (!parsed_mode) return Corrupt(spec.name, "input mode", mode);
  spec.input_mode = *parsed_mode;
  spec.managed_spot = stmt.ColumnBool(kManagedSpot);
  spec.max_runtime_seconds = stmt.ColumnInt64(kMaxRuntimeSeconds);
  spec.max_wait_seconds = stmt.ColumnOptionalInt64(kMaxWaitSeconds);
  spec.checkpointing = stmt.ColumnBool(kCheckpointing);
  spec.max_retry_attempts = stmt.ColumnInt(kMaxRetryAttempts);
  spec.s3_output_path = stmt.ColumnText(kS3OutputPath);
  work.work_seconds = stmt.ColumnDouble(kWorkSeconds);
  work.checkpoint_interval_seconds = stmt.ColumnDouble(kCheckpointIntervalSeconds);
  work.checkpoint_on_notice = stmt.ColumnBool(kCheckpointOnNotice);
  work.dataset_gb = stmt.ColumnDouble(kDatasetGb);
  work.failure_probability = stmt.ColumnDouble(kFailureProbability);
  work.spot_fallback_on_demand = stmt.ColumnBool(kSpotFallbackOnDemand);

  job.checkpointed_seconds = stmt.ColumnDouble(kCheckpointedSeconds);
  job.lost_training_seconds = stmt.ColumnDouble(kLostTrainingSeconds);
  job.interruptions = stmt.ColumnInt(kInterruptions);

  JobRunState& run = job.run;
  run.on_demand_fallback = stmt.ColumnBool(kRunOnDemandFallback);
  run.phase_start = stmt.ColumnDouble(kRunPhaseStart);
  run.phase_progress = stmt.ColumnDouble(kRunPhaseProgress);
  run.waiting_since = stmt.ColumnDouble(kRunWaitingSince);
  run.billed_until = stmt.ColumnDouble(kRunBilledUntil);
  run.notice_time = stmt.ColumnOptionalDouble(kRunNoticeTime);
  run.reclaim_time = stmt.ColumnOptionalDouble(kRunReclaimTime);
  run.failure_progress = stmt.ColumnOptionalDouble(kRunFailureProgress);
  run.stop_billed = stmt.ColumnBool(kRunStopBilled);
  std::string outcome = stmt.ColumnText(kRunStopOutcome);
  std::optional<SecondaryStatus> parsed_outcome = ParseSecondaryStatus(outcome);
  if (!parsed_outcome) return Corrupt(spec.name, "stop outcome", outcome);
  run.stop_outcome = *parsed_outcome;
  return job;
}

Status ReadSummaryRow(const Statement& stmt, JobSummary* summary, int64_t* seq) {
  summary->name = stmt.ColumnText(0);
  summary->arn = stmt.ColumnText(1);
  std::string status = stmt.ColumnText(2);
  std::optional<JobStatus> parsed_status = ParseJobStatus(status);
  if (!parsed_status) return Corrupt(summary->name, "status", status);
  summary->status = *parsed_status;
  std::string secondary = stmt.ColumnText(3);
  std::optional<SecondaryStatus> parsed_secondary = ParseSecondaryStatus(secondary);
  if (!parsed_secondary) return Corrupt(summary->name, "secondary status", secondary);
  summary->secondary_status = *parsed_secondary;
  summary->creation_time = stmt.ColumnDouble(4);
  summary->last_modified_time = stmt.ColumnDouble(5);
  summary->training_end_time = stmt.ColumnOptionalDouble(6);
  *seq = stmt.ColumnInt64(7);
  return Status::Ok();
}

}  // namespace trainyard::store
