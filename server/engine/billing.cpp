#include "server/engine/billing.h"

#include <cassert>

namespace trainyard {

void AccrueAttempt(TrainingJob& job, double t, bool instances_up, double price_ratio,
                   double on_demand_price_per_hour) {
  assert(!job.attempts.empty() && !job.attempts.back().end_time);
  const double elapsed = t - job.run.billed_until;
  if (instances_up && elapsed > 0) {
    Attempt& attempt = job.attempts.back();
    const double billed = elapsed * job.spec.instance_count;
    const double billable = billed * price_ratio;
    attempt.billed_seconds += billed;
    attempt.billable_seconds += billable;
    attempt.cost += billable / 3600 * on_demand_price_per_hour;
  }
  job.run.billed_until = t;
}

double TrainingSeconds(const TrainingJob& job) {
  double total = 0;
  for (const auto& a : job.attempts) total += a.billed_seconds / job.spec.instance_count;
  return total;
}

double BillableSeconds(const TrainingJob& job) {
  double total = 0;
  for (const auto& a : job.attempts) total += a.billable_seconds / job.spec.instance_count;
  return total;
}

double DownloadSeconds(const JobSpec& spec, const InstancePool& pool) {
  if (spec.input_mode != TrainingInputMode::kFile) return 0;
  if (spec.workload.dataset_gb <= 0 || pool.network_gbps <= 0) return 0;
  return spec.workload.dataset_gb * 8 / pool.network_gbps;
}

double DeliveredTrainingSeconds(const TrainingJob& job) {
  switch (job.status) {
    case JobStatus::kCompleted:
      return job.spec.workload.work_seconds;
    case JobStatus::kStopped:
      return job.attempts.empty() ? 0 : job.attempts.back().progress_at_end;
    case JobStatus::kFailed:
      return 0;
    case JobStatus::kInProgress:
    case JobStatus::kStopping:
      break;
  }
  return job.checkpointed_seconds;
}

CostSummary ComputeCostSummary(const TrainingJob& job, const InstancePool& pool,
                               double upload_seconds, std::optional<double> now) {
  CostSummary s;
  s.market = job.attempts.empty()
                 ? (job.spec.managed_spot ? Market::kSpot : Market::kOnDemand)
                 : job.attempts.back().market;
  s.instance_type = job.spec.instance_type;
  s.instance_count = job.spec.instance_count;
  s.on_demand_price_per_hour = pool.on_demand_price_per_hour;
  s.training_seconds = TrainingSeconds(job);
  s.billable_seconds = BillableSeconds(job);
  for (const auto& a : job.attempts) s.actual_cost += a.cost;

  // The comparison is with running, once and uninterrupted on on-demand,
  // only the work this job actually delivered: all of it when it completed;
  // the progress its stop saved when it was stopped; nothing when it failed;
  // its last checkpoint while it still runs. Comparing a job that never
  // finished with the cost of finishing it would count work never done as
  // money saved.
  const double delivered = DeliveredTrainingSeconds(job);
  if (delivered > 0) {
    const double once = DownloadSeconds(job.spec, pool) + delivered + upload_seconds;
    s.on_demand_equivalent_cost =
        once * job.spec.instance_count * pool.on_demand_price_per_hour / 3600;
  }
  if (s.training_seconds > 0) {
    s.savings_percent = (1 - s.billable_seconds / s.training_seconds) * 100;
  }
  s.net_savings = s.on_demand_equivalent_cost - s.actual_cost;
  if (s.on_demand_equivalent_cost > 0) {
    s.net_savings_percent = s.net_savings / s.on_demand_equivalent_cost * 100;
  }

  s.interruptions = job.interruptions;
  s.attempts = static_cast<int>(job.attempts.size());
  s.lost_training_seconds = job.lost_training_seconds;
  const double until = now.value_or(job.last_modified_time);
  for (const auto& t : job.transitions) {
    if (t.status != SecondaryStatus::kPending) continue;
    const double end = t.end_time.value_or(until);
    if (end > t.start_time) s.waiting_seconds += end - t.start_time;
  }
  return s;
}

}  // namespace trainyard
