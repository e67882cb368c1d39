"""What the WeChat channel shares between the Sanic workers of one server, in one SQLite file.

WeChat posts a message, waits 5 seconds and posts it again (up to three times), and any worker
may get any of those posts. So the channel keeps, beside the lock store (var/wechat.db):

- `replies`: one row per message (its MsgId, or sender and time for an event), claimed by the
  first post; later posts read the answer from it instead of asking Rasa again. A message
  whose answer is late is handed over to the customer-service message API, once.
- `buttons`: the suggestions last shown in each conversation, so "2" means button 2 on
  whichever worker gets it.
- `tokens`: the API access token with the time to fetch the next one (wechatpy's session
  storage interface), fetched by one worker at a time (`token_lock`).
"""

import fcntl
import json
import logging
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, List, Optional, Tuple

from stores.sqlite import SharedFile

logger = logging.getLogger(__name__)

# Messages are remembered this long (WeChat retries within 15 s; older posts are refused).
KEPT_SECONDS = 3600.0
# A token is fetched again this long before it expires (or halfway, for short-lived ones).
REFRESH_MARGIN = 300.0

# States of a message: Rasa is answering it; answered (the reply is stored); answered late,
# so the answer goes through the API; sent through the API.
PENDING, DONE, LATE, SENT = "pending", "done", "late", "sent"


class WeChatStore:
    """The channel's shared state in one SQLite file (created with its folder when missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = SharedFile(path)
        with self._file.transaction() as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS replies (message TEXT PRIMARY KEY, state TEXT NOT NULL, "
                "reply TEXT, created REAL NOT NULL)"
            )
            connection.execute("CREATE TABLE IF NOT EXISTS buttons (sender TEXT PRIMARY KEY, payloads TEXT)")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS tokens (key TEXT PRIMARY KEY, value TEXT, refresh_at REAL)"
            )

    # Messages

    def claim(self, message: str) -> Tuple[str, Optional[List[str]]]:
        """("new", None) for the first post of a message, which must answer it; for a repeat,
        the message's state and its stored reply (the parts of the text), if any."""
        now = time.time()
        with self._file.transaction() as connection:
            connection.execute("DELETE FROM replies WHERE created < ?", (now - KEPT_SECONDS,))
            row = connection.execute(
                "SELECT state, reply FROM replies WHERE message = ?", (message,)
            ).fetchone()
            if row is None:
                connection.execute("INSERT INTO replies VALUES (?, ?, NULL, ?)", (message, PENDING, now))
                return "new", None
        return row[0], json.loads(row[1]) if row[1] else None

    def state(self, message: str) -> Tuple[Optional[str], Optional[List[str]]]:
        """A message's state and stored reply (None, None when unknown)."""
        row = (
            self._file.connection()
            .execute("SELECT state, reply FROM replies WHERE message = ?", (message,))
            .fetchone()
        )
        return (row[0], json.loads(row[1]) if row[1] else None) if row else (None, None)

    def finish(self, message: str, reply: List[str]) -> bool:
        """Store a message's reply; False when it came late (handed over to the API)."""
        with self._file.transaction() as connection:
            changed = connection.execute(
                "UPDATE replies SET state = ?, reply = ? WHERE message = ? AND state = ?",
                (DONE, json.dumps(reply), message, PENDING),
            ).rowcount
            if not changed:
                connection.execute(
                    "UPDATE replies SET reply = ? WHERE message = ?", (json.dumps(reply), message)
                )
        return bool(changed)

    def hand_over(self, message: str) -> Optional[List[str]]:
        """Mark a message whose answer is not ready as late; its reply if it has just come in
        time (None if it was already handed over)."""
        with self._file.transaction() as connection:
            changed = connection.execute(
                "UPDATE replies SET state = ? WHERE message = ? AND state = ?", (LATE, message, PENDING)
            ).rowcount
        if changed:
            return None
        state, reply = self.state(message)
        return reply if state == DONE else None

    def sent(self, message: str) -> None:
        """Note that a late answer went out through the API."""
        self._file.connection().execute("UPDATE replies SET state = ? WHERE message = ?", (SENT, message))

    def forget(self, message: str) -> None:
        """Drop a message that could not be answered, so a retry by WeChat is answered afresh."""
        self._file.connection().execute("DELETE FROM replies WHERE message = ?", (message,))

    # Buttons

    def save_buttons(self, sender: str, payloads: List[str]) -> None:
        """Keep the payloads of the buttons just shown to a visitor."""
        self._file.connection().execute(
            "INSERT OR REPLACE INTO buttons VALUES (?, ?)", (sender, json.dumps(payloads, ensure_ascii=False))
        )

    def buttons(self, sender: str) -> List[str]:
        """The payloads of the buttons last shown to a visitor."""
        row = (
            self._file.connection()
            .execute("SELECT payloads FROM buttons WHERE sender = ?", (sender,))
            .fetchone()
        )
        return json.loads(row[0]) if row else []

    # The access token: wechatpy's SessionStorage interface (get, set, delete)

    def get(self, key: str, default: Any = None) -> Any:
        """A stored value, or `default` when there is none or it is due to be fetched again."""
        row = (
            self._file.connection()
            .execute("SELECT value, refresh_at FROM tokens WHERE key = ?", (key,))
            .fetchone()
        )
        if row is None or (row[1] is not None and time.time() >= row[1]):
            return default
        return json.loads(row[0])

    def set(self, key: str, value: Any, ttl: Optional[float] = None) -> None:
        """Store a value valid for `ttl` seconds; it is refetched REFRESH_MARGIN (at most half
        its life) before it expires."""
        refresh_at = None if not ttl else time.time() + max(float(ttl) - REFRESH_MARGIN, float(ttl) / 2)
        self._file.connection().execute(
            "INSERT OR REPLACE INTO tokens VALUES (?, ?, ?)", (key, json.dumps(value), refresh_at)
        )

    def delete(self, key: str) -> None:
        """Drop a stored value."""
        self._file.connection().execute("DELETE FROM tokens WHERE key = ?", (key,))

    @contextmanager
    def token_lock(self) -> Iterator[None]:
        """Held while a token is fetched, so the workers fetch one token, not one each."""
        with open(self.path.with_name(self.path.name + ".token-lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
