#include "server/store/sqlite.h"

#include <sqlite3.h>

#include <climits>
#include <mutex>
#include <utility>

namespace trainyard::store {
namespace {

// Busy and locked mean "try again later", which the caller may report as
// unavailable; anything else in the database layer is an internal failure.
Status StatusFromCode(int rc, std::string message) {
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Status::Unavailable(std::move(message));
  }
  return Status::Internal(std::move(message));
}

Status ErrorFrom(sqlite3* db, int rc, std::string_view context) {
  std::string message = "sqlite: ";
  message.append(context);
  message.append(": ");
  message.append(db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  message.append(" (");
  message.append(std::to_string(rc));
  message.append(")");
  return StatusFromCode(rc, std::move(message));
}

int ToInt(size_t n) { return n > INT_MAX ? INT_MAX : static_cast<int>(n); }

// Settings that SQLite takes only before its first use in the process.
//
// Memory statistics off: with them on (the default), every allocation SQLite
// makes takes one process-wide mutex to count it, and this build of SQLite
// has no lookaside, so each text column read allocates. Under concurrent
// Describes the readers on the I/O threads queued on that mutex (futex waits
// inside sqlite3Malloc). Nothing here reads sqlite3_memory_used().
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    // SQLITE_MISUSE when something else in the process started SQLite
    // first; the default then stays, which is only slower.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

}  // namespace

void CloseDatabase::operator()(sqlite3* db) const {
  // v2 defers the close until every statement is finalized, so destruction
  // order between a Database and its cached Statements does not matter.
  sqlite3_close_v2(db);
}

void FinalizeStatement::operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }

Result<Database> Database::Open(const std::string& path, const Options& options) {
  ConfigureSqliteOnce();
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= options.mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY
                                           : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // sqlite3_open_v2 may hand back a handle even on failure; own it either way.
  Database db(raw);
  if (rc != SQLITE_OK) {
    return ErrorFrom(raw, rc, "open '" + path + "'");
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);

  if (options.mode == Mode::kReadWrite) {
    // journal_mode answers with the mode in force; a file system without
    // shared memory would silently keep "delete", and readers would block.
    Result<Statement> wal = db.Prepare("PRAGMA journal_mode=WAL");
    if (!wal.ok()) return wal.status();
    Result<bool> row = wal->Step();
    if (!row.ok()) return row.status();
    if (!*row || wal->ColumnText(0) != "wal") {
      return Status::Internal("sqlite: could not switch '" + path + "' to WAL mode");
    }
    if (Status s = db.Execute("PRAGMA synchronous=FULL"); !s.ok()) return s;
  }
  if (Status s = db.Execute("PRAGMA foreign_keys=ON"); !s.ok()) return s;
  if (options.cache_size_kib > 0) {
    // Negative: the size in KiB rather than in pages.
    std::string pragma = "PRAGMA cache_size=-" + std::to_string(options.cache_size_kib);
    if (Status s = db.Execute(pragma); !s.ok()) return s;
  }
  return db;
}

Status Database::Execute(std::string_view sql) {
  // sqlite3_exec needs a NUL-terminated string.
  std::string text(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string message = "sqlite: exec: ";
  message.append(error != nullptr ? error : sqlite3_errstr(rc));
  message.append(" (" + std::to_string(rc) + ")");
  sqlite3_free(error);
  return StatusFromCode(rc, std::move(message));
}

Result<Statement> Database::Prepare(std::string_view sql, bool persistent) {
  sqlite3_stmt* stmt = nullptr;
  unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
  int rc = sqlite3_prepare_v3(db_.get(), sql.data(), ToInt(sql.size()), flags, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return ErrorFrom(db_.get(), rc, "prepare \"" + std::string(sql.substr(0, 80)) + "\"");
  }
  if (stmt == nullptr) {
    return Status::Internal("sqlite: prepare: no statement in \"" + std::string(sql) + "\"");
  }
  return Statement(db_.get(), stmt);
}

Result<int64_t> Database::QueryInt64(std::string_view sql) {
  Result<Statement> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("sqlite: no row from \"" + std::string(sql) + "\"");
  return stmt->ColumnInt64(0);
}

Status Database::Error(std::string_view context) const {
  return ErrorFrom(db_.get(), sqlite3_extended_errcode(db_.get()), context);
}

bool Database::InAutocommit() const { return sqlite3_get_autocommit(db_.get()) != 0; }

void Statement::NoteBindResult(int rc, int index) {
  if (rc != SQLITE_OK && bind_error_ == 0) {
    bind_error_ = rc;
    bind_error_index_ = index;
  }
}

void Statement::BindInt64(int index, int64_t value) {
  NoteBindResult(sqlite3_bind_int64(stmt_.get(), index, value), index);
}

void Statement::BindDouble(int index, double value) {
  NoteBindResult(sqlite3_bind_double(stmt_.get(), index, value), index);
}

void Statement::BindText(int index, std::string_view value) {
  // A null data pointer would bind NULL, not the empty string.
  const char* data = value.data() != nullptr ? value.data() : "";
  NoteBindResult(sqlite3_bind_text(stmt_.get(), index, data, ToInt(value.size()),
                                   SQLITE_TRANSIENT),
                 index);
}

void Statement::BindNull(int index) { NoteBindResult(sqlite3_bind_null(stmt_.get(), index), index); }

void Statement::BindOptionalDouble(int index, const std::optional<double>& value) {
  if (value) {
    BindDouble(index, *value);
  } else {
    BindNull(index);
  }
}

void Statement::BindOptionalInt64(int index, const std::optional<int64_t>& value) {
  if (value) {
    BindInt64(index, *value);
  } else {
    BindNull(index);
  }
}

Result<bool> Statement::Step() {
  if (bind_error_ != 0) {
    return ErrorFrom(db_, bind_error_, "bind parameter " + std::to_string(bind_error_index_));
  }
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const char* sql = sqlite3_sql(stmt_.get());
  return ErrorFrom(db_, rc, "step \"" + std::string(sql != nullptr ? sql : "").substr(0, 80) + "\"");
}

Status Statement::Run() {
  Result<bool> row = Step();
  while (row.ok() && *row) row = Step();
  return row.ok() ? Status::Ok() : row.status();
}

void Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  bind_error_ = 0;
  bind_error_index_ = 0;
}

int64_t Statement::ColumnInt64(int index) const { return sqlite3_column_int64(stmt_.get(), index); }

double Statement::ColumnDouble(int index) const { return sqlite3_column_double(stmt_.get(), index); }

std::string Statement::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), index);
  if (text == nullptr) return std::string();
  // Length after the text call: column_bytes reports the converted size.
  int size = sqlite3_column_bytes(stmt_.get(), index);
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL;
}

std::optional<double> Statement::ColumnOptionalDouble(int index) const {
  if (ColumnIsNull(index)) return std::nullopt;
  return ColumnDouble(index);
}

std::optional<int64_t> Statement::ColumnOptionalInt64(int index) const {
  if (ColumnIsNull(index)) return std::nullopt;
  return ColumnInt64(index);
}

Result<Transaction> Transaction::Begin(Database& db, Kind kind) {
  Status s = db.Execute(kind == Kind::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (!s.ok()) return s;
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (db_ != nullptr) Rollback();
}

Status Transaction::Commit() {
  if (db_ == nullptr) return Status::Internal("sqlite: commit of a finished transaction");
  Status s = db_->Execute("COMMIT");
  // A failed COMMIT can leave the transaction open (e.g. SQLITE_BUSY); then
  // the destructor still owes a rollback. If SQLite already rolled it back,
  // the connection is in autocommit mode and there is nothing left to do.
  if (s.ok() || sqlite3_get_autocommit(db_->get()) != 0) db_ = nullptr;
  return s;
}

Status Transaction::Rollback() {
  if (db_ == nullptr) return Status::Internal("sqlite: rollback of a finished transaction");
  Database* db = std::exchange(db_, nullptr);
  // An error may already have rolled the transaction back automatically.
  if (sqlite3_get_autocommit(db->get()) != 0) return Status::Ok();
  return db->Execute("ROLLBACK");
}

}  // namespace trainyard::store
