"""HTTP/1.1 behaviour of the server: routing errors, keep-alive, pipelining,
limits, slow and broken clients, graceful shutdown, and the command line."""
from __future__ import annotations

import json
import signal
import socket
import subprocess
import threading

import pytest
import requests

from conftest import BINARY, RawConnection, free_port, job_arn


def test_unknown_path_is_404_not_found(api):
    for path in ("/nope", "/v1/training-job", "/v1/training-jobs/a/b/c", "/v2/training-jobs"):
        resp = api.get(path)
        assert resp.status_code == 404, path
        assert resp.json()["__type"] == "NotFound", path


@pytest.mark.parametrize("method,path,allowed", [
    ("DELETE", "/v1/training-jobs", {"GET", "POST"}),
    ("PUT", "/v1/training-jobs", {"GET", "POST"}),
    ("DELETE", "/v1/training-jobs/some-job", {"GET"}),
    ("POST", "/v1/training-jobs/some-job", {"GET"}),
    ("GET", "/v1/training-jobs/some-job/stop", {"POST"}),
    ("POST", "/healthz", {"GET"}),
])
def test_wrong_method_is_405_with_allow(api, method, path, allowed):
    resp = api.request(method, path)
    assert resp.status_code == 405, resp.text
    assert resp.json()["__type"] == "MethodNotAllowed"
    allow = {m.strip() for m in resp.headers.get("Allow", "").split(",") if m.strip()}
    # HEAD and OPTIONS may come with GET; the route's own methods must be there.
    assert allowed <= allow, f"Allow: {resp.headers.get('Allow')!r}"
    assert not ({"DELETE", "PUT", "PATCH"} - allowed) & allow


def test_json_responses_declare_json(api, job_request):
    api.create(job_request("ct-job"))
    for resp in (api.get("/healthz"), api.describe("ct-job"), api.list(), api.get("/nope")):
        assert resp.headers["Content-Type"].split(";")[0].strip() == "application/json"


def test_keep_alive_on_a_session(api, job_request):
    # A session reuses its connection; every request on it must be answered.
    for i in range(5):
        api.create(job_request(f"session-{i}"))
        assert api.describe(f"session-{i}").json()["TrainingJobName"] == f"session-{i}"
    assert len(api.list().json()["TrainingJobSummaries"]) == 5
    assert api.get("/nope").status_code == 404  # an error does not break the connection
    assert api.get("/healthz").status_code == 200


def test_keep_alive_on_one_socket(server, raw_connect, job_request):
    conn = raw_connect(server)
    body = json.dumps(job_request("one-socket")).encode()
    conn.send_request("POST", "/v1/training-jobs", body)
    r1 = conn.read_response()
    assert r1.status == 201, r1
    assert (r1.header("Connection") or "").lower() != "close"
    conn.send_request("GET", "/v1/training-jobs/one-socket")
    r2 = conn.read_response()
    assert r2.status == 200 and r2.json()["TrainingJobName"] == "one-socket"
    conn.send_request("GET", "/v1/training-jobs/missing-job")
    r3 = conn.read_response()
    assert r3.status == 404
    conn.send_request("GET", "/healthz")
    assert conn.read_response().status == 200


def test_pipelined_requests_are_answered_in_order(server, raw_connect, job_request):
    conn = raw_connect(server)
    create = RawConnection.build("POST", "/v1/training-jobs", json.dumps(job_request("piped")).encode())
    describe = RawConnection.build("GET", "/v1/training-jobs/piped")
    missing = RawConnection.build("GET", "/v1/training-jobs/not-there")
    health = RawConnection.build("GET", "/healthz")
    conn.pending += [("POST", "/v1/training-jobs"), ("GET", "/v1/training-jobs/piped"),
                     ("GET", "/v1/training-jobs/not-there"), ("GET", "/healthz")]
    conn.send(create + describe + missing + health)  # one write, four requests
    r1, r2, r3, r4 = (conn.read_response() for _ in range(4))
    assert r1.status == 201 and r1.json() == {"TrainingJobArn": job_arn("piped")}
    assert r2.status == 200 and r2.json()["TrainingJobName"] == "piped"
    assert r3.status == 404 and r3.json()["__type"] == "ResourceNotFound"
    assert r4.status == 200 and r4.json() == {"status": "ok"}


def test_pipelined_gets(server, raw_connect, job_request):
    server.api.create(job_request("pipe-a"))
    server.api.create(job_request("pipe-b"))
    conn = raw_connect(server)
    conn.pending += [("GET", "/v1/training-jobs/pipe-a"), ("GET", "/v1/training-jobs/pipe-b")]
    conn.send(RawConnection.build("GET", "/v1/training-jobs/pipe-a")
              + RawConnection.build("GET", "/v1/training-jobs/pipe-b"))
    assert conn.read_response().json()["TrainingJobName"] == "pipe-a"
    assert conn.read_response().json()["TrainingJobName"] == "pipe-b"


def test_connection_close_is_honoured(server, raw_connect):
    conn = raw_connect(server)
    conn.send_request("GET", "/healthz", headers={"Connection": "close"})
    assert conn.read_response().status == 200
    assert conn.wait_closed() == b""


def test_http_1_0_request(server, raw_connect):
    conn = raw_connect(server)
    conn.pending.append(("GET", "/healthz"))
    conn.send(b"GET /healthz HTTP/1.0\r\n\r\n")
    resp = conn.read_response()
    assert resp.status == 200 and resp.json() == {"status": "ok"}
    assert conn.wait_closed() == b""


def test_chunked_request_body(server, raw_connect, job_request):
    body = json.dumps(job_request("chunked-job")).encode()
    half = len(body) // 2
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (body[:half], body[half:])) + b"0\r\n\r\n"
    conn = raw_connect(server)
    conn.pending.append(("POST", "/v1/training-jobs"))
    conn.send(b"POST /v1/training-jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n" + chunks)
    resp = conn.read_response()
    assert resp.status == 201, resp
    assert server.api.describe("chunked-job").json()["TrainingJobName"] == "chunked-job"


def test_headers_over_8k_are_431(api):
    resp = api.get("/healthz", headers={"X-Padding": "a" * 9000})
    assert resp.status_code == 431, resp.text
    assert resp.json()["__type"] == "RequestHeaderFieldsTooLarge"
    assert requests.get(api.base_url + "/healthz", timeout=5).status_code == 200


def test_many_headers_over_8k_are_431(api, job_request):
    headers = {f"X-H{i}": "v" * 100 for i in range(100)}
    resp = api.post("/v1/training-jobs", json=job_request("header-heavy"), headers=headers)
    assert resp.status_code == 431, resp.text
    api.describe("header-heavy", expect=404)


def test_garbage_request_gets_400_and_the_server_lives(server, raw_connect):
    for garbage in (b"HELLO\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"\x00\x01\x02\xff\r\n\r\n",
                    b"GET /healthz HTTP/1.1\r\nContent-Length: -5\r\n\r\n"):
        conn = raw_connect(server)
        conn.send(garbage)
        try:
            resp = conn.read_response(check=False)
            assert 400 <= resp.status < 500, (garbage, resp)
        except (ConnectionError, OSError):
            pass  # closing the connection is also fine
        conn.close()
        assert server.api.get("/healthz").status_code == 200


def test_truncated_body_then_close_creates_nothing(server, raw_connect, job_request):
    body = json.dumps(job_request("truncated-job")).encode()
    conn = raw_connect(server)
    # The whole JSON document arrives, but Content-Length promised more.
    conn.send(RawConnection.build("POST", "/v1/training-jobs", body, content_length=len(body) + 100))
    assert server.api.get("/healthz").status_code == 200
    conn.sock.shutdown(socket.SHUT_WR)
    try:
        leftover = conn.wait_closed()
    except socket.timeout:
        pytest.fail("server kept a half-closed connection with a truncated body open")
    assert b" 201 " not in leftover
    conn.close()
    server.api.describe("truncated-job", expect=404)
    assert server.api.list().json()["TrainingJobSummaries"] == []


def test_truncated_body_does_not_block_others(server, raw_connect, job_request):
    body = json.dumps(job_request("stalled-job")).encode()
    conn = raw_connect(server)
    conn.send(RawConnection.build("POST", "/v1/training-jobs", body[:40], content_length=len(body)))
    # While that client stalls mid-body, others are served, writes included.
    other = server.api
    other.create(job_request("meanwhile"))
    assert other.describe("meanwhile").json()["TrainingJobStatus"] == "InProgress"
    assert names_of_all(other) == ["meanwhile"]
    conn.close()
    assert other.get("/healthz").status_code == 200
    other.describe("stalled-job", expect=404)


def names_of_all(api):
    return [s["TrainingJobName"] for s in api.list_all(MaxResults=100)]


def test_idle_timeout_drops_a_slow_client(server_factory, raw_connect, job_request):
    srv = server_factory.start("--idle-timeout", "1")
    slow_line = raw_connect(srv, timeout=15)
    slow_line.send(b"GET /healt")  # a partial request line
    slow_headers = raw_connect(srv, timeout=15)
    slow_headers.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # partial headers
    slow_body = raw_connect(srv, timeout=15)
    body = json.dumps(job_request("slow-body")).encode()
    slow_body.send(RawConnection.build("POST", "/v1/training-jobs", body[:50], content_length=len(body)))

    # Meanwhile other clients are served.
    srv.api.create(job_request("served-meanwhile"))
    assert srv.api.get("/healthz").status_code == 200

    for conn in (slow_line, slow_headers, slow_body):
        try:
            got = conn.wait_closed()
        except socket.timeout:
            pytest.fail("a client that never finished its request was not disconnected")
        # Closing silently or with a 408 are both fine; a success is not.
        assert not got or got.startswith(b"HTTP/1.1 408") or got.startswith(b"HTTP/1.1 400"), got[:200]
    srv.api.describe("slow-body", expect=404)
    assert names_of_all(srv.api) == ["served-meanwhile"]


def test_idle_timeout_closes_an_idle_keep_alive_connection(server_factory, raw_connect):
    srv = server_factory.start("--idle-timeout", "1")
    conn = raw_connect(srv, timeout=15)
    conn.send_request("GET", "/healthz")
    assert conn.read_response().status == 200
    try:
        assert conn.wait_closed() == b""
    except socket.timeout:
        pytest.fail("an idle keep-alive connection outlived the idle timeout")


# --- shutdown ---------------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_exits_0_despite_open_connections(server_factory, raw_connect, sig):
    srv = server_factory.start()  # default idle timeout: 60 s, longer than the shutdown bound
    idle = raw_connect(srv)
    idle.send_request("GET", "/healthz")
    assert idle.read_response().status == 200
    partial = raw_connect(srv)
    partial.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    assert srv.terminate(sig) == 0, srv.stderr[-3000:]
    with pytest.raises(requests.ConnectionError):
        requests.get(srv.url + "/healthz", timeout=2)


def test_shutdown_finishes_a_request_in_flight(server_factory, raw_connect, job_request):
    srv = server_factory.start()
    conn = raw_connect(srv)
    # A first exchange proves the server has accepted this connection.
    conn.send_request("GET", "/healthz")
    assert conn.read_response().status == 200
    body = json.dumps(job_request("in-flight")).encode()
    conn.send_request("POST", "/v1/training-jobs", body[:30], content_length=len(body))
    # The request is in flight when the signal arrives; the rest of it follows.
    srv.proc.send_signal(signal.SIGTERM)
    conn.send(body[30:])
    resp = conn.read_response()
    assert resp.status == 201, resp
    assert srv.terminate() == 0, srv.stderr[-3000:]
    # What the client was told was committed.
    again = server_factory.start(db=srv.db)
    assert again.api.describe("in-flight").json()["TrainingJobName"] == "in-flight"


# --- command line -------------------------------------------------------------

def test_version_command():
    out = subprocess.run([str(BINARY), "version"], capture_output=True, text=True, timeout=10)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()
    assert any(ch.isdigit() for ch in out.stdout)


def test_flags_from_environment(server_factory, job_request):
    srv = server_factory.start(listen_via_flag=False)  # TRAINYARD_LISTEN and TRAINYARD_DB
    srv.api.create(job_request("env-configured"))
    assert srv.api.describe("env-configured").status_code == 200
    assert srv.db.exists()


def test_env_sets_other_flags(server_factory, job_request):
    srv = server_factory.start(env={"TRAINYARD_REGION": "ap-southeast-2", "TRAINYARD_ACCOUNT_ID": "210987654321"})
    resp = srv.api.create(job_request("env-arn"))
    assert resp.json()["TrainingJobArn"] == job_arn("env-arn", "ap-southeast-2", "210987654321")


def test_json_log_format(server_factory, job_request):
    srv = server_factory.start("--log-format", "json")
    srv.api.create(job_request("logged"))
    srv.api.get("/nope")
    assert srv.terminate() == 0
    lines = [ln for ln in srv.stderr.splitlines() + srv.stdout.splitlines() if ln.strip()]
    assert lines, "no log lines at --log-level debug"
    for ln in lines:
        assert isinstance(json.loads(ln), dict), ln


def test_bad_flag_exits_non_zero(tmp_path):
    port = free_port()
    out = subprocess.run([str(BINARY), "serve", "--listen", f"127.0.0.1:{port}", "--db", str(tmp_path / "x.db"),
                          "--log-level", "loud"], capture_output=True, text=True, timeout=10)
    assert out.returncode != 0
    assert "log-level" in (out.stderr + out.stdout)


def test_port_in_use_exits_non_zero(server, tmp_path):
    out = subprocess.run([str(BINARY), "serve", "--listen", f"127.0.0.1:{server.port}",
                          "--db", str(tmp_path / "other.db")], capture_output=True, text=True, timeout=10)
    assert out.returncode != 0
    assert server.api.get("/healthz").status_code == 200


def test_concurrent_clients(server, job_request):
    errors = []

    def worker(i):
        try:
            s = requests.Session()
            for j in range(10):
                r = s.get(server.url + "/healthz", timeout=10)
                assert r.status_code == 200
            r = s.post(server.url + "/v1/training-jobs", json=job_request(f"worker-{i}"), timeout=10)
            assert r.status_code == 201, r.text
            s.close()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(server.api.list_all(MaxResults=100)) == 20
