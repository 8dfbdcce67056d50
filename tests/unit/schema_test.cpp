#include "server/store/schema.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/scratch_dir.h"

namespace trainyard::store {
namespace {

class SchemaTest : public ::testing::Test {
 protected:

  Database Open() {
    Result<Database> db = Database::Open(path_, {});
    EXPECT_TRUE(db.ok()) << db.status().message();
    return std::move(db).value();
  }

  bool TableExists(Database& db, const std::string& name) {
    Result<Statement> stmt =
        db.Prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'index') AND name = ?1");
    stmt->BindText(1, name);
    return *stmt->Step();
  }

  testing::ScratchDir dir_{"schema"};
  std::string path_ = dir_.File("test.db");
};

TEST_F(SchemaTest, MigratesEmptyFileToCurrent) {
  Database db = Open();
  EXPECT_EQ(*SchemaVersion(db), 0);
  ASSERT_TRUE(MigrateSchema(db).ok());
  EXPECT_EQ(*SchemaVersion(db), CurrentSchemaVersion());
  EXPECT_GE(CurrentSchemaVersion(), 1);
  for (const char* name : {"jobs", "transitions", "attempts", "tags", "meta",
                           "jobs_by_creation_time", "jobs_by_status", "jobs_by_status_creation_time",
                           "jobs_by_last_modified_time"}) {
    EXPECT_TRUE(TableExists(db, name)) << name;
  }
}

TEST_F(SchemaTest, ReopenIsIdempotent) {
  {
    Database db = Open();
    ASSERT_TRUE(MigrateSchema(db).ok());
    ASSERT_TRUE(db.Execute("INSERT INTO meta (key, value) VALUES ('probe', 1)").ok());
  }
  Database db = Open();
  ASSERT_TRUE(MigrateSchema(db).ok());
  ASSERT_TRUE(MigrateSchema(db).ok());
  EXPECT_EQ(*SchemaVersion(db), CurrentSchemaVersion());
  EXPECT_EQ(*db.QueryInt64("SELECT COUNT(*) FROM meta WHERE key = 'probe'"), 1);
}

TEST_F(SchemaTest, NewerVersionIsRefusedAndLeftAlone) {
  {
    Database db = Open();
    ASSERT_TRUE(MigrateSchema(db).ok());
    ASSERT_TRUE(db.Execute("PRAGMA user_version = 99").ok());
  }
  Database db = Open();
  Status s = MigrateSchema(db);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("99"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("newer"), std::string::npos) << s.message();
  EXPECT_EQ(*SchemaVersion(db), 99);
}

TEST_F(SchemaTest, StepsRunInOrderEachWithItsVersion) {
  const Migration steps[] = {
      {"CREATE TABLE a (x INTEGER)"},
      {"CREATE TABLE b (x INTEGER)"},
  };
  Database db = Open();
  ASSERT_TRUE(MigrateSchema(db, std::span(steps, 1)).ok());
  EXPECT_EQ(*SchemaVersion(db), 1);
  EXPECT_FALSE(TableExists(db, "b"));
  ASSERT_TRUE(MigrateSchema(db, steps).ok());
  EXPECT_EQ(*SchemaVersion(db), 2);
  EXPECT_TRUE(TableExists(db, "b"));
}

TEST_F(SchemaTest, FailingStepRollsBackItselfOnly) {
  const Migration steps[] = {
      {"CREATE TABLE a (x INTEGER)"},
      // The first statement succeeds, the second fails: neither may remain.
      {"CREATE TABLE b (x INTEGER); CREATE TABLE a (x INTEGER)"},
  };
  Database db = Open();
  Status s = MigrateSchema(db, steps);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("version 2"), std::string::npos) << s.message();
  EXPECT_EQ(*SchemaVersion(db), 1);
  EXPECT_TRUE(TableExists(db, "a"));
  EXPECT_FALSE(TableExists(db, "b"));
}

}  // namespace
}  // namespace trainyard::store
