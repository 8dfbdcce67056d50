"""Tests of the response validator itself, on hand-written bodies (no server)."""

import copy
import json

import pytest

from openapi_validator import load_spec, validate, validate_schema

ARN = "arn:aws:sagemaker:us-east-1:123456789012:training-job/my-job"


def describe_body():
    """A minimal DescribeTrainingJob body for a job still waiting for capacity."""
    return {
        "TrainingJobName": "my-job",
        "TrainingJobArn": ARN,
        "AlgorithmSpecification": {"TrainingImage": "example/image:1", "TrainingInputMode": "File"},
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "OutputDataConfig": {"S3OutputPath": "s3://bucket/out/"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
        "HyperParameters": {"trainyard.work_seconds": "600"},
        "TrainingJobStatus": "InProgress",
        "SecondaryStatus": "Pending",
        "CreationTime": 1732262400.25,
        "LastModifiedTime": 1732262400.25,
        "SecondaryStatusTransitions": [
            {"Status": "Pending", "StartTime": 1732262400.25, "StatusMessage": "Waiting for capacity"},
        ],
        "ModelArtifacts": {"S3ModelArtifacts": "s3://bucket/out/my-job/output/model.tar.gz"},
        "Attempts": [],
        "CostSummary": cost_summary(),
    }


def cost_summary(attempts=0):
    return {
        "Market": "OnDemand", "InstanceType": "ml.m5.large", "InstanceCount": 1,
        "OnDemandPricePerHour": 0.115, "ActualCost": 0, "OnDemandEquivalentCost": 0.0211,
        "SavingsPercent": 0, "NetSavings": 0.0211, "NetSavingsPercent": 100,
        "Interruptions": 0, "Attempts": attempts, "LostTrainingSeconds": 0, "WaitingSeconds": 0,
    }


def running_attempt():
    """An attempt still running: no EndTime, no Outcome."""
    return {"AttemptNumber": 1, "Market": "OnDemand", "StartTime": 1732262400.25,
            "ProgressAtStartSeconds": 0, "ProgressAtEndSeconds": 0,
            "BilledSeconds": 0, "BillableSeconds": 0, "Cost": 0}


def pool_status(**changes):
    pool = {
        "InstanceType": "ml.p3.2xlarge", "OnDemandCapacity": 16, "SpotCapacity": 16,
        "OnDemandInUse": 0, "SpotInUse": 1, "OnDemandWaitingJobs": 0, "SpotWaitingJobs": 0,
        "OnDemandPricePerHour": 3.825, "SpotPricePerHour": 1.1475, "SpotPriceRatio": 0.3,
        "InterruptionRatePerHour": 0.03, "LaunchSeconds": 180, "NetworkGbps": 10,
        "Interruptions": 0,
    }
    pool.update(changes)
    return pool


def test_spec_loads_with_the_sagemaker_operation_ids():
    spec = load_spec()
    assert spec["openapi"] == "3.1.0"
    ids = {op["operationId"] for item in spec["paths"].values()
           for key, op in item.items() if key != "parameters"}
    assert {"CreateTrainingJob", "DescribeTrainingJob", "ListTrainingJobs",
            "StopTrainingJob", "Health", "DescribeCapacity", "DescribeClock", "AdvanceClock",
            "InterruptSpotInstances", "UpdateCapacityPool", "FailTrainingJobAttempt"} <= ids


def test_valid_describe_body_passes():
    body = validate("GET", "/v1/training-jobs/my-job", 200, describe_body())
    assert body["TrainingJobName"] == "my-job"


def test_describe_body_as_raw_json_text_passes():
    validate("GET", "/v1/training-jobs/my-job", 200, json.dumps(describe_body()).encode())


def test_describe_body_missing_training_job_status_fails():
    body = describe_body()
    del body["TrainingJobStatus"]
    with pytest.raises(AssertionError, match="'TrainingJobStatus' is a required property"):
        validate("GET", "/v1/training-jobs/my-job", 200, body)


def test_describe_body_with_bad_nested_member_names_the_place():
    body = describe_body()
    body["Attempts"] = [{"AttemptNumber": 1, "Market": "Spot", "StartTime": 1.0,
                         "ProgressAtStartSeconds": 0, "ProgressAtEndSeconds": 10,
                         "BilledSeconds": 10, "BillableSeconds": 3, "Cost": "cheap"}]
    with pytest.raises(AssertionError, match=r"\$\.Attempts\[0\]\.Cost"):
        validate("GET", "/v1/training-jobs/my-job", 200, body)


def test_undocumented_status_fails():
    with pytest.raises(AssertionError, match="documents no 418 response"):
        validate("GET", "/v1/training-jobs/my-job", 418, {"__type": "NotFound", "message": "x"})
    # 409 exists in the spec, but not for DescribeTrainingJob.
    with pytest.raises(AssertionError, match="DescribeTrainingJob documents no 409"):
        validate("GET", "/v1/training-jobs/my-job", 409,
                 {"__type": "ResourceInUse", "message": "x"})


def test_undocumented_path_and_method_fail():
    with pytest.raises(AssertionError, match="matches no documented path"):
        validate("GET", "/v1/nothing-here", 200, {})
    with pytest.raises(AssertionError, match="documents no DELETE operation"):
        validate("DELETE", "/v1/training-jobs/my-job", 200, {})


def test_literal_segments_pick_the_right_operation():
    stop = {"TrainingJobArn": ARN, "TrainingJobStatus": "Stopping", "SecondaryStatus": "Stopping"}
    validate("POST", "/v1/training-jobs/my-job/stop", 200, stop)
    # A Describe body is not a Stop body.
    with pytest.raises(AssertionError):
        validate("POST", "/v1/training-jobs/my-job/stop", 200, describe_body())


def test_query_string_and_full_url_are_ignored_for_matching():
    page = {"TrainingJobSummaries": [], "NextToken": "abc"}
    validate("GET", "/v1/training-jobs?MaxResults=5&SortOrder=Descending", 200, page)
    validate("GET", "http://127.0.0.1:8080/v1/training-jobs?NextToken=abc", 200, page)


def test_error_status_pins_the_type():
    validate("GET", "/v1/training-jobs/nope", 404,
             {"__type": "ResourceNotFound", "message": "Training job nope does not exist"})
    with pytest.raises(AssertionError, match="ResourceNotFound"):
        validate("GET", "/v1/training-jobs/nope", 404,
                 {"__type": "ValidationException", "message": "x"})
    with pytest.raises(AssertionError, match="Additional properties"):
        validate("GET", "/v1/training-jobs/nope", 404,
                 {"__type": "ResourceNotFound", "message": "x", "Message": "x"})


def test_unknown_route_may_get_only_the_unrouted_responses():
    validate("GET", "/v1/trainingjobs", 404, {"__type": "NotFound", "message": "No route"})
    validate("GET", "/v1/training-jobs/", 404, {"__type": "NotFound", "message": "No route"})
    validate("PUT", "/nowhere", 413, {"__type": "PayloadTooLarge", "message": "too big"})
    with pytest.raises(AssertionError, match="NotFound"):
        validate("GET", "/v1/trainingjobs", 404, {"__type": "ResourceNotFound", "message": "x"})
    with pytest.raises(AssertionError, match="may only get 400, 404, 413, 431"):
        validate("GET", "/v1/trainingjobs", 405, {"__type": "MethodNotAllowed", "message": "x"})
    # A known path with a method it lacks gets 405, never 404.
    with pytest.raises(AssertionError, match="documents no DELETE operation"):
        validate("DELETE", "/v1/training-jobs/my-job", 404, {"__type": "NotFound", "message": "x"})


def test_405_for_an_undocumented_method_uses_the_paths_405_and_its_allow_header():
    body = {"__type": "MethodNotAllowed", "message": "DELETE is not allowed"}
    validate("DELETE", "/v1/training-jobs/my-job", 405, body, headers={"Allow": "GET"})
    with pytest.raises(AssertionError, match="required header 'Allow'"):
        validate("DELETE", "/v1/training-jobs/my-job", 405, body, headers={})


def test_create_requires_location_header_when_headers_are_given():
    body = {"TrainingJobArn": ARN}
    validate("POST", "/v1/training-jobs", 201, body,
             headers={"location": "/v1/training-jobs/my-job"})
    with pytest.raises(AssertionError, match="Location"):
        validate("POST", "/v1/training-jobs", 201, body, headers={"Content-Type": "application/json"})


def test_non_json_body_fails():
    with pytest.raises(AssertionError, match="not JSON"):
        validate("GET", "/healthz", 200, b"ok")


def test_validate_schema_checks_bodies_no_operation_documents():
    validate_schema("Error", {"__type": "NotFound", "message": "No route for GET /v2"})
    with pytest.raises(AssertionError, match="is not one of"):
        validate_schema("Error", {"__type": "Teapot", "message": "x"})


def _media_examples(spec):
    """(where, schema, example value) for every example in request and response media."""
    from openapi_validator import _deref

    media_sets = [(f"unrouted {status}", _deref(spec, response).get("content", {}))
                  for status, response in spec["x-unrouted-responses"].items()]
    for template, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            where = f"{method.upper()} {template}"
            media_sets.append((f"{where} request", op.get("requestBody", {}).get("content", {})))
            for status, response in op["responses"].items():
                media_sets.append((f"{where} {status}", _deref(spec, response).get("content", {})))
    for where, content in media_sets:
        for media in content.values():
            if "example" in media:
                yield where, media["schema"], media["example"]
            for name, ex in media.get("examples", {}).items():
                yield f"{where} example {name}", media["schema"], _deref(spec, ex)["value"]


def test_every_example_in_the_spec_matches_its_schema():
    from openapi_validator import _check_schema

    spec = load_spec()
    examples = list(_media_examples(spec))
    assert len(examples) >= 10
    for where, schema, value in examples:
        _check_schema(spec, schema, copy.deepcopy(value), where)
