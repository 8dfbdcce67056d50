#include "api/observability_routes.h"

#include <spdlog/spdlog.h>

#include <future>

#include "api/errors.h"
#include "api/json_body.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

// A readiness probe that cannot get through the engine in this long says so
// rather than hanging the prober.
constexpr std::chrono::seconds kReadyTimeout{2};

constexpr const char* kRequests = "trainyard_http_requests_total";
constexpr const char* kDuration = "trainyard_http_request_duration_seconds";

void DefineEngineMetrics(MetricsRegistry& m) {
  m.DefineGauge("trainyard_jobs", "Training jobs stored, by TrainingJobStatus.");
  m.DefineCounter("trainyard_jobs_created_total", "Training jobs created since start.");
  m.DefineCounter("trainyard_jobs_completed_total", "Training jobs completed since start.");
  m.DefineCounter("trainyard_jobs_stopped_total", "Training jobs stopped (by request or a limit) since start.");
  m.DefineCounter("trainyard_jobs_failed_total", "Training jobs failed since start.");
  m.DefineCounter("trainyard_spot_interruptions_total", "Spot attempts reclaimed, by instance type, since start.");
  m.DefineGauge("trainyard_pool_capacity_instances", "Pool capacity in instances, by instance type and market.");
  m.DefineGauge("trainyard_pool_in_use_instances", "Instances in use, by instance type and market.");
  m.DefineGauge("trainyard_pool_waiting_jobs", "Jobs waiting for capacity, by instance type and market.");
  m.DefineGauge("trainyard_spot_price_dollars_per_hour", "Spot price per instance-hour now, by instance type.");
  m.DefineCounter("trainyard_cost_dollars_total", "What finished jobs cost, since start.");
  m.DefineCounter("trainyard_on_demand_equivalent_cost_dollars_total", "What finished jobs would have cost once, uninterrupted, on on-demand.");
  m.DefineCounter("trainyard_net_savings_dollars_total", "On-demand equivalent minus actual cost of finished jobs.");
  m.DefineGauge("trainyard_engine_queue_depth", "Commands waiting for the engine thread.");
  m.DefineGauge("trainyard_engine_pending_events", "Simulated events scheduled.");
  m.DefineGauge("trainyard_event_followers", "Open job event streams (GET .../events?follow=true).");
  m.DefineGauge("trainyard_virtual_time_seconds", "The engine's virtual time, epoch seconds.");
}

// Engine counters are kept by the engine; the registry shows a snapshot, so
// they are set (not added) at each scrape.
void Snapshot(MetricsRegistry& m, const EngineStats& stats,
              const std::map<JobStatus, int64_t>& counts, const std::vector<PoolStatus>& pools) {
  for (JobStatus s : {JobStatus::kInProgress, JobStatus::kCompleted, JobStatus::kFailed,
                      JobStatus::kStopping, JobStatus::kStopped}) {
    auto it = counts.find(s);
    m.Set("trainyard_jobs", {{"status", std::string(ToString(s))}}, it == counts.end() ? 0 : it->second);
  }
  m.Set("trainyard_jobs_created_total", {}, stats.jobs_created);
  m.Set("trainyard_jobs_completed_total", {}, stats.jobs_completed);
  m.Set("trainyard_jobs_stopped_total", {}, stats.jobs_stopped);
  m.Set("trainyard_jobs_failed_total", {}, stats.jobs_failed);
  m.Set("trainyard_cost_dollars_total", {}, stats.actual_cost);
  m.Set("trainyard_on_demand_equivalent_cost_dollars_total", {}, stats.on_demand_equivalent_cost);
  m.Set("trainyard_net_savings_dollars_total", {}, stats.net_savings);
  m.Set("trainyard_engine_queue_depth", {}, static_cast<double>(stats.queue_depth));
  m.Set("trainyard_engine_pending_events", {}, static_cast<double>(stats.pending_events));
  m.Set("trainyard_event_followers", {}, static_cast<double>(stats.event_followers));
  m.Set("trainyard_virtual_time_seconds", {}, stats.virtual_now);
  for (const PoolStatus& p : pools) {
    const std::string& type = p.instance_type;
    m.Set("trainyard_spot_interruptions_total", {{"instance_type", type}}, static_cast<double>(p.interruptions));
    m.Set("trainyard_pool_capacity_instances", {{"instance_type", type}, {"market", "OnDemand"}}, p.on_demand_capacity);
    m.Set("trainyard_pool_capacity_instances", {{"instance_type", type}, {"market", "Spot"}}, p.spot_capacity);
    m.Set("trainyard_pool_in_use_instances", {{"instance_type", type}, {"market", "OnDemand"}}, p.on_demand_in_use);
    m.Set("trainyard_pool_in_use_instances", {{"instance_type", type}, {"market", "Spot"}}, p.spot_in_use);
    m.Set("trainyard_pool_waiting_jobs", {{"instance_type", type}, {"market", "OnDemand"}}, p.on_demand_waiting_jobs);
    m.Set("trainyard_pool_waiting_jobs", {{"instance_type", type}, {"market", "Spot"}}, p.spot_waiting_jobs);
    m.Set("trainyard_spot_price_dollars_per_hour", {{"instance_type", type}}, p.spot_price_per_hour);
  }
}

void Ready(JobService& jobs, EngineControl& engine, Respond respond) {
  auto result = std::make_shared<std::promise<Status>>();
  std::future<Status> ping = result->get_future();
  engine.Ping([result](Status s) { result->set_value(std::move(s)); });
  if (ping.wait_for(kReadyTimeout) != std::future_status::ready) {
    return respond(ErrorResponse(503, "ServiceUnavailable", "The engine did not answer within 2 s"));
  }
  Status s = ping.get();
  if (!s.ok()) {
    return respond(ErrorResponse(503, "ServiceUnavailable", "Not ready: " + s.message()));
  }
  auto counts = jobs.CountJobsByStatus();
  if (!counts.ok()) {
    return respond(ErrorResponse(503, "ServiceUnavailable", "The store cannot be read: " + counts.status().message()));
  }
  respond(JsonResponse(200, {{"status", "ready"}}));
}

}  // namespace

void AddObservabilityRoutes(Router& router, JobService& jobs, EngineControl& engine,
                            MetricsRegistry& metrics) {
  DefineEngineMetrics(metrics);
  router.Add("GET", "/readyz", [&jobs, &engine](const ApiRequest&, const Router::Captures&, Respond respond) {
    Ready(jobs, engine, std::move(respond));
  });
  router.Add("GET", "/metrics", [&jobs, &engine, &metrics](const ApiRequest&, const Router::Captures&,
                                                          Respond respond) {
    auto counts = jobs.CountJobsByStatus();
    EngineStats stats = engine.Stats();
    engine.Capacity([&metrics, respond, stats,
                     counts = counts.ok() ? *counts : std::map<JobStatus, int64_t>{}](
                        std::vector<PoolStatus> pools) {
      Snapshot(metrics, stats, counts, pools);
      ApiResponse response;
      response.content_type = "text/plain; version=0.0.4; charset=utf-8";
      response.body = metrics.Render();
      respond(std::move(response));
    });
  });
}

void ObserveRequests(Router& router, MetricsRegistry& metrics) {
  metrics.DefineCounter(kRequests, "HTTP requests answered, by route and status code.");
  metrics.DefineHistogram(kDuration, "Time to answer an HTTP request, by route.",
                          {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5});
  router.SetObserver([&metrics](const ApiRequest& request, const std::string& route,
                                const ApiResponse& response, double seconds) {
    metrics.Add(kRequests, {{"route", route}, {"code", std::to_string(response.status)}}, 1);
    metrics.Observe(kDuration, {{"route", route}}, seconds);
    spdlog::info("access method={} route=\"{}\" path=\"{}\" status={} bytes={} duration_ms={:.3f} request_id={}",
                 request.method, route, request.path, response.status, response.body.size(),
                 seconds * 1000, request.Header("x-request-id"));
  });
}

}  // namespace trainyard::api
