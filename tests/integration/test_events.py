"""GET /v1/training-jobs/{TrainingJobName}/events as JSON pages: the history
of a job event for event, paging, a restart, and every error (the streams are
in test_event_streams.py; shared helpers in events_support.py)."""
from __future__ import annotations

import pytest

import openapi_validator
from conftest import NO_CAPACITY, make_job_request
from events_support import (  # noqa: F401 (api, open_stream and sim are fixtures)
    T0, SCENARIO, P3, G4, SSE_CONTENT_TYPE, job, events_path, events_page, history, ids,
    assert_strictly_increasing, status_changes_match_transitions, open_stream, sim, api,
    spot_story_job, run_spot_story, SPOT_STORY, OPTIONAL_MEMBERS, assert_story,
)


def test_spot_job_interrupted_once_has_the_whole_story_in_order(api):
    run_spot_story(api)
    page = events_page(api, "spot-story")
    assert set(page) == {"TrainingJobName", "Events"}, page  # all 21 fit in the default 100
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
