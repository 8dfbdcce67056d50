// The --jobs file: every line held to the server's CreateTrainingJob rules,
// bad lines reported with their line numbers, all of them in one pass.
#include "server/simulate/workload_file.h"

#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/workload_fixture.h"

namespace trainyard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::Line;

Catalogue TestCatalogue() {
  return Catalogue({{"ml.p3.2xlarge", 3.825, 4, 4, 0.3, 0.0, 120, 10}});
}

WorkloadFile Read(const std::string& text, size_t max_errors = 20) {
  std::istringstream in(text);
  return ReadWorkload(in, TestCatalogue(), max_errors);
}

TEST(WorkloadFileTest, ParsesALineIntoTheEnginesSpec) {
  const std::string line =
      Line("resnet").At(90.5).Count(2).Work(7200).Spot().MaxRuntime(10800).Text();
  auto job = ParseWorkloadLine(line, TestCatalogue());
  ASSERT_TRUE(job.ok()) << job.status().message();
  EXPECT_EQ(job->submit_time, 90.5);
  EXPECT_EQ(job->spec.name, "resnet");
  EXPECT_EQ(job->spec.instance_type, "ml.p3.2xlarge");
  EXPECT_EQ(job->spec.instance_count, 2);
  EXPECT_TRUE(job->spec.managed_spot);
  EXPECT_EQ(job->spec.max_runtime_seconds, 10800);
  EXPECT_EQ(job->spec.max_wait_seconds, 21600);
  EXPECT_EQ(job->spec.workload.work_seconds, 7200);
}

// Members in any order, spaces anywhere, an escaped key: JSON is JSON.
TEST(WorkloadFileTest, AcceptsAnyJsonSpellingOfALine) {
  const std::string request = Line("a").Request().dump();
  for (const std::string& line : {
           "{\"SubmitTime\": 5, \"Request\": " + request + "}",
           "  { \"Request\" : " + request + " , \"SubmitTime\" : 5 }  ",
           "{\"Submit\\u0054ime\": 5, \"Request\": " + request + "}",
           "{\"SubmitTime\": 5e0, \"Request\": " + request + "}\r",
       }) {
    auto job = ParseWorkloadLine(line, TestCatalogue());
    ASSERT_TRUE(job.ok()) << line << "\n" << job.status().message();
    EXPECT_EQ(job->submit_time, 5);
    EXPECT_EQ(job->spec.name, "a");
  }
}

TEST(WorkloadFileTest, NamesWhatIsWrongWithALine) {
  const std::string request = Line("a").Request().dump();
  auto error = [](const std::string& line) {
    auto job = ParseWorkloadLine(line, TestCatalogue());
    return job.ok() ? std::string("(accepted)") : job.status().message();
  };
  EXPECT_THAT(error("{\"SubmitTime\": 1, \"Request\": "), StartsWith("not valid JSON"));
  EXPECT_THAT(error("{\"SubmitTime\": 1, \"Request\": " + request + ",}"),
              StartsWith("not valid JSON"));
  EXPECT_THAT(error("[1, 2]"), StartsWith("not a JSON object"));
  EXPECT_THAT(error("{\"Request\": " + request + "}"), StartsWith("SubmitTime is required"));
  EXPECT_THAT(error("{\"SubmitTime\": 1}"), StartsWith("Request is required"));
  EXPECT_THAT(error("{\"SubmitTime\": -1, \"Request\": " + request + "}"),
              StartsWith("SubmitTime must be a number of seconds between 0 and"));
  EXPECT_THAT(error("{\"SubmitTime\": \"10\", \"Request\": " + request + "}"),
              HasSubstr("(got \"10\")"));
  EXPECT_THAT(error("{\"SubmitTime\": 1e12, \"Request\": " + request + "}"),
              StartsWith("SubmitTime must be"));
  EXPECT_THAT(error("{\"SubmitTime\": 1, \"Request\": [1]}"),
              StartsWith("Request must be a JSON object"));
  EXPECT_THAT(error("{\"SubmitTime\": 1, \"Request\": " + request + ", \"Priority\": 3}"),
              StartsWith("unknown member 'Priority'"));
  // The request itself: the server's own messages, naming the member.
  EXPECT_EQ(error(Line("a").Type("ml.z9.huge").Text()),
            "Request: ResourceConfig.InstanceType 'ml.z9.huge' is not an instance type "
            "trainyard offers; valid types: ml.p3.2xlarge");
  EXPECT_THAT(error(Line("a").Spot().MaxRuntime(3600).MaxWait(60).Text()),
              StartsWith("Request: StoppingCondition.MaxWaitTimeInSeconds must be >="));
  EXPECT_THAT(error(Line("bad_name!").Text()), StartsWith("Request: TrainingJobName"));
  EXPECT_THAT(error("{\"SubmitTime\": 1, \"Request\": {\"TrainingJobName\": \"a\",}}"),
              StartsWith("Request: Request body is not valid JSON"));
}

TEST(WorkloadFileTest, ReportsEveryBadLineWithItsNumber) {
  const std::string text = Line("good-1").Text() + "\n" +       // line 1
                           "\n" +                                // 2: blank, skipped
                           "{not json\n" +                       // 3
                           Line("good-2").At(7).Text() + "\n" +  // 4
                           Line("x").Count(0).Text() + "\n" +    // 5
                           Line("good-1").Text() + "\n" +        // 6
                           "{\"SubmitTime\": 1}";                // 7, no final newline
  WorkloadFile file = Read(text);
  EXPECT_EQ(file.bad_lines, 4);
  ASSERT_EQ(file.errors.size(), 4);
  EXPECT_THAT(file.errors[0], StartsWith("line 3: not valid JSON"));
  EXPECT_THAT(file.errors[1], StartsWith("line 5: Request: ResourceConfig.InstanceCount"));
  EXPECT_EQ(file.errors[2],
            "line 6: TrainingJobName 'good-1' is already used on line 1; job names must be "
            "unique");
  EXPECT_THAT(file.errors[3], StartsWith("line 7: Request is required"));
  ASSERT_EQ(file.jobs.size(), 2);
  EXPECT_EQ(file.jobs[0].line, 1);
  EXPECT_EQ(file.jobs[1].line, 4);
  EXPECT_EQ(file.jobs[1].submit_time, 7);
}

TEST(WorkloadFileTest, CountsAllBadLinesButReportsOnlyTheFirstFew) {
  std::string text;
  for (int i = 0; i < 10; ++i) text += "oops\n";
  WorkloadFile file = Read(text, 3);
  EXPECT_EQ(file.bad_lines, 10);
  ASSERT_EQ(file.errors.size(), 3);
  EXPECT_THAT(file.errors[2], StartsWith("line 3: "));
}

// Validation runs on several threads in batches; the result must not show it.
TEST(WorkloadFileTest, ManyLinesKeepTheirOrderAndNumbers) {
  std::string text;
  const int n = 10000;
  for (int i = 0; i < n; ++i) {
    text += i == 6000 ? std::string("bad\n")
                      : Line("job-" + std::to_string(i)).At(1.0 * i).Text() +
                            "\n";
  }
  WorkloadFile file = Read(text);
  ASSERT_EQ(file.jobs.size(), n - 1);
  EXPECT_THAT(file.errors, ElementsAre(StartsWith("line 6001: ")));
  for (size_t i = 0; i < file.jobs.size(); ++i) {
    const size_t index = i < 6000 ? i : i + 1;
    ASSERT_EQ(file.jobs[i].spec.name, "job-" + std::to_string(index));
    ASSERT_EQ(file.jobs[i].line, index + 1);
  }
}

TEST(WorkloadFileTest, SubmissionOrderIsByTimeThenFileOrder) {
  WorkloadJobs jobs(5);
  const double times[] = {30, 10, 30, 0, 10};
  for (size_t i = 0; i < 5; ++i) jobs[i].submit_time = times[i];
  EXPECT_THAT(SubmissionOrder(jobs), ElementsAre(3, 1, 4, 0, 2));
}

}  // namespace
}  // namespace trainyard
