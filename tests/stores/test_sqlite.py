"""How SQLite files are opened (stores/sqlite.py): two processes that open a new file at the
same moment both end up in write-ahead mode, neither with "database is locked"."""

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

from stores.sqlite import write_ahead

PAIRS = 40  # without the retry, about a third of such pairs failed here


def switch(path: Path, barrier: Any, failures: Any) -> None:
    connection = sqlite3.connect(path, timeout=10.0, isolation_level=None)
    barrier.wait()
    try:
        write_ahead(connection)
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    except Exception as error:  # reported to the test, which fails on it
        failures.put(f"{type(error).__name__}: {error}")
    finally:
        connection.close()


def test_two_processes_switching_a_new_file_to_write_ahead_at_once_both_succeed(tmp_path):
    context = multiprocessing.get_context("fork")
    failures = context.Queue()
    for pair in range(PAIRS):
        barrier = context.Barrier(2)
        workers = [
            context.Process(target=switch, args=(tmp_path / f"{pair}.db", barrier, failures))
            for _ in range(2)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=30)
    reported = []
    while not failures.empty():
        reported.append(failures.get())
    assert not reported, reported[:3]
