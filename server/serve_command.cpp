#include "server/serve_command.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <memory>

#include "api/admin_routes.h"
#include "api/cost_report_routes.h"
#include "api/aws_json_protocol.h"
#include "api/credentials_file.h"
#include "api/event_routes.h"
#include "api/observability_routes.h"
#include "api/rest_routes.h"
#include "api/router.h"
#include "api/sigv4_verifier.h"
#include "server/catalogue_loader.h"
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

// Virtual time resumes where the last run left it: downtime does not count.
std::unique_ptr<Clock> MakeClock(const ServeOptions& options, std::optional<double> saved) {
  if (options.clock == "manual") {
    double start = saved ? *saved : options.start_time > 0 ? options.start_time : kManualClockEpoch;
    return std::make_unique<ManualClock>(start);
  }
  double start = saved ? *saved : options.start_time > 0 ? options.start_time : SystemEpochSeconds();
  return std::make_unique<ScaledClock>(start, options.time_scale);
}

// --auth sigv4: every request except the probes must be signed with a key
// of the credentials file, scoped to this server's region. Null for
// --auth none.
Result<std::shared_ptr<const api::SigV4Verifier>> LoadVerifier(const ServeOptions& options) {
  if (options.auth == "none") {
    if (!options.credentials_file.empty()) {
      return Status::Validation("--credentials needs --auth sigv4 (signatures are not checked otherwise)");
    }
    return std::shared_ptr<const api::SigV4Verifier>();
  }
  if (options.auth != "sigv4") return Status::Validation("--auth must be none or sigv4, got '" + options.auth + "'");
  if (options.credentials_file.empty()) return Status::Validation("--auth sigv4 needs --credentials FILE");
  auto credentials = api::LoadCredentialsFile(options.credentials_file);
  if (!credentials.ok()) return credentials.status();
  return std::make_shared<const api::SigV4Verifier>(std::move(*credentials), options.region);
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
  auto verifier = LoadVerifier(options);
  if (!verifier.ok()) return Fail(verifier.status());

  std::error_code fs_error;
  auto db_dir = std::filesystem::path(options.db).parent_path();
  if (!db_dir.empty()) std::filesystem::create_directories(db_dir, fs_error);
  if (fs_error) return Fail(Status::Internal("cannot create " + db_dir.string() + ": " + fs_error.message()));
  auto store = OpenSqliteJobStore(options.db);
  if (!store.ok()) return Fail(store.status());

  auto catalogue = LoadCatalogue(options.capacity_file);
  if (!catalogue.ok()) return Fail(catalogue.status());
  auto saved_time = (*store)->LoadVirtualTime();
  if (!saved_time.ok()) return Fail(saved_time.status());
  std::unique_ptr<Clock> clock = MakeClock(options, *saved_time);

  SimulationOptions simulation;
  simulation.seed = options.seed;
  simulation.market_moves = !options.static_market;
  Engine engine(**store, *clock, *catalogue, simulation);
  if (Status s = engine.Start(); !s.ok()) return Fail(s);

  api::Router router;
  api::RestContext rest;
  rest.jobs = &engine;
  rest.catalogue = &*catalogue;
  rest.upload_seconds = simulation.upload_seconds;
  rest.arn_scope = {options.region, options.account_id};
  api::AddRestRoutes(router, rest);
  api::AddAwsJsonProtocol(router, rest);
  if (*verifier) {
    router.SetGuard(api::MakeSigV4Guard(*verifier));
    spdlog::info("SigV4 authentication on: {} access key(s) from {}, scope {}/sagemaker",
                 (*verifier)->key_count(), options.credentials_file, options.region);
  }
  api::AddEventRoutes(router, engine);
  api::AddAdminRoutes(router, engine);
  api::AddCostReportRoute(router, engine, *catalogue, simulation.upload_seconds);
  api::MetricsRegistry metrics;
  api::AddObservabilityRoutes(router, engine, engine, metrics);
  api::ObserveRequests(router, metrics);

  HttpServerOptions http;
  http.address = listen->first;
  http.port = listen->second;
  http.max_body_bytes = options.max_body_bytes;
  http.idle_timeout = std::chrono::milliseconds(static_cast<int64_t>(options.idle_timeout_seconds * 1000));
  http.threads = options.threads;
  http.stream_heartbeat =
      std::chrono::milliseconds(static_cast<int64_t>(options.heartbeat_seconds * 1000));
  auto server = std::make_unique<HttpServer>(http, router);
  if (Status s = server->Start(); !s.ok()) return Fail(s);

  spdlog::info("trainyard {} listening on {}:{} (db {}, clock {}, seed {}, {} pools)",
               TRAINYARD_VERSION, listen->first, server->port(), options.db, options.clock,
               options.seed, catalogue->pools().size());
  server->Run();
  // The engine stops before the transport is destroyed: its feed may still
  // wake a stream's session, which posts to the transport's io_context. A
  // second signal meanwhile still reaches the transport's (finished) handler.
  engine.Shutdown();
  server.reset();
  // Destroying the transport restored the default signal actions; a second
  // signal while the store closes must not cut that short.
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGTERM, SIG_IGN);
  spdlog::info("trainyard stopped cleanly");
  return 0;
}

}  // namespace trainyard
