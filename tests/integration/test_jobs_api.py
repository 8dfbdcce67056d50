"""The training-job REST API as a client sees it: create, describe, list, stop,
and every way a request can be rejected."""
from __future__ import annotations

import json
import threading
import time

import pytest

from conftest import SCENARIO_CAPACITY, assert_contains, job_arn

CREATE = "/v1/training-jobs"


def is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def names_of(summaries):
    return [s["TrainingJobName"] for s in summaries]


def assert_no_job_created(api):
    assert api.list(MaxResults=100).json()["TrainingJobSummaries"] == []


# --- CreateTrainingJob ------------------------------------------------------------

def test_create_returns_201_and_the_arn(api, job_request):
    resp = api.post(CREATE, json=job_request("first-job"))
    assert resp.status_code == 201, resp.text
    assert resp.json() == {"TrainingJobArn": job_arn("first-job")}


def test_create_sets_location_header(api, job_request):
    resp = api.create(job_request("located-job"))
    assert resp.headers.get("Location") == "/v1/training-jobs/located-job"


def test_create_accepts_charset_in_content_type(api, job_request):
    body = json.dumps(job_request("charset-job")).encode()
    resp = api.post(CREATE, data=body, headers={"Content-Type": "application/json; charset=utf-8"})
    assert resp.status_code == 201, resp.text
    api.describe("charset-job")


def test_describe_right_after_create(api, job_request):
    req = job_request("describe-me")
    api.create(req)
    resp = api.describe("describe-me")
    d = resp.json()
    assert_contains(d, req)
    assert d["TrainingJobArn"] == job_arn("describe-me")
    assert d["TrainingJobStatus"] == "InProgress"
    assert d["SecondaryStatus"] == "Pending"
    assert is_number(d["CreationTime"]) and is_number(d["LastModifiedTime"])
    assert d["LastModifiedTime"] >= d["CreationTime"] > 1_600_000_000
    transitions = d["SecondaryStatusTransitions"]
    assert isinstance(transitions, list) and transitions
    assert transitions[0]["Status"] == "Pending"
    assert is_number(transitions[0]["StartTime"])
    assert isinstance(transitions[0]["StatusMessage"], str)
    assert "EndTime" not in transitions[-1]
    assert d["ModelArtifacts"] == {
        "S3ModelArtifacts": "s3://trainyard-tests/output/describe-me/output/model.tar.gz"}


def test_describe_echoes_every_member_of_a_full_spot_request(api, job_request):
    req = job_request(
        "full-spot-job",
        AlgorithmSpecification={
            "TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310",
            "TrainingInputMode": "Pipe",
            "MetricDefinitions": [{"Name": "train:loss", "Regex": "loss=([0-9.]+)"}],
        },
        HyperParameters={"epochs": "3", "trainyard.work_seconds": "36000",
                         "trainyard.checkpoint_interval_seconds": "900",
                         "trainyard.checkpoint_on_notice": "true"},
        ResourceConfig={"InstanceType": "ml.p3.2xlarge", "InstanceCount": 2, "VolumeSizeInGB": 100},
        StoppingCondition={"MaxRuntimeInSeconds": 86400, "MaxWaitTimeInSeconds": 172800},
        EnableManagedSpotTraining=True,
        CheckpointConfig={"S3Uri": "s3://bucket/ckpt/full-spot-job/", "LocalPath": "/opt/ml/checkpoints"},
        RetryStrategy={"MaximumRetryAttempts": 3},
        Environment={"NCCL_DEBUG": "INFO"},
        EnableNetworkIsolation=False,
        Tags=[{"Key": "project", "Value": "rail-defects"}, {"Key": "owner", "Value": "ml-platform"}],
    )
    api.create(req)
    d = api.describe("full-spot-job").json()
    assert_contains(d, req)


def test_max_runtime_defaults_to_one_day(api, job_request):
    api.create(job_request("default-runtime", StoppingCondition={}))
    d = api.describe("default-runtime").json()
    assert d["StoppingCondition"]["MaxRuntimeInSeconds"] == 86400


def test_model_artifacts_without_trailing_slash(api, job_request):
    api.create(job_request("no-slash", OutputDataConfig={"S3OutputPath": "s3://bucket/models"}))
    d = api.describe("no-slash").json()
    assert d["ModelArtifacts"]["S3ModelArtifacts"] == "s3://bucket/models/no-slash/output/model.tar.gz"


def test_arn_uses_region_and_account_flags(server_factory, job_request):
    srv = server_factory.start("--region", "eu-west-1", "--account-id", "111122223333")
    resp = srv.api.create(job_request("regional-job"))
    assert resp.json()["TrainingJobArn"] == "arn:aws:sagemaker:eu-west-1:111122223333:training-job/regional-job"
    assert srv.api.describe("regional-job").json()["TrainingJobArn"] == resp.json()["TrainingJobArn"]


def test_name_of_63_characters_is_accepted(api, job_request):
    name = "a" + "-b" * 31  # 63 characters, hyphen runs between alphanumerics
    assert len(name) == 63
    api.create(job_request(name))
    api.describe(name)


def test_duplicate_name_is_409_and_keeps_the_first_job(api, job_request):
    api.create(job_request("twice", Tags=[{"Key": "v", "Value": "first"}]))
    resp = api.post(CREATE, json=job_request("twice", Tags=[{"Key": "v", "Value": "second"}]))
    assert resp.status_code == 409
    assert resp.json()["__type"] == "ResourceInUse"
    assert "twice" in resp.json()["message"]
    assert api.describe("twice").json()["Tags"] == [{"Key": "v", "Value": "first"}]
    assert names_of(api.list().json()["TrainingJobSummaries"]) == ["twice"]


def test_name_stays_taken_after_the_job_stopped(api, job_request):
    api.create(job_request("reused"))
    api.stop("reused")
    resp = api.post(CREATE, json=job_request("reused"))
    assert resp.status_code == 409
    assert resp.json()["__type"] == "ResourceInUse"
    assert api.describe("reused").json()["TrainingJobStatus"] == "Stopped"


def test_concurrent_creates_of_one_name_create_it_once(server, job_request):
    results = []
    lock = threading.Lock()

    def create():
        from conftest import ApiClient
        client = ApiClient(server.url)
        r = client.post(CREATE, json=job_request("contested"))
        with lock:
            results.append(r.status_code)
        client.close()

    threads = [threading.Thread(target=create) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201] + [409] * 15
    assert names_of(server.api.list().json()["TrainingJobSummaries"]) == ["contested"]


def test_concurrent_creates_all_land(server, job_request):
    names = [f"parallel-{i:02d}" for i in range(40)]
    results = {}
    lock = threading.Lock()

    def create(chunk):
        from conftest import ApiClient
        client = ApiClient(server.url)
        for n in chunk:
            r = client.post(CREATE, json=job_request(n))
            with lock:
                results[n] = r.status_code
        client.close()

    threads = [threading.Thread(target=create, args=(names[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {n: 201 for n in names}
    listed = server.api.list_all(MaxResults=100)
    assert sorted(names_of(listed)) == names


# --- Validation --------------------------------------------------------------------

def _without(doc, dotted):
    *parents, last = dotted.split(".")
    cur = doc
    for p in parents:
        cur = cur[p]
    del cur[last]
    return doc


def _with(doc, dotted, value):
    *parents, last = dotted.split(".")
    cur = doc
    for p in parents:
        cur = cur[p]
    cur[last] = value
    return doc


INVALID = {
    # id: (mutator, text the message must contain)
    "typo-in-member": (lambda d: _with(_without(d, "StoppingCondition.MaxRuntimeInSeconds"),
                                       "StoppingCondition.MaxRunTimeInSeconds", 3600), "MaxRunTimeInSeconds"),
    "unknown-top-level-member": (lambda d: _with(d, "TrainingJobNmae", "x"), "TrainingJobNmae"),
    "instance-count-zero": (lambda d: _with(d, "ResourceConfig.InstanceCount", 0), "ResourceConfig.InstanceCount"),
    "instance-count-negative": (lambda d: _with(d, "ResourceConfig.InstanceCount", -3), "ResourceConfig.InstanceCount"),
    "instance-count-string": (lambda d: _with(d, "ResourceConfig.InstanceCount", "1"), "InstanceCount"),
    "instance-count-fraction": (lambda d: _with(d, "ResourceConfig.InstanceCount", 1.5), "InstanceCount"),
    "unknown-instance-type": (lambda d: _with(d, "ResourceConfig.InstanceType", "ml.p9.mega"), "InstanceType"),
    "max-wait-without-spot": (lambda d: _with(d, "StoppingCondition",
                                              {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 7200}),
                              "MaxWaitTimeInSeconds"),
    "max-wait-below-max-runtime": (lambda d: _with(_with(d, "EnableManagedSpotTraining", True), "StoppingCondition",
                                                   {"MaxRuntimeInSeconds": 7200, "MaxWaitTimeInSeconds": 3600}),
                                   "MaxWaitTimeInSeconds"),
    "max-runtime-over-28-days": (lambda d: _with(d, "StoppingCondition.MaxRuntimeInSeconds", 28 * 86400 + 1),
                                 "MaxRuntimeInSeconds"),
    "retry-attempts-31": (lambda d: _with(d, "RetryStrategy", {"MaximumRetryAttempts": 31}), "MaximumRetryAttempts"),
    "retry-attempts-0": (lambda d: _with(d, "RetryStrategy", {"MaximumRetryAttempts": 0}), "MaximumRetryAttempts"),
    "name-with-underscore": (lambda d: _with(d, "TrainingJobName", "bad_name"), "TrainingJobName"),
    "name-ending-in-hyphen": (lambda d: _with(d, "TrainingJobName", "bad-"), "TrainingJobName"),
    "name-64-characters": (lambda d: _with(d, "TrainingJobName", "a" * 64), "TrainingJobName"),
    "name-empty": (lambda d: _with(d, "TrainingJobName", ""), "TrainingJobName"),
    "name-missing": (lambda d: _without(d, "TrainingJobName"), "TrainingJobName"),
    "role-missing": (lambda d: _without(d, "RoleArn"), "RoleArn"),
    "role-not-an-arn": (lambda d: _with(d, "RoleArn", "SageMakerRole-but-not-an-arn"), "RoleArn"),
    "stopping-condition-missing": (lambda d: _without(d, "StoppingCondition"), "StoppingCondition"),
    "input-mode-unknown": (lambda d: _with(d, "AlgorithmSpecification.TrainingInputMode", "Stream"),
                           "TrainingInputMode"),
    "output-path-not-s3": (lambda d: _with(d, "OutputDataConfig.S3OutputPath", "/tmp/out"), "S3OutputPath"),
    "spot-flag-as-string": (lambda d: _with(d, "EnableManagedSpotTraining", "true"), "EnableManagedSpotTraining"),
    "hyperparameter-not-a-string": (lambda d: _with(d, "HyperParameters", {"epochs": 10}), "HyperParameters"),
    "tags-not-a-list": (lambda d: _with(d, "Tags", {"team": "x"}), "Tags"),
    "bad-work-seconds": (lambda d: _with(d, "HyperParameters", {"trainyard.work_seconds": "ten hours"}),
                         "trainyard.work_seconds"),
}


@pytest.mark.parametrize("case", sorted(INVALID), ids=sorted(INVALID))
def test_invalid_request_is_400_naming_the_member(api, job_request, case):
    mutate, needle = INVALID[case]
    doc = mutate(job_request("rejected-job"))
    resp = api.post(CREATE, json=doc)
    assert resp.status_code == 400, resp.text
    body = resp.json()
    assert body["__type"] == "ValidationException"
    assert needle in body["message"], f"message {body['message']!r} does not name {needle!r}"
    assert_no_job_created(api)


@pytest.mark.parametrize("body", [
    b'{"TrainingJobName": "broken-json", ',
    b'{"TrainingJobName": "broken-json",}',
    b'not json at all',
    b'',
], ids=["truncated", "trailing-comma", "text", "empty"])
def test_malformed_json_is_400(api, body):
    resp = api.post(CREATE, data=body, headers={"Content-Type": "application/json"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["__type"] == "ValidationException"
    assert "json" in resp.json()["message"].lower()
    assert_no_job_created(api)


@pytest.mark.parametrize("body", [b"[]", b'"a string"', b"42", b"null"], ids=["array", "string", "number", "null"])
def test_body_that_is_not_an_object_is_400(api, body):
    resp = api.post(CREATE, data=body, headers={"Content-Type": "application/json"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["__type"] == "ValidationException"
    assert_no_job_created(api)


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "application/xml"])
def test_create_requires_json_content_type(api, job_request, content_type):
    body = json.dumps(job_request("wrong-type")).encode()
    headers = {"Content-Type": content_type} if content_type else {}
    resp = api.post(CREATE, data=body, headers=headers)
    assert resp.status_code == 415, resp.text
    assert resp.json()["__type"] == "UnsupportedMediaType"
    assert_no_job_created(api)


def test_body_over_the_limit_is_413(api, job_request):
    doc = job_request("too-big")
    doc["HyperParameters"] = {f"pad{i}": "x" * 2000 for i in range(1100)}  # ~2.2 MiB
    body = json.dumps(doc).encode()
    assert len(body) > 2 * 1024 * 1024
    resp = api.post(CREATE, data=body, headers={"Content-Type": "application/json"})
    assert resp.status_code == 413, resp.text[:300]
    assert resp.json()["__type"] == "PayloadTooLarge"
    assert api.get("/healthz").status_code == 200
    api.describe("too-big", expect=404)


def test_max_body_bytes_flag(server_factory, job_request):
    srv = server_factory.start("--max-body-bytes", "4096")
    small = job_request("fits")
    big = job_request("does-not-fit", HyperParameters={"pad": "x" * 2400, "more": "y" * 2400})
    assert len(json.dumps(small)) < 4096 < len(json.dumps(big))
    srv.api.create(small)
    resp = srv.api.post(CREATE, json=big)
    assert resp.status_code == 413
    assert resp.json()["__type"] == "PayloadTooLarge"
    assert names_of(srv.api.list().json()["TrainingJobSummaries"]) == ["fits"]


# --- DescribeTrainingJob --------------------------------------------------------

def test_describe_unknown_job_is_404(api):
    resp = api.get("/v1/training-jobs/no-such-job")
    assert resp.status_code == 404
    assert resp.json()["__type"] == "ResourceNotFound"
    assert "no-such-job" in resp.json()["message"]


def test_describe_with_invalid_name_is_400(api):
    resp = api.get("/v1/training-jobs/bad_name")
    assert resp.status_code == 400
    assert resp.json()["__type"] == "ValidationException"


# --- StopTrainingJob ------------------------------------------------------------

def test_stop_pending_job_stops_it_at_once(api, job_request):
    # `api` has no capacity (conftest.NO_CAPACITY): the job is still waiting,
    # holds no instances, and so has no Stopping phase.
    api.create(job_request("stop-me"))
    before = api.describe("stop-me").json()
    assert before["SecondaryStatus"] == "Pending"
    resp = api.stop("stop-me")
    assert resp.json() == {"TrainingJobArn": job_arn("stop-me"), "TrainingJobStatus": "Stopped",
                           "SecondaryStatus": "Stopped"}
    d = api.describe("stop-me").json()
    assert d["TrainingJobStatus"] == "Stopped"
    assert d["SecondaryStatus"] == "Stopped"
    assert d["CreationTime"] == before["CreationTime"]
    assert d["LastModifiedTime"] >= before["LastModifiedTime"]
    transitions = d["SecondaryStatusTransitions"]
    assert [t["Status"] for t in transitions] == ["Pending", "Stopped"]
    assert is_number(transitions[0]["EndTime"])
    assert transitions[0]["EndTime"] == transitions[1]["StartTime"]
    # A terminal transition is closed at once (EndTime == StartTime).
    assert transitions[-1]["EndTime"] == transitions[-1]["StartTime"]
    assert "TrainingStartTime" not in d and "TrainingEndTime" not in d
    assert d["Attempts"] == []
    assert_contains(d, job_request("stop-me"))


def test_stop_running_job_goes_through_stopping(server_factory, job_request):
    # With capacity the job is placed at once; stopping it gives the algorithm
    # its 120-second grace (Stopping) before Stopped. Manual clock: exact times.
    srv = server_factory.start("--capacity", str(SCENARIO_CAPACITY), "--clock", "manual", "--static-market")
    api = srv.api
    req = job_request("stop-running", ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1,
                                                      "VolumeSizeInGB": 10})
    api.create(req)
    t0 = api.describe("stop-running").json()["CreationTime"]
    assert api.describe("stop-running").json()["SecondaryStatus"] == "Starting"
    api.advance(300)  # 120 s launch, then 180 s of training
    assert api.describe("stop-running").json()["SecondaryStatus"] == "Training"
    stopping = {"TrainingJobArn": job_arn("stop-running"), "TrainingJobStatus": "Stopping",
                "SecondaryStatus": "Stopping"}
    assert api.stop("stop-running").json() == stopping
    described = api.describe("stop-running").content
    assert api.stop("stop-running").json() == stopping  # idempotent while Stopping
    assert api.describe("stop-running").content == described
    api.advance(119)
    assert api.describe("stop-running").json()["TrainingJobStatus"] == "Stopping"
    api.advance(1)
    d = api.describe("stop-running").json()
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Stopped", "Stopped")
    assert [(t["Status"], t["StartTime"] - t0, t["EndTime"] - t0) for t in d["SecondaryStatusTransitions"]] == [
        ("Pending", 0, 0), ("Starting", 0, 120), ("Training", 120, 300), ("Stopping", 300, 420),
        ("Stopped", 420, 420)]
    assert d["TrainingEndTime"] == t0 + 420
    assert api.stop("stop-running").json() == {**stopping, "TrainingJobStatus": "Stopped",
                                               "SecondaryStatus": "Stopped"}
    assert_contains(d, req)


def test_stop_is_idempotent(api, job_request):
    api.create(job_request("stop-twice"))
    first = api.stop("stop-twice").json()
    described = api.describe("stop-twice").content
    second = api.stop("stop-twice").json()
    assert second == first == {"TrainingJobArn": job_arn("stop-twice"), "TrainingJobStatus": "Stopped",
                               "SecondaryStatus": "Stopped"}
    assert api.describe("stop-twice").content == described


def test_stop_with_empty_json_body(api, job_request):
    api.create(job_request("stop-with-body"))
    resp = api.post("/v1/training-jobs/stop-with-body/stop", json={})
    assert resp.status_code == 200, resp.text
    assert resp.json()["TrainingJobStatus"] == "Stopped"


def test_stop_unknown_job_is_404(api):
    resp = api.post("/v1/training-jobs/ghost-job/stop")
    assert resp.status_code == 404
    assert resp.json()["__type"] == "ResourceNotFound"


def test_stop_one_job_leaves_the_others(api, job_request):
    for n in ("keep-a", "halt-b", "keep-c"):
        api.create(job_request(n))
    api.stop("halt-b")
    statuses = {s["TrainingJobName"]: s["TrainingJobStatus"] for s in api.list().json()["TrainingJobSummaries"]}
    assert statuses == {"keep-a": "InProgress", "halt-b": "Stopped", "keep-c": "InProgress"}


# --- ListTrainingJobs -----------------------------------------------------------

def test_list_empty(api):
    resp = api.get("/v1/training-jobs")
    assert resp.status_code == 200
    assert resp.json() == {"TrainingJobSummaries": []}


def test_list_summary_shape(api, job_request):
    api.create(job_request("summarised"))
    d = api.describe("summarised").json()
    (s,) = api.list().json()["TrainingJobSummaries"]
    assert s["TrainingJobName"] == "summarised"
    assert s["TrainingJobArn"] == job_arn("summarised")
    assert s["TrainingJobStatus"] == "InProgress"
    assert s["SecondaryStatus"] == "Pending"
    assert s["CreationTime"] == d["CreationTime"]
    assert s["LastModifiedTime"] == d["LastModifiedTime"]
    assert "TrainingEndTime" not in s


def test_list_default_page_is_10_in_creation_order(api, job_request):
    # Names in an order that neither alphabetical nor reverse order reproduces.
    names = [f"job-{(i * 7) % 13:02d}-{i}" for i in range(13)]
    for n in names:
        api.create(job_request(n))
    page = api.list().json()
    assert names_of(page["TrainingJobSummaries"]) == names[:10]
    assert page.get("NextToken")
    page2 = api.list(NextToken=page["NextToken"]).json()
    assert names_of(page2["TrainingJobSummaries"]) == names[10:]
    assert "NextToken" not in page2


def test_list_exactly_one_full_page_has_no_next_token(api, job_request):
    for i in range(5):
        api.create(job_request(f"exact-{i}"))
    page = api.list(MaxResults=5).json()
    assert len(page["TrainingJobSummaries"]) == 5
    assert "NextToken" not in page


def test_list_sort_orders(api, job_request):
    names = ["delta", "alpha", "charlie", "echo", "bravo"]
    for n in names:
        api.create(job_request(n))
    api.stop("charlie")
    api.stop("echo")
    assert names_of(api.list(SortOrder="Descending").json()["TrainingJobSummaries"]) == names[::-1]
    assert names_of(api.list(SortBy="CreationTime", SortOrder="Ascending").json()["TrainingJobSummaries"]) == names
    assert names_of(api.list(SortBy="Name").json()["TrainingJobSummaries"]) == sorted(names)
    assert names_of(api.list(SortBy="Name", SortOrder="Descending").json()["TrainingJobSummaries"]) == \
        sorted(names, reverse=True)
    by_status = api.list(SortBy="Status").json()["TrainingJobSummaries"]
    statuses = [s["TrainingJobStatus"] for s in by_status]
    assert statuses == sorted(statuses)
    assert sorted(names_of(by_status)) == sorted(names)
    by_status_desc = api.list(SortBy="Status", SortOrder="Descending").json()["TrainingJobSummaries"]
    assert [s["TrainingJobStatus"] for s in by_status_desc] == sorted(statuses, reverse=True)


def test_list_sorted_by_name_pages_like_one_page(api, job_request):
    names = [f"n{(i * 11) % 17:02d}" for i in range(17)]
    for n in names:
        api.create(job_request(n))
    for order in ("Ascending", "Descending"):
        whole = names_of(api.list(SortBy="Name", SortOrder=order, MaxResults=100).json()["TrainingJobSummaries"])
        assert whole == sorted(names, reverse=order == "Descending")
        paged = names_of(api.list_all(SortBy="Name", SortOrder=order, MaxResults=4))
        assert paged == whole


def test_list_filters_by_status_and_name(api, job_request):
    for n in ("resnet-a", "resnet-b", "bert-a", "bert-b"):
        api.create(job_request(n))
    api.stop("resnet-b")
    api.stop("bert-a")
    assert names_of(api.list(StatusEquals="Stopped").json()["TrainingJobSummaries"]) == ["resnet-b", "bert-a"]
    assert names_of(api.list(StatusEquals="InProgress").json()["TrainingJobSummaries"]) == ["resnet-a", "bert-b"]
    assert names_of(api.list(StatusEquals="Completed").json()["TrainingJobSummaries"]) == []
    assert names_of(api.list(NameContains="resnet").json()["TrainingJobSummaries"]) == ["resnet-a", "resnet-b"]
    assert names_of(api.list(NameContains="-b").json()["TrainingJobSummaries"]) == ["resnet-b", "bert-b"]
    assert names_of(api.list(NameContains="resnet", StatusEquals="Stopped").json()["TrainingJobSummaries"]) == \
        ["resnet-b"]
    assert names_of(api.list(NameContains="gpt").json()["TrainingJobSummaries"]) == []


def test_list_filters_by_time(api, job_request):
    early = ["early-1", "early-2"]
    late = ["late-1", "late-2"]
    for n in early:
        api.create(job_request(n))
    early_max = max(api.describe(n).json()["CreationTime"] for n in early)
    # Make the service's clock move past the early jobs before the late ones.
    time.sleep(1.1)
    for n in late:
        api.create(job_request(n))
    late_min = min(api.describe(n).json()["CreationTime"] for n in late)
    assert late_min > early_max
    mid = (early_max + late_min) / 2

    assert names_of(api.list(CreationTimeAfter=mid).json()["TrainingJobSummaries"]) == late
    assert names_of(api.list(CreationTimeBefore=mid).json()["TrainingJobSummaries"]) == early
    assert names_of(api.list(CreationTimeAfter=early_max - 1e6, CreationTimeBefore=late_min + 1e6)
                    .json()["TrainingJobSummaries"]) == early + late
    assert names_of(api.list(CreationTimeAfter=late_min + 1e6).json()["TrainingJobSummaries"]) == []

    # Stopping an early job after `mid` modifies it after `mid`.
    api.stop("early-1")
    assert api.describe("early-1").json()["LastModifiedTime"] > mid
    assert names_of(api.list(LastModifiedTimeAfter=mid).json()["TrainingJobSummaries"]) == ["early-1"] + late
    assert names_of(api.list(LastModifiedTimeBefore=mid).json()["TrainingJobSummaries"]) == ["early-2"]


def test_list_time_filter_accepts_iso8601(api, job_request):
    api.create(job_request("iso-job"))
    assert names_of(api.list(CreationTimeAfter="2001-01-01T00:00:00Z").json()["TrainingJobSummaries"]) == ["iso-job"]
    assert names_of(api.list(CreationTimeBefore="2001-01-01T00:00:00Z").json()["TrainingJobSummaries"]) == []


def test_paging_sees_every_job_once_while_jobs_arrive(api, job_request):
    created = []
    for i in range(25):
        n = f"stream-{i:03d}"
        api.create(job_request(n))
        created.append(n)
    seen, token, extra = [], None, 0
    for _ in range(100):
        params = {"MaxResults": 7}
        if token:
            params["NextToken"] = token
        page = api.list(**params).json()
        assert len(page["TrainingJobSummaries"]) <= 7
        seen += names_of(page["TrainingJobSummaries"])
        token = page.get("NextToken")
        if not token:
            break
        # New jobs arrive between pages; they sort after every job seen so far.
        for _ in range(3 if extra < 9 else 0):
            n = f"late-{extra:03d}"
            api.create(job_request(n))
            created.append(n)
            extra += 1
    assert not token
    assert len(seen) == len(set(seen)), f"duplicates: {[n for n in seen if seen.count(n) > 1]}"
    assert seen == created


def test_descending_paging_sees_each_existing_job_once_while_jobs_arrive(api, job_request):
    existing = [f"old-{i:02d}" for i in range(20)]
    for n in existing:
        api.create(job_request(n))
    seen, token, k = [], None, 0
    for _ in range(100):
        params = {"MaxResults": 6, "SortOrder": "Descending"}
        if token:
            params["NextToken"] = token
        page = api.list(**params).json()
        seen += names_of(page["TrainingJobSummaries"])
        token = page.get("NextToken")
        if not token:
            break
        for _ in range(2):
            api.create(job_request(f"new-{k:02d}"))
            k += 1
    assert seen == existing[::-1]


def test_paging_after_stops_with_status_filter(api, job_request):
    names = [f"filtered-{i:02d}" for i in range(12)]
    for n in names:
        api.create(job_request(n))
    for n in names[::2]:
        api.stop(n)
    assert names_of(api.list_all(StatusEquals="Stopped", MaxResults=2)) == names[::2]
    assert names_of(api.list_all(StatusEquals="InProgress", MaxResults=5)) == names[1::2]


BAD_QUERIES = {
    "max-results-0": {"MaxResults": "0"},
    "max-results-101": {"MaxResults": "101"},
    "max-results-text": {"MaxResults": "ten"},
    "max-results-negative": {"MaxResults": "-1"},
    "bad-token": {"NextToken": "not-a-token"},
    "unknown-parameter": {"Foo": "1"},
    "misspelled-parameter": {"MaxResult": "5"},
    "bad-sort-by": {"SortBy": "Size"},
    "bad-sort-order": {"SortOrder": "Up"},
    "bad-status": {"StatusEquals": "Running"},
    "bad-time": {"CreationTimeAfter": "yesterday"},
}


@pytest.mark.parametrize("case", sorted(BAD_QUERIES), ids=sorted(BAD_QUERIES))
def test_bad_list_query_is_400(api, job_request, case):
    api.create(job_request("some-job"))
    params = BAD_QUERIES[case]
    resp = api.get("/v1/training-jobs", params=params)
    assert resp.status_code == 400, resp.text
    assert resp.json()["__type"] == "ValidationException"
    assert any(k in resp.json()["message"] for k in params), resp.json()["message"]


def test_tampered_token_is_400(api, job_request):
    for i in range(3):
        api.create(job_request(f"tok-{i}"))
    token = api.list(MaxResults=1).json()["NextToken"]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    resp = api.get("/v1/training-jobs", params={"MaxResults": 1, "NextToken": tampered})
    assert resp.status_code == 400, resp.text
    assert resp.json()["__type"] == "ValidationException"


def test_max_results_bounds_are_accepted(api, job_request):
    for i in range(3):
        api.create(job_request(f"bound-{i}"))
    assert len(api.list(MaxResults=1).json()["TrainingJobSummaries"]) == 1
    assert len(api.list(MaxResults=100).json()["TrainingJobSummaries"]) == 3


def test_healthz(api):
    resp = api.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok"}
