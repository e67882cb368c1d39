"""The aspects a question asks for (opening hours, prices, a date...) and whether the
knowledge base's text about a subject covers them: where a structured answer would say
something, but not what was asked, the answer is an honest "doesn't say".

These describe how visitors *ask*, never what the city is: facts come from the
knowledge base only.
"""

import re
from typing import Dict, FrozenSet, Iterable, List, Optional

from knowledge.language import PHONE_NUMBER, question_part
from knowledge.text import normalise, similar, words

# Aspects visitors ask about, with the words that ask for them; the most specific
# first ("how much is a hotel room" asks about hotels before prices). An aspect is answered
# only when the knowledge base text about the subject uses one of its `evidence` words.
ASPECTS: Dict[str, Dict[str, str]] = {
    "opening hours": {
        "ask": r"opens|opening|open(?! an?\b| up\b|[- ](?:pit|air)\b)|close|clos(?:es|ed|ing)|hours|timetable|schedule",
        "evidence": r"opening hours|opens? (?:at|from|daily)|closed? (?:at|on)"
        r"|\d{1,2}[:.]\d{2}\s*(?:-|–|to)\s*\d{1,2}[:.]\d{2}",  # "08:00-21:00"
    },
    "weather": {
        "ask": r"weather|temperature|climate|rain(?:s|y)?|snow(?:s|y)?|sunny|forecast|best time|season",
        "evidence": r"weather|temperature|climate|rain(?:fall|s|y)?|precipitation|snow|monsoon|°c|\d+\s*mm",
    },
    "hotels": {
        "ask": r"hotels?|hostels?|accommodation|lodging|stay(?:ing)?|rooms?|airbnb|guesthouse",
        "evidence": r"hotels?|hostels?|accommodation|guest ?houses?|homestays?|inns?|where to stay|doubles?",
    },
    "food and restaurants": {
        "ask": r"eat|food|restaurants?|dish(?:es)?|cuisine|dinner|lunch|breakfast|snacks?|noodles",
        "evidence": r"restaurants?|cuisine|food|dish(?:es)?|noodles|snacks?|eat(?:s|ing)?",
    },
    "transport": {
        "ask": r"bus(?:es)?|trains?|flights?|fly|airport|taxis?|metro|subway|station|get there|get to"
        r"|drive|driving|route|directions|how far|distance|transport",
        "evidence": r"bus(?:es)?|railway|trains?|airport|flights?|taxis?|highway|expressway|km from|kilometres from",
    },
    "depth": {"ask": r"deep|depth", "evidence": r"deep|depth"},
    "height": {
        "ask": r"tall|height|how high|elevation|altitude",
        "evidence": r"tall|height|metres high|meters high|elevation|altitude",
    },
    "time a visit takes": {
        "ask": r"how long (?:does it take|should i|do i need|to visit|to see|to spend|will it take)|how much time",
        "evidence": r"hours? (?:to|for) (?:visit|see)|half a day|a full day",
    },
    "size": {
        "ask": r"how (?:big|large|long|wide)|size|length|width|area|surface",
        "evidence": r"\d[\d,.]*\s*(?:km2|km²|km|square|sq|hectares|ha|acres|metres|meters|m)\b",
    },
    "builders": {
        "ask": r"who (?:built|build|designed|design|founded|made|created|constructed)|architects?|designers?|builders?|founders?",
        "evidence": r"built by|designed by|founded by|architect",
    },
    "age": {
        "ask": r"how old|age|built|build|constructed|founded|when was .{0,40} (?:made|created)",
        "evidence": r"built in|founded in|years old|dat(?:es|ing) (?:back|from)",
    },
    "companies": {
        "ask": r"compan(?:y|ies)|corporations?|firms?|enterprises?|who (?:runs|owns|operates|manages)",
        "evidence": r"company|companies|corporation|group co",
    },
    "economy figures": {
        "ask": r"gdp|gross domestic|income|salary|salaries|wages?|revenue|budget|economic growth|unemployment",
        "evidence": r"gdp|income|revenue|yuan",
    },
    "government": {
        "ask": r"mayor|governor|party secretary|government|council|politic\w*",
        "evidence": r"mayor|governor|party secretary",
    },
    "contact details": {
        "ask": r"phone|telephone|e-?mail|website|contact",  # an address is where it is
        "evidence": r"phone|telephone|website|www\.\S+|\S+@\S+|" + PHONE_NUMBER,
    },
    "practical travel details": {
        "ask": r"safe|safety|danger\w*|crime|visas?|permits?|currency|exchange rate|wifi|sim card",
        "evidence": r"safe|visa|permit|currency",
    },
    "shopping and nightlife": {
        "ask": r"shop(?:s|ping)?|mall|souvenirs?|nightlife|bars?|clubs?|karaoke",
        "evidence": r"shopping|mall|souvenir|bars?",
    },
    "ticket prices": {
        "ask": r"tickets?|price[sd]?|pricing|costs?|fees?|admission|entry fee|entrance|how much (?:does|do|is|are)"
        r"|cheap|expensive|pay|yuan|rmb|cny|dollars?",
        "evidence": r"tickets?|price|yuan|fee|admission|¥\s*\d+|￥\s*\d+|rmb|cny",
    },
    "exact figures": {"ask": r"how many|how much|number of", "evidence": r"\d"},  # see counted_noun_known
    "dates": {
        "ask": r"when|what year|which year|what date|since when|in what year",
        "evidence": r"\b(?:1[0-9]{3}|20[0-9]{2})\b",
    },
}

_ASK = {name: re.compile(rf"\b(?:{spec['ask']})\b") for name, spec in ASPECTS.items()}
# Misspelt asking words still ask ("hotles", "resturant"); only long, unambiguous ones,
# and only when the misspelling is no word of the document.
FUZZY_WORDS = {
    "hotels": "hotels",
    "hostels": "hotels",
    "accommodation": "hotels",
    "restaurant": "food and restaurants",
    "restaurants": "food and restaurants",
    "temperature": "weather",
    "weather": "weather",
    "climate": "weather",
    "forecast": "weather",
    "transport": "transport",
    "airport": "transport",
    "railway": "transport",
    "station": "transport",
    "tickets": "ticket prices",
    "admission": "ticket prices",
    "expensive": "ticket prices",
    "timetable": "opening hours",
    "schedule": "opening hours",
    "opening": "opening hours",
}
_EVIDENCE = {
    name: re.compile(rf"(?<!\w)(?:{spec['evidence']})(?!\w)", re.I) for name, spec in ASPECTS.items()
}
_YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})\b")

# Counts the assistant answers by itself: population, the list of attractions.
COUNTED_BY_ANSWERS = frozenset(
    "people ppl persons residents inhabitants citizens folks locals population attractions sights places spots"
    " square sq km kilometres kilometers miles land area space territory ground".split()
)
VERBS = frozenset("is are was were do does did can could will would should has have".split())
_COUNT = re.compile(r"\b(?:how many|how much|number of)\s+(?:(?:of|the|a|an)\s+)?(\w+)")

# "What awards has it won?" asks for the list, not the title just discussed.
_MANY_HONOURS = re.compile(
    r"\b(?:awards|honou?rs|titles|designations|accolades|achievements|prizes|rankings)\b"
)


def asks_for_all_honours(text: str) -> bool:
    """True when the question asks for every honour rather than one."""
    return bool(_MANY_HONOURS.search(normalise(text)))


def asked_aspects(text: str, known_words: FrozenSet[str] = frozenset()) -> List[str]:
    """The aspects a question asks about ("how deep is the lake" -> ["depth"])."""
    said = normalise(question_part(text))
    found = [name for name, pattern in _ASK.items() if pattern.search(said)]
    for word in words(said):
        if word in known_words:
            continue
        for keyword, aspect in FUZZY_WORDS.items():
            if aspect not in found and similar(word, keyword):
                found.append(aspect)
    return found


def unanswered_aspect(
    text: str, evidence: Iterable[str], known_words: FrozenSet[str] = frozenset()
) -> Optional[str]:
    """The first aspect the question asks for that the given knowledge texts never cover."""
    evidence = list(evidence)
    known = " ".join(evidence)
    if any(year not in known for year in _YEAR.findall(question_part(text))):
        return "figures for that year"  # "the population in 2022" when it gives 2019
    for aspect in asked_aspects(text, known_words):
        if aspect == "exact figures":
            if not counted_noun_known(text, evidence):
                return aspect
        elif not _EVIDENCE[aspect].search(known):
            return aspect
    return None


def counted_noun_known(text: str, evidence: List[str]) -> bool:
    """True when "how many X" can be answered: X is counted by an answer (people,
    attractions) or a knowledge sentence gives X with a number ("3 museums")."""
    said = normalise(text)
    nouns = _COUNT.findall(said)
    if not nouns:
        return True
    for noun in nouns:
        if noun in VERBS or any(similar(noun, counted) for counted in COUNTED_BY_ANSWERS):
            continue
        stem = noun.rstrip("s")
        if not any(re.search(r"\d", s) and re.search(rf"\b{re.escape(stem)}", s, re.I) for s in evidence):
            return False
    return True
