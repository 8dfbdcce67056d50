#include "server/store/list_jobs_sql.h"

#include <vector>

#include "server/store/job_rows.h"

namespace trainyard::store {
namespace {

enum Parameter : int {
  kStatusParam = 1,
  kNameParam,
  kCreatedAfterParam,
  kCreatedBeforeParam,
  kModifiedAfterParam,
  kModifiedBeforeParam,
  kCursorKeyParam,
  kCursorSeqParam,
  kLimitParam,
};

std::string P(Parameter p) { return "?" + std::to_string(static_cast<int>(p)); }

}  // namespace

std::string ListJobsSql(const JobQuery& query, bool with_cursor) {
  std::vector<std::string> where;
  if (query.status_equals) where.push_back("status = " + P(kStatusParam));
  // instr, not LIKE: '%' and '_' in a name filter are literal characters, and
  // instr compares bytes, so the match is case-sensitive as SageMaker's is.
  if (!query.name_contains.empty()) where.push_back("instr(name, " + P(kNameParam) + ") > 0");
  if (query.creation_time_after) where.push_back("creation_time > " + P(kCreatedAfterParam));
  if (query.creation_time_before) where.push_back("creation_time < " + P(kCreatedBeforeParam));
  if (query.last_modified_time_after) {
    where.push_back("last_modified_time > " + P(kModifiedAfterParam));
  }
  if (query.last_modified_time_before) {
    where.push_back("last_modified_time < " + P(kModifiedBeforeParam));
  }

  const bool descending = query.sort_order == SortOrder::kDescending;
  const std::string direction = descending ? " DESC" : " ASC";
  const std::string after = descending ? " < " : " > ";
  std::string order_by;
  switch (query.sort_by) {
    case JobSortBy::kName:
      // Names are unique, so the name alone is a total order and the primary
      // key index serves it; seq would add nothing.
      if (with_cursor) where.push_back("name" + after + P(kCursorKeyParam));
      order_by = "name" + direction;
      break;
    case JobSortBy::kCreationTime:
    case JobSortBy::kStatus: {
      // Row values compare lexicographically and drive a range scan of the
      // (key, seq) index.
      std::string key = query.sort_by == JobSortBy::kStatus ? "status" : "creation_time";
      if (with_cursor && query.sort_by == JobSortBy::kStatus && query.status_equals) {
        // The filter fixes the key (the fingerprint ties the token to it), and
        // "status = ? AND seq > ?" is a range SQLite scans in the (status, seq)
        // index, which the row value after an equality is not.
        where.push_back("seq" + after + P(kCursorSeqParam));
      } else if (with_cursor) {
        where.push_back("(" + key + ", seq)" + after + "(" + P(kCursorKeyParam) + ", " +
                        P(kCursorSeqParam) + ")");
      }
      order_by = key + direction + ", seq" + direction;
      break;
    }
  }

  std::string sql = "SELECT " + std::string(kSummaryColumns) + " FROM jobs";
  for (size_t i = 0; i < where.size(); ++i) {
    sql += i == 0 ? " WHERE " : " AND ";
    sql += where[i];
  }
  sql += " ORDER BY " + order_by + " LIMIT " + P(kLimitParam);
  return sql;
}

void BindListJobs(Statement& stmt, const JobQuery& query, const std::optional<PageCursor>& cursor,
                  int64_t limit) {
  if (query.status_equals) stmt.BindText(kStatusParam, ToString(*query.status_equals));
  if (!query.name_contains.empty()) stmt.BindText(kNameParam, query.name_contains);
  if (query.creation_time_after) stmt.BindDouble(kCreatedAfterParam, *query.creation_time_after);
  if (query.creation_time_before) {
    stmt.BindDouble(kCreatedBeforeParam, *query.creation_time_before);
  }
  if (query.last_modified_time_after) {
    stmt.BindDouble(kModifiedAfterParam, *query.last_modified_time_after);
  }
  if (query.last_modified_time_before) {
    stmt.BindDouble(kModifiedBeforeParam, *query.last_modified_time_before);
  }
  if (cursor) {
    if (query.sort_by == JobSortBy::kCreationTime) {
      stmt.BindDouble(kCursorKeyParam, cursor->number);
    } else {
      stmt.BindText(kCursorKeyParam, cursor->text);
    }
    // Binding a parameter the SQL does not use is harmless: ?9, the limit,
    // is always present, so ?1..?8 are all in range.
    stmt.BindInt64(kCursorSeqParam, cursor->seq);
  }
  stmt.BindInt64(kLimitParam, limit);
}

}  // namespace trainyard::store
