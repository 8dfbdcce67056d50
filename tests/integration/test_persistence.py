"""What a client was told survives the process: kill -9 and restart on the
same database, then compare what the API returns."""
from __future__ import annotations

import signal
import threading

from conftest import NO_CAPACITY, SCENARIO_CAPACITY, ApiClient, job_arn

# With a manual clock, time stands still: nothing but requests changes a job,
# so a restart must return exactly what was returned before it.
MANUAL = ("--clock", "manual")
# Jobs that can never be placed stay waiting (Pending); see conftest.NO_CAPACITY.
NO_CAPACITY_ARGS = ("--capacity", str(NO_CAPACITY))


def spot_request(job_request, name):
    return job_request(
        name,
        HyperParameters={"trainyard.work_seconds": "36000", "trainyard.checkpoint_interval_seconds": "900"},
        ResourceConfig={"InstanceType": "ml.p3.2xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
        StoppingCondition={"MaxRuntimeInSeconds": 86400, "MaxWaitTimeInSeconds": 172800},
        EnableManagedSpotTraining=True,
        CheckpointConfig={"S3Uri": f"s3://bucket/checkpoints/{name}/"},
        RetryStrategy={"MaximumRetryAttempts": 2},
        Tags=[{"Key": "project", "Value": "rail-defects"}],
    )


def snapshot(api: ApiClient, names):
    return {n: api.describe(n).content for n in names}


def test_describe_is_byte_identical_after_kill_9(server_factory, job_request):
    srv = server_factory.start(*MANUAL)
    names = ["persist-spot", "persist-cpu", "persist-defaults"]
    srv.api.create(spot_request(job_request, names[0]))
    srv.api.create(job_request(names[1]))
    srv.api.create(job_request(names[2], StoppingCondition={}, Tags=None, HyperParameters=None))
    before = snapshot(srv.api, names)
    listed_before = srv.api.get("/v1/training-jobs").content

    srv2 = server_factory.restart(srv, signal.SIGKILL)
    assert srv.proc.returncode == -signal.SIGKILL
    assert snapshot(srv2.api, names) == before
    assert srv2.api.get("/v1/training-jobs").content == listed_before


def test_stopped_status_survives_kill_9(server_factory, job_request):
    # Waiting jobs: the stopped one is Stopped at once, the other keeps waiting.
    srv = server_factory.start(*MANUAL, *NO_CAPACITY_ARGS)
    srv.api.create(job_request("stop-then-crash"))
    srv.api.create(job_request("left-waiting"))
    stopped = srv.api.stop("stop-then-crash").json()
    assert stopped["TrainingJobStatus"] == "Stopped"
    before = snapshot(srv.api, ["stop-then-crash", "left-waiting"])

    srv2 = server_factory.restart(srv, signal.SIGKILL)
    d = srv2.api.describe("stop-then-crash").json()
    assert d["TrainingJobStatus"] == "Stopped"
    assert d["SecondaryStatus"] == "Stopped"
    assert snapshot(srv2.api, ["stop-then-crash", "left-waiting"]) == before
    # Stopping again after the restart is still the idempotent 200.
    assert srv2.api.stop("stop-then-crash").json() == stopped


def test_stopping_and_stopped_running_job_survive_kill_9(server_factory, job_request):
    # A running job stopped on request is Stopping for its 120-second grace;
    # a kill -9 inside the grace keeps the grace's end, and after it the job
    # is Stopped with the same times as without the crash.
    srv = server_factory.start(*MANUAL, "--static-market", "--capacity", str(SCENARIO_CAPACITY))
    req = job_request("stop-running-then-crash",
                      ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10})
    srv.api.create(req)
    t0 = srv.api.describe(req["TrainingJobName"]).json()["CreationTime"]
    srv.api.advance(200)
    stopping = srv.api.stop(req["TrainingJobName"]).json()
    assert stopping == {"TrainingJobArn": job_arn(req["TrainingJobName"]), "TrainingJobStatus": "Stopping",
                        "SecondaryStatus": "Stopping"}
    srv.api.advance(60)
    before = snapshot(srv.api, [req["TrainingJobName"]])

    srv2 = server_factory.restart(srv, signal.SIGKILL)
    assert srv2.api.clock()["Now"] == t0 + 260
    assert snapshot(srv2.api, [req["TrainingJobName"]]) == before
    assert srv2.api.stop(req["TrainingJobName"]).json() == stopping
    srv2.api.advance(59)
    assert srv2.api.describe(req["TrainingJobName"]).json()["TrainingJobStatus"] == "Stopping"
    srv2.api.advance(1)
    d = srv2.api.describe(req["TrainingJobName"]).json()
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Stopped", "Stopped")
    assert d["TrainingEndTime"] == t0 + 320
    stopped = snapshot(srv2.api, [req["TrainingJobName"]])

    srv3 = server_factory.restart(srv2, signal.SIGKILL)
    assert snapshot(srv3.api, [req["TrainingJobName"]]) == stopped


def test_every_acknowledged_create_survives_kill_9(server_factory, job_request):
    srv = server_factory.start(*MANUAL)
    names = [f"acked-{i:02d}" for i in range(32)]
    acked = []
    lock = threading.Lock()

    def create(chunk):
        client = ApiClient(srv.url)
        for n in chunk:
            if client.post("/v1/training-jobs", json=job_request(n)).status_code == 201:
                with lock:
                    acked.append(n)
        client.close()

    threads = [threading.Thread(target=create, args=(names[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(acked) == names
    srv.kill()  # at once after the last 201

    srv2 = server_factory.start(*MANUAL, db=srv.db)
    listed = [s["TrainingJobName"] for s in srv2.api.list_all(MaxResults=100)]
    assert sorted(listed) == names


def test_state_survives_graceful_restart(server_factory, job_request):
    srv = server_factory.start(*MANUAL)
    srv.api.create(spot_request(job_request, "graceful-a"))
    srv.api.create(job_request("graceful-b"))
    srv.api.stop("graceful-b")
    before = snapshot(srv.api, ["graceful-a", "graceful-b"])

    srv2 = server_factory.restart(srv, signal.SIGTERM)  # asserts exit code 0
    assert snapshot(srv2.api, ["graceful-a", "graceful-b"]) == before


def test_after_restart_names_stay_taken_and_new_jobs_list_last(server_factory, job_request):
    srv = server_factory.start(*MANUAL)
    for n in ("first-life-a", "first-life-b"):
        srv.api.create(job_request(n))
    srv2 = server_factory.restart(srv, signal.SIGKILL)

    resp = srv2.api.post("/v1/training-jobs", json=job_request("first-life-a"))
    assert resp.status_code == 409
    assert resp.json()["__type"] == "ResourceInUse"
    assert srv2.api.create(job_request("second-life")).json() == {"TrainingJobArn": job_arn("second-life")}
    listed = [s["TrainingJobName"] for s in srv2.api.list_all()]
    assert listed == ["first-life-a", "first-life-b", "second-life"]


def test_next_token_still_works_after_restart(server_factory, job_request):
    srv = server_factory.start(*MANUAL)
    names = [f"paged-{i}" for i in range(6)]
    for n in names:
        srv.api.create(job_request(n))
    page = srv.api.list(MaxResults=4).json()
    srv2 = server_factory.restart(srv, signal.SIGKILL)
    rest = srv2.api.list(MaxResults=4, NextToken=page["NextToken"]).json()
    seen = [s["TrainingJobName"] for s in page["TrainingJobSummaries"] + rest["TrainingJobSummaries"]]
    assert seen == names


def test_rejected_requests_leave_the_database_alone(server_factory, job_request):
    srv = server_factory.start(*MANUAL)
    srv.api.create(job_request("only-one"))
    before = snapshot(srv.api, ["only-one"])
    bad = job_request("bad_name")
    assert srv.api.post("/v1/training-jobs", json=bad).status_code == 400
    assert srv.api.post("/v1/training-jobs", json=job_request("only-one")).status_code == 409
    assert srv.api.post("/v1/training-jobs", data=b'{"TrainingJobName": "half',
                        headers={"Content-Type": "application/json"}).status_code == 400
    srv2 = server_factory.restart(srv, signal.SIGKILL)
    assert snapshot(srv2.api, ["only-one"]) == before
    assert [s["TrainingJobName"] for s in srv2.api.list_all()] == ["only-one"]
