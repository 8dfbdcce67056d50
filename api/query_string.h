// Percent-decoding and query-string parsing for the REST routes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "trainyard/status.h"

namespace trainyard::api {

// Decodes %XX escapes (and '+' as space when `plus_is_space`). Empty when an
// escape is malformed.
std::optional<std::string> PercentDecode(std::string_view in, bool plus_is_space);

// "a=1&b=x%20y" -> {a: "1", b: "x y"}. A parameter given twice, or a bad
// escape, is a Validation error naming it.
Result<std::map<std::string, std::string>> ParseQueryString(std::string_view query);

}  // namespace trainyard::api
