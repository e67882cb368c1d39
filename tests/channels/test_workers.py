"""Which worker owns a web chat session (channels.workers)."""

import pytest
from multidict import CIMultiDict

from channels.workers import PORTS_ENV, WORKER_ENV, Workers, answer_headers


def test_workers_come_from_the_environment_server_rasa_server_sets():
    workers = Workers.from_env({WORKER_ENV: "1", PORTS_ENV: "4100,4101,4102"})
    assert workers == Workers(1, [4100, 4101, 4102])


@pytest.mark.parametrize(
    "env",
    [
        {},
        {WORKER_ENV: "0"},
        {WORKER_ENV: "0", PORTS_ENV: "4100"},
        {WORKER_ENV: "3", PORTS_ENV: "4100,4101"},
        {WORKER_ENV: "x", PORTS_ENV: "4100,4101"},
        {WORKER_ENV: "0", PORTS_ENV: "4100,"},
    ],
)
def test_a_single_process_or_a_broken_setting_passes_nothing_on(env):
    assert Workers.from_env(env) is None


def test_a_session_names_its_worker_and_only_other_workers_sessions_are_passed_on():
    first, second = Workers(0, [4100, 4101]), Workers(1, [4100, 4101])
    sid = first.session_id("Ab-_9xYz0123456789AA")
    assert sid.startswith("0.")
    assert first.owner_port(sid) is None
    assert second.owner_port(sid) == 4100


@pytest.mark.parametrize("sid", [None, "", "Ab-_9xYz0123456789AA", "x.abc", "7.abc", ".abc", "-1.abc"])
def test_unknown_session_ids_are_handled_where_they_arrive(sid):
    assert Workers(0, [4100, 4101]).owner_port(sid) is None


def test_a_passed_on_answer_leaves_cors_to_the_worker_that_sends_it():
    owner = CIMultiDict(
        [
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("Content-Length", "3"),
            ("Connection", "keep-alive"),
            ("Access-Control-Allow-Origin", "http://localhost:8080"),
            ("Access-Control-Allow-Credentials", "true"),
            ("Vary", "Origin"),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
        ]
    )
    passed = answer_headers(owner)
    assert list(passed.items()) == [
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
    ]
