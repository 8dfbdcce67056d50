// MetricsRegistry: counters, gauges and histograms with labels, rendered in
// the Prometheus text exposition format (version 0.0.4). Names follow
// Prometheus conventions: base units as suffixes, `_total` on counters.
//
// Threading: every method is safe from any thread.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace trainyard::api {

using Labels = std::vector<std::pair<std::string, std::string>>;

class MetricsRegistry {
 public:
  void DefineCounter(const std::string& name, const std::string& help);
  void DefineGauge(const std::string& name, const std::string& help);
  // `bounds`: the upper bounds of the buckets, ascending; +Inf is implied.
  void DefineHistogram(const std::string& name, const std::string& help,
                       std::vector<double> bounds);

  // REQUIRES: the metric was defined with the matching kind.
  void Add(const std::string& name, const Labels& labels, double value);  // counter
  void Set(const std::string& name, const Labels& labels, double value);  // gauge
  void Observe(const std::string& name, const Labels& labels, double value);  // histogram
  // Drops a gauge's series, e.g. before setting a fresh snapshot of them.
  void ClearSeries(const std::string& name);

  std::string Render() const;

 private:
  enum class Kind { kCounter, kGauge, kHistogram };
  struct HistogramSeries {
    std::vector<uint64_t> buckets;  // cumulative counts per bound
    uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    Kind kind = Kind::kCounter;
    std::string help;
    std::vector<double> bounds;
    std::map<std::string, double> values;               // rendered labels -> value
    std::map<std::string, HistogramSeries> histograms;  // rendered labels -> series
  };

  static std::string RenderLabels(const Labels& labels);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;  // guarded by mu_
};

}  // namespace trainyard::api
