"""The base class of every action that answers from the knowledge base."""

import abc
import logging
from typing import Any, Dict, List, Optional, Set

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.context import (
    MAX_MESSAGE_CHARS,
    SLOT_ATTRACTION,
    SLOT_LISTED,
    SLOT_PLACE,
    latest_text,
    named_attraction,
    other_place,
)
from actions.formatting import attraction_buttons, clarifying_buttons, honour_line, join_words
from actions.parsing import unanswered_aspect
from actions.replies import say
from actions.suggestions import suggestions, topic
from knowledge.answer import SUBJECT_ATTRACTION, SUBJECT_PLACE, Answer, Question, answer, read_question
from knowledge.base import KnowledgeBase, load
from knowledge.language import question_part

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

    @abc.abstractmethod
    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Answer the latest message (which is a question of a sensible length)."""

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
        question = self.question(tracker)
        # A choice from a list ("the second one") is answered as the list says.
        found = answer(self.kb, question) if self.intent(tracker) != "choose_option" else None
        if found is not None:
            logger.info(
                "%s answered from the sentences about %s: %s", self.name(), found.subject, found.reply
            )
            return self.say_answer(dispatcher, found)
        events = await self.answer(dispatcher, tracker, domain)
        slots = {e.get("name") for e in events if isinstance(e, dict) and e.get("event") == "slot"}
        if SLOT_PLACE not in slots and tracker.get_slot(SLOT_PLACE):
            events.append(SlotSet(SLOT_PLACE, None))  # a new subject: the place is no longer it
        return events

    def say_answer(self, dispatcher: CollectingDispatcher, found: Answer) -> List[EventType]:
        """Render an answer (a list of sights as names and a button each) and keep its
        subject, and the list, in the slots."""
        values = dict(found.values)
        if found.reply == "honour_unknown":
            values["honours"] = "\n".join(honour_line(h) for h in self.kb.honours())
        listed = values.pop("listed", None)
        if listed:
            values.update(names=join_words(listed), buttons=attraction_buttons(listed))
        say(dispatcher, found.reply, sources=found.sources, **values)
        return subject_slots(found) + ([SlotSet(SLOT_LISTED, listed)] if listed else [])

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
        """The latest message, read once: subject, answer kinds, yes/no claim."""
        return read_question(
            self.kb,
            latest_text(tracker),
            named_attraction=named_attraction(tracker, self.kb),
            remembered_attraction=tracker.get_slot(SLOT_ATTRACTION),
            remembered_place=tracker.get_slot(SLOT_PLACE),
            intent=self.intent(tracker),
            elsewhere=other_place(tracker, self.kb) or "",
        )

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base (loaded lazily, once per process)."""
        if self._kb is None:
            self._kb = load()
        return self._kb

    def declined_aspect(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        subject: str,
        evidence: List[str],
        known: str = "",
    ) -> bool:
        """Say so and return True when the visitor asks for something the document lacks
        (judged against `evidence`); offer `known`, what the document does say, if given."""
        aspect = unanswered_aspect(latest_text(tracker), evidence, self.kb.vocabulary)
        if aspect is None:
            return False
        logger.info("not in the document: %s of %s", aspect, subject)
        if known:
            sources = [s for s in self.kb.data["sentences"] if s in known] or [known]
            say(
                dispatcher,
                "aspect_unknown_known",
                aspect=aspect,
                subject=subject,
                known=known,
                sources=sources,
            )
        else:
            say(dispatcher, "aspect_unknown", aspect=aspect, subject=subject)
        return True

    def declined_place(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, strict: bool = False, allowed: str = ""
    ) -> bool:
        """Say so and return True when the question is about another place (see other_place)."""
        place = other_place(tracker, self.kb, strict, allowed)
        if place is None:
            return False
        say(dispatcher, "other_place", place=place, city=self.kb.city["name"])
        return True

    def city_evidence(self) -> List[str]:
        """Every sentence of the document: what can be said about the city."""
        return list(self.kb.data["sentences"])

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


def subject_slots(found: Answer) -> List[EventType]:
    """The slots that keep the answer's subject in context for the next question."""
    return [
        SlotSet(SLOT_ATTRACTION, found.subject if found.subject_kind == SUBJECT_ATTRACTION else None),
        SlotSet(SLOT_PLACE, found.subject if found.subject_kind == SUBJECT_PLACE else None),
    ]
