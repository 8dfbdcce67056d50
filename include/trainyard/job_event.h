// JobEvent: one entry of a job's history as GET .../events shows it: status
// transitions, placements, checkpoints, interruption notices, reclaims,
// retries, limit hits and spot fallbacks, each at its virtual time.
//
// The Simulation records them as they happen (SimulationOptions
// record_events); the Engine numbers them as it commits them with the job
// state that caused them, in the same transaction, so an id is never handed
// out for a change that was not stored, and ids increase over all jobs in
// the order things happened. Plain values: no HTTP, no SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trainyard/job.h"
#include "trainyard/status.h"

namespace trainyard {

enum class JobEventType {
  kStatusChange,        // a SecondaryStatusTransitions entry began
  kPlacement,           // an attempt got its instances (pool, market, count)
  kCheckpoint,          // the algorithm saved a checkpoint (progress_seconds)
  kInterruptionNotice,  // the 2-minute spot reclaim notice
  kReclaim,             // spot instances taken back; progress past the checkpoint is lost
  kRetry,               // an internal error, retried on a new attempt
  kLimitReached,        // MaxRuntimeInSeconds or MaxWaitTimeInSeconds
  kFallback,            // trainyard.spot_fallback moved the job to on-demand
};

std::string_view ToString(JobEventType t);
std::optional<JobEventType> ParseJobEventType(std::string_view s);

struct JobEvent {
  int64_t id = 0;  // 0 until the engine commits it; then > 0, increasing
  std::string job_name;
  double time = 0;  // virtual epoch seconds
  JobEventType type = JobEventType::kStatusChange;
  // The job's statuses once the event happened.
  JobStatus status = JobStatus::kInProgress;
  SecondaryStatus secondary_status = SecondaryStatus::kPending;
  int attempt = 0;  // the attempt it concerns; 0 before the first placement
  // Placements, notices and reclaims: where.
  std::optional<Market> market;
  std::string instance_type;
  int instance_count = 0;
  // Training seconds done: what a checkpoint saved, what a reclaim or a
  // failure had reached.
  std::optional<double> progress_seconds;
  std::string message;

  bool operator==(const JobEvent&) const = default;
};

// The job's last event: a status change into Completed, Failed or Stopped.
inline bool IsFinalEvent(const JobEvent& e) {
  return e.type == JobEventType::kStatusChange && IsTerminal(e.status);
}

// One page of a job's history, oldest first.
struct JobEventPage {
  std::vector<JobEvent> events;
  bool more = false;  // events after the last one exist
  // The job's status as of the same snapshot: a follower of a job that
  // ended before histories were kept knows from it that nothing will come.
  JobStatus job_status = JobStatus::kInProgress;
  // The id of the job's latest event in that snapshot, 0 when it has none.
  int64_t last_event_id = 0;
};

}  // namespace trainyard
