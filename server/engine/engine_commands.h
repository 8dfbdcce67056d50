// Helpers of the Engine's command methods (engine.cpp, engine_control.cpp).
// Internal to server/engine.
#pragma once

#include <memory>
#include <utility>

#include "trainyard/status.h"

namespace trainyard::engine_internal {

inline Status ShuttingDown() { return Status::Unavailable("trainyard is shutting down"); }

// Commands carry their completion in a shared_ptr so that the same callable
// can go either to the engine queue or, when shutting down, straight back.
template <typename Done>
std::shared_ptr<Done> Share(Done done) {
  return std::make_shared<Done>(std::move(done));
}

}  // namespace trainyard::engine_internal
