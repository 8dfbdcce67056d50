// `trainyard simulate --generate N`: a synthetic workload in the --jobs
// format (workload_file.h), so that anyone can reproduce a benchmark trace
// from two numbers.
//
// The mix, per job (each drawn independently, keyed by seed and job index
// with KeyedRandom, so one job's draws never depend on another's):
// - instance type: from the catalogue, weighted by the pool's capacity (on-
//   demand plus spot), so every pool sees a similar share of its capacity;
// - market: spot for about 60%, with MaxWait 1.5-3 x MaxRuntime; a tenth
//   of the spot jobs fall back to on-demand (trainyard.spot_fallback);
// - instances: mostly 1, some 2, 4 and 8, never more than a quarter of the
//   pool's capacity in the job's market;
// - work: log-normal, median 30 minutes, clamped to 5 minutes .. 1 day;
//   MaxRuntime twice the expected run time, rounded up to the hour, except
//   for about 4% of jobs whose owners underestimated it;
// - checkpoints for 75% of spot and 25% of on-demand jobs (every 5-30
//   minutes; 40% of them also on the interruption notice);
// - input: File 55%, Pipe 30%, FastFile 15%; datasets log-normal around 8 GB;
// - RetryStrategy (1-3 attempts) for 20%; 8% of jobs are flaky
//   (trainyard.failure_probability 0.1-0.4);
// - SubmitTime uniform over the days, in whole seconds.
// With the built-in catalogue, 100k jobs over 30 days keep the pools busy
// without a lasting backlog.
//
// Threading: stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>

#include "trainyard/catalogue.h"
#include "trainyard/status.h"

namespace trainyard {

struct GeneratorOptions {
  size_t jobs = 0;
  uint64_t seed = 1;
  double days = 30;
};

// One line per job (no trailing blank line), sorted by SubmitTime, then by
// job index. Validation when the catalogue has no pools or days <= 0.
Status GenerateWorkload(const GeneratorOptions& options, const Catalogue& catalogue,
                        std::ostream& out);

}  // namespace trainyard
