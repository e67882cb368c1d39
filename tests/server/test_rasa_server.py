"""server/rasa_server.py does what Rasa does, faster: action results checked, events found,
stored once, SQLite connections kept between turns, and custom actions run in the process with
the results and errors of an action server."""

import asyncio
import copy
import logging
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import jsonschema
import pytest
import rasa.core.tracker_store
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.tracker_store import SQLTrackerStore
from rasa.core.utils import read_endpoint_config
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from server import rasa_server
from server.rasa_server import (
    additional_events,
    create_engine_kwargs,
    resolve_by_type,
    retrieve,
    sqlite_write_ahead,
    validate_action_result,
)
from server.serve import free_port

ROOT = Path(__file__).resolve().parents[2]

RESULT = {
    "events": [{"event": "slot", "name": "attraction", "value": "Liqian ancient city", "timestamp": None}],
    "responses": [{"text": "Liqian ancient city is in Yongchang county.", "reply": "attraction"}],
}


def action() -> RemoteAction:
    return RemoteAction("action_describe_attraction", EndpointConfig("http://localhost:5055/webhook"))


def test_a_valid_action_result_passes_both_checks():
    assert action()._validate_action_result(RESULT)  # Rasa's own
    assert validate_action_result(action(), RESULT)


@pytest.mark.parametrize(
    "result",
    [
        {"events": "not a list", "responses": []},
        {"events": [{"event": "slot"}], "responses": []},
        {"events": [], "responses": ["text, not an object"]},
    ],
)
def test_an_invalid_action_result_is_rejected_by_both(result):
    with pytest.raises(jsonschema.ValidationError):
        action()._validate_action_result(result)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        validate_action_result(action(), result)


def test_event_classes_are_found_as_rasa_finds_them():
    for cls in all_subclasses(Event):
        assert resolve_by_type(cls.type_name) is Event.resolve_by_type(cls.type_name)
    assert resolve_by_type("no such event", default=UserUttered) is UserUttered
    with pytest.raises(ValueError):
        resolve_by_type("no such event")


@pytest.fixture
def patched_store(tmp_path, monkeypatch):
    """A SQLite SQL tracker store with the launcher's changes installed."""
    monkeypatch.setattr(SQLTrackerStore, "_retrieve", retrieve)
    monkeypatch.setattr(SQLTrackerStore, "_additional_events", additional_events)
    domain = Domain.load(str(ROOT / "domain.yml"))
    return SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "events.db"))


def stored(store: SQLTrackerStore, sender: str) -> list:
    with store.session_scope() as session:
        return [row.type_name for row in store._event_query(session, sender, True).all()]


def test_each_event_is_stored_once_in_order(patched_store):
    tracker = DialogueStateTracker("visitor", patched_store.domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("Where is Jinchang?", {"name": "ask_location"}))
    asyncio.run(patched_store.save(tracker))
    asyncio.run(patched_store.save(tracker))  # saving again adds nothing
    again = asyncio.run(patched_store.retrieve("visitor"))
    again.update(BotUttered("Jinchang is in Gansu province."))
    again.update(ActionExecuted("action_listen"))
    asyncio.run(patched_store.save(again))
    asyncio.run(patched_store.save(again))
    assert stored(patched_store, "visitor") == ["action", "user", "bot", "action"]
    assert list(asyncio.run(patched_store.retrieve("visitor")).events) == list(again.events)


def test_a_tracker_the_store_did_not_load_is_counted_by_rasas_query(patched_store):
    first = DialogueStateTracker("visitor", patched_store.domain.slots)
    first.update(ActionExecuted("action_listen"))
    asyncio.run(patched_store.save(first))
    rebuilt = DialogueStateTracker.from_dict(
        "visitor", [e.as_dict() for e in first.events], patched_store.domain.slots
    )
    rebuilt.update(UserUttered("hello", {"name": "greet"}))
    asyncio.run(patched_store.save(rebuilt))
    assert stored(patched_store, "visitor") == ["action", "user"]


@pytest.fixture
def write_ahead():
    """The launcher's SQLite connect event, removed again after the test."""
    event.listen(Engine, "connect", sqlite_write_ahead)
    yield
    event.remove(Engine, "connect", sqlite_write_ahead)


def test_the_sqlite_store_writes_ahead_without_an_fsync_per_commit(tmp_path, write_ahead):
    store = SQLTrackerStore(
        Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(tmp_path / "events.db")
    )
    tracker = DialogueStateTracker("visitor", store.domain.slots)
    tracker.update(UserUttered("Where is Jinchang?", {"name": "ask_location"}))
    asyncio.run(store.save(tracker))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    assert stored(store, "visitor") == ["user"]
    with sqlite3.connect(tmp_path / "events.db") as plain:  # the mode is kept in the file
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.fixture
def pooled(monkeypatch):
    """The launcher's engine arguments for Rasa's SQL tracker store (8)."""
    monkeypatch.setattr(rasa.core.tracker_store, "create_engine_kwargs", create_engine_kwargs)


def test_a_sqlite_file_store_keeps_its_connection_between_turns(tmp_path, pooled, write_ahead):
    store = SQLTrackerStore(
        Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(tmp_path / "events.db")
    )
    assert isinstance(store.engine.pool, QueuePool)
    opened: List[Any] = []
    event.listen(store.engine, "connect", lambda connection, record: opened.append(connection))
    tracker = DialogueStateTracker("visitor", store.domain.slots)
    for turn in range(3):
        tracker.update(UserUttered(f"question {turn}", {"name": "ask_location"}))
        asyncio.run(store.save(tracker))
        assert len(asyncio.run(store.retrieve("visitor")).events) == turn + 1
    assert opened == []  # the connection the store opened to make its table; Rasa's opened six more
    with store.engine.connect() as connection:  # and the pooled connection is set up as patch 5 says
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1


def test_two_pooled_stores_on_one_file_see_each_others_turns(tmp_path, pooled, write_ahead):
    """Two workers: what one commits, the other reads at its next turn."""
    domain = Domain.load(str(ROOT / "domain.yml"))
    first, second = (SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "events.db")) for _ in "ab")
    tracker = DialogueStateTracker("visitor", domain.slots)
    tracker.update(UserUttered("Where is Jinchang?", {"name": "ask_location"}))
    asyncio.run(first.save(tracker))
    assert asyncio.run(second.retrieve("visitor")).events[-1].text == "Where is Jinchang?"
    again = asyncio.run(second.retrieve("visitor"))
    again.update(BotUttered("Jinchang is in Gansu province."))
    asyncio.run(second.save(again))
    assert stored(first, "visitor") == ["user", "bot"]


def test_other_databases_get_rasas_engine_arguments():
    assert "poolclass" not in create_engine_kwargs("sqlite://")  # in memory: SQLAlchemy's own pool
    assert "poolclass" not in create_engine_kwargs("postgresql://user@localhost/rasa")
    assert create_engine_kwargs("postgresql://user@localhost/rasa") == rasa_server._rasa_create_engine_kwargs(
        "postgresql://user@localhost/rasa"
    )


# --- custom actions in the process (7) ---------------------------------------------------------

SAMPLE_ACTIONS = "tests.server.sample_actions"
SAMPLE_DOMAIN = Domain.from_dict(
    {
        "intents": ["greet"],
        "slots": {
            "place": {"type": "text", "influence_conversation": False, "mappings": [{"type": "custom"}]},
            "visited": {"type": "list", "influence_conversation": False, "mappings": [{"type": "custom"}]},
        },
        "responses": {"utter_test_greet": [{"text": "Hello!"}]},
        "actions": [
            "action_test_answer",
            "action_test_followup",
            "action_test_change",
            "action_test_fail",
            "action_test_reject",
        ],
    }
)
IN_PROCESS = EndpointConfig(actions_module=SAMPLE_ACTIONS)


@pytest.fixture(scope="module")
def action_server() -> Iterator[EndpointConfig]:
    """A real action server (server/action_server.py, as `make run` starts one) with the
    sample actions, on a free port: its endpoint."""
    port = free_port()
    command = [sys.executable, "-m", "server.action_server", "--actions", SAMPLE_ACTIONS, "-p", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://localhost:{port}/health", timeout=2).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, (
                    "the action server did not start"
                )
                time.sleep(0.2)
        yield EndpointConfig(f"http://localhost:{port}/webhook")
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture
def in_process(monkeypatch):
    """Rasa with the launcher's request installed."""
    monkeypatch.setattr(EndpointConfig, "request", rasa_server.request)


def visitor() -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "visitor",
        [ActionExecuted("action_listen"), UserUttered("Where is Jinchang?", {"name": "greet"}, [])],
        slots=SAMPLE_DOMAIN.slots,
    )


def run_action(
    endpoint: EndpointConfig, name: str, tracker: DialogueStateTracker
) -> Tuple[List[Event], list]:
    """Rasa's RemoteAction.run: its events, and what reached the output channel (nothing: Rasa
    sends the bot's messages later, from the events)."""
    output = CollectingOutputChannel()
    nlg = TemplatedNaturalLanguageGenerator(SAMPLE_DOMAIN.responses)
    events = asyncio.run(RemoteAction(name, endpoint).run(output, nlg, tracker, SAMPLE_DOMAIN))
    return events, output.messages


def outcome(endpoint: EndpointConfig, name: str) -> Dict[str, Any]:
    """What Rasa makes of running `name`: its events without timestamps, or its exception."""
    try:
        events, sent = run_action(endpoint, name, visitor())
    except (RasaException, ActionExecutionRejection) as error:
        return {"raised": type(error).__name__, "action": getattr(error, "action_name", None)}
    dicts = [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in events]
    return {"events": dicts, "sent": sent}


@pytest.mark.parametrize(
    "name",
    [
        "action_test_answer",
        "action_test_followup",
        "action_test_fail",
        "action_test_reject",
        "action_unknown",
    ],
)
def test_rasa_gets_the_same_from_the_actions_in_process_as_from_the_action_server(
    name, action_server, in_process
):
    assert outcome(IN_PROCESS, name) == outcome(action_server, name)


def test_replies_and_slots_become_rasas_events(in_process):
    events, sent = run_action(IN_PROCESS, "action_test_answer", visitor())
    assert sent == []
    reply, greeting, place, visited = events
    assert isinstance(reply, BotUttered) and reply.text == "You said 'Where is Jinchang?'."
    assert reply.data["buttons"] == [{"title": "Where is it?", "payload": "Where is it?"}]
    assert reply.data["custom"] == {"sources": [{"sentence": "It is in Gansu.", "paragraph": 1}]}
    assert isinstance(greeting, BotUttered) and greeting.text == "Hello!"  # the domain's response
    assert place == SlotSet("place", "Gansu")
    assert visited == SlotSet("visited", ["Liqian", "Jinshui Lake"])  # a tuple arrives as JSON's list


def test_a_followup_is_handed_back_to_rasa(in_process):
    (followup,) = run_action(IN_PROCESS, "action_test_followup", visitor())[0]
    assert followup.as_dict()["event"] == "followup" and followup.action_name == "action_test_answer"


def test_an_exception_in_an_action_is_rasas_failed_action_with_the_traceback_in_the_log(in_process, caplog):
    with caplog.at_level(logging.ERROR, logger="server.rasa_server"):
        with pytest.raises(RasaException, match="Failed to execute custom action 'action_test_fail'"):
            run_action(IN_PROCESS, "action_test_fail", visitor())
    (record,) = caplog.records
    assert "action_test_fail" in record.getMessage() and "a bug in an action" in record.exc_text


def test_a_rejection_lets_rasa_choose_another_action(in_process):
    with pytest.raises(ActionExecutionRejection) as rejected:
        run_action(IN_PROCESS, "action_test_reject", visitor())
    assert rejected.value.action_name == "action_test_reject"


def test_an_action_changes_only_its_own_copy_of_the_tracker_and_domain(in_process):
    tracker = visitor()
    latest, responses = (
        copy.deepcopy(tracker.latest_message.parse_data),
        copy.deepcopy(SAMPLE_DOMAIN.responses),
    )
    assert run_action(IN_PROCESS, "action_test_change", tracker)[0] == []
    assert tracker.latest_message.parse_data == latest
    assert SAMPLE_DOMAIN.responses == responses


def test_the_endpoints_files_choose_where_actions_run():
    default = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
    assert rasa_server.actions_module(default) == "actions"
    assert rasa_server.actions_module(EndpointConfig("http://localhost:5055/webhook")) is None
    with_url = EndpointConfig("http://localhost:5055/webhook", actions_module="actions")
    assert rasa_server.actions_module(with_url) is None  # a url wins: the action server
    assert rasa_server.actions_module(None) is None


def test_the_executor_has_every_action_of_the_domain():
    domain = Domain.load(str(ROOT / "domain.yml"))
    executor = rasa_server.action_executor("actions")
    custom = [name for name in domain.user_actions if name.startswith("action_")]
    assert custom and set(custom) <= set(executor.actions)
