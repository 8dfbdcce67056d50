#include "trainyard/cost_report.h"

namespace trainyard {

double CostRollup::NetSavingsPercent() const {
  return on_demand_equivalent_cost > 0 ? net_savings / on_demand_equivalent_cost * 100 : 0;
}

double CostRollup::SavingsPercent() const {
  return training_seconds > 0 ? (1 - billable_seconds / training_seconds) * 100 : 0;
}

void CostRollup::Add(const TrainingJob& job, const CostSummary& summary) {
  ++jobs;
  for (const Attempt& attempt : job.attempts) instance_hours += attempt.billed_seconds / 3600;
  actual_cost += summary.actual_cost;
  on_demand_equivalent_cost += summary.on_demand_equivalent_cost;
  net_savings += summary.net_savings;
  training_seconds += summary.training_seconds;
  billable_seconds += summary.billable_seconds;
  interruptions += summary.interruptions;
  lost_training_hours += summary.lost_training_seconds / 3600;
  waiting_hours += summary.waiting_seconds / 3600;
}

CostReport::CostReport(CostGrouping grouping, std::string tag_key)
    : grouping_(grouping), tag_key_(std::move(tag_key)) {}

void CostReport::Add(const TrainingJob& job, const CostSummary& summary) {
  totals_.Add(job, summary);
  groups_[GroupOf(job, summary)].Add(job, summary);
}

std::string CostReport::GroupOf(const TrainingJob& job, const CostSummary& summary) const {
  switch (grouping_) {
    case CostGrouping::kInstanceType: return job.spec.instance_type;
    case CostGrouping::kMarket: return std::string(ToString(summary.market));
    case CostGrouping::kStatus: return std::string(ToString(job.status));
    case CostGrouping::kTag:
      for (const auto& [key, value] : job.spec.tags) {
        if (key == tag_key_) return value;
      }
      return "(none)";
  }
  return "";
}

}  // namespace trainyard
