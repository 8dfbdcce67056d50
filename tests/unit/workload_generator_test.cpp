// --generate: reproducible from (N, seed, days), valid under the server's
// rules, and the documented mix.
#include "server/simulate/workload_generator.h"

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/simulate/workload_file.h"

namespace trainyard {
namespace {

std::string Generate(size_t jobs, uint64_t seed, double days = 30,
                     const Catalogue& catalogue = Catalogue::BuiltIn()) {
  std::ostringstream out;
  Status s = GenerateWorkload({jobs, seed, days}, catalogue, out);
  EXPECT_TRUE(s.ok()) << s.message();
  return out.str();
}

WorkloadFile Parse(const std::string& text, const Catalogue& catalogue = Catalogue::BuiltIn()) {
  std::istringstream in(text);
  return ReadWorkload(in, catalogue, 5);
}

TEST(WorkloadGeneratorTest, SameSeedSameBytesOtherSeedOtherBytes) {
  const std::string a = Generate(500, 7);
  EXPECT_EQ(a, Generate(500, 7));
  EXPECT_NE(a, Generate(500, 8));
  EXPECT_NE(a, Generate(500, 7, 10));
}

// Job i is drawn from (seed, i) alone: a longer trace holds the shorter
// one's jobs unchanged (with their names), merely among others.
TEST(WorkloadGeneratorTest, AJobDependsOnlyOnSeedAndIndex) {
  WorkloadFile small = Parse(Generate(100, 3));
  WorkloadFile large = Parse(Generate(1000, 3));
  std::set<std::pair<double, std::string>> in_large;
  for (const auto& job : large.jobs) {
    // Names carry the index, zero-padded to the same width in both traces.
    in_large.insert({job.submit_time, job.spec.name + "/" + job.spec.instance_type});
  }
  for (const auto& job : small.jobs) {
    EXPECT_EQ(in_large.count({job.submit_time, job.spec.name + "/" + job.spec.instance_type}), 1)
        << job.spec.name;
  }
}

TEST(WorkloadGeneratorTest, EveryLineIsAValidRequestInTimeOrder) {
  const size_t n = 2000;
  const std::string text = Generate(n, 1, 7);
  WorkloadFile file = Parse(text);
  EXPECT_EQ(file.bad_lines, 0) << (file.errors.empty() ? "" : file.errors[0]);
  ASSERT_EQ(file.jobs.size(), n);
  std::set<std::string> names;
  for (size_t i = 0; i < n; ++i) {
    const WorkloadJob& job = file.jobs[i];
    names.insert(job.spec.name);
    EXPECT_GE(job.submit_time, 0);
    EXPECT_LT(job.submit_time, 7 * 86400);
    if (i > 0) {
      EXPECT_GE(job.submit_time, file.jobs[i - 1].submit_time);
    }
  }
  EXPECT_EQ(names.size(), n);
}

TEST(WorkloadGeneratorTest, TheMixIsTheDocumentedOne) {
  const size_t n = 4000;
  WorkloadFile file = Parse(Generate(n, 11));
  ASSERT_EQ(file.jobs.size(), n);
  size_t spot = 0, checkpointing = 0, multi = 0, file_mode = 0, pipe = 0, retries = 0,
         fallback = 0, flaky = 0;
  std::set<std::string> types;
  double shortest = 1e9, longest = 0;
  for (const auto& job : file.jobs) {
    const JobSpec& s = job.spec;
    spot += s.managed_spot;
    checkpointing += s.checkpointing;
    multi += s.instance_count > 1;
    file_mode += s.input_mode == TrainingInputMode::kFile;
    pipe += s.input_mode == TrainingInputMode::kPipe;
    retries += s.max_retry_attempts > 0;
    fallback += s.workload.spot_fallback_on_demand;
    flaky += s.workload.failure_probability > 0;
    types.insert(s.instance_type);
    shortest = std::min(shortest, s.workload.work_seconds);
    longest = std::max(longest, s.workload.work_seconds);
    if (s.managed_spot) {
      EXPECT_GE(*s.max_wait_seconds, s.max_runtime_seconds);
    }
    EXPECT_TRUE(s.instance_count == 1 || s.instance_count == 2 || s.instance_count == 4 ||
                s.instance_count == 8);
    // No gang larger than a quarter of its market's capacity.
    const InstancePool& pool = *Catalogue::BuiltIn().Find(s.instance_type);
    const int capacity = s.managed_spot ? pool.spot_capacity : pool.on_demand_capacity;
    EXPECT_TRUE(s.instance_count == 1 || s.instance_count <= capacity / 4) << s.name;
  }
  auto share = [n](size_t k) { return static_cast<double>(k) / n; };
  EXPECT_NEAR(share(spot), 0.60, 0.03);
  EXPECT_NEAR(share(checkpointing), 0.6 * 0.75 + 0.4 * 0.25, 0.03);
  EXPECT_NEAR(share(file_mode), 0.55, 0.03);
  EXPECT_NEAR(share(pipe), 0.30, 0.03);
  EXPECT_NEAR(share(retries), 0.20, 0.03);
  EXPECT_NEAR(share(flaky), 0.08, 0.02);
  EXPECT_NEAR(share(fallback), 0.06, 0.02);
  EXPECT_GT(share(multi), 0.10);
  EXPECT_EQ(types.size(), Catalogue::BuiltIn().pools().size());
  EXPECT_GE(shortest, 300);
  EXPECT_LE(longest, 86400);
  EXPECT_GT(longest, 8 * 3600);  // the tail reaches many hours
}

TEST(WorkloadGeneratorTest, UsesOnlyTheCataloguesTypesAndFitsItsCapacity) {
  const Catalogue tiny({{"ml.trn1.2xlarge", 1.34, 4, 0, 0.3, 0.02, 120, 10}});
  WorkloadFile file = Parse(Generate(300, 5, 1, tiny), tiny);
  ASSERT_EQ(file.jobs.size(), 300) << (file.errors.empty() ? "" : file.errors[0]);
  for (const auto& job : file.jobs) {
    EXPECT_EQ(job.spec.instance_type, "ml.trn1.2xlarge");
    EXPECT_EQ(job.spec.instance_count, 1);  // a quarter of 4
    EXPECT_FALSE(job.spec.managed_spot);    // no spot capacity at all
  }
}

TEST(WorkloadGeneratorTest, RefusesWhatCannotBeGenerated) {
  std::ostringstream out;
  EXPECT_EQ(GenerateWorkload({10, 1, 30}, Catalogue(), out).code(), ErrorCode::kValidation);
  EXPECT_EQ(GenerateWorkload({10, 1, 0}, Catalogue::BuiltIn(), out).code(),
            ErrorCode::kValidation);
  EXPECT_TRUE(out.str().empty());
  EXPECT_TRUE(GenerateWorkload({0, 1, 30}, Catalogue::BuiltIn(), out).ok());
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace trainyard
