// Store benchmark: durable creates per second with the real SQLite store
// (WAL, synchronous=FULL, one fsync per transaction) on a temporary file,
// when creates share a transaction (group commit: a StoreBatch of 256 jobs
// per Save; 1024 shows where it levels off) against one transaction per
// create (a batch of 1, the baseline).
//
//   build/bin/trainyard_bench --benchmark_filter=StoreCreate
//
// The file goes in $TRAINYARD_BENCH_DIR, else $TMPDIR, else /tmp: put it on
// the disk you care about (a tmpfs makes fsync free and the ratio meaningless).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_jobs.h"
#include "server/engine/simulation.h"
#include "trainyard/job_store.h"

namespace trainyard::bench {
namespace {

void BM_StoreCreate(benchmark::State& state) {
  const size_t batch_size = static_cast<size_t>(state.range(0));
  const std::string dir = BenchTempDir("store");
  if (dir.empty()) {
    state.SkipWithError("cannot create a temporary directory");
    return;
  }
  {
    auto store = OpenSqliteJobStore(dir + "/trainyard.db");
    if (!store.ok()) {
      state.SkipWithError(store.status().message().c_str());
      return;
    }
    const TrainingJob stamped = StoredJob("stamp", 0);
    std::vector<TrainingJob> jobs(batch_size, stamped);
    StoreBatch batch;
    for (const auto& job : jobs) batch.jobs.push_back(&job);
    size_t next = 0;
    for (auto _ : state) {
      for (auto& job : jobs) {  // new names: every Save inserts new jobs
        job.spec.name = JobName("store", next++);
        job.arn = api::TrainingJobArn(api::ArnScope{}, job.spec.name);
      }
      batch.virtual_time = stamped.creation_time;
      if (Status s = (*store)->Save(batch); !s.ok()) {
        state.SkipWithError(s.message().c_str());
        break;
      }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch_size));
    state.counters["commits_per_second"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["jobs_per_commit"] = static_cast<double>(batch_size);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}
BENCHMARK(BM_StoreCreate)
    ->ArgName("jobs_per_commit")
    ->Arg(1)
    ->Arg(256)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0)
    ->UseRealTime();

}  // namespace
}  // namespace trainyard::bench
