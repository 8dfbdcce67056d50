#include "server/engine/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>

namespace trainyard {
namespace {

// Slots are the queue's index; any distinct small numbers do.
EventTarget Job(double created, const char* name) {
  static const std::map<std::string, uint32_t> kSlots = {
      {"a", 0}, {"b", 1}, {"z", 2}, {"late", 3}, {"j", 4}};
  return EventTarget::Job(created, name, kSlots.at(name));
}

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

TEST(EventQueueTest, ManyReschedulesPopInTheOrderOfASortedList) {
  // The heap against the obvious model: a sorted list of (time, creation, name).
  std::mt19937 rng(3);
  std::vector<std::string> names;
  for (int i = 0; i < 200; ++i) names.push_back("job-" + std::to_string(i));
  EventQueue q;
  std::map<uint32_t, EventKey> model;
  for (int step = 0; step < 5000; ++step) {
    const uint32_t slot = rng() % 200;
    // Few distinct times and creation times, so ties are common.
    const EventTarget target = EventTarget::Job(static_cast<double>(slot % 7), names[slot], slot);
    if (rng() % 4 == 0) {
      q.Cancel(target);
      model.erase(slot);
    } else {
      const double time = static_cast<double>(rng() % 50);
      q.Schedule(target, time);
      model.insert_or_assign(slot, EventKey{time, target});
    }
    ASSERT_EQ(q.size(), model.size());
  }
  std::vector<EventKey> expected;
  for (const auto& [slot, key] : model) expected.push_back(key);
  std::sort(expected.begin(), expected.end());
  for (const EventKey& key : expected) {
    auto popped = q.PopDue(1e9);
    ASSERT_TRUE(popped);
    EXPECT_EQ(popped->time, key.time);
    EXPECT_EQ(popped->target.name, key.target.name);
  }
  EXPECT_TRUE(q.empty());
}

}  // namespace
}  // namespace trainyard
