"""The answer to "source?": the document sentences the assistant's last answer came from."""

from typing import Any, Dict, List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.replies import render, say
from knowledge.base import KnowledgeBase, load


class ActionShowSource(Action):
    """Quotes the sources of the bot's reply to the previous question, on any channel."""

    def __init__(self, kb: Optional[KnowledgeBase] = None) -> None:
        self._kb = kb

    def name(self) -> str:
        return "action_show_source"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        sources = last_sources(tracker.events)
        if not sources:
            say(dispatcher, "no_source", city=(self._kb or load()).city["name"])
            return []
        quotes = "\n".join(render("source_line", **source)["text"] for source in sources)
        say(dispatcher, "source", quotes=quotes)
        return []


def last_sources(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The sources of the bot messages that answered the visitor's previous message."""
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    if len(users) < 2:
        return []
    sources: List[Dict[str, Any]] = []
    for event in events[users[-2] : users[-1]]:
        if event.get("event") == "bot":
            for source in (event.get("metadata") or {}).get("sources") or []:
                if isinstance(source, dict) and source not in sources:
                    sources.append(source)
    return sources
