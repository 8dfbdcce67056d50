// EventQueue: the engine's future, in the style of ns-3's scheduler: events
// ordered by virtual time, ties broken by a fixed sequence (DESIGN.md
// section 3). Each target (the market, or one job) holds at most one entry,
// its next event: rescheduling replaces it.
//
// The sequence at one instant is the market first, then jobs in creation
// order (creation time, then name). Unlike a counter of insertions, that
// order is a property of the jobs themselves, so a restarted engine runs
// simultaneous events in exactly the order the first process would have.
//
// A job target also carries the job's slot: a small integer the Simulation
// gives each job it holds and reuses after the job is forgotten. The queue
// indexes its entries by slot (an indexed binary heap), so scheduling,
// rescheduling and cancelling cost O(log n) with no allocation and no string
// comparison unless two jobs were created at the same instant. Slots never
// leave the process and play no part in the order.
//
// Threading: not thread-safe; owned by the engine thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

namespace trainyard {

struct EventTarget {
  static constexpr uint32_t kMarketSlot = std::numeric_limits<uint32_t>::max();

  double creation_time = 0;
  std::string_view name;  // the job's own name, valid while it is held; empty for the market
  uint32_t slot = kMarketSlot;

  static EventTarget Market() { return {-std::numeric_limits<double>::infinity(), {}, kMarketSlot}; }
  static EventTarget Job(double creation_time, std::string_view name, uint32_t slot) {
    return {creation_time, name, slot};
  }
  bool is_market() const { return slot == kMarketSlot; }

  bool operator<(const EventTarget& o) const {
    if (creation_time != o.creation_time) return creation_time < o.creation_time;
    return name < o.name;
  }
  bool operator==(const EventTarget& o) const {
    return slot == o.slot && creation_time == o.creation_time && name == o.name;
  }
};

struct EventKey {
  double time = 0;
  EventTarget target;

  bool operator<(const EventKey& o) const {
    return time < o.time || (time == o.time && target < o.target);
  }
  bool operator==(const EventKey& o) const { return time == o.time && target == o.target; }
};

class EventQueue {
 public:
  // Replaces any entry `target` already has.
  void Schedule(const EventTarget& target, double time);
  void Cancel(const EventTarget& target);

  // The earliest entry, if any.
  std::optional<EventKey> Next() const;
  // Removes and returns the earliest entry if its time is <= t.
  std::optional<EventKey> PopDue(double t);
  // The earliest entry if its time is <= t, left in place: the caller must
  // then reschedule or cancel its target (cheaper than a pop and a push).
  std::optional<EventKey> PeekDue(double t) const {
    if (heap_.empty() || heap_.front().time > t) return std::nullopt;
    return KeyAt(0);
  }

  std::optional<double> TimeOf(const EventTarget& target) const;
  size_t size() const { return heap_.size(); }
  bool empty() const { return heap_.empty(); }

 private:
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

  // Heap entries are small: the time and the target's index (0 for the
  // market, slot + 1 for a job). The rest of the target, needed only to
  // break ties, sits in targets_ by index.
  struct Entry {
    double time;
    uint32_t index;
  };
  static uint32_t IndexOf(const EventTarget& target) {
    return target.is_market() ? 0 : target.slot + 1;
  }
  bool Less(const Entry& a, const Entry& b) const {
    if (a.time != b.time) return a.time < b.time;
    return targets_[a.index] < targets_[b.index];
  }
  EventKey KeyAt(size_t at) const { return {heap_[at].time, targets_[heap_[at].index]}; }
  void Place(size_t at, Entry entry) {
    heap_[at] = entry;
    position_[entry.index] = static_cast<uint32_t>(at);
  }
  void SiftUp(size_t at);
  void SiftDown(size_t at);
  void RemoveAt(size_t at);

  std::vector<Entry> heap_;          // a binary min-heap by (time, target order)
  std::vector<uint32_t> position_;   // index -> place in heap_, or kNone
  std::vector<EventTarget> targets_;  // index -> the target last scheduled there
};

}  // namespace trainyard
