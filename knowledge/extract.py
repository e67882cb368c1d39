"""Rule-based extraction of city facts and attractions from a city document.

The rules describe how a city guide is *written* (an area is "an area of <number>
<unit>", an honour is "In <year>, ... was named <title> by <body>"), never what
it says: every value comes out of the document, with the sentence it came from.
"""

import logging
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Tuple

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Span
from spacy.util import compile_infix_regex

logger = logging.getLogger(__name__)

# Head nouns that name a kind of attraction ("Jinshui Lake", "Liqian ancient city").
ATTRACTION_KINDS = (
    "ancient city",
    "scenic spot",
    "scenic area",
    "forest park",
    "national park",
    "park",
    "temple",
    "monastery",
    "mosque",
    "church",
    "pagoda",
    "grottoes",
    "grotto",
    "cave",
    "caves",
    "lake",
    "reservoir",
    "river",
    "wetland",
    "desert",
    "mountain",
    "valley",
    "gorge",
    "museum",
    "memorial",
    "monument",
    "tomb",
    "tombs",
    "palace",
    "castle",
    "fort",
    "fortress",
    "wall",
    "gate",
    "tower",
    "bridge",
    "square",
    "garden",
    "gardens",
    "ruins",
    "site",
    "village",
    "old town",
    "street",
)
# Nouns of administrative areas: a name before them is a place, not an attraction.
ADMIN_KINDS = ("county", "city", "district", "province", "prefecture", "town", "region")
COMPASS = ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest")
AREA_UNITS = {
    "km2": "km²",
    "km²": "km²",
    "sq km": "km²",
    "square kilometres": "km²",
    "square kilometers": "km²",
    "mi2": "mi²",
    "square miles": "mi²",
    "hectares": "ha",
}
STOPWORDS = {"the", "of", "and", "a", "an", "in", "on"}
TITLE_WORD = r"[A-Z][\w'’-]*"
# A run of capitalised words, allowing "of", "and", "the" and quotes inside it.
TITLE_RUN = rf"{TITLE_WORD}(?:\s+(?:(?:of|and|the|on|de)\s+)?[“\"]?{TITLE_WORD}[”\"]?)*"


@dataclass(frozen=True)
class Sentence:
    """One sentence of the document with its paragraph number."""

    text: str
    paragraph: int


def load_pipeline() -> Language:
    """A blank English spaCy pipeline: tokenizer, sentencizer and no trained model."""
    nlp = spacy.blank("en")
    # "9,593 km2,and" is written without a space: split a comma glued to a word.
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[\w”\"]),(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(nlp: Language, text: str) -> List[Sentence]:
    """Split a document into sentences, paragraph by paragraph, whitespace normalised."""
    sentences = []
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    for number, paragraph in enumerate(paragraphs):
        for sent in nlp(paragraph).sents:
            if sent.text.strip():
                sentences.append(Sentence(sent.text.strip(), number))
    return sentences


def _number(text: str) -> int:
    return int(re.sub(r"[,\s ]", "", text))


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:a|an|the)\s+", "", text.strip(), flags=re.I)


def _clean(text: str) -> str:
    return text.strip(" ,;.-–—").strip()


class CityExtractor:
    """Finds the city's profile facts in its sentences with spaCy matchers and phrase rules."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add(
            "AREA",
            [
                [
                    {"LOWER": "area"},
                    {"LOWER": "of"},
                    {"LIKE_NUM": True},
                    {"LOWER": {"IN": ["km2", "km²", "sq", "square", "mi2", "hectares"]}},
                    {"LOWER": {"IN": ["km", "kilometres", "kilometers", "miles"]}, "OP": "?"},
                ]
            ],
        )
        self.matcher.add(
            "POPULATION",
            [
                [
                    {"LOWER": "population"},
                    {"LOWER": "of"},
                    {"LIKE_NUM": True},
                ]
            ],
        )
        self.matcher.add("PROVINCE", [[{"IS_TITLE": True}, {"LOWER": "province"}]])

    def matches(self, sentence: Sentence) -> List[Tuple[str, Span]]:
        """The matcher hits in one sentence, as (label, span)."""
        doc = self.nlp(sentence.text)
        return [(self.nlp.vocab.strings[m], doc[s:e]) for m, s, e in self.matcher(doc)]

    def extract(self, sentences: List[Sentence]) -> Dict[str, Any]:
        """Extract the city profile: every value carries its source sentence."""
        if not sentences:
            raise ValueError("the document has no sentences")
        name_match = re.match(rf"({TITLE_WORD})\b", sentences[0].text)
        if not name_match:
            raise ValueError(f"cannot find the city's name in: {sentences[0].text!r}")
        city: Dict[str, Any] = {
            "name": name_match.group(1),
            "neighbours": [],
            "honours": [],
            "designations": [],
            "industry": [],
        }
        for sentence in sentences:
            self._profile(sentence, city)
            self._honour(sentence, city)
        return city

    def _profile(self, sentence: Sentence, city: Dict[str, Any]) -> None:
        text, source = sentence.text, sentence.text
        for label, span in self.matches(sentence):
            if label == "AREA" and "area" not in city:
                unit_text = span[3:].text.lower()
                city["area"] = {
                    "value": _number(span[2].text),
                    "text": span[2].text,
                    "unit": AREA_UNITS.get(unit_text, unit_text),
                    "source": source,
                }
            elif label == "POPULATION" and "population" not in city:
                entry = {"value": _number(span[2].text), "text": span[2].text, "source": source}
                when = re.search(
                    rf"population of {re.escape(span[2].text)}\s+((?:at the end of|in|as of)\s+(?:\w+\s+)?(\d{{4}}))",
                    text,
                )
                if when:
                    entry.update(as_of=when.group(1), year=int(when.group(2)))
                city["population"] = entry
            elif label == "PROVINCE" and "province" not in city and sentence.paragraph == 0:
                city["province"] = {"value": span[0].text, "source": source}
        region = re.search(
            rf"\b(?:lies|lie|is located|is situated|sits)\s+in\s+(the\s+[a-z\s]*?part\s+of\s+(?:the\s+)?({TITLE_RUN}))",
            text,
        )
        if region and "region" not in city:
            city["region"] = {"value": region.group(2), "text": region.group(1), "source": source}
        for match in re.finditer(
            rf"\b(?:neighbou?ring|bordering|borders|adjoining|next to)\s+({TITLE_RUN})\s+(?:on|to)\s+the\s+({'|'.join(COMPASS)})\b",
            text,
        ):
            city["neighbours"].append({"name": match.group(1), "direction": match.group(2), "source": source})
        nickname = re.search(
            rf"\b(?:honou?red as|known as|called|dubbed)\s+(?:the\s+)?[“\"]?({TITLE_RUN})[”\"]?(?:\s+(?:as|because|since)\s+(.+?))?\.?$",
            text,
        )
        if nickname and "nickname" not in city:
            reason = re.sub(r"^(?:it['’]s|it is)\s+", "", nickname.group(2) or "")
            city["nickname"] = {"value": nickname.group(1), "reason": _clean(reason), "source": source}
            city["industry"] = [
                {"value": _clean(part), "source": source}
                for part in re.split(r",\s*|\s+and\s+(?=one of|an?\s|the\s)", _clean(reason))
                if _clean(part)
            ]
        resources = re.search(
            r"\b(?:boasts|has|is rich in)\s+(?:rich|abundant|plentiful)\s+([a-z\s]+?)(?:\s+and\b|,|\.)", text
        )
        if resources and "resources" not in city:
            city["resources"] = {"value": resources.group(1).strip(), "source": source}
        designation = re.search(r"\bis\s+(one of the (?:first|leading)\s+[^.]*?(?:cities|city)\b[^.]*)", text)
        if designation:
            city["designations"].append({"title": _clean(designation.group(1)), "source": source})
        slogan = re.search(
            r"^(?:(?P<tagline>[^“\"]+?),?\s*)?[“\"](?P<slogan>[^”\"]+)[”\"]\s+is\s+its\s+(?:new\s+)?(?:urban\s+)?(?:business card|slogan|motto|brand)",
            text,
        )
        if slogan and "slogan" not in city:
            city["slogan"] = {
                "value": slogan.group("slogan"),
                "tagline": _clean(slogan.group("tagline") or ""),
                "source": source,
            }
        tourism = re.search(r"\bis an?\s+((?:new\s+)?tourism destination[^,]*?)(?:\s+due to|,|\.)", text)
        if tourism and "tourism" not in city:
            city["tourism"] = {"value": tourism.group(1).strip(), "source": source}

    def _honour(self, sentence: Sentence, city: Dict[str, Any]) -> None:
        text = sentence.text
        match = re.match(
            r"^In (\d{4}),\s+.*?\bwas\s+(?:named|selected as|listed among|awarded|granted|honou?red as|recognized as|recognised as|rated)\s+(.+)$",
            text,
        )
        if not match:
            return
        year, rest = int(match.group(1)), match.group(2)
        body = re.search(rf"\bby\s+(?:the\s+)?({TITLE_RUN}(?:-{TITLE_WORD})*)", rest)
        report = re.search(rf"\baccording to\s+(?:the\s+)?({TITLE_RUN})", rest)
        title_end = min([m.start() for m in (body, report) if m] + [len(rest)])
        note = ""
        if body:
            note = _clean(rest[body.end() :])
        city["honours"].append(
            {
                "title": _strip_article(_clean(rest[:title_end])),
                "year": year,
                "body": body.group(1) if body else "",
                "report": report.group(1) if report else "",
                "note": note,
                "source": text,
            }
        )


def _enumeration(sentence: Sentence) -> Optional[str]:
    match = re.search(
        r"\b(?:attractions|sights|scenic spots|places of interest|landmarks)\b[^.]*?,?\s+such as\s+(.+?)\.?$",
        sentence.text,
    )
    return match.group(1) if match else None


NAME_PATTERN = re.compile(
    rf"^(?P<lead>(?:the\s+)?(?:[a-z][\w-]*\s+)*?)(?P<name>{TITLE_RUN}(?:\s+(?:{'|'.join(ATTRACTION_KINDS)}))?)(?P<rest>.*)$"
)


def _kind(name: str) -> Optional[str]:
    lowered = name.lower()
    for kind in sorted(ATTRACTION_KINDS, key=len, reverse=True):
        if lowered.endswith(" " + kind):
            return kind
    return None


def _split_items(enumeration: str) -> List[Tuple[str, str]]:
    """Split "a, B -- aside --, C, and D" into (item, aside) pairs."""
    items: List[Tuple[str, str]] = []
    pieces = re.split(r"\s+--\s+", enumeration)
    # Even pieces are outside dashes, odd pieces are asides about the item before them.
    for index, piece in enumerate(pieces):
        if index % 2 == 1:
            if items:
                items[-1] = (items[-1][0], _clean(piece))
            continue
        for part in re.split(r",\s*(?:and\s+)?", piece):
            part = re.sub(r"^and\s+", "", part.strip())
            if part:
                items.append((part, ""))
    return items


class AttractionExtractor:
    """Finds the attractions a city document lists, with what it says about each."""

    def extract(self, sentences: List[Sentence], city_name: str) -> List[Dict[str, Any]]:
        """Every attraction in document order: name, aliases, kind, location, facts."""
        attractions: List[Dict[str, Any]] = []
        for sentence in sentences:
            enumeration = _enumeration(sentence)
            if enumeration:
                self._from_enumeration(enumeration, sentence, attractions)
        self._attach_sentences(sentences, attractions, city_name)
        for attraction in attractions:
            self._finish(attraction, sentences)
        return attractions

    def _from_enumeration(
        self, enumeration: str, sentence: Sentence, attractions: List[Dict[str, Any]]
    ) -> None:
        previous: Optional[Dict[str, Any]] = None
        for item, aside in _split_items(enumeration):
            match = NAME_PATTERN.match(item)
            kind = _kind(match.group("name")) if match else None
            lead = match.group("lead") if match else ""
            appositive = (
                kind is None
                or "so-called" in lead
                or (previous is not None and kind == previous["kind"] and lead.startswith("the "))
            )
            if appositive:
                if previous is not None:
                    previous["descriptions"].append(_clean(item))
                continue
            name = _clean(match.group("name"))
            previous = {
                "name": name,
                "article": "the" if re.match(r"^the\s+$", lead) else "",
                "epithet": _clean(re.sub(r"^the\s+", "", lead)),
                "kind": kind,
                "descriptions": [],
                "listed_in": sentence.text,
                "facts": [],
            }
            rest = _clean(match.group("rest"))
            if rest:
                previous["descriptions"].append(rest)
            if aside:
                previous["descriptions"].append(aside)
            attractions.append(previous)

    def _attach_sentences(
        self, sentences: List[Sentence], attractions: List[Dict[str, Any]], city_name: str
    ) -> None:
        """Attach every other sentence that names an attraction, and merge its other names."""
        for attraction in attractions:
            stem = attraction["name"][: -len(attraction["kind"])].strip()
            attraction["stem"] = stem
        for sentence in sentences:
            if _enumeration(sentence):
                continue
            for attraction in attractions:
                if re.search(rf"\b{re.escape(attraction['stem'])}\b", sentence.text):
                    attraction["facts"].append({"text": sentence.text, "source": sentence.text})
                    other = re.search(
                        rf"\b{re.escape(attraction['stem'])}\s+({'|'.join(ATTRACTION_KINDS)})\b",
                        sentence.text,
                    )
                    if other and sentence.text.startswith(other.group(0)):
                        # The sentence is about it by another name: prefer that name.
                        attraction["aliases_extra"] = attraction.get("aliases_extra", []) + [
                            attraction["name"]
                        ]
                        attraction["name"] = other.group(0)
                        attraction["kind"] = other.group(1)
                        attraction["epithet"] = ""

    def _finish(self, attraction: Dict[str, Any], sentences: List[Sentence]) -> None:
        name, stem = attraction["name"], attraction.pop("stem")
        aliases = [name] + attraction.pop("aliases_extra", [])
        # Other text: the document with every name of this attraction taken out.
        text = " ".join(s.text for s in sentences)
        for alias in sorted(aliases, key=len, reverse=True):
            text = text.replace(alias, " ")
        # The stem ("Jinshui") is a name unless the document uses it for a place
        # ("Yongchang county"); its first word ("Qilian", "Jinchuan museum") only when
        # the document never uses that word for anything else.
        if stem and not re.search(rf"\b{re.escape(stem)}\s+(?:{'|'.join(ADMIN_KINDS)})\b", text):
            aliases.append(stem)
        first = stem.split()[0] if stem else ""
        if first and first != stem and not re.search(rf"\b{re.escape(first)}\b", text):
            aliases += [first, f"{first} {attraction['kind']}"]
        attraction["aliases"] = list(dict.fromkeys(aliases))
        location = None
        for fact in attraction["facts"]:
            found = re.search(r"\blocated\s+((?:in|on|at|near)\s+[^,.]+)", fact["text"])
            if found:
                location = {"text": found.group(1), "source": fact["source"]}
                break
        if location is None:
            for description in attraction["descriptions"]:
                found = re.search(rf"\b((?:on|at|near)\s+{TITLE_RUN})", description)
                if found:
                    location = {"text": found.group(1), "source": attraction["listed_in"]}
                    break
        attraction["location"] = location
        attraction["summary"] = _summary(attraction)
        told = re.compile(r"\b(legend|history|histor\w+|dynast\w+|founded|built|story|soldiers)\b", re.I)
        attraction["history"] = [fact for fact in attraction["facts"] if told.search(fact["text"])]
        if not attraction["history"] and any(told.search(d) for d in attraction["descriptions"]):
            attraction["history"] = [{"text": attraction["summary"], "source": attraction["listed_in"]}]


def _summary(attraction: Dict[str, Any]) -> str:
    """What the document says about an attraction, as whole sentences."""
    if attraction["facts"]:
        return " ".join(fact["text"] for fact in attraction["facts"])
    subject = f"the {attraction['name']}" if attraction["article"] else attraction["name"]
    sentences = []
    for description in attraction["descriptions"]:
        first = description.split()[0].lower()
        if first in ("the", "a", "an", "one"):
            sentences.append(f"{subject} is {description}.")
        else:
            sentences.append(f"{subject} is a {attraction['kind']} {description}.")
        subject = "It"
    return " ".join(s[0].upper() + s[1:] for s in sentences)


def unique_kinds(attractions: Iterable[Dict[str, Any]]) -> Dict[str, str]:
    """Kinds held by exactly one attraction, so "the lake" can only mean one place."""
    counts: Dict[str, List[str]] = {}
    for attraction in attractions:
        for alias in attraction["aliases"]:
            kind = _kind(alias)
            if kind:
                counts.setdefault(kind, [])
                if attraction["name"] not in counts[kind]:
                    counts[kind].append(attraction["name"])
    return {kind: names[0] for kind, names in counts.items() if len(names) == 1}
