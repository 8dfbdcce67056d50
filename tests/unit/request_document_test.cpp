// The request document (what Describe echoes) lives in the store alone: the
// Simulation drops it, the engine writes it with the new job, and later
// saves of the job, which carry none, keep it.
#include <gtest/gtest.h>

#include <future>

#include "server/engine/engine.h"
#include "server/engine/simulation.h"
#include "tests/unit/fake_job_store.h"
#include "tests/unit/scratch_dir.h"
#include "tests/unit/simulation_fixture.h"
#include "trainyard/job_store.h"

namespace trainyard {
namespace {

constexpr const char* kDocument = R"({"TrainingJobName":"doc","HyperParameters":{"a":"1"}})";

TEST(RequestDocumentTest, TheSimulationHoldsNone) {
  Simulation sim(testing::TestCatalogue(), testing::StillOptions(), 0);
  TrainingJob job = testing::JobBuilder("doc");
  job.request_document = kDocument;
  ASSERT_TRUE(sim.Submit(job).ok());
  EXPECT_TRUE(sim.Find("doc")->request_document.empty());
  Simulation restored(testing::TestCatalogue(), testing::StillOptions(), 0);
  restored.Restore({job}, 0);
  EXPECT_TRUE(restored.Find("doc")->request_document.empty());
}

TEST(RequestDocumentTest, TheEngineStoresItWithTheNewJobAndItStays) {
  testing::FakeJobStore store;
  ManualClock clock(0);
  SimulationOptions options;
  options.market_moves = false;
  Engine engine(store, clock, testing::TestCatalogue(), options);
  ASSERT_TRUE(engine.Start().ok());
  TrainingJob job = testing::JobBuilder("doc");
  job.request_document = kDocument;
  std::promise<Result<TrainingJob>> created;
  engine.CreateJob(job, [&](Result<TrainingJob> r) { created.set_value(std::move(r)); });
  ASSERT_TRUE(created.get_future().get().ok());
  EXPECT_EQ(store.GetJob("doc")->request_document, kDocument);
  std::promise<Result<double>> advanced;
  engine.AdvanceClock(100000, [&](Result<double> r) { advanced.set_value(std::move(r)); });
  ASSERT_TRUE(advanced.get_future().get().ok());
  auto stored = store.GetJob("doc");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, JobStatus::kCompleted);
  EXPECT_EQ(stored->request_document, kDocument);
}

TEST(RequestDocumentTest, TheSqliteStoreKeepsTheDocumentOfTheInsert) {
  testing::ScratchDir dir("doc");
  {
    auto store = OpenSqliteJobStore(dir.File("jobs.db"));
    ASSERT_TRUE(store.ok());
    TrainingJob job = testing::JobBuilder("doc");
    job.request_document = kDocument;
    StoreBatch first;
    first.jobs = {&job};
    ASSERT_TRUE((*store)->Save(first).ok());
    job.request_document.clear();
    job.secondary_status = SecondaryStatus::kTraining;
    ASSERT_TRUE((*store)->Save(first).ok());
    auto read = (*store)->GetJob("doc");
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->secondary_status, SecondaryStatus::kTraining);
    EXPECT_EQ(read->request_document, kDocument);
  }
}

}  // namespace
}  // namespace trainyard
