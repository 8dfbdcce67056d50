"""Every example a user copies from runs against a live server and does what
its comment says: the curl scripts in examples/ and the job files in
examples/jobs/."""
from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import REPO_ROOT, SCENARIO_CAPACITY, assert_contains, job_arn

EXAMPLES = REPO_ROOT / "examples"
JOB_FILES = sorted((EXAMPLES / "jobs").glob("*.json"))
DEFAULT_JOB = EXAMPLES / "jobs" / "spot-p3-defect-detection.json"
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")

# The top-level members of SageMaker's CreateTrainingJob request.
CREATE_TRAINING_JOB_MEMBERS = {
    "TrainingJobName", "HyperParameters", "AlgorithmSpecification", "RoleArn", "InputDataConfig",
    "OutputDataConfig", "ResourceConfig", "VpcConfig", "StoppingCondition", "Tags", "EnableNetworkIsolation",
    "EnableInterContainerTrafficEncryption", "EnableManagedSpotTraining", "CheckpointConfig", "DebugHookConfig",
    "DebugRuleConfigurations", "TensorBoardOutputConfig", "ExperimentConfig", "ProfilerConfig",
    "ProfilerRuleConfigurations", "Environment", "RetryStrategy", "RemoteDebugConfig", "InfraCheckConfig",
    "SessionChainingConfig",
}


def run_script(server, script: str, *args: str, check_ok: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRAINYARD_")}
    env["TRAINYARD_URL"] = server.url
    out = subprocess.run(["bash", str(EXAMPLES / script), *args], capture_output=True, text=True,
                         env=env, cwd=REPO_ROOT, timeout=30)
    if check_ok:
        assert out.returncode == 0, f"{script} {args}: exit {out.returncode}\nstdout:\n{out.stdout}\n" \
                                    f"stderr:\n{out.stderr}"
    return out


def output_json(out: subprocess.CompletedProcess):
    try:
        return json.loads(out.stdout)
    except ValueError as e:
        raise AssertionError(f"not JSON ({e}):\n{out.stdout}\nstderr:\n{out.stderr}")


def load(path: Path) -> dict:
    return json.loads(path.read_text())


# --- the job files ------------------------------------------------------------

def test_there_are_job_examples():
    names = {p.name for p in JOB_FILES}
    assert DEFAULT_JOB.name in names
    assert len(JOB_FILES) >= 3


@pytest.mark.parametrize("path", JOB_FILES, ids=[p.stem for p in JOB_FILES])
def test_job_file_is_a_sagemaker_request(path):
    doc = load(path)
    assert set(doc) <= CREATE_TRAINING_JOB_MEMBERS, set(doc) - CREATE_TRAINING_JOB_MEMBERS
    assert NAME_PATTERN.match(doc["TrainingJobName"])
    assert doc["RoleArn"].startswith("arn:aws:iam::123456789012:role/")
    assert doc["OutputDataConfig"]["S3OutputPath"].startswith("s3://")
    assert doc["Tags"]


@pytest.mark.parametrize("path", JOB_FILES, ids=[p.stem for p in JOB_FILES])
def test_job_file_is_accepted_and_echoed(api, path):
    doc = load(path)
    resp = api.post("/v1/training-jobs", data=path.read_bytes(), headers={"Content-Type": "application/json"})
    assert resp.status_code == 201, resp.text
    d = api.describe(doc["TrainingJobName"]).json()
    assert_contains(d, doc)
    assert d["TrainingJobStatus"] == "InProgress"


def test_job_files_cover_the_documented_cases():
    docs = [load(p) for p in JOB_FILES]
    spot_p3 = [d for d in docs if d["ResourceConfig"]["InstanceType"] == "ml.p3.2xlarge"
               and d.get("EnableManagedSpotTraining") and "CheckpointConfig" in d and "RetryStrategy" in d]
    assert spot_p3 and spot_p3[0]["HyperParameters"]["trainyard.work_seconds"] == "36000"
    assert any(d["ResourceConfig"]["InstanceType"] == "ml.m5.large" and not d.get("EnableManagedSpotTraining")
               for d in docs)
    assert any(d["ResourceConfig"]["InstanceType"] == "ml.p3dn.24xlarge" and d["ResourceConfig"]["InstanceCount"] == 8
               and d["AlgorithmSpecification"]["TrainingInputMode"] == "Pipe" for d in docs)


# --- the scripts ------------------------------------------------------------------

def test_create_with_defaults(server):
    out = run_script(server, "create-job.sh")
    name = load(DEFAULT_JOB)["TrainingJobName"]
    assert output_json(out) == {"TrainingJobArn": job_arn(name)}
    assert server.api.describe(name).json()["TrainingJobStatus"] == "InProgress"


@pytest.mark.parametrize("path", JOB_FILES, ids=[p.stem for p in JOB_FILES])
def test_create_each_job_file(server, path):
    out = run_script(server, "create-job.sh", str(path))
    name = load(path)["TrainingJobName"]
    assert output_json(out) == {"TrainingJobArn": job_arn(name)}


def test_create_with_name_override(server):
    out = run_script(server, "create-job.sh", str(DEFAULT_JOB), "defect-detection-rerun-2")
    assert output_json(out) == {"TrainingJobArn": job_arn("defect-detection-rerun-2")}
    d = server.api.describe("defect-detection-rerun-2").json()
    original = load(DEFAULT_JOB)
    assert d["ResourceConfig"] == original["ResourceConfig"]
    assert d["HyperParameters"] == original["HyperParameters"]
    # The file's own name was not used.
    server.api.describe(original["TrainingJobName"], expect=404)


def test_create_duplicate_fails_with_the_service_error(server):
    run_script(server, "create-job.sh")
    out = run_script(server, "create-job.sh", check_ok=False)
    assert out.returncode != 0
    assert output_json(out)["__type"] == "ResourceInUse"


def test_create_relative_path_from_repo_root(server):
    out = run_script(server, "create-job.sh", "examples/jobs/ondemand-m5-churn-xgboost.json")
    assert output_json(out)["TrainingJobArn"].endswith("/customer-churn-xgboost-cpu")


def test_describe_script(server):
    run_script(server, "create-job.sh")
    name = load(DEFAULT_JOB)["TrainingJobName"]
    d = output_json(run_script(server, "describe-job.sh", name))
    assert d["TrainingJobName"] == name
    assert d["TrainingJobStatus"] == "InProgress"
    assert d["SecondaryStatus"] == "Pending"
    assert d["EnableManagedSpotTraining"] is True


def test_describe_script_unknown_job_fails(server):
    out = run_script(server, "describe-job.sh", "no-such-job", check_ok=False)
    assert out.returncode != 0
    assert output_json(out)["__type"] == "ResourceNotFound"


def test_list_script(server):
    for path in JOB_FILES:
        run_script(server, "create-job.sh", str(path))
    names = [load(p)["TrainingJobName"] for p in JOB_FILES]
    listed = output_json(run_script(server, "list-jobs.sh"))
    assert [s["TrainingJobName"] for s in listed["TrainingJobSummaries"]] == names

    by_name = output_json(run_script(server, "list-jobs.sh", "SortBy=Name", "SortOrder=Descending"))
    assert [s["TrainingJobName"] for s in by_name["TrainingJobSummaries"]] == sorted(names, reverse=True)

    one = output_json(run_script(server, "list-jobs.sh", "NameContains=defect"))
    assert [s["TrainingJobName"] for s in one["TrainingJobSummaries"]] == [load(DEFAULT_JOB)["TrainingJobName"]]

    page = output_json(run_script(server, "list-jobs.sh", "MaxResults=1"))
    assert len(page["TrainingJobSummaries"]) == 1
    nxt = output_json(run_script(server, "list-jobs.sh", "MaxResults=1", f"NextToken={page['NextToken']}"))
    assert nxt["TrainingJobSummaries"][0]["TrainingJobName"] == names[1]


def test_list_script_bad_parameter_fails(server):
    out = run_script(server, "list-jobs.sh", "MaxResults=0", check_ok=False)
    assert out.returncode != 0
    assert output_json(out)["__type"] == "ValidationException"


def test_stop_script(server):
    run_script(server, "create-job.sh")
    name = load(DEFAULT_JOB)["TrainingJobName"]
    stopped = output_json(run_script(server, "stop-job.sh", name))
    assert stopped == {"TrainingJobArn": job_arn(name), "TrainingJobStatus": "Stopped", "SecondaryStatus": "Stopped"}
    d = output_json(run_script(server, "describe-job.sh", name))
    assert d["TrainingJobStatus"] == "Stopped"
    listed = output_json(run_script(server, "list-jobs.sh", "StatusEquals=Stopped"))
    assert [s["TrainingJobName"] for s in listed["TrainingJobSummaries"]] == [name]
    # Stopping again is not an error.
    assert output_json(run_script(server, "stop-job.sh", name)) == stopped


def test_stop_script_unknown_job_fails(server):
    out = run_script(server, "stop-job.sh", "ghost-job", check_ok=False)
    assert out.returncode != 0
    assert output_json(out)["__type"] == "ResourceNotFound"


def test_scripts_are_strict_bash():
    for script in ("create-job.sh", "describe-job.sh", "list-jobs.sh", "stop-job.sh", "follow-job.sh"):
        text = (EXAMPLES / script).read_text()
        assert text.startswith("#!/usr/bin/env bash"), script
        assert "set -euo pipefail" in text, script
        assert "TRAINYARD_URL" in text and "http://localhost:8080" in text, script
        assert "--fail-with-body" in text, script
        syntax = subprocess.run(["bash", "-n", str(EXAMPLES / script)], capture_output=True, text=True)
        assert syntax.returncode == 0, syntax.stderr


def sse_messages(text: str) -> list[dict]:
    """The events of a Server-Sent Events body, as their JSON."""
    events = []
    for block in text.split("\n\n"):
        data = [line[len("data: "):] for line in block.split("\n") if line.startswith("data: ")]
        if data:
            events.append(json.loads("".join(data)))
    return events


def test_follow_script_streams_a_job_live_until_it_ends(server_factory):
    srv = server_factory.start("--clock", "manual", "--static-market", "--capacity", str(SCENARIO_CAPACITY))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRAINYARD_")}
    env["TRAINYARD_URL"] = srv.url
    doc = load(EXAMPLES / "jobs" / "ondemand-m5-churn-xgboost.json")
    name = doc["TrainingJobName"]
    run_script(srv, "create-job.sh", "examples/jobs/ondemand-m5-churn-xgboost.json")
    follower = subprocess.Popen(["bash", str(EXAMPLES / "follow-job.sh"), name], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT)
    guard = threading.Timer(30, follower.kill)  # a stream that never ends fails, not hangs
    guard.start()
    try:
        # The first line proves the stream is open before time moves.
        first = follower.stdout.readline()
        assert first.startswith("id: "), first
        srv.api.advance(86400)
        out = first + follower.stdout.read()  # to the end of the stream
        err = follower.stderr.read()
        follower.wait()
    finally:
        guard.cancel()
        follower.kill()
    assert follower.returncode == 0, err
    events = sse_messages(out)
    history = srv.api.session.get(f"{srv.url}/v1/training-jobs/{name}/events", timeout=10).json()["Events"]
    assert events == history
    assert events[-1]["TrainingJobStatus"] == "Completed"
    # Resuming after an id prints only what came after it.
    later = run_script(srv, "follow-job.sh", name, str(history[-2]["EventId"]))
    assert sse_messages(later.stdout) == history[-1:]


def test_follow_script_unknown_job_fails(server):
    out = run_script(server, "follow-job.sh", "ghost-job", check_ok=False)
    assert out.returncode != 0
    assert output_json(out)["__type"] == "ResourceNotFound"
