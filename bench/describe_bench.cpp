// Describe without the transport, to see where its time goes between HTTP
// runs: the store's GetJob of one of 100 stored jobs (one thread, so no
// lock is contended), read from the file each time (cached_jobs:0) and as
// a poll of an unchanged job mostly is (from the store's cache), and writing the answer as REST sends it (text)
// against building and dumping the json tree (as the AWS protocol does).
//
//   build/bin/trainyard_bench --benchmark_filter=Describe
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "api/job_json.h"
#include "bench/bench_jobs.h"
#include "server/engine/simulation.h"
#include "server/store/sqlite_job_store.h"

namespace trainyard::bench {
namespace {

void BM_DescribeGetJob(benchmark::State& state) {
  const std::string dir = BenchTempDir("describe");
  if (dir.empty()) {
    state.SkipWithError("cannot create a temporary directory");
    return;
  }
  {
    store::SqliteJobStore::Options options;
    options.cached_jobs = static_cast<size_t>(state.range(0));
    auto store = store::SqliteJobStore::Open(dir + "/trainyard.db", options);
    if (!store.ok()) {
      state.SkipWithError(store.status().message().c_str());
      return;
    }
    std::vector<TrainingJob> jobs;
    for (size_t i = 0; i < 100; ++i) jobs.push_back(StoredJob("describe", i));
    StoreBatch batch;
    for (const auto& job : jobs) batch.jobs.push_back(&job);
    if (Status s = (*store)->Save(batch); !s.ok()) {
      state.SkipWithError(s.message().c_str());
      return;
    }
    const std::string name = JobName("describe", 50);
    for (auto _ : state) {
      Result<TrainingJob> job = (*store)->GetJob(name);
      if (!job.ok()) {
        state.SkipWithError(job.status().message().c_str());
        break;
      }
      benchmark::DoNotOptimize(job->request_document.data());
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}
BENCHMARK(BM_DescribeGetJob)->ArgName("cached_jobs")->Arg(0)->Arg(1024)->MinTime(1.0);

void BM_DescribeText(benchmark::State& state) {
  const TrainingJob job = StoredJob("describe", 0);
  const Catalogue catalogue = OnePool(0);
  const InstancePool* pool = catalogue.Find(job.spec.instance_type);
  for (auto _ : state) {
    std::string body = api::DescribeTrainingJobJson(job, pool, 60).ToText();
    benchmark::DoNotOptimize(body.data());
  }
}
BENCHMARK(BM_DescribeText)->MinTime(1.0);

// The baseline: parse the stored request, lay the state over it, dump.
void BM_DescribeTree(benchmark::State& state) {
  const TrainingJob job = StoredJob("describe", 0);
  const Catalogue catalogue = OnePool(0);
  const InstancePool* pool = catalogue.Find(job.spec.instance_type);
  for (auto _ : state) {
    std::string body = api::Dump(api::DescribeTrainingJobJson(job, pool, 60).ToJson());
    benchmark::DoNotOptimize(body.data());
  }
}
BENCHMARK(BM_DescribeTree)->MinTime(1.0);

}  // namespace
}  // namespace trainyard::bench
