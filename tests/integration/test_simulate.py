"""`trainyard simulate`: the real binary replays workload files (the ones in
examples/workloads/ and generated ones) and reports cost, savings and
waiting; the same input and seed give the same bytes; bad lines exit 2 and
name their line numbers.

Run with Debian's interpreter: /usr/bin/python3 -m pytest -q tests/integration/test_simulate.py
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import BINARY, REPO_ROOT, make_job_request

WORKLOADS = sorted((REPO_ROOT / "examples" / "workloads").glob("*.jsonl"))
TIMEOUT = 120


def _env() -> dict:
    # A TRAINYARD_SEED or TRAINYARD_CAPACITY in the caller's environment
    # would change the figures.
    return {k: v for k, v in os.environ.items() if not k.startswith("TRAINYARD_")}


def simulate(*args: str, stdin: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
    out = subprocess.run([str(BINARY), "simulate", *args], input=stdin, capture_output=True,
                         env=_env(), cwd=REPO_ROOT, timeout=TIMEOUT)
    if check:
        assert out.returncode == 0, f"simulate {args}: exit {out.returncode}\n{out.stderr.decode()}"
    return out


def line_count(path: Path) -> int:
    return sum(1 for line in path.read_text().splitlines() if line.strip())


def workload_line(name: str, submit_time: float = 0, **overrides) -> str:
    return json.dumps({"SubmitTime": submit_time, "Request": make_job_request(name, **overrides)})


def test_there_is_an_example_workload():
    assert WORKLOADS, "examples/workloads/*.jsonl is empty"


@pytest.mark.parametrize("workload", WORKLOADS, ids=lambda p: p.name)
def test_example_workload_as_json(workload):
    report = json.loads(simulate("--jobs", str(workload), "--format", "json").stdout)
    jobs = line_count(workload)
    assert report["Seed"] == 1
    assert report["MarketMoves"] is True
    assert report["StartTime"] == 1767225600
    assert report["EndTime"] > report["StartTime"]
    totals = report["Totals"]
    assert totals["Jobs"] == jobs
    assert sum(row["Jobs"] for row in report["Outcomes"]) == jobs
    assert sum(row["Jobs"] for row in report["Groups"]) == jobs
    assert [row["SecondaryStatus"] for row in report["Outcomes"]] == [
        "Completed", "MaxRuntimeExceeded", "MaxWaitTimeExceeded", "Stopped", "Failed", "Pending"]
    assert totals["ActualCost"] > 0
    assert totals["NetSavings"] == pytest.approx(
        totals["OnDemandEquivalentCost"] - totals["ActualCost"], abs=0.02)
    assert sum(row["ActualCost"] for row in report["Groups"]) == pytest.approx(totals["ActualCost"], abs=0.1)
    assert report["Outcomes"][0]["Jobs"] == totals["Completed"]
    assert sum(row["OnDemandEquivalentCost"] for row in report["Outcomes"]) == pytest.approx(
        totals["OnDemandEquivalentCost"], abs=0.05)
    w = report["WaitingMinutes"]
    assert 0 <= w["P50"] <= w["P90"] <= w["P99"] <= w["Max"]
    # GPU spot saves about 70% (CASES.md); a still-running spot job saves nothing yet.
    for row in report["Groups"]:
        if row["Market"] == "Spot" and row["InstanceType"].startswith("ml.p3"):
            assert 60 <= row["SavingsPercent"] <= 80, row
        if row["Market"] == "OnDemand":
            assert row["SavingsPercent"] == 0, row


@pytest.mark.parametrize("workload", WORKLOADS, ids=lambda p: p.name)
def test_example_workload_as_table(workload):
    text = simulate("--jobs", str(workload)).stdout.decode()
    jobs = line_count(workload)
    assert text.startswith(f"trainyard simulate: {jobs:,} jobs, seed 1, moving market\n")
    for heading in ("Outcome", "Cost and savings", "Waiting for capacity (minutes)",
                    "By instance type and market"):
        assert heading in text
    total = [line for line in text.splitlines() if line.startswith("Total ")]
    assert len(total) == 1 and f" {jobs:,} " in total[0], total


def test_case_studies_land_near_their_reported_outcomes():
    report = json.loads(simulate("--jobs", str(REPO_ROOT / "examples/workloads/case-studies.jsonl"),
                                 "--format", "json").stdout)
    outcomes = {row["SecondaryStatus"]: row["Jobs"] for row in report["Outcomes"]}
    assert outcomes["Completed"] == report["Totals"]["Jobs"]  # every case finishes
    spot_p3 = [g for g in report["Groups"] if g["Market"] == "Spot" and g["InstanceType"].startswith("ml.p3")]
    assert spot_p3 and all(60 <= g["NetSavingsPercent"] <= 80 for g in spot_p3), spot_p3


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_same_input_and_seed_give_the_same_bytes(fmt):
    workload = str(WORKLOADS[0])
    first = simulate("--jobs", workload, "--format", fmt, "--seed", "7")
    second = simulate("--jobs", workload, "--format", fmt, "--seed", "7")
    assert first.stdout == second.stdout
    other = simulate("--jobs", workload, "--format", fmt, "--seed", "8")
    assert other.stdout != first.stdout


def test_static_market(tmp_path):
    report = json.loads(simulate("--jobs", str(WORKLOADS[0]), "--format", "json",
                                 "--static-market").stdout)
    assert report["MarketMoves"] is False
    assert report["Totals"]["Jobs"] == line_count(WORKLOADS[0])


def test_bad_lines_exit_2_and_name_their_line_numbers(tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = [
        workload_line("good-one"),                                                     # 1
        '{"SubmitTime": 10, "Request": ',                                              # 2
        "",                                                                            # 3 (blank)
        workload_line("no-such-type", ResourceConfig={"InstanceType": "ml.z9.huge",    # 4
                                                      "InstanceCount": 1, "VolumeSizeInGB": 10}),
        workload_line("good-one", 60),                                                 # 5
        workload_line("good-two", -5),                                                 # 6
        workload_line("spot-without-wait", EnableManagedSpotTraining=True),            # 7
    ]
    path.write_text("\n".join(lines) + "\n")
    out = simulate("--jobs", str(path), check=False)
    assert out.returncode == 2
    assert out.stdout == b""
    err = out.stderr.decode()
    assert "line 2: not valid JSON" in err
    assert "line 4: Request: ResourceConfig.InstanceType 'ml.z9.huge'" in err
    assert "line 5: TrainingJobName 'good-one' is already used on line 1" in err
    assert "line 6: SubmitTime must be" in err
    assert "line 7: Request: StoppingCondition.MaxWaitTimeInSeconds is required" in err
    assert "line 1:" not in err and "line 3:" not in err
    assert "5 bad lines" in err


def test_many_bad_lines_are_counted_and_the_first_twenty_shown(tmp_path):
    path = tmp_path / "junk.jsonl"
    path.write_text("junk\n" * 30)
    out = simulate("--jobs", str(path), check=False)
    assert out.returncode == 2
    err = out.stderr.decode()
    assert "line 20:" in err and "line 21:" not in err
    assert "... and 10 more bad lines" in err
    assert "30 bad lines" in err


def test_a_custom_catalogue_is_what_requests_are_validated_against(tmp_path):
    capacity = tmp_path / "capacity.json"
    capacity.write_text(json.dumps({"Pools": [
        {"InstanceType": "ml.m5.large", "OnDemandPricePerHour": 0.2, "OnDemandCapacity": 2,
         "SpotCapacity": 2, "InterruptionRatePerHour": 0}]}))
    path = tmp_path / "w.jsonl"
    path.write_text(workload_line("cpu-job") + "\n")
    report = json.loads(simulate("--jobs", str(path), "--capacity", str(capacity), "--format", "json").stdout)
    # 600 s of work + 60 s upload on one on-demand instance at $0.2/h; File mode, no data.
    assert report["Totals"]["ActualCost"] == pytest.approx(660 / 3600 * 0.2, abs=0.005)
    assert report["Groups"] == [{**report["Groups"][0], "InstanceType": "ml.m5.large", "Market": "OnDemand"}]

    out = simulate("--jobs", str(WORKLOADS[0]), "--capacity", str(capacity), check=False)
    assert out.returncode == 2
    assert "is not an instance type trainyard offers; valid types: ml.m5.large" in out.stderr.decode()

    capacity.write_text("{not json")
    out = simulate("--jobs", str(path), "--capacity", str(capacity), check=False)
    assert out.returncode == 2
    assert "--capacity" in out.stderr.decode()


def test_usage_errors(tmp_path):
    out = simulate(check=False)
    assert out.returncode == 2
    assert "--jobs" in out.stderr.decode()
    out = simulate("--jobs", str(tmp_path / "missing.jsonl"), check=False)
    assert out.returncode == 2
    assert "cannot read" in out.stderr.decode()


def test_generate_is_reproducible():
    first = simulate("--generate", "300", "--seed", "4", "--days", "2").stdout
    assert first == simulate("--generate", "300", "--seed", "4", "--days", "2").stdout
    assert first != simulate("--generate", "300", "--seed", "5", "--days", "2").stdout
    lines = first.decode().splitlines()
    assert len(lines) == 300
    times = [json.loads(line)["SubmitTime"] for line in lines]
    assert times == sorted(times)
    assert 0 <= times[0] and times[-1] < 2 * 86400


def test_generated_workload_piped_into_simulate():
    generated = simulate("--generate", "2000", "--seed", "3").stdout
    out = simulate("--jobs", "-", "--seed", "3", "--format", "json", stdin=generated)
    report = json.loads(out.stdout)
    assert report["Totals"]["Jobs"] == 2000
    assert sum(row["Jobs"] for row in report["Outcomes"]) == 2000
    assert report["Totals"]["Interruptions"] > 0
    assert 20 <= report["Totals"]["NetSavingsPercent"] <= 70
    assert {g["Market"] for g in report["Groups"]} == {"OnDemand", "Spot"}
