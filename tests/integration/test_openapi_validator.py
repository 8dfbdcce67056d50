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
            "InterruptSpotInstances", "UpdateCapacityPool", "FailTrainingJobAttempt",
            "Ready", "Metrics", "GetCostReport"} <= ids


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


RID = "3f9c2a7e1b04d8c56e2f0a91"


def test_405_for_an_undocumented_method_uses_the_paths_405_and_its_allow_header():
    body = {"__type": "MethodNotAllowed", "message": "DELETE is not allowed"}
    validate("DELETE", "/v1/training-jobs/my-job", 405, body,
             headers={"Allow": "GET", "X-Request-Id": RID})
    with pytest.raises(AssertionError, match="required header 'Allow'"):
        validate("DELETE", "/v1/training-jobs/my-job", 405, body, headers={"X-Request-Id": RID})


def test_create_requires_location_header_when_headers_are_given():
    body = {"TrainingJobArn": ARN}
    validate("POST", "/v1/training-jobs", 201, body,
             headers={"location": "/v1/training-jobs/my-job", "x-request-id": RID})
    with pytest.raises(AssertionError, match="Location"):
        validate("POST", "/v1/training-jobs", 201, body,
                 headers={"Content-Type": "application/json", "X-Request-Id": RID})


def test_routed_responses_require_x_request_id_and_transport_refusals_do_not():
    with pytest.raises(AssertionError, match="required header 'X-Request-Id'"):
        validate("GET", "/healthz", 200, {"status": "ok"}, headers={})
    with pytest.raises(AssertionError, match="required header 'X-Request-Id'"):
        validate("GET", "/v1/training-jobs/nope", 404,
                 {"__type": "ResourceNotFound", "message": "x"}, headers={})
    with pytest.raises(AssertionError, match="required header 'X-Request-Id'"):
        validate("GET", "/v1/trainingjobs", 404, {"__type": "NotFound", "message": "x"}, headers={})
    # Sent by the HTTP transport before routing: no id.
    validate("PUT", "/nowhere", 413, {"__type": "PayloadTooLarge", "message": "too big"}, headers={})
    validate("GET", "/healthz", 431,
             {"__type": "RequestHeaderFieldsTooLarge", "message": "too big"}, headers={})
    validate("GET", "/nowhere", 400,
             {"__type": "ValidationException", "message": "Malformed HTTP request"}, headers={})


def test_every_operation_takes_the_optional_x_request_id_parameter():
    spec = load_spec()
    ref = {"$ref": "#/components/parameters/XRequestId"}
    param = spec["components"]["parameters"]["XRequestId"]
    assert (param["name"], param["in"], param["required"]) == ("X-Request-Id", "header", False)
    for template, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            params = item.get("parameters", []) + op.get("parameters", [])
            assert ref in params, f"{method.upper()} {template} lacks the X-Request-Id parameter"


def test_request_id_schema_takes_what_the_router_echoes():
    for ok in ["a", "trace-42", "x" * 128, RID, "!~"]:
        validate_schema("RequestId", ok)
    for bad in ["", "x" * 129, "has space", "tab\there", "caf\u00e9"]:
        with pytest.raises(AssertionError):
            validate_schema("RequestId", bad)


def test_ready_and_metrics_are_documented():
    spec = load_spec()
    ready = spec["paths"]["/readyz"]["get"]
    metrics = spec["paths"]["/metrics"]["get"]
    assert (ready["operationId"], ready["tags"]) == ("Ready", ["Health"])
    assert (metrics["operationId"], metrics["tags"]) == ("Metrics", ["Health"])
    validate("GET", "/readyz", 200, {"status": "ready"}, headers={"X-Request-Id": RID})
    with pytest.raises(AssertionError, match="'ready' was expected"):
        validate("GET", "/readyz", 200, {"status": "ok"})
    validate("GET", "/readyz", 503, {"__type": "ServiceUnavailable",
                                     "message": "The engine did not answer within 2 s"},
             headers={"X-Request-Id": RID})
    with pytest.raises(AssertionError, match="ServiceUnavailable"):
        validate("GET", "/readyz", 503, {"__type": "InternalFailure", "message": "x"})
    assert list(metrics["responses"]["200"]["content"]) == ["text/plain; version=0.0.4"]
    # Every family the server defines (api/observability_routes.cpp) is listed.
    for family in ["trainyard_jobs`", "trainyard_jobs_created_total", "trainyard_jobs_completed_total",
                   "trainyard_jobs_stopped_total", "trainyard_jobs_failed_total",
                   "trainyard_spot_interruptions_total", "trainyard_pool_capacity_instances",
                   "trainyard_pool_in_use_instances", "trainyard_pool_waiting_jobs",
                   "trainyard_spot_price_dollars_per_hour", "trainyard_cost_dollars_total",
                   "trainyard_on_demand_equivalent_cost_dollars_total",
                   "trainyard_net_savings_dollars_total", "trainyard_engine_queue_depth",
                   "trainyard_engine_pending_events", "trainyard_virtual_time_seconds",
                   "trainyard_http_requests_total", "trainyard_http_request_duration_seconds"]:
        assert f"`{family.rstrip('`')}`" in metrics["description"], family


COST_FIGURES = ["Jobs", "InstanceHours", "ActualCost", "OnDemandEquivalentCost", "NetSavings",
                "NetSavingsPercent", "SavingsPercent", "Interruptions", "LostTrainingHours",
                "WaitingHours"]


def cost_totals(**changes):
    totals = {"Jobs": 3, "InstanceHours": 5.25, "ActualCost": 6.1, "OnDemandEquivalentCost": 15.3,
              "NetSavings": 9.2, "NetSavingsPercent": 60.1307, "SavingsPercent": 62.5,
              "Interruptions": 2, "LostTrainingHours": 0.25, "WaitingHours": 1.5}
    totals.update(changes)
    return totals


def cost_report_body():
    """A GET /v1/cost-report body grouped by a tag: one group of tagged jobs,
    one of jobs without the tag; the totals are the groups' sums."""
    return {
        "GroupBy": "Tag:team",
        "Totals": cost_totals(),
        "Groups": [
            dict(cost_totals(Jobs=1, InstanceHours=1.0, ActualCost=1.2, OnDemandEquivalentCost=1.0,
                             NetSavings=-0.2, NetSavingsPercent=-20.0, SavingsPercent=0,
                             Interruptions=0, LostTrainingHours=0, WaitingHours=0),
                 Group="(none)"),
            dict(cost_totals(Jobs=2, InstanceHours=4.25, ActualCost=4.9, OnDemandEquivalentCost=14.3,
                             NetSavings=9.4, NetSavingsPercent=65.7343, SavingsPercent=70.1),
                 Group="vision"),
        ],
    }


def test_cost_report_is_documented_with_its_parameters_and_responses():
    spec = load_spec()
    op = spec["paths"]["/v1/cost-report"]["get"]
    assert (op["operationId"], op["tags"]) == ("GetCostReport", ["Cost"])
    assert "Cost" in {tag["name"] for tag in spec["tags"]}
    params = {p["name"]: p for p in op["parameters"]}
    assert set(params) == {"From", "To", "GroupBy", "StatusEquals"}
    assert all(p["in"] == "query" and not p.get("required") for p in params.values())
    assert params["GroupBy"]["schema"]["default"] == "InstanceType"
    assert params["StatusEquals"]["schema"] == {"$ref": "#/components/schemas/TrainingJobStatus"}
    assert set(op["responses"]) == {"200", "400", "405", "413", "431", "500", "503"}
    assert set(op["responses"]["200"]["content"]) == {"application/json", "text/csv"}


def test_cost_report_group_by_schema():
    from openapi_validator import _check_schema

    params = load_spec()["paths"]["/v1/cost-report"]["get"]["parameters"]
    schema = next(p["schema"] for p in params if p["name"] == "GroupBy")

    for ok in ["InstanceType", "Market", "Status", "Tag:team", "Tag:cost-center"]:
        _check_schema(load_spec(), schema, ok, "GroupBy")
    for bad in ["instancetype", "Tag:", "Tag", "Team", "Status,Market"]:
        with pytest.raises(AssertionError):
            _check_schema(load_spec(), schema, bad, "GroupBy")


def test_cost_totals_members_are_the_csv_columns_in_order():
    spec = load_spec()
    assert spec["components"]["schemas"]["CostTotals"]["required"] == COST_FIGURES
    csv_media = spec["paths"]["/v1/cost-report"]["get"]["responses"]["200"]["content"]["text/csv"]
    rows = csv_media["example"].splitlines()
    assert rows[0] == ",".join(["Group"] + COST_FIGURES)
    assert rows[-1].startswith("Total,")
    assert all(len(row.split(",")) == len(COST_FIGURES) + 1 for row in rows)


def test_valid_cost_report_body_passes():
    body = validate("GET", "/v1/cost-report?GroupBy=Tag:team&From=0&To=1732320000", 200,
                    cost_report_body(), headers={"X-Request-Id": RID})
    assert [g["Group"] for g in body["Groups"]] == ["(none)", "vision"]
    validate("GET", "/v1/cost-report", 200,
             {"GroupBy": "InstanceType", "Totals": cost_totals(**{k: 0 for k in COST_FIGURES}),
              "Groups": []})
    validate_schema("CostTotals", cost_totals())
    validate_schema("CostGroup", dict(cost_totals(), Group="ml.p3.2xlarge"))


@pytest.mark.parametrize("where, member", [("Totals", None), ("Groups", 0)])
def test_cost_report_figures_are_all_required(where, member):
    for figure in COST_FIGURES:
        body = cost_report_body()
        target = body[where] if member is None else body[where][member]
        del target[figure]
        with pytest.raises(AssertionError, match=f"'{figure}' is a required property"):
            validate("GET", "/v1/cost-report", 200, body)


def test_cost_report_body_with_wrong_members_fails():
    body = cost_report_body()
    del body["Groups"][1]["Group"]
    with pytest.raises(AssertionError, match="'Group' is a required property"):
        validate("GET", "/v1/cost-report", 200, body)
    body = cost_report_body()
    body["Totals"]["Group"] = "Total"  # only a group names itself
    with pytest.raises(AssertionError, match=r"\$\.Totals"):
        validate("GET", "/v1/cost-report", 200, body)
    body = cost_report_body()
    body["Groups"][0]["Savings"] = 1.0
    with pytest.raises(AssertionError, match=r"\$\.Groups\[0\]"):
        validate("GET", "/v1/cost-report", 200, body)
    body = cost_report_body()
    body["Totals"]["Jobs"] = 2.5
    with pytest.raises(AssertionError, match=r"\$\.Totals\.Jobs"):
        validate("GET", "/v1/cost-report", 200, body)
    body = cost_report_body()
    body["Groups"][1]["Interruptions"] = -1
    with pytest.raises(AssertionError, match=r"\$\.Groups\[1\]\.Interruptions"):
        validate("GET", "/v1/cost-report", 200, body)
    body = cost_report_body()
    body["Report"] = {}
    with pytest.raises(AssertionError, match="Additional properties"):
        validate("GET", "/v1/cost-report", 200, body)
    # Net savings may be negative: interruptions can cost more than spot saved.
    body = cost_report_body()
    body["Totals"].update(NetSavings=-1.5, NetSavingsPercent=-9.8)
    validate("GET", "/v1/cost-report", 200, body)


def test_cost_report_errors():
    validate("GET", "/v1/cost-report?GroupBy=Team", 400,
             {"__type": "ValidationException",
              "message": "GroupBy must be InstanceType, Market, Status or Tag:<key> (got 'Team')"},
             headers={"X-Request-Id": RID})
    validate("POST", "/v1/cost-report", 405,
             {"__type": "MethodNotAllowed", "message": "x"},
             headers={"Allow": "GET", "X-Request-Id": RID})
    with pytest.raises(AssertionError, match="GetCostReport documents no 404"):
        validate("GET", "/v1/cost-report", 404, {"__type": "ResourceNotFound", "message": "x"})


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
