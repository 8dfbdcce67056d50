// The store's schema and its migrations.
//
// The schema version lives in `PRAGMA user_version`. Each migration step runs
// in its own BEGIN IMMEDIATE transaction together with the version bump, so a
// crash or an error leaves the file at the last complete version, never
// between two. A file whose version is newer than this build knows is refused
// rather than guessed at: an older binary must not write to a newer schema.
//
// Threading: call on the writer connection before any other use of it.
#pragma once

#include <span>
#include <string_view>

#include "server/store/sqlite.h"
#include "trainyard/status.h"

namespace trainyard::store {

// One step: the SQL that takes the schema from version N-1 to N, where N is
// the step's position in the list, counting from 1.
struct Migration {
  std::string_view sql;
};

// The version a freshly migrated file has.
int CurrentSchemaVersion();

// Brings `db` to CurrentSchemaVersion().
Status MigrateSchema(Database& db);

// Brings `db` to version `steps.size()` using `steps`; exposed so tests can run
// a list with a failing step.
Status MigrateSchema(Database& db, std::span<const Migration> steps);

// Reads PRAGMA user_version.
Result<int> SchemaVersion(Database& db);

}  // namespace trainyard::store
