// Engine benchmarks: the Simulation (the engine's pure core) against a bare
// std::priority_queue event loop doing the same count of events, placement
// with 100k jobs waiting, and the engine's memory per waiting job.
//
//   build/bin/trainyard_bench --benchmark_filter='Events|Placement|ChooseStarts|Memory'
//
// bench/report.py turns the JSON output into the ratios of bench/README.md.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <vector>

#include "bench/bench_jobs.h"
#include "server/engine/scheduler.h"
#include "server/engine/simulation.h"

namespace trainyard::bench {
namespace {

constexpr double kT0 = 1767225600;  // 2026-01-01, as `trainyard simulate`
// Per job: Starting ends, 5 checkpoints (600 .. 3000 s of work), Training
// ends, Uploading ends. Work is 3001 .. 3499 s, the template checkpoints
// every 600 s and has no dataset to download.
constexpr int64_t kEventsPerJob = 8;
// Submissions are spread over this many seconds, less than the 120 s launch
// time, so that every job is in flight (one pending event each) before the
// first event runs, and no two events fall at the same instant.
constexpr double kSubmitSpread = 100;

double WorkSeconds(size_t i) { return 3001 + static_cast<double>(i % 997) * 0.5; }

SimulationOptions StillMarket() {
  SimulationOptions options;
  options.market_moves = false;
  return options;
}

// n jobs in flight on a pool roomy enough for all of them.
std::unique_ptr<Simulation> JobsInFlight(size_t n) {
  auto sim = std::make_unique<Simulation>(OnePool(static_cast<int>(n)), StillMarket(), kT0);
  for (size_t i = 0; i < n; ++i) {
    sim->AdvanceTo(kT0 + kSubmitSpread * static_cast<double>(i) / static_cast<double>(n));
    TrainingJob job = MakeJob("ev", i);
    job.spec.workload.work_seconds = WorkSeconds(i);
    if (!sim->Submit(std::move(job)).ok()) std::abort();
  }
  sim->TakeChanged();
  return sim;
}

// Simulation: n jobs in flight (n pending events), driven to completion.
void BM_Events_Simulation(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  bool checked = false;
  for (auto _ : state) {
    state.PauseTiming();
    auto sim = JobsInFlight(n);
    if (sim->PendingEvents() != n) {
      state.SkipWithError("setup: not every job has a pending event");
      break;
    }
    state.ResumeTiming();

    sim->AdvanceTo(kT0 + 1e6);
    benchmark::DoNotOptimize(sim->TakeChanged());

    state.PauseTiming();
    if (!checked) {
      for (size_t i = 0; i < n; ++i) {
        const TrainingJob* job = sim->Find(JobName("ev", i));
        // Pending, Starting, Training, Uploading, Completed: the 8 events ran.
        if (job == nullptr || job->status != JobStatus::kCompleted ||
            job->transitions.size() != 5 || job->checkpointed_seconds != 3000) {
          state.SkipWithError("a job did not run the expected events");
          break;
        }
      }
      checked = true;
    }
    sim.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n) * kEventsPerJob);
  state.counters["pending_events"] = static_cast<double>(n);
}
BENCHMARK(BM_Events_Simulation)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);

// The baseline: the same events (same times, same count, n pending) through a
// bare std::priority_queue<(time, seq)> whose handler only schedules the
// job's next event.
void BM_Events_BarePriorityQueue(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  struct Event {
    double time;
    uint64_t seq;
    bool operator>(const Event& o) const {
      return time > o.time || (time == o.time && seq > o.seq);
    }
  };
  int64_t handled = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Event> initial;
    initial.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const double submit = kT0 + kSubmitSpread * static_cast<double>(i) / static_cast<double>(n);
      initial.push_back({submit + 120, i});  // Starting ends after the launch time
    }
    std::priority_queue<Event, std::vector<Event>, std::greater<>> queue(std::greater<>(),
                                                                         std::move(initial));
    std::vector<uint8_t> step(n, 0);
    handled = 0;
    state.ResumeTiming();

    while (!queue.empty()) {
      const Event event = queue.top();
      queue.pop();
      ++handled;
      const size_t job = event.seq;
      const uint8_t s = ++step[job];
      double next;
      if (s <= 5) {
        next = event.time + 600;  // launch or checkpoint s-1 ran: checkpoint s
      } else if (s == 6) {
        next = event.time + (WorkSeconds(job) - 3000);  // the 5th ran: training ends
      } else if (s == 7) {
        next = event.time + 60;  // training ended: upload ends
      } else {
        continue;  // completed
      }
      queue.push({next, event.seq});
    }
    benchmark::DoNotOptimize(handled);
  }
  if (handled != static_cast<int64_t>(n) * kEventsPerJob) {
    state.SkipWithError("the bare loop did not run the same count of events");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n) * kEventsPerJob);
  state.counters["pending_events"] = static_cast<double>(n);
}
BENCHMARK(BM_Events_BarePriorityQueue)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);

// Placement through the Simulation: a pool of 64 instances, all busy, and
// `waiting` jobs queued behind them. Each iteration runs events until a job
// completes and the scheduler starts the next waiting one (one placement
// round: the queue handed to ChooseStarts, then Place).
void BM_Placement_Simulation(benchmark::State& state) {
  const size_t waiting = static_cast<size_t>(state.range(0));
  constexpr int kCapacity = 64;
  Simulation sim(OnePool(kCapacity), StillMarket(), kT0);
  for (size_t i = 0; i < kCapacity + waiting; ++i) {
    TrainingJob job = MakeJob(i < kCapacity ? "run" : "wait", i);
    job.spec.checkpointing = false;  // 3 events a job: launch, training, upload ends
    job.spec.workload.work_seconds = WorkSeconds(i);
    if (!sim.Submit(std::move(job)).ok()) std::abort();
  }
  sim.TakeChanged();
  if (sim.WaitingJobs() != waiting) {
    state.SkipWithError("setup: the waiting queue is not the expected size");
    return;
  }
  int64_t placed = 0;
  size_t next_job = kCapacity + waiting;
  for (auto _ : state) {
    const size_t before = sim.WaitingJobs();
    while (sim.WaitingJobs() == before) {
      auto next = sim.NextEventTime();
      if (!next) break;
      sim.AdvanceTo(*next);
    }
    const size_t started = before - sim.WaitingJobs();
    placed += static_cast<int64_t>(started);
    benchmark::DoNotOptimize(sim.TakeChanged());

    // Top the queue up again (untimed), so every round sees `waiting` jobs.
    state.PauseTiming();
    if (started == 0) {
      state.SkipWithError("no job started");
      break;
    }
    for (size_t k = 0; k < started; ++k, ++next_job) {
      TrainingJob job = MakeJob("wait", next_job);
      job.spec.checkpointing = false;
      job.spec.workload.work_seconds = WorkSeconds(next_job);
      if (!sim.Submit(std::move(job)).ok()) std::abort();
    }
    sim.TakeChanged();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(placed);
  state.counters["waiting_jobs"] = static_cast<double>(waiting);
}
BENCHMARK(BM_Placement_Simulation)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond)
    ->MinTime(1.0);

// The placement rule alone (scheduler.h), the baseline for the above: one
// call over a queue of `waiting` jobs. Worst case: one instance free and
// every job needs two, none starving, so the whole queue is scanned.
void BM_ChooseStarts_FullScan(benchmark::State& state) {
  const size_t waiting = static_cast<size_t>(state.range(0));
  std::vector<WaitingJob> queue(waiting, WaitingJob{2, kT0});
  for (auto _ : state) {
    auto starts = ChooseStarts(queue, /*free=*/1, /*capacity=*/64, kT0 + 1, 600);
    benchmark::DoNotOptimize(starts);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["waiting_jobs"] = static_cast<double>(waiting);
}
BENCHMARK(BM_ChooseStarts_FullScan)->Arg(1000)->Arg(100000)->Unit(benchmark::kMicrosecond);

// Bytes in use by malloc (all arenas, mmapped chunks included).
size_t HeapInUse() {
  struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

// Engine memory per waiting job: 100k jobs, made as POST /v1/training-jobs
// makes them (spec + the request document Describe echoes), held waiting by
// a Simulation whose pool has no capacity, with its event queue and change
// lists drained as the engine drains them every burst. The Simulation drops
// the request document (the store keeps it); the engine holds a new job's
// document only until the burst that created it commits.
void BM_Memory_WaitingJobs(benchmark::State& state) {
  constexpr size_t kJobs = 100000;
  double per_job = 0, document_bytes = 0;
  for (auto _ : state) {
    const size_t before = HeapInUse();
    {
      Simulation sim(OnePool(0), StillMarket(), kT0);
      for (size_t i = 0; i < kJobs; ++i) {
        if (!sim.Submit(MakeJob("mem", i)).ok()) std::abort();
      }
      sim.TakeChanged();  // the engine drains it every burst
      if (sim.WaitingJobs() != kJobs) {
        state.SkipWithError("not every job is waiting");
        return;
      }
      per_job = static_cast<double>(HeapInUse() - before) / static_cast<double>(kJobs);
    }
    document_bytes = static_cast<double>(TemplateJob().request_document.size());
  }
  state.counters["bytes_per_waiting_job"] = per_job;
  state.counters["request_document_bytes"] = document_bytes;
  state.counters["sizeof_TrainingJob"] = static_cast<double>(sizeof(TrainingJob));
}
BENCHMARK(BM_Memory_WaitingJobs)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace trainyard::bench
