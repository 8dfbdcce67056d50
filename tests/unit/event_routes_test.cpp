// GET /v1/training-jobs/{name}/events over a fake JobHistory: the JSON page
// and its token, every parameter check, and the SSE stream: history then
// live events, no duplicates, resume after Last-Event-ID, the end after the
// final event, a dropped reader told why.
#include "api/event_routes.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "api/event_stream.h"
#include "api/router.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

// Stored events per job, and a real feed for the live ones.
class FakeHistory : public JobHistory {
 public:
  Result<JobEventPage> ListEvents(std::string_view name, int64_t after_id, int limit) override {
    auto it = jobs_.find(std::string(name));
    if (it == jobs_.end()) return Status::NotFound("Could not find training job '" + std::string(name) + "'");
    JobEventPage page;
    page.job_status = it->second.status;
    if (!it->second.events.empty()) page.last_event_id = it->second.events.back().id;
    for (const auto& e : it->second.events) {
      if (e.id <= after_id) continue;
      if (static_cast<int>(page.events.size()) == limit) {
        page.more = true;
        break;
      }
      page.events.push_back(e);
    }
    return page;
  }
  std::shared_ptr<EventSubscription> FollowEvents(const std::string& name,
                                                  std::function<void()> wake) override {
    return feed_.Subscribe(name, std::move(wake));
  }

  // Stores and publishes, as the engine does after a commit.
  void Commit(JobEvent e) {
    auto& job = jobs_[e.job_name];
    job.events.push_back(e);
    if (IsFinalEvent(e)) job.status = e.status;
    feed_.Publish({e});
  }
  void AddJob(const std::string& name, JobStatus status = JobStatus::kInProgress) {
    jobs_[name].status = status;
  }

  EventFeed feed_{4};

 private:
  struct Job {
    JobStatus status = JobStatus::kInProgress;
    std::vector<JobEvent> events;
  };
  std::map<std::string, Job> jobs_;
};

JobEvent Event(int64_t id, const std::string& job, bool final = false) {
  JobEvent e;
  e.id = id;
  e.job_name = job;
  e.time = 1767225600 + static_cast<double>(id);
  e.secondary_status = final ? SecondaryStatus::kCompleted : SecondaryStatus::kTraining;
  e.status = final ? JobStatus::kCompleted : JobStatus::kInProgress;
  e.message = "line one\nline two";
  return e;
}

class EventRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddEventRoutes(router_, history_);
    history_.AddJob("job-a");
  }
  // GET the events of job-a, or of `job`.
  ApiResponse Get(const std::string& query, std::map<std::string, std::string> headers = {},
                  const std::string& job = "job-a") {
    ApiRequest request;
    request.method = "GET";
    request.path = "/v1/training-jobs/" + job + "/events";
    request.query = query;
    request.headers = std::move(headers);
    ApiResponse out;
    router_.Handle(request, [&](ApiResponse r) { out = std::move(r); });
    return out;
  }
  // Pulls until the stream has nothing more for now.
  static std::string Drain(ResponseStream& stream, bool* last) {
    std::string out;
    for (int i = 0; i < 100; ++i) {
      ResponseStream::Chunk chunk = stream.Pull();
      out += chunk.data;
      *last = chunk.last;
      if (chunk.last || chunk.data.empty()) break;
    }
    return out;
  }

  FakeHistory history_;
  Router router_;
};

TEST_F(EventRoutesTest, TheHistoryPagesWithATokenThatResumesAfterTheLastEvent) {
  for (int64_t id = 1; id <= 5; ++id) history_.Commit(Event(id, "job-a"));
  ApiResponse first = Get("MaxResults=2");
  ASSERT_EQ(first.status, 200) << first.body;
  json body = json::parse(first.body);
  ASSERT_EQ(body["Events"].size(), 2u);
  EXPECT_EQ(body["Events"][0]["EventId"], 1);
  EXPECT_EQ(body["Events"][0]["Type"], "StatusChange");
  EXPECT_EQ(body["Events"][0]["SecondaryStatus"], "Training");
  EXPECT_EQ(body["TrainingJobName"], "job-a");
  EXPECT_EQ(body["NextToken"], "2");
  json rest = json::parse(Get("MaxResults=10&NextToken=2").body);
  ASSERT_EQ(rest["Events"].size(), 3u);
  EXPECT_EQ(rest["Events"][0]["EventId"], 3);
  EXPECT_FALSE(rest.contains("NextToken"));
}

TEST_F(EventRoutesTest, BadParametersAreNamed) {
  struct Case {
    std::string query;
    std::string needle;
  };
  for (const Case& c : std::vector<Case>{
           {"MaxResults=0", "MaxResults must be an integer from 1 to 1000"},
           {"MaxResults=1001", "MaxResults"},
           {"MaxResults=ten", "MaxResults"},
           {"NextToken=-1", "NextToken must be an event id"},
           {"NextToken=abc", "NextToken"},
           {"follow=yes", "follow must be true or false"},
           {"Follow=true", "Unknown query parameter 'Follow'"},
           {"follow=true&MaxResults=5", "Last-Event-ID"},
       }) {
    ApiResponse r = Get(c.query);
    EXPECT_EQ(r.status, 400) << c.query;
    EXPECT_NE(r.body.find(c.needle), std::string::npos) << c.query << ": " << r.body;
    EXPECT_EQ(r.stream, nullptr);
  }
  ApiResponse bad_id = Get("follow=true", {{"last-event-id", "x1"}});
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_NE(bad_id.body.find("Last-Event-ID"), std::string::npos);
}

TEST_F(EventRoutesTest, MissingJobIs404EvenWhenFollowing) {
  ApiResponse out = Get("follow=true", {}, "nobody");
  EXPECT_EQ(out.status, 404);
  EXPECT_EQ(out.stream, nullptr);
  out = Get("follow=true", {}, "bad_name!");
  EXPECT_EQ(out.status, 400);
}

TEST_F(EventRoutesTest, FollowStreamsHistoryThenLiveEventsUntilTheFinalOne) {
  history_.Commit(Event(1, "job-a"));
  history_.Commit(Event(2, "job-a"));
  ApiResponse r = Get("follow=true");
  ASSERT_EQ(r.status, 200);
  ASSERT_NE(r.stream, nullptr);
  EXPECT_EQ(r.content_type, "text/event-stream; charset=utf-8");
  int wakes = 0;
  r.stream->Start([&] { ++wakes; });
  bool last = false;
  std::string history = Drain(*r.stream, &last);
  EXPECT_FALSE(last);
  EXPECT_EQ(history.find("id: 1\nevent: StatusChange\ndata: {"), 0u) << history;
  EXPECT_NE(history.find("id: 2\n"), std::string::npos);
  // The message's newline is escaped inside the one data line.
  EXPECT_NE(history.find("line one\\nline two"), std::string::npos);

  history_.Commit(Event(3, "job-a"));
  history_.Commit(Event(99, "someone-else"));
  EXPECT_EQ(wakes, 1);
  std::string live = Drain(*r.stream, &last);
  EXPECT_EQ(live.find("id: 3\n"), 0u) << live;
  EXPECT_EQ(live.find("id: 99"), std::string::npos);
  EXPECT_FALSE(last);

  history_.Commit(Event(4, "job-a", /*final=*/true));
  std::string end = Drain(*r.stream, &last);
  EXPECT_NE(end.find("id: 4\n"), std::string::npos);
  EXPECT_TRUE(last);
  EXPECT_EQ(r.stream->Heartbeat(), ": heartbeat\n\n");
}

TEST_F(EventRoutesTest, EventsCommittedWhileTheHistoryIsReadAreSentOnce) {
  history_.Commit(Event(1, "job-a"));
  ApiResponse r = Get("", {{"accept", "text/event-stream"}});  // EventSource's way to ask
  ASSERT_NE(r.stream, nullptr);
  r.stream->Start([] {});
  history_.Commit(Event(2, "job-a"));  // stored and queued live: both
  bool last = false;
  std::string out = Drain(*r.stream, &last);
  size_t first = out.find("id: 2\n");
  ASSERT_NE(first, std::string::npos) << out;
  EXPECT_EQ(out.find("id: 2\n", first + 1), std::string::npos) << out;
}

TEST_F(EventRoutesTest, LastEventIdResumesAfterIt) {
  for (int64_t id = 1; id <= 3; ++id) history_.Commit(Event(id, "job-a"));
  ApiResponse r = Get("follow=true", {{"last-event-id", "2"}});
  ASSERT_NE(r.stream, nullptr);
  r.stream->Start([] {});
  bool last = false;
  std::string out = Drain(*r.stream, &last);
  EXPECT_EQ(out.find("id: 3\n"), 0u) << out;
  EXPECT_EQ(out.find("id: 1\n"), std::string::npos);
}

TEST_F(EventRoutesTest, AFinishedJobStreamsItsHistoryAndEnds) {
  history_.Commit(Event(1, "job-a"));
  history_.Commit(Event(2, "job-a", /*final=*/true));
  ApiResponse r = Get("follow=true");
  r.stream->Start([] {});
  bool last = false;
  Drain(*r.stream, &last);
  EXPECT_TRUE(last);
  // One that ended before histories were kept: nothing will ever come, so
  // 204, which stops an EventSource reconnecting.
  history_.AddJob("old", JobStatus::kStopped);
  ApiResponse old = Get("follow=true", {}, "old");
  EXPECT_EQ(old.status, 204);
  EXPECT_EQ(old.stream, nullptr);
  // Should one end between the check and the stream, the stream says so.
  JobEventStream racing(history_, "old", 0);
  racing.Start([] {});
  std::string out = Drain(racing, &last);
  EXPECT_TRUE(last);
  EXPECT_EQ(out, ": the job has ended\n\n");
}

TEST_F(EventRoutesTest, ALastEventIdPastTheJobsHistoryIsRefused) {
  history_.Commit(Event(1, "job-a"));
  ApiResponse r = Get("follow=true", {{"last-event-id", "999999"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.stream, nullptr);
  EXPECT_NE(r.body.find("Last-Event-ID 999999 is past the last event of training job 'job-a' (1)"),
            std::string::npos)
      << r.body;
}

TEST_F(EventRoutesTest, AFinalEventAtOrBeforeTheResumePointStillEndsTheStream) {
  history_.Commit(Event(1, "job-a"));
  JobEventStream stream(history_, "job-a", 5);  // as if resumed past a later id
  stream.Start([] {});
  bool last = false;
  Drain(stream, &last);
  EXPECT_FALSE(last);
  history_.Commit(Event(3, "job-a", /*final=*/true));  // id <= 5: not sent, but final
  std::string out = Drain(stream, &last);
  EXPECT_TRUE(last);
  EXPECT_EQ(out.find("id: 3"), std::string::npos);
}

TEST_F(EventRoutesTest, AReaderThatFallsBehindIsToldAndEnded) {
  ApiResponse r = Get("follow=true");
  r.stream->Start([] {});
  bool last = false;
  Drain(*r.stream, &last);
  for (int64_t id = 1; id <= 10; ++id) history_.Commit(Event(id, "job-a"));  // backlog is 4
  std::string out = Drain(*r.stream, &last);
  EXPECT_TRUE(last);
  EXPECT_NE(out.find(": dropped: this reader fell behind; reconnect with Last-Event-ID: 0"),
            std::string::npos)
      << out;
}

TEST_F(EventRoutesTest, ShutdownEndsTheStreamWithTheIdToResumeFrom) {
  history_.Commit(Event(1, "job-a"));
  ApiResponse r = Get("follow=true");
  r.stream->Start([] {});
  bool last = false;
  Drain(*r.stream, &last);
  history_.feed_.Close();
  std::string out = Drain(*r.stream, &last);
  EXPECT_TRUE(last);
  EXPECT_NE(out.find("reconnect with Last-Event-ID: 1"), std::string::npos) << out;
}

}  // namespace
}  // namespace trainyard::api
