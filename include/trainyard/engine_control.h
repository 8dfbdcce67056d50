// EngineControl: the operator's levers on the engine (the /v1/admin routes)
// and its read-only views that live in engine memory (capacity, clock).
//
// Like JobService commands, each call is queued to the engine thread and its
// `done` runs there once the resulting changes are durable; `done` must be
// cheap and must not block.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "trainyard/capacity.h"
#include "trainyard/job.h"
#include "trainyard/status.h"

namespace trainyard {

struct ClockView {
  double now = 0;          // virtual epoch seconds
  bool manual = false;
  double time_scale = 1;   // virtual seconds per real second (real clock)
};

// Counters since this process started, and gauges now (for /metrics).
struct EngineStats {
  int64_t jobs_created = 0;
  int64_t jobs_completed = 0;
  int64_t jobs_stopped = 0;
  int64_t jobs_failed = 0;
  // Dollars over the jobs that finished in this process.
  double actual_cost = 0;
  double on_demand_equivalent_cost = 0;
  double net_savings = 0;
  size_t queue_depth = 0;     // commands waiting for the engine thread
  size_t pending_events = 0;  // simulated events scheduled
  size_t event_followers = 0;  // open job event streams
  double virtual_now = 0;
  bool running = false;
  std::string last_commit_error;  // empty when the last commit succeeded
};

class EngineControl {
 public:
  virtual ~EngineControl() = default;

  // Manual clock only (Conflict otherwise): runs every event due up to
  // now + seconds, in (time, sequence) order; `done` gets the new now.
  virtual void AdvanceClock(double seconds, std::function<void(Result<double>)> done) = 0;
  virtual ClockView Clock() const = 0;

  // Gives the 2-minute reclaim notice to `count` running spot instances of
  // the pool; `done` gets how many instances got one.
  virtual void InterruptSpot(std::string instance_type, int count,
                             std::function<void(Result<int>)> done) = 0;
  // Changes a pool's capacity or prices now; `done` gets the pool after.
  virtual void UpdatePool(std::string instance_type, PoolUpdate update,
                          std::function<void(Result<PoolStatus>)> done) = 0;
  // An internal error in the job's running attempt now (RetryStrategy tests).
  virtual void FailJob(std::string name, std::function<void(Result<TrainingJob>)> done) = 0;

  virtual void Capacity(std::function<void(std::vector<PoolStatus>)> done) = 0;

  // Readiness: a round trip through the engine thread that writes to the
  // store; OK proves both turn. Thread-safe.
  virtual void Ping(std::function<void(Status)> done) = 0;
  virtual EngineStats Stats() const = 0;
};

}  // namespace trainyard
