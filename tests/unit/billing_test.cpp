// Billing and the cost summary: every figure follows from the attempts and
// transitions, checked here against an independent recomputation over the
// busy scenario.
#include "server/engine/billing.h"

#include <gtest/gtest.h>

#include "tests/unit/simulation_fixture.h"
#include "tests/unit/simulation_scenario.h"

namespace trainyard {
namespace {

using namespace trainyard::testing;

TEST(BillingTest, AccrualBillsOnlyUpTimeAndMovesTheMark) {
  TrainingJob job = JobBuilder("j").Count(2);
  job.attempts.push_back(Attempt{});
  job.run.billed_until = 100;
  AccrueAttempt(job, 160, false, 1, 3.6);
  EXPECT_EQ(job.attempts[0].billed_seconds, 0);
  EXPECT_EQ(job.run.billed_until, 160);
  AccrueAttempt(job, 220, true, 0.5, 3.6);
  EXPECT_EQ(job.attempts[0].billed_seconds, 120);
  EXPECT_EQ(job.attempts[0].billable_seconds, 60);
  EXPECT_DOUBLE_EQ(job.attempts[0].cost, 0.06);
  EXPECT_EQ(TrainingSeconds(job), 60);
  EXPECT_EQ(BillableSeconds(job), 30);
}

TEST(BillingTest, DownloadOnlyInFileMode) {
  JobSpec spec = JobBuilder("j").FileInput(100).Build().spec;
  EXPECT_EQ(DownloadSeconds(spec, TestPool()), 80);
  spec.input_mode = TrainingInputMode::kFastFile;
  EXPECT_EQ(DownloadSeconds(spec, TestPool()), 0);
}

TEST(BillingTest, NoTrainingNoSavings) {
  // A job that has delivered nothing yet has saved nothing: the on-demand
  // comparison covers only delivered work.
  TrainingJob job = JobBuilder("j").Spot();
  CostSummary s = ComputeCostSummary(job, TestPool(), 60);
  EXPECT_EQ(s.savings_percent, 0);
  EXPECT_EQ(s.market, Market::kSpot);
  EXPECT_EQ(s.on_demand_equivalent_cost, 0);
  EXPECT_EQ(s.net_savings, 0);
  EXPECT_EQ(s.net_savings_percent, 0);
}

TEST(BillingTest, OnlyDeliveredWorkCountsAgainstOnDemand) {
  TrainingJob job = JobBuilder("j").Spot();
  job.spec.workload.work_seconds = 3600;
  job.checkpointed_seconds = 1200;
  Attempt a;
  a.progress_at_end = 1800;
  a.cost = 1;
  job.attempts.push_back(a);
  const double hour = kPrice / 3600;

  job.status = JobStatus::kInProgress;  // running: the last checkpoint is banked
  EXPECT_DOUBLE_EQ(ComputeCostSummary(job, TestPool(), 60).on_demand_equivalent_cost,
                   (1200 + 60) * hour);
  job.status = JobStatus::kStopped;  // stopped: what the stop saved
  EXPECT_DOUBLE_EQ(ComputeCostSummary(job, TestPool(), 60).on_demand_equivalent_cost,
                   (1800 + 60) * hour);
  job.status = JobStatus::kFailed;  // failed: nothing delivered, all spent is lost
  CostSummary failed = ComputeCostSummary(job, TestPool(), 60);
  EXPECT_EQ(failed.on_demand_equivalent_cost, 0);
  EXPECT_EQ(failed.net_savings, -1);
  job.status = JobStatus::kCompleted;  // completed: the whole job
  EXPECT_DOUBLE_EQ(ComputeCostSummary(job, TestPool(), 60).on_demand_equivalent_cost,
                   (3600 + 60) * hour);
}

// An open Pending counts up to `now` when given.
TEST(BillingTest, WaitingCountsTheOpenWaitUpToNow) {
  TrainingJob job = JobBuilder("j").Spot();
  job.transitions.push_back({SecondaryStatus::kPending, 100, std::nullopt, ""});
  job.last_modified_time = 100;
  EXPECT_EQ(ComputeCostSummary(job, TestPool(), 60).waiting_seconds, 0);
  EXPECT_EQ(ComputeCostSummary(job, TestPool(), 60, 400).waiting_seconds, 300);
}

TEST(BillingTest, EverySummaryFigureFollowsFromAttemptsAndTransitions) {
  StoreMirror store = RunScenario();
  const Catalogue catalogue = ScenarioCatalogue();
  for (const auto& [name, job] : store.jobs) {
    SCOPED_TRACE(name);
    InstancePool pool = *catalogue.Find(job.spec.instance_type);
    if (pool.instance_type == "ml.g5.xlarge") pool.on_demand_price_per_hour = 1.5;  // updated
    const CostSummary s = ComputeCostSummary(job, pool, 60);

    const int n = job.spec.instance_count;
    double training = 0, billable = 0, cost = 0, lost = 0;
    int interruptions = 0;
    for (size_t i = 0; i < job.attempts.size(); ++i) {
      const Attempt& a = job.attempts[i];
      training += a.billed_seconds / n;
      billable += a.billable_seconds / n;
      cost += a.cost;
      interruptions += a.outcome == "Interrupted";
      const bool redone = a.outcome == "Interrupted" ||
                          (a.outcome == "Failed" && i + 1 < job.attempts.size());
      if (redone) {
        const double resume = i + 1 < job.attempts.size()
                                  ? job.attempts[i + 1].progress_at_start
                                  : (job.spec.checkpointing ? job.checkpointed_seconds : 0);
        lost += a.progress_at_end - resume;
      }
      // Billed time is at most the attempt's wall time per instance.
      EXPECT_LE(a.billed_seconds / n, *a.end_time - a.start_time + 1e-9);
    }
    double waiting = 0;
    for (const auto& t : job.transitions) {
      if (t.status == SecondaryStatus::kPending) waiting += *t.end_time - t.start_time;
    }
    const double delivered = DeliveredTrainingSeconds(job);
    const double once = DownloadSeconds(job.spec, pool) + delivered + 60;
    const double on_demand = delivered > 0 ? once * n * pool.on_demand_price_per_hour / 3600 : 0;

    EXPECT_EQ(s.training_seconds, training);
    EXPECT_EQ(s.billable_seconds, billable);
    EXPECT_EQ(s.actual_cost, cost);
    EXPECT_EQ(s.interruptions, interruptions);
    EXPECT_EQ(s.attempts, static_cast<int>(job.attempts.size()));
    EXPECT_NEAR(s.lost_training_seconds, lost, 1e-6);
    EXPECT_NEAR(s.waiting_seconds, waiting, 1e-6);
    EXPECT_DOUBLE_EQ(s.on_demand_equivalent_cost, on_demand);
    EXPECT_DOUBLE_EQ(s.net_savings, on_demand - cost);
    if (training > 0) {
      EXPECT_DOUBLE_EQ(s.savings_percent, (1 - billable / training) * 100);
    }
    // Up time never exceeds MaxRuntime by more than the stop grace.
    EXPECT_LE(training, job.spec.max_runtime_seconds + 120 + 1e-6);
  }
}

}  // namespace
}  // namespace trainyard
