// SqliteJobStore: the JobStore on one SQLite file (see job_store.h for the
// interface and its threading contract).
//
// One writer connection, owned by the engine thread, serves Save, Exists,
// LoadUnfinished and LoadVirtualTime with statements prepared once at open.
// GetJob and ListJobs run on a pool of read-only connections (reader_pool.h)
// and, thanks to WAL, see the last committed state without waiting for the
// writer; GetJob answers a job it read recently from a cache that Save keeps
// current (job_cache.h). A mutex around the writer costs nothing while the contract is kept
// and turns a breach of it into waiting rather than a corrupted connection.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/store/job_cache.h"
#include "server/store/reader_pool.h"
#include "server/store/sqlite.h"
#include "trainyard/job_store.h"

namespace trainyard::store {

class SqliteJobStore final : public JobStore {
 public:
  struct Options {
    int busy_timeout_ms = 5000;
    size_t max_reader_connections = 8;
    // Page caches. The writer's is large because an update touches the job's
    // row, three index entries and child rows scattered over the file; with
    // SQLite's 2 MiB default a large database is re-read page by page.
    int writer_cache_kib = 64 * 1024;
    int reader_cache_kib = 8 * 1024;
    // Jobs GetJob keeps as last read (a few KiB each); 0 reads every time.
    size_t cached_jobs = 1024;
  };

  // Opens or creates the file and migrates its schema. See OpenSqliteJobStore.
  static Result<std::unique_ptr<SqliteJobStore>> Open(const std::string& path,
                                                      const Options& options);

  Status Save(const StoreBatch& batch) override;
  Result<bool> Exists(std::string_view name) override;
  Result<std::vector<TrainingJob>> LoadUnfinished() override;
  Result<std::optional<double>> LoadVirtualTime() override;
  Result<TrainingJob> GetJob(std::string_view name) override;
  Result<JobPage> ListJobs(const JobQuery& query) override;
  Result<std::map<JobStatus, int64_t>> CountJobsByStatus() override;
  // sqlite_event_store.cpp
  Result<int64_t> LastEventId() override;
  Result<JobEventPage> ListEvents(std::string_view name, int64_t after_id, int limit) override;

 private:
  // The writer's hot statements, prepared once.
  struct WriterStatements {
    Statement upsert_job;
    Statement upsert_transition;
    Statement delete_transitions_from;
    Statement upsert_attempt;
    Statement delete_attempts_after;
    Statement insert_tag;
    Statement upsert_meta;
    Statement job_exists;
    Statement select_meta;
    Statement delete_tags;
  };

  SqliteJobStore(Database writer, WriterStatements statements, int64_t next_seq,
                 const std::string& path, const Options& options);

  static Result<WriterStatements> PrepareWriterStatements(Database& db);

  // Save's transaction. REQUIRES: writer_mu_ not held (it takes it).
  Status SaveBatch(const StoreBatch& batch);
  // REQUIRES: writer_mu_ held, inside the batch's transaction.
  Status SaveJob(const TrainingJob& job, bool retagged);
  // REQUIRES: writer_mu_ held, inside the batch's transaction, after its jobs.
  Status SaveEvents(std::span<const JobEvent> events);
  // GetJob from the file.
  Result<TrainingJob> ReadJob(std::string_view name);

  std::mutex writer_mu_;
  Database writer_;             // guarded by writer_mu_
  WriterStatements statements_;  // guarded by writer_mu_
  int64_t next_seq_;            // the seq the next inserted job gets; guarded by writer_mu_
  std::optional<Statement> insert_event_;  // prepared on first use; guarded by writer_mu_

  ReaderPool readers_;
  JobCache cache_;
};

}  // namespace trainyard::store
