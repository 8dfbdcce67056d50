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
// Threading: not thread-safe; owned by the engine thread.
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace trainyard {

struct EventTarget {
  double creation_time = 0;
  std::string name;  // empty for the market

  static EventTarget Market() {
    return {-std::numeric_limits<double>::infinity(), std::string()};
  }
  static EventTarget Job(double creation_time, std::string name) {
    return {creation_time, std::move(name)};
  }
  bool is_market() const { return name.empty(); }

  bool operator<(const EventTarget& o) const {
    return creation_time < o.creation_time || (creation_time == o.creation_time && name < o.name);
  }
  bool operator==(const EventTarget& o) const {
    return creation_time == o.creation_time && name == o.name;
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

  std::optional<double> TimeOf(const EventTarget& target) const;
  size_t size() const { return events_.size(); }
  bool empty() const { return events_.empty(); }

 private:
  std::set<EventKey> events_;
  std::map<EventTarget, double> time_of_;
};

}  // namespace trainyard
