#include "api/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace trainyard::api {
namespace {

ApiResponse Call(const Router& router, std::string method, std::string path) {
  ApiRequest request;
  request.method = std::move(method);
  request.path = std::move(path);
  ApiResponse out;
  int calls = 0;
  router.Handle(request, [&](ApiResponse r) {
    out = std::move(r);
    ++calls;
  });
  EXPECT_EQ(calls, 1) << "a request must be answered exactly once";
  return out;
}

Router::Handler Echo(std::string tag) {
  return [tag](const ApiRequest&, const Router::Captures& c, Respond respond) {
    ApiResponse r;
    r.body = tag;
    for (const auto& s : c) r.body += "|" + s;
    respond(r);
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/v1/training-jobs", Echo("list"));
    router_.Add("POST", "/v1/training-jobs", Echo("create"));
    router_.Add("GET", "/v1/training-jobs/{name}", Echo("describe"));
    router_.Add("POST", "/v1/training-jobs/{name}/stop", Echo("stop"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralAndCapturedSegments) {
  EXPECT_EQ(Call(router_, "GET", "/v1/training-jobs").body, "list");
  EXPECT_EQ(Call(router_, "POST", "/v1/training-jobs").body, "create");
  EXPECT_EQ(Call(router_, "GET", "/v1/training-jobs/job-1").body, "describe|job-1");
  EXPECT_EQ(Call(router_, "POST", "/v1/training-jobs/job-1/stop").body, "stop|job-1");
}

TEST_F(RouterTest, DecodesCapturedSegments) {
  EXPECT_EQ(Call(router_, "GET", "/v1/training-jobs/a%20b").body, "describe|a b");
}

TEST_F(RouterTest, UnknownPathIs404WithErrorBody) {
  ApiResponse r = Call(router_, "GET", "/v2/nothing");
  EXPECT_EQ(r.status, 404);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["__type"], "NotFound");
  EXPECT_NE(body["message"].get<std::string>().find("/v2/nothing"), std::string::npos);
}

TEST_F(RouterTest, EmptyCaptureDoesNotMatch) {
  EXPECT_EQ(Call(router_, "GET", "/v1/training-jobs/").status, 404);
}

TEST_F(RouterTest, WrongMethodIs405WithAllowHeader) {
  ApiResponse r = Call(router_, "DELETE", "/v1/training-jobs");
  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Allow");
  EXPECT_EQ(r.headers[0].second, "GET, POST");
  EXPECT_EQ(nlohmann::json::parse(r.body)["__type"], "MethodNotAllowed");
}

TEST_F(RouterTest, MalformedEscapeIs400) {
  EXPECT_EQ(Call(router_, "GET", "/v1/training-jobs/%zz").status, 400);
}

}  // namespace
}  // namespace trainyard::api
