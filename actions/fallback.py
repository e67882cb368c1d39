"""Honest answers when the question is outside the document or the NLU is unsure."""

import logging
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import describe
from actions.base import DomainDict, KnowledgeAction
from actions.context import latest_text, mentioned_attraction, other_place
from actions.formatting import attraction_evidence
from actions.parsing import asked_aspects
from actions.replies import say

logger = logging.getLogger(__name__)

# A BM25 score below this is no evidence that a sentence answers the question.
SEARCH_THRESHOLD = 3.0


class ActionAnswerUnknown(KnowledgeAction):
    """Says the document does not cover the question, and what it can answer instead."""

    def name(self) -> str:
        return "action_answer_unknown"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        decline(dispatcher, tracker, self)
        return []


def decline(dispatcher: CollectingDispatcher, tracker: Tracker, action: KnowledgeAction) -> None:
    """The most specific honest "not in the document" reply for the latest message."""
    city = action.kb.city["name"]
    place = other_place(tracker, action.kb, [])
    if place:
        say(dispatcher, "other_place", place=place, city=city)
        return
    attraction = mentioned_attraction(tracker, action.kb)
    subject = attraction["name"] if attraction else city
    evidence = attraction_evidence(attraction) if attraction else action.city_evidence()
    if not action.declined_aspect(dispatcher, tracker, subject, evidence):
        say(dispatcher, "unknown", city=city)


class ActionSearchDocument(KnowledgeAction):
    """Low NLU confidence: answer with the best document sentence when it clearly fits."""

    def name(self) -> str:
        return "action_search_document"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = latest_text(tracker)
        if asked_aspects(text) or other_place(tracker, self.kb, []):
            decline(dispatcher, tracker, self)
            return []
        attraction = mentioned_attraction(tracker, self.kb)
        if attraction:
            return describe(dispatcher, tracker, attraction, self)
        found = self.kb.search(text)
        if found and found[1] >= SEARCH_THRESHOLD:
            logger.info("search answered %r with score %.2f", text, found[1])
            say(dispatcher, "document_says", sentence=found[0])
        else:
            say(dispatcher, "unknown", city=self.kb.city["name"])
        return []
