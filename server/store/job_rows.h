// Row <-> struct mapping for the job tables (job_rows.cpp for `jobs`,
// job_child_rows.cpp for transitions, attempts, tags and meta): the SQL text of every statement
// that touches a job, and the functions that bind a TrainingJob to those
// statements and rebuild one from their rows. A column list and the code that
// binds or reads it live side by side here, so they change together.
//
// Threading: stateless; the statements passed in follow their connection's
// rules (see sqlite.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "server/store/sqlite.h"
#include "trainyard/job.h"
#include "trainyard/status.h"

namespace trainyard::store {

// Inserts a job, or replaces every column but `seq`, `creation_time` (both
// fixed at insert, as the list orders rely on) and `request_document` (the
// request as accepted) when the name exists.
// Parameters: BindJobRow. Returns one row: the stored seq, which equals the
// seq bound only when the row was inserted.
std::string_view UpsertJobSql();
// Parameter ?1: name. Columns: ReadJobRow.
std::string_view SelectJobByNameSql();
// Every job whose status is not terminal, ordered by seq. Parameters: bind
// them with BindUnfinishedStatuses. Columns: ReadJobRow.
std::string_view SelectUnfinishedJobsSql();
extern const std::string_view kJobExistsSql;  // ?1: name
extern const std::string_view kMaxSeqSql;     // one row: MAX(seq) or NULL

// Children. Upserts: BindTransitionRow / BindAttemptRow. Deletes: ?1 name and
// ?2 the first idx (transitions) or last number (attempts) to keep.
extern const std::string_view kUpsertTransitionSql;
extern const std::string_view kDeleteTransitionsFromSql;
extern const std::string_view kUpsertAttemptSql;
extern const std::string_view kDeleteAttemptsAfterSql;
extern const std::string_view kInsertTagSql;  // ?1 name, ?2 idx, ?3 key, ?4 value

// Children of one job (?1 name), in order; columns from 0 as the Read*Row
// functions expect.
extern const std::string_view kSelectTransitionsSql;
extern const std::string_view kSelectAttemptsSql;
extern const std::string_view kSelectTagsSql;
// Children of every unfinished job: column 0 is the job name, the row follows
// from column 1. Parameters: BindUnfinishedStatuses. Ordered by job, then
// idx or number.
std::string_view SelectUnfinishedTransitionsSql();
std::string_view SelectUnfinishedAttemptsSql();
std::string_view SelectUnfinishedTagsSql();

extern const std::string_view kUpsertMetaSql;  // ?1 key, ?2 value
extern const std::string_view kSelectMetaSql;  // ?1 key; one column

// The columns ListJobs selects, in ReadSummaryRow's order; the last is seq.
extern const std::string_view kSummaryColumns;

// "?1, ?2, ..." for the non-terminal statuses, and the binding of them, for
// the Unfinished queries.
std::string UnfinishedStatusPlaceholders();
void BindUnfinishedStatuses(Statement& stmt);
void BindJobRow(Statement& stmt, const TrainingJob& job, int64_t seq);
void BindTransitionRow(Statement& stmt, std::string_view job_name, int idx,
                       const StatusTransition& t);
void BindAttemptRow(Statement& stmt, std::string_view job_name, const Attempt& a);

// Rebuild values from the current row; `first` is the index of the row's
// first column. A value the domain does not know (an enum name written by a
// newer build, say) is an Internal error naming the job.
Result<TrainingJob> ReadJobRow(const Statement& stmt);
Result<StatusTransition> ReadTransitionRow(const Statement& stmt, int first);
Result<Attempt> ReadAttemptRow(const Statement& stmt, int first);
std::pair<std::string, std::string> ReadTagRow(const Statement& stmt, int first);
// Fills `summary` and `seq` from a row of kSummaryColumns.
Status ReadSummaryRow(const Statement& stmt, JobSummary* summary, int64_t* seq);

}  // namespace trainyard::store
