#include "server/store/sqlite.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/scratch_dir.h"

namespace trainyard::store {
namespace {

// A fresh directory per test, removed afterwards.
class SqliteTest : public ::testing::Test {
 protected:

  Database OpenWriter() {
    Result<Database> db = Database::Open(path_, {});
    EXPECT_TRUE(db.ok()) << db.status().message();
    return std::move(db).value();
  }

  int64_t Count(Database& db) {
    Result<int64_t> n = db.QueryInt64("SELECT COUNT(*) FROM t");
    EXPECT_TRUE(n.ok()) << n.status().message();
    return n.ok() ? *n : -1;
  }

  testing::ScratchDir dir_{"sqlite"};
  std::string path_ = dir_.File("test.db");
};

TEST_F(SqliteTest, OpenSetsWalFullSyncAndForeignKeys) {
  Database db = OpenWriter();
  Result<Statement> mode = db.Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(*mode->Step());
  EXPECT_EQ(mode->ColumnText(0), "wal");
  EXPECT_EQ(*db.QueryInt64("PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(*db.QueryInt64("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(*db.QueryInt64("PRAGMA busy_timeout"), 5000);
}

TEST_F(SqliteTest, OpenReadOnlyOfMissingFileFails) {
  Result<Database> db = Database::Open(path_, {.mode = Database::Mode::kReadOnly});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), ErrorCode::kInternal);
}

TEST_F(SqliteTest, ReadOnlyConnectionCannotWrite) {
  Database writer = OpenWriter();
  ASSERT_TRUE(writer.Execute("CREATE TABLE t (a INTEGER)").ok());
  Result<Database> reader = Database::Open(path_, {.mode = Database::Mode::kReadOnly});
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_FALSE(reader->Execute("INSERT INTO t VALUES (1)").ok());
  EXPECT_EQ(Count(*reader), 0);
}

TEST_F(SqliteTest, BindAndReadEveryType) {
  Database db = OpenWriter();
  ASSERT_TRUE(db.Execute("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n REAL)").ok());
  Result<Statement> insert = db.Prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
  ASSERT_TRUE(insert.ok());
  const double kTricky = 0.1 + 0.2;  // not representable in few digits
  insert->BindInt64(1, int64_t{1} << 60);
  insert->BindDouble(2, kTricky);
  insert->BindText(3, std::string_view("a\0b", 3));
  insert->BindOptionalDouble(4, std::nullopt);
  ASSERT_TRUE(insert->Run().ok());

  Result<Statement> select = db.Prepare("SELECT i, d, s, n FROM t");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnInt64(0), int64_t{1} << 60);
  EXPECT_EQ(select->ColumnDouble(1), kTricky);
  EXPECT_EQ(select->ColumnText(2), std::string("a\0b", 3));
  EXPECT_TRUE(select->ColumnIsNull(3));
  EXPECT_EQ(select->ColumnOptionalDouble(3), std::nullopt);
  EXPECT_FALSE(*select->Step());
}

TEST_F(SqliteTest, EmptyTextIsNotNull) {
  Database db = OpenWriter();
  ASSERT_TRUE(db.Execute("CREATE TABLE t (s TEXT)").ok());
  Result<Statement> insert = db.Prepare("INSERT INTO t VALUES (?1)");
  insert->BindText(1, std::string_view());
  ASSERT_TRUE(insert->Run().ok());
  EXPECT_EQ(*db.QueryInt64("SELECT COUNT(*) FROM t WHERE s IS NOT NULL AND s = ''"), 1);
}

TEST_F(SqliteTest, ResetAllowsReuseWithNewBindings) {
  Database db = OpenWriter();
  ASSERT_TRUE(db.Execute("CREATE TABLE t (a INTEGER)").ok());
  Result<Statement> insert = db.Prepare("INSERT INTO t VALUES (?1)", /*persistent=*/true);
  for (int i = 0; i < 3; ++i) {
    ScopedReset reset(*insert);
    insert->BindInt64(1, i);
    ASSERT_TRUE(insert->Run().ok());
  }
  EXPECT_EQ(*db.QueryInt64("SELECT SUM(a) FROM t"), 3);
}

TEST_F(SqliteTest, BadBindIndexIsReportedByStep) {
  Database db = OpenWriter();
  ASSERT_TRUE(db.Execute("CREATE TABLE t (a INTEGER)").ok());
  Result<Statement> insert = db.Prepare("INSERT INTO t VALUES (?1)");
  insert->BindInt64(7, 1);
  Result<bool> step = insert->Step();
  ASSERT_FALSE(step.ok());
  EXPECT_NE(step.status().message().find("parameter 7"), std::string::npos);
  EXPECT_EQ(Count(db), 0);
}

TEST_F(SqliteTest, PrepareErrorNamesTheProblem) {
  Database db = OpenWriter();
  Result<Statement> stmt = db.Prepare("SELECT * FROM no_such_table");
  ASSERT_FALSE(stmt.ok());
  EXPECT_NE(stmt.status().message().find("no_such_table"), std::string::npos);
}

TEST_F(SqliteTest, ConstraintViolationIsAnError) {
  Database db = OpenWriter();
  ASSERT_TRUE(db.Execute("CREATE TABLE t (a INTEGER PRIMARY KEY)").ok());
  ASSERT_TRUE(db.Execute("INSERT INTO t VALUES (1)").ok());
  Result<Statement> insert = db.Prepare("INSERT INTO t VALUES (1)");
  EXPECT_FALSE(insert->Run().ok());
}

TEST_F(SqliteTest, TransactionRollsBackWhenNotCommitted) {
  Database db = OpenWriter();
  ASSERT_TRUE(db.Execute("CREATE TABLE t (a INTEGER)").ok());
  {
    Result<Transaction> txn = Transaction::Begin(db, Transaction::Kind::kImmediate);
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE(db.Execute("INSERT INTO t VALUES (1)").ok());
    EXPECT_EQ(Count(db), 1);  // visible inside
  }
  EXPECT_EQ(Count(db), 0);
  // The connection is usable again: no transaction was left open.
  EXPECT_TRUE(Transaction::Begin(db, Transaction::Kind::kImmediate).ok());
}

TEST_F(SqliteTest, CommittedTransactionPersistsAcrossReopen) {
  {
    Database db = OpenWriter();
    ASSERT_TRUE(db.Execute("CREATE TABLE t (a INTEGER)").ok());
    Result<Transaction> txn = Transaction::Begin(db, Transaction::Kind::kImmediate);
    ASSERT_TRUE(db.Execute("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(txn->Commit().ok());
    EXPECT_FALSE(txn->Commit().ok());  // finished: a second commit is a bug
  }
  Database db = OpenWriter();
  EXPECT_EQ(Count(db), 1);
}

TEST_F(SqliteTest, ExplicitRollback) {
  Database db = OpenWriter();
  ASSERT_TRUE(db.Execute("CREATE TABLE t (a INTEGER)").ok());
  Result<Transaction> txn = Transaction::Begin(db, Transaction::Kind::kImmediate);
  ASSERT_TRUE(db.Execute("INSERT INTO t VALUES (1)").ok());
  ASSERT_TRUE(txn->Rollback().ok());
  EXPECT_EQ(Count(db), 0);
}

TEST_F(SqliteTest, MovedTransactionRollsBackOnce) {
  Database db = OpenWriter();
  ASSERT_TRUE(db.Execute("CREATE TABLE t (a INTEGER)").ok());
  {
    Result<Transaction> txn = Transaction::Begin(db, Transaction::Kind::kImmediate);
    Transaction moved = std::move(txn).value();
    ASSERT_TRUE(db.Execute("INSERT INTO t VALUES (1)").ok());
  }
  EXPECT_EQ(Count(db), 0);
}

TEST_F(SqliteTest, ReaderSeesOnlyCommittedDataAndIsNotBlocked) {
  Database writer = OpenWriter();
  ASSERT_TRUE(writer.Execute("CREATE TABLE t (a INTEGER)").ok());
  Result<Database> reader = Database::Open(path_, {.mode = Database::Mode::kReadOnly});
  ASSERT_TRUE(reader.ok());

  Result<Transaction> txn = Transaction::Begin(writer, Transaction::Kind::kImmediate);
  ASSERT_TRUE(writer.Execute("INSERT INTO t VALUES (1)").ok());
  EXPECT_EQ(Count(*reader), 0);  // WAL: the open write does not block the read
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_EQ(Count(*reader), 1);
}

// The store never opens two writers (DESIGN.md section 2); this one never
// writes, it only shows how lock contention is reported.
TEST_F(SqliteTest, SecondWriterTransactionIsBusyNotCorrupt) {
  Database first = OpenWriter();
  ASSERT_TRUE(first.Execute("CREATE TABLE t (a INTEGER)").ok());
  Result<Database> second = Database::Open(path_, {.busy_timeout_ms = 10});
  ASSERT_TRUE(second.ok());
  Result<Transaction> held = Transaction::Begin(first, Transaction::Kind::kImmediate);
  ASSERT_TRUE(held.ok());
  Result<Transaction> blocked = Transaction::Begin(*second, Transaction::Kind::kImmediate);
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.status().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace trainyard::store
