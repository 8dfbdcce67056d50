// Simulation: the phases of a job and what each costs, on a still market.
#include <gtest/gtest.h>

#include "server/engine/billing.h"
#include "server/engine/simulation.h"
#include "tests/unit/simulation_fixture.h"

namespace trainyard {
namespace {

using namespace trainyard::testing;
using S = SecondaryStatus;

TEST(SimulationLifecycleTest, OnDemandJobRunsEveryPhaseAndBillsUpTime) {
  Simulation sim(TestCatalogue(), StillOptions(), 1000);
  ASSERT_TRUE(sim.Submit(JobBuilder("od").FileInput(150)).ok());

  const TrainingJob& starting = Get(sim, "od");
  EXPECT_EQ(starting.secondary_status, S::kStarting);
  EXPECT_EQ(starting.creation_time, 1000);
  ASSERT_EQ(sim.Pools()[0].on_demand_in_use, 1);

  sim.AdvanceTo(10000);
  const TrainingJob& job = Get(sim, "od");
  // 150 GB x 8 / 10 Gbps = 120 s of download; 3600 s of work; 60 s upload.
  ExpectPhases(job, {{S::kPending, 1000, 1000},
                     {S::kStarting, 1000, 1120},
                     {S::kDownloading, 1120, 1240},
                     {S::kTraining, 1240, 4840},
                     {S::kUploading, 4840, 4900},
                     {S::kCompleted, 4900, 4900}});
  EXPECT_EQ(job.transitions[1].message, "Launching 1 ml.p3.2xlarge on-demand instance");
  EXPECT_EQ(job.transitions[2].message, "Downloading 150 GB input data");
  EXPECT_EQ(job.transitions[3].message, "Training from 0 s of 3600 s");
  EXPECT_EQ(job.transitions[5].message, "Training job completed");
  EXPECT_EQ(job.status, JobStatus::kCompleted);
  EXPECT_EQ(job.training_start_time, 1120);
  EXPECT_EQ(job.training_end_time, 4900);
  EXPECT_EQ(job.last_modified_time, 4900);

  ASSERT_EQ(job.attempts.size(), 1u);
  const Attempt& a = job.attempts[0];
  EXPECT_EQ(a.market, Market::kOnDemand);
  EXPECT_EQ(a.start_time, 1000);
  EXPECT_EQ(a.end_time, 4900);
  EXPECT_EQ(a.outcome, "Completed");
  EXPECT_EQ(a.progress_at_start, 0);
  EXPECT_EQ(a.progress_at_end, 3600);
  EXPECT_EQ(a.billed_seconds, 3780);  // launch is free
  EXPECT_EQ(a.billable_seconds, 3780);
  EXPECT_DOUBLE_EQ(a.cost, 3780.0 / 3600 * kPrice);

  CostSummary s = ComputeCostSummary(job, TestPool(), 60);
  EXPECT_EQ(s.training_seconds, 3780);
  EXPECT_EQ(s.billable_seconds, 3780);
  EXPECT_EQ(s.savings_percent, 0);
  EXPECT_DOUBLE_EQ(s.on_demand_equivalent_cost, 3780.0 / 3600 * kPrice);
  EXPECT_NEAR(s.net_savings, 0, 1e-12);
  EXPECT_EQ(sim.Pools()[0].on_demand_in_use, 0);
  EXPECT_EQ(sim.PendingEvents(), 0u);
}

TEST(SimulationLifecycleTest, SpotJobWithoutInterruptionSavesOneMinusTheRatio) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("spot").Spot()).ok());
  EXPECT_EQ(sim.NextEventTime(), 120);
  sim.AdvanceTo(5000);
  const TrainingJob& job = Get(sim, "spot");
  ExpectPhases(job, {{S::kPending, 0, 0},
                     {S::kStarting, 0, 120},
                     {S::kTraining, 120, 3720},
                     {S::kUploading, 3720, 3780},
                     {S::kCompleted, 3780, 3780}});
  EXPECT_EQ(job.transitions[1].message, "Launching 1 ml.p3.2xlarge spot instance");
  ASSERT_EQ(job.attempts.size(), 1u);
  EXPECT_EQ(job.attempts[0].market, Market::kSpot);
  EXPECT_EQ(job.attempts[0].billed_seconds, 3660);
  EXPECT_DOUBLE_EQ(job.attempts[0].billable_seconds, 3660 * 0.3);
  EXPECT_DOUBLE_EQ(job.attempts[0].cost, 3660 * 0.3 / 3600 * kPrice);

  CostSummary s = ComputeCostSummary(job, TestPool(), 60);
  EXPECT_EQ(s.market, Market::kSpot);
  EXPECT_NEAR(s.savings_percent, 70, 1e-9);
  EXPECT_NEAR(s.net_savings_percent, 70, 1e-9);
  EXPECT_EQ(s.interruptions, 0);
  EXPECT_EQ(s.attempts, 1);
}

TEST(SimulationLifecycleTest, ZeroLengthPhasesAllRunAtTheSameInstant) {
  InstancePool pool = TestPool();
  pool.launch_seconds = 0;
  SimulationOptions options = StillOptions();
  options.upload_seconds = 0;
  Simulation sim(Catalogue({pool}), options, 50);
  TrainingJob request = JobBuilder("instant").Work(0);
  request.creation_time = 1;  // Submit stamps its own
  ASSERT_TRUE(sim.Submit(request).ok());
  const TrainingJob& job = Get(sim, "instant");
  EXPECT_EQ(job.status, JobStatus::kCompleted);
  ExpectPhases(job, {{S::kPending, 50, 50},
                     {S::kStarting, 50, 50},
                     {S::kTraining, 50, 50},
                     {S::kUploading, 50, 50},
                     {S::kCompleted, 50, 50}});
  EXPECT_EQ(job.creation_time, 50);
  EXPECT_EQ(job.attempts[0].billed_seconds, 0);
  EXPECT_EQ(sim.PendingEvents(), 0u);
}

TEST(SimulationLifecycleTest, SubmitRejectsDuplicatesUnknownTypesAndEmptyGangs) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("a")).ok());
  EXPECT_EQ(sim.Submit(JobBuilder("a")).code(), ErrorCode::kInUse);
  Status unknown = sim.Submit(JobBuilder("b").Type("ml.x1.huge"));
  EXPECT_EQ(unknown.code(), ErrorCode::kValidation);
  EXPECT_NE(unknown.message().find("ml.x1.huge"), std::string::npos);
  EXPECT_EQ(sim.Submit(JobBuilder("c").Count(0)).code(), ErrorCode::kValidation);
  EXPECT_EQ(sim.Submit(JobBuilder("")).code(), ErrorCode::kValidation);
  EXPECT_EQ(sim.Find("b"), nullptr);
}

TEST(SimulationLifecycleTest, StopWhileWaitingStopsAtOnce) {
  Simulation sim(TestCatalogue(4, 0), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("w").Spot()).ok());
  EXPECT_EQ(sim.WaitingJobs(), 1u);
  sim.AdvanceTo(100);
  auto stopped = sim.Stop("w");
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped->status, JobStatus::kStopped);
  EXPECT_EQ(stopped->secondary_status, S::kStopped);
  ExpectPhases(*stopped, {{S::kPending, 0, 100}, {S::kStopped, 100, 100}});
  EXPECT_FALSE(stopped->training_start_time);
  EXPECT_FALSE(stopped->training_end_time);
  EXPECT_EQ(sim.WaitingJobs(), 0u);
  EXPECT_EQ(sim.PendingEvents(), 0u);  // MaxWait no longer pending

  auto again = sim.Stop("w");  // no-op
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *stopped);
}

TEST(SimulationLifecycleTest, StopWhileTrainingTakesTheBilledGraceAndCheckpoints) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("t").Checkpoints()).ok());
  sim.AdvanceTo(1000);
  auto stopping = sim.Stop("t");
  ASSERT_TRUE(stopping.ok());
  EXPECT_EQ(stopping->status, JobStatus::kStopping);
  EXPECT_EQ(stopping->secondary_status, S::kStopping);
  EXPECT_EQ(stopping->checkpointed_seconds, 880);  // saved on SIGTERM
  EXPECT_EQ(stopping->transitions.back().message,
            "Stopping on request: the algorithm has 120 s to save its work");
  EXPECT_EQ(*sim.Stop("t"), *stopping);  // stopping again changes nothing
  EXPECT_EQ(sim.FailAttempt("t").code(), ErrorCode::kValidation);

  sim.AdvanceTo(2000);
  const TrainingJob& job = Get(sim, "t");
  ExpectPhases(job, {{S::kPending, 0, 0},
                     {S::kStarting, 0, 120},
                     {S::kTraining, 120, 1000},
                     {S::kStopping, 1000, 1120},
                     {S::kStopped, 1120, 1120}});
  EXPECT_EQ(job.status, JobStatus::kStopped);
  EXPECT_EQ(job.training_end_time, 1120);
  ASSERT_EQ(job.attempts.size(), 1u);
  EXPECT_EQ(job.attempts[0].outcome, "Stopped");
  EXPECT_EQ(job.attempts[0].progress_at_end, 880);
  EXPECT_EQ(job.attempts[0].billed_seconds, 1000);  // 880 training + 120 grace
  EXPECT_EQ(sim.Pools()[0].on_demand_in_use, 0);
}

TEST(SimulationLifecycleTest, StopWhileLaunchingDoesNotBillTheGrace) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("l")).ok());
  sim.AdvanceTo(60);
  ASSERT_TRUE(sim.Stop("l").ok());
  sim.AdvanceTo(1000);
  const TrainingJob& job = Get(sim, "l");
  ExpectPhases(job, {{S::kPending, 0, 0},
                     {S::kStarting, 0, 60},
                     {S::kStopping, 60, 180},
                     {S::kStopped, 180, 180}});
  EXPECT_EQ(job.attempts[0].billed_seconds, 0);
  EXPECT_FALSE(job.training_start_time);
}

TEST(SimulationLifecycleTest, StopRejectsFinishedAndUnknownJobs) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("done").Work(10)).ok());
  sim.AdvanceTo(1000);
  auto completed = sim.Stop("done");
  ASSERT_FALSE(completed.ok());
  EXPECT_EQ(completed.status().code(), ErrorCode::kValidation);
  EXPECT_NE(completed.status().message().find("Completed"), std::string::npos);
  EXPECT_EQ(sim.Stop("nobody").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(sim.FailAttempt("nobody").code(), ErrorCode::kNotFound);
}

TEST(SimulationLifecycleTest, TakeChangedReportsEachChangedJobOnceAndForgetDropsFinishedJobs) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("b").Work(100)).ok());
  ASSERT_TRUE(sim.Submit(JobBuilder("a").Work(1000)).ok());
  EXPECT_EQ(sim.TakeChanged(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(sim.TakeChanged().empty());
  sim.AdvanceTo(130);  // both start training at 120
  EXPECT_EQ(sim.TakeChanged(), (std::vector<std::string>{"a", "b"}));
  sim.AdvanceTo(300);  // b finished at 280
  EXPECT_EQ(sim.TakeChanged(), (std::vector<std::string>{"b"}));
  sim.Forget("a");  // unfinished: kept
  sim.Forget("b");
  EXPECT_NE(sim.Find("a"), nullptr);
  EXPECT_EQ(sim.Find("b"), nullptr);
}

TEST(SimulationLifecycleTest, MaxRuntimeStopsAfterTheBudgetOfUpTime) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("r").MaxRuntime(1800)).ok());
  sim.AdvanceTo(1919);
  EXPECT_EQ(Get(sim, "r").secondary_status, S::kTraining);
  sim.AdvanceTo(5000);
  const TrainingJob& job = Get(sim, "r");
  ExpectPhases(job, {{S::kPending, 0, 0},
                     {S::kStarting, 0, 120},
                     {S::kTraining, 120, 1920},
                     {S::kStopping, 1920, 2040},
                     {S::kMaxRuntimeExceeded, 2040, 2040}});
  EXPECT_EQ(job.transitions[3].message, "MaxRuntimeInSeconds (1800 s) reached: stopping");
  EXPECT_EQ(job.status, JobStatus::kStopped);
  EXPECT_EQ(job.attempts[0].outcome, "MaxRuntimeExceeded");
  EXPECT_EQ(job.attempts[0].progress_at_end, 1800);
  EXPECT_EQ(job.attempts[0].billed_seconds, 1920);
  EXPECT_EQ(job.training_end_time, 2040);
}

TEST(SimulationLifecycleTest, MaxWaitStopsAJobStillWaitingForSpot) {
  Simulation sim(TestCatalogue(4, 0), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("mw").Spot(7200).MaxRuntime(3600)).ok());
  sim.AdvanceTo(7199);
  EXPECT_EQ(Get(sim, "mw").status, JobStatus::kInProgress);
  sim.AdvanceTo(7200);
  const TrainingJob& job = Get(sim, "mw");
  ExpectPhases(job, {{S::kPending, 0, 7200}, {S::kMaxWaitTimeExceeded, 7200, 7200}});
  EXPECT_EQ(job.transitions[1].message,
            "MaxWaitTimeInSeconds (7200 s) reached while waiting for spot capacity");
  EXPECT_EQ(job.status, JobStatus::kStopped);
  EXPECT_TRUE(job.attempts.empty());
  CostSummary s = ComputeCostSummary(job, TestPool(4, 0), 60);
  EXPECT_EQ(s.waiting_seconds, 7200);
  EXPECT_EQ(s.actual_cost, 0);
  EXPECT_EQ(s.savings_percent, 0);
}

TEST(SimulationLifecycleTest, MaxWaitStopsARunningSpotJob) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("mw").Spot(3600).MaxRuntime(3600)).ok());
  sim.AdvanceTo(9000);
  const TrainingJob& job = Get(sim, "mw");
  ExpectPhases(job, {{S::kPending, 0, 0},
                     {S::kStarting, 0, 120},
                     {S::kTraining, 120, 3600},
                     {S::kStopping, 3600, 3720},
                     {S::kMaxWaitTimeExceeded, 3720, 3720}});
  EXPECT_EQ(job.attempts[0].outcome, "MaxWaitTimeExceeded");
  EXPECT_EQ(job.attempts[0].billed_seconds, 3600);  // 3480 training + 120 grace
}

TEST(SimulationLifecycleTest, FailAttemptRetriesFromTheCheckpointOnTheSameInstances) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("f").Checkpoints().Retries(1)).ok());
  sim.AdvanceTo(1000);
  ASSERT_TRUE(sim.FailAttempt("f").ok());
  EXPECT_EQ(sim.Pools()[0].on_demand_in_use, 1);  // kept
  sim.AdvanceTo(10000);
  const TrainingJob& job = Get(sim, "f");
  ExpectPhases(job, {{S::kPending, 0, 0},
                     {S::kStarting, 0, 120},
                     {S::kTraining, 120, 1000},
                     {S::kStarting, 1000, 1120},
                     {S::kTraining, 1120, 4120},
                     {S::kUploading, 4120, 4180},
                     {S::kCompleted, 4180, 4180}});
  EXPECT_EQ(job.transitions[3].message,
            "Internal error in attempt 1 after 880 s of training; retry 1 of 1 from 600 s");
  EXPECT_EQ(job.transitions[4].message, "Training from 600 s of 3600 s");
  ASSERT_EQ(job.attempts.size(), 2u);
  EXPECT_EQ(job.attempts[0].outcome, "Failed");
  EXPECT_EQ(job.attempts[0].progress_at_end, 880);
  EXPECT_EQ(job.attempts[0].billed_seconds, 880);
  EXPECT_EQ(job.attempts[1].number, 2);
  EXPECT_EQ(job.attempts[1].market, Market::kOnDemand);
  EXPECT_EQ(job.attempts[1].start_time, 1000);
  EXPECT_EQ(job.attempts[1].progress_at_start, 600);
  EXPECT_EQ(job.attempts[1].outcome, "Completed");
  EXPECT_EQ(job.lost_training_seconds, 280);
  EXPECT_EQ(job.status, JobStatus::kCompleted);
}

TEST(SimulationLifecycleTest, FailsWhenRetriesRunOut) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("f").Checkpoints().Retries(1)).ok());
  sim.AdvanceTo(1000);
  ASSERT_TRUE(sim.FailAttempt("f").ok());
  sim.AdvanceTo(2000);
  ASSERT_TRUE(sim.FailAttempt("f").ok());
  const TrainingJob& job = Get(sim, "f");
  EXPECT_EQ(job.status, JobStatus::kFailed);
  EXPECT_EQ(job.secondary_status, S::kFailed);
  EXPECT_EQ(job.failure_reason,
            "AlgorithmError: simulated internal error in attempt 2 (retries exhausted)");
  EXPECT_EQ(job.training_end_time, 2000);
  ASSERT_EQ(job.attempts.size(), 2u);
  // Attempt 2 trained from 600 from 1120 on, and checkpointed 1200 at 1720.
  EXPECT_EQ(job.attempts[1].progress_at_end, 1480);
  EXPECT_EQ(job.checkpointed_seconds, 1200);
  EXPECT_EQ(job.lost_training_seconds, 280);  // nothing is redone after the last
  EXPECT_EQ(sim.Pools()[0].on_demand_in_use, 0);
  EXPECT_EQ(sim.FailAttempt("f").code(), ErrorCode::kValidation);
}

TEST(SimulationLifecycleTest, FailureProbabilityFailsEachAttemptAtItsKeyedDraw) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("p").FailureProbability(1).Retries(2)).ok());
  sim.AdvanceTo(100000);
  const TrainingJob& job = Get(sim, "p");
  EXPECT_EQ(job.status, JobStatus::kFailed);
  EXPECT_EQ(job.failure_reason,
            "AlgorithmError: simulated internal error in attempt 3 (retries exhausted)");
  ASSERT_EQ(job.attempts.size(), 3u);
  KeyedRandom random(1);
  double start = 0;
  for (int n = 1; n <= 3; ++n) {
    const Attempt& a = job.attempts[n - 1];
    const double point = random.Uniform(kDrawFailurePoint, "p", n) * 3600;
    EXPECT_EQ(a.outcome, "Failed");
    EXPECT_EQ(a.progress_at_start, 0);
    EXPECT_EQ(a.progress_at_end, point);
    EXPECT_EQ(a.start_time, start);
    start = start + 120 + point;
    EXPECT_EQ(a.end_time, start);
  }
}

TEST(SimulationLifecycleTest, FailAttemptNeedsARunningAttempt) {
  Simulation sim(TestCatalogue(4, 0), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("w").Spot()).ok());
  Status s = sim.FailAttempt("w");
  EXPECT_EQ(s.code(), ErrorCode::kValidation);
  EXPECT_NE(s.message().find("Pending"), std::string::npos);
}

}  // namespace
}  // namespace trainyard
