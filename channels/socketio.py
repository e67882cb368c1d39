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

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.guard import OnNewMessage, guard_messages, valid_sender

logger = logging.getLogger(__name__)

DEFAULT_ORIGIN = "http://localhost:8080"


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
                    SocketIOOutput(sio, self.bot_message_evt),
                    sender,
                    input_channel=self.name(),
                    metadata=metadata_of(data, self.metadata_key),
                )
            )

        return webhook
