#include "api/event_routes.h"

#include <string>

#include "api/errors.h"
#include "api/event_stream.h"
#include "api/job_name.h"
#include "api/json_body.h"
#include "api/query_string.h"
#include "api/sagemaker_shape.h"
#include "api/strict_number.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

constexpr int64_t kMaxResultsLimit = 1000;
constexpr int64_t kDefaultMaxResults = 100;

struct EventsQuery {
  bool follow = false;
  int64_t after_id = 0;
  int max_results = static_cast<int>(kDefaultMaxResults);
};

// An event id as NextToken or Last-Event-ID: a non-negative integer.
Result<int64_t> EventIdParameter(const std::string& text, std::string_view name) {
  std::optional<int64_t> id = ParseInt64(text);
  if (!id || *id < 0) {
    return Status::Validation(std::string(name) +
                              " must be an event id, a non-negative integer (got '" +
                              Printable(text) + "')");
  }
  return *id;
}

Result<EventsQuery> ParseEventsQuery(const ApiRequest& request) {
  auto params = ParseQueryString(request.query);
  if (!params.ok()) return params.status();
  EventsQuery query;
  for (const auto& [key, value] : *params) {
    if (key == "follow") {
      if (value != "true" && value != "false") {
        return Status::Validation("follow must be true or false (got '" + Printable(value) + "')");
      }
      query.follow = value == "true";
    } else if (key == "MaxResults") {
      std::optional<int64_t> n = ParseInt64(value);
      if (!n || *n < 1 || *n > kMaxResultsLimit) {
        return Status::Validation("MaxResults must be an integer from 1 to " +
                                  std::to_string(kMaxResultsLimit) + " (got '" +
                                  Printable(value) + "')");
      }
      query.max_results = static_cast<int>(*n);
    } else if (key == "NextToken") {
      auto id = EventIdParameter(value, "NextToken");
      if (!id.ok()) return id.status();
      query.after_id = *id;
    } else {
      return Status::Validation("Unknown query parameter '" + Printable(key) +
                                "'; expected follow, MaxResults or NextToken");
    }
  }
  // EventSource clients ask for the stream with their Accept header; an
  // explicit follow=false still gets the JSON page.
  if (params->count("follow") == 0 &&
      request.Header("accept").find("text/event-stream") != std::string::npos) {
    query.follow = true;
  }
  if (query.follow) {
    if (params->count("MaxResults") != 0 || params->count("NextToken") != 0) {
      return Status::Validation(
          "MaxResults and NextToken page the JSON history; a follow stream resumes "
          "with the Last-Event-ID header instead");
    }
    const std::string& last = request.Header("last-event-id");
    if (!last.empty()) {
      auto id = EventIdParameter(last, "Last-Event-ID");
      if (!id.ok()) return id.status();
      query.after_id = *id;
    }
  }
  return query;
}

void ListJobEvents(JobHistory& history, const std::string& name, const EventsQuery& query,
                   Respond respond) {
  auto page = history.ListEvents(name, query.after_id, query.max_results);
  if (!page.ok()) return respond(ErrorResponse(page.status()));
  json events = json::array();
  for (const JobEvent& event : page->events) events.push_back(JobEventJson(event));
  json body = {{"TrainingJobName", name}, {"Events", std::move(events)}};
  if (page->more) body["NextToken"] = std::to_string(page->events.back().id);
  respond(JsonResponse(200, body));
}

void FollowJobEvents(JobHistory& history, const std::string& name, const EventsQuery& query,
                     Respond respond) {
  // A missing job is a 404 before the stream begins, not an empty stream.
  auto next = history.ListEvents(name, query.after_id, 1);
  if (!next.ok()) return respond(ErrorResponse(next.status()));
  // An id this job never had (another database's, say) would hide every
  // event to come, the final one too: refuse it rather than stream nothing.
  if (query.after_id > next->last_event_id) {
    return respond(ErrorResponse(Status::Validation(
        "Last-Event-ID " + std::to_string(query.after_id) +
        " is past the last event of training job '" + name + "' (" +
        std::to_string(next->last_event_id) +
        "); resume from an id this job's stream sent, or without Last-Event-ID")));
  }
  // Nothing after Last-Event-ID and nothing ever will be: 204 tells an
  // EventSource to stop reconnecting (it would otherwise retry forever).
  if (next->events.empty() && IsTerminal(next->job_status)) {
    ApiResponse done;
    done.status = 204;
    done.content_type.clear();
    return respond(std::move(done));
  }
  ApiResponse response;
  response.content_type = "text/event-stream; charset=utf-8";
  response.headers.emplace_back("Cache-Control", "no-cache");
  response.stream = std::make_shared<JobEventStream>(history, name, query.after_id);
  respond(std::move(response));
}

}  // namespace

void AddEventRoutes(Router& router, JobHistory& history) {
  router.Add("GET", "/v1/training-jobs/{TrainingJobName}/events",
             [&history](const ApiRequest& request, const Router::Captures& c, Respond respond) {
               const std::string& name = c[0];
               if (Status s = CheckTrainingJobName(name); !s.ok()) {
                 return respond(ErrorResponse(s));
               }
               auto query = ParseEventsQuery(request);
               if (!query.ok()) return respond(ErrorResponse(query.status()));
               if (query->follow) return FollowJobEvents(history, name, *query, std::move(respond));
               ListJobEvents(history, name, *query, std::move(respond));
             });
}

}  // namespace trainyard::api
