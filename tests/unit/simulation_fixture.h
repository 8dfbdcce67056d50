// Shared helpers for the Simulation tests: a small exact catalogue (no
// interruptions, a still market) and a job builder, so expected values can
// be worked out by hand.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "server/engine/simulation.h"
#include "trainyard/catalogue.h"
#include "trainyard/job.h"

namespace trainyard::testing {

inline constexpr const char* kType = "ml.p3.2xlarge";
inline constexpr double kPrice = 3.825;

// ml.p3.2xlarge at $3.825/h, spot at 0.3 of it, 4 instances of each market,
// never interrupted by chance, 120 s launch, 10 Gbps.
inline InstancePool TestPool(int on_demand = 4, int spot = 4) {
  return InstancePool{kType, kPrice, on_demand, spot, 0.3, 0.0, 120, 10};
}

inline Catalogue TestCatalogue(int on_demand = 4, int spot = 4) {
  return Catalogue({TestPool(on_demand, spot)});
}

// The market stands still unless a test asks for it.
inline SimulationOptions StillOptions() {
  SimulationOptions options;
  options.market_moves = false;
  return options;
}

struct JobBuilder {
  TrainingJob job;

  explicit JobBuilder(std::string name) {
    job.spec.name = std::move(name);
    job.arn = "arn:aws:sagemaker:us-east-1:000000000000:training-job/" + job.spec.name;
    job.spec.instance_type = kType;
    job.spec.input_mode = TrainingInputMode::kPipe;
    job.spec.workload.work_seconds = 3600;
  }
  JobBuilder& Spot(int64_t max_wait = 172800) {
    job.spec.managed_spot = true;
    job.spec.max_wait_seconds = max_wait;
    return *this;
  }
  JobBuilder& Count(int n) { job.spec.instance_count = n; return *this; }
  JobBuilder& Work(double s) { job.spec.workload.work_seconds = s; return *this; }
  JobBuilder& Checkpoints(double interval = 600) {
    job.spec.checkpointing = true;
    job.spec.workload.checkpoint_interval_seconds = interval;
    return *this;
  }
  JobBuilder& CheckpointOnNotice() { job.spec.workload.checkpoint_on_notice = true; return *this; }
  JobBuilder& FileInput(double gb) {
    job.spec.input_mode = TrainingInputMode::kFile;
    job.spec.workload.dataset_gb = gb;
    return *this;
  }
  JobBuilder& MaxRuntime(int64_t s) { job.spec.max_runtime_seconds = s; return *this; }
  JobBuilder& Retries(int n) { job.spec.max_retry_attempts = n; return *this; }
  JobBuilder& FailureProbability(double p) { job.spec.workload.failure_probability = p; return *this; }
  JobBuilder& Fallback() { job.spec.workload.spot_fallback_on_demand = true; return *this; }
  JobBuilder& Type(std::string type) { job.spec.instance_type = std::move(type); return *this; }
  TrainingJob Build() const { return job; }
  operator TrainingJob() const { return job; }  // NOLINT: builder
};

// One expected SecondaryStatusTransitions entry.
struct Phase {
  SecondaryStatus status;
  double start;
  std::optional<double> end;
};

inline void ExpectPhases(const TrainingJob& job, const std::vector<Phase>& expected) {
  ASSERT_EQ(job.transitions.size(), expected.size()) << job.spec.name;
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& t = job.transitions[i];
    EXPECT_EQ(ToString(t.status), ToString(expected[i].status)) << "transition " << i;
    EXPECT_EQ(t.start_time, expected[i].start) << "transition " << i;
    EXPECT_EQ(t.end_time, expected[i].end) << "transition " << i;
  }
}

inline const TrainingJob& Get(const Simulation& sim, std::string_view name) {
  const TrainingJob* job = sim.Find(name);
  EXPECT_NE(job, nullptr) << name;
  static const TrainingJob kMissing;
  return job ? *job : kMissing;
}

}  // namespace trainyard::testing
