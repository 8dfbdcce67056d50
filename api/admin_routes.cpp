#include "api/admin_routes.h"

#include "api/errors.h"
#include "api/job_json.h"
#include "api/job_name.h"
#include "api/json_body.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

// One call may move the clock by at most a year: enough for any job
// (MaxRuntime <= 28 days) and bounded so a typo cannot spin the engine.
constexpr double kMaxAdvanceSeconds = 366.0 * 86400;

std::optional<ApiResponse> RequireJsonBody(const ApiRequest& request) {
  if (request.body.empty()) return std::nullopt;
  const std::string& type = request.Header("content-type");
  if (IsJsonContentType(type)) return std::nullopt;
  return UnsupportedMediaType(type);
}

json ClockJson(const ClockView& clock) {
  return {{"Now", clock.now},
          {"Mode", clock.manual ? "manual" : "real"},
          {"TimeScale", clock.time_scale}};
}

void AdvanceClock(EngineControl& engine, const ApiRequest& request, Respond respond) {
  if (auto bad = RequireJsonBody(request)) return respond(std::move(*bad));
  auto body = ParseJsonObjectBody(request, {"Seconds"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  if (!body->contains("Seconds")) {
    return respond(ErrorResponse(Status::Validation("Seconds is required")));
  }
  std::optional<double> seconds;
  if (Status s = ReadNumberMember(*body, "Seconds", 0, kMaxAdvanceSeconds, seconds); !s.ok()) {
    return respond(ErrorResponse(s));
  }
  engine.AdvanceClock(*seconds, [&engine, respond](Result<double> now) {
    if (!now.ok()) return respond(ErrorResponse(now.status()));
    ClockView view = engine.Clock();
    view.now = *now;
    respond(JsonResponse(200, ClockJson(view)));
  });
}

void Interrupt(EngineControl& engine, const ApiRequest& request, const std::string& type,
               Respond respond) {
  if (auto bad = RequireJsonBody(request)) return respond(std::move(*bad));
  auto body = ParseJsonObjectBody(request, {"Count"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  std::optional<int64_t> count = 1;
  if (Status s = ReadIntegerMember(*body, "Count", 1, 100000, count); !s.ok()) {
    return respond(ErrorResponse(s));
  }
  engine.InterruptSpot(type, static_cast<int>(*count), [type, respond](Result<int> noticed) {
    if (!noticed.ok()) return respond(ErrorResponse(noticed.status()));
    respond(JsonResponse(200, {{"InstanceType", type}, {"InstancesNoticed", *noticed}}));
  });
}

void UpdatePool(EngineControl& engine, const ApiRequest& request, const std::string& type,
                Respond respond) {
  if (auto bad = RequireJsonBody(request)) return respond(std::move(*bad));
  auto body = ParseJsonObjectBody(request, {"OnDemandCapacity", "SpotCapacity",
                                            "OnDemandPricePerHour", "SpotPriceRatio",
                                            "InterruptionRatePerHour"});
  if (!body.ok()) return respond(ErrorResponse(body.status()));
  if (body->empty()) {
    return respond(ErrorResponse(Status::Validation(
        "Give at least one of OnDemandCapacity, SpotCapacity, OnDemandPricePerHour, "
        "SpotPriceRatio, InterruptionRatePerHour")));
  }
  std::optional<int64_t> on_demand, spot;
  std::optional<double> price, ratio, rate;
  Status s;
  if (!(s = ReadIntegerMember(*body, "OnDemandCapacity", 0, 1'000'000, on_demand)).ok() ||
      !(s = ReadIntegerMember(*body, "SpotCapacity", 0, 1'000'000, spot)).ok() ||
      !(s = ReadNumberMember(*body, "OnDemandPricePerHour", 0.0001, 1e6, price)).ok() ||
      !(s = ReadNumberMember(*body, "SpotPriceRatio", 0.01, 1, ratio)).ok() ||
      !(s = ReadNumberMember(*body, "InterruptionRatePerHour", 0, 100, rate)).ok()) {
    return respond(ErrorResponse(s));
  }
  PoolUpdate update;
  if (on_demand) update.on_demand_capacity = static_cast<int>(*on_demand);
  if (spot) update.spot_capacity = static_cast<int>(*spot);
  update.on_demand_price_per_hour = price;
  update.spot_price_ratio = ratio;
  update.interruption_rate_per_hour = rate;
  engine.UpdatePool(type, update, [respond](Result<PoolStatus> pool) {
    if (!pool.ok()) return respond(ErrorResponse(pool.status()));
    respond(JsonResponse(200, PoolStatusJson(*pool)));
  });
}

void FailJob(EngineControl& engine, const std::string& name, Respond respond) {
  if (Status s = CheckTrainingJobName(name); !s.ok()) return respond(ErrorResponse(s));
  engine.FailJob(name, [respond](Result<TrainingJob> job) {
    if (!job.ok()) return respond(ErrorResponse(job.status()));
    respond(JsonResponse(200, JobStateJson(*job)));
  });
}

}  // namespace

json PoolStatusJson(const PoolStatus& p) {
  return {{"InstanceType", p.instance_type},
          {"OnDemandCapacity", p.on_demand_capacity},
          {"SpotCapacity", p.spot_capacity},
          {"OnDemandInUse", p.on_demand_in_use},
          {"SpotInUse", p.spot_in_use},
          {"OnDemandWaitingJobs", p.on_demand_waiting_jobs},
          {"SpotWaitingJobs", p.spot_waiting_jobs},
          {"OnDemandPricePerHour", p.on_demand_price_per_hour},
          {"SpotPricePerHour", p.spot_price_per_hour},
          {"SpotPriceRatio", p.spot_price_ratio},
          {"InterruptionRatePerHour", p.interruption_rate_per_hour},
          {"LaunchSeconds", p.launch_seconds},
          {"NetworkGbps", p.network_gbps},
          {"Interruptions", p.interruptions}};
}

void AddAdminRoutes(Router& router, EngineControl& engine) {
  EngineControl* e = &engine;
  router.Add("GET", "/v1/capacity", [e](const ApiRequest&, const Router::Captures&, Respond respond) {
    e->Capacity([respond](std::vector<PoolStatus> pools) {
      json out = json::array();
      for (const auto& p : pools) out.push_back(PoolStatusJson(p));
      respond(JsonResponse(200, {{"Pools", std::move(out)}}));
    });
  });
  router.Add("GET", "/v1/admin/clock", [e](const ApiRequest&, const Router::Captures&, Respond respond) {
    respond(JsonResponse(200, ClockJson(e->Clock())));
  });
  router.Add("POST", "/v1/admin/clock/advance",
             [e](const ApiRequest& req, const Router::Captures&, Respond respond) {
               AdvanceClock(*e, req, std::move(respond));
             });
  router.Add("POST", "/v1/admin/capacity/{InstanceType}/interrupt",
             [e](const ApiRequest& req, const Router::Captures& c, Respond respond) {
               Interrupt(*e, req, c[0], std::move(respond));
             });
  router.Add("PUT", "/v1/admin/capacity/{InstanceType}",
             [e](const ApiRequest& req, const Router::Captures& c, Respond respond) {
               UpdatePool(*e, req, c[0], std::move(respond));
             });
  router.Add("POST", "/v1/admin/training-jobs/{TrainingJobName}/fail",
             [e](const ApiRequest&, const Router::Captures& c, Respond respond) {
               FailJob(*e, c[0], std::move(respond));
             });
}

}  // namespace trainyard::api
