// JSON in and out for the small REST bodies (admin commands, plain
// responses). CreateTrainingJob has its own, stricter parser.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string_view>

#include "api/api_types.h"
#include "api/job_json.h"
#include "trainyard/status.h"

namespace trainyard::api {

ApiResponse JsonResponse(int status, const nlohmann::json& body);
// Describe's answer, written as text without building the tree (see DescribedJob).
ApiResponse JsonResponse(int status, const DescribedJob& body);

// True when the Content-Type names JSON (parameters such as charset allowed).
bool IsJsonContentType(std::string_view content_type);

// The request body as a JSON object whose members are all in `allowed`.
// An empty body is an empty object. Validation errors name the member; a
// wrong Content-Type gives an error whose code the caller maps to 415 (see
// UnsupportedMediaType).
Result<nlohmann::json> ParseJsonObjectBody(const ApiRequest& request,
                                           std::initializer_list<std::string_view> allowed);

// 415 naming the Content-Type that was sent.
ApiResponse UnsupportedMediaType(std::string_view got);

// Reads an optional number member within [lo, hi]; the error names it.
Status ReadNumberMember(const nlohmann::json& object, const char* member, double lo, double hi,
                        std::optional<double>& out);
// Reads an optional integer member within [lo, hi]; the error names it.
Status ReadIntegerMember(const nlohmann::json& object, const char* member, int64_t lo, int64_t hi,
                         std::optional<int64_t>& out);

}  // namespace trainyard::api
