// The TrainingJobName rule, for names that arrive in a path rather than in a
// request body: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$
#pragma once

#include <string_view>

#include "trainyard/status.h"

namespace trainyard::api {

bool IsValidTrainingJobName(std::string_view name);

// Validation naming the rule when `name` breaks it; OK otherwise. A name in
// a path is checked before lookup, so a malformed one is a 400, not a 404.
Status CheckTrainingJobName(std::string_view name);

}  // namespace trainyard::api
