"""What a turn is about: the attraction, honour or other place a visitor means."""

import logging
from typing import List, Optional

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


def mentioned_attraction(tracker: Tracker, kb: KnowledgeBase) -> Optional[Entry]:
    """The attraction named in the latest message, by entity or by its words."""
    return named_attraction(tracker, kb) or kb.find_attraction(latest_text(tracker))


def attraction_in_context(tracker: Tracker, kb: KnowledgeBase) -> Optional[Entry]:
    """The attraction a question is about: named now, described now ("the largest
    reservoir"), or else the one the conversation is about; None when the question
    names the city or clearly matches something else in the document."""
    text = latest_text(tracker)
    attraction = mentioned_attraction(tracker, kb)
    if attraction:
        return attraction
    found = kb.search(text)
    if found:
        return found[1]
    if kb.mentions_city(text):
        return None
    remembered = tracker.get_slot(SLOT_ATTRACTION)
    return kb.attraction(remembered) if remembered else None


def other_place(
    tracker: Tracker, kb: KnowledgeBase, strict: bool = False, allowed: str = ""
) -> Optional[str]:
    """A place named in the message that the answer cannot be about.

    Places the document mentions (its province, its neighbour) may be named in a
    question about the city ("Is Jinchang in Gansu?"); with `strict`, as for figures
    that belong to the city alone (area, population), any other place counts, except
    those named in `allowed` (the answer's own sentence: "most livable city in Gansu").
    """
    named = [
        v
        for v in asked_entity_values(tracker, ENTITY_PLACE)
        if not kb.mentions_city(v) and not kb.attraction(v)
    ]
    if strict:
        found = kb.place_in(question_part(latest_text(tracker)))
        named += [found] if found else []
    for value in named:
        if strict and allowed and value.lower() in allowed.lower():
            continue
        if strict or not kb.mentions_place(value):
            return value.title() if value.islower() else value
    return None
