// EventFeed: committed job events, fanned out to live followers
// (GET /v1/training-jobs/{name}/events?follow=true).
//
// The engine publishes each burst's events once they are durable; followers
// take them on their own threads. A follower never slows the engine much:
// Publish makes one shared copy of each event, queues a pointer to it for
// each interested subscription under that subscription's own short lock, and
// calls its wake function once, which must only hand work to another thread.
// The follower copies the events out on its own thread (Take). A subscription that already holds
// `max_backlog` events when one more arrives is dropped: its queue is freed
// and dropped() turns true, so its reader can end the stream and the client
// reconnect with Last-Event-ID, reading what it missed from the store.
//
// A subscription lives as long as its holder keeps the shared_ptr; the feed
// keeps only a weak reference and forgets it after it is released.
//
// Threading: every method of both classes is thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "trainyard/job_event.h"

namespace trainyard {

class EventSubscription {
 public:
  // Everything queued since the last call, oldest first.
  std::vector<JobEvent> Take();
  // The reader fell `max_backlog` events behind; nothing more is queued.
  bool dropped() const;
  // The feed closed (the server is shutting down); nothing more will come.
  bool closed() const;

 private:
  friend class EventFeed;
  explicit EventSubscription(std::function<void()> wake) : wake_(std::move(wake)) {}

  const std::function<void()> wake_;
  uint64_t woken_in_ = 0;  // the Publish that last woke it; guarded by the feed's mu_
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<const JobEvent>> queue_;  // guarded by mu_
  bool dropped_ = false;         // guarded by mu_
  bool closed_ = false;          // guarded by mu_
};

class EventFeed {
 public:
  explicit EventFeed(size_t max_backlog = 1024) : max_backlog_(max_backlog) {}

  // Follows the events of `job_name` published from now on. `wake` runs on
  // the publishing thread after events were queued, and on drop or close.
  std::shared_ptr<EventSubscription> Subscribe(const std::string& job_name,
                                               std::function<void()> wake);

  // Queues each event for the job's subscriptions, in order.
  void Publish(const std::vector<JobEvent>& events);

  // Closes every subscription and refuses new ones (they start closed).
  void Close();

  // Subscriptions still held by someone, still to get events.
  size_t Followers() const;

 private:
  static constexpr uint64_t kSweepEvery = 64;

  const size_t max_backlog_;
  mutable std::mutex mu_;
  bool closed_ = false;     // guarded by mu_
  uint64_t subscribes_ = 0;  // guarded by mu_
  uint64_t publishes_ = 0;   // guarded by mu_
  std::unordered_map<std::string, std::vector<std::weak_ptr<EventSubscription>>>
      by_job_;  // guarded by mu_
};

}  // namespace trainyard
