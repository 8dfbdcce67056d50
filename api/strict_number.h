// Strict parsing of numbers that arrive as strings: SageMaker hyperparameters
// and REST query parameters. The whole string must be the number -- no
// whitespace, no sign '+', no trailing text -- so "10s" or " 10" is an error
// rather than a silently different value.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace trainyard::api {

// A finite decimal number ("3600", "0.25", "1e3"); nullopt otherwise.
std::optional<double> ParseFiniteDouble(std::string_view text);

// A decimal integer that fits in int64 ("10", "-3"); nullopt otherwise.
std::optional<int64_t> ParseInt64(std::string_view text);

}  // namespace trainyard::api
