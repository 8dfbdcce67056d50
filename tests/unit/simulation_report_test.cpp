// The report's arithmetic: percentiles and outcome mapping. The sums are
// checked end to end in workload_replay_test.cpp.
#include "server/simulate/simulation_report.h"

#include <vector>

#include <gtest/gtest.h>

namespace trainyard {
namespace {

TEST(SimulationReportTest, PercentileIsTheNearestRank) {
  std::vector<double> v = {10, 2, 8, 4, 6, 1, 3, 5, 7, 9};
  EXPECT_EQ(Percentile(v, 50), 5);
  EXPECT_EQ(Percentile(v, 90), 9);
  EXPECT_EQ(Percentile(v, 91), 10);
  EXPECT_EQ(Percentile(v, 99), 10);
  EXPECT_EQ(Percentile(v, 100), 10);
  EXPECT_EQ(Percentile(v, 10), 1);
  EXPECT_EQ(Percentile(v, 0.1), 1);
  std::vector<double> one = {42};
  EXPECT_EQ(Percentile(one, 50), 42);
  std::vector<double> none;
  EXPECT_EQ(Percentile(none, 99), 0);
}

TEST(SimulationReportTest, WaitingPercentilesOfManyEqualValuesAndOneOutlier) {
  std::vector<double> waits(999, 0.0);
  waits.push_back(3600);
  WaitingPercentiles w = WaitingPercentilesOf(waits);
  EXPECT_EQ(w.p50, 0);
  EXPECT_EQ(w.p90, 0);
  EXPECT_EQ(w.p99, 0);  // rank 990 of 1000
  EXPECT_EQ(w.max, 3600);
}

TEST(SimulationReportTest, OutcomesFollowTheFinalStatuses) {
  EXPECT_EQ(OutcomeOf(JobStatus::kCompleted, SecondaryStatus::kCompleted), Outcome::kCompleted);
  EXPECT_EQ(OutcomeOf(JobStatus::kStopped, SecondaryStatus::kMaxRuntimeExceeded),
            Outcome::kMaxRuntimeExceeded);
  EXPECT_EQ(OutcomeOf(JobStatus::kStopped, SecondaryStatus::kMaxWaitTimeExceeded),
            Outcome::kMaxWaitTimeExceeded);
  EXPECT_EQ(OutcomeOf(JobStatus::kStopped, SecondaryStatus::kStopped), Outcome::kStopped);
  EXPECT_EQ(OutcomeOf(JobStatus::kFailed, SecondaryStatus::kFailed), Outcome::kFailed);
  EXPECT_EQ(OutcomeOf(JobStatus::kInProgress, SecondaryStatus::kPending), Outcome::kUnfinished);
  EXPECT_EQ(OutcomeStatus(Outcome::kMaxWaitTimeExceeded).first, "Stopped");
  EXPECT_EQ(OutcomeStatus(Outcome::kMaxWaitTimeExceeded).second, "MaxWaitTimeExceeded");
}

TEST(SimulationReportTest, AnEmptyReportFormats) {
  SimulationReportBuilder builder;
  SimulationReport r = builder.Build(1, true, 1767225600, 1767225600);
  EXPECT_NE(FormatReportTable(r).find("0 jobs"), std::string::npos);
  EXPECT_NE(FormatReportJson(r).find("\"Groups\": []"), std::string::npos);
}

}  // namespace
}  // namespace trainyard
