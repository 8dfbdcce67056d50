// GET /v1/training-jobs/{TrainingJobName}/events: a job's history, as one
// JSON page (MaxResults, NextToken) or, with ?follow=true or
// Accept: text/event-stream, as a Server-Sent Events stream that resumes
// after Last-Event-ID and ends after the job's final event.
#pragma once

#include "api/router.h"
#include "trainyard/job_history.h"

namespace trainyard::api {

// REQUIRES: history outlives the router.
void AddEventRoutes(Router& router, JobHistory& history);

}  // namespace trainyard::api
