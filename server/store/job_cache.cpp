#include "server/store/job_cache.h"

#include <utility>

namespace trainyard::store {

std::shared_ptr<const TrainingJob> JobCache::Find(std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(name);
  return it == jobs_.end() ? nullptr : it->second;
}

uint64_t JobCache::Generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

void JobCache::Insert(uint64_t generation, TrainingJob job) {
  if (capacity_ == 0) return;
  // Built outside the lock: the copy of a job is most of the cost.
  auto kept = std::make_shared<const TrainingJob>(std::move(job));
  std::lock_guard lock(mu_);
  if (generation != generation_) return;
  auto it = jobs_.find(std::string_view(kept->spec.name));
  if (it != jobs_.end()) {
    it->second = std::move(kept);
    return;
  }
  // Any job makes room: the ones polled often come straight back.
  if (jobs_.size() >= capacity_) jobs_.erase(jobs_.begin());
  std::string name = kept->spec.name;
  jobs_.emplace(std::move(name), std::move(kept));
}

void JobCache::Forget(const std::vector<const TrainingJob*>& jobs) {
  std::lock_guard lock(mu_);
  ++generation_;
  for (const TrainingJob* job : jobs) {
    if (job == nullptr) continue;
    auto it = jobs_.find(std::string_view(job->spec.name));
    if (it != jobs_.end()) jobs_.erase(it);
  }
}

}  // namespace trainyard::store
