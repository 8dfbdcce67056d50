// A busy, moving-market scenario for the determinism, restore and cost
// tests: two pools with random interruptions and market ticks, spot and
// on-demand jobs with checkpoints, failures and retries, a fallback, an
// operator's Interrupt, Stop, FailAttempt and UpdatePool. A store stand-in
// keeps every job as TakeChanged reports it, as the real store would.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "server/engine/simulation.h"
#include "tests/unit/simulation_fixture.h"

namespace trainyard::testing {

inline Catalogue ScenarioCatalogue() {
  return Catalogue({
      {"ml.p3.2xlarge", 3.825, 4, 6, 0.30, 0.5, 120, 10},
      {"ml.g5.xlarge", 1.408, 2, 4, 0.32, 0.8, 180, 10},
  });
}

inline SimulationOptions ScenarioOptions(uint64_t seed = 7) {
  SimulationOptions options;
  options.seed = seed;
  return options;
}

inline constexpr double kScenarioStart = 1000;
inline constexpr double kScenarioEnd = 400000;

// Persists what changed, by value, and forgets finished jobs, as the engine
// does with the real store.
struct StoreMirror {
  std::map<std::string, TrainingJob> jobs;
  std::vector<JobEvent> events;  // when the simulation records them

  void Sync(Simulation& sim) {
    for (auto& event : sim.TakeEvents()) events.push_back(std::move(event));
    for (const auto& name : sim.TakeChanged()) {
      const TrainingJob* job = sim.Find(name);
      ASSERT_NE(job, nullptr) << name;
      jobs[name] = *job;
      if (IsTerminal(job->status)) sim.Forget(name);
    }
  }
  std::vector<TrainingJob> Unfinished() const {
    std::vector<TrainingJob> out;
    for (const auto& [name, job] : jobs) {
      if (!IsTerminal(job.status)) out.push_back(job);
    }
    return out;
  }
};

struct Action {
  double time;
  std::function<void(Simulation&)> run;
};

inline std::vector<Action> ScenarioActions() {
  auto submit = [](JobBuilder b) {
    return [job = b.Build()](Simulation& sim) { ASSERT_TRUE(sim.Submit(job).ok()); };
  };
  const std::string p3 = "ml.p3.2xlarge", g5 = "ml.g5.xlarge";
  PoolUpdate more_g5;
  more_g5.on_demand_capacity = 3;
  more_g5.on_demand_price_per_hour = 1.5;
  more_g5.interruption_rate_per_hour = 0.2;
  more_g5.spot_price_ratio = 0.4;
  more_g5.spot_capacity = 5;
  return {
      {1000, submit(JobBuilder("j1").Spot(200000).MaxRuntime(100000).Count(2).Work(20000)
                        .Checkpoints(600))},
      {1000, submit(JobBuilder("j2").Count(2).Work(5000).FileInput(50))},
      {1500, submit(JobBuilder("j3").Type(g5).Spot(200000).Work(8000).Checkpoints(600)
                        .CheckpointOnNotice().FailureProbability(0.3).Retries(2))},
      {2000, submit(JobBuilder("j4").Spot(30000).MaxRuntime(28000).Count(4).Work(9000)
                        .Fallback())},
      {2500, submit(JobBuilder("j5").Type(g5).Count(2).Work(3000).FailureProbability(0.5)
                        .Retries(1))},
      {3000, submit(JobBuilder("j6").Type(g5).Spot(20000).MaxRuntime(15000).Count(3)
                        .Work(12000).Checkpoints(900))},
      {4000, [p3](Simulation& sim) { ASSERT_TRUE(sim.Interrupt(p3, 2).ok()); }},
      {6000, submit(JobBuilder("j7").Spot().Work(4000))},
      {8000, [](Simulation& sim) { (void)sim.Stop("j7"); }},
      {9000, [](Simulation& sim) { (void)sim.FailAttempt("j1"); }},
      {12000, [g5, more_g5](Simulation& sim) { ASSERT_TRUE(sim.UpdatePool(g5, more_g5).ok()); }},
      {20000, submit(JobBuilder("j8").Count(4).Work(2000))},
      {20000, submit(JobBuilder("j9").Spot(100000).Count(3).Work(30000).Checkpoints(1200)
                        .CheckpointOnNotice().FailureProbability(0.2).Retries(3))},
      {30000, submit(JobBuilder("j10").Type(g5).Spot(86400).Count(4).Work(40000)
                        .Checkpoints(600))},
  };
}

// Runs the actions with time <= until, then advances to `until`.
inline void RunActions(Simulation& sim, StoreMirror& store, double from, double until) {
  for (const auto& action : ScenarioActions()) {
    if (action.time <= from || action.time > until) continue;
    sim.AdvanceTo(action.time);
    store.Sync(sim);
    action.run(sim);
    store.Sync(sim);
  }
  sim.AdvanceTo(until);
  store.Sync(sim);
}

// The whole scenario in one process.
inline StoreMirror RunScenario(uint64_t seed = 7) {
  Simulation sim(ScenarioCatalogue(), ScenarioOptions(seed), kScenarioStart);
  StoreMirror store;
  RunActions(sim, store, kScenarioStart - 1, kScenarioEnd);
  return store;
}

}  // namespace trainyard::testing
