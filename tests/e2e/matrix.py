"""A throwaway Synapse homeserver and a small Matrix client, for the Matrix end-to-end tests.

Synapse runs from its own virtualenv (.venv-synapse, installed from
tests/e2e/synapse/requirements.lock) with SQLite in a temporary folder, on one free
localhost port, with federation off and rate limits raised so the tests are not throttled.
"""

import asyncio
import hashlib
import hmac
import json
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Coroutine, Dict, List, Optional, Sequence, TypeVar

import yaml
from nio import (
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    Event,
    LoginResponse,
    MegolmEvent,
    RoomCreateResponse,
    RoomMemberEvent,
    RoomMessageText,
    RoomPreset,
    RoomSendResponse,
    SyncResponse,
)
from nio.exceptions import EncryptionError

from server.serve import Servers

ROOT = Path(__file__).resolve().parents[2]
SYNAPSE_PYTHON = ROOT / ".venv-synapse" / "bin" / "python"
LOCK = ROOT / "tests" / "e2e" / "synapse" / "requirements.lock"
INSTALL_HINT = (
    "Synapse is not installed: python3.11 -m venv .venv-synapse && "
    f".venv-synapse/bin/pip install --no-deps -r {LOCK.relative_to(ROOT)}"
)
SERVER_NAME = "localhost"
MEGOLM = "m.megolm.v1.aes-sha2"
T = TypeVar("T")
RELAXED = {"per_second": 1000, "burst_count": 1000}


def _call(
    method: str,
    url: str,
    body: Optional[Dict[str, Any]] = None,
    token: Optional[str] = None,
    timeout: float = 30.0,
) -> Dict[str, Any]:
    data = json.dumps(body).encode("utf-8") if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=timeout) as reply:
        return json.loads(reply.read() or b"{}")


def wait_until_quiet(
    sync: Callable[[], Any], count: Callable[[], int], before: int, timeout: float, quiet: float, what: str
) -> None:
    """Sync until more than `before` items came and then none for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    last_count, last_change = before, time.monotonic()
    while time.monotonic() < deadline:
        sync()
        now = count()
        if now != last_count:
            last_count, last_change = now, time.monotonic()
        elif now > before and time.monotonic() - last_change >= quiet:
            return
    raise AssertionError(f"no reply from {what} within {timeout:.0f} s")


class Synapse:
    """A Synapse homeserver as a child process; restartable on the same port and data."""

    def __init__(self, directory: Path, port: int, log_dir: Optional[Path] = None) -> None:
        self.directory, self.port, self.log_dir = directory, port, log_dir
        self.config = directory / "homeserver.yaml"
        self.shared_secret = secrets.token_hex(16)
        self.process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        """The client-server API base URL."""
        return f"http://localhost:{self.port}"

    def configure(self) -> None:
        """Generate a configuration, then keep it on localhost and off the network."""
        if not SYNAPSE_PYTHON.is_file():
            raise RuntimeError(INSTALL_HINT)
        self.directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(SYNAPSE_PYTHON), "-m", "synapse.app.homeserver", "--server-name", SERVER_NAME]
            + ["--config-path", str(self.config), "--data-directory", str(self.directory)]
            + ["--generate-config", "--report-stats=no"],
            cwd=self.directory,
            check=True,
            capture_output=True,
        )
        config = yaml.safe_load(self.config.read_text())
        config.update(
            listeners=[
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            registration_shared_secret=self.shared_secret,
            report_stats=False,
            trusted_key_servers=[],
            suppress_key_server_warning=True,
            federation_domain_whitelist=[],
            enable_metrics=False,
            url_preview_enabled=False,
            presence={"enabled": False},
            rc_message=RELAXED,
            rc_registration=RELAXED,
            rc_login={"address": RELAXED, "account": RELAXED, "failed_attempts": RELAXED},
            rc_joins={"local": RELAXED, "remote": RELAXED},
            rc_joins_per_room=RELAXED,
            rc_invites={"per_room": RELAXED, "per_user": RELAXED, "per_issuer": RELAXED},
            rc_room_creation=RELAXED,
            rc_admin_redaction=RELAXED,
        )
        self.config.write_text(yaml.safe_dump(config))

    def start(self, timeout: float = 60.0) -> None:
        """Start Synapse and wait until its client API answers."""
        output = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            output = open(self.log_dir / "synapse.log", "ab")
        self.process = subprocess.Popen(
            [str(SYNAPSE_PYTHON), "-m", "synapse.app.homeserver", "--config-path", str(self.config)],
            cwd=self.directory,
            stdout=output or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Synapse stopped while starting (exit {self.process.returncode})")
            try:
                _call("GET", f"{self.url}/_matrix/client/versions", timeout=2)
                return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Synapse did not answer at {self.url} within {timeout:.0f} s")

    def stop(self) -> None:
        """Stop Synapse (SIGTERM, then SIGKILL)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def register(self, localpart: str, password: str, admin: bool = False) -> "MatrixUser":
        """Create an account with the shared-secret admin API; signed in as it."""
        url = f"{self.url}/_synapse/admin/v1/register"
        nonce = _call("GET", url)["nonce"]
        mac = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), localpart.encode(), password.encode()]))
        mac.update(b"\x00admin" if admin else b"\x00notadmin")
        body = {"nonce": nonce, "username": localpart, "password": password, "admin": admin}
        data = _call("POST", url, dict(body, mac=mac.hexdigest()))
        return MatrixUser(self.url, data["user_id"], data["access_token"])


class MatrixUser:
    """A signed-in Matrix user that sends messages and reads its rooms' timelines by /sync."""

    def __init__(self, homeserver: str, user_id: str, access_token: str) -> None:
        self.homeserver, self.user_id, self.access_token = homeserver, user_id, access_token
        self.since: Optional[str] = None
        self.timelines: Dict[str, List[Dict[str, Any]]] = {}

    def call(
        self, method: str, path: str, body: Optional[Dict[str, Any]] = None, **params: str
    ) -> Dict[str, Any]:
        """One client-server API call (path after /_matrix/client/v3)."""
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        url = f"{self.homeserver}/_matrix/client/v3{path}{query}"
        return _call(method, url, body, self.access_token, timeout=60)

    def call_admin(self, method: str, path: str, body: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """One Synapse admin API call (path from /_synapse/admin), as this (admin) user."""
        return _call(method, f"{self.homeserver}{path}", body, self.access_token)

    def create_room(self, invite: Sequence[str] = (), direct: bool = False) -> str:
        """A new private room, inviting these users."""
        body = {"preset": "private_chat", "invite": list(invite), "is_direct": direct}
        return self.call("POST", "/createRoom", body)["room_id"]

    def invite(self, room_id: str, user_id: str) -> None:
        """Invite a user to a room."""
        self.call("POST", f"/rooms/{urllib.parse.quote(room_id)}/invite", {"user_id": user_id})

    def send(self, room_id: str, text: str) -> str:
        """Send a text message; its event id."""
        path = f"/rooms/{urllib.parse.quote(room_id)}/send/m.room.message/{uuid.uuid4().hex}"
        return self.call("PUT", path, {"msgtype": "m.text", "body": text})["event_id"]

    def sync(self, timeout_ms: int = 0) -> None:
        """Read what is new in every joined room's timeline."""
        params = {"timeout": str(timeout_ms)}
        if self.since:
            params["since"] = self.since
        data = self.call("GET", "/sync", **params)
        self.since = data["next_batch"]
        for room_id, room in (data.get("rooms") or {}).get("join", {}).items():
            self.timelines.setdefault(room_id, []).extend(room.get("timeline", {}).get("events", []))

    def messages(self, room_id: str, sender: str) -> List[str]:
        """The bodies of the messages a user sent to a room, as read so far."""
        return [
            e["content"].get("body", "")
            for e in self.timelines.get(room_id, [])
            if e.get("type") == "m.room.message" and e.get("sender") == sender
        ]

    def wait_for_member(self, room_id: str, user_id: str, timeout: float = 30.0) -> None:
        """Wait until a user has joined a room."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.timelines.get(room_id, []):
                if (
                    event.get("type") == "m.room.member"
                    and event.get("state_key") == user_id
                    and event.get("content", {}).get("membership") == "join"
                ):
                    return
            self.sync(timeout_ms=1000)
        raise AssertionError(f"{user_id} did not join {room_id} within {timeout:.0f} s")

    def ask(self, room_id: str, bot: str, text: str, timeout: float = 60.0, quiet: float = 1.5) -> List[str]:
        """Send a message; the bot's messages that follow (until it has been quiet a while)."""
        self.sync()
        before = len(self.messages(room_id, bot))
        self.send(room_id, text)
        return self.replies(room_id, bot, before, timeout, quiet)

    def replies(
        self, room_id: str, bot: str, before: int, timeout: float = 60.0, quiet: float = 1.5
    ) -> List[str]:
        """The bot's messages after the first `before`, once at least one came and then none for `quiet` s."""
        wait_until_quiet(
            lambda: self.sync(timeout_ms=300),
            lambda: len(self.messages(room_id, bot)),
            before,
            timeout,
            quiet,
            f"{bot} in {room_id}",
        )
        return self.messages(room_id, bot)[before:]


class EncryptedVisitor:
    """A visitor's Matrix client with end-to-end encryption (matrix-nio, its own key store),
    driven from synchronous tests on an event loop of its own."""

    def __init__(self, homeserver: str, user_id: str, password: str, store: Path) -> None:
        store.mkdir(parents=True, exist_ok=True)
        self.loop = asyncio.new_event_loop()
        config = AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False)
        self.client = AsyncClient(homeserver, user_id, store_path=str(store), config=config)
        self.user_id, self.password = user_id, password
        self.timelines: Dict[str, List[Event]] = {}

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)

    def login(self) -> None:
        """Log in as a new device with new keys, upload them and read the rooms."""
        answer = self._run(self.client.login(self.password, device_name="e2e visitor"))
        assert isinstance(answer, LoginResponse), answer
        self.sync()

    def close(self) -> None:
        """Close the HTTP session and the event loop."""
        self._run(self.client.close())
        self.loop.close()

    def sync(self, timeout_ms: int = 0) -> None:
        """Read what is new (nio decrypts it), then do the key work nio asks for."""
        self._run(self._sync(timeout_ms))

    async def _sync(self, timeout_ms: int) -> None:
        client = self.client
        answer = await client.sync(timeout=timeout_ms)
        assert isinstance(answer, SyncResponse), answer
        for room_id, room in answer.rooms.join.items():
            self.timelines.setdefault(room_id, []).extend(room.timeline.events)
        if client.outgoing_to_device_messages:
            await client.send_to_device_messages()
        for needed, request in (
            (client.should_upload_keys, client.keys_upload),
            (client.should_query_keys, client.keys_query),
        ):
            if needed:
                assert not isinstance(await request(), ErrorResponse)
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())

    def create_encrypted_direct_chat(self, bot: str) -> str:
        """A direct chat with the bot, encrypted from its creation (as Element makes them)."""
        encryption = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}}
        answer = self._run(
            self.client.room_create(
                is_direct=True,
                preset=RoomPreset.trusted_private_chat,
                invite=[bot],
                initial_state=[encryption],
            )
        )
        assert isinstance(answer, RoomCreateResponse), answer
        return answer.room_id

    def wait_for_member(self, room_id: str, user_id: str, timeout: float = 30.0) -> None:
        """Wait until a user has joined a room."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sync(timeout_ms=1000)
            if any(
                isinstance(e, RoomMemberEvent) and e.state_key == user_id and e.membership == "join"
                for e in self.timelines.get(room_id, [])
            ):
                return
        raise AssertionError(f"{user_id} did not join {room_id} within {timeout:.0f} s")

    def events(self, room_id: str, sender: str) -> List[Event]:
        """The messages a user sent to a room as read so far, decrypted where a key has come since."""
        timeline = self.timelines.get(room_id, [])
        for index, event in enumerate(timeline):
            if isinstance(event, MegolmEvent):
                try:
                    timeline[index] = self.client.decrypt_event(event)
                except EncryptionError:
                    pass
        return [
            e
            for e in timeline
            if isinstance(e, (RoomMessageText, MegolmEvent)) and getattr(e, "sender", None) == sender
        ]

    def messages(self, room_id: str, sender: str) -> List[str]:
        """The texts a user sent to a room, each of which must have come encrypted and been decrypted."""
        events = self.events(room_id, sender)
        undecrypted = [e.event_id for e in events if isinstance(e, MegolmEvent)]
        assert not undecrypted, f"could not decrypt {undecrypted} from {sender}"
        plain = [e.event_id for e in events if not e.decrypted]
        assert not plain, f"{sender} sent {plain} unencrypted to the encrypted room {room_id}"
        return [e.body for e in events]

    def send(self, room_id: str, text: str) -> None:
        """Send a text message, encrypted, sharing the room key with the room's devices unverified."""
        content = {"msgtype": "m.text", "body": text}
        answer = self._run(
            self.client.room_send(room_id, "m.room.message", content, ignore_unverified_devices=True)
        )
        assert isinstance(answer, RoomSendResponse), answer

    def ask(self, room_id: str, bot: str, text: str, timeout: float = 60.0, quiet: float = 1.5) -> List[str]:
        """Send an encrypted message; the bot's (decrypted) messages that follow, once it is quiet."""
        self.sync()
        before = len(self.events(room_id, bot))
        self.send(room_id, text)
        wait_until_quiet(
            lambda: self.sync(timeout_ms=300),
            lambda: len(self.events(room_id, bot)),
            before,
            timeout,
            quiet,
            f"{bot} in {room_id}",
        )
        return self.messages(room_id, bot)[before:]


@dataclass
class MatrixSetup:
    """Both servers with the Matrix channel signed in to `synapse` as `bot`."""

    servers: Servers
    synapse: Synapse
    bot: MatrixUser

    def wait_connected(self, timeout: float = 60.0) -> None:
        """Wait until the Matrix channel has synced."""
        deadline = time.monotonic() + timeout
        while self.channel_status() != "connected":
            if time.monotonic() > deadline:
                raise AssertionError(f"the Matrix channel did not connect: {self.channel_status()}")
            time.sleep(0.5)

    def restart_servers(self) -> None:
        """Stop the servers and start them again (same key store, same database)."""
        self.servers.stop()
        self.servers.start()
        self.wait_connected()

    def channel_status(self) -> str:
        """What the Matrix channel's health route says ("connected" once it has synced)."""
        url = f"http://localhost:{self.servers.rasa_port}/webhooks/matrix/"
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                return json.loads(reply.read())["status"]
        except (urllib.error.URLError, OSError):
            return "unreachable"
