"""Actions about the attractions: the list, one attraction, its story."""

import logging
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import DomainDict, KnowledgeAction
from actions.context import SLOT_ATTRACTION, SLOT_LISTED, attraction_in_context, latest_text
from actions.formatting import attraction_buttons, attraction_evidence, join_words
from actions.parsing import parse_ordinal
from actions.replies import say

logger = logging.getLogger(__name__)

Entry = Dict[str, Any]


def describe(
    dispatcher: CollectingDispatcher, tracker: Tracker, attraction: Entry, action: KnowledgeAction
) -> List[EventType]:
    """Tell what the document says about one attraction (or its story, when asked)."""
    name = attraction["name"]
    events: List[EventType] = [SlotSet(SLOT_ATTRACTION, name)]
    if action.declined_aspect(dispatcher, tracker, name, attraction_evidence(attraction)):
        return events
    if action.intent(tracker) == "ask_history":
        history = attraction.get("history") or []
        if history:
            say(dispatcher, "attraction_history", name=name, history=" ".join(h["text"] for h in history))
            return events
        say(dispatcher, "attraction_history_unknown", name=name)
    if attraction.get("summary"):
        say(dispatcher, "attraction", name=name, summary=attraction["summary"])
    else:
        say(dispatcher, "attraction_no_detail", name=name, city=action.kb.city["name"])
    return events


class ActionListAttractions(KnowledgeAction):
    """Lists every attraction in document order, with a button for each."""

    def name(self) -> str:
        return "action_list_attractions"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        names = self.kb.attraction_names()
        if not names:
            say(dispatcher, "fact_unknown", fact="attractions", city=self.kb.city["name"])
            return []
        say(
            dispatcher,
            "attractions",
            city=self.kb.city["name"],
            count=len(names),
            names=join_words(names),
            buttons=attraction_buttons(names),
        )
        return [SlotSet(SLOT_LISTED, names), SlotSet(SLOT_ATTRACTION, None)]


class ActionDescribeAttraction(KnowledgeAction):
    """Describes the attraction named, picked from a list, or in context."""

    def name(self) -> str:
        return "action_describe_attraction"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        attraction = None
        if self.intent(tracker) == "choose_option":
            listed = tracker.get_slot(SLOT_LISTED) or []
            position = parse_ordinal(latest_text(tracker), len(listed))
            if position is not None:
                attraction = self.kb.attraction(listed[position])
        if attraction is None:
            attraction = attraction_in_context(tracker, self.kb)
        if attraction is None and self.intent(tracker) == "ask_history":
            # "Tell me the legend": when one attraction alone has a story, it is that one.
            storied = [a for a in self.kb.attractions if a.get("history")]
            attraction = storied[0] if len(storied) == 1 else None
        if attraction is None:
            names = self.kb.attraction_names()
            say(dispatcher, "ask_which_attraction", buttons=attraction_buttons(names))
            return [SlotSet(SLOT_LISTED, names)]
        return describe(dispatcher, tracker, attraction, self)
