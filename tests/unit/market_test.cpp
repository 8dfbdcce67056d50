// CapacityMarket alone, and the market's effect on running jobs: price
// movement billed tick by tick, capacity shrinks reclaiming spot instances,
// operator updates.
#include "server/engine/market.h"

#include <gtest/gtest.h>

#include <cmath>

#include "server/engine/job_state.h"
#include "server/engine/simulation.h"
#include "tests/unit/simulation_fixture.h"

namespace trainyard {
namespace {

using namespace trainyard::testing;

TEST(CapacityMarketTest, AStillMarketKeepsTheCatalogueFigures) {
  CapacityMarket market(TestCatalogue(3, 5), KeyedRandom(1), 0, 12345);
  EXPECT_FALSE(market.moves());
  const PoolState* pool = market.Find(kType);
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->spot_capacity, 5);
  EXPECT_EQ(pool->spot_price_ratio, 0.3);
  EXPECT_EQ(pool->Capacity(Market::kOnDemand), 3);
  EXPECT_EQ(market.Find("ml.none"), nullptr);
}

TEST(CapacityMarketTest, ATickDrawsCapacityAndPriceFromItsKey) {
  CapacityMarket market(TestCatalogue(4, 20), KeyedRandom(9), 3600, 5000);  // tick 1
  const KeyedRandom random(9);
  const double u_capacity = random.Uniform(kDrawSpotCapacity, kType, 1);
  const double u_price = random.Uniform(kDrawSpotPrice, kType, 1);
  const PoolState& pool = *market.Find(kType);
  EXPECT_EQ(pool.spot_capacity, static_cast<int>(std::round(20 * (0.75 + 0.5 * u_capacity))));
  EXPECT_EQ(pool.spot_price_ratio, 0.3 * (0.8 + 0.4 * u_price));
  EXPECT_EQ(pool.base.spot_capacity, 20);  // the figures it moves around stay
  EXPECT_EQ(market.TickIndexAt(7199.9), 1);
  EXPECT_EQ(market.TickTime(2), 7200);
}

TEST(CapacityMarketTest, TheMarketAtATimeDoesNotDependOnWhenItStarted) {
  CapacityMarket early(TestCatalogue(), KeyedRandom(3), 3600, 0);
  early.MoveTo(5);
  CapacityMarket late(TestCatalogue(), KeyedRandom(3), 3600, 5 * 3600 + 10);
  EXPECT_EQ(CapacityMarket::StatusOf(early.pools()[0]), CapacityMarket::StatusOf(late.pools()[0]));
}

TEST(CapacityMarketTest, SpotStaysWithinBoundsAndNeverAboveOnDemand) {
  InstancePool pool = TestPool(4, 10);
  pool.spot_price_ratio = 0.95;
  CapacityMarket market(Catalogue({pool}), KeyedRandom(5), 3600, 0);
  bool capped = false;
  for (int k = 0; k < 500; ++k) {
    market.MoveTo(k);
    const PoolState& p = market.pools()[0];
    ASSERT_GE(p.spot_capacity, 8);  // round(10 x 0.75)
    ASSERT_LE(p.spot_capacity, 13);  // round(10 x 1.25)
    ASSERT_GE(p.spot_price_ratio, 0.95 * 0.8);
    ASSERT_LE(p.spot_price_ratio, 1.0);
    capped |= p.spot_price_ratio == 1.0;
  }
  EXPECT_TRUE(capped);
}

TEST(CapacityMarketTest, UpdatesAreChecked) {
  PoolUpdate bad;
  bad.spot_capacity = -1;
  EXPECT_EQ(CapacityMarket::CheckUpdate(bad).code(), ErrorCode::kValidation);
  bad = {};
  bad.spot_price_ratio = 1.5;
  EXPECT_EQ(CapacityMarket::CheckUpdate(bad).code(), ErrorCode::kValidation);
  bad = {};
  bad.on_demand_price_per_hour = 0;
  EXPECT_EQ(CapacityMarket::CheckUpdate(bad).code(), ErrorCode::kValidation);
  bad = {};
  bad.interruption_rate_per_hour = -0.1;
  EXPECT_EQ(CapacityMarket::CheckUpdate(bad).code(), ErrorCode::kValidation);
  EXPECT_TRUE(CapacityMarket::CheckUpdate(PoolUpdate{}).ok());
}

// Training 120..7320 and Uploading 7320..7380 span ticks 0, 1 and 2; each
// stretch is billed at the ratio of the tick in force.
TEST(SimulationMarketTest, SpotIsBilledAtThePriceOfEachTick) {
  SimulationOptions options;  // the market moves every hour
  Simulation sim(TestCatalogue(4, 40), options, 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("s").Spot().Work(7200)).ok());
  EXPECT_EQ(sim.NextEventTime(), 120);
  sim.AdvanceTo(3600);
  const double r0 = CapacityMarket(TestCatalogue(4, 40), KeyedRandom(1), 3600, 0)
                        .pools()[0].spot_price_ratio;
  const double r1 = CapacityMarket(TestCatalogue(4, 40), KeyedRandom(1), 3600, 3600)
                        .pools()[0].spot_price_ratio;
  const double r2 = CapacityMarket(TestCatalogue(4, 40), KeyedRandom(1), 3600, 7200)
                        .pools()[0].spot_price_ratio;
  EXPECT_EQ(sim.Pools()[0].spot_price_ratio, r1);
  EXPECT_NE(r0, r1);
  sim.AdvanceTo(10000);
  const TrainingJob& job = Get(sim, "s");
  ASSERT_EQ(job.status, JobStatus::kCompleted);
  ASSERT_EQ(job.attempts.size(), 1u);
  EXPECT_EQ(job.attempts[0].billed_seconds, 7260);
  EXPECT_NEAR(job.attempts[0].billable_seconds, 3480 * r0 + 3600 * r1 + 180 * r2, 1e-9);
  EXPECT_NEAR(job.attempts[0].cost, (3480 * r0 + 3600 * r1 + 180 * r2) / 3600 * kPrice, 1e-12);
}

TEST(SimulationMarketTest, ShrinkingSpotCapacityReclaimsTheLatestPlacedWithNotice) {
  Simulation sim(TestCatalogue(4, 3), StillOptions(), 0);
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(sim.Submit(JobBuilder(name).Spot()).ok());
    sim.AdvanceTo(sim.Now() + 10);
  }
  PoolUpdate shrink;
  shrink.spot_capacity = 1;
  ASSERT_TRUE(sim.UpdatePool(kType, shrink).ok());
  EXPECT_FALSE(Get(sim, "a").run.reclaim_time);
  EXPECT_EQ(Get(sim, "b").run.reclaim_time, 30 + 120);
  EXPECT_EQ(Get(sim, "c").run.reclaim_time, 30 + 120);
  sim.AdvanceTo(150);
  PoolStatus pool = sim.Pools()[0];
  EXPECT_EQ(pool.spot_capacity, 1);
  EXPECT_EQ(pool.spot_in_use, 1);
  EXPECT_EQ(pool.spot_waiting_jobs, 2);
  EXPECT_EQ(pool.interruptions, 2);
  EXPECT_EQ(Get(sim, "b").secondary_status, SecondaryStatus::kPending);
  EXPECT_EQ(sim.CurrentCatalogue().pools()[0].spot_capacity, 1);
  EXPECT_EQ(sim.UpdatePool("ml.none", shrink).code(), ErrorCode::kNotFound);
  shrink.spot_capacity = -2;
  EXPECT_EQ(sim.UpdatePool(kType, shrink).code(), ErrorCode::kValidation);
}

TEST(SimulationMarketTest, APriceChangeBillsWhatRanBeforeItAtTheOldPrice) {
  Simulation sim(TestCatalogue(), StillOptions(), 0);
  ASSERT_TRUE(sim.Submit(JobBuilder("s").Spot().Work(1000)).ok());  // Training 120..1120
  sim.AdvanceTo(620);
  PoolUpdate update;
  update.spot_price_ratio = 0.5;
  update.on_demand_price_per_hour = 4;
  ASSERT_TRUE(sim.UpdatePool(kType, update).ok());
  sim.AdvanceTo(5000);
  const Attempt& a = Get(sim, "s").attempts[0];
  EXPECT_EQ(a.billed_seconds, 1060);
  EXPECT_DOUBLE_EQ(a.billable_seconds, 500 * 0.3 + 560 * 0.5);
  EXPECT_DOUBLE_EQ(a.cost, 500 * 0.3 / 3600 * kPrice + 560 * 0.5 / 3600 * 4);
  EXPECT_EQ(sim.Pools()[0].spot_price_per_hour, 2);
}

TEST(SimulationMarketTest, AnUpdateOnAMovingMarketMovesTheNewFiguresToTheCurrentTick) {
  SimulationOptions options;
  Simulation sim(TestCatalogue(), options, 5000);
  PoolUpdate update;
  update.spot_capacity = 100;
  update.spot_price_ratio = 0.5;
  ASSERT_TRUE(sim.UpdatePool(kType, update).ok());
  InstancePool updated = TestPool(4, 100);
  updated.spot_price_ratio = 0.5;
  const PoolState& expected =
      CapacityMarket(Catalogue({updated}), KeyedRandom(1), 3600, 5000).pools()[0];
  EXPECT_EQ(sim.Pools()[0].spot_capacity, expected.spot_capacity);
  EXPECT_EQ(sim.Pools()[0].spot_price_ratio, expected.spot_price_ratio);
  EXPECT_EQ(sim.CurrentCatalogue().pools()[0].spot_capacity, 100);
}

// After every tick, what is in use minus what is leaving fits the capacity.
TEST(SimulationMarketTest, TicksReclaimWhatNoLongerFits) {
  SimulationOptions options;
  Simulation sim(TestCatalogue(0, 8), options, 0);
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(sim.Submit(JobBuilder("j" + std::to_string(i)).Spot().Work(1e6)).ok());
  }
  int64_t reclaimed = 0;
  for (int k = 1; k <= 48; ++k) {
    sim.AdvanceTo(k * 3600.0);
    int leaving = 0, running = 0;
    for (int i = 0; i < 8; ++i) {
      const TrainingJob& job = Get(sim, "j" + std::to_string(i));
      if (IsRunning(job)) ++running;
      if (job.run.reclaim_time) ++leaving;
    }
    const PoolStatus pool = sim.Pools()[0];
    EXPECT_EQ(pool.spot_in_use, running);
    EXPECT_LE(running - leaving, pool.spot_capacity) << "tick " << k;
    reclaimed = pool.interruptions;
  }
  EXPECT_GT(reclaimed, 0);
}

}  // namespace
}  // namespace trainyard
