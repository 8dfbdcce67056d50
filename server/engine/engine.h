// Engine: the single thread that owns every unfinished job and is the only
// code that mutates jobs (DESIGN.md section 2). It drives the Simulation (the
// pure domain core) with the clock and with clients' commands.
//
// Commands from any thread are queued; the engine thread takes everything
// queued at once, brings the simulation up to the clock, applies the
// commands, writes all resulting changes in one store transaction (group
// commit), and only then runs the commands' completions. So many creates
// arriving together cost one fsync, and no client is ever told of a state the
// store does not hold. With a real clock the thread also wakes for the next
// simulated event; with a manual clock time moves only by AdvanceClock.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "server/engine/simulation.h"
#include "trainyard/clock.h"
#include "trainyard/engine_control.h"
#include "trainyard/event_feed.h"
#include "trainyard/job_history.h"
#include "trainyard/job_service.h"
#include "trainyard/job_store.h"

namespace trainyard {

class Engine final : public JobService, public EngineControl, public JobHistory {
 public:
  // REQUIRES: store and clock outlive the engine.
  Engine(JobStore& store, trainyard::Clock& clock, Catalogue catalogue, SimulationOptions options);
  ~Engine() override;  // Shutdown() if still running

  // Loads unfinished jobs, recomputes their futures, catches up with the
  // clock, and starts the engine thread.
  Status Start();
  // Runs every queued command, commits, and joins the thread. Commands queued
  // afterwards complete with Unavailable. Idempotent.
  void Shutdown();

  // JobService
  void CreateJob(TrainingJob job, JobDone done) override;
  void StopJob(std::string name, JobDone done) override;
  void AddTags(std::string name, std::vector<std::pair<std::string, std::string>> tags,
               JobDone done) override;
  void DeleteTags(std::string name, std::vector<std::string> keys, JobDone done) override;
  Result<TrainingJob> DescribeJob(std::string_view name) override;
  Result<JobPage> ListJobs(const JobQuery& query) override;
  Result<std::map<JobStatus, int64_t>> CountJobsByStatus() override;

  // JobHistory: events are published to followers once durable.
  Result<JobEventPage> ListEvents(std::string_view name, int64_t after_id, int limit) override;
  std::shared_ptr<EventSubscription> FollowEvents(const std::string& name,
                                                  std::function<void()> wake) override;
  size_t Followers() const { return feed_.Followers(); }

  // EngineControl
  void AdvanceClock(double seconds, std::function<void(Result<double>)> done) override;
  ClockView Clock() const override;
  void InterruptSpot(std::string instance_type, int count,
                     std::function<void(Result<int>)> done) override;
  void UpdatePool(std::string instance_type, PoolUpdate update,
                  std::function<void(Result<PoolStatus>)> done) override;
  void FailJob(std::string name, JobDone done) override;
  void Capacity(std::function<void(std::vector<PoolStatus>)> done) override;
  void Ping(std::function<void(Status)> done) override;
  EngineStats Stats() const override;

  // Commands queued but not yet taken by the engine thread. Thread-safe.
  size_t QueueDepth() const;
  // True while the engine thread runs. Thread-safe.
  bool Running() const;

 private:
  using Command = std::function<void()>;
  // Runs after the burst's commit with its outcome.
  using Reply = std::function<void(const Status& commit)>;

  // Queues `command`, or runs `unavailable` at once when shutting down.
  void Post(Command command, std::function<void()> unavailable);
  void Run();
  void RunBurst(std::deque<Command>& burst);
  void CatchUpWithClock();
  void CommitBurst();
  // The job as the simulation or, once forgotten, the store has it.
  Result<TrainingJob> CurrentJob(const std::string& name);

  // Counts a job that has just become durable in a terminal state.
  void CountFinished(const TrainingJob& job);
  void ApplyCreate(TrainingJob job, JobDone done);
  void ApplyStop(const std::string& name, JobDone done);
  // Changes a job's tags, held or finished; `change` edits the list.
  using TagEdit = std::function<Status(std::vector<std::pair<std::string, std::string>>&)>;
  void ApplyTagEdit(const std::string& name, TagEdit change, JobDone done);

  JobStore& store_;
  trainyard::Clock& clock_;
  const Catalogue catalogue_;  // as started: prices for cost summaries
  Simulation sim_;  // engine thread only (and Start, before the thread)

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Command> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  bool running_ = false;       // guarded by mu_
  std::thread thread_;

  // Engine thread only.
  std::vector<Reply> replies_;
  std::set<std::string> unsaved_;  // changed jobs not yet durable
  std::set<std::string> retagged_;  // of those, jobs whose tags changed
  // Request documents of the jobs created since the last commit.
  std::map<std::string, std::string> new_documents_;
  // Finished jobs changed this burst (tags); the simulation no longer holds them.
  std::map<std::string, TrainingJob> detached_;
  double saved_time_ = 0;  // the virtual time last written to the store
  bool force_save_ = false;  // a Ping wants a write even with nothing changed
  int64_t next_event_id_ = 1;
  std::vector<JobEvent> unsaved_events_;  // numbered, not yet durable

  EventFeed feed_;  // thread-safe

  mutable std::mutex stats_mu_;
  EngineStats stats_;  // guarded by stats_mu_ (counters and last commit only)
};

}  // namespace trainyard
