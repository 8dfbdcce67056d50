#include "api/job_name.h"

#include <gtest/gtest.h>

#include <string>

namespace trainyard::api {
namespace {

TEST(JobNameTest, AcceptsSageMakerNames) {
  EXPECT_TRUE(IsValidTrainingJobName("a"));
  EXPECT_TRUE(IsValidTrainingJobName("resnet50-imagenet-2026-01-01"));
  EXPECT_TRUE(IsValidTrainingJobName("a--b"));
  EXPECT_TRUE(IsValidTrainingJobName(std::string(63, 'x')));
}

TEST(JobNameTest, RejectsWhatThePatternRejects) {
  EXPECT_FALSE(IsValidTrainingJobName(""));
  EXPECT_FALSE(IsValidTrainingJobName(std::string(64, 'x')));
  EXPECT_FALSE(IsValidTrainingJobName("-leading"));
  EXPECT_FALSE(IsValidTrainingJobName("trailing-"));
  EXPECT_FALSE(IsValidTrainingJobName("under_score"));
  EXPECT_FALSE(IsValidTrainingJobName("dot.name"));
  EXPECT_FALSE(IsValidTrainingJobName("space name"));
}

}  // namespace
}  // namespace trainyard::api
