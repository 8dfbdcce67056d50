// Engine: job histories are numbered as they commit, stored with the job
// state that caused them, published to followers only once durable, and
// numbered on from the store after a restart.
#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "server/engine/engine.h"
#include "tests/unit/fake_job_store.h"

namespace trainyard {
namespace {

Catalogue RoomyCatalogue() { return Catalogue({{"ml.c5.xlarge", 0.204, 4, 4, 0.3, 0, 120, 10}}); }

SimulationOptions Still() {
  SimulationOptions options;
  options.market_moves = false;
  return options;
}

TrainingJob CpuJob(const std::string& name) {
  TrainingJob job;
  job.spec.name = name;
  job.spec.instance_type = "ml.c5.xlarge";
  job.spec.input_mode = TrainingInputMode::kPipe;
  job.spec.workload.work_seconds = 600;
  job.arn = "arn:" + name;
  job.request_document = "{}";
  return job;
}

Result<TrainingJob> Create(Engine& engine, const std::string& name) {
  std::promise<Result<TrainingJob>> p;
  engine.CreateJob(CpuJob(name), [&](Result<TrainingJob> r) { p.set_value(std::move(r)); });
  return p.get_future().get();
}

Result<double> Advance(Engine& engine, double seconds) {
  std::promise<Result<double>> p;
  engine.AdvanceClock(seconds, [&](Result<double> r) { p.set_value(std::move(r)); });
  return p.get_future().get();
}

TEST(EngineEventsTest, EventsAreStoredWithTheirJobAndNumberedInOrder) {
  testing::FakeJobStore store;
  ManualClock clock(1000);
  Engine engine(store, clock, RoomyCatalogue(), Still());
  ASSERT_TRUE(engine.Start().ok());
  ASSERT_TRUE(Create(engine, "a").ok());
  // Committed with the create: Pending, Placement, Starting.
  auto page = store.ListEvents("a", 0, 100);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->events.size(), 3u);
  EXPECT_EQ(page->events[0].id, 1);
  EXPECT_EQ(page->events[1].type, JobEventType::kPlacement);
  EXPECT_EQ(page->events[2].secondary_status, SecondaryStatus::kStarting);
  ASSERT_TRUE(Advance(engine, 10000).ok());
  std::vector<JobEvent> all = store.AllEvents();
  ASSERT_EQ(all.size(), 6u);  // + Training, Uploading, Completed
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].id, static_cast<int64_t>(i) + 1);
  EXPECT_TRUE(IsFinalEvent(all.back()));
  EXPECT_EQ(engine.ListEvents("a", 3, 100)->events.size(), 3u);
}

TEST(EngineEventsTest, FollowersHearOnlyWhatIsDurable) {
  testing::FakeJobStore store;
  ManualClock clock(1000);
  Engine engine(store, clock, RoomyCatalogue(), Still());
  ASSERT_TRUE(engine.Start().ok());
  ASSERT_TRUE(Create(engine, "a").ok());
  std::atomic<int> wakes{0};
  auto follower = engine.FollowEvents("a", [&] { ++wakes; });
  EXPECT_EQ(engine.Followers(), 1u);

  store.FailNextSave();
  EXPECT_FALSE(Advance(engine, 200).ok());  // Training began, but not durably
  EXPECT_TRUE(follower->Take().empty());
  EXPECT_EQ(wakes, 0);

  ASSERT_TRUE(Advance(engine, 10000).ok());  // the retried batch, then the rest
  std::vector<JobEvent> live = follower->Take();
  ASSERT_EQ(live.size(), 3u);
  EXPECT_EQ(live[0].id, 4);
  EXPECT_EQ(live[0].secondary_status, SecondaryStatus::kTraining);
  EXPECT_TRUE(IsFinalEvent(live.back()));
  EXPECT_EQ(store.AllEvents().size(), 6u);  // each stored once
}

TEST(EngineEventsTest, IdsContinueAfterARestartAndShutdownClosesFollowers) {
  testing::FakeJobStore store;
  ManualClock clock(1000);
  {
    Engine engine(store, clock, RoomyCatalogue(), Still());
    ASSERT_TRUE(engine.Start().ok());
    ASSERT_TRUE(Create(engine, "a").ok());
    auto follower = engine.FollowEvents("a", [] {});
    engine.Shutdown();
    EXPECT_TRUE(follower->closed());
  }
  Engine restarted(store, clock, RoomyCatalogue(), Still());
  ASSERT_TRUE(restarted.Start().ok());
  ASSERT_TRUE(Create(restarted, "b").ok());
  auto page = store.ListEvents("b", 0, 100);
  ASSERT_TRUE(page.ok());
  ASSERT_FALSE(page->events.empty());
  EXPECT_EQ(page->events[0].id, 4);
}

}  // namespace
}  // namespace trainyard
