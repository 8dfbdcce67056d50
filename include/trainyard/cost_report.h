// CostReport: what a set of jobs cost and saved, in total and by group
// (instance type, market, status, or a tag's value). The totals are the sums
// of the jobs' CostSummary figures, so a report never disagrees with the
// jobs it covers.
#pragma once

#include <map>
#include <string>

#include "trainyard/job.h"

namespace trainyard {

struct CostRollup {
  int64_t jobs = 0;
  double instance_hours = 0;  // billed instance time (up time x InstanceCount)
  double actual_cost = 0;
  double on_demand_equivalent_cost = 0;
  double net_savings = 0;
  double training_seconds = 0;  // SageMaker's TrainingTimeInSeconds, summed
  double billable_seconds = 0;  // SageMaker's BillableTimeInSeconds, summed
  int64_t interruptions = 0;
  double lost_training_hours = 0;
  double waiting_hours = 0;

  // net_savings / on_demand_equivalent_cost x 100; 0 without cost.
  double NetSavingsPercent() const;
  // SageMaker's (1 - billable / training) x 100 over the group; 0 without training.
  double SavingsPercent() const;

  void Add(const TrainingJob& job, const CostSummary& summary);
};

enum class CostGrouping { kInstanceType, kMarket, kStatus, kTag };

class CostReport {
 public:
  // For kTag, `tag_key` names the tag; jobs without it group under "(none)".
  CostReport(CostGrouping grouping, std::string tag_key = "");

  void Add(const TrainingJob& job, const CostSummary& summary);

  const CostRollup& totals() const { return totals_; }
  const std::map<std::string, CostRollup>& groups() const { return groups_; }

 private:
  std::string GroupOf(const TrainingJob& job, const CostSummary& summary) const;

  CostGrouping grouping_;
  std::string tag_key_;
  CostRollup totals_;
  std::map<std::string, CostRollup> groups_;
};

}  // namespace trainyard
