// The shape of a SageMaker CreateTrainingJob request: every member SageMaker
// defines, at every nesting level, with its type and limits. Derived from
// botocore's model (data/sagemaker/2017-07-24/service-2.json, botocore
// 1.29.27) plus the few members SageMaker added since; where trainyard's
// contract (DESIGN.md section 4) is stricter or looser, the table says so.
#pragma once

#include "api/sagemaker_shape.h"

namespace trainyard::api {

const Shape& CreateTrainingJobRequestShape();

}  // namespace trainyard::api
