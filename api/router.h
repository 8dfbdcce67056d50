// Router: method + path pattern -> handler. Unknown paths get 404, a known
// path with the wrong method gets 405 with an Allow header. Patterns are
// literal segments and `{name}` captures, matched segment by segment after
// percent-decoding.
//
// Routes are added before serving starts; Handle is then safe from any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/api_types.h"

namespace trainyard::api {

class Router {
 public:
  using Captures = std::vector<std::string>;
  using Handler = std::function<void(const ApiRequest&, const Captures&, Respond)>;

  void Add(std::string method, std::string_view pattern, Handler handler);

  // Handles any POST to `path` whose `header` is present, before the routes
  // (the AWS JSON protocol: POST / with X-Amz-Target).
  void AddHeaderRoute(std::string path, std::string lower_header, Handler handler);

  // Runs before every route: a response here (e.g. 403 for a bad signature)
  // answers the request instead. Empty: carry on.
  using Guard = std::function<std::optional<ApiResponse>(const ApiRequest&)>;
  void SetGuard(Guard guard) { guard_ = std::move(guard); }

  // Sees every exchange once answered, with the route's pattern (bounded
  // cardinality, for metrics) and the real time it took. Runs on whatever
  // thread answered.
  using Observer = std::function<void(const ApiRequest&, const std::string& route,
                                      const ApiResponse&, double seconds)>;
  void SetObserver(Observer observer) { observer_ = std::move(observer); }

  // Calls exactly one handler, or responds 404/405 itself. Every response
  // carries X-Request-Id: the request's own when it sent a usable one.
  void Handle(const ApiRequest& request, Respond respond) const;

 private:
  void Dispatch(const ApiRequest& request, Respond respond, std::string& route) const;

  struct Route {
    std::string pattern;
    std::string method;
    std::vector<std::string> segments;  // "{}" marks a capture
    Handler handler;
  };

  struct HeaderRoute {
    std::string path;
    std::string header;
    Handler handler;
  };

  std::vector<Route> routes_;
  std::vector<HeaderRoute> header_routes_;
  Guard guard_;
  Observer observer_;
};

}  // namespace trainyard::api
