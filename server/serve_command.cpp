#include "server/serve_command.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>

#include "api/rest_routes.h"
#include "api/router.h"
#include "server/engine/engine.h"
#include "server/http/http_server.h"
#include "server/log_setup.h"
#include "trainyard/catalogue.h"
#include "trainyard/clock.h"
#include "trainyard/job_store.h"

namespace trainyard {
namespace {

// Manual clocks start at a fixed instant so that the same API calls give the
// same Describe output on every run.
constexpr double kManualClockEpoch = 1767225600;  // 2026-01-01T00:00:00Z

Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
    return Status::Validation("--listen must be HOST:PORT, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    return Status::Validation("--listen port must be 0..65535, got '" + listen.substr(colon + 1) + "'");
  }
  return std::make_pair(host, static_cast<uint16_t>(port));
}

std::unique_ptr<Clock> MakeClock(const ServeOptions& options) {
  if (options.clock == "manual") {
    return std::make_unique<ManualClock>(options.start_time > 0 ? options.start_time
                                                                : kManualClockEpoch);
  }
  double start = options.start_time > 0 ? options.start_time : SystemEpochSeconds();
  return std::make_unique<ScaledClock>(start, options.time_scale);
}

int Fail(const Status& status) {
  spdlog::critical("{}", status.message());
  return 1;
}

}  // namespace

int RunServe(const ServeOptions& options) {
  if (Status s = SetUpLogging(options.log_level, options.log_format); !s.ok()) {
    fprintf(stderr, "trainyard: %s\n", s.message().c_str());
    return 2;
  }
  auto listen = ParseListen(options.listen);
  if (!listen.ok()) return Fail(listen.status());

  std::error_code fs_error;
  auto db_dir = std::filesystem::path(options.db).parent_path();
  if (!db_dir.empty()) std::filesystem::create_directories(db_dir, fs_error);
  if (fs_error) return Fail(Status::Internal("cannot create " + db_dir.string() + ": " + fs_error.message()));
  auto store = OpenSqliteJobStore(options.db);
  if (!store.ok()) return Fail(store.status());

  std::unique_ptr<Clock> clock = MakeClock(options);
  Catalogue catalogue = Catalogue::BuiltIn();
  Engine engine(**store, *clock);
  if (Status s = engine.Start(); !s.ok()) return Fail(s);

  api::Router router;
  api::RestContext rest;
  rest.jobs = &engine;
  rest.catalogue = &catalogue;
  rest.arn_scope = {options.region, options.account_id};
  api::AddRestRoutes(router, rest);

  HttpServerOptions http;
  http.address = listen->first;
  http.port = listen->second;
  http.max_body_bytes = options.max_body_bytes;
  http.idle_timeout = std::chrono::milliseconds(static_cast<int64_t>(options.idle_timeout_seconds * 1000));
  http.threads = options.threads;
  HttpServer server(http, router);
  if (Status s = server.Start(); !s.ok()) return Fail(s);

  spdlog::info("trainyard {} listening on {}:{} (db {}, clock {})", TRAINYARD_VERSION,
               listen->first, server.port(), options.db, options.clock);
  server.Run();
  engine.Shutdown();
  spdlog::info("trainyard stopped cleanly");
  return 0;
}

}  // namespace trainyard
