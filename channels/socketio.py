"""The socket.io channel for the rasa-webchat widget, open only to the widget's own page.

Rasa's socket.io channel accepts connections from any origin and fails on messages of the
wrong shape. This one accepts connections only from the origins in CORS_ORIGIN (the same
variable that sets the Rasa server's --cors; default http://localhost:8080, the page
`make run` serves), ignores malformed events, and reads only plain visitor text
(channels.guard).
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
from socketio import AsyncServer

from channels.guard import OnNewMessage, guard_messages, valid_sender

logger = logging.getLogger(__name__)

DEFAULT_ORIGIN = "http://localhost:8080"
# The start of the source line's link target, followed by the sentence: web/index.html
# shows the sentence instead of following the link.
SOURCE_LINK = "#source:"


def allowed_origins(setting: Optional[str] = None) -> List[str]:
    """The page origins allowed to connect: a space- or comma-separated list."""
    setting = setting if setting is not None else os.environ.get("CORS_ORIGIN", DEFAULT_ORIGIN)
    return [origin.rstrip("/") for origin in setting.replace(",", " ").split() if origin]


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
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio  # get_output_channel needs it

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: Dict[str, Any], auth: Any = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if origin and origin.rstrip("/") not in origins:
                logger.warning("Refused a socket.io connection from origin %s", origin)
                return False
            return True

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            session = session_id(data) or uuid.uuid4().hex
            if self.session_persistence:
                sio.enter_room(sid, session)
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
