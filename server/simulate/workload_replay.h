// Replays a workload through the Simulation -- the engine's own domain core,
// with no HTTP, no store and no clock -- and reports what it cost and how
// long it waited (simulation_report.h).
//
// Jobs are submitted in SubmitTime order (ties in file order), the
// simulation advanced to each submission first; then events run back to
// back until every job has ended. A job that ends is summarised (its
// CostSummary) and forgotten at once, so memory follows the jobs in flight,
// not the workload. Jobs that can never start (an on-demand gang larger
// than the pool) would wait forever: the run stops when nothing but such
// jobs is left, and reports them as never started.
//
// Deterministic: the same jobs, catalogue and options give the same report.
//
// Threading: runs on the calling thread; `progress` is called on it too.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "server/engine/simulation.h"
#include "server/simulate/simulation_report.h"
#include "server/simulate/workload_file.h"
#include "trainyard/catalogue.h"
#include "trainyard/status.h"

namespace trainyard {

// Simulations start at a fixed instant so that their output is reproducible.
inline constexpr double kSimulateEpoch = 1767225600;  // 2026-01-01T00:00:00Z

struct ReplayProgress {
  size_t submitted = 0;
  size_t finished = 0;
  size_t total = 0;
  double virtual_seconds = 0;  // since the start
};

// Called every few thousand steps, so that a caller can show progress.
using ReplayProgressFn = std::function<void(const ReplayProgress&)>;

// Internal when the simulation refuses a job the file validation accepted
// (a bug, not a user error).
Result<SimulationReport> ReplayWorkload(WorkloadJobs jobs, const Catalogue& catalogue,
                                        const SimulationOptions& options,
                                        double start_time = kSimulateEpoch,
                                        const ReplayProgressFn& progress = nullptr);

}  // namespace trainyard
