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
  std::string allow;
  for (const auto& [name, value] : r.headers) {
    if (name == "Allow") allow = value;
  }
  EXPECT_EQ(allow, "GET, POST");
  EXPECT_EQ(nlohmann::json::parse(r.body)["__type"], "MethodNotAllowed");
}

TEST_F(RouterTest, EveryResponseCarriesARequestId) {
  ApiRequest request;
  request.method = "GET";
  request.path = "/v1/training-jobs";
  request.headers["x-request-id"] = "abc-123";
  ApiResponse echoed;
  router_.Handle(request, [&](ApiResponse r) { echoed = std::move(r); });
  ASSERT_FALSE(echoed.headers.empty());
  EXPECT_EQ(echoed.headers.back(), (std::pair<std::string, std::string>("X-Request-Id", "abc-123")));

  request.headers["x-request-id"] = "has space";
  ApiResponse generated;
  router_.Handle(request, [&](ApiResponse r) { generated = std::move(r); });
  EXPECT_EQ(generated.headers.back().first, "X-Request-Id");
  EXPECT_EQ(generated.headers.back().second.size(), 24u) << "unusable ids are replaced";
}

TEST_F(RouterTest, ObserverSeesTheRoutePatternNotThePath) {
  std::string route;
  int status = 0;
  router_.SetObserver([&](const ApiRequest&, const std::string& r, const ApiResponse& resp, double) {
    route = r;
    status = resp.status;
  });
  Call(router_, "GET", "/v1/training-jobs/job-7");
  EXPECT_EQ(route, "/v1/training-jobs/{name}");
  EXPECT_EQ(status, 200);
  Call(router_, "GET", "/nowhere");
  EXPECT_EQ(route, "unmatched");
  EXPECT_EQ(status, 404);
}

TEST_F(RouterTest, MalformedEscapeIs400) {
  EXPECT_EQ(Call(router_, "GET", "/v1/training-jobs/%zz").status, 400);
}

}  // namespace
}  // namespace trainyard::api

namespace trainyard::api {
namespace {

TEST(RouterGuardTest, GuardAnswersBeforeAnyRoute) {
  Router router;
  router.Add("GET", "/healthz", Echo("health"));
  router.Add("GET", "/secret", Echo("secret"));
  router.SetGuard([](const ApiRequest& r) -> std::optional<ApiResponse> {
    if (r.path == "/healthz") return std::nullopt;
    ApiResponse refused;
    refused.status = 403;
    return refused;
  });
  EXPECT_EQ(Call(router, "GET", "/healthz").body, "health");
  EXPECT_EQ(Call(router, "GET", "/secret").status, 403);
  EXPECT_EQ(Call(router, "GET", "/nowhere").status, 403) << "even unknown paths are guarded";
}

TEST(RouterHeaderRouteTest, HeaderSelectsTheProtocol) {
  Router router;
  router.Add("GET", "/", Echo("root"));
  router.AddHeaderRoute("/", "x-amz-target", Echo("aws"));
  ApiRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers["x-amz-target"] = "SageMaker.ListTrainingJobs";
  ApiResponse out;
  router.Handle(request, [&](ApiResponse r) { out = std::move(r); });
  EXPECT_EQ(out.body, "aws");
  EXPECT_EQ(Call(router, "POST", "/").status, 405) << "without the header, POST / is not a route";
}

}  // namespace
}  // namespace trainyard::api
