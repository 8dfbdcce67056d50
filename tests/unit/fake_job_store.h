// An in-memory JobStore for engine tests: counts transactions and can be told
// to fail the next one.
#pragma once

#include <map>
#include <mutex>

#include <string>
#include <vector>

#include "trainyard/job_store.h"

namespace trainyard::testing {

class FakeJobStore final : public JobStore {
 public:
  Status Save(const StoreBatch& batch) override {
    std::lock_guard lock(mu_);
    ++saves_;
    if (fail_next_save_) {
      fail_next_save_ = false;
      return Status::Internal("disk full");
    }
    for (const TrainingJob* job : batch.jobs) {
      // As the real store: the request document is written at insert only.
      auto it = jobs_.find(job->spec.name);
      std::string document = it == jobs_.end() ? job->request_document : it->second.request_document;
      TrainingJob& stored = jobs_[job->spec.name] = *job;
      stored.request_document = std::move(document);
    }
    for (const JobEvent& event : batch.events) events_.emplace(event.id, event);
    if (batch.virtual_time) virtual_time_ = batch.virtual_time;
    return Status::Ok();
  }
  Result<bool> Exists(std::string_view name) override {
    std::lock_guard lock(mu_);
    return jobs_.count(std::string(name)) != 0;
  }
  Result<std::vector<TrainingJob>> LoadUnfinished() override {
    std::lock_guard lock(mu_);
    std::vector<TrainingJob> out;
    for (const auto& [name, job] : jobs_) {
      if (!IsTerminal(job.status)) out.push_back(job);
    }
    return out;
  }
  Result<std::optional<double>> LoadVirtualTime() override {
    std::lock_guard lock(mu_);
    return virtual_time_;
  }
  Result<int64_t> LastEventId() override {
    std::lock_guard lock(mu_);
    return events_.empty() ? 0 : events_.rbegin()->first;
  }
  Result<JobEventPage> ListEvents(std::string_view name, int64_t after_id, int limit) override {
    std::lock_guard lock(mu_);
    auto job = jobs_.find(std::string(name));
    if (job == jobs_.end()) return Status::NotFound("no job");
    JobEventPage page;
    page.job_status = job->second.status;
    for (const auto& [id, event] : events_) {
      if (event.job_name == name) page.last_event_id = id;
    }
    for (auto it = events_.upper_bound(after_id); it != events_.end(); ++it) {
      if (it->second.job_name != name) continue;
      if (static_cast<int>(page.events.size()) == limit) {
        page.more = true;
        break;
      }
      page.events.push_back(it->second);
    }
    return page;
  }
  std::vector<JobEvent> AllEvents() {
    std::lock_guard lock(mu_);
    std::vector<JobEvent> out;
    for (const auto& [id, event] : events_) out.push_back(event);
    return out;
  }
  Result<TrainingJob> GetJob(std::string_view name) override {
    std::lock_guard lock(mu_);
    auto it = jobs_.find(std::string(name));
    if (it == jobs_.end()) return Status::NotFound("Could not find training job '" + std::string(name) + "'");
    return it->second;
  }
  Result<JobPage> ListJobs(const JobQuery&) override {
    return Status::Internal("not used by these tests");
  }
  Result<std::map<JobStatus, int64_t>> CountJobsByStatus() override {
    std::lock_guard lock(mu_);
    std::map<JobStatus, int64_t> counts;
    for (const auto& [name, job] : jobs_) ++counts[job.status];
    return counts;
  }

  int saves() {
    std::lock_guard lock(mu_);
    return saves_;
  }
  void FailNextSave() {
    std::lock_guard lock(mu_);
    fail_next_save_ = true;
  }

 private:
  std::mutex mu_;
  std::map<std::string, TrainingJob> jobs_;
  std::map<int64_t, JobEvent> events_;
  std::optional<double> virtual_time_;
  int saves_ = 0;
  bool fail_next_save_ = false;
};

}  // namespace trainyard::testing
