#include "server/engine/engine.h"

#include <gtest/gtest.h>

#include <future>

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

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(engine_.Start().ok()); }

  testing::FakeJobStore store_;
  ManualClock clock_{1000};
  Engine engine_{store_, clock_};
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

TEST_F(EngineTest, FailedCommitIsReportedAndNotRemembered) {
  store_.FailNextSave();
  auto created = CreateAndWait(engine_, "job-a");
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), ErrorCode::kInternal);
  // The name is free again: the job was never stored.
  EXPECT_TRUE(CreateAndWait(engine_, "job-a").ok());
}

TEST_F(EngineTest, StoppingAWaitingJobStopsItAtOnce) {
  ASSERT_TRUE(CreateAndWait(engine_, "job-a").ok());
  clock_.Advance(30);
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
  Engine restarted(store_, clock_);
  ASSERT_TRUE(restarted.Start().ok());
  auto again = CreateAndWait(restarted, "job-a");
  EXPECT_EQ(again.status().code(), ErrorCode::kInUse);
  auto stopped = StopAndWait(restarted, "job-a");
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped->status, JobStatus::kStopped);
}

}  // namespace
}  // namespace trainyard
