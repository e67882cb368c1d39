"""The SQLite lock store: tickets in order, and one holder at a time across processes."""

import asyncio
import multiprocessing
import os
import sqlite3
import time
from pathlib import Path
from typing import List, Tuple

import pytest
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from stores.locks import SQLiteLockStore

PROCESSES = 4
TURNS = 5  # per process
HOLD = 0.02  # seconds a turn holds the lock


def test_it_is_created_from_endpoints_yml(tmp_path):
    config = EndpointConfig(type="stores.locks.SQLiteLockStore", db=str(tmp_path / "locks.db"))
    store = LockStore.create(config)
    assert isinstance(store, SQLiteLockStore)
    assert store.path == tmp_path / "locks.db"


def test_tickets_are_served_in_order_and_the_lock_goes_when_nobody_waits(tmp_path):
    store = SQLiteLockStore(db=str(tmp_path / "locks.db"))
    first, second = store.issue_ticket("visitor"), store.issue_ticket("visitor")
    assert second == first + 1
    lock = store.get_lock("visitor")
    assert not lock.is_locked(first) and lock.is_locked(second)
    store.cleanup("visitor", first)
    assert not store.get_lock("visitor").is_locked(second)
    store.cleanup("visitor", second)
    assert store.get_lock("visitor") is None


def test_an_expired_ticket_stops_blocking(tmp_path):
    store = SQLiteLockStore(db=str(tmp_path / "locks.db"))
    stale = store.issue_ticket("visitor", lock_lifetime=0.01)
    waiting = store.issue_ticket("visitor")
    assert store.get_lock("visitor").is_locked(waiting)
    time.sleep(0.05)
    store.update_lock("visitor")
    assert not store.get_lock("visitor").is_locked(waiting)
    assert stale != waiting


def take_a_ticket_and_die(db: str) -> None:
    """A worker that dies in the middle of a turn: its ticket is never finished."""
    SQLiteLockStore(db=db).issue_ticket("visitor")
    os._exit(1)


def test_the_ticket_of_a_process_that_ended_stops_blocking_at_once(tmp_path, caplog):
    db = str(tmp_path / "locks.db")
    dead = multiprocessing.get_context("fork").Process(target=take_a_ticket_and_die, args=(db,))
    dead.start()
    dead.join(timeout=30)
    store = SQLiteLockStore(db=db)
    assert store.get_lock("visitor").tickets, "the dead worker's ticket is there"
    started = time.monotonic()

    async def turn() -> float:
        async with store.lock("visitor", wait_time_in_seconds=0.01):
            return time.monotonic() - started

    assert asyncio.run(turn()) < 1.0  # not Rasa's 60 s of TICKET_LOCK_LIFETIME
    assert f"process {dead.pid} ended holding ticket" in caplog.text
    assert store.get_lock("visitor") is None
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM holders").fetchone() == (0,)


def test_the_ticket_of_a_running_process_still_blocks(tmp_path):
    store = SQLiteLockStore(db=str(tmp_path / "locks.db"))
    first, second = store.issue_ticket("visitor"), store.issue_ticket("visitor")
    store.update_lock("visitor")
    assert store.get_lock("visitor").is_locked(second)
    store.cleanup("visitor", first)
    assert not store.get_lock("visitor").is_locked(second)


def take_turns(db: str, counter: Path, spans: "multiprocessing.Queue[Tuple[float, float]]") -> None:
    """One worker process: TURNS turns of one conversation, each a read-modify-write."""
    store = SQLiteLockStore(db=db)

    async def turns() -> None:
        for _ in range(TURNS):
            async with store.lock("visitor", wait_time_in_seconds=0.005):
                start = time.monotonic()
                value = int(counter.read_text())
                await asyncio.sleep(HOLD)
                counter.write_text(str(value + 1))
                spans.put((start, time.monotonic()))

    asyncio.run(turns())


def test_processes_sharing_the_file_hold_a_conversation_one_at_a_time(tmp_path):
    counter = tmp_path / "counter"
    counter.write_text("0")
    context = multiprocessing.get_context("fork")  # as Sanic forks its workers
    spans = context.Queue()
    workers = [
        context.Process(target=take_turns, args=(str(tmp_path / "locks.db"), counter, spans))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    held: List[Tuple[float, float]] = sorted(spans.get(timeout=5) for _ in range(PROCESSES * TURNS))
    assert int(counter.read_text()) == PROCESSES * TURNS  # no turn lost another's write
    for (_, end), (start, _) in zip(held, held[1:]):
        assert start >= end, "two processes held the conversation at once"
    assert SQLiteLockStore(db=str(tmp_path / "locks.db")).get_lock("visitor") is None


@pytest.mark.parametrize("conversation", ["a", "b"])
def test_conversations_do_not_wait_for_each_other(tmp_path, conversation):
    store = SQLiteLockStore(db=str(tmp_path / "locks.db"))
    store.issue_ticket("someone else")
    ticket = store.issue_ticket(conversation)
    assert not store.get_lock(conversation).is_locked(ticket)
