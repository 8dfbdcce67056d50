// Simulation: the pure domain core of the engine. It owns every unfinished
// job's state and moves it through its lifecycle (DESIGN.md section 4) on
// simulated spot and on-demand capacity: placement, phases, checkpoints,
// interruptions, retries, time limits, billing. It knows no thread, clock,
// socket or database: the Engine thread tells it what time it is (AdvanceTo)
// and what clients asked for, then persists what TakeChanged reports.
//
// Time is virtual epoch seconds. Events are ordered by (time, sequence), the
// sequence at one instant being the market, then jobs in creation order
// (event_queue.h). Every random draw is keyed by (seed, purpose, job or pool,
// attempt or tick). So identical inputs give identical jobs, byte for byte,
// and a restarted Simulation (Restore) computes the same future as one that
// never stopped.
//
// The rules where DESIGN.md leaves a choice:
// - Submit stamps the job: creation_time = Now(), InProgress, one Pending
//   transition, a fresh JobRunState. It may start at once (Pending ->
//   Starting at Now()).
// - TrainingStartTime is the first time instances are up (the first
//   Downloading or Training), since that is when billing starts, as on
//   SageMaker. TrainingEndTime is set when a job that started ends, whatever
//   the ending. Terminal transitions have end_time == start_time.
// - Stopping (a StopTrainingJob, or MaxRuntime or MaxWait reached while
//   instances are held) lasts stop_grace_seconds; the grace is billed when
//   the instances were up (Downloading, Training, Uploading), and the
//   algorithm checkpoints at its start when checkpointing is on. A job
//   waiting for capacity (no instances) stops at once: Stopped, or
//   MaxWaitTimeExceeded, with no Stopping. A spot reclaim that falls inside
//   the grace ends the Stopping early.
// - MaxRuntimeInSeconds counts up time (Downloading, Training, Uploading)
//   over all attempts. MaxWaitTimeInSeconds counts from creation, waiting
//   and running alike, for spot jobs that have not fallen back.
// - A spot fallback (trainyard.spot_fallback = on-demand) happens at
//   D = creation + MaxWait - (launch + download + remaining work + upload)
//   if the job is still waiting for spot then; from then on it is an
//   on-demand job and MaxWait no longer applies (on-demand capacity is not
//   reclaimed, and stopping a job that is on schedule would waste it). D is
//   recomputed from the resume point after every interruption; if D has
//   passed when the job starts waiting, it falls back at once.
// - A notice keeps the instances until the reclaim notice_seconds later; the
//   job keeps training meanwhile. The Interrupted transition is zero-length
//   and followed by Pending at the reclaim. Interrupt() and random
//   interruptions do not take capacity away (reclaimed instances go back to
//   the pool); a market tick or UpdatePool that shrinks spot capacity does.
// - A retry after an internal error keeps its instances: the job goes
//   straight back to Starting on a new attempt, on the same market.
//   LostTrainingSeconds counts training redone after interruptions and
//   after failed attempts that were retried.
// - Spot attempts draw their interruption time at placement from the pool's
//   interruption rate then; a later rate change applies to later attempts.
//
// Threading: not thread-safe. One thread (the engine's) calls everything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/engine/event_queue.h"
#include "server/engine/market.h"
#include "server/engine/random.h"
#include "trainyard/catalogue.h"
#include "trainyard/job.h"
#include "trainyard/job_event.h"
#include "trainyard/status.h"

namespace trainyard {

struct SimulationOptions {
  uint64_t seed = 1;
  double upload_seconds = 60;      // Uploading: model artifacts to S3
  double stop_grace_seconds = 120; // Stopping: SIGTERM to exit
  double notice_seconds = 120;     // spot reclaim notice
  double market_tick_seconds = 3600;
  bool market_moves = true;        // false: capacity and prices stay at the catalogue's
  double starvation_guard_seconds = 600;  // see scheduler.h
  // Keep a JobEvent for everything that happens (TakeEvents). The server
  // does; `trainyard simulate` needs only the jobs and skips the cost.
  bool record_events = false;
};

class Simulation {
 public:
  Simulation(Catalogue catalogue, SimulationOptions options, double now);

  // After a restart: adopts the unfinished jobs as the store saved them at
  // virtual time `now` and recomputes every future event from their state,
  // so the future is the one the first process would have had.
  // A job whose instance type has left the catalogue ends Failed
  // (CapacityError) and is reported by TakeChanged.
  // REQUIRES: called before any other method; every event up to `now` had
  // run when the jobs were saved; the same options as before, and the
  // catalogue the last process ended with (its CurrentCatalogue()).
  void Restore(std::vector<TrainingJob> unfinished, double now);

  // A new job; see the class comment for what is stamped. The job's
  // request_document is dropped (the store keeps it). InUse when the name
  // is known here; Validation when the name is empty, the instance type is not
  // in the catalogue, or the instance count is below 1.
  Status Submit(TrainingJob job);
  // StopTrainingJob: returns the job after the change. Stopping or Stopped:
  // no change. Completed or Failed: Validation. Unknown here: NotFound.
  Result<TrainingJob> Stop(std::string_view name);
  // An internal error in the running attempt now, as failure_probability
  // would cause. Validation when the job has no running attempt.
  Status FailAttempt(std::string_view name);
  // Gives the 2-minute notice to running spot jobs of the pool, latest placed
  // first, until `count` instances are covered (a job's whole gang goes).
  // Returns how many instances got a notice.
  Result<int> Interrupt(std::string_view instance_type, int count);
  // Changes a pool's figures now (see market.h). Shrinking spot capacity
  // below what is in use reclaims instances, as a market tick does.
  Status UpdatePool(std::string_view instance_type, const PoolUpdate& update);

  // Replaces an unfinished job's tags (AddTags, DeleteTags). NotFound when
  // the job is not held here. Tags do not change LastModifiedTime, as on
  // SageMaker.
  Status SetTags(std::string_view name, std::vector<std::pair<std::string, std::string>> tags);

  // Runs every event with time <= t in (time, sequence) order; Now() becomes t.
  // A t in the past changes nothing.
  void AdvanceTo(double t);
  std::optional<double> NextEventTime() const;
  double Now() const { return now_; }

  // Unfinished jobs and jobs finished since the last Forget of them.
  const TrainingJob* Find(std::string_view name) const;
  // Names of the jobs changed since the last call, each once, in creation
  // order (creation time, then name).
  std::vector<std::string> TakeChanged();
  // Drops a finished job (the caller has persisted it). Unfinished: no-op.
  void Forget(std::string_view name);
  // What happened since the last call, in the order it happened; ids are 0
  // (the caller numbers them). Empty unless options.record_events.
  std::vector<JobEvent> TakeEvents();

  std::vector<PoolStatus> Pools() const;
  // The catalogue with UpdatePool's changes, for the next process to start from.
  Catalogue CurrentCatalogue() const { return market_.CurrentCatalogue(); }
  const SimulationOptions& options() const { return options_; }
  size_t WaitingJobs() const;
  size_t PendingEvents() const { return events_.size(); }

 private:
  // What a job waits for next. At one instant, kinds run in this order.
  enum class WakeKind {
    kPhaseEnd,
    kCheckpoint,
    kFailure,
    kReclaim,
    kRuntimeLimit,
    kMaxWait,
    kNotice,
    kFallback,
  };
  struct Wakeup {
    double time = 0;
    WakeKind kind = WakeKind::kPhaseEnd;
    double progress = 0;  // kCheckpoint, kFailure: the training progress it happens at
  };

  // A job held here, with its slot (see event_queue.h) and the flags that
  // say it is listed in changed_ or touched_. Every TrainingJob the
  // Simulation's functions get is one of these, so Held() may downcast.
  struct HeldJob : TrainingJob {
    explicit HeldJob(TrainingJob job) : TrainingJob(std::move(job)) {}
    uint32_t slot = 0;
    bool changed = false;
    bool touched = false;
    // NextWakeup as of the last Reschedule: the job's queue entry is for it.
    std::optional<Wakeup> next;
  };
  static HeldJob& Held(TrainingJob& job) { return static_cast<HeldJob&>(job); }
  // Adds the job, or replaces the held one of the same name, keeping its slot.
  HeldJob& Hold(TrainingJob job);

  // simulation.cpp: the event loop.
  void Settle();
  void Dispatch(const EventKey& event);
  void RunMarketTick();
  bool StartWaitingJobs();
  void Touch(TrainingJob& job);
  void RescheduleTouched();
  void Reschedule(TrainingJob& job);
  std::vector<TrainingJob*> SpotVictims(const PoolState& pool);
  void ReclaimShrunkCapacity(PoolState& pool);
  HeldJob* FindMutable(std::string_view name);

  // wakeup.cpp: a job's next event, a pure function of its stored state.
  std::optional<Wakeup> NextWakeup(const TrainingJob& job) const;
  void HandleWakeup(TrainingJob& job, const Wakeup& wakeup);
  double FallbackTime(const TrainingJob& job) const;

  // lifecycle.cpp: phase transitions. Each marks the job touched.
  void WaitFor(TrainingJob& job, std::string message);
  void Place(TrainingJob& job);
  void BeginAttempt(TrainingJob& job, Market market, double resume);
  void EnterPhase(TrainingJob& job, SecondaryStatus status, double progress,
                  std::string message);
  void EndPhase(TrainingJob& job);
  void BeginTraining(TrainingJob& job);
  void Complete(TrainingJob& job);
  void GiveNotice(TrainingJob& job);
  void Reclaim(TrainingJob& job);
  void BeginStop(TrainingJob& job, SecondaryStatus outcome, std::string message);
  void FinishStop(TrainingJob& job);
  void StopWaiting(TrainingJob& job, SecondaryStatus outcome, std::string message);
  void Fail(TrainingJob& job, double progress);
  void FallBack(TrainingJob& job);
  void EndAttempt(TrainingJob& job, std::string_view outcome, double progress);
  void Finish(TrainingJob& job, JobStatus status, SecondaryStatus secondary,
              std::string message);
  void AddTransition(TrainingJob& job, SecondaryStatus status, std::string message);
  // Appends a JobEvent of the job's state now. Callers test
  // options_.record_events first, so that no message is built for nothing.
  void Record(const TrainingJob& job, JobEventType type, std::string message,
              std::optional<double> progress = std::nullopt);
  // Raises the job's checkpoint to `progress`, recording it when it moved.
  void SaveCheckpoint(TrainingJob& job, double progress, std::string_view why);
  void Accrue(TrainingJob& job);
  double Progress(const TrainingJob& job) const;
  double ResumePoint(const TrainingJob& job) const;
  PoolState& PoolOf(const TrainingJob& job);
  const PoolState& PoolOf(const TrainingJob& job) const;

  Catalogue catalogue_;
  SimulationOptions options_;
  KeyedRandom random_;
  CapacityMarket market_;
  EventQueue events_;
  double now_;
  int64_t next_tick_ = 0;  // index of the next market tick
  std::map<std::string, HeldJob, std::less<>> jobs_;  // nodes stay put: slots_ points in
  std::vector<HeldJob*> slots_;       // slot -> job; null while free
  std::vector<uint32_t> free_slots_;
  // Slots of jobs changed since TakeChanged, and touched since the last
  // reschedule. An entry counts only while its job's flag is set, so a slot
  // listed twice, or freed and reused, is harmless.
  std::vector<uint32_t> changed_;
  std::vector<uint32_t> touched_;
  std::vector<JobEvent> recorded_;  // since TakeEvents
};

}  // namespace trainyard
