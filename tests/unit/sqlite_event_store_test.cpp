// SqliteJobStore's job histories: events go in with their jobs in one
// transaction, come back page by page in id order, survive a reopen, and a
// batch retried with the same events does not store them twice.
#include <gtest/gtest.h>

#include "tests/unit/scratch_dir.h"
#include "trainyard/job_store.h"

namespace trainyard {
namespace {

TrainingJob Job(const std::string& name, JobStatus status = JobStatus::kInProgress) {
  TrainingJob job;
  job.spec.name = name;
  job.spec.instance_type = "ml.p3.2xlarge";
  job.arn = "arn:" + name;
  job.request_document = "{}";
  job.status = status;
  return job;
}

JobEvent Event(int64_t id, const std::string& job, JobEventType type = JobEventType::kStatusChange) {
  JobEvent e;
  e.id = id;
  e.job_name = job;
  e.time = 1000.5 + static_cast<double>(id);
  e.type = type;
  e.status = JobStatus::kInProgress;
  e.secondary_status = SecondaryStatus::kTraining;
  e.attempt = 2;
  e.message = "event " + std::to_string(id) + " \xE2\x9C\x93 'quoted'";
  return e;
}

class SqliteEventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void TearDown() override { store_.reset(); }
  void Reopen() {
    store_.reset();
    auto store = OpenSqliteJobStore(dir_.File("jobs.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
  }
  Status Save(std::vector<const TrainingJob*> jobs, const std::vector<JobEvent>& events) {
    StoreBatch batch;
    batch.jobs = std::move(jobs);
    batch.events = events;
    return store_->Save(batch);
  }

  testing::ScratchDir dir_{"events"};
  std::unique_ptr<JobStore> store_;
};

TEST_F(SqliteEventStoreTest, EventsRoundTripExactlyInIdOrder) {
  TrainingJob a = Job("a"), b = Job("b");
  JobEvent placed = Event(2, "a", JobEventType::kPlacement);
  placed.market = Market::kSpot;
  placed.instance_type = "ml.p3.2xlarge";
  placed.instance_count = 8;
  placed.progress_seconds = 1234.5;
  std::vector<JobEvent> events = {Event(1, "a"), placed, Event(3, "b"), Event(4, "a")};
  ASSERT_TRUE(Save({&a, &b}, events).ok());
  EXPECT_EQ(*store_->LastEventId(), 4);

  auto page = store_->ListEvents("a", 0, 100);
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->events.size(), 3u);
  EXPECT_TRUE(page->events[0] == events[0]);
  EXPECT_TRUE(page->events[1] == placed);
  EXPECT_TRUE(page->events[2] == events[3]);
  EXPECT_FALSE(page->more);
  EXPECT_EQ(page->job_status, JobStatus::kInProgress);
}

TEST_F(SqliteEventStoreTest, PagesFollowAfterId) {
  TrainingJob a = Job("a");
  std::vector<JobEvent> events;
  for (int64_t id = 1; id <= 7; ++id) events.push_back(Event(id, "a"));
  ASSERT_TRUE(Save({&a}, events).ok());
  std::vector<int64_t> seen;
  int64_t after = 0;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = store_->ListEvents("a", after, 3);
    ASSERT_TRUE(page.ok());
    for (const auto& e : page->events) seen.push_back(e.id);
    if (!page->more) break;
    EXPECT_EQ(page->events.size(), 3u);
    after = page->events.back().id;
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7}));
}

TEST_F(SqliteEventStoreTest, UnknownJobIsNotFoundAndAJobWithoutEventsIsEmpty) {
  TrainingJob done = Job("done", JobStatus::kCompleted);
  ASSERT_TRUE(Save({&done}, {}).ok());
  auto missing = store_->ListEvents("nope", 0, 10);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  auto empty = store_->ListEvents("done", 0, 10);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->events.empty());
  EXPECT_EQ(empty->job_status, JobStatus::kCompleted);
  EXPECT_EQ(*store_->LastEventId(), 0);
}

TEST_F(SqliteEventStoreTest, ARetriedBatchStoresEachEventOnce) {
  TrainingJob a = Job("a");
  std::vector<JobEvent> events = {Event(1, "a"), Event(2, "a")};
  ASSERT_TRUE(Save({&a}, events).ok());
  events.push_back(Event(3, "a"));
  ASSERT_TRUE(Save({&a}, events).ok());
  auto page = store_->ListEvents("a", 0, 100);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->events.size(), 3u);
}

TEST_F(SqliteEventStoreTest, AnEventWithoutIdFailsTheWholeBatch) {
  TrainingJob a = Job("a");
  ASSERT_FALSE(Save({&a}, {Event(1, "a"), Event(0, "a")}).ok());
  EXPECT_EQ(store_->GetJob("a").status().code(), ErrorCode::kNotFound);  // rolled back
  EXPECT_EQ(*store_->LastEventId(), 0);
}

TEST_F(SqliteEventStoreTest, EventsSurviveAReopen) {
  TrainingJob a = Job("a");
  ASSERT_TRUE(Save({&a}, {Event(1, "a"), Event(2, "a")}).ok());
  Reopen();
  EXPECT_EQ(*store_->LastEventId(), 2);
  EXPECT_EQ(store_->ListEvents("a", 1, 10)->events.size(), 1u);
}

}  // namespace
}  // namespace trainyard
