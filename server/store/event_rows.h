// Row <-> struct mapping for `job_events` (schema version 2): the SQL of
// every statement that touches a job's history, beside the code that binds
// or reads its columns, so the two change together.
//
// Threading: stateless; statements follow their connection's rules.
#pragma once

#include <string_view>

#include "server/store/sqlite.h"
#include "trainyard/job_event.h"
#include "trainyard/status.h"

namespace trainyard::store {

// Parameters: BindEventRow. An id already stored is left as it is.
extern const std::string_view kInsertEventSql;
// One row: MAX(id) or NULL.
extern const std::string_view kMaxEventIdSql;
// ?1 job name; two columns, the job's status and its largest event id (0
// when none); no row when there is no job.
extern const std::string_view kSelectJobStatusSql;
// ?1 job name, ?2 after id, ?3 limit. Columns: ReadEventRow from 0.
extern const std::string_view kSelectEventsSql;

void BindEventRow(Statement& stmt, const JobEvent& event);
Result<JobEvent> ReadEventRow(const Statement& stmt);

}  // namespace trainyard::store
