// Recently read jobs as last committed, for SqliteJobStore::GetJob.
//
// Clients poll Describe of the same few jobs (SDK waiters, dashboards), and
// each read from SQLite costs a WAL read transaction -- two fcntl locks on
// the shared-memory file, contended between the I/O threads -- and four
// statements: under a Describe load that was a quarter of the server's CPU.
//
// Sound because the store's Save is the only writer of the file (DESIGN.md
// section 2): Save forgets the jobs it wrote once its transaction has ended,
// committed or not, and a job read while a Save was under way is not kept,
// since it may predate that Save (see Generation). A second process writing
// the same file would break this, as it would break the engine.
//
// Threading: any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "trainyard/job.h"

namespace trainyard::store {

class JobCache {
 public:
  // At most `capacity` jobs and about `max_bytes` of them are kept, the least
  // recently read going first; a capacity of 0 keeps none.
  explicit JobCache(size_t capacity, size_t max_bytes = kDefaultMaxBytes)
      : capacity_(capacity), max_bytes_(max_bytes) {}

  // Jobs carry their request documents (up to the body limit, 1 MiB by
  // default), so the count alone would not bound memory.
  static constexpr size_t kDefaultMaxBytes = 64 << 20;

  // The job as last committed, if kept; shared, so the caller copies it
  // without holding the cache's lock.
  std::shared_ptr<const TrainingJob> Find(std::string_view name) const;

  // Read this before reading a job from the file, and pass it to Insert.
  uint64_t Generation() const;

  // Keeps `job`, read from the file after Generation() returned
  // `generation`, unless a Save has ended since: the read may have seen the
  // file before that Save's commit, and nothing would drop it afterwards.
  void Insert(uint64_t generation, TrainingJob job);

  // After a Save's transaction ended: drops the jobs it wrote and refuses
  // reads that started before.
  void Forget(const std::vector<const TrainingJob*>& jobs);

  // What a kept job costs, roughly: its strings and child rows.
  static size_t ApproximateBytes(const TrainingJob& job);

 private:
  struct Entry {
    std::string name;
    std::shared_ptr<const TrainingJob> job;
    size_t bytes = 0;
  };
  using Lru = std::list<Entry>;  // most recently read first

  // REQUIRES: mu_ held.
  void Erase(Lru::iterator it) const;

  const size_t capacity_;
  const size_t max_bytes_;
  mutable std::mutex mu_;
  uint64_t generation_ = 0;  // Saves ended; guarded by mu_
  // A read moves its job to the front, so these change under Find too.
  mutable Lru lru_;                                                  // guarded by mu_
  mutable std::unordered_map<std::string_view, Lru::iterator> index_;  // guarded by mu_; views into lru_
  mutable size_t bytes_ = 0;                                         // guarded by mu_
};

}  // namespace trainyard::store
