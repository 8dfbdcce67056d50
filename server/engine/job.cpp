#include "trainyard/job.h"

#include <array>

#include "trainyard/job_event.h"

namespace trainyard {
namespace {

template <typename E, size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s) return value;
  }
  return std::nullopt;
}

template <typename E, size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "Unknown";
}

constexpr std::array<std::pair<JobStatus, std::string_view>, 5> kJobStatuses{{
    {JobStatus::kInProgress, "InProgress"},
    {JobStatus::kCompleted, "Completed"},
    {JobStatus::kFailed, "Failed"},
    {JobStatus::kStopping, "Stopping"},
    {JobStatus::kStopped, "Stopped"},
}};

constexpr std::array<std::pair<SecondaryStatus, std::string_view>, 12> kSecondaryStatuses{{
    {SecondaryStatus::kPending, "Pending"},
    {SecondaryStatus::kStarting, "Starting"},
    {SecondaryStatus::kDownloading, "Downloading"},
    {SecondaryStatus::kTraining, "Training"},
    {SecondaryStatus::kUploading, "Uploading"},
    {SecondaryStatus::kInterrupted, "Interrupted"},
    {SecondaryStatus::kStopping, "Stopping"},
    {SecondaryStatus::kStopped, "Stopped"},
    {SecondaryStatus::kMaxRuntimeExceeded, "MaxRuntimeExceeded"},
    {SecondaryStatus::kMaxWaitTimeExceeded, "MaxWaitTimeExceeded"},
    {SecondaryStatus::kCompleted, "Completed"},
    {SecondaryStatus::kFailed, "Failed"},
}};

constexpr std::array<std::pair<TrainingInputMode, std::string_view>, 3> kInputModes{{
    {TrainingInputMode::kFile, "File"},
    {TrainingInputMode::kPipe, "Pipe"},
    {TrainingInputMode::kFastFile, "FastFile"},
}};

constexpr std::array<std::pair<Market, std::string_view>, 2> kMarkets{{
    {Market::kOnDemand, "OnDemand"},
    {Market::kSpot, "Spot"},
}};

constexpr std::array<std::pair<JobEventType, std::string_view>, 8> kEventTypes{{
    {JobEventType::kStatusChange, "StatusChange"},
    {JobEventType::kPlacement, "Placement"},
    {JobEventType::kCheckpoint, "Checkpoint"},
    {JobEventType::kInterruptionNotice, "InterruptionNotice"},
    {JobEventType::kReclaim, "Reclaim"},
    {JobEventType::kRetry, "Retry"},
    {JobEventType::kLimitReached, "LimitReached"},
    {JobEventType::kFallback, "Fallback"},
}};

}  // namespace

std::string_view ToString(JobEventType t) { return Name(kEventTypes, t); }
std::optional<JobEventType> ParseJobEventType(std::string_view s) { return Lookup(kEventTypes, s); }
std::string_view ToString(JobStatus s) { return Name(kJobStatuses, s); }
std::string_view ToString(SecondaryStatus s) { return Name(kSecondaryStatuses, s); }
std::string_view ToString(TrainingInputMode m) { return Name(kInputModes, m); }
std::string_view ToString(Market m) { return Name(kMarkets, m); }
std::optional<JobStatus> ParseJobStatus(std::string_view s) { return Lookup(kJobStatuses, s); }
std::optional<SecondaryStatus> ParseSecondaryStatus(std::string_view s) {
  return Lookup(kSecondaryStatuses, s);
}
std::optional<TrainingInputMode> ParseTrainingInputMode(std::string_view s) {
  return Lookup(kInputModes, s);
}
std::optional<Market> ParseMarket(std::string_view s) { return Lookup(kMarkets, s); }

bool IsTerminal(JobStatus s) {
  return s == JobStatus::kCompleted || s == JobStatus::kFailed || s == JobStatus::kStopped;
}

}  // namespace trainyard
