"""scripts/rasa_server.py does what Rasa does, faster: action results checked, events found, stored once."""

import asyncio
import sqlite3
from pathlib import Path

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import event
from sqlalchemy.engine import Engine

from scripts.rasa_server import (
    additional_events,
    resolve_by_type,
    retrieve,
    sqlite_write_ahead,
    validate_action_result,
)

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
