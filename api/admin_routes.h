// The operator's routes (DESIGN.md section 5): the clock, the capacity view,
// and the levers that make a test or a demo exact — advance time, reclaim
// spot instances, change a pool, fail an attempt.
#pragma once

#include <nlohmann/json.hpp>

#include "api/router.h"
#include "trainyard/capacity.h"
#include "trainyard/engine_control.h"

namespace trainyard::api {

// REQUIRES: `engine` outlives the router.
void AddAdminRoutes(Router& router, EngineControl& engine);

nlohmann::json PoolStatusJson(const PoolStatus& pool);

}  // namespace trainyard::api
