// The instance types trainyard can place jobs on, with their market figures.
// The built-in catalogue holds common ml.* types at public us-east-1 on-demand
// prices (CASES.md); `--capacity FILE` replaces it (parsed in api/, which owns
// every JSON format).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trainyard {

struct InstancePool {
  std::string instance_type;           // e.g. "ml.p3.2xlarge"
  double on_demand_price_per_hour = 0; // dollars
  int on_demand_capacity = 0;          // instances
  int spot_capacity = 0;               // instances, at start; the market moves it
  double spot_price_ratio = 0.3;       // spot price / on-demand price, in (0, 1]
  double interruption_rate_per_hour = 0.05;  // per running spot instance-hour
  double launch_seconds = 120;         // instance start-up (SecondaryStatus Starting)
  double network_gbps = 10;            // for File-mode downloads
};

class Catalogue {
 public:
  Catalogue() = default;
  explicit Catalogue(std::vector<InstancePool> pools) : pools_(std::move(pools)) {}

  // The built-in catalogue.
  static Catalogue BuiltIn();

  const InstancePool* Find(std::string_view instance_type) const;
  const std::vector<InstancePool>& pools() const { return pools_; }

 private:
  std::vector<InstancePool> pools_;
};

}  // namespace trainyard
