"""How visitors and documents word things: lemmas, synonyms, opposites, answer types.

General English only, never a fact about a city: the lemma table comes from
`spacy-lookups-data` (loaded once, on first use), the small tables below name words a
visitor uses for what a city guide writes in other words ("fly" for "flights").
"""

import gzip
import json
import logging
import re
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from knowledge.text import STOPWORDS, words

logger = logging.getLogger(__name__)

# Words a visitor may use for a word of the document, both ways.
SYNONYM_GROUPS = (
    ("fly", "flight", "airport", "plane", "air"),
    ("open", "opening", "hour", "close", "closed", "start", "begin"),
    ("free", "ticket", "price", "fee", "cost", "admission", "entrance", "entry", "pay"),
    ("stay", "hotel", "hostel", "accommodation", "sleep", "guesthouse", "inn", "lodging", "homestay"),
    ("show", "performance", "concert"),
    ("people", "ppl", "population", "resident", "inhabitant", "live", "citizen"),
    ("big", "large", "area", "size", "cover"),
    # A bus is no train: "how much is the bus?" is not answered with the train's fare.
    ("bus", "coach", "transport", "station"),
    ("train", "railway", "rail", "transport", "station"),
    ("arrive", "arrival", "reach"),
    ("class", "course", "lesson", "workshop"),
    ("leave", "depart", "departure"),
    ("festival", "fair", "event", "celebration", "held"),
    ("build", "built", "construct", "found", "date"),
    ("give", "award", "grant", "name", "select", "list"),
    ("metal", "nonferrous", "nickel", "cobalt", "platinum"),
    ("architecture", "architectural", "style"),
    ("nature", "forest", "park", "natural"),
    (
        "eat",
        "food",
        "restaurant",
        "cafe",
        "dining",
        "meal",
        "dish",
        "cuisine",
        "snack",
        "taste",
        "cook",
        "cooking",
    ),
    ("landscape", "terrain", "geography", "scenery", "plateau", "plain", "ridge", "gully", "hill"),
    ("high", "height", "altitude", "elevation", "tall", "sea"),
    (
        "weather",
        "climate",
        "temperature",
        "rain",
        "rainfall",
        "precipitation",
        "snow",
        "sunshine",
        "season",
        "cold",
        "hot",
        "warm",
    ),
    ("time", "season", "month"),
    # The northern seasons by their months: "in summer" is "in July".
    ("spring", "march", "april"),
    ("summer", "june", "july", "august"),
    ("autumn", "september", "october", "november"),
    ("winter", "december", "january", "february"),
    ("long", "take", "duration"),
    ("tourist", "tourism", "visitor", "traveller", "traveler"),
    ("money", "yuan", "revenue", "income", "earn"),
    ("postcode", "postal", "zip"),
    ("kid", "child", "children", "student"),
    ("year", "annual", "yearly", "annually"),
    ("mountain", "mount", "peak", "hill"),
    ("old", "age", "history"),
    ("phone", "telephone", "tel", "☏"),
    ("cheap", "cheaper", "cheapest", "expensive", "price"),
    ("km", "kilometre", "kilometer"),
    ("floor", "storey", "story", "tier"),
    ("sun", "sunshine", "sunny"),
    ("hire", "rent", "charter"),
    ("grow", "growth", "increase", "rise"),
    ("shrink", "decline", "decrease", "drop", "fall"),
    ("statue", "sculpture"),
    ("weekend", "saturday", "sunday"),
    ("climb", "hike", "trek", "walk"),
    ("economy", "economic"),
    ("last", "previous"),
    ("specialty", "speciality", "product", "produce", "souvenir"),
)
# Words that cannot both be true of one thing: "natural" denies "artificial".
OPPOSITES = (
    ("natural", "artificial"),
    ("natural", "man-made"),
    ("large", "small"),
    ("largest", "smallest"),
    ("free", "paid"),
    ("open", "closed"),
    ("east", "west"),
    ("north", "south"),
    ("northeast", "southwest"),
    ("northwest", "southeast"),
)
COMPASS = ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest")
OPPOSITE_DIRECTION = {a: b for a, b in OPPOSITES if a in COMPASS} | {
    b: a for a, b in OPPOSITES if a in COMPASS
}

# What kind of answer a question wants, tried in this order, and what a sentence needs
# to hold to give that kind of answer.
# Counts written in words ("seventeen tiers", "three quarters of China's nickel").
# What a visitor rides: "how long is the train?" asks a time of it.
VEHICLES = ("flight", "bus", "train", "coach", "ferry", "boat")
NUMBER_WORDS = tuple(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety dozen hundred thousand".split()
)
# A telephone number as pages write it: "☏ 0935-8395120", "+86 935 821-5566", "Tel: (0935) 881 2345".
PHONE_NUMBER = (
    r"☏\s*[+(\d][\d\s()+-]*\d|\b(?:tel|phone|telephone)\b\.?:?\s*[+(\d][\d\s()+-]*\d"
    r"|\+\d{2}[\s-]?\d[\d\s()-]*\d|\(0\d{2,3}\)\s*\d[\d\s-]*\d|\b0\d{2,3}[\s-]\d{3,4}(?:[\s-]?\d)*"
)
MONTHS = "january february march april may june july august september october november december".split()
# A month's name before a figure, which makes it a day of the month ("Oct 1–7", "May 4").
# The time a programme's entry opens with: "21:00 Drone show over Yaokou Square".
ENTRY_TIME = r"\d{1,2}[:.]\d{2}\b"
_NOT_AFTER_A_MONTH = "".join(
    f"(?<!{name} )" for month in MONTHS for name in sorted({month, month[:3], month[:4]})
)
ANSWER_TYPES: Dict[str, Dict[str, str]] = {
    # how often a bus or a boat goes ("how often does the bus run?": "every 30 minutes")
    "frequency": {
        "ask": r"\bhow (?:often|frequent(?:ly)?)\b|\bfrequency\b"
        r"|\bhow many (?:times|buses|trains|flights|departures|boats|ferries|shuttles) (?:a|per|each) day\b",
        "value": r"\bevery\s+(?:\d+(?:\.\d+)?(?:\s*(?:-|–|to)\s*\d+)?\s*(?:min(?:ute)?s?|hours?|hrs?|h)\b|(?:half\s+an\s+|an\s+)?hour\b)"
        r"|\b(?:half-)?hourly\b|\b\d+\s*(?:x|times)\s*(?:a|per|each)\s*day\b"
        r"|\b(?:\d+|" + "|".join(NUMBER_WORDS) + r"|one)\s+(?:\w+\s+)?(?:daily|a day|per day)\b",
    },
    "opening hours": {
        # "hours of sunshine", "how many hours" ask for no opening hours
        # ("the open-pit mine", "an open-air museum" ask no hours)
        # (nor does "the opening ceremony", an event)
        "ask": r"\b(?:open(?![- ](?:pit|air)\b)|opens|opening(?! (?:ceremony|night|party|concert|gala|parade))|close|closes|closed|closing|(?<!many )hours(?! of))\b"
        r"|\bwhat time\b(?! zone)"
        r"|(?<=opening )times?\b|(?<=closing )times?\b"
        # "when does the cruise leave", "when does the K8761 get to Qiaolu"
        r"|\bwhen (?:does|do|will) (?:\w+ ){0,4}(?:leave|depart|start|begin|run|arrive|get (?:in|to|there))s?\b"
        r"|\bstop selling\b|\blast (?:entry|admission)\b",  # "when do they stop selling tickets?"
        # "9:00-17:00", "departures at 19:30"; not "1-2 hours", a duration
        # "8:30 a.m. to 5 p.m.", "closed Mondays", a guidebook's "24hr"
        # (not the days of a month: "Oct 1–7")
        "value": _NOT_AFTER_A_MONTH
        + r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:-|–|to|until)\s*\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\b\.?)?"
        r"(?!\s*(?:hours?|hrs?|h|days?|min|minutes|"
        + "|".join(MONTHS)
        + r"|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?)\b)"
        r"|\b(?:at|from|is|are|until|till|by|depart(?:s|ure)?|arriv(?:e|es|al)|leaves)\s+\d{1,2}[:.]\d{2}\b"
        r"|\bopen(?:s|ed)?\s+(?:daily|every day|all year|year-round|from|at|until|all hours|24 hours|around the clock)\b"
        r"|\bclosed on\b|\bclosed (?:mon|tues|wednes|thurs|fri|satur|sun)days\b|\b24hrs?\b|\bopening hours\b"
        + rf"|^{ENTRY_TIME}\s+[a-z]",  # a programme's entry, its time then what happens
    },
    "hotels": {
        "ask": r"\b(?:hotels?|hostels?|accommodation|lodging|guesthouses?|stay overnight|where to stay|rooms?"
        r"|places? to (?:stay|sleep))\b",
        "value": r"\b(?:hotels?|hostels?|accommodation|guesthouses?|inns?)\b",
    },
    "food and restaurants": {
        "ask": r"\b(?:eat|food|restaurants?|cuisine|dishes|dinner|lunch|breakfast|snacks?)\b",
        "value": r"\b(?:restaurants?|cuisine|food|dish(?:es)?|noodles?|snacks?|caf[eé]s?|special(?:i)?t(?:y|ies)|eat|cook(?:ing|ed)?|soups?)\b",
    },
    "ticket prices": {
        # "frost free days", "duty free" ask no price
        "ask": r"\b(?:(?<!frost )(?<!duty )(?<!tax )free|costs?|price[sd]?|tickets?|fees?|admission|entrance fee|entry fee|pay|yuan|rmb|cny"
        r"|(?<=how much is the )entrance|(?<=how much is )entry|(?<=pay to )enter|(?<=cost to )enter"
        r"|how much (?:is|are|does|do)(?! it (?:rain|snow))|how much (?:to|for)|^how much$)\b",
        # (a sum in yuan has its figure: the "Yuan River" and the "Yuan dynasty" cost nothing)
        "value": r"\b(?:free|rmb|cny|eur|euros?|tickets?|admission|fees?|costs?|charge[sd]?)\b|[¥￥$€£]\s*\d|\d\s*元"
        r"|\d\s*yuan\b|\byuan\)?\s*\d",  # "typical price (yuan) 12–18"
    },
    "duration": {
        "ask": r"\bhow long\b(?: \w+){0,5} takes?\b|\bhow long (?:to|from|by)\b"
        # "train from Xining how long?"
        r"|\bhow long\s*\??$"
        r"|\bhow long (?:does|do|will|would|did|is the (?:\w+ )?(?:ride|trip|journey|drive|walk|hike|"
        + "|".join(VEHICLES)
        + r"))\b"
        r"|\bhow many (?:hours|minutes|days|nights)\b(?! (?:a|per|each) (?:year|month|week)\b)",  # "how many days do i need"
        # "68 minutes", "2 hr 10 min", "2½ hr", "two and a half hours", "an hour"
        "value": r"\b(?:\d+(?:\.\d+)?½?|one|" + "|".join(NUMBER_WORDS) + r")(?:\s+and\s+a\s+half)?"
        r"\s*(?:h|hrs?|hours?|min|mins|minutes?|days?)\b|\b(?:half\s+)?an\s+hour\b"
        r"|\b\d{1,2}h\d{2}\b",  # "takes about 1h25"
    },
    "rainfall": {
        "ask": r"\bhow much (?:rain|snow)(?: falls?)?\b|\b(?:rainfall|precipitation)\b|\bhow (?:wet|rainy)\b",
        # "1,360 mm", "548 millimetres"
        "value": r"\b\d[\d,.]*\s*(?:mm|millimet(?:re|er)s?|inches)\b",
    },
    "temperature": {
        "ask": r"\bhow (?:cold|hot|warm)\b|\btemperatures?\b|^(?:is|does|will) it (?:get |be )?(?:very |too )?(?:cold|hot|warm|freezing)\b",
        "value": r"\d\s*[°℃℉]|\b\d+(?:\.\d+)?\s*degrees?\b",
    },
    "height": {
        "ask": r"\bhow (?:high|tall)\b|\bheight\b|\baltitude\b|\belevation\b|\babove sea level\b",
        # "24.5 m", "the 26.8-metre drum tower"
        "value": r"\b\d[\d,.]*(?:\s*|-)(?:m|metres?|meters?|ft|feet|foot)\b(?!\s*(?:from|away|north|south|east|west|long|wide|deep|across)\b)",
    },
    "length": {
        "ask": r"\bhow long (?:is|are|was)\b(?! the (?:\w+ )?(?:ride|trip|journey|drive|flight|bus|train|coach|ferry|boat)\b)"
        r"|\blength\b",
        # (not "25 kilometers from the county seat", a distance)
        "value": r"\b\d[\d,.]*\s*(?:km|kilomet(?:re|er)s|m|metres|meters|miles)\b"
        r"(?![²2]|\s*(?:above|high|tall|from|away|north|south|east|west)\b)",
    },
    "distance": {
        "ask": r"\bhow far\b|\bdistance\b",
        # "350 km (220 miles) northwest of Lanzhou"
        # "40 km to the east", "165km by road from Kaili"
        "value": r"\b\d+(?:\.\d+)?\s*(?:km|kilomet(?:re|er)s|miles|metres|meters)(?:\s*\([^)]*\))?\s+(?:to the\s+)?"
        r"(?:by (?:road|rail|car|train|bus|air)\s+)?(?:from|away|north|south|east|west)"
        # a list of what is nearby: "Cangyue Sanba Airport: 42 km" (not "Length: 6.5 km")
        r"|^(?![^:]*\b(?:length|long|height|high|altitude|elevation|depth|deep|area|size|width|wide)\b)"
        r"[^:]{2,60}:\s*\d+(?:\.\d+)?\s*(?:km|m|metres|meters|miles)$",
    },
    # a way to travel, after the value asked of it ("how long does the train take")
    "transport": {
        "ask": r"\b(?:airports?|fly|flights?|flying|planes?|trains?|railway|bus|buses|stations?|taxis?|get to|get there"
        r"|get around|reach|travel to|drive|transport)\b",
        "value": r"\b(?:airports?|flights?|trains?|railway|bus|buses|stations?|highway|expressway|taxis?|shuttle)\b",
    },
    "people": {
        "ask": r"^who\b|\bwho (?:is|was|are|were|built|made|founded|designed|runs|gave|named|awarded|led|lead)\b"
        r"|\b(?:general|emperor|king|monk|person|man|woman|founder|architect|abbot|ruler) who\b"
        r"|\bwhich (?:ministry|organi[sz]ation|body|authority|agency|person|emperor|king)\b",
        "value": r"\b(?:by|under) (?:the )?[A-Z][a-z]+|\b(?:abbot|emperor|general|king|monk|architect|founder)\s+[A-Z]"
        # "found by a herb collector", "built by local merchants": who, though not by name
        r"|\b(?:found|discovered|built|founded|designed|carved|made|painted|written) by (?:an? |the )?[a-z]+"
        r"|\b(?:mayor|secretary|governor|director|head)\b:?\s+[A-Z][a-z]+ [A-Z][a-z]+"  # "Mayor: Zhang Lihua"
        r"|^[A-Z][a-z]+(?: [A-Z][a-z]+)+\s*\(\d{3,4}\s*[–-]",  # "Wang Shoucheng (1421–1489), commander who"
    },
    "best time": {
        "ask": r"\bwhen (?:should|shall|can|could|do|would|is it best to)\s+(?:i |we |you |one )?(?:go|visit|come|travel)\b"
        r"|\bbest (?:time|months?|season)(?: of (?:the )?year)?\b|\bwhen to (?:go|visit|come)\b"
        r"|\b(?:good|nice|right|bad) (?:time|month|season) (?:to|for) (?:go|visit|come|travel|a visit|a trip)\b",
        "value": r"\b(?:best|ideal|nicest|finest|recommended)\b[^.]*?\b(?:january|february|march|april|may|june|july"
        r"|august|september|october|november|december|spring|summer|autumn|winter|morning|afternoon|evening"
        r"|sunrise|sunset|midday|season)\b"
        # "Spring (April-May) and autumn are the best times to visit"
        r"|\b(?:spring|summer|autumn|winter|january|february|march|april|may|june|july|august|september|october"
        r"|november|december)\b[^.]*?\b(?:best|ideal|recommended)\s+(?:time|times|months?|seasons?)\b",
    },
    # where a place's name comes from ("why is it called Zhelan?", "what does the name mean?")
    "name": {
        "ask": r"\b(?:why|since when)\b(?: \w+){1,4} (?:called|named)\b"
        r"|\bnames?\b(?: \w+){0,3} (?:mean|means|meaning|come from|comes from|came from)\b"
        r"|\b(?:meaning|origin) of (?:the |its )?(?:\w+ )?names?\b|\bname (?:origin|meaning)\b"
        r"|\bwhat (?:is|was) (?:it|\w+) named (?:after|for)\b|^what does \w+ mean$",
        # "The name Yongchang ("Eternal Prosperity") dates from 1272", "lit. 'sand spring'",
        # "is named because of the cudrania trees", "Its name means ...", "hence the name"
        "value": r"\bname[sd]?\b[^.;]{0,60}?(?:\bmeans?\b|\bmeaning\b|\bafter\b|\bbecause\b|\bfrom\b|[(\"“‘'])"
        r"|\b(?:means|meaning|literally|lit\.)\s*[:,]?\s*[\"“‘'(]|\bcalled\b[^.;]{0,40}?\b(?:because|after)\b"
        r"|\bhence (?:its|the) name\b|\b(?:known as|nicknamed|dubbed)\b"  # "Known as the Red Date Capital"
        r"|\borigin of (?:the |its )?(?:\w+ )?name\b",  # "..., which is the origin of the county name"
    },
    "dates": {
        "ask": r"\bwhen\b|\bwhat (?:year|month|date|day|season|time of year)\b|\bwhich (?:year|month|season)s?\b|\bsince when\b",
        "value": r"\b(?:1[0-9]{3}|20[0-9]{2})\b|\b(?:january|february|march|april|may|june|july|august|september|october"
        r"|november|december|spring|summer|autumn|winter)\b|\bdynast(?:y|ies)\b|\bcentur(?:y|ies)\b|\bevery year\b"
        # a day of a month abbreviated: "Sept 20", "20 Sep"
        r"|\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b",
    },
    "phone": {
        "ask": r"\b(?:(?:phone|telephone|contact) numbers?|phone|telephone|tel|call them)\b",
        "value": PHONE_NUMBER,
    },
    # the county, prefecture or province a place is in ("which county is Taoxia part of?")
    "division": {
        "ask": r"\b(?:which|what) (?:county|district|prefecture|province)\b(?! (?:has|have|had|grows?|is the|are the|is that))"
        r"(?:(?: \w+){1,5} (?:in|part of|belong to|belongs to|under))?(?: \w+){0,5}$"
        r"|\b(?:which|what) city (?:\w+ ){1,4}(?:part of|belongs? to|under)\b"
        r"|\b(?:part of|belongs? to|in) (?:which|what) (?:county|district|prefecture|province|city)\b",
        "value": r"\b(?:in|of|under|to) (?:the )?(?:(?:north|south|east|west|central|far)[a-z-]* )?(?:\w+ )?"
        r"[A-Z][\w'-]+(?: [A-Z][\w'-]+)? (?i:county|district|prefecture|province|city)\b"
        r"|, [A-Z][\w'-]+ (?i:county|district|prefecture|province)\b",  # "Luomei, Yunfen, Shanxi Province"
    },
    "location": {
        "ask": r"\bwhere\b|\b(?:which|what) (?:county|province|district|part|region)\b|\baddress\b",
        "value": r"\b(?:located|situated|lies|stands|sits)\b|\b(?:on|at) the (?:edge|outskirts|shore|bank|foot)\b"
        r"|\b\d+(?:\.\d+)?\s*km\s+from\b|\bon [A-Z]\w+ Mountain\b"
        r"|\b(?:in|of) (?:(?:north|south|east|west|central)[a-z-]* )?[A-Z]\w+ (?:[Cc]ounty|[Pp]rovince|[Dd]istrict|[Rr]egion)\b",
    },
    "size": {
        "ask": r"\bhow (?:big|large|wide)\b|\bhow long\b(?! (?:to|from|by|does|do|did|will|would|takes?)\b"
        r"|(?: is| are| was)? the (?:\w+ )?(?:ride|trip|journey|drive|flight|bus|train|coach|ferry|boat)\b)|\bsize\b|\barea\b(?! code)|\bsquare\b|\b(?:big|large|huge|small|tiny)\b",
        "value": r"\d[\d,.]*\s*(?:km2|km²|square|sq|hectares|ha|acres|metres|meters)\b",
    },
    "depth": {
        "ask": r"\bhow deep\b|\bdepth\b",
        "value": r"\b\d[\d,.]*\s*(?:m|metres|meters|ft|feet)\s+deep\b|\bdepth\b[^.]*?\d",
    },
    "rank": {
        "ask": r"\b(?:what|which) (?:rank|ranking|place|position)\b|\branked\b",
        "value": r"\b(?:ranked|ranks|rank|ranking|placed)\s+(?:no\.?\s*|number\s+)?\d+|\b\d+(?:st|nd|rd|th)\b",
    },
    "figures": {
        "ask": r"\bhow many\b|\bhow much of\b|(?<!phone )\bnumber of\b|\bpopulation\b",
        # a count, not a year; or one in words ("seven storeys", "three quarters of")
        "value": r"\b(?!(?:1[0-9]{3}|20[0-9]{2})\b)\d[\d,.]*|\b(?:" + "|".join(NUMBER_WORDS) + r")s?\b",
    },
}
_ASK = {name: re.compile(spec["ask"]) for name, spec in ANSWER_TYPES.items()}
# Case matters for names ("by the Ministry"), not for the rest.
_VALUE = {
    name: re.compile(spec["value"], 0 if name in ("people", "location") else re.I)
    for name, spec in ANSWER_TYPES.items()
}
# Questions that want a yes or a no.
YES_NO = re.compile(r"^(?:so\s+|and\s+|but\s+)?(?:is|are|was|were|does|do|did|has|have|had)\b")
# Words that ask, and say nothing about the answer.
QUESTION_WORDS = frozenset(
    "what which who whom when where why how much many is are was were do does did can could would should will "
    "there here it its they them know tell me please name called call like want go get see visit visitors "
    "ok okay so well hi hello really true also just any some known famous far actually have has had come came "
    "whens wheres whats hows whos wat wut wht wen".split()
)


@lru_cache(maxsize=1)
def _lemma_table() -> Dict[str, str]:
    """spaCy's English lemma lookup table, read once from spacy-lookups-data (the table
    spaCy's lookup lemmatizer uses; read directly, so that answering never imports spaCy)."""
    import spacy_lookups_data

    with gzip.open(spacy_lookups_data.get_file("en_lemma_lookup.json.gz"), "rt", encoding="utf-8") as table:
        return json.load(table)


def english_word(word: str) -> bool:
    """True for a lower-case word of the English lemma table ("profile", "desert"), not a
    name ("anqiao", "sichuan")."""
    return word in _english_words()


@lru_cache(maxsize=1)
def _english_words() -> FrozenSet[str]:
    table = _lemma_table()
    return frozenset(table) | frozenset(table.values())


def dictionary_word(word: str) -> bool:
    """True for a lower-case word of spaCy's English lemma index (WordNet's words), which
    holds words that never change form ("navigation", "random") and some names too
    ("china", "beijing"): for telling a site's links from a text, not a name from a word."""
    return english_word(word) or word in _dictionary()


@lru_cache(maxsize=1)
def _dictionary() -> FrozenSet[str]:
    import spacy_lookups_data

    with gzip.open(spacy_lookups_data.get_file("en_lemma_index.json.gz"), "rt", encoding="utf-8") as index:
        return frozenset(word for words_of_a_kind in json.load(index).values() for word in words_of_a_kind)


@lru_cache(maxsize=8192)
def lemma(word: str) -> str:
    """The dictionary form of a lower-case word ("flights" -> "flight", "built" -> "build"),
    a noun in "-ing" its own ("parking"); a word is never turned into a figure (the table has "first" -> "1"). The plural of a
    word the table lacks loses its "s" ("Romans", "Tibetans" as "Roman", "Tibetan")."""
    if word in _OWN_NOUNS:
        return word
    table = _lemma_table()
    if word not in table and _PLURAL_OF_NAME.fullmatch(word):
        return word[:-1]
    found = table.get(word, word)
    return word if found.isdigit() and not word.isdigit() else found


# Nouns in "-ing" the table takes for a verb of another noun: "is there parking?" asks for no
# park, "a booking" for no book.
_OWN_NOUNS = frozenset(("parking", "booking", "boarding"))
# A plural the lemma table may lack: five letters or more, not "-ss", "-us", "-is".
_PLURAL_OF_NAME = re.compile(r"[a-z]{3,}[^sui]s")


@lru_cache(maxsize=1)
def _synonyms() -> Dict[str, FrozenSet[str]]:
    table: Dict[str, Set[str]] = {}
    for group in SYNONYM_GROUPS:
        for word in group:
            table.setdefault(lemma(word), set()).update(lemma(w) for w in group)
    return {word: frozenset(group) for word, group in table.items()}


# Words a visitor's word may be written as, but not back: "average" is a table's "mean",
# while "what does the name mean?" asks no average.
ONE_WAY = {
    "average": frozenset(("mean",)),
    # "when was the bridge built?": "it was completed in 1887", "the first tower went up in 1921"
    "build": frozenset(("complete", "erect", "rebuild", "establish")),
    "found": frozenset(("establish",)),
    # "when was the cave discovered?": "it was found by a herb collector in 1958"
    "discover": frozenset(("find", "found", "discovery")),
    # "how old is the temple?": "it was founded in 561"
    "old": frozenset(("found", "establish", "build", "date", "century", "dynasty")),
    # "the big pagoda" is the Great Pagoda
    "big": frozenset(("great",)),
    # "when did it become a city?": "the city was created in 1981", "approved as a city in 1996"
    "become": frozenset(("create", "form", "establish", "found", "approve", "upgrade", "designate")),
    "hr": frozenset(("hour",)),
    # "which day is it closed?": "closed on Mondays"
    "day": frozenset(
        "monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays "
        "saturdays sundays weekday weekend".split()
    ),
    # "how fast did the economy grow?": its GDP did; "what is the GDP?" asks a figure, not the economy
    "economy": frozenset(("gdp",)),
    "hrs": frozenset(("hour",)),
    # "how much is a room?": "Doubles ¥150-220"
    "room": frozenset(("double", "twin", "single", "dorm", "bed", "suite")),
    # "where can I spend the night?" asks for a hotel; "where can I stay?" not for a night market
    "night": frozenset(("stay", "hotel", "hostel", "accommodation", "sleep", "guesthouse")),
}


def synonyms(word: str) -> FrozenSet[str]:
    """A lemma and the lemmas visitors use for the same thing."""
    return _synonyms().get(word, frozenset()) | ONE_WAY.get(word, frozenset()) | {word}


def opposites(word: str) -> FrozenSet[str]:
    """The lemmas that deny this one ("natural" -> {"artificial", "man-made"})."""
    return frozenset(b for a, b in OPPOSITES if a == word) | frozenset(a for a, b in OPPOSITES if b == word)


@lru_cache(maxsize=8192)
def lemmas(text: str) -> Tuple[str, ...]:
    """The content lemmas of a text, in order: no stop words, no question words (cached:
    the same document sentences are read for every question)."""
    return tuple(
        lemma(w)
        for w in words(text)
        if w not in STOPWORDS and w not in QUESTION_WORDS and (len(w) > 1 or w.isdigit())
    )


# The months and the days of the week: calendar words, capitalised but naming no place.
CALENDAR_WORDS = frozenset(MONTHS) | frozenset(
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
# An itinerary's time of day before what it did then: "9:00am – ", "14:00 - ".
ITINERARY_TIME = r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*[–—-]\s*"
# "Nov", "Nov.", "November"; a range "Nov-Mar", "June to August".
_MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "May 1 – October 15", "1 May to 15 October" too.
_MONTH_RANGE = re.compile(
    rf"\b{_MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?\s*(?:-|–|—|to|until|till)\s*(?:\d{{1,2}}\s+)?{_MONTH}(?![a-z])"
)


def months_said(sentence: str) -> Tuple[str, ...]:
    """The months a sentence's ranges and abbreviations cover ("Nov-Mar" -> november,
    december, january, february, march), so that "in winter" or "in July" finds them."""
    said: List[str] = []
    for start, end in _MONTH_RANGE.findall(sentence):
        first, last = _month(start), _month(end)
        span = (last - first) % 12 + 1
        said += [MONTHS[(first + i) % 12] for i in range(span)]
    said += [MONTHS[_month(m)] for m in re.findall(rf"\b{_MONTH}(?![a-z])", sentence)]
    return tuple(dict.fromkeys(said))


def _month(abbreviation: str) -> int:
    return next(i for i, m in enumerate(MONTHS) if m.startswith(abbreviation.lower()[:3]))


def same_word(a: str, b: str) -> bool:
    """True for one lemma, or one stem written two ways ("architecture", "architectural")."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    return shortest >= 6 and a[: shortest - 2] == b[: shortest - 2] and a[:7] == b[:7]


def mentions(said: Iterable[str], word: str, loose: bool = True) -> bool:
    """True when lemmas `said` hold `word` or (when loose) a synonym of it."""
    return _mentions(said if isinstance(said, tuple) else tuple(said), word, loose)


@lru_cache(maxsize=65536)
def _mentions(said: Tuple[str, ...], word: str, loose: bool) -> bool:
    # Cached: a document's sentences are read with the same words for every question.
    wanted = synonyms(word) if loose else frozenset((word,))
    if not wanted.isdisjoint(said):
        return True
    # Two spellings of one stem are both at least six letters long (see same_word).
    long = [w for w in wanted if len(w) >= 6]
    return bool(long) and any(same_word(s, w) for s in said if len(s) >= 6 for w in long)


def question_part(text: str) -> str:
    """The part of a chatty message that asks: its last sentence, after "so", "anyway" or
    a colon ("We are comparing cities..., so to start simple: how big is it?")."""
    sentences = [
        s for s in re.split(r"(?<!\bSt\.)(?<!\bMt\.)(?<!\bDr\.)(?<=[.!?])\s+", text.strip()) if s.strip()
    ]
    # "How much is a camel ride? camel-9391": a reference typed after the question asks nothing.
    asking = [s for s in sentences if len(s.split()) >= 2] or sentences
    last = asking[-1] if asking else text
    parts = re.split(r"[,:;]\s+(?:(?:and\s+)?so|anyway|but)\b|:\s+", last)
    return parts[-1] if len(parts[-1].split()) >= 2 else last


def answer_types(question: str) -> List[str]:
    """The kinds of answer a question wants, most specific first."""
    said = " ".join(words(question_part(question))) if question else ""
    found = [name for name, pattern in _ASK.items() if pattern.search(said)]
    if (
        "size" in found
        and len(found) > 1
        and not re.search(r"\bhow (?:big|large|wide|long)\b|\bsize\b|\barea\b|\bsquare\b", said)
    ):
        found.remove("size")  # "how many storeys does the big pagoda have?" counts; "big" is its name
    if re.search(r"\bwhen (?:did|was|were)\b.*\bopen|\bopened\b", said):
        found = [t for t in found if t != "opening hours"]  # "when did it open?" asks a date
    if re.match(r"who (?:is|was|were|are) (?!the |a |an |its |their |his |her |in |on )", said):
        found = [t for t in found if t != "people"]  # "who was Wang Shoucheng?" asks who he was
    return found


def asking_words(question: str, answer_type: str) -> List[str]:
    """The words of a question that ask for this kind of answer ("which year"), not the
    thing counted ("population")."""
    said = " ".join(words(question))
    asking = [w for found in _ASK[answer_type].finditer(said) for w in found.group(0).split()]
    kept = _ONLY_ASKING.get(answer_type)
    if kept is not None:
        return [w for w in asking if w in kept]
    return [w for w in asking if w != "population"]


# The words that ask, of the kinds whose asking phrase also names what is asked about:
_ONLY_ASKING = {
    # "how long is the train": the train is what the time is asked of; "how long does the
    # train from fuzhou take": so is the place it is from
    "duration": frozenset(
        "how long take takes taking does do did will would is it to from by the a many hours minutes "
        "ride trip journey drive walk hike".split()
    ),
    # "when does the night market start": the market is what the time is asked of
    "opening hours": frozenset(
        "when what time times does do will the leave leaves depart departs start starts begin begins run runs "
        "open opens opening close closes closed closing hours".split()
    ),
    # "which county is Taoxia part of": the county must be said
    "division": QUESTION_WORDS | frozenset(("part", "of", "belong", "belongs", "under")),
}


def gives(sentence: str, answer_type: str) -> bool:
    """True when a sentence holds an answer of this type (a time, a price, a year...)."""
    return bool(_VALUE[answer_type].search(sentence))


def values_given(sentence: str, answer_type: str) -> List[str]:
    """The answers of this type a sentence holds, as written ("2 h 05 min", "2 days")."""
    return [found.group(0) for found in _VALUE[answer_type].finditer(sentence)]


def is_yes_no(question: str) -> bool:
    """True for a question that wants a yes or a no ("Is Jinshui Lake natural?"), not
    a choice ("national or provincial?")."""
    said = " ".join(words(question_part(question)))
    return bool(YES_NO.search(said)) and not re.search(r"\bor\b", said)


def direction_in(text: str) -> Optional[str]:
    """The compass direction a text names, if any."""
    found = [_COMPASS_ADJECTIVES.get(w, w) for w in words(text) if w in COMPASS or w in _COMPASS_ADJECTIVES]
    return found[0] if found else None


_COMPASS_ADJECTIVES = {f"{d}ern": d for d in COMPASS}
