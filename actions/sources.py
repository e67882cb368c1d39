"""The answer to "source?": the document sentences the assistant's last answer came from."""

import re
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import KnowledgeAction
from actions.context import latest_text, previous_replies
from actions.replies import render, say
from knowledge.base import KnowledgeBase

# The words of a request for the source itself ("where in the document is that?").
_ABOUT_SOURCES = re.compile(
    r"\b(?:sources?|souce|references?|cite|document|quote|paragraph|original|text|prove|proof|read|information|info)\b",
    re.I,
)


class ActionShowSource(KnowledgeAction):
    """Quotes the sources of the bot's reply to the previous question, on any channel; a
    question the NLU took for "source?" ("can I fly from Chengdu?") is answered instead."""

    def name(self) -> str:
        return "action_show_source"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if asks_about_the_city(self.kb, latest_text(tracker)):
            return await super().run(dispatcher, tracker, domain)
        sources = last_sources(tracker.events)
        if not sources:
            say(dispatcher, "no_source", city=self.kb.city["name"])
            return []
        quotes = "\n".join(render("source_line", **source)["text"] for source in sources)
        say(dispatcher, "source", quotes=quotes)
        return []


def asks_about_the_city(kb: KnowledgeBase, text: str) -> bool:
    """True when a message the NLU took for "source?" names no source but a word the document
    uses ("distance from Ji'an city", "what kind of opera comes from here"); False for
    "where did you get that from?", "is that from the city document?"."""
    if _ABOUT_SOURCES.search(text):
        return False
    return bool(kb.known_words(text))


def last_sources(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The sources of the bot messages that answered the visitor's previous message."""
    sources: List[Dict[str, Any]] = []
    for metadata in previous_replies(events):
        for source in metadata.get("sources") or []:
            if isinstance(source, dict) and source not in sources:
                sources.append(source)
    return sources
