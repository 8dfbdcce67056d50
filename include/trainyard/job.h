// The training job as the domain sees it: what was asked for (JobSpec), where
// it is in its lifecycle (status, transitions), and what it cost (attempts).
//
// These are plain values. The engine owns the live copies and is the only
// code that mutates them; the store persists them; the api layer maps them to
// and from the wire. None of them knows HTTP or SQL.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trainyard {

// TrainingJobStatus, with SageMaker's names.
enum class JobStatus { kInProgress, kCompleted, kFailed, kStopping, kStopped };

// SecondaryStatus, with SageMaker's names (DESIGN.md section 4).
enum class SecondaryStatus {
  kPending,  // waiting for capacity
  kStarting,
  kDownloading,
  kTraining,
  kUploading,
  kInterrupted,
  kStopping,
  kStopped,
  kMaxRuntimeExceeded,
  kMaxWaitTimeExceeded,
  kCompleted,
  kFailed,
};

enum class TrainingInputMode { kFile, kPipe, kFastFile };

enum class Market { kOnDemand, kSpot };

std::string_view ToString(JobStatus s);
std::string_view ToString(SecondaryStatus s);
std::string_view ToString(TrainingInputMode m);
std::string_view ToString(Market m);
std::optional<JobStatus> ParseJobStatus(std::string_view s);
std::optional<SecondaryStatus> ParseSecondaryStatus(std::string_view s);
std::optional<TrainingInputMode> ParseTrainingInputMode(std::string_view s);
std::optional<Market> ParseMarket(std::string_view s);

// True for Completed, Failed and Stopped: nothing will change the job again.
bool IsTerminal(JobStatus s);

// The simulated workload, read from the `trainyard.*` hyperparameters
// (DESIGN.md section 4). Defaults are the documented ones.
struct Workload {
  double work_seconds = 3600;
  double checkpoint_interval_seconds = 600;
  bool checkpoint_on_notice = false;
  double dataset_gb = 0;
  double failure_probability = 0;
  bool spot_fallback_on_demand = false;

  bool operator==(const Workload&) const = default;
};

// What the engine needs from a validated CreateTrainingJob request.
struct JobSpec {
  std::string name;
  std::string instance_type;
  int instance_count = 1;
  int volume_size_gb = 1;
  TrainingInputMode input_mode = TrainingInputMode::kFile;
  bool managed_spot = false;
  int64_t max_runtime_seconds = 86400;
  std::optional<int64_t> max_wait_seconds;  // set iff managed_spot
  bool checkpointing = false;               // CheckpointConfig present
  int max_retry_attempts = 0;               // RetryStrategy.MaximumRetryAttempts, 0 if absent
  std::string s3_output_path;
  std::vector<std::pair<std::string, std::string>> tags;
  Workload workload;

  bool operator==(const JobSpec&) const = default;
};

// One SecondaryStatusTransitions entry. `end` is empty while it is current.
struct StatusTransition {
  SecondaryStatus status = SecondaryStatus::kPending;
  double start_time = 0;
  std::optional<double> end_time;
  std::string message;

  bool operator==(const StatusTransition&) const = default;
};

// One placement of the job on instances, from launch to release.
struct Attempt {
  int number = 1;  // 1-based
  Market market = Market::kOnDemand;
  double start_time = 0;
  std::optional<double> end_time;
  std::string outcome;              // empty while running; e.g. "Completed", "Interrupted"
  double progress_at_start = 0;     // training seconds already done when it began
  double progress_at_end = 0;       // training seconds done (saved or not) when it ended
  double billed_seconds = 0;        // instance up time x InstanceCount
  double billable_seconds = 0;      // billed_seconds weighted by price / on-demand price
  double cost = 0;                  // dollars

  bool operator==(const Attempt&) const = default;
};

// The engine's bookkeeping for where a job is inside its current phase and
// attempt. It lives in the job so that the store persists it with everything
// else: after a restart the engine recomputes every future event of the job
// from these values and the keyed random draws (DESIGN.md section 3), and gets
// the same future as if it had never stopped. Plain values only; the store
// keeps one column per field.
struct JobRunState {
  // A spot job that trainyard.spot_fallback moved to on-demand capacity. From
  // then on it waits and runs as an on-demand job.
  bool on_demand_fallback = false;
  // When the current phase (the open transition) began, and the training
  // progress (seconds of work done) at that moment. In Training, progress at
  // time t is phase_progress + (t - phase_start); in every other phase it is
  // phase_progress; while waiting it is where the next attempt resumes.
  double phase_start = 0;
  double phase_progress = 0;
  // When the current wait for capacity began (the starvation guard's clock).
  double waiting_since = 0;
  // The current attempt's billed and billable seconds are accrued up to here.
  double billed_until = 0;
  // Spot attempts: when the attempt's random interruption notice falls (drawn
  // at placement), and, once any notice has been given, when the instances
  // are reclaimed.
  std::optional<double> notice_time;
  std::optional<double> reclaim_time;
  // The training progress at which the current attempt fails with an
  // internal error (drawn at placement from trainyard.failure_probability).
  std::optional<double> failure_progress;
  // While Stopping: whether the instances are up (the grace is billed), and
  // the SecondaryStatus the job ends with (Stopped, MaxRuntimeExceeded or
  // MaxWaitTimeExceeded).
  bool stop_billed = false;
  SecondaryStatus stop_outcome = SecondaryStatus::kStopped;

  bool operator==(const JobRunState&) const = default;
};

struct TrainingJob {
  JobSpec spec;
  std::string arn;
  // The request as accepted, with defaults filled in, in the wire layer's
  // canonical encoding. The domain never looks inside: Describe echoes it.
  std::string request_document;

  JobStatus status = JobStatus::kInProgress;
  SecondaryStatus secondary_status = SecondaryStatus::kPending;
  double creation_time = 0;
  double last_modified_time = 0;
  std::optional<double> training_start_time;
  std::optional<double> training_end_time;
  std::string failure_reason;
  std::vector<StatusTransition> transitions;
  std::vector<Attempt> attempts;

  // Engine bookkeeping that must survive a restart.
  double checkpointed_seconds = 0;  // training progress saved in the last checkpoint
  double lost_training_seconds = 0;
  int interruptions = 0;
  JobRunState run;

  bool operator==(const TrainingJob&) const = default;
};

struct InstancePool;

// What a job cost and saved (DESIGN.md section 4, "Billing and savings").
// Every figure follows from the job's attempts, transitions and spec, and the
// pool's on-demand price: nothing here is stored separately.
struct CostSummary {
  Market market = Market::kOnDemand;  // of the last attempt; the requested one before any
  std::string instance_type;
  int instance_count = 1;
  double on_demand_price_per_hour = 0;
  // SageMaker's TrainingTimeInSeconds and BillableTimeInSeconds: instance up
  // time over all attempts, and the same weighted by spot / on-demand price;
  // neither multiplied by InstanceCount.
  double training_seconds = 0;
  double billable_seconds = 0;
  double actual_cost = 0;                // sum of the attempts' costs, dollars
  // The work the job delivered, done once, uninterrupted, on on-demand: all
  // of it when Completed; what a stop saved; nothing when Failed; the last
  // checkpoint while running. So work never done never counts as saved.
  double on_demand_equivalent_cost = 0;
  double savings_percent = 0;            // (1 - billable / training) x 100; 0 before any training
  double net_savings = 0;                // on-demand equivalent - actual; negative when spot lost
  double net_savings_percent = 0;        // net_savings / on-demand equivalent x 100
  int interruptions = 0;
  int attempts = 0;
  double lost_training_seconds = 0;      // training redone after interruptions and failed attempts
  double waiting_seconds = 0;            // time spent Pending, all waits together

  bool operator==(const CostSummary&) const = default;
};

// `upload_seconds` is the engine's model-upload time (SimulationOptions).
// An open Pending transition counts up to `now` when given, else up to the
// job's last_modified_time. Defined in server/engine/billing.cpp.
CostSummary ComputeCostSummary(const TrainingJob& job, const InstancePool& pool,
                               double upload_seconds = 60,
                               std::optional<double> now = std::nullopt);

// One row of ListTrainingJobs.
struct JobSummary {
  std::string name;
  std::string arn;
  JobStatus status = JobStatus::kInProgress;
  SecondaryStatus secondary_status = SecondaryStatus::kPending;
  double creation_time = 0;
  double last_modified_time = 0;
  std::optional<double> training_end_time;
};

}  // namespace trainyard
