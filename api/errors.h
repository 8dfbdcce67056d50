// Maps domain Status values to HTTP statuses and AWS-style error bodies:
// {"__type": "<Name>", "message": "..."}.
#pragma once

#include <string_view>

#include "api/api_types.h"
#include "trainyard/status.h"

namespace trainyard::api {

// The AWS error name for a domain error code, e.g. "ValidationException".
std::string_view ErrorTypeName(ErrorCode code);

// The REST status for a domain error code, e.g. 404 for kNotFound.
int HttpStatusFor(ErrorCode code);

ApiResponse ErrorResponse(int http_status, std::string_view type, std::string_view message);
ApiResponse ErrorResponse(const Status& status);

}  // namespace trainyard::api
