"""The base class of every action that answers from the knowledge base."""

import abc
import logging
from typing import List, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.context import (
    MAX_MESSAGE_CHARS,
    SLOT_ATTRACTION,
    SLOT_PLACE,
    latest_text,
    named_attraction,
    other_place,
)
from actions.formatting import honour_line
from actions.parsing import unanswered_aspect
from actions.replies import say
from knowledge.answer import SUBJECT_ATTRACTION, SUBJECT_PLACE, Answer, Question, answer, read_question
from knowledge.base import KnowledgeBase, load

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
        """Answer, unless the message is too long or holds no question at all."""
        text = latest_text(tracker)
        if len(text) > MAX_MESSAGE_CHARS:
            say(dispatcher, "too_long", limit=MAX_MESSAGE_CHARS)
            return []
        if not any(c.isalnum() for c in text):
            say(dispatcher, "no_question", city=self.kb.city["name"])
            return []
        question = self.question(tracker)
        # A choice from a list ("the second one") is answered as the list says.
        found = answer(self.kb, question) if self.intent(tracker) != "choose_option" else None
        if found is not None:
            logger.info(
                "%s answered from the sentences about %s: %s", self.name(), found.subject, found.reply
            )
            values = dict(found.values)
            if found.reply == "honour_unknown":
                values["honours"] = "\n".join(honour_line(h) for h in self.kb.honours())
            say(dispatcher, found.reply, **values)
            return subject_slots(found)
        events = await self.answer(dispatcher, tracker, domain)
        slots = {e.get("name") for e in events if isinstance(e, dict) and e.get("event") == "slot"}
        if SLOT_ATTRACTION in slots and SLOT_PLACE not in slots:
            events.append(SlotSet(SLOT_PLACE, None))  # a new subject: the place is no longer it
        return events

    def question(self, tracker: Tracker) -> Question:
        """The latest message, read once: subject, answer kinds, yes/no claim."""
        return read_question(
            self.kb,
            latest_text(tracker),
            named_attraction=named_attraction(tracker, self.kb),
            remembered_attraction=tracker.get_slot(SLOT_ATTRACTION),
            remembered_place=tracker.get_slot(SLOT_PLACE),
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
            say(dispatcher, "aspect_unknown_known", aspect=aspect, subject=subject, known=known)
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


def subject_slots(found: Answer) -> List[EventType]:
    """The slots that keep the answer's subject in context for the next question."""
    return [
        SlotSet(SLOT_ATTRACTION, found.subject if found.subject_kind == SUBJECT_ATTRACTION else None),
        SlotSet(SLOT_PLACE, found.subject if found.subject_kind == SUBJECT_PLACE else None),
    ]
