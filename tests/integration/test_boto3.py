"""boto3 against trainyard, unchanged but for endpoint_url: the AWS JSON 1.1
protocol on POST / (create, describe, list with the paginator, stop, the
error codes, the training_job_completed_or_stopped waiter) and SigV4 with
`--auth sigv4 --credentials FILE`, for boto3 and curl --aws-sigv4.

Uses Debian's python3-boto3 (run with /usr/bin/python3, as the Makefile does).
"""
from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import pytest
import requests

from conftest import (NO_CAPACITY, REGION, REPO_ROOT, SCENARIO_CAPACITY, assert_contains, job_arn,
                      make_job_request)

boto3 = pytest.importorskip("boto3", reason="needs python3-boto3 (make deps)")
from botocore import UNSIGNED  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

EXAMPLES = sorted((REPO_ROOT / "examples" / "jobs").glob("*.json"))
ACCESS_KEY = "AKIDTRAINYARDTEST"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

# One attempt: an error must surface as it is, not after botocore's retries.
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=15)


def sagemaker(server, access_key: str = "dummy", secret_key: str = "dummy", **kwargs):
    return boto3.client("sagemaker", endpoint_url=server.url, region_name=kwargs.pop("region", REGION),
                        aws_access_key_id=access_key, aws_secret_access_key=secret_key,
                        config=kwargs.pop("config", NO_RETRIES), **kwargs)


def error_of(call, *args, **kwargs) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    response = info.value.response
    return (response["Error"]["Code"], response["Error"]["Message"],
            response["ResponseMetadata"]["HTTPStatusCode"])


def credentials_file(tmp_path: Path) -> Path:
    path = tmp_path / "credentials"
    path.write_text(f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n\n"
                    "[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = ci-secret\n")
    return path


# --- The protocol ------------------------------------------------------------------

def test_examples_create_describe_and_list_as_on_sagemaker(server):
    client = sagemaker(server)
    for path in EXAMPLES:
        doc = json.loads(path.read_text())
        created = client.create_training_job(**doc)
        assert created["TrainingJobArn"] == job_arn(doc["TrainingJobName"])
        assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert created["ResponseMetadata"]["RequestId"]  # from x-amzn-RequestId

        described = client.describe_training_job(TrainingJobName=doc["TrainingJobName"])
        assert described["TrainingJobArn"] == created["TrainingJobArn"]
        assert described["TrainingJobStatus"] == "InProgress"
        assert described["SecondaryStatus"] == "Pending"  # NO_CAPACITY: it waits
        for member in ("AlgorithmSpecification", "RoleArn", "OutputDataConfig", "ResourceConfig",
                       "HyperParameters", "InputDataConfig"):
            assert_contains(described[member], doc[member], member)  # plus SageMaker's defaults
        # Epoch seconds on the wire, parsed by botocore into aware datetimes.
        assert described["CreationTime"].tzinfo is not None
        assert described["LastModifiedTime"] >= described["CreationTime"]
        assert described["EnableManagedSpotTraining"] == doc.get("EnableManagedSpotTraining", False)

        # One code path below the wire: REST sees the same job.
        rest = requests.get(f"{server.url}/v1/training-jobs/{doc['TrainingJobName']}", timeout=10).json()
        assert rest["TrainingJobArn"] == created["TrainingJobArn"]
        assert rest["CreationTime"] == pytest.approx(described["CreationTime"].timestamp(), abs=1e-5)

    listed = client.list_training_jobs(SortBy="Name", SortOrder="Ascending")
    names = [s["TrainingJobName"] for s in listed["TrainingJobSummaries"]]
    assert names == sorted(json.loads(p.read_text())["TrainingJobName"] for p in EXAMPLES)
    assert "NextToken" not in listed
    # Timestamps go out as epoch seconds (numbers); the filter applies.
    first = client.describe_training_job(TrainingJobName=names[0])["CreationTime"]
    assert client.list_training_jobs(CreationTimeBefore=first)["TrainingJobSummaries"] == []

    tags = client.list_tags(ResourceArn=job_arn(names[0]))["Tags"]
    doc = next(json.loads(p.read_text()) for p in EXAMPLES if json.loads(p.read_text())["TrainingJobName"] == names[0])
    assert tags == doc["Tags"]


def test_paginator_walks_more_than_a_hundred_jobs(server):
    client = sagemaker(server)
    expected = {f"page-job-{i:03d}" for i in range(105)}
    for name in sorted(expected):
        client.create_training_job(**make_job_request(name))

    paginator = client.get_paginator("list_training_jobs")
    for page_size, pages_expected in ((None, 11), (100, 2), (7, 15)):
        config = {} if page_size is None else {"PageSize": page_size}
        pages = list(paginator.paginate(NameContains="page-job-", PaginationConfig=config))
        names = [s["TrainingJobName"] for page in pages for s in page["TrainingJobSummaries"]]
        assert len(pages) == pages_expected, page_size
        assert len(names) == len(set(names)) == 105, page_size
        assert set(names) == expected

    # MaxItems stops part-way and hands back a token to resume from.
    first = paginator.paginate(PaginationConfig={"MaxItems": 30, "PageSize": 20}).build_full_result()
    assert len(first["TrainingJobSummaries"]) == 30 and first["NextToken"]
    rest = paginator.paginate(PaginationConfig={"StartingToken": first["NextToken"]}).build_full_result()
    assert len(first["TrainingJobSummaries"]) + len(rest["TrainingJobSummaries"]) == 105


def test_stop_then_waiter_sees_stopped(server):
    client = sagemaker(server)
    client.create_training_job(**make_job_request("stop-me"))
    stopped = client.stop_training_job(TrainingJobName="stop-me")
    assert set(stopped) == {"ResponseMetadata"}  # StopTrainingJob has no output members
    client.get_waiter("training_job_completed_or_stopped").wait(
        TrainingJobName="stop-me", WaiterConfig={"Delay": 1, "MaxAttempts": 10})
    assert client.describe_training_job(TrainingJobName="stop-me")["TrainingJobStatus"] == "Stopped"


def test_client_error_codes(server):
    client = sagemaker(server)
    # SageMaker answers Describe and Stop of an unknown job with
    # ValidationException, not the ResourceNotFound its model declares
    # (aws/aws-sdk#165); code written against SageMaker expects that.
    assert error_of(client.describe_training_job, TrainingJobName="no-such-job") == \
        ("ValidationException", "Requested resource not found.", 400)
    assert error_of(client.stop_training_job, TrainingJobName="no-such-job") == \
        ("ValidationException", "Requested resource not found.", 400)

    client.create_training_job(**make_job_request("dup"))
    code, message, status = error_of(client.create_training_job, **make_job_request("dup"))
    assert (code, status) == ("ResourceInUse", 400)
    with pytest.raises(client.exceptions.ResourceInUse):  # the modelled exception class
        client.create_training_job(**make_job_request("dup"))

    bad = make_job_request("bad", ResourceConfig={"InstanceType": "ml.z9.huge", "InstanceCount": 1,
                                                  "VolumeSizeInGB": 10})
    code, message, status = error_of(client.create_training_job, **bad)
    assert (code, status) == ("ValidationException", 400)
    assert "ml.z9.huge" in message
    with pytest.raises(ClientError):
        client.describe_training_job(TrainingJobName="bad")  # nothing was stored

    code, message, status = error_of(client.add_tags, ResourceArn=job_arn("no-such-job"),
                                     Tags=[{"Key": "k", "Value": "v"}])
    assert (code, status) == ("ValidationException", 400)


def test_tags_change_and_show_in_describe(server):
    client = sagemaker(server)
    client.create_training_job(**make_job_request("tagged"))
    arn = job_arn("tagged")
    before = {t["Key"]: t["Value"] for t in client.list_tags(ResourceArn=arn)["Tags"]}
    client.add_tags(ResourceArn=arn, Tags=[{"Key": "owner", "Value": "ml-platform"}])
    after_add = {t["Key"]: t["Value"] for t in client.list_tags(ResourceArn=arn)["Tags"]}
    assert after_add == {**before, "owner": "ml-platform"}
    described = client.describe_training_job(TrainingJobName="tagged")
    assert described["TrainingJobName"] == "tagged"
    client.delete_tags(ResourceArn=arn, TagKeys=["owner"])
    after_delete = {t["Key"]: t["Value"] for t in client.list_tags(ResourceArn=arn)["Tags"]}
    assert after_delete == before


def test_envelope_errors_as_aws_sends_them(server):
    def post(target, body="{}", content_type="application/x-amz-json-1.1"):
        return requests.post(server.url + "/", data=body, timeout=10,
                             headers={"X-Amz-Target": target, "Content-Type": content_type})

    r = post("SageMaker.CreateModelPackage")
    assert r.status_code == 400 and r.json()["__type"] == "UnknownOperationException"
    assert r.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert r.headers["x-amzn-RequestId"]
    r = post("SageMaker.ListTrainingJobs", body="{not json")
    assert r.status_code == 400 and r.json()["__type"] == "SerializationException"
    r = post("SageMaker.ListTrainingJobs", content_type="text/plain")
    assert r.status_code == 400 and r.json()["__type"] == "UnknownOperationException"


def test_waiter_on_a_scaled_real_clock(server_factory):
    srv = server_factory.start("--clock", "real", "--time-scale", "3600", "--static-market",
                               "--capacity", str(SCENARIO_CAPACITY))
    client = sagemaker(srv)
    doc = make_job_request("short-job", HyperParameters={"trainyard.work_seconds": "600"})
    client.create_training_job(**doc)
    # About 15 virtual minutes: a quarter of a real second at 3600x.
    client.get_waiter("training_job_completed_or_stopped").wait(
        TrainingJobName="short-job", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    job = client.describe_training_job(TrainingJobName="short-job")
    assert job["TrainingJobStatus"] == "Completed"
    assert job["SecondaryStatus"] == "Completed"
    assert isinstance(job["TrainingTimeInSeconds"], int) and job["TrainingTimeInSeconds"] >= 600
    assert job["BillableTimeInSeconds"] == job["TrainingTimeInSeconds"]  # on-demand
    assert job["TrainingEndTime"] > job["TrainingStartTime"]


def test_waiter_sees_a_spot_interruption_on_a_manual_clock(server_factory):
    """The waiter polls while a thread moves the manual clock; Describe then
    shows the interruption and what spot saved, in SageMaker's own members."""
    srv = server_factory.start("--clock", "manual", "--static-market", "--capacity", str(SCENARIO_CAPACITY))
    client = sagemaker(srv)
    doc = make_job_request(
        "spot-job",
        HyperParameters={"trainyard.work_seconds": "1800", "trainyard.checkpoint_interval_seconds": "300"},
        EnableManagedSpotTraining=True,
        StoppingCondition={"MaxRuntimeInSeconds": 7200, "MaxWaitTimeInSeconds": 14400},
        CheckpointConfig={"S3Uri": "s3://trainyard-tests/checkpoints/spot-job/"})
    client.create_training_job(**doc)
    srv.api.advance(900)
    assert client.describe_training_job(TrainingJobName="spot-job")["SecondaryStatus"] == "Training"
    assert srv.api.interrupt("ml.m5.large", 1)

    done = threading.Event()

    def move_time():
        while not done.wait(0.05):
            srv.api.advance(120)

    mover = threading.Thread(target=move_time, daemon=True)
    mover.start()
    try:
        client.get_waiter("training_job_completed_or_stopped").wait(
            TrainingJobName="spot-job", WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    finally:
        done.set()
        mover.join(timeout=10)

    job = client.describe_training_job(TrainingJobName="spot-job")
    assert job["TrainingJobStatus"] == "Completed"
    assert job["EnableManagedSpotTraining"] is True
    assert "Interrupted" in [t["Status"] for t in job["SecondaryStatusTransitions"]]
    # SageMaker's savings figure: 1 - BillableTimeInSeconds / TrainingTimeInSeconds.
    assert 0 < job["BillableTimeInSeconds"] < job["TrainingTimeInSeconds"]


# --- SigV4 -----------------------------------------------------------------------

@pytest.fixture
def signed_server(server_factory, tmp_path):
    return server_factory.start("--auth", "sigv4", "--credentials", str(credentials_file(tmp_path)),
                                "--capacity", str(NO_CAPACITY))


def test_sigv4_right_keys_pass(signed_server):
    client = sagemaker(signed_server, ACCESS_KEY, SECRET_KEY)
    client.create_training_job(**make_job_request("signed-job"))
    assert client.describe_training_job(TrainingJobName="signed-job")["TrainingJobName"] == "signed-job"
    assert [s["TrainingJobName"] for s in client.list_training_jobs()["TrainingJobSummaries"]] == ["signed-job"]
    # Any profile of the file signs.
    other = sagemaker(signed_server, "AKIDCI", "ci-secret")
    assert other.list_tags(ResourceArn=job_arn("signed-job"))["Tags"] == make_job_request("x")["Tags"]


def test_sigv4_a_profile_of_the_credentials_file_works_as_is(signed_server, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials_file(tmp_path)))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    client = boto3.Session(profile_name="ci").client("sagemaker", endpoint_url=signed_server.url,
                                                     region_name=REGION, config=NO_RETRIES)
    assert client.list_training_jobs()["TrainingJobSummaries"] == []


def test_sigv4_refusals_carry_the_aws_codes(signed_server):
    wrong_secret = sagemaker(signed_server, ACCESS_KEY, "not-the-secret")
    code, message, status = error_of(wrong_secret.list_training_jobs)
    assert (code, status) == ("InvalidSignatureException", 400)
    assert message.startswith("The request signature we calculated does not match")

    unknown_key = sagemaker(signed_server, "AKIDUNKNOWN", SECRET_KEY)
    assert error_of(unknown_key.list_training_jobs) == \
        ("UnrecognizedClientException", "The security token included in the request is invalid.", 400)

    other_region = sagemaker(signed_server, ACCESS_KEY, SECRET_KEY, region="eu-west-1")
    code, message, _ = error_of(other_region.list_training_jobs)
    assert code == "InvalidSignatureException" and "region" in message

    unsigned = sagemaker(signed_server, config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}))
    assert error_of(unsigned.list_training_jobs)[0] == "MissingAuthenticationTokenException"

    # Refused calls change nothing.
    wrong = sagemaker(signed_server, ACCESS_KEY, "not-the-secret")
    with pytest.raises(ClientError):
        wrong.create_training_job(**make_job_request("never"))
    ok = sagemaker(signed_server, ACCESS_KEY, SECRET_KEY)
    assert ok.list_training_jobs()["TrainingJobSummaries"] == []


def test_sigv4_guards_rest_routes_but_not_probes(signed_server):
    r = requests.get(signed_server.url + "/v1/training-jobs", timeout=10)
    assert r.status_code == 403
    assert r.json()["__type"] == "MissingAuthenticationTokenException"
    r = requests.get(signed_server.url + "/v1/no-such-route", timeout=10)
    assert r.status_code == 403  # authentication comes before routing, as on AWS
    for probe in ("/healthz", "/readyz", "/metrics"):
        assert requests.get(signed_server.url + probe, timeout=10).status_code == 200, probe


def curl(server, user: str, path: str, *args: str) -> tuple[int, dict]:
    out = subprocess.run(
        ["curl", "-sS", "--aws-sigv4", f"aws:amz:{REGION}:sagemaker", "--user", user,
         "-w", "\n%{http_code}", *args, server.url + path],
        capture_output=True, text=True, timeout=30, check=True)
    body, _, code = out.stdout.rpartition("\n")
    return int(code), json.loads(body)


def test_sigv4_curl_signs_rest_and_aws_json_calls(signed_server):
    user = f"{ACCESS_KEY}:{SECRET_KEY}"
    status, body = curl(signed_server, user, "/v1/training-jobs", "-X", "POST",
                        "-H", "Content-Type: application/json",
                        "--data-binary", json.dumps(make_job_request("curl-job")))
    assert status == 201, body
    assert body["TrainingJobArn"] == job_arn("curl-job")

    status, body = curl(signed_server, user, "/v1/training-jobs/curl-job")
    assert status == 200 and body["TrainingJobName"] == "curl-job"
    status, body = curl(signed_server, user, "/v1/training-jobs?NameContains=curl&MaxResults=5")
    assert status == 200 and [s["TrainingJobName"] for s in body["TrainingJobSummaries"]] == ["curl-job"]

    status, body = curl(signed_server, user, "/", "-X", "POST",
                        "-H", "X-Amz-Target: SageMaker.DescribeTrainingJob",
                        "-H", "Content-Type: application/x-amz-json-1.1",
                        "--data-binary", '{"TrainingJobName": "curl-job"}')
    assert status == 200 and body["TrainingJobArn"] == job_arn("curl-job")

    status, body = curl(signed_server, f"{ACCESS_KEY}:wrong", "/v1/training-jobs/curl-job")
    assert status == 403 and body["__type"] == "InvalidSignatureException"


def test_auth_flags_are_checked_at_start_up(server_factory, tmp_path):
    bad = tmp_path / "bad-credentials"
    bad.write_text("[default]\nregion = us-east-1\n")
    for args in (["--auth", "sigv4"], ["--auth", "sigv4", "--credentials", str(bad)],
                 ["--credentials", str(credentials_file(tmp_path))]):
        srv = server_factory.start(*args, wait=False)
        assert srv.proc.wait(timeout=10) != 0, args
        srv.stopped_by_test = True
