#include "server/store/sqlite_job_store.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "server/store/job_rows.h"
#include "server/store/list_jobs_sql.h"
#include "server/store/page_token.h"
#include "server/store/schema.h"

namespace trainyard {
namespace store {
namespace {

constexpr std::string_view kVirtualTimeKey = "virtual_time";

// Steps `stmt` to the end, calling `on_row` for each row; stops at the first
// error from either.
template <typename OnRow>
Status ForEachRow(Statement& stmt, OnRow on_row) {
  for (;;) {
    Result<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    if (Status s = on_row(); !s.ok()) return s;
  }
}

// The engine numbers attempts 1, 2, ...; the table is keyed by number and the
// rows past the last one are deleted, so numbers must strictly increase.
Status CheckBatch(const StoreBatch& batch) {
  for (const TrainingJob* job : batch.jobs) {
    if (job == nullptr) return Status::Internal("store: null job in a batch");
    if (job->spec.name.empty()) return Status::Internal("store: job without a name in a batch");
    for (size_t i = 1; i < job->attempts.size(); ++i) {
      if (job->attempts[i].number <= job->attempts[i - 1].number) {
        return Status::Internal("store: job '" + job->spec.name +
                                "' has attempt numbers out of order");
      }
    }
  }
  return Status::Ok();
}

// Reads one child table of job `name` through a reader's cached statement.
template <typename OnRow>
Status ReadChildren(ReaderConnection& reader, std::string_view sql, std::string_view name,
                    OnRow on_row) {
  Result<Statement*> stmt = reader.Cached(sql);
  if (!stmt.ok()) return stmt.status();
  ScopedReset reset(**stmt);
  (*stmt)->BindText(1, name);
  return ForEachRow(**stmt, [&] { return on_row(**stmt); });
}

}  // namespace

Result<std::unique_ptr<SqliteJobStore>> SqliteJobStore::Open(const std::string& path,
                                                             const Options& options) {
  Result<Database> db = Database::Open(
      path, Database::Options{.mode = Database::Mode::kReadWrite,
                              .busy_timeout_ms = options.busy_timeout_ms,
                              .cache_size_kib = options.writer_cache_kib});
  if (!db.ok()) return db.status();
  if (Status s = MigrateSchema(*db); !s.ok()) return s;
  Result<WriterStatements> statements = PrepareWriterStatements(*db);
  if (!statements.ok()) return statements.status();

  Result<Statement> max_seq = db->Prepare(kMaxSeqSql);
  if (!max_seq.ok()) return max_seq.status();
  Result<bool> row = max_seq->Step();
  if (!row.ok()) return row.status();
  int64_t next_seq = (*row ? max_seq->ColumnInt64(0) : 0) + 1;
  max_seq->Reset();

  std::unique_ptr<SqliteJobStore> store(new SqliteJobStore(
      std::move(db).value(), std::move(statements).value(), next_seq, path, options));
  // Open one reader now, so that a file readers cannot open fails here and
  // not on the first Describe.
  Result<ReaderPool::Lease> reader = store->readers_.Acquire();
  if (!reader.ok()) return reader.status();
  return store;
}

SqliteJobStore::SqliteJobStore(Database writer, WriterStatements statements, int64_t next_seq,
                               const std::string& path, const Options& options)
    : writer_(std::move(writer)),
      statements_(std::move(statements)),
      next_seq_(next_seq),
      readers_(path, options.max_reader_connections,
               Database::Options{.mode = Database::Mode::kReadOnly,
                                 .busy_timeout_ms = options.busy_timeout_ms,
                                 .cache_size_kib = options.reader_cache_kib}),
      cache_(options.cached_jobs) {}

Result<SqliteJobStore::WriterStatements> SqliteJobStore::PrepareWriterStatements(Database& db) {
  std::string_view sql[] = {
      UpsertJobSql(),     kUpsertTransitionSql, kDeleteTransitionsFromSql,
      kUpsertAttemptSql,  kDeleteAttemptsAfterSql, kInsertTagSql,
      kUpsertMetaSql,     kJobExistsSql,        kSelectMetaSql,
      "DELETE FROM tags WHERE job_name = ?1",
  };
  std::vector<Statement> prepared;
  for (std::string_view text : sql) {
    Result<Statement> stmt = db.Prepare(text, /*persistent=*/true);
    if (!stmt.ok()) return stmt.status();
    prepared.push_back(std::move(stmt).value());
  }
  return WriterStatements{
      std::move(prepared[0]), std::move(prepared[1]), std::move(prepared[2]),
      std::move(prepared[3]), std::move(prepared[4]), std::move(prepared[5]),
      std::move(prepared[6]), std::move(prepared[7]), std::move(prepared[8]),
      std::move(prepared[9]),
  };
}

Status SqliteJobStore::Save(const StoreBatch& batch) {
  if (Status s = CheckBatch(batch); !s.ok()) return s;
  if (batch.jobs.empty() && batch.events.empty() && !batch.virtual_time) return Status::Ok();
  Status s = SaveBatch(batch);
  // Once the transaction has ended, whichever way: a failed Save changed
  // nothing, but forgetting is always safe.
  cache_.Forget(batch.jobs);
  return s;
}

Status SqliteJobStore::SaveBatch(const StoreBatch& batch) {
  std::lock_guard lock(writer_mu_);
  Result<Transaction> txn = Transaction::Begin(writer_, Transaction::Kind::kImmediate);
  if (!txn.ok()) return txn.status();
  for (const TrainingJob* job : batch.jobs) {
    const bool retagged = batch.retagged.count(job->spec.name) != 0;
    if (Status s = SaveJob(*job, retagged); !s.ok()) return s;  // ~Transaction rolls back
  }
  if (Status s = SaveEvents(batch.events); !s.ok()) return s;
  if (batch.virtual_time) {
    Statement& stmt = statements_.upsert_meta;
    ScopedReset reset(stmt);
    stmt.BindText(1, kVirtualTimeKey);
    stmt.BindDouble(2, *batch.virtual_time);
    if (Status s = stmt.Run(); !s.ok()) return s;
  }
  return txn->Commit();
}

Status SqliteJobStore::SaveJob(const TrainingJob& job, bool retagged) {
  const std::string& name = job.spec.name;
  bool inserted = false;
  {
    Statement& stmt = statements_.upsert_job;
    ScopedReset reset(stmt);
    BindJobRow(stmt, job, next_seq_);
    Result<bool> row = stmt.Step();  // RETURNING seq; the write is done by now
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal("store: upsert of job '" + name + "' returned no row");
    inserted = stmt.ColumnInt64(0) == next_seq_;
  }
  // Advanced before commit: a rolled-back batch leaves a gap, which is fine
  // for an order that only needs to be monotonic.
  if (inserted) ++next_seq_;

  for (size_t i = 0; i < job.transitions.size(); ++i) {
    Statement& stmt = statements_.upsert_transition;
    ScopedReset reset(stmt);
    BindTransitionRow(stmt, name, static_cast<int>(i), job.transitions[i]);
    if (Status s = stmt.Run(); !s.ok()) return s;
  }
  for (const Attempt& attempt : job.attempts) {
    Statement& stmt = statements_.upsert_attempt;
    ScopedReset reset(stmt);
    BindAttemptRow(stmt, name, attempt);
    if (Status s = stmt.Run(); !s.ok()) return s;
  }

  if (retagged && !inserted) {
    // Tags change rarely (AddTags, DeleteTags): rewrite them whole.
    Statement& stmt = statements_.delete_tags;
    ScopedReset reset(stmt);
    stmt.BindText(1, name);
    if (Status s = stmt.Run(); !s.ok()) return s;
  }
  if (inserted || retagged) {
    for (size_t i = 0; i < job.spec.tags.size(); ++i) {
      Statement& stmt = statements_.insert_tag;
      ScopedReset reset(stmt);
      stmt.BindText(1, name);
      stmt.BindInt64(2, static_cast<int64_t>(i));
      stmt.BindText(3, job.spec.tags[i].first);
      stmt.BindText(4, job.spec.tags[i].second);
      if (Status s = stmt.Run(); !s.ok()) return s;
    }
  }
  // A new job has no older rows to trim.
  if (inserted) return Status::Ok();
  {
    Statement& stmt = statements_.delete_transitions_from;
    ScopedReset reset(stmt);
    stmt.BindText(1, name);
    stmt.BindInt64(2, static_cast<int64_t>(job.transitions.size()));
    if (Status s = stmt.Run(); !s.ok()) return s;
  }
  {
    Statement& stmt = statements_.delete_attempts_after;
    ScopedReset reset(stmt);
    stmt.BindText(1, name);
    stmt.BindInt64(2, job.attempts.empty() ? 0 : job.attempts.back().number);
    if (Status s = stmt.Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

Result<bool> SqliteJobStore::Exists(std::string_view name) {
  std::lock_guard lock(writer_mu_);
  Statement& stmt = statements_.job_exists;
  ScopedReset reset(stmt);
  stmt.BindText(1, name);
  return stmt.Step();
}

Result<std::vector<TrainingJob>> SqliteJobStore::LoadUnfinished() {
  std::lock_guard lock(writer_mu_);
  // One read transaction: the four queries see the same state.
  Result<Transaction> txn = Transaction::Begin(writer_, Transaction::Kind::kDeferred);
  if (!txn.ok()) return txn.status();

  std::vector<TrainingJob> jobs;
  std::unordered_map<std::string, size_t> index;  // name -> position in jobs
  {
    Result<Statement> stmt = writer_.Prepare(SelectUnfinishedJobsSql());
    if (!stmt.ok()) return stmt.status();
    BindUnfinishedStatuses(*stmt);
    Status s = ForEachRow(*stmt, [&]() -> Status {
      Result<TrainingJob> job = ReadJobRow(*stmt);
      if (!job.ok()) return job.status();
      index.emplace(job->spec.name, jobs.size());
      jobs.push_back(std::move(job).value());
      return Status::Ok();
    });
    if (!s.ok()) return s;
  }

  // Children come from one joined scan per table rather than three lookups
  // per job: at start-up there may be many unfinished jobs.
  auto load_children = [&](std::string_view sql, auto add) -> Status {
    Result<Statement> stmt = writer_.Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    BindUnfinishedStatuses(*stmt);
    return ForEachRow(*stmt, [&]() -> Status {
      auto it = index.find(stmt->ColumnText(0));
      // A job that turned terminal between the queries cannot happen inside
      // the transaction; skip rather than fail if it ever does.
      if (it == index.end()) return Status::Ok();
      return add(*stmt, jobs[it->second]);
    });
  };
  Status s = load_children(SelectUnfinishedTransitionsSql(),
                           [](const Statement& row, TrainingJob& job) -> Status {
                             Result<StatusTransition> t = ReadTransitionRow(row, 1);
                             if (!t.ok()) return t.status();
                             job.transitions.push_back(*t);
                             return Status::Ok();
                           });
  if (!s.ok()) return s;
  s = load_children(SelectUnfinishedAttemptsSql(),
                    [](const Statement& row, TrainingJob& job) -> Status {
                      Result<Attempt> a = ReadAttemptRow(row, 1);
                      if (!a.ok()) return a.status();
                      job.attempts.push_back(*a);
                      return Status::Ok();
                    });
  if (!s.ok()) return s;
  s = load_children(SelectUnfinishedTagsSql(), [](const Statement& row, TrainingJob& job) {
    job.spec.tags.push_back(ReadTagRow(row, 1));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (Status c = txn->Commit(); !c.ok()) return c;
  return jobs;
}

Result<std::optional<double>> SqliteJobStore::LoadVirtualTime() {
  std::lock_guard lock(writer_mu_);
  Statement& stmt = statements_.select_meta;
  ScopedReset reset(stmt);
  stmt.BindText(1, kVirtualTimeKey);
  Result<bool> row = stmt.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<double>();
  return stmt.ColumnOptionalDouble(0);
}

Result<TrainingJob> SqliteJobStore::GetJob(std::string_view name) {
  if (std::shared_ptr<const TrainingJob> cached = cache_.Find(name)) return TrainingJob(*cached);
  const uint64_t generation = cache_.Generation();
  Result<TrainingJob> job = ReadJob(name);
  if (job.ok()) cache_.Insert(generation, *job);
  return job;
}

Result<TrainingJob> SqliteJobStore::ReadJob(std::string_view name) {
  Result<ReaderPool::Lease> reader = readers_.Acquire();
  if (!reader.ok()) return reader.status();
  ReaderConnection& conn = **reader;
  // One snapshot for the job and its children, so a Save committing between
  // the queries cannot give a job whose transitions belong to another state.
  Result<ReaderConnection::Snapshot> snapshot = conn.BeginSnapshot();
  if (!snapshot.ok()) return snapshot.status();

  std::optional<TrainingJob> job;
  {
    Result<Statement*> stmt = conn.Cached(SelectJobByNameSql());
    if (!stmt.ok()) return stmt.status();
    ScopedReset reset(**stmt);
    (*stmt)->BindText(1, name);
    Result<bool> row = (*stmt)->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("Could not find training job '" + std::string(name) + "'");
    Result<TrainingJob> read = ReadJobRow(**stmt);
    if (!read.ok()) return read.status();
    job = std::move(read).value();
  }

  Status s = ReadChildren(conn, kSelectTransitionsSql, name, [&](const Statement& row) -> Status {
    Result<StatusTransition> t = ReadTransitionRow(row, 0);
    if (!t.ok()) return t.status();
    job->transitions.push_back(*t);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  s = ReadChildren(conn, kSelectAttemptsSql, name, [&](const Statement& row) -> Status {
    Result<Attempt> a = ReadAttemptRow(row, 0);
    if (!a.ok()) return a.status();
    job->attempts.push_back(*a);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  s = ReadChildren(conn, kSelectTagsSql, name, [&](const Statement& row) {
    job->spec.tags.push_back(ReadTagRow(row, 0));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (Status c = snapshot->End(); !c.ok()) return c;
  return std::move(*job);
}

Result<std::map<JobStatus, int64_t>> SqliteJobStore::CountJobsByStatus() {
  Result<ReaderPool::Lease> reader = readers_.Acquire();
  if (!reader.ok()) return reader.status();
  Result<Statement*> stmt = (*reader)->Cached("SELECT status, COUNT(*) FROM jobs GROUP BY status");
  if (!stmt.ok()) return stmt.status();
  ScopedReset reset(**stmt);
  std::map<JobStatus, int64_t> counts;
  Status s = ForEachRow(**stmt, [&]() -> Status {
    auto status = ParseJobStatus((*stmt)->ColumnText(0));
    if (!status) return Status::Internal("unknown status in store: " + (*stmt)->ColumnText(0));
    counts[*status] = (*stmt)->ColumnInt64(1);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return counts;
}

Result<JobPage> SqliteJobStore::ListJobs(const JobQuery& query) {
  std::optional<PageCursor> cursor;
  if (!query.next_token.empty()) {
    Result<PageCursor> decoded = DecodePageToken(query);
    if (!decoded.ok()) return decoded.status();
    cursor = *decoded;
  }
  // The caller validates 1..100; a bound below 1 would give tokens that
  // never advance, so it is raised rather than trusted.
  const int max_results = std::max(1, query.max_results);

  Result<ReaderPool::Lease> reader = readers_.Acquire();
  if (!reader.ok()) return reader.status();
  Result<Statement*> stmt = (*reader)->Cached(ListJobsSql(query, cursor.has_value()));
  if (!stmt.ok()) return stmt.status();
  ScopedReset reset(**stmt);
  // One row more than the page: its presence says whether a next page exists.
  BindListJobs(**stmt, query, cursor, static_cast<int64_t>(max_results) + 1);

  JobPage page;
  int64_t last_seq = 0;
  bool more = false;
  Status s = ForEachRow(**stmt, [&]() -> Status {
    if (static_cast<int>(page.jobs.size()) == max_results) {
      more = true;
      return Status::Ok();
    }
    JobSummary summary;
    if (Status r = ReadSummaryRow(**stmt, &summary, &last_seq); !r.ok()) return r;
    page.jobs.push_back(std::move(summary));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  if (more) page.next_token = EncodePageToken(query, page.jobs.back(), last_seq);
  return page;
}

}  // namespace store

Result<std::unique_ptr<JobStore>> OpenSqliteJobStore(const std::string& path) {
  Result<std::unique_ptr<store::SqliteJobStore>> store =
      store::SqliteJobStore::Open(path, store::SqliteJobStore::Options{});
  if (!store.ok()) return store.status();
  return std::unique_ptr<JobStore>(std::move(store).value());
}

}  // namespace trainyard
