"""Answers from the document's sentences: read the question once, then check a sentence
about its subject for the kind of answer it wants.

`read_question` finds what a turn asks: its subject (the city, an attraction, another
place the document names), the kinds of answer it wants (opening hours, a price, a date,
a place...) and, for a yes/no question, its claim. `settled` returns an `Answer` when the
document settles the question this way: a sentence about the subject that holds an answer
of the wanted kind, a yes or a no, or an honest "the document doesn't say". It returns
None for the questions the structured facts answer better (knowledge.answer's paths).
"""

import dataclasses
import logging
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from knowledge.base import (
    Entry,
    KnowledgeBase,
    answers_faq,
    asks,
    attraction_evidence,
    attraction_sources,
    field_sources,
    names_of,
)
from knowledge.kinds import ADMIN_KINDS, ATTRACTION_KINDS, attraction_kind
from knowledge.language import (
    ANSWER_TYPES,
    CALENDAR_WORDS,
    COMPASS,
    ENTRY_TIME,
    ITINERARY_TIME,
    NUMBER_WORDS,
    OPPOSITE_DIRECTION,
    QUESTION_WORDS,
    answer_types,
    asking_words,
    direction_in,
    english_word,
    gives,
    is_yes_no,
    lemma,
    lemmas,
    mentions,
    months_said,
    opposites,
    question_part,
    same_word,
    synonyms,
    values_given,
)
from knowledge.tables import from_table
from knowledge.text import STOPWORDS, contains_phrase, normalise, similar, words

logger = logging.getLogger(__name__)

SUBJECT_CITY = "city"
SUBJECT_ATTRACTION = "attraction"
SUBJECT_PLACE = "place"
# An answer that leaves the conversation's subject as it was ("the document doesn't say").
SUBJECT_KEPT = ""

# Answer kinds read from sentences whatever the subject: the structured facts hold none.
PRACTICAL = ("hotels", "food and restaurants", "opening hours", "ticket prices", "transport", "distance")


def _placed_by(kb: KnowledgeBase, attraction: Entry, kind: str) -> bool:
    """True when a line of another place of this kind names the sight ("Yongchang
    Guesthouse (永昌宾馆), next to the Bell and Drum Tower")."""
    own = set(attraction_evidence(attraction))
    return any(
        gives(s, kind) and kb.find_attraction(s) is attraction for s in kb.data["sentences"] if s not in own
    )


_NEAR = re.compile(r"\b(?:near|nearby|close to|next to|around)\b")
# Kinds of answer that are kinds of place: asked of a place of that kind, they ask nothing.
_KINDS_OF_PLACE = ("hotels", "food and restaurants")
# What "its" asks of a place just named: its figures, size, whereabouts or dates.
_PLACE_FIGURES = frozenset(("figures", "size", "location", "dates", "distance"))
# What a visitor asks of the sight just talked about without naming it again.
_ASKED_OF_A_SIGHT = frozenset(("ticket prices", "opening hours", "duration", "best time", "phone"))
# "that county", "over there": a place the conversation is about.
# What a trip is asked for: a place after "to" or "from" is where it goes, not the subject.
_TRIP = frozenset(("transport", "duration", "ticket prices"))
_DEICTIC_PLACE = re.compile(
    r"\b(?:that|this|the same) (?:city|town|county|place|province|region|district)\b"
    r"|(?<!\bis )(?<!\bare )\bthere$|\b(?:in|of|over|from) there\b"
)
_HONOUR_WORDS = re.compile(
    r"\b(?:named|awarded|title|titles|honou?r\w*|selected|listed|became|become|won|award\w*|rated|ranked)\b"
    # "name it a garden city", not the noun: "what does the name X mean", "the name of the station"
    r"|(?<!\bthe )(?<!\ba )(?<!\bits )\bname (?!\w+ mean)"
)
# "a national forest city": the shape of a city's title.
_TITLE = re.compile(r"\bnational (?:\w+ ){1,2}cit(?:y|ies)\b")
_YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})\b")


@dataclass(frozen=True)
class Question:
    """One visitor turn, read once."""

    text: str
    lemmas: Tuple[str, ...]
    types: Tuple[str, ...]
    yes_no: bool
    subject: str
    subject_kind: str
    attraction: Optional[Entry] = field(default=None, compare=False)
    # A yes/no question's content lemmas, without the subject's name.
    claim: Tuple[str, ...] = ()
    # The attraction was described, not named ("the big reservoir").
    described: bool = False
    # The intent the NLU picked: which structured fact, if any, the question is about.
    intent: str = ""
    # A place the question names that the document does not (the NLU's `place` entity).
    elsewhere: str = ""
    # The attraction the NLU's entity names, and what the conversation holds.
    named: Optional[Entry] = field(default=None, compare=False)
    remembered_attraction: str = ""
    remembered_honour: str = ""
    # The places the NLU found in the asking part, the honours it found in the turn.
    places: Tuple[str, ...] = ()
    honours: Tuple[str, ...] = ()
    # The attraction picked from the list last offered ("the second one").
    chosen: Optional[Entry] = field(default=None, compare=False)
    # The sentences (indices) the answer to the previous question quoted, and that question.
    told: Tuple[int, ...] = ()
    previous: str = ""


@dataclass(frozen=True)
class Answer:
    """What to say (a reply name of actions/replies.yml with its values), the document
    sentences it rests on, and the subject the conversation is now about."""

    reply: str
    values: Dict[str, Any]
    sources: Tuple[str, ...]
    subject: str
    subject_kind: str
    # Further messages of the same answer ("Its slogan is ..." after its nickname).
    more: Tuple["Answer", ...] = ()
    # What else the next turn may refer to: ("place", [the neighbours just named]),
    # ("honour", the title just told, or None).
    context: Tuple[Tuple[str, Any], ...] = ()


def read_question(
    kb: KnowledgeBase,
    text: str,
    named_attraction: Optional[Entry] = None,
    remembered_attraction: Optional[str] = None,
    remembered_place: Optional[str] = None,
    intent: str = "",
    places: Sequence[str] = (),
    honours: Sequence[str] = (),
    remembered_honour: str = "",
    chosen: Optional[Entry] = None,
    previous: str = "",
    told: Sequence[str] = (),
) -> Question:
    """Read a turn: its subject (named now, or the attraction or place in context), the
    kinds of answer it wants and, for yes/no, its claim; with what the NLU found in it
    (the attraction `named`, the `places` and `honours`) and what the conversation holds
    (the attraction, place and honour remembered, the attraction `chosen` from a list,
    the `previous` question, which "what about Zhangye?" asks again of Zhangye, and the
    sentences its answer `told`)."""
    text = _written_apart(kb, asked_again(kb, text, previous))
    if not (named_attraction or remembered_attraction or remembered_place or chosen):
        text = of_the_last(kb, text, previous)
    named = named_attraction
    types = tuple(answer_types(text))
    said_words = words(text)
    said = " ".join(said_words)
    city = kb.city["name"]
    # "a National Forest City" is a title of the city, not the Forest Park.
    if (
        named_attraction is not None
        and re.search(r"\b(?:forest|garden|flower|park|lake)\s+city\b", text, re.I)
        and not any(
            contains_phrase(words(text), words(alias))
            for alias in [named_attraction["name"], *named_attraction.get("aliases", [])]
            if len(words(alias)) > 1
        )
    ):
        named_attraction = None  # an entity in "a National Forest City" is a title's word
    if named_attraction is not None and kb.division_named(text, named_attraction):
        named_attraction = None  # "Jinchuan" of "Jinchuan District" is no Jinchuan Museum
    attraction = (
        named_attraction
        or kb.find_attraction(re.sub(r"\b\w+ (?:city|cities)\b", " ", text, flags=re.I))
        # a sight whose name says "City" ("Zijinhua City"), named in full
        or next(
            (
                a
                for a in kb.attractions
                if len(words(a["name"])) > 1 and contains_phrase(said_words, words(a["name"]))
            ),
            None,
        )
    )
    pronoun = re.search(r"\b(?:it|its|that|this|they|them)\b", said) and not re.search(
        r"\bthey (?:call|show)\b", said
    )
    # "how far is it from Yongchang town?" right after a sight: where "it" is measured from
    # is not what the question is about
    measured = (
        _MEASURED_FROM.sub(" ", said) if attraction is None and remembered_attraction and pronoun else said
    )
    place = kb.place_in(measured)
    if place and set(types) & _TRIP and re.search(rf"\b(?:to|from)\s+{re.escape(place.lower())}\b", said):
        place = None  # "how long is the bus to Wuwei?": where the bus goes, asked of the city
    city_named = any(w == normalise(city) for w in words(measured)) or bool(
        re.search(r"\bthe (?:city|town)\b", measured)
    )
    described = False
    # "Where in Jinchang can I see Etruscan influence?" asks for a place in the city.
    within_city = bool(re.search(r"\bwhere in\b", said))
    if (
        attraction is None
        and place is None
        and (within_city or not city_named)
        and not pronoun
        and _IDENTIFY.search(said)
        and not _other_name(kb, text)  # "what is the population of guiyang" describes no sight
    ):
        attraction = described_attraction(kb, text, remembered_attraction or "")
        described = attraction is not None
    if attraction is None and place is None and not city_named:
        if remembered_place and _DEICTIC_PLACE.search(said):
            place = remembered_place
        elif remembered_attraction and re.search(r"\b(?:that|this) (?:county|district)\b", said):
            location = (kb.attraction(remembered_attraction) or {}).get("location") or {}
            place = kb.place_in(location.get("text", ""))
        elif remembered_attraction and re.search(
            r"\b(?:it|its|that|this|they|them|their|the place|there)\b", said
        ):
            attraction = kb.attraction(remembered_attraction)
        elif remembered_place and re.search(r"\b(?:it|its|there)\b", said) and set(types) & _PLACE_FIGURES:
            place = (
                remembered_place  # "what's its population?" after the neighbour; "its slogan?" is the city's
            )
        elif remembered_attraction and (
            _said_of(kb, kb.attraction(remembered_attraction), text)
            or set(types) & _ASKED_OF_A_SIGHT
            and not _names_another(kb, kb.attraction(remembered_attraction), text, types)
            # "can I take a bus?" right after a sight: to it (not "a bus to the airport?")
            or "transport" in types
            and not re.search(r"\b(?:to|from)\s+(?!get|go|take)\w", said)
        ):
            # "do students pay less?", "how much is the entry?" after a sight: of that sight
            attraction = kb.attraction(remembered_attraction)
    near = [t for t in types if t in _KINDS_OF_PLACE] if attraction is not None and _NEAR.search(said) else []
    if near and _placed_by(kb, attraction, near[0]):
        # "is there a hotel near it?": the hotel the page places by the sight
        text = re.sub(r"\b(?:it|there)\b", attraction["name"], text, count=1, flags=re.I)
        attraction = None
    if attraction is not None and len(types) > 1:
        # "how much is a room?" of a guesthouse asks its price: the hotel is the subject itself
        itself = f"{attraction['name']} {attraction.get('listed_in', '')}"
        types = tuple(t for t in types if not (t in _KINDS_OF_PLACE and gives(itself, t))) or types
    if attraction is None and place is None and not is_yes_no(text) and set(types) & {"figures", "size"}:
        place = _other_name(kb, text)  # "What's the population of Hami?"
    if place is not None and _contains_city(kb, place) and not set(types) & {"figures", "size"}:
        place = None  # "most livable city in Gansu - which year?" is about the city
    if attraction is not None:
        subject, kind = attraction["name"], SUBJECT_ATTRACTION
    elif place is not None and not city_named:
        subject, kind = place, SUBJECT_PLACE
    else:
        subject, kind = city, SUBJECT_CITY
    yes_no = is_yes_no(text)
    claim: Tuple[str, ...] = ()
    if yes_no:
        claim = tuple(_without_names(text, attraction, subject if kind != SUBJECT_ATTRACTION else city))
        if attraction is not None:
            claim = tuple(w for w in claim if w not in lemmas(attraction["kind"]))
    return Question(
        text=text,
        lemmas=tuple(lemmas(text)),
        types=types,
        yes_no=yes_no,
        subject=subject,
        subject_kind=kind,
        attraction=attraction,
        claim=claim,
        described=described,
        intent=intent,
        elsewhere=place_elsewhere(kb, text, places) or "",
        named=named,
        remembered_attraction=remembered_attraction or "",
        remembered_honour=remembered_honour,
        places=tuple(places),
        honours=tuple(honours),
        chosen=chosen,
        told=tuple(i for i in map(kb.index_of, told) if i is not None),
        previous=previous,
    )


_MEASURED_FROM = re.compile(
    r"\b(?:from|to)\s+(?:the\s+)?\w+(?:\s+(?:town|city|centre|center|county|district))?\s*$"
)
# "what about Zhangye?", "and to Hefei?", "how about in winter?": the last question again.
_FOLLOW_UP = re.compile(
    r"^(?:(?:and|but|so)\s+)?(?:(?:what|how)\s+about\s+(?P<about>.+?)|and\s+(?P<and>.+?))\s*[?.!]*$", re.I
)
_ASKS = re.compile(
    r"(?:what|which|who|whom|whose|how|when|where|why|is|are|was|were|can|could|do|does|did|will|would|should"
    r"|tell|give|show|list|name)\b",
    re.I,
)
_ORDINAL = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|last|next|one|number)\b", re.I
)
_OWN_QUESTION = re.compile(r"\b(?:it|its|it's|they|their|them|he|she|his|her|this|that|you|i)\b", re.I)


def asked_again(kb: KnowledgeBase, text: str, previous: str) -> str:
    """The question a short follow-up asks: the previous one with the place or sight it
    named replaced by the one named now ("how long to Shanghai?" + "and to Hefei?"), or
    with the new words added ("how much is the train?" + "what about flying?"); the text
    itself when it is no such follow-up."""
    found = _FOLLOW_UP.match(text.strip())
    if not found or not previous or follow_up(previous):
        return text
    new = found.group("about") or found.group("and")
    if len(new.split()) > 5 or _OWN_QUESTION.search(new) or is_yes_no(new) or answer_types(new):
        return text  # "and its population?", "and is it free?" ask a question of their own
    if _ORDINAL.search(new):
        return text  # "and the 4th?": a choice from the list offered
    if _ASKS.match(new):
        return text  # "and what is the legend there?" is a question of its own
    bare = re.sub(r"^(?:to|in|for|at|from|on|of)\s+", "", new, flags=re.I)
    if _names_in(kb, bare):
        for old in _names_in(kb, question_part(previous)):
            if old.lower() != bare.lower():
                return re.sub(re.escape(old), bare, previous, count=1, flags=re.I)
        return text  # "and what about the desert?" after "is it big?": about the desert
    return f"{previous.rstrip(' ?.!')} {new}?"


# "where is it?", "how much is that?": a short question about what the last one asked of
_ABOUT_IT = re.compile(r"\b(?:it|that|this)\b(?!['’]s\b)", re.I)


def of_the_last(kb: KnowledgeBase, text: str, previous: str) -> str:
    """A short question about "it" after a question about a thing no sight or place names
    ("where is it?" after "when is market day?"): asked of that thing ("where is the market
    day?"); the text itself otherwise."""
    said = words(question_part(text))
    if not previous or len(said) > 7 or not _ABOUT_IT.search(text) or is_yes_no(text) or _names_in(kb, text):
        return text
    if kb.find_attraction(text) is not None or _names_in(kb, previous) or kb.mentions_city(previous):
        return text
    asking = {w for kind in answer_types(previous) for w in asking_words(previous, kind)}
    # what the last question was about: the words it ends with after "the", "a" or "is"
    # ("when is market day", "where can I get the hotpot"; not "how many people live there")
    about = re.search(
        r"\b(?:the|a|an|is|are|was|were)\s+((?:\w+\s*){1,3})$", " ".join(words(question_part(previous)))
    )
    topic = [
        w
        for w in (about.group(1).split() if about else [])
        if w not in STOPWORDS
        and w not in QUESTION_WORDS
        and w not in asking
        and w not in COMPASS
        and not w.isdigit()
        and w in kb.vocabulary
    ]
    if not topic:
        return text
    return _ABOUT_IT.sub(f"the {' '.join(topic)}", text, count=1)


def _names_another(kb: KnowledgeBase, attraction: Optional[Entry], text: str, types: Sequence[str]) -> bool:
    """True when a question asks its value of "the" thing it names, a thing the document
    talks of but not where it tells of the sight in context ("how much is the evening
    show?" after the Dong Museum; not "how much is the entry?")."""
    end = re.search(r"\bthe\s+((?:\w+\s+){0,2}\w+)\s*[?.!]*$", " ".join(words(question_part(text))))
    if attraction is None or end is None:
        return False
    asking = {w for kind in types for w in asking_words(text, kind)}
    named = [
        w
        for w in end.group(1).split()
        if w not in STOPWORDS and w not in QUESTION_WORDS and w not in asking and not w.isdigit()
    ]
    if not named:
        return False
    own = " ".join([*names_of(attraction), attraction["kind"], _told_of(attraction)])
    if len(named) == 1:
        return named[0] in kb.vocabulary and not any(mentions([o], lemma(named[0])) for o in lemmas(own))
    pairs = set(zip(named, named[1:]))
    return pairs <= _document_pairs(kb) and not pairs <= set(zip(words(own), words(own)[1:]))


def follow_up(text: str) -> bool:
    """True for a short follow-up that asks the last question again of something else."""
    return bool(_FOLLOW_UP.match(text.strip()))


def _names_in(kb: KnowledgeBase, text: str) -> List[str]:
    """The places and sights a text names, as written in it."""
    said = words(text)
    names = [p for p in kb.places() if contains_phrase(said, words(p))]
    names += [
        name
        for a in kb.attractions
        for name in [a["name"], *a.get("aliases", [])]
        if contains_phrase(said, words(name))
    ]
    names += re.findall(r"\bthe (?:whole |entire )?(?:city|town)\b", text, re.I)  # "and in the whole city?"
    # a name the page writes: capitalised here too ("Brisk"), or no English word ("kelso")
    # (with the division after it: "jinchuan district")
    names += [
        found.group(0).strip()
        for found in re.finditer(rf"\b[A-Za-z][a-z]+\b(?:\s+(?i:{'|'.join(ADMIN_KINDS)})\b)?", text)
        for w in [found.group(0).split()[0]]
        if w.title() in _names_written(kb)
        and w.lower() not in STOPWORDS
        and w.lower() not in QUESTION_WORDS
        and (w[0].isupper() and found.start() > 0 or not english_word(w.lower()))
    ]
    names = [n for n in dict.fromkeys(names) if re.search(rf"\b{re.escape(n)}\b", text, re.I)]
    city = {kb.city["name"].lower(), "the city", "the town", "the whole city", "the entire city"}
    # another place before the city, the longest first: "Jinchuan District", not "Jinchuan"
    return sorted(names, key=lambda name: (name.lower() in city, -len(name)))


def place_elsewhere(
    kb: KnowledgeBase, text: str, places: Sequence[str], strict: bool = False, allowed: str = ""
) -> Optional[str]:
    """A place named in the turn (one of the NLU's `places`) that the answer cannot be about.

    Places the document mentions (its province, its neighbour) may be named in a
    question about the city ("Is Jinchang in Gansu?"); with `strict`, as for figures
    that belong to the city alone (area, population), any other place counts, except
    those named in `allowed` (the answer's own sentence: "most livable city in Gansu").
    """
    named = [v for v in places if not kb.mentions_city(v) and not kb.attraction(v)]
    if strict:
        found = kb.place_in(question_part(text))
        named += [found] if found else []
    for value in named:
        if strict and allowed and value.lower() in allowed.lower():
            continue
        if strict or not kb.mentions_place(value):
            return value.title() if value.islower() else value
    return None


def beside_the_last(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """A follow-up that names nothing but what the last answer quoted ("how long is it?",
    "price?", "when does it close?", "how long is the show?") about something no sight or
    place is (a show, a bus, a pass): the value asked, from the sentence quoted, else the
    nearest one of its paragraph (after it first: "... the evening show starts at 8pm nightly (¥80,
    75 minutes)" follows "the Dong grand song was inscribed ..."). None otherwise."""
    kinds = _FOLLOWED.get(next((t for t in question.types if t in VALUE_KINDS), ""), ())
    if (
        not kinds
        or not question.told
        or question.subject_kind not in (SUBJECT_CITY, SUBJECT_ATTRACTION)
        or kb.mentions_city(question.text)
    ):
        return None
    # what it names beyond the value asked, the sentences told name ("how long is the show?"),
    # or the question they answered ("how much rain falls?" -> "when does most of it fall?")
    told = [lemmas(kb.data["sentences"][i]) for i in question.told] + [lemmas(question.previous)]
    if any(
        w not in _LIGHT_WORDS | _VISITING and not any(mentions(said, w) for said in told)
        for w in _asked(question)[1]
    ):
        return None
    attraction = question.attraction
    if attraction is not None and (
        attraction["name"] != question.remembered_attraction
        or question.named is not None
        or kb.find_attraction(question.text) is not None
        # the sight itself was told of (the paragraph told is its own): its own facts answer
        or any(
            kb.owners[j] == attraction["name"] or _names_in_sentence(kb.data["sentences"][j], attraction)
            for j in _beside(kb, question.told)
        )
    ):
        return None
    past = bool(re.search(r"\b(?:was|were|did)\b", question.text, re.I))
    if "dates" in kinds:
        # "when was it built?" asks a date; "when can I see it?" a time ("starts at 8pm"),
        # else a day or a season, not the year it was listed
        kinds = ("dates",) if past else ("opening hours", _CLOCK, "dates")
    owners = {kb.owners[i] for i in question.told}
    for kind in kinds:
        for index in _beside(kb, question.told):
            sentence = kb.data["sentences"][index]
            if index in kb.asking or kb.owners[index] not in owners | {""}:
                continue  # another listing's phone number is not this one's
            if kind is _CLOCK:
                found = bool(_CLOCK.search(sentence))
            elif kind == "dates" and not past:
                found = _gives_value(_YEAR.sub(" ", sentence), kind)
            else:
                found = _gives_value(sentence, kind) or keyed(sentence, kind)
            if found:
                return _says(kb, question, sentence)
    return None


# A time of day ("at 11am", "starts at 8pm", "from 19:30").
_CLOCK = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?m\b|\b(?:at|from)\s+\d{1,2}[:.]\d{2}\b", re.I)


def _names_in_sentence(sentence: str, attraction: Entry) -> bool:
    """True when a sentence names the sight: a name of it, or the word of its kind ("the
    museum"); a one-word name not as part of another ("Dong" of the Dong Museum is not
    named by "the Dong grand song")."""
    said = words(sentence)
    own = set(words(attraction["name"])) | STOPWORDS
    for name in [*names_of(attraction), attraction["kind"]]:
        named = words(name)
        if len(named) > 1 or name == attraction["kind"]:
            if contains_phrase(said, named):
                return True
            continue
        if any(w == named[0] and (i + 1 == len(said) or said[i + 1] in own) for i, w in enumerate(said)):
            return True
    return False


# The values a follow-up may ask of the thing just told, and what gives each: "how long
# is it?" of a show is its duration.
_FOLLOWED = {
    "ticket prices": ("ticket prices",),
    "opening hours": ("opening hours",),
    "dates": ("opening hours", "dates"),
    "duration": ("duration",),
    "length": ("length", "duration"),
    "distance": ("distance",),
    "height": ("height",),
    "phone": ("phone",),
}


def _beside(kb: KnowledgeBase, told: Sequence[int]) -> List[int]:
    """The sentences told, then those of their paragraphs at most _BESIDE sentences away: the
    nearer first, those after a sentence before those before it."""
    paragraphs = kb.data["paragraphs"]
    order: List[int] = list(told)
    for index in told:
        near = range(max(0, index - _BESIDE), min(len(paragraphs), index + _BESIDE + 1))
        same = [i for i in near if paragraphs[i] == paragraphs[index] and i != index]
        order += sorted(same, key=lambda i: (abs(i - index), i < index))
    return list(dict.fromkeys(order))


_BESIDE = 3


def settled(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """The document's answer when its sentences settle the question, else None."""
    first = question.types[0] if question.types else ""
    other_province = _judge_elsewhere(kb, question)
    if other_province is not None:
        return other_province
    unknown = _unknown_attraction(kb, question) or _unknown_honour(kb, question)
    if unknown is not None:
        return unknown
    table = (
        from_table(kb, question.text, question.previous) if question.subject_kind == SUBJECT_CITY else None
    )
    if table is not None:
        reply, values, rows = table  # "which month has the most rain?": the climate table's
        return _answer(question, reply, values, [kb.data["sentences"][index] for index in rows])
    # "Which costs more, the ruins or the museum?" names two sights: the city's question.
    if kb.attractions and (
        question.subject_kind == SUBJECT_CITY or len(kb.rank_attractions(question.text)) > 1
    ):
        listed = _list_or_compare(kb, question)
        if listed is not None:
            return listed
    found = best_sentence(kb, question) if first == "division" else None
    if found is not None:
        return _says(kb, question, found)  # "which county is Taoxia part of?" (see `as_asked`)
    if first == "name" and _asks_about_nickname(kb, question):
        first = ""  # "why is it called the Nickel Capital?": the nickname's reason
    faq = _under_faq_question(kb, question) if question.yes_no else None
    if faq is not None:
        return _says(kb, question, faq)  # the page's FAQ asks it too
    if first in PRACTICAL or first in _SAID_IN_A_SENTENCE:
        found = best_sentence(kb, question) or _named_in_passing(kb, question, first)
        if found is not None:
            return _says(kb, question, found)
        return passage_answer(kb, question) or _unknown(kb, question, first)
    if question.described and not question.yes_no and first not in ("people", "dates"):
        attraction = question.attraction
        sources = attraction_sources(attraction)
        return _answer(
            question, "attraction", {"summary": attraction.get("summary") or attraction["name"]}, sources
        )
    if question.subject_kind == SUBJECT_PLACE and first:
        return _about_place(kb, question, first)
    if question.subject_kind == SUBJECT_PLACE and not question.yes_no:
        # "Tell me about Wuwei": what the document says of it, and no more.
        told = evidence(kb, question)
        if told:
            return _answer(question, "document_says", {"sentence": told[0]}, told[:1])
        return _answer(question, "other_place", {"place": question.subject, "city": kb.city["name"]}, [])
    if question.yes_no and first not in ("size", "figures"):
        found = _faq_answer(kb, question) or _judge(kb, question)
        if (
            found is None
            and question.intent in _WITHOUT_PATH
            and question.subject_kind == SUBJECT_CITY
            and not _unheard(kb, question)
        ):
            # "is it hot in July?": no yes or no, but what the document says of July (every
            # word asked said there: "is the ancient town free?" is not "the wetland: Free")
            told = passage(kb, question)
            index = kb.index_of(told) if told is not None else None
            if index is None or not all(mentions(_told(kb, index), w) for w in _asked(question)[1]):
                told = None
            found = _says(kb, question, told) if told is not None else None
        return found
    if _TAG_QUESTION.search(question.text):
        verdict = _judge_province(kb, question)  # "it's in Sichuan, right?"
        if verdict is not None:
            return verdict
    if first == "people" and not _asks_about_honours(kb, question):
        return _from_sentences(kb, question, first)
    if first == "dates" and not _asks_about_honours(kb, question):
        found = _from_sentences(kb, question, first)
        if found.reply == "document_says" or question.subject_kind != SUBJECT_CITY:
            return found
    return _document_decides(kb, question)


# The kinds of value a sentence gives, not a structured fact ("every 30 minutes", "1,250 mm").
_SAID_IN_A_SENTENCE = ("frequency", "duration", "height", "temperature", "rainfall", "best time", "name")


# --- the document decides ----------------------------------------------------------------

# The intents whose answer is a structured fact, and the knowledge-base fields it rests on.
STRUCTURED = {
    "ask_area": ("area",),
    "ask_population": ("population",),
    "ask_location": ("region", "province"),
    "ask_neighbours": ("neighbours",),
    "ask_nickname": ("nickname",),
    "ask_resources": ("nickname",),
    "ask_slogan": ("slogan",),
    "ask_city_overview": ("region", "nickname"),
}
# Answer kinds whose value a sentence must hold ("a price", "a time"), beyond sharing words.
VALUE_KINDS = (
    "division",
    "frequency",
    "best time",
    "name",
    "rainfall",
    "length",
    "opening hours",
    "phone",
    "temperature",
    "ticket prices",
    "distance",
    "duration",
    "height",
    "people",
    "dates",
    "size",
    "depth",
    "rank",
    "figures",
)


# The words of the city's size and population themselves ("how many people live there").
_FIGURE_WORDS = ("population", "people", "area", "size", "total", "city")


def _document_decides(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """The structured path (None: the intent's action renders it) when the document's best
    sentence for the question is one of that fact's sources or none fits; the best sentence
    when it is another; an honest "doesn't say" when neither has an answer."""
    if question.elsewhere:
        return None  # "how big is Beijing?": the actions say the document is about the city
    structured = _structured_sources(kb, question)
    if not structured:
        fact = _fact_by_kind(kb, question)
        if fact is not None:
            return fact
    asked = next((t for t in question.types if t in ("dates", "people")), "")
    if (
        structured
        and asked
        and question.intent != "ask_honours"
        and not any(gives(s, asked) for s in structured)
    ):
        # "When did it become the Nickel Capital?": the fact, but not when; the document
        # may say it elsewhere, else it doesn't say.
        found = best_sentence(kb, question)
        return _says(kb, question, found) if found is not None else _unknown(kb, question, asked)
    lacking = _figure_not_given(kb, question) if structured else ""
    if lacking:
        # "How much platinum does it refine?", "What rank did it get?": the fact, not the figure
        found = passage(kb, question)
        if found is not None and gives(found, lacking):
            return _says(kb, question, found)
        return _unknown(kb, question, lacking, structured)
    held = best_sentence(kb, question, among=structured) if structured else None
    # the words asked beyond the city's size or headcount ("urban", "minority")
    figure = question.intent in ("ask_population", "ask_area")
    extra = (
        [w for w in _focus(question, "figures") if not any(mentions([w], k) for k in _FIGURE_WORDS)]
        if figure
        else []
    )
    if held is not None and extra and all(mentions(lemmas(held), w) for w in extra):
        return _says(kb, question, held)  # "What's the urban population?": not the city's total
    foreign = _not_of_the_city_figure(kb, extra, structured)
    if foreign:
        # "which minority is largest?", "how many km of expressways?" taken for the area:
        # a figure of something else, which the sentence naming it gives, if any
        found = _carrier(kb, question, foreign)
        return _says(kb, question, found) if found is not None else _unknown(kb, question, "figures")
    if (
        held is not None
        and _other_year(kb, question)
        and all(y in held for y in _YEAR.findall(question.text))
    ):
        return _says(kb, question, held)  # "the population back in 2010?" when the total is of 2020
    # "Which county grows the goji berries?" asks where, but not where the city is.
    # (words of the document only: a typo or the city's own name asks nothing more)
    vocabulary, city = _document_lemmas(kb), lemmas(kb.city["name"])
    beyond = (
        len(
            [
                w
                for w in _asked(question)[1]
                if any(v in vocabulary for v in synonyms(w))
                and not mentions(city, w)
                and not any(mentions(lemmas(s), w) for s in structured)
            ]
        )
        > 1
    )
    if held is not None and beyond:
        better = passage(kb, question)
        if better is not None and better not in structured:
            return _says(kb, question, better)
    if (
        held is not None
        and question.types[:1] in (("size",), ("figures",))
        and held not in _own_sources(kb, question)
    ):
        # "how big is Zhelan County?" taken for its location: the sentence of another fact
        # held what was asked, which the intent's reply would not say
        return _says(kb, question, held)
    if held is not None:
        return None  # the structured fact holds what was asked: its reply says it best
    # ("when is the concert?": the line of the park's that holds the concert and its day)
    found = best_sentence(kb, question) or (
        _named_in_passing(kb, question, question.types[0]) if question.types else None
    )
    if found is None and (not structured or beyond):
        # No structured fact, whatever the intent ("What fruit is it famous for?" taken
        # for the nickname): the passage that carries the question, if any.
        return passage_answer(kb, question)
    # None: the intent's own path, its structured answer or its honest "doesn't say".
    return _says(kb, question, found) if found is not None else None


# Words that ask for the city's size or headcount and name nothing else.
_SIZE_ASKED = frozenset(
    lemmas(
        "large big small size many much number total whole square km km2 kilometre kilometer million millions thousand"
    )
)


def _not_of_the_city_figure(kb: KnowledgeBase, extra: Sequence[str], structured: Sequence[str]) -> List[str]:
    """Of the words asked beyond the area or population (`extra`), those of the document that
    neither that figure's sentences nor the city's own profile say: what the figure asked is
    of ("minority", "expressway"); [] when the city's figure is what is asked."""
    if not structured:
        return []
    vocabulary = _document_lemmas(kb)
    profile = [f.get("source", "") for f in kb.city.values() if isinstance(f, dict)]
    told = [lemmas(s) for s in [*structured, *profile, kb.city["name"]]]
    return [
        w for w in extra if w in vocabulary and w not in _SIZE_ASKED and not any(mentions(t, w) for t in told)
    ]


def _carrier(kb: KnowledgeBase, question: Question, foreign: Sequence[str]) -> Optional[str]:
    """The city's sentence that names every one of `foreign` and gives the value asked,
    naming most of the question's words (the first such)."""
    best: Optional[Tuple[int, int, str]] = None
    for index in kb.city_sentences():
        sentence = kb.data["sentences"][index]
        said = lemmas(sentence)
        if not all(mentions(said, w) for w in foreign) or not gives_asked(question.text, sentence):
            continue
        score = (sum(1 for w in question.lemmas if mentions(said, w)), -index)
        if best is None or score > best[:2]:
            best = (score[0], score[1], sentence)
    return best[2] if best else None


# The facts whose sentences hold no figure of their own (the honours', the neighbours' and
# the sights' are counted by their answers).
_FIGURELESS = frozenset(("ask_resources", "ask_nickname", "ask_slogan", "ask_location"))


# "How much platinum": an amount asked ("how much is it?" asks a price).
_AMOUNT = re.compile(
    r"\bhow much (?!(?:is|are|does|do|did|was|were|will|would|can|could|should|it|for|to)\b)\w+", re.I
)


def _figure_not_given(kb: KnowledgeBase, question: Question) -> str:
    """The kind asked ("figures", "rank") when a figure or a rank is asked that no sentence
    of the intent's fact gives, else ""."""
    kind, counted = _asked(question)[0], _counted(question.text)
    if not kind and _AMOUNT.search(question.text):
        kind = "figures"  # "how much platinum does it refine?"
    if not (kind == "rank" or kind == "figures" and question.intent in _FIGURELESS):
        return ""
    own = [
        kb.city[f]["source"] for f in STRUCTURED.get(question.intent, ()) if isinstance(kb.city.get(f), dict)
    ]
    own += [h["source"] for h in kb.city.get("honours", [])] if question.intent == "ask_honours" else []
    # "how many people work in mining?" is not answered by "one of the three national bases"
    return "" if any(_counts(s, counted) if counted else gives(s, kind) for s in own) else kind


def _other_year(kb: KnowledgeBase, question: Question) -> bool:
    """True when the question asks for a year the city's figure is not of."""
    field = {"ask_population": "population", "ask_area": "area"}.get(question.intent, "")
    of = (kb.city.get(field) or {}).get("as_of", "") if field else ""
    years = _YEAR.findall(question.text)
    return bool(field and years and not all(y in of for y in years))


def _fact_by_kind(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """The city's area or population when that is what a question asks, whatever the
    intent ("how big is the town?" taken for chit-chat)."""
    if question.subject_kind != SUBJECT_CITY or question.yes_no or not question.types:
        return None
    city, first = kb.city, question.types[0]
    if first == "size" and city.get("area") and not _focus(question, "size"):
        area = city["area"]
        values = {"city": city["name"], "area": area["text"], "unit": area["unit"]}
        return _answer(question, "area", values, [area["source"]])
    people = any(
        mentions(question.lemmas, w, loose=False) for w in ("population", "people", "live", "inhabitant")
    )
    if first == "figures" and people and city.get("population"):
        population = city["population"]
        focus = [w for w in _focus(question, "figures") if not mentions(["population"], w)]
        if not focus:
            values = {
                "city": city["name"],
                "population": population["text"],
                "as_of": population.get("as_of", "according to the document"),
            }
            return _answer(question, "population", values, [population["source"]])
    return None


def asks_where_the_city_is(question: Question) -> bool:
    """True for "where is Tongyao?", "which province is it in?": the city's location and
    nothing more, whatever the intent (not "where is the bus station?")."""
    return (
        question.subject_kind == SUBJECT_CITY
        and not question.yes_no
        and question.types[:1] == ("location",)
        and all(w in _WHERE_WORDS for w in _focus(question, "location"))
    )


_WHERE_WORDS = frozenset(lemmas("province region country part located situated exactly china map"))


# Words that ask for the list of sights, and words that ask nothing more of it.
_LISTING = frozenset(lemmas("sight sights attraction attractions landmark landmarks spot spots places"))
_LIST_ONLY = _LISTING | frozenset(
    lemmas(
        "list listed guide document name names mention top main worth interest tourist scenic thing things do place"
        " experience experiences highlight highlights"
    )
)
_LIST_ASKED = re.compile(
    r"\b(?:sights?|attractions?|landmarks?|places|spots|to see|to visit|things to do|(?:top )?experiences|highlights)\b"
)
# "cheapest", "most expensive": which end of the prices a question asks for.
_CHEAP = re.compile(r"\b(?:cheap\w*|least expensive|lowest price|free|costs? less)\b")
_CHEAPEST = re.compile(r"\b(?:cheap\w*|least|lowest|less)\b", re.I)
_FREE_ASKED = re.compile(r"\bfree\b", re.I)
_DEAR = re.compile(r"\b(?:most expensive|expensive|dearest|priciest|pricier|highest price|costs? more)\b")


def _list_or_compare(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """ "What sights are there?", "How many sights does it list?": the sights the document
    names; "Which is the cheapest sight?", "Which is cheaper, A or B?": from their prices."""
    said = " ".join(words(question_part(question.text)))
    # "what's free to do?", not "what day is free entry?"
    free = bool(_FREE_ASKED.search(said)) and "dates" not in question.types
    if (
        question.yes_no
        or not _LIST_ASKED.search(said)
        and not re.search(r"\b(?:which|cheap\w*)\b", said)
        and not free
    ):
        return None
    cheap, dear = _CHEAP.search(said), _DEAR.search(said)
    if (cheap or dear) and re.search(r"\b(?:which|what)\b", said) and "hotels" in question.types:
        return _compare_stays(kb, question, bool(cheap))
    # "the cheapest hotel" is no sight: the sights' prices do not answer it
    if (
        (cheap or dear)
        and re.search(r"\b(?:which|what)\b", said)
        and not set(question.types) & set(_KINDS_OF_PLACE)
    ):
        return _compare_prices(kb, question, bool(cheap))
    rest = [w for w in _focus(question, "figures") if w not in _LIST_ONLY]
    if not _LIST_ASKED.search(said) or rest:
        return None
    return attractions_answer(kb)


def attractions_answer(kb: KnowledgeBase) -> Answer:
    """The sights the document names, in its order (`listed`: the reply renders the names
    and a button for each), with its tourism line if it has one."""
    names = kb.attraction_names()
    tourism = kb.city.get("tourism")
    values = {
        "tourism": f"{kb.city['name']} is a {tourism['value']}. " if tourism else "",
        "city": kb.city["name"],
        "count": count_words(len(names)),
        "listed": names,
    }
    sources = [a["listed_in"] for a in kb.attractions] + ([tourism["source"]] if tourism else [])
    return Answer("attractions", values, tuple(sources), kb.city["name"], SUBJECT_CITY)


def _compare_prices(kb: KnowledgeBase, question: Question, cheapest: bool) -> Answer:
    """The cheapest (or dearest) of the sights named in the question, else of all, by the
    prices the document gives; "doesn't say" when fewer than two have one."""
    named = [a for _, a in kb.rank_attractions(question.text)] or kb.attractions
    priced = [(p, a, s) for a in named for p, s in [_price(a)] if p is not None]
    if len(priced) < 2:
        return _unknown(kb, question, "ticket prices")
    free = [(a, s) for p, a, s in priced if p == 0]
    if (
        free
        and cheapest
        and _FREE_ASKED.search(question.text)
        and not _CHEAPEST.search(question.text)
        and "dates" not in question.types  # "what day is free entry?"
    ):
        # "which sights are free?": every one, not the first
        count = f"{count_words(len(free))} {'sight' if len(free) == 1 else 'sights'}"
        values = {"listed": [a["name"] for a, _ in free], "count": count}
        return _answer(question, "free_sights", values, [s for _, s in free])
    price, attraction, sentence = (min if cheapest else max)(priced, key=lambda found: found[0])
    values = {
        "name": attraction["name"],
        "quality": "cheapest" if cheapest else "most expensive",
        "sentence": _shown_fact(kb, sentence),
        "count": count_words(len(priced)),
    }
    return _answer(question, "compared", values, [s for _, _, s in priced])


def _price(attraction: Entry) -> Tuple[Optional[float], str]:
    """An attraction's entry price as a number (free is 0) and the sentence giving it."""
    facts = attraction.get("facts", [])
    # "Tickets: 90 yuan" before "Location: a taxi is 40 yuan each way".
    for fact in sorted(facts, key=lambda f: not keyed(f["text"], "ticket prices")):
        figure = _first_price(fact["text"]) if gives(fact["text"], "ticket prices") else None
        if figure is not None:
            return figure, fact["source"]
    return None, ""


def _first_price(text: str) -> Optional[float]:
    """The first price a text gives (free is 0): "Ticket: free; horse riding CNY 150" is free,
    "CNY 30; children under 1.2 m free" is 30; None for none."""
    figure = _PRICE_FIGURE.search(text)
    if figure is None:
        return None
    return 0.0 if figure.group(3) else float((figure.group(1) or figure.group(2)).replace(",", ""))


_PRICE_FIGURE = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*(?:yuan|rmb|元)|(?:[¥$€£]|\b(?:cny|rmb|usd)\b)\s*(\d[\d,]*(?:\.\d+)?)|\b(free)\b",
    re.I,
)


def _compare_stays(kb: KnowledgeBase, question: Question, cheapest: bool) -> Optional[Answer]:
    """ "What's the cheapest hotel?": the line of the cheapest (or dearest) place to stay among
    those the page prices under its heading of places to stay ("Sleep", "Nearby hotels"),
    each by the first price its listing gives; None when fewer than two have one."""
    priced: Dict[str, Tuple[float, str]] = {}
    for index, sentence in enumerate(kb.data["sentences"]):
        figure = _first_price(sentence) if _STAYING.search(kb.sections[index]) else None
        if figure is not None and figure > 0:
            priced.setdefault(kb.owners[index] or sentence, (figure, sentence))
    if len(priced) < 2:
        return None
    _, sentence = (min if cheapest else max)(priced.values())
    return _says(kb, question, sentence)


# A heading over places to stay.
_STAYING = re.compile(
    r"\b(?:sleep|stay|hotels?|accommodation|lodging|guesthouses?|hostels?|where to stay)\b", re.I
)


def count_words(count: int) -> str:
    """A count as a visitor reads it: "three", "12"."""
    names = "no one two three four five six seven eight nine ten eleven twelve".split()
    return names[count] if count < len(names) else str(count)


def _structured_sources(kb: KnowledgeBase, question: Question) -> List[str]:
    """The sentences of the structured fact the intent asks for, when the document gives
    every part of it; else none."""
    if question.subject_kind != SUBJECT_CITY:
        return []
    if question.intent == "ask_honours":
        return [h["source"] for h in kb.honours()]
    if question.intent == "ask_attractions":
        return [s for a in kb.attractions for s in [a["listed_in"], *attraction_sources(a)]]
    fields = STRUCTURED.get(question.intent, ())
    if not fields or not all(kb.city.get(f) for f in fields):
        return []
    told = [kb.city.get(f) for f in (*fields, "neighbours", "slogan", "area", "population")]
    return [e["source"] for value in told if value for e in (value if isinstance(value, list) else [value])]


def _own_sources(kb: KnowledgeBase, question: Question) -> List[str]:
    """The sentences of the fields the intent's own reply renders (the region and province
    for "where is it?", not the area beside them)."""
    fields = STRUCTURED.get(question.intent, ())
    return field_sources(kb.city, fields) if fields else _structured_sources(kb, question)


def best_sentence(kb: KnowledgeBase, question: Question, among: Sequence[str] = ()) -> Optional[str]:
    """The sentence about the question's subject that answers it: it holds every word the
    question asks about that the document knows (its section heading and the place it
    is about count), and a value of the kind asked for (a time, a price, a year), else None."""
    # a number asked of a topic ("the hostel's phone number", "how many beds does the hostel
    # have?", "how far is the hotel from ..."): that value, not any line of the topic
    # ("how many days do I need?" counts a time: a duration)
    numbers = [
        t
        for t in question.types
        if t in _NUMBER_KINDS and not (t == "figures" and "duration" in question.types)
    ]
    kind = next(iter(numbers), "") or next(
        (t for t in question.types if t in VALUE_KINDS or t in PRACTICAL), ""
    )
    asked = set(lemmas(question_part(question.text)))
    focus = [w for w in (_focus(question, kind) if kind else _focus(question, "")) if w in asked]
    known = _said_in_document(kb, focus)
    # "open on monday?" of a page that never names Monday: its hours ("9am-5pm Tue-Sun") answer
    unsaid = [w for w in focus if w in _CONDITIONS and w not in known] if kind in VALUE_KINDS else []
    if not known and (focus or not kind) and not (unsaid and len(unsaid) == len(focus)):
        return None  # what is asked about is nowhere in the document
    # "the ticket in july", "hours in winter": a value line that names no season answers,
    # one that names the season asked answers better
    conditions = [w for w in known if w in _CONDITIONS] if kind in VALUE_KINDS else []
    if len(known) < len(focus) and not kind:
        return None  # words foreign to the document, and no value asked for: not in it
    if any(w in _HEAD_KINDS for w in focus if w not in known):
        return None  # "is the museum free?" of a page with no museum: no price of the page's is its
    best: Optional[Tuple[float, int, str]] = None
    indices = [i for i in map(kb.index_of, among) if i is not None] if among else _about(kb, question)
    asked_words = {lemma(w) for w in words(question_part(question.text)) if w not in STOPWORDS}
    # the visitor's own word for the value ("entry fee": "(Entry 40 yuan ...)", not a pot of tea)
    asking = (
        {lemma(w) for w in asking_words(question_part(question.text), kind) if w not in STOPWORDS}
        if kind
        else set()
    )
    pairs = _pairs(question_part(question.text))
    extreme_asked = bool(_EXTREME_ASKED.search(question_part(question.text).lower()))
    counted = _counted(question.text) if kind == "figures" else ""
    attraction = question.attraction
    if attraction:  # the sight's own name is no phrase asked: a line about it need not repeat it
        pairs -= _pairs(" ".join(names_of(attraction)))
    for index in indices:
        sentence = kb.data["sentences"][index]
        if not kind and _only_in_other_names(sentence, known, question):
            continue
        # A value of the kind asked is needed unless the sentence holds every word asked.
        if (
            kind
            and (kind in VALUE_KINDS or len(known) < len(focus) or not known)
            and not _gives_value(sentence, kind)
            and not keyed(sentence, kind)  # "When to go: April-May, or late September"
            and not (known and _dated(question, sentence, kind))
            and not _answers_its_heading(kb, index, kind)
            and not (kind == "dates" and programme_day(kb, index))
        ):
            continue
        told = _told(kb, index)
        # a value that differs by season answers whichever season is asked ("CNY 70 (peak
        # season), CNY 40 (low season)" for "in july"); one that names no season does not
        seasonal = bool(conditions) and bool(_SEASONAL.search(sentence))
        if not all(
            mentions(told, w)
            or _holds(told, w)
            or _hyphened(sentence, w)
            # a word said in a compound: "Yang Family Silversmith" over "simple bracelets start
            # at ¥280", "the village's long-table banquets ... It costs 88 yuan" (not "Dali"
            # in a poster's name "DaliDave")
            or (english_word(w) and _compound_of(told, w))
            # "K8762 leaves Qiaolu at 15:20", a timetable under "The route: K8761" say which train
            or _numbered(f"{kb.sections[index]} {sentence}", w)
            for w in known
            if not (seasonal and w in conditions) and w not in _light(kind)
        ):
            continue
        if counted and not _counts(sentence, counted):
            continue  # "how many flights a day?": a figure, but not of flights
        # a word said only by the sentence referred back to lets it answer, scoring nothing
        own = _told(kb, index, referred=False)
        exact = sum(1 for w in known if mentions(own, w, loose=False))
        score = (
            exact
            + 0.5 * sum(1 for w in conditions if mentions(own, w))
            + 0.5 * bool(unsaid and _SEASONAL.search(sentence))
            + 0.25 * any(mentions(own, w, loose=False) for w in asking)
            + _heading_match(kb, index, asked_words)
            # "Adults: ¥50" under "Tickets", not "Free WiFi" under "Facilities"
            + 0.5 * bool(kind in VALUE_KINDS and kind in answer_types(kb.sections[index]))
            + 0.25 * len(pairs & _pairs(sentence))  # "the Qingluo Pass", not "a day pass"
            + 0.5 * _in_unit_asked(question, sentence, kind)
            + 0.5 * (kind != "distance" and _from_where_asked(question, sentence))
            + 0.5
            * bool(
                kind in VALUE_KINDS and (keyed(sentence, kind) or _listed_value(kb, index, kind, attraction))
            )
            # the sight's own line, not one naming it on the way ("a car for Liqian and the
            # temple costs ¥250")
            + 0.3
            * bool(
                attraction and (kb.owners[index] == attraction["name"] or _opens_with(sentence, attraction))
            )
            - (0.5 if kind and not _gives_value(sentence, kind) else 0)
            # "Elevation: 1,162 m" for "what's the altitude?", not "Highest elevation: 2,218 m"
            - 0.3 * bool(not extreme_asked and _EXTREME_KEY.match(sentence)),
            -index,
        )
        if best is None or score > best[:2]:
            best = (score[0], score[1], sentence)
    return best[2] if best else None


# Values that are a number of their own kind: asked of a topic, they are what is asked.
_NUMBER_KINDS = frozenset(("phone", "figures", "distance"))
# A fact's key that qualifies its value as an extreme ("Highest elevation:", "Record low:"),
# and a question asking for one ("what's the highest point?").
_EXTREME_KEY = re.compile(r"(?i)(?:highest|lowest|maximum|minimum|max\.?|min\.?|record)\b[^:]{0,40}:")
_EXTREME_ASKED = re.compile(r"\b(?:highest|lowest|max|maximum|min|minimum|record|top|peak|most|least)\b")
# A service named by its number: a train's "K8762", "D8734", "G1376"; a flight's "MU5731".
_SERVICE_NUMBER = {
    "train": re.compile(r"\b[GDCKTZY]\d{1,4}\b"),
    "flight": re.compile(r"\b[A-Z0-9]{2}\d{3,4}\b"),
}


def _numbered(sentence: str, word: str) -> bool:
    """True when a sentence names a train or a flight by its number ("K8762 leaves at 15:20")."""
    pattern = _SERVICE_NUMBER.get(word)
    return bool(pattern and pattern.search(sentence))


def _from_where_asked(question: Question, sentence: str) -> bool:
    """True when a sentence sets out from the place the question does ("how do I get from
    Fenglan South to Taoxia?": "From Fenglan South to Taoxia: the county bus ...", not "The
    nearest station is Fenglan South" or "tour groups from Xiamen arrive around 10")."""
    found = _SETTING_OUT.search(" ".join(words(question.text)))
    return (
        bool(found)
        and gives(sentence, "transport")
        and bool(re.search(rf"\bfrom\s+(?:the\s+)?{re.escape(found.group(1))}\b", sentence, re.I))
    )


# The place a question sets out from: "from fenglan south (to ...)".
_SETTING_OUT = re.compile(r"\bfrom\s+(?:the\s+)?(\w+(?:\s+(?!to\b|by\b|in\b)\w+)?)")


def _in_unit_asked(question: Question, sentence: str, kind: str) -> bool:
    """True when a sentence gives a time in the unit asked ("how many days do I need?": "2
    days is enough", not "2 h 05 min ... 9 trains a day")."""
    unit = _TIME_UNIT.search(question.text) if kind == "duration" else None
    if unit is None:
        return False
    said = " ".join(values_given(sentence, kind))
    return bool(re.search(rf"\b{unit.group(1)[:3]}", said, re.I))


# The unit a question asks a time in: "how many days", "how many hours".
_TIME_UNIT = re.compile(r"\bhow many (day|night|hour|minute)s?\b", re.I)


def _hyphened(sentence: str, word: str) -> bool:
    """True when a word is one part of a hyphened word of the sentence ("train": "G-train")."""
    return bool(re.search(rf"\w-{re.escape(word)}s?\b|\b{re.escape(word)}s?-\w", sentence, re.I))


def _pairs(text: str) -> Set[Tuple[str, str]]:
    """The two-word phrases of a text, neither word a stop word ("qingluo pass")."""
    said = [lemma(w) for w in words(text)]
    return {(a, b) for a, b in zip(said, said[1:]) if a not in STOPWORDS and b not in STOPWORDS}


def _named_in_passing(kb: KnowledgeBase, question: Question, kind: str) -> Optional[str]:
    """For the city, the sentence of a sight's that answers a question naming something of
    its own, the sights named on the way ("The Qingluo Pass costs ¥150 and covers the boat
    tour, Wolong Gorge and the Zhang Clan Ancestral Hall" for "how much is the Qingluo
    pass?"); None for a question naming nothing but what it asks ("how much is a ticket?")."""
    if question.subject_kind != SUBJECT_CITY:
        return None
    asking = set(lemmas(" ".join(asking_words(question.text, kind)))) | _light(kind)
    named = [w for w in _said_in_document(kb, _focus(question, kind)) if w not in asking]
    if not named:
        return None
    sights = [s for i, s in enumerate(kb.data["sentences"]) if s in kb.sight_sentences and i not in kb.asking]
    found = best_sentence(kb, question, among=sights)
    # every word named said there, not a typo apart ("frost" is no "from")
    return found if found is not None and all(mentions(lemmas(found), w) for w in named) else None


def _answers_its_heading(kb: KnowledgeBase, index: int, kind: str) -> bool:
    """True for a sentence under a heading that asks for this kind ("When is the best time
    to visit?") which gives a value its heading makes one ("April–May and September–October
    are the most comfortable months"), or under a heading that gives the price ("Free
    admission", "Half price" over who gets it)."""
    loose = _HEADING_VALUE.get(kind)
    if kind == "ticket prices":
        # "Half price" / "students with valid student ID": the heading says what they pay
        return bool(_PRICE_GIVEN.search(kb.sections[index]))
    return (
        bool(loose) and kind in answer_types(kb.sections[index]) and gives(kb.data["sentences"][index], loose)
    )


# The value a sentence gives that a heading asking for the kind makes an answer of it.
_HEADING_VALUE = {"best time": "dates"}


def programme_day(kb: KnowledgeBase, index: int) -> str:
    """The day a programme's entry is on: its heading ("Fri–Sat, Sept 20–21") over a line
    that opens with the time ("19:30 Hua'er folk song concert ..."), else ""."""
    heading = kb.sections[index]
    if _PROGRAMME_ENTRY.match(kb.data["sentences"][index]) and len(heading.split()) <= _DAY_WORDS:
        return heading if gives(heading, "dates") else ""
    return ""


# A programme's entry opens with its time; a day's heading is this short.
_PROGRAMME_ENTRY = re.compile(ENTRY_TIME)
_DAY_WORDS = 8


def _gives_value(sentence: str, kind: str) -> bool:
    """True when a sentence gives a value of this kind; a price is an amount ("¥60", "free"),
    not tickets said on the way ("he will book boat tickets for you")."""
    return gives(sentence, kind) and (kind != "ticket prices" or bool(_PRICE_GIVEN.search(sentence)))


_PRICE_GIVEN = re.compile(
    r"[¥￥$€£]\s*\d|\b\d[\d,.]*\s*(?:(?:yuan|rmb|cny|usd|eur|euros?|dollars?)\b|元)|\b(?:cny|rmb|usd|eur|yuan)\s*\d|\bfree\b"
    r"|\bno (?:ticket|fee|charge|entrance|admission)"  # "Baiyan has no ticket office"
    r"|\b(?:half|full)[- ](?:price|fare)\b"  # a notice's concessions: "Half price: students with ID"
    # "The lake ticket is 60." (not "Last admission: 16:45", a time)
    r"|\b(?:tickets?|costs?|price|fee|entry|admission)\b[^.;]{0,20}?\b(?<![:.])\d+(?![\d:.]*[:.]\d{2}(?!\d)|\s*[ap]\.?m\b)",
    re.I,
)
# (or by the day: "CNY 128 on weekdays, CNY 158 on weekends" answers "on Saturday")
_SEASONAL = re.compile(
    r"\b(?:peak|low|high|off|shoulder)[ -]season\b|\bseasonal\b|\bweek(?:day|end)s?\b"
    r"|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\s*[-–]\s*(?:mon|tue|wed|thu|fri|sat|sun)",  # "9am-5pm Tue-Sun"
    re.I,
)
# Words that say when a value holds, not what it is of.
_CONDITIONS = frozenset(lemma(w) for w in CALENDAR_WORDS) | frozenset(
    lemmas("spring summer autumn fall winter weekend weekends weekday weekdays holiday holidays")
)


# How much a word found only as a synonym, or only in the heading or the place a sentence is
# under, counts against the word itself; and the share of the question's weight a passage must carry.
_SYNONYM_WEIGHT = 0.7
_CONTEXT_WEIGHT = 0.6
_PASSAGE_COVERAGE = 0.5


def passage(kb: KnowledgeBase, question: Question) -> Optional[str]:
    """The sentence about the question's subject that carries most of what it asks, each
    word weighted by how rare it is in the document (a word the document never uses as
    a middling one); its section heading and the place it is under count as evidence
    ("What's the climate like?" -> the Climate section). A value of the kind asked (a
    time, a price, a count of the thing counted) is needed. None when no sentence
    carries enough of the question: the document does not say."""
    kind, focus = _asked(question)
    if (
        not focus
        and (kind not in VALUE_KINDS or question.subject_kind == SUBJECT_CITY)
        and kind not in _SAID_ALONE
    ):
        return None  # nothing asked beyond the city, or no value asked of a sight
    # "how long does it take to climb?" of a hill: what is done there is the sight's
    light = _light(kind) | (_VISITING if question.attraction is not None else frozenset())
    rarity = _rarity(kb)
    unknown_weight = _middling_rarity(kb)  # a word the document never uses
    weights = {
        w: 0.0
        if w in light
        else max((rarity.get(v, 0.0) for v in synonyms(w)), default=0.0) or unknown_weight
        for w in focus
    }
    total = sum(weights.values())
    counted = _counted(question.text)
    best: Optional[Tuple[float, str]] = None
    for sentence, said_under in _candidates(kb, question):
        if counted and not _counts(sentence, counted):
            continue
        if (
            kind in VALUE_KINDS
            and not _gives_value(sentence, kind)
            and not keyed(sentence, kind)
            and not (kind == "figures" and counted)
            and not (focus and _dated(question, sentence, kind))
        ):
            continue  # a count in words ("one county") is a figure
        if _only_in_other_names(sentence, focus, question):
            continue  # "the capital of China" is not the "Nickel Capital of China"
        own, context = lemmas(sentence) + months_said(sentence), lemmas(said_under)
        bare = _listed_value(kb, kb.index_of(sentence), kind, question.attraction)
        if bare and question.attraction is not None:
            # "¥150 per person" under the pottery workshop is the price of its classes
            context += lemmas(question.attraction.get("summary", ""))
        # the thing counted is carried where the sentence counts it ("Visitors: 32 million")
        carries = [1.0 if counted and w == counted else _carries(own, context, w) for w in focus]
        carried = sum(weights[w] * c for w, c in zip(focus, carries))
        if total and carried / total < _PASSAGE_COVERAGE:
            continue
        if kind in VALUE_KINDS and not all(c or w in light for w, c in zip(focus, carries)):
            continue  # "what year was the railway built?": a year, but of another thing
        # "Opening Hours: 9:00-17:00" for the hours; a sentence that opens with the sight's
        # name is about it ("Heilong Gorge (黑龙峡), ... ¥85"), one naming it on the way is
        # not ("For Heilong Gorge ... a car costs ¥350").
        carried += 0.5 * bool(kind in VALUE_KINDS and keyed(sentence, kind) or bare)
        carried += 0.3 * bool(question.attraction is not None and _opens_with(sentence, question.attraction))
        if best is None or carried > best[0]:
            best = (carried, sentence)
    return best[1] if best else None


def _listed_value(kb: KnowledgeBase, index: Optional[int], kind: str, attraction: Optional[Entry]) -> bool:
    """True for a bare price or hours line (see _bare) of the sight's own entry in a listing,
    not of an advert beside the text ("From $44")."""
    return (
        index is not None
        and attraction is not None
        and _bare(kb.data["sentences"][index], kind)
        and kb.owners[index] == attraction["name"]
    )


def _bare(sentence: str, kind: str) -> bool:
    """True for a line that is a price or hours and little else, as a listing gives them under
    a sight ("¥15", "Free", "from US$21 (¥150 per person)", "Open 24 hours (most shops
    9:00-21:00)"); not a `Key: value` line, which says what it is."""
    said = [w for w in words(sentence) if not w.isdigit()]
    return (
        kind in ("ticket prices", "opening hours")
        and _gives_value(sentence, kind)
        and not keyed(sentence, "")
        and len(said) <= _BARE_WORDS
        and not re.search(r"[.!?]$", sentence.strip())
    )


_BARE_WORDS = 7


def _dated(question: Question, sentence: str, kind: str) -> bool:
    """True when "when can you go rafting?" (a best time, or a date) is answered by a
    sentence's dates ("From June to early October you can also raft the river")."""
    return (
        kind == "best time"
        and "dates" in question.types
        and not _BEST.search(question.text)  # "the best time" wants what the page recommends
        and gives(sentence, "dates")
    )


_BEST = re.compile(r"\b(?:best|ideal|good|nicest)\b", re.I)


def _asked(question: Question) -> Tuple[str, List[str]]:
    """The kind of value a question asks for and the words a passage must carry."""
    # A value asked ("what year", "how many") decides the kind before a topic ("railway").
    kind = next((t for t in question.types if t in VALUE_KINDS), "") or next(
        (t for t in question.types if t in PRACTICAL), ""
    )
    # The words that ask for the kind of value ("opening hours") are the value's to carry.
    asking = set(lemmas(" ".join(asking_words(question.text, kind)))) if kind in VALUE_KINDS else set()
    return kind, [w for w in dict.fromkeys(_focus(question, kind)) if w not in asking]


# Verbs and particles that say little of what is asked ("which bus goes there", "when does
# the bus leave", "how many steps up the hill"): "when did it become a prefecture-level
# city?" is answered by "it was approved as a prefecture-level city in 1996".
_LIGHT_WORDS = frozenset(
    ("get", "make", "take", "go", "up", "down", "leave", "depart", "need", "much", "many")
)
# ... and, of a time asked, what a bus or a boat does ("when does the boat run?").
_SCHEDULE_WORDS = frozenset(("run", "operate"))


def _light(kind: str) -> FrozenSet[str]:
    """The words of a question that need not be said by a sentence answering this kind."""
    return (
        _LIGHT_WORDS | _SCHEDULE_WORDS if kind in ("frequency", "opening hours", "duration") else _LIGHT_WORDS
    )


# What a visitor does at a sight, said by the sight itself.
_VISITING = frozenset(lemmas("climb hike walk visit see explore tour"))
# Values a city's sentence gives of the city with no other word asked ("How hot does it get?").
_SAID_ALONE = frozenset(("best time", "temperature", "rainfall"))


def _candidates(kb: KnowledgeBase, question: Question) -> List[Tuple[str, str]]:
    """The sentences that may answer for the question's subject, each with what it is said
    under (its section heading and the place it belongs to)."""
    sentences = kb.data["sentences"]
    about = _about(kb, question)
    if question.subject_kind == SUBJECT_CITY and not kb.mentions_city(question.text):
        # No subject named: the city's own sentences first, then the sights' ("how much is
        # a camel ride?" is answered under the dunes).
        own = set(about)
        about += [i for i in range(len(sentences)) if i not in own and i not in kb.asking]
    found = [(sentences[i], f"{kb.sections[i]} {kb.owners[i]} {_said_before(kb, i)}") for i in about]
    if not found and question.attraction is not None:
        # A sight known only from a list ("the Jujube Garden with 3,000 old date trees").
        found = [(s, question.attraction["name"]) for s in _summary_sentences(question.attraction)]
    return found


def keyed(sentence: str, kind: str) -> bool:
    """True for a `Key: value` line whose key asks for this kind ("Tickets: 40 yuan"); for
    kind "", for any `Key: value` line."""
    key, colon, _ = sentence.partition(":")
    return bool(colon) and len(key.split()) <= 4 and (not kind or kind in answer_types(key))


def _sight_of(kb: KnowledgeBase, sentence: str) -> Optional[Entry]:
    """The sight a sentence is one of the facts of, if any."""
    return next((a for a in kb.attractions if any(f["text"] == sentence for f in a.get("facts", []))), None)


# A sentence this short ("OMG the food!!") is said with the one after it.
_SHORT_PASSAGE = 15


def with_next(kb: KnowledgeBase, sentence: str) -> List[str]:
    """A passage's sentences: a short one with the next of its paragraph and section."""
    index = kb.index_of(sentence)
    if index is None or len(words(sentence)) >= _SHORT_PASSAGE or index + 1 >= len(kb.data["sentences"]):
        return [sentence]
    paragraphs, owners, after = kb.data["paragraphs"], kb.owners, kb.data["sentences"][index + 1]
    same = (
        paragraphs[index + 1] == paragraphs[index]
        and owners[index + 1] == owners[index]
        and kb.sections[index + 1] == kb.sections[index]  # (a heading inside the paragraph ends it)
    )
    # A line of a list ("Wang Shoucheng (1421–1489), Ming commander") ends no sentence: it is whole.
    same = same and bool(re.search(r"[.!?]['\"”’)]*$", sentence))
    # "Open daily 8:30-17:30." goes on with "Tickets: 40 yuan.", which answers something else.
    return [sentence, after] if same and not keyed(after, "") else [sentence]


def _carries(own: Sequence[str], context: Sequence[str], word: str) -> float:
    """How fully a sentence (its own lemmas, then its heading's and owner's) says a word."""
    if mentions(own, word, loose=False) or _holds(own, word) or _compound_of(own, word):
        return 1.0
    if mentions(own, word):
        return _SYNONYM_WEIGHT
    return _CONTEXT_WEIGHT if mentions(context, word) else 0.0


def _opens_with(sentence: str, attraction: Entry) -> bool:
    """True for a sentence that opens with the sight's name: it is about the sight."""
    opening = re.sub(r"^The\s+", "", sentence).lower()
    names = [attraction["name"], *attraction.get("aliases", [])]
    return any(opening.startswith(n.lower()) for n in names if len(n) > 3)


def _compound_of(said: Sequence[str], word: str) -> bool:
    """True when a word ends or starts one of `said` ("bike" in "ebike", written "e-bike";
    "high" in "highspeed")."""
    return len(word) >= 4 and any(
        len(s) > len(word) and (s.endswith(word) or s.startswith(word)) for s in said
    )


@lru_cache(maxsize=4)
def _rarity(kb: KnowledgeBase) -> Dict[str, float]:
    """Each lemma's inverse document frequency over the sentences with their headings."""
    count = len(kb.data["sentences"])
    frequency: Dict[str, int] = {}
    for index in range(count):
        for word in set(_told(kb, index)):
            frequency[word] = frequency.get(word, 0) + 1
    return {w: math.log(1 + (count - n + 0.5) / (n + 0.5)) for w, n in frequency.items()}


def gives_asked(text: str, sentence: str) -> bool:
    """True when a sentence holds the value a question asks for, if it asks for one (a
    year for "when", a count of rooms for "how many rooms")."""
    kind = next((t for t in answer_types(text) if t in VALUE_KINDS), "")
    if not kind:
        return True
    counted = _counted(text) if kind == "figures" else ""
    return gives(sentence, kind) and (not counted or _counts(sentence, counted))


@lru_cache(maxsize=4)
def _middling_rarity(kb: KnowledgeBase) -> float:
    """The median of the document's rarities: the weight of a word it never uses."""
    ranked = sorted(_rarity(kb).values())
    return ranked[len(ranked) // 2] if ranked else 1.0


# "how many old date trees are ...": the words counted end before the verb.
_HOW_MANY = re.compile(
    r"\bhow many ((?:\w+ ){0,3}?\w+?)(?= (?:are|r|is|do|does|did|can|could|were|was|have|has|had|in|at|on|"
    r"there|still|live|lived|work|visit|visited|come|came|for|per|each|every|of|besides|up|down|to|inside)\b|$)"
)


def _counted(text: str) -> str:
    """The thing a "how many" question counts ("trees"), as a lemma; "" for none."""
    found = _HOW_MANY.search(" ".join(words(question_part(text))))
    return lemma(found.group(1).split()[-1]) if found else ""


def _counts(sentence: str, counted: str) -> bool:
    """True when a sentence gives a number of the thing counted ("23 Buddhist caves"), in
    one clause ("a fare of 2 yuan. Tourist bus Y1" counts no tourists); a `Key: value` line
    counts what its key names ("Population (2020 census) prefecture-level city: 426,812")."""
    key, colon, value = sentence.partition(":")
    if colon and _FIGURE_FIRST.match(value) and any(mentions([lemma(w)], counted) for w in words(key)):
        return True
    return any(_counts_in(words(clause), counted) for clause in re.split(r"[.;!?](?:\s|$)", sentence))


# A value that opens with a figure ("426,812", "about 68,000").
_FIGURE_FIRST = re.compile(r"\s*(?:about |around |approx\.? |c\. |~)?\d")


def _counts_in(said: List[str], counted: str) -> bool:
    for at, word in enumerate(said):
        if (word.isdigit() and not _YEAR.fullmatch(word)) or word in _NUMBER_WORDS:
            # "23 Buddhist caves"; "the population stood at 736,900"
            near = said[at + 1 : at + 4] + said[max(0, at - 4) : at]
            if any(mentions([lemma(w)], counted) for w in near):
                return True
        # "one county, Yongchang County" (not "one of the largest counties")
        if word == "one" and at + 1 < len(said) and mentions([lemma(said[at + 1])], counted):
            return True
    return False


_NUMBER_WORDS = frozenset(NUMBER_WORDS)


# A name of several capitalised words: "Nickel Capital of China".
_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]*)+")


# Kinds of places a name ends with ("Xiuhe Airport", "Feiyun Cave").
_HEAD_KINDS = frozenset(
    set(lemmas(" ".join(k for k in ATTRACTION_KINDS if " " not in k)))
    | set(lemmas("airport station port terminal hotel guesthouse hostel restaurant market hospital"))
    | set(lemmas("province county district prefecture region"))  # "in eastern Guizhou Province"
)


def _only_in_other_names(sentence: str, known: List[str], question: Question) -> bool:
    """True when the asked words occur in the sentence only inside names the question does
    not say ("the capital of China" is not the "Nickel Capital of China")."""
    names = [lemmas(found.group(0)) for found in _NAME_RUN.finditer(sentence)]
    # a name's last word of a kind says what it is: "Langyun Xiuhe Airport" is an airport
    heads = [name[-1] for name in names if name and (name[-1] in _HEAD_KINDS)]
    rest = lemmas(_NAME_RUN.sub(" ", sentence)) + tuple(heads)
    partial = [name for name in names if not all(w in question.lemmas for w in name)]
    return bool(known) and all(
        not mentions(rest, w) and any(mentions(name, w, loose=False) for name in partial) for w in known
    )


def _heading_match(kb: KnowledgeBase, index: int, asked: Set[str]) -> float:
    """How many of the question's words (`asked`, asking words included) a sentence's
    section heading holds ("how do I get there" and "Getting there"): a tie-breaker."""
    heading = {lemma(w) for w in words(kb.sections[index]) if w not in STOPWORDS}
    return 0.25 * len(heading & asked)


def _about(kb: KnowledgeBase, question: Question) -> List[int]:
    """The sentences that can answer for the subject: an attraction's own (its bullets and
    the sentences naming it), a place's, or the city's (not those under a sight)."""
    sentences, owners = kb.data["sentences"], kb.owners
    if question.subject_kind == SUBJECT_ATTRACTION and question.attraction is not None:
        own = {f["text"] for f in question.attraction.get("facts", [])}
        found = [
            i
            for i, s in enumerate(sentences)
            if (s in own or owners[i] == question.attraction["name"]) and i not in kb.asking
        ]
        if question.attraction["name"] == kb.page_sight:
            # the museum's own site: its opening hours and tickets are the museum's
            found = sorted(set(found) | set(kb.city_sentences()))
        return found
    if question.subject_kind == SUBJECT_PLACE:
        places = [words(p) for p in _places(question.subject)]
        return [
            i
            for i, s in enumerate(sentences)
            if any(contains_phrase(words(s), p) for p in places)
            and _place_is_subject(s, question.subject, kb)
            and i not in kb.asking
        ]
    return kb.city_sentences()


@lru_cache(maxsize=4096)
def _told_cached(sentence: str, section: str, owner: str) -> Tuple[str, ...]:
    return tuple(lemmas(f"{sentence} {section} {owner}")) + months_said(sentence)


def _told(kb: KnowledgeBase, index: int, referred: bool = True) -> Tuple[str, ...]:
    """What a sentence tells, with its section heading, the place it is under and (with
    `referred`) the sentence it refers back to."""
    before = _said_before(kb, index) if referred else ""
    return _told_cached(kb.data["sentences"][index], kb.sections[index], f"{kb.owners[index]} {before}")


# "It was completed in 1887", "The first tower went up in 1921" (after "... the drum tower"),
# "A raft for four costs 120 yuan" (after "bamboo rafts drift ..."), "From Fuzhou South it's
# about 2h10" (after "High-speed train from Xiamen ..."): a sentence about what the one
# before it named.
_REFERS_BACK = re.compile(
    r"^(?:(?:It|Its|It's|They|Their|This|These|Those)\b|The\s+(?:\w+\s+)?(\w+)|An?\s+(\w+)"
    r"|(?:From|To|By|On|At|In)\s[^.;,]{0,40}?\b(?:it|it's|it is|they|they're)\b)"  # "From Fuzhou South it's 2h10"
)


def _said_before(kb: KnowledgeBase, index: int) -> str:
    """The sentence before this one in its paragraph when this one refers back to it (a
    pronoun, or "the" and a word of that sentence), else ""."""
    return _referred_back(kb)[index]


@lru_cache(maxsize=4)
def _referred_back(kb: KnowledgeBase) -> Tuple[str, ...]:
    """Per sentence, the one it refers back to (see _said_before), read once per knowledge base."""
    sentences, paragraphs, owners = kb.data["sentences"], kb.data["paragraphs"], kb.owners
    referred = [""]
    entry: Optional[int] = None  # an itinerary's entry ("7:30pm – the night boat.") the next ones go on about
    for index in range(1, len(sentences)):
        sentence, before = sentences[index], sentences[index - 1]
        same = paragraphs[index - 1] == paragraphs[index] and owners[index - 1] == owners[index]
        named = _refers_to(sentence, before)
        # an FAQ's answer is read with its question ("Q: Will I get altitude sickness?" "A: ...")
        answered = answers_faq(sentence) and index - 1 in kb.asking
        entry = index - 1 if _ENTRY.match(before) else entry if same else None
        if same and named or answered:
            # (within an itinerary's entry, the entry is still what is talked of)
            held = sentences[entry] if entry is not None and entry != index - 1 else ""
            referred.append(f"{before} {held}".strip())
        else:
            # "Tickets are ¥60, the trip lasts about 40 minutes": of the night boat
            referred.append(sentences[entry] if entry is not None and not _ENTRY.match(sentence) else "")
    return tuple(referred)


_ENTRY = re.compile(ITINERARY_TIME)


def _refers_to(sentence: str, before: str) -> bool:
    """True when a sentence refers back to the one before it (see _REFERS_BACK): by a pronoun,
    by "the" and a word that sentence says ("The first tower" after "the drum tower"), or by
    "a" and a word it says in any form ("A raft ..." after "bamboo rafts ...")."""
    found = _REFERS_BACK.match(sentence)
    if not found:
        return False
    the, a = found.group(1), found.group(2)
    if a:
        return a.lower() not in STOPWORDS and lemma(a.lower()) in lemmas(before)
    return not the or bool(re.search(rf"\b{re.escape(the)}\b", before, re.I))


# The intents whose action has no answer of its own to give: the sentences must.
_WITHOUT_PATH = frozenset(("", "out_of_scope", "nlu_fallback"))


def _unheard(kb: KnowledgeBase, question: Question) -> bool:
    """True when a question asks after a word the document never uses ("does the inn have
    wifi?"): no sentence of it can say yes or no."""
    asked = _asked(question)[1]
    return len(_said_in_document(kb, asked)) < len(asked)


def _said_in_document(kb: KnowledgeBase, asked: Sequence[str]) -> List[str]:
    """The words asked that the document uses, itself or a synonym."""
    vocabulary = _document_lemmas(kb)
    return [w for w in asked if any(v in vocabulary for v in synonyms(w))]


def passage_answer(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """The passage that carries the question, as the answer; None when none does."""
    found = passage(kb, question)
    if found is None:
        return None
    valued = any(t in VALUE_KINDS for t in question.types)
    if question.attraction is not None and kb.index_of(found) is None and not valued:
        return None  # its own description says it: the sight's answer (its story, if asked)
    sight = _sight_of(kb, found) if question.subject_kind == SUBJECT_CITY else None
    listed = [a for a in kb.attractions if a.get("listed_in") == found]
    if sight is None and len(listed) > 1 and question.subject_kind == SUBJECT_CITY:
        # The list of sights: the one the question describes ("the largest reservoir").
        described = described_attraction(kb, question.text)
        sight = described if described in listed else None
    if sight is not None and not valued:
        # A sentence about a sight answers "what is there to ..." with the sight.
        sources = tuple(attraction_sources(sight))
        values = {"summary": sight.get("summary") or sight["name"]}
        return Answer("attraction", values, sources, sight["name"], SUBJECT_ATTRACTION)
    return _says(kb, question, found)


# The honest "doesn't say" replies a sentence that plainly says what was asked overrules (not
# those about a name the document lacks: another place, an unknown sight or honour).
DECLINES = frozenset(
    (
        "fact_unknown",
        "attraction_fact_unknown",
        "attraction_no_detail",
        "attraction_history_unknown",
        "attraction_location_unknown",
        "aspect_unknown",
        "aspect_unknown_known",
        "unknown",
        "not_said",
        "not_said_known",
        "who_unknown",
        "claim_unknown",
    )
)
# Words that ask for a value and name nothing a sentence must say ("how long", "what time").
_ASKING_ONLY = frozenset(
    lemmas("long much many far high old big large time year when date day often cost price")
)
# A question that asks for a value: its answer holds a figure, a number or a day.
_ASKS_VALUE = re.compile(
    r"\b(?:how (?:much|many|long|far|high|tall|old|big|large|deep|often)|when|what time|(?:what|which) year)\b",
    re.I,
)
_FIGURE = re.compile(
    r"\d|\b(?:" + "|".join(NUMBER_WORDS) + r"|one)\b|\b(?:mon|tue|wed|thu|fri|sat|sun)", re.I
)
# Words that join the words asked and need not be said again ("do seniors over 70 pay?").
_FUNCTION_WORDS = frozenset(
    "over under during if before after into than per via within until since while whether across along "
    "among around behind beyond near off out through toward towards".split()
)
# A question over several values ("which county is the biggest?"): the comparisons' to answer.
_SUPERLATIVE = re.compile(r"\b(?:biggest|largest|smallest|cheapest|most|least|best|highest|longest|oldest)\b")
# How many words apart the value and the rarest word asked may be ("46 working ones" of the wells).
_VALUE_REACH = 6


def said_plainly(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """The sentence that plainly says what a declined question asks, as the answer: every
    word asked is in the document, the sentence says the rarest of them itself and the rest
    itself or under its heading or the sentence it refers back to, and, when a value is
    asked, holds one of that kind next to that rarest word ("how long is the village ticket
    valid?": "It is valid for 48 hours", after the ticket's price). None when no sentence
    does: the decline stands."""
    text = question_part(question.text)
    if question.subject_kind == SUBJECT_PLACE or question.elsewhere or _SUPERLATIVE.search(text.lower()):
        return None
    attraction = question.attraction
    said = _without_names(text, attraction, question.subject) if attraction is not None else question.lemmas
    named = _city_words(kb)
    asked = [
        w
        for w in dict.fromkeys(said)
        if w in question.lemmas
        and w not in _ASKING_ONLY
        and w not in named
        and w not in _LIGHT_WORDS
        and w not in _FUNCTION_WORDS
    ]
    # two words asked, or one of a sight ("do i need my passport for the museum?")
    vocabulary = _document_lemmas(kb)
    said_somewhere = set(_said_in_document(kb, asked))
    # (a word written in a compound counts: "poverty" in "poverty-stricken")
    if len(asked) + (attraction is not None) < 2 or not all(
        w in said_somewhere or len(w) >= _COMPOUND_PART and _compound_of(vocabulary, w) for w in asked
    ):
        return None
    kinds = _kinds_asked(question, text)
    # a sentence need not repeat the words that ask for the value ("do seniors over 70 pay?":
    # "seniors 70+: free"), but says the rest
    asking = {lemma(w) for kind in kinds for w in asking_words(text, kind)}
    asked = [w for w in asked if w not in asking]
    # (a yes or no is settled by two words said, or one of the sight's)
    if not asked or question.yes_no and len(asked) + (attraction is not None) < 2:
        return None
    valued = bool(_ASKS_VALUE.search(text))
    counted = _counted(text) if "figures" in kinds else ""
    rarity = _rarity(kb)
    rarest = max(asked, key=lambda w: rarity.get(w, math.inf))
    about = set(_about(kb, question)) if attraction is not None else None
    best: Optional[Tuple[float, int, str]] = None
    for index, sentence in enumerate(kb.data["sentences"]):
        if index in kb.asking:
            continue
        if about is not None and index not in about and not _names_sight(kb, sentence, attraction):
            continue
        if _only_in_other_names(sentence, asked, question):
            continue  # "the capital of China" is not the "Nickel Capital of China"
        own = tuple(lemmas(_strip(sentence, _names(question.subject, attraction)))) + months_said(sentence)
        told = _told(kb, index)
        if not _says_word(own, rarest, vocabulary, loose=False) or not all(
            _says_word(told, w, vocabulary) for w in asked
        ):
            continue
        if (question.yes_no or not kinds) and not all(_says_word(own, w, vocabulary) for w in asked):
            continue
        if counted and not _counts(sentence, counted):
            continue
        if question.yes_no:
            if kinds and not any(gives(sentence, k) or keyed(sentence, k) for k in kinds):
                continue  # "do the shuttle buses cost anything?": a price, or no answer
        elif (valued or kinds) and not _value_beside(
            sentence, kinds, counted or rarest, counted=bool(counted)
        ):
            continue
        score = sum(rarity.get(w, 1.0) * (1.0 if mentions(own, w) else 0.5) for w in asked)
        if best is None or (score, -index) > best[:2]:
            best = (score, -index, sentence)
    if best is None:
        return None
    logger.info("said plainly: %r", best[2])
    return _says(kb, question, best[2])


# A word this long may be said inside a compound ("poverty" in "poverty-stricken", not "plan"
# in "plank").
_COMPOUND_PART = 6


def _says_word(said: Sequence[str], word: str, vocabulary: FrozenSet[str], loose: bool = True) -> bool:
    """True when lemmas `said` hold a word of the document as it is (or, `loose`, a synonym),
    or a word it never uses written a typo apart or inside a compound."""
    return mentions(said, word, loose=loose) or (
        word not in vocabulary
        and (_holds(said, word) or len(word) >= _COMPOUND_PART and _compound_of(said, word))
    )


def _kinds_asked(question: Question, text: str) -> List[str]:
    """The kinds of value a question asks, for `said_plainly`: "how long" asks a length, or a
    time when something lasts or is valid; "how old" a date."""
    kinds = [t for t in question.types if t in VALUE_KINDS]
    said = text.lower()
    if re.search(r"\bhow long\b", said) and not {"duration", "length"} & set(kinds):
        lasting = re.search(r"\b(?:valid|last|lasts|spend|stay|need|wait|take|takes|plan|allow)\b", said)
        kinds += ["length", "duration"] if lasting else ["length"]
    if re.search(r"\bhow old\b", said):
        kinds.append("dates")
    if re.search(r"\bhow far (?:ahead|in advance)\b", said):
        kinds = [k for k in kinds if k != "distance"] + ["duration"]  # "up to 7 days ahead"
    return kinds


def _city_words(kb: KnowledgeBase) -> Set[str]:
    """The words that name the city in a question: its name's, "city" and "town"."""
    return set(lemmas(kb.city["name"])) | {"city", "town"}


def _names_sight(kb: KnowledgeBase, sentence: str, attraction: Entry) -> bool:
    """True when a sentence names the sight and no other (a list of sights is about none)."""
    lowered = sentence.lower()
    named = [a for a in kb.attractions if any(n.lower() in lowered for n in names_of(a) if len(n) > 3)]
    return named == [attraction]


def _value_beside(sentence: str, kinds: Sequence[str], word: str, counted: bool) -> bool:
    """True when a sentence holds a value of one of `kinds` (any figure when none) within a
    few words of `word`, the rarest word asked or the thing counted (a year counts nothing;
    "every 10 minutes" is no time a ride takes)."""
    if not _FIGURE.search(sentence):
        return False
    plain = re.sub(r"\bevery\s+[^,;.]*", " ", sentence) if "duration" in kinds else sentence
    # a value of the kind asked ("how many flights a day": a frequency), not any figure
    specific = [k for k in kinds if k != "figures"] or list(kinds)
    if specific and not any(gives(plain, k) or keyed(sentence, k) for k in specific):
        return False
    said = sentence.split()
    at_word = [
        i for i, w in enumerate(said) if any(mentions([s], word) or _holds([s], word) for s in lemmas(w))
    ]
    at_value = [
        i
        for i, w in enumerate(said)
        if _FIGURE.search(w) and not (counted and _YEAR.fullmatch(w.strip(".,;:()")))
    ]
    # "In 2020, Qianfeng County withdrew from the list of poverty-stricken counties": a date
    # that opens the sentence dates all of it
    opening = "dates" in kinds and any(b < _OPENING_DATE for b in at_value)
    return not at_word or opening or any(abs(a - b) <= _VALUE_REACH for a in at_word for b in at_value)


# A date among a sentence's first words opens it ("In 2020, ...", "In November 1949, ...").
_OPENING_DATE = 3


def _says(kb: KnowledgeBase, question: Question, sentence: str) -> Answer:
    """The document's sentence as the answer (with the next when it says little alone:
    "OMG the food!!"), or the later one that corrects it."""
    index = kb.index_of(sentence)
    later, changed = _corrections(kb).get(index, (None, ())) if index is not None else (None, ())
    asked = next((t for t in question.types if t in VALUE_KINDS or t in PRACTICAL), "")
    if later is not None and (not changed or asked not in _CORRECTED_KINDS or asked in changed):
        # (a fare corrected says nothing new of the boat's hours)
        sentence = kb.data["sentences"][later]
    said = with_next(kb, sentence)
    shown = " ".join(
        [_shown_fact(kb, sentence, question.attraction, _clause_asked(question, sentence)), *said[1:]]
    )
    return _answer(question, "document_says", {"sentence": shown}, said)


# What a reply says when it corrects what was said before it: "Actually the lake ticket went
# up to 80 yuan", "Sorry but that's backwards - the museum is CLOSED on Mondays".
_CORRECTS = re.compile(
    r"\b(?:actually|(?:went|gone) (?:up|down) to|no longer|any ?more|backwards|(?:that's|that is|is) wrong"
    r"|not true|corrections?|outdated|out of date|(?:has|have) changed|(?:was|were|been) cancell?ed|now costs?)\b",
    re.I,
)
# ... and says the other was wrong (then whatever it changes: "CLOSED on Mondays" for "free on Mondays").
_SAYS_WRONG = re.compile(r"\b(?:backwards|(?:that's|that is|is) wrong|not true|corrections?)\b", re.I)
# How many paragraphs on a correction may come (a thread's replies).
_CORRECTION_REACH = 12
# How many words a correction shares with what it corrects ("lake", "ticket").
_CORRECTION_SHARED = 2


@lru_cache(maxsize=4)
def _corrections(kb: KnowledgeBase) -> Dict[int, Tuple[int, Tuple[str, ...]]]:
    """Per sentence, the later one that corrects it, if any, and the kinds of value it
    changes (none named: whatever it said): a sentence saying it corrects ("actually",
    "went up to", "that's backwards") a few paragraphs on, sharing at least two of its
    words and a value of the same kind that it does not say already."""
    sentences, paragraphs = kb.data["sentences"], kb.data["paragraphs"]
    common = _NOT_SHARED | set(lemmas(kb.city["name"]))
    said = [{w for w in lemmas(s) if w not in common and not w.isdigit()} for s in sentences]
    found: Dict[int, Tuple[int, Tuple[str, ...]]] = {}
    for later, sentence in enumerate(sentences):
        if not _CORRECTS.search(sentence):
            continue
        for earlier in range(later - 1, -1, -1):
            if paragraphs[later] - paragraphs[earlier] > _CORRECTION_REACH:
                break
            if paragraphs[earlier] == paragraphs[later] or earlier in found:
                continue
            if len(said[earlier] & said[later]) < _CORRECTION_SHARED:
                continue
            key = _ROW_KEY.match(sentences[earlier])
            if key and not set(lemmas(key.group(1))) & said[later]:
                continue  # a table's row shares its columns' words with any note under it
            if _SAYS_WRONG.search(sentence):
                found[earlier] = (later, ())
                continue
            # ("the gorge boat went up to ¥150" corrects no line that says ¥150 already)
            new = not set(_FIGURE.findall(sentence)) <= set(_FIGURE.findall(sentences[earlier]))
            changed = tuple(
                k for k in _CORRECTED_KINDS if gives(sentence, k) and gives(sentences[earlier], k)
            )
            if changed and new:
                found[earlier] = (later, changed)
    return found


_FIGURE = re.compile(r"\d[\d:.,]*\d|\d")
# The place a table's row or a `Key: value` line is about: "Wufeng Mountain (五峰山): type
# ..." (not a label: "Pro tip: the museum ...").
_ROW_KEY = re.compile(r"((?:[A-Z][\w'’-]*\s*)+)(?:[(（][^)）]*[)）])?:\s")


# Words a correction may share with anything: units and time ("yuan", "hours", "last year").
_NOT_SHARED = STOPWORDS | frozenset(
    lemmas("yuan rmb cny km hour hours minute minutes day days year years time times last first about")
)
# The values a correction changes: a price, a time, a day.
_CORRECTED_KINDS = ("ticket prices", "opening hours", "dates", "duration")


def _clause_asked(question: Question, sentence: str) -> str:
    """Of a sentence giving values of several things, the part the question asks for; else
    the whole sentence:
    - of a list ("Buses to Jingdezhen every 40 min (2 hr, ¥52), Wuyuan (1½ hr, ¥38) and
      Shangrao (2½ hr, ¥61)", or two distances), the part naming the place asked, after the
      words that open the list: "Buses to … Wuyuan (1½ hr, ¥38) …";
    - of prices by condition ("CNY 128 on weekdays, CNY 158 on weekends"), the one of the
      day or season asked ("on Saturday");
    - of two events ("A county was established here in 1913, and Lanzhai became a
      county-level city in 2015"), the clause that says every word asked, as a sentence."""
    kind = next((t for t in question.types if t in VALUE_KINDS), "")
    parts = _list_parts(sentence) if kind and kind != "name" else []  # (a name's story is told whole)
    valued = [p for p in parts if gives(p, kind)]
    if len(valued) < 2:
        return sentence
    said = [set(lemmas(p)) for p in parts]
    focus = _focus(question, kind)
    # the names asked that one part alone says ("Nanchang", not "trains"; "Brisk", written so)
    names = {
        w.lower()
        for w in re.findall(r"(?<=\s)[A-Z][a-z]+", sentence)
        if w.lower() not in ADMIN_KINDS and not attraction_kind(f"a {w}")  # not "District" of a name
    }
    only = {
        w
        for w in focus
        if w.isalpha() and (not english_word(w) or w in names) and sum(1 for s in said if w in s) == 1
    }
    # (two distances are a list too: "96 km southwest of Lishui and about 310 km from Hangzhou")
    listed = len(valued) >= _LISTED or kind == "distance"
    chosen = {i for i, s in enumerate(said) if only & s} if listed else set()
    if not chosen and kind == "ticket prices":
        conditions = [w for w in question.lemmas if w in _CONDITIONS]
        chosen = {
            i for i, p in enumerate(parts) if p in valued and any(mentions(said[i], w) for w in conditions)
        }
    # the parts of a value that say every word asked
    saying_all = {
        i
        for i, p in enumerate(parts)
        if p in valued and all(mentions(said[i], w, loose=False) for w in focus)
    }
    if not chosen and kind == "dates" and focus:
        if len(saying_all) == 1 and re.match(r"(?:and\s+)?[A-Z]", parts[min(saying_all)]):
            return f"{_clause(parts[min(saying_all)])}."
        return sentence
    if not chosen and focus and sum(1 for p in parts if re.search(r"\d", p)) >= _LISTED:
        # "The annual average temperature is 18.6℃, the extreme highest temperature recorded
        # is 40.2℃, the annual average precipitation is 1,580 mm, ...": the clause of the
        # value asked that says every word asked, as a sentence
        clause = _clause(parts[min(saying_all)]) if len(saying_all) == 1 else ""
        if re.search(r"\b(?:is|are|was|were)\b", clause):
            return f"{clause[0].upper()}{clause[1:]}."
        # ("with 42 beacon towers preserved" is no sentence: the whole one)
    if len(chosen) != 1:
        return sentence
    at = chosen.pop()
    if parts[at] not in valued:
        return sentence
    part = _clause(parts[at])
    if at == 0:
        return f"{part} …"
    # (a distance's part says it all: "… 310 km from Kell …", not "Tarrow lies about … 310 km")
    lead = re.match(r"\S+(?:\s+[a-z][\w'’-]*)*\s+(?=[A-Z¥￥$\d])", parts[0]) if kind != "distance" else None
    return f"{lead.group(0) if lead else ''}… {part} …"


# A list of values: this many of them in one sentence.
_LISTED = 3


def _list_parts(sentence: str) -> List[str]:
    """A sentence (or a line of several) cut at its commas, semicolons, full stops and
    "and"s outside brackets."""
    parts, depth, start = [], 0, 0
    for found in re.finditer(r"[(（\[]|[)）\]]|,\s+(?:and\s+)?|[;.!?]\s+|\s+and\s+(?!\d)", sentence):
        mark = found.group(0)
        if mark in "(（[":
            depth += 1
        elif mark in ")）]":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(sentence[start : found.start()])
            start = found.end()
    parts.append(sentence[start:])
    parts = [piece for part in parts for piece in _after_names(part)]
    return [p.strip() for p in parts if p.strip()]


def _clause(part: str) -> str:
    """A part of a list as said alone: without the "and" that joined it, nor its full stop."""
    return re.sub(r"^and\s+", "", part).rstrip(".")


def _after_names(part: str) -> List[str]:
    """A part cut where "and" joins a figure to a name: "165km by road from Kaili and 310km
    from Guiyang" is two parts; "between 1,400 and 2,000 m", "8am and 5pm" are one."""
    pieces, start = [], 0
    for found in re.finditer(r"\s+and\s+(?=\d)", part):
        if re.search(r"\b[A-Z][a-z]*(?:['’-]?[a-z]+)*$", part[start : found.start()]):  # "Kaili", "Ji'an"
            pieces.append(part[start : found.start()])
            start = found.end()
    return [*pieces, part[start:]]


def _shown_fact(kb: KnowledgeBase, sentence: str, attraction: Optional[Entry] = None, part: str = "") -> str:
    """A sentence (or the `part` of it asked for) as an answer: a `Key: value` line under a
    sight gets the sight's name (the sight asked about, of those that have the same line:
    "Free"), a programme's entry its day, a case under "Half price" that price."""
    index = kb.index_of(sentence)
    sentence = part or sentence
    owner = kb.owners[index] if index is not None else ""
    its = attraction is not None and any(f["text"] == sentence for f in attraction.get("facts", []))
    if its and (owner or sentence.startswith("(")):  # a guidebook's "(回龙桥; Hexi Rd; 24hr)" too
        owner = attraction["name"]
    day = programme_day(kb, index) if index is not None else ""
    if day and not gives(sentence, "dates"):
        return f"{day}: {sentence}"  # "Fri–Sat, Sept 20–21: 19:30 Hua'er folk song concert ..."
    priced = kb.sections[index].split(" – ")[-1] if index is not None else ""
    if _PRICE_GIVEN.search(priced) and not _PRICE_GIVEN.search(sentence):
        return f"{priced.rstrip(':')}: {sentence}"  # "Half price: full-time students with valid ID"
    if owner and owner.lower() not in sentence.lower():
        return (
            f"{owner}, {sentence[0].lower()}{sentence[1:]}"
            if ":" in sentence[:30]
            else f"{owner}: {sentence}"
        )
    return sentence


# --- sentences about a subject --------------------------------------------------------


# Questions that ask which attraction is meant: "what's the big reservoir called?",
# "where do they show nonferrous metals?", "the place with Roman architecture".
_IDENTIFY = re.compile(
    r"\b(?:which|what)\b.*\b(?:called|name|named|one|place|sight|attraction|spot|is|are)\b"
    r"|\bwhere (?:in \w+ )?(?:do|can|should|could|would)\b|\bthe (?:place|one|sight|spot) (?:with|where|that|which)\b"
    r"|^(?:is|are) there\b"
)
# Size words a visitor uses for the document's "largest".
_SIZE_WORDS = {"big": "large", "huge": "large", "biggest": "large", "bigger": "large"}


def _said_of(kb: KnowledgeBase, attraction: Optional[Entry], text: str) -> bool:
    """True when what a question asks about is all in what the document says of this
    attraction, and not all in the rest of it: an elliptic follow-up about it."""
    if attraction is None:
        return False
    asked = [w for w in lemmas(question_part(text)) if w not in set(lemmas(kb.city["name"]))]
    own = set(lemmas(_told_of(attraction)))
    held = sum(1 for w in asked if any(mentions([o], w) for o in own))
    return bool(asked) and held * 3 >= len(asked) * 2


def _told_of(attraction: Entry) -> str:
    """What the document tells of a sight: its summary and its facts."""
    return " ".join([attraction.get("summary", ""), *(f["text"] for f in attraction.get("facts", []))])


def described_attraction(kb: KnowledgeBase, text: str, remembered: str = "") -> Optional[Entry]:
    """The one attraction whose name or description holds the question's distinctive
    words ("the big reservoir" -> the largest artificial reservoir), else None; `remembered`
    names the sight the conversation is about."""
    city = _city_words(kb)
    said = [_SIZE_WORDS.get(w, w) for w in lemmas(question_part(text)) if w not in city]
    told = [
        set(
            lemmas(
                " ".join([a["name"], *a.get("aliases", []), *a.get("descriptions", []), a.get("summary", "")])
            )
        )
        for a in kb.attractions
    ]
    scores = [0] * len(kb.attractions)
    vocabulary = _document_lemmas(kb)
    for word in set(said):
        holders = [i for i, words_of in enumerate(told) if _holds(list(words_of), word)]
        if len(holders) == 1:
            scores[holders[0]] += 1
        if not holders and word in vocabulary:
            return None  # "which minority is largest?": the page says it of no sight
    best = max(scores, default=0)
    # One word of three in some sight's story ("hand-grabbed mutton") describes no sight.
    # ... nor, in a conversation about a sight, one of two ("is there a cable car?" asked of the
    # peak is not of the stone forest's "sightseeing car")
    half = best * 2 <= len(set(said)) and len(set(said)) > 1
    if best == 0 or scores.count(best) > 1 or best * 2 < len(set(said)) or (half and remembered):
        return None
    return kb.attractions[scores.index(best)]


def evidence(kb: KnowledgeBase, question: Question) -> List[str]:
    """The sentences that can be about the question's subject (none that only asks)."""
    asking = {kb.data["sentences"][i] for i in kb.asking}
    return [s for s in _evidence(kb, question) if s not in asking]


def _evidence(kb: KnowledgeBase, question: Question) -> List[str]:
    if question.subject_kind == SUBJECT_ATTRACTION and question.attraction is not None:
        attraction = question.attraction
        told = [f["text"] for f in attraction.get("facts", [])]
        return told + _summary_sentences(attraction)
    if question.subject_kind == SUBJECT_PLACE:
        # (the neighbours just named, "Wuwei and Zhangye": a sentence naming either)
        places = [words(p) for p in _places(question.subject)]
        return [s for s in kb.data["sentences"] if any(contains_phrase(words(s), p) for p in places)]
    about_attractions = {f["text"] for a in kb.attractions for f in a.get("facts", [])}
    city_first = [s for s in kb.data["sentences"] if s not in about_attractions]
    return city_first + [s for s in kb.data["sentences"] if s in about_attractions]


# Words of how many people live somewhere.
_PEOPLE = ("population", "people", "resident", "inhabitant")


def _from_sentences(kb: KnowledgeBase, question: Question, answer_type: str) -> Answer:
    """The sentence about the subject that holds this kind of answer and shares most of
    the question's words; else that the document doesn't say."""
    focus = _focus(question, answer_type)
    people = answer_type == "figures" and any(mentions(question.lemmas, w) for w in _PEOPLE)
    best: Optional[Tuple[int, str]] = None
    for sentence in evidence(kb, question):
        if not gives(sentence, answer_type):
            continue
        if people and not any(mentions(lemmas(sentence), w) for w in _PEOPLE):
            continue  # "the population of Gaopo County": not the 52 km of the bus ride there
        if question.subject_kind == SUBJECT_PLACE and not _place_is_subject(sentence, question.subject, kb):
            continue
        shared = sum(1 for word in focus if mentions(lemmas(sentence), word))
        if answer_type == "dates" and focus and set(focus) <= _BUILT and _DATED_FROM.search(sentence):
            shared = len(focus)  # "when was it built?": "a brick pagoda from 1596", "covered bridge (1789)"
        if focus and shared == 0:
            continue
        if best is None or shared > best[0]:
            best = (shared, sentence)
    if best is not None:
        return _answer(question, "document_says", {"sentence": _clause_asked(question, best[1])}, [best[1]])
    return _unknown(kb, question, answer_type)


# What a question asks when it asks when a place was made, and how pages date a building.
_BUILT = frozenset(lemmas("build built construct found date establish erect"))
_DATED_FROM = re.compile(
    r"\b(?:from|dating from|dates from|dating back to)\s+(?:the\s+)?(?:1[0-9]{3}|20[0-9]{2}|\d{1,2}(?:st|nd|rd|th)[- ]century)\b"
    r"|\((?:c\.\s*)?1[0-9]{3}\)"
)


def _about_place(kb: KnowledgeBase, question: Question, answer_type: str) -> Answer:
    """A question about a place other than the city: only its own sentences answer."""
    neighbour = next((n for n in kb.city.get("neighbours", []) if n["name"] == question.subject), None)
    if answer_type == "location" and neighbour:
        return _answer(question, "document_says", {"sentence": neighbour["source"]}, [neighbour["source"]])
    found = _from_sentences(kb, question, answer_type)
    if found.reply == "document_says":
        return found
    facts = {"figures": "population" if mentions(question.lemmas, "people") else "figures", "size": "area"}
    if answer_type in ("figures", "size", "location"):
        fact = facts.get(answer_type, answer_type)
        return _answer(question, "fact_unknown", {"fact": fact, "city": question.subject}, [])
    return _answer(question, "other_place", {"place": question.subject, "city": kb.city["name"]}, [])


def _place_is_subject(sentence: str, place: str, kb: KnowledgeBase) -> bool:
    """True when a sentence's figures are the place's: it names the place before any
    mention of the city ("Kelso, a smaller city, has 80,000 people")."""
    lowered = normalise(sentence)
    at = min((i for i in (lowered.find(normalise(p)) for p in _places(place)) if i >= 0), default=-1)
    city_at = lowered.find(normalise(kb.city["name"]))
    return at >= 0 and (city_at < 0 or at < city_at)


def _places(subject: str) -> List[str]:
    """The places a subject names: "Wuwei and Zhangye" -> ["Wuwei", "Zhangye"]."""
    return [p for p in re.split(r",\s*|\s+and\s+", subject) if p]


# How a reply names a kind of answer the document lacks.
_ASPECT_NAMES = {"figures": "exact figures", "name": "origin of the name"}


def _unknown(kb: KnowledgeBase, question: Question, answer_type: str, offered: Sequence[str] = ()) -> Answer:
    """The document has no answer of this kind: say so, and offer what it does say (of the
    sight asked about, else the first of `offered` that holds no such value)."""
    if question.attraction is not None:
        known = _known_without(question.attraction, answer_type)
    else:
        known = next((s for s in offered if not _holds_value(s, answer_type)), "")
    aspect = _ASPECT_NAMES.get(answer_type, answer_type)
    if answer_type == "people":
        what = f"What it does say: {known}" if known else ""
        return _answer(question, "who_unknown", {"subject": question.subject, "known": what}, [known])
    if known:
        return _answer(
            question,
            "aspect_unknown_known",
            {"aspect": aspect, "subject": question.subject, "known": known},
            [known],
        )
    return _answer(question, "aspect_unknown", {"aspect": aspect, "subject": question.subject}, [])


def _known_without(attraction: Entry, answer_type: str) -> str:
    """What the document says of a sight, offered when it lacks what was asked: its first
    sentence that gives no value of the kind asked (a taxi fare offered when the parking
    fee was asked would read as the answer; for a figure, no figure at all)."""
    said = [
        s
        for s in re.split(r"(?<=[.!?])\s+", attraction.get("summary", ""))
        if len(words(s)) > 3 and s.rstrip(".") != attraction["name"]  # not the name line of a listing
    ]
    return next((s for s in said if not _holds_value(s, answer_type)), "")


def _holds_value(sentence: str, answer_type: str) -> bool:
    """True when a sentence gives a value of the kind asked; for a figure, any figure at all
    (a sentence offered instead of an answer must not read as one)."""
    if answer_type not in ANSWER_TYPES or answer_type in _FIGURES:
        return bool(re.search(r"\d", sentence))
    return gives(sentence, answer_type)


_FIGURES = frozenset(
    ("figures", "size", "length", "height", "distance", "duration", "frequency", "temperature", "rainfall")
)


# A capitalised name ending in a kind of attraction: "Badan Jaran Desert".
_NAMED_KIND = re.compile(
    rf"\b((?:[A-Z][\w'-]*\s+){{1,4}}(?i:{'|'.join(sorted(ATTRACTION_KINDS, key=len, reverse=True))}))\b"
)


def _unknown_attraction(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """ "Tell me about Badan Jaran Desert" when the document names no such place."""
    if question.subject_kind != SUBJECT_CITY:
        return None
    for found in _NAMED_KIND.finditer(question.text):
        name = found.group(1)
        proper = [w for w in name.split()[:-1] if w[0].isupper() and w.lower() not in STOPWORDS]
        if (
            proper
            and name.split()[0][0].isupper()
            and kb.attraction(name) is None
            and not kb.mentions_place(name)
        ):
            names = ", ".join(kb.attraction_names())
            return _answer(
                question, "attraction_unknown", {"name": name, "city": kb.city["name"], "names": names}, []
            )
    return None


# Words of an honour question that name no particular honour.
_HONOUR_QUESTION = frozenset(
    lemmas(
        "name named become became get got receive received title titles award awarded give gave honour honours "
        "honor win won city cities national first one most country province select selected list listed year "
        "recognise recognised recognize recognized designate designated have has had other else more all ever"
    )
)


def _unknown_honour(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """ "When was Jinchang named a National Civilized City?" when it names none such."""
    said = normalise(question.text)
    if question.subject_kind != SUBJECT_CITY or not (_HONOUR_WORDS.search(said) or _TITLE.search(said)):
        return None
    if _LIST_ASKED.search(" ".join(words(said))):
        return None  # "How many attractions are listed?" asks for the sights
    if kb.find_honour(question.text) is not None or not kb.honours():
        return None
    city = set(lemmas(kb.city["name"]))
    named = [w for w in question.lemmas if w not in _HONOUR_QUESTION and w not in city and not w.isdigit()]
    # "become the Nickel Capital": a name the document gives the city, not an honour.
    nickname = kb.city.get("nickname", {}).get("source", "")
    told = lemmas(" ".join([h["source"] for h in kb.honours()] + [nickname]))
    if not named or any(_holds(told, w) for w in named):
        return None
    found = passage(kb, question)
    if found is not None and all(_holds(lemmas(found), w) or w in _LIGHT_WORDS for w in named):
        return None  # "When did it become a prefecture-level city?": said, but no honour
    return _answer(question, "honour_unknown", {"city": kb.city["name"], "honour_list": kb.honours()}, [])


# --- yes and no -------------------------------------------------------------------------


def _faq_answer(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """An FAQ's answer to the question asked ("Do foreigners need a permit?" -> "A: No. Your
    passport and visa are enough"): it says yes or no itself. (The answer under an FAQ's
    question that says every word asked is tried before, in `settled`: this is the passage
    that is an FAQ's answer.)"""
    found = passage(kb, question)
    if found is None or not answers_faq(found):
        return None
    return _says(kb, question, found)


def _under_faq_question(kb: KnowledgeBase, question: Question) -> Optional[str]:
    """The "A:" line under the FAQ's "Q:" (a line, or the heading over it) that says every
    word the visitor asks, two or more: "Q: Is there a high-speed train to Qiaolu?" for "is
    there a high speed train to qiaolu"."""
    asked = _asked(question)[1]
    if len(asked) < 2:
        return None
    sentences = kb.data["sentences"]
    for index, sentence in enumerate(sentences):
        if not answers_faq(sentence):
            continue
        above = sentences[index - 1] if index and index - 1 in kb.asking else kb.sections[index]
        said = lemmas(above.replace("-", " "))  # "high-speed" says "high speed"
        if asks(above) and all(mentions(said, w, loose=False) for w in asked):
            return sentence
    return None


def _judge(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """Yes, no, or "the document doesn't say", each with the sentence that settles it."""
    for judge in (_judge_direction, _judge_province, _judge_honour, _judge_exists, _judge_claim):
        found = judge(kb, question)
        if found is not None:
            return found
        if judge is _judge_direction and direction_in(question.text):
            return None  # a direction the neighbours do not settle: words in a sentence are no proof
    return None


# "Is there a lake near Jinchang?", "Are there any temples?": what is asked for comes next.
_THERE_IS = re.compile(r"^(?:is|are)\s+there\b(.*)", re.I)


def _judge_exists(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """ "Is there a museum in Jinchang?": yes, when an attraction of that kind is the subject."""
    asked = _THERE_IS.match(question_part(question.text).strip())
    attraction = question.attraction
    if asked is None or attraction is None or not attraction.get("kind"):
        return None
    kind = words(attraction["kind"])[-1]
    thing = words(asked.group(1))[:5]
    if not any(w == kind or w.rstrip("s") == kind or similar(w, kind) for w in thing):
        return None  # "Is there a legend about Liqian?" asks about the legend
    sources = attraction_sources(attraction)
    shown = {"verdict": "Yes", "sentence": attraction.get("summary") or attraction["name"]}
    return _answer(question, "verdict", shown, sources)


def _judge_direction(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """ "Is Wuwei to the west of Jinchang?": against the neighbour's direction."""
    direction = direction_in(question.text)
    if direction is None:
        return None
    city = kb.city["name"]
    said = normalise(question.text)
    for neighbour in kb.city.get("neighbours", []):
        at = said.find(normalise(neighbour["name"]))
        if at < 0:
            continue
        city_at = said.find(normalise(city))
        # "Is Jinchang west of Wuwei?" asks the other way round.
        asked = direction if city_at < 0 or at < city_at else OPPOSITE_DIRECTION.get(direction, direction)
        verdict = "Yes" if asked == neighbour["direction"] else "No"
        sentence = f"{city} neighbours {neighbour['name']} on the {neighbour['direction']}."
        return _answer(question, "verdict", {"verdict": verdict, "sentence": sentence}, [neighbour["source"]])
    return None


def _judge_province(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """ "Is Jinchang in Sichuan?": against the city's province and region."""
    if question.subject_kind != SUBJECT_CITY:
        return None
    city_name = re.escape(kb.city["name"])
    found = re.search(
        rf"^(?:is|was)\s+(?:the city of\s+)?{city_name}(?:\s+city)?\s+(?:(?:located|situated)\s+)?"
        r"(?:in|within|part of)\s+((?:the\s+)?[\w'-]+(?:\s+[\w'-]+){0,3}?)\s*(?:province)?\s*\??$",
        question.text.strip(),
        flags=re.I,
    ) or re.search(
        # "Shaquan is in Gansu, right?"
        rf"^(?:{city_name}|it)(?:\s+city)?\s+is\s+(?:(?:located|situated)\s+)?(?:in|within|part of)\s+"
        rf"((?:the\s+)?[\w'-]+(?:\s+[\w'-]+){{0,3}}?)\s*(?:province)?\s*{_TAG_QUESTION.pattern}",
        question.text.strip(),
        flags=re.I,
    )
    if not found:
        return None
    place = found.group(1)
    city = kb.city
    province = city.get("province", {}).get("value", "")
    region = city.get("region", {}).get("value", "")
    sources = _province_sources(kb)
    if province:
        where = _in_province(kb)
    else:
        # No province named ("an oasis town in eastern Xinjiang"): the sentence saying where.
        where = where_sentence(kb)
        sources = [where]
    named = words(place)
    said = [province, region] if province else [where]
    if any(contains_phrase(words(name), [w for w in named if w != "the"]) for name in said if name):
        return _answer(question, "verdict", {"verdict": "Yes", "sentence": where}, sources)
    neighbour = next((n for n in city.get("neighbours", []) if words(n["name"]) == named), None)
    if neighbour:
        sentence = f"{where[:-1]}, neighbouring {neighbour['name']} on the {neighbour['direction']}."
        return _answer(question, "verdict", {"verdict": "No", "sentence": sentence}, sources)
    named_as_name = re.match(r"(?:the\s+)?[A-Z]", place) or not any(english_word(w) for w in named)
    if province and re.search(rf"\b{re.escape(place)}\s+province\b", " ".join(kb.data["sentences"]), re.I):
        # "Is it in Gansu?" when the document says "Gansu province" of another place
        return _answer(question, "verdict", {"verdict": "No", "sentence": where}, sources)
    beside = _beside_the_city(kb, place)
    if beside:
        # "Is it in Inner Mongolia?" when "the plains of Inner Mongolia ... to the north"
        shown = where if where and place.lower() not in where.lower() else beside
        return _answer(question, "verdict", {"verdict": "No", "sentence": shown}, sources)
    if kb.mentions_place(place) or not named_as_name:
        return None  # "Is Jinchang in China?": the document says more than its province
    if province and re.search(r"\bprovince\b", question.text, re.I):
        # "Is it in Sichuan province?": a city is in one province.
        return _answer(question, "verdict", {"verdict": "No", "sentence": where}, sources)
    return _answer(
        question, "where_instead", {"sentence": where, "place": place.removeprefix("the ").title()}, sources
    )


def _beside_the_city(kb: KnowledgeBase, place: str) -> str:
    """The sentence that puts a place to one side of the city ("... the gravel plains of
    Inner Mongolia's Alxa League to the north"), or ""."""
    side = re.compile(
        rf"\b{re.escape(place)}\b[^,.;]{{0,40}}?\bto the (?:north|south|east|west)(?:north|south|east|west)?\b",
        re.I,
    )
    return next((s for s in kb.data["sentences"] if side.search(s)), "")


_OF_NAME = re.compile(r"\b(?:of|in)\s+([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)")
# Typed in lower case ("the population of nanchang"): a word that is no English word.
_OF_WORD = re.compile(r"\b(?:of|in)\s+([a-z]+)\b")


@lru_cache(maxsize=4)
def _names_written(kb: KnowledgeBase) -> FrozenSet[str]:
    """The capitalised words of the document ("Nanchang"), read once per knowledge base."""
    return frozenset(re.findall(r"\b[A-Z][a-z]+\b", " ".join(kb.data["sentences"])))


def _other_name(kb: KnowledgeBase, text: str) -> Optional[str]:
    """A name a figure is asked of ("the population of Hami") that is not the city's."""
    named = [f.group(1) for f in _OF_NAME.finditer(text)]
    named += [
        f.group(1).title()
        for f in _OF_WORD.finditer(text)
        if not english_word(f.group(1))
        and f.group(1) not in STOPWORDS
        and f.group(1) not in QUESTION_WORDS
        # a name the document writes as one ("Nanchang"), not a word ("hours of sunshine")
        and f.group(1).title() in _names_written(kb)
    ]
    for name in named:
        if kb.mentions_place(name) and not kb.mentions_city(name) and kb.find_attraction(name) is None:
            return name  # a place the document names; one it never names is "elsewhere"
    return None


# "..., right?", "isn't it?": a statement asked to be confirmed.
_TAG_QUESTION = re.compile(
    r"(?:,\s*|\s)(?:right|correct|true|yes|no|isn'?t it|is(?:n'?t| not) that so)\s*\??\s*$", re.I
)


def _judge_elsewhere(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """ "Jinchang is in Qinghai province, right?" when the document never names Qinghai: a
    city is in one province, so no, with the one it is in."""
    province = kb.city.get("province", {}).get("value", "")
    place = question.elsewhere
    if not place or not province or question.subject_kind != SUBJECT_CITY:
        return None
    asked = question.yes_no or _TAG_QUESTION.search(question.text)
    stated = re.search(rf"\bin\s+{re.escape(place)}(?:\s+province)?\b", question.text, re.I)
    if not (asked and stated and re.search(r"\bprovince\b", question.text, re.I)):
        return None
    return _answer(
        question, "verdict", {"verdict": "No", "sentence": _in_province(kb)}, _province_sources(kb)
    )


def _in_province(kb: KnowledgeBase) -> str:
    """ "Jinchang is in Gansu province, in the eastern part of the Hexi Corridor." """
    city = kb.city
    region = f", in {city['region']['text']}" if city.get("region") else ""
    return f"{city['name']} is in {city['province']['value']} province{region}."


def _province_sources(kb: KnowledgeBase) -> List[str]:
    return [kb.city[k]["source"] for k in ("province", "region") if k in kb.city]


def where_sentence(kb: KnowledgeBase) -> str:
    """The city's first sentence that says where it is (else its first sentence naming it,
    else its first): what to say of its location when no province or region was found."""
    own = [kb.data["sentences"][i] for i in kb.city_sentences()]
    naming = [s for s in own if kb.city["name"] in s] or own
    placed = [s for s in naming if gives(s, "location") or re.search(r"\b(?:in|of) (?:\w+ )?[A-Z]\w+", s)]
    return (placed or naming or [""])[0]


def _judge_honour(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """ "Was Jinchang named a National Civilized City in 2013?": title, then year."""
    if question.subject_kind != SUBJECT_CITY or not _HONOUR_WORDS.search(normalise(question.text)):
        return None
    honour = kb.find_honour(_YEAR.sub(" ", question.text))
    if honour is None:
        return None
    sentence = honour["source"]
    years = _YEAR.findall(question.text)
    asked_body = re.search(r"\bby\s+(?:the\s+)?(.+?)(?:\s+in\s+\d{4})?\s*\??$", question.text) or re.search(
        r"^(?:did|has|have)\s+(?:the\s+)?(.+?)\s+(?:name|award|give|grant|select|list|honou?r)\b",
        question.text,
        re.I,
    )
    if asked_body and honour.get("body"):
        asked = set(lemmas(asked_body.group(1))) - _GENERIC_BODY_WORDS
        if asked and not asked & set(lemmas(honour["body"] + " " + honour.get("report", ""))):
            return _answer(question, "verdict", {"verdict": "No", "sentence": sentence}, [sentence])
    if years and honour.get("year") and str(honour["year"]) not in years:
        return _answer(
            question, "verdict", {"verdict": f"Not in {years[0]}", "sentence": sentence}, [sentence]
        )
    return _answer(question, "verdict", {"verdict": "Yes", "sentence": sentence}, [sentence])


# Words of an awarding body's name that tell no body from another.
_GENERIC_BODY_WORDS = frozenset(
    lemmas("ministry national state chinese china government office department of the")
)


def _judge_claim(kb: KnowledgeBase, question: Question) -> Optional[Answer]:
    """Yes when one sentence about the subject holds every word of the claim, no when it
    holds an opposite ("artificial" for "natural") and the rest, else the document
    doesn't say (about the city: only when most of the claim is foreign to it)."""
    claim = list(question.claim)
    if not claim:
        return None
    names = _names(question.subject, question.attraction)
    told = [(sentence, lemmas(_strip(sentence, names))) for sentence in evidence(kb, question)]
    for sentence, said in told:
        denied = [w for w in claim if not _holds(said, w) and any(_holds(said, o) for o in opposites(w))]
        if denied and all(_holds(said, w) for w in claim if w not in denied):
            shown = {"verdict": "No", "sentence": _shown(sentence, question)}
            return _answer(question, "verdict", shown, [sentence])
    for sentence, said in told:
        if all(_holds(said, w) for w in claim):
            shown = {"verdict": "Yes", "sentence": _shown(sentence, question)}
            return _answer(question, "verdict", shown, [sentence])
    best = max((sum(_holds(said, w) for w in claim) for _, said in told), default=0)
    vocabulary = _document_lemmas(kb)
    # A thing the document never names ("copper") settles it; a verb ("connected") does not.
    foreign = [
        w
        for w, said in zip(claim, _said_words(question))
        if w not in vocabulary
        and len(w) >= 5  # "old", "big": a manner of speaking more than a thing
        and not re.search(r"(?:ed|ing)$", said)
        and not any(similar(w, v) for v in vocabulary)
    ]
    if question.subject_kind == SUBJECT_CITY and best * 2 >= len(claim) and not foreign:
        return None  # most of the claim is in the document: the actions' answer shows it
    missing = [w for w in claim if not any(_holds(said, w) for _, said in told)]
    values = {
        "subject": question.subject,
        "missing": ", ".join(missing or claim),
        "known": _known(kb, question),
    }
    return _answer(question, "claim_unknown", values, [values["known"]])


def _written_apart(kb: KnowledgeBase, text: str) -> str:
    """The question with a word the document writes as two ("timezone" for its "Time zone",
    "postcode" for "Post code") written as the document writes it."""
    pairs = _document_pairs(kb)

    def apart(found: "re.Match[str]") -> str:
        word = found.group(0).lower()
        for at in range(3, len(word) - 2):
            if (word[:at], word[at:]) in pairs:
                return f"{word[:at]} {word[at:]}"
        return found.group(0)

    vocabulary = _document_lemmas(kb)
    return re.sub(
        r"[A-Za-z]{6,}", lambda m: m.group(0) if lemma(m.group(0).lower()) in vocabulary else apart(m), text
    )


@lru_cache(maxsize=4)
def _document_pairs(kb: KnowledgeBase) -> FrozenSet[Tuple[str, str]]:
    """Every two words the document writes one after the other."""
    return frozenset(
        pair
        for s in kb.data["sentences"] + kb.sections
        for said in [words(s)]
        for pair in zip(said, said[1:])
    )


@lru_cache(maxsize=4)
def _document_lemmas(kb: KnowledgeBase) -> FrozenSet[str]:
    """Every lemma of the document, with the months its ranges cover (a knowledge base
    lives as long as the process)."""
    months = [m for s in kb.data["sentences"] for m in months_said(s)]
    return frozenset(lemmas(" ".join(kb.data["sentences"] + kb.sections + kb.owners + months)))


def _holds(said: Sequence[str], word: str) -> bool:
    """True when lemmas `said` hold the word, written the same or a typo apart (a typo
    keeps the first letter: "western" is no typo of "eastern")."""
    return any(same_word(s, word) or (s[:1] == word[:1] and similar(s, word)) for s in said)


def _said_words(question: Question) -> List[str]:
    """The claim's words as the visitor wrote them, aligned with `question.claim`."""
    written = {}
    for word in words(question.text):
        written.setdefault(lemma(word), word)
    return [written.get(w, w) for w in question.claim]


def _known(kb: KnowledgeBase, question: Question) -> str:
    """What the document says of the subject, offered instead of an answer."""
    if question.attraction is not None:
        return question.attraction.get("summary") or question.attraction["name"]
    nickname = kb.city.get("nickname")
    if question.subject_kind == SUBJECT_CITY and nickname:
        return nickname["source"]
    sentences = evidence(kb, question)
    return sentences[0] if sentences else ""


def _shown(sentence: str, question: Question) -> str:
    """A sentence as a reply: a description from a list gets its attraction's name."""
    if question.attraction is not None and question.subject.lower() not in sentence.lower():
        return f"{question.subject}: {sentence}"
    return sentence


# --- helpers ---------------------------------------------------------------------------


def _answer(question: Question, reply: str, values: Dict[str, Any], sources: List[str]) -> Answer:
    return Answer(reply, values, tuple(s for s in sources if s), question.subject, question.subject_kind)


def as_asked(kb: KnowledgeBase, question: Question) -> Question:
    """The question as the document can answer it: the county or province a place is in
    ("which county is Taoxia part of?") when a sentence names it, else where it is ("in
    western Yunnan"), as any question of where; the city's province, when the document
    gives it, its own reply."""
    if question.types[:1] != ("division",):
        return question
    province = (
        question.subject_kind == SUBJECT_CITY and "province" in question.lemmas and kb.city.get("province")
    )
    if not province and best_sentence(kb, question) is not None:
        return question
    return dataclasses.replace(question, types=question.types[1:])


def _asks_about_nickname(kb: KnowledgeBase, question: Question) -> bool:
    """True when a question names a word of the city's nickname ("the Nickel Capital")."""
    nickname = kb.city.get("nickname", {}).get("value", "")
    return any(w not in STOPWORDS and w in question.lemmas for w in lemmas(nickname))


def _asks_about_honours(kb: KnowledgeBase, question: Question) -> bool:
    return question.subject_kind == SUBJECT_CITY and bool(
        _HONOUR_WORDS.search(normalise(question.text)) or kb.find_honour(question.text)
    )


def _focus(question: Question, answer_type: str) -> List[str]:
    """The question's content lemmas that are neither the subject's name nor words that
    only ask for the kind of answer ("which year", "who")."""
    named = set(lemmas(question.subject)) | {"city", "town"}
    division = re.search(
        rf"\b{re.escape(question.subject)}\s+({'|'.join(ADMIN_KINDS)})\b", question.text, re.I
    )
    if division:
        named.add(division.group(1).lower())  # "how big is Yunjiao County?" asks its size, nothing more
    if question.attraction is not None:
        named |= set(lemmas(" ".join(question.attraction.get("aliases", []))))
    named |= {short for word, short in _SHORT_NAME_WORDS if word in named}  # "Mt Qingluan"
    # "the hours", "the entrance fee" of a sight: its value shows them ("09:00-17:30", "¥30");
    # the city has no hours, and a bus's times are not what it asks
    shown = answer_type in VALUE_KINDS and question.attraction is not None
    if answer_type and (shown or answer_type not in PRACTICAL):
        named |= set(lemmas(" ".join(asking_words(question.text, answer_type))))
    # "how do I get there without a car?": what is done without is not asked for
    named |= set(lemmas(" ".join(_WITHOUT.findall(question.text)))) | {"without"}
    if answer_type in ("opening hours", "frequency"):
        # "what time do the boats run?", "the last entry time": "every hour from 8:30", "(last entry 16:30)"
        named |= {"time"}
    if answer_type == "distance" and question.attraction is not None:
        # "how far is the cave from yuanxi": the town is where a sight's distance is measured
        # from, which its page says as "18 km south-west of the city"
        measured = _MEASURED_FROM.search(" ".join(words(question.text)))
        named |= set(lemmas(measured.group(0))) if measured else set()
    return [w for w in question.lemmas if w not in named]


# A name's words as visitors shorten them: "Mt Qingluan", "St Paul's".
_SHORT_NAME_WORDS = (("mount", "mt"), ("mountain", "mt"), ("mountain", "mtn"), ("saint", "st"))
_WITHOUT = re.compile(r"\b(?:without|w/o|no need for)\s+(?:a |an |the |my |our )?(\w+)", re.I)


def _names(subject: str, attraction: Optional[Entry]) -> List[str]:
    """The names of the subject, longest first, so that they are taken out of texts."""
    return sorted({subject, *(names_of(attraction) if attraction else [])}, key=len, reverse=True)


def _strip(text: str, names: Sequence[str]) -> str:
    for name in names:
        text = re.sub(re.escape(name), " ", text, flags=re.I)
    return text


def _without_names(text: str, attraction: Optional[Entry], subject: str) -> List[str]:
    """A question's lemmas once the subject's name as said is taken out ("Does the Qilian
    Leopard Head Provincial Forest Park have leopards?" keeps "leopard")."""
    return list(lemmas(_strip(text, _names(subject, attraction))))


def _summary_sentences(attraction: Entry) -> List[str]:
    summary = attraction.get("summary", "")
    return [s for s in re.split(r"(?<=[.!?])\s+", summary) if s] if not attraction.get("facts") else []


def _contains_city(kb: KnowledgeBase, place: str) -> bool:
    """True for the province or region the city is in."""
    return place in (kb.city.get("province", {}).get("value"), kb.city.get("region", {}).get("value"))
