// The simulated workload, read from a request's `trainyard.*` hyperparameters
// (DESIGN.md section 4). Values are strings, as all SageMaker hyperparameters
// are, and are parsed strictly.
#pragma once

#include <nlohmann/json.hpp>

#include "trainyard/job.h"
#include "trainyard/status.h"

namespace trainyard::api {

// Upper bounds that keep a simulation meaningful: a hundred times the longest
// SageMaker run (28 days), and a petabyte of input.
inline constexpr double kMaxWorkSeconds = 100.0 * 28 * 24 * 3600;
inline constexpr double kMaxDatasetGb = 1e6;

// `hyperparameters` is the request's HyperParameters object, already checked
// to map strings to strings, or null when the request has none. Keys outside
// `trainyard.*` belong to the user's algorithm and are ignored. A key that
// starts with "trainyard" (any case) but is not one of the documented names
// is rejected, so a misspelt knob never falls back to its default unnoticed.
Result<Workload> ParseWorkload(const nlohmann::json& hyperparameters);

}  // namespace trainyard::api
