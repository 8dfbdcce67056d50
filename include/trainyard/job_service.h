// JobService: what the wire layers (REST, AWS JSON) may ask of the engine.
//
// Commands (Create, Stop) are queued to the engine thread, which alone
// mutates jobs; `done` runs on that thread once the change is durable (group
// commit), so a client is never told of a state the store does not hold.
// `done` must be cheap and must not block: hand the result to another thread.
// Reads (Describe, List) go to the store's read connections and may be called
// from any thread.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trainyard/job.h"
#include "trainyard/job_query.h"
#include "trainyard/status.h"

namespace trainyard {

class JobService {
 public:
  using JobDone = std::function<void(Result<TrainingJob>)>;

  virtual ~JobService() = default;

  // `job` carries spec, arn and request_document; the engine stamps times
  // and status. InUse when the name is taken.
  virtual void CreateJob(TrainingJob job, JobDone done) = 0;

  // StopTrainingJob. NotFound, or Validation when the job already ended
  // Completed or Failed; stopping a stopping or stopped job is a no-op.
  virtual void StopJob(std::string name, JobDone done) = 0;

  // AddTags: an existing key takes the new value in place, new keys are
  // appended. Validation when the job would pass 50 tags; NotFound.
  virtual void AddTags(std::string name, std::vector<std::pair<std::string, std::string>> tags,
                       JobDone done) = 0;
  // DeleteTags: removes the keys; absent keys are ignored. NotFound.
  virtual void DeleteTags(std::string name, std::vector<std::string> keys, JobDone done) = 0;

  virtual Result<TrainingJob> DescribeJob(std::string_view name) = 0;
  virtual Result<JobPage> ListJobs(const JobQuery& query) = 0;
  virtual Result<std::map<JobStatus, int64_t>> CountJobsByStatus() = 0;
};

}  // namespace trainyard
