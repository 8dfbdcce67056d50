// Aggregation for the simulate report; formatting is in report_format.cpp.
#include "server/simulate/simulation_report.h"

#include <algorithm>
#include <cmath>

namespace trainyard {

std::pair<std::string_view, std::string_view> OutcomeStatus(Outcome outcome) {
  switch (outcome) {
    case Outcome::kCompleted:
      return {"Completed", "Completed"};
    case Outcome::kMaxRuntimeExceeded:
      return {"Stopped", "MaxRuntimeExceeded"};
    case Outcome::kMaxWaitTimeExceeded:
      return {"Stopped", "MaxWaitTimeExceeded"};
    case Outcome::kStopped:
      return {"Stopped", "Stopped"};
    case Outcome::kFailed:
      return {"Failed", "Failed"};
    case Outcome::kUnfinished:
      return {"InProgress", "Pending"};
  }
  return {"Unknown", "Unknown"};
}

Outcome OutcomeOf(JobStatus status, SecondaryStatus secondary) {
  switch (status) {
    case JobStatus::kCompleted:
      return Outcome::kCompleted;
    case JobStatus::kFailed:
      return Outcome::kFailed;
    case JobStatus::kStopped:
      if (secondary == SecondaryStatus::kMaxRuntimeExceeded) return Outcome::kMaxRuntimeExceeded;
      if (secondary == SecondaryStatus::kMaxWaitTimeExceeded) return Outcome::kMaxWaitTimeExceeded;
      return Outcome::kStopped;
    case JobStatus::kInProgress:
    case JobStatus::kStopping:
      break;
  }
  return Outcome::kUnfinished;
}

double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  if (!std::is_sorted(values.begin(), values.end())) std::sort(values.begin(), values.end());
  const double rank = std::ceil(p / 100 * static_cast<double>(values.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return values[std::min(index, values.size() - 1)];
}

WaitingPercentiles WaitingPercentilesOf(std::vector<double> waiting_seconds) {
  WaitingPercentiles w;
  w.p50 = Percentile(waiting_seconds, 50);  // sorts once for all four
  w.p90 = Percentile(waiting_seconds, 90);
  w.p99 = Percentile(waiting_seconds, 99);
  w.max = Percentile(waiting_seconds, 100);
  return w;
}

void SimulationReportBuilder::Add(const TrainingJob& job, const CostSummary& summary) {
  const Outcome outcome = OutcomeOf(job.status, job.secondary_status);
  const bool completed = outcome == Outcome::kCompleted;
  OutcomeRow& row = outcomes_[static_cast<size_t>(outcome)];
  ++row.jobs;
  row.actual_cost += summary.actual_cost;
  row.on_demand_equivalent_cost += summary.on_demand_equivalent_cost;
  totals_.Add(job, summary);
  completed_ += completed ? 1 : 0;
  Group& group = groups_[{summary.instance_type, summary.market}];
  group.cost.Add(job, summary);
  group.completed += completed ? 1 : 0;
  group.waiting_seconds.push_back(summary.waiting_seconds);
}

SimulationReport SimulationReportBuilder::Build(uint64_t seed, bool market_moves,
                                                double start_time, double end_time) {
  SimulationReport report;
  report.seed = seed;
  report.market_moves = market_moves;
  report.start_time = start_time;
  report.end_time = end_time;
  report.outcomes = outcomes_;
  report.totals = totals_;
  report.completed = completed_;
  std::vector<double> all_waiting;
  for (auto& [key, group] : groups_) {
    GroupRow row;
    row.instance_type = key.first;
    row.market = key.second;
    row.cost = group.cost;
    row.completed = group.completed;
    all_waiting.insert(all_waiting.end(), group.waiting_seconds.begin(),
                       group.waiting_seconds.end());
    row.waiting = WaitingPercentilesOf(std::move(group.waiting_seconds));
    report.groups.push_back(std::move(row));
  }
  report.waiting = WaitingPercentilesOf(std::move(all_waiting));
  groups_.clear();
  return report;
}

}  // namespace trainyard
