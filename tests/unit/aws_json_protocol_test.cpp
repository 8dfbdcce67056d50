// The AWS JSON 1.1 protocol through the Router, over a fake JobService: the
// envelope (target, content type, errors, request id) and each operation's
// input checks and output members.
#include "api/aws_json_protocol.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <map>
#include <nlohmann/json.hpp>

#include "api/router.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

// Keeps jobs in a map and answers at once, on the caller's thread.
class FakeJobService : public JobService {
 public:
  void CreateJob(TrainingJob job, JobDone done) override {
    if (jobs_.count(job.spec.name)) return done(Status::InUse("Training job names must be unique"));
    job.creation_time = job.last_modified_time = 1767225600;
    jobs_[job.spec.name] = job;
    done(job);
  }
  void StopJob(std::string name, JobDone done) override {
    auto it = jobs_.find(name);
    if (it == jobs_.end()) return done(Status::NotFound("Training job '" + name + "' does not exist"));
    it->second.status = JobStatus::kStopping;
    ++stops;
    done(it->second);
  }
  void AddTags(std::string name, std::vector<std::pair<std::string, std::string>> tags,
               JobDone done) override {
    auto it = jobs_.find(name);
    if (it == jobs_.end()) return done(Status::NotFound("Training job '" + name + "' does not exist"));
    for (auto& tag : tags) it->second.spec.tags.push_back(std::move(tag));
    done(it->second);
  }
  void DeleteTags(std::string name, std::vector<std::string> keys, JobDone done) override {
    auto it = jobs_.find(name);
    if (it == jobs_.end()) return done(Status::NotFound("Training job '" + name + "' does not exist"));
    std::erase_if(it->second.spec.tags, [&](const auto& t) {
      return std::find(keys.begin(), keys.end(), t.first) != keys.end();
    });
    done(it->second);
  }
  Result<TrainingJob> DescribeJob(std::string_view name) override {
    auto it = jobs_.find(std::string(name));
    if (it == jobs_.end()) return Status::NotFound("Training job '" + std::string(name) + "' does not exist");
    return it->second;
  }
  Result<JobPage> ListJobs(const JobQuery& query) override {
    last_query = query;
    JobPage page;
    for (const auto& [name, job] : jobs_) {
      if (static_cast<int>(page.jobs.size()) == query.max_results) {
        page.next_token = "more";
        break;
      }
      page.jobs.push_back({name, job.arn, job.status, job.secondary_status, job.creation_time,
                           job.last_modified_time, std::nullopt});
    }
    return page;
  }

  Result<std::map<JobStatus, int64_t>> CountJobsByStatus() override {
    std::map<JobStatus, int64_t> counts;
    for (const auto& [name, job] : jobs_) ++counts[job.status];
    return counts;
  }

  int stops = 0;
  JobQuery last_query;

 private:
  std::map<std::string, TrainingJob> jobs_;
};

json CreateRequest(const std::string& name) {
  return {{"TrainingJobName", name},
          {"AlgorithmSpecification",
           {{"TrainingImage", "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"},
            {"TrainingInputMode", "File"}}},
          {"RoleArn", "arn:aws:iam::123456789012:role/SageMakerRole"},
          {"OutputDataConfig", {{"S3OutputPath", "s3://bucket/output"}}},
          {"ResourceConfig", {{"InstanceType", "ml.m5.large"}, {"InstanceCount", 1}, {"VolumeSizeInGB", 10}}},
          {"StoppingCondition", {{"MaxRuntimeInSeconds", 3600}}},
          {"Tags", {{{"Key", "team"}, {"Value", "vision"}}, {{"Key", "env"}, {"Value", "dev"}}}}};
}

class AwsJsonProtocolTest : public ::testing::Test {
 protected:
  AwsJsonProtocolTest() : catalogue_(Catalogue::BuiltIn()) {
    RestContext ctx;
    ctx.jobs = &jobs_;
    ctx.catalogue = &catalogue_;
    AddAwsJsonProtocol(router_, ctx);
  }

  ApiResponse Raw(const std::string& target, const std::string& body,
                  const std::string& content_type = "application/x-amz-json-1.1") {
    ApiRequest request;
    request.method = "POST";
    request.path = "/";
    request.headers["x-amz-target"] = target;
    if (!content_type.empty()) request.headers["content-type"] = content_type;
    request.body = body;
    ApiResponse out;
    int calls = 0;
    router_.Handle(request, [&](ApiResponse r) {
      out = std::move(r);
      ++calls;
    });
    EXPECT_EQ(calls, 1);
    return out;
  }

  ApiResponse Call(const std::string& operation, const json& input) {
    return Raw("SageMaker." + operation, input.dump());
  }

  static std::string ErrorType(const ApiResponse& r) { return json::parse(r.body).value("__type", ""); }
  static std::string Header(const ApiResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  std::string Arn(const std::string& name) {
    return "arn:aws:sagemaker:us-east-1:123456789012:training-job/" + name;
  }

  FakeJobService jobs_;
  Catalogue catalogue_;
  Router router_;
};

TEST_F(AwsJsonProtocolTest, UnknownTargetIsUnknownOperation) {
  for (const char* target : {"SageMaker.DeleteEverything", "DynamoDB_20120810.ListTables", "ListTrainingJobs"}) {
    ApiResponse r = Raw(target, "{}");
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(ErrorType(r), "UnknownOperationException") << target;
  }
}

TEST_F(AwsJsonProtocolTest, EnvelopeChecksContentTypeAndJson) {
  EXPECT_EQ(Raw("SageMaker.ListTrainingJobs", "{}", "application/json").status, 200);
  EXPECT_EQ(Raw("SageMaker.ListTrainingJobs", "{}", "application/x-amz-json-1.1; charset=utf-8").status, 200);
  EXPECT_EQ(ErrorType(Raw("SageMaker.ListTrainingJobs", "{}", "application/x-www-form-urlencoded")),
            "UnknownOperationException");
  EXPECT_EQ(ErrorType(Raw("SageMaker.ListTrainingJobs", "{}", "")), "UnknownOperationException");
  EXPECT_EQ(ErrorType(Raw("SageMaker.ListTrainingJobs", "{\"MaxResults\":")), "SerializationException");
  EXPECT_EQ(ErrorType(Raw("SageMaker.ListTrainingJobs", "[]")), "SerializationException");
  EXPECT_EQ(Raw("SageMaker.ListTrainingJobs", "").status, 200);  // an empty body is {}
}

TEST_F(AwsJsonProtocolTest, CreateAnswersTheArnInTheProtocolsEnvelope) {
  ApiResponse r = Call("CreateTrainingJob", CreateRequest("job-1"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body), json({{"TrainingJobArn", Arn("job-1")}}));
  EXPECT_EQ(r.content_type, "application/x-amz-json-1.1");
  EXPECT_EQ(Header(r, "x-amzn-RequestId").size(), 36u);
  EXPECT_NE(Header(r, "x-amzn-RequestId"), Header(Call("CreateTrainingJob", CreateRequest("job-2")), "x-amzn-RequestId"));
}

TEST_F(AwsJsonProtocolTest, CreateErrorsAre400WithTheirType) {
  ASSERT_EQ(Call("CreateTrainingJob", CreateRequest("job-1")).status, 200);
  ApiResponse duplicate = Call("CreateTrainingJob", CreateRequest("job-1"));
  EXPECT_EQ(duplicate.status, 400);  // REST says 409; SageMaker's JSON protocol says 400
  EXPECT_EQ(ErrorType(duplicate), "ResourceInUse");
  EXPECT_EQ(duplicate.content_type, "application/x-amz-json-1.1");
  EXPECT_FALSE(Header(duplicate, "x-amzn-RequestId").empty());

  json invalid = CreateRequest("job-2");
  invalid["ResourceConfig"]["InstanceCount"] = "one";
  ApiResponse r = Call("CreateTrainingJob", invalid);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorType(r), "ValidationException");
  EXPECT_NE(json::parse(r.body)["message"].get<std::string>().find("ResourceConfig.InstanceCount"),
            std::string::npos);
}

TEST_F(AwsJsonProtocolTest, DescribeShowsTheJobWithEpochSecondsAndWholeSeconds) {
  ASSERT_EQ(Call("CreateTrainingJob", CreateRequest("job-1")).status, 200);
  ApiResponse r = Call("DescribeTrainingJob", json{{"TrainingJobName", "job-1"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["TrainingJobName"], "job-1");
  EXPECT_EQ(body["TrainingJobArn"], Arn("job-1"));
  EXPECT_TRUE(body["CreationTime"].is_number());
  EXPECT_EQ(body["CreationTime"], 1767225600);
  EXPECT_EQ(body["ResourceConfig"]["InstanceType"], "ml.m5.large");
}

TEST_F(AwsJsonProtocolTest, DescribeAndStopOfAMissingJobAreValidationExceptions) {
  for (const char* op : {"DescribeTrainingJob", "StopTrainingJob"}) {
    ApiResponse r = Call(op, json{{"TrainingJobName", "nope"}});
    EXPECT_EQ(r.status, 400) << op;
    EXPECT_EQ(json::parse(r.body), json({{"__type", "ValidationException"},
                                         {"message", "Requested resource not found."}}))
        << op;
  }
}

TEST_F(AwsJsonProtocolTest, DescribeChecksItsInput) {
  EXPECT_EQ(ErrorType(Call("DescribeTrainingJob", json::object())), "ValidationException");
  EXPECT_EQ(ErrorType(Call("DescribeTrainingJob", json{{"TrainingJobName", "bad_name"}})), "ValidationException");
  EXPECT_EQ(ErrorType(Call("DescribeTrainingJob", json{{"TrainingJobName", 7}})), "ValidationException");
  EXPECT_EQ(ErrorType(Call("DescribeTrainingJob", json{{"TrainingJobName", "a"}, {"Extra", 1}})),
            "ValidationException");
}

TEST_F(AwsJsonProtocolTest, ListTakesNumbersAndPages) {
  for (const char* name : {"a-1", "a-2", "a-3"}) ASSERT_EQ(Call("CreateTrainingJob", CreateRequest(name)).status, 200);
  ApiResponse r = Call("ListTrainingJobs", json{{"MaxResults", 2}, {"CreationTimeAfter", 1700000000.5},
                                                {"SortOrder", "Descending"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json body = json::parse(r.body);
  EXPECT_EQ(body["TrainingJobSummaries"].size(), 2u);
  EXPECT_EQ(body["NextToken"], "more");
  EXPECT_EQ(jobs_.last_query.max_results, 2);
  EXPECT_EQ(jobs_.last_query.creation_time_after, 1700000000.5);
  EXPECT_EQ(jobs_.last_query.sort_order, SortOrder::kDescending);
  EXPECT_EQ(ErrorType(Call("ListTrainingJobs", json{{"MaxResults", 101}})), "ValidationException");
}

TEST_F(AwsJsonProtocolTest, StopAnswersAnEmptyObject) {
  ASSERT_EQ(Call("CreateTrainingJob", CreateRequest("job-1")).status, 200);
  ApiResponse r = Call("StopTrainingJob", json{{"TrainingJobName", "job-1"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(jobs_.stops, 1);
}

TEST_F(AwsJsonProtocolTest, ListTagsReadsTheJobsTags) {
  ASSERT_EQ(Call("CreateTrainingJob", CreateRequest("job-1")).status, 200);
  ApiResponse r = Call("ListTags", json{{"ResourceArn", Arn("job-1")}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body),
            json::parse(R"({"Tags":[{"Key":"team","Value":"vision"},{"Key":"env","Value":"dev"}]})"));

  EXPECT_EQ(ErrorType(Call("ListTags", json{{"ResourceArn", Arn("nope")}})), "ValidationException");
  EXPECT_EQ(ErrorType(Call("ListTags", json{{"ResourceArn", "not-an-arn"}})), "ValidationException");
  EXPECT_EQ(ErrorType(Call("ListTags", json{{"ResourceArn", Arn("job-1")}, {"MaxResults", 10}})),
            "ValidationException");  // SageMaker's minimum is 50
  // Another account's job, and another kind of resource, are not ours.
  EXPECT_EQ(ErrorType(Call("ListTags", json{{"ResourceArn",
                                             "arn:aws:sagemaker:us-east-1:999999999999:training-job/job-1"}})),
            "ValidationException");
  EXPECT_EQ(ErrorType(Call("ListTags", json{{"ResourceArn",
                                             "arn:aws:sagemaker:us-east-1:123456789012:endpoint/job-1"}})),
            "ValidationException");
}

TEST_F(AwsJsonProtocolTest, AddAndDeleteTagsChangeTheJobsTags) {
  ASSERT_EQ(Call("CreateTrainingJob", CreateRequest("job-1")).status, 200);
  ApiResponse add = Call("AddTags", json{{"ResourceArn", Arn("job-1")},
                                         {"Tags", {{{"Key", "owner"}, {"Value", "me"}}}}});
  EXPECT_EQ(add.status, 200);
  EXPECT_EQ(json::parse(add.body)["Tags"][0]["Key"], "owner");
  ApiResponse listed = Call("ListTags", json{{"ResourceArn", Arn("job-1")}});
  EXPECT_NE(listed.body.find("\"owner\""), std::string::npos) << listed.body;
  ApiResponse del = Call("DeleteTags", json{{"ResourceArn", Arn("job-1")}, {"TagKeys", {"owner"}}});
  EXPECT_EQ(del.status, 200);
  EXPECT_EQ(del.body, "{}");
  listed = Call("ListTags", json{{"ResourceArn", Arn("job-1")}});
  EXPECT_EQ(listed.body.find("\"owner\""), std::string::npos) << listed.body;

  EXPECT_EQ(ErrorType(Call("AddTags", json{{"ResourceArn", Arn("job-1")},
                                           {"Tags", {{{"Key", "bad{key"}, {"Value", "x"}}}}})),
            "ValidationException");
  EXPECT_EQ(ErrorType(Call("DeleteTags", json{{"ResourceArn", Arn("job-1")}, {"TagKeys", json::array()}})),
            "ValidationException");
  EXPECT_EQ(ErrorType(Call("AddTags", json{{"ResourceArn", Arn("nope")}, {"Tags", json::array()}})),
            "ValidationException");
}

TEST_F(AwsJsonProtocolTest, OnlyPostToRootWithTheTargetIsTheProtocol) {
  ApiRequest request;
  request.method = "POST";
  request.path = "/";
  ApiResponse out;
  router_.Handle(request, [&](ApiResponse r) { out = std::move(r); });
  EXPECT_EQ(out.status, 404);
  EXPECT_FALSE(IsAwsJsonRequest(request));
  request.headers["x-amz-target"] = "SageMaker.ListTrainingJobs";
  EXPECT_TRUE(IsAwsJsonRequest(request));
}

}  // namespace
}  // namespace trainyard::api
