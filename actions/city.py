"""Actions that answer questions about the city: where, how big, how many, why famous."""

import logging
from typing import Dict, List, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import (
    answer_from_document,
    city_fact_replies,
    city_fact_sources,
    describe,
    field_sources,
    say_overview,
)
from actions.base import KnowledgeAction
from actions.context import (
    ENTITY_HONOUR,
    SLOT_ATTRACTION,
    SLOT_HONOUR,
    SLOT_PLACE,
    attraction_in_context,
    entity_values,
    latest_text,
    mentioned_attraction,
)
from actions.formatting import (
    attraction_evidence,
    attraction_sources,
    honour_line,
    join_words,
    neighbours_text,
    with_subject,
)
from actions.parsing import asks_for_all_honours
from actions.replies import say
from knowledge.answer import where_sentence
from knowledge.text import words

logger = logging.getLogger(__name__)

# Intent -> (knowledge-base field it needs, what the field is called in a reply).
CITY_FACTS: Dict[str, Tuple[str, str]] = {
    "ask_area": ("area", "area"),
    "ask_population": ("population", "population"),
    "ask_neighbours": ("neighbours", "neighbouring cities"),
    "ask_nickname": ("nickname", "nickname"),
    "ask_resources": ("nickname", "resources and industry"),
    "ask_slogan": ("slogan", "slogan"),
    "ask_city_overview": ("region", "overview"),
}
# Figures that belong to the city alone: asked of an attraction or of another place,
# the document has no answer.
CITY_ONLY = {"ask_area", "ask_population"}


class ActionAnswerCityFact(KnowledgeAction):
    """Answers one fact about the city, short and specific to the question."""

    def name(self) -> str:
        return "action_answer_city_fact"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = self.intent(tracker)
        city = self.kb.city
        field, label = CITY_FACTS.get(intent, ("region", "overview"))
        if self.declined_place(dispatcher, tracker, strict=intent in CITY_ONLY):
            return []
        if intent in CITY_ONLY:
            # "How big is it?" right after an attraction asks about that attraction.
            attraction = attraction_in_context(tracker, self.kb)
            if attraction:
                say(
                    dispatcher,
                    "attraction_fact_unknown",
                    fact=label,
                    name=attraction["name"],
                    known=attraction.get("summary") or attraction["name"],
                    sources=attraction_sources(attraction),
                )
                return [SlotSet(SLOT_ATTRACTION, attraction["name"])]
        attraction = mentioned_attraction(tracker, self.kb)
        if attraction:
            return describe(dispatcher, tracker, attraction, self)
        sources = city_fact_sources(intent, city)
        if self.declined_aspect(dispatcher, tracker, city["name"], sources, known=" ".join(sources)):
            return []
        if intent == "ask_city_overview" and self.kb.search(latest_text(tracker)):
            # More than "tell me about Jinchang": answer what was asked.
            answer_from_document(dispatcher, tracker, self)
            return [SlotSet(SLOT_ATTRACTION, None)]
        if intent == "ask_city_overview":
            say_overview(dispatcher, self.kb)
            return [SlotSet(SLOT_ATTRACTION, None)]
        if not city.get(field):
            say(dispatcher, "fact_unknown", fact=label, city=city["name"])
            return [SlotSet(SLOT_ATTRACTION, None)]
        for name, values, sources in city_fact_replies(intent, city):
            say(dispatcher, name, sources=sources, **values)
        neighbours = city.get("neighbours", [])
        if intent == "ask_neighbours" and neighbours:
            # "What's its population?" next asks about the neighbour (of several, about them:
            # the document gives no figure of theirs, never the city's own).
            named = join_words([n["name"] for n in neighbours])
            return [SlotSet(SLOT_ATTRACTION, None), SlotSet(SLOT_PLACE, named)]
        return [SlotSet(SLOT_ATTRACTION, None)]


class ActionAnswerLocation(KnowledgeAction):
    """Answers "where": the city's location, or that of the attraction in context."""

    def name(self) -> str:
        return "action_answer_location"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        city = self.kb.city
        # "Is Jinchang in Gansu?" is about the city; "Where is Wuwei?" is not.
        if self.declined_place(dispatcher, tracker, strict=not self.kb.mentions_city(latest_text(tracker))):
            return []
        attraction = attraction_in_context(tracker, self.kb)
        if attraction:
            if self.declined_aspect(
                dispatcher,
                tracker,
                attraction["name"],
                attraction_evidence(attraction),
                attraction.get("summary", ""),
            ):
                return [SlotSet(SLOT_ATTRACTION, attraction["name"])]
            location = attraction.get("location")
            if location:
                say(
                    dispatcher,
                    "attraction_location",
                    name=attraction["name"],
                    location=location["text"],
                    sources=[location["source"]],
                )
            else:
                say(
                    dispatcher,
                    "attraction_location_unknown",
                    name=attraction["name"],
                    city=city["name"],
                    sources=[attraction["listed_in"]],
                )
            return [SlotSet(SLOT_ATTRACTION, attraction["name"])]
        if self.declined_aspect(dispatcher, tracker, city["name"], self.city_evidence()):
            return []
        region = city.get("region", {}).get("text", "")
        if not region:
            where = where_sentence(self.kb)  # no region found: the document's own words
            say(dispatcher, "document_says", sentence=where, sources=[where])
            return [SlotSet(SLOT_ATTRACTION, None)]
        found = self.kb.search(latest_text(tracker))
        where = set(
            words(" ".join([region, city.get("province", {}).get("value", ""), neighbours_text(city)]))
        )
        if found and not found[0].terms & where:
            # "Is Jinchang on the Silk Road?": the document answers with something other
            # than its province, region or neighbours.
            answer_from_document(dispatcher, tracker, self)
            return [SlotSet(SLOT_ATTRACTION, None)]
        say(
            dispatcher,
            "city_location" if city.get("neighbours") else "city_location_alone",
            city=city["name"],
            province=city.get("province", {}).get("value", ""),
            region=region,
            neighbours=neighbours_text(city),
            sources=field_sources(city, ["region", "province", "neighbours"]),
        )
        return [SlotSet(SLOT_ATTRACTION, None)]


class ActionAnswerHonours(KnowledgeAction):
    """Answers about honours: one honour when named, else the list with years and bodies."""

    def name(self) -> str:
        return "action_answer_honours"

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        city = self.kb.city
        attraction = mentioned_attraction(tracker, self.kb)
        if attraction:
            # "Is that park national or provincial?": about the attraction, not the city.
            return describe(dispatcher, tracker, attraction, self)
        text, previous = latest_text(tracker), tracker.get_slot(SLOT_HONOUR) or ""
        honour = None
        for value in entity_values(tracker, ENTITY_HONOUR):
            honour = honour or self.kb.find_honour(value, previous)
        honour = honour or self.kb.find_honour(text, previous)
        if honour is None and previous and not asks_for_all_honours(text):
            # "Who gave that title?" right after one honour is about that honour.
            honour = next((h for h in self.kb.honours() if h["title"] == previous), None)
        sources = [honour["source"]] if honour else [h["source"] for h in self.kb.honours()]
        # "Which ministry named Wuwei a garden city?" is not about this city's honours.
        if self.declined_place(dispatcher, tracker, strict=True, allowed=" ".join(sources)):
            return []
        known = with_subject(honour["source"], city["name"]) if honour else ""
        if self.declined_aspect(dispatcher, tracker, city["name"], sources, known=known):
            return []
        if honour:
            say(
                dispatcher,
                "honour",
                sentence=with_subject(honour["source"], city["name"]),
                sources=[honour["source"]],
            )
            return [SlotSet(SLOT_ATTRACTION, None), SlotSet(SLOT_HONOUR, honour["title"])]
        if self.kb.honours():
            lines = "\n".join(honour_line(h) for h in self.kb.honours())
            say(dispatcher, "honours", city=city["name"], honours=lines, sources=sources)
        else:
            say(dispatcher, "fact_unknown", fact="honours", city=city["name"])
        return [SlotSet(SLOT_ATTRACTION, None), SlotSet(SLOT_HONOUR, None)]
