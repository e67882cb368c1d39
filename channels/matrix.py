"""Matrix: the assistant as a bot account on a Matrix homeserver (client-server API v3).

Switched on by MATRIX_HOMESERVER, MATRIX_USER_ID and MATRIX_PASSWORD (or
MATRIX_ACCESS_TOKEN); without them it is inert and the server starts offline as before.
When on, a background task started with the Sanic server signs in, long-polls /sync, joins
the rooms the bot is invited to and answers text messages there: one conversation per room
and sender, buttons as a numbered list answered with the number. Messages sent before the
bot joined a room, or while it was not running, are not answered. Visitor text is read as
plain text (channels.guard).
"""

import asyncio
import json
import logging
import os
import re
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple
from urllib.parse import quote

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import OnNewMessage, guard_messages

logger = logging.getLogger(__name__)

# Credential keys (credentials.yml) and the environment variables they default to.
SETTINGS = {
    "homeserver": "MATRIX_HOMESERVER",
    "user_id": "MATRIX_USER_ID",
    "password": "MATRIX_PASSWORD",
    "access_token": "MATRIX_ACCESS_TOKEN",
    "device_id": "MATRIX_DEVICE_ID",
}
DEFAULT_DEVICE_ID = "JINCHANG_ASSISTANT"
API = "/_matrix/client/v3"

# How long the homeserver may hold a /sync open, and how long the client waits past that.
SYNC_TIMEOUT_MS = 30_000
REQUEST_TIMEOUT = 30.0
# Waits between failed /sync calls: doubling from the first to the last.
FIRST_RETRY_DELAY = 1.0
MAX_RETRY_DELAY = 30.0
# Attempts at sending one message, and at joining a room, before giving up on it.
SEND_ATTEMPTS = 4
JOIN_ATTEMPTS = 5
# Conversations whose last buttons are remembered (the oldest are forgotten first).
REMEMBERED_CONVERSATIONS = 10_000

# What the bot reads: its rooms' messages and memberships, nothing else.
SYNC_FILTER: Dict[str, Any] = {
    "presence": {"not_types": ["*"]},
    "account_data": {"not_types": ["*"]},
    "room": {
        "timeline": {"types": ["m.room.message", "m.room.member"], "limit": 50},
        "state": {"types": ["m.room.member"], "lazy_load_members": True},
        "ephemeral": {"not_types": ["*"]},
        "account_data": {"not_types": ["*"]},
    },
}
# The first /sync only learns the rooms and the position in the stream: one event a room.
FIRST_SYNC_FILTER: Dict[str, Any] = {**SYNC_FILTER, "room": {**SYNC_FILTER["room"], "timeline": {"limit": 1}}}

_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")


@dataclass(frozen=True)
class MatrixSettings:
    """Where the bot signs in and as whom."""

    homeserver: str
    user_id: Optional[str]
    password: Optional[str]
    access_token: Optional[str]
    device_id: str = DEFAULT_DEVICE_ID

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
        return cls(
            homeserver=str(values["homeserver"]).rstrip("/"),
            user_id=values["user_id"],
            password=values["password"],
            access_token=values["access_token"],
            device_id=values["device_id"] or DEFAULT_DEVICE_ID,
        )


class MatrixError(Exception):
    """The homeserver answered with an error."""

    def __init__(self, status: int, body: Dict[str, Any]) -> None:
        self.status = status
        self.errcode = str(body.get("errcode", ""))
        self.retry_after = float(body.get("retry_after_ms", 1000)) / 1000.0
        super().__init__(f"HTTP {status} {self.errcode}: {body.get('error', '')}".strip())

    @property
    def token_invalid(self) -> bool:
        """True when the access token is unknown or expired: signing in again may help."""
        return self.status == 401 or self.errcode in ("M_UNKNOWN_TOKEN", "M_MISSING_TOKEN")


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


class MatrixClient:
    """The few client-server API calls the bot makes, over one aiohttp session."""

    def __init__(self, settings: MatrixSettings) -> None:
        self.settings = settings
        self.user_id = settings.user_id
        self.access_token = settings.access_token
        self._session: Optional[aiohttp.ClientSession] = None

    async def open(self) -> None:
        """Create the HTTP session (inside the running event loop)."""
        if self._session is None:
            self._session = aiohttp.ClientSession()

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def request(
        self,
        method: str,
        path: str,
        body: Optional[Dict[str, Any]] = None,
        params: Optional[Dict[str, str]] = None,
        timeout: float = REQUEST_TIMEOUT,
        authorised: bool = True,
    ) -> Dict[str, Any]:
        """One API call; MatrixError for an error answer, aiohttp errors for no answer."""
        await self.open()
        assert self._session is not None
        headers = {"Authorization": f"Bearer {self.access_token}"} if authorised else {}
        async with self._session.request(
            method,
            f"{self.settings.homeserver}{API}{path}",
            json=body,
            params=params,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as reply:
            try:
                data = await reply.json(content_type=None)
            except ValueError:
                data = {}
            if not isinstance(data, dict):
                data = {}
            if reply.status >= 400:
                raise MatrixError(reply.status, data)
            return data

    async def sign_in(self) -> None:
        """Log in with the password (same device each time), or check the given token."""
        if self.settings.password:
            data = await self.request(
                "POST",
                "/login",
                {
                    "type": "m.login.password",
                    "identifier": {"type": "m.id.user", "user": self.settings.user_id},
                    "password": self.settings.password,
                    "device_id": self.settings.device_id,
                    "initial_device_display_name": "Jinchang visitor assistant",
                },
                authorised=False,
            )
            self.access_token = data["access_token"]
            self.user_id = data.get("user_id", self.user_id)
        else:
            self.access_token = self.settings.access_token
            self.user_id = (await self.request("GET", "/account/whoami"))["user_id"]

    async def upload_filter(self, definition: Dict[str, Any]) -> str:
        """Store a sync filter on the homeserver; its id."""
        path = f"/user/{quote(str(self.user_id), safe='')}/filter"
        return str((await self.request("POST", path, definition))["filter_id"])

    async def sync(self, since: Optional[str], sync_filter: str, timeout_ms: int) -> Dict[str, Any]:
        """One /sync: what happened since the token (everything when None)."""
        params = {"filter": sync_filter, "timeout": str(timeout_ms)}
        if since:
            params["since"] = since
        return await self.request("GET", "/sync", params=params, timeout=timeout_ms / 1000 + REQUEST_TIMEOUT)

    async def join(self, room_id: str) -> None:
        """Accept an invitation."""
        await self.request("POST", f"/join/{quote(room_id, safe='')}", {})

    async def send_text(self, room_id: str, text: str, msgtype: str = "m.text") -> str:
        """Send a text message, retrying (same transaction id) when the homeserver is away."""
        path = f"/rooms/{quote(room_id, safe='')}/send/m.room.message/{uuid.uuid4().hex}"
        delay = FIRST_RETRY_DELAY
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                return str((await self.request("PUT", path, {"msgtype": msgtype, "body": text}))["event_id"])
            except MatrixError as error:
                if error.status != 429 and error.status < 500 or attempt == SEND_ATTEMPTS:
                    raise
                delay = max(delay, error.retry_after)
            except (aiohttp.ClientError, asyncio.TimeoutError):
                if attempt == SEND_ATTEMPTS:
                    raise
            logger.warning("Matrix: sending to %s failed, retrying in %.0f s", room_id, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_DELAY)
        raise AssertionError("unreachable")


class MatrixOutput(OutputChannel):
    """Sends the bot's messages to the room of the conversation, buttons as a numbered list."""

    @classmethod
    def name(cls) -> str:
        return "matrix"

    def __init__(self, client: MatrixClient, buttons: ButtonMemory) -> None:
        self.client = client
        self.buttons = buttons

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send text as an m.text message."""
        await self.client.send_text(room_of(recipient_id), text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send the text with the buttons numbered; the number answers with that payload."""
        self.buttons.remember(recipient_id, buttons)
        await self.client.send_text(room_of(recipient_id), numbered_list(text, buttons))

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        """Send the text of a custom message, if it has one (Matrix clients cannot show the rest)."""
        text = json_message.get("text") if isinstance(json_message, dict) else None
        if text:
            await self.send_text_message(recipient_id, str(text))


class MatrixBot:
    """The sync loop: joins rooms it is invited to and hands new text messages to Rasa."""

    def __init__(self, settings: MatrixSettings, on_new_message: OnNewMessage, input_channel: str) -> None:
        self.client = MatrixClient(settings)
        self.buttons = ButtonMemory()
        self.output = MatrixOutput(self.client, self.buttons)
        self.on_new_message = on_new_message
        self.input_channel = input_channel
        self.since: Optional[str] = None
        self.status = "starting"
        self.rooms: Set[str] = set()
        self.joined_at: Dict[str, int] = {}
        self._filters: Dict[str, str] = {}
        self._signed_in_at = float("-inf")
        # Rooms the bot is invited to and has not joined yet, with the joins tried so far.
        self._invites: Dict[str, int] = {}
        self._tasks: Set[asyncio.Task[None]] = set()
        # One lock per conversation with the number of messages holding or awaiting it.
        self._locks: Dict[str, Tuple[asyncio.Lock, int]] = {}

    async def run(self) -> None:
        """Sync until cancelled; on errors log, wait (1 s doubling to 30 s) and carry on."""
        delay = FIRST_RETRY_DELAY
        while True:
            try:
                if not self._filters:
                    await self._sign_in()
                first = self.since is None
                data = await self.client.sync(
                    self.since, self._filters["first" if first else "sync"], 0 if first else SYNC_TIMEOUT_MS
                )
                await self._read(data, first)
                self.since = str(data["next_batch"])
                if self.status != "connected":
                    logger.info(
                        "Matrix: connected to %s as %s", self.client.settings.homeserver, self.client.user_id
                    )
                self.status = "connected"
                delay = FIRST_RETRY_DELAY
                continue
            except asyncio.CancelledError:
                raise
            except MatrixError as error:
                if error.token_invalid and self.client.settings.password:
                    logger.warning("Matrix: access token no longer valid (%s): signing in again", error)
                    self._filters.clear()
                    if time.monotonic() - self._signed_in_at > MAX_RETRY_DELAY:
                        continue  # at once, unless the last sign-in was just now
                elif error.status == 429:
                    delay = max(delay, error.retry_after)
                    logger.warning("Matrix: rate limited, waiting %.0f s", delay)
                else:
                    logger.error("Matrix: %s; retrying in %.0f s", error, delay)
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
                logger.warning(
                    "Matrix: homeserver %s not reachable (%s); retrying in %.0f s",
                    self.client.settings.homeserver,
                    type(error).__name__,
                    delay,
                )
            except Exception:  # noqa: BLE001 - the loop must survive anything a homeserver sends
                logger.exception("Matrix: unexpected error while syncing; retrying in %.0f s", delay)
            self.status = "reconnecting"
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_DELAY)

    async def _sign_in(self) -> None:
        self._signed_in_at = time.monotonic()
        await self.client.sign_in()
        self._filters = {
            "sync": await self.client.upload_filter(SYNC_FILTER),
            "first": json.dumps(FIRST_SYNC_FILTER, separators=(",", ":")),
        }

    async def stop(self) -> None:
        """Cancel the message handlers still running and close the HTTP session."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.client.close()

    async def _read(self, data: Dict[str, Any], first: bool) -> None:
        """Act on one /sync answer: forget rooms left, answer messages (not on the first sync),
        join rooms the bot is invited to. Raises nothing, so no sync is read twice."""
        rooms = data.get("rooms") or {}
        for room_id in rooms.get("leave") or {}:
            self.rooms.discard(room_id)
            self.joined_at.pop(room_id, None)
        for room_id, room in (rooms.get("join") or {}).items():
            events = (room.get("timeline") or {}).get("events") or []
            if first:
                self.rooms.add(room_id)
                continue
            if room_id not in self.rooms:
                events = self._after_join(room_id, events)
                self.rooms.add(room_id)
            for event in events:
                try:
                    self._read_event(room_id, event)
                except (TypeError, ValueError, AttributeError):
                    logger.warning("Matrix: ignored a malformed event in %s", room_id)
        for room_id in rooms.get("invite") or {}:
            self._invites.setdefault(room_id, 0)
        await self._accept_invites()

    def _after_join(self, room_id: str, events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        """The events of a newly joined room's timeline that came after the bot's join."""
        for index in range(len(events) - 1, -1, -1):
            event = events[index]
            if (
                event.get("type") == "m.room.member"
                and event.get("state_key") == self.client.user_id
                and (event.get("content") or {}).get("membership") == "join"
            ):
                self.joined_at[room_id] = int(event.get("origin_server_ts", 0))
                return events[index + 1 :]
        joined_at = self.joined_at.get(room_id, 0)
        return [e for e in events if int(e.get("origin_server_ts", 0)) > joined_at]

    async def _accept_invites(self) -> None:
        """Join the rooms the bot is invited to; a failed join is tried again on later syncs."""
        for room_id, attempts in list(self._invites.items()):
            if room_id in self.rooms:
                del self._invites[room_id]
                continue
            try:
                await self.client.join(room_id)
            except (MatrixError, aiohttp.ClientError, asyncio.TimeoutError) as error:
                permanent = (
                    isinstance(error, MatrixError)
                    and 400 <= error.status < 500
                    and error.status not in (401, 429)
                )
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

    def _read_event(self, room_id: str, event: Dict[str, Any]) -> None:
        """Hand a visitor's text message to Rasa; ignore everything else."""
        content = event.get("content") or {}
        sender = event.get("sender")
        if (
            event.get("type") != "m.room.message"
            or not sender
            or sender == self.client.user_id
            or content.get("msgtype") != "m.text"
            or not isinstance(content.get("body"), str)
            or (content.get("m.relates_to") or {}).get("rel_type") == "m.replace"
            or int(event.get("origin_server_ts", 0)) < self.joined_at.get(room_id, 0)
        ):
            return
        sender_id = sender_id_for(room_id, sender)
        text = without_reply_fallback(content["body"])
        metadata: Dict[str, Any] = {
            "matrix": {"room_id": room_id, "sender": sender, "event_id": event.get("event_id")}
        }
        payload = self.buttons.resolve(sender_id, text)
        if payload is not None:
            metadata["matrix"]["button"] = text.strip()
            text = payload
        task = asyncio.create_task(self._answer(sender_id, text, metadata))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

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
            status = self.bot.status if self.bot is not None else "starting"
            return response.json({"status": status, "user_id": self.bot.client.user_id if self.bot else None})

        if settings is None:
            return webhook
        tasks: List[asyncio.Task[None]] = []

        @webhook.listener("after_server_start")
        async def start(_app: Any, _loop: Any) -> None:
            self.bot = MatrixBot(settings, on_new_message, self.name())
            tasks.append(asyncio.create_task(self.bot.run()))
            logger.info("Matrix: syncing with %s", settings.homeserver)

        @webhook.listener("before_server_stop")
        async def stop(_app: Any, _loop: Any) -> None:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            tasks.clear()
            if self.bot is not None:
                await self.bot.stop()

        return webhook
