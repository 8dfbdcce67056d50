// ListTrainingJobs as a domain query: filters, order and one page.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "trainyard/job.h"

namespace trainyard {

enum class JobSortBy { kName, kCreationTime, kStatus };
enum class SortOrder { kAscending, kDescending };

struct JobQuery {
  std::optional<JobStatus> status_equals;
  std::string name_contains;  // empty: no filter; case-sensitive substring
  std::optional<double> creation_time_after;   // exclusive, as SageMaker
  std::optional<double> creation_time_before;  // exclusive
  std::optional<double> last_modified_time_after;
  std::optional<double> last_modified_time_before;
  JobSortBy sort_by = JobSortBy::kCreationTime;
  SortOrder sort_order = SortOrder::kAscending;
  int max_results = 10;    // 1..100, validated by the caller
  std::string next_token;  // opaque, from a previous JobPage; empty for the first page
};

struct JobPage {
  std::vector<JobSummary> jobs;
  std::string next_token;  // empty when there are no more
};

}  // namespace trainyard
