// The transport-neutral shape of one HTTP exchange. The transport (Beast)
// converts to and from these, so nothing in api/ includes Beast and handlers
// are unit-tested without a socket.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace trainyard::api {

struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded target without the query, e.g. "/v1/training-jobs/a"
  std::string query;   // raw query string after '?', still percent-encoded
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // Empty when absent.
  const std::string& Header(const std::string& lower_name) const;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Called exactly once per request, from any thread.
using Respond = std::function<void(ApiResponse)>;

}  // namespace trainyard::api
