"""GET /v1/training-jobs/{TrainingJobName}/events: a job's history as JSON
pages and as a Server-Sent Events stream, against the real binary.

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
from conftest import NO_CAPACITY, SCENARIO_CAPACITY, check_response, make_job_request

T0 = 1767225600.0  # the manual clock's default start: 2026-01-01T00:00:00Z
SCENARIO = ("--clock", "manual", "--static-market", "--seed", "7", "--capacity", str(SCENARIO_CAPACITY))

P3 = "ml.p3.2xlarge"   # 4 on-demand, 4 spot, launch 120 s, 10 Gbps
G4 = "ml.g4dn.xlarge"  # 2 on-demand, 0 spot: a spot job on it waits for good

STREAM_TIMEOUT = 10.0  # seconds one read of a stream may wait; reached only on a failure
SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8"
FINAL_STATUSES = {"Completed", "Failed", "Stopped"}


def job(name, instance_type=P3, *, count=1, work=3600, spot=False, max_runtime=7200, max_wait=None,
        checkpoint=False, interval=None, dataset_gb=None):
    hp = {"trainyard.work_seconds": str(work)}
    if interval is not None:
        hp["trainyard.checkpoint_interval_seconds"] = str(interval)
    if dataset_gb is not None:
        hp["trainyard.dataset_gb"] = str(dataset_gb)
    stopping = {"MaxRuntimeInSeconds": max_runtime}
    if max_wait is not None:
        stopping["MaxWaitTimeInSeconds"] = max_wait
    overrides = dict(
        HyperParameters=hp,
        AlgorithmSpecification={"TrainingImage": "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1",
                                "TrainingInputMode": "File"},
        ResourceConfig={"InstanceType": instance_type, "InstanceCount": count, "VolumeSizeInGB": 50},
        StoppingCondition=stopping,
    )
    if spot:
        overrides["EnableManagedSpotTraining"] = True
    if checkpoint:
        overrides["CheckpointConfig"] = {"S3Uri": f"s3://trainyard-tests/checkpoints/{name}/"}
    return make_job_request(name, **overrides)


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


def test_spot_job_interrupted_once_has_the_whole_story_in_order(api):
    run_spot_story(api)
    page = events_page(api, "spot-story")
    assert set(page) == {"TrainingJobName", "Events"}, page  # all 20 fit in the default 100
    events = page["Events"]
    assert_story(events, SPOT_STORY, "spot-story")
    assert events[0]["EventId"] > 0
    assert_strictly_increasing(ids(events))
    d = api.describe("spot-story").json()
    assert (d["TrainingJobStatus"], d["SecondaryStatus"]) == ("Completed", "Completed")
    status_changes_match_transitions(events, d)
    assert [a["AttemptNumber"] for a in d["Attempts"]] == [1, 2]
    # The first StatusChange is the Pending one, before any placement.
    assert events[0]["Message"] == d["SecondaryStatusTransitions"][0]["StatusMessage"]


def test_paging_two_at_a_time_gives_the_same_list_as_one_page(api):
    run_spot_story(api)
    whole = events_page(api, "spot-story", MaxResults=1000)["Events"]
    assert len(whole) == len(SPOT_STORY)
    paged, token, pages = [], None, 0
    while True:
        params = {"MaxResults": 2} if token is None else {"MaxResults": 2, "NextToken": token}
        page = events_page(api, "spot-story", **params)
        pages += 1
        assert page["TrainingJobName"] == "spot-story"
        assert 1 <= len(page["Events"]) <= 2, page
        paged.extend(page["Events"])
        if "NextToken" not in page:
            break
        # The token is the last EventId of the page, in decimal.
        assert page["NextToken"] == str(page["Events"][-1]["EventId"])
        token = page["NextToken"]
    assert paged == whole
    assert pages == (len(whole) + 1) // 2  # the last page holds what is left
    # Exactly as many as asked: no NextToken; one fewer: a token and one more page.
    n = len(whole)
    assert "NextToken" not in events_page(api, "spot-story", MaxResults=n)
    short = events_page(api, "spot-story", MaxResults=n - 1)
    assert short["Events"] == whole[:-1] and short["NextToken"] == str(whole[-2]["EventId"])
    rest = events_page(api, "spot-story", MaxResults=n - 1, NextToken=short["NextToken"])
    assert rest == {"TrainingJobName": "spot-story", "Events": whole[-1:]}
    # Past the last event: an empty page; from 0: everything.
    assert events_page(api, "spot-story", NextToken=str(whole[-1]["EventId"])) == \
        {"TrainingJobName": "spot-story", "Events": []}
    assert events_page(api, "spot-story", NextToken="0")["Events"] == whole
    # Any id is a token: the events after it.
    mid = whole[7]["EventId"]
    assert events_page(api, "spot-story", NextToken=str(mid))["Events"] == whole[8:]


def test_a_token_from_a_running_job_later_shows_what_happened_since(api):
    api.create(job("later"))
    first = events_page(api, "later")
    assert [(e["Type"], e["SecondaryStatus"]) for e in first["Events"]] == \
        [("StatusChange", "Pending"), ("Placement", "Pending"), ("StatusChange", "Starting")]
    assert first["Events"][1]["Market"] == "OnDemand"
    assert "NextToken" not in first
    last = str(first["Events"][-1]["EventId"])
    assert events_page(api, "later", NextToken=last)["Events"] == []
    api.advance(120)
    since = events_page(api, "later", NextToken=last)["Events"]
    assert [(e["Type"], e["SecondaryStatus"], e["Time"] - T0) for e in since] == \
        [("StatusChange", "Training", 120)]
    assert since[0]["EventId"] > int(last)


def test_event_ids_increase_over_all_jobs_in_commit_order(api):
    api.create(job("first-job"))            # placed at once: 3 events
    api.create(job("second-job", spot=True, max_wait=14400))  # 3 more, after them
    api.advance(120)                        # both start training, in creation order
    a, b = history(api, "first-job"), history(api, "second-job")
    assert [e["SecondaryStatus"] for e in a] == ["Pending", "Pending", "Starting", "Training"]
    assert [e["SecondaryStatus"] for e in b] == ["Pending", "Pending", "Starting", "Training"]
    # Creation order: all of first-job's first three before second-job's.
    assert max(ids(a[:3])) < min(ids(b[:3]))
    # Then the clock move: both Training events after everything before it.
    assert max(ids(a[:3] + b[:3])) < min(a[3]["EventId"], b[3]["EventId"])
    every = ids(a) + ids(b)
    assert len(set(every)) == len(every)


def test_a_job_that_hits_max_wait_while_pending_tells_the_limit(api):
    # No spot capacity on ml.g4dn.xlarge: it waits until MaxWaitTimeInSeconds.
    api.create(job("never-placed", G4, spot=True, max_runtime=1800, max_wait=3600))
    api.advance(4000)
    events = history(api, "never-placed")
    assert [(e["Type"], e["SecondaryStatus"], e["TrainingJobStatus"], e["Attempt"], e["Time"] - T0)
            for e in events] == [
        ("StatusChange", "Pending", "InProgress", 0, 0),
        ("LimitReached", "Pending", "InProgress", 0, 3600),
        ("StatusChange", "MaxWaitTimeExceeded", "Stopped", 0, 3600),
    ]
    assert events[1]["Message"].startswith("MaxWaitTimeInSeconds (3600 s) reached"), events[1]
    assert not any(m in e for e in events for m in OPTIONAL_MEMBERS)
    status_changes_match_transitions(events, api.describe("never-placed").json())


def test_stream_of_a_job_stopped_by_its_max_wait_ends_after_it(sim, api, open_stream):
    api.create(job("wait-limit", G4, spot=True, max_runtime=1800, max_wait=3600))
    s = open_stream(sim, "wait-limit")
    assert s.next_event()["SecondaryStatus"] == "Pending"
    api.advance(3600)
    rest = [v for _, v in s.read_to_end()]
    assert [(e["Type"], e["SecondaryStatus"], e["TrainingJobStatus"]) for e in rest] == \
        [("LimitReached", "Pending", "InProgress"), ("StatusChange", "MaxWaitTimeExceeded", "Stopped")]


def test_retries_and_a_final_failure(sim, api, open_stream):
    req = job("flaky")
    req["RetryStrategy"] = {"MaximumRetryAttempts": 1}
    api.create(req)
    api.advance(600)  # Training since 120: 480 s done
    s = open_stream(sim, "flaky")
    s.events_through(history(api, "flaky")[-1]["EventId"])
    api.fail("flaky")  # retried on the same instances, from 0 (no checkpoints)
    api.advance(300)   # Starting 120 s, then 180 s of training
    api.fail("flaky")  # no retries left
    rest = [v for _, v in s.read_to_end()]
    stored = history(api, "flaky")
    assert stored[-len(rest):] == rest
    assert [(e["Type"], e["SecondaryStatus"], e["TrainingJobStatus"], e["Attempt"], e["Time"] - T0,
             e.get("ProgressSeconds")) for e in stored] == [
        ("StatusChange", "Pending", "InProgress", 0, 0, None),
        ("Placement", "Pending", "InProgress", 1, 0, 0),
        ("StatusChange", "Starting", "InProgress", 1, 0, None),
        ("StatusChange", "Training", "InProgress", 1, 120, None),
        ("Retry", "Training", "InProgress", 2, 600, 480),
        ("StatusChange", "Starting", "InProgress", 2, 600, None),
        ("StatusChange", "Training", "InProgress", 2, 720, None),
        ("StatusChange", "Failed", "Failed", 2, 900, None),
    ]
    assert stored[4]["Message"] == "Retry 1 of 1 after an internal error in attempt 1, on the same instances"
    assert not any(m in stored[4] for m in ("Market", "InstanceType", "InstanceCount"))
    status_changes_match_transitions(stored, api.describe("flaky").json())


# --- follow mode -------------------------------------------------------------------

def test_follow_streams_events_as_they_happen_and_ends_after_completed(sim, api, open_stream):
    api.create(spot_story_job("live"))
    s = open_stream(sim, "live")
    got = s.events_through(history(api, "live")[-1]["EventId"])  # the stored history: 3 events
    assert [(e["Type"], e["SecondaryStatus"]) for e in got] == \
        [("StatusChange", "Pending"), ("Placement", "Pending"), ("StatusChange", "Starting")]
    api.advance(1500)
    got += s.events_through(history(api, "live")[-1]["EventId"])
    assert got[-1]["Type"] == "Checkpoint" and got[-1]["ProgressSeconds"] == 1200
    api.interrupt(P3, 1)
    notice = s.next_event()
    assert (notice["Type"], notice["Time"] - T0) == ("InterruptionNotice", 1500)
    got.append(notice)
    api.advance(10000)
    rest = s.read_to_end()
    assert comments(rest) == []
    got += [v for k, v in rest if k == "event"]
    assert got[-1]["Type"] == "StatusChange" and got[-1]["SecondaryStatus"] == "Completed"
    # Exactly the JSON history: no duplicate, no gap.
    stored = history(api, "live")
    assert got == stored
    assert_story(got, SPOT_STORY, "live")


def test_last_event_id_resumes_exactly_after_it(sim, api, open_stream):
    run_spot_story(api)
    stored = history(api, "spot-story")
    for i in [0, 1, 9, len(stored) - 2]:
        after = stored[i]["EventId"]
        s = open_stream(sim, "spot-story", headers={"Last-Event-ID": str(after)})
        items = s.read_to_end()
        assert items == [("event", e) for e in stored[i + 1:]], after
    # After the final event: nothing more will come, so 204 No Content, which
    # tells an EventSource to stop reconnecting.
    s = open_stream(sim, "spot-story", headers={"Last-Event-ID": str(stored[-1]["EventId"])},
                    expect_stream=False)
    assert s.status == 204
    assert "content-type" not in s.headers
    # Last-Event-ID 0: from the first.
    s = open_stream(sim, "spot-story", headers={"Last-Event-ID": "0"})
    assert [v for _, v in s.read_to_end()] == stored


def test_last_event_id_on_a_running_job_then_live_events(sim, api, open_stream):
    api.create(job("resume-live", checkpoint=True, interval=600))
    api.advance(800)  # Training from 120, a checkpoint at 720
    stored = history(api, "resume-live")
    assert [e["Type"] for e in stored][-2:] == ["StatusChange", "Checkpoint"]
    s = open_stream(sim, "resume-live", headers={"Last-Event-ID": str(stored[1]["EventId"])})
    assert s.events_through(stored[-1]["EventId"]) == stored[2:]
    api.advance(5000)
    rest = [v for _, v in s.read_to_end()]
    assert stored + rest == history(api, "resume-live")
    assert rest[-1]["SecondaryStatus"] == "Completed"


def test_accept_event_stream_asks_for_the_stream(sim, api, open_stream):
    run_spot_story(api)
    stored = history(api, "spot-story")
    s = open_stream(sim, "spot-story", query="", headers={"Accept": "text/event-stream"})
    assert [v for _, v in s.read_to_end()] == stored
    s = open_stream(sim, "spot-story", query="",
                    headers={"Accept": "text/event-stream", "Last-Event-ID": str(stored[-3]["EventId"])})
    assert [v for _, v in s.read_to_end()] == stored[-2:]
    # An explicit follow=false wins over the Accept header: the JSON page.
    page = events_page(api, "spot-story", follow="false", headers={"Accept": "text/event-stream"})
    assert page["Events"] == stored
    # follow=false and no such Accept: JSON, and Last-Event-ID is ignored.
    page = events_page(api, "spot-story", follow="false", headers={"Last-Event-ID": "5"})
    assert page["Events"] == stored


def test_heartbeat_on_an_idle_stream(server_factory, open_stream):
    srv = server_factory.start(*SCENARIO, "--heartbeat", "0.2")
    api = srv.api
    api.create(job("idle"))
    s = open_stream(srv, "idle")
    assert [s.next_item()[0] for _ in range(3)] == ["event"] * 3  # the history
    # Nothing happens on a manual clock: only heartbeats, as long as it is idle.
    assert s.next_item() == ("comment", "heartbeat")
    assert s.next_item() == ("comment", "heartbeat")
    api.advance(120)
    event = s.next_event()
    assert (event["SecondaryStatus"], event["Time"] - T0) == ("Training", 120)
    assert s.next_item() == ("comment", "heartbeat")
    assert "\n: heartbeat\n\n" in s.text
    api.advance(4000)
    rest = s.read_to_end()
    events = s.received_events()
    assert events == history(api, "idle")
    assert [v for k, v in rest if k == "event"][-1]["SecondaryStatus"] == "Completed"
    assert set(comments(rest)) <= {"heartbeat"}


def test_stream_of_a_finished_job_sends_its_history_and_ends(sim, api, open_stream):
    run_spot_story(api)
    stored = history(api, "spot-story")
    s = open_stream(sim, "spot-story")
    items = s.read_to_end()
    assert items == [("event", e) for e in stored]
    assert s.text == "".join(
        f"id: {e['EventId']}\nevent: {e['Type']}\ndata: {json.dumps(e, separators=(',', ':'), sort_keys=True)}\n\n"
        for e in stored)


def test_stream_of_a_stopped_running_job_ends_after_stopped(sim, api, open_stream):
    api.create(job("stop-running"))
    api.advance(300)  # Training since 120
    s = open_stream(sim, "stop-running")
    before = s.events_through(history(api, "stop-running")[-1]["EventId"])
    assert before[-1]["SecondaryStatus"] == "Training"
    assert api.stop("stop-running").json()["TrainingJobStatus"] == "Stopping"
    stopping = s.next_event()
    assert (stopping["Type"], stopping["SecondaryStatus"], stopping["TrainingJobStatus"],
            stopping["Time"] - T0) == ("StatusChange", "Stopping", "Stopping", 300)
    api.advance(120)  # the grace
    rest = [v for _, v in s.read_to_end()]
    assert [(e["Type"], e["SecondaryStatus"], e["TrainingJobStatus"], e["Time"] - T0) for e in rest] == \
        [("StatusChange", "Stopped", "Stopped", 420)]
    stored = history(api, "stop-running")
    assert before + [stopping] + rest == stored
    status_changes_match_transitions(stored, api.describe("stop-running").json())


def test_stream_of_a_stopped_waiting_job_ends_after_stopped(sim, api, open_stream):
    api.create(job("stop-waiting", G4, spot=True, max_wait=14400))  # no spot capacity: waits
    s = open_stream(sim, "stop-waiting")
    first = s.next_event()
    assert (first["Type"], first["SecondaryStatus"]) == ("StatusChange", "Pending")
    assert api.stop("stop-waiting").json()["TrainingJobStatus"] == "Stopped"
    rest = [v for _, v in s.read_to_end()]
    assert [(e["Type"], e["SecondaryStatus"], e["TrainingJobStatus"]) for e in rest] == \
        [("StatusChange", "Stopped", "Stopped")]
    assert [first] + rest == history(api, "stop-waiting")


def test_a_reader_that_falls_behind_is_dropped_and_resumes_with_last_event_id(sim, api, open_stream):
    # A checkpoint every training second: one clock move commits ~3000 events
    # at once, well over a follower's 1024-event backlog.
    api.create(job("chatty", work=3000, checkpoint=True, interval=1))
    s = open_stream(sim, "chatty")
    seen = s.events_through(history(api, "chatty")[-1]["EventId"])
    api.advance(4000)
    item = s.next_item()
    assert item == ("comment", "dropped: this reader fell behind; reconnect with Last-Event-ID: "
                               f"{seen[-1]['EventId']}"), item
    assert s.next_item() is None
    s.assert_closed()
    stored = history(api, "chatty")
    assert len(stored) > 3000 and stored[-1]["SecondaryStatus"] == "Completed"
    again = open_stream(sim, "chatty", headers={"Last-Event-ID": str(seen[-1]["EventId"])})
    assert seen + [v for _, v in again.read_to_end()] == stored


def test_server_shutdown_ends_open_streams(server_factory, open_stream):
    srv = server_factory.start(*SCENARIO)
    srv.api.create(job("shutdown"))
    s = open_stream(srv, "shutdown")
    s.events_through(history(srv.api, "shutdown")[-1]["EventId"])
    assert srv.terminate() == 0
    # The stream ends properly (its final chunk, then the close) with no
    # further event, and a comment that says why and where to resume.
    items = s.read_to_end()
    assert all(k == "comment" for k, _ in items), items
    assert any(v.startswith("the server is shutting down; reconnect with Last-Event-ID: ")
               for _, v in items), items


def test_a_stream_outlives_the_idle_timeout_while_it_gets_heartbeats(server_factory, open_stream):
    srv = server_factory.start(*SCENARIO, "--idle-timeout", "0.5", "--heartbeat", "0.1")
    srv.api.create(job("long-stream"))
    s = open_stream(srv, "long-stream")
    s.events_through(history(srv.api, "long-stream")[-1]["EventId"])
    # Ten heartbeats: a second of stream, twice the idle timeout, never idle.
    for _ in range(10):
        assert s.next_item() == ("comment", "heartbeat")
    srv.api.advance(4000)
    assert [v for k, v in s.read_to_end() if k == "event"][-1]["SecondaryStatus"] == "Completed"


def test_a_request_pipelined_after_a_stream_is_not_run(sim, api):
    api.create(job("piped"))
    before = api.clock()["Now"]
    body = json.dumps({"Seconds": 120})
    with socket.create_connection(("127.0.0.1", sim.port), timeout=STREAM_TIMEOUT) as sock:
        sock.sendall(
            (f"GET {events_path('piped')}?follow=true HTTP/1.1\r\nHost: x\r\n\r\n"
             f"POST /v1/admin/clock/advance HTTP/1.1\r\nHost: x\r\n"
             f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n{body}").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(4096)
        assert head.startswith(b"HTTP/1.1 200"), head
        # The stream said Connection: close; what came after it is not handled.
        assert b"connection: close" in head.lower(), head
        api.stop("piped")
        api.advance(200)  # past the stop's grace: the job ends, and its stream
        rest = b""
        while chunk := sock.recv(65536):
            rest += chunk
    assert b"HTTP/1.1" not in rest, rest  # no second response
    assert api.clock()["Now"] == before + 200  # the pipelined advance never ran


def test_an_http_1_0_client_gets_the_stream_without_chunked_framing(sim, api):
    run_spot_story(api)
    stored = history(api, "spot-story")
    with socket.create_connection(("127.0.0.1", sim.port), timeout=STREAM_TIMEOUT) as sock:
        sock.sendall(f"GET {events_path('spot-story')}?follow=true HTTP/1.0\r\n"
                     f"Host: 127.0.0.1:{sim.port}\r\n\r\n".encode())
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    assert lines[0].split(" ")[1] == "200", lines
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    assert headers["content-type"] == SSE_CONTENT_TYPE
    assert "transfer-encoding" not in headers, headers
    assert body.decode() == "".join(
        f"id: {e['EventId']}\nevent: {e['Type']}\ndata: {json.dumps(e, separators=(',', ':'), sort_keys=True)}\n\n"
        for e in stored)


# --- restart -----------------------------------------------------------------------

def test_history_survives_sigkill_and_new_ids_are_larger(server_factory, open_stream):
    srv = server_factory.start(*SCENARIO)
    api = srv.api
    api.create(spot_story_job("survivor"))
    api.advance(1500)
    api.interrupt(P3, 1)
    before = history(api, "survivor")
    assert before[-1]["Type"] == "InterruptionNotice"
    top = max(ids(before))

    srv2 = server_factory.restart(srv)  # SIGKILL, then the same db and flags
    api2 = srv2.api
    assert api2.clock()["Now"] == T0 + 1500
    assert history(api2, "survivor") == before
    s = open_stream(srv2, "survivor")
    assert s.events_through(top) == before
    api2.create(job("newcomer"))
    api2.advance(10000)
    after = history(api2, "survivor")
    assert after[:len(before)] == before
    assert_story(after, SPOT_STORY, "survivor")
    new = after[len(before):] + history(api2, "newcomer")
    assert min(ids(new)) > top
    every = ids(after) + ids(history(api2, "newcomer"))
    assert len(set(every)) == len(every)
    assert [v for _, v in s.read_to_end()] == after[len(before):]
    status_changes_match_transitions(after, api2.describe("survivor").json())


# --- errors ------------------------------------------------------------------------

def assert_error(resp, status, type_, *words):
    assert resp.status_code == status, (resp.status_code, resp.text)
    body = resp.json()
    assert body["__type"] == type_, body
    for w in words:
        assert w in body["message"], (w, body)


@pytest.fixture
def waiting(server_factory):
    """A server without capacity and one job waiting on it."""
    srv = server_factory.start("--capacity", str(NO_CAPACITY))
    srv.api.create(make_job_request("waiting-job"))
    return srv


def test_unknown_job_is_404_in_both_modes(waiting, open_stream):
    api = waiting.api
    assert_error(api.get(events_path("no-such-job")), 404, "ResourceNotFound", "no-such-job")
    assert_error(api.get(events_path("no-such-job") + "?follow=true"), 404, "ResourceNotFound", "no-such-job")
    assert_error(api.get(events_path("no-such-job"), headers={"Accept": "text/event-stream"}),
                 404, "ResourceNotFound")
    # A 404 before any stream: a plain JSON response, not a stream.
    s = open_stream(waiting, "no-such-job", expect_stream=False)
    assert s.status == 404 and s.body["__type"] == "ResourceNotFound"
    assert s.headers["content-type"] == "application/json"


@pytest.mark.parametrize("name", ["bad_name", "-leading-hyphen", "trailing-", "x" * 64])
def test_malformed_job_name_is_400(waiting, name):
    for query in ["", "?follow=true"]:
        resp = waiting.api.get(events_path(name) + query)
        assert_error(resp, 400, "ValidationException", "TrainingJobName")


@pytest.mark.parametrize("query, words", [
    ("follow=yes", ["follow", "yes"]),
    ("follow=1", ["follow"]),
    ("follow=TRUE", ["follow"]),
    ("follow=", ["follow"]),
    ("MaxResults=0", ["MaxResults", "1", "1000"]),
    ("MaxResults=1001", ["MaxResults", "1001"]),
    ("MaxResults=-1", ["MaxResults"]),
    ("MaxResults=abc", ["MaxResults", "abc"]),
    ("MaxResults=2.5", ["MaxResults", "2.5"]),
    ("MaxResults=", ["MaxResults"]),
    ("NextToken=-1", ["NextToken", "-1"]),
    ("NextToken=abc", ["NextToken", "abc"]),
    ("NextToken=1.5", ["NextToken"]),
    ("NextToken=", ["NextToken"]),
    ("NextToken=99999999999999999999999", ["NextToken"]),
    ("Foo=1", ["Foo"]),
    ("maxresults=5", ["maxresults"]),
    ("follow=true&MaxResults=5", ["MaxResults", "Last-Event-ID"]),
    ("follow=true&NextToken=3", ["NextToken", "Last-Event-ID"]),
    ("MaxResults=5&follow=true", ["MaxResults"]),
])
def test_bad_query_is_400(waiting, query, words):
    resp = waiting.api.get(events_path("waiting-job") + "?" + query)
    assert_error(resp, 400, "ValidationException", *words)


@pytest.mark.parametrize("headers, query", [
    ({"Last-Event-ID": "abc"}, "?follow=true"),
    ({"Last-Event-ID": "-1"}, "?follow=true"),
    ({"Last-Event-ID": "1.5"}, "?follow=true"),
    ({"Last-Event-ID": "abc", "Accept": "text/event-stream"}, ""),
])
def test_bad_last_event_id_is_400(waiting, headers, query):
    resp = waiting.api.get(events_path("waiting-job") + query, headers=headers)
    assert_error(resp, 400, "ValidationException", "Last-Event-ID")


def test_paging_parameters_with_the_accept_header_are_400(waiting):
    for query in ["?MaxResults=5", "?NextToken=1"]:
        resp = waiting.api.get(events_path("waiting-job") + query, headers={"Accept": "text/event-stream"})
        assert_error(resp, 400, "ValidationException", "Last-Event-ID")


def test_errors_change_nothing_and_other_methods_are_405(waiting):
    api = waiting.api
    before = api.describe("waiting-job").json()
    events = events_page(api, "waiting-job")
    for method in ["POST", "PUT", "DELETE"]:
        resp = api.request(method, events_path("waiting-job"))
        assert_error(resp, 405, "MethodNotAllowed")
        assert resp.headers["Allow"] == "GET"
    api.get(events_path("waiting-job") + "?MaxResults=0")
    assert api.describe("waiting-job").json() == before
    assert events_page(api, "waiting-job") == events
    assert [(e["Type"], e["SecondaryStatus"]) for e in events["Events"]] == [("StatusChange", "Pending")]


# --- the validator on streams (no server) ------------------------------------------

def test_validator_checks_an_event_stream_as_text():
    path = "/v1/training-jobs/my-job/events?follow=true"
    headers = {"Content-Type": SSE_CONTENT_TYPE, "X-Request-Id": "3f9c2a7e1b04d8c56e2f0a91"}
    text = "id: 1\nevent: StatusChange\ndata: {}\n\n: heartbeat\n\n"
    assert openapi_validator.validate("GET", path, 200, text.encode(), headers=headers) == text
    with pytest.raises(AssertionError, match="documents no text/html body"):
        openapi_validator.validate("GET", path, 200, "<html/>",
                                   headers=dict(headers, **{"Content-Type": "text/html"}))
    # The JSON page still goes through the JSON schema.
    with pytest.raises(AssertionError, match="'Events' is a required property"):
        openapi_validator.validate("GET", path, 200, {"TrainingJobName": "my-job"},
                                   headers=dict(headers, **{"Content-Type": "application/json"}))


def test_a_last_event_id_past_the_jobs_history_is_refused(sim, api, open_stream):
    # As a browser would send after the database was replaced: waiting
    # forever on an id this job never reaches would hide its end.
    api.create(job("fresh"))
    last = history(api, "fresh")[-1]["EventId"]
    s = open_stream(sim, "fresh", headers={"Last-Event-ID": str(last + 1000)}, expect_stream=False)
    assert s.status == 400
    assert s.body["__type"] == "ValidationException"
    assert f"is past the last event of training job 'fresh' ({last})" in s.body["message"]
