// ListTrainingJobs at the wire: turns the request's members into a JobQuery,
// or a Validation status naming the member and the rule it breaks.
//
// `params` is a JSON object of ListTrainingJobs members. The REST route builds
// it from query parameters, so every value is a string there; the AWS JSON
// protocol passes the request body, where timestamps are numbers and
// MaxResults an integer. Both spellings are accepted:
//   - timestamps (CreationTimeAfter/Before, LastModifiedTimeAfter/Before):
//     epoch seconds as a number or numeric string, fractions allowed, or an
//     ISO 8601 string ("2026-01-01", "2026-01-01T00:00:00Z",
//     "2026-01-01T02:00:00.5+02:00"; no zone means UTC);
//   - MaxResults: an integer or a decimal integer string, 1..100 (default 10).
// WarmPoolStatusEquals and TrainingPlanArnContains are checked and ignored:
// trainyard has neither warm pools nor training plans. Unknown members are
// rejected by name.
//
// Pure function: safe from any thread; throws nothing.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "trainyard/job_query.h"
#include "trainyard/status.h"

namespace trainyard::api {

Result<JobQuery> ParseListTrainingJobs(const nlohmann::json& params);

// Epoch seconds for an ISO 8601 date or date-time as described above;
// nullopt when `text` is not one.
std::optional<double> ParseIso8601(std::string_view text);

}  // namespace trainyard::api
