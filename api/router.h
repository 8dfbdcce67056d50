// Router: method + path pattern -> handler. Unknown paths get 404, a known
// path with the wrong method gets 405 with an Allow header. Patterns are
// literal segments and `{name}` captures, matched segment by segment after
// percent-decoding.
//
// Routes are added before serving starts; Handle is then safe from any thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/api_types.h"

namespace trainyard::api {

class Router {
 public:
  using Captures = std::vector<std::string>;
  using Handler = std::function<void(const ApiRequest&, const Captures&, Respond)>;

  void Add(std::string method, std::string_view pattern, Handler handler);

  // Calls exactly one handler, or responds 404/405 itself.
  void Handle(const ApiRequest& request, Respond respond) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{}" marks a capture
    Handler handler;
  };

  std::vector<Route> routes_;
};

}  // namespace trainyard::api
