#include "api/errors.h"

#include <nlohmann/json.hpp>

namespace trainyard::api {

std::string_view ErrorTypeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation: return "ValidationException";
    case ErrorCode::kNotFound: return "ResourceNotFound";
    case ErrorCode::kInUse: return "ResourceInUse";
    case ErrorCode::kLimitExceeded: return "ResourceLimitExceeded";
    case ErrorCode::kConflict: return "ConflictException";
    case ErrorCode::kUnavailable: return "ServiceUnavailable";
    case ErrorCode::kOk:
    case ErrorCode::kInternal: break;
  }
  return "InternalFailure";
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kValidation: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kInUse: return 409;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kLimitExceeded: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: break;
  }
  return 500;
}

ApiResponse ErrorResponse(int http_status, std::string_view type, std::string_view message) {
  nlohmann::json body = {{"__type", type}, {"message", message}};
  ApiResponse response;
  response.status = http_status;
  // Replace rather than throw on invalid UTF-8 echoed from a request.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

ApiResponse ErrorResponse(const Status& status) {
  return ErrorResponse(HttpStatusFor(status.code()), ErrorTypeName(status.code()),
                       status.message());
}

}  // namespace trainyard::api
