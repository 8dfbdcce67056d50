#include "server/simulate/workload_replay.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

namespace trainyard {
namespace {

constexpr size_t kProgressEverySteps = 4096;

class Replay {
 public:
  Replay(const Catalogue& catalogue, const SimulationOptions& options, double start,
         size_t total, const ReplayProgressFn& progress)
      : catalogue_(catalogue),
        options_(options),
        start_(start),
        sim_(catalogue, options, start),
        progress_(progress) {
    progress_state_.total = total;
  }

  Status Submit(WorkloadJob& entry) {
    sim_.AdvanceTo(start_ + entry.submit_time);
    Collect();
    TrainingJob job;
    job.spec = std::move(entry.spec);
    std::string name = job.spec.name;
    if (Status s = sim_.Submit(std::move(job)); !s.ok()) {
      return Status::Internal("line " + std::to_string(entry.line) +
                              ": the simulation refused a valid job: " + s.message());
    }
    unfinished_.insert(std::move(name));
    ++progress_state_.submitted;
    Step();
    return Status::Ok();
  }

  // Runs events until every job has ended or none can change any more.
  void Drain() {
    Collect();
    while (!unfinished_.empty() && !OnlyStuckJobsLeft()) {
      std::optional<double> next = sim_.NextEventTime();
      if (!next) break;
      sim_.AdvanceTo(*next);
      Collect();
      Step();
    }
  }

  SimulationReport Finish() {
    // Still waiting: summarised as they stand now, in name order.
    std::vector<std::string> names(unfinished_.begin(), unfinished_.end());
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      if (const TrainingJob* job = sim_.Find(name)) Record(*job);
    }
    return report_.Build(options_.seed, options_.market_moves, start_, sim_.Now());
  }

 private:
  void Collect() {
    for (const std::string& name : sim_.TakeChanged()) {
      const TrainingJob* job = sim_.Find(name);
      if (job == nullptr || !IsTerminal(job->status)) continue;
      Record(*job);
      unfinished_.erase(name);
      sim_.Forget(name);
      ++progress_state_.finished;
    }
  }

  void Record(const TrainingJob& job) {
    const InstancePool* pool = catalogue_.Find(job.spec.instance_type);
    // Submit refused types outside the catalogue, so `pool` is never null.
    CostSummary summary =
        ComputeCostSummary(job, *pool, options_.upload_seconds, sim_.Now());
    report_.Add(job, summary);
  }

  // Nothing runs and only on-demand jobs wait: on-demand capacity never
  // changes in a replay, and a queue with all its capacity free has already
  // started everything that fits, so these jobs will wait forever.
  // (Spot jobs always end: MaxWaitTimeInSeconds bounds them.)
  bool OnlyStuckJobsLeft() const {
    if (sim_.WaitingJobs() != unfinished_.size()) return false;  // some job runs
    for (const PoolStatus& pool : sim_.Pools()) {
      if (pool.spot_waiting_jobs > 0) return false;
    }
    return true;
  }

  void Step() {
    if (!progress_ || ++steps_ % kProgressEverySteps != 0) return;
    progress_state_.virtual_seconds = sim_.Now() - start_;
    progress_(progress_state_);
  }

  const Catalogue& catalogue_;
  const SimulationOptions options_;
  const double start_;
  Simulation sim_;
  const ReplayProgressFn& progress_;
  ReplayProgress progress_state_;
  size_t steps_ = 0;
  std::unordered_set<std::string> unfinished_;
  SimulationReportBuilder report_;
};

}  // namespace

Result<SimulationReport> ReplayWorkload(WorkloadJobs jobs, const Catalogue& catalogue,
                                        const SimulationOptions& options, double start_time,
                                        const ReplayProgressFn& progress) {
  Replay replay(catalogue, options, start_time, jobs.size(), progress);
  for (size_t i : SubmissionOrder(jobs)) {
    if (Status s = replay.Submit(jobs[i]); !s.ok()) return s;
  }
  replay.Drain();
  return replay.Finish();
}

}  // namespace trainyard
