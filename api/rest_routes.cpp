#include "api/rest_routes.h"

#include <cctype>

#include "api/create_training_job.h"
#include "api/errors.h"
#include "api/job_name.h"
#include "api/json_body.h"
#include "api/list_training_jobs.h"
#include "api/query_string.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

void CreateTrainingJob(const RestContext& ctx, const ApiRequest& request, Respond respond) {
  const std::string& content_type = request.Header("content-type");
  if (!IsJsonContentType(content_type)) return respond(UnsupportedMediaType(content_type));
  auto parsed = ParseCreateTrainingJob(request.body, *ctx.catalogue);
  if (!parsed.ok()) return respond(ErrorResponse(parsed.status()));

  TrainingJob job;
  job.spec = std::move(parsed->spec);
  job.arn = TrainingJobArn(ctx.arn_scope, job.spec.name);
  job.request_document = Dump(parsed->document);
  ctx.jobs->CreateJob(std::move(job), [respond](Result<TrainingJob> created) {
    if (!created.ok()) return respond(ErrorResponse(created.status()));
    ApiResponse response = JsonResponse(201, {{"TrainingJobArn", created->arn}});
    response.headers.emplace_back("Location", "/v1/training-jobs/" + created->spec.name);
    respond(std::move(response));
  });
}

void DescribeTrainingJob(const RestContext& ctx, const std::string& name, Respond respond) {
  if (Status s = CheckTrainingJobName(name); !s.ok()) return respond(ErrorResponse(s));
  auto job = ctx.jobs->DescribeJob(name);
  if (!job.ok()) return respond(ErrorResponse(job.status()));
  const InstancePool* pool = ctx.catalogue->Find(job->spec.instance_type);
  respond(JsonResponse(200, DescribeTrainingJobJson(*job, pool, ctx.upload_seconds)));
}

void ListTrainingJobs(const RestContext& ctx, const ApiRequest& request, Respond respond) {
  auto params = ParseQueryString(request.query);
  if (!params.ok()) return respond(ErrorResponse(params.status()));
  json members = json::object();
  for (const auto& [key, value] : *params) members[key] = value;
  auto query = ParseListTrainingJobs(members);
  if (!query.ok()) return respond(ErrorResponse(query.status()));
  auto page = ctx.jobs->ListJobs(*query);
  if (!page.ok()) return respond(ErrorResponse(page.status()));
  respond(JsonResponse(200, ListTrainingJobsJson(*page)));
}

void StopTrainingJob(const RestContext& ctx, const ApiRequest& request, const std::string& name,
                     Respond respond) {
  // The stop route takes no body; one sent anyway must still be JSON.
  if (!request.body.empty() && !IsJsonContentType(request.Header("content-type"))) {
    return respond(UnsupportedMediaType(request.Header("content-type")));
  }
  if (Status s = CheckTrainingJobName(name); !s.ok()) return respond(ErrorResponse(s));
  ctx.jobs->StopJob(name, [respond](Result<TrainingJob> stopped) {
    if (!stopped.ok()) return respond(ErrorResponse(stopped.status()));
    respond(JsonResponse(200, JobStateJson(*stopped)));
  });
}

}  // namespace

void AddRestRoutes(Router& router, const RestContext& context) {
  RestContext ctx = context;
  router.Add("GET", "/healthz", [](const ApiRequest&, const Router::Captures&, Respond respond) {
    respond(JsonResponse(200, {{"status", "ok"}}));
  });
  router.Add("POST", "/v1/training-jobs",
             [ctx](const ApiRequest& req, const Router::Captures&, Respond respond) {
               CreateTrainingJob(ctx, req, std::move(respond));
             });
  router.Add("GET", "/v1/training-jobs",
             [ctx](const ApiRequest& req, const Router::Captures&, Respond respond) {
               ListTrainingJobs(ctx, req, std::move(respond));
             });
  router.Add("GET", "/v1/training-jobs/{TrainingJobName}",
             [ctx](const ApiRequest&, const Router::Captures& c, Respond respond) {
               DescribeTrainingJob(ctx, c[0], std::move(respond));
             });
  router.Add("POST", "/v1/training-jobs/{TrainingJobName}/stop",
             [ctx](const ApiRequest& req, const Router::Captures& c, Respond respond) {
               StopTrainingJob(ctx, req, c[0], std::move(respond));
             });
}

}  // namespace trainyard::api
