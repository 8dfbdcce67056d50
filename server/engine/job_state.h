// Questions about where a job is in its lifecycle, answered from its stored
// state alone, shared by the Simulation's parts (and its tests).
//
// Threading: stateless.
#pragma once

#include <string>

#include "trainyard/job.h"

namespace trainyard {

// Holds instances: an attempt is open (Starting .. Uploading, or Stopping).
inline bool IsRunning(const TrainingJob& job) {
  return !job.attempts.empty() && !job.attempts.back().end_time;
}

// Waiting in a queue for capacity.
inline bool IsWaiting(const TrainingJob& job) {
  return job.status == JobStatus::kInProgress && !IsRunning(job);
}

// The market the job waits for, or would be placed on next.
inline Market QueueMarket(const TrainingJob& job) {
  return job.spec.managed_spot && !job.run.on_demand_fallback ? Market::kSpot
                                                               : Market::kOnDemand;
}

// The instances are up and billed.
inline bool InstancesUp(const TrainingJob& job) {
  if (!IsRunning(job)) return false;
  switch (job.secondary_status) {
    case SecondaryStatus::kDownloading:
    case SecondaryStatus::kTraining:
    case SecondaryStatus::kUploading:
      return true;
    case SecondaryStatus::kStopping:
      return job.run.stop_billed;
    default:
      return false;
  }
}

// Running and not yet stopping: can fail, be stopped, or get a notice.
inline bool IsActiveAttempt(const TrainingJob& job) {
  return IsRunning(job) && job.status == JobStatus::kInProgress;
}

// Seconds or gigabytes for messages: "1800", "0.5", "1234.568".
std::string FormatQuantity(double value);
// "8 ml.p3dn.24xlarge spot instances", "1 ml.m5.large on-demand instance".
std::string DescribeInstances(const TrainingJob& job, Market market);

}  // namespace trainyard
