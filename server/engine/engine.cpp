#include "server/engine/engine.h"

#include <spdlog/spdlog.h>

namespace trainyard {

Engine::Engine(JobStore& store, Clock& clock) : store_(store), clock_(clock) {}

Engine::~Engine() { Shutdown(); }

Status Engine::Start() {
  auto unfinished = store_.LoadUnfinished();
  if (!unfinished.ok()) return unfinished.status();
  for (auto& job : *unfinished) {
    std::string name = job.spec.name;
    active_.emplace(std::move(name), std::move(job));
  }
  spdlog::info("engine: {} unfinished job(s) loaded", active_.size());
  std::lock_guard lock(mu_);
  running_ = true;
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void Engine::Shutdown() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    stopping_ = true;
    running_ = false;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

size_t Engine::QueueDepth() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void Engine::Post(Command command, std::function<void()> on_unavailable) {
  {
    std::lock_guard lock(mu_);
    if (running_ && !stopping_) {
      queue_.push_back(std::move(command));
      wake_.notify_one();
      return;
    }
  }
  on_unavailable();
}

void Engine::Run() {
  std::deque<Command> burst;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      burst.swap(queue_);
    }
    ApplyBurst(burst);
    CommitBurst();
  }
}

void Engine::ApplyBurst(std::deque<Command>& burst) {
  while (!burst.empty()) {
    Command command = std::move(burst.front());
    burst.pop_front();
    command();
  }
}

void Engine::CommitBurst() {
  Status commit;
  if (!dirty_.empty()) {
    StoreBatch batch;
    batch.jobs.reserve(dirty_.size());
    for (const auto& name : dirty_) batch.jobs.push_back(&active_.at(name));
    batch.virtual_time = clock_.Now();
    commit = store_.Save(batch);
    if (!commit.ok()) {
      spdlog::error("engine: commit of {} job(s) failed: {}", dirty_.size(), commit.message());
      // What was never stored must not linger in memory as if it had been.
      for (const auto& name : created_) active_.erase(name);
    }
  }
  // Finished jobs leave memory once durable; the store answers for them.
  for (const auto& name : dirty_) {
    auto it = active_.find(name);
    if (it != active_.end() && IsTerminal(it->second.status)) active_.erase(it);
  }
  dirty_.clear();
  created_.clear();
  std::vector<Reply> replies;
  replies.swap(replies_);
  for (auto& reply : replies) reply(commit);
}

void Engine::CreateJob(TrainingJob job, JobDone done) {
  auto shared_done = std::make_shared<JobDone>(std::move(done));
  Post([this, job = std::move(job), shared_done]() mutable {
         ApplyCreate(std::move(job), std::move(*shared_done));
       },
       [shared_done] { (*shared_done)(Status::Unavailable("trainyard is shutting down")); });
}

void Engine::StopJob(std::string name, JobDone done) {
  auto shared_done = std::make_shared<JobDone>(std::move(done));
  Post([this, name = std::move(name), shared_done] { ApplyStop(name, std::move(*shared_done)); },
       [shared_done] { (*shared_done)(Status::Unavailable("trainyard is shutting down")); });
}

Result<TrainingJob> Engine::DescribeJob(std::string_view name) { return store_.GetJob(name); }

Result<JobPage> Engine::ListJobs(const JobQuery& query) { return store_.ListJobs(query); }

void Engine::ApplyCreate(TrainingJob job, JobDone done) {
  const std::string name = job.spec.name;
  auto in_use = [&] {
    done(Status::InUse("Training job '" + name + "' already exists"));
  };
  if (active_.count(name) != 0) return in_use();
  auto exists = store_.Exists(name);
  if (!exists.ok()) return done(exists.status());
  if (*exists) return in_use();

  const double now = clock_.Now();
  job.creation_time = now;
  job.last_modified_time = now;
  job.status = JobStatus::kInProgress;
  job.transitions.clear();
  job.transitions.push_back(
      {SecondaryStatus::kPending, now, std::nullopt, "Waiting for capacity"});
  job.secondary_status = SecondaryStatus::kPending;

  TrainingJob snapshot = job;
  active_.emplace(name, std::move(job));
  dirty_.insert(name);
  created_.insert(name);
  replies_.push_back([snapshot = std::move(snapshot), done = std::move(done)](const Status& commit) {
    if (!commit.ok()) return done(Status::Internal("Could not store the job: " + commit.message()));
    done(snapshot);
  });
}

void Engine::ApplyStop(const std::string& name, JobDone done) {
  auto it = active_.find(name);
  if (it == active_.end()) {
    // Not active: either unknown or already finished.
    auto stored = store_.GetJob(name);
    if (!stored.ok()) return done(stored.status());
    if (stored->status == JobStatus::kStopped) return done(std::move(stored));
    return done(Status::Validation("Training job '" + name + "' already ended " +
                                   std::string(ToString(stored->status)) +
                                   " and cannot be stopped"));
  }
  TrainingJob& job = it->second;
  if (job.status == JobStatus::kInProgress) {
    // Without an engine placing jobs every job is still waiting, and a
    // waiting job stops at once.
    Transition(job, SecondaryStatus::kStopped, "Stopped by request while waiting for capacity");
    job.status = JobStatus::kStopped;
    dirty_.insert(name);
  }
  TrainingJob snapshot = job;
  replies_.push_back([snapshot = std::move(snapshot), done = std::move(done)](const Status& commit) {
    if (!commit.ok()) return done(Status::Internal("Could not store the stop: " + commit.message()));
    done(snapshot);
  });
}

void Engine::Transition(TrainingJob& job, SecondaryStatus status, std::string message) {
  const double now = clock_.Now();
  if (!job.transitions.empty() && !job.transitions.back().end_time) {
    job.transitions.back().end_time = now;
  }
  job.transitions.push_back({status, now, std::nullopt, std::move(message)});
  job.secondary_status = status;
  job.last_modified_time = now;
}

}  // namespace trainyard
