// JobHistory: what the wire layer may ask about a job's events
// (GET /v1/training-jobs/{name}/events): the stored history, page by page,
// and a live subscription to what is committed from now on.
//
// A follower subscribes first, then reads the stored history, and skips live
// events it already read (ids only grow): an event is stored before it is
// published, so nothing falls between the two.
//
// Threading: both methods may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "trainyard/event_feed.h"
#include "trainyard/job_event.h"
#include "trainyard/status.h"

namespace trainyard {

class JobHistory {
 public:
  virtual ~JobHistory() = default;

  // Events with id > after_id, oldest first, at most `limit`. NotFound when
  // there is no such job.
  virtual Result<JobEventPage> ListEvents(std::string_view name, int64_t after_id, int limit) = 0;

  // See EventFeed::Subscribe.
  virtual std::shared_ptr<EventSubscription> FollowEvents(const std::string& name,
                                                          std::function<void()> wake) = 0;
};

}  // namespace trainyard
