// Simulation: spot interruptions, checkpoints and what is lost, on a still
// market with Interrupt() as the only source of reclaims.
#include <gtest/gtest.h>

#include "server/engine/billing.h"
#include "server/engine/simulation.h"
#include "tests/unit/simulation_fixture.h"

namespace trainyard {
namespace {

using namespace trainyard::testing;
using S = SecondaryStatus;

// Training starts at 120; a notice at 1000 makes the reclaim land at 1120,
// after 1000 s of training.
TrainingJob RunInterrupted(JobBuilder builder, Simulation& sim) {
  EXPECT_TRUE(sim.Submit(builder).ok());
  sim.AdvanceTo(1000);
  auto noticed = sim.Interrupt(kType, 1);
  EXPECT_TRUE(noticed.ok());
  EXPECT_EQ(*noticed, 1);
  EXPECT_EQ(Get(sim, builder.job.spec.name).run.reclaim_time, 1120);
  EXPECT_EQ(Get(sim, builder.job.spec.name).secondary_status, S::kTraining);  // trains on
  sim.AdvanceTo(100000);
  return Get(sim, builder.job.spec.name);
}

TEST(SimulationCheckpointTest, ResumesFromTheLastCheckpointAfterAReclaim) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  TrainingJob job = RunInterrupted(JobBuilder("ck").Spot().Checkpoints(600), sim);
  ExpectPhases(job, {{S::kPending, 0, 0},
                     {S::kStarting, 0, 120},
                     {S::kTraining, 120, 1120},
                     {S::kInterrupted, 1120, 1120},
                     {S::kPending, 1120, 1120},
                     {S::kStarting, 1120, 1240},
                     {S::kTraining, 1240, 4240},
                     {S::kUploading, 4240, 4300},
                     {S::kCompleted, 4300, 4300}});
  EXPECT_EQ(job.transitions[3].message,
            "Spot capacity reclaimed after 1000 s of 3600 s of training; resuming from "
            "checkpoint at 600 s (400 s lost)");
  EXPECT_EQ(job.transitions[6].message, "Training from 600 s of 3600 s");
  EXPECT_EQ(job.interruptions, 1);
  EXPECT_EQ(job.lost_training_seconds, 400);
  ASSERT_EQ(job.attempts.size(), 2u);
  const Attempt& first = job.attempts[0];
  EXPECT_EQ(first.outcome, "Interrupted");
  EXPECT_EQ(first.end_time, 1120);
  EXPECT_EQ(first.progress_at_end, 1000);
  EXPECT_EQ(first.billed_seconds, 1000);
  EXPECT_DOUBLE_EQ(first.billable_seconds, 300);
  const Attempt& second = job.attempts[1];
  EXPECT_EQ(second.progress_at_start, 600);
  EXPECT_EQ(second.billed_seconds, 3060);
  EXPECT_DOUBLE_EQ(second.billable_seconds, 918);

  CostSummary s = ComputeCostSummary(job, TestPool(), 60);
  EXPECT_EQ(s.training_seconds, 4060);
  EXPECT_DOUBLE_EQ(s.billable_seconds, 1218);
  EXPECT_NEAR(s.savings_percent, 70, 1e-9);
  EXPECT_DOUBLE_EQ(s.actual_cost, 1218.0 / 3600 * kPrice);
  EXPECT_DOUBLE_EQ(s.on_demand_equivalent_cost, 3660.0 / 3600 * kPrice);
  EXPECT_NEAR(s.net_savings, (3660.0 - 1218.0) / 3600 * kPrice, 1e-12);
  EXPECT_NEAR(s.net_savings_percent, (1 - 1218.0 / 3660) * 100, 1e-9);
  EXPECT_EQ(s.interruptions, 1);
  EXPECT_EQ(s.attempts, 2);
  EXPECT_EQ(s.lost_training_seconds, 400);
  EXPECT_EQ(s.waiting_seconds, 0);
  EXPECT_EQ(sim.Pools()[0].interruptions, 1);
}

TEST(SimulationCheckpointTest, WithoutCheckpointConfigEverythingIsLost) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  TrainingJob job = RunInterrupted(JobBuilder("nock").Spot(), sim);
  EXPECT_EQ(job.transitions[3].message,
            "Spot capacity reclaimed after 1000 s of 3600 s of training; no checkpoint, "
            "restarting from 0 s (1000 s lost)");
  EXPECT_EQ(job.lost_training_seconds, 1000);
  EXPECT_EQ(job.checkpointed_seconds, 0);
  ASSERT_EQ(job.attempts.size(), 2u);
  EXPECT_EQ(job.attempts[1].progress_at_start, 0);
  EXPECT_EQ(job.transitions[6].start_time, 1240);
  EXPECT_EQ(job.transitions[6].end_time, 4840);
  EXPECT_EQ(job.training_end_time, 4900);
}

TEST(SimulationCheckpointTest, CheckpointOnNoticeResumesFromTheNotice) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("n").Spot().Checkpoints(600).CheckpointOnNotice()).ok());
  sim.AdvanceTo(1000);
  ASSERT_TRUE(sim.Interrupt(kType, 1).ok());
  EXPECT_EQ(Get(sim, "n").checkpointed_seconds, 880);  // progress at the notice
  sim.AdvanceTo(100000);
  const TrainingJob& job = Get(sim, "n");
  EXPECT_EQ(job.lost_training_seconds, 120);  // trained on 120 s after the notice
  ASSERT_EQ(job.attempts.size(), 2u);
  EXPECT_EQ(job.attempts[1].progress_at_start, 880);
  EXPECT_EQ(job.transitions[6].message, "Training from 880 s of 3600 s");
  EXPECT_EQ(job.transitions[6].end_time, 1240 + 2720);
}

TEST(SimulationCheckpointTest, PeriodicCheckpointsAreRecordedAsTheyHappen) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("p").Checkpoints(600)).ok());
  sim.AdvanceTo(719);
  EXPECT_EQ(Get(sim, "p").checkpointed_seconds, 0);
  sim.TakeChanged();
  sim.AdvanceTo(720);
  EXPECT_EQ(Get(sim, "p").checkpointed_seconds, 600);
  EXPECT_EQ(Get(sim, "p").last_modified_time, 720);
  EXPECT_EQ(sim.TakeChanged(), std::vector<std::string>{"p"});
  sim.AdvanceTo(3000);
  EXPECT_EQ(Get(sim, "p").checkpointed_seconds, 2400);
}

TEST(SimulationCheckpointTest, InterruptCoversWholeGangsLatestPlacedFirst) {
  Simulation sim(TestCatalogue(4, 8), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("early").Spot().Count(2)).ok());
  sim.AdvanceTo(10);
  ASSERT_TRUE(sim.Submit(JobBuilder("late").Spot().Count(2)).ok());
  ASSERT_TRUE(sim.Submit(JobBuilder("od")).ok());  // on-demand: never reclaimed
  sim.AdvanceTo(500);
  auto one = sim.Interrupt(kType, 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, 2);
  EXPECT_EQ(Get(sim, "late").run.reclaim_time, 620);
  EXPECT_FALSE(Get(sim, "early").run.reclaim_time);
  auto more = sim.Interrupt(kType, 3);  // "late" already has its notice
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(*more, 2);
  EXPECT_EQ(Get(sim, "early").run.reclaim_time, 620);
  EXPECT_EQ(*sim.Interrupt(kType, 1), 0);
  EXPECT_EQ(sim.Interrupt(kType, 0).status().code(), ErrorCode::kValidation);
  EXPECT_EQ(sim.Interrupt("ml.none", 1).status().code(), ErrorCode::kNotFound);
  sim.AdvanceTo(620);
  EXPECT_EQ(Get(sim, "early").interruptions, 1);
  EXPECT_EQ(Get(sim, "late").interruptions, 1);
  EXPECT_EQ(Get(sim, "od").interruptions, 0);
  // The reclaimed instances went back to the pool, so both start again.
  EXPECT_EQ(Get(sim, "early").secondary_status, S::kStarting);
  EXPECT_EQ(sim.Pools()[0].interruptions, 2);
}

TEST(SimulationCheckpointTest, AJobThatFinishesDuringItsNoticeIsNotInterrupted) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("quick").Spot().Work(100)).ok());
  sim.AdvanceTo(200);  // Training 120..220, Uploading 220..280
  ASSERT_EQ(*sim.Interrupt(kType, 1), 1);
  sim.AdvanceTo(1000);
  const TrainingJob& job = Get(sim, "quick");
  EXPECT_EQ(job.status, JobStatus::kCompleted);
  EXPECT_EQ(job.training_end_time, 280);
  EXPECT_EQ(job.interruptions, 0);
  EXPECT_FALSE(job.run.reclaim_time);
}

TEST(SimulationCheckpointTest, AReclaimCutsAStopGraceShort) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("s").Spot()).ok());
  sim.AdvanceTo(1000);
  ASSERT_EQ(*sim.Interrupt(kType, 1), 1);  // reclaim at 1120
  sim.AdvanceTo(1060);
  ASSERT_TRUE(sim.Stop("s").ok());  // grace would end at 1180
  sim.AdvanceTo(5000);
  const TrainingJob& job = Get(sim, "s");
  EXPECT_EQ(job.status, JobStatus::kStopped);
  EXPECT_EQ(job.transitions.back().start_time, 1120);
  EXPECT_EQ(job.attempts[0].outcome, "Stopped");
  EXPECT_EQ(job.attempts[0].billed_seconds, 1000);
}

}  // namespace
}  // namespace trainyard
