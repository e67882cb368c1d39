"""Matrix: the assistant as a bot account on a Matrix homeserver, over matrix-nio with end-to-end encryption.

Switched on by MATRIX_HOMESERVER, MATRIX_USER_ID and MATRIX_PASSWORD (or
MATRIX_ACCESS_TOKEN); without them it is inert and the server starts offline as before.
When on, a background task started with the Sanic server signs in, long-polls /sync, joins
the rooms the bot is invited to and answers text messages there, encrypted rooms included:
one conversation per room and sender, buttons as a numbered list answered with the number.
Messages sent before the bot joined a room, or while it was not running, are not answered.
Visitor text is read as plain text (channels.guard).

One bot runs per store folder: with several Sanic workers (SANIC_WORKERS) the worker that
holds the folder's lock runs it and the others stand by, taking over if it stops (each would
otherwise answer every message). The running worker writes the bot's state beside the lock, and
every worker's health route reports that state, so the answer is the same whichever worker
serves it.

The device keys and olm/megolm sessions live in the store folder (var/matrix-store/ by
default) with the access token, so a restart is the same device with the same keys. Room
keys are shared with every device in a room without verification (trust on first use).
"""

import asyncio
import fcntl
import json
import logging
import os
import re
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Dict, List, Mapping, Optional, Set, Tuple

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    Event,
    ForwardedRoomKeyEvent,
    JoinError,
    LocalProtocolError,
    LoginResponse,
    MegolmEvent,
    RoomKeyEvent,
    RoomMemberEvent,
    RoomMessageText,
    RoomSendResponse,
    SyncResponse,
    WhoamiResponse,
)
from nio.exceptions import EncryptionError
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import OnNewMessage, guard_messages

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
# Credential keys (credentials.yml) and the environment variables they default to.
SETTINGS = {
    "homeserver": "MATRIX_HOMESERVER",
    "user_id": "MATRIX_USER_ID",
    "password": "MATRIX_PASSWORD",
    "access_token": "MATRIX_ACCESS_TOKEN",
    "device_id": "MATRIX_DEVICE_ID",
    "store_path": "MATRIX_STORE_PATH",
}
DEFAULT_DEVICE_ID = "JINCHANG_ASSISTANT"
DEFAULT_STORE_PATH = ROOT / "var" / "matrix-store"
DEVICE_NAME = "Jinchang visitor assistant"
# The access token and device of the last login, beside nio's key store.
SESSION_FILE = "session.json"
SESSION_KEYS = ("homeserver", "user_id", "device_id")  # a stored session is for these only
# Held by the process that runs the bot; the others look again every STANDBY_RETRY seconds.
RUNNING_FILE = "running.lock"
STANDBY_RETRY = 5.0
# The running bot's state, written by the process that runs it, read by the health route of
# every process: {"status": ..., "user_id": ..., "pid": ...}.
STATUS_FILE = "status.json"

# How long the homeserver may hold a /sync open (nio waits 15 s past that).
SYNC_TIMEOUT_MS = 30_000
REQUEST_TIMEOUT = 60.0
# Waits between failed /sync calls: doubling from the first to the last.
FIRST_RETRY_DELAY = 1.0
MAX_RETRY_DELAY = 30.0
# Attempts at sending one message, and at joining a room, before giving up on it.
SEND_ATTEMPTS = 4
JOIN_ATTEMPTS = 5
# Conversations whose last buttons are remembered (the oldest are forgotten first).
REMEMBERED_CONVERSATIONS = 10_000
# Encrypted messages kept until their room key arrives, and for how long.
UNDECRYPTED_KEPT = 100
UNDECRYPTED_SECONDS = 600.0

# What the bot reads: its rooms' messages, memberships and encryption settings, nothing else.
# (Device lists, one-time key counts and to-device messages, which carry room keys, always come.)
ROOM_TYPES = ["m.room.message", "m.room.encrypted", "m.room.member", "m.room.encryption"]
SYNC_FILTER: Dict[str, Any] = {
    "presence": {"not_types": ["*"]},
    "account_data": {"not_types": ["*"]},
    "room": {
        "timeline": {"types": ROOM_TYPES, "limit": 50},
        "state": {"types": ["m.room.member", "m.room.encryption"]},
        "ephemeral": {"not_types": ["*"]},
        "account_data": {"not_types": ["*"]},
    },
}
# The first /sync only learns the rooms and the position in the stream: one event a room.
FIRST_SYNC_FILTER: Dict[str, Any] = {**SYNC_FILTER, "room": {**SYNC_FILTER["room"], "timeline": {"limit": 1}}}

_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")


@dataclass(frozen=True)
class MatrixSettings:
    """Where the bot signs in, as whom, and where it keeps its keys."""

    homeserver: str
    user_id: Optional[str]
    password: Optional[str]
    access_token: Optional[str]
    device_id: str = DEFAULT_DEVICE_ID
    store_path: Path = DEFAULT_STORE_PATH

    @classmethod
    def read(cls, credentials: Mapping[str, Any], environ: Mapping[str, str]) -> Optional["MatrixSettings"]:
        """Settings from credentials.yml values, else the environment; None when switched off."""
        values = {key: credentials.get(key) or environ.get(env) or None for key, env in SETTINGS.items()}
        if not values["homeserver"] or not (values["password"] or values["access_token"]):
            return None
        if values["password"] and not values["user_id"]:
            raise ValueError(
                "Matrix: MATRIX_PASSWORD is set but MATRIX_USER_ID is not (e.g. @jinbot:localhost)"
            )
        store_path = (
            Path(str(values["store_path"])).expanduser() if values["store_path"] else DEFAULT_STORE_PATH
        )
        return cls(
            homeserver=str(values["homeserver"]).rstrip("/"),
            user_id=values["user_id"],
            password=values["password"],
            access_token=values["access_token"],
            device_id=values["device_id"] or DEFAULT_DEVICE_ID,
            store_path=store_path if store_path.is_absolute() else ROOT / store_path,
        )


class MatrixError(Exception):
    """The homeserver answered with an error."""

    def __init__(self, status: int, errcode: str = "", message: str = "", retry_after_ms: int = 1000) -> None:
        self.status = status
        self.errcode = errcode
        self.retry_after = float(retry_after_ms or 1000) / 1000.0
        super().__init__(f"HTTP {status} {errcode}: {message}".strip())

    @classmethod
    def of(cls, error: ErrorResponse) -> "MatrixError":
        """The error a nio error response stands for."""
        status = getattr(error.transport_response, "status", 0) or 0
        return cls(
            int(status), str(error.status_code or ""), str(error.message or ""), error.retry_after_ms or 0
        )

    @property
    def token_invalid(self) -> bool:
        """True when the access token is unknown or expired: signing in again may help."""
        return self.status == 401 or self.errcode in ("M_UNKNOWN_TOKEN", "M_MISSING_TOKEN")

    @property
    def permanent(self) -> bool:
        """True for a refusal that trying again will not change (not a rate limit, not a server fault)."""
        return 400 <= self.status < 500 and self.status not in (401, 429) or self.errcode == "M_FORBIDDEN"


def sender_id_for(room_id: str, user_id: str) -> str:
    """The conversation id of a visitor in a room (user ids never contain "|")."""
    return f"{room_id}|{user_id}"


def room_of(sender_id: str) -> str:
    """The room a conversation id belongs to."""
    room_id, separator, _ = sender_id.rpartition("|")
    if not separator or not room_id:
        raise ValueError(f"not a Matrix conversation id: {sender_id!r}")
    return room_id


def numbered_list(text: str, buttons: List[Dict[str, Any]]) -> str:
    """Buttons as a numbered list under the text, to be answered with the number."""
    lines = [text.strip()] if text and text.strip() else []
    lines += [f"{number}. {button.get('title', '')}" for number, button in enumerate(buttons, 1)]
    return "\n".join(lines)


def without_reply_fallback(body: str) -> str:
    """The text of a message without the quoted lines a client adds when replying."""
    if not body.startswith("> "):
        return body
    lines = body.split("\n")
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).strip()


class ButtonMemory:
    """The payloads of the last buttons shown in each conversation, so "2" means button 2."""

    def __init__(self, capacity: int = REMEMBERED_CONVERSATIONS) -> None:
        self.capacity = capacity
        self._payloads: OrderedDict[str, List[str]] = OrderedDict()

    def remember(self, sender_id: str, buttons: List[Dict[str, Any]]) -> None:
        """Keep the payloads of the buttons just shown in a conversation."""
        self._payloads[sender_id] = [str(b.get("payload") or b.get("title") or "") for b in buttons]
        self._payloads.move_to_end(sender_id)
        while len(self._payloads) > self.capacity:
            self._payloads.popitem(last=False)

    def resolve(self, sender_id: str, text: str) -> Optional[str]:
        """The payload of the button whose number the text is, or None."""
        match = _NUMBER.match(text)
        payloads = self._payloads.get(sender_id, [])
        if match and 1 <= int(match.group(1)) <= len(payloads):
            return payloads[int(match.group(1)) - 1]
        return None


def make_client(settings: MatrixSettings) -> AsyncClient:
    """A nio client with its key store in the store folder; network errors come back at once."""
    config = AsyncClientConfig(
        encryption_enabled=True,
        store_sync_tokens=False,  # messages sent while the bot was away are not answered
        max_timeouts=0,  # the sync loop waits and retries, saying so in the health route
        request_timeout=REQUEST_TIMEOUT,
    )
    return AsyncClient(
        settings.homeserver,
        settings.user_id or "",
        device_id=settings.device_id,
        store_path=str(settings.store_path),
        config=config,
    )


class MatrixOutput(OutputChannel):
    """Sends the bot's messages to the room of the conversation, buttons as a numbered list."""

    @classmethod
    def name(cls) -> str:
        return "matrix"

    def __init__(self, bot: "MatrixBot") -> None:
        self.bot = bot

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send text as an m.text message (encrypted in an encrypted room)."""
        await self.bot.send_text(room_of(recipient_id), text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send the text with the buttons numbered; the number answers with that payload."""
        self.bot.buttons.remember(recipient_id, buttons)
        await self.bot.send_text(room_of(recipient_id), numbered_list(text, buttons))

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        """Send the text of a custom message, if it has one (Matrix clients cannot show the rest)."""
        text = json_message.get("text") if isinstance(json_message, dict) else None
        if text:
            await self.send_text_message(recipient_id, str(text))


class MatrixBot:
    """The sync loop: joins rooms it is invited to and hands new text messages to Rasa."""

    def __init__(self, settings: MatrixSettings, on_new_message: OnNewMessage, input_channel: str) -> None:
        self.settings = settings
        self.client = make_client(settings)
        self.buttons = ButtonMemory()
        self.output = MatrixOutput(self)
        self.on_new_message = on_new_message
        self.input_channel = input_channel
        self.running = False  # whether this process holds the store and runs the bot
        self._status = "starting"
        self.rooms: Set[str] = set()
        self.joined_at: Dict[str, int] = {}
        self._first = True
        self._signed_in_at = float("-inf")
        # Rooms the bot is invited to and has not joined yet, with the joins tried so far.
        self._invites: Dict[str, int] = {}
        # Encrypted messages waiting for their room key: (room id, event, when it came).
        self._undecrypted: List[Tuple[str, MegolmEvent, float]] = []
        self._requested: Set[str] = set()  # the sessions whose room key was asked for
        self._tasks: Set[asyncio.Task[None]] = set()
        self._keys_lock = asyncio.Lock()
        # One lock per conversation with the number of messages holding or awaiting it.
        self._locks: Dict[str, Tuple[asyncio.Lock, int]] = {}

    @property
    def user_id(self) -> Optional[str]:
        """The bot's Matrix id (known once signed in when only a token was given)."""
        return self.client.user_id or self.settings.user_id

    @property
    def status(self) -> str:
        """This process's state of the bot: starting, standby, connected or reconnecting."""
        return self._status

    @status.setter
    def status(self, status: str) -> None:
        changed, self._status = status != self._status, status
        if changed and self.running:
            share_status(self.settings.store_path, status, self.user_id)

    @property
    def since(self) -> Optional[str]:
        """The position in the homeserver's event stream (None before the first sync)."""
        return self.client.next_batch or None

    async def run(self) -> None:
        """Sync until cancelled; on errors log, wait (1 s doubling to 30 s) and carry on."""
        delay = FIRST_RETRY_DELAY
        while True:
            try:
                if not self.client.logged_in:
                    await self._sign_in()
                first = self._first
                answer = await self.client.sync(
                    timeout=0 if first else SYNC_TIMEOUT_MS,
                    sync_filter=FIRST_SYNC_FILTER if first else SYNC_FILTER,
                )
                if isinstance(answer, ErrorResponse):
                    raise MatrixError.of(answer)
                await self._read(answer, first)
                self._first = False
                await self.share_keys()
                if self.status != "connected":
                    logger.info("Matrix: connected to %s as %s", self.settings.homeserver, self.user_id)
                self.status = "connected"
                delay = FIRST_RETRY_DELAY
                continue
            except asyncio.CancelledError:
                raise
            except MatrixError as error:
                if error.token_invalid and self.settings.password:
                    logger.warning("Matrix: access token no longer valid (%s): signing in again", error)
                    self.client.access_token = ""
                    if time.monotonic() - self._signed_in_at > MAX_RETRY_DELAY:
                        continue  # at once, unless the last sign-in was just now
                elif error.status == 429 or error.errcode == "M_LIMIT_EXCEEDED":
                    delay = max(delay, error.retry_after)
                    logger.warning("Matrix: rate limited, waiting %.0f s", delay)
                else:
                    logger.error("Matrix: %s; retrying in %.0f s", error, delay)
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
                logger.warning(
                    "Matrix: homeserver %s not reachable (%s); retrying in %.0f s",
                    self.settings.homeserver,
                    type(error).__name__,
                    delay,
                )
            except Exception:  # noqa: BLE001 - the loop must survive anything a homeserver sends
                logger.exception("Matrix: unexpected error while syncing; retrying in %.0f s", delay)
            self.status = "reconnecting"
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_DELAY)

    async def _sign_in(self) -> None:
        """Restore the stored session (same device, same keys), else log in and store it."""
        self._signed_in_at = time.monotonic()
        settings, client = self.settings, self.client
        settings.store_path.mkdir(parents=True, exist_ok=True, mode=0o700)
        session = settings.store_path / SESSION_FILE
        how = "session restored from the store"
        if settings.password:
            # Once signed in during this run, signing in again means the stored token was refused.
            stored = None if client.olm else self._stored_session(session)
            if stored:
                client.restore_login(stored["user_id"], stored["device_id"], stored["access_token"])
            else:
                how = "logged in with the password"
                answer = await client.login(settings.password, device_name=DEVICE_NAME)
                if not isinstance(answer, LoginResponse):
                    raise MatrixError.of(answer)
                if client.olm is not None and client.olm.account.shared:
                    # A login with stored keys may follow the device's deletion, which took
                    # them off the homeserver: upload them again (the same keys).
                    client.olm.account.shared = False
                self._store_session(session)
        else:
            client.access_token = settings.access_token or ""
            answer = await client.whoami()
            if not isinstance(answer, WhoamiResponse):
                raise MatrixError.of(answer)
            client.restore_login(answer.user_id, answer.device_id or settings.device_id, client.access_token)
            how = "access token"
        if client.olm is not None:
            key = client.olm.account.identity_keys["ed25519"]
            logger.info("Matrix: device %s, key ed25519:%s (%s)", client.device_id, key, how)

    def _stored_session(self, path: Path) -> Optional[Dict[str, str]]:
        """The stored login for this homeserver, account and device, if there is one."""
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        wanted = (self.settings.homeserver, self.settings.user_id, self.settings.device_id)
        if not isinstance(stored, dict) or tuple(stored.get(k) for k in SESSION_KEYS) != wanted:
            return None
        return stored if stored.get("access_token") else None

    def _store_session(self, path: Path) -> None:
        """Keep the access token and device id, readable by this user only."""
        client = self.client
        data = {
            "homeserver": self.settings.homeserver,
            "user_id": self.settings.user_id,
            "device_id": client.device_id,
            "access_token": client.access_token,
        }
        temporary = path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(data, file)
        os.replace(temporary, path)
        if client.device_id != self.settings.device_id:
            logger.warning(
                "Matrix: the homeserver gave device %s, not %s", client.device_id, self.settings.device_id
            )

    async def share_keys(self) -> None:
        """Send queued to-device messages; upload, query and claim keys as nio says it needs."""
        client = self.client
        async with self._keys_lock:
            if client.outgoing_to_device_messages:
                await client.send_to_device_messages()
            if client.should_upload_keys:
                self._check(await client.keys_upload())
            if client.should_query_keys:
                self._check(await client.keys_query())
            if client.should_claim_keys:
                self._check(await client.keys_claim(client.get_users_for_key_claiming()))

    @staticmethod
    def _check(answer: Any) -> None:
        if isinstance(answer, ErrorResponse):
            logger.warning("Matrix: key request failed: %s", answer)

    async def send_text(self, room_id: str, text: str) -> None:
        """Send a text message (encrypted in an encrypted room), retrying while the homeserver is away."""
        content = {"msgtype": "m.text", "body": text}
        transaction = uuid.uuid4().hex
        delay = FIRST_RETRY_DELAY
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await self.share_keys()  # the devices of a visitor who just joined
                answer = await self.client.room_send(
                    room_id, "m.room.message", content, tx_id=transaction, ignore_unverified_devices=True
                )
                if isinstance(answer, RoomSendResponse):
                    return
                error = MatrixError.of(answer)
                if error.permanent or attempt == SEND_ATTEMPTS:
                    raise error
                delay = max(delay, error.retry_after)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                if attempt == SEND_ATTEMPTS:
                    raise
            logger.warning("Matrix: sending to %s failed, retrying in %.0f s", room_id, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_DELAY)

    async def stop(self) -> None:
        """Cancel the message handlers still running and close the HTTP session."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.client.close()

    async def _read(self, answer: SyncResponse, first: bool) -> None:
        """Act on one /sync answer (nio has decrypted what it could): forget rooms left,
        answer messages (not on the first sync), join rooms the bot is invited to."""
        rooms = answer.rooms
        for room_id in rooms.leave:
            self.rooms.discard(room_id)
            self.joined_at.pop(room_id, None)
        for room_id, room in rooms.join.items():
            events = list(room.timeline.events)
            if first:
                self.rooms.add(room_id)
                continue
            if room_id not in self.rooms:
                events = self._after_join(room_id, events)
                self.rooms.add(room_id)
            for event in events:
                await self._read_event(room_id, event)
        if any(isinstance(e, (RoomKeyEvent, ForwardedRoomKeyEvent)) for e in answer.to_device_events):
            await self._decrypt_waiting()
        for room_id in rooms.invite:
            self._invites.setdefault(room_id, 0)
        await self._accept_invites()

    def _after_join(self, room_id: str, events: List[Event]) -> List[Event]:
        """The events of a newly joined room's timeline that came after the bot's join."""
        for index in range(len(events) - 1, -1, -1):
            event = events[index]
            if (
                isinstance(event, RoomMemberEvent)
                and event.state_key == self.user_id
                and event.membership == "join"
            ):
                self.joined_at[room_id] = int(event.server_timestamp or 0)
                return events[index + 1 :]
        joined_at = self.joined_at.get(room_id, 0)
        return [e for e in events if int(getattr(e, "server_timestamp", 0) or 0) > joined_at]

    async def _accept_invites(self) -> None:
        """Join the rooms the bot is invited to; a failed join is tried again on later syncs."""
        for room_id, attempts in list(self._invites.items()):
            if room_id in self.rooms:
                del self._invites[room_id]
                continue
            try:
                answer = await self.client.join(room_id)
                if isinstance(answer, JoinError):
                    raise MatrixError.of(answer)
            except (MatrixError, aiohttp.ClientError, asyncio.TimeoutError) as error:
                permanent = isinstance(error, MatrixError) and error.permanent
                if permanent or attempts + 1 >= JOIN_ATTEMPTS:
                    logger.warning(
                        "Matrix: could not join %s: %s", room_id, str(error) or type(error).__name__
                    )
                    del self._invites[room_id]
                else:
                    self._invites[room_id] = attempts + 1
                continue
            del self._invites[room_id]
            self.joined_at.setdefault(room_id, int(time.time() * 1000))
            logger.info("Matrix: joined %s", room_id)

    async def _read_event(self, room_id: str, event: Event) -> None:
        """Hand a visitor's text message to Rasa; wait for the key of one nio could not decrypt."""
        if isinstance(event, MegolmEvent):
            if event.sender != self.user_id:
                await self._wait_for_key(room_id, event)
            return
        content = event.source.get("content") or {}
        if (
            not isinstance(event, RoomMessageText)  # notices, images, ... are not read
            or not event.sender
            or event.sender == self.user_id
            or not isinstance(event.body, str)
            or (content.get("m.relates_to") or {}).get("rel_type") == "m.replace"
            or int(event.server_timestamp or 0) < self.joined_at.get(room_id, 0)
        ):
            return
        sender_id = sender_id_for(room_id, event.sender)
        text = without_reply_fallback(event.body)
        metadata: Dict[str, Any] = {
            "matrix": {"room_id": room_id, "sender": event.sender, "event_id": event.event_id}
        }
        payload = self.buttons.resolve(sender_id, text)
        if payload is not None:
            metadata["matrix"]["button"] = text.strip()
            text = payload
        task = asyncio.create_task(self._answer(sender_id, text, metadata))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _wait_for_key(self, room_id: str, event: MegolmEvent) -> None:
        """Keep an undecryptable message until its room key comes; ask the sender's devices for it."""
        logger.warning(
            "Matrix: cannot decrypt %s from %s in %s (session %s): requesting the room key",
            event.event_id,
            event.sender,
            room_id,
            event.session_id,
        )
        event.room_id = room_id
        self._undecrypted.append((room_id, event, time.monotonic()))
        del self._undecrypted[:-UNDECRYPTED_KEPT]
        if event.session_id and event.session_id not in self._requested:
            self._requested.add(event.session_id)
            # To the sender's devices (nio's request_room_key asks the bot's own other devices).
            self._check(
                await self.client.to_device(event.as_key_request(event.sender, self.client.device_id))
            )

    async def _decrypt_waiting(self) -> None:
        """Read the waiting messages whose room key has come."""
        waiting, self._undecrypted = self._undecrypted, []
        for room_id, event, since in waiting:
            try:
                decrypted = self.client.decrypt_event(event)
            except (EncryptionError, LocalProtocolError):
                if time.monotonic() - since < UNDECRYPTED_SECONDS:
                    self._undecrypted.append((room_id, event, since))
                continue
            logger.info("Matrix: decrypted %s with a room key that came later", event.event_id)
            await self._read_event(room_id, decrypted)

    async def _answer(self, sender_id: str, text: str, metadata: Dict[str, Any]) -> None:
        """Pass one message to Rasa, after the earlier ones of the same conversation."""
        lock, waiting = self._locks.get(sender_id, (asyncio.Lock(), 0))
        self._locks[sender_id] = (lock, waiting + 1)
        try:
            async with lock:
                await self.on_new_message(
                    UserMessage(
                        text, self.output, sender_id, input_channel=self.input_channel, metadata=metadata
                    )
                )
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - one failed answer must not stop the bot
            logger.exception("Matrix: could not answer %s", sender_id)
        finally:
            lock, waiting = self._locks[sender_id]
            if waiting > 1:
                self._locks[sender_id] = (lock, waiting - 1)
            else:
                del self._locks[sender_id]


def hold_store(store_path: Path) -> Optional[IO[str]]:
    """The store folder's lock, held until the returned file is closed (or the process ends);
    None while another process holds it."""
    store_path.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle = open(store_path / RUNNING_FILE, "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def share_status(store_path: Path, status: str, user_id: Optional[str]) -> None:
    """Write the running bot's state beside the store's lock, whole (a new file renamed over
    the old, so a reader never sees half of it)."""
    state = {"status": status, "user_id": user_id, "pid": os.getpid()}
    written = store_path / f".{STATUS_FILE}.{os.getpid()}"
    try:
        written.write_text(json.dumps(state), encoding="utf-8")
        os.replace(written, store_path / STATUS_FILE)
    except OSError as error:
        logger.warning("Matrix: could not write %s: %s", store_path / STATUS_FILE, error)


def shared_status(store_path: Path) -> Optional[Dict[str, Any]]:
    """The state the running bot wrote ({"status", "user_id"}); None when no process runs it
    (no file, an unreadable one, or its writer has ended)."""
    try:
        state = json.loads((store_path / STATUS_FILE).read_text(encoding="utf-8"))
        pid = int(state["pid"])
        os.kill(pid, 0)  # signal 0: is the writer still running?
    except PermissionError:
        pass  # running, as another user
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(state.get("status"), str):
        return None
    return {"status": state["status"], "user_id": state.get("user_id")}


def status_of(settings: "MatrixSettings", bot: Optional["MatrixBot"]) -> Dict[str, Any]:
    """The channel's health: the state of the bot in the process that runs it, whichever
    process is asked ("starting" while none does yet)."""
    if bot is not None and bot.running:
        return {"status": bot.status, "user_id": bot.user_id}
    shared = shared_status(settings.store_path)
    if shared is not None:
        return shared
    return {"status": "starting", "user_id": bot.user_id if bot is not None else settings.user_id}


async def run_alone(bot: "MatrixBot") -> None:
    """Run the bot once this process holds its store's lock; until then it stands by."""
    store_path = bot.settings.store_path
    held = hold_store(store_path)
    if held is None:
        logger.info("Matrix: another process of this server runs the bot; standing by")
    while held is None:
        bot.status = "standby"
        await asyncio.sleep(STANDBY_RETRY)
        held = hold_store(store_path)
    try:
        bot.running = True
        bot.status = "starting"
        share_status(store_path, bot.status, bot.user_id)
        await bot.run()
    finally:
        bot.running = False
        (store_path / STATUS_FILE).unlink(missing_ok=True)  # before the lock: no stale state
        held.close()


class MatrixInput(InputChannel):
    """Matrix when MATRIX_HOMESERVER, MATRIX_USER_ID and MATRIX_PASSWORD (or _ACCESS_TOKEN) are set."""

    @classmethod
    def name(cls) -> str:
        return "matrix"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        settings = MatrixSettings.read(credentials or {}, os.environ)
        if settings is None:
            logger.info(
                "Matrix is off: set MATRIX_HOMESERVER, MATRIX_USER_ID and MATRIX_PASSWORD "
                "(or MATRIX_ACCESS_TOKEN) to switch it on"
            )
        return cls(settings)

    def __init__(self, settings: Optional[MatrixSettings] = None) -> None:
        self.settings = settings
        self.bot: Optional[MatrixBot] = None

    def get_output_channel(self) -> Optional[OutputChannel]:
        """The output channel of the running bot (for messages Rasa sends on its own)."""
        return self.bot.output if self.bot is not None else None

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """A health route; when switched on, the sync loop runs while the server does."""
        on_new_message = guard_messages(on_new_message)
        webhook = Blueprint("matrix_sync", __name__)
        settings = self.settings

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            if settings is None:
                needed = "MATRIX_HOMESERVER, MATRIX_USER_ID, MATRIX_PASSWORD or MATRIX_ACCESS_TOKEN"
                return response.json({"status": "off", "switch_on_with": needed})
            return response.json(status_of(settings, self.bot))

        if settings is None:
            return webhook
        tasks: List[asyncio.Task[None]] = []

        @webhook.listener("after_server_start")
        async def start(_app: Any, _loop: Any) -> None:
            nio_logger = logging.getLogger("nio")
            if nio_logger.level == logging.NOTSET:
                nio_logger.setLevel(logging.WARNING)  # nio logs every event it reads at INFO
            self.bot = MatrixBot(settings, on_new_message, self.name())
            tasks.append(asyncio.create_task(run_alone(self.bot)))
            logger.info("Matrix: syncing with %s (keys in %s)", settings.homeserver, settings.store_path)

        @webhook.listener("before_server_stop")
        async def stop(_app: Any, _loop: Any) -> None:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            tasks.clear()
            if self.bot is not None:
                await self.bot.stop()

        return webhook
