"""Honest answers when the question is outside the document or the NLU is unsure."""

import logging
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import answer_from_document
from actions.base import KnowledgeAction

logger = logging.getLogger(__name__)


class ActionAnswerUnknown(KnowledgeAction):
    """Out of scope: says the document does not cover the question, and what it can answer
    instead; but a question the document clearly answers after all gets that answer."""

    def name(self) -> str:
        return "action_answer_unknown"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        # The NLU was sure this is out of scope: only a close match overrules it
        # ("the capital of China" shares two words with "the Nickel Capital of China").
        answer_from_document(dispatcher, tracker, self, min_terms=3)
        return []


class ActionSearchDocument(KnowledgeAction):
    """Low NLU confidence: answer with the best document sentence when it clearly fits."""

    def name(self) -> str:
        return "action_search_document"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        answer_from_document(dispatcher, tracker, self)
        return []
