// Simulation: the same inputs give the same jobs, and a restart in the middle
// changes nothing about the future (DESIGN.md section 3).
#include <gtest/gtest.h>

#include "server/engine/job_state.h"
#include "server/engine/simulation.h"
#include "tests/unit/simulation_fixture.h"
#include "tests/unit/simulation_scenario.h"

namespace trainyard {
namespace {

using namespace trainyard::testing;

void ExpectSameJobs(const StoreMirror& a, const StoreMirror& b) {
  ASSERT_EQ(a.jobs.size(), b.jobs.size());
  for (const auto& [name, job] : a.jobs) {
    auto it = b.jobs.find(name);
    ASSERT_NE(it, b.jobs.end()) << name;
    const TrainingJob& other = it->second;
    EXPECT_TRUE(job == other) << name;
    if (job == other) continue;
    // Say where they part, to make a failure readable.
    EXPECT_EQ(job.transitions.size(), other.transitions.size()) << name;
    EXPECT_EQ(job.attempts.size(), other.attempts.size()) << name;
    EXPECT_TRUE(job.run == other.run) << name;
    EXPECT_EQ(job.last_modified_time, other.last_modified_time) << name;
  }
}

TEST(SimulationDeterminismTest, TheScenarioExercisesWhatItShould) {
  StoreMirror store = RunScenario();
  ASSERT_EQ(store.jobs.size(), 10u);
  int interruptions = 0, failed_attempts = 0, fallbacks = 0, spot_attempts = 0;
  for (const auto& [name, job] : store.jobs) {
    EXPECT_TRUE(IsTerminal(job.status)) << name;
    interruptions += job.interruptions;
    fallbacks += job.run.on_demand_fallback;
    for (const auto& a : job.attempts) {
      failed_attempts += a.outcome == "Failed";
      spot_attempts += a.market == Market::kSpot;
    }
  }
  EXPECT_GE(interruptions, 3);
  EXPECT_GE(failed_attempts, 2);
  EXPECT_GE(spot_attempts, 10);
  EXPECT_GE(fallbacks, 1);
  EXPECT_EQ(store.jobs.at("j7").status, JobStatus::kStopped);
  EXPECT_EQ(store.jobs.at("j1").status, JobStatus::kFailed);
}

TEST(SimulationDeterminismTest, SameSeedSameJobs) {
  ExpectSameJobs(RunScenario(7), RunScenario(7));
}

TEST(SimulationDeterminismTest, DifferentSeedDifferentDraws) {
  StoreMirror a = RunScenario(7), b = RunScenario(8);
  int differ = 0;
  for (const auto& [name, job] : a.jobs) differ += !(job == b.jobs.at(name));
  EXPECT_GE(differ, 3);
}

TEST(SimulationDeterminismTest, InterruptionTimeIsTheKeyedExponentialDraw) {
  InstancePool pool = TestPool();
  pool.interruption_rate_per_hour = 1;
  Simulation sim(Catalogue({pool}), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("x").Spot().Count(2).Work(100000)).ok());
  // Rate 1 per instance-hour x 2 instances.
  const double expected = KeyedRandom(1).UnitExponential(kDrawInterruption, "x", 1) * 3600 / 2;
  ASSERT_EQ(Get(sim, "x").run.notice_time, expected);
  sim.AdvanceTo(expected + 120);
  const TrainingJob& job = Get(sim, "x");
  ASSERT_GE(job.attempts.size(), 2u);
  EXPECT_EQ(job.attempts[0].outcome, "Interrupted");
  EXPECT_EQ(job.attempts[0].end_time, expected + 120);
  // The next attempt draws with its own number.
  EXPECT_EQ(job.run.notice_time,
            expected + 120 +
                KeyedRandom(1).UnitExponential(kDrawInterruption, "x", 2) * 3600 / 2);
}

class SimulationRestoreTest : public ::testing::TestWithParam<double> {};

TEST_P(SimulationRestoreTest, ARestartInTheMiddleGivesTheSameFuture) {
  const double mid = GetParam();
  StoreMirror straight = RunScenario();

  Simulation first(ScenarioCatalogue(), ScenarioOptions(), kScenarioStart);
  StoreMirror store;
  RunActions(first, store, kScenarioStart - 1, mid);
  // The process ends here; the next one starts from what the store holds.
  Simulation second(first.CurrentCatalogue(), ScenarioOptions(), mid);
  second.Restore(store.Unfinished(), mid);
  EXPECT_TRUE(second.TakeChanged().empty());  // restoring changes nothing
  EXPECT_EQ(second.NextEventTime(), first.NextEventTime());
  EXPECT_EQ(second.PendingEvents(), first.PendingEvents());
  EXPECT_EQ(second.WaitingJobs(), first.WaitingJobs());
  auto first_pools = first.Pools(), second_pools = second.Pools();
  ASSERT_EQ(first_pools.size(), second_pools.size());
  for (size_t i = 0; i < first_pools.size(); ++i) {
    second_pools[i].interruptions = first_pools[i].interruptions;  // a per-process count
    EXPECT_EQ(first_pools[i], second_pools[i]) << first_pools[i].instance_type;
  }
  RunActions(second, store, mid, kScenarioEnd);
  ExpectSameJobs(straight, store);
}

// A tick boundary, a notice window, odd fractions, an operator's update time,
// and late in the run.
INSTANTIATE_TEST_SUITE_P(MidPoints, SimulationRestoreTest,
                         ::testing::Values(1000, 1500.5, 3600, 4000, 4060, 7777.25, 8000, 8060, 12000,
                                           25000, 61234.5, 150000));

TEST(SimulationRestoreTest, RestoredJobsKeepTheirPlacesAndCapacity) {
  Simulation first(TestCatalogue(2, 2), StillOptions(), 0);
  ASSERT_TRUE(first.Submit(JobBuilder("running").Count(2)).ok());
  ASSERT_TRUE(first.Submit(JobBuilder("waiting").Count(2)).ok());
  first.AdvanceTo(500);
  std::vector<TrainingJob> jobs = {*first.Find("running"), *first.Find("waiting")};
  Simulation second(TestCatalogue(2, 2), StillOptions(), 500);
  second.Restore(jobs, 500);
  EXPECT_EQ(second.Pools()[0].on_demand_in_use, 2);
  EXPECT_EQ(second.WaitingJobs(), 1u);
  second.AdvanceTo(100000);
  EXPECT_EQ(Get(second, "waiting").attempts[0].start_time, 120 + 3600 + 60);
}

TEST(SimulationRestoreTest, AJobWhosePoolLeftTheCatalogueFails) {
  Simulation first(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(first.Submit(JobBuilder("gone")).ok());
  first.AdvanceTo(500);
  Simulation second(Catalogue({{"ml.m5.large", 0.115, 4, 4, 0.3, 0, 120, 10}}), StillOptions(),
                    500);
  second.Restore({*first.Find("gone")}, 500);
  EXPECT_EQ(second.TakeChanged(), std::vector<std::string>{"gone"});
  const TrainingJob& job = Get(second, "gone");
  EXPECT_EQ(job.status, JobStatus::kFailed);
  EXPECT_EQ(job.failure_reason,
            "CapacityError: InstanceType 'ml.p3.2xlarge' is no longer in the capacity catalogue");
  EXPECT_EQ(job.attempts[0].outcome, "Failed");
  EXPECT_EQ(job.training_end_time, 500);
  EXPECT_EQ(second.PendingEvents(), 0u);
}

}  // namespace
}  // namespace trainyard
