// The NextToken of ListJobs: an opaque cursor for keyset pagination.
//
// A token names the last row of the page it ended: that row's sort key and
// seq, the store's insertion number that breaks ties. The next page is the
// rows strictly after (key, seq) in the query's order, found through an index
// without counting rows, so it stays right however many jobs are added
// meanwhile: a new job lands after the cursor (and is listed) or before it
// (and is not), but no existing job moves because of it. A token also holds a
// fingerprint of the query's filters and order; a token used with a different
// query is refused instead of silently giving a wrong page.
//
// Format: base64url without padding (RFC 4648 section 5, so it needs no
// escaping in a query string) of a compact JSON object
//   {"v":1,"f":"<16 hex digits>","k":<sort key>,"s":<seq>}
// where k is the name or status (a string) or the creation time (a number,
// printed with enough digits to read back the same double).
//
// Threading: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "trainyard/job.h"
#include "trainyard/job_query.h"
#include "trainyard/status.h"

namespace trainyard::store {

// Where the previous page ended. For kCreationTime the key is `number`,
// otherwise `text`.
struct PageCursor {
  std::string text;
  double number = 0;
  int64_t seq = 0;
};

// A stable digest of everything in `query` that decides which rows are listed
// and in which order (not max_results, which may change between pages, and
// not the token itself).
std::string QueryFingerprint(const JobQuery& query);

// The token for a page of `query` whose last row is `last`, stored with `seq`.
std::string EncodePageToken(const JobQuery& query, const JobSummary& last, int64_t seq);

// Reads query.next_token. REQUIRES: !query.next_token.empty().
// Validation("Invalid NextToken ...") when it does not decode or was issued
// for another query.
Result<PageCursor> DecodePageToken(const JobQuery& query);

}  // namespace trainyard::store
