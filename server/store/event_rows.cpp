#include "server/store/event_rows.h"

#include <string>

namespace trainyard::store {

const std::string_view kInsertEventSql =
    "INSERT INTO job_events (id, job_name, time, type, status, secondary_status, attempt, "
    "market, instance_type, instance_count, progress_seconds, message) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
    "ON CONFLICT (id) DO NOTHING";

const std::string_view kMaxEventIdSql = "SELECT MAX(id) FROM job_events";

const std::string_view kSelectJobStatusSql =
    "SELECT status, (SELECT IFNULL(MAX(id), 0) FROM job_events WHERE job_name = ?1) "
    "FROM jobs WHERE name = ?1";

const std::string_view kSelectEventsSql =
    "SELECT id, job_name, time, type, status, secondary_status, attempt, market, "
    "instance_type, instance_count, progress_seconds, message FROM job_events "
    "WHERE job_name = ?1 AND id > ?2 ORDER BY id LIMIT ?3";

void BindEventRow(Statement& stmt, const JobEvent& e) {
  stmt.BindInt64(1, e.id);
  stmt.BindText(2, e.job_name);
  stmt.BindDouble(3, e.time);
  stmt.BindText(4, ToString(e.type));
  stmt.BindText(5, ToString(e.status));
  stmt.BindText(6, ToString(e.secondary_status));
  stmt.BindInt64(7, e.attempt);
  if (e.market) {
    stmt.BindText(8, ToString(*e.market));
  } else {
    stmt.BindNull(8);
  }
  stmt.BindText(9, e.instance_type);
  stmt.BindInt64(10, e.instance_count);
  stmt.BindOptionalDouble(11, e.progress_seconds);
  stmt.BindText(12, e.message);
}

Result<JobEvent> ReadEventRow(const Statement& stmt) {
  JobEvent e;
  e.id = stmt.ColumnInt64(0);
  e.job_name = stmt.ColumnText(1);
  e.time = stmt.ColumnDouble(2);
  auto unknown = [&](std::string_view what, const std::string& value) {
    return Status::Internal("store: event " + std::to_string(e.id) + " of job '" + e.job_name +
                            "' has an unknown " + std::string(what) + " '" + value + "'");
  };
  const std::string type = stmt.ColumnText(3);
  auto parsed_type = ParseJobEventType(type);
  if (!parsed_type) return unknown("type", type);
  e.type = *parsed_type;
  const std::string status = stmt.ColumnText(4);
  auto parsed_status = ParseJobStatus(status);
  if (!parsed_status) return unknown("status", status);
  e.status = *parsed_status;
  const std::string secondary = stmt.ColumnText(5);
  auto parsed_secondary = ParseSecondaryStatus(secondary);
  if (!parsed_secondary) return unknown("secondary status", secondary);
  e.secondary_status = *parsed_secondary;
  e.attempt = stmt.ColumnInt(6);
  if (!stmt.ColumnIsNull(7)) {
    const std::string market = stmt.ColumnText(7);
    auto parsed_market = ParseMarket(market);
    if (!parsed_market) return unknown("market", market);
    e.market = *parsed_market;
  }
  e.instance_type = stmt.ColumnText(8);
  e.instance_count = stmt.ColumnInt(9);
  e.progress_seconds = stmt.ColumnOptionalDouble(10);
  e.message = stmt.ColumnText(11);
  return e;
}

}  // namespace trainyard::store
