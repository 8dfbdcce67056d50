#include "trainyard/event_feed.h"

#include <algorithm>
#include <iterator>

namespace trainyard {

std::vector<JobEvent> EventSubscription::Take() {
  std::vector<std::shared_ptr<const JobEvent>> taken;
  {
    std::lock_guard lock(mu_);
    taken.swap(queue_);
  }
  // Copied here, on the follower's thread, not on the engine's.
  std::vector<JobEvent> out;
  out.reserve(taken.size());
  for (const auto& event : taken) out.push_back(*event);
  return out;
}

bool EventSubscription::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

bool EventSubscription::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

std::shared_ptr<EventSubscription> EventFeed::Subscribe(const std::string& job_name,
                                                        std::function<void()> wake) {
  std::shared_ptr<EventSubscription> subscription(new EventSubscription(std::move(wake)));
  std::lock_guard lock(mu_);
  if (closed_) {
    subscription->closed_ = true;
    return subscription;
  }
  auto& list = by_job_[job_name];
  std::erase_if(list, [](const auto& weak) { return weak.expired(); });
  list.push_back(subscription);
  // Jobs whose followers all left, and that publish nothing more, would
  // keep their entries: sweep them now and then, in amortised O(1).
  if (++subscribes_ % kSweepEvery == 0) {
    for (auto it = by_job_.begin(); it != by_job_.end();) {
      std::erase_if(it->second, [](const auto& weak) { return weak.expired(); });
      it = it->second.empty() ? by_job_.erase(it) : std::next(it);
    }
  }
  return subscription;
}

void EventFeed::Publish(const std::vector<JobEvent>& events) {
  std::vector<std::shared_ptr<EventSubscription>> woken;
  {
    std::lock_guard lock(mu_);
    if (by_job_.empty()) return;
    const uint64_t publish = ++publishes_;
    for (const JobEvent& event : events) {
      auto it = by_job_.find(event.job_name);
      if (it == by_job_.end()) continue;
      auto& list = it->second;
      const auto shared = std::make_shared<const JobEvent>(event);
      for (auto& weak : list) {
        std::shared_ptr<EventSubscription> s = weak.lock();
        if (!s) continue;
        {
          std::lock_guard sub_lock(s->mu_);
          if (s->dropped_) continue;
          if (s->queue_.size() >= max_backlog_) {
            s->dropped_ = true;
            std::vector<std::shared_ptr<const JobEvent>>().swap(s->queue_);
          } else {
            s->queue_.push_back(shared);
          }
        }
        if (s->woken_in_ != publish) {  // once per Publish, however many events
          s->woken_in_ = publish;
          woken.push_back(std::move(s));
        }
      }
      std::erase_if(list, [](const auto& weak) { return weak.expired(); });
      // After a job's final event nothing more is published for it: its
      // followers have what they need, and the entry goes.
      if (list.empty() || IsFinalEvent(event)) by_job_.erase(it);
    }
  }
  // Outside the feed's lock: a wake may subscribe or release a subscription.
  for (auto& s : woken) s->wake_();
}

void EventFeed::Close() {
  std::vector<std::shared_ptr<EventSubscription>> woken;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    for (auto& [name, list] : by_job_) {
      for (auto& weak : list) {
        if (auto s = weak.lock()) {
          std::lock_guard sub_lock(s->mu_);
          s->closed_ = true;
          woken.push_back(std::move(s));
        }
      }
    }
    by_job_.clear();
  }
  for (auto& s : woken) s->wake_();
}

size_t EventFeed::Followers() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [name, list] : by_job_) {
    n += static_cast<size_t>(std::count_if(list.begin(), list.end(),
                                           [](const auto& weak) { return !weak.expired(); }));
  }
  return n;
}

}  // namespace trainyard
