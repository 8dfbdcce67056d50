#include "api/event_stream.h"

#include <utility>

namespace trainyard::api {

using nlohmann::json;

json JobEventJson(const JobEvent& e) {
  json out = {{"EventId", e.id},
              {"TrainingJobName", e.job_name},
              {"Time", e.time},
              {"Type", ToString(e.type)},
              {"TrainingJobStatus", ToString(e.status)},
              {"SecondaryStatus", ToString(e.secondary_status)},
              {"Attempt", e.attempt}};
  if (e.market) out["Market"] = ToString(*e.market);
  if (!e.instance_type.empty()) {
    out["InstanceType"] = e.instance_type;
    out["InstanceCount"] = e.instance_count;
  }
  if (e.progress_seconds) out["ProgressSeconds"] = *e.progress_seconds;
  out["Message"] = e.message;
  return out;
}

std::string SseMessage(const JobEvent& event) {
  // The JSON has no raw newline (dump escapes them), so one data line holds it.
  std::string out = "id: " + std::to_string(event.id) + "\nevent: ";
  out += ToString(event.type);
  out += "\ndata: ";
  out += JobEventJson(event).dump(-1, ' ', false, json::error_handler_t::replace);
  out += "\n\n";
  return out;
}

JobEventStream::JobEventStream(JobHistory& history, std::string job_name, int64_t after_id,
                               int page_size)
    : history_(history),
      job_name_(std::move(job_name)),
      page_size_(page_size < 1 ? 1 : page_size),
      last_id_(after_id) {}

void JobEventStream::Start(std::function<void()> wake) {
  // Subscribed before the history is read: whatever commits in between is
  // in one or the other, and Append drops what is in both.
  subscription_ = history_.FollowEvents(job_name_, std::move(wake));
}

void JobEventStream::Append(std::string& out, const JobEvent& event) {
  if (finished_) return;
  // Already sent (or before Last-Event-ID): not again, but a final event
  // still ends the stream.
  if (event.id > last_id_) {
    out += SseMessage(event);
    last_id_ = event.id;
  }
  if (IsFinalEvent(event)) finished_ = true;
}

std::string JobEventStream::Closing() {
  return ": the server is shutting down; reconnect with Last-Event-ID: " +
         std::to_string(last_id_) + "\n\n";
}

ResponseStream::Chunk JobEventStream::Pull() {
  std::string out;
  if (finished_ || !subscription_) return {std::move(out), true};
  if (!history_done_) {
    Result<JobEventPage> page = history_.ListEvents(job_name_, last_id_, page_size_);
    if (!page.ok()) {
      // Headers are gone already; an SSE comment is all that can say why.
      finished_ = true;
      return {": error: " + page.status().message() + "\n\n", true};
    }
    for (const JobEvent& event : page->events) Append(out, event);
    if (!page->more) {
      history_done_ = true;
      // A job that ended before its history was kept has no final event.
      if (IsTerminal(page->job_status) && !finished_) {
        out += ": the job has ended\n\n";
        finished_ = true;
      }
    }
    return {std::move(out), finished_};
  }
  for (const JobEvent& event : subscription_->Take()) Append(out, event);
  if (!finished_ && subscription_->dropped()) {
    out += ": dropped: this reader fell behind; reconnect with Last-Event-ID: " +
           std::to_string(last_id_) + "\n\n";
    finished_ = true;
  } else if (!finished_ && subscription_->closed()) {
    out += Closing();
    finished_ = true;
  }
  return {std::move(out), finished_};
}

}  // namespace trainyard::api
