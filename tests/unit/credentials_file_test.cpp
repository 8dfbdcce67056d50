#include "api/credentials_file.h"

#include <gtest/gtest.h>

namespace trainyard::api {
namespace {

TEST(CredentialsFileTest, ReadsEveryProfileWithAKeyPair) {
  auto set = ParseCredentialsFile(
      "# written by aws configure\r\n"
      "[default]\r\n"
      "aws_access_key_id = AKIDDEFAULT\r\n"
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\r\n"
      "\n"
      "[ci]\n"
      "AWS_ACCESS_KEY_ID=AKIDCI\n"
      "; a comment\n"
      "aws_secret_access_key=ci=secret\n"
      "aws_session_token = token-1\n"
      "s3 =\n"
      "    max_concurrent_requests = 20\n"
      "\n"
      "[settings-only]\n"
      "region = eu-west-1\n");
  ASSERT_TRUE(set.ok()) << set.status().message();
  ASSERT_EQ(set->size(), 2u);
  const AwsCredential& main = set->at("AKIDDEFAULT");
  EXPECT_EQ(main.profile, "default");
  EXPECT_EQ(main.secret_access_key, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  EXPECT_EQ(main.session_token, "");
  const AwsCredential& ci = set->at("AKIDCI");
  EXPECT_EQ(ci.secret_access_key, "ci=secret");  // split at the first '='
  EXPECT_EQ(ci.session_token, "token-1");
}

TEST(CredentialsFileTest, RejectsWhatIsNotACredentialsFile) {
  EXPECT_FALSE(ParseCredentialsFile("").ok());
  EXPECT_FALSE(ParseCredentialsFile("[default]\nregion = us-east-1\n").ok());
  EXPECT_FALSE(ParseCredentialsFile("aws_access_key_id = A\n").ok());
  EXPECT_FALSE(ParseCredentialsFile("[default\naws_access_key_id = A\n").ok());
  EXPECT_FALSE(ParseCredentialsFile("[default]\njust words\n").ok());
  auto empty = ParseCredentialsFile("[default]\naws_access_key_id = A\naws_secret_access_key =\n");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("[default]"), std::string::npos);
}

TEST(CredentialsFileTest, OneKeyCannotHaveTwoSecrets) {
  auto set = ParseCredentialsFile(
      "[a]\naws_access_key_id = K\naws_secret_access_key = one\n"
      "[b]\naws_access_key_id = K\naws_secret_access_key = two\n");
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find("[a] and [b]"), std::string::npos);
  EXPECT_TRUE(ParseCredentialsFile(
                  "[a]\naws_access_key_id = K\naws_secret_access_key = one\n"
                  "[b]\naws_access_key_id = K\naws_secret_access_key = one\n")
                  .ok());
}

TEST(CredentialsFileTest, LoadNamesTheFile) {
  auto set = LoadCredentialsFile("/nonexistent/credentials");
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.status().message().find("/nonexistent/credentials"), std::string::npos);
}

}  // namespace
}  // namespace trainyard::api
