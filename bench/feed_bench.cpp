// Google Benchmark: what following costs the engine. The engine thread calls
// EventFeed::Publish once per commit; each follower of the job costs a copy
// of the event into its queue and one wake (here a counter; in the server a
// post to the connection's strand). Readers that never read are dropped at
// their backlog bound, after which they cost nothing. Baseline: the same
// Publish with nobody following.
#include <benchmark/benchmark.h>

#include <atomic>
#include <memory>
#include <vector>

#include "trainyard/event_feed.h"

namespace trainyard::bench {
namespace {

std::vector<JobEvent> Burst(int64_t& next_id) {
  std::vector<JobEvent> events(16);
  for (auto& e : events) {
    e.id = next_id++;
    e.job_name = "followed-job";
    e.type = JobEventType::kCheckpoint;
    e.message = "Checkpoint saved at 1800 s of 36000 s";
    e.progress_seconds = 1800;
  }
  return events;
}

// Arg: followers of the job. Half of them read everything after each
// publish; half never read, so they are dropped once 1024 events behind.
void BM_FeedPublish(benchmark::State& state) {
  const auto followers = static_cast<size_t>(state.range(0));
  EventFeed feed;
  std::atomic<int64_t> wakes{0};
  std::vector<std::shared_ptr<EventSubscription>> readers, stalled;
  for (size_t i = 0; i < followers; ++i) {
    (i % 2 == 0 ? readers : stalled).push_back(feed.Subscribe("followed-job", [&] { ++wakes; }));
  }
  int64_t next_id = 1;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<JobEvent> burst = Burst(next_id);
    state.ResumeTiming();
    feed.Publish(burst);
    state.PauseTiming();
    for (auto& r : readers) benchmark::DoNotOptimize(r->Take());
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * 16);
  state.counters["followers"] = static_cast<double>(followers);
  size_t dropped = 0;
  for (auto& s : stalled) dropped += s->dropped() ? 1 : 0;
  state.counters["stalled_dropped"] = static_cast<double>(dropped);
}
BENCHMARK(BM_FeedPublish)->Arg(0)->Arg(10)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace trainyard::bench
