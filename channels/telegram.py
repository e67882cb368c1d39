"""Rasa's Telegram channel, switched on by environment variables and off without them.

Rasa 3.6's Telegram connector calls Telegram's setWebhook while the server starts, so with
it always configured the assistant could not start offline. This one is inert (its health
route says how to switch it on) unless TELEGRAM_TOKEN, TELEGRAM_BOT_NAME and
TELEGRAM_WEBHOOK_URL are all set; visitor text is read as plain text (channels.guard).
"""

import logging
import os
from typing import Any, Dict, Optional

from rasa.core.channels.channel import InputChannel
from rasa.core.channels.telegram import TelegramInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import OnNewMessage, guard_messages

logger = logging.getLogger(__name__)

SETTINGS = {
    "access_token": "TELEGRAM_TOKEN",
    "verify": "TELEGRAM_BOT_NAME",
    "webhook_url": "TELEGRAM_WEBHOOK_URL",
}


class OptionalTelegramInput(TelegramInput):
    """Telegram when TELEGRAM_TOKEN, TELEGRAM_BOT_NAME and TELEGRAM_WEBHOOK_URL are set."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        values = {key: credentials.get(key) or os.environ.get(env) for key, env in SETTINGS.items()}
        channel = cls(values["access_token"], values["verify"], values["webhook_url"])
        channel.configured = all(values.values())
        if not channel.configured:
            logger.info("Telegram is off: set %s to switch it on", ", ".join(SETTINGS.values()))
        return channel

    configured = False

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """Rasa's Telegram routes when configured; otherwise only a health route saying so."""
        if self.configured:
            return super().blueprint(guard_messages(on_new_message))
        webhook = Blueprint("telegram_off", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            needed = ", ".join(SETTINGS.values())
            return response.json({"status": "off", "switch_on_with": needed})

        return webhook
