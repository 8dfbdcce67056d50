#include "server/store/job_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trainyard::store {
namespace {

TrainingJob Job(const std::string& name, int interruptions = 0) {
  TrainingJob job;
  job.spec.name = name;
  job.interruptions = interruptions;
  return job;
}

TEST(JobCacheTest, KeepsWhatWasReadUntilASaveForgetsIt) {
  JobCache cache(8);
  EXPECT_EQ(cache.Find("a"), nullptr);
  cache.Insert(cache.Generation(), Job("a", 1));
  ASSERT_NE(cache.Find("a"), nullptr);
  EXPECT_EQ(cache.Find("a")->interruptions, 1);

  TrainingJob saved = Job("a", 2);
  cache.Forget({&saved});
  EXPECT_EQ(cache.Find("a"), nullptr);
}

TEST(JobCacheTest, ForgetsOnlyTheJobsSaved) {
  JobCache cache(8);
  cache.Insert(cache.Generation(), Job("a"));
  cache.Insert(cache.Generation(), Job("b"));
  TrainingJob saved = Job("b");
  cache.Forget({&saved, nullptr});
  EXPECT_NE(cache.Find("a"), nullptr);
  EXPECT_EQ(cache.Find("b"), nullptr);
}

// A read that began before a Save ended may have seen the file before that
// Save's commit: keeping it would answer the old state until the next Save.
TEST(JobCacheTest, RefusesAReadThatRacedWithASave) {
  JobCache cache(8);
  uint64_t before = cache.Generation();
  TrainingJob saved = Job("a", 2);
  cache.Forget({&saved});          // the Save ends while the read is under way
  cache.Insert(before, Job("a", 1));  // the read, possibly of the old state
  EXPECT_EQ(cache.Find("a"), nullptr);
  // Even a Save of another job: the generation is the cache's, not the job's.
  before = cache.Generation();
  TrainingJob other = Job("b");
  cache.Forget({&other});
  cache.Insert(before, Job("a", 2));
  EXPECT_EQ(cache.Find("a"), nullptr);
  cache.Insert(cache.Generation(), Job("a", 2));
  EXPECT_EQ(cache.Find("a")->interruptions, 2);
}

TEST(JobCacheTest, HoldsAtMostItsCapacity) {
  JobCache cache(3);
  for (int i = 0; i < 10; ++i) cache.Insert(cache.Generation(), Job("j" + std::to_string(i)));
  int kept = 0;
  for (int i = 0; i < 10; ++i) kept += cache.Find("j" + std::to_string(i)) != nullptr ? 1 : 0;
  EXPECT_EQ(kept, 3);
  EXPECT_NE(cache.Find("j9"), nullptr);  // the newest is always kept

  JobCache none(0);
  none.Insert(none.Generation(), Job("a"));
  EXPECT_EQ(none.Find("a"), nullptr);
}

TEST(JobCacheTest, TheLeastRecentlyReadGoesFirst) {
  JobCache cache(3);
  for (const char* name : {"a", "b", "c"}) cache.Insert(cache.Generation(), Job(name));
  ASSERT_NE(cache.Find("a"), nullptr);  // "b" is now the least recently read
  cache.Insert(cache.Generation(), Job("d"));
  EXPECT_EQ(cache.Find("b"), nullptr);
  EXPECT_NE(cache.Find("a"), nullptr);
  EXPECT_NE(cache.Find("c"), nullptr);
  EXPECT_NE(cache.Find("d"), nullptr);
}

TEST(JobCacheTest, LargeJobsAreBoundByBytesNotCount) {
  TrainingJob big = Job("big-0");
  big.request_document.assign(100000, 'x');
  const size_t each = JobCache::ApproximateBytes(big);
  JobCache cache(1000, 3 * each + each / 2);  // room for three
  for (int i = 0; i < 10; ++i) {
    big.spec.name = "big-" + std::to_string(i);
    cache.Insert(cache.Generation(), big);
  }
  int kept = 0;
  for (int i = 0; i < 10; ++i) kept += cache.Find("big-" + std::to_string(i)) != nullptr ? 1 : 0;
  EXPECT_EQ(kept, 3);
  EXPECT_NE(cache.Find("big-9"), nullptr);
  // One larger than the whole budget is not kept at all.
  big.spec.name = "huge";
  big.request_document.assign(10 * each, 'x');
  cache.Insert(cache.Generation(), big);
  EXPECT_EQ(cache.Find("huge"), nullptr);
  EXPECT_NE(cache.Find("big-9"), nullptr);
}

TEST(JobCacheTest, AnUpdatedReadReplacesTheKeptOne) {
  JobCache cache(8);
  cache.Insert(cache.Generation(), Job("a", 1));
  cache.Insert(cache.Generation(), Job("a", 3));
  EXPECT_EQ(cache.Find("a")->interruptions, 3);
}

}  // namespace
}  // namespace trainyard::store
