"""The REST channel for visitors: Rasa's REST channel with its request checked first.

Rasa's own REST channel answers a request with no sender by filing it under the shared
"default" conversation, and a request whose message is not text with an empty 200. This one
answers both with 400 and a reason, and reads only plain visitor text (channels.guard).
Each answer comes back as one message that carries its sources (AnswerCollector).
"""

import logging
from typing import Any, Dict, Optional

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import MAX_SENDER_CHARS, OnNewMessage, guard_messages, valid_sender

logger = logging.getLogger(__name__)


def request_problem(body: Any) -> Optional[str]:
    """Why a REST request body cannot be answered, or None when it can."""
    if not isinstance(body, dict):
        return 'the body must be a JSON object: {"sender": "...", "message": "..."}'
    if not valid_sender(body.get("sender")):
        return f'"sender" must be a printable text of 1 to {MAX_SENDER_CHARS} characters'
    if not isinstance(body.get("message"), str):
        return '"message" must be a text'
    if not isinstance(body.get("metadata", {}), dict):
        return '"metadata" must be a JSON object when given'
    return None


class AnswerCollector(CollectingOutputChannel):
    """Rasa's collecting output, but a bot message stays one message: its text, its
    buttons and, in "custom", the document sentences it came from:
    {"text": ..., "buttons": [...], "custom": {"sources": [{"sentence": ..., "paragraph": 2}]}}."""

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        custom = dict(message.get("custom") or {})
        if message.get("sources"):
            custom["sources"] = message["sources"]
        await self._persist_message(
            self._message(
                recipient_id,
                text=message.get("text"),
                image=message.get("image"),
                buttons=message.get("buttons") or message.get("quick_replies") or None,
                attachment=message.get("attachment"),
                custom=custom or None,
            )
        )


class VisitorRestInput(RestInput):
    """POST {"sender": "...", "message": "..."} to /webhooks/rest/webhook; bad requests get 400."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The health and webhook routes."""
        on_new_message = guard_messages(on_new_message)
        webhook = Blueprint("visitor_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = request.json  # Sanic answers 400 itself when this is not JSON
            problem = request_problem(body)
            if problem:
                return response.json({"error": problem}, status=400)
            collector = AnswerCollector()
            metadata: Dict[str, Any] = body.get("metadata") or {}
            await on_new_message(
                UserMessage(
                    body["message"],
                    collector,
                    str(body["sender"]),
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )
            return response.json(collector.messages)

        return webhook
