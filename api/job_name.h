// The TrainingJobName rule, for names that arrive in a path rather than in a
// request body: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$
#pragma once

#include <string_view>

namespace trainyard::api {

bool IsValidTrainingJobName(std::string_view name);

}  // namespace trainyard::api
