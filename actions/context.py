"""What a turn is about: the attraction, honour or other place a visitor means."""

import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from knowledge.base import Entry, KnowledgeBase
from knowledge.language import question_part

logger = logging.getLogger(__name__)

# Longer messages get a "too long" reply; the NLU reads only this many characters
# (nlu.tokenizer.BoundedWhitespaceTokenizer, max_characters in config.yml).
MAX_MESSAGE_CHARS = 1000

SLOT_ATTRACTION = "attraction"
SLOT_LISTED = "listed_attractions"
SLOT_HONOUR = "honour"
SLOT_PLACE = "place"
ENTITY_ATTRACTION = "attraction"
ENTITY_HONOUR = "honour"
ENTITY_PLACE = "place"


def latest_text(tracker: Tracker) -> str:
    """The visitor's latest message text ("" when there is none)."""
    return (tracker.latest_message or {}).get("text") or ""


def previous_text(tracker: Tracker) -> str:
    """The visitor's message before the latest one ("" when there is none)."""
    said = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    return said[-2] if len(said) > 1 else ""


# Replies that quote what the document says of the thing asked (not a "doesn't say" with
# what it does say instead): a follow-up naming nothing ("how much is it?") asks about it.
TELLING_REPLIES = frozenset(
    ("document_says", "attraction", "attraction_history", "attraction_location", "verdict")
)


def previous_replies(events: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The metadata (reply name, sources, topic) of the bot messages that answered the
    visitor's previous message, in order."""
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    if len(users) < 2:
        return []
    return [e.get("metadata") or {} for e in events[users[-2] : users[-1]] if e.get("event") == "bot"]


def told_before(tracker: Tracker) -> List[str]:
    """The document sentences the reply to the visitor's previous message quoted, when it
    told what the document says of what was asked ([] otherwise)."""
    return [
        source["sentence"]
        for metadata in previous_replies(tracker.events)
        if metadata.get("reply") in TELLING_REPLIES
        for source in metadata.get("sources") or []
        if isinstance(source, dict) and source.get("sentence")
    ]


def entity_values(tracker: Tracker, entity: str, start: int = 0) -> List[str]:
    """Every value of one entity type in the latest message (from character `start` on),
    without repeats."""
    values = [
        str(e.get("value"))
        for e in (tracker.latest_message or {}).get("entities", [])
        if e.get("entity") == entity and e.get("value") and (e.get("start") is None or e["start"] >= start)
    ]
    return list(dict.fromkeys(values))


def asked_entity_values(tracker: Tracker, entity: str) -> List[str]:
    """Entity values in the asking part of the message, not in a story told before it
    ("My cousin works in Lanzhou ... How many residents did Jinchang have?")."""
    text = latest_text(tracker)
    return entity_values(tracker, entity, start=len(text) - len(question_part(text)))


def named_attraction(tracker: Tracker, kb: KnowledgeBase) -> Optional[Entry]:
    """The attraction an entity of the latest message names, if any."""
    for value in entity_values(tracker, ENTITY_ATTRACTION):
        attraction = kb.attraction(value)
        if attraction:
            return attraction
    return None
