// GET /v1/cost-report: totals and groups of cost and savings over the stored
// jobs, as JSON or (Accept: text/csv) CSV.
#pragma once

#include "api/router.h"
#include "trainyard/catalogue.h"
#include "trainyard/job_service.h"

namespace trainyard::api {

// REQUIRES: jobs and catalogue outlive the router.
void AddCostReportRoute(Router& router, JobService& jobs, const Catalogue& catalogue,
                        double upload_seconds);

}  // namespace trainyard::api
