// Engine: the single thread that owns every unfinished job and is the only
// code that mutates jobs (DESIGN.md section 2).
//
// Commands from any thread are queued; the engine thread takes everything
// queued at once, applies it, writes all resulting changes in one store
// transaction (group commit), and only then runs the commands' completions.
// So many creates arriving together cost one fsync, and no client is ever told
// of a state the store does not hold.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "trainyard/clock.h"
#include "trainyard/job_service.h"
#include "trainyard/job_store.h"

namespace trainyard {

class Engine final : public JobService {
 public:
  // REQUIRES: store and clock outlive the engine.
  Engine(JobStore& store, Clock& clock);
  ~Engine() override;  // Shutdown() if still running

  // Loads unfinished jobs from the store and starts the engine thread.
  Status Start();
  // Runs every queued command, commits, and joins the thread. Commands queued
  // afterwards complete with Unavailable. Idempotent.
  void Shutdown();

  void CreateJob(TrainingJob job, JobDone done) override;
  void StopJob(std::string name, JobDone done) override;
  Result<TrainingJob> DescribeJob(std::string_view name) override;
  Result<JobPage> ListJobs(const JobQuery& query) override;

  // Commands queued but not yet taken by the engine thread.
  size_t QueueDepth() const;

 private:
  // A command runs on the engine thread; what it changed is marked dirty and
  // its reply waits in `replies_` until the burst is committed.
  using Command = std::function<void()>;
  using Reply = std::function<void(const Status& commit)>;

  void Post(Command command, std::function<void()> on_unavailable);
  void Run();
  void ApplyBurst(std::deque<Command>& burst);
  void CommitBurst();

  void ApplyCreate(TrainingJob job, JobDone done);
  void ApplyStop(const std::string& name, JobDone done);
  void Transition(TrainingJob& job, SecondaryStatus status, std::string message);

  JobStore& store_;
  Clock& clock_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Command> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  bool running_ = false;       // guarded by mu_
  std::thread thread_;

  // Engine thread only.
  std::map<std::string, TrainingJob, std::less<>> active_;  // unfinished jobs
  std::set<std::string> dirty_;                             // names changed this burst
  std::set<std::string> created_;                           // names created this burst
  std::vector<Reply> replies_;
};

}  // namespace trainyard
