// What `trainyard simulate` reports about a replayed workload: how the jobs
// ended, what they cost against running the work they delivered on
// on-demand, what spot interruptions took back, and how long the jobs
// waited for capacity -- in total and by instance type and market.
//
// Every figure is a sum of the jobs' CostSummary (trainyard/job.h), rolled
// up as GET /v1/cost-report rolls them up (CostRollup, trainyard/
// cost_report.h), so a simulated workload and a served one are priced
// alike. The builder keeps a few numbers per group and one per job (its
// waiting time, for exact percentiles), never the job itself.
//
// Threading: not thread-safe; one thread builds a report.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "trainyard/cost_report.h"
#include "trainyard/job.h"

namespace trainyard {

// How a job ended, in report order. kUnfinished: still waiting when the run
// ended, because it can never start (more instances than the market holds).
enum class Outcome {
  kCompleted,
  kMaxRuntimeExceeded,
  kMaxWaitTimeExceeded,
  kStopped,
  kFailed,
  kUnfinished,
};
inline constexpr size_t kOutcomeCount = 6;

// The TrainingJobStatus and SecondaryStatus an outcome shows as.
std::pair<std::string_view, std::string_view> OutcomeStatus(Outcome outcome);
Outcome OutcomeOf(JobStatus status, SecondaryStatus secondary);

// Nearest-rank percentile (the smallest value with at least p% of the values
// at or below it), exact and order-independent. 0 when `values` is empty.
// Sorts `values`. REQUIRES: 0 < p <= 100.
double Percentile(std::vector<double>& values, double p);

struct WaitingPercentiles {
  double p50 = 0, p90 = 0, p99 = 0, max = 0;  // seconds
};
WaitingPercentiles WaitingPercentilesOf(std::vector<double> waiting_seconds);

struct OutcomeRow {
  int64_t jobs = 0;
  double actual_cost = 0;
  double on_demand_equivalent_cost = 0;
};

struct GroupRow {
  std::string instance_type;
  Market market = Market::kOnDemand;
  CostRollup cost;
  int64_t completed = 0;
  WaitingPercentiles waiting;
};

struct SimulationReport {
  uint64_t seed = 0;
  bool market_moves = true;
  double start_time = 0;  // epoch seconds
  double end_time = 0;    // when the last job ended
  std::array<OutcomeRow, kOutcomeCount> outcomes{};
  CostRollup totals;
  int64_t completed = 0;
  WaitingPercentiles waiting;
  std::vector<GroupRow> groups;  // by instance type, then market (OnDemand first)

  const OutcomeRow& outcome(Outcome o) const { return outcomes[static_cast<size_t>(o)]; }
};

class SimulationReportBuilder {
 public:
  // `job` as it ended (or stands, if unfinished); `summary` its
  // ComputeCostSummary. The job is not kept.
  void Add(const TrainingJob& job, const CostSummary& summary);

  // REQUIRES: called once, last.
  SimulationReport Build(uint64_t seed, bool market_moves, double start_time, double end_time);

 private:
  struct Group {
    CostRollup cost;
    int64_t completed = 0;
    std::vector<double> waiting_seconds;  // one per job
  };
  std::array<OutcomeRow, kOutcomeCount> outcomes_{};
  CostRollup totals_;
  int64_t completed_ = 0;
  std::map<std::pair<std::string, Market>, Group> groups_;
};

// A readable aligned text table, and the same figures as one JSON object.
// Both are pure functions of the report: equal reports, equal bytes.
std::string FormatReportTable(const SimulationReport& report);
std::string FormatReportJson(const SimulationReport& report);

}  // namespace trainyard
