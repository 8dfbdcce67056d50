// Replaying a workload: a tiny workload whose every figure is worked out by
// hand from simulation.h's rules, and a generated one for the invariants.
#include "server/simulate/workload_replay.h"

#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/simulate/workload_generator.h"
#include "tests/unit/workload_fixture.h"

namespace trainyard {
namespace {

using testing::Line;

// One instance of on-demand and two of spot at $3.825/h, spot at 0.3 of
// it, never interrupted, 120 s launch; the market stands still.
Catalogue TinyCatalogue() {
  return Catalogue({{"ml.p3.2xlarge", 3.825, 1, 2, 0.3, 0.0, 120, 10}});
}

SimulationOptions StillMarket() {
  SimulationOptions options;
  options.market_moves = false;
  return options;
}

WorkloadJobs Jobs(const std::string& text, const Catalogue& catalogue) {
  std::istringstream in(text);
  WorkloadFile file = ReadWorkload(in, catalogue, 5);
  EXPECT_EQ(file.bad_lines, 0) << (file.errors.empty() ? "" : file.errors[0]);
  return std::move(file.jobs);
}

// A: on-demand, 1 h of work at t=0: launches 120 s, trains 3600 s, uploads
//    60 s; ends at 3780, billed 3660 s at $3.825/h = $3.88875.
// E: on-demand, 2 instances: more than the pool's one. Never starts.
// B: spot, 2 instances, 1 h at t=0: 2 x 3660 s at 0.3 x $3.825/h =
//    $2.33325 against $7.7775 on-demand. Holds all the spot capacity.
// D: spot at t=10 with MaxWait 1000 s: waits behind B, stopped at t=1010.
// C: on-demand, 10 minutes at t=100: waits for A until 3780, then 120 s
//    launch, 600 s training, 60 s upload: ends at 4560, $0.70125.
// At 4560 only E is left, waiting for on-demand capacity that can never
// hold it: the run ends there.
std::string TinyWorkload() {
  return Line("a").Text() + "\n" +
         Line("e").Count(2).Text() + "\n" +
         Line("c").At(100).Work(600).Text() + "\n" +
         Line("b").Count(2).Spot().Text() + "\n" +
         Line("d").At(10).Spot().MaxRuntime(1000).MaxWait(1000).Text() + "\n";
}

TEST(WorkloadReplayTest, EveryFigureOfATinyWorkloadFollowsTheRules) {
  const Catalogue catalogue = TinyCatalogue();
  auto report = ReplayWorkload(Jobs(TinyWorkload(), catalogue), catalogue, StillMarket(), 1000);
  ASSERT_TRUE(report.ok()) << report.status().message();
  const SimulationReport& r = *report;

  EXPECT_EQ(r.start_time, 1000);
  EXPECT_EQ(r.end_time, 1000 + 4560);
  auto outcome = [&r](Outcome o) { return r.outcomes[static_cast<size_t>(o)]; };
  EXPECT_EQ(outcome(Outcome::kCompleted).jobs, 3);
  EXPECT_DOUBLE_EQ(outcome(Outcome::kCompleted).on_demand_equivalent_cost,
                   3.88875 + 7.7775 + 0.70125);
  // D and E delivered no work, so there is nothing to compare them with.
  EXPECT_EQ(outcome(Outcome::kMaxWaitTimeExceeded).on_demand_equivalent_cost, 0);
  EXPECT_EQ(outcome(Outcome::kUnfinished).on_demand_equivalent_cost, 0);
  EXPECT_DOUBLE_EQ(outcome(Outcome::kCompleted).actual_cost, 3.88875 + 2.33325 + 0.70125);
  EXPECT_EQ(outcome(Outcome::kMaxWaitTimeExceeded).jobs, 1);
  EXPECT_EQ(outcome(Outcome::kMaxWaitTimeExceeded).actual_cost, 0);
  EXPECT_EQ(outcome(Outcome::kUnfinished).jobs, 1);
  EXPECT_EQ(outcome(Outcome::kMaxRuntimeExceeded).jobs, 0);
  EXPECT_EQ(outcome(Outcome::kStopped).jobs, 0);
  EXPECT_EQ(outcome(Outcome::kFailed).jobs, 0);

  const CostRollup& t = r.totals;
  EXPECT_EQ(t.jobs, 5);
  EXPECT_EQ(r.completed, 3);
  EXPECT_DOUBLE_EQ(t.actual_cost, 6.92325);
  // The work delivered, once on on-demand: A 3660 s, B 2 x 3660 s, C 660 s.
  EXPECT_DOUBLE_EQ(t.on_demand_equivalent_cost, 3.88875 + 7.7775 + 0.70125);
  EXPECT_DOUBLE_EQ(t.net_savings, 12.3675 - 6.92325);
  EXPECT_DOUBLE_EQ(t.NetSavingsPercent(), (12.3675 - 6.92325) / 12.3675 * 100);
  EXPECT_DOUBLE_EQ(t.training_seconds, 3660 + 3660 + 660);
  EXPECT_DOUBLE_EQ(t.billable_seconds, 3660 + 3660 * 0.3 + 660);
  EXPECT_DOUBLE_EQ(t.SavingsPercent(), (1 - 5418.0 / 7980) * 100);
  EXPECT_DOUBLE_EQ(t.instance_hours, (3660 + 2 * 3660 + 660) / 3600.0);
  EXPECT_EQ(t.interruptions, 0);
  EXPECT_EQ(t.lost_training_hours, 0);
  // Waits: A 0, B 0, D 1000, C 3680, E 4560 (up to the end).
  EXPECT_DOUBLE_EQ(t.waiting_hours, (1000 + 3680 + 4560) / 3600.0);
  EXPECT_EQ(r.waiting.p50, 1000);
  EXPECT_EQ(r.waiting.p90, 4560);
  EXPECT_EQ(r.waiting.p99, 4560);
  EXPECT_EQ(r.waiting.max, 4560);

  ASSERT_EQ(r.groups.size(), 2);
  const GroupRow& on_demand = r.groups[0];
  EXPECT_EQ(on_demand.instance_type, "ml.p3.2xlarge");
  EXPECT_EQ(on_demand.market, Market::kOnDemand);
  EXPECT_EQ(on_demand.cost.jobs, 3);
  EXPECT_EQ(on_demand.completed, 2);
  EXPECT_DOUBLE_EQ(on_demand.cost.actual_cost, 3.88875 + 0.70125);
  EXPECT_EQ(on_demand.waiting.p50, 3680);
  EXPECT_EQ(on_demand.waiting.p90, 4560);
  const GroupRow& spot = r.groups[1];
  EXPECT_EQ(spot.market, Market::kSpot);
  EXPECT_EQ(spot.cost.jobs, 2);
  EXPECT_EQ(spot.completed, 1);
  EXPECT_DOUBLE_EQ(spot.cost.actual_cost, 2.33325);
  EXPECT_DOUBLE_EQ(spot.cost.SavingsPercent(), 70);
  EXPECT_EQ(spot.waiting.p50, 0);
  EXPECT_EQ(spot.waiting.p90, 1000);
}

TEST(WorkloadReplayTest, TheReportPrintsTheSameFigures) {
  const Catalogue catalogue = TinyCatalogue();
  auto report = ReplayWorkload(Jobs(TinyWorkload(), catalogue), catalogue, StillMarket());
  ASSERT_TRUE(report.ok());
  const auto json = nlohmann::json::parse(FormatReportJson(*report));
  EXPECT_EQ(json["StartTime"], kSimulateEpoch);
  EXPECT_EQ(json["Totals"]["Jobs"], 5);
  EXPECT_EQ(json["Totals"]["Completed"], 3);
  EXPECT_EQ(json["Totals"]["ActualCost"], 6.92);
  EXPECT_EQ(json["Totals"]["OnDemandEquivalentCost"], 12.37);
  EXPECT_EQ(json["Totals"]["NetSavings"], 5.44);
  EXPECT_EQ(json["Totals"]["NetSavingsPercent"], 44.02);
  EXPECT_EQ(json["Outcomes"][0]["OnDemandEquivalentCost"], 12.37);
  EXPECT_EQ(json["Totals"]["SavingsPercent"], 32.11);
  EXPECT_EQ(json["WaitingMinutes"]["P50"], 16.67);
  EXPECT_EQ(json["WaitingMinutes"]["Max"], 76);
  ASSERT_EQ(json["Outcomes"].size(), 6);
  EXPECT_EQ(json["Outcomes"][2]["SecondaryStatus"], "MaxWaitTimeExceeded");
  EXPECT_EQ(json["Outcomes"][2]["Jobs"], 1);
  EXPECT_EQ(json["Outcomes"][5]["TrainingJobStatus"], "InProgress");
  EXPECT_EQ(json["Groups"][1]["Market"], "Spot");

  const std::string table = FormatReportTable(*report);
  EXPECT_THAT(table,
              ::testing::HasSubstr("Simulated 2026-01-01T00:00:00Z to 2026-01-01T01:16:00Z"));
  EXPECT_THAT(table, ::testing::HasSubstr(
                         "Stopped: MaxWaitTimeExceeded      1        $0.00          $0.00\n"));
  EXPECT_THAT(table, ::testing::HasSubstr(
                         "Never started (can never fit)     1        $0.00          $0.00\n"));
  EXPECT_THAT(table, ::testing::HasSubstr("  Net savings               $5.44  44.0%\n"));
}

std::string Generated(size_t jobs, uint64_t seed) {
  std::ostringstream out;
  EXPECT_TRUE(GenerateWorkload({jobs, seed, 3}, Catalogue::BuiltIn(), out).ok());
  return out.str();
}

std::string ReplayJson(const std::string& text, uint64_t seed) {
  SimulationOptions options;
  options.seed = seed;
  auto report = ReplayWorkload(Jobs(text, Catalogue::BuiltIn()), Catalogue::BuiltIn(), options);
  EXPECT_TRUE(report.ok());
  return report.ok() ? FormatReportJson(*report) : "";
}

TEST(WorkloadReplayTest, AMovingMarketRunAccountsForEveryJobAndRepeatsItself) {
  const std::string text = Generated(400, 2);
  const std::string first = ReplayJson(text, 5);
  EXPECT_EQ(first, ReplayJson(text, 5));
  EXPECT_NE(first, ReplayJson(text, 6));  // other interruptions and prices

  const auto json = nlohmann::json::parse(first);
  int64_t by_outcome = 0;
  for (const auto& row : json["Outcomes"]) by_outcome += row["Jobs"].get<int64_t>();
  EXPECT_EQ(by_outcome, 400);
  int64_t by_group = 0;
  for (const auto& row : json["Groups"]) by_group += row["Jobs"].get<int64_t>();
  EXPECT_EQ(by_group, 400);
  EXPECT_EQ(json["Totals"]["Jobs"], 400);
  EXPECT_GT(json["Totals"]["Interruptions"].get<int64_t>(), 0);
  EXPECT_GT(json["Totals"]["NetSavings"].get<double>(), 0);
}

TEST(WorkloadReplayTest, NoJobsNoFigures) {
  auto report = ReplayWorkload({}, Catalogue::BuiltIn(), SimulationOptions());
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->totals.jobs, 0);
  EXPECT_EQ(report->end_time, report->start_time);
  EXPECT_TRUE(report->groups.empty());
}

}  // namespace
}  // namespace trainyard
