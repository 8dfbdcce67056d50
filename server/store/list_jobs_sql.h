// The SELECT behind ListJobs: one statement per combination of filters and
// order, with the page cursor as a keyset condition, so that a page costs an
// index range scan whatever its depth.
//
// Parameters have fixed numbers whatever the filters, so the SQL text alone
// identifies the statement and can key a statement cache:
//   ?1 status  ?2 name substring  ?3/?4 creation after/before
//   ?5/?6 last modified after/before  ?7/?8 cursor key and seq  ?9 limit
//
// Threading: pure functions; the statement follows its connection's rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "server/store/page_token.h"
#include "server/store/sqlite.h"
#include "trainyard/job_query.h"

namespace trainyard::store {

// The SQL for `query`; `with_cursor` adds the "after the previous page" clause.
// Columns: kSummaryColumns (job_rows.h).
std::string ListJobsSql(const JobQuery& query, bool with_cursor);

// Binds the filters, the cursor (when set) and `limit` to a statement prepared
// from ListJobsSql(query, cursor.has_value()).
void BindListJobs(Statement& stmt, const JobQuery& query, const std::optional<PageCursor>& cursor,
                  int64_t limit);

}  // namespace trainyard::store
