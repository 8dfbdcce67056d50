// The AWS JSON 1.1 protocol, as boto3 and the AWS CLI speak it to SageMaker:
// `POST /` with `X-Amz-Target: SageMaker.<Operation>` and a JSON body of the
// operation's input members. The operations (api/aws_json_operations.h) call
// the same parsers, JobService and response builders as the REST routes; this
// layer adds only the envelope:
//   - Content-Type application/x-amz-json-1.1 (what botocore sends);
//     application/json is accepted too, for hand-written clients;
//   - responses are 200 with the output members, Content-Type
//     application/x-amz-json-1.1 and an x-amzn-RequestId header;
//   - errors are {"__type", "message"} with HTTP 400 for every client error
//     (that is how SageMaker's JSON protocol answers, whatever the REST
//     status would be), 500 InternalFailure, 503 ServiceUnavailable;
//   - an unknown target, or another Content-Type, is 400
//     UnknownOperationException; a body that is not a JSON object, 400
//     SerializationException.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/rest_routes.h"
#include "api/router.h"
#include "trainyard/status.h"

namespace trainyard::api {

inline constexpr std::string_view kAwsJsonContentType = "application/x-amz-json-1.1";
inline constexpr std::string_view kSageMakerTargetPrefix = "SageMaker.";

// Registers the protocol on `router` (a header route on POST /).
void AddAwsJsonProtocol(Router& router, const RestContext& context);

// True for POST / carrying X-Amz-Target: the request is an AWS JSON call,
// and errors about it take the protocol's shape.
bool IsAwsJsonRequest(const ApiRequest& request);

// A fresh request id (a random UUID) for x-amzn-RequestId.
std::string NewAwsRequestId();

// 200 with `body` in the protocol's envelope.
ApiResponse AwsJsonResponse(const nlohmann::json& body);
// An error in the protocol's envelope.
ApiResponse AwsJsonError(int http_status, std::string_view type, std::string_view message);
// A domain error: 400 for client errors, 500 InternalFailure, 503
// ServiceUnavailable; the type as the REST API names it (api/errors.h).
ApiResponse AwsJsonError(const Status& status);

}  // namespace trainyard::api
