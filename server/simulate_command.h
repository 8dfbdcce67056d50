// `trainyard simulate`: replays a workload file against the capacity model
// in seconds, with the engine's own domain code and no HTTP, store or
// waiting, and prints what it cost and how long the jobs waited; or, with
// --generate, writes a synthetic workload file (DESIGN.md section 6).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace trainyard {

struct SimulateOptions {
  std::string jobs_file;       // JSONL workload; "-" reads standard input
  std::string capacity_file;   // empty: the built-in catalogue
  uint64_t seed = 1;
  std::string format = "table";  // table | json
  bool static_market = false;  // true: spot capacity and prices stay at the catalogue's
  bool generate = false;       // write a workload instead of simulating one
  size_t generate_jobs = 0;
  double days = 30;            // --generate: SubmitTimes spread over this many days
  size_t max_reported_errors = 20;
};

// Returns the process exit code: 0 on success, 2 when the input is at fault
// (bad lines, each reported on stderr as "line N: ..."; an unreadable file;
// a bad capacity file), 1 on an internal error.
int RunSimulate(const SimulateOptions& options);

}  // namespace trainyard
