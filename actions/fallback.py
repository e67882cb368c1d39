"""Honest answers when the question is outside the document or the NLU is unsure."""

import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, EventType, UserUtteranceReverted, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import KnowledgeAction
from actions.context import latest_text

logger = logging.getLogger(__name__)

# An unsure NLU result is still taken when its best question intent is at least this likely.
GUESS_CONFIDENCE = 0.3


class ActionAnswerUnknown(KnowledgeAction):
    """Out of scope: says the document does not cover the question, and what it can answer
    instead; but a question the document clearly answers after all gets that answer (the
    NLU was sure: only a close match overrules it, see knowledge.answer)."""

    def name(self) -> str:
        return "action_answer_unknown"


class ActionSearchDocument(KnowledgeAction):
    """Low NLU confidence: answer with the best document sentence when it clearly fits."""

    def name(self) -> str:
        return "action_search_document"

    async def reply(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Two close question intents ("nickname" or "slogan"?) are both questions this
        assistant answers: when no passage clearly fits, take the likelier one, as if the NLU
        had been sure of it, so that the rules pick its action (as Rasa's two-stage
        fallback does on "yes")."""
        guess = best_guess(tracker)
        if guess is None or self.kb.search(latest_text(tracker)):
            return await super().reply(dispatcher, tracker, domain)
        logger.info("unsure NLU: answering %r as %s", latest_text(tracker), guess["name"])
        message = dict(tracker.latest_message, intent={"name": guess["name"], "confidence": 1.0})
        return [
            UserUtteranceReverted(),
            ActionExecuted("action_listen"),
            UserUttered(message["text"], parse_data=message),
        ]


def best_guess(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The likeliest question intent behind an unsure NLU result, if likely enough."""
    for ranked in (tracker.latest_message or {}).get("intent_ranking") or []:
        name = ranked.get("name") or ""
        if name == "nlu_fallback":
            continue
        is_question = name.startswith("ask_") or name == "choose_option"
        return ranked if is_question and (ranked.get("confidence") or 0) >= GUESS_CONFIDENCE else None
    return None
