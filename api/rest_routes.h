// The REST API of DESIGN.md section 5: thin handlers that parse, call one
// JobService function, and map the result to a response.
#pragma once

#include "api/job_json.h"
#include "api/router.h"
#include "trainyard/catalogue.h"
#include "trainyard/job_service.h"

namespace trainyard::api {

struct RestContext {
  JobService* jobs = nullptr;           // REQUIRES: outlives the router
  const Catalogue* catalogue = nullptr;  // REQUIRES: outlives the router
  double upload_seconds = 60;            // the engine's, for on-demand-equivalent costs
  ArnScope arn_scope;
};

void AddRestRoutes(Router& router, const RestContext& context);

}  // namespace trainyard::api
