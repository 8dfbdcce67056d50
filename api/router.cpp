#include "api/router.h"

#include <algorithm>
#include <string_view>

#include "api/errors.h"
#include "api/query_string.h"

namespace trainyard::api {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = path.empty() || path[0] != '/' ? 0 : 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

}  // namespace

const std::string& ApiRequest::Header(const std::string& lower_name) const {
  static const std::string kEmpty;
  auto it = headers.find(lower_name);
  return it == headers.end() ? kEmpty : it->second;
}

void Router::Add(std::string method, std::string_view pattern, Handler handler) {
  Route route{std::move(method), {}, std::move(handler)};
  for (std::string_view segment : SplitPath(pattern)) {
    bool capture = segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
    route.segments.emplace_back(capture ? "{}" : std::string(segment));
  }
  routes_.push_back(std::move(route));
}

void Router::Handle(const ApiRequest& request, Respond respond) const {
  std::vector<std::string_view> raw = SplitPath(request.path);
  std::vector<std::string> segments;
  segments.reserve(raw.size());
  for (std::string_view s : raw) {
    auto decoded = PercentDecode(s, false);
    if (!decoded) {
      respond(ErrorResponse(400, "ValidationException",
                            "The request path has a malformed percent-escape"));
      return;
    }
    segments.push_back(std::move(*decoded));
  }

  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    Captures captures;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      if (route.segments[i] == "{}") {
        match = !segments[i].empty();
        captures.push_back(segments[i]);
      } else {
        match = route.segments[i] == segments[i];
      }
    }
    if (!match) continue;
    if (route.method == request.method) {
      route.handler(request, captures, std::move(respond));
      return;
    }
    if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end()) {
      allowed.push_back(route.method);
    }
  }

  if (allowed.empty()) {
    respond(ErrorResponse(404, "NotFound", "No route for " + request.path));
    return;
  }
  std::string allow;
  for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
  ApiResponse response = ErrorResponse(
      405, "MethodNotAllowed",
      "Method " + request.method + " is not allowed on " + request.path + "; use " + allow);
  response.headers.emplace_back("Allow", allow);
  respond(std::move(response));
}

}  // namespace trainyard::api
