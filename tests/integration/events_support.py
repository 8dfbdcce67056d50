"""Shared by the tests of GET /v1/training-jobs/{TrainingJobName}/events
(test_events.py: the JSON history, restarts, errors; test_event_streams.py:
Server-Sent Events): job requests, a raw-socket stream reader, the fixtures,
and the hand-computed story of a checkpointed spot job interrupted once.

The servers run `--clock manual --static-market` on fixtures/scenario-capacity.json
(interruption rate 0), so nothing happens unless a test asks for it and every
time is exact. The expected histories are computed by hand from the rules
test_engine_scenarios.py lists: a job is placed the moment it fits; Starting
lasts the pool's LaunchSeconds (120 s on ml.p3.2xlarge); Downloading lasts
dataset_gb * 8 / NetworkGbps (50 GB at 10 Gbps: 40 s); a spot notice keeps the
instances 120 s, then the reclaim; Uploading lasts 60 s; Stopping 120 s.

Streams are read over a raw socket (EventStream below) straight from the test:
the server pushes each event as it commits it, so after a command returns,
the test reads up to the id that the JSON history shows last. Every wait is
bounded by a socket timeout that only a broken server reaches.
"""
from __future__ import annotations

import json
import socket
import urllib.parse

import pytest

import openapi_validator
from conftest import SCENARIO_CAPACITY, check_response
from conftest import scenario_job as job  # noqa: F401 (the tests import it from here)

T0 = 1767225600.0  # the manual clock's default start: 2026-01-01T00:00:00Z
SCENARIO = ("--clock", "manual", "--static-market", "--seed", "7", "--capacity", str(SCENARIO_CAPACITY))

P3 = "ml.p3.2xlarge"   # 4 on-demand, 4 spot, launch 120 s, 10 Gbps
G4 = "ml.g4dn.xlarge"  # 2 on-demand, 0 spot: a spot job on it waits for good

STREAM_TIMEOUT = 10.0  # seconds one read of a stream may wait; reached only on a failure
SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8"
FINAL_STATUSES = {"Completed", "Failed", "Stopped"}


def events_path(name: str) -> str:
    return f"/v1/training-jobs/{urllib.parse.quote(name, safe='')}/events"


def events_page(api, name, expect=200, headers=None, **params) -> dict:
    resp = api.get(events_path(name), params=params, headers=headers or {})
    assert resp.status_code == expect, f"{name} {params}: {resp.status_code} {resp.text}"
    assert resp.headers["Content-Type"] == "application/json", resp.headers["Content-Type"]
    return resp.json()


def history(api, name) -> list[dict]:
    """Every event of the job, through NextToken, with MaxResults=1000."""
    out, token = [], None
    for _ in range(1000):
        params = {"MaxResults": 1000}
        if token is not None:
            params["NextToken"] = token
        page = events_page(api, name, **params)
        assert page["TrainingJobName"] == name
        out.extend(page["Events"])
        token = page.get("NextToken")
        if token is None:
            return out
    raise AssertionError("NextToken never ended")


def ids(events) -> list[int]:
    return [e["EventId"] for e in events]


def assert_strictly_increasing(values):
    assert all(a < b for a, b in zip(values, values[1:])), values


def status_changes_match_transitions(events, describe: dict):
    """Every StatusChange event is one SecondaryStatusTransitions entry, in order."""
    changes = [(e["SecondaryStatus"], e["Time"], e["Message"]) for e in events if e["Type"] == "StatusChange"]
    transitions = [(t["Status"], t["StartTime"], t["StatusMessage"])
                   for t in describe["SecondaryStatusTransitions"]]
    assert changes == transitions


# --- reading a stream ---------------------------------------------------------------

class EventStream:
    """GET .../events as a stream over a raw socket. The response head is read
    at once; `status`, `headers` (lower-case names), and for an error `body`
    (JSON, checked against the spec as every response is). Then next_item()
    returns each SSE message as it arrives: ("event", the event JSON) or
    ("comment", its text), and None once the server sent the final chunk."""

    def __init__(self, srv, name: str, query: str = "?follow=true", headers: dict | None = None):
        self.path = events_path(name) + query
        self.sock = socket.create_connection(("127.0.0.1", srv.port), timeout=STREAM_TIMEOUT)
        hdrs = {"Host": f"127.0.0.1:{srv.port}", **(headers or {})}
        request = f"GET {self.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items()) + "\r\n"
        self.sock.sendall(request.encode())
        self._buf = b""
        self._pending = ""      # decoded body not yet parsed into messages
        self.text = ""          # the whole body so far
        self.finished = False   # the final (empty) chunk arrived
        self.items: list[tuple[str, object]] = []
        head = self._read_until(b"\r\n\r\n").decode("iso-8859-1").split("\r\n")
        self.status = int(head[0].split(" ")[1])
        self.headers = {}
        for line in head[1:]:
            if line:
                k, _, v = line.partition(":")
                self.headers[k.strip().lower()] = v.strip()
        self.body = None
        if self.status != 200 or "chunked" not in self.headers.get("transfer-encoding", ""):
            raw = self._read_exact(int(self.headers.get("content-length", "0")))
            self.body = check_response("GET", self.path, self.status, self.headers, raw)
            self.finished = True

    # raw socket
    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"{self.path}: the server closed the stream without its final chunk; "
                                  f"got {self.text[-300:]!r}")
        self._buf += chunk

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self._buf:
            self._fill()
        i = self._buf.index(marker) + len(marker)
        out, self._buf = self._buf[:i], self._buf[i:]
        return out

    def _read_exact(self, n: int) -> bytes:
        while len(self._buf) < n:
            self._fill()
        out, self._buf = self._buf[:n], self._buf[n:]
        return out

    def _read_chunk(self) -> bytes:
        size = int(self._read_until(b"\r\n").split(b";")[0].strip(), 16)
        if size == 0:
            assert self._read_until(b"\r\n") == b"\r\n", "trailers after the final chunk"
            self.finished = True
            return b""
        data = self._read_exact(size)
        assert self._read_exact(2) == b"\r\n", "a chunk not ended by CRLF"
        return data

    # SSE
    def assert_stream_head(self):
        assert self.status == 200, (self.status, self.body)
        h = self.headers
        assert h.get("content-type") == SSE_CONTENT_TYPE, h
        assert h.get("cache-control") == "no-cache", h
        assert h.get("transfer-encoding") == "chunked", h
        assert h.get("connection") == "close", h
        assert "content-length" not in h, h
        assert h.get("x-request-id"), h

    def next_item(self):
        while "\n\n" not in self._pending:
            if self.finished:
                assert self._pending == "", f"a partial message before the end: {self._pending!r}"
                return None
            data = self._read_chunk().decode("utf-8")
            self._pending += data
            self.text += data
        block, self._pending = self._pending.split("\n\n", 1)
        lines = block.split("\n")
        if all(line.startswith(":") for line in lines):
            item = ("comment", "\n".join(line[1:].strip() for line in lines))
        else:
            assert len(lines) == 3 and lines[0].startswith("id: ") and lines[1].startswith("event: ") \
                and lines[2].startswith("data: "), f"not an id/event/data message: {block!r}"
            event = json.loads(lines[2][len("data: "):])
            openapi_validator.validate_schema("TrainingJobEvent", event)
            assert lines[0] == f"id: {event['EventId']}", block
            assert lines[1] == f"event: {event['Type']}", block
            item = ("event", event)
        self.items.append(item)
        return item

    def next_event(self) -> dict:
        """The next event; heartbeats (allowed at any silence) are skipped."""
        while True:
            item = self.next_item()
            assert item is not None, f"the stream ended; expected an event. Got {self.items!r}"
            kind, value = item
            if kind == "event":
                return value
            assert value == "heartbeat", f"unexpected comment {value!r}"

    def events_through(self, last_id: int) -> list[dict]:
        """Events up to and including the one with id `last_id`."""
        out = []
        while not out or out[-1]["EventId"] < last_id:
            out.append(self.next_event())
        assert out[-1]["EventId"] == last_id, (last_id, ids(out))
        return out

    def read_to_end(self) -> list:
        """Every item up to the final chunk; then the server must close the
        connection. The whole body is checked against the spec."""
        out = []
        while (item := self.next_item()) is not None:
            out.append(item)
        self.assert_closed()
        openapi_validator.validate("GET", self.path, 200, self.text, headers=self.headers)
        return out

    def assert_closed(self):
        try:
            rest = self.sock.recv(65536)
        except ConnectionResetError:
            rest = b""
        assert self._buf + rest == b"", f"bytes after the final chunk: {self._buf + rest!r}"

    def received_events(self) -> list[dict]:
        return [v for k, v in self.items if k == "event"]

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def comments(items) -> list[str]:
    return [v for k, v in items if k == "comment"]


@pytest.fixture
def open_stream():
    streams: list[EventStream] = []

    def open_(srv, name, query="?follow=true", headers=None, expect_stream=True) -> EventStream:
        s = EventStream(srv, name, query, headers)
        streams.append(s)
        if expect_stream:
            s.assert_stream_head()
        return s

    yield open_
    for s in streams:
        s.close()


@pytest.fixture
def sim(server_factory):
    srv = server_factory.start(*SCENARIO)
    assert srv.api.clock()["Now"] == T0
    return srv


@pytest.fixture
def api(sim):
    """Overrides conftest's `api` (no capacity) in this module."""
    return sim.api


# --- the story of a checkpointed spot job interrupted once -------------------------

def spot_story_job(name="spot-story"):
    return job(name, spot=True, count=2, max_runtime=7200, max_wait=14400, checkpoint=True,
               interval=600, dataset_gb=50)


def run_spot_story(api, name="spot-story"):
    """Created at T0, placed at once; the notice at T0+1500; then runs to the end."""
    api.create(spot_story_job(name))
    api.advance(1500)
    assert api.interrupt(P3, 1) == {"InstanceType": P3, "InstancesNoticed": 2}
    api.advance(10000)


def where(market="Spot", itype=P3, count=2):
    return {"Market": market, "InstanceType": itype, "InstanceCount": count}


# (Type, SecondaryStatus, TrainingJobStatus, Attempt, Time - T0, other members)
# Attempt 1: placed at 0, Starting 120 s, Downloading 40 s, Training from 160;
# checkpoints every 600 training seconds; the notice at 1500 (1340 s trained),
# the reclaim at 1620 (1460 s trained, 260 s past the 1200 s checkpoint lost).
# Attempt 2: placed at once at 1620, Training from 1780 resuming at 1200 s;
# 2400 s to go, so the last checkpoint and Uploading at 4180, Completed at 4240.
SPOT_STORY = [
    ("StatusChange", "Pending", "InProgress", 0, 0, {}),
    ("Placement", "Pending", "InProgress", 1, 0,
     dict(where(), ProgressSeconds=0, Message="Attempt 1 placed on 2 ml.p3.2xlarge spot instances")),
    ("StatusChange", "Starting", "InProgress", 1, 0, {}),
    ("StatusChange", "Downloading", "InProgress", 1, 120, {}),
    ("StatusChange", "Training", "InProgress", 1, 160, {}),
    ("Checkpoint", "Training", "InProgress", 1, 760,
     dict(ProgressSeconds=600, Message="Checkpoint saved at 600 s of 3600 s")),
    ("Checkpoint", "Training", "InProgress", 1, 1360,
     dict(ProgressSeconds=1200, Message="Checkpoint saved at 1200 s of 3600 s")),
    ("InterruptionNotice", "Training", "InProgress", 1, 1500,
     dict(where(), ProgressSeconds=1340,
          Message="Spot interruption notice: the instances are reclaimed in 120 s")),
    ("Reclaim", "Training", "InProgress", 1, 1620,
     dict(where(), ProgressSeconds=1460,
          Message="Spot instances reclaimed after 1460 s of training; 260 s of it lost")),
    ("StatusChange", "Interrupted", "InProgress", 1, 1620, {}),
    ("StatusChange", "Pending", "InProgress", 1, 1620, {}),
    ("Placement", "Pending", "InProgress", 2, 1620,
     dict(where(), ProgressSeconds=1200, Message="Attempt 2 placed on 2 ml.p3.2xlarge spot instances")),
    ("StatusChange", "Starting", "InProgress", 2, 1620, {}),
    ("StatusChange", "Downloading", "InProgress", 2, 1740, {}),
    ("StatusChange", "Training", "InProgress", 2, 1780, {}),
    ("Checkpoint", "Training", "InProgress", 2, 2380,
     dict(ProgressSeconds=1800, Message="Checkpoint saved at 1800 s of 3600 s")),
    ("Checkpoint", "Training", "InProgress", 2, 2980,
     dict(ProgressSeconds=2400, Message="Checkpoint saved at 2400 s of 3600 s")),
    ("Checkpoint", "Training", "InProgress", 2, 3580,
     dict(ProgressSeconds=3000, Message="Checkpoint saved at 3000 s of 3600 s")),
    # The checkpoint at 3600 s falls on the end of training.
    ("Checkpoint", "Training", "InProgress", 2, 4180,
     dict(ProgressSeconds=3600, Message="Checkpoint saved at 3600 s of 3600 s")),
    ("StatusChange", "Uploading", "InProgress", 2, 4180, {}),
    ("StatusChange", "Completed", "Completed", 2, 4240, {"Message": "Training job completed"}),
]

OPTIONAL_MEMBERS = ("Market", "InstanceType", "InstanceCount", "ProgressSeconds")


def assert_story(events, expected, name):
    got = [(e["Type"], e["SecondaryStatus"], e["TrainingJobStatus"], e["Attempt"], e["Time"] - T0)
           for e in events]
    assert got == [row[:5] for row in expected]
    for e, (*_, extra) in zip(events, expected):
        assert e["TrainingJobName"] == name
        for member in OPTIONAL_MEMBERS:
            assert (member in extra) == (member in e), (member, e)
        for member, value in extra.items():
            assert e[member] == value, (member, e)
