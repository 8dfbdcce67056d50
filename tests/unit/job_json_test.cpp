#include "api/job_json.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "api/json_body.h"
#include "api/json_text.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

// Describe's text must be what dumping its tree gives, byte for byte: the
// REST protocol sends the one, the AWS protocol the other, and clients and
// the restart tests compare bodies.
void ExpectTextMatchesTree(const TrainingJob& job, const InstancePool* pool,
                           double upload_seconds = 60) {
  DescribedJob described = DescribeTrainingJobJson(job, pool, upload_seconds);
  EXPECT_EQ(described.ToText(), Dump(described.ToJson())) << "request: " << job.request_document;
}

// The benchmarks' request (bench/create_request.json), stored as Create
// stores it.
std::string BenchRequestDocument() {
  return Dump(json::parse(R"json({
  "TrainingJobName": "bench-template",
  "AlgorithmSpecification": {
    "TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
    "TrainingInputMode": "File"
  },
  "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
  "HyperParameters": {
    "objective": "binary:logistic",
    "num_round": "200",
    "trainyard.work_seconds": "3000",
    "trainyard.checkpoint_interval_seconds": "600"
  },
  "InputDataConfig": [
    {
      "ChannelName": "train",
      "DataSource": {
        "S3DataSource": {
          "S3DataType": "S3Prefix",
          "S3Uri": "s3://acme-ml-datasets/churn/train/"
        }
      },
      "ContentType": "text/csv"
    }
  ],
  "OutputDataConfig": {
    "S3OutputPath": "s3://acme-ml-models/churn/"
  },
  "ResourceConfig": {
    "InstanceType": "ml.m5.large",
    "InstanceCount": 1,
    "VolumeSizeInGB": 30
  },
  "StoppingCondition": {
    "MaxRuntimeInSeconds": 86400
  },
  "CheckpointConfig": {
    "S3Uri": "s3://acme-ml-models/churn/checkpoints/"
  },
  "Tags": [
    {
      "Key": "project",
      "Value": "customer-churn"
    },
    {
      "Key": "team",
      "Value": "growth-analytics"
    }
  ]
})json"));
}

InstancePool Pool() {
  InstancePool pool;
  pool.instance_type = "ml.m5.large";
  pool.on_demand_price_per_hour = 0.115;
  return pool;
}

TrainingJob PendingJob() {
  TrainingJob job;
  job.spec.name = "churn-xgb-7";
  job.spec.instance_type = "ml.m5.large";
  job.spec.s3_output_path = "s3://acme-ml-models/churn/";
  job.spec.tags = {{"project", "customer-churn"}, {"team", "growth-analytics"}};
  job.arn = "arn:aws:sagemaker:us-east-1:123456789012:training-job/churn-xgb-7";
  job.request_document = BenchRequestDocument();
  job.creation_time = 1767225600;
  job.last_modified_time = 1767225600;
  job.transitions.push_back({SecondaryStatus::kPending, 1767225600, std::nullopt,
                             "Waiting for 1 ml.m5.large on-demand instance"});
  return job;
}

TrainingJob InterruptedAndFinishedJob() {
  TrainingJob job = PendingJob();
  job.spec.managed_spot = true;
  job.status = JobStatus::kCompleted;
  job.secondary_status = SecondaryStatus::kCompleted;
  job.last_modified_time = 1767236401.25;
  job.training_start_time = 1767225720.5;
  job.training_end_time = 1767236401.25;
  job.transitions.back().end_time = 1767225601;
  job.transitions.push_back({SecondaryStatus::kTraining, 1767225601, 1767229000.125, "Training"});
  job.transitions.push_back({SecondaryStatus::kCompleted, 1767236401.25, std::nullopt, "Done"});
  Attempt first;
  first.number = 1;
  first.market = Market::kSpot;
  first.start_time = 1767225601;
  first.end_time = 1767229000.125;
  first.outcome = "Interrupted";
  first.progress_at_end = 1200;
  first.billed_seconds = 3399.125;
  first.billable_seconds = 1019.7375;
  first.cost = 0.0325749;
  Attempt second = first;
  second.number = 2;
  second.start_time = 1767229100;
  second.end_time = 1767236401.25;
  second.outcome = "";
  second.progress_at_start = 1200;
  second.progress_at_end = 3000;
  job.attempts = {first, second};
  job.interruptions = 1;
  job.lost_training_seconds = 600;
  return job;
}

TEST(DescribedJobTest, TextMatchesTreeForPendingAndFinishedJobs) {
  InstancePool pool = Pool();
  ExpectTextMatchesTree(PendingJob(), &pool);
  ExpectTextMatchesTree(PendingJob(), nullptr);
  ExpectTextMatchesTree(InterruptedAndFinishedJob(), &pool);
  ExpectTextMatchesTree(InterruptedAndFinishedJob(), nullptr);
}

TEST(DescribedJobTest, StateMembersReplaceOrHideTheRequestsOwn) {
  InstancePool pool = Pool();
  TrainingJob job = InterruptedAndFinishedJob();
  // Tags removed after creation: the request's Tags must not show.
  job.spec.tags.clear();
  ExpectTextMatchesTree(job, &pool);
  EXPECT_EQ(DescribeTrainingJobJson(job, &pool, 60).ToText().find("\"Tags\""), std::string::npos);
  // Tags added to a job created without any.
  job.spec.tags = {{"k", "v"}};
  json request = json::parse(job.request_document);
  request.erase("Tags");
  job.request_document = Dump(request);
  ExpectTextMatchesTree(job, &pool);
  // Members a request does not have in real life, but the merge must
  // handle: ones the state replaces, and ones it leaves alone when it has
  // nothing to say (no failure reason, no end time yet).
  request["TrainingJobArn"] = "arn:from-the-request";
  request["FailureReason"] = "from the request";
  request["TrainingEndTime"] = 1.5;
  request["Attempts"] = json::array({1, 2});
  request[""] = "empty key sorts first";
  request["aaa"] = "lower case sorts after upper";
  request["Zz"] = json::object({{"b", 1}, {"a", json::array({true, false, nullptr})}});
  job.request_document = Dump(request);
  job.failure_reason.clear();
  job.training_end_time.reset();
  ExpectTextMatchesTree(job, &pool);
  ExpectTextMatchesTree(job, nullptr);
  job.failure_reason = "AlgorithmError: out of memory";
  ExpectTextMatchesTree(job, &pool);
}

TEST(DescribedJobTest, StringsThatNeedEscapesOrReplacement) {
  InstancePool pool = Pool();
  TrainingJob job = InterruptedAndFinishedJob();
  job.spec.tags = {{"quote\"back\\slash", "tab\tnew\nline\x01\x1f\x7f"},
                   {"ünïcode €𝄞", "bad utf-8 \xff\xfe end"},
                   {"truncated \xe2\x82", "overlong \xc0\xaf surrogate \xed\xa0\x80"}};
  job.failure_reason = "ClientError: \"quoted\"\r\n";
  job.transitions.back().message = "message with \xe2\x82";
  job.attempts[0].outcome = "Interrupted \x02";
  job.spec.s3_output_path = "s3://bucket/\xc3";  // invalid where joined with "/"
  job.spec.name = "name";
  ExpectTextMatchesTree(job, &pool);
  json request = json::parse(job.request_document);
  request["Environment"] = {{"PATH", "/usr/bin:\"x\"\n\\"}, {"LANG", "é\u0001"}};
  job.request_document = Dump(request);
  ExpectTextMatchesTree(job, &pool);
}

TEST(DescribedJobTest, NumbersAsTheTreeWritesThem) {
  InstancePool pool = Pool();
  TrainingJob job = InterruptedAndFinishedJob();
  job.creation_time = -0.0;
  job.last_modified_time = 1e21;
  job.training_start_time = 1e-7;
  job.training_end_time = 0.1 + 0.2;
  job.attempts[0].cost = std::numeric_limits<double>::quiet_NaN();
  job.attempts[0].billed_seconds = std::numeric_limits<double>::infinity();
  job.attempts[1].cost = std::numeric_limits<double>::denorm_min();
  job.attempts[1].number = std::numeric_limits<int>::min();
  ExpectTextMatchesTree(job, &pool);
}

// Stored documents that are not as Dump writes them (made by hand, by an
// older build, or damaged) must still describe exactly as before.
TEST(DescribedJobTest, DocumentsNotWrittenByDumpTakeTheGeneralPath) {
  InstancePool pool = Pool();
  TrainingJob job = PendingJob();
  const std::vector<std::string> documents = {
      "",
      "{}",
      "[]",
      "null",
      "\"TrainingJobName\"",
      "{",
      "{\"a\":1}x",
      "{ \"b\": 1, \"a\": 2 }",
      "{\"b\":1,\"a\":2}",
      "{\"a\":1,\"a\":2}",
      "{\"a\":{\"y\":1,\"x\":2}}",
      "{\"a\\\"b\":1}",
      "{\"a\":1.50}",
      "{\"a\":1E5}",
      "{\"a\":1e5}",
      "{\"a\":-0}",
      "{\"a\":-0.0}",
      "{\"a\":01}",
      "{\"a\":1.}",
      "{\"a\":1e400}",
      "{\"a\":123456789012345678901234567890}",
      "{\"a\":9223372036854775807}",
      "{\"a\":-9223372036854775808}",
      "{\"a\":18446744073709551615}",
      "{\"a\":\"\\/\"}",
      "{\"a\":\"\\u0041\"}",
      "{\"a\":\"\\u00e9\"}",
      "{\"a\":\"\\u001F\"}",
      "{\"a\":\"\\u001f\"}",
      "{\"a\":\"\\u000a\"}",
      "{\"a\":\"raw\ncontrol\"}",
      "{\"a\":\"bad \xff utf-8\"}",
      "{\"a\":\"\xf4\x90\x80\x80\"}",
      "{\"a\":tru}",
      "{\"a\":[1,2,]}",
      "{\"a\":[1 ,2]}",
      std::string(100, '[') + std::string(100, ']'),
      "{\"a\":" + std::string(80, '[') + std::string(80, ']') + "}",
  };
  for (const std::string& document : documents) {
    job.request_document = document;
    ExpectTextMatchesTree(job, &pool);
  }
  std::string many = "{";
  for (int i = 0; i < 100; ++i) many += (i ? ",\"m" : "\"m") + std::to_string(1000 + i) + "\":1";
  job.request_document = many + "}";
  ExpectTextMatchesTree(job, &pool);
}

TEST(DescribedJobTest, RandomDocumentsAndJobs) {
  std::mt19937 random(7);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const std::array<std::string, 8> keys = {"Tags", "A", "TrainingJobName", "z", "CostSummary",
                                           "Zeta", "Attempts", "é"};
  const std::array<std::string, 5> strings = {"", "plain", "q\"uote", "ünï", "\x01"};
  std::function<json(int)> value = [&](int depth) -> json {
    switch (depth > 3 ? pick(5) : pick(7)) {
      case 0: return nullptr;
      case 1: return pick(2) == 0;
      case 2: return static_cast<int64_t>(random()) - (1LL << 31);
      case 3: return std::ldexp(static_cast<double>(random()), pick(80) - 40);
      case 4: return strings[static_cast<size_t>(pick(5))];
      case 5: {
        json array = json::array();
        for (int i = pick(4); i > 0; --i) array.push_back(value(depth + 1));
        return array;
      }
      default: {
        json object = json::object();
        for (int i = pick(5); i > 0; --i) object[keys[static_cast<size_t>(pick(8))]] = value(depth + 1);
        return object;
      }
    }
  };
  InstancePool pool = Pool();
  for (int round = 0; round < 500; ++round) {
    TrainingJob job = pick(2) ? PendingJob() : InterruptedAndFinishedJob();
    json request = json::object();
    for (int i = pick(10); i > 0; --i) request[keys[static_cast<size_t>(pick(8))]] = value(0);
    job.request_document = Dump(request);
    if (pick(3) == 0) job.spec.tags.clear();
    if (pick(3) == 0) job.failure_reason = strings[static_cast<size_t>(pick(5))];
    std::array<JsonMember, 64> members;
    size_t count = 0;
    ASSERT_TRUE(ReadDumpedObject(job.request_document, members, &count)) << job.request_document;
    ExpectTextMatchesTree(job, pick(4) ? &pool : nullptr);
  }
}

TEST(DumpedObjectTest, RecognisesWhatDumpWritesAndSplitsItsMembers) {
  std::string document = BenchRequestDocument();
  std::array<JsonMember, 64> members;
  size_t count = 0;
  ASSERT_TRUE(ReadDumpedObject(document, members, &count));
  json parsed = json::parse(document);
  ASSERT_EQ(count, parsed.size());
  size_t i = 0;
  for (const auto& [key, value] : parsed.items()) {
    EXPECT_EQ(members[i].key, key);
    EXPECT_EQ(members[i].value, Dump(value));
    ++i;
  }
  // More members than room for them: the caller takes the general path.
  EXPECT_FALSE(ReadDumpedObject(document, std::span(members).first(3), &count));
}

TEST(DescribedJobTest, JsonResponseSendsTheText) {
  InstancePool pool = Pool();
  TrainingJob job = InterruptedAndFinishedJob();
  ApiResponse response = JsonResponse(200, DescribeTrainingJobJson(job, &pool, 60));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, Dump(DescribeTrainingJobJson(job, &pool, 60).ToJson()));
  json tree = DescribeTrainingJobJson(job, &pool, 60);  // as the AWS protocol takes it
  EXPECT_EQ(tree["TrainingJobName"], "churn-xgb-7");
  EXPECT_EQ(tree["Attempts"].size(), 2u);
}

}  // namespace
}  // namespace trainyard::api
