#include "server/engine/event_queue.h"

namespace trainyard {

void EventQueue::SiftUp(size_t at) {
  const Entry entry = heap_[at];
  while (at > 0) {
    const size_t parent = (at - 1) / 2;
    if (!Less(entry, heap_[parent])) break;
    Place(at, heap_[parent]);
    at = parent;
  }
  Place(at, entry);
}

void EventQueue::SiftDown(size_t at) {
  const Entry entry = heap_[at];
  const size_t n = heap_.size();
  for (;;) {
    size_t child = 2 * at + 1;
    if (child >= n) break;
    if (child + 1 < n && Less(heap_[child + 1], heap_[child])) ++child;
    if (!Less(heap_[child], entry)) break;
    Place(at, heap_[child]);
    at = child;
  }
  Place(at, entry);
}

void EventQueue::RemoveAt(size_t at) {
  position_[heap_[at].index] = kNone;
  const size_t last = heap_.size() - 1;
  if (at == last) {
    heap_.pop_back();
    return;
  }
  const Entry moved = heap_[last];
  const bool up = Less(moved, heap_[at]);
  heap_.pop_back();
  Place(at, moved);
  if (up) {
    SiftUp(at);
  } else {
    SiftDown(at);
  }
}

void EventQueue::Schedule(const EventTarget& target, double time) {
  const uint32_t index = IndexOf(target);
  if (index >= position_.size()) {
    position_.resize(static_cast<size_t>(index) + 1, kNone);
    targets_.resize(static_cast<size_t>(index) + 1);
  }
  targets_[index] = target;
  const Entry entry{time, index};
  const uint32_t at = position_[index];
  if (at == kNone) {
    heap_.push_back(entry);
    SiftUp(heap_.size() - 1);
    return;
  }
  // Moved in place: one sift, not a removal and an insertion.
  const bool up = Less(entry, heap_[at]);
  Place(at, entry);
  if (up) {
    SiftUp(at);
  } else {
    SiftDown(at);
  }
}

void EventQueue::Cancel(const EventTarget& target) {
  const uint32_t index = IndexOf(target);
  if (index < position_.size() && position_[index] != kNone) RemoveAt(position_[index]);
}

std::optional<EventKey> EventQueue::Next() const {
  if (heap_.empty()) return std::nullopt;
  return KeyAt(0);
}

std::optional<EventKey> EventQueue::PopDue(double t) {
  if (heap_.empty() || heap_.front().time > t) return std::nullopt;
  EventKey key = KeyAt(0);
  RemoveAt(0);
  return key;
}

std::optional<double> EventQueue::TimeOf(const EventTarget& target) const {
  const uint32_t index = IndexOf(target);
  if (index >= position_.size() || position_[index] == kNone) return std::nullopt;
  return heap_[position_[index]].time;
}

}  // namespace trainyard
