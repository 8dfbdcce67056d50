// A job's history on the wire: one event as JSON, and the Server-Sent Events
// stream of GET /v1/training-jobs/{name}/events?follow=true (the history,
// then each event as it is committed, until the job's final event).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/api_types.h"
#include "trainyard/job_event.h"
#include "trainyard/job_history.h"

namespace trainyard::api {

nlohmann::json JobEventJson(const JobEvent& event);

// One SSE message: "id: N\nevent: <Type>\ndata: <JobEventJson>\n\n".
std::string SseMessage(const JobEvent& event);

// The stream of one job's events after `after_id`. REQUIRES: history
// outlives the stream. Threading: as ResponseStream.
class JobEventStream final : public ResponseStream {
 public:
  // History is read `page_size` events per Pull, so a long history goes out
  // in bounded chunks and a new event never waits behind all of it.
  JobEventStream(JobHistory& history, std::string job_name, int64_t after_id,
                 int page_size = 500);

  void Start(std::function<void()> wake) override;
  Chunk Pull() override;
  std::string Heartbeat() override { return ": heartbeat\n\n"; }
  // Says where to resume: the server is going away before the job ended.
  std::string Closing() override;
  void Cancel() override { subscription_.reset(); }

 private:
  // Appends the event unless already sent; the final event ends the stream.
  void Append(std::string& out, const JobEvent& event);

  JobHistory& history_;
  const std::string job_name_;
  const int page_size_;
  int64_t last_id_;  // the last event sent (or the client's Last-Event-ID)
  bool history_done_ = false;
  bool finished_ = false;
  std::shared_ptr<EventSubscription> subscription_;
};

}  // namespace trainyard::api
