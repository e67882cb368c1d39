"""Replies composed from the knowledge base, shared by the city and attraction actions."""

import logging
from typing import Any, Dict, List, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import KnowledgeAction
from actions.context import SLOT_ATTRACTION, latest_text, mentioned_attraction, other_place
from actions.formatting import attraction_evidence, attraction_sources, neighbours_text
from actions.parsing import asked_aspects
from actions.replies import render, say
from knowledge.answer import gives_asked
from knowledge.base import Entry, KnowledgeBase
from knowledge.language import question_part

logger = logging.getLogger(__name__)


# The knowledge-base fields each city-fact reply is built from: its sources.
REPLY_FIELDS: Dict[str, List[str]] = {
    "area": ["area"],
    "population": ["population"],
    "neighbours": ["neighbours"],
    "nickname": ["nickname"],
    "resources": ["nickname", "resources"],
    "slogan": ["slogan"],
    "slogan_only": ["slogan"],
    "overview": ["region", "nickname", "area", "population"],
    "overview_parts": ["region", "nickname", "area", "population"],
}


def city_fact_replies(intent: str, city: Dict[str, Any]) -> List[Tuple[str, Dict[str, Any], List[str]]]:
    """The replies (name, values and source sentences) that answer a city-fact intent."""
    return [
        (name, values, field_sources(city, REPLY_FIELDS[name])) for name, values in _city_facts(intent, city)
    ]


def _city_facts(intent: str, city: Dict[str, Any]) -> List[Tuple[str, Dict[str, Any]]]:
    name = city["name"]
    if intent == "ask_area":
        area = city["area"]
        return [("area", {"city": name, "area": area["text"], "unit": area["unit"]})]
    if intent == "ask_population":
        population = city["population"]
        return [
            (
                "population",
                {
                    "city": name,
                    "population": population["text"],
                    "as_of": population.get("as_of", "according to the document"),
                },
            )
        ]
    if intent == "ask_neighbours":
        return [("neighbours", {"city": name, "neighbours": neighbours_text(city)})]
    if intent in ("ask_nickname", "ask_resources"):
        nickname = city["nickname"]
        replies = [
            (
                "nickname" if intent == "ask_nickname" else "resources",
                {
                    "city": name,
                    "nickname": nickname["value"],
                    "reason": nickname["reason"],
                    "resources": city.get("resources", {}).get("value", "natural resources"),
                },
            )
        ]
        if intent == "ask_nickname" and city.get("slogan"):
            replies += _city_facts("ask_slogan", city)
        return replies
    if intent == "ask_slogan":
        slogan = city["slogan"]
        return [
            (
                "slogan" if slogan.get("tagline") else "slogan_only",
                {
                    "city": name,
                    "slogan": slogan["value"],
                    "tagline": slogan.get("tagline", ""),
                },
            )
        ]
    values = {
        "city": name,
        "province": city.get("province", {}).get("value", ""),
        "region": city["region"]["text"],
        "nickname": city.get("nickname", {}).get("value", ""),
        "area": city.get("area", {}).get("text", ""),
        "unit": city.get("area", {}).get("unit", ""),
        "population": city.get("population", {}).get("text", ""),
        "as_of": city.get("population", {}).get("as_of", ""),
    }
    if all(values.values()):
        return [("overview", values)]
    # A document without some of them: the sentences of those it gives.
    said = [part for part, fields in OVERVIEW_PARTS if all(values[f] for f in fields)]
    if "overview_province" in said:
        said.remove("overview_region")  # said with the province
    return [("overview_parts", {"text": " ".join(render(part, **values)["text"] for part in said)})]


# The overview's sentences (actions/replies.yml) and the values each needs.
OVERVIEW_PARTS = (
    ("overview_province", ("province", "region")),
    ("overview_region", ("region",)),
    ("overview_nickname", ("nickname",)),
    ("overview_area", ("area", "unit")),
    ("overview_population", ("population", "as_of")),
)


def say_overview(dispatcher: CollectingDispatcher, kb: KnowledgeBase) -> None:
    """What the document says of the city as a whole: the overview when it says where the
    city is, else its opening sentence (a page that names no region is not rendered with
    an empty one)."""
    city = kb.city
    if city.get("region"):
        for name, values, sources in city_fact_replies("ask_city_overview", city):
            say(dispatcher, name, sources=sources, **values)
        return
    own = kb.city_sentences()
    if not own:
        say(dispatcher, "fact_unknown", fact="overview", city=city["name"])
        return
    lead = kb.data["sentences"][own[0]]
    say(dispatcher, "document_says", sentence=lead, sources=[lead])


def city_fact_sources(intent: str, city: Dict[str, Any]) -> List[str]:
    """The document sentences a city-fact answer comes from."""
    fields = {
        "ask_area": ["area"],
        "ask_population": ["population"],
        "ask_neighbours": ["neighbours"],
        "ask_nickname": ["nickname", "slogan"],
        "ask_resources": ["nickname", "resources"],
        "ask_slogan": ["slogan"],
    }.get(intent, REPLY_FIELDS["overview"])
    return field_sources(city, fields)


def field_sources(city: Dict[str, Any], fields: List[str]) -> List[str]:
    """The source sentences of the city's `fields`, each once."""
    sources: List[str] = []
    for field in fields:
        value = city.get(field)
        for entry in value if isinstance(value, list) else [value]:
            if entry and entry["source"] not in sources:
                sources.append(entry["source"])
    return sources


def describe(
    dispatcher: CollectingDispatcher, tracker: Tracker, attraction: Entry, action: KnowledgeAction
) -> List[EventType]:
    """Tell what the document says about one attraction (or its story, when asked)."""
    name = attraction["name"]
    events: List[EventType] = [SlotSet(SLOT_ATTRACTION, name)]
    if action.declined_aspect(
        dispatcher, tracker, name, attraction_evidence(attraction), attraction.get("summary", "")
    ):
        return events
    if action.intent(tracker) == "ask_history":
        history = attraction.get("history") or []
        if history:
            say(
                dispatcher,
                "attraction_history",
                name=name,
                history=" ".join(h["text"] for h in history),
                sources=[h["source"] for h in history],
            )
            return events
        say(dispatcher, "attraction_history_unknown", name=name)
    if attraction.get("summary"):
        say(
            dispatcher,
            "attraction",
            name=name,
            summary=attraction["summary"],
            sources=attraction_sources(attraction),
        )
    else:
        say(
            dispatcher,
            "attraction_no_detail",
            name=name,
            city=action.kb.city["name"],
            sources=[attraction["listed_in"]],
        )
    return events


def decline(dispatcher: CollectingDispatcher, tracker: Tracker, action: KnowledgeAction) -> None:
    """The most specific honest "not in the document" reply for the latest message."""
    city = action.kb.city["name"]
    if action.declined_place(dispatcher, tracker):
        return
    attraction = mentioned_attraction(tracker, action.kb)
    subject = attraction["name"] if attraction else city
    evidence = attraction_evidence(attraction) if attraction else action.city_evidence()
    known = attraction.get("summary", "") if attraction else ""
    if not action.declined_aspect(dispatcher, tracker, subject, evidence, known):
        say(dispatcher, "unknown", city=city)


def answer_from_document(
    dispatcher: CollectingDispatcher, tracker: Tracker, action: KnowledgeAction, min_terms: int = 2
) -> List[EventType]:
    """Answer with the passage that clearly matches the question (sharing `min_terms`
    words with it), else decline honestly. Only the asking part of a chatty message
    counts; the NLU's doubt was about the story told before it, so the ordinary two
    shared words then suffice."""
    text = question_part(latest_text(tracker))
    if text != latest_text(tracker):
        min_terms = min(min_terms, 2)
    if asked_aspects(text, action.kb.vocabulary) or other_place(tracker, action.kb):
        decline(dispatcher, tracker, action)
        return []
    attraction = mentioned_attraction(tracker, action.kb)
    found = action.kb.search(text, min_terms)
    if found and not gives_asked(text, found[0].text):
        found = None  # "What year was the railway built?": a railway sentence with no year
    if attraction is None and found:
        hit, attraction = found
        # "Which ministry named Wuwei a garden city?": the passage is not about Wuwei.
        if action.declined_place(dispatcher, tracker, strict=True, allowed=hit.text):
            return []
        if attraction is None:
            logger.info("search answered %r with score %.2f", text, hit.score)
            say(dispatcher, "document_says", sentence=hit.text, sources=[hit.text])
            return []
    if attraction:
        return describe(dispatcher, tracker, attraction, action)
    say(dispatcher, "unknown", city=action.kb.city["name"])
    return []
