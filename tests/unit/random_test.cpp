#include "server/engine/random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace trainyard {
namespace {

TEST(KeyedRandomTest, HashIsFnv1a64) {
  EXPECT_EQ(StableHash(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(StableHash("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(StableHash("foobar"), 0x85944171f73967e8ULL);
}

TEST(KeyedRandomTest, SplitMixMatchesTheReferenceSequence) {
  // The first output of Vigna's splitmix64 seeded with 0 is SplitMix64(0).
  EXPECT_EQ(SplitMix64(0), 0xe220a8397b1dcdafULL);
}

TEST(KeyedRandomTest, SameKeySameDrawAcrossGenerators) {
  KeyedRandom a(42), b(42);
  EXPECT_EQ(a.Uniform(kDrawInterruption, "job-1", 3), b.Uniform(kDrawInterruption, "job-1", 3));
  EXPECT_EQ(a.UnitExponential(kDrawInterruption, "job-1", 3),
            -std::log1p(-a.Uniform(kDrawInterruption, "job-1", 3)));
}

TEST(KeyedRandomTest, EveryKeyPartChangesTheDraw) {
  KeyedRandom r(1);
  const double base = r.Uniform("p", "job", 1);
  EXPECT_NE(base, KeyedRandom(2).Uniform("p", "job", 1));
  EXPECT_NE(base, r.Uniform("q", "job", 1));
  EXPECT_NE(base, r.Uniform("p", "jot", 1));
  EXPECT_NE(base, r.Uniform("p", "job", 2));
  EXPECT_NE(r.Uniform("ab", "c", 0), r.Uniform("a", "bc", 0));
}

TEST(KeyedRandomTest, DrawsAreUniformInTheUnitInterval) {
  KeyedRandom r(7);
  double sum = 0;
  std::set<double> distinct;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double u = r.Uniform("u", "pool", i);
    ASSERT_GE(u, 0);
    ASSERT_LT(u, 1);
    sum += u;
    distinct.insert(u);
  }
  EXPECT_NEAR(sum / n, 0.5, 0.01);
  EXPECT_EQ(distinct.size(), static_cast<size_t>(n));
  double exp_sum = 0;
  for (int i = 0; i < n; ++i) exp_sum += r.UnitExponential("e", "job", i);
  EXPECT_NEAR(exp_sum / n, 1.0, 0.03);
}

}  // namespace
}  // namespace trainyard
