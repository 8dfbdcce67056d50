#include "server/engine/engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "server/engine/engine_commands.h"

namespace trainyard {
namespace {

using engine_internal::Share;
using engine_internal::ShuttingDown;

// The server keeps every job's history.
SimulationOptions Recording(SimulationOptions options) {
  options.record_events = true;
  return options;
}

}  // namespace

Engine::Engine(JobStore& store, trainyard::Clock& clock, Catalogue catalogue,
               SimulationOptions options)
    : store_(store),
      clock_(clock),
      catalogue_(catalogue),
      sim_(std::move(catalogue), Recording(options), clock.Now()) {}

Engine::~Engine() { Shutdown(); }

Status Engine::Start() {
  auto unfinished = store_.LoadUnfinished();
  if (!unfinished.ok()) return unfinished.status();
  auto saved = store_.LoadVirtualTime();
  if (!saved.ok()) return saved.status();
  auto last_event = store_.LastEventId();
  if (!last_event.ok()) return last_event.status();
  next_event_id_ = *last_event + 1;
  const size_t count = unfinished->size();
  // The jobs were saved with every event up to the saved time run; the
  // simulation recomputes their futures from there, then catches up.
  const double restored_at = saved->value_or(clock_.Now());
  sim_.Restore(std::move(*unfinished), restored_at);
  saved_time_ = restored_at;
  spdlog::info("engine: {} unfinished job(s) restored at virtual time {:.3f}", count, restored_at);
  CatchUpWithClock();
  CommitBurst();

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
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  feed_.Close();  // followers still attached end their streams
  std::lock_guard lock(mu_);
  running_ = false;
}

size_t Engine::QueueDepth() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

bool Engine::Running() const {
  std::lock_guard lock(mu_);
  return running_ && !stopping_;
}

void Engine::Post(Command command, std::function<void()> unavailable) {
  {
    std::lock_guard lock(mu_);
    if (running_ && !stopping_) {
      queue_.push_back(std::move(command));
      wake_.notify_one();
      return;
    }
  }
  unavailable();
}

void Engine::Run() {
  std::deque<Command> burst;
  for (;;) {
    std::optional<double> next_event = sim_.NextEventTime();
    std::optional<double> wait_real;
    if (next_event) wait_real = clock_.RealSecondsUntil(*next_event);
    {
      std::unique_lock lock(mu_);
      auto ready = [this] { return stopping_ || !queue_.empty(); };
      if (!wait_real) {
        wake_.wait(lock, ready);
      } else if (*wait_real > 0) {
        wake_.wait_for(lock, std::chrono::duration<double>(*wait_real), ready);
      }
      if (queue_.empty() && stopping_) break;
      burst.swap(queue_);
    }
    RunBurst(burst);
  }
  // Whatever the clock has reached is written before the process goes.
  CatchUpWithClock();
  CommitBurst();
}

void Engine::RunBurst(std::deque<Command>& burst) {
  CatchUpWithClock();
  while (!burst.empty()) {
    Command command = std::move(burst.front());
    burst.pop_front();
    command();
  }
  CommitBurst();
}

void Engine::CatchUpWithClock() {
  // A manual clock moves only inside AdvanceClock, which advances the
  // simulation itself.
  if (!clock_.IsManual()) sim_.AdvanceTo(clock_.Now());
}

void Engine::CommitBurst() {
  std::vector<std::string> taken = sim_.TakeChanged();
  unsaved_.insert(taken.begin(), taken.end());
  // Numbered here, in the order they happened; kept with their numbers
  // until durable, so a failed commit retries the same ids.
  for (JobEvent& event : sim_.TakeEvents()) {
    event.id = next_event_id_++;
    unsaved_events_.push_back(std::move(event));
  }
  Status commit;
  const bool time_moved = sim_.Now() != saved_time_;
  // A real clock's time is saved with job changes only: saving it alone
  // would cost an fsync per wake-up for nothing a restart needs.
  if (!unsaved_.empty() || !detached_.empty() || !unsaved_events_.empty() ||
      (clock_.IsManual() && time_moved) || force_save_) {
    force_save_ = false;
    StoreBatch batch;
    batch.jobs.reserve(unsaved_.size() + detached_.size());
    // New jobs go in with their request documents, on copies: the
    // simulation's own stay without.
    std::deque<TrainingJob> inserted;
    for (const auto& name : unsaved_) {
      const TrainingJob* job = sim_.Find(name);
      auto document = new_documents_.find(name);
      if (job != nullptr && document != new_documents_.end()) {
        inserted.push_back(*job);
        inserted.back().request_document = document->second;
        job = &inserted.back();
      }
      batch.jobs.push_back(job);
    }
    for (const auto& [name, job] : detached_) batch.jobs.push_back(&job);
    batch.retagged = retagged_;
    batch.events = unsaved_events_;
    batch.virtual_time = sim_.Now();
    commit = store_.Save(batch);
    if (!commit.ok()) {
      // The engine's state stays ahead of the store; the same jobs are
      // written again with the next burst. Clients are told it failed.
      spdlog::error("engine: commit of {} job(s) and {} event(s) failed, will retry: {}",
                    unsaved_.size(), unsaved_events_.size(), commit.message());
    }
  }
  {
    std::lock_guard lock(stats_mu_);
    stats_.last_commit_error = commit.ok() ? "" : commit.message();
    stats_.pending_events = sim_.PendingEvents();
  }
  if (commit.ok()) {
    // Counted and published before any reply goes out, so a client told of
    // a change sees it in /metrics and on its event stream too.
    for (const auto& name : unsaved_) {
      const TrainingJob* job = sim_.Find(name);
      if (job != nullptr && IsTerminal(job->status)) CountFinished(*job);
    }
    if (!unsaved_events_.empty()) feed_.Publish(unsaved_events_);
    unsaved_events_.clear();
  }
  std::vector<Reply> replies;
  replies.swap(replies_);
  for (auto& reply : replies) reply(commit);
  if (!commit.ok()) return;
  saved_time_ = sim_.Now();
  retagged_.clear();
  detached_.clear();
  new_documents_.clear();
  // Finished jobs leave memory once durable; the store answers for them.
  for (const auto& name : unsaved_) sim_.Forget(name);
  unsaved_.clear();
}

void Engine::CountFinished(const TrainingJob& job) {
  std::lock_guard lock(stats_mu_);
  if (job.status == JobStatus::kCompleted) ++stats_.jobs_completed;
  if (job.status == JobStatus::kStopped) ++stats_.jobs_stopped;
  if (job.status == JobStatus::kFailed) ++stats_.jobs_failed;
  if (const InstancePool* pool = catalogue_.Find(job.spec.instance_type)) {
    CostSummary cost = ComputeCostSummary(job, *pool, sim_.options().upload_seconds);
    stats_.actual_cost += cost.actual_cost;
    stats_.on_demand_equivalent_cost += cost.on_demand_equivalent_cost;
    stats_.net_savings += cost.net_savings;
  }
}

Result<TrainingJob> Engine::CurrentJob(const std::string& name) {
  if (const TrainingJob* job = sim_.Find(name)) return *job;
  return store_.GetJob(name);
}

// --- JobService -------------------------------------------------------------

void Engine::CreateJob(TrainingJob job, JobDone done) {
  auto shared = Share(std::move(done));
  Post([this, job = std::move(job), shared]() mutable { ApplyCreate(std::move(job), *shared); },
       [shared] { (*shared)(ShuttingDown()); });
}

void Engine::StopJob(std::string name, JobDone done) {
  auto shared = Share(std::move(done));
  Post([this, name = std::move(name), shared] { ApplyStop(name, *shared); },
       [shared] { (*shared)(ShuttingDown()); });
}

Result<TrainingJob> Engine::DescribeJob(std::string_view name) { return store_.GetJob(name); }

void Engine::AddTags(std::string name, std::vector<std::pair<std::string, std::string>> tags,
                     JobDone done) {
  auto shared = Share(std::move(done));
  TagEdit edit = [tags = std::move(tags)](std::vector<std::pair<std::string, std::string>>& list) {
    auto merged = list;
    for (const auto& [key, value] : tags) {
      auto it = std::find_if(merged.begin(), merged.end(), [&](const auto& t) { return t.first == key; });
      if (it != merged.end()) it->second = value;
      else merged.emplace_back(key, value);
    }
    // SageMaker allows 50 tags per resource.
    if (merged.size() > 50) {
      return Status::Validation("A training job can have at most 50 tags; this would make " +
                                std::to_string(merged.size()));
    }
    list = std::move(merged);
    return Status::Ok();
  };
  Post([this, name = std::move(name), edit = std::move(edit), shared] { ApplyTagEdit(name, edit, *shared); },
       [shared] { (*shared)(ShuttingDown()); });
}

void Engine::DeleteTags(std::string name, std::vector<std::string> keys, JobDone done) {
  auto shared = Share(std::move(done));
  TagEdit edit = [keys = std::move(keys)](std::vector<std::pair<std::string, std::string>>& list) {
    std::erase_if(list, [&](const auto& t) {
      return std::find(keys.begin(), keys.end(), t.first) != keys.end();
    });
    return Status::Ok();
  };
  Post([this, name = std::move(name), edit = std::move(edit), shared] { ApplyTagEdit(name, edit, *shared); },
       [shared] { (*shared)(ShuttingDown()); });
}

void Engine::ApplyTagEdit(const std::string& name, TagEdit change, JobDone done) {
  if (const TrainingJob* held = sim_.Find(name)) {
    auto tags = held->spec.tags;
    if (Status s = change(tags); !s.ok()) return done(s);
    if (Status s = sim_.SetTags(name, std::move(tags)); !s.ok()) return done(s);
  } else {
    // Finished jobs live only in the store: edit a copy and write it back
    // with this burst.
    auto it = detached_.find(name);
    if (it == detached_.end()) {
      auto stored = store_.GetJob(name);
      if (!stored.ok()) return done(stored.status());
      it = detached_.emplace(name, std::move(*stored)).first;
    }
    if (Status s = change(it->second.spec.tags); !s.ok()) return done(s);
  }
  retagged_.insert(name);
  replies_.push_back([this, name, done = std::move(done)](const Status& commit) {
    if (!commit.ok()) return done(Status::Internal("Could not store the tags: " + commit.message()));
    auto detached = detached_.find(name);
    if (detached != detached_.end()) return done(detached->second);
    done(CurrentJob(name));
  });
}

Result<JobPage> Engine::ListJobs(const JobQuery& query) { return store_.ListJobs(query); }

// --- JobHistory -------------------------------------------------------------

Result<JobEventPage> Engine::ListEvents(std::string_view name, int64_t after_id, int limit) {
  return store_.ListEvents(name, after_id, limit);
}

std::shared_ptr<EventSubscription> Engine::FollowEvents(const std::string& name,
                                                        std::function<void()> wake) {
  return feed_.Subscribe(name, std::move(wake));
}

Result<std::map<JobStatus, int64_t>> Engine::CountJobsByStatus() {
  return store_.CountJobsByStatus();
}

void Engine::ApplyCreate(TrainingJob job, JobDone done) {
  const std::string name = job.spec.name;
  auto exists = store_.Exists(name);
  if (!exists.ok()) return done(exists.status());
  if (*exists) return done(Status::InUse("Training job '" + name + "' already exists"));
  // The simulation holds no request documents; this burst's go to the
  // store with their jobs.
  std::string document = std::move(job.request_document);
  // The simulation knows the jobs created in this burst, not yet stored.
  if (Status s = sim_.Submit(std::move(job)); !s.ok()) {
    if (s.code() == ErrorCode::kInUse) {
      return done(Status::InUse("Training job '" + name + "' already exists"));
    }
    return done(s);
  }
  new_documents_[name] = std::move(document);
  replies_.push_back([this, name, done = std::move(done)](const Status& commit) {
    if (!commit.ok()) return done(Status::Internal("Could not store the job: " + commit.message()));
    {
      std::lock_guard lock(stats_mu_);
      ++stats_.jobs_created;
    }
    done(CurrentJob(name));
  });
}

void Engine::ApplyStop(const std::string& name, JobDone done) {
  if (sim_.Find(name) == nullptr) {
    // Finished and forgotten, or unknown.
    auto stored = store_.GetJob(name);
    if (!stored.ok()) return done(stored.status());
    if (stored->status == JobStatus::kStopped) return done(std::move(stored));
    return done(Status::Validation("Training job '" + name + "' already ended " +
                                   std::string(ToString(stored->status)) +
                                   " and cannot be stopped"));
  }
  auto stopped = sim_.Stop(name);
  if (!stopped.ok()) return done(stopped.status());
  replies_.push_back([this, name, done = std::move(done)](const Status& commit) {
    if (!commit.ok()) return done(Status::Internal("Could not store the stop: " + commit.message()));
    done(CurrentJob(name));
  });
}

}  // namespace trainyard
