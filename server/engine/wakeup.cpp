// A job's next event. NextWakeup is a pure function of the job's stored
// state, the catalogue and the options: it never looks at the clock, the
// market's current figures or other jobs. That is what makes Restore exact:
// a restarted Simulation computes, from the same stored values, the same
// times to the last bit as the first process did.
#include <algorithm>
#include <cmath>

#include "server/engine/billing.h"
#include "server/engine/job_state.h"
#include "server/engine/simulation.h"

namespace trainyard {

double Simulation::FallbackTime(const TrainingJob& job) const {
  const PoolState& pool = PoolOf(job);
  const double remaining = std::max(0.0, job.spec.workload.work_seconds - job.run.phase_progress);
  const double on_demand_run = pool.base.launch_seconds + DownloadSeconds(job.spec, pool.base) +
                               remaining + options_.upload_seconds;
  return job.creation_time + static_cast<double>(*job.spec.max_wait_seconds) - on_demand_run;
}

std::optional<Simulation::Wakeup> Simulation::NextWakeup(const TrainingJob& job) const {
  if (IsTerminal(job.status)) return std::nullopt;
  std::optional<Wakeup> best;
  auto consider = [&best](double time, WakeKind kind, double progress = 0) {
    if (!best || time < best->time || (time == best->time && kind < best->kind)) {
      best = Wakeup{time, kind, progress};
    }
  };
  const JobSpec& spec = job.spec;
  const JobRunState& run = job.run;
  std::optional<double> max_wait_deadline;
  if (QueueMarket(job) == Market::kSpot && spec.max_wait_seconds) {
    max_wait_deadline = job.creation_time + static_cast<double>(*spec.max_wait_seconds);
  }

  if (!IsRunning(job)) {
    if (max_wait_deadline) {
      consider(*max_wait_deadline, WakeKind::kMaxWait);
      if (spec.workload.spot_fallback_on_demand) consider(FallbackTime(job), WakeKind::kFallback);
    }
    return best;
  }

  if (run.reclaim_time) consider(*run.reclaim_time, WakeKind::kReclaim);
  const PoolState& pool = PoolOf(job);
  const Workload& w = spec.workload;
  switch (job.secondary_status) {
    case SecondaryStatus::kStopping:
      consider(run.phase_start + options_.stop_grace_seconds, WakeKind::kPhaseEnd);
      return best;  // limits and notices no longer apply
    case SecondaryStatus::kStarting:
      consider(run.phase_start + pool.base.launch_seconds, WakeKind::kPhaseEnd);
      break;
    case SecondaryStatus::kDownloading:
      consider(run.phase_start + DownloadSeconds(spec, pool.base), WakeKind::kPhaseEnd);
      break;
    case SecondaryStatus::kTraining: {
      consider(run.phase_start + (w.work_seconds - run.phase_progress), WakeKind::kPhaseEnd);
      if (spec.checkpointing && w.checkpoint_interval_seconds > 0) {
        const double interval = w.checkpoint_interval_seconds;
        const double next = (std::floor(job.checkpointed_seconds / interval) + 1) * interval;
        if (next < w.work_seconds) {
          consider(run.phase_start + (next - run.phase_progress), WakeKind::kCheckpoint, next);
        }
      }
      if (run.failure_progress) {
        consider(run.phase_start + (*run.failure_progress - run.phase_progress),
                 WakeKind::kFailure, *run.failure_progress);
      }
      break;
    }
    case SecondaryStatus::kUploading:
      consider(run.phase_start + options_.upload_seconds, WakeKind::kPhaseEnd);
      break;
    default:
      break;
  }
  if (InstancesUp(job)) {
    const double left = static_cast<double>(spec.max_runtime_seconds) - TrainingSeconds(job);
    consider(run.billed_until + left, WakeKind::kRuntimeLimit);
  }
  if (max_wait_deadline) consider(*max_wait_deadline, WakeKind::kMaxWait);
  if (!run.reclaim_time && run.notice_time) consider(*run.notice_time, WakeKind::kNotice);
  return best;
}

void Simulation::HandleWakeup(TrainingJob& job, const Wakeup& wakeup) {
  switch (wakeup.kind) {
    case WakeKind::kPhaseEnd:
      return EndPhase(job);
    case WakeKind::kCheckpoint:
      Accrue(job);
      SaveCheckpoint(job, wakeup.progress, "");
      return Touch(job);
    case WakeKind::kFailure:
      return Fail(job, wakeup.progress);
    case WakeKind::kReclaim:
      return Reclaim(job);
    case WakeKind::kRuntimeLimit: {
      const std::string limit =
          "MaxRuntimeInSeconds (" +
          FormatQuantity(static_cast<double>(job.spec.max_runtime_seconds)) + " s) reached";
      if (options_.record_events) Record(job, JobEventType::kLimitReached, limit);
      return BeginStop(job, SecondaryStatus::kMaxRuntimeExceeded, limit + ": stopping");
    }
    case WakeKind::kMaxWait: {
      const std::string limit =
          "MaxWaitTimeInSeconds (" +
          FormatQuantity(static_cast<double>(*job.spec.max_wait_seconds)) + " s) reached";
      if (options_.record_events) {
        Record(job, JobEventType::kLimitReached, limit);
      }
      if (IsRunning(job)) {
        return BeginStop(job, SecondaryStatus::kMaxWaitTimeExceeded, limit + ": stopping");
      }
      return StopWaiting(job, SecondaryStatus::kMaxWaitTimeExceeded,
                         limit + " while waiting for spot capacity");
    }
    case WakeKind::kNotice:
      return GiveNotice(job);
    case WakeKind::kFallback:
      return FallBack(job);
  }
}

}  // namespace trainyard
