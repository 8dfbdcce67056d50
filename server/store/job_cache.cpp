#include "server/store/job_cache.h"

#include <utility>

namespace trainyard::store {

size_t JobCache::ApproximateBytes(const TrainingJob& job) {
  size_t bytes = sizeof(TrainingJob) + job.request_document.size() + job.arn.size() +
                 job.spec.name.size() + job.spec.instance_type.size() +
                 job.spec.s3_output_path.size() + job.failure_reason.size();
  for (const auto& t : job.transitions) bytes += sizeof t + t.message.size();
  for (const auto& a : job.attempts) bytes += sizeof a + a.outcome.size();
  for (const auto& [key, value] : job.spec.tags) bytes += 2 * sizeof(std::string) + key.size() + value.size();
  return bytes;
}

std::shared_ptr<const TrainingJob> JobCache::Find(std::string_view name) const {
  std::lock_guard lock(mu_);
  auto it = index_.find(name);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);  // iterators stay valid
  return it->second->job;
}

uint64_t JobCache::Generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

void JobCache::Erase(Lru::iterator it) const {
  bytes_ -= it->bytes;
  index_.erase(std::string_view(it->name));
  lru_.erase(it);
}

void JobCache::Insert(uint64_t generation, TrainingJob job) {
  if (capacity_ == 0) return;
  const size_t bytes = ApproximateBytes(job);
  if (bytes > max_bytes_) return;
  // Built outside the lock: the copy of a job is most of the cost.
  auto kept = std::make_shared<const TrainingJob>(std::move(job));
  std::lock_guard lock(mu_);
  if (generation != generation_) return;
  if (auto it = index_.find(std::string_view(kept->spec.name)); it != index_.end()) Erase(it->second);
  lru_.push_front(Entry{kept->spec.name, std::move(kept), bytes});
  index_.emplace(std::string_view(lru_.front().name), lru_.begin());
  bytes_ += bytes;
  while (lru_.size() > capacity_ || bytes_ > max_bytes_) Erase(std::prev(lru_.end()));
}

void JobCache::Forget(const std::vector<const TrainingJob*>& jobs) {
  std::lock_guard lock(mu_);
  ++generation_;
  for (const TrainingJob* job : jobs) {
    if (job == nullptr) continue;
    if (auto it = index_.find(std::string_view(job->spec.name)); it != index_.end()) Erase(it->second);
  }
}

}  // namespace trainyard::store
