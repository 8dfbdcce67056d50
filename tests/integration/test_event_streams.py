"""GET /v1/training-jobs/{TrainingJobName}/events?follow=true: the
Server-Sent Events stream against the real binary (history, live events,
resume, heartbeats, ends, drops, shutdown, HTTP/1.0; helpers in
events_support.py)."""
from __future__ import annotations

import json
import socket

import pytest

from events_support import (  # noqa: F401 (api, open_stream and sim are fixtures)
    T0, SCENARIO, P3, G4, STREAM_TIMEOUT, SSE_CONTENT_TYPE, job, events_path, events_page,
    history, status_changes_match_transitions, comments, open_stream, sim, api, spot_story_job,
    run_spot_story, where, SPOT_STORY, assert_story,
)


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




def test_a_last_event_id_past_the_jobs_history_is_refused(sim, api, open_stream):
    # As a browser would send after the database was replaced: waiting
    # forever on an id this job never reaches would hide its end.
    api.create(job("fresh"))
    last = history(api, "fresh")[-1]["EventId"]
    s = open_stream(sim, "fresh", headers={"Last-Event-ID": str(last + 1000)}, expect_stream=False)
    assert s.status == 400
    assert s.body["__type"] == "ValidationException"
    assert f"is past the last event of training job 'fresh' ({last})" in s.body["message"]
