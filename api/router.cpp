#include "api/router.h"

#include <openssl/rand.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string_view>

#include "api/errors.h"
#include "api/query_string.h"
#include "trainyard/clock.h"

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

// A client's X-Request-Id is echoed only if it is short printable ASCII, so
// it cannot break a log line or a header.
bool IsUsableRequestId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::string NewRequestId() {
  unsigned char bytes[12];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Unique within the process is still useful when the CSPRNG is unavailable.
    static std::atomic<uint64_t> counter{0};
    return "local-" + std::to_string(++counter);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 15]);
  }
  return id;
}

}  // namespace

const std::string& ApiRequest::Header(const std::string& lower_name) const {
  static const std::string kEmpty;
  auto it = headers.find(lower_name);
  return it == headers.end() ? kEmpty : it->second;
}

void Router::Add(std::string method, std::string_view pattern, Handler handler) {
  Route route{std::string(pattern), std::move(method), {}, std::move(handler)};
  for (std::string_view segment : SplitPath(pattern)) {
    bool capture = segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
    route.segments.emplace_back(capture ? "{}" : std::string(segment));
  }
  routes_.push_back(std::move(route));
}

void Router::AddHeaderRoute(std::string path, std::string lower_header, Handler handler) {
  header_routes_.push_back({std::move(path), std::move(lower_header), std::move(handler)});
}

void Router::Handle(const ApiRequest& request, Respond respond) const {
  std::string request_id = request.Header("x-request-id");
  if (!IsUsableRequestId(request_id)) request_id = NewRequestId();
  auto stopwatch = std::make_shared<Stopwatch>();
  auto route = std::make_shared<std::string>("unmatched");
  // The observer needs the request after the handler may have finished with
  // it; copy only what it reads.
  auto seen = std::make_shared<ApiRequest>();
  seen->method = request.method;
  seen->path = request.path;
  Respond wrapped = [this, respond = std::move(respond), request_id, stopwatch, route,
                     seen](ApiResponse response) {
    response.headers.emplace_back("X-Request-Id", request_id);
    if (observer_) {
      seen->headers["x-request-id"] = request_id;
      observer_(*seen, *route, response, stopwatch->ElapsedSeconds());
    }
    respond(std::move(response));
  };
  Dispatch(request, std::move(wrapped), *route);
}

void Router::Dispatch(const ApiRequest& request, Respond respond, std::string& matched) const {
  if (guard_) {
    if (auto refused = guard_(request)) return respond(std::move(*refused));
  }
  for (const HeaderRoute& route : header_routes_) {
    if (request.method == "POST" && request.path == route.path &&
        request.headers.count(route.header) != 0) {
      matched = "POST " + route.path + " (" + route.header + ")";
      return route.handler(request, {}, std::move(respond));
    }
  }
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
      matched = route.pattern;
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
