// The Simulation's phase transitions (DESIGN.md section 4, "Lifecycle").
// Every change goes through AddTransition or Touch, so the job is marked
// changed for the store and its next event is recomputed.
#include <algorithm>
#include <cmath>
#include <charconv>
#include <string>

#include "server/engine/billing.h"
#include "server/engine/job_state.h"
#include "server/engine/simulation.h"

namespace trainyard {

std::string FormatQuantity(double value) {
  if (std::fabs(value) < 1e15 && value == std::floor(value)) {
    return std::to_string(static_cast<long long>(value));
  }
  // As printf's "%.3f" would write it (to_chars promises that), without
  // printf's cost: messages are built on every phase change.
  char buf[400];  // room for any double in fixed notation
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 3);
  if (ec != std::errc()) return std::to_string(value);
  std::string s(buf, end);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string DescribeInstances(const TrainingJob& job, Market market) {
  const int n = job.spec.instance_count;
  return std::to_string(n) + " " + job.spec.instance_type +
         (market == Market::kSpot ? " spot" : " on-demand") +
         (n == 1 ? " instance" : " instances");
}

namespace {

std::string Seconds(double s) { return FormatQuantity(s) + " s"; }

}  // namespace

PoolState& Simulation::PoolOf(const TrainingJob& job) {
  return *market_.Find(job.spec.instance_type);  // Submit checked it exists
}

const PoolState& Simulation::PoolOf(const TrainingJob& job) const {
  return *market_.Find(job.spec.instance_type);
}

double Simulation::Progress(const TrainingJob& job) const {
  if (job.secondary_status == SecondaryStatus::kTraining) {
    return job.run.phase_progress + (now_ - job.run.phase_start);
  }
  return job.run.phase_progress;
}

double Simulation::ResumePoint(const TrainingJob& job) const {
  return job.spec.checkpointing ? job.checkpointed_seconds : 0;
}

void Simulation::Accrue(TrainingJob& job) {
  if (!IsRunning(job)) return;
  const PoolState& pool = PoolOf(job);
  AccrueAttempt(job, now_, InstancesUp(job), pool.PriceRatio(job.attempts.back().market),
                pool.base.on_demand_price_per_hour);
  Touch(job);
}

void Simulation::AddTransition(TrainingJob& job, SecondaryStatus status, std::string message) {
  if (!job.transitions.empty() && !job.transitions.back().end_time) {
    job.transitions.back().end_time = now_;
  }
  job.transitions.push_back({status, now_, std::nullopt, std::move(message)});
  job.secondary_status = status;
  job.run.phase_start = now_;
  Touch(job);
  if (options_.record_events) {
    Record(job, JobEventType::kStatusChange, job.transitions.back().message);
  }
}

void Simulation::Record(const TrainingJob& job, JobEventType type, std::string message,
                        std::optional<double> progress) {
  if (!options_.record_events) return;
  JobEvent event;
  event.job_name = job.spec.name;
  event.time = now_;
  event.type = type;
  event.status = job.status;
  event.secondary_status = job.secondary_status;
  if (!job.attempts.empty()) event.attempt = job.attempts.back().number;
  if (!job.attempts.empty() &&
      (type == JobEventType::kPlacement || type == JobEventType::kInterruptionNotice ||
       type == JobEventType::kReclaim)) {
    event.market = job.attempts.back().market;
    event.instance_type = job.spec.instance_type;
    event.instance_count = job.spec.instance_count;
  }
  event.progress_seconds = progress;
  event.message = std::move(message);
  recorded_.push_back(std::move(event));
}

void Simulation::SaveCheckpoint(TrainingJob& job, double progress, std::string_view why) {
  if (progress <= job.checkpointed_seconds) return;
  job.checkpointed_seconds = progress;
  // Messages are built only when recorded: a checkpoint is a hot event.
  if (options_.record_events) {
    Record(job, JobEventType::kCheckpoint,
           "Checkpoint saved at " + Seconds(progress) + " of " +
               Seconds(job.spec.workload.work_seconds) + std::string(why),
           progress);
  }
}

void Simulation::WaitFor(TrainingJob& job, std::string message) {
  job.run.phase_progress = ResumePoint(job);
  job.run.waiting_since = now_;
  AddTransition(job, SecondaryStatus::kPending, std::move(message));
  PoolOf(job).Waiting(QueueMarket(job)).insert({job.creation_time, job.spec.name});
}

void Simulation::Place(TrainingJob& job) {
  PoolState& pool = PoolOf(job);
  const Market market = QueueMarket(job);
  pool.Waiting(market).erase({job.creation_time, job.spec.name});
  pool.Take(market, job.spec.instance_count);
  // An attempt adds up to five transitions (Starting .. Completed): grow
  // once here rather than on every phase; a waiting job stays small.
  job.transitions.reserve(job.transitions.size() + 5);
  BeginAttempt(job, market, job.run.phase_progress);
  if (options_.record_events) {
    Record(job, JobEventType::kPlacement,
           "Attempt " + std::to_string(job.attempts.back().number) + " placed on " +
               DescribeInstances(job, market),
           job.run.phase_progress);
  }
  EnterPhase(job, SecondaryStatus::kStarting, job.run.phase_progress,
             "Launching " + DescribeInstances(job, market));
}

// Opens attempt n+1 now and makes its keyed draws: when a spot attempt gets
// its random interruption notice, and whether and where it fails.
void Simulation::BeginAttempt(TrainingJob& job, Market market, double resume) {
  Attempt attempt;
  attempt.number = static_cast<int>(job.attempts.size()) + 1;
  attempt.market = market;
  attempt.start_time = now_;
  attempt.progress_at_start = resume;
  attempt.progress_at_end = resume;
  job.attempts.push_back(attempt);

  JobRunState& run = job.run;
  run.billed_until = now_;
  run.notice_time.reset();
  run.failure_progress.reset();
  const std::string& name = job.spec.name;
  const auto n = static_cast<uint64_t>(attempt.number);
  const double rate_per_hour = PoolOf(job).base.interruption_rate_per_hour;
  if (market == Market::kSpot && rate_per_hour > 0) {
    // Each instance is reclaimed at rate_per_hour; the gang goes with the first.
    const double rate_per_second = rate_per_hour * job.spec.instance_count / 3600;
    run.notice_time = now_ + random_.UnitExponential(kDrawInterruption, name, n) / rate_per_second;
  }
  const Workload& w = job.spec.workload;
  if (w.failure_probability > 0 && random_.Uniform(kDrawFailure, name, n) < w.failure_probability) {
    const double remaining = std::max(0.0, w.work_seconds - resume);
    run.failure_progress = resume + random_.Uniform(kDrawFailurePoint, name, n) * remaining;
  }
}

void Simulation::EnterPhase(TrainingJob& job, SecondaryStatus status, double progress,
                            std::string message) {
  Accrue(job);  // the stretch before now is priced as the phase it was
  job.run.phase_progress = progress;
  AddTransition(job, status, std::move(message));
  if (!job.training_start_time &&
      (status == SecondaryStatus::kDownloading || status == SecondaryStatus::kTraining)) {
    job.training_start_time = now_;
  }
}

void Simulation::EndPhase(TrainingJob& job) {
  switch (job.secondary_status) {
    case SecondaryStatus::kStarting: {
      const double download = DownloadSeconds(job.spec, PoolOf(job).base);
      if (download > 0) {
        EnterPhase(job, SecondaryStatus::kDownloading, job.run.phase_progress,
                   "Downloading " + FormatQuantity(job.spec.workload.dataset_gb) +
                       " GB input data");
      } else {
        BeginTraining(job);
      }
      return;
    }
    case SecondaryStatus::kDownloading:
      return BeginTraining(job);
    case SecondaryStatus::kTraining: {
      const Workload& w = job.spec.workload;
      if (job.spec.checkpointing && w.checkpoint_interval_seconds > 0) {
        // The interval's checkpoint that falls on the end of training (the
        // wakeups schedule only those before it).
        const double last = std::floor(w.work_seconds / w.checkpoint_interval_seconds) *
                            w.checkpoint_interval_seconds;
        SaveCheckpoint(job, last, "");
      }
      EnterPhase(job, SecondaryStatus::kUploading, w.work_seconds, "Uploading model artifacts");
      return;
    }
    case SecondaryStatus::kUploading:
      return Complete(job);
    case SecondaryStatus::kStopping:
      return FinishStop(job);
    default:
      return;  // waiting and terminal states have no phase end
  }
}

void Simulation::BeginTraining(TrainingJob& job) {
  const double from = job.run.phase_progress;
  EnterPhase(job, SecondaryStatus::kTraining, from,
             "Training from " + Seconds(from) + " of " + Seconds(job.spec.workload.work_seconds));
}

void Simulation::Complete(TrainingJob& job) {
  Accrue(job);
  EndAttempt(job, "Completed", job.spec.workload.work_seconds);
  PoolOf(job).Release(job.attempts.back().market, job.spec.instance_count);
  Finish(job, JobStatus::kCompleted, SecondaryStatus::kCompleted, "Training job completed");
}

void Simulation::GiveNotice(TrainingJob& job) {
  Accrue(job);
  job.run.reclaim_time = now_ + options_.notice_seconds;
  job.run.notice_time.reset();
  if (options_.record_events) {
    Record(job, JobEventType::kInterruptionNotice,
           "Spot interruption notice: the instances are reclaimed in " +
               Seconds(options_.notice_seconds),
           Progress(job));
  }
  if (job.spec.checkpointing && job.spec.workload.checkpoint_on_notice) {
    SaveCheckpoint(job, Progress(job), " on the interruption notice");
  }
  Touch(job);
}

void Simulation::Reclaim(TrainingJob& job) {
  if (job.secondary_status == SecondaryStatus::kStopping) return FinishStop(job);
  Accrue(job);
  const double progress = Progress(job);
  const double resume = ResumePoint(job);
  const double lost = std::max(0.0, progress - resume);
  EndAttempt(job, "Interrupted", progress);
  PoolState& pool = PoolOf(job);
  pool.Release(Market::kSpot, job.spec.instance_count);
  ++pool.interruptions;
  ++job.interruptions;
  job.lost_training_seconds += lost;
  if (options_.record_events) {
    Record(job, JobEventType::kReclaim,
           "Spot instances reclaimed after " + Seconds(progress) + " of training; " +
               Seconds(lost) + " of it lost",
           progress);
  }
  const std::string work = Seconds(job.spec.workload.work_seconds);
  std::string message = "Spot capacity reclaimed after " + Seconds(progress) + " of " + work +
                        " of training; ";
  message += job.spec.checkpointing
                 ? "resuming from checkpoint at " + Seconds(resume)
                 : "no checkpoint, restarting from 0 s";
  message += " (" + Seconds(lost) + " lost)";
  AddTransition(job, SecondaryStatus::kInterrupted, std::move(message));
  WaitFor(job, "Waiting for " + DescribeInstances(job, QueueMarket(job)));
}

void Simulation::BeginStop(TrainingJob& job, SecondaryStatus outcome, std::string message) {
  Accrue(job);
  const double progress = Progress(job);
  // SIGTERM: the algorithm saves its work before the grace runs out.
  if (job.spec.checkpointing) SaveCheckpoint(job, progress, " on SIGTERM");
  job.run.stop_billed = InstancesUp(job);
  job.run.stop_outcome = outcome;
  job.run.notice_time.reset();
  job.run.failure_progress.reset();
  job.status = JobStatus::kStopping;
  EnterPhase(job, SecondaryStatus::kStopping, progress, std::move(message));
}

void Simulation::FinishStop(TrainingJob& job) {
  Accrue(job);
  const SecondaryStatus outcome = job.run.stop_outcome;
  EndAttempt(job, ToString(outcome), job.run.phase_progress);
  PoolOf(job).Release(job.attempts.back().market, job.spec.instance_count);
  std::string message = "Training job stopped";
  if (outcome == SecondaryStatus::kMaxRuntimeExceeded) message += ": MaxRuntimeInSeconds reached";
  if (outcome == SecondaryStatus::kMaxWaitTimeExceeded) message += ": MaxWaitTimeInSeconds reached";
  Finish(job, JobStatus::kStopped, outcome, std::move(message));
}

void Simulation::StopWaiting(TrainingJob& job, SecondaryStatus outcome, std::string message) {
  PoolOf(job).Waiting(QueueMarket(job)).erase({job.creation_time, job.spec.name});
  Finish(job, JobStatus::kStopped, outcome, std::move(message));
}

void Simulation::Fail(TrainingJob& job, double progress) {
  Accrue(job);
  const int number = job.attempts.back().number;
  const Market market = job.attempts.back().market;
  const std::optional<double> reclaim = job.run.reclaim_time;
  EndAttempt(job, "Failed", progress);
  const auto failed = std::count_if(job.attempts.begin(), job.attempts.end(),
                                    [](const Attempt& a) { return a.outcome == "Failed"; });
  const int retries = job.spec.max_retry_attempts;
  if (failed <= retries) {
    const double resume = ResumePoint(job);
    job.lost_training_seconds += std::max(0.0, progress - resume);
    BeginAttempt(job, market, resume);
    job.run.reclaim_time = reclaim;  // same instances: a notice given still stands
    if (options_.record_events) {
      Record(job, JobEventType::kRetry,
             "Retry " + std::to_string(failed) + " of " + std::to_string(retries) +
                 " after an internal error in attempt " + std::to_string(number) +
                 ", on the same instances",
             progress);
    }
    EnterPhase(job, SecondaryStatus::kStarting, resume,
               "Internal error in attempt " + std::to_string(number) + " after " +
                   Seconds(progress) + " of training; retry " + std::to_string(failed) + " of " +
                   std::to_string(retries) + " from " + Seconds(resume));
    return;
  }
  PoolOf(job).Release(market, job.spec.instance_count);
  job.failure_reason = "AlgorithmError: simulated internal error in attempt " +
                       std::to_string(number) + (retries > 0 ? " (retries exhausted)" : "");
  Finish(job, JobStatus::kFailed, SecondaryStatus::kFailed, job.failure_reason);
}

void Simulation::FallBack(TrainingJob& job) {
  PoolState& pool = PoolOf(job);
  pool.spot_waiting.erase({job.creation_time, job.spec.name});
  job.run.on_demand_fallback = true;
  if (options_.record_events) {
    Record(job, JobEventType::kFallback,
           "Moved to the on-demand queue: spot capacity could not finish before "
           "MaxWaitTimeInSeconds");
  }
  // The wait goes on (waiting_since stays): only the queue changes.
  AddTransition(job, SecondaryStatus::kPending,
                "Falling back to on-demand: spot capacity could not finish before "
                "MaxWaitTimeInSeconds");
  pool.on_demand_waiting.insert({job.creation_time, job.spec.name});
}

void Simulation::EndAttempt(TrainingJob& job, std::string_view outcome, double progress) {
  Attempt& attempt = job.attempts.back();
  attempt.end_time = now_;
  attempt.outcome = std::string(outcome);
  attempt.progress_at_end = progress;
  job.run.notice_time.reset();
  job.run.reclaim_time.reset();
  job.run.failure_progress.reset();
  job.run.stop_billed = false;
  Touch(job);
}

void Simulation::Finish(TrainingJob& job, JobStatus status, SecondaryStatus secondary,
                        std::string message) {
  job.status = status;  // before the transition, so its event shows the end
  AddTransition(job, secondary, std::move(message));
  job.transitions.back().end_time = now_;
  if (job.training_start_time) job.training_end_time = now_;
}

}  // namespace trainyard
