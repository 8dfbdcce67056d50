// The placement rule alone (scheduler.h) and through the Simulation: gang
// placement, backfill, the starvation guard, spot fallback.
#include "server/engine/scheduler.h"

#include <gtest/gtest.h>

#include "server/engine/billing.h"
#include "server/engine/simulation.h"
#include "tests/unit/simulation_fixture.h"

namespace trainyard {
namespace {

using namespace trainyard::testing;
using S = SecondaryStatus;

TEST(ChooseStartsTest, FirstComeFirstServedWhileEverythingFits) {
  EXPECT_EQ(ChooseStarts({{2, 0}, {2, 0}, {1, 0}}, 4, 8, 0, 600),
            (std::vector<size_t>{0, 1}));
}

TEST(ChooseStartsTest, ALaterJobThatFitsBackfillsBeforeTheGuard) {
  EXPECT_EQ(ChooseStarts({{8, 0}, {2, 0}, {4, 0}, {1, 0}}, 3, 8, 599, 600),
            (std::vector<size_t>{1, 3}));
}

TEST(ChooseStartsTest, AStarvingJobHoldsEveryoneBehindIt) {
  EXPECT_EQ(ChooseStarts({{1, 0}, {8, 0}, {1, 0}}, 3, 8, 600, 600), (std::vector<size_t>{0}));
  // Only from when it has waited the guard: a job that waits since 100 is not starving yet.
  EXPECT_EQ(ChooseStarts({{8, 100}, {1, 0}}, 3, 8, 600, 600), (std::vector<size_t>{1}));
}

TEST(ChooseStartsTest, AJobLargerThanTheWholeCapacityHoldsNobodyBack) {
  EXPECT_EQ(ChooseStarts({{9, 0}, {1, 0}}, 3, 8, 10000, 600), (std::vector<size_t>{1}));
}

TEST(SchedulerTest, AGangWaitsUntilAllItsInstancesAreFree) {
  Simulation sim(TestCatalogue(8, 0), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("four").Count(4).Work(1000)).ok());  // ends at 1180
  sim.AdvanceTo(10);
  ASSERT_TRUE(sim.Submit(JobBuilder("eight").Count(8).Work(1000)).ok());
  sim.AdvanceTo(500);
  PoolStatus pool = sim.Pools()[0];
  EXPECT_EQ(pool.on_demand_in_use, 4);
  EXPECT_EQ(pool.on_demand_waiting_jobs, 1);
  EXPECT_EQ(Get(sim, "eight").secondary_status, S::kPending);
  sim.AdvanceTo(1180);
  const TrainingJob& eight = Get(sim, "eight");
  EXPECT_EQ(eight.secondary_status, S::kStarting);
  EXPECT_EQ(eight.attempts[0].start_time, 1180);
  EXPECT_EQ(eight.transitions[1].message, "Launching 8 ml.p3.2xlarge on-demand instances");
  EXPECT_EQ(sim.Pools()[0].on_demand_in_use, 8);
  sim.AdvanceTo(10000);
  CostSummary s = ComputeCostSummary(Get(sim, "eight"), TestPool(8, 0), 60);
  EXPECT_EQ(s.waiting_seconds, 1170);
  EXPECT_EQ(s.training_seconds, 1060);  // not multiplied by InstanceCount
  EXPECT_EQ(Get(sim, "eight").attempts[0].billed_seconds, 1060 * 8);
  EXPECT_DOUBLE_EQ(s.on_demand_equivalent_cost, 1060.0 * 8 * kPrice / 3600);
}

// Capacity 8. "four" holds 4 until 2180, "two" holds 2 until 680. "big"
// (8) waits from 10. "s1" (2) backfills at 20. "s2" (2) arrives at 650,
// when "big" has waited 640 s: with the guard at 600 s it must wait too.
void RunStarvationScenario(Simulation& sim) {
  ASSERT_TRUE(sim.Submit(JobBuilder("four").Count(4).Work(2000)).ok());
  ASSERT_TRUE(sim.Submit(JobBuilder("two").Count(2).Work(500)).ok());
  sim.AdvanceTo(10);
  ASSERT_TRUE(sim.Submit(JobBuilder("big").Count(8).Work(100)).ok());
  sim.AdvanceTo(20);
  ASSERT_TRUE(sim.Submit(JobBuilder("s1").Count(2).Work(300)).ok());
  sim.AdvanceTo(650);
  ASSERT_TRUE(sim.Submit(JobBuilder("s2").Count(2).Work(300)).ok());
  sim.AdvanceTo(100000);
}

TEST(SchedulerTest, TheStarvationGuardStopsBackfillBehindALongWaitingJob) {
  Simulation sim(TestCatalogue(8, 0), StillOptions(), 0);
  RunStarvationScenario(sim);
  EXPECT_EQ(Get(sim, "s1").attempts[0].start_time, 20);      // backfilled
  EXPECT_EQ(Get(sim, "big").attempts[0].start_time, 2180);   // when "four" freed its 4
  EXPECT_EQ(Get(sim, "big").training_end_time, 2180 + 120 + 100 + 60);
  EXPECT_EQ(Get(sim, "s2").attempts[0].start_time, 2460);    // held behind "big"
}

TEST(SchedulerTest, WithoutTheGuardSmallJobsKeepBackfilling) {
  SimulationOptions options = StillOptions();
  options.starvation_guard_seconds = 1e9;
  Simulation sim(TestCatalogue(8, 0), options, 0);
  RunStarvationScenario(sim);
  EXPECT_EQ(Get(sim, "s2").attempts[0].start_time, 650);
  EXPECT_EQ(Get(sim, "big").attempts[0].start_time, 2180);
}

TEST(SchedulerTest, SpotAndOnDemandQueuesAreSeparate) {
  Simulation sim(TestCatalogue(1, 1), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("od1")).ok());
  ASSERT_TRUE(sim.Submit(JobBuilder("od2")).ok());
  ASSERT_TRUE(sim.Submit(JobBuilder("sp1").Spot()).ok());
  PoolStatus pool = sim.Pools()[0];
  EXPECT_EQ(pool.on_demand_in_use, 1);
  EXPECT_EQ(pool.spot_in_use, 1);
  EXPECT_EQ(pool.on_demand_waiting_jobs, 1);
  EXPECT_EQ(pool.spot_waiting_jobs, 0);
  EXPECT_EQ(sim.WaitingJobs(), 1u);
  EXPECT_DOUBLE_EQ(pool.spot_price_per_hour, kPrice * 0.3);
}

// Spot capacity 0: D = 0 + 7200 - (120 launch + 3000 work + 60 upload) = 4020.
TEST(SchedulerTest, SpotFallbackMovesToOnDemandInTimeToMeetMaxWait) {
  Simulation sim(TestCatalogue(1, 0), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("fb").Spot(7200).MaxRuntime(3600).Work(3000).Fallback()).ok());
  sim.AdvanceTo(4019);
  EXPECT_EQ(sim.Pools()[0].spot_waiting_jobs, 1);
  sim.AdvanceTo(100000);
  const TrainingJob& job = Get(sim, "fb");
  ExpectPhases(job, {{S::kPending, 0, 4020},
                     {S::kPending, 4020, 4020},
                     {S::kStarting, 4020, 4140},
                     {S::kTraining, 4140, 7140},
                     {S::kUploading, 7140, 7200},
                     {S::kCompleted, 7200, 7200}});
  EXPECT_EQ(job.transitions[1].message,
            "Falling back to on-demand: spot capacity could not finish before "
            "MaxWaitTimeInSeconds");
  EXPECT_TRUE(job.run.on_demand_fallback);
  EXPECT_EQ(job.attempts[0].market, Market::kOnDemand);
  CostSummary s = ComputeCostSummary(job, TestPool(1, 0), 60);
  EXPECT_EQ(s.market, Market::kOnDemand);
  EXPECT_EQ(s.savings_percent, 0);
  EXPECT_EQ(s.waiting_seconds, 4020);
}

// Spot shrinks to 0 at 1000: reclaim at 1120 after 1000 s, checkpoint 600.
// D = 7200 - (120 + (3000 - 600) + 60) = 4620.
TEST(SchedulerTest, FallbackDeadlineIsRecomputedFromTheCheckpointAfterAnInterruption) {
  Simulation sim(TestCatalogue(1, 1), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(
      JobBuilder("fb").Spot(7200).MaxRuntime(3600).Work(3000).Checkpoints(600).Fallback()).ok());
  sim.AdvanceTo(1000);
  PoolUpdate none;
  none.spot_capacity = 0;
  ASSERT_TRUE(sim.UpdatePool(kType, none).ok());
  EXPECT_EQ(Get(sim, "fb").run.reclaim_time, 1120);
  sim.AdvanceTo(4619);
  EXPECT_FALSE(Get(sim, "fb").run.on_demand_fallback);
  sim.AdvanceTo(100000);
  const TrainingJob& job = Get(sim, "fb");
  ASSERT_EQ(job.attempts.size(), 2u);
  EXPECT_EQ(job.attempts[0].market, Market::kSpot);
  EXPECT_EQ(job.attempts[1].market, Market::kOnDemand);
  EXPECT_EQ(job.attempts[1].start_time, 4620);
  EXPECT_EQ(job.attempts[1].progress_at_start, 600);
  EXPECT_EQ(job.training_end_time, 7200);
  EXPECT_EQ(job.status, JobStatus::kCompleted);
  CostSummary s = ComputeCostSummary(job, TestPool(1, 1), 60);
  EXPECT_EQ(s.waiting_seconds, 4620 - 1120);
}

}  // namespace
}  // namespace trainyard
