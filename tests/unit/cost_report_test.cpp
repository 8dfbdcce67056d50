#include "trainyard/cost_report.h"

#include <gtest/gtest.h>

namespace trainyard {
namespace {

TrainingJob Job(std::string type, JobStatus status, std::string team) {
  TrainingJob job;
  job.spec.instance_type = std::move(type);
  job.status = status;
  job.spec.tags = {{"team", std::move(team)}};
  Attempt a;
  a.billed_seconds = 7200;
  job.attempts.push_back(a);
  return job;
}

CostSummary Summary(Market market, double actual, double on_demand, double training,
                    double billable) {
  CostSummary s;
  s.market = market;
  s.actual_cost = actual;
  s.on_demand_equivalent_cost = on_demand;
  s.net_savings = on_demand - actual;
  s.training_seconds = training;
  s.billable_seconds = billable;
  s.interruptions = 1;
  s.lost_training_seconds = 1800;
  s.waiting_seconds = 3600;
  return s;
}

TEST(CostReportTest, TotalsAreTheSumsOfTheJobs) {
  CostReport report(CostGrouping::kInstanceType);
  report.Add(Job("ml.p3.2xlarge", JobStatus::kCompleted, "vision"),
             Summary(Market::kSpot, 3, 10, 1000, 300));
  report.Add(Job("ml.m5.large", JobStatus::kCompleted, "tabular"),
             Summary(Market::kOnDemand, 1, 1, 500, 500));
  const CostRollup& t = report.totals();
  EXPECT_EQ(t.jobs, 2);
  EXPECT_DOUBLE_EQ(t.instance_hours, 4);
  EXPECT_DOUBLE_EQ(t.actual_cost, 4);
  EXPECT_DOUBLE_EQ(t.on_demand_equivalent_cost, 11);
  EXPECT_DOUBLE_EQ(t.net_savings, 7);
  EXPECT_DOUBLE_EQ(t.NetSavingsPercent(), 7.0 / 11 * 100);
  EXPECT_DOUBLE_EQ(t.SavingsPercent(), (1 - 800.0 / 1500) * 100);
  EXPECT_EQ(t.interruptions, 2);
  EXPECT_DOUBLE_EQ(t.lost_training_hours, 1);
  EXPECT_DOUBLE_EQ(t.waiting_hours, 2);
  ASSERT_EQ(report.groups().size(), 2u);
  EXPECT_DOUBLE_EQ(report.groups().at("ml.p3.2xlarge").SavingsPercent(), 70);
}

TEST(CostReportTest, GroupsByTagMarketAndStatus) {
  CostReport by_tag(CostGrouping::kTag, "team");
  CostReport by_market(CostGrouping::kMarket);
  CostReport by_status(CostGrouping::kStatus);
  CostReport by_missing_tag(CostGrouping::kTag, "project");
  for (CostReport* r : {&by_tag, &by_market, &by_status, &by_missing_tag}) {
    r->Add(Job("a", JobStatus::kCompleted, "vision"), Summary(Market::kSpot, 1, 2, 10, 3));
    r->Add(Job("a", JobStatus::kStopped, "vision"), Summary(Market::kOnDemand, 1, 1, 10, 10));
  }
  EXPECT_EQ(by_tag.groups().at("vision").jobs, 2);
  EXPECT_EQ(by_market.groups().at("Spot").jobs, 1);
  EXPECT_EQ(by_market.groups().at("OnDemand").jobs, 1);
  EXPECT_EQ(by_status.groups().at("Stopped").jobs, 1);
  EXPECT_EQ(by_missing_tag.groups().at("(none)").jobs, 2);
}

TEST(CostReportTest, EmptyReportHasZeroPercentages) {
  CostReport report(CostGrouping::kMarket);
  EXPECT_EQ(report.totals().jobs, 0);
  EXPECT_EQ(report.totals().SavingsPercent(), 0);
  EXPECT_EQ(report.totals().NetSavingsPercent(), 0);
}

}  // namespace
}  // namespace trainyard
