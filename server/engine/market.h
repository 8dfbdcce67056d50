// CapacityMarket: the instance pools as they are now (DESIGN.md section 4,
// "Capacity"): per pool, on-demand and spot capacity, what is in use, the spot
// price, and the queues of jobs waiting for each market.
//
// The market moves at ticks: tick k falls at k x tick_seconds (epoch time, so
// the same ticks fall after a restart) and sets each pool's spot capacity and
// spot price ratio from keyed draws (seed, pool, k) around the pool's
// catalogue figures. So the market at any time is a pure function of the time
// and the catalogue, and a restarted engine finds it where it was.
// What is in use and who waits is the engine's to keep (Take, Release and the
// queues); the market only holds the counts.
//
// Threading: not thread-safe; owned by the engine thread.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server/engine/random.h"
#include "trainyard/capacity.h"
#include "trainyard/catalogue.h"
#include "trainyard/job.h"
#include "trainyard/status.h"

namespace trainyard {

// A place in a wait queue: first come, first served by creation time, then
// name (names are unique).
struct QueueKey {
  double creation_time = 0;
  std::string name;

  bool operator<(const QueueKey& o) const {
    return creation_time < o.creation_time || (creation_time == o.creation_time && name < o.name);
  }
};

struct PoolState {
  InstancePool base;  // catalogue figures: the market moves around these
  int spot_capacity = 0;
  double spot_price_ratio = 1;
  int on_demand_in_use = 0;
  int spot_in_use = 0;
  int64_t interruptions = 0;
  std::set<QueueKey> on_demand_waiting;
  std::set<QueueKey> spot_waiting;

  int Capacity(Market m) const {
    return m == Market::kSpot ? spot_capacity : base.on_demand_capacity;
  }
  int InUse(Market m) const { return m == Market::kSpot ? spot_in_use : on_demand_in_use; }
  // Never negative: capacity may shrink below what is in use until the
  // reclaimed instances are gone.
  int Free(Market m) const { return Capacity(m) > InUse(m) ? Capacity(m) - InUse(m) : 0; }
  // Price per instance-hour as a fraction of the on-demand price.
  double PriceRatio(Market m) const { return m == Market::kSpot ? spot_price_ratio : 1.0; }
  std::set<QueueKey>& Waiting(Market m) {
    return m == Market::kSpot ? spot_waiting : on_demand_waiting;
  }
  const std::set<QueueKey>& Waiting(Market m) const {
    return m == Market::kSpot ? spot_waiting : on_demand_waiting;
  }
  void Take(Market m, int n) { (m == Market::kSpot ? spot_in_use : on_demand_in_use) += n; }
  void Release(Market m, int n) { (m == Market::kSpot ? spot_in_use : on_demand_in_use) -= n; }
};

class CapacityMarket {
 public:
  // `tick_seconds` <= 0: the market stands still at the catalogue's figures.
  // Otherwise it starts at the figures of the tick in force at `now`.
  CapacityMarket(const Catalogue& catalogue, KeyedRandom random, double tick_seconds, double now);

  bool moves() const { return tick_seconds_ > 0; }
  // REQUIRES: moves()
  int64_t TickIndexAt(double t) const;
  double TickTime(int64_t k) const { return static_cast<double>(k) * tick_seconds_; }
  // Sets every pool's spot capacity and price ratio to tick k's.
  void MoveTo(int64_t k);

  PoolState* Find(std::string_view instance_type);
  const PoolState* Find(std::string_view instance_type) const;
  std::vector<PoolState>& pools() { return pools_; }
  const std::vector<PoolState>& pools() const { return pools_; }

  // Validation error naming the member when the update breaks a rule.
  static Status CheckUpdate(const PoolUpdate& update);
  // REQUIRES: CheckUpdate(update).ok(). Changes the catalogue figures, and
  // the current ones as they are at time `now` (see PoolUpdate).
  void Apply(PoolState& pool, const PoolUpdate& update, double now) const;

  // The catalogue with every update applied, for a restart to start from.
  Catalogue CurrentCatalogue() const;
  static PoolStatus StatusOf(const PoolState& pool);

 private:
  void MovePool(PoolState& pool, int64_t k) const;

  KeyedRandom random_;
  double tick_seconds_;
  std::vector<PoolState> pools_;
};

}  // namespace trainyard
