#include "server/engine/event_queue.h"

#include <gtest/gtest.h>

namespace trainyard {
namespace {

EventTarget Job(double created, const char* name) { return EventTarget::Job(created, name); }

TEST(EventQueueTest, PopsInTimeThenMarketThenCreationOrder) {
  EventQueue q;
  q.Schedule(Job(5, "b"), 10.0);
  q.Schedule(Job(5, "a"), 10.0);
  q.Schedule(Job(2, "z"), 10.0);
  q.Schedule(Job(9, "late"), 3.5);
  q.Schedule(EventTarget::Market(), 10.0);
  EXPECT_EQ(q.size(), 5u);
  EXPECT_EQ(q.PopDue(100)->target, Job(9, "late"));
  EXPECT_TRUE(q.PopDue(100)->target.is_market());
  EXPECT_EQ(q.PopDue(100)->target, Job(2, "z"));
  EXPECT_EQ(q.PopDue(100)->target, Job(5, "a"));
  EXPECT_EQ(q.PopDue(100)->target, Job(5, "b"));
  EXPECT_FALSE(q.PopDue(100));
}

TEST(EventQueueTest, OnlyDueEventsPop) {
  EventQueue q;
  q.Schedule(Job(0, "j"), 10);
  EXPECT_FALSE(q.PopDue(9.999));
  EXPECT_EQ(q.Next(), (EventKey{10, Job(0, "j")}));
  EXPECT_TRUE(q.PopDue(10));
}

TEST(EventQueueTest, RescheduleReplacesAndCancelRemoves) {
  EventQueue q;
  q.Schedule(Job(0, "j"), 10);
  q.Schedule(Job(0, "j"), 20);
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.TimeOf(Job(0, "j")), 20);
  q.Cancel(Job(0, "j"));
  q.Cancel(Job(0, "j"));
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.TimeOf(Job(0, "j")));
}

}  // namespace
}  // namespace trainyard
