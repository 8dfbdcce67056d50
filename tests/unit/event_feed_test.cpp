// EventFeed: followers get their job's committed events in order; a reader
// that falls behind is dropped, never waited for; Close ends every follower.
#include "trainyard/event_feed.h"

#include <gtest/gtest.h>

#include <atomic>

namespace trainyard {
namespace {

JobEvent Event(int64_t id, const std::string& job) {
  JobEvent e;
  e.id = id;
  e.job_name = job;
  e.message = "event " + std::to_string(id);
  return e;
}

TEST(EventFeedTest, FollowersGetOnlyTheirJobsEventsInOrder) {
  EventFeed feed;
  int wakes_a = 0, wakes_b = 0;
  auto a = feed.Subscribe("a", [&] { ++wakes_a; });
  auto b = feed.Subscribe("b", [&] { ++wakes_b; });
  feed.Publish({Event(1, "a"), Event(2, "b"), Event(3, "a")});
  std::vector<JobEvent> got = a->Take();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id, 1);
  EXPECT_EQ(got[1].id, 3);
  EXPECT_EQ(b->Take().size(), 1u);
  EXPECT_EQ(wakes_a, 1);  // once per publish, not per event
  EXPECT_EQ(wakes_b, 1);
  EXPECT_TRUE(a->Take().empty());
}

TEST(EventFeedTest, EventsBeforeSubscribingAreNotQueued) {
  EventFeed feed;
  feed.Publish({Event(1, "a")});
  auto a = feed.Subscribe("a", [] {});
  feed.Publish({Event(2, "a")});
  std::vector<JobEvent> got = a->Take();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, 2);
}

TEST(EventFeedTest, ASlowReaderIsDroppedAndOthersCarryOn) {
  EventFeed feed(/*max_backlog=*/3);
  auto slow = feed.Subscribe("a", [] {});
  auto fast = feed.Subscribe("a", [] {});
  int64_t id = 0;
  size_t fast_got = 0;
  for (int i = 0; i < 10; ++i) {
    feed.Publish({Event(++id, "a")});
    fast_got += fast->Take().size();  // keeps up
  }
  EXPECT_EQ(fast_got, 10u);
  EXPECT_FALSE(fast->dropped());
  EXPECT_TRUE(slow->dropped());
  EXPECT_TRUE(slow->Take().empty());  // its backlog was freed
}

TEST(EventFeedTest, AReleasedSubscriptionIsForgotten) {
  EventFeed feed;
  auto a = feed.Subscribe("a", [] {});
  auto b = feed.Subscribe("a", [] {});
  EXPECT_EQ(feed.Followers(), 2u);
  a.reset();
  EXPECT_EQ(feed.Followers(), 1u);
  feed.Publish({Event(1, "a")});
  EXPECT_EQ(b->Take().size(), 1u);
}

TEST(EventFeedTest, CloseEndsFollowersAndRefusesNewOnes) {
  EventFeed feed;
  std::atomic<int> woken{0};
  auto a = feed.Subscribe("a", [&] { ++woken; });
  feed.Close();
  EXPECT_TRUE(a->closed());
  EXPECT_EQ(woken, 1);
  auto late = feed.Subscribe("a", [] {});
  EXPECT_TRUE(late->closed());
  feed.Publish({Event(1, "a")});
  EXPECT_TRUE(late->Take().empty());
}

}  // namespace
}  // namespace trainyard
