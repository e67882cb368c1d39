"""Chit-chat (greetings, goodbyes, thanks, "are you a bot?", "what can you do?"), unless the
message also asks about something the document talks of: "is there a night market" is no
goodbye, whatever "night" says to the NLU, and "How many karez wells still work?" no question
about what the assistant can do."""

import abc
import re
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import KnowledgeAction
from actions.context import latest_text
from knowledge.base import KnowledgeBase

# What a greeting or a goodbye is made of.
_CHITCHAT = re.compile(
    r"\b(?:hi|hello|hey|hiya|howdy|greetings|good (?:morning|afternoon|evening|night|day)|bye(?: bye)?"
    r"|goodbye|see (?:you|ya)(?: later)?|thanks|thank you|cheers|ok|okay|farewell|take care"
    r"|have a (?:nice|good) (?:day|trip|evening))\b",
    re.I,
)
# What makes the rest a question or a request: a question mark, or its first words.
_ASKING = re.compile(
    r"\?|^(?:and |so |but )?(?:what|which|who|when|where|why|how|is|are|can|could|do|does|should|tell|show"
    r"|any|anything|i want|i'd like|recommend|whats|wheres)\b",
    re.I,
)


def without_chitchat(text: str) -> str:
    """A message without its greeting or goodbye ("good evening, where is it?" -> "where is it?")."""
    return re.sub(r"\s+", " ", _CHITCHAT.sub(" ", text)).strip(" ,.!;:-")


def asks_something(kb: KnowledgeBase, text: str) -> bool:
    """True when a message also asks about something the document talks of, beside or
    instead of greeting ("hi, where is the museum?", "anything to do on saturday evening",
    "and the fare"); False for "good night", "ok bye", "hi, how are you?"."""
    rest = without_chitchat(text).lower()
    return bool(kb.known_words(rest)) and bool(_ASKING.search(rest))


class ChitChatAction(KnowledgeAction, abc.ABC):
    """Says its response, or answers from the document when the message asks something."""

    response = ""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if asks_something(self.kb, latest_text(tracker)):
            return await super().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response=self.response)
        return []

    def asked(self, tracker: Tracker) -> str:
        return without_chitchat(latest_text(tracker))


class ActionGreet(ChitChatAction):
    """Greets, with buttons of questions to start with."""

    response = "utter_greet"

    def name(self) -> str:
        return "action_greet"


class ActionGoodbye(ChitChatAction):
    """Says goodbye."""

    response = "utter_goodbye"

    def name(self) -> str:
        return "action_goodbye"


class ActionThank(ChitChatAction):
    """Answers thanks."""

    response = "utter_thank"

    def name(self) -> str:
        return "action_thank"


class ActionIAmABot(ChitChatAction):
    """Says it is a bot that answers from the city document."""

    response = "utter_iamabot"

    def name(self) -> str:
        return "action_iamabot"


class ActionCapabilities(ChitChatAction):
    """Says what it can answer."""

    response = "utter_capabilities"

    def name(self) -> str:
        return "action_capabilities"
