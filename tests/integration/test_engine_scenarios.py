"""Scheduling scenarios over HTTP: the real binary places jobs on simulated
capacity and moves them through their lifecycle on a manual clock.

Every expected figure below is computed by hand from the rules in
server/engine/simulation.h and DESIGN.md section 4:
  - a job is placed the moment it fits: Pending (zero-length) -> Starting;
  - Starting lasts the pool's LaunchSeconds and is not billed;
  - Downloading lasts dataset_gb * 8 / NetworkGbps seconds in File mode only
    (Pipe and FastFile stream); TrainingStartTime is the first up time;
  - Uploading lasts 60 s; Downloading, Training and Uploading are billed;
  - a spot notice keeps the instances 120 s (training goes on), then the
    reclaim: Interrupted (zero-length) -> Pending -> Starting ... resuming
    from the last checkpoint (or 0 without CheckpointConfig);
  - Stopping (StopTrainingJob, MaxRuntime, MaxWait while running) lasts
    120 s and is billed when the instances were up; a waiting job stops at once;
  - MaxRuntimeInSeconds counts up time over all attempts; MaxWaitTimeInSeconds
    counts from creation;
  - terminal transitions have EndTime == StartTime.

The servers run `--clock manual --static-market --seed 7` on
fixtures/scenario-capacity.json (interruption rate 0, fixed capacities), so
nothing happens unless a test asks for it, and times are exact. Only floating
cost arithmetic is compared with pytest.approx(rel=1e-9).
"""
from __future__ import annotations

import json
import signal

import pytest

from conftest import (MOVING_MARKET_CAPACITY, NO_CAPACITY, SCENARIO_CAPACITY, assert_contains, job_arn,
                      scenario_job as job)

T0 = 1767225600.0  # the manual clock's default start: 2026-01-01T00:00:00Z
SEED = "7"
SCENARIO = ("--clock", "manual", "--static-market", "--seed", SEED, "--capacity", str(SCENARIO_CAPACITY))
# A market that moves (hourly ticks) with interruptions drawn at 0.5 per
# instance-hour: runs where the seed's draws decide what happens.
MOVING = ("--clock", "manual", "--capacity", str(MOVING_MARKET_CAPACITY))

# fixtures/scenario-capacity.json
P3 = "ml.p3.2xlarge"        # $3.825/h, 4 on-demand, 4 spot, ratio 0.3, launch 120 s, 10 Gbps
P3_PRICE = 3.825
P3_RATIO = 0.3
P3DN = "ml.p3dn.24xlarge"   # $35.894/h, 0 on-demand, 8 spot, ratio 0.3, launch 300 s, 100 Gbps
P3DN_PRICE = 35.894
G4 = "ml.g4dn.xlarge"       # $0.736/h, 2 on-demand, 0 spot, launch 180 s, 25 Gbps
G4_PRICE = 0.736

UPLOAD = 60
GRACE = 120
NOTICE = 120

TERMINAL = {"Completed", "Failed", "Stopped", "MaxRuntimeExceeded", "MaxWaitTimeExceeded"}


def approx(x):
    return pytest.approx(x, rel=1e-9)


def dollars(seconds, price_per_hour, ratio=1.0, count=1):
    return seconds * count * ratio * price_per_hour / 3600




# --- invariants every Describe must keep --------------------------------------

def check_describe(d: dict) -> dict:
    """Checks what follows from the rules whatever the scenario: transitions
    chain without gaps, TrainingStartTime/EndTime follow the up time, and
    CostSummary is recomputed from Attempts. Returns `d`."""
    transitions = d["SecondaryStatusTransitions"]
    assert transitions and transitions[0]["Status"] == "Pending", transitions
    for a, b in zip(transitions, transitions[1:]):
        assert a["EndTime"] == b["StartTime"], (a, b)
    last = transitions[-1]
    assert last["Status"] == d["SecondaryStatus"]
    finished = d["TrainingJobStatus"] in ("Completed", "Failed", "Stopped")
    if finished:
        assert last["Status"] in TERMINAL
        assert last["EndTime"] == last["StartTime"], last
        assert d["LastModifiedTime"] == last["StartTime"]
    else:
        assert "EndTime" not in last, last
    up = [t["StartTime"] for t in transitions if t["Status"] in ("Downloading", "Training")]
    if up:
        assert d["TrainingStartTime"] == up[0]
    else:
        assert "TrainingStartTime" not in d
    if up and finished:
        assert d["TrainingEndTime"] == last["StartTime"]
    else:
        assert "TrainingEndTime" not in d

    attempts = d["Attempts"]
    cost = d["CostSummary"]
    count = d["ResourceConfig"]["InstanceCount"]
    assert [a["AttemptNumber"] for a in attempts] == list(range(1, len(attempts) + 1))
    for a, b in zip(attempts, attempts[1:]):
        assert "Outcome" in a and a["EndTime"] <= b["StartTime"], (a, b)
    holds_instances = not finished and d["SecondaryStatus"] != "Pending"
    assert holds_instances == bool(attempts and "EndTime" not in attempts[-1]), (d["SecondaryStatus"], attempts)
    if attempts:
        assert ("Outcome" in attempts[-1]) == ("EndTime" in attempts[-1]), attempts[-1]
    assert cost["Attempts"] == len(attempts)
    assert cost["Interruptions"] == sum(a.get("Outcome") == "Interrupted" for a in attempts)
    assert cost["ActualCost"] == approx(sum(a["Cost"] for a in attempts))
    assert cost["Market"] == (attempts[-1]["Market"] if attempts
                              else "Spot" if d.get("EnableManagedSpotTraining") else "OnDemand")
    for a in attempts:
        assert a["Cost"] == approx(a["BillableSeconds"] / 3600 * cost["OnDemandPricePerHour"])
        assert a["BillableSeconds"] <= a["BilledSeconds"] * (1 + 1e-12)
    net = cost["OnDemandEquivalentCost"] - cost["ActualCost"]
    assert abs(cost["NetSavings"] - net) <= 1e-9 * max(1.0, abs(cost["OnDemandEquivalentCost"]))
    if attempts:
        training = d["TrainingTimeInSeconds"]
        billable = d["BillableTimeInSeconds"]
        assert training == approx(sum(a["BilledSeconds"] for a in attempts) / count)
        assert billable == approx(sum(a["BillableSeconds"] for a in attempts) / count)
        assert cost["SavingsPercent"] == (approx((1 - billable / training) * 100) if training > 0 else 0)
    else:
        assert "TrainingTimeInSeconds" not in d and "BillableTimeInSeconds" not in d
        assert cost["ActualCost"] == 0 and cost["SavingsPercent"] == 0
    return d


def describe(api, name) -> dict:
    return check_describe(api.describe(name).json())


def timeline(d):
    """[(Status, start - T0, end - T0 or None)]"""
    return [(t["Status"], t["StartTime"] - T0, t["EndTime"] - T0 if "EndTime" in t else None)
            for t in d["SecondaryStatusTransitions"]]


def attempt_facts(d):
    """The exact parts of each attempt (times relative to T0)."""
    return [(a["Market"], a["StartTime"] - T0, a["EndTime"] - T0 if "EndTime" in a else None,
             a.get("Outcome"), a["ProgressAtStartSeconds"], a["ProgressAtEndSeconds"], a["BilledSeconds"])
            for a in d["Attempts"]]


def message_of(d, status):
    (msg,) = [t["StatusMessage"] for t in d["SecondaryStatusTransitions"] if t["Status"] == status]
    return msg


@pytest.fixture
def sim(server_factory):
    """A server on the static scenario pools, its manual clock at T0."""
    srv = server_factory.start(*SCENARIO)
    clock = srv.api.clock()
    assert (clock["Now"], clock["Mode"]) == (T0, "manual")
    return srv


@pytest.fixture
def api(sim):
    """Overrides conftest's `api` (no capacity) in this module."""
    return sim.api


# --- the happy paths ------------------------------------------------------------

def test_on_demand_job_runs_to_completion(api):
    # File mode, 50 GB at 10 Gbps: 40 s of Downloading.
    req = job("od-complete", dataset_gb=50)
    api.create(req)
    d = describe(api, "od-complete")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("InProgress", "Starting")
    assert d["CreationTime"] == T0
    assert "TrainingStartTime" not in d
    pool = api.capacity()[P3]
    assert (pool["OnDemandInUse"], pool["SpotInUse"], pool["OnDemandWaitingJobs"]) == (1, 0, 0)

    api.advance(120)
    d = describe(api, "od-complete")
    assert d["SecondaryStatus"] == "Downloading"
    assert d["TrainingStartTime"] == T0 + 120
    api.advance(40)
    assert describe(api, "od-complete")["SecondaryStatus"] == "Training"
    api.advance(3600)
    assert describe(api, "od-complete")["SecondaryStatus"] == "Uploading"
    api.advance(59)
    assert describe(api, "od-complete")["SecondaryStatus"] == "Uploading"
    api.advance(1)

    d = describe(api, "od-complete")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Completed", "Completed")
    assert timeline(d) == [("Pending", 0, 0), ("Starting", 0, 120), ("Downloading", 120, 160),
                           ("Training", 160, 3760), ("Uploading", 3760, 3820), ("Completed", 3820, 3820)]
    assert d["TrainingStartTime"] == T0 + 120
    assert d["TrainingEndTime"] == T0 + 3820
    assert d["LastModifiedTime"] == T0 + 3820
    assert attempt_facts(d) == [("OnDemand", 0, 3820, "Completed", 0, 3600, 3700)]
    assert d["Attempts"][0]["BillableSeconds"] == 3700
    assert d["TrainingTimeInSeconds"] == 3700
    assert d["BillableTimeInSeconds"] == d["TrainingTimeInSeconds"]
    c = d["CostSummary"]
    assert c["SavingsPercent"] == 0
    assert (c["Market"], c["InstanceType"], c["InstanceCount"]) == ("OnDemand", P3, 1)
    assert c["OnDemandPricePerHour"] == P3_PRICE
    assert c["ActualCost"] == approx(dollars(3700, P3_PRICE))
    assert c["OnDemandEquivalentCost"] == approx(dollars(40 + 3600 + UPLOAD, P3_PRICE))
    assert abs(c["NetSavings"]) < 1e-9
    assert (c["Interruptions"], c["Attempts"], c["LostTrainingSeconds"], c["WaitingSeconds"]) == (0, 1, 0, 0)
    assert_contains(d, req)
    assert api.capacity()[P3]["OnDemandInUse"] == 0


def test_spot_job_without_interruption_saves_70_percent(api):
    # Pipe mode streams: no Downloading even with a dataset.
    api.create(job("spot-clean", spot=True, max_wait=14400, dataset_gb=50, mode="Pipe"))
    pool = api.capacity()[P3]
    assert (pool["OnDemandInUse"], pool["SpotInUse"]) == (0, 1)
    assert pool["SpotPricePerHour"] == approx(P3_PRICE * P3_RATIO)
    api.advance(3780)
    d = describe(api, "spot-clean")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Completed", "Completed")
    assert timeline(d) == [("Pending", 0, 0), ("Starting", 0, 120), ("Training", 120, 3720),
                           ("Uploading", 3720, 3780), ("Completed", 3780, 3780)]
    assert d["TrainingStartTime"] == T0 + 120
    assert attempt_facts(d) == [("Spot", 0, 3780, "Completed", 0, 3600, 3660)]
    assert d["TrainingTimeInSeconds"] == 3660
    assert d["BillableTimeInSeconds"] == approx(3660 * P3_RATIO)
    c = d["CostSummary"]
    assert c["Market"] == "Spot"
    assert c["SavingsPercent"] == approx(70)
    assert c["ActualCost"] == approx(dollars(3660, P3_PRICE, P3_RATIO))
    assert c["OnDemandEquivalentCost"] == approx(dollars(3600 + UPLOAD, P3_PRICE))
    assert c["NetSavings"] == approx(dollars(3660, P3_PRICE) * (1 - P3_RATIO))
    assert c["NetSavingsPercent"] == approx(70)
    assert (c["Interruptions"], c["Attempts"], c["LostTrainingSeconds"]) == (0, 1, 0)
    assert api.capacity()[P3]["SpotInUse"] == 0


# --- interruptions ------------------------------------------------------------------

def interrupt_at_1000_s_of_training(api, name):
    """Training starts at T0+120; the notice at T0+1000 (880 s done) makes
    the reclaim fall at T0+1120, at 1000 s of training."""
    api.advance(1000)
    assert describe(api, name)["SecondaryStatus"] == "Training"
    assert api.interrupt(P3, 1) == {"InstanceType": P3, "InstancesNoticed": 1}
    # The notice changes no status: the job trains on until the reclaim.
    api.advance(NOTICE - 1)
    d = describe(api, name)
    assert d["SecondaryStatus"] == "Training" and len(d["Attempts"]) == 1
    api.advance(1)
    d = describe(api, name)
    # Interrupt() does not take capacity away: the job is placed again at once.
    assert d["SecondaryStatus"] == "Starting"
    assert [t["Status"] for t in d["SecondaryStatusTransitions"]][-3:] == ["Interrupted", "Pending", "Starting"]
    return d


def test_spot_interruption_resumes_from_the_last_checkpoint(api):
    api.create(job("ckpt-resume", spot=True, max_wait=14400, checkpoint=True, interval=600))
    interrupt_at_1000_s_of_training(api, "ckpt-resume")
    assert api.capacity()[P3]["Interruptions"] == 1
    api.advance(4300 - 1120)
    d = describe(api, "ckpt-resume")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Completed", "Completed")
    assert timeline(d) == [
        ("Pending", 0, 0), ("Starting", 0, 120), ("Training", 120, 1120),
        ("Interrupted", 1120, 1120), ("Pending", 1120, 1120), ("Starting", 1120, 1240),
        ("Training", 1240, 4240), ("Uploading", 4240, 4300), ("Completed", 4300, 4300)]
    msg = message_of(d, "Interrupted")
    assert "checkpoint" in msg and "600 s" in msg and "400 s lost" in msg, msg
    assert "600 s" in [t["StatusMessage"] for t in d["SecondaryStatusTransitions"]][6]
    assert attempt_facts(d) == [("Spot", 0, 1120, "Interrupted", 0, 1000, 1000),
                                ("Spot", 1120, 4300, "Completed", 600, 3600, 3060)]
    assert d["TrainingStartTime"] == T0 + 120 and d["TrainingEndTime"] == T0 + 4300
    assert d["TrainingTimeInSeconds"] == 4060
    c = d["CostSummary"]
    assert (c["Interruptions"], c["Attempts"], c["LostTrainingSeconds"], c["WaitingSeconds"]) == (1, 2, 400, 0)
    assert c["SavingsPercent"] == approx(70)
    assert c["ActualCost"] == approx(dollars(4060, P3_PRICE, P3_RATIO))
    assert c["NetSavings"] == approx(dollars(3660, P3_PRICE) - dollars(4060, P3_PRICE, P3_RATIO))


def test_spot_interruption_without_checkpoints_restarts_from_zero(api):
    api.create(job("no-ckpt-restart", spot=True, max_wait=14400, interval=600))  # no CheckpointConfig
    interrupt_at_1000_s_of_training(api, "no-ckpt-restart")
    api.advance(4900 - 1120)
    d = describe(api, "no-ckpt-restart")
    assert d["TrainingJobStatus"] == "Completed"
    assert timeline(d) == [
        ("Pending", 0, 0), ("Starting", 0, 120), ("Training", 120, 1120),
        ("Interrupted", 1120, 1120), ("Pending", 1120, 1120), ("Starting", 1120, 1240),
        ("Training", 1240, 4840), ("Uploading", 4840, 4900), ("Completed", 4900, 4900)]
    msg = message_of(d, "Interrupted")
    assert "no checkpoint" in msg and "1000 s lost" in msg, msg
    assert attempt_facts(d) == [("Spot", 0, 1120, "Interrupted", 0, 1000, 1000),
                                ("Spot", 1120, 4900, "Completed", 0, 3600, 3660)]
    c = d["CostSummary"]
    assert (c["Interruptions"], c["Attempts"], c["LostTrainingSeconds"]) == (1, 2, 1000)
    assert d["TrainingTimeInSeconds"] == 4660


def test_checkpoint_on_notice_resumes_from_the_progress_at_notice(api):
    api.create(job("ckpt-on-notice", spot=True, max_wait=14400, checkpoint=True, interval=600, on_notice=True))
    interrupt_at_1000_s_of_training(api, "ckpt-on-notice")
    # Notice at 880 s of training: the checkpoint then beats the one at 600 s.
    api.advance(4020 - 1120)
    d = describe(api, "ckpt-on-notice")
    assert d["TrainingJobStatus"] == "Completed"
    assert timeline(d)[5:] == [("Starting", 1120, 1240), ("Training", 1240, 3960), ("Uploading", 3960, 4020),
                               ("Completed", 4020, 4020)]
    assert "880 s" in message_of(d, "Interrupted") and "120 s lost" in message_of(d, "Interrupted")
    assert attempt_facts(d) == [("Spot", 0, 1120, "Interrupted", 0, 1000, 1000),
                                ("Spot", 1120, 4020, "Completed", 880, 3600, 2780)]
    c = d["CostSummary"]
    assert (c["Interruptions"], c["Attempts"], c["LostTrainingSeconds"]) == (1, 2, 120)


def test_shrinking_spot_capacity_reclaims_with_notice_and_the_job_waits(api):
    api.create(job("shrunk-out", spot=True, max_wait=14400, checkpoint=True, interval=600))
    api.advance(1000)  # 880 s of training
    pool = api.update_pool(P3, {"SpotCapacity": 0})
    assert (pool["InstanceType"], pool["SpotCapacity"], pool["SpotInUse"]) == (P3, 0, 1)
    api.advance(NOTICE)
    d = describe(api, "shrunk-out")
    # The capacity is gone: the job waits for spot, never on on-demand.
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("InProgress", "Pending")
    pool = api.capacity()[P3]
    assert (pool["SpotInUse"], pool["SpotWaitingJobs"], pool["OnDemandInUse"]) == (0, 1, 0)
    api.advance(500)
    pool = api.update_pool(P3, {"SpotCapacity": 4})
    d = describe(api, "shrunk-out")
    assert timeline(d)[2:] == [("Training", 120, 1120), ("Interrupted", 1120, 1120), ("Pending", 1120, 1620),
                               ("Starting", 1620, None)]
    assert d["CostSummary"]["WaitingSeconds"] == 500
    assert attempt_facts(d) == [("Spot", 0, 1120, "Interrupted", 0, 1000, 1000),
                                ("Spot", 1620, None, None, 600, 600, 0)]


# --- time limits ------------------------------------------------------------------

def test_max_wait_reached_while_waiting_for_spot(api):
    # ml.g4dn.xlarge has on-demand capacity but no spot: a spot job never
    # runs on on-demand unless it asked for trainyard.spot_fallback.
    api.create(job("never-placed", G4, spot=True, work=600, max_runtime=3600, max_wait=7200))
    pool = api.capacity()[G4]
    assert (pool["SpotWaitingJobs"], pool["OnDemandInUse"], pool["SpotInUse"]) == (1, 0, 0)
    api.advance(7199)
    d = describe(api, "never-placed")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("InProgress", "Pending")
    api.advance(1)
    d = describe(api, "never-placed")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Stopped", "MaxWaitTimeExceeded")
    assert timeline(d) == [("Pending", 0, 7200), ("MaxWaitTimeExceeded", 7200, 7200)]
    assert "TrainingStartTime" not in d and "TrainingEndTime" not in d
    assert d["Attempts"] == []
    c = d["CostSummary"]
    assert (c["ActualCost"], c["Attempts"], c["WaitingSeconds"]) == (0, 0, 7200)
    assert api.capacity()[G4]["SpotWaitingJobs"] == 0


def test_max_wait_reached_while_running_stops_with_grace(api):
    # MaxWait counts from creation: launch (120 s) + 3480 s of training.
    api.create(job("wait-runs-out", spot=True, work=7200, max_runtime=3600, max_wait=3600))
    api.advance(3600)
    d = describe(api, "wait-runs-out")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Stopping", "Stopping")
    api.advance(GRACE)
    d = describe(api, "wait-runs-out")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Stopped", "MaxWaitTimeExceeded")
    assert timeline(d) == [("Pending", 0, 0), ("Starting", 0, 120), ("Training", 120, 3600),
                           ("Stopping", 3600, 3720), ("MaxWaitTimeExceeded", 3720, 3720)]
    assert attempt_facts(d) == [("Spot", 0, 3720, "MaxWaitTimeExceeded", 0, 3480, 3600)]
    assert d["TrainingEndTime"] == T0 + 3720


def test_max_runtime_reached(api):
    api.create(job("runtime-out", work=3600, max_runtime=1800))
    api.advance(1920 - 1)
    assert describe(api, "runtime-out")["SecondaryStatus"] == "Training"
    api.advance(1)
    d = describe(api, "runtime-out")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Stopping", "Stopping")
    assert "MaxRuntimeInSeconds" in d["SecondaryStatusTransitions"][-1]["StatusMessage"]
    api.advance(GRACE)
    d = describe(api, "runtime-out")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Stopped", "MaxRuntimeExceeded")
    assert timeline(d) == [("Pending", 0, 0), ("Starting", 0, 120), ("Training", 120, 1920),
                           ("Stopping", 1920, 2040), ("MaxRuntimeExceeded", 2040, 2040)]
    # The grace is billed: the instances were up.
    assert attempt_facts(d) == [("OnDemand", 0, 2040, "MaxRuntimeExceeded", 0, 1800, 1920)]
    assert d["TrainingTimeInSeconds"] == 1920
    assert d["TrainingEndTime"] == T0 + 2040
    assert api.capacity()[P3]["OnDemandInUse"] == 0


def test_max_runtime_counts_up_time_over_all_attempts(api):
    # 1000 s of training before the reclaim, then 120 s of launch (not
    # counted), then 2000 s more: MaxRuntime 3000 is reached at T0+3240.
    api.create(job("runtime-across-attempts", spot=True, work=7200, max_runtime=3000, max_wait=14400,
                   checkpoint=True, interval=600))
    interrupt_at_1000_s_of_training(api, "runtime-across-attempts")
    api.advance(3240 - 1120 - 1)
    assert describe(api, "runtime-across-attempts")["SecondaryStatus"] == "Training"
    api.advance(1 + GRACE)
    d = describe(api, "runtime-across-attempts")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Stopped", "MaxRuntimeExceeded")
    assert timeline(d)[5:] == [("Starting", 1120, 1240), ("Training", 1240, 3240), ("Stopping", 3240, 3360),
                               ("MaxRuntimeExceeded", 3360, 3360)]
    assert attempt_facts(d)[1] == ("Spot", 1120, 3360, "MaxRuntimeExceeded", 600, 2600, 2120)


# --- retries -------------------------------------------------------------------------

def test_internal_error_is_retried_then_completes(api):
    api.create(job("retried", retries=1, checkpoint=True, interval=600))
    api.advance(1120)  # 1000 s of training; checkpoint at 600
    assert api.fail("retried") == {"TrainingJobArn": job_arn("retried"), "TrainingJobStatus": "InProgress",
                                   "SecondaryStatus": "Starting"}
    d = describe(api, "retried")
    assert len(d["Attempts"]) == 2
    api.advance(4300 - 1120)
    d = describe(api, "retried")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Completed", "Completed")
    assert timeline(d) == [("Pending", 0, 0), ("Starting", 0, 120), ("Training", 120, 1120),
                           ("Starting", 1120, 1240), ("Training", 1240, 4240), ("Uploading", 4240, 4300),
                           ("Completed", 4300, 4300)]
    retry_msg = d["SecondaryStatusTransitions"][3]["StatusMessage"]
    assert "retry 1 of 1" in retry_msg and "600 s" in retry_msg, retry_msg
    assert attempt_facts(d) == [("OnDemand", 0, 1120, "Failed", 0, 1000, 1000),
                                ("OnDemand", 1120, 4300, "Completed", 600, 3600, 3060)]
    c = d["CostSummary"]
    assert (c["Interruptions"], c["Attempts"], c["LostTrainingSeconds"]) == (0, 2, 400)
    assert "FailureReason" not in d


def test_internal_error_fails_the_job_when_retries_run_out(api):
    api.create(job("retries-exhausted", retries=1))
    api.advance(200)
    assert api.fail("retries-exhausted")["SecondaryStatus"] == "Starting"
    api.advance(130)  # Starting 120 s, then 10 s of training from 0
    assert describe(api, "retries-exhausted")["SecondaryStatus"] == "Training"
    assert api.fail("retries-exhausted") == {"TrainingJobArn": job_arn("retries-exhausted"),
                                             "TrainingJobStatus": "Failed", "SecondaryStatus": "Failed"}
    d = describe(api, "retries-exhausted")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Failed", "Failed")
    assert d["FailureReason"] and "attempt 2" in d["FailureReason"], d.get("FailureReason")
    assert timeline(d) == [("Pending", 0, 0), ("Starting", 0, 120), ("Training", 120, 200),
                           ("Starting", 200, 320), ("Training", 320, 330), ("Failed", 330, 330)]
    assert attempt_facts(d) == [("OnDemand", 0, 200, "Failed", 0, 80, 80),
                                ("OnDemand", 200, 330, "Failed", 0, 10, 10)]
    assert d["CostSummary"]["LostTrainingSeconds"] == 80
    assert d["TrainingEndTime"] == T0 + 330
    assert api.capacity()[P3]["OnDemandInUse"] == 0
    # A finished job has no attempt to fail, and StopTrainingJob refuses it.
    resp = api.fail("retries-exhausted", expect=None)
    assert resp.status_code == 400 and resp.json()["__type"] == "ValidationException", resp.text
    resp = api.stop("retries-exhausted", expect=None)
    assert resp.status_code == 400 and resp.json()["__type"] == "ValidationException", resp.text


def test_internal_error_without_retry_strategy_fails_at_once(api):
    api.create(job("no-retries"))
    api.advance(300)
    assert api.fail("no-retries")["TrainingJobStatus"] == "Failed"
    d = describe(api, "no-retries")
    assert d["FailureReason"].startswith("AlgorithmError"), d["FailureReason"]
    assert attempt_facts(d) == [("OnDemand", 0, 300, "Failed", 0, 180, 180)]


def test_fail_needs_a_running_attempt(api):
    api.create(job("waiting-cannot-fail", G4, spot=True, max_wait=7200))
    resp = api.fail("waiting-cannot-fail", expect=None)
    assert resp.status_code == 400 and resp.json()["__type"] == "ValidationException", resp.text
    assert describe(api, "waiting-cannot-fail")["SecondaryStatus"] == "Pending"
    resp = api.fail("no-such-job", expect=None)
    assert resp.status_code == 404 and resp.json()["__type"] == "ResourceNotFound", resp.text
    assert "no-such-job" in resp.json()["message"]
    resp = api.fail("bad_name", expect=None)
    assert resp.status_code == 400 and "TrainingJobName" in resp.json()["message"], resp.text


# --- StopTrainingJob ------------------------------------------------------------

def test_stop_while_waiting_stops_at_once(api):
    api.create(job("stop-waiting", G4, spot=True, max_wait=7200))
    api.advance(50)
    resp = api.stop("stop-waiting").json()
    assert resp == {"TrainingJobArn": job_arn("stop-waiting"), "TrainingJobStatus": "Stopped",
                    "SecondaryStatus": "Stopped"}
    d = describe(api, "stop-waiting")
    assert timeline(d) == [("Pending", 0, 50), ("Stopped", 50, 50)]
    assert d["Attempts"] == [] and d["CostSummary"]["WaitingSeconds"] == 50
    assert api.capacity()[G4]["SpotWaitingJobs"] == 0


def test_stop_while_training_goes_through_stopping(api):
    api.create(job("stop-training"))
    api.advance(500)
    stopping = {"TrainingJobArn": job_arn("stop-training"), "TrainingJobStatus": "Stopping",
                "SecondaryStatus": "Stopping"}
    assert api.stop("stop-training").json() == stopping
    assert api.stop("stop-training").json() == stopping
    assert api.capacity()[P3]["OnDemandInUse"] == 1  # the grace holds the instances
    api.advance(GRACE - 1)
    assert describe(api, "stop-training")["TrainingJobStatus"] == "Stopping"
    api.advance(1)
    d = describe(api, "stop-training")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Stopped", "Stopped")
    assert timeline(d) == [("Pending", 0, 0), ("Starting", 0, 120), ("Training", 120, 500),
                           ("Stopping", 500, 620), ("Stopped", 620, 620)]
    assert attempt_facts(d) == [("OnDemand", 0, 620, "Stopped", 0, 380, 500)]
    assert d["TrainingEndTime"] == T0 + 620
    assert api.capacity()[P3]["OnDemandInUse"] == 0


def test_stop_while_starting_bills_nothing(api):
    # Starting is not billed, so neither is a grace that begins there.
    api.create(job("stop-starting"))
    api.advance(60)
    assert api.stop("stop-starting").json()["TrainingJobStatus"] == "Stopping"
    api.advance(GRACE)
    d = describe(api, "stop-starting")
    assert timeline(d) == [("Pending", 0, 0), ("Starting", 0, 60), ("Stopping", 60, 180), ("Stopped", 180, 180)]
    assert attempt_facts(d) == [("OnDemand", 0, 180, "Stopped", 0, 0, 0)]
    assert "TrainingStartTime" not in d and "TrainingEndTime" not in d


# --- gang placement ---------------------------------------------------------------

def test_eight_instance_job_waits_until_all_eight_fit(api):
    from test_examples import EXAMPLES, load
    big = load(EXAMPLES / "jobs" / "spot-p3dn-x8-resnet50-imagenet.json")  # 8 x ml.p3dn.24xlarge, Pipe
    name = big["TrainingJobName"]
    work = float(big["HyperParameters"]["trainyard.work_seconds"])  # 14850
    # 4 of the 8 spot instances go to a job created first: launch 300, 1000 s, upload 60.
    api.create(job("holder", P3DN, count=4, spot=True, work=1000, max_runtime=3600, max_wait=7200))
    api.create(big)
    d = describe(api, name)
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("InProgress", "Pending")
    pool = api.capacity()[P3DN]
    assert (pool["SpotCapacity"], pool["SpotInUse"], pool["SpotWaitingJobs"]) == (8, 4, 1)

    # Backfill: a small job that fits starts ahead of the big one, which has
    # waited less than the 600-s starvation guard.
    api.advance(100)
    api.create(job("backfill", P3DN, count=2, spot=True, work=200, max_runtime=3600, max_wait=7200))
    assert describe(api, "backfill")["SecondaryStatus"] == "Starting"
    assert api.capacity()[P3DN]["SpotInUse"] == 6
    # After 600 s of waiting the big job holds back jobs queued behind it.
    api.advance(600)
    assert describe(api, "backfill")["TrainingJobStatus"] == "Completed"  # at T0+100+300+200+60
    api.create(job("blocked", P3DN, count=2, spot=True, work=200, max_runtime=3600, max_wait=86400))
    assert describe(api, "blocked")["SecondaryStatus"] == "Pending"
    pool = api.capacity()[P3DN]
    assert (pool["SpotInUse"], pool["SpotWaitingJobs"]) == (4, 2)

    api.advance(1360 - 700 - 1)
    assert describe(api, name)["SecondaryStatus"] == "Pending"
    api.advance(1)  # the holder completes at T0+1360: all 8 are free
    assert describe(api, "holder")["TrainingJobStatus"] == "Completed"
    d = describe(api, name)
    assert d["SecondaryStatus"] == "Starting"
    assert describe(api, "blocked")["SecondaryStatus"] == "Pending"
    pool = api.capacity()[P3DN]
    assert (pool["SpotInUse"], pool["SpotWaitingJobs"]) == (8, 1)

    end = 1360 + 300 + work + UPLOAD
    api.advance(end - 1360)
    d = describe(api, name)
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Completed", "Completed")
    assert timeline(d) == [("Pending", 0, 1360), ("Starting", 1360, 1660), ("Training", 1660, 1660 + work),
                           ("Uploading", 1660 + work, end), ("Completed", end, end)]
    assert attempt_facts(d) == [("Spot", 1360, end, "Completed", 0, work, 8 * (work + UPLOAD))]
    assert d["TrainingTimeInSeconds"] == work + UPLOAD  # per instance, as SageMaker reports
    assert d["BillableTimeInSeconds"] == approx((work + UPLOAD) * 0.3)
    c = d["CostSummary"]
    assert c["InstanceCount"] == 8 and c["WaitingSeconds"] == 1360
    assert c["ActualCost"] == approx(dollars(work + UPLOAD, P3DN_PRICE, 0.3, count=8))
    assert c["OnDemandEquivalentCost"] == approx(dollars(work + UPLOAD, P3DN_PRICE, count=8))
    assert c["SavingsPercent"] == approx(70)
    assert_contains(d, big)
    # The queued job starts when the big one releases its instances.
    assert timeline(describe(api, "blocked"))[:2] == [("Pending", 700, end), ("Starting", end, None)]


# --- spot fallback --------------------------------------------------------------

def test_spot_fallback_to_on_demand_meets_the_deadline(api):
    # No spot at all for ml.g4dn.xlarge. Fallback at
    # D = creation + MaxWait - (launch 180 + download 0 + work 3600 + upload 60) = T0 + 6160,
    # so the on-demand run ends exactly at creation + MaxWait.
    api.create(job("falls-back", G4, spot=True, work=3600, max_runtime=7200, max_wait=10000, fallback=True))
    api.advance(6159)
    d = describe(api, "falls-back")
    assert d["SecondaryStatus"] == "Pending" and d["Attempts"] == []
    pool = api.capacity()[G4]
    assert (pool["SpotWaitingJobs"], pool["OnDemandInUse"]) == (1, 0)
    api.advance(1)
    d = describe(api, "falls-back")
    assert d["SecondaryStatus"] == "Starting"
    pool = api.capacity()[G4]
    assert (pool["SpotWaitingJobs"], pool["OnDemandInUse"]) == (0, 1)
    api.advance(10000 - 6160)
    d = describe(api, "falls-back")
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Completed", "Completed")
    assert timeline(d) == [("Pending", 0, 6160), ("Pending", 6160, 6160), ("Starting", 6160, 6340),
                           ("Training", 6340, 9940), ("Uploading", 9940, 10000), ("Completed", 10000, 10000)]
    assert "on-demand" in d["SecondaryStatusTransitions"][1]["StatusMessage"]
    assert d["TrainingEndTime"] == T0 + 10000 == d["CreationTime"] + 10000
    assert attempt_facts(d) == [("OnDemand", 6160, 10000, "Completed", 0, 3600, 3660)]
    c = d["CostSummary"]
    assert (c["Market"], c["SavingsPercent"], c["WaitingSeconds"]) == ("OnDemand", 0, 6160)
    assert c["ActualCost"] == approx(dollars(3660, G4_PRICE))


# --- capacity and admin routes ----------------------------------------------------

def test_capacity_reflects_what_runs_and_waits(api):
    before = api.capacity()
    assert sorted(before) == sorted([P3, P3DN, G4, "ml.m5.large"])
    assert before[P3] == {
        "InstanceType": P3, "OnDemandCapacity": 4, "SpotCapacity": 4, "OnDemandInUse": 0, "SpotInUse": 0,
        "OnDemandWaitingJobs": 0, "SpotWaitingJobs": 0, "OnDemandPricePerHour": P3_PRICE,
        "SpotPricePerHour": before[P3]["SpotPricePerHour"], "SpotPriceRatio": P3_RATIO,
        "InterruptionRatePerHour": 0, "LaunchSeconds": 120, "NetworkGbps": 10, "Interruptions": 0}
    assert before[P3]["SpotPricePerHour"] == approx(P3_PRICE * P3_RATIO)
    for i in range(3):
        api.create(job(f"od-{i}", count=2))  # 2 + 2 fit in 4 on-demand; the third waits
    api.create(job("spot-3", count=3, spot=True, max_wait=7200))
    pool = api.capacity()[P3]
    assert (pool["OnDemandInUse"], pool["OnDemandWaitingJobs"], pool["SpotInUse"], pool["SpotWaitingJobs"]) == \
        (4, 1, 3, 0)
    assert describe(api, "od-2")["SecondaryStatus"] == "Pending"
    api.stop("od-0")
    api.advance(GRACE)
    pool = api.capacity()[P3]
    assert (pool["OnDemandInUse"], pool["OnDemandWaitingJobs"]) == (4, 0)
    assert timeline(describe(api, "od-2"))[:2] == [("Pending", 0, 120), ("Starting", 120, None)]


def test_update_pool_changes_prices_from_now_on(api):
    api.create(job("repriced", spot=True, max_wait=14400, work=3600))
    api.advance(1120)  # 1000 s billed at ratio 0.3
    pool = api.update_pool(P3, {"SpotPriceRatio": 0.5})
    assert pool["SpotPriceRatio"] == 0.5 and pool["SpotPricePerHour"] == approx(P3_PRICE * 0.5)
    api.advance(2660)  # 2600 s more training and 60 s upload at 0.5
    d = describe(api, "repriced")
    assert d["TrainingJobStatus"] == "Completed"
    assert d["TrainingTimeInSeconds"] == 3660
    assert d["BillableTimeInSeconds"] == approx(1000 * 0.3 + 2660 * 0.5)
    assert d["CostSummary"]["ActualCost"] == approx(dollars(1000, P3_PRICE, 0.3) + dollars(2660, P3_PRICE, 0.5))


def test_advance_on_a_real_clock_is_409(server_factory):
    srv = server_factory.start("--capacity", str(NO_CAPACITY))
    clock = srv.api.clock()
    assert clock["Mode"] == "real" and clock["TimeScale"] == 1
    resp = srv.api.advance(60, expect=None)
    assert resp.status_code == 409, resp.text
    assert resp.json()["__type"] == "ConflictException"
    assert "manual" in resp.json()["message"].lower()


BAD_ADMIN = {
    # id: (method, path, body, text the message must name)
    "advance-negative": ("POST", "/v1/admin/clock/advance", {"Seconds": -1}, "Seconds"),
    "advance-string": ("POST", "/v1/admin/clock/advance", {"Seconds": "60"}, "Seconds"),
    "advance-missing": ("POST", "/v1/admin/clock/advance", {}, "Seconds"),
    "advance-typo": ("POST", "/v1/admin/clock/advance", {"Second": 60}, "Second"),
    "advance-over-a-year": ("POST", "/v1/admin/clock/advance", {"Seconds": 400 * 86400}, "Seconds"),
    "interrupt-count-zero": ("POST", f"/v1/admin/capacity/{P3}/interrupt", {"Count": 0}, "Count"),
    "interrupt-count-fraction": ("POST", f"/v1/admin/capacity/{P3}/interrupt", {"Count": 1.5}, "Count"),
    "interrupt-typo": ("POST", f"/v1/admin/capacity/{P3}/interrupt", {"Cuont": 1}, "Cuont"),
    "pool-empty": ("PUT", f"/v1/admin/capacity/{P3}", {}, "SpotCapacity"),
    "pool-negative-capacity": ("PUT", f"/v1/admin/capacity/{P3}", {"SpotCapacity": -1}, "SpotCapacity"),
    "pool-ratio-above-1": ("PUT", f"/v1/admin/capacity/{P3}", {"SpotPriceRatio": 1.5}, "SpotPriceRatio"),
    "pool-ratio-zero": ("PUT", f"/v1/admin/capacity/{P3}", {"SpotPriceRatio": 0}, "SpotPriceRatio"),
    "pool-price-zero": ("PUT", f"/v1/admin/capacity/{P3}", {"OnDemandPricePerHour": 0}, "OnDemandPricePerHour"),
    "pool-rate-negative": ("PUT", f"/v1/admin/capacity/{P3}", {"InterruptionRatePerHour": -0.1},
                           "InterruptionRatePerHour"),
    "pool-on-demand-string": ("PUT", f"/v1/admin/capacity/{P3}", {"OnDemandCapacity": "4"}, "OnDemandCapacity"),
    "pool-unknown-member": ("PUT", f"/v1/admin/capacity/{P3}", {"LaunchSeconds": 10}, "LaunchSeconds"),
}


@pytest.mark.parametrize("case", sorted(BAD_ADMIN), ids=sorted(BAD_ADMIN))
def test_bad_admin_body_is_400_naming_the_member(api, case):
    method, path, body, needle = BAD_ADMIN[case]
    api.create(job("bystander"))
    before = (api.clock(), api.capacity(), api.describe("bystander").content)
    resp = api.request(method, path, json=body)
    assert resp.status_code == 400, resp.text
    assert resp.json()["__type"] == "ValidationException"
    assert needle in resp.json()["message"], resp.json()["message"]
    assert (api.clock(), api.capacity(), api.describe("bystander").content) == before


@pytest.mark.parametrize("path", ["/v1/admin/clock/advance", f"/v1/admin/capacity/{P3}/interrupt",
                                  f"/v1/admin/capacity/{P3}"])
def test_admin_body_that_is_not_json(api, path):
    method = "PUT" if path.endswith("xlarge") else "POST"
    resp = api.request(method, path, data=b'{"Seconds": ', headers={"Content-Type": "application/json"})
    assert resp.status_code == 400, resp.text
    assert resp.json()["__type"] == "ValidationException"
    assert "json" in resp.json()["message"].lower()
    resp = api.request(method, path, data=b"Seconds=5", headers={"Content-Type": "text/plain"})
    assert resp.status_code == 415, resp.text
    assert api.clock()["Now"] == T0


@pytest.mark.parametrize("method,path", [("POST", "/v1/admin/capacity/ml.p9.mega/interrupt"),
                                         ("PUT", "/v1/admin/capacity/ml.p9.mega")])
def test_unknown_instance_type_is_4xx_naming_it(api, method, path):
    body = {"Count": 1} if method == "POST" else {"SpotCapacity": 1}
    resp = api.request(method, path, json=body)
    assert resp.status_code in (400, 404), resp.text
    assert "ml.p9.mega" in resp.json()["message"], resp.json()
    assert "ml.p9.mega" not in api.capacity()


def test_interrupt_counts_whole_gangs_latest_placed_first(api):
    api.create(job("first-spot", spot=True, max_wait=14400))
    api.advance(10)
    api.create(job("second-spot", count=2, spot=True, max_wait=14400))
    api.create(job("on-demand-bystander"))
    # Count 1 covers the latest placed job's whole gang of 2.
    assert api.interrupt(P3, 1) == {"InstanceType": P3, "InstancesNoticed": 2}
    # Jobs already under notice are not noticed twice; on-demand never is.
    assert api.interrupt(P3, 5) == {"InstanceType": P3, "InstancesNoticed": 1}
    assert api.interrupt(P3, 5) == {"InstanceType": P3, "InstancesNoticed": 0}
    assert api.interrupt(P3, None) == {"InstanceType": P3, "InstancesNoticed": 0}  # Count defaults to 1
    api.advance(NOTICE)
    assert describe(api, "first-spot")["CostSummary"]["Interruptions"] == 1
    assert describe(api, "second-spot")["CostSummary"]["Interruptions"] == 1
    assert describe(api, "on-demand-bystander")["CostSummary"]["Interruptions"] == 0
    assert api.capacity()[P3]["Interruptions"] == 2


# --- reproducibility -----------------------------------------------------------

def moving_market_jobs():
    return [
        job("ckpt-spot", spot=True, work=36000, max_runtime=86400, max_wait=172800, checkpoint=True, interval=600,
            dataset_gb=25),
        job("plain-spot", spot=True, work=14400, max_runtime=86400, max_wait=172800),
        job("notice-spot", spot=True, work=20000, max_runtime=86400, max_wait=172800, checkpoint=True,
            interval=1800, on_notice=True),
        job("on-demand", work=7200, max_runtime=86400),
    ]


# 158400 s in all. With seed 7 the step ending at T0+2000 falls inside
# ckpt-spot's first notice window (notice ~1968 s, reclaim ~2088 s).
STEPS = [1800, 200, 1600] + [1800] * 2 + [3600] * 30 + [7200] * 6


def run_moving_market(factory, seed, kill_after=(), steps=STEPS):
    """Creates the jobs, advances the clock step by step (kill -9 and restart
    after the given step indexes), returns (describe bodies, capacity body)."""
    srv = factory.start(*MOVING, "--seed", str(seed))
    for req in moving_market_jobs():
        srv.api.create(req)
    for i, step in enumerate(steps):
        srv.api.advance(step)
        if i in kill_after:
            now = srv.api.clock()["Now"]
            srv = factory.restart(srv, signal.SIGKILL)
            assert srv.api.clock()["Now"] == now
    bodies = {r["TrainingJobName"]: srv.api.describe(r["TrainingJobName"]).content for r in moving_market_jobs()}
    return bodies, srv.api.get("/v1/capacity").content, srv


def test_same_seed_same_calls_give_byte_identical_jobs(server_factory):
    first, first_capacity, _ = run_moving_market(server_factory, 7)
    jobs = {n: check_describe(json.loads(b)) for n, b in first.items()}
    # The run is one where the draws matter: spot jobs were interrupted.
    assert all(d["TrainingJobStatus"] in ("Completed", "Stopped", "Failed") for d in jobs.values()), \
        {n: d["SecondaryStatus"] for n, d in jobs.items()}
    assert jobs["ckpt-spot"]["CostSummary"]["Interruptions"] >= 1
    assert jobs["on-demand"]["CostSummary"]["Interruptions"] == 0
    second, second_capacity, _ = run_moving_market(server_factory, 7)
    assert second == first
    assert second_capacity == first_capacity

    other, _, _ = run_moving_market(server_factory, 8)
    other_jobs = {n: json.loads(b) for n, b in other.items()}
    # The first attempt's notice time is a draw keyed by the seed.
    assert attempt_facts(other_jobs["ckpt-spot"])[0] != attempt_facts(jobs["ckpt-spot"])[0]
    assert other != first


def test_restart_mid_scenario_gives_the_same_jobs(server_factory):
    reference, reference_capacity, _ = run_moving_market(server_factory, 7)
    restarted, restarted_capacity, _ = run_moving_market(server_factory, 7, kill_after={0, 1, 4, 10, 18, 34})
    assert restarted == reference
    # The pools are where they were, but for their Interruptions counters,
    # which count "since this process started (not kept across restarts)"
    # (openapi.yaml, CapacityPool).
    ref_pools, got_pools = json.loads(reference_capacity)["Pools"], json.loads(restarted_capacity)["Pools"]
    assert ref_pools[0]["Interruptions"] > 0
    for pools in (ref_pools, got_pools):
        for pool in pools:
            pool.pop("Interruptions")
    assert got_pools == ref_pools


def test_how_the_clock_is_advanced_does_not_matter(server_factory):
    # Events run in (time, sequence) order whatever the steps of the clock.
    reference, reference_capacity, _ = run_moving_market(server_factory, 7)
    total = sum(STEPS)
    one_step, one_step_capacity, _ = run_moving_market(server_factory, 7, steps=[total])
    uneven, _, _ = run_moving_market(server_factory, 7, steps=[1234.5, 77, 99999, total - 1234.5 - 77 - 99999])
    assert one_step == reference
    assert uneven == reference
    assert one_step_capacity == reference_capacity


def test_kill_9_inside_a_notice_keeps_the_reclaim(server_factory):
    # The static checkpoint scenario, once straight through and once with a
    # kill -9 between the notice (T0+1000) and the reclaim (T0+1120), and
    # another inside the new attempt's Starting.
    def scenario(kill):
        srv = server_factory.start(*SCENARIO)
        srv.api.create(job("crash-in-notice", spot=True, max_wait=14400, checkpoint=True, interval=600))
        srv.api.advance(1000)
        assert srv.api.interrupt(P3, 1)["InstancesNoticed"] == 1
        srv.api.advance(60)
        if kill:
            srv = server_factory.restart(srv, signal.SIGKILL)
        srv.api.advance(100)  # the reclaim at T0+1120, then 40 s of Starting
        if kill:
            srv = server_factory.restart(srv, signal.SIGKILL)
        srv.api.advance(4300 - 1160)
        return srv.api.describe("crash-in-notice").content, srv

    straight, _ = scenario(kill=False)
    crashed, srv = scenario(kill=True)
    assert crashed == straight
    d = check_describe(json.loads(crashed))
    assert d["TrainingJobStatus"] == "Completed"
    assert attempt_facts(d) == [("Spot", 0, 1120, "Interrupted", 0, 1000, 1000),
                                ("Spot", 1120, 4300, "Completed", 600, 3600, 3060)]
