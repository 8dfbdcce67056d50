#include "api/aws_json_protocol.h"

#include <openssl/rand.h>

#include <cctype>
#include <random>

#include "api/aws_json_operations.h"
#include "api/errors.h"
#include "api/job_json.h"

namespace trainyard::api {
namespace {

using nlohmann::json;

std::string MediaType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  while (!media.empty() && media.front() == ' ') media.remove_prefix(1);
  std::string lower;
  for (char c : media) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower;
}

void HandleAwsJson(const RestContext& ctx, const ApiRequest& request, Respond respond) {
  const std::string& target = request.Header("x-amz-target");
  std::string_view operation_name = target;
  AwsOperation operation = nullptr;
  if (operation_name.substr(0, kSageMakerTargetPrefix.size()) == kSageMakerTargetPrefix) {
    operation_name.remove_prefix(kSageMakerTargetPrefix.size());
    operation = FindAwsOperation(operation_name);
  }
  if (operation == nullptr) {
    return respond(AwsJsonError(400, "UnknownOperationException",
                                "Unknown operation '" + target + "'; trainyard serves " +
                                    std::string(kSageMakerTargetPrefix) +
                                    "{CreateTrainingJob, DescribeTrainingJob, ListTrainingJobs, "
                                    "StopTrainingJob, AddTags, ListTags, DeleteTags}"));
  }
  // SageMaker does not route a call whose body it would not parse as its
  // protocol's JSON; application/json is let through for hand-made requests.
  std::string media = MediaType(request.Header("content-type"));
  if (media != kAwsJsonContentType && media != "application/json") {
    return respond(AwsJsonError(400, "UnknownOperationException",
                                "X-Amz-Target requests need Content-Type " +
                                    std::string(kAwsJsonContentType) + ", got '" +
                                    request.Header("content-type") + "'"));
  }
  json input = request.body.empty() ? json::object()
                                    : json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) {
    return respond(AwsJsonError(400, "SerializationException", "The request body is not valid JSON"));
  }
  if (!input.is_object()) {
    return respond(AwsJsonError(400, "SerializationException",
                                "The request body must be a JSON object of the operation's members"));
  }
  operation(ctx, request, input, std::move(respond));
}

}  // namespace

void AddAwsJsonProtocol(Router& router, const RestContext& context) {
  RestContext ctx = context;
  router.AddHeaderRoute("/", "x-amz-target",
                        [ctx](const ApiRequest& req, const Router::Captures&, Respond respond) {
                          HandleAwsJson(ctx, req, std::move(respond));
                        });
}

bool IsAwsJsonRequest(const ApiRequest& request) {
  return request.method == "POST" && request.path == "/" &&
         request.headers.count("x-amz-target") != 0;
}

std::string NewAwsRequestId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Request ids only label log lines and responses; any randomness will do.
    thread_local std::mt19937_64 fallback{std::random_device{}()};
    for (auto& b : bytes) b = static_cast<unsigned char>(fallback());
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0xf]);
  }
  return out;
}

ApiResponse AwsJsonResponse(const json& body) {
  ApiResponse response;
  response.status = 200;
  response.content_type = std::string(kAwsJsonContentType);
  response.body = Dump(body);
  response.headers.emplace_back("x-amzn-RequestId", NewAwsRequestId());
  return response;
}

ApiResponse AwsJsonError(int http_status, std::string_view type, std::string_view message) {
  ApiResponse response = ErrorResponse(http_status, type, message);
  response.content_type = std::string(kAwsJsonContentType);
  response.headers.emplace_back("x-amzn-RequestId", NewAwsRequestId());
  return response;
}

ApiResponse AwsJsonError(const Status& status) {
  int http_status = 400;
  if (status.code() == ErrorCode::kInternal) http_status = 500;
  if (status.code() == ErrorCode::kUnavailable) http_status = 503;
  return AwsJsonError(http_status, ErrorTypeName(status.code()), status.message());
}

}  // namespace trainyard::api
