// trainyard: the command line (DESIGN.md section 6).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "server/serve_command.h"
#include "server/simulate_command.h"

int main(int argc, char** argv) {
  CLI::App app{"trainyard: a control plane for ML training jobs on spot capacity"};
  app.require_subcommand(1);

  trainyard::ServeOptions serve;
  CLI::App* serve_cmd = app.add_subcommand("serve", "Run the HTTP service");
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on")
      ->envname("TRAINYARD_LISTEN")->capture_default_str();
  serve_cmd->add_option("--db", serve.db, "SQLite database file (its directory is created)")
      ->envname("TRAINYARD_DB")->capture_default_str();
  serve_cmd->add_option("--clock", serve.clock, "real: scaled wall time; manual: only /v1/admin/clock/advance moves time")
      ->envname("TRAINYARD_CLOCK")->check(CLI::IsMember({"real", "manual"}))->capture_default_str();
  serve_cmd->add_option("--time-scale", serve.time_scale, "virtual seconds per real second (real clock)")
      ->envname("TRAINYARD_TIME_SCALE")->check(CLI::Range(1e-3, 1e7))->capture_default_str();
  serve_cmd->add_option("--start-time", serve.start_time, "virtual epoch seconds to start at (default: now; manual: 2026-01-01)")
      ->envname("TRAINYARD_START_TIME")->check(CLI::NonNegativeNumber);
  serve_cmd->add_option("--seed", serve.seed, "seed of every random draw (market, interruptions, failures)")
      ->envname("TRAINYARD_SEED")->capture_default_str();
  serve_cmd->add_option("--capacity", serve.capacity_file, "JSON file of instance pools replacing the built-in catalogue")
      ->envname("TRAINYARD_CAPACITY")->check(CLI::ExistingFile);
  serve_cmd->add_flag("--static-market", serve.static_market, "spot capacity and prices stay at the catalogue's figures")
      ->envname("TRAINYARD_STATIC_MARKET");
  serve_cmd->add_option("--log-level", serve.log_level, "trace|debug|info|warn|error")
      ->envname("TRAINYARD_LOG_LEVEL")->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))->capture_default_str();
  serve_cmd->add_option("--log-format", serve.log_format, "text|json")
      ->envname("TRAINYARD_LOG_FORMAT")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  serve_cmd->add_option("--max-body-bytes", serve.max_body_bytes, "largest request body accepted (413 beyond)")
      ->envname("TRAINYARD_MAX_BODY_BYTES")->check(CLI::Range(size_t{1}, size_t{1} << 30))->capture_default_str();
  serve_cmd->add_option("--idle-timeout", serve.idle_timeout_seconds, "seconds a connection may stay idle or stall mid-request")
      ->envname("TRAINYARD_IDLE_TIMEOUT")->check(CLI::Range(0.05, 86400.0))->capture_default_str();
  serve_cmd->add_option("--heartbeat", serve.heartbeat_seconds, "seconds of silence before an event stream gets a heartbeat comment")
      ->envname("TRAINYARD_HEARTBEAT")->check(CLI::Range(0.05, 3600.0))->capture_default_str();
  serve_cmd->add_option("--threads", serve.threads, "HTTP I/O threads")
      ->envname("TRAINYARD_THREADS")->check(CLI::Range(1, 64))->capture_default_str();
  serve_cmd->add_option("--region", serve.region, "region used in ARNs")
      ->envname("TRAINYARD_REGION")->capture_default_str();
  serve_cmd->add_option("--account-id", serve.account_id, "12-digit account used in ARNs")
      ->envname("TRAINYARD_ACCOUNT_ID")->check([](const std::string& v) {
        bool ok = v.size() == 12 && v.find_first_not_of("0123456789") == std::string::npos;
        return ok ? std::string() : std::string("must be 12 digits");
      })->capture_default_str();
  serve_cmd->add_option("--auth", serve.auth, "none | sigv4: require AWS Signature V4 on every route but /healthz, /readyz, /metrics")
      ->envname("TRAINYARD_AUTH")->check(CLI::IsMember({"none", "sigv4"}))->capture_default_str();
  serve_cmd->add_option("--credentials", serve.credentials_file, "AWS shared credentials file (INI) whose keys --auth sigv4 accepts")
      ->envname("TRAINYARD_CREDENTIALS")->check(CLI::ExistingFile);

  trainyard::SimulateOptions simulate;
  CLI::App* simulate_cmd = app.add_subcommand("simulate", "Replay a workload against the capacity model and report cost, savings and waiting");
  CLI::Option* jobs_opt = simulate_cmd->add_option("--jobs", simulate.jobs_file, "JSONL workload: {\"SubmitTime\": s, \"Request\": CreateTrainingJob} per line; - for stdin");
  CLI::Option* generate_opt = simulate_cmd->add_option("--generate", simulate.generate_jobs, "write a synthetic workload of N jobs to stdout instead")
      ->check(CLI::Range(size_t{0}, size_t{10'000'000}))->excludes(jobs_opt);
  simulate_cmd->add_option("--days", simulate.days, "--generate: spread SubmitTimes over this many days")
      ->check(CLI::Range(1e-3, 3650.0))->needs(generate_opt)->capture_default_str();
  simulate_cmd->add_option("--capacity", simulate.capacity_file, "JSON file of instance pools replacing the built-in catalogue")
      ->envname("TRAINYARD_CAPACITY")->check(CLI::ExistingFile);
  simulate_cmd->add_option("--seed", simulate.seed, "seed of every random draw (market, interruptions, failures, --generate)")
      ->envname("TRAINYARD_SEED")->capture_default_str();
  simulate_cmd->add_option("--format", simulate.format, "table|json")
      ->check(CLI::IsMember({"table", "json"}))->capture_default_str();
  simulate_cmd->add_flag("--static-market", simulate.static_market, "spot capacity and prices stay at the catalogue's figures")
      ->envname("TRAINYARD_STATIC_MARKET");

  CLI::App* version_cmd = app.add_subcommand("version", "Print the version");

  CLI11_PARSE(app, argc, argv);

  if (*version_cmd) {
    std::printf("trainyard %s\n", TRAINYARD_VERSION);
    return 0;
  }
  if (*simulate_cmd) {
    simulate.generate = generate_opt->count() > 0;
    return trainyard::RunSimulate(simulate);
  }
  return trainyard::RunServe(serve);
}
