"""GET /v1/cost-report against the real binary: on a mixed workload, the
totals and every group are the sums of the jobs' own CostSummary (as Describe
shows it), for each GroupBy, through the StatusEquals and From/To filters, in
JSON and in CSV; bad parameters get a 400 that names them.

The server runs `--clock manual --static-market` on
fixtures/scenario-capacity.json (interruption rate 0, fixed capacities), so
the only interruption is the one the test asks for. The expected figures are
not computed by hand here (test_engine_scenarios.py does that for single
jobs): they are read back from each job's Describe and summed.
"""
from __future__ import annotations

import csv
import io
import math
from collections import defaultdict

import pytest
import requests

from conftest import SCENARIO_CAPACITY, ServerFactory, check_response, make_job_request

T0 = 1767225600.0  # the manual clock's default start: 2026-01-01T00:00:00Z
MID = 1800.0       # seconds after T0: interrupt, stop, fail, and the late job
END = MID + 4 * 3600

P3 = "ml.p3.2xlarge"        # 4 on-demand, 4 spot
P3DN = "ml.p3dn.24xlarge"   # 0 on-demand, 8 spot
G4 = "ml.g4dn.xlarge"       # 2 on-demand, 0 spot
M5 = "ml.m5.large"          # 2 on-demand, 2 spot

FIGURES = ("Jobs", "InstanceHours", "ActualCost", "OnDemandEquivalentCost", "NetSavings",
           "NetSavingsPercent", "SavingsPercent", "Interruptions", "LostTrainingHours", "WaitingHours")
CSV_HEADER = ["Group"] + list(FIGURES)
GROUP_BYS = ("InstanceType", "Market", "Status", "Tag:team")


def job(name, instance_type, *, team=None, spot=False, work=3600, count=1, checkpoint=False,
        dataset_gb=None, mode="File", max_runtime=14400, max_wait=None):
    hp = {"trainyard.work_seconds": str(work), "trainyard.checkpoint_interval_seconds": "600"}
    if dataset_gb is not None:
        hp["trainyard.dataset_gb"] = str(dataset_gb)
    stopping = {"MaxRuntimeInSeconds": max_runtime}
    if spot:
        stopping["MaxWaitTimeInSeconds"] = max_wait or 2 * max_runtime
    tags = [{"Key": "project", "Value": "cost-report-tests"}]
    if team is not None:
        tags.append({"Key": "team", "Value": team})
    overrides = dict(
        HyperParameters=hp,
        AlgorithmSpecification={"TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1",
                                "TrainingInputMode": mode},
        ResourceConfig={"InstanceType": instance_type, "InstanceCount": count, "VolumeSizeInGB": 50},
        StoppingCondition=stopping,
        Tags=tags,
    )
    if spot:
        overrides["EnableManagedSpotTraining"] = True
    if checkpoint:
        overrides["CheckpointConfig"] = {"S3Uri": f"s3://trainyard-tests/checkpoints/{name}/"}
    return make_job_request(name, **overrides)


def get_report(srv, *, accept: str | None = None, params=None) -> requests.Response:
    """GET /v1/cost-report through the ApiClient; JSON answers (reports and
    errors, whatever was asked for) are checked against openapi/openapi.yaml."""
    headers = {"Accept": accept} if accept else {}
    resp = srv.api.get("/v1/cost-report", params=params or {}, headers=headers, expect_json=False)
    if resp.headers.get("Content-Type", "").startswith("application/json") or resp.status_code >= 400:
        check_response("GET", "/v1/cost-report", resp.status_code, resp.headers, resp.content)
    return resp


def report(srv, **params) -> dict:
    resp = get_report(srv, params=params)
    assert resp.status_code == 200, f"{params}: {resp.status_code} {resp.text}"
    assert resp.headers["Content-Type"].startswith("application/json"), resp.headers["Content-Type"]
    body = resp.json()
    assert set(body) == {"GroupBy", "Totals", "Groups"}, body
    assert set(body["Totals"]) == set(FIGURES), body["Totals"]
    for g in body["Groups"]:
        assert set(g) == {"Group", *FIGURES}, g
        assert isinstance(g["Group"], str) and g["Group"], g
    for entry in [body["Totals"], *body["Groups"]]:
        assert isinstance(entry["Jobs"], int) and isinstance(entry["Interruptions"], int), entry
    return body


def report_csv(srv, **params) -> list[list[str]]:
    resp = get_report(srv, accept="text/csv", params=params)
    assert resp.status_code == 200, f"{params}: {resp.status_code} {resp.text}"
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8", resp.headers["Content-Type"]
    assert resp.text.endswith("\n") and "\r" not in resp.text
    rows = list(csv.reader(io.StringIO(resp.text)))
    assert rows and rows[0] == CSV_HEADER, rows[:1]
    assert rows[-1][0] == "Total", rows[-1]
    assert all(len(r) == len(CSV_HEADER) for r in rows), rows
    return rows


def rejected(srv, params, *, accept: str | None = None) -> str:
    """A 400 ValidationException in the Error shape; returns its message."""
    resp = get_report(srv, params=params, accept=accept)
    assert resp.status_code == 400, f"{params}: {resp.status_code} {resp.text}"
    assert resp.headers["Content-Type"].startswith("application/json"), resp.headers["Content-Type"]
    body = resp.json()
    assert set(body) == {"__type", "message"}, body
    assert body["__type"] == "ValidationException", body
    assert isinstance(body["message"], str) and body["message"], body
    return body["message"]


# --- what the jobs say -----------------------------------------------------------

def rollup(docs: list[dict]) -> dict:
    """The report's figures for `docs`, summed from each Describe."""
    training = sum(d.get("TrainingTimeInSeconds", 0.0) for d in docs)
    billable = sum(d.get("BillableTimeInSeconds", 0.0) for d in docs)
    cs = [d["CostSummary"] for d in docs]
    out = {
        "Jobs": len(docs),
        "InstanceHours": sum(a["BilledSeconds"] for d in docs for a in d["Attempts"]) / 3600,
        "ActualCost": sum(c["ActualCost"] for c in cs),
        "OnDemandEquivalentCost": sum(c["OnDemandEquivalentCost"] for c in cs),
        "NetSavings": sum(c["NetSavings"] for c in cs),
        "Interruptions": sum(c["Interruptions"] for c in cs),
        "LostTrainingHours": sum(c["LostTrainingSeconds"] for c in cs) / 3600,
        "WaitingHours": sum(c["WaitingSeconds"] for c in cs) / 3600,
        "SavingsPercent": (1 - billable / training) * 100 if training > 0 else 0.0,
    }
    odc = out["OnDemandEquivalentCost"]
    out["NetSavingsPercent"] = out["NetSavings"] / odc * 100 if odc > 0 else 0.0
    return out


def group_of(d: dict, group_by: str) -> str:
    if group_by == "InstanceType":
        return d["ResourceConfig"]["InstanceType"]
    if group_by == "Market":
        return d["CostSummary"]["Market"]
    if group_by == "Status":
        return d["TrainingJobStatus"]
    key = group_by.removeprefix("Tag:")
    return next((t["Value"] for t in d.get("Tags", []) if t["Key"] == key), "(none)")


def assert_figures(actual: dict, expected: dict, where: str) -> None:
    for k in FIGURES:
        if k in ("Jobs", "Interruptions"):
            assert actual[k] == expected[k], f"{where}.{k}: report {actual[k]!r}, jobs sum to {expected[k]!r}"
        else:
            assert actual[k] == pytest.approx(expected[k], rel=1e-9, abs=1e-9), \
                f"{where}.{k}: report {actual[k]!r}, jobs sum to {expected[k]!r}"


def assert_report_matches(body: dict, docs: list[dict], group_by: str) -> None:
    """Totals are the sums over `docs`; each group the sums over its jobs; the
    groups add up to the totals."""
    assert body["GroupBy"] == group_by
    assert_figures(body["Totals"], rollup(docs), "Totals")
    expected_groups = defaultdict(list)
    for d in docs:
        expected_groups[group_of(d, group_by)].append(d)
    names = [g["Group"] for g in body["Groups"]]
    assert len(names) == len(set(names)), f"a group appears twice: {names}"
    assert names == sorted(names, key=str.encode), f"groups not in ascending byte order: {names}"
    assert set(names) == set(expected_groups), f"{group_by}: groups {names}, jobs have {sorted(expected_groups)}"
    for g in body["Groups"]:
        assert_figures(g, rollup(expected_groups[g["Group"]]), f"Groups[{g['Group']}]")
    # The groups partition the jobs: their sums are the totals.
    for k in ("Jobs", "InstanceHours", "ActualCost", "OnDemandEquivalentCost", "NetSavings", "Interruptions",
              "LostTrainingHours", "WaitingHours"):
        assert sum(g[k] for g in body["Groups"]) == pytest.approx(body["Totals"][k], rel=1e-9, abs=1e-9), k


# --- the workload ----------------------------------------------------------------

@pytest.fixture(scope="module")
def workload(tmp_path_factory):
    """One server for the module, with this history on a manual clock:

    T0       created: vision-spot-ckpt (p3 spot, checkpoints), vision-ondemand (p3),
             platform-spot (m5 spot, no checkpoints), platform-stop-me (m5, 2 h),
             platform-fail-me (m5), research-g4-1..3 (g4, 2 on-demand instances:
             the third waits), research-spot-waits (g4 spot: there is none),
             imagenet-p3dn-x8 (8 x p3dn spot, Pipe, no team tag, 5.6 h of work)
    T0+MID   p3 spot reclaimed (vision-spot-ckpt), platform-stop-me stopped while
             training, platform-fail-me fails (no retries), research-spot-waits
             stopped while waiting, platform-late created (m5)
    T0+END   the reports are read: imagenet-p3dn-x8 is still training.
    """
    factory = ServerFactory(tmp_path_factory.mktemp("cost-report"))
    srv = factory.start("--clock", "manual", "--static-market", "--seed", "11",
                        "--capacity", str(SCENARIO_CAPACITY))
    api = srv.api
    assert api.clock()["Now"] == T0
    early = [
        job("vision-spot-ckpt", P3, team="vision", spot=True, work=7200, checkpoint=True, dataset_gb=20),
        job("vision-ondemand", P3, team="vision", work=3600, dataset_gb=20),
        job("platform-spot", M5, team="platform", spot=True, work=1800),
        job("platform-stop-me", M5, team="platform", work=7200),
        job("platform-fail-me", M5, team="platform", work=3600),
        job("research-g4-1", G4, team="research", work=1800),
        job("research-g4-2", G4, team="research", work=1800),
        job("research-g4-3", G4, team="research", work=1800),
        job("research-spot-waits", G4, team="research", spot=True, work=600),
        job("imagenet-p3dn-x8", P3DN, spot=True, count=8, work=20000, checkpoint=True, mode="Pipe",
            max_runtime=86400),
    ]
    for doc in early:
        api.create(doc)
    api.advance(MID)
    assert api.interrupt(P3, 1)["InstancesNoticed"] == 1
    assert api.stop("platform-stop-me").json()["TrainingJobStatus"] == "Stopping"
    assert api.stop("research-spot-waits").json()["TrainingJobStatus"] == "Stopped"
    api.fail("platform-fail-me")
    api.create(job("platform-late", M5, team="platform", work=600))
    api.advance(END - MID)

    docs = {d["TrainingJobName"]: api.describe(d["TrainingJobName"]).json()
            for d in early + [{"TrainingJobName": "platform-late"}]}
    # The history went as planned, or the sums below would prove little.
    status = {n: d["TrainingJobStatus"] for n, d in docs.items()}
    assert status == {
        "vision-spot-ckpt": "Completed", "vision-ondemand": "Completed", "platform-spot": "Completed",
        "platform-stop-me": "Stopped", "platform-fail-me": "Failed", "research-g4-1": "Completed",
        "research-g4-2": "Completed", "research-g4-3": "Completed", "research-spot-waits": "Stopped",
        "imagenet-p3dn-x8": "InProgress", "platform-late": "Completed",
    }, status
    cs = {n: d["CostSummary"] for n, d in docs.items()}
    assert cs["vision-spot-ckpt"]["Interruptions"] == 1
    assert cs["vision-spot-ckpt"]["LostTrainingSeconds"] > 0
    assert cs["research-g4-3"]["WaitingSeconds"] > 0
    assert cs["research-spot-waits"]["WaitingSeconds"] == MID and docs["research-spot-waits"]["Attempts"] == []
    assert docs["imagenet-p3dn-x8"]["SecondaryStatus"] == "Training"
    assert docs["platform-late"]["CreationTime"] == T0 + MID
    assert all(d["CreationTime"] == T0 for n, d in docs.items() if n != "platform-late")
    assert sum(c["NetSavings"] for c in cs.values()) > 0
    yield srv, docs
    problems = factory.shutdown_all()
    assert not problems, "\n\n".join(problems)


@pytest.fixture(scope="module")
def srv(workload):
    return workload[0]


@pytest.fixture(scope="module")
def docs(workload) -> list[dict]:
    return list(workload[1].values())


# --- totals and groups -------------------------------------------------------------

def test_default_groups_by_instance_type(srv, docs):
    body = report(srv)
    assert_report_matches(body, docs, "InstanceType")
    assert {g["Group"] for g in body["Groups"]} == {P3, P3DN, G4, M5}
    assert body == report(srv, GroupBy="InstanceType")


@pytest.mark.parametrize("group_by", GROUP_BYS)
def test_totals_and_groups_are_the_sums_of_the_jobs(srv, docs, group_by):
    assert_report_matches(report(srv, GroupBy=group_by), docs, group_by)


def test_the_groups_are_the_ones_the_jobs_fall_in(srv):
    assert {g["Group"] for g in report(srv, GroupBy="Market")["Groups"]} == {"Spot", "OnDemand"}
    assert {g["Group"] for g in report(srv, GroupBy="Status")["Groups"]} == {
        "Completed", "Stopped", "Failed", "InProgress"}
    by_team = {g["Group"]: g for g in report(srv, GroupBy="Tag:team")["Groups"]}
    assert set(by_team) == {"vision", "platform", "research", "(none)"}
    assert by_team["(none)"]["Jobs"] == 1  # imagenet-p3dn-x8 has no team tag
    assert by_team["vision"]["Interruptions"] == 1
    # A tag no job has: one "(none)" group holding everything.
    nobody = report(srv, GroupBy="Tag:no-such-key")
    assert [g["Group"] for g in nobody["Groups"]] == ["(none)"]
    assert nobody["GroupBy"] == "Tag:no-such-key"
    assert_figures(nobody["Groups"][0], nobody["Totals"], "(none)")


def test_headline_figures(srv, docs):
    totals = report(srv)["Totals"]
    assert totals["Jobs"] == len(docs) == 11
    assert totals["Interruptions"] == 1
    # SageMaker's formula over the whole report, from Describe's own fields.
    training = sum(d.get("TrainingTimeInSeconds", 0) for d in docs)
    billable = sum(d.get("BillableTimeInSeconds", 0) for d in docs)
    assert totals["SavingsPercent"] == pytest.approx((1 - billable / training) * 100, rel=1e-9)
    assert totals["NetSavingsPercent"] == pytest.approx(
        totals["NetSavings"] / totals["OnDemandEquivalentCost"] * 100, rel=1e-9)
    assert totals["InstanceHours"] == pytest.approx(
        sum(a["BilledSeconds"] for d in docs for a in d["Attempts"]) / 3600, rel=1e-9)
    by_market = {g["Group"]: g for g in report(srv, GroupBy="Market")["Groups"]}
    # On-demand saves nothing; spot at a 0.3 price ratio saves 70% of the billed time.
    assert by_market["OnDemand"]["SavingsPercent"] == pytest.approx(0, abs=1e-9)
    assert by_market["Spot"]["SavingsPercent"] == pytest.approx(70, rel=1e-9)
    assert by_market["Spot"]["NetSavings"] > 0


# --- filters -------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["Completed", "Stopped", "Failed", "InProgress"])
def test_status_equals_filters(srv, docs, status):
    chosen = [d for d in docs if d["TrainingJobStatus"] == status]
    assert chosen
    for group_by in GROUP_BYS:
        body = report(srv, GroupBy=group_by, StatusEquals=status)
        assert_report_matches(body, chosen, group_by)


def test_status_equals_with_no_job(srv):
    body = report(srv, StatusEquals="Stopping")
    assert body["Groups"] == []
    assert body["Totals"] == {k: 0 for k in FIGURES}


@pytest.mark.parametrize("bounds, names", [
    # [From, To): From inclusive, To exclusive.
    ({"From": T0 + MID}, {"platform-late"}),
    ({"From": T0 + MID - 0.5}, {"platform-late"}),
    ({"From": T0 + 1}, {"platform-late"}),
    ({"To": T0 + MID}, "early"),
    ({"To": T0 + MID + 0.001}, "all"),
    ({"From": T0, "To": T0 + 1}, "early"),
    ({"From": T0 - 86400, "To": T0 + 86400}, "all"),
    ({"To": T0}, set()),
    ({"From": T0 + MID + 1}, set()),
], ids=lambda v: str(v))
def test_from_to_bound_creation_time(srv, docs, bounds, names):
    if names == "all":
        names = {d["TrainingJobName"] for d in docs}
    elif names == "early":
        names = {d["TrainingJobName"] for d in docs} - {"platform-late"}
    chosen = [d for d in docs if d["TrainingJobName"] in names]
    params = {k: repr(v) for k, v in bounds.items()}
    for group_by in ("InstanceType", "Tag:team"):
        body = report(srv, GroupBy=group_by, **params)
        assert_report_matches(body, chosen, group_by)
    if not chosen:
        assert body["Totals"] == {k: 0 for k in FIGURES}


def test_from_to_and_status_together(srv, docs):
    chosen = [d for d in docs if d["TrainingJobStatus"] == "Completed" and d["CreationTime"] < T0 + MID]
    body = report(srv, GroupBy="Status", StatusEquals="Completed", From=repr(T0), To=repr(T0 + MID))
    assert_report_matches(body, chosen, "Status")
    assert [g["Group"] for g in body["Groups"]] == ["Completed"]


def test_the_report_is_read_only_and_repeatable(srv):
    first = report(srv, GroupBy="Tag:team")
    for _ in range(3):
        assert report(srv, GroupBy="Tag:team") == first


# --- CSV -------------------------------------------------------------------------------

def assert_csv_row_matches(row: list[str], figures: dict, where: str) -> None:
    for name, text in zip(FIGURES, row[1:]):
        if name in ("Jobs", "Interruptions"):
            assert text == str(figures[name]), f"{where}.{name}: CSV {text!r}, JSON {figures[name]!r}"
        else:
            decimals = len(text.partition(".")[2])
            assert decimals == (4 if name.endswith("Percent") else 6), f"{where}.{name}: {text!r}"
            assert math.isclose(float(text), figures[name], abs_tol=0.5 * 10 ** -decimals + 1e-9), \
                f"{where}.{name}: CSV {text!r}, JSON {figures[name]!r}"


@pytest.mark.parametrize("group_by", GROUP_BYS)
def test_csv_is_the_json_as_rows(srv, group_by):
    body = report(srv, GroupBy=group_by)
    rows = report_csv(srv, GroupBy=group_by)
    groups, total = rows[1:-1], rows[-1]
    assert [r[0] for r in groups] == [g["Group"] for g in body["Groups"]]
    for row, g in zip(groups, body["Groups"]):
        assert_csv_row_matches(row, g, g["Group"])
    assert_csv_row_matches(total, body["Totals"], "Total")


def test_csv_follows_the_filters(srv):
    rows = report_csv(srv, GroupBy="Status", StatusEquals="Stopped", To=repr(T0 + MID))
    body = report(srv, GroupBy="Status", StatusEquals="Stopped", To=repr(T0 + MID))
    assert [r[0] for r in rows[1:]] == ["Stopped", "Total"]
    assert rows[1][1:] == rows[2][1:]
    assert_csv_row_matches(rows[-1], body["Totals"], "Total")
    assert body["Totals"]["Jobs"] == 2


def test_csv_of_nothing_is_a_header_and_a_zero_total(srv):
    rows = report_csv(srv, From=repr(T0 + 10 * 86400))
    assert len(rows) == 2
    assert rows[1][0] == "Total"
    assert all(float(x) == 0 for x in rows[1][1:])


def test_csv_by_accept_among_other_types(srv):
    resp = get_report(srv, accept="text/csv;q=0.9, application/json;q=0.5", params={"GroupBy": "Market"})
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/csv")
    resp = get_report(srv, accept="application/json", params={"GroupBy": "Market"})
    assert resp.status_code == 200 and resp.json()["GroupBy"] == "Market"


# --- bad requests ------------------------------------------------------------------------

@pytest.mark.parametrize("params, named", [
    ({"GroupBy": "Team"}, "GroupBy"),
    ({"GroupBy": "instancetype"}, "GroupBy"),
    ({"GroupBy": "Tag:"}, "GroupBy"),
    ({"GroupBy": ""}, "GroupBy"),
    ({"GroupBy": "Tag"}, "GroupBy"),
    ({"StatusEquals": "Done"}, "StatusEquals"),
    ({"StatusEquals": ""}, "StatusEquals"),
    ({"From": "yesterday"}, "From"),
    ({"To": "nan"}, "To"),
    ({"From": "inf"}, "From"),
    ({"To": ""}, "To"),
    ({"Foo": "1"}, "Foo"),
    ({"groupby": "Market"}, "groupby"),
    ({"NextToken": "x"}, "NextToken"),
    ({"From": repr(T0), "To": repr(T0)}, "From"),
    ({"From": repr(T0 + 1), "To": repr(T0)}, "From"),
], ids=lambda v: str(v))
def test_bad_parameters_are_rejected_by_name(srv, params, named):
    message = rejected(srv, params)
    assert named in message, message
    # The same with CSV asked for: errors stay JSON.
    assert rejected(srv, params, accept="text/csv") == message


def test_from_after_to_names_both(srv):
    message = rejected(srv, {"From": repr(T0 + 10), "To": repr(T0)})
    assert "From" in message and "To" in message, message


def test_a_parameter_given_twice_is_rejected(srv):
    resp = srv.api.get("/v1/cost-report?GroupBy=Market&GroupBy=Status")
    assert resp.status_code == 400, resp.text
    assert resp.json()["__type"] == "ValidationException"
    assert "GroupBy" in resp.json()["message"]


# --- a job whose instance type left the catalogue ------------------------------------------

def test_jobs_without_a_price_are_left_out(server_factory, tmp_path):
    srv = server_factory.start("--clock", "manual", "--static-market", "--capacity", str(SCENARIO_CAPACITY))
    srv.api.create(job("priced", P3, team="vision", work=600))
    srv.api.create(job("unpriced", M5, team="vision", work=600))
    srv.api.advance(3600)
    before = report(srv, GroupBy="Tag:team")
    assert before["Totals"]["Jobs"] == 2
    # The next server's catalogue has no ml.m5.large: that job has no price.
    capacity = tmp_path / "p3-only.json"
    capacity.write_text('{"Pools": [{"InstanceType": "ml.p3.2xlarge", "OnDemandPricePerHour": 3.825}]}')
    assert srv.terminate() == 0
    srv = server_factory.start("--clock", "manual", "--static-market", "--capacity", str(capacity), db=srv.db)
    priced = srv.api.describe("priced").json()
    assert "CostSummary" not in srv.api.describe("unpriced").json()
    after = report(srv, GroupBy="Tag:team")
    assert_report_matches(after, [priced], "Tag:team")
    assert [g["Group"] for g in report(srv)["Groups"]] == [P3]
