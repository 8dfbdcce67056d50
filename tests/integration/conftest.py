"""Fixtures for the integration tests: they start the real `build/bin/trainyard`
binary on a free port with a fresh database and speak HTTP to it.

Fixtures:
  server          a running server (function scope) on NO_CAPACITY: every job
                  it accepts waits in Pending (see NO_CAPACITY below)
  server_factory  starts servers with extra flags, kills and restarts them on
                  the same database; every server still running at teardown
                  gets SIGTERM and must exit 0 within 10 s
  api             an ApiClient bound to `server`; besides the job API it has
                  helpers for the admin routes (clock, advance, interrupt,
                  update_pool, fail, capacity)
  job_request     builds a valid CreateTrainingJob request: job_request(name, **overrides)
  raw_connect     opens a raw TCP connection to a server (RawConnection)

Every JSON body received through ApiClient or RawConnection is checked against
openapi/openapi.yaml by openapi_validator.validate(method, path, status, body),
and every error response must be `{"__type": ..., "message": ...}`.

Run with Debian's interpreter: /usr/bin/python3 -m pytest -q tests/integration
"""
from __future__ import annotations

import copy
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
# TRAINYARD_TEST_BINARY runs the suite against another build of the server.
BINARY = Path(os.environ.get("TRAINYARD_TEST_BINARY") or REPO_ROOT / "build" / "bin" / "trainyard")

STARTUP_TIMEOUT = 10.0
SHUTDOWN_TIMEOUT = 10.0
REQUEST_TIMEOUT = 15.0

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/SageMakerRole"

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The capacity file of the default `server` fixture: every built-in instance
# type (those of job_request, the tests and examples/jobs among them) with
# ZERO on-demand and ZERO spot capacity. The engine places a job on capacity
# the moment it fits, so on this file every accepted job stays InProgress /
# Pending: the API-shape tests (describe, list, stop, paging) see a waiting
# job, and StopTrainingJob stops it at once. Tests about running jobs start a
# server with capacity (SCENARIO_CAPACITY, or the built-in catalogue).
NO_CAPACITY = FIXTURES / "no-capacity.json"
# Fixed pools for exact scheduling scenarios (test_engine_scenarios.py):
# interruption rate 0, so with --static-market nothing happens by itself.
SCENARIO_CAPACITY = FIXTURES / "scenario-capacity.json"
# A pool with a nonzero interruption rate, for runs where random draws matter.
MOVING_MARKET_CAPACITY = FIXTURES / "moving-market-capacity.json"


def _openapi_validator():
    # Imported on use so that a missing validator fails the tests that receive
    # JSON, with a clear message, rather than the collection of every module.
    try:
        import openapi_validator  # tests/integration/openapi_validator.py
    except ImportError as e:  # pragma: no cover - only while it is being written
        pytest.fail(f"tests/integration/openapi_validator.py is missing: {e}")
    return openapi_validator


def _openapi_validate(method: str, path: str, status: int, body, headers) -> None:
    """Validates against the documented operation; a route the spec does not
    have (only ever a 404 NotFound) must still carry the Error schema."""
    validator = _openapi_validator()
    try:
        validator.validate(method, path, status, body, headers=headers)
    except AssertionError as e:
        if status == 404 and "matches no documented path" in str(e):
            validator.validate_schema("Error", body)
            assert body.get("__type") == "NotFound", f"{method} {path} -> 404: {body!r}"
            return
        raise


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def job_arn(name: str, region: str = REGION, account: str = ACCOUNT_ID) -> str:
    return f"arn:aws:sagemaker:{region}:{account}:training-job/{name}"


def make_job_request(name: str, **overrides) -> dict:
    """A valid on-demand CreateTrainingJob request; top-level members in
    `overrides` replace (or, with value None, remove) the defaults."""
    doc = {
        "TrainingJobName": name,
        "AlgorithmSpecification": {
            "TrainingImage": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "TrainingInputMode": "File",
        },
        "RoleArn": ROLE_ARN,
        "HyperParameters": {"max_depth": "5", "num_round": "100", "trainyard.work_seconds": "600"},
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "DataSource": {
                    "S3DataSource": {
                        "S3DataType": "S3Prefix",
                        "S3Uri": "s3://trainyard-tests/data/train/",
                        "S3DataDistributionType": "FullyReplicated",
                    }
                },
                "ContentType": "text/csv",
            }
        ],
        "OutputDataConfig": {"S3OutputPath": "s3://trainyard-tests/output/"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "Tags": [{"Key": "team", "Value": "integration-tests"}],
    }
    for key, value in overrides.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = copy.deepcopy(value)
    return doc


def assert_contains(actual, expected, where="$"):
    """Every member of `expected` appears in `actual` with the same value
    (objects may carry more members: defaults the server filled in)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        for k, v in expected.items():
            assert k in actual, f"{where}.{k} missing from {sorted(actual)}"
            assert_contains(actual[k], v, f"{where}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), \
            f"{where}: expected {expected!r}, got {actual!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_contains(a, e, f"{where}[{i}]")
    else:
        assert actual == expected and type(actual) is type(expected), \
            f"{where}: expected {expected!r}, got {actual!r}"


def _is_json_content_type(value: str | None) -> bool:
    if not value:
        return False
    media = value.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def check_response(method: str, path: str, status: int, headers,
                   content: bytes, expect_json: bool = True):
    """Checks one response as every test wants it: JSON bodies valid against
    the OpenAPI spec, errors in the `__type`/`message` shape. Returns the
    decoded body (None if empty and not JSON)."""
    path_only = urllib.parse.urlsplit(path).path
    if not expect_json:
        return None
    content_type = {k.lower(): v for k, v in headers.items()}.get("content-type")
    if status >= 400 or content:
        assert _is_json_content_type(content_type), (
            f"{method} {path} -> {status}: Content-Type {content_type!r} is not JSON; "
            f"body {content[:300]!r}")
    if not content and not _is_json_content_type(content_type):
        return None
    try:
        body = json.loads(content)
    except ValueError as e:
        raise AssertionError(f"{method} {path} -> {status}: body is not JSON ({e}): {content[:300]!r}")
    if status >= 400:
        assert isinstance(body, dict), f"{method} {path} -> {status}: error body is not an object: {body!r}"
        assert isinstance(body.get("__type"), str) and body["__type"], (
            f"{method} {path} -> {status}: error body lacks __type: {body!r}")
        assert isinstance(body.get("message"), str), (
            f"{method} {path} -> {status}: error body lacks message: {body!r}")
    _openapi_validate(method, path_only, status, body, headers)
    return body


class ApiClient:
    """requests.Session wrapper: api.get('/v1/training-jobs'), api.post(path, json=...).
    Each response is checked by check_response(); `expect_json=False` skips it."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def request(self, method: str, path: str, *, expect_json: bool = True, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        resp = self.session.request(method, self.base_url + path, **kwargs)
        check_response(method, path, resp.status_code, resp.headers, resp.content, expect_json)
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # Conveniences for the job API.
    def create(self, doc: dict, expect: int | None = 201) -> requests.Response:
        resp = self.post("/v1/training-jobs", json=doc)
        if expect is not None:
            assert resp.status_code == expect, f"create {doc.get('TrainingJobName')}: {resp.status_code} {resp.text}"
        return resp

    def describe(self, name: str, expect: int | None = 200) -> requests.Response:
        resp = self.get("/v1/training-jobs/" + urllib.parse.quote(name, safe=""))
        if expect is not None:
            assert resp.status_code == expect, f"describe {name}: {resp.status_code} {resp.text}"
        return resp

    def stop(self, name: str, expect: int | None = 200) -> requests.Response:
        resp = self.post("/v1/training-jobs/" + urllib.parse.quote(name, safe="") + "/stop")
        if expect is not None:
            assert resp.status_code == expect, f"stop {name}: {resp.status_code} {resp.text}"
        return resp

    def list(self, expect: int | None = 200, **params) -> requests.Response:
        resp = self.get("/v1/training-jobs", params=params)
        if expect is not None:
            assert resp.status_code == expect, f"list {params}: {resp.status_code} {resp.text}"
        return resp

    def list_all(self, **params) -> list[dict]:
        """Every summary, following NextToken."""
        out, token = [], None
        for _ in range(10000):
            p = dict(params)
            if token:
                p["NextToken"] = token
            body = self.list(**p).json()
            out.extend(body["TrainingJobSummaries"])
            token = body.get("NextToken")
            if not token:
                return out
        raise AssertionError("NextToken never ended")

    # Conveniences for the admin and capacity routes. `expect` checks the
    # status; the decoded body is returned for 2xx, the response otherwise.
    def clock(self) -> dict:
        resp = self.get("/v1/admin/clock")
        assert resp.status_code == 200, resp.text
        return resp.json()

    def advance(self, seconds: float, expect: int | None = 200):
        resp = self.post("/v1/admin/clock/advance", json={"Seconds": seconds})
        if expect is not None:
            assert resp.status_code == expect, f"advance {seconds}: {resp.status_code} {resp.text}"
        return resp.json() if resp.status_code == 200 else resp

    def interrupt(self, instance_type: str, count: int | None = 1, expect: int | None = 200):
        body = {} if count is None else {"Count": count}
        resp = self.post(f"/v1/admin/capacity/{urllib.parse.quote(instance_type, safe='')}/interrupt",
                         json=body)
        if expect is not None:
            assert resp.status_code == expect, f"interrupt {instance_type}: {resp.status_code} {resp.text}"
        return resp.json() if resp.status_code == 200 else resp

    def update_pool(self, instance_type: str, body: dict, expect: int | None = 200):
        resp = self.put(f"/v1/admin/capacity/{urllib.parse.quote(instance_type, safe='')}", json=body)
        if expect is not None:
            assert resp.status_code == expect, f"update {instance_type}: {resp.status_code} {resp.text}"
        return resp.json() if resp.status_code == 200 else resp

    def fail(self, name: str, expect: int | None = 200):
        resp = self.post(f"/v1/admin/training-jobs/{urllib.parse.quote(name, safe='')}/fail")
        if expect is not None:
            assert resp.status_code == expect, f"fail {name}: {resp.status_code} {resp.text}"
        return resp.json() if resp.status_code == 200 else resp

    def capacity(self) -> dict:
        """GET /v1/capacity as {InstanceType: pool}."""
        resp = self.get("/v1/capacity")
        assert resp.status_code == 200, resp.text
        pools = resp.json()["Pools"]
        return {p["InstanceType"]: p for p in pools}

    def close(self):
        self.session.close()


class TrainyardServer:
    """One `trainyard serve` process. Attributes: url, port, db, proc, workdir, args."""

    def __init__(self, workdir: Path, db: Path, extra_args: list[str], env: dict | None,
                 listen_via_flag: bool = True):
        self.workdir = Path(workdir)
        self.db = Path(db)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_args = list(extra_args)
        self.env_overrides = dict(env or {})
        self.listen_via_flag = listen_via_flag
        self.proc: subprocess.Popen | None = None
        self.stopped_by_test = False  # kill() or terminate() called: teardown leaves it alone
        self._seq = 0
        self.api = ApiClient(self.url)

    # --- process control -------------------------------------------------
    def start(self, wait: bool = True) -> "TrainyardServer":
        if not BINARY.exists():
            pytest.fail(f"{BINARY} does not exist: build it first (make build)")
        args = [str(BINARY), "serve"]
        if self.listen_via_flag:
            args += ["--listen", f"127.0.0.1:{self.port}", "--db", str(self.db)]
        args += ["--log-level", "debug"] + self.extra_args
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRAINYARD_")}
        if not self.listen_via_flag:
            env["TRAINYARD_LISTEN"] = f"127.0.0.1:{self.port}"
            env["TRAINYARD_DB"] = str(self.db)
        env.update(self.env_overrides)
        self.args = args
        self._seq += 1
        self.stdout_path = self.workdir / f"stdout.{self._seq}.log"
        self.stderr_path = self.workdir / f"stderr.{self._seq}.log"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(args, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                         cwd=self.workdir, env=env)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            rc = self.proc.poll()
            if rc is not None:
                self.stopped_by_test = True
                pytest.fail(f"trainyard exited with {rc} during start-up: {' '.join(self.args)}\n"
                            f"stderr:\n{self.stderr}")
            try:
                r = requests.get(self.url + "/healthz", timeout=1)
                if r.status_code == 200:
                    return
                last = f"{r.status_code} {r.text[:200]}"
            except requests.RequestException as e:
                last = repr(e)
            time.sleep(0.03)
        self.stopped_by_test = True
        self.proc.kill()
        self.proc.wait()
        pytest.fail(f"trainyard not ready within {timeout}s (last: {last}): {' '.join(self.args)}\n"
                    f"stderr:\n{self.stderr}")

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """kill -9: no chance to clean up."""
        self.stopped_by_test = True
        self.api.close()
        if self.running:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def terminate(self, sig: int = signal.SIGTERM, timeout: float = SHUTDOWN_TIMEOUT) -> int:
        """Sends SIGTERM (or SIGINT) and returns the exit code; fails if the
        process does not exit within `timeout` seconds."""
        self.stopped_by_test = True
        self.api.close()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"trainyard did not exit within {timeout}s of signal {sig}\nstderr:\n{self.stderr}")

    @property
    def stderr(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except (OSError, AttributeError):
            return ""

    @property
    def stdout(self) -> str:
        try:
            return self.stdout_path.read_text(errors="replace")
        except (OSError, AttributeError):
            return ""

    def __repr__(self):
        return f"<TrainyardServer {self.url} db={self.db}>"


class ServerFactory:
    """start(*extra_args, db=None, env=None) -> TrainyardServer (ready);
    restart(server, sig=SIGKILL) -> a new server on the same db and flags."""

    def __init__(self, base_dir: Path):
        self.base_dir = base_dir
        self.servers: list[TrainyardServer] = []

    def start(self, *extra_args: str, db: Path | str | None = None, env: dict | None = None,
              listen_via_flag: bool = True, wait: bool = True) -> TrainyardServer:
        workdir = Path(tempfile.mkdtemp(prefix="server-", dir=self.base_dir))
        db = Path(db) if db is not None else workdir / "trainyard.db"
        srv = TrainyardServer(workdir, db, list(extra_args), env, listen_via_flag)
        self.servers.append(srv)
        return srv.start(wait=wait)

    def restart(self, srv: TrainyardServer, sig: int = signal.SIGKILL) -> TrainyardServer:
        if sig == signal.SIGKILL:
            srv.kill()
        else:
            rc = srv.terminate(sig)
            assert rc == 0, f"exit code {rc} after signal {sig}\nstderr:\n{srv.stderr}"
        return self.start(*srv.extra_args, db=srv.db, env=srv.env_overrides,
                          listen_via_flag=srv.listen_via_flag)

    def shutdown_all(self) -> list[str]:
        problems = []
        for srv in self.servers:
            if srv.proc is None or srv.stopped_by_test:
                continue
            if srv.proc.poll() is not None:
                problems.append(f"{srv}: exited by itself with {srv.proc.returncode} during the test\n"
                                f"stderr:\n{srv.stderr[-4000:]}")
                continue
            srv.api.close()
            srv.proc.send_signal(signal.SIGTERM)
            try:
                rc = srv.proc.wait(timeout=SHUTDOWN_TIMEOUT)
            except subprocess.TimeoutExpired:
                srv.proc.kill()
                srv.proc.wait()
                problems.append(f"{srv}: did not exit within {SHUTDOWN_TIMEOUT}s of SIGTERM\nstderr:\n"
                                f"{srv.stderr[-4000:]}")
                continue
            if rc != 0:
                problems.append(f"{srv}: exit code {rc} after SIGTERM (graceful shutdown must exit 0)\n"
                                f"stderr:\n{srv.stderr[-4000:]}")
        return problems


@pytest.fixture
def server_factory(tmp_path):
    factory = ServerFactory(tmp_path)
    yield factory
    problems = factory.shutdown_all()
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture
def server(server_factory) -> TrainyardServer:
    # No capacity anywhere: accepted jobs wait (see NO_CAPACITY).
    return server_factory.start("--capacity", str(NO_CAPACITY))


@pytest.fixture
def api(server) -> ApiClient:
    return server.api


@pytest.fixture
def job_request():
    return make_job_request


# --- raw HTTP/1.1 over a socket, for what requests cannot do ----------------

class RawResponse:
    def __init__(self, status: int, reason: str, headers: list[tuple[str, str]], body: bytes):
        self.status = status
        self.status_code = status
        self.reason = reason
        self.header_list = headers
        self.headers = {k.lower(): v for k, v in headers}
        self.content = body

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def json(self):
        return json.loads(self.content)

    def __repr__(self):
        return f"<RawResponse {self.status} {self.content[:200]!r}>"


class RawConnection:
    """A plain TCP connection. send_request() queues (method, path) so that
    read_response() can check pipelined responses in order."""

    def __init__(self, port: int, timeout: float = REQUEST_TIMEOUT):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        self.pending: list[tuple[str, str]] = []

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    @staticmethod
    def build(method: str, path: str, body: bytes | None = None, headers: dict | None = None,
              content_length: int | None = None) -> bytes:
        hdrs = {"Host": "127.0.0.1"}
        if body is not None:
            hdrs["Content-Type"] = "application/json"
            hdrs["Content-Length"] = str(len(body) if content_length is None else content_length)
        hdrs.update(headers or {})
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items()) + "\r\n"
        return head.encode() + (body or b"")

    def send_request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                     content_length: int | None = None) -> None:
        self.pending.append((method, path))
        self.send(self.build(method, path, body, headers, content_length))

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        if not chunk:
            return False
        self.buf += chunk
        return True

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buf:
            if not self._fill():
                raise ConnectionError(f"connection closed before {marker!r}; have {self.buf[:300]!r}")
        idx = self.buf.index(marker) + len(marker)
        out, self.buf = self.buf[:idx], self.buf[idx:]
        return out

    def _read_exact(self, n: int) -> bytes:
        while len(self.buf) < n:
            if not self._fill():
                raise ConnectionError(f"connection closed after {len(self.buf)} of {n} body bytes")
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_response(self, head_request: bool = False, check: bool = True) -> RawResponse:
        while True:
            head = self._read_until(b"\r\n\r\n").decode("iso-8859-1")
            lines = head.split("\r\n")
            parts = lines[0].split(" ", 2)
            assert parts[0].startswith("HTTP/1."), f"bad status line {lines[0]!r}"
            status = int(parts[1])
            reason = parts[2] if len(parts) > 2 else ""
            headers = []
            for line in lines[1:]:
                if line:
                    k, _, v = line.partition(":")
                    headers.append((k.strip(), v.strip()))
            if 100 <= status < 200:
                continue  # interim response, e.g. 100 Continue
            break
        hmap = {k.lower(): v for k, v in headers}
        body = b""
        if head_request or status in (204, 304):
            pass
        elif "chunked" in hmap.get("transfer-encoding", "").lower():
            while True:
                size_line = self._read_until(b"\r\n").decode().strip()
                size = int(size_line.split(";")[0], 16)
                if size == 0:
                    self._read_until(b"\r\n")  # no trailers expected
                    break
                body += self._read_exact(size)
                self._read_exact(2)
        elif "content-length" in hmap:
            body = self._read_exact(int(hmap["content-length"]))
        else:
            while self._fill():
                pass
            body, self.buf = self.buf, b""
        resp = RawResponse(status, reason, headers, body)
        method, path = self.pending.pop(0) if self.pending else ("GET", "")
        if check and path:
            check_response(method, path, status, hmap, body)
        return resp

    def wait_closed(self) -> bytes:
        """Reads until the peer closes; returns what arrived meanwhile.
        A reset counts as closed. Raises socket.timeout if it stays open."""
        got = b""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return self.buf + got
                got += chunk
        except ConnectionResetError:
            return self.buf + got

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


@pytest.fixture
def raw_connect():
    conns: list[RawConnection] = []

    def connect(srv: TrainyardServer, timeout: float = REQUEST_TIMEOUT) -> RawConnection:
        c = RawConnection(srv.port, timeout)
        conns.append(c)
        return c

    yield connect
    for c in conns:
        c.close()


def scenario_job(name, instance_type="ml.p3.2xlarge", *, count=1, work=3600, spot=False,
                 max_runtime=7200, max_wait=None, checkpoint=False, interval=None, on_notice=False,
                 dataset_gb=None, mode="File", retries=None, fallback=False):
    """A CreateTrainingJob request for the scenario tests (SCENARIO_CAPACITY):
    the simulated workload and limits as keywords, the rest valid defaults."""
    hp = {"trainyard.work_seconds": str(work)}
    if interval is not None:
        hp["trainyard.checkpoint_interval_seconds"] = str(interval)
    if on_notice:
        hp["trainyard.checkpoint_on_notice"] = "true"
    if dataset_gb is not None:
        hp["trainyard.dataset_gb"] = str(dataset_gb)
    if fallback:
        hp["trainyard.spot_fallback"] = "on-demand"
    stopping = {"MaxRuntimeInSeconds": max_runtime}
    if max_wait is not None:
        stopping["MaxWaitTimeInSeconds"] = max_wait
    overrides = dict(
        HyperParameters=hp,
        AlgorithmSpecification={"TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1",
                                "TrainingInputMode": mode},
        ResourceConfig={"InstanceType": instance_type, "InstanceCount": count, "VolumeSizeInGB": 50},
        StoppingCondition=stopping,
    )
    if spot:
        overrides["EnableManagedSpotTraining"] = True
    if checkpoint:
        overrides["CheckpointConfig"] = {"S3Uri": f"s3://trainyard-tests/checkpoints/{name}/"}
    if retries is not None:
        overrides["RetryStrategy"] = {"MaximumRetryAttempts": retries}
    return make_job_request(name, **overrides)
