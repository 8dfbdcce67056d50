#include "api/metrics_registry.h"

#include <gtest/gtest.h>

namespace trainyard::api {
namespace {

TEST(MetricsRegistryTest, RendersCountersAndGaugesWithLabels) {
  MetricsRegistry m;
  m.DefineCounter("jobs_total", "Jobs.");
  m.DefineGauge("queue_depth", "Depth.");
  m.Add("jobs_total", {{"status", "Completed"}}, 1);
  m.Add("jobs_total", {{"status", "Completed"}}, 2);
  m.Set("queue_depth", {}, 0.5);
  EXPECT_EQ(m.Render(),
            "# HELP jobs_total Jobs.\n# TYPE jobs_total counter\n"
            "jobs_total{status=\"Completed\"} 3\n"
            "# HELP queue_depth Depth.\n# TYPE queue_depth gauge\nqueue_depth 0.5\n");
}

TEST(MetricsRegistryTest, HistogramBucketsAreCumulative) {
  MetricsRegistry m;
  m.DefineHistogram("d_seconds", "D.", {0.1, 1});
  m.Observe("d_seconds", {{"route", "/x"}}, 0.05);
  m.Observe("d_seconds", {{"route", "/x"}}, 0.5);
  m.Observe("d_seconds", {{"route", "/x"}}, 5);
  EXPECT_EQ(m.Render(),
            "# HELP d_seconds D.\n# TYPE d_seconds histogram\n"
            "d_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n"
            "d_seconds_bucket{route=\"/x\",le=\"1\"} 2\n"
            "d_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"
            "d_seconds_sum{route=\"/x\"} 5.55\n"
            "d_seconds_count{route=\"/x\"} 3\n");
}

TEST(MetricsRegistryTest, LabelValuesAreEscaped) {
  MetricsRegistry m;
  m.DefineGauge("g", "G.");
  m.Set("g", {{"path", "a\"b\\c\nd"}}, 1);
  EXPECT_NE(m.Render().find("g{path=\"a\\\"b\\\\c\\nd\"} 1\n"), std::string::npos) << m.Render();
}

}  // namespace
}  // namespace trainyard::api
