#include "server/engine/market.h"

#include <algorithm>
#include <cmath>

namespace trainyard {
namespace {

// How far the market strays from the catalogue at a tick: spot capacity
// within +-25%, the spot price within +-20%, never below 5% of on-demand nor
// above it (DESIGN.md: "never above it").
constexpr double kCapacitySpread = 0.5;
constexpr double kPriceSpread = 0.4;
constexpr double kMinSpotRatio = 0.05;
constexpr double kMaxSpotRatio = 1.0;

}  // namespace

CapacityMarket::CapacityMarket(const Catalogue& catalogue, KeyedRandom random,
                               double tick_seconds, double now)
    : random_(random), tick_seconds_(tick_seconds) {
  for (const auto& base : catalogue.pools()) {
    PoolState pool;
    pool.base = base;
    pool.spot_capacity = base.spot_capacity;
    pool.spot_price_ratio = base.spot_price_ratio;
    pools_.push_back(std::move(pool));
  }
  if (moves()) MoveTo(TickIndexAt(now));
}

int64_t CapacityMarket::TickIndexAt(double t) const {
  return static_cast<int64_t>(std::floor(t / tick_seconds_));
}

void CapacityMarket::MoveTo(int64_t k) {
  for (auto& pool : pools_) MovePool(pool, k);
}

void CapacityMarket::MovePool(PoolState& pool, int64_t k) const {
  const auto index = static_cast<uint64_t>(k);
  const std::string_view type = pool.base.instance_type;
  const double u_capacity = random_.Uniform(kDrawSpotCapacity, type, index);
  const double u_price = random_.Uniform(kDrawSpotPrice, type, index);
  const double capacity =
      std::round(pool.base.spot_capacity * (1 - kCapacitySpread / 2 + kCapacitySpread * u_capacity));
  pool.spot_capacity = std::max(0, static_cast<int>(capacity));
  pool.spot_price_ratio =
      std::clamp(pool.base.spot_price_ratio * (1 - kPriceSpread / 2 + kPriceSpread * u_price),
                 kMinSpotRatio, kMaxSpotRatio);
}

PoolState* CapacityMarket::Find(std::string_view instance_type) {
  for (auto& pool : pools_) {
    if (pool.base.instance_type == instance_type) return &pool;
  }
  return nullptr;
}

const PoolState* CapacityMarket::Find(std::string_view instance_type) const {
  for (const auto& pool : pools_) {
    if (pool.base.instance_type == instance_type) return &pool;
  }
  return nullptr;
}

Status CapacityMarket::CheckUpdate(const PoolUpdate& u) {
  if (u.on_demand_capacity && *u.on_demand_capacity < 0) {
    return Status::Validation("OnDemandCapacity must be at least 0");
  }
  if (u.spot_capacity && *u.spot_capacity < 0) {
    return Status::Validation("SpotCapacity must be at least 0");
  }
  if (u.on_demand_price_per_hour &&
      !(std::isfinite(*u.on_demand_price_per_hour) && *u.on_demand_price_per_hour > 0)) {
    return Status::Validation("OnDemandPricePerHour must be a number above 0");
  }
  if (u.spot_price_ratio && !(*u.spot_price_ratio > 0 && *u.spot_price_ratio <= 1)) {
    return Status::Validation("SpotPriceRatio must be above 0 and at most 1");
  }
  if (u.interruption_rate_per_hour &&
      !(std::isfinite(*u.interruption_rate_per_hour) && *u.interruption_rate_per_hour >= 0)) {
    return Status::Validation("InterruptionRatePerHour must be a number of at least 0");
  }
  return Status::Ok();
}

void CapacityMarket::Apply(PoolState& pool, const PoolUpdate& u, double now) const {
  if (u.on_demand_capacity) pool.base.on_demand_capacity = *u.on_demand_capacity;
  if (u.spot_capacity) pool.base.spot_capacity = pool.spot_capacity = *u.spot_capacity;
  if (u.on_demand_price_per_hour) pool.base.on_demand_price_per_hour = *u.on_demand_price_per_hour;
  if (u.spot_price_ratio) pool.base.spot_price_ratio = pool.spot_price_ratio = *u.spot_price_ratio;
  if (u.interruption_rate_per_hour) {
    pool.base.interruption_rate_per_hour = *u.interruption_rate_per_hour;
  }
  if (moves()) MovePool(pool, TickIndexAt(now));
}

Catalogue CapacityMarket::CurrentCatalogue() const {
  std::vector<InstancePool> bases;
  bases.reserve(pools_.size());
  for (const auto& pool : pools_) bases.push_back(pool.base);
  return Catalogue(std::move(bases));
}

PoolStatus CapacityMarket::StatusOf(const PoolState& pool) {
  PoolStatus s;
  s.instance_type = pool.base.instance_type;
  s.on_demand_capacity = pool.base.on_demand_capacity;
  s.spot_capacity = pool.spot_capacity;
  s.on_demand_in_use = pool.on_demand_in_use;
  s.spot_in_use = pool.spot_in_use;
  s.on_demand_waiting_jobs = static_cast<int>(pool.on_demand_waiting.size());
  s.spot_waiting_jobs = static_cast<int>(pool.spot_waiting.size());
  s.on_demand_price_per_hour = pool.base.on_demand_price_per_hour;
  s.spot_price_ratio = pool.spot_price_ratio;
  s.spot_price_per_hour = pool.base.on_demand_price_per_hour * pool.spot_price_ratio;
  s.interruption_rate_per_hour = pool.base.interruption_rate_per_hour;
  s.launch_seconds = pool.base.launch_seconds;
  s.network_gbps = pool.base.network_gbps;
  s.interruptions = pool.interruptions;
  return s;
}

}  // namespace trainyard
