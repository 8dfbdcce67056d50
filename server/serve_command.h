// `trainyard serve`: wires the store, clock, engine, routes and transport by
// hand (no DI framework) and runs until a signal.
#pragma once

#include <string>

namespace trainyard {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string db = "./var/trainyard.db";
  std::string clock = "real";  // real | manual
  double time_scale = 1;
  double start_time = 0;       // virtual epoch seconds; 0: now (real) or 2026-01-01 (manual)
  std::string log_level = "info";
  std::string log_format = "text";
  size_t max_body_bytes = 1 << 20;
  double idle_timeout_seconds = 60;
  double heartbeat_seconds = 15;  // SSE comment after this much silence on an event stream
  int threads = 2;
  uint64_t seed = 1;
  std::string capacity_file;   // empty: the built-in catalogue
  bool static_market = false;  // true: spot capacity and prices never move by themselves
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  std::string auth = "none";       // none | sigv4: every route but the probes needs a signature
  std::string credentials_file;    // AWS shared credentials file, for --auth sigv4
};

// Returns the process exit code: 0 after a graceful shutdown.
int RunServe(const ServeOptions& options);

}  // namespace trainyard
