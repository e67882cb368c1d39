"""Actions about the attractions: the list, one attraction, its story."""

import logging
from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import answer_from_document, describe, say_overview
from actions.base import KnowledgeAction
from actions.context import SLOT_ATTRACTION, SLOT_LISTED, attraction_in_context, latest_text
from actions.formatting import attraction_buttons
from actions.parsing import parse_ordinal
from actions.replies import say
from knowledge.answer import attractions_answer

logger = logging.getLogger(__name__)


class ActionListAttractions(KnowledgeAction):
    """Lists every attraction in document order, with a button for each."""

    def name(self) -> str:
        return "action_list_attractions"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        names = self.kb.attraction_names()
        if self.declined_aspect(dispatcher, tracker, self.kb.city["name"], self.city_evidence()):
            return []
        if not names:
            say(dispatcher, "fact_unknown", fact="attractions", city=self.kb.city["name"])
            return []
        return self.say_answer(dispatcher, attractions_answer(self.kb))


class ActionDescribeAttraction(KnowledgeAction):
    """Describes the attraction named, picked from a list, or in context."""

    def name(self) -> str:
        return "action_describe_attraction"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent, text = self.intent(tracker), latest_text(tracker)
        names = self.kb.attraction_names()
        if intent == "choose_option":
            listed = tracker.get_slot(SLOT_LISTED) or []
            position = parse_ordinal(text, len(listed))
            attraction = self.kb.attraction(listed[position]) if position is not None else None
        else:
            attraction = attraction_in_context(tracker, self.kb)
        if attraction is None and self.kb.search(text):
            return answer_from_document(dispatcher, tracker, self) or [SlotSet(SLOT_ATTRACTION, None)]
        if attraction is None and self.kb.mentions_city(text):
            return self.about_city(dispatcher, tracker, intent)
        if attraction is None and intent == "ask_history":
            attraction = self.kb.find_story(text)
        if attraction is None:
            say(dispatcher, "ask_which_attraction", buttons=attraction_buttons(names))
            return [SlotSet(SLOT_LISTED, names)]
        return describe(dispatcher, tracker, attraction, self)

    def about_city(self, dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> List[EventType]:
        """Answer a question about the city itself ("Tell me about Jinchang", "its history")."""
        city = self.kb.city
        if intent == "ask_history":
            say(dispatcher, "aspect_unknown", aspect="history", subject=city["name"])
        elif not self.declined_aspect(dispatcher, tracker, city["name"], self.city_evidence()):
            say_overview(dispatcher, self.kb)
        return [SlotSet(SLOT_ATTRACTION, None)]
