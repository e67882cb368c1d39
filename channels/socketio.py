"""The socket.io channel for the rasa-webchat widget, open only to the widget's own page.

Rasa's socket.io channel accepts connections from any origin and fails on messages of the
wrong shape. This one accepts connections only from the origins in CORS_ORIGIN (the same
variable that sets the Rasa server's --cors; default http://localhost:8080, the page
`make run` serves), ignores malformed events, and reads only plain visitor text
(channels.guard).

Limits, set here on purpose: an engine.io packet (one message, or one polling request) is
at most MAX_PACKET_BYTES, more closes that connection; the widget sends text only, so a
binary event (whose attachments a client could announce and never send, or send without
end) closes its connection at once; a connection that stops answering pings is dropped
after PING_INTERVAL + PING_TIMEOUT seconds. Limiting connections per address is a reverse
proxy's job (README "Security").
"""

import json
import logging
import os
import uuid
from typing import Any, Dict, List, Optional
from urllib.parse import quote

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer, packet

from channels.guard import OnNewMessage, guard_messages, valid_sender
from channels.origins import allowed, exact_origins
from channels.workers import WorkerEngineIO

logger = logging.getLogger(__name__)

DEFAULT_ORIGIN = "http://localhost:8080"
# The start of the source line's link target, followed by the sentence: web/index.html
# shows the sentence instead of following the link.
SOURCE_LINK = "#source:"
MAX_PACKET_BYTES = 1_000_000  # a 100,000-character message of 4-byte emoji fits, with room
PING_INTERVAL = 25  # seconds between engine.io pings
PING_TIMEOUT = 20  # seconds a client has to answer one
BINARY_PACKETS = (packet.BINARY_EVENT, packet.BINARY_ACK)


def allowed_origins(setting: Optional[str] = None) -> List[str]:
    """The page origins allowed to connect: a space- or comma-separated list of exact
    origins (channels.origins; anything else is a ValueError)."""
    return exact_origins(setting if setting is not None else os.environ.get("CORS_ORIGIN", DEFAULT_ORIGIN))


def session_id(data: Any) -> Optional[str]:
    """The widget's session id in an event, when it is a valid one."""
    value = data.get("session_id") if isinstance(data, dict) else None
    return str(value) if valid_sender(value) else None


def metadata_of(data: Dict[str, Any], key: str) -> Dict[str, Any]:
    """The event's metadata as a dict ({} when absent or malformed)."""
    metadata = data.get(key) or {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return {}
    return metadata if isinstance(metadata, dict) else {}


def source_line(sources: List[Dict[str, Any]]) -> str:
    """The Markdown line under an answer: "From the city document, paragraph 2", a link whose
    target carries the sentence itself (web/index.html shows it on hover and on click; the
    widget's Markdown keeps a link's target but drops its title)."""
    paragraphs = sorted({int(s["paragraph"]) for s in sources})
    where = "paragraph" if len(paragraphs) == 1 else "paragraphs"
    numbers = ", ".join(str(n) for n in paragraphs[:-1])
    numbers = f"{numbers} and {paragraphs[-1]}" if numbers else str(paragraphs[-1])
    sentences = quote(" ".join(str(s["sentence"]) for s in sources), safe="")
    return f"[From the city document, {where} {numbers}]({SOURCE_LINK}{sentences})"


class WebchatOutput(SocketIOOutput):
    """Rasa's socket.io output with each answer's sources: in the message metadata
    ({"sources": [...]}) and as a small line under the answer (source_line)."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self._sources: List[Dict[str, Any]] = []

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self._sources = [s for s in message.get("sources") or [] if isinstance(s, dict)]
        if self._sources and message.get("text"):
            message = {**message, "text": f"{message['text'].rstrip()}  \n{source_line(self._sources)}"}
        try:
            await super().send_response(recipient_id, message)
        finally:
            self._sources = []

    async def _send_message(self, socket_id: str, response: Any) -> None:
        if self._sources and isinstance(response, dict):
            response = {**response, "metadata": {"sources": self._sources}}
        await super()._send_message(socket_id, response)


class WebchatServer(AsyncServer):
    """A socket.io server for a text-only widget: a binary event closes its connection
    instead of waiting, in memory, for attachments that may never come. Its engine.io keeps
    each session with the Sanic worker that opened it (channels.workers)."""

    def _engineio_server_class(self) -> type:
        return WorkerEngineIO

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        if isinstance(data, (bytes, bytearray)) or (
            isinstance(data, str) and data[:1].isdigit() and int(data[0]) in BINARY_PACKETS
        ):
            logger.warning("Closed a socket.io connection that sent binary data")
            await self.eio.disconnect(eio_sid)
            return
        await super()._handle_eio_message(eio_sid, data)


class WebchatInput(SocketIOInput):
    """socket.io for rasa-webchat: origin-checked, one conversation per widget session."""

    origins: List[str] = []

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.origins = allowed_origins((credentials or {}).get("cors_allowed_origins"))
        return channel

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The socket.io server and its health route."""
        on_new_message = guard_messages(on_new_message)
        origins = self.origins or allowed_origins()
        logger.info("socket.io accepts the widget from %s", ", ".join(origins))
        # CORS headers come from the Rasa server's --cors (engine.io adding its own would send
        # them twice, which browsers refuse), so engine.io's CORS handling stays off and the
        # origin is checked when a socket connects.
        sio = WebchatServer(
            async_mode="sanic",
            cors_allowed_origins=[],
            max_http_buffer_size=MAX_PACKET_BYTES,
            ping_interval=PING_INTERVAL,
            ping_timeout=PING_TIMEOUT,
        )
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio  # get_output_channel needs it

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: Dict[str, Any], auth: Any = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if origin and not allowed(origin, origins):
                logger.warning("Refused a socket.io connection from origin %s", origin)
                return False
            return True

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            session = session_id(data) or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session)  # a coroutine since python-socketio 5.10
            await sio.emit("session_confirm", session, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                logger.warning("Ignored a malformed socket.io message from %s", sid)
                return
            sender = session_id(data) if self.session_persistence else sid
            if sender is None:
                logger.warning("Ignored a socket.io message without a valid session_id from %s", sid)
                return
            await on_new_message(
                UserMessage(
                    data.get("message", ""),
                    WebchatOutput(sio, self.bot_message_evt),
                    sender,
                    input_channel=self.name(),
                    metadata=metadata_of(data, self.metadata_key),
                )
            )

        return webhook
