// SqliteJobStore's job histories (job_events, schema version 2).
#include "server/store/event_rows.h"
#include "server/store/sqlite_job_store.h"

namespace trainyard::store {

Status SqliteJobStore::SaveEvents(std::span<const JobEvent> events) {
  if (events.empty()) return Status::Ok();
  if (!insert_event_) {
    Result<Statement> stmt = writer_.Prepare(kInsertEventSql, /*persistent=*/true);
    if (!stmt.ok()) return stmt.status();
    insert_event_ = std::move(stmt).value();
  }
  for (const JobEvent& event : events) {
    if (event.id <= 0) {
      return Status::Internal("store: event of job '" + event.job_name + "' has no id");
    }
    ScopedReset reset(*insert_event_);
    BindEventRow(*insert_event_, event);
    if (Status s = insert_event_->Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

Result<int64_t> SqliteJobStore::LastEventId() {
  std::lock_guard lock(writer_mu_);
  Result<int64_t> max = writer_.QueryInt64(kMaxEventIdSql);  // NULL reads as 0
  if (!max.ok()) return max.status();
  return *max;
}

Result<JobEventPage> SqliteJobStore::ListEvents(std::string_view name, int64_t after_id,
                                                int limit) {
  if (limit < 1) limit = 1;
  Result<ReaderPool::Lease> reader = readers_.Acquire();
  if (!reader.ok()) return reader.status();
  ReaderConnection& conn = **reader;
  // One snapshot: the job's existence and its events agree.
  Result<ReaderConnection::Snapshot> snapshot = conn.BeginSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  JobEventPage page;
  {
    Result<Statement*> job = conn.Cached(kSelectJobStatusSql);
    if (!job.ok()) return job.status();
    ScopedReset reset(**job);
    (*job)->BindText(1, name);
    Result<bool> row = (*job)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("Could not find training job '" + std::string(name) + "'");
    const std::string status = (*job)->ColumnText(0);
    auto parsed = ParseJobStatus(status);
    if (!parsed) return Status::Internal("store: job '" + std::string(name) + "' has an unknown status '" + status + "'");
    page.job_status = *parsed;
    page.last_event_id = (*job)->ColumnInt64(1);
  }
  Result<Statement*> stmt = conn.Cached(kSelectEventsSql);
  if (!stmt.ok()) return stmt.status();
  ScopedReset reset(**stmt);
  (*stmt)->BindText(1, name);
  (*stmt)->BindInt64(2, after_id);
  // One row more than asked: its presence says whether more follow.
  (*stmt)->BindInt64(3, static_cast<int64_t>(limit) + 1);
  for (;;) {
    Result<bool> row = (*stmt)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (static_cast<int>(page.events.size()) == limit) {
      page.more = true;
      break;
    }
    Result<JobEvent> event = ReadEventRow(**stmt);
    if (!event.ok()) return event.status();
    page.events.push_back(std::move(event).value());
  }
  if (Status c = snapshot->End(); !c.ok()) return c;
  return page;
}

}  // namespace trainyard::store
