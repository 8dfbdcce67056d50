// JobStore: where jobs live between restarts.
//
// Threading: one writer, many readers. The writer methods (Save, Exists,
// LoadUnfinished, LoadVirtualTime, LastEventId) are called only from the
// engine thread, which owns the single writer connection. The reader methods
// (GetJob, ListJobs, ListEvents, CountJobsByStatus) may be called from any
// thread at any time, concurrently with the writer; they see only committed
// state.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trainyard/job.h"
#include "trainyard/job_event.h"
#include "trainyard/job_query.h"
#include "trainyard/status.h"

namespace trainyard {

// Everything one burst of engine work changed, written in one transaction.
struct StoreBatch {
  std::vector<const TrainingJob*> jobs;  // full state, inserted or replaced
  std::optional<double> virtual_time;    // the engine clock, persisted when set
  std::set<std::string> retagged;        // jobs whose tags changed: rewritten whole
  // Appended to their jobs' histories. Each has its id (> 0, unique) and its
  // job is in `jobs` or already stored. An id already stored is skipped, so
  // a batch retried after a failed commit can carry the same events again.
  std::span<const JobEvent> events;
};

class JobStore {
 public:
  virtual ~JobStore() = default;

  // Writes the whole batch in one durable transaction: when this returns OK
  // every job in it is on disk; otherwise none of it is. A job's
  // request_document is written when the job is inserted and kept after.
  virtual Status Save(const StoreBatch& batch) = 0;

  virtual Result<bool> Exists(std::string_view name) = 0;

  // Every job whose status is not terminal, with full state, oldest first.
  virtual Result<std::vector<TrainingJob>> LoadUnfinished() = 0;

  // The virtual time last saved, if any.
  virtual Result<std::optional<double>> LoadVirtualTime() = 0;

  // The largest event id stored, 0 when none is.
  virtual Result<int64_t> LastEventId() = 0;

  // The job's events with id > after_id, oldest first, at most `limit`
  // (>= 1). NotFound when there is no job of that name.
  virtual Result<JobEventPage> ListEvents(std::string_view name, int64_t after_id, int limit) = 0;

  // NotFound when there is no job of that name.
  virtual Result<TrainingJob> GetJob(std::string_view name) = 0;

  // Validation error when the query's next_token is not one this store issued
  // for the same filters and order.
  virtual Result<JobPage> ListJobs(const JobQuery& query) = 0;

  // How many stored jobs have each TrainingJobStatus (for metrics).
  virtual Result<std::map<JobStatus, int64_t>> CountJobsByStatus() = 0;
};

// Opens (creating if needed) the SQLite database at `path` and brings its
// schema up to date. The parent directory must exist.
Result<std::unique_ptr<JobStore>> OpenSqliteJobStore(const std::string& path);

}  // namespace trainyard
