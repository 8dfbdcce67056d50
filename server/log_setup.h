// Logging to stderr through spdlog, as text for people or as one JSON object
// per line for log pipelines.
#pragma once

#include <string>

#include "trainyard/status.h"

namespace trainyard {

// level: trace|debug|info|warn|error; format: text|json.
Status SetUpLogging(const std::string& level, const std::string& format);

}  // namespace trainyard
