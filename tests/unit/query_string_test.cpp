#include "api/query_string.h"

#include <gtest/gtest.h>

namespace trainyard::api {
namespace {

TEST(QueryStringTest, ParsesAndDecodes) {
  auto params = ParseQueryString("NameContains=abc&NextToken=a%2Bb%3D&SortBy=Name&x=1+2");
  ASSERT_TRUE(params.ok()) << params.status().message();
  EXPECT_EQ(params->at("NameContains"), "abc");
  EXPECT_EQ(params->at("NextToken"), "a+b=");
  EXPECT_EQ(params->at("SortBy"), "Name");
  EXPECT_EQ(params->at("x"), "1 2");
}

TEST(QueryStringTest, EmptyQueryHasNoParameters) {
  auto params = ParseQueryString("");
  ASSERT_TRUE(params.ok());
  EXPECT_TRUE(params->empty());
}

TEST(QueryStringTest, RepeatedParameterIsRejectedByName) {
  auto params = ParseQueryString("MaxResults=1&MaxResults=2");
  ASSERT_FALSE(params.ok());
  EXPECT_EQ(params.status().code(), ErrorCode::kValidation);
  EXPECT_NE(params.status().message().find("MaxResults"), std::string::npos);
}

TEST(QueryStringTest, MalformedEscapeIsRejected) {
  EXPECT_FALSE(ParseQueryString("a=%4").ok());
  EXPECT_FALSE(ParseQueryString("a=%g1").ok());
  EXPECT_FALSE(PercentDecode("%", false).has_value());
  EXPECT_EQ(*PercentDecode("%41%42", false), "AB");
  EXPECT_EQ(*PercentDecode("a+b", false), "a+b");
}

}  // namespace
}  // namespace trainyard::api
