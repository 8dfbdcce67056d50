"""Monitoring as an operator sees it: /readyz, /metrics through promtool,
X-Request-Id on every response, and one access-log line per request."""
import json
import shutil
import subprocess

import pytest
import requests


def _create(url, name):
    with open("examples/jobs/ondemand-m5-churn-xgboost.json") as f:
        doc = json.load(f)
    doc["TrainingJobName"] = name
    r = requests.post(url + "/v1/training-jobs", json=doc, timeout=10)
    assert r.status_code == 201, r.text
    return r


def test_readyz_when_engine_and_store_work(server_factory):
    srv = server_factory.start("--clock", "manual")
    r = requests.get(srv.url + "/readyz", timeout=10)
    assert r.status_code == 200
    assert r.json() == {"status": "ready"}


def test_metrics_scrape_passes_promtool_and_counts_jobs(server_factory):
    srv = server_factory.start("--clock", "manual", "--static-market")
    _create(srv.url, "metrics-a")
    _create(srv.url, "metrics-b")
    r = requests.post(srv.url + "/v1/admin/clock/advance", json={"Seconds": 86400}, timeout=10)
    assert r.status_code == 200
    scrape = requests.get(srv.url + "/metrics", timeout=10)
    assert scrape.status_code == 200
    assert scrape.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = scrape.text
    assert "trainyard_jobs_created_total 2\n" in text
    assert "trainyard_jobs_completed_total 2\n" in text
    assert 'trainyard_jobs{status="Completed"} 2\n' in text
    assert 'trainyard_http_requests_total{route="/v1/training-jobs",code="201"} 2\n' in text
    assert 'trainyard_pool_capacity_instances{instance_type="ml.m5.large",market="Spot"}' in text
    cost = [l for l in text.splitlines() if l.startswith("trainyard_cost_dollars_total ")]
    assert cost and float(cost[0].split()[1]) > 0
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool (Debian package prometheus) is required; make test installs it")
    check = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True,
                           text=True, timeout=30)
    assert check.returncode == 0, check.stdout + check.stderr


def test_request_id_is_echoed_or_generated(server):
    given = requests.get(server.url + "/healthz", headers={"X-Request-Id": "trace-42"}, timeout=10)
    assert given.headers["X-Request-Id"] == "trace-42"
    made = requests.get(server.url + "/v1/training-jobs/nope", timeout=10)
    assert made.status_code == 404
    assert len(made.headers["X-Request-Id"]) >= 16
    bad = requests.get(server.url + "/healthz", headers={"X-Request-Id": "x" * 200}, timeout=10)
    assert bad.headers["X-Request-Id"] != "x" * 200


def test_access_log_has_one_line_per_request(server_factory):
    srv = server_factory.start("--log-format", "json")
    requests.get(srv.url + "/healthz", headers={"X-Request-Id": "log-me"}, timeout=10)
    requests.get(srv.url + "/v1/training-jobs/missing-job", timeout=10)
    assert srv.terminate() == 0
    lines = [json.loads(l) for l in srv.stderr.splitlines() if l.strip()]
    access = [l["msg"] for l in lines if l["msg"].startswith("access ")]
    assert any('route="/healthz"' in a and "status=200" in a and "request_id=log-me" in a
               for a in access), access
    assert any('route="/v1/training-jobs/{TrainingJobName}"' in a and "status=404" in a
               for a in access), access
