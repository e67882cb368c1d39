"""What every public channel does to a visitor's message before Rasa reads it.

- Rasa reads a message starting with "/" as an order (`/intent{"entity": "value"}`) that skips
  the NLU and sets entities. Visitors must not be able to do that, so the leading slashes are
  dropped and the rest is understood like any other text ("/start" becomes "start").
- Control characters (NUL breaks PostgreSQL) and lone surrogates (invalid UTF-8) are removed.
- Every message gets an answer: when Rasa sends nothing back (an action failed, the action
  server is down) or fails (the conversation store is unreachable), the visitor gets an
  apology, not silence.
- A message longer than MAX_MESSAGE_CHARS gets the "too long" reply here, without Rasa: the
  NLU reads only its beginning, so a long message read as small talk ("hello hello ...",
  "xxxx...") would get the small-talk answer, which no action checks. Text is first cut to
  STORED_CHARS characters, enough to know that it is too long.
- The assistant reads English only. A message with letters but no Latin one (all Chinese,
  say) gets one short reply in Chinese and English with an example question, here, without
  Rasa (whose English NLU would read it as anything). The check is on the script: a word list
  could not tell which languages a visitor writes in.
"""

import logging
import re
import unicodedata
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import OutputChannel, UserMessage

from actions.replies import render
from nlu.tokenizer import DEFAULT_MAX_CHARACTERS

logger = logging.getLogger(__name__)

STORED_CHARS = 2000
# Longer messages get the "too long" reply: the NLU reads no more (nlu.tokenizer), and it is
# the limit the actions check (actions.context.MAX_MESSAGE_CHARS, not imported: it loads spaCy).
MAX_MESSAGE_CHARS = DEFAULT_MAX_CHARACTERS
# Longest sender id accepted (Rasa's SQL tracker store keeps sender ids in 255 characters).
MAX_SENDER_CHARS = 255
_LEADING_SLASHES = re.compile(r"^[\s/]*/")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def plain_text(text: Optional[str]) -> str:
    """The visitor's text as ordinary input: no intent shorthand, no control characters."""
    if not text:
        return ""
    text = text[:STORED_CHARS]
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    return _LEADING_SLASHES.sub("", text).strip()


def reads_as_english(text: str) -> bool:
    """False for text that has letters and none of them Latin (Chinese, Cyrillic, Arabic, ...):
    the assistant cannot read it. Digits, emoji and punctuation alone pass (a button number)."""
    letters = [c for c in text if c.isalpha()]
    return not letters or any("LATIN" in unicodedata.name(c, "") for c in letters)


def valid_sender(sender: Any) -> bool:
    """True for a sender id a public channel accepts: short printable text or a number."""
    if isinstance(sender, bool) or not isinstance(sender, (str, int)):
        return False
    sender = str(sender)
    return 0 < len(sender) <= MAX_SENDER_CHARS and sender.isprintable() and bool(sender.strip())


class WatchedOutput(OutputChannel):
    """An output channel that passes every message on and remembers whether it sent any."""

    def __init__(self, channel: OutputChannel) -> None:
        self.channel = channel
        self.sent = False

    def name(self) -> str:
        return self.channel.name()

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.sent = True
        await self.channel.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent = True
        await self.channel.send_text_message(recipient_id, text, **kwargs)


def guard_messages(on_new_message: OnNewMessage) -> OnNewMessage:
    """Wrap Rasa's message handler: plain visitor text in, at least one reply out."""

    async def guarded(message: UserMessage) -> Any:
        text = plain_text(message.text)
        if text != (message.text or ""):
            logger.info("Visitor text from %s made plain before reading", message.sender_id)
        message.text = text
        if len(text) > MAX_MESSAGE_CHARS:
            logger.info(
                "Message of more than %d characters from %s: too long", MAX_MESSAGE_CHARS, message.sender_id
            )
            reply = render("too_long", limit=MAX_MESSAGE_CHARS)
            await message.output_channel.send_text_message(message.sender_id, reply["text"])
            return None
        if not reads_as_english(text):
            logger.info("Message with no English from %s: answered in Chinese and English", message.sender_id)
            reply = render("english_only")
            await message.output_channel.send_text_message(message.sender_id, reply["text"])
            return None
        output = WatchedOutput(message.output_channel)
        message.output_channel = output
        try:
            await on_new_message(message)
        except Exception as error:  # noqa: BLE001 - any failure must still reach the visitor
            logger.error("Could not answer %s: %s: %s", message.sender_id, type(error).__name__, error)
        if not output.sent:
            logger.error("Rasa sent no reply to %s: apologising instead", message.sender_id)
            reply = render("unavailable")
            await output.channel.send_text_message(message.sender_id, reply["text"])

    return guarded
