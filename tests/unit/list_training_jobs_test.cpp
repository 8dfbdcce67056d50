#include "api/list_training_jobs.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace trainyard::api {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

::testing::AssertionResult Rejected(const json& params, std::initializer_list<std::string> fragments) {
  Result<JobQuery> result = ParseListTrainingJobs(params);
  if (result.ok()) return ::testing::AssertionFailure() << "accepted: " << params.dump();
  if (result.status().code() != ErrorCode::kValidation) {
    return ::testing::AssertionFailure() << "not a validation error: " << result.status().message();
  }
  for (const std::string& fragment : fragments) {
    if (result.status().message().find(fragment) == std::string::npos) {
      return ::testing::AssertionFailure()
             << "message '" << result.status().message() << "' lacks '" << fragment << "'";
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(ListTrainingJobsTest, NoParametersGiveTheDefaults) {
  for (const json& params : {json::object(), json()}) {
    Result<JobQuery> result = ParseListTrainingJobs(params);
    ASSERT_TRUE(result.ok()) << result.status().message();
    EXPECT_FALSE(result->status_equals.has_value());
    EXPECT_EQ(result->name_contains, "");
    EXPECT_FALSE(result->creation_time_after.has_value());
    EXPECT_EQ(result->sort_by, JobSortBy::kCreationTime);
    EXPECT_EQ(result->sort_order, SortOrder::kAscending);
    EXPECT_EQ(result->max_results, 10);
    EXPECT_EQ(result->next_token, "");
  }
}

TEST(ListTrainingJobsTest, QueryStringValuesAreAllStrings) {
  json params = {{"StatusEquals", "Completed"},       {"NameContains", "rail-2026"},
                 {"CreationTimeAfter", "1767225600"}, {"CreationTimeBefore", "1767225600.5"},
                 {"LastModifiedTimeAfter", "100"},    {"LastModifiedTimeBefore", "200"},
                 {"SortBy", "Name"},                  {"SortOrder", "Descending"},
                 {"MaxResults", "100"},               {"NextToken", "opaque/+=token"}};
  Result<JobQuery> result = ParseListTrainingJobs(params);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->status_equals, JobStatus::kCompleted);
  EXPECT_EQ(result->name_contains, "rail-2026");
  EXPECT_EQ(result->creation_time_after, 1767225600.0);
  EXPECT_EQ(result->creation_time_before, 1767225600.5);
  EXPECT_EQ(result->last_modified_time_after, 100.0);
  EXPECT_EQ(result->last_modified_time_before, 200.0);
  EXPECT_EQ(result->sort_by, JobSortBy::kName);
  EXPECT_EQ(result->sort_order, SortOrder::kDescending);
  EXPECT_EQ(result->max_results, 100);
  EXPECT_EQ(result->next_token, "opaque/+=token");
}

TEST(ListTrainingJobsTest, AwsJsonBodyUsesNumbers) {
  json params = {{"CreationTimeAfter", 1767225600.25}, {"CreationTimeBefore", 1767229200},
                 {"MaxResults", 1}, {"SortBy", "Status"}};
  Result<JobQuery> result = ParseListTrainingJobs(params);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->creation_time_after, 1767225600.25);
  EXPECT_EQ(result->creation_time_before, 1767229200.0);
  EXPECT_EQ(result->max_results, 1);
  EXPECT_EQ(result->sort_by, JobSortBy::kStatus);
}

TEST(ListTrainingJobsTest, Iso8601Timestamps) {
  struct Case {
    const char* text;
    double epoch;
  };
  for (const Case& c : {Case{"2026-01-01T00:00:00Z", 1767225600},
                        Case{"2026-01-01", 1767225600},
                        Case{"2026-01-01T00:00:00.250Z", 1767225600.25},
                        Case{"2026-01-01T02:00:00+02:00", 1767225600},
                        Case{"2025-12-31T19:00:00-0500", 1767225600},
                        Case{"2026-01-01T00:00", 1767225600},
                        Case{"1970-01-01T00:00:00Z", 0}}) {
    Result<JobQuery> result = ParseListTrainingJobs({{"LastModifiedTimeAfter", c.text}});
    ASSERT_TRUE(result.ok()) << c.text << ": " << result.status().message();
    EXPECT_DOUBLE_EQ(*result->last_modified_time_after, c.epoch) << c.text;
  }
}

TEST(ListTrainingJobsTest, BadTimestampsNameTheMember) {
  for (const char* bad : {"yesterday", "2026-02-30", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00Q",
                          "2026-1-1", "", "nan", "inf"}) {
    EXPECT_TRUE(Rejected({{"CreationTimeBefore", bad}},
                         {"CreationTimeBefore must be a timestamp", "ISO 8601"}))
        << bad;
  }
  EXPECT_TRUE(Rejected({{"CreationTimeAfter", true}}, {"CreationTimeAfter must be a timestamp"}));
}

TEST(ListTrainingJobsTest, EnumsAreChecked) {
  EXPECT_TRUE(Rejected({{"StatusEquals", "Running"}},
                       {"StatusEquals must be one of InProgress, Completed, Failed, Stopping, "
                        "Stopped (got 'Running')"}));
  EXPECT_TRUE(Rejected({{"SortBy", "LastModifiedTime"}}, {"SortBy must be one of"}));
  EXPECT_TRUE(Rejected({{"SortOrder", "descending"}}, {"SortOrder must be one of Ascending, Descending"}));
  EXPECT_TRUE(Rejected({{"StatusEquals", 1}}, {"StatusEquals must be a string"}));
  for (const char* status : {"InProgress", "Completed", "Failed", "Stopping", "Stopped"}) {
    Result<JobQuery> result = ParseListTrainingJobs({{"StatusEquals", status}});
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(ToString(*result->status_equals), status);
  }
}

TEST(ListTrainingJobsTest, MaxResultsRange) {
  EXPECT_TRUE(Rejected({{"MaxResults", "0"}}, {"MaxResults must be >= 1 (got 0)"}));
  EXPECT_TRUE(Rejected({{"MaxResults", 101}}, {"MaxResults must be <= 100 (got 101)"}));
  EXPECT_TRUE(Rejected({{"MaxResults", "abc"}}, {"MaxResults must be an integer (got 'abc')"}));
  EXPECT_TRUE(Rejected({{"MaxResults", "10.0"}}, {"MaxResults must be an integer"}));
  EXPECT_TRUE(Rejected({{"MaxResults", 10.5}}, {"MaxResults must be an integer"}));
  EXPECT_TRUE(Rejected({{"MaxResults", 18446744073709551615ULL}}, {"MaxResults must be <= 100"}));
  EXPECT_TRUE(Rejected({{"MaxResults", "-5"}}, {"MaxResults must be >= 1 (got -5)"}));
}

TEST(ListTrainingJobsTest, NameContainsRules) {
  EXPECT_TRUE(Rejected({{"NameContains", "my_job"}}, {"NameContains must match the pattern"}));
  EXPECT_TRUE(Rejected({{"NameContains", std::string(64, 'a')}},
                       {"NameContains must be at most 63 characters"}));
  EXPECT_TRUE(Rejected({{"NameContains", ""}}, {"NameContains must not be empty"}));
  EXPECT_TRUE(ParseListTrainingJobs({{"NameContains", std::string(63, 'a')}}).ok());
}

TEST(ListTrainingJobsTest, NextTokenIsOpaqueButBounded) {
  EXPECT_TRUE(Rejected({{"NextToken", std::string(8193, 't')}},
                       {"NextToken must be at most 8192 characters"}));
  EXPECT_TRUE(Rejected({{"NextToken", 5}}, {"NextToken must be a string"}));
  EXPECT_TRUE(ParseListTrainingJobs({{"NextToken", std::string(8192, 't')}}).ok());
}

TEST(ListTrainingJobsTest, WarmPoolAndTrainingPlanFiltersAreCheckedThenIgnored) {
  Result<JobQuery> result = ParseListTrainingJobs(
      {{"WarmPoolStatusEquals", "Available"},
       {"TrainingPlanArnContains", "arn:aws:sagemaker:us-east-1:123456789012:training-plan/p"}});
  EXPECT_TRUE(result.ok()) << result.status().message();
  EXPECT_TRUE(Rejected({{"WarmPoolStatusEquals", "Warm"}}, {"WarmPoolStatusEquals must be one of"}));
  EXPECT_TRUE(Rejected({{"TrainingPlanArnContains", 3}}, {"TrainingPlanArnContains must be a string"}));
}

TEST(ListTrainingJobsTest, UnknownMembersAreRejectedByName) {
  EXPECT_TRUE(Rejected({{"StatusEqual", "Completed"}}, {"Unknown member 'StatusEqual'", "StatusEquals"}));
  EXPECT_TRUE(Rejected({{"maxresults", "5"}}, {"Unknown member 'maxresults'"}));
}

TEST(ListTrainingJobsTest, ParametersMustBeAnObject) {
  EXPECT_TRUE(Rejected(json::array(), {"must be a JSON object", "got an array"}));
}

TEST(ListTrainingJobsTest, InvalidUtf8IsNotEchoedRaw) {
  Result<JobQuery> result = ParseListTrainingJobs({{"SortBy", std::string("N\xff\xfe")}});
  ASSERT_FALSE(result.ok());
  // Both invalid bytes are replaced ("N?" "?" avoids a trigraph).
  EXPECT_THAT(result.status().message(), HasSubstr("(got 'N?" "?')"));
}

}  // namespace
}  // namespace trainyard::api
