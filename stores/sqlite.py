"""How this project opens SQLite files: the conversations (Rasa's SQL tracker store, through
server/rasa_server.py), the conversation locks (stores/locks.py) and the WeChat channel's
shared state (stores/wechat.py).

Write-ahead logging lets the readers and the writer of several Sanic workers go on at once,
and synchronous=NORMAL drops the fsync of every commit: a commit survives a crash of the
process, not a power cut or an operating-system crash, which may lose the last turns
(SQLite's documented trade-off; a lock lost that way is void anyway).
"""

import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

BUSY_TIMEOUT = 10.0  # seconds a process waits for another's transaction (then the lock store says LockError)


def write_ahead(connection: sqlite3.Connection, timeout: float = BUSY_TIMEOUT) -> None:
    """Put a new connection in WAL mode (kept in the file once set) with synchronous=NORMAL.

    Two processes that switch a new file to WAL at once: SQLite answers one of them "database
    is locked" at once, without waiting (no busy handler for the switch; 76 of 200 such pairs
    here). Two Sanic workers starting on a new conversation store do just that, and one ended
    with that error: the switch is tried again until `timeout`."""
    deadline = time.monotonic() + timeout
    cursor = connection.cursor()
    try:
        while True:
            try:
                if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    cursor.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(_RETRY)
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


_RETRY = 0.02  # seconds between two tries of the switch to WAL


class SharedFile:
    """A SQLite file that several processes read and write: one connection per thread (in
    write-ahead mode, autocommit) and write transactions that no other process interleaves."""

    def __init__(self, path: Path, timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            write_ahead(connection)
            self._local.connection = connection
        return connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE): no other process reads-then-writes meanwhile."""
        connection = self.connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
