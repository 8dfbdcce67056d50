#include "server/simulate_command.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "server/catalogue_loader.h"
#include "server/engine/simulation.h"
#include "server/simulate/simulation_report.h"
#include "server/simulate/workload_file.h"
#include "server/simulate/workload_generator.h"
#include "server/simulate/workload_replay.h"

namespace trainyard {
namespace {

constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;

int Complain(int code, const std::string& message) {
  std::fprintf(stderr, "trainyard simulate: %s\n", message.c_str());
  return code;
}

// Prints a progress line on stderr about once a second of wall time. The
// wall clock is read here, in the command, and only to pace these lines:
// the simulation never sees it, so stdout is the same however fast the
// machine is (DESIGN.md section 3: nothing else calls *_clock::now()).
class ProgressLine {
 public:
  void Reading(size_t lines) {
    if (Due()) std::fprintf(stderr, "trainyard simulate: read %zu lines\n", lines);
  }
  void Replaying(const ReplayProgress& p) {
    if (!Due()) return;
    std::fprintf(stderr,
                 "trainyard simulate: %zu/%zu jobs submitted, %zu ended, virtual day %.1f\n",
                 p.submitted, p.total, p.finished, p.virtual_seconds / 86400);
  }

 private:
  bool Due() {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::seconds(1)) return false;
    last_ = now;
    return true;
  }

  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

int Generate(const SimulateOptions& options, const Catalogue& catalogue) {
  GeneratorOptions generator;
  generator.jobs = options.generate_jobs;
  generator.seed = options.seed;
  generator.days = options.days;
  // Lines go out through one large buffer: a 100k-job trace is ~100 MB.
  std::ios::sync_with_stdio(false);
  Status s = GenerateWorkload(generator, catalogue, std::cout);
  std::cout.flush();
  if (!s.ok()) return Complain(s.code() == ErrorCode::kValidation ? kExitBadInput : kExitInternal,
                               s.message());
  return std::cout ? 0 : Complain(kExitInternal, "cannot write to standard output");
}

Result<WorkloadFile> Read(const SimulateOptions& options, const Catalogue& catalogue,
                          ProgressLine& progress) {
  auto on_lines = [&progress](size_t lines) { progress.Reading(lines); };
  if (options.jobs_file == "-") {
    return ReadWorkload(std::cin, catalogue, options.max_reported_errors, on_lines);
  }
  std::ifstream in(options.jobs_file, std::ios::binary);
  if (!in) return Status::Validation("--jobs: cannot read " + options.jobs_file);
  return ReadWorkload(in, catalogue, options.max_reported_errors, on_lines);
}

}  // namespace

int RunSimulate(const SimulateOptions& options) {
  if (options.format != "table" && options.format != "json") {
    return Complain(kExitBadInput, "--format must be table or json");
  }
  auto catalogue = LoadCatalogue(options.capacity_file);
  if (!catalogue.ok()) return Complain(kExitBadInput, catalogue.status().message());
  if (options.generate) return Generate(options, *catalogue);
  if (options.jobs_file.empty()) {
    return Complain(kExitBadInput, "give --jobs FILE.jsonl to simulate, or --generate N");
  }

  ProgressLine progress;
  auto workload = Read(options, *catalogue, progress);
  if (!workload.ok()) return Complain(kExitBadInput, workload.status().message());
  if (workload->bad_lines > 0) {
    for (const auto& error : workload->errors) std::fprintf(stderr, "%s\n", error.c_str());
    if (workload->bad_lines > workload->errors.size()) {
      std::fprintf(stderr, "... and %zu more bad lines\n",
                   workload->bad_lines - workload->errors.size());
    }
    return Complain(kExitBadInput, std::to_string(workload->bad_lines) + " bad line" +
                                       (workload->bad_lines == 1 ? "" : "s") + " in " +
                                       options.jobs_file + "; nothing simulated");
  }

  SimulationOptions simulation;
  simulation.seed = options.seed;
  simulation.market_moves = !options.static_market;
  auto report = ReplayWorkload(std::move(workload->jobs), *catalogue, simulation, kSimulateEpoch,
                               [&progress](const ReplayProgress& p) { progress.Replaying(p); });
  if (!report.ok()) return Complain(kExitInternal, report.status().message());

  const std::string text =
      options.format == "json" ? FormatReportJson(*report) : FormatReportTable(*report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : Complain(kExitInternal, "cannot write to standard output");
}

}  // namespace trainyard
