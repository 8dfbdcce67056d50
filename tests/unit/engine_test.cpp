#include "server/engine/engine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "tests/unit/fake_job_store.h"

namespace trainyard {
namespace {

TrainingJob NewJob(const std::string& name) {
  TrainingJob job;
  job.spec.name = name;
  job.spec.instance_type = "ml.m5.large";
  job.arn = "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + name;
  job.request_document = "{}";
  return job;
}

Result<TrainingJob> CreateAndWait(Engine& engine, const std::string& name) {
  std::promise<Result<TrainingJob>> promise;
  engine.CreateJob(NewJob(name), [&](Result<TrainingJob> r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

Result<TrainingJob> StopAndWait(Engine& engine, const std::string& name) {
  std::promise<Result<TrainingJob>> promise;
  engine.StopJob(name, [&](Result<TrainingJob> r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

// One pool with no capacity, so created jobs wait, and one with room.
Catalogue TestCatalogue() {
  InstancePool full{"ml.m5.large", 0.115, 0, 0, 0.3, 0, 120, 10};
  InstancePool roomy{"ml.c5.xlarge", 0.204, 4, 4, 0.3, 0, 120, 10};
  return Catalogue({full, roomy});
}

SimulationOptions StillMarket() {
  SimulationOptions options;
  options.market_moves = false;
  return options;
}

Result<double> AdvanceAndWait(Engine& engine, double seconds) {
  std::promise<Result<double>> promise;
  engine.AdvanceClock(seconds, [&](Result<double> r) { promise.set_value(std::move(r)); });
  return promise.get_future().get();
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(engine_.Start().ok()); }

  testing::FakeJobStore store_;
  ManualClock clock_{1000};
  Engine engine_{store_, clock_, TestCatalogue(), StillMarket()};
};

TEST_F(EngineTest, CreatedJobIsStoredBeforeTheReply) {
  auto created = CreateAndWait(engine_, "job-a");
  ASSERT_TRUE(created.ok()) << created.status().message();
  auto stored = store_.GetJob("job-a");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, JobStatus::kInProgress);
  EXPECT_EQ(stored->secondary_status, SecondaryStatus::kPending);
  EXPECT_EQ(stored->creation_time, 1000);
  ASSERT_EQ(stored->transitions.size(), 1u);
  EXPECT_EQ(stored->transitions[0].status, SecondaryStatus::kPending);
}

TEST_F(EngineTest, DuplicateNameIsInUse) {
  ASSERT_TRUE(CreateAndWait(engine_, "job-a").ok());
  auto again = CreateAndWait(engine_, "job-a");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kInUse);
}

TEST_F(EngineTest, CommandsArrivingTogetherShareOneCommit) {
  // Queue many creates before the engine thread can take them one by one:
  // whatever the interleaving, there are fewer commits than creates, and
  // never more commits than creates.
  constexpr int kJobs = 200;
  std::vector<std::promise<Result<TrainingJob>>> promises(kJobs);
  for (int i = 0; i < kJobs; ++i) {
    engine_.CreateJob(NewJob("job-" + std::to_string(i)),
                      [&promises, i](Result<TrainingJob> r) { promises[i].set_value(std::move(r)); });
  }
  for (auto& p : promises) ASSERT_TRUE(p.get_future().get().ok());
  EXPECT_LT(store_.saves(), kJobs);
}

TEST_F(EngineTest, FailedCommitIsReportedThenRetried) {
  store_.FailNextSave();
  auto created = CreateAndWait(engine_, "job-a");
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), ErrorCode::kInternal);
  EXPECT_FALSE(store_.GetJob("job-a").ok()) << "nothing was stored";
  // The next burst writes what the failed one could not: the store catches
  // up with the engine rather than the two drifting apart.
  ASSERT_TRUE(CreateAndWait(engine_, "job-b").ok());
  EXPECT_TRUE(store_.GetJob("job-a").ok());
  EXPECT_EQ(CreateAndWait(engine_, "job-a").status().code(), ErrorCode::kInUse);
}

TEST_F(EngineTest, StoppingAWaitingJobStopsItAtOnce) {
  ASSERT_TRUE(CreateAndWait(engine_, "job-a").ok());
  ASSERT_TRUE(AdvanceAndWait(engine_, 30).ok());
  auto stopped = StopAndWait(engine_, "job-a");
  ASSERT_TRUE(stopped.ok()) << stopped.status().message();
  EXPECT_EQ(stopped->status, JobStatus::kStopped);
  EXPECT_EQ(stopped->secondary_status, SecondaryStatus::kStopped);
  auto stored = store_.GetJob("job-a");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, JobStatus::kStopped);
  ASSERT_EQ(stored->transitions.size(), 2u);
  EXPECT_EQ(stored->transitions[0].end_time, 1030);
  EXPECT_EQ(stored->transitions[1].start_time, 1030);
  // Stopping again is a no-op that still answers with the job.
  auto again = StopAndWait(engine_, "job-a");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, JobStatus::kStopped);
}

TEST_F(EngineTest, StoppingAnUnknownJobIsNotFound) {
  auto stopped = StopAndWait(engine_, "nope");
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.status().code(), ErrorCode::kNotFound);
}

TEST_F(EngineTest, CommandsAfterShutdownAreUnavailable) {
  engine_.Shutdown();
  auto created = CreateAndWait(engine_, "job-a");
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), ErrorCode::kUnavailable);
}

TEST_F(EngineTest, UnfinishedJobsAreReloadedOnStart) {
  ASSERT_TRUE(CreateAndWait(engine_, "job-a").ok());
  engine_.Shutdown();
  Engine restarted(store_, clock_, TestCatalogue(), StillMarket());
  ASSERT_TRUE(restarted.Start().ok());
  auto again = CreateAndWait(restarted, "job-a");
  EXPECT_EQ(again.status().code(), ErrorCode::kInUse);
  auto stopped = StopAndWait(restarted, "job-a");
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped->status, JobStatus::kStopped);
}

TEST_F(EngineTest, AdvancingTheManualClockRunsAJobToCompletion) {
  TrainingJob job = NewJob("cpu-job");
  job.spec.instance_type = "ml.c5.xlarge";
  job.spec.input_mode = TrainingInputMode::kPipe;
  job.spec.workload.work_seconds = 600;
  std::promise<Result<TrainingJob>> promise;
  engine_.CreateJob(job, [&](Result<TrainingJob> r) { promise.set_value(std::move(r)); });
  auto created = promise.get_future().get();
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ(created->secondary_status, SecondaryStatus::kStarting) << "placed at once: room";

  // Launch 120 s, training 600 s, upload 60 s.
  auto now = AdvanceAndWait(engine_, 780);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(*now, 1780);
  auto stored = store_.GetJob("cpu-job");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, JobStatus::kCompleted);
  ASSERT_EQ(stored->attempts.size(), 1u);
  EXPECT_EQ(stored->attempts[0].billed_seconds, 660);
  auto saved = store_.LoadVirtualTime();
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->value_or(0), 1780) << "virtual time is persisted with the changes";
}

TEST_F(EngineTest, AdvanceOnARealClockIsAConflict) {
  testing::FakeJobStore store;
  ScaledClock clock(1000, 1);
  Engine engine(store, clock, TestCatalogue(), StillMarket());
  ASSERT_TRUE(engine.Start().ok());
  auto now = AdvanceAndWait(engine, 10);
  ASSERT_FALSE(now.ok());
  EXPECT_EQ(now.status().code(), ErrorCode::kConflict);
}

TEST_F(EngineTest, ARealClockRunsEventsWithoutCommands) {
  testing::FakeJobStore store;
  ScaledClock clock(1000, 1e6);  // a million virtual seconds per real second
  Engine engine(store, clock, TestCatalogue(), StillMarket());
  ASSERT_TRUE(engine.Start().ok());
  TrainingJob job = NewJob("fast");
  job.spec.instance_type = "ml.c5.xlarge";
  job.spec.workload.work_seconds = 600;
  std::promise<Result<TrainingJob>> promise;
  engine.CreateJob(job, [&](Result<TrainingJob> r) { promise.set_value(std::move(r)); });
  ASSERT_TRUE(promise.get_future().get().ok());
  // No timing assertion: wait, however long the machine needs, for the
  // engine to wake by itself and finish the job.
  for (;;) {
    auto stored = store.GetJob("fast");
    if (stored.ok() && stored->status == JobStatus::kCompleted) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST_F(EngineTest, ARestartMidRunEndsLikeARunWithout) {
  auto scenario = [](bool restart) {
    testing::FakeJobStore store;
    ManualClock clock(1000);
    auto engine = std::make_unique<Engine>(store, clock, TestCatalogue(), SimulationOptions{});
    EXPECT_TRUE(engine->Start().ok());
    for (int i = 0; i < 6; ++i) {
      TrainingJob job = NewJob("job-" + std::to_string(i));
      job.spec.instance_type = "ml.c5.xlarge";
      job.spec.managed_spot = i % 2 == 0;
      job.spec.max_wait_seconds = job.spec.managed_spot ? std::optional<int64_t>(86400) : std::nullopt;
      job.spec.checkpointing = true;
      job.spec.workload.work_seconds = 3600 + 600 * i;
      std::promise<Result<TrainingJob>> p;
      engine->CreateJob(job, [&](Result<TrainingJob> r) { p.set_value(std::move(r)); });
      EXPECT_TRUE(p.get_future().get().ok());
    }
    EXPECT_TRUE(AdvanceAndWait(*engine, 2500).ok());
    if (restart) {
      engine->Shutdown();
      engine = std::make_unique<Engine>(store, clock, TestCatalogue(), SimulationOptions{});
      EXPECT_TRUE(engine->Start().ok());
    }
    EXPECT_TRUE(AdvanceAndWait(*engine, 20000).ok());
    std::vector<TrainingJob> jobs;
    for (int i = 0; i < 6; ++i) jobs.push_back(*store.GetJob("job-" + std::to_string(i)));
    return jobs;
  };
  auto straight = scenario(false);
  auto restarted = scenario(true);
  for (size_t i = 0; i < straight.size(); ++i) {
    EXPECT_EQ(straight[i].status, JobStatus::kCompleted) << straight[i].spec.name;
    EXPECT_TRUE(straight[i] == restarted[i]) << straight[i].spec.name;
  }
}

}  // namespace
}  // namespace trainyard
