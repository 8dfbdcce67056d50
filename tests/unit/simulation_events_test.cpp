// Simulation: the job history it records (JobEvent), event for event, and
// that a restart records the same future history.
#include <gtest/gtest.h>

#include "server/engine/simulation.h"
#include "tests/unit/simulation_fixture.h"
#include "tests/unit/simulation_scenario.h"

namespace trainyard {
namespace {

using namespace trainyard::testing;

SimulationOptions Recording(SimulationOptions options = StillOptions()) {
  options.record_events = true;
  return options;
}

struct Seen {
  JobEventType type;
  double time;
  SecondaryStatus secondary;
};

void ExpectEvents(const std::vector<JobEvent>& events, const std::vector<Seen>& expected) {
  ASSERT_EQ(events.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("event " + std::to_string(i) + ": " + events[i].message);
    EXPECT_EQ(events[i].type, expected[i].type);
    EXPECT_EQ(events[i].time, expected[i].time);
    EXPECT_EQ(events[i].secondary_status, expected[i].secondary);
  }
}

TEST(SimulationEventsTest, NothingIsRecordedUnlessAsked) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("a")).ok());
  sim.AdvanceTo(100000);
  EXPECT_TRUE(sim.TakeEvents().empty());
}

TEST(SimulationEventsTest, AnInterruptedCheckpointedSpotJobTellsItsWholeStory) {
  using T = JobEventType;
  using S = SecondaryStatus;
  Simulation sim(TestCatalogue(), Recording(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("a").Spot().Work(1800).Checkpoints(600).CheckpointOnNotice())
                  .ok());
  sim.AdvanceTo(1000);  // launch 0..120, training from 120: 880 s done
  ASSERT_TRUE(sim.Interrupt(kType, 1).ok());
  sim.AdvanceTo(100000);
  std::vector<JobEvent> events = sim.TakeEvents();
  // Attempt 1: training 120..1120 (checkpoint at 600 s of work = t 720;
  // notice at 1000 saves 880; reclaim at 1120 loses 120 s). Attempt 2
  // resumes at 880 from t 1240: checkpoint 1200 at t 1560, ends at t 2160
  // with the checkpoint at 1800 that falls on the end.
  ExpectEvents(events, {
                           {T::kStatusChange, 0, S::kPending},
                           {T::kPlacement, 0, S::kPending},
                           {T::kStatusChange, 0, S::kStarting},
                           {T::kStatusChange, 120, S::kTraining},
                           {T::kCheckpoint, 720, S::kTraining},
                           {T::kInterruptionNotice, 1000, S::kTraining},
                           {T::kCheckpoint, 1000, S::kTraining},
                           {T::kReclaim, 1120, S::kTraining},
                           {T::kStatusChange, 1120, S::kInterrupted},
                           {T::kStatusChange, 1120, S::kPending},
                           {T::kPlacement, 1120, S::kPending},
                           {T::kStatusChange, 1120, S::kStarting},
                           {T::kStatusChange, 1240, S::kTraining},
                           {T::kCheckpoint, 1560, S::kTraining},
                           {T::kCheckpoint, 2160, S::kTraining},  // 1800 s: the end
                           {T::kStatusChange, 2160, S::kUploading},
                           {T::kStatusChange, 2220, S::kCompleted},
                       });
  EXPECT_EQ(events[1].market, Market::kSpot);
  EXPECT_EQ(events[1].instance_type, kType);
  EXPECT_EQ(events[1].instance_count, 1);
  EXPECT_EQ(events[1].attempt, 1);
  EXPECT_EQ(events[6].progress_seconds, 880);
  EXPECT_EQ(events[7].progress_seconds, 1000);
  EXPECT_EQ(events[7].message, "Spot instances reclaimed after 1000 s of training; 120 s of it lost");
  EXPECT_EQ(events[10].attempt, 2);
  EXPECT_EQ(events.back().status, JobStatus::kCompleted);
  for (size_t i = 0; i + 1 < events.size(); ++i) EXPECT_FALSE(IsFinalEvent(events[i])) << i;
  EXPECT_TRUE(IsFinalEvent(events.back()));
}

TEST(SimulationEventsTest, LimitsRetriesAndFallbacksAreEvents) {
  Simulation sim(TestCatalogue(4, 0), Recording(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("slow").MaxRuntime(1000).Work(5000)).ok());
  ASSERT_TRUE(sim.Submit(JobBuilder("retry").Retries(1)).ok());
  ASSERT_TRUE(sim.Submit(JobBuilder("fallback").Spot(7200).Work(1800).Fallback()).ok());
  sim.AdvanceTo(500);
  ASSERT_TRUE(sim.FailAttempt("retry").ok());
  sim.AdvanceTo(100000);
  std::map<std::string, std::vector<JobEvent>> by_job;
  for (auto& e : sim.TakeEvents()) by_job[e.job_name].push_back(e);
  auto has = [&](const std::string& job, JobEventType type) {
    for (const auto& e : by_job[job]) {
      if (e.type == type) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("slow", JobEventType::kLimitReached));
  EXPECT_EQ(by_job["slow"].back().secondary_status, SecondaryStatus::kMaxRuntimeExceeded);
  EXPECT_EQ(by_job["slow"].back().status, JobStatus::kStopped);
  EXPECT_TRUE(has("retry", JobEventType::kRetry));
  EXPECT_EQ(by_job["retry"].back().status, JobStatus::kCompleted);
  EXPECT_TRUE(has("fallback", JobEventType::kFallback));
  EXPECT_EQ(by_job["fallback"].back().status, JobStatus::kCompleted);
  for (auto& [job, events] : by_job) EXPECT_TRUE(IsFinalEvent(events.back())) << job;
}

TEST(SimulationEventsTest, EveryTransitionIsAStatusChangeEvent) {
  Simulation sim(ScenarioCatalogue(), Recording(ScenarioOptions()), kScenarioStart);
  StoreMirror store;
  RunActions(sim, store, kScenarioStart - 1, kScenarioEnd);
  std::map<std::string, std::vector<JobEvent>> changes;
  for (const auto& e : store.events) {
    if (e.type == JobEventType::kStatusChange) changes[e.job_name].push_back(e);
  }
  ASSERT_EQ(changes.size(), store.jobs.size());
  for (const auto& [name, job] : store.jobs) {
    const auto& events = changes[name];
    ASSERT_EQ(events.size(), job.transitions.size()) << name;
    for (size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(events[i].secondary_status, job.transitions[i].status) << name << " " << i;
      EXPECT_EQ(events[i].time, job.transitions[i].start_time) << name << " " << i;
      EXPECT_EQ(events[i].message, job.transitions[i].message) << name << " " << i;
    }
  }
}

class SimulationEventsRestoreTest : public ::testing::TestWithParam<double> {};

TEST_P(SimulationEventsRestoreTest, ARestartRecordsTheSameFutureHistory) {
  const double mid = GetParam();
  Simulation straight(ScenarioCatalogue(), Recording(ScenarioOptions()), kScenarioStart);
  StoreMirror whole;
  RunActions(straight, whole, kScenarioStart - 1, kScenarioEnd);

  Simulation first(ScenarioCatalogue(), Recording(ScenarioOptions()), kScenarioStart);
  StoreMirror store;
  RunActions(first, store, kScenarioStart - 1, mid);
  Simulation second(first.CurrentCatalogue(), Recording(ScenarioOptions()), mid);
  second.Restore(store.Unfinished(), mid);
  EXPECT_TRUE(second.TakeEvents().empty());  // restoring tells nothing new
  RunActions(second, store, mid, kScenarioEnd);
  ASSERT_EQ(store.events.size(), whole.events.size());
  for (size_t i = 0; i < whole.events.size(); ++i) {
    EXPECT_TRUE(store.events[i] == whole.events[i]) << i << ": " << whole.events[i].message;
  }
}

INSTANTIATE_TEST_SUITE_P(MidPoints, SimulationEventsRestoreTest,
                         ::testing::Values(1500.5, 4060, 8000, 25000, 150000));

}  // namespace
}  // namespace trainyard
