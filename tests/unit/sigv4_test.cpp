// SigV4: the algorithm against AWS's published test suite
// (aws-sig-v4-test-suite: AKIDEXAMPLE, service "service", us-east-1,
// 20150830T123600Z), then the verifier's answers to each kind of bad request.
#include "api/sigv4.h"

#include <gtest/gtest.h>

#include "api/sigv4_verifier.h"

namespace trainyard::api {
namespace {

constexpr char kAccessKey[] = "AKIDEXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kAmzDate[] = "20150830T123600Z";
constexpr int64_t kSignedAt = 1440938160;  // 2015-08-30T12:36:00Z
constexpr char kEmptyHash[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const CredentialScope kSuiteScope{"20150830", "us-east-1", "service", "aws4_request"};

struct SuiteCase {
  std::string method;
  std::string path;
  std::string query;
  std::map<std::string, std::string> headers;
  std::vector<std::string> signed_headers;
  std::string body;
};

std::string Canonical(const SuiteCase& c) {
  SigV4Request request;
  request.method = c.method;
  request.path = c.path;
  request.query = c.query;
  request.headers = &c.headers;
  request.signed_headers = c.signed_headers;
  request.payload_hash = Sha256Hex(c.body);
  return CanonicalRequest(request);
}

std::string Sign(const SuiteCase& c) {
  return SignatureHex(SigningKey(kSecret, kSuiteScope), StringToSign(kAmzDate, kSuiteScope, Canonical(c)));
}

SuiteCase Vanilla(std::string method) {
  return {std::move(method), "/", "",
          {{"host", "example.amazonaws.com"}, {"x-amz-date", kAmzDate}},
          {"host", "x-amz-date"}, ""};
}

TEST(SigV4SuiteTest, SigningKey) {
  EXPECT_EQ(HexEncode(SigningKey(kSecret, kSuiteScope)),
            "938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75");
}

TEST(SigV4SuiteTest, GetVanilla) {
  SuiteCase c = Vanilla("GET");
  std::string canonical = Canonical(c);
  EXPECT_EQ(canonical,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\n" + std::string(kEmptyHash));
  EXPECT_EQ(StringToSign(kAmzDate, kSuiteScope, canonical),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(Sign(c), "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4SuiteTest, PostVanilla) {
  SuiteCase c = Vanilla("POST");
  std::string canonical = Canonical(c);
  EXPECT_EQ(canonical,
            "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\n" + std::string(kEmptyHash));
  EXPECT_EQ(StringToSign(kAmzDate, kSuiteScope, canonical),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87");
  EXPECT_EQ(Sign(c), "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(SigV4SuiteTest, GetVanillaQueryOrderKeyCase) {
  SuiteCase c = Vanilla("GET");
  c.query = "Param2=value2&Param1=value1";
  std::string canonical = Canonical(c);
  EXPECT_EQ(canonical,
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + std::string(kEmptyHash));
  EXPECT_EQ(StringToSign(kAmzDate, kSuiteScope, canonical),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0");
  EXPECT_EQ(Sign(c), "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4SuiteTest, PostXWwwFormUrlencoded) {
  SuiteCase c = Vanilla("POST");
  c.headers["content-type"] = "application/x-www-form-urlencoded";
  c.signed_headers = {"content-type", "host", "x-amz-date"};
  c.body = "Param1=value1";
  EXPECT_EQ(Canonical(c),
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  EXPECT_EQ(Sign(c), "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

TEST(SigV4SuiteTest, GetHeaderValueTrim) {
  SuiteCase c = Vanilla("GET");
  c.headers["my-header1"] = " value1";
  c.headers["my-header2"] = " \"a   b   c\"";
  c.signed_headers = {"host", "my-header1", "my-header2", "x-amz-date"};
  EXPECT_EQ(Canonical(c),
            "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
            "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n" +
                std::string(kEmptyHash));
  EXPECT_EQ(Sign(c), "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
}

TEST(SigV4SuiteTest, GetUtf8) {
  SuiteCase c = Vanilla("GET");
  c.path = "/\xE1\x88\xB4";  // U+1234, as the suite's request line carries it
  EXPECT_EQ(Sign(c), "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
}

TEST(SigV4CanonicalTest, NormalizesPathsAsTheSuiteDoes) {
  EXPECT_EQ(CanonicalUri(""), "/");
  EXPECT_EQ(CanonicalUri("//"), "/");                          // get-slash
  EXPECT_EQ(CanonicalUri("//example//"), "/example/");         // get-slashes
  EXPECT_EQ(CanonicalUri("/./"), "/");                         // get-slash-dot-slash
  EXPECT_EQ(CanonicalUri("/./example"), "/example");           // get-slash-pointless-dot
  EXPECT_EQ(CanonicalUri("/example/.."), "/");                 // get-relative
  EXPECT_EQ(CanonicalUri("/example1/example2/../.."), "/");    // get-relative-relative
  EXPECT_EQ(CanonicalUri("/example space/"), "/example%20space/");
  // A path still encoded on the wire is encoded again, as botocore signs it.
  EXPECT_EQ(CanonicalUri("/v1/training-jobs/a%20b"), "/v1/training-jobs/a%2520b");
}

TEST(SigV4CanonicalTest, QueryIsDecodedReencodedAndSorted) {
  EXPECT_EQ(CanonicalQueryString(""), "");
  EXPECT_EQ(CanonicalQueryString("Param1=value2&Param1=Value1"), "Param1=Value1&Param1=value2");
  EXPECT_EQ(CanonicalQueryString("a=x%2fy&b=c d&c"), "a=x%2Fy&b=c%20d&c=");
  EXPECT_EQ(CanonicalQueryString("-._~0AZaz=-._~0AZaz"), "-._~0AZaz=-._~0AZaz");
  EXPECT_EQ(CanonicalQueryString("p=%zz"), "p=%25zz");  // a bad escape stays literal
}

TEST(SigV4ParseTest, ReadsTheAuthorizationHeader) {
  auto auth = ParseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  ASSERT_TRUE(auth.ok()) << auth.status().message();
  EXPECT_EQ(auth->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(auth->scope.ToString(), "20150830/us-east-1/service/aws4_request");
  EXPECT_EQ(auth->signed_headers, (std::vector<std::string>{"host", "x-amz-date"}));
  EXPECT_EQ(auth->signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4ParseTest, NamesWhatIsMissing) {
  auto auth = ParseAuthorization("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request");
  ASSERT_FALSE(auth.ok());
  EXPECT_NE(auth.status().message().find("requires 'Signature' parameter"), std::string::npos);
  EXPECT_NE(auth.status().message().find("requires 'SignedHeaders' parameter"), std::string::npos);
  EXPECT_FALSE(ParseAuthorization("Bearer abc").ok());
  EXPECT_FALSE(ParseAuthorization("AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=0").ok());
}

TEST(SigV4ParseTest, AmzDateRoundTrips) {
  EXPECT_EQ(ParseAmzDate(kAmzDate), kSignedAt);
  EXPECT_EQ(FormatAmzDate(kSignedAt), kAmzDate);
  EXPECT_FALSE(ParseAmzDate("2015-08-30T12:36:00Z"));
  EXPECT_FALSE(ParseAmzDate("20151330T123600Z"));
}

// --- The verifier ------------------------------------------------------------

class SigV4VerifierTest : public ::testing::Test {
 protected:
  SigV4VerifierTest()
      : verifier_(Credentials(), "us-east-1", "sagemaker", [this] { return now_; }) {}

  static CredentialSet Credentials() {
    CredentialSet set;
    set[kAccessKey] = {"default", kAccessKey, kSecret, ""};
    set["ASIATEMPORARY"] = {"temp", "ASIATEMPORARY", "temp-secret", "the-token"};
    return set;
  }

  // A request to SageMaker signed as botocore would sign it.
  ApiRequest SignedRequest(const std::string& secret = kSecret, std::string access_key = kAccessKey,
                           CredentialScope scope = {"20150830", "us-east-1", "sagemaker"}) {
    ApiRequest request;
    request.method = "POST";
    request.path = "/";
    request.body = R"({"TrainingJobName":"job-1"})";
    request.headers = {{"host", "localhost:8080"},
                       {"content-type", "application/x-amz-json-1.1"},
                       {"x-amz-target", "SageMaker.DescribeTrainingJob"},
                       {"x-amz-date", kAmzDate}};
    Resign(request, secret, access_key, scope);
    return request;
  }

  static void Resign(ApiRequest& request, const std::string& secret, const std::string& access_key,
                     const CredentialScope& scope) {
    SigV4Request input;
    input.method = request.method;
    input.path = request.path;
    input.query = request.query;
    input.headers = &request.headers;
    input.signed_headers = {"content-type", "host", "x-amz-date", "x-amz-target"};
    input.payload_hash = Sha256Hex(request.body);
    std::string signature = SignatureHex(
        SigningKey(secret, scope), StringToSign(request.headers["x-amz-date"], scope, CanonicalRequest(input)));
    request.headers["authorization"] = "AWS4-HMAC-SHA256 Credential=" + access_key + "/" +
                                       scope.ToString() +
                                       ", SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                                       "Signature=" + signature;
  }

  std::string FailureType(const ApiRequest& request) {
    auto failure = verifier_.Verify(request);
    return failure ? failure->type : "ok";
  }

  double now_ = kSignedAt + 10;
  SigV4Verifier verifier_;
};

TEST_F(SigV4VerifierTest, AcceptsACorrectSignature) {
  EXPECT_EQ(FailureType(SignedRequest()), "ok");
}

TEST_F(SigV4VerifierTest, MissingHeaderIsMissingAuthenticationToken) {
  ApiRequest request = SignedRequest();
  request.headers.erase("authorization");
  auto failure = verifier_.Verify(request);
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "MissingAuthenticationTokenException");
  EXPECT_EQ(failure->message, "Request is missing Authentication Token");
}

TEST_F(SigV4VerifierTest, MalformedHeaderIsIncompleteSignature) {
  ApiRequest request = SignedRequest();
  request.headers["authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sagemaker/aws4_request";
  EXPECT_EQ(FailureType(request), "IncompleteSignatureException");
  request = SignedRequest();
  request.headers.erase("x-amz-date");
  EXPECT_EQ(FailureType(request), "IncompleteSignatureException");
}

TEST_F(SigV4VerifierTest, UnknownKeyIsUnrecognizedClient) {
  auto failure = verifier_.Verify(SignedRequest(kSecret, "AKIDUNKNOWN"));
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "UnrecognizedClientException");
  EXPECT_EQ(failure->message, "The security token included in the request is invalid.");
}

TEST_F(SigV4VerifierTest, TemporaryKeyNeedsItsSessionToken) {
  ApiRequest request = SignedRequest("temp-secret", "ASIATEMPORARY");
  EXPECT_EQ(FailureType(request), "UnrecognizedClientException");
  request.headers["x-amz-security-token"] = "the-token";
  Resign(request, "temp-secret", "ASIATEMPORARY", {"20150830", "us-east-1", "sagemaker"});
  EXPECT_EQ(FailureType(request), "ok");
}

TEST_F(SigV4VerifierTest, WrongSecretIsInvalidSignatureShowingWhatWasSigned) {
  auto failure = verifier_.Verify(SignedRequest("not-the-secret"));
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "InvalidSignatureException");
  EXPECT_NE(failure->message.find("The Canonical String for this request should have been\n'POST\n/\n"),
            std::string::npos);
  EXPECT_EQ(failure->message.find(kSecret), std::string::npos);
}

TEST_F(SigV4VerifierTest, AnyChangeAfterSigningBreaksTheSignature) {
  ApiRequest request = SignedRequest();
  request.body = R"({"TrainingJobName":"job-2"})";
  EXPECT_EQ(FailureType(request), "InvalidSignatureException");
  request = SignedRequest();
  request.headers["x-amz-target"] = "SageMaker.StopTrainingJob";
  EXPECT_EQ(FailureType(request), "InvalidSignatureException");
  request = SignedRequest();
  request.query = "x=1";
  EXPECT_EQ(FailureType(request), "InvalidSignatureException");
  // Headers that are not signed may change.
  request = SignedRequest();
  request.headers["user-agent"] = "something else";
  EXPECT_EQ(FailureType(request), "ok");
}

TEST_F(SigV4VerifierTest, AcceptsAQuerySignedAsSentAsOldCurlDoes) {
  ApiRequest request = SignedRequest();
  request.query = "b=2&a=1";
  SigV4Request input;
  input.method = request.method;
  input.path = request.path;
  input.query = request.query;
  input.headers = &request.headers;
  input.signed_headers = {"host", "x-amz-date"};
  input.payload_hash = Sha256Hex(request.body);
  input.query_as_sent = true;
  CredentialScope scope{"20150830", "us-east-1", "sagemaker"};
  request.headers["authorization"] =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + scope.ToString() + ", SignedHeaders=host;x-amz-date, Signature=" +
      SignatureHex(SigningKey(kSecret, scope), StringToSign(kAmzDate, scope, CanonicalRequest(input)));
  EXPECT_EQ(FailureType(request), "ok");
  request.query = "b=2&a=3";
  EXPECT_EQ(FailureType(request), "InvalidSignatureException");
}

TEST_F(SigV4VerifierTest, PayloadHashHeaderMustMatchTheBody) {
  ApiRequest request = SignedRequest();
  request.headers["x-amz-content-sha256"] = Sha256Hex(request.body);
  EXPECT_EQ(FailureType(request), "ok");
  request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD";
  EXPECT_EQ(FailureType(request), "InvalidSignatureException");
}

TEST_F(SigV4VerifierTest, ScopeMustNameThisRegionServiceAndDate) {
  EXPECT_EQ(FailureType(SignedRequest(kSecret, kAccessKey, {"20150830", "eu-west-1", "sagemaker"})),
            "InvalidSignatureException");
  EXPECT_EQ(FailureType(SignedRequest(kSecret, kAccessKey, {"20150830", "us-east-1", "s3"})),
            "InvalidSignatureException");
  EXPECT_EQ(FailureType(SignedRequest(kSecret, kAccessKey, {"20150829", "us-east-1", "sagemaker"})),
            "InvalidSignatureException");
}

TEST_F(SigV4VerifierTest, AllowsFiveMinutesOfSkewEitherWay) {
  now_ = kSignedAt + 300;
  EXPECT_EQ(FailureType(SignedRequest()), "ok");
  now_ = kSignedAt - 300;
  EXPECT_EQ(FailureType(SignedRequest()), "ok");

  now_ = kSignedAt + 301;
  auto failure = verifier_.Verify(SignedRequest());
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->type, "InvalidSignatureException");
  EXPECT_EQ(failure->message,
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
            "(20150830T124101Z - 5 min.)");
  now_ = kSignedAt - 301;
  failure = verifier_.Verify(SignedRequest());
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->message.rfind("Signature not yet current: 20150830T123600Z", 0), 0u);
}

TEST_F(SigV4VerifierTest, GuardLetsProbesThroughAndAnswersEachProtocolItsWay) {
  auto guard = MakeSigV4Guard(std::make_shared<const SigV4Verifier>(
      Credentials(), "us-east-1", "sagemaker", [this] { return now_; }));
  ApiRequest probe;
  probe.method = "GET";
  for (const char* path : {"/healthz", "/readyz", "/metrics"}) {
    probe.path = path;
    EXPECT_FALSE(guard(probe)) << path;
  }
  EXPECT_FALSE(guard(SignedRequest()));

  ApiRequest aws = SignedRequest("wrong");
  auto refused = guard(aws);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);  // SageMaker's JSON protocol answers auth errors with 400
  EXPECT_EQ(refused->content_type, "application/x-amz-json-1.1");

  ApiRequest rest;
  rest.method = "GET";
  rest.path = "/v1/training-jobs";
  refused = guard(rest);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_NE(refused->body.find("MissingAuthenticationTokenException"), std::string::npos);
}

}  // namespace
}  // namespace trainyard::api
