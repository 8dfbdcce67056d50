// The SageMaker operations trainyard serves over the AWS JSON 1.1 protocol
// (api/aws_json_protocol.h holds the envelope). Each one checks its input
// against SageMaker's model, calls one JobService function, and answers
// with the operation's output members -- the same parsers and response
// builders the REST routes use, so both wire formats share one code path.
//
// Where SageMaker's behaviour differs from its model, trainyard follows the
// behaviour, since that is what client code is written against:
// DescribeTrainingJob and StopTrainingJob on a job that does not exist
// answer ValidationException "Requested resource not found.", not the
// ResourceNotFound the model declares (and the training_job_completed_or_
// stopped waiter treats ValidationException as its failure state).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "api/api_types.h"
#include "api/rest_routes.h"

namespace trainyard::api {

// `input` is the request body parsed as a JSON object; `request.body` is the
// same body as sent.
using AwsOperation = void (*)(const RestContext& context, const ApiRequest& request,
                              const nlohmann::json& input, Respond respond);

// The operation named `name` (e.g. "CreateTrainingJob"), or null.
AwsOperation FindAwsOperation(std::string_view name);

}  // namespace trainyard::api
