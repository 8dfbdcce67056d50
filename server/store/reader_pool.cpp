#include "server/store/reader_pool.h"

#include <utility>

namespace trainyard::store {

Result<std::unique_ptr<ReaderConnection>> ReaderConnection::Open(
    const std::string& path, const Database::Options& options) {
  Result<Database> db = Database::Open(path, options);
  if (!db.ok()) return db.status();
  Result<Statement> begin = db->Prepare("BEGIN DEFERRED", /*persistent=*/true);
  if (!begin.ok()) return begin.status();
  Result<Statement> commit = db->Prepare("COMMIT", /*persistent=*/true);
  if (!commit.ok()) return commit.status();
  return std::unique_ptr<ReaderConnection>(new ReaderConnection(
      std::move(db).value(), std::move(begin).value(), std::move(commit).value()));
}

Result<ReaderConnection::Snapshot> ReaderConnection::BeginSnapshot() {
  ScopedReset reset(begin_);
  if (Status s = begin_.Run(); !s.ok()) return s;
  return Snapshot(this);
}

ReaderConnection::Snapshot::~Snapshot() {
  if (connection_ != nullptr) End();
}

Status ReaderConnection::Snapshot::End() {
  if (connection_ == nullptr) return Status::Internal("sqlite: end of a finished read snapshot");
  ReaderConnection* connection = std::exchange(connection_, nullptr);
  Statement& commit = connection->commit_;
  Status s;
  {
    ScopedReset reset(commit);
    s = commit.Run();
  }
  // A COMMIT that failed leaves the transaction open, and the next BEGIN on
  // this pooled connection would fail: roll back rather than hand it on so.
  if (!connection->db_.InAutocommit()) connection->db_.Execute("ROLLBACK");
  return s;
}

Result<Statement*> ReaderConnection::Cached(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return &it->second;
  Result<Statement> stmt = db_.Prepare(sql, /*persistent=*/true);
  if (!stmt.ok()) return stmt.status();
  if (statements_.size() >= kMaxCachedStatements) statements_.clear();
  it = statements_.emplace(std::string(sql), std::move(stmt).value()).first;
  return &it->second;
}

ReaderPool::Lease::~Lease() {
  if (connection_ != nullptr) pool_->Release(std::move(connection_));
}

ReaderPool::ReaderPool(std::string path, size_t max_connections,
                       const Database::Options& options)
    : path_(std::move(path)),
      max_connections_(max_connections == 0 ? 1 : max_connections),
      options_(options) {}

Result<ReaderPool::Lease> ReaderPool::Acquire() {
  {
    std::unique_lock lock(mu_);
    returned_.wait(lock, [this] { return !idle_.empty() || open_ < max_connections_; });
    if (!idle_.empty()) {
      std::unique_ptr<ReaderConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(connection));
    }
    ++open_;  // reserve the slot, then open outside the lock
  }
  Result<std::unique_ptr<ReaderConnection>> opened = ReaderConnection::Open(path_, options_);
  if (!opened.ok()) {
    std::lock_guard lock(mu_);
    --open_;
    returned_.notify_one();
    return opened.status();
  }
  return Lease(this, std::move(opened).value());
}

void ReaderPool::Release(std::unique_ptr<ReaderConnection> connection) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(connection));
  }
  returned_.notify_one();
}

}  // namespace trainyard::store
