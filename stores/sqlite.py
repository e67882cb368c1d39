"""How this project opens SQLite files: the conversations (Rasa's SQL tracker store, through
scripts/rasa_server.py) and the conversation locks (stores/locks.py).

Write-ahead logging lets the readers and the writer of several Sanic workers go on at once,
and synchronous=NORMAL drops the fsync of every commit: a commit survives a crash of the
process, not a power cut or an operating-system crash, which may lose the last turns
(SQLite's documented trade-off; a lock lost that way is void anyway).
"""

import sqlite3


def write_ahead(connection: sqlite3.Connection) -> None:
    """Put a new connection in WAL mode (kept in the file once set) with synchronous=NORMAL."""
    cursor = connection.cursor()
    try:
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
