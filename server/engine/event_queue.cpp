#include "server/engine/event_queue.h"

namespace trainyard {

void EventQueue::Schedule(const EventTarget& target, double time) {
  Cancel(target);
  events_.insert({time, target});
  time_of_[target] = time;
}

void EventQueue::Cancel(const EventTarget& target) {
  auto it = time_of_.find(target);
  if (it == time_of_.end()) return;
  events_.erase({it->second, target});
  time_of_.erase(it);
}

std::optional<EventKey> EventQueue::Next() const {
  if (events_.empty()) return std::nullopt;
  return *events_.begin();
}

std::optional<EventKey> EventQueue::PopDue(double t) {
  if (events_.empty() || events_.begin()->time > t) return std::nullopt;
  EventKey key = *events_.begin();
  events_.erase(events_.begin());
  time_of_.erase(key.target);
  return key;
}

std::optional<double> EventQueue::TimeOf(const EventTarget& target) const {
  auto it = time_of_.find(target);
  if (it == time_of_.end()) return std::nullopt;
  return it->second;
}

}  // namespace trainyard
