#include "server/store/sqlite_job_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/scratch_dir.h"
#include "trainyard/job_store.h"

// Queries below name only the members they set ({.sort_by = ...}); GCC 12
// still reports the others as missing although they have default member
// initializers, which is what the designated form relies on.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace trainyard {
namespace {

TrainingJob MakeJob(const std::string& name, double creation_time,
                    JobStatus status = JobStatus::kInProgress) {
  TrainingJob job;
  job.spec.name = name;
  job.spec.instance_type = "ml.m5.xlarge";
  job.arn = "arn:aws:sagemaker:us-east-1:000000000000:training-job/" + name;
  job.request_document = R"({"TrainingJobName":")" + name + R"("})";
  job.status = status;
  job.secondary_status = IsTerminal(status) ? SecondaryStatus::kCompleted : SecondaryStatus::kPending;
  job.creation_time = creation_time;
  job.last_modified_time = creation_time;
  job.transitions.push_back({SecondaryStatus::kPending, creation_time, std::nullopt, "Waiting"});
  return job;
}

// A job with every field away from its default and awkward values where they
// can be: doubles that need all 17 digits, text with quotes and NUL-free UTF-8.
TrainingJob MakeFullJob(const std::string& name) {
  TrainingJob job = MakeJob(name, 1700000000.123456789);
  JobSpec& spec = job.spec;
  spec.instance_type = "ml.p3.16xlarge";
  spec.instance_count = 4;
  spec.volume_size_gb = 250;
  spec.input_mode = TrainingInputMode::kFastFile;
  spec.managed_spot = true;
  spec.max_runtime_seconds = 2419200;
  spec.max_wait_seconds = 2419200 + 7;
  spec.checkpointing = true;
  spec.max_retry_attempts = 30;
  spec.s3_output_path = "s3://bucket/out/";
  spec.tags = {{"team", "vision"}, {"cost-center", "42"}, {"team", "dup keys kept in order"}};
  spec.workload = {.work_seconds = 0.1 + 0.2,
                   .checkpoint_interval_seconds = 123.456,
                   .checkpoint_on_notice = true,
                   .dataset_gb = 1e-300,
                   .failure_probability = 1.0 / 3.0,
                   .spot_fallback_on_demand = true};
  job.request_document = R"({"TrainingJobName":"x","Note":"it's \"quoted\" — ünïcode"})";
  job.status = JobStatus::kStopping;
  job.secondary_status = SecondaryStatus::kInterrupted;
  job.last_modified_time = 1700000100.5;
  job.training_start_time = 1700000010.25;
  job.training_end_time = 1.0e12 + 0.5;
  job.failure_reason = "";
  job.transitions = {
      {SecondaryStatus::kPending, 1700000000.1, 1700000001.2, "Waiting for capacity"},
      {SecondaryStatus::kStarting, 1700000001.2, 1700000002.3, ""},
      {SecondaryStatus::kTraining, 1700000002.3, 1700000050.0, "Training"},
      {SecondaryStatus::kInterrupted, 1700000050.0, std::nullopt, "Spot reclaimed"},
  };
  job.attempts = {
      {1, Market::kSpot, 1700000001.2, 1700000050.0, "Interrupted", 0, 47.7, 190.8, 57.24,
       0.1234567890123},
      {2, Market::kOnDemand, 1700000060.0, std::nullopt, "", 40.0, 0, 0, 0, 0},
  };
  job.checkpointed_seconds = 40.000000000000007;
  job.lost_training_seconds = 7.7;
  job.interruptions = 1;
  job.run = {.on_demand_fallback = true,
             .phase_start = 1700000060.0,
             .phase_progress = 40.000000000000007,
             .waiting_since = 1700000050.0,
             .billed_until = 1700000099.9,
             .notice_time = 1700000200.125,
             .reclaim_time = std::nullopt,
             .failure_progress = 3000.5,
             .stop_billed = true,
             .stop_outcome = SecondaryStatus::kMaxWaitTimeExceeded};
  return job;
}

void ExpectSameJob(const TrainingJob& a, const TrainingJob& b) {
  EXPECT_EQ(a.spec.name, b.spec.name);
  EXPECT_EQ(a.spec.instance_type, b.spec.instance_type);
  EXPECT_EQ(a.spec.instance_count, b.spec.instance_count);
  EXPECT_EQ(a.spec.volume_size_gb, b.spec.volume_size_gb);
  EXPECT_EQ(a.spec.input_mode, b.spec.input_mode);
  EXPECT_EQ(a.spec.managed_spot, b.spec.managed_spot);
  EXPECT_EQ(a.spec.max_runtime_seconds, b.spec.max_runtime_seconds);
  EXPECT_EQ(a.spec.max_wait_seconds, b.spec.max_wait_seconds);
  EXPECT_EQ(a.spec.checkpointing, b.spec.checkpointing);
  EXPECT_EQ(a.spec.max_retry_attempts, b.spec.max_retry_attempts);
  EXPECT_EQ(a.spec.s3_output_path, b.spec.s3_output_path);
  EXPECT_EQ(a.spec.tags, b.spec.tags);
  EXPECT_EQ(a.spec.workload.work_seconds, b.spec.workload.work_seconds);
  EXPECT_EQ(a.spec.workload.checkpoint_interval_seconds,
            b.spec.workload.checkpoint_interval_seconds);
  EXPECT_EQ(a.spec.workload.checkpoint_on_notice, b.spec.workload.checkpoint_on_notice);
  EXPECT_EQ(a.spec.workload.dataset_gb, b.spec.workload.dataset_gb);
  EXPECT_EQ(a.spec.workload.failure_probability, b.spec.workload.failure_probability);
  EXPECT_EQ(a.spec.workload.spot_fallback_on_demand, b.spec.workload.spot_fallback_on_demand);
  EXPECT_EQ(a.arn, b.arn);
  EXPECT_EQ(a.request_document, b.request_document);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.secondary_status, b.secondary_status);
  EXPECT_EQ(a.creation_time, b.creation_time);
  EXPECT_EQ(a.last_modified_time, b.last_modified_time);
  EXPECT_EQ(a.training_start_time, b.training_start_time);
  EXPECT_EQ(a.training_end_time, b.training_end_time);
  EXPECT_EQ(a.failure_reason, b.failure_reason);
  EXPECT_EQ(a.transitions, b.transitions);
  EXPECT_EQ(a.attempts, b.attempts);
  EXPECT_EQ(a.checkpointed_seconds, b.checkpointed_seconds);
  EXPECT_EQ(a.lost_training_seconds, b.lost_training_seconds);
  EXPECT_EQ(a.interruptions, b.interruptions);
  EXPECT_EQ(a.run.on_demand_fallback, b.run.on_demand_fallback);
  EXPECT_EQ(a.run.phase_start, b.run.phase_start);
  EXPECT_EQ(a.run.phase_progress, b.run.phase_progress);
  EXPECT_EQ(a.run.waiting_since, b.run.waiting_since);
  EXPECT_EQ(a.run.billed_until, b.run.billed_until);
  EXPECT_EQ(a.run.notice_time, b.run.notice_time);
  EXPECT_EQ(a.run.reclaim_time, b.run.reclaim_time);
  EXPECT_EQ(a.run.failure_progress, b.run.failure_progress);
  EXPECT_EQ(a.run.stop_billed, b.run.stop_billed);
  EXPECT_EQ(a.run.stop_outcome, b.run.stop_outcome);
  // Catches a member added to TrainingJob later that the store does not keep
  // (when the test job sets it).
  EXPECT_TRUE(a == b) << "TrainingJob differs in a member not compared above";
}

std::vector<std::string> Names(const JobPage& page) {
  std::vector<std::string> names;
  for (const JobSummary& s : page.jobs) names.push_back(s.name);
  return names;
}

class SqliteJobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void TearDown() override { store_.reset(); }

  void Reopen() {
    store_.reset();
    Result<std::unique_ptr<JobStore>> store = OpenSqliteJobStore(path_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
  }

  void Save(std::initializer_list<const TrainingJob*> jobs,
            std::optional<double> virtual_time = std::nullopt) {
    StoreBatch batch{.jobs = jobs, .virtual_time = virtual_time};
    Status s = store_->Save(batch);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  JobPage List(JobQuery query) {
    Result<JobPage> page = store_->ListJobs(query);
    EXPECT_TRUE(page.ok()) << page.status().message();
    return page.ok() ? std::move(page).value() : JobPage{};
  }

  // Every page of `query`, following tokens; fails the test on a loop.
  std::vector<std::string> ListAll(JobQuery query) {
    std::vector<std::string> names;
    for (int pages = 0; pages < 1000; ++pages) {
      JobPage page = List(query);
      for (const JobSummary& s : page.jobs) names.push_back(s.name);
      if (page.next_token.empty()) return names;
      EXPECT_EQ(static_cast<int>(page.jobs.size()), query.max_results);
      query.next_token = page.next_token;
    }
    ADD_FAILURE() << "pagination did not end";
    return names;
  }

  testing::ScratchDir dir_{"store"};
  std::string path_ = dir_.File("jobs.db");
  std::unique_ptr<JobStore> store_;
};

TEST_F(SqliteJobStoreTest, FullJobRoundTripsExactly) {
  TrainingJob job = MakeFullJob("full-job");
  Save({&job});
  Result<TrainingJob> loaded = store_->GetJob("full-job");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  ExpectSameJob(*loaded, job);

  Result<std::vector<TrainingJob>> unfinished = store_->LoadUnfinished();
  ASSERT_TRUE(unfinished.ok());
  ASSERT_EQ(unfinished->size(), 1u);
  ExpectSameJob((*unfinished)[0], job);
}

TEST_F(SqliteJobStoreTest, EmptyOptionalsAndCollectionsRoundTrip) {
  TrainingJob job = MakeJob("bare", 0.0);
  job.transitions.clear();
  job.request_document = "";
  ASSERT_FALSE(job.training_start_time.has_value());
  ASSERT_FALSE(job.spec.max_wait_seconds.has_value());
  Save({&job});
  Result<TrainingJob> loaded = store_->GetJob("bare");
  ASSERT_TRUE(loaded.ok());
  ExpectSameJob(*loaded, job);
  EXPECT_FALSE(loaded->training_start_time.has_value());
  EXPECT_FALSE(loaded->training_end_time.has_value());
  EXPECT_FALSE(loaded->spec.max_wait_seconds.has_value());
}

TEST_F(SqliteJobStoreTest, GetJobOfUnknownNameIsNotFound) {
  Result<TrainingJob> job = store_->GetJob("nope");
  ASSERT_FALSE(job.ok());
  EXPECT_EQ(job.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(job.status().message(), "Could not find training job 'nope'");
}

TEST_F(SqliteJobStoreTest, Exists) {
  TrainingJob job = MakeJob("here", 1);
  Save({&job});
  EXPECT_TRUE(*store_->Exists("here"));
  EXPECT_FALSE(*store_->Exists("there"));
  EXPECT_FALSE(*store_->Exists("Here"));  // names are case-sensitive
}

TEST_F(SqliteJobStoreTest, UpdateKeepsSeqAndReplacesChildren) {
  TrainingJob a = MakeFullJob("a");
  TrainingJob b = MakeJob("b", a.creation_time);  // same time: seq decides order
  Save({&a, &b});

  // Shrink and change: fewer transitions and attempts, new values in kept ones.
  a.transitions.resize(2);
  a.transitions[1].message = "changed";
  a.transitions[1].end_time = std::nullopt;
  a.attempts.resize(1);
  a.attempts[0].cost = 9.5;
  a.status = JobStatus::kInProgress;
  a.last_modified_time += 1;
  Save({&a});
  ExpectSameJob(*store_->GetJob("a"), a);

  // Grow again past the old length.
  for (int i = 0; i < 5; ++i) {
    a.transitions.push_back({SecondaryStatus::kTraining, 1.0 * i, 2.0 * i, std::to_string(i)});
  }
  a.attempts.push_back({2, Market::kSpot, 3, 4, "Completed", 1, 2, 3, 4, 5});
  a.attempts.push_back({3, Market::kOnDemand, 5, std::nullopt, "", 0, 0, 0, 0, 0});
  Save({&a});
  ExpectSameJob(*store_->GetJob("a"), a);

  // `a` was saved first and its updates did not move it behind `b`.
  Result<std::vector<TrainingJob>> unfinished = store_->LoadUnfinished();
  ASSERT_TRUE(unfinished.ok());
  ASSERT_EQ(unfinished->size(), 2u);
  EXPECT_EQ((*unfinished)[0].spec.name, "a");
  EXPECT_EQ((*unfinished)[1].spec.name, "b");
  EXPECT_EQ(Names(List({.sort_by = JobSortBy::kCreationTime})), (std::vector<std::string>{"a", "b"}));
}

TEST_F(SqliteJobStoreTest, LoadUnfinishedSkipsTerminalJobsAndKeepsInsertionOrder) {
  // Insertion order differs from both name and creation-time order.
  TrainingJob z = MakeJob("z", 30);
  TrainingJob done = MakeJob("done", 5, JobStatus::kCompleted);
  TrainingJob failed = MakeJob("failed", 6, JobStatus::kFailed);
  TrainingJob stopped = MakeJob("stopped", 7, JobStatus::kStopped);
  TrainingJob stopping = MakeJob("stopping", 20, JobStatus::kStopping);
  TrainingJob a = MakeFullJob("a");
  a.creation_time = 10;
  Save({&z, &done, &failed});
  Save({&stopped, &stopping, &a});

  Result<std::vector<TrainingJob>> unfinished = store_->LoadUnfinished();
  ASSERT_TRUE(unfinished.ok());
  ASSERT_EQ(unfinished->size(), 3u);
  ExpectSameJob((*unfinished)[0], z);
  ExpectSameJob((*unfinished)[1], stopping);
  ExpectSameJob((*unfinished)[2], a);
}

TEST_F(SqliteJobStoreTest, FailedSaveWritesNothing) {
  TrainingJob first = MakeJob("first", 1);
  Save({&first}, 100.0);

  TrainingJob updated = first;
  updated.status = JobStatus::kCompleted;
  TrainingJob fresh = MakeFullJob("fresh");
  // SQLite stores NaN as NULL, which the NOT NULL column refuses: the third
  // job fails inside the transaction, after the first two were written.
  TrainingJob broken = MakeJob("broken", std::numeric_limits<double>::quiet_NaN());
  StoreBatch batch{.jobs = {&updated, &fresh, &broken}, .virtual_time = 200.0};
  Status s = store_->Save(batch);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kInternal);

  EXPECT_EQ(store_->GetJob("first")->status, JobStatus::kInProgress);
  EXPECT_FALSE(*store_->Exists("fresh"));
  EXPECT_FALSE(*store_->Exists("broken"));
  EXPECT_EQ(**store_->LoadVirtualTime(), 100.0);

  // The writer is usable afterwards, and the rolled-back names are free.
  Save({&updated, &fresh});
  EXPECT_EQ(store_->GetJob("first")->status, JobStatus::kCompleted);
  ExpectSameJob(*store_->GetJob("fresh"), fresh);
}

// GetJob keeps jobs it read (job_cache.h); every Save must show through.
TEST_F(SqliteJobStoreTest, GetJobAnswersTheLastSaveAfterEarlierReads) {
  TrainingJob job = MakeJob("polled", 1);
  Save({&job});
  for (int i = 0; i < 3; ++i) ExpectSameJob(*store_->GetJob("polled"), job);

  job.status = JobStatus::kStopping;
  job.secondary_status = SecondaryStatus::kStopping;
  job.transitions.push_back({SecondaryStatus::kStopping, 2, std::nullopt, "stop"});
  job.spec.tags = {{"k", "v2"}};
  StoreBatch retag{.jobs = {&job}, .retagged = {"polled"}};
  ASSERT_TRUE(store_->Save(retag).ok());
  ExpectSameJob(*store_->GetJob("polled"), job);

  // A Save that fails changes nothing, cached or not.
  TrainingJob changed = job;
  changed.status = JobStatus::kStopped;
  TrainingJob broken = MakeJob("broken", std::numeric_limits<double>::quiet_NaN());
  StoreBatch failing{.jobs = {&changed, &broken}};
  ASSERT_FALSE(store_->Save(failing).ok());
  ExpectSameJob(*store_->GetJob("polled"), job);
  EXPECT_EQ(store_->GetJob("broken").status().code(), ErrorCode::kNotFound);
}

TEST_F(SqliteJobStoreTest, AttemptNumbersOutOfOrderAreRefused) {
  TrainingJob job = MakeFullJob("job");
  std::swap(job.attempts[0], job.attempts[1]);
  StoreBatch batch{.jobs = {&job}};
  EXPECT_FALSE(store_->Save(batch).ok());
  EXPECT_FALSE(*store_->Exists("job"));
}

TEST_F(SqliteJobStoreTest, VirtualTime) {
  EXPECT_EQ(*store_->LoadVirtualTime(), std::nullopt);
  Save({}, 12.5);
  EXPECT_EQ(*store_->LoadVirtualTime(), 12.5);
  TrainingJob job = MakeJob("j", 1);
  Save({&job});  // no time in this batch: the saved one stays
  EXPECT_EQ(*store_->LoadVirtualTime(), 12.5);
  Save({}, 0.1 + 0.2);
  Reopen();
  EXPECT_EQ(*store_->LoadVirtualTime(), 0.1 + 0.2);
}

TEST_F(SqliteJobStoreTest, DataPersistsAcrossReopenAndSeqContinues) {
  TrainingJob full = MakeFullJob("full");
  TrainingJob later = MakeJob("later", full.creation_time);
  Save({&full, &later}, 77.0);
  Reopen();
  ExpectSameJob(*store_->GetJob("full"), full);
  EXPECT_EQ(**store_->LoadVirtualTime(), 77.0);

  // A job saved after the restart sorts after the old ones on equal time.
  TrainingJob after = MakeJob("0-after", full.creation_time);
  Save({&after});
  EXPECT_EQ(Names(List({.sort_by = JobSortBy::kCreationTime})),
            (std::vector<std::string>{"full", "later", "0-after"}));
  Result<std::vector<TrainingJob>> unfinished = store_->LoadUnfinished();
  ASSERT_EQ(unfinished->size(), 3u);
  EXPECT_EQ((*unfinished)[2].spec.name, "0-after");
}

TEST_F(SqliteJobStoreTest, SummaryCarriesListFields) {
  TrainingJob job = MakeFullJob("s");
  job.status = JobStatus::kFailed;
  job.secondary_status = SecondaryStatus::kFailed;
  Save({&job});
  JobPage page = List({});
  ASSERT_EQ(page.jobs.size(), 1u);
  const JobSummary& s = page.jobs[0];
  EXPECT_EQ(s.name, "s");
  EXPECT_EQ(s.arn, job.arn);
  EXPECT_EQ(s.status, JobStatus::kFailed);
  EXPECT_EQ(s.secondary_status, SecondaryStatus::kFailed);
  EXPECT_EQ(s.creation_time, job.creation_time);
  EXPECT_EQ(s.last_modified_time, job.last_modified_time);
  EXPECT_EQ(s.training_end_time, job.training_end_time);
  EXPECT_TRUE(page.next_token.empty());
}

class SqliteJobStoreListTest : public SqliteJobStoreTest {
 protected:
  void SetUp() override {
    SqliteJobStoreTest::SetUp();
    // name, creation time, last modified time, status
    struct Row {
      const char* name;
      double created;
      double modified;
      JobStatus status;
    };
    const Row rows[] = {
        {"alpha", 10, 100, JobStatus::kCompleted}, {"Beta", 20, 90, JobStatus::kInProgress},
        {"gamma-1", 30, 80, JobStatus::kFailed},   {"gamma_2", 30, 70, JobStatus::kInProgress},
        {"delta%", 40, 60, JobStatus::kStopped},   {"epsilon", 50, 50, JobStatus::kStopping},
    };
    for (const Row& r : rows) {
      jobs_.push_back(MakeJob(r.name, r.created, r.status));
      jobs_.back().last_modified_time = r.modified;
    }
    StoreBatch batch;
    for (const TrainingJob& j : jobs_) batch.jobs.push_back(&j);
    ASSERT_TRUE(store_->Save(batch).ok());
  }

  std::vector<TrainingJob> jobs_;
};

using V = std::vector<std::string>;

TEST_F(SqliteJobStoreListTest, DefaultIsCreationTimeAscendingTiesBySeq) {
  EXPECT_EQ(Names(List({})), (V{"alpha", "Beta", "gamma-1", "gamma_2", "delta%", "epsilon"}));
}

TEST_F(SqliteJobStoreListTest, SortByCreationTimeDescending) {
  EXPECT_EQ(Names(List({.sort_order = SortOrder::kDescending})),
            (V{"epsilon", "delta%", "gamma_2", "gamma-1", "Beta", "alpha"}));
}

TEST_F(SqliteJobStoreListTest, SortByNameIsByteOrder) {
  EXPECT_EQ(Names(List({.sort_by = JobSortBy::kName})),
            (V{"Beta", "alpha", "delta%", "epsilon", "gamma-1", "gamma_2"}));
  EXPECT_EQ(Names(List({.sort_by = JobSortBy::kName, .sort_order = SortOrder::kDescending})),
            (V{"gamma_2", "gamma-1", "epsilon", "delta%", "alpha", "Beta"}));
}

TEST_F(SqliteJobStoreListTest, SortByStatusThenSeq) {
  EXPECT_EQ(Names(List({.sort_by = JobSortBy::kStatus})),
            (V{"alpha", "gamma-1", "Beta", "gamma_2", "delta%", "epsilon"}));
  EXPECT_EQ(Names(List({.sort_by = JobSortBy::kStatus, .sort_order = SortOrder::kDescending})),
            (V{"epsilon", "delta%", "gamma_2", "Beta", "gamma-1", "alpha"}));
}

TEST_F(SqliteJobStoreListTest, StatusEquals) {
  EXPECT_EQ(Names(List({.status_equals = JobStatus::kInProgress})), (V{"Beta", "gamma_2"}));
  EXPECT_EQ(Names(List({.status_equals = JobStatus::kStopping})), (V{"epsilon"}));
}

TEST_F(SqliteJobStoreListTest, NameContainsIsLiteralAndCaseSensitive) {
  EXPECT_EQ(Names(List({.name_contains = "gamma"})), (V{"gamma-1", "gamma_2"}));
  EXPECT_EQ(Names(List({.name_contains = "_"})), (V{"gamma_2"}));  // not a wildcard
  EXPECT_EQ(Names(List({.name_contains = "%"})), (V{"delta%"}));
  EXPECT_EQ(Names(List({.name_contains = "beta"})), V{});
  EXPECT_EQ(Names(List({.name_contains = "Beta"})), (V{"Beta"}));
  EXPECT_EQ(Names(List({.name_contains = "lta%"})), (V{"delta%"}));
}

TEST_F(SqliteJobStoreListTest, CreationTimeBoundsAreExclusive) {
  EXPECT_EQ(Names(List({.creation_time_after = 20})), (V{"gamma-1", "gamma_2", "delta%", "epsilon"}));
  EXPECT_EQ(Names(List({.creation_time_before = 30})), (V{"alpha", "Beta"}));
  EXPECT_EQ(Names(List({.creation_time_after = 10, .creation_time_before = 40})),
            (V{"Beta", "gamma-1", "gamma_2"}));
}

TEST_F(SqliteJobStoreListTest, LastModifiedTimeBoundsAreExclusive) {
  EXPECT_EQ(Names(List({.last_modified_time_after = 80})), (V{"alpha", "Beta"}));
  EXPECT_EQ(Names(List({.last_modified_time_before = 60})), (V{"epsilon"}));
  EXPECT_EQ(Names(List({.last_modified_time_after = 50, .last_modified_time_before = 90})),
            (V{"gamma-1", "gamma_2", "delta%"}));
}

TEST_F(SqliteJobStoreListTest, FiltersCombine) {
  EXPECT_EQ(Names(List({.status_equals = JobStatus::kInProgress,
                        .name_contains = "a",
                        .creation_time_after = 20,
                        .sort_by = JobSortBy::kName})),
            (V{"gamma_2"}));
}

TEST_F(SqliteJobStoreListTest, EveryOrderPagesToTheSameListing) {
  for (JobSortBy by : {JobSortBy::kName, JobSortBy::kCreationTime, JobSortBy::kStatus}) {
    for (SortOrder order : {SortOrder::kAscending, SortOrder::kDescending}) {
      JobQuery all{.sort_by = by, .sort_order = order, .max_results = 100};
      V expected = Names(List(all));
      ASSERT_EQ(expected.size(), 6u);
      for (int size : {1, 2, 3, 4, 5, 6, 7}) {
        JobQuery paged = all;
        paged.max_results = size;
        EXPECT_EQ(ListAll(paged), expected) << "sort " << static_cast<int>(by) << " order "
                                            << static_cast<int>(order) << " size " << size;
      }
    }
  }
}

TEST_F(SqliteJobStoreListTest, FilteredListingsPageInEveryOrder) {
  const JobQuery filters[] = {
      {.status_equals = JobStatus::kInProgress},
      {.name_contains = "a"},
      {.creation_time_after = 10, .last_modified_time_before = 100},
  };
  for (const JobQuery& filter : filters) {
    for (JobSortBy by : {JobSortBy::kName, JobSortBy::kCreationTime, JobSortBy::kStatus}) {
      for (SortOrder order : {SortOrder::kAscending, SortOrder::kDescending}) {
        JobQuery all = filter;
        all.sort_by = by;
        all.sort_order = order;
        all.max_results = 100;
        V expected = Names(List(all));
        ASSERT_GE(expected.size(), 2u);
        JobQuery paged = all;
        paged.max_results = 1;
        EXPECT_EQ(ListAll(paged), expected);
      }
    }
  }
}

TEST_F(SqliteJobStoreListTest, ExactlyFullLastPageHasNoToken) {
  JobPage page = List({.max_results = 6});
  EXPECT_EQ(page.jobs.size(), 6u);
  EXPECT_TRUE(page.next_token.empty());
  page = List({.max_results = 5});
  EXPECT_EQ(page.jobs.size(), 5u);
  EXPECT_FALSE(page.next_token.empty());
}

TEST_F(SqliteJobStoreListTest, TokenNeedsNoUrlEscaping) {
  JobPage page = List({.max_results = 1});
  ASSERT_FALSE(page.next_token.empty());
  EXPECT_EQ(page.next_token.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos)
      << page.next_token;
}

TEST_F(SqliteJobStoreListTest, BadTokensAreValidationErrors) {
  JobPage first = List({.max_results = 2});
  ASSERT_FALSE(first.next_token.empty());
  std::string tampered = first.next_token;
  tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
  const std::string bad_tokens[] = {
      "garbage!", "bm90IGpzb24", "e30", "eyJ2IjoxfQ", tampered, std::string(5000, 'A'),
      first.next_token + "+",
  };
  for (const std::string& token : bad_tokens) {
    Result<JobPage> page = store_->ListJobs({.max_results = 2, .next_token = token});
    ASSERT_FALSE(page.ok()) << token;
    EXPECT_EQ(page.status().code(), ErrorCode::kValidation) << token;
    EXPECT_EQ(page.status().message().rfind("Invalid NextToken", 0), 0u) << page.status().message();
  }
  // A real token, used with different filters or order.
  const JobQuery other_queries[] = {
      {.status_equals = JobStatus::kInProgress},
      {.name_contains = "a"},
      {.creation_time_after = 0},
      {.last_modified_time_before = 1000},
      {.sort_by = JobSortBy::kName},
      {.sort_order = SortOrder::kDescending},
  };
  for (JobQuery query : other_queries) {
    query.max_results = 2;
    query.next_token = first.next_token;
    Result<JobPage> page = store_->ListJobs(query);
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.status().code(), ErrorCode::kValidation);
  }
  // MaxResults may change between pages.
  EXPECT_TRUE(store_->ListJobs({.max_results = 3, .next_token = first.next_token}).ok());
}

// New jobs keep arriving while a client pages through: every job that existed
// when the listing started is seen exactly once, and in creation order the new
// ones follow at the end.
TEST_F(SqliteJobStoreTest, PaginationWhileJobsArrive) {
  std::deque<TrainingJob> jobs;  // stable addresses for the batches' pointers
  double now = 1000;
  auto add = [&](int n) {
    StoreBatch batch;
    for (int i = 0; i < n; ++i) {
      // Pairs share a creation time, so ties by seq cross page boundaries.
      jobs.push_back(MakeJob("job-" + std::to_string(jobs.size()), now));
      if (jobs.size() % 2 == 0) now += 1;
      batch.jobs.push_back(&jobs.back());
    }
    Status s = store_->Save(batch);
    ASSERT_TRUE(s.ok()) << s.message();
  };
  add(25);
  const size_t initial = jobs.size();

  for (JobSortBy by : {JobSortBy::kCreationTime, JobSortBy::kName}) {
    for (SortOrder order : {SortOrder::kAscending, SortOrder::kDescending}) {
      JobQuery query{.sort_by = by, .sort_order = order, .max_results = 4};
      std::vector<std::string> seen;
      for (int pages = 0; pages < 100; ++pages) {
        JobPage page = List(query);
        for (const JobSummary& s : page.jobs) seen.push_back(s.name);
        if (page.next_token.empty()) break;
        // In name order new jobs may land ahead of the cursor forever; stop
        // adding after a while so every listing ends.
        if (pages < 8) add(3);
        query.next_token = page.next_token;
      }
      SCOPED_TRACE("sort " + std::to_string(static_cast<int>(by)) + " order " +
                   std::to_string(static_cast<int>(order)));
      std::set<std::string> unique(seen.begin(), seen.end());
      EXPECT_EQ(unique.size(), seen.size()) << "a job was listed twice";
      for (size_t i = 0; i < initial; ++i) {
        EXPECT_TRUE(unique.count(jobs[i].spec.name)) << jobs[i].spec.name << " was skipped";
      }
      if (by == JobSortBy::kCreationTime && order == SortOrder::kAscending) {
        // Everything saved by the time the last page was read, in order.
        ASSERT_EQ(seen.size(), jobs.size());
        for (size_t i = 0; i < jobs.size(); ++i) EXPECT_EQ(seen[i], jobs[i].spec.name);
      }
    }
  }
}

// GetJob and ListJobs from several threads while the writer saves: readers
// never fail and never see a half-written job.
TEST_F(SqliteJobStoreTest, ReadersRunBesideTheWriter) {
  constexpr int kJobs = 40;
  constexpr int kRounds = 15;
  std::vector<TrainingJob> jobs;
  for (int i = 0; i < kJobs; ++i) jobs.push_back(MakeJob("job-" + std::to_string(i), i));
  StoreBatch first;
  for (const TrainingJob& j : jobs) first.jobs.push_back(&j);
  ASSERT_TRUE(store_->Save(first).ok());

  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      std::mt19937 rng(static_cast<unsigned>(t));
      while (!done.load()) {
        std::string name = "job-" + std::to_string(rng() % kJobs);
        Result<TrainingJob> job = store_->GetJob(name);
        // Each save keeps interruptions == transitions - 1 == attempts: a
        // reader mixing two saves would break it.
        if (!job.ok() || job->transitions.size() != static_cast<size_t>(job->interruptions) + 1 ||
            job->attempts.size() != static_cast<size_t>(job->interruptions)) {
          ++failures;
        }
        Result<JobPage> page = store_->ListJobs({.max_results = 7});
        if (!page.ok() || page->jobs.size() != 7) ++failures;
        ++reads;
      }
    });
  }
  for (int round = 1; round <= kRounds; ++round) {
    StoreBatch batch;
    for (TrainingJob& j : jobs) {
      j.interruptions = round;
      j.transitions.push_back({SecondaryStatus::kTraining, 1.0 * round, std::nullopt, "t"});
      j.attempts.push_back({round, Market::kSpot, 1.0 * round, std::nullopt, "", 0, 0, 0, 0, 0});
      batch.jobs.push_back(&j);
    }
    ASSERT_TRUE(store_->Save(batch).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // Let readers observe the final state at least once.
  int target = reads.load() + 8;
  while (reads.load() < target) std::this_thread::yield();
  done = true;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(reads.load(), 0);
  Result<TrainingJob> last = store_->GetJob("job-0");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->interruptions, kRounds);
}

// While a write transaction is open, readers answer at once from the last
// commit instead of waiting for the lock (WAL).
TEST_F(SqliteJobStoreTest, ReadersDoNotWaitForAnOpenWriteTransaction) {
  TrainingJob job = MakeJob("visible", 1);
  Save({&job});
  // Hold the write lock from outside the store. The service never has a
  // second writer (DESIGN.md section 2); this one takes the lock and writes
  // nothing.
  Result<store::Database> other = store::Database::Open(path_, {});
  ASSERT_TRUE(other.ok());
  Result<store::Transaction> held =
      store::Transaction::Begin(*other, store::Transaction::Kind::kImmediate);
  ASSERT_TRUE(held.ok());
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(store_->GetJob("visible").ok());
  EXPECT_EQ(List({}).jobs.size(), 1u);
  // Far below the 5 s busy timeout a blocked reader would wait out.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// With a single reader connection, concurrent readers queue for it.
TEST_F(SqliteJobStoreTest, ReaderPoolOfOneServesManyThreads) {
  TrainingJob job = MakeFullJob("shared");
  Save({&job});
  store_.reset();  // one writer at a time
  Result<std::unique_ptr<store::SqliteJobStore>> small =
      store::SqliteJobStore::Open(path_, {.max_reader_connections = 1});
  ASSERT_TRUE(small.ok()) << small.status().message();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        Result<TrainingJob> got = (*small)->GetJob("shared");
        if (!got.ok() || got->attempts.size() != 2) ++failures;
        if (!(*small)->ListJobs({}).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace trainyard
