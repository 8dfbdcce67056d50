// HttpServer: the Beast transport. Accepts connections, parses requests with
// limits and timeouts, hands each to the api Router, and writes responses in
// request order. Beast and Asio stay behind this header (pimpl) so that only
// the transport files pay their compile time.
//
// Threading: Start/Run from the main thread; Shutdown from any thread (the
// server also calls it on SIGINT/SIGTERM).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/router.h"
#include "trainyard/status.h"

namespace trainyard {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;
  size_t max_body_bytes = 1 << 20;
  size_t max_header_bytes = 8 << 10;
  std::chrono::milliseconds idle_timeout{60'000};
  int threads = 2;
  // Pipelined requests read ahead of their responses, per connection; past
  // this, reading pauses until responses drain.
  size_t pipeline_limit = 8;
  // A streamed response (Server-Sent Events) silent this long gets the
  // stream's heartbeat, so proxies keep it open and a gone client is noticed.
  std::chrono::milliseconds stream_heartbeat{15'000};
};

class HttpServer {
 public:
  // REQUIRES: router outlives the server.
  HttpServer(HttpServerOptions options, const api::Router& router);
  ~HttpServer();

  // Binds and listens; an error names the address when it is taken.
  Status Start();
  // The bound port (useful when started on port 0).
  uint16_t port() const;

  // Serves until Shutdown() or a SIGINT/SIGTERM, then lets requests in
  // flight finish and returns.
  void Run();

  // Stops accepting, closes idle connections, lets busy ones finish their
  // responses. Thread-safe, idempotent.
  void Shutdown();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trainyard
