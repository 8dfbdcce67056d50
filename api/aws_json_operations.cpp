#include "api/aws_json_operations.h"

#include <cctype>
#include <cmath>
#include <map>

#include "api/aws_json_protocol.h"
#include "api/create_training_job.h"
#include "api/job_json.h"
#include "api/job_name.h"
#include "api/list_training_jobs.h"
#include "api/sagemaker_shape.h"

namespace trainyard::api {
namespace {

using nlohmann::json;
using namespace shapes;  // NOLINT: the tables read better unqualified

// What SageMaker says when a Describe or Stop names no existing job.
constexpr std::string_view kResourceNotFoundMessage = "Requested resource not found.";

// --- Input shapes (botocore's service-2.json) --------------------------------

// ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$, read as CreateTrainingJob's tags are
// (api/sagemaker_members.cpp): any non-ASCII character passes, in ASCII the
// alphanumerics, space and _.:/=+-@.
bool CheckTagText(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u) || std::string_view(" _.:/=+-@").find(c) != std::string_view::npos) {
      continue;
    }
    return false;
  }
  return true;
}

// arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:.+
bool CheckResourceArn(std::string_view s) {
  if (s.substr(0, 7) != "arn:aws") return false;
  size_t colon = s.find(':', 7);
  if (colon == std::string_view::npos) return false;
  for (char c : s.substr(7, colon - 7)) {
    if (!((c >= 'a' && c <= 'z') || c == '-')) return false;
  }
  std::string_view rest = s.substr(colon + 1);
  if (rest.substr(0, 10) != "sagemaker:") return false;
  rest.remove_prefix(10);
  size_t region_end = rest.find(':');
  if (region_end == std::string_view::npos) return false;
  for (char c : rest.substr(0, region_end)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  rest.remove_prefix(region_end + 1);
  if (rest.size() < 14 || rest[12] != ':') return false;
  for (char c : rest.substr(0, 12)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

constexpr Shape kTrainingJobName =
    String(1, 63, IsValidTrainingJobName, "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
constexpr ShapeMember kJobNameMembers[] = {{"TrainingJobName", &kTrainingJobName, true}};
constexpr Shape kJobNameInput = Structure(kJobNameMembers);  // Describe, Stop

constexpr Shape kResourceArn =
    String(std::nullopt, 256, CheckResourceArn, "arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:.+");
constexpr Shape kNextToken = String(std::nullopt, 8192);
constexpr Shape kListTagsMaxResults = Integer(50, std::nullopt);
constexpr ShapeMember kListTagsMembers[] = {{"ResourceArn", &kResourceArn, true},
                                            {"NextToken", &kNextToken},
                                            {"MaxResults", &kListTagsMaxResults}};
constexpr Shape kListTagsInput = Structure(kListTagsMembers);

constexpr std::string_view kTagPattern = R"(^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$)";
constexpr Shape kTagKey = String(1, 128, CheckTagText, kTagPattern);
constexpr Shape kTagValue = String(0, 256, CheckTagText, kTagPattern);
constexpr ShapeMember kTagMembers[] = {{"Key", &kTagKey, true}, {"Value", &kTagValue, true}};
constexpr Shape kTag = Structure(kTagMembers);
constexpr Shape kTagList = List(&kTag, 0, 50);
constexpr ShapeMember kAddTagsMembers[] = {{"ResourceArn", &kResourceArn, true},
                                           {"Tags", &kTagList, true}};
constexpr Shape kAddTagsInput = Structure(kAddTagsMembers);

constexpr Shape kTagKeyList = List(&kTagKey, 1, 50);
constexpr ShapeMember kDeleteTagsMembers[] = {{"ResourceArn", &kResourceArn, true},
                                              {"TagKeys", &kTagKeyList, true}};
constexpr Shape kDeleteTagsInput = Structure(kDeleteTagsMembers);

// --- Helpers -------------------------------------------------------------------

// NotFound from a lookup by name becomes SageMaker's ValidationException.
ApiResponse LookupError(const Status& status) {
  if (status.code() == ErrorCode::kNotFound) {
    return AwsJsonError(400, "ValidationException", kResourceNotFoundMessage);
  }
  return AwsJsonError(status);
}

// SageMaker reports these as whole seconds (integers in its model); the
// shared describe builder keeps the fractions the REST API shows.
void RoundIntegerMembers(json& describe) {
  for (const char* member : {"TrainingTimeInSeconds", "BillableTimeInSeconds"}) {
    auto it = describe.find(member);
    if (it != describe.end() && it->is_number()) *it = std::llround(it->get<double>());
  }
}

// The training job an ARN names, if this server holds it.
Result<TrainingJob> JobForArn(const RestContext& ctx, const std::string& arn) {
  const std::string kMarker = ":training-job/";
  size_t at = arn.find(kMarker);
  if (at == std::string::npos) {
    return Status::Validation("trainyard keeps tags on training jobs only; ResourceArn '" + arn +
                              "' names another kind of resource");
  }
  std::string name = arn.substr(at + kMarker.size());
  // A job of another region or account, or a malformed name, is simply
  // not one of ours.
  if (!IsValidTrainingJobName(name) || TrainingJobArn(ctx.arn_scope, name) != arn) {
    return Status::NotFound(std::string(kResourceNotFoundMessage));
  }
  return ctx.jobs->DescribeJob(name);
}

json TagsJson(const std::vector<std::pair<std::string, std::string>>& tags) {
  json out = json::array();
  for (const auto& [key, value] : tags) out.push_back({{"Key", key}, {"Value", value}});
  return out;
}

// --- Operations ------------------------------------------------------------------

void CreateTrainingJob(const RestContext& ctx, const ApiRequest& request, const json&,
                       Respond respond) {
  auto parsed = ParseCreateTrainingJob(request.body.empty() ? "{}" : request.body, *ctx.catalogue);
  if (!parsed.ok()) return respond(AwsJsonError(parsed.status()));
  TrainingJob job;
  job.spec = std::move(parsed->spec);
  job.arn = TrainingJobArn(ctx.arn_scope, job.spec.name);
  job.request_document = Dump(parsed->document);
  ctx.jobs->CreateJob(std::move(job), [respond](Result<TrainingJob> created) {
    if (!created.ok()) return respond(AwsJsonError(created.status()));
    respond(AwsJsonResponse({{"TrainingJobArn", created->arn}}));
  });
}

void DescribeTrainingJob(const RestContext& ctx, const ApiRequest&, const json& input,
                         Respond respond) {
  if (Status s = ValidateShape(input, kJobNameInput, ""); !s.ok()) return respond(AwsJsonError(s));
  auto job = ctx.jobs->DescribeJob(input["TrainingJobName"].get<std::string>());
  if (!job.ok()) return respond(LookupError(job.status()));
  const InstancePool* pool = ctx.catalogue->Find(job->spec.instance_type);
  json out = DescribeTrainingJobJson(*job, pool, ctx.upload_seconds);
  RoundIntegerMembers(out);
  respond(AwsJsonResponse(out));
}

void ListTrainingJobs(const RestContext& ctx, const ApiRequest&, const json& input,
                      Respond respond) {
  auto query = ParseListTrainingJobs(input);
  if (!query.ok()) return respond(AwsJsonError(query.status()));
  auto page = ctx.jobs->ListJobs(*query);
  if (!page.ok()) return respond(AwsJsonError(page.status()));
  respond(AwsJsonResponse(ListTrainingJobsJson(*page)));
}

void StopTrainingJob(const RestContext& ctx, const ApiRequest&, const json& input,
                     Respond respond) {
  if (Status s = ValidateShape(input, kJobNameInput, ""); !s.ok()) return respond(AwsJsonError(s));
  ctx.jobs->StopJob(input["TrainingJobName"].get<std::string>(),
                    [respond](Result<TrainingJob> stopped) {
                      if (!stopped.ok()) return respond(LookupError(stopped.status()));
                      respond(AwsJsonResponse(json::object()));  // StopTrainingJob has no output
                    });
}

void ListTags(const RestContext& ctx, const ApiRequest&, const json& input, Respond respond) {
  if (Status s = ValidateShape(input, kListTagsInput, ""); !s.ok()) return respond(AwsJsonError(s));
  // A job has at most 50 tags and MaxResults is at least 50: one page holds
  // them all, so no token this server hands out can come back.
  if (input.contains("NextToken") && !input["NextToken"].get<std::string>().empty()) {
    return respond(AwsJsonError(400, "ValidationException", "NextToken is not valid"));
  }
  auto job = JobForArn(ctx, input["ResourceArn"].get<std::string>());
  if (!job.ok()) return respond(LookupError(job.status()));
  respond(AwsJsonResponse({{"Tags", TagsJson(job->spec.tags)}}));
}

void AddTags(const RestContext& ctx, const ApiRequest&, const json& input, Respond respond) {
  if (Status s = ValidateShape(input, kAddTagsInput, ""); !s.ok()) return respond(AwsJsonError(s));
  auto job = JobForArn(ctx, input["ResourceArn"].get<std::string>());
  if (!job.ok()) return respond(LookupError(job.status()));
  std::vector<std::pair<std::string, std::string>> tags;
  for (const auto& tag : input["Tags"]) {
    tags.emplace_back(tag["Key"].get<std::string>(), tag.value("Value", std::string()));
  }
  json echoed = input["Tags"];
  ctx.jobs->AddTags(job->spec.name, std::move(tags),
                    [respond, echoed](Result<TrainingJob> tagged) {
                      if (!tagged.ok()) return respond(LookupError(tagged.status()));
                      respond(AwsJsonResponse({{"Tags", echoed}}));
                    });
}

void DeleteTags(const RestContext& ctx, const ApiRequest&, const json& input, Respond respond) {
  if (Status s = ValidateShape(input, kDeleteTagsInput, ""); !s.ok()) return respond(AwsJsonError(s));
  auto job = JobForArn(ctx, input["ResourceArn"].get<std::string>());
  if (!job.ok()) return respond(LookupError(job.status()));
  std::vector<std::string> keys;
  for (const auto& key : input["TagKeys"]) keys.push_back(key.get<std::string>());
  ctx.jobs->DeleteTags(job->spec.name, std::move(keys), [respond](Result<TrainingJob> untagged) {
    if (!untagged.ok()) return respond(LookupError(untagged.status()));
    respond(AwsJsonResponse(json::object()));
  });
}

}  // namespace

AwsOperation FindAwsOperation(std::string_view name) {
  static const std::map<std::string_view, AwsOperation> kOperations = {
      {"CreateTrainingJob", &CreateTrainingJob},
      {"DescribeTrainingJob", &DescribeTrainingJob},
      {"ListTrainingJobs", &ListTrainingJobs},
      {"StopTrainingJob", &StopTrainingJob},
      {"AddTags", &AddTags},
      {"ListTags", &ListTags},
      {"DeleteTags", &DeleteTags},
  };
  auto it = kOperations.find(name);
  return it == kOperations.end() ? nullptr : it->second;
}

}  // namespace trainyard::api
