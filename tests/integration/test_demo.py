"""examples/spot-savings-demo.sh against a live server: it submits its
workload, drives the clock until every job has ended, and prints savings
tables that are GET /v1/cost-report's figures.

The main run is on a manual clock with the built-in catalogue (what
`make run` serves), `--static-market` and a fixed seed, and a fixed run id,
so the market's own interruptions are the same every time.
"""
from __future__ import annotations

import math
import os
import re
import subprocess

import pytest

from conftest import REPO_ROOT, ServerFactory, free_port

SCRIPT = REPO_ROOT / "examples" / "spot-savings-demo.sh"
MANUAL = ("--clock", "manual", "--static-market", "--seed", "1")
RUN_ID = "t1"

COLUMNS = ("Jobs", "InstanceHours", "ActualCost", "OnDemandEquivalentCost", "NetSavings",
           "NetSavingsPercent", "SavingsPercent", "Interruptions", "LostTrainingHours", "WaitingHours")
TABLES = {  # title line -> GroupBy
    "By strategy (GroupBy=Tag:strategy)": "Tag:strategy",
    "By case (GroupBy=Tag:case)": "Tag:case",
    "Job by job (GroupBy=Tag:variant)": "Tag:variant",
}
STRATEGIES = {"spot-checkpoint": 2, "spot-no-checkpoint": 1, "on-demand": 2}
CASES = {"rail-defect-detection": 2, "imagenet-resnet50": 2, "customer-churn": 1}


def run_demo(url: str, run_id: str = RUN_ID, timeout: float = 60, **env_extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRAINYARD_", "DEMO_"))}
    env.update(TRAINYARD_URL=url, DEMO_RUN_ID=run_id, **env_extra)
    return subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=env, cwd=REPO_ROOT,
                          timeout=timeout)


def succeeded(out: subprocess.CompletedProcess) -> str:
    assert out.returncode == 0, f"exit {out.returncode}\nstdout:\n{out.stdout}\nstderr:\n{out.stderr}"
    assert out.stderr == "", out.stderr
    return out.stdout


def parse_tables(stdout: str) -> dict[str, dict[str, dict[str, str]]]:
    """{GroupBy: {group: {column: printed text}}} from the demo's tables."""
    tables: dict[str, dict[str, dict[str, str]]] = {}
    lines = stdout.splitlines()
    for i, line in enumerate(lines):
        if line.strip() not in TABLES:
            continue
        rows: dict[str, dict[str, str]] = {}
        header = lines[i + 1].split()
        assert header[:2] == ["jobs", "inst-h"], lines[i + 1]
        for row in lines[i + 2:]:
            if not row.strip():
                break
            if set(row.strip()) == {"-"}:
                continue
            fields = row.split()
            assert len(fields) == 1 + len(COLUMNS), f"unexpected table row {row!r}"
            assert fields[0] not in rows, f"{fields[0]} printed twice"
            rows[fields[0]] = dict(zip(COLUMNS, fields[1:]))
        tables[TABLES[line.strip()]] = rows
    assert set(tables) == set(TABLES.values()), f"tables found: {sorted(tables)}\n{stdout}"
    return tables


def matches(printed: str, value: float) -> bool:
    """`printed` is `value` rounded to the decimals shown."""
    decimals = len(printed.partition(".")[2])
    return math.isclose(float(printed), value, abs_tol=0.5 * 10 ** -decimals + 1e-9)


def assert_table_is_the_report(rows: dict[str, dict[str, str]], body: dict, where: str) -> None:
    groups = {g["Group"]: g for g in body["Groups"]}
    assert set(rows) == set(groups) | {"Total"}, f"{where}: printed {sorted(rows)}, report has {sorted(groups)}"
    for name, printed in rows.items():
        figures = body["Totals"] if name == "Total" else groups[name]
        for column in COLUMNS:
            assert matches(printed[column], figures[column]), \
                f"{where} {name} {column}: printed {printed[column]}, report says {figures[column]}"


def cost_report(srv, **params) -> dict:
    resp = srv.api.get("/v1/cost-report", params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A manual-clock server on the built-in catalogue, and the demo's output."""
    factory = ServerFactory(tmp_path_factory.mktemp("demo"))
    srv = factory.start(*MANUAL)
    out = run_demo(srv.url)
    yield srv, out
    problems = factory.shutdown_all()
    assert not problems, "\n\n".join(problems)


def test_demo_runs_to_the_end(demo):
    srv, out = demo
    stdout = succeeded(out)
    # Every job it submitted has ended, with the run id in its name and the tags.
    jobs = srv.api.list_all()
    assert len(jobs) == 5
    assert {j["TrainingJobStatus"] for j in jobs} <= {"Completed", "Stopped", "Failed"}, jobs
    strategies, cases = {}, {}
    for j in jobs:
        name = j["TrainingJobName"]
        assert name.startswith(f"demo-{RUN_ID}-"), name
        assert name in stdout
        tags = {t["Key"]: t["Value"] for t in srv.api.describe(name).json()["Tags"]}
        assert tags["demo-run"] == RUN_ID
        assert tags["variant"] == f"{tags['case']}/{tags['strategy']}"
        strategies[tags["strategy"]] = strategies.get(tags["strategy"], 0) + 1
        cases[tags["case"]] = cases.get(tags["case"], 0) + 1
    assert strategies == STRATEGIES
    assert cases == CASES
    # A job that did not finish is called out under the tables.
    labels = {f"demo-{RUN_ID}-{label.replace('/', '-')}": label for label in (
        "rail/spot-ckpt", "rail/on-demand", "r50/spot-nockpt", "r50/spot-ckpt", "churn/on-demand")}
    for j in jobs:
        note = f"Note: {labels[j['TrainingJobName']]} ended {j['SecondaryStatus']} without finishing"
        assert (note in stdout) == (j["TrainingJobStatus"] != "Completed"), (note, stdout)
    # Manual clock: it advanced in steps and showed progress.
    assert "manual clock" in stdout
    assert re.search(r"^\s+1\.0 h .*Training \d+%", stdout, re.M), stdout
    # The operator's reclaim happened once, mid-run.
    assert stdout.count("the operator reclaims spot ml.p3dn.24xlarge capacity") == 1, stdout
    assert srv.api.clock()["Now"] > 1767225600.0 + 10 * 3600  # the 10-hour rail job finished


def test_tables_are_the_cost_report(demo):
    srv, out = demo
    tables = parse_tables(succeeded(out))
    for group_by, rows in tables.items():
        assert_table_is_the_report(rows, cost_report(srv, GroupBy=group_by), group_by)
    assert {k: int(v["Jobs"]) for k, v in tables["Tag:strategy"].items()} == {**STRATEGIES, "Total": 5}
    assert {k: int(v["Jobs"]) for k, v in tables["Tag:case"].items()} == {**CASES, "Total": 5}
    assert len(tables["Tag:variant"]) == 6


def test_the_savings_tell_the_story(demo):
    srv, out = demo
    tables = parse_tables(succeeded(out))
    by_strategy = tables["Tag:strategy"]
    spot, on_demand = by_strategy["spot-checkpoint"], by_strategy["on-demand"]
    # Spot with checkpoints saves most of the on-demand bill (CASES.md: ~70%).
    assert float(spot["NetSavings"]) > 0
    assert 50 < float(spot["NetSavingsPercent"]) <= 70
    assert spot["SavingsPercent"] == "70.0"  # static market: spot at 0.3 of on-demand
    # On-demand saves nothing, by either measure.
    assert on_demand["NetSavings"] == "0.00"
    assert on_demand["NetSavingsPercent"] == "0.0"
    assert on_demand["SavingsPercent"] == "0.0"
    assert on_demand["Interruptions"] == "0"
    # The operator's reclaim hit one of the ResNet-50 gangs (the market, at
    # 0.06 per instance-hour on ml.p3dn.24xlarge, may add more: the seed
    # decides). Without checkpoints an interruption throws the training away.
    assert int(tables["Tag:case"]["imagenet-resnet50"]["Interruptions"]) >= 1
    no_ckpt = by_strategy["spot-no-checkpoint"]
    if int(no_ckpt["Interruptions"]) > 0:
        assert float(no_ckpt["LostTrainingHours"]) > float(spot["LostTrainingHours"])
        assert float(no_ckpt["NetSavingsPercent"]) < float(spot["NetSavingsPercent"])
    # The same rail job costs about 30% as much on spot as on on-demand.
    jobs = tables["Tag:variant"]
    rail_spot = float(jobs["rail-defect-detection/spot-checkpoint"]["ActualCost"])
    rail_od = float(jobs["rail-defect-detection/on-demand"]["ActualCost"])
    assert rail_od == pytest.approx(38.35, abs=0.01)  # 10 h and a bit at $3.825/h
    assert 0.25 < rail_spot / rail_od < 0.4


def test_a_second_run_reports_only_its_own_jobs(demo):
    srv, _ = demo
    stdout = succeeded(run_demo(srv.url, run_id="t2"))
    tables = parse_tables(stdout)
    assert tables["Tag:strategy"]["Total"]["Jobs"] == "5"
    assert len(srv.api.list_all()) == 10
    # Its window (From/To, as printed) holds its own jobs only.
    m = re.search(r"From=([0-9.]+)&To=([0-9.]+)", stdout)
    assert m, stdout
    body = cost_report(srv, GroupBy="Tag:demo-run", From=m.group(1), To=m.group(2))
    assert [(g["Group"], g["Jobs"]) for g in body["Groups"]] == [("t2", 5)]
    assert_table_is_the_report(tables["Tag:strategy"],
                               cost_report(srv, GroupBy="Tag:strategy", From=m.group(1), To=m.group(2)),
                               "second run")


def test_demo_on_a_scaled_real_clock(server_factory):
    srv = server_factory.start("--time-scale", "200000", "--static-market", "--seed", "1")
    stdout = succeeded(run_demo(srv.url, run_id="real", DEMO_POLL_SECONDS="0"))
    assert "real clock" in stdout
    jobs = srv.api.list_all()
    assert len(jobs) == 5
    assert {j["TrainingJobStatus"] for j in jobs} <= {"Completed", "Stopped", "Failed"}, jobs
    tables = parse_tables(stdout)
    assert tables["Tag:strategy"]["on-demand"]["NetSavingsPercent"] == "0.0"
    assert float(tables["Tag:strategy"]["spot-checkpoint"]["NetSavings"]) > 0


def test_unreachable_server_is_a_clear_error():
    out = run_demo(f"http://127.0.0.1:{free_port()}", timeout=30)
    assert out.returncode != 0
    assert "cannot reach a trainyard server at http://127.0.0.1:" in out.stderr, out.stderr
    assert "TRAINYARD_URL" in out.stderr
    assert "Submitting" not in out.stdout


def test_a_refused_request_stops_the_demo_with_the_service_error(server_factory, tmp_path):
    # A server without the demo's instance types refuses the first job.
    capacity = tmp_path / "capacity.json"
    capacity.write_text('{"Pools": [{"InstanceType": "ml.c5.xlarge", "OnDemandPricePerHour": 0.204}]}')
    srv = server_factory.start("--clock", "manual", "--capacity", str(capacity))
    out = run_demo(srv.url, run_id="refused", timeout=30)
    assert out.returncode != 0
    assert "POST /v1/training-jobs -> HTTP 400" in out.stderr, out.stderr
    assert "ValidationException" in out.stderr


def test_script_is_strict_bash_without_jq():
    text = SCRIPT.read_text()
    assert text.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in text
    assert "TRAINYARD_URL" in text and "http://localhost:8080" in text
    assert not re.search(r"\bjq\b", text), "the demo must not need jq"
    assert "accept=text/csv" in text  # the tables come from the CSV report
    syntax = subprocess.run(["bash", "-n", str(SCRIPT)], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr
