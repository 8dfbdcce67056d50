// Monitoring: GET /readyz, GET /metrics (Prometheus text format), and the
// per-request observer that feeds the HTTP metrics and the access log.
#pragma once

#include "api/metrics_registry.h"
#include "api/router.h"
#include "trainyard/engine_control.h"
#include "trainyard/job_service.h"

namespace trainyard::api {

// REQUIRES: every argument outlives the router.
void AddObservabilityRoutes(Router& router, JobService& jobs, EngineControl& engine,
                            MetricsRegistry& metrics);

// Records trainyard_http_requests_total and
// trainyard_http_request_duration_seconds, and writes one access-log line
// per request (method, route, status, bytes, duration, request id).
void ObserveRequests(Router& router, MetricsRegistry& metrics);

}  // namespace trainyard::api
