#include "server/store/schema.h"

#include <iterator>
#include <string>

namespace trainyard::store {
namespace {

// Version 1. The JobSpec is kept in columns rather than a JSON text: doubles
// then round-trip as REAL without a text detour, and reports (cost by
// instance type, say) can be written in SQL. `seq` is the insertion order,
// assigned by the writer and never changed by an update; it breaks ties in
// every list order and so makes the page cursor a total order.
//
// Child tables are WITHOUT ROWID: their rows are small and always reached by
// the composite key, so the key b-tree can hold the row and no second tree is
// needed. `jobs` keeps its rowid because request_document makes rows large.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE jobs (
  name TEXT NOT NULL PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  arn TEXT NOT NULL,
  status TEXT NOT NULL,
  secondary_status TEXT NOT NULL,
  creation_time REAL NOT NULL,
  last_modified_time REAL NOT NULL,
  training_start_time REAL,
  training_end_time REAL,
  failure_reason TEXT NOT NULL,
  request_document TEXT NOT NULL,
  instance_type TEXT NOT NULL,
  instance_count INTEGER NOT NULL,
  volume_size_gb INTEGER NOT NULL,
  input_mode TEXT NOT NULL,
  managed_spot INTEGER NOT NULL,
  max_runtime_seconds INTEGER NOT NULL,
  max_wait_seconds INTEGER,
  checkpointing INTEGER NOT NULL,
  max_retry_attempts INTEGER NOT NULL,
  s3_output_path TEXT NOT NULL,
  work_seconds REAL NOT NULL,
  checkpoint_interval_seconds REAL NOT NULL,
  checkpoint_on_notice INTEGER NOT NULL,
  dataset_gb REAL NOT NULL,
  failure_probability REAL NOT NULL,
  spot_fallback_on_demand INTEGER NOT NULL,
  checkpointed_seconds REAL NOT NULL,
  lost_training_seconds REAL NOT NULL,
  interruptions INTEGER NOT NULL,
  -- JobRunState: where the engine is inside the current phase and attempt.
  run_on_demand_fallback INTEGER NOT NULL,
  run_phase_start REAL NOT NULL,
  run_phase_progress REAL NOT NULL,
  run_waiting_since REAL NOT NULL,
  run_billed_until REAL NOT NULL,
  run_notice_time REAL,
  run_reclaim_time REAL,
  run_failure_progress REAL,
  run_stop_billed INTEGER NOT NULL,
  run_stop_outcome TEXT NOT NULL
);
-- One index per ListTrainingJobs order (by name uses the primary key), and
-- one for the commonest filtered listing, StatusEquals in creation order,
-- which would otherwise sort every job of that status for each page.
CREATE INDEX jobs_by_creation_time ON jobs (creation_time, seq);
CREATE INDEX jobs_by_status ON jobs (status, seq);
CREATE INDEX jobs_by_status_creation_time ON jobs (status, creation_time, seq);
CREATE INDEX jobs_by_last_modified_time ON jobs (last_modified_time);

CREATE TABLE transitions (
  job_name TEXT NOT NULL REFERENCES jobs (name) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  status TEXT NOT NULL,
  start_time REAL NOT NULL,
  end_time REAL,
  message TEXT NOT NULL,
  PRIMARY KEY (job_name, idx)
) WITHOUT ROWID;

CREATE TABLE attempts (
  job_name TEXT NOT NULL REFERENCES jobs (name) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  market TEXT NOT NULL,
  start_time REAL NOT NULL,
  end_time REAL,
  outcome TEXT NOT NULL,
  progress_at_start REAL NOT NULL,
  progress_at_end REAL NOT NULL,
  billed_seconds REAL NOT NULL,
  billable_seconds REAL NOT NULL,
  cost REAL NOT NULL,
  PRIMARY KEY (job_name, number)
) WITHOUT ROWID;

CREATE TABLE tags (
  job_name TEXT NOT NULL REFERENCES jobs (name) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (job_name, idx)
) WITHOUT ROWID;

-- Process-wide values that survive a restart, such as the virtual clock.
CREATE TABLE meta (
  key TEXT NOT NULL PRIMARY KEY,
  value
) WITHOUT ROWID;
)sql";

// Version 2: each job's history (GET .../events). Rows are only ever
// appended, keyed by the engine's event id, which orders all jobs' events
// as they happened; a job's history is read by (job_name, id).
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE job_events (
  id INTEGER NOT NULL PRIMARY KEY,
  job_name TEXT NOT NULL REFERENCES jobs (name) ON DELETE CASCADE,
  time REAL NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  secondary_status TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  market TEXT,
  instance_type TEXT NOT NULL,
  instance_count INTEGER NOT NULL,
  progress_seconds REAL,
  message TEXT NOT NULL
);
CREATE INDEX job_events_by_job ON job_events (job_name, id);
)sql";

constexpr Migration kMigrations[] = {
    {kSchemaV1},
    {kSchemaV2},
};

}  // namespace

int CurrentSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

Status MigrateSchema(Database& db) { return MigrateSchema(db, kMigrations); }

Result<int> SchemaVersion(Database& db) {
  Result<int64_t> version = db.QueryInt64("PRAGMA user_version");
  if (!version.ok()) return version.status();
  return static_cast<int>(*version);
}

Status MigrateSchema(Database& db, std::span<const Migration> steps) {
  const int target = static_cast<int>(steps.size());
  for (;;) {
    Result<Transaction> txn = Transaction::Begin(db, Transaction::Kind::kImmediate);
    if (!txn.ok()) return txn.status();
    // Read the version under the write lock: another process that migrated
    // meanwhile must not have its step applied twice.
    Result<int> version = SchemaVersion(db);
    if (!version.ok()) return version.status();
    if (*version > target) {
      return Status::Internal("database schema version " + std::to_string(*version) +
                              " is newer than this build supports (" + std::to_string(target) +
                              "); use a newer trainyard");
    }
    if (*version < 0) {
      return Status::Internal("database schema version " + std::to_string(*version) +
                              " is not valid");
    }
    if (*version == target) return txn->Commit();

    const int next = *version + 1;
    if (Status s = db.Execute(steps[static_cast<size_t>(*version)].sql); !s.ok()) {
      return Status::Internal("schema migration to version " + std::to_string(next) +
                              " failed: " + s.message());
    }
    // PRAGMA takes no bound parameters; `next` is an integer we computed.
    if (Status s = db.Execute("PRAGMA user_version = " + std::to_string(next)); !s.ok()) return s;
    if (Status s = txn->Commit(); !s.ok()) return s;
  }
}

}  // namespace trainyard::store
