#include "server/store/job_rows.h"

// The child tables of a job (transitions, attempts, tags) and the meta table.

#include <string>

namespace trainyard::store {
namespace {

std::string BuildUnfinishedChildSql(std::string_view child_columns, std::string_view join) {
  return "SELECT c.job_name, " + std::string(child_columns) +
         " FROM jobs j JOIN " + std::string(join) + " WHERE j.status IN (" +
         UnfinishedStatusPlaceholders() + ")";
}

}  // namespace

std::string_view SelectUnfinishedTransitionsSql() {
  static const std::string sql = BuildUnfinishedChildSql(
      "c.idx, c.status, c.start_time, c.end_time, c.message",
      "transitions c ON c.job_name = j.name") + " ORDER BY c.job_name, c.idx";
  return sql;
}

std::string_view SelectUnfinishedAttemptsSql() {
  static const std::string sql =
      BuildUnfinishedChildSql(
          "c.number, c.market, c.start_time, c.end_time, c.outcome, c.progress_at_start, "
          "c.progress_at_end, c.billed_seconds, c.billable_seconds, c.cost",
          "attempts c ON c.job_name = j.name") +
      " ORDER BY c.job_name, c.number";
  return sql;
}

std::string_view SelectUnfinishedTagsSql() {
  static const std::string sql =
      BuildUnfinishedChildSql("c.idx, c.key, c.value", "tags c ON c.job_name = j.name") +
      " ORDER BY c.job_name, c.idx";
  return sql;
}

// The DO UPDATE ... WHERE skips rows that did not change: a job saved after
// each transition rewrites only its newest one or two transitions.
const std::string_view kUpsertTransitionSql =
    "INSERT INTO transitions (job_name, idx, status, start_time, end_time, message) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (job_name, idx) DO UPDATE SET "
    "status = excluded.status, start_time = excluded.start_time, "
    "end_time = excluded.end_time, message = excluded.message "
    "WHERE status IS NOT excluded.status OR start_time IS NOT excluded.start_time "
    "OR end_time IS NOT excluded.end_time OR message IS NOT excluded.message";
const std::string_view kDeleteTransitionsFromSql =
    "DELETE FROM transitions WHERE job_name = ?1 AND idx >= ?2";

const std::string_view kUpsertAttemptSql =
    "INSERT INTO attempts (job_name, number, market, start_time, end_time, outcome, "
    "progress_at_start, progress_at_end, billed_seconds, billable_seconds, cost) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
    "ON CONFLICT (job_name, number) DO UPDATE SET "
    "market = excluded.market, start_time = excluded.start_time, end_time = excluded.end_time, "
    "outcome = excluded.outcome, progress_at_start = excluded.progress_at_start, "
    "progress_at_end = excluded.progress_at_end, billed_seconds = excluded.billed_seconds, "
    "billable_seconds = excluded.billable_seconds, cost = excluded.cost "
    "WHERE market IS NOT excluded.market OR start_time IS NOT excluded.start_time "
    "OR end_time IS NOT excluded.end_time OR outcome IS NOT excluded.outcome "
    "OR progress_at_start IS NOT excluded.progress_at_start "
    "OR progress_at_end IS NOT excluded.progress_at_end "
    "OR billed_seconds IS NOT excluded.billed_seconds "
    "OR billable_seconds IS NOT excluded.billable_seconds OR cost IS NOT excluded.cost";
const std::string_view kDeleteAttemptsAfterSql =
    "DELETE FROM attempts WHERE job_name = ?1 AND number > ?2";

const std::string_view kInsertTagSql =
    "INSERT INTO tags (job_name, idx, key, value) VALUES (?1, ?2, ?3, ?4)";

const std::string_view kSelectTransitionsSql =
    "SELECT idx, status, start_time, end_time, message FROM transitions "
    "WHERE job_name = ?1 ORDER BY idx";
const std::string_view kSelectAttemptsSql =
    "SELECT number, market, start_time, end_time, outcome, progress_at_start, progress_at_end, "
    "billed_seconds, billable_seconds, cost FROM attempts WHERE job_name = ?1 ORDER BY number";
const std::string_view kSelectTagsSql =
    "SELECT idx, key, value FROM tags WHERE job_name = ?1 ORDER BY idx";

const std::string_view kUpsertMetaSql =
    "INSERT INTO meta (key, value) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
const std::string_view kSelectMetaSql = "SELECT value FROM meta WHERE key = ?1";

void BindTransitionRow(Statement& stmt, std::string_view job_name, int idx,
                       const StatusTransition& t) {
  stmt.BindText(1, job_name);
  stmt.BindInt64(2, idx);
  stmt.BindText(3, ToString(t.status));
  stmt.BindDouble(4, t.start_time);
  stmt.BindOptionalDouble(5, t.end_time);
  stmt.BindText(6, t.message);
}

void BindAttemptRow(Statement& stmt, std::string_view job_name, const Attempt& a) {
  stmt.BindText(1, job_name);
  stmt.BindInt64(2, a.number);
  stmt.BindText(3, ToString(a.market));
  stmt.BindDouble(4, a.start_time);
  stmt.BindOptionalDouble(5, a.end_time);
  stmt.BindText(6, a.outcome);
  stmt.BindDouble(7, a.progress_at_start);
  stmt.BindDouble(8, a.progress_at_end);
  stmt.BindDouble(9, a.billed_seconds);
  stmt.BindDouble(10, a.billable_seconds);
  stmt.BindDouble(11, a.cost);
}

Result<StatusTransition> ReadTransitionRow(const Statement& stmt, int first) {
  StatusTransition t;
  // Column `first` is idx: the order is the query's, the value is not needed.
  std::string status = stmt.ColumnText(first + 1);
  std::optional<SecondaryStatus> parsed = ParseSecondaryStatus(status);
  if (!parsed) return Status::Internal("store: transition with unknown status '" + status + "'");
  t.status = *parsed;
  t.start_time = stmt.ColumnDouble(first + 2);
  t.end_time = stmt.ColumnOptionalDouble(first + 3);
  t.message = stmt.ColumnText(first + 4);
  return t;
}

Result<Attempt> ReadAttemptRow(const Statement& stmt, int first) {
  Attempt a;
  a.number = stmt.ColumnInt(first);
  std::string market = stmt.ColumnText(first + 1);
  std::optional<Market> parsed = ParseMarket(market);
  if (!parsed) return Status::Internal("store: attempt with unknown market '" + market + "'");
  a.market = *parsed;
  a.start_time = stmt.ColumnDouble(first + 2);
  a.end_time = stmt.ColumnOptionalDouble(first + 3);
  a.outcome = stmt.ColumnText(first + 4);
  a.progress_at_start = stmt.ColumnDouble(first + 5);
  a.progress_at_end = stmt.ColumnDouble(first + 6);
  a.billed_seconds = stmt.ColumnDouble(first + 7);
  a.billable_seconds = stmt.ColumnDouble(first + 8);
  a.cost = stmt.ColumnDouble(first + 9);
  return a;
}

std::pair<std::string, std::string> ReadTagRow(const Statement& stmt, int first) {
  // Column `first` is idx, used only for order.
  return {stmt.ColumnText(first + 1), stmt.ColumnText(first + 2)};
}

}  // namespace trainyard::store
