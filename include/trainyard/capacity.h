// What the capacity market shows and what an operator may change: the
// public view of one instance pool (GET /v1/capacity) and a pool update
// (PUT /v1/admin/capacity/{InstanceType}).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace trainyard {

// PUT /v1/admin/capacity/{InstanceType}: the members to change; the others
// keep their values. Spot capacity and price ratio set the figures the
// market moves around: on a still market they are the figures now; on a
// moving one the figures now become the current tick's draw around them, so
// the market stays a function of the time and the catalogue (and a restart
// finds it where it was).
struct PoolUpdate {
  std::optional<int> on_demand_capacity;
  std::optional<int> spot_capacity;
  std::optional<double> on_demand_price_per_hour;
  std::optional<double> spot_price_ratio;
  std::optional<double> interruption_rate_per_hour;
};

// GET /v1/capacity: one pool now.
struct PoolStatus {
  std::string instance_type;
  int on_demand_capacity = 0;
  int spot_capacity = 0;
  int on_demand_in_use = 0;
  int spot_in_use = 0;
  int on_demand_waiting_jobs = 0;
  int spot_waiting_jobs = 0;
  double on_demand_price_per_hour = 0;
  double spot_price_per_hour = 0;
  double spot_price_ratio = 0;
  double interruption_rate_per_hour = 0;
  double launch_seconds = 0;
  double network_gbps = 0;
  // Spot attempts reclaimed in this pool since this process started.
  int64_t interruptions = 0;

  bool operator==(const PoolStatus&) const = default;
};

}  // namespace trainyard
