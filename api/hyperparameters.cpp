#include "api/hyperparameters.h"

#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <string_view>

#include "api/sagemaker_shape.h"
#include "api/strict_number.h"

namespace trainyard::api {
namespace {

constexpr std::string_view kWorkSeconds = "trainyard.work_seconds";
constexpr std::string_view kCheckpointInterval = "trainyard.checkpoint_interval_seconds";
constexpr std::string_view kCheckpointOnNotice = "trainyard.checkpoint_on_notice";
constexpr std::string_view kDatasetGb = "trainyard.dataset_gb";
constexpr std::string_view kFailureProbability = "trainyard.failure_probability";
constexpr std::string_view kSpotFallback = "trainyard.spot_fallback";
constexpr std::array<std::string_view, 6> kKnownKeys = {
    kWorkSeconds, kCheckpointInterval, kCheckpointOnNotice,
    kDatasetGb,   kFailureProbability, kSpotFallback,
};

std::string PathOf(std::string_view key) { return "HyperParameters." + Printable(key); }

bool StartsWithTrainyard(std::string_view key) {
  constexpr std::string_view kPrefix = "trainyard";
  if (key.size() < kPrefix.size()) return false;
  for (size_t i = 0; i < kPrefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(key[i])) != kPrefix[i]) return false;
  }
  return true;
}

// Shortest form that reads back the same: 241920000, not 2.4192e+08.
std::string FormatNumber(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return ec == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

// Parses `text` as a number in [lo, hi] (or (lo, hi] when `lo_exclusive`).
Result<double> NumberIn(std::string_view key, std::string_view text, double lo,
                        bool lo_exclusive, double hi) {
  std::optional<double> value = ParseFiniteDouble(text);
  bool ok = value && (lo_exclusive ? *value > lo : *value >= lo) && *value <= hi;
  if (ok) return *value;
  std::string rule = std::string(lo_exclusive ? "> " : ">= ") + FormatNumber(lo) +
                     " and <= " + FormatNumber(hi);
  return Status::Validation(PathOf(key) + " must be a number " + rule + ", written as a string" +
                            " (got '" + Printable(text) + "')");
}

}  // namespace

Result<Workload> ParseWorkload(const nlohmann::json& hyperparameters) {
  Workload workload;
  if (!hyperparameters.is_object()) return workload;
  for (const auto& [key, entry] : hyperparameters.items()) {
    if (!StartsWithTrainyard(key)) continue;
    const std::string& text = entry.get_ref<const std::string&>();
    if (key == kWorkSeconds) {
      Result<double> v = NumberIn(key, text, 0, true, kMaxWorkSeconds);
      if (!v.ok()) return v.status();
      workload.work_seconds = *v;
    } else if (key == kCheckpointInterval) {
      Result<double> v = NumberIn(key, text, 0, true, kMaxWorkSeconds);
      if (!v.ok()) return v.status();
      workload.checkpoint_interval_seconds = *v;
    } else if (key == kDatasetGb) {
      Result<double> v = NumberIn(key, text, 0, false, kMaxDatasetGb);
      if (!v.ok()) return v.status();
      workload.dataset_gb = *v;
    } else if (key == kFailureProbability) {
      Result<double> v = NumberIn(key, text, 0, false, 1);
      if (!v.ok()) return v.status();
      workload.failure_probability = *v;
    } else if (key == kCheckpointOnNotice) {
      if (text != "true" && text != "false") {
        return Status::Validation(PathOf(key) + " must be 'true' or 'false' (got '" +
                                  Printable(text) + "')");
      }
      workload.checkpoint_on_notice = text == "true";
    } else if (key == kSpotFallback) {
      if (text != "on-demand" && text != "none") {
        return Status::Validation(PathOf(key) + " must be 'on-demand' or 'none' (got '" +
                                  Printable(text) + "')");
      }
      workload.spot_fallback_on_demand = text == "on-demand";
    } else {
      std::string known;
      for (std::string_view k : kKnownKeys) known += (known.empty() ? "" : ", ") + std::string(k);
      return Status::Validation("Unknown trainyard hyperparameter '" + PathOf(key) +
                                "'; the known ones are " + known);
    }
  }
  return workload;
}

}  // namespace trainyard::api
