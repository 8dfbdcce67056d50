// The `trainyard simulate --jobs FILE.jsonl` format: one job per line,
//
//   {"SubmitTime": <seconds from the simulation's start>, "Request": <CreateTrainingJob request>}
//
// Each Request is validated by api::ParseCreateTrainingJob against the
// catalogue, so a workload is held to exactly the rules the server applies
// to POST /v1/training-jobs. Names must be unique across the file, as the
// server would answer ResourceInUse to a second create. Blank lines are
// skipped; line numbers count every physical line from 1.
//
// Threading: ParseWorkloadLine is a pure function, safe from any thread.
// ReadWorkload validates batches of lines on threads of its own (validation
// dominates reading a large file) and returns everything in line order, so
// its result does not depend on the number of cores.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "trainyard/catalogue.h"
#include "trainyard/job.h"
#include "trainyard/status.h"

namespace trainyard {

// SubmitTime may not be later than this: the market ticks every hour of
// simulated time, so an absurd SubmitTime would mean an absurd run.
inline constexpr double kMaxSubmitSeconds = 10.0 * 366 * 86400;  // about ten years
// A line may be as long as the server's default request body limit
// (--max-body-bytes): a Request the server would refuse as too large is
// refused here too.
inline constexpr size_t kMaxLineBytes = size_t{1} << 20;

struct WorkloadJob {
  double submit_time = 0;  // seconds from the simulation's start
  size_t line = 0;         // 1-based line of the file
  // What the engine runs. Members the engine never reads (the request
  // document, output path and tags) are dropped to keep 100k jobs small.
  JobSpec spec;
};

// A deque, not a vector: 100k jobs grow it without the copies, and the
// doubled peak of memory, of a vector's reallocations.
using WorkloadJobs = std::deque<WorkloadJob>;

// A whole file as read: its good jobs and what was wrong with the others.
struct WorkloadFile {
  WorkloadJobs jobs;                // in file order
  std::vector<std::string> errors;  // "line N: message", the first max_errors of them
  size_t bad_lines = 0;             // all of them, reported or not
};

// One non-blank line; the error message does not carry the line number.
Result<WorkloadJob> ParseWorkloadLine(std::string_view line, const Catalogue& catalogue);

// Reads every line; keeps going after a bad one so that all of them are
// counted (and the first `max_errors` reported) in one run. `progress`, if
// given, is told the number of lines read after every few thousand.
WorkloadFile ReadWorkload(std::istream& in, const Catalogue& catalogue, size_t max_errors,
                          const std::function<void(size_t lines)>& progress = nullptr);

// The jobs in submission order: by SubmitTime, ties in file order.
std::vector<size_t> SubmissionOrder(const WorkloadJobs& jobs);

}  // namespace trainyard
