// Read-only connections for the store's reader methods (GetJob, ListJobs),
// which any thread may call while the engine thread writes.
//
// Each call checks a connection out for its duration and returns it after,
// so a connection and its cached statements are used by one thread at a
// time. Connections are opened with SQLITE_OPEN_READONLY: in WAL mode a
// reader works from its own snapshot and neither waits for the writer nor
// holds it up. At most `max_connections` exist; a caller beyond that waits
// for one to come back, which bounds memory and file handles under a burst.
//
// Threading: Acquire() may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/store/sqlite.h"
#include "trainyard/status.h"

namespace trainyard::store {

class ReaderConnection {
 public:
  // One read snapshot over several statements; ends (COMMIT) when destroyed
  // or by End(). For a read nothing is written, so the two ways are the same.
  class Snapshot {
   public:
    Snapshot(Snapshot&& other) noexcept : connection_(std::exchange(other.connection_, nullptr)) {}
    Snapshot& operator=(Snapshot&&) = delete;
    ~Snapshot();

    // Ends the snapshot now, reporting a failure that the destructor would
    // have to swallow. REQUIRES: not ended yet.
    Status End();

   private:
    friend class ReaderConnection;
    explicit Snapshot(ReaderConnection* connection) : connection_(connection) {}

    ReaderConnection* connection_;  // null once ended or moved from
  };

  // REQUIRES: options.mode is kReadOnly.
  static Result<std::unique_ptr<ReaderConnection>> Open(const std::string& path,
                                                        const Database::Options& options);

  Database& db() { return db_; }

  // BEGIN through a statement prepared at open. sqlite3_exec compiles the
  // text on every call, and compiling outside a transaction reads the schema
  // cookie from the file: for Describe that cost as much as the reads the
  // transaction brackets. REQUIRES: no snapshot open on this connection.
  Result<Snapshot> BeginSnapshot();

  // The statement for `sql`, prepared on first use and kept. The pointer is
  // valid until the next call to Cached(), which may evict it, so use one
  // cached statement at a time. The caller resets it when done (ScopedReset).
  Result<Statement*> Cached(std::string_view sql);

 private:
  // ListJobs has a few hundred SQL shapes (filters x order x cursor); a busy
  // server uses a handful, so a small bound that clears when reached is enough.
  static constexpr size_t kMaxCachedStatements = 64;

  // Finds a cached statement by its text without copying the text into a
  // key first (the job SELECT is ~700 bytes, looked up on every Describe).
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };

  ReaderConnection(Database db, Statement begin, Statement commit)
      : db_(std::move(db)), begin_(std::move(begin)), commit_(std::move(commit)) {}

  Database db_;
  // Owned apart from the cache, which may clear itself while a snapshot is open.
  Statement begin_;
  Statement commit_;
  std::unordered_map<std::string, Statement, SqlHash, std::equal_to<>> statements_;
};

class ReaderPool {
 public:
  // Returns its connection to the pool when destroyed.
  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<ReaderConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    ReaderConnection* operator->() { return connection_.get(); }
    ReaderConnection& operator*() { return *connection_; }

   private:
    ReaderPool* pool_;
    std::unique_ptr<ReaderConnection> connection_;
  };

  // The pool opens connections on demand. REQUIRES: the database at `path`
  // exists in WAL mode with the current schema.
  ReaderPool(std::string path, size_t max_connections, const Database::Options& options);

  // Waits while max_connections are checked out.
  Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<ReaderConnection> connection);

  const std::string path_;
  const size_t max_connections_;
  const Database::Options options_;

  std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<ReaderConnection>> idle_;  // guarded by mu_
  size_t open_ = 0;  // connections that exist, idle or leased; guarded by mu_
};

}  // namespace trainyard::store
