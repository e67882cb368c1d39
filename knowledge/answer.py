"""One path from a question to its answer: `answer(kb, question) -> Answer`, never None.

1. The sentences settle it (knowledge.sentences.settled): a sentence about the subject
   that holds the kind of answer asked for, a yes or a no, or an honest "doesn't say".
2. Else the structured fact the question asks for (the intent the NLU picked says which):
   the city's figures, location, honours and sights, or one sight.
3. Else the passage a search finds, else an honest "the document doesn't say", with what
   it does say about the subject.

An `Answer` names a reply of actions/replies.yml with its values; the actions only render
it and keep its subject (and context) in the slots.
"""

import dataclasses
import logging
import re
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from knowledge.aspects import asked_aspects, asks_for_all_honours, unanswered_aspect
from knowledge.base import (
    Entry,
    KnowledgeBase,
    attraction_evidence,
    attraction_sources,
    field_sources,
    names_of,
)
from knowledge.language import question_part
from knowledge.sentences import (
    DECLINES,
    SUBJECT_ATTRACTION,
    SUBJECT_CITY,
    SUBJECT_KEPT,
    Answer,
    Question,
    as_asked,
    asks_where_the_city_is,
    attractions_answer,
    beside_the_last,
    gives_asked,
    passage_answer,
    place_elsewhere,
    said_plainly,
    settled,
    where_sentence,
)
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
# The knowledge-base fields each city-fact reply is built from: its sources.
REPLY_FIELDS: Dict[str, List[str]] = {
    "area": ["area"],
    "population": ["population"],
    "neighbours": ["neighbours"],
    "nickname": ["nickname"],
    "nickname_only": ["nickname"],
    "nickname_clause": ["nickname"],
    "resources": ["nickname", "resources"],
    "resources_clause": ["nickname", "resources"],
    "resources_only": ["nickname", "resources"],
    "slogan": ["slogan"],
    "slogan_only": ["slogan"],
    "overview": ["region", "nickname", "area", "population"],
    "overview_parts": ["region", "nickname", "area", "population"],
}
# The overview's sentences (actions/replies.yml) and the values each needs.
OVERVIEW_PARTS = (
    ("overview_province", ("province", "region")),
    ("overview_region", ("region",)),
    ("overview_nickname", ("nickname",)),
    ("overview_area", ("area", "unit")),
    ("overview_population", ("population", "as_of")),
)


def answer(kb: KnowledgeBase, question: Question) -> Answer:
    """The answer to a turn: what the sentences settle, else the structured fact the
    question asks for, else the passage that fits, else an honest "doesn't say". A choice
    from a list ("the second one") is answered as the list says."""
    question = as_asked(kb, question)
    found = (
        beside_the_last(kb, question) or settled(kb, question) if question.intent != "choose_option" else None
    )
    if found is not None:
        logger.info("answered from the sentences about %s: %s", found.subject, found.reply)
    else:
        # "where is Tongyao?" taken for chit-chat is still the city's location
        path = _PATHS.get(question.intent) or (
            _location if asks_where_the_city_is(question) else _from_document
        )
        found = path(kb, question)
    return _about_its_owner(kb, _unless_said_plainly(kb, question, found))


def _unless_said_plainly(kb: KnowledgeBase, question: Question, found: Answer) -> Answer:
    """An honest "doesn't say", unless a sentence plainly says what was asked."""
    if found.reply not in DECLINES:
        return found
    return said_plainly(kb, question) or found


def _about_its_owner(kb: KnowledgeBase, found: Answer) -> Answer:
    """A line of a sight or a listing quoted for the city ("Yongchang Guesthouse ...
    Doubles ¥150-220" for "where can I stay?"): the conversation is now about that place,
    so "what's the phone number?" asks for its number."""
    if found.reply != "document_says" or found.subject_kind == SUBJECT_ATTRACTION or not found.sources:
        return found
    owner = kb.owner_of(found.sources[0])
    if owner is None:
        return found
    return dataclasses.replace(found, subject=owner["name"], subject_kind=SUBJECT_ATTRACTION)


# --- the city's facts ------------------------------------------------------------------


def _city_fact(kb: KnowledgeBase, question: Question) -> Answer:
    """One fact about the city, short and specific to the question."""
    intent, city = question.intent, kb.city
    field, label = CITY_FACTS.get(intent, ("region", "overview"))
    place = other_place(kb, question, strict=intent in CITY_ONLY)
    if place:
        return _elsewhere(kb, place)
    if intent in CITY_ONLY:
        # "How big is it?" right after an attraction asks about that attraction.
        attraction = attraction_in_context(kb, question)
        if attraction:
            values = {
                "fact": label,
                "name": attraction["name"],
                "known": attraction.get("summary") or attraction["name"],
            }
            return _of_sight(attraction, "attraction_fact_unknown", values, attraction_sources(attraction))
    attraction = mentioned_attraction(kb, question)
    if attraction:
        return describe(kb, question, attraction)
    sources = field_sources(city, CITY_FACT_FIELDS.get(intent, REPLY_FIELDS["overview"]))
    declined = declined_aspect(kb, question, city["name"], sources, known=" ".join(sources))
    if declined is not None:
        return declined
    if intent == "ask_city_overview" and kb.search(question.text):
        return _of_city(kb, _from_document(kb, question))  # more than "tell me about Jinchang"
    if intent == "ask_city_overview":
        return overview(kb)
    if not city.get(field):
        return Answer("fact_unknown", {"fact": label, "city": city["name"]}, (), city["name"], SUBJECT_CITY)
    replies = city_fact_answers(kb, intent)
    found = dataclasses.replace(replies[0], more=tuple(replies[1:]))
    neighbours = city.get("neighbours", [])
    if intent == "ask_neighbours" and neighbours:
        # "What's its population?" next asks about the neighbour (of several, about them:
        # the document gives no figure of theirs, never the city's own).
        found = dataclasses.replace(found, context=(("place", [n["name"] for n in neighbours]),))
    return found


# Intent -> the fields its sources are (the nickname's answer names its slogan too).
CITY_FACT_FIELDS: Dict[str, List[str]] = {
    "ask_area": ["area"],
    "ask_population": ["population"],
    "ask_neighbours": ["neighbours"],
    "ask_nickname": ["nickname", "slogan"],
    "ask_resources": ["nickname", "resources"],
    "ask_slogan": ["slogan"],
}


def city_fact_answers(kb: KnowledgeBase, intent: str) -> List[Answer]:
    """The replies that answer a city-fact intent, each with its source sentences."""
    city = kb.city
    return [
        Answer(name, values, tuple(field_sources(city, REPLY_FIELDS[name])), city["name"], SUBJECT_CITY)
        for name, values in _city_facts(intent, city)
    ]


def _city_facts(intent: str, city: Dict[str, Any]) -> List[Tuple[str, Dict[str, Any]]]:
    name = city["name"]
    if intent == "ask_area":
        area = city["area"]
        return [("area", {"city": name, "area": area["text"], "unit": area["unit"]})]
    if intent == "ask_population":
        population = city["population"]
        as_of = population.get("as_of", "according to the document")
        return [("population", {"city": name, "population": population["text"], "as_of": as_of})]
    if intent == "ask_neighbours":
        return [("neighbours", {"city": name, "neighbour_list": city.get("neighbours", [])})]
    if intent in ("ask_nickname", "ask_resources"):
        nickname = city["nickname"]
        values = {
            "city": name,
            "nickname": nickname["value"],
            "reason": nickname["reason"],
            "resources": city.get("resources", {}).get("value", "natural resources"),
        }
        reply = "resources" if intent == "ask_resources" else "nickname"
        # "... because it is the largest base", or a reason in a clause of its own
        said = f"{reply}_clause" if nickname.get("clause") else reply
        replies = [(said if nickname["reason"] else f"{reply}_only", values)]
        if intent == "ask_nickname" and city.get("slogan"):
            replies += _city_facts("ask_slogan", city)
        return replies
    if intent == "ask_slogan":
        slogan = city["slogan"]
        values = {"city": name, "slogan": slogan["value"], "tagline": slogan.get("tagline", "")}
        return [("slogan" if slogan.get("tagline") else "slogan_only", values)]
    values = {
        "city": name,
        "province": province_apart(city),
        "region": city["region"]["text"],
        "nickname": city.get("nickname", {}).get("value", ""),
        "area": city.get("area", {}).get("text", ""),
        "unit": city.get("area", {}).get("unit", ""),
        "population": city.get("population", {}).get("text", ""),
        "as_of": city.get("population", {}).get("as_of", ""),
    }
    if all(values.values()):
        return [("overview", values)]
    # A document without some of them: the sentences of those it gives (`parts`, each a
    # reply the action renders into one text).
    said = [part for part, fields in OVERVIEW_PARTS if all(values[f] for f in fields)]
    if "overview_province" in said:
        said.remove("overview_region")  # said with the province
    return [("overview_parts", {**values, "parts": said})]


def province_apart(city: Entry) -> str:
    """The city's province, to be said beside its region; "" when the region says it
    ("southwestern Anhui Province")."""
    province = city.get("province", {}).get("value", "")
    return "" if province and province in city.get("region", {}).get("text", "") else province


def overview(kb: KnowledgeBase) -> Answer:
    """What the document says of the city as a whole: the overview when it says where the
    city is, else its opening sentence (a page that names no region is not rendered with
    an empty one)."""
    city = kb.city
    if city.get("region"):
        replies = city_fact_answers(kb, "ask_city_overview")
        return dataclasses.replace(replies[0], more=tuple(replies[1:]))
    own = kb.city_sentences()
    if not own:
        return Answer(
            "fact_unknown", {"fact": "overview", "city": city["name"]}, (), city["name"], SUBJECT_CITY
        )
    lead = kb.data["sentences"][own[0]]
    return Answer("document_says", {"sentence": lead}, (lead,), city["name"], SUBJECT_CITY)


def _location(kb: KnowledgeBase, question: Question) -> Answer:
    """ "Where": the city's location, or that of the attraction in context."""
    city = kb.city
    # "Is Jinchang in Gansu?" is about the city; "Where is Wuwei?" is not.
    place = other_place(kb, question, strict=not kb.mentions_city(question.text))
    if place:
        return _elsewhere(kb, place)
    attraction = attraction_in_context(kb, question)
    if attraction:
        declined = declined_aspect(
            kb, question, attraction["name"], attraction_evidence(attraction), attraction.get("summary", "")
        )
        if declined is not None:
            return _of_sight(attraction, declined.reply, declined.values, declined.sources)
        location = attraction.get("location")
        if location:
            values = {"name": attraction["name"], "location": location["text"]}
            return _of_sight(attraction, "attraction_location", values, [location["source"]])
        values = {"name": attraction["name"], "city": city["name"]}
        return _of_sight(attraction, "attraction_location_unknown", values, [attraction["listed_in"]])
    declined = declined_aspect(kb, question, city["name"], city_evidence(kb))
    if declined is not None:
        return declined
    region = city.get("region", {}).get("text", "")
    if not region:
        where = where_sentence(kb)  # no region found: the document's own words
        return Answer("document_says", {"sentence": where}, (where,), city["name"], SUBJECT_CITY)
    found = kb.search(question.text)
    neighbours = city.get("neighbours", [])
    said = [region, city.get("province", {}).get("value", "")]
    where = set(words(" ".join(said + [f"{n['name']} on the {n['direction']}" for n in neighbours])))
    if found and not found[0].terms & where:
        # "Is Jinchang on the Silk Road?": the document answers with something other
        # than its province, region or neighbours.
        return _of_city(kb, _from_document(kb, question))
    values = {
        "city": city["name"],
        "province": province_apart(city),
        "region": region,
        "neighbour_list": neighbours,
    }
    reply = "city_location" if values["province"] else "city_location_region"
    reply += "" if neighbours else "_alone"
    sources = field_sources(city, ["region", "province", "neighbours"])
    return Answer(reply, values, tuple(sources), city["name"], SUBJECT_CITY)


def _honours(kb: KnowledgeBase, question: Question) -> Answer:
    """One honour when named (or just talked about), else the list with years and bodies."""
    city = kb.city
    attraction = mentioned_attraction(kb, question)
    if attraction:
        # "Is that park national or provincial?": about the attraction, not the city.
        return describe(kb, question, attraction)
    text, previous = question.text, question.remembered_honour
    honour = None
    for value in question.honours:
        honour = honour or kb.find_honour(value, previous)
    honour = honour or kb.find_honour(text, previous)
    if honour is None and previous and not asks_for_all_honours(text):
        # "Who gave that title?" right after one honour is about that honour.
        honour = next((h for h in kb.honours() if h["title"] == previous), None)
    sources = [honour["source"]] if honour else [h["source"] for h in kb.honours()]
    # "Which ministry named Wuwei a garden city?" is not about this city's honours.
    place = other_place(kb, question, strict=True, allowed=" ".join(sources))
    if place:
        return _elsewhere(kb, place)
    known = with_subject(honour["source"], city["name"]) if honour else ""
    declined = declined_aspect(kb, question, city["name"], sources, known=known)
    if declined is not None:
        return declined
    if honour:
        values = {"sentence": with_subject(honour["source"], city["name"])}
        found = Answer("honour", values, (honour["source"],), city["name"], SUBJECT_CITY)
        return dataclasses.replace(found, context=(("honour", honour["title"]),))
    if kb.honours():
        values = {"city": city["name"], "honour_list": kb.honours()}
        found = Answer("honours", values, tuple(sources), city["name"], SUBJECT_CITY)
    else:
        found = Answer(
            "fact_unknown", {"fact": "honours", "city": city["name"]}, (), city["name"], SUBJECT_CITY
        )
    return dataclasses.replace(found, context=(("honour", None),))


def with_subject(sentence: str, name: str) -> str:
    """A source sentence that says "it" for the city, with the city named instead."""
    if name.lower() in sentence.lower():
        return sentence
    return re.sub(r"\b(?:it|It)\b", name, sentence, count=1)


# --- the sights ------------------------------------------------------------------------


def _attractions(kb: KnowledgeBase, question: Question) -> Answer:
    """Every attraction in document order."""
    declined = declined_aspect(kb, question, kb.city["name"], city_evidence(kb))
    if declined is not None:
        return declined
    if not kb.attraction_names():
        return Answer("fact_unknown", {"fact": "attractions", "city": kb.city["name"]}, (), "", SUBJECT_KEPT)
    return attractions_answer(kb)


def _attraction(kb: KnowledgeBase, question: Question) -> Answer:
    """The attraction named, picked from a list, or in context."""
    text = question.text
    if question.intent == "choose_option":
        attraction = question.chosen
    else:
        attraction = attraction_in_context(kb, question)
    if attraction is None and kb.search(text):
        found = _from_document(kb, question)
        return found if found.subject_kind != SUBJECT_KEPT else _of_city(kb, found)
    if attraction is None and kb.mentions_city(text):
        return _about_city(kb, question)
    if attraction is None and question.intent == "ask_history":
        attraction = kb.find_story(text)
    if attraction is None:
        names = kb.attraction_names()
        return Answer("ask_which_attraction", {"listed": names}, (), "", SUBJECT_KEPT)
    return describe(kb, question, attraction)


def _about_city(kb: KnowledgeBase, question: Question) -> Answer:
    """A question about the city itself ("Tell me about Jinchang", "its history")."""
    city = kb.city["name"]
    if question.intent == "ask_history":
        return Answer("aspect_unknown", {"aspect": "history", "subject": city}, (), city, SUBJECT_CITY)
    declined = declined_aspect(kb, question, city, city_evidence(kb))
    return _of_city(kb, declined if declined is not None else overview(kb))


def describe(kb: KnowledgeBase, question: Question, attraction: Entry) -> Answer:
    """What the document says about one attraction (or its story, when asked)."""
    name = attraction["name"]
    declined = declined_aspect(
        kb, question, name, attraction_evidence(attraction), attraction.get("summary", "")
    )
    if declined is not None:
        return _of_sight(attraction, declined.reply, declined.values, declined.sources)
    first: Optional[Answer] = None
    if question.intent == "ask_history":
        history = attraction.get("history") or []
        if history:
            values = {"name": name, "history": " ".join(h["text"] for h in history)}
            return _of_sight(attraction, "attraction_history", values, [h["source"] for h in history])
        first = _of_sight(attraction, "attraction_history_unknown", {"name": name}, [])
    if attraction.get("summary"):
        values = {"name": name, "summary": attraction["summary"]}
        told = _of_sight(attraction, "attraction", values, attraction_sources(attraction))
    else:
        values = {"name": name, "city": kb.city["name"]}
        told = _of_sight(attraction, "attraction_no_detail", values, [attraction["listed_in"]])
    return dataclasses.replace(first, more=(told,)) if first is not None else told


# --- the document's passages and honest unknowns -----------------------------------------


def _from_document(kb: KnowledgeBase, question: Question) -> Answer:
    """The passage that clearly matches the question, else an honest "doesn't say".

    Clearly: two shared words, or three when the NLU was sure the question is out of scope
    ("the capital of China" shares two words with "the Nickel Capital of China"). Only the
    asking part of a chatty message counts; the NLU's doubt was about the story told before
    it, so the ordinary two shared words then suffice."""
    text = question_part(question.text)
    min_terms = 3 if question.intent == "out_of_scope" and text == question.text else 2
    attraction = mentioned_attraction(kb, question)
    # "what's the Wind and Rain Bridge?" asks about no weather: a name's words ask nothing
    unnamed = (
        re.sub("|".join(map(re.escape, names_of(attraction))), " ", text, flags=re.I) if attraction else text
    )
    if asked_aspects(unnamed, kb.vocabulary) or other_place(kb, question):
        return decline(kb, question)
    found = kb.search(text, min_terms)
    if found and not gives_asked(text, found[0].text):
        found = None  # "What year was the railway built?": a railway sentence with no year
    if attraction is None and found:
        hit, attraction = found
        # "Which ministry named Wuwei a garden city?": the passage is not about Wuwei.
        place = other_place(kb, question, strict=True, allowed=hit.text)
        if place:
            return _elsewhere(kb, place)
        if attraction is None:
            logger.info("search answered %r with score %.2f", text, hit.score)
            return Answer("document_says", {"sentence": hit.text}, (hit.text,), "", SUBJECT_KEPT)
    if attraction:
        return describe(kb, question, attraction)
    # fewer words shared than a sure out-of-scope needs, but the rare ones the question asks
    # ("what specialty products can I buy?": "The main specialty products are ...")
    carried = passage_answer(kb, question) if found is None else None
    if carried is not None:
        return carried
    return Answer("unknown", {"city": kb.city["name"]}, (), "", SUBJECT_KEPT)


def decline(kb: KnowledgeBase, question: Question) -> Answer:
    """The most specific honest "not in the document" answer."""
    city = kb.city["name"]
    place = other_place(kb, question)
    if place:
        return _elsewhere(kb, place)
    attraction = question.attraction or mentioned_attraction(kb, question)
    subject = attraction["name"] if attraction else city
    evidence = attraction_evidence(attraction) if attraction else city_evidence(kb)
    known = attraction.get("summary", "") if attraction else ""
    declined = declined_aspect(kb, question, subject, evidence, known)
    return declined if declined is not None else Answer("unknown", {"city": city}, (), "", SUBJECT_KEPT)


def declined_aspect(
    kb: KnowledgeBase, question: Question, subject: str, evidence: Sequence[str], known: str = ""
) -> Optional[Answer]:
    """ "Doesn't say" when the visitor asks for something the document lacks (judged
    against `evidence`), offering `known`, what the document does say, if given."""
    aspect = unanswered_aspect(question.text, evidence, kb.vocabulary)
    if aspect is None:
        return None
    logger.info("not in the document: %s of %s", aspect, subject)
    if not known:
        return Answer("aspect_unknown", {"aspect": aspect, "subject": subject}, (), "", SUBJECT_KEPT)
    sources = [s for s in kb.data["sentences"] if s in known] or [known]
    values = {"aspect": aspect, "subject": subject, "known": known}
    return Answer("aspect_unknown_known", values, tuple(sources), "", SUBJECT_KEPT)


def _elsewhere(kb: KnowledgeBase, place: str) -> Answer:
    """The document is about the city, not this other place."""
    return Answer("other_place", {"place": place, "city": kb.city["name"]}, (), "", SUBJECT_KEPT)


def city_evidence(kb: KnowledgeBase) -> List[str]:
    """Every sentence of the document: what can be said about the city."""
    return list(kb.data["sentences"])


# --- what the turn is about --------------------------------------------------------------


def mentioned_attraction(kb: KnowledgeBase, question: Question) -> Optional[Entry]:
    """The attraction named in the turn, by the NLU's entity or by its words."""
    return question.named or kb.find_attraction(question.text)


def attraction_in_context(kb: KnowledgeBase, question: Question) -> Optional[Entry]:
    """The attraction a question is about: named now, described now ("the largest
    reservoir"), or else the one the conversation is about; None when the question
    names the city or clearly matches something else in the document."""
    attraction = mentioned_attraction(kb, question)
    if attraction:
        return attraction
    found = kb.search(question.text)
    if found:
        return found[1]
    if kb.mentions_city(question.text):
        return None
    remembered = question.remembered_attraction
    return kb.attraction(remembered) if remembered else None


def other_place(
    kb: KnowledgeBase, question: Question, strict: bool = False, allowed: str = ""
) -> Optional[str]:
    """A place named in the turn that the answer cannot be about (see place_elsewhere)."""
    return place_elsewhere(kb, question.text, question.places, strict, allowed)


def _of_sight(attraction: Entry, reply: str, values: Dict[str, Any], sources: Sequence[str]) -> Answer:
    return Answer(reply, values, tuple(s for s in sources if s), attraction["name"], SUBJECT_ATTRACTION)


def _of_city(kb: KnowledgeBase, found: Answer) -> Answer:
    """The same answer, with the city as the subject the conversation is now about."""
    return dataclasses.replace(found, subject=kb.city["name"], subject_kind=SUBJECT_CITY)


_PATHS: Dict[str, Callable[[KnowledgeBase, Question], Answer]] = {
    **{intent: _city_fact for intent in CITY_FACTS},
    "ask_location": _location,
    "ask_honours": _honours,
    "ask_attractions": _attractions,
    "ask_attraction": _attraction,
    "ask_history": _attraction,
    "choose_option": _attraction,
}
