// The transport-neutral shape of one HTTP exchange. The transport (Beast)
// converts to and from these, so nothing in api/ includes Beast and handlers
// are unit-tested without a socket.
#pragma once

#include <functional>
#include <map>
#include <memory>
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

// A response body that is written as it is produced and has no length
// (Server-Sent Events). The transport sends the headers, then loops: Pull,
// write what it returned, Pull again, until a Pull returns nothing; it then
// waits for `wake` or, after a stretch of silence, writes Heartbeat(). It
// stops after a Pull that says `last`; when the client goes away (then it
// calls Cancel and writes nothing more); or when the server shuts down (then
// it calls Cancel and writes Closing() as the last data).
//
// Threading: Start, Pull, Heartbeat, Closing and Cancel are called on one connection's
// strand, one at a time; `wake` may be called from any thread, at any time,
// even after Cancel, and only asks for a Pull soon.
class ResponseStream {
 public:
  struct Chunk {
    std::string data;   // may be empty
    bool last = false;  // nothing follows
  };

  virtual ~ResponseStream() = default;
  virtual void Start(std::function<void()> wake) = 0;
  virtual Chunk Pull() = 0;
  virtual std::string Heartbeat() = 0;
  virtual std::string Closing() = 0;
  virtual void Cancel() = 0;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set: the body is this stream (and `body` is ignored).
  std::shared_ptr<ResponseStream> stream;
};

// Called exactly once per request, from any thread.
using Respond = std::function<void(ApiResponse)>;

}  // namespace trainyard::api
