// The Simulation's public commands and its event loop.
#include "server/engine/simulation.h"

#include <algorithm>
#include <utility>

#include "server/engine/job_state.h"
#include "server/engine/scheduler.h"

namespace trainyard {
namespace {

double TickSeconds(const SimulationOptions& options) {
  return options.market_moves ? options.market_tick_seconds : 0;
}

}  // namespace

Simulation::Simulation(Catalogue catalogue, SimulationOptions options, double now)
    : catalogue_(std::move(catalogue)),
      options_(options),
      random_(options.seed),
      market_(catalogue_, random_, TickSeconds(options), now),
      now_(now) {
  if (market_.moves()) {
    next_tick_ = market_.TickIndexAt(now) + 1;
    events_.Schedule(EventTarget::Market(), market_.TickTime(next_tick_));
  }
}

void Simulation::Restore(std::vector<TrainingJob> unfinished, double now) {
  // The market at `now` is a function of the time alone: rebuild it there.
  now_ = now;
  market_ = CapacityMarket(catalogue_, random_, TickSeconds(options_), now);
  events_ = EventQueue();
  if (market_.moves()) {
    next_tick_ = market_.TickIndexAt(now) + 1;
    events_.Schedule(EventTarget::Market(), market_.TickTime(next_tick_));
  }
  std::vector<std::string> orphans;
  for (auto& job : unfinished) {
    if (IsTerminal(job.status)) continue;
    std::string().swap(job.request_document);  // as Submit: the store keeps it
    if (market_.Find(job.spec.instance_type) == nullptr) {
      orphans.push_back(job.spec.name);
      Hold(std::move(job));
      continue;
    }
    PoolState& pool = PoolOf(job);
    if (IsRunning(job)) {
      pool.Take(job.attempts.back().market, job.spec.instance_count);
    } else {
      pool.Waiting(QueueMarket(job)).insert({job.creation_time, job.spec.name});
    }
    Hold(std::move(job));
  }
  // A pool that left the catalogue took its jobs' capacity with it.
  for (const auto& name : orphans) {
    TrainingJob& job = jobs_.at(name);
    if (IsRunning(job)) EndAttempt(job, "Failed", job.run.phase_progress);
    job.failure_reason = "CapacityError: InstanceType '" + job.spec.instance_type +
                         "' is no longer in the capacity catalogue";
    Finish(job, JobStatus::kFailed, SecondaryStatus::kFailed, job.failure_reason);
  }
  // Every job is rescheduled below: what the orphans touched is covered.
  for (auto& [name, job] : jobs_) job.touched = false;
  touched_.clear();
  for (auto& [name, job] : jobs_) Reschedule(job);
  Settle();
}

Status Simulation::SetTags(std::string_view name,
                           std::vector<std::pair<std::string, std::string>> tags) {
  HeldJob* job = FindMutable(name);
  if (job == nullptr) return Status::NotFound("Could not find training job '" + std::string(name) + "'");
  job->spec.tags = std::move(tags);
  if (!job->changed) {
    job->changed = true;
    changed_.push_back(job->slot);
  }
  return Status::Ok();
}

Status Simulation::Submit(TrainingJob job) {
  const std::string name = job.spec.name;
  if (name.empty()) return Status::Validation("TrainingJobName must not be empty");
  if (jobs_.count(name) != 0) return Status::InUse("Training job '" + name + "' already exists");
  if (market_.Find(job.spec.instance_type) == nullptr) {
    return Status::Validation("InstanceType '" + job.spec.instance_type +
                              "' is not in the capacity catalogue");
  }
  if (job.spec.instance_count < 1) return Status::Validation("InstanceCount must be at least 1");

  // Only Describe reads the request document, from the store: holding it
  // here would more than double the memory of every waiting job.
  std::string().swap(job.request_document);
  job.creation_time = now_;
  job.last_modified_time = now_;
  job.status = JobStatus::kInProgress;
  job.training_start_time.reset();
  job.training_end_time.reset();
  job.failure_reason.clear();
  job.transitions.clear();
  job.attempts.clear();
  job.checkpointed_seconds = 0;
  job.lost_training_seconds = 0;
  job.interruptions = 0;
  job.run = JobRunState{};
  TrainingJob& stored = Hold(std::move(job));
  WaitFor(stored, "Waiting for " + DescribeInstances(stored, QueueMarket(stored)));
  RescheduleTouched();
  Settle();
  return Status::Ok();
}

Result<TrainingJob> Simulation::Stop(std::string_view name) {
  TrainingJob* job = FindMutable(name);
  if (job == nullptr) {
    return Status::NotFound("Training job '" + std::string(name) + "' does not exist");
  }
  switch (job->status) {
    case JobStatus::kCompleted:
    case JobStatus::kFailed:
      return Status::Validation("Training job '" + std::string(name) + "' has status " +
                                std::string(ToString(job->status)) + " and cannot be stopped");
    case JobStatus::kStopping:
    case JobStatus::kStopped:
      return *job;
    case JobStatus::kInProgress:
      break;
  }
  if (IsWaiting(*job)) {
    StopWaiting(*job, SecondaryStatus::kStopped, "Stopped on request while waiting for capacity");
  } else {
    BeginStop(*job, SecondaryStatus::kStopped,
              "Stopping on request: the algorithm has " +
                  FormatQuantity(options_.stop_grace_seconds) + " s to save its work");
  }
  RescheduleTouched();
  Settle();
  return *job;
}

Status Simulation::FailAttempt(std::string_view name) {
  TrainingJob* job = FindMutable(name);
  if (job == nullptr) {
    return Status::NotFound("Training job '" + std::string(name) + "' does not exist");
  }
  if (!IsActiveAttempt(*job)) {
    return Status::Validation("Training job '" + std::string(name) +
                              "' has no running attempt to fail (SecondaryStatus " +
                              std::string(ToString(job->secondary_status)) + ")");
  }
  Fail(*job, Progress(*job));
  RescheduleTouched();
  Settle();
  return Status::Ok();
}

Result<int> Simulation::Interrupt(std::string_view instance_type, int count) {
  PoolState* pool = market_.Find(instance_type);
  if (pool == nullptr) {
    return Status::NotFound("No capacity pool for instance type '" + std::string(instance_type) +
                            "'");
  }
  if (count < 1) return Status::Validation("Count must be at least 1");
  int covered = 0;
  for (TrainingJob* job : SpotVictims(*pool)) {
    if (covered >= count) break;
    GiveNotice(*job);
    covered += job->spec.instance_count;
  }
  RescheduleTouched();
  Settle();
  return covered;
}

Status Simulation::UpdatePool(std::string_view instance_type, const PoolUpdate& update) {
  PoolState* pool = market_.Find(instance_type);
  if (pool == nullptr) {
    return Status::NotFound("No capacity pool for instance type '" + std::string(instance_type) +
                            "'");
  }
  if (Status s = CapacityMarket::CheckUpdate(update); !s.ok()) return s;
  if (update.on_demand_price_per_hour || update.spot_price_ratio) {
    // Price what ran so far at the old prices.
    for (auto& [name, job] : jobs_) {
      if (InstancesUp(job) && job.spec.instance_type == instance_type) Accrue(job);
    }
  }
  market_.Apply(*pool, update, now_);
  if (update.spot_capacity) ReclaimShrunkCapacity(*pool);
  RescheduleTouched();
  Settle();
  return Status::Ok();
}

void Simulation::AdvanceTo(double t) {
  for (auto next = events_.Next(); next && next->time <= t; next = events_.Next()) {
    now_ = std::max(now_, next->time);
    Settle();
  }
  now_ = std::max(now_, t);
}

std::optional<double> Simulation::NextEventTime() const {
  auto next = events_.Next();
  if (!next) return std::nullopt;
  return next->time;
}

std::vector<PoolStatus> Simulation::Pools() const {
  std::vector<PoolStatus> pools;
  for (const auto& pool : market_.pools()) pools.push_back(CapacityMarket::StatusOf(pool));
  return pools;
}

size_t Simulation::WaitingJobs() const {
  size_t n = 0;
  for (const auto& pool : market_.pools()) {
    n += pool.on_demand_waiting.size() + pool.spot_waiting.size();
  }
  return n;
}

// Runs every event due now, then starts what fits; a start can make more
// events due now (a zero-length phase), so until nothing changes. Starting
// jobs only after all of an instant's events means capacity freed at one
// instant is offered to the queues at once, in queue order.
void Simulation::Settle() {
  for (;;) {
    // Dispatch reschedules or cancels the entry it is given.
    while (auto event = events_.PeekDue(now_)) Dispatch(*event);
    if (!StartWaitingJobs()) return;
  }
}

void Simulation::Dispatch(const EventKey& event) {
  if (event.target.is_market()) {
    RunMarketTick();  // schedules the next tick
  } else if (HeldJob* held = event.target.slot < slots_.size() ? slots_[event.target.slot] : nullptr;
             held == nullptr) {
    events_.Cancel(event.target);  // cannot happen: Forget cancels first
  } else {
    // Every change to a job reschedules it, so the wakeup its entry was
    // made for is still the one NextWakeup would give.
    if (held->next && held->next->time <= now_) {
      const Wakeup wakeup = *held->next;  // HandleWakeup may reschedule the job
      HandleWakeup(*held, wakeup);
    }
    // Its due entry must move on or go: RescheduleTouched does it for a
    // touched job, this for one the wakeup left alone.
    if (!held->touched) Reschedule(*held);
  }
  RescheduleTouched();
}

void Simulation::RunMarketTick() {
  const int64_t k = next_tick_;
  for (auto& [name, job] : jobs_) {
    // Bill what ran since the last accrual at the prices of the ending tick.
    if (InstancesUp(job) && job.attempts.back().market == Market::kSpot) Accrue(job);
  }
  market_.MoveTo(k);
  for (auto& pool : market_.pools()) ReclaimShrunkCapacity(pool);
  next_tick_ = k + 1;
  events_.Schedule(EventTarget::Market(), market_.TickTime(next_tick_));
}

bool Simulation::StartWaitingJobs() {
  bool started = false;
  for (auto& pool : market_.pools()) {
    for (Market market : {Market::kOnDemand, Market::kSpot}) {
      auto& queue = pool.Waiting(market);
      if (queue.empty() || pool.Free(market) == 0) continue;
      // Only as far into the queue as the rule looks: with a long backlog
      // and a job that fits near its head, that is a few jobs, not all.
      PlacementScan scan(pool.Free(market), pool.Capacity(market), now_,
                         options_.starvation_guard_seconds);
      std::vector<TrainingJob*> starts;
      for (const auto& key : queue) {
        TrainingJob& job = jobs_.find(key.name)->second;
        const auto verdict = scan.Offer({job.spec.instance_count, job.run.waiting_since});
        if (verdict == PlacementScan::Verdict::kStop) break;
        if (verdict == PlacementScan::Verdict::kStart) starts.push_back(&job);
      }
      // Placing takes the job out of the queue: after the walk, in its order.
      for (TrainingJob* job : starts) Place(*job);
      started = started || !starts.empty();
    }
  }
  RescheduleTouched();
  return started;
}

// Running spot attempts that can still be given a notice, latest placed
// first (the market takes back its newest loans first); among attempts
// placed together, the latest created first.
std::vector<TrainingJob*> Simulation::SpotVictims(const PoolState& pool) {
  std::vector<TrainingJob*> victims;
  for (auto& [name, job] : jobs_) {
    if (IsActiveAttempt(job) && !job.run.reclaim_time &&
        job.attempts.back().market == Market::kSpot &&
        job.spec.instance_type == pool.base.instance_type) {
      victims.push_back(&job);
    }
  }
  std::sort(victims.begin(), victims.end(), [](const TrainingJob* a, const TrainingJob* b) {
    const double sa = a->attempts.back().start_time, sb = b->attempts.back().start_time;
    if (sa != sb) return sa > sb;
    return QueueKey{b->creation_time, b->spec.name} < QueueKey{a->creation_time, a->spec.name};
  });
  return victims;
}

// Capacity below what is in use: notices to enough running spot jobs that
// are not already leaving (in notice, or stopping).
void Simulation::ReclaimShrunkCapacity(PoolState& pool) {
  int leaving = 0;
  for (const auto& [name, job] : jobs_) {
    if (IsRunning(job) && job.attempts.back().market == Market::kSpot &&
        job.spec.instance_type == pool.base.instance_type &&
        (job.run.reclaim_time || job.status == JobStatus::kStopping)) {
      leaving += job.spec.instance_count;
    }
  }
  int excess = pool.spot_in_use - leaving - pool.spot_capacity;
  for (TrainingJob* job : SpotVictims(pool)) {
    if (excess <= 0) break;
    GiveNotice(*job);
    excess -= job->spec.instance_count;
  }
}

}  // namespace trainyard
