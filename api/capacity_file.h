// The `--capacity FILE` format: the instance pools that replace the built-in
// catalogue.
//
//   {"Pools": [{"InstanceType": "ml.p3.2xlarge", "OnDemandPricePerHour": 3.825,
//               "OnDemandCapacity": 16, "SpotCapacity": 16, "SpotPriceRatio": 0.3,
//               "InterruptionRatePerHour": 0.03, "LaunchSeconds": 180,
//               "NetworkGbps": 10}, ...]}
//
// InstanceType and OnDemandPricePerHour are required; the other members
// default to the built-in figures for the type, or to the defaults of
// InstancePool for a type the built-in catalogue lacks.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "trainyard/catalogue.h"
#include "trainyard/status.h"

namespace trainyard::api {

// The error names the pool (by index and type) and the member.
Result<Catalogue> ParseCapacityFile(std::string_view text);

nlohmann::json InstancePoolJson(const InstancePool& pool);

}  // namespace trainyard::api
