// A thin RAII layer over the SQLite C API, in the manner of SQLiteCpp and
// Chromium's //sql: a connection, a prepared statement and a transaction, each
// released by its destructor, with failures reported as Status values.
//
// Only the store includes this header. It forward-declares the sqlite3 types so
// that sqlite3.h stays inside the .cpp files.
//
// Threading: a Database and its Statements belong to one thread at a time (the
// connections are opened with SQLITE_OPEN_NOMUTEX). Handing a connection to
// another thread is fine as long as the hand-off is synchronised, which is
// what the store's reader pool does.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "trainyard/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace trainyard::store {

class Statement;

struct CloseDatabase {
  void operator()(sqlite3* db) const;
};
struct FinalizeStatement {
  void operator()(sqlite3_stmt* stmt) const;
};

class Database {
 public:
  enum class Mode {
    kReadWrite,  // creates the file if missing; sets WAL and synchronous=FULL
    kReadOnly,   // SQLITE_OPEN_READONLY; expects a WAL database made by a writer
  };

  struct Options {
    Mode mode = Mode::kReadWrite;
    int busy_timeout_ms = 5000;
    // The page cache, per connection; 0 keeps SQLite's default (2 MiB).
    int cache_size_kib = 0;
  };

  // Opens `path` and applies the connection settings every store connection
  // shares: foreign_keys=ON and a busy timeout; writers also switch the file to
  // WAL with synchronous=FULL, because an acknowledged job must survive a power
  // cut (DESIGN.md section 2).
  static Result<Database> Open(const std::string& path, const Options& options);

  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;

  // Runs one or more statements that take no parameters (DDL, PRAGMAs).
  Status Execute(std::string_view sql);

  // `persistent` hints SQLite that the statement will be kept and reused; the
  // store's cached statements set it.
  Result<Statement> Prepare(std::string_view sql, bool persistent = false);

  // Runs a statement that yields a single integer, such as `PRAGMA user_version`.
  Result<int64_t> QueryInt64(std::string_view sql);

  // A Status carrying the connection's last error, prefixed with `context`.
  Status Error(std::string_view context) const;

  // False while a transaction is open on this connection.
  bool InAutocommit() const;

  sqlite3* get() const { return db_.get(); }

 private:
  explicit Database(sqlite3* db) : db_(db) {}

  std::unique_ptr<sqlite3, CloseDatabase> db_;
};

// A prepared statement. Parameters are bound by 1-based index, columns read by
// 0-based index, as in the C API. A bind failure (only possible through a
// programming error such as an index out of range) is remembered and returned
// by the next Step(), so call sites can bind without checking each call.
class Statement {
 public:
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  void BindInt64(int index, int64_t value);
  void BindDouble(int index, double value);
  void BindBool(int index, bool value) { BindInt64(index, value ? 1 : 0); }
  // Copies the text (SQLITE_TRANSIENT), so `value` need not outlive the call.
  void BindText(int index, std::string_view value);
  void BindNull(int index);
  void BindOptionalDouble(int index, const std::optional<double>& value);
  void BindOptionalInt64(int index, const std::optional<int64_t>& value);

  // Advances the statement: true when a row is available, false when done.
  Result<bool> Step();
  // Steps a statement that returns no rows to completion.
  Status Run();
  // Makes the statement ready to run again and clears its bindings. Also ends
  // the implicit read a half-stepped SELECT keeps open, which would otherwise
  // pin a WAL snapshot.
  void Reset();

  int64_t ColumnInt64(int index) const;
  int ColumnInt(int index) const { return static_cast<int>(ColumnInt64(index)); }
  double ColumnDouble(int index) const;
  bool ColumnBool(int index) const { return ColumnInt64(index) != 0; }
  std::string ColumnText(int index) const;  // "" for NULL
  bool ColumnIsNull(int index) const;
  std::optional<double> ColumnOptionalDouble(int index) const;
  std::optional<int64_t> ColumnOptionalInt64(int index) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void NoteBindResult(int rc, int index);

  sqlite3* db_;  // not owned; for error messages
  std::unique_ptr<sqlite3_stmt, FinalizeStatement> stmt_;
  int bind_error_ = 0;  // first failed bind's result code, 0 if none
  int bind_error_index_ = 0;
};

// Resets a (usually cached) statement when the scope ends, whatever path
// leaves it, so the next user finds it clean and no read stays open.
class ScopedReset {
 public:
  explicit ScopedReset(Statement& stmt) : stmt_(stmt) {}
  ~ScopedReset() { stmt_.Reset(); }
  ScopedReset(const ScopedReset&) = delete;
  ScopedReset& operator=(const ScopedReset&) = delete;

 private:
  Statement& stmt_;
};

// A transaction that rolls back in its destructor unless Commit() succeeded.
//
// Writers use kImmediate, which takes the write lock at BEGIN: a deferred
// transaction that reads first and writes later can fail with SQLITE_BUSY
// mid-way in WAL mode, while BEGIN IMMEDIATE waits (busy timeout) up front.
// Readers use kDeferred to read several tables from one snapshot.
class Transaction {
 public:
  enum class Kind { kDeferred, kImmediate };

  static Result<Transaction> Begin(Database& db, Kind kind);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  // REQUIRES: neither Commit() nor Rollback() has been called.
  Status Commit();
  Status Rollback();

 private:
  explicit Transaction(Database* db) : db_(db) {}

  Database* db_;  // null once finished (committed, rolled back or moved from)
};

}  // namespace trainyard::store
