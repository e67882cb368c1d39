"""The base class of every action that answers from the knowledge base."""

import abc
import logging
from typing import Any, Dict, List, Optional, Set

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.context import (
    ENTITY_HONOUR,
    ENTITY_PLACE,
    MAX_MESSAGE_CHARS,
    SLOT_ATTRACTION,
    SLOT_HONOUR,
    SLOT_LISTED,
    SLOT_PLACE,
    asked_entity_values,
    entity_values,
    latest_text,
    named_attraction,
    previous_text,
    told_before,
)
from actions.formatting import clarifying_buttons, join_words, reply_values
from actions.parsing import parse_ordinal
from actions.replies import say, templates
from actions.suggestions import suggestions, topic
from knowledge.answer import answer
from knowledge.base import Entry, KnowledgeBase, load
from knowledge.language import question_part
from knowledge.sentences import (
    SUBJECT_ATTRACTION,
    SUBJECT_CITY,
    SUBJECT_KEPT,
    SUBJECT_PLACE,
    Answer,
    Question,
    read_question,
)

logger = logging.getLogger(__name__)


class KnowledgeAction(Action, abc.ABC):
    """An action with a knowledge base, injected or loaded on first use.

    Abstract, so that the action server registers only its concrete subclasses.
    """

    def __init__(self, kb: Optional[KnowledgeBase] = None) -> None:
        self._kb = kb

    @abc.abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Reply, then give the reply its topic, its sources and the next questions."""
        first = len(dispatcher.messages)
        events = await self.reply(dispatcher, tracker, domain)
        self.annotate(dispatcher.messages[first:], tracker, events)
        return events

    async def reply(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Answer, unless the message is too long or holds no question at all."""
        text = latest_text(tracker)
        if len(text) > MAX_MESSAGE_CHARS:
            say(dispatcher, "too_long", limit=MAX_MESSAGE_CHARS)
            return []
        if not any(c.isalnum() for c in text):
            say(dispatcher, "no_question", city=self.kb.city["name"])
            return []
        if self.intent(tracker) != "choose_option" and self.clarified(dispatcher, tracker):
            return []
        found = answer(self.kb, self.question(tracker))
        logger.info("%s: %s about %r", self.name(), found.reply, found.subject)
        return self.say_answer(dispatcher, tracker, found)

    def say_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, found: Answer
    ) -> List[EventType]:
        """Render an answer (and the messages that go with it), then keep its subject and
        context in the slots."""
        for part in (found, *found.more):
            say(dispatcher, part.reply, sources=part.sources, **reply_values(part.values))
        return answer_slots(found, tracker)

    def clarified(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
        """Ask "Do you mean A or B?" and return True when the question names something that
        could be several attractions or places and the conversation does not say which."""
        text = latest_text(tracker)
        if named_attraction(tracker, self.kb):
            return False
        if " or " in f" {text.lower()} " and len(self.kb.rank_attractions(question_part(text))) > 1:
            return False  # "which is cheaper, Guanyin Cave or Cuiping Mountain?" names both
        reference, meanings = self.kb.meanings(question_part(text))
        in_context = {tracker.get_slot(SLOT_ATTRACTION), tracker.get_slot(SLOT_PLACE)}
        if not meanings or in_context & set(meanings):
            return False
        logger.info("asked which of %s %r means", meanings, reference)
        say(
            dispatcher,
            "clarify",
            options=join_words(meanings, "or"),
            buttons=clarifying_buttons(question_part(text), reference, meanings),
        )
        return True

    def annotate(self, messages: List[Dict[str, Any]], tracker: Tracker, events: List[EventType]) -> None:
        """Name each message's topic, turn its source sentences into document references
        ({"sentence", "paragraph"}) and end the last one with the next questions to ask,
        unless it offers choices of its own."""
        if not messages:
            return
        attraction = self.kb.attraction(slot_after(SLOT_ATTRACTION, events, tracker) or "")
        for message in messages:
            message["topic"] = topic(message.get("reply", ""), attraction["name"] if attraction else None)
            if message.get("sources"):
                message["sources"] = self.kb.sources(message["sources"])
        if not messages[-1].get("buttons"):
            told = told_topics(tracker) | {m["topic"] for m in messages}
            messages[-1]["buttons"] = suggestions(self.kb, attraction, told)

    def question(self, tracker: Tracker) -> Question:
        """The latest message, read once, with what the conversation holds: the subject,
        the answer kinds, the yes/no claim, the places and honours named."""
        return read_question(
            self.kb,
            self.asked(tracker),
            named_attraction=named_attraction(tracker, self.kb),
            remembered_attraction=tracker.get_slot(SLOT_ATTRACTION),
            remembered_place=tracker.get_slot(SLOT_PLACE),
            remembered_honour=tracker.get_slot(SLOT_HONOUR) or "",
            intent=self.intent(tracker),
            places=asked_entity_values(tracker, ENTITY_PLACE),
            honours=entity_values(tracker, ENTITY_HONOUR),
            chosen=self.chosen(tracker),
            previous=previous_text(tracker),
            told=told_before(tracker),
        )

    def asked(self, tracker: Tracker) -> str:
        """The text of the latest message that asks the question."""
        return latest_text(tracker)

    def chosen(self, tracker: Tracker) -> Optional[Entry]:
        """The attraction picked from the list last offered ("the second one"), if any."""
        if self.intent(tracker) != "choose_option":
            return None
        listed = tracker.get_slot(SLOT_LISTED) or []
        position = parse_ordinal(latest_text(tracker), len(listed))
        return self.kb.attraction(listed[position]) if position is not None else None

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base (loaded lazily, once per process)."""
        if self._kb is None:
            self._kb = load()
        return self._kb

    @staticmethod
    def intent(tracker: Tracker) -> str:
        """The latest intent name."""
        return ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""


def slot_after(name: str, events: List[EventType], tracker: Tracker) -> Any:
    """A slot's value once `events` are applied to the tracker."""
    for event in reversed(events):
        if isinstance(event, dict) and event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return tracker.get_slot(name)


def told_topics(tracker: Tracker) -> Set[str]:
    """The topics of the bot's earlier replies in this conversation."""
    return {
        str(event["metadata"]["topic"])
        for event in tracker.events
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("topic")
    }


def answer_slots(found: Answer, tracker: Tracker) -> List[EventType]:
    """The slots that keep the answer's subject and context for the next question: the
    attraction or place it is about (none: the city), the sights just listed, the
    neighbours or the honour just named. An answer that keeps the subject changes none of
    them, nor does an honest "doesn't say" of the city (after a sight, "do I need anything
    to get in?" may still ask of it), but a place talked about before is no longer the subject."""
    slots: Dict[str, Any] = {}
    declined_of_city = found.subject_kind == SUBJECT_CITY and bool(templates()[found.reply].get("unanswered"))
    if found.subject_kind != SUBJECT_KEPT and not declined_of_city:
        slots[SLOT_ATTRACTION] = found.subject if found.subject_kind == SUBJECT_ATTRACTION else None
        slots[SLOT_PLACE] = found.subject if found.subject_kind == SUBJECT_PLACE else None
    if found.values.get("listed"):
        slots[SLOT_LISTED] = found.values["listed"]
    for what, value in found.context:
        slots[CONTEXT_SLOTS[what]] = join_words(value) if isinstance(value, list) else value
    if SLOT_PLACE not in slots and tracker.get_slot(SLOT_PLACE):
        slots[SLOT_PLACE] = None
    return [SlotSet(name, value) for name, value in slots.items()]


# What an answer's context names -> the slot that keeps it.
CONTEXT_SLOTS = {"place": SLOT_PLACE, "honour": SLOT_HONOUR}
