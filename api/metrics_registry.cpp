#include "api/metrics_registry.h"

#include <cmath>
#include <charconv>

namespace trainyard::api {
namespace {

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out.push_back(c);
  }
  return out;
}

std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  // Shortest text that reads back as the same double: 0.005, not
  // 0.0050000000000000001.
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

// Adds one more label to an already rendered label set.
std::string WithLabel(const std::string& rendered, const std::string& name,
                      const std::string& value) {
  std::string extra = name + "=\"" + value + "\"";
  if (rendered.empty()) return "{" + extra + "}";
  return rendered.substr(0, rendered.size() - 1) + "," + extra + "}";
}

}  // namespace

void MetricsRegistry::DefineCounter(const std::string& name, const std::string& help) {
  std::lock_guard lock(mu_);
  families_[name] = Family{Kind::kCounter, help, {}, {}, {}};
}

void MetricsRegistry::DefineGauge(const std::string& name, const std::string& help) {
  std::lock_guard lock(mu_);
  families_[name] = Family{Kind::kGauge, help, {}, {}, {}};
}

void MetricsRegistry::DefineHistogram(const std::string& name, const std::string& help,
                                      std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  families_[name] = Family{Kind::kHistogram, help, std::move(bounds), {}, {}};
}

void MetricsRegistry::Add(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  families_.at(name).values[RenderLabels(labels)] += value;
}

void MetricsRegistry::Set(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  families_.at(name).values[RenderLabels(labels)] = value;
}

void MetricsRegistry::ClearSeries(const std::string& name) {
  std::lock_guard lock(mu_);
  families_.at(name).values.clear();
}

void MetricsRegistry::Observe(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mu_);
  Family& family = families_.at(name);
  HistogramSeries& series = family.histograms[RenderLabels(labels)];
  if (series.buckets.empty()) series.buckets.assign(family.bounds.size(), 0);
  for (size_t i = 0; i < family.bounds.size(); ++i) {
    if (value <= family.bounds[i]) ++series.buckets[i];
  }
  ++series.count;
  series.sum += value;
}

std::string MetricsRegistry::RenderLabels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ",";
    out += labels[i].first + "=\"" + EscapeLabelValue(labels[i].second) + "\"";
  }
  return out + "}";
}

std::string MetricsRegistry::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    const char* type = family.kind == Kind::kCounter ? "counter"
                       : family.kind == Kind::kGauge ? "gauge"
                                                     : "histogram";
    out += "# HELP " + name + " " + family.help + "\n";
    out += "# TYPE " + name + " " + type + "\n";
    if (family.kind != Kind::kHistogram) {
      for (const auto& [labels, value] : family.values) {
        out += name + labels + " " + FormatValue(value) + "\n";
      }
      continue;
    }
    for (const auto& [labels, series] : family.histograms) {
      for (size_t i = 0; i < family.bounds.size(); ++i) {
        out += name + "_bucket" + WithLabel(labels, "le", FormatValue(family.bounds[i])) + " " +
               std::to_string(series.buckets[i]) + "\n";
      }
      out += name + "_bucket" + WithLabel(labels, "le", "+Inf") + " " +
             std::to_string(series.count) + "\n";
      out += name + "_sum" + labels + " " + FormatValue(series.sum) + "\n";
      out += name + "_count" + labels + " " + std::to_string(series.count) + "\n";
    }
  }
  return out;
}

}  // namespace trainyard::api
