"""A lock store over SQLite: one conversation handled by one Rasa process at a time.

Rasa's in-memory lock store holds its locks in one process, so with several Sanic workers two
messages of one conversation could be handled at once by two workers and their events mixed.
Redis (endpoints.production.yml) is the production choice; this store needs no server: the
ticket locks live in a SQLite file beside the conversations, and every read-modify-write of a
lock (issue a ticket, finish one, drop expired ones) is one `BEGIN IMMEDIATE` transaction, so
two processes never both take the same ticket or lose each other's.

A ticket also records the process that took it. A Rasa worker that dies while it answers (a
crash; `make run` starts it again, server/supervise.py) leaves its ticket behind, and Rasa would
keep the visitor's next message waiting until the ticket expires (TICKET_LOCK_LIFETIME, 60 s:
as long as Sanic's response timeout, so the visitor got a 503). Here a waiting turn drops the
tickets of processes that have ended and goes on at once. Process ids are this machine's: the
file is shared by the workers of one server, not across machines (that is what Redis is for).

    lock_store:
      type: stores.locks.SQLiteLockStore
      db: var/locks.db
"""

import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any, List, Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore

from stores.sqlite import SharedFile

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "var/locks.db"


class SQLiteLockStore(LockStore):
    """Rasa ticket locks in a SQLite file, safe across the processes that share it."""

    def __init__(self, endpoint_config: Any = None, db: Optional[str] = None) -> None:
        settings = getattr(endpoint_config, "kwargs", None) or {}
        path = Path(db or settings.get("db") or DEFAULT_DB)
        self.path = path if path.is_absolute() else ROOT / path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = SharedFile(self.path)
        with self._file.transaction() as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS locks (conversation_id TEXT PRIMARY KEY, lock TEXT NOT NULL)"
            )
            connection.execute(
                "CREATE TABLE IF NOT EXISTS holders (conversation_id TEXT NOT NULL, number INTEGER NOT NULL,"
                " pid INTEGER NOT NULL, PRIMARY KEY (conversation_id, number))"
            )
        super().__init__()

    def get_lock(self, conversation_id: str) -> Optional[TicketLock]:
        """The stored lock of a conversation, or None."""
        row = (
            self._file.connection()
            .execute("SELECT lock FROM locks WHERE conversation_id = ?", (conversation_id,))
            .fetchone()
        )
        return TicketLock.from_dict(json.loads(row[0])) if row else None

    def save_lock(self, lock: TicketLock) -> None:
        """Store a lock (replacing the conversation's previous one)."""
        self._file.connection().execute(
            "INSERT OR REPLACE INTO locks VALUES (?, ?)", (lock.conversation_id, lock.dumps())
        )

    def delete_lock(self, conversation_id: str) -> None:
        """Remove a conversation's lock."""
        deleted = (
            self._file.connection()
            .execute("DELETE FROM locks WHERE conversation_id = ?", (conversation_id,))
            .rowcount
        )
        self._log_deletion(conversation_id, deletion_successful=bool(deleted))

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Rasa's issue_ticket (get or create the lock, take a ticket, save), in one transaction,
        noting this process as the ticket's holder."""
        try:
            with self._file.transaction() as connection:
                number = super().issue_ticket(conversation_id, lock_lifetime)
                connection.execute(
                    "INSERT OR REPLACE INTO holders VALUES (?, ?, ?)", (conversation_id, number, os.getpid())
                )
                return number
        except sqlite3.Error as error:
            raise LockError(
                f"Error while acquiring lock for {conversation_id!r} in {self.path}: {error}"
            ) from error

    def update_lock(self, conversation_id: str) -> None:
        """Drop the conversation's expired tickets and those of processes that have ended,
        atomically (Rasa calls this while a turn waits for the lock)."""
        with self._file.transaction() as connection:
            holders = connection.execute(
                "SELECT number, pid FROM holders WHERE conversation_id = ?", (conversation_id,)
            ).fetchall()
            ended = [(number, pid) for number, pid in holders if not running(pid)]
            lock = self.get_lock(conversation_id) if ended else None
            if lock is not None:
                for number, pid in ended:
                    lock.remove_ticket_for(number)
                    logger.warning(
                        "Conversation %s: process %d ended holding ticket %d; dropped",
                        conversation_id,
                        pid,
                        number,
                    )
                self.save_lock(lock)
            self._forget(connection, conversation_id, [number for number, _ in ended])
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish a ticket and remove the lock when nobody waits, atomically."""
        with self._file.transaction() as connection:
            super().cleanup(conversation_id, ticket_number)
            self._forget(connection, conversation_id, [ticket_number])
            if self.get_lock(conversation_id) is None:
                connection.execute("DELETE FROM holders WHERE conversation_id = ?", (conversation_id,))

    @staticmethod
    def _forget(connection: sqlite3.Connection, conversation_id: str, numbers: List[int]) -> None:
        connection.executemany(
            "DELETE FROM holders WHERE conversation_id = ? AND number = ?",
            [(conversation_id, number) for number in numbers],
        )


def running(pid: int) -> bool:
    """True while process `pid` exists on this machine (a zombie, not yet reaped, counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
