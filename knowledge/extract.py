"""Rule-based extraction of city facts and attractions from a city document.

The rules describe how a city guide is *written* (an area is "an area of <number>
<unit>", an honour is "In <year>, ... was named <title> by <body>"), never what
it says: every value comes out of the document, with the sentence it came from.
"""

import itertools
import logging
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Span
from spacy.util import compile_infix_regex

from knowledge.kinds import ADMIN_KINDS, ATTRACTION_KINDS, attraction_kind
from knowledge.language import CALENDAR_WORDS, ITINERARY_TIME, english_word
from knowledge.read import (
    ACTIVITY_WORDS,
    BRACKETED,
    TITLES,
    Block,
    item_parts,
    plain,
    practical_section,
    without_activity,
    without_article,
)
from knowledge.text import STOPWORDS, words

logger = logging.getLogger(__name__)

COMPASS = ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest")
# A side of a place: "the north of", "the south-western".
COMPASS_SIDE = r"(?:north|south|east|west|central)(?:[- ]?(?:east|west))?(?:ern)?"
AREA_UNITS = {
    "km2": "km²",
    "km²": "km²",
    "sq km": "km²",
    "sq. km": "km²",
    "square kilometres": "km²",
    "square kilometers": "km²",
    "mi2": "mi²",
    "mi²": "mi²",
    "sq mi": "mi²",
    "square miles": "mi²",
    "hectares": "ha",
    "ha": "ha",
}
# A figure as documents write it: "9,593", "0.46 million", "about 458,200".
QUANTITY = r"(?P<qualifier>(?:about|around|some|nearly|almost|over|roughly|approximately|more than|less than|under|approx\.?|ca\.|circa)\s+|~\s*)?(?P<number>\d+(?:,\d{3})*(?:\.\d+)?(?:\s+(?:million|thousand))?)"
UNIT = r"(?P<unit>km2|km²|sq\.? km|square kilomet(?:re|er)s|mi2|mi²|sq mi|square miles|hectares|ha)\b"
AREA_PHRASES = (
    rf"\b(?:area of|area is|area was|covers|covering|covered|spans|spanning|extends over|measures)\s+(?:an area of\s+)?{QUANTITY}\s*{UNIT}",
    rf"{QUANTITY}\s*{UNIT}\s+in (?:total )?area",
    # "The total area of the city is 5,862 square kilometers"
    rf"\barea of (?:the )?(?:city|town|county|prefecture|municipality|region|district)\s+(?:is|was)\s+{QUANTITY}\s*{UNIT}",
)
PEOPLE = r"(?:people|residents|inhabitants|citizens|persons)"
# A share is no headcount: "the urbanization rate of the population reached 59.82%".
NOT_SHARE = r"(?!\d|[.,]\d|\s*(?:%|per ?cent))"
POPULATION_PHRASES = (
    rf"\bpopulation\s+(?:of|was|is|stood at|reached|totall?ed|numbered|had grown to|of about)\s+{QUANTITY}{NOT_SHARE}",
    # "the permanent resident population of the whole city was 1,563,217 persons"
    rf"\bpopulation of (?:the )?(?:whole |entire )?(?:city|town|county|prefecture|municipality)\s+"
    rf"(?:is|was|stood at|reached)\s+{QUANTITY}{NOT_SHARE}",
    rf"\(population:?\s+{QUANTITY}",  # "a tidy town (population 464,050 at the 2010 census)"
    rf"\b(?:city|town|county|prefecture|municipality) of\s+{QUANTITY}\s+{PEOPLE}",  # "a city of about 1.6 million people"
    rf"\bhome to\s+{QUANTITY}\s+{PEOPLE}",
    rf"\b(?:has|had|have)\s+{QUANTITY}\s+{PEOPLE}",
    rf"{QUANTITY}\s+{PEOPLE}\s+(?:live|lived|living)\b",
)
WHEN = r"(?P<as_of>(?:at the end of|at the start of|in|as of|by|since|according to the|at the)\s+(?:(?:the\s+)?(?:end|start|census|year)\s+(?:of\s+)?)?(?P<year>\d{4})(?:\s+census)?)"
# Verbs that confer an honour on a city: "was named", "was awarded the title of".
HONOUR_VERB = (
    r"\b(?:was|were|has been|had been|is)\s+(?:named|selected as|listed among|listed as|awarded(?: the title of)?"
    r"|granted(?: the title of)?|honou?red as|recogni[sz]ed as|rated(?: as)?|designated(?: as)?|declared|chosen as|crowned)"
    r"|\b(?:became|won(?: the title of)?|received(?: the title of)?)"
)

# English words that open many names and tell none apart ("Old Beacon Tower", "Red Willow").
GENERAL_NAME_WORDS = frozenset(
    "old new great big little upper lower grand royal holy ancient first second red white black green blue "
    "yellow golden silver east west north south central national provincial city town".split()
)
# Capitalised words that open a sentence without naming anything.
SENTENCE_OPENERS = frozenset(
    "The Its It It's It’s In At By As This According Today Since Its Now With Those These There Here When While"
    " Most Many Some If Unless Once After Before Because Although Though But And Or So Yet For".split()
)
TITLE_WORD = r"[A-Z][\w'’-]*"
# A run of capitalised words, allowing "of", "and", "the" and quotes inside it.
TITLE_RUN = rf"{TITLE_WORD}(?:\s+(?:(?:of|and|the|on|de)\s+)?[“\"]?{TITLE_WORD}[”\"]?)*"


@dataclass(frozen=True)
class Sentence:
    """One sentence of the document: its paragraph, its section heading and, for a
    `Key: value` line or a bullet under a named place, the place it is about."""

    text: str
    paragraph: int
    section: str = ""
    owner: str = ""
    key: str = ""
    value: str = ""
    item: bool = False  # a bullet of its own (not a `Key: value` one)
    cells: Tuple[Tuple[str, str], ...] = ()  # a table row's cells by column


def load_pipeline() -> Language:
    """A blank English spaCy pipeline: tokenizer, sentencizer and no trained model."""
    nlp = spacy.blank("en")
    # "9,593 km2,and" is written without a space: split a comma glued to a word.
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[\w”\"]),(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(nlp: Language, blocks: List[Block]) -> List[Sentence]:
    """The sentences of a page's blocks (`knowledge.read.read`), in order: prose split by
    spaCy, a fact or a bullet one sentence each."""
    return [sentence for block in blocks for sentence in _sentences(nlp, block)]


def _sentences(nlp: Language, block: Block) -> List[Sentence]:
    if block.kind == "heading":
        return []
    if block.kind in ("fact", "item"):
        text = plain(block.text) if block.kind == "item" else block.text
        return [
            Sentence(
                text,
                block.paragraph,
                block.section,
                block.owner,
                block.key,
                block.value,
                block.kind == "item",
                block.cells,
            )
        ]
    said = _join_abbreviations([sent.text.strip() for sent in nlp(block.text).sents if sent.text.strip()])
    if block.owner:
        # A listing's fragments ("08:30-18:00.", "Free.", "¥30.") go with the sentence before
        # them: alone, the same "Free." of two places would be one sentence of the page.
        joined: List[str] = []
        for text in said:
            if joined and len(text.split()) <= 3:
                joined[-1] = f"{joined[-1]} {text}"
            else:
                joined.append(text)
        said = joined
    return [Sentence(text, block.paragraph, block.section, block.owner) for text in said]


# A sentence the splitter ended at an abbreviation: "opposite No." + "2 Middle School".
_TITLE_ABBREVIATION = re.compile(rf"\b(?:{TITLES})\.$|\b(?:lit|cf)\.\s*['\"‘“]?$")  # "(lit. 'sand spring')"
_ABBREVIATION = re.compile(r"\b(?:Rd|St|Ave|Blvd|approx|ca|vs|e\.g|i\.e|incl|pop)\.$", re.I)
# ... and one before a figure: "max." + "2 free children per adult", "pop. approx." + "312,000".
_BEFORE_FIGURE = re.compile(r"\b(?:approx|ca|max|pop|avg)\.$", re.I)


def _join_abbreviations(said: List[str]) -> List[str]:
    """Sentences glued back where the splitter took an abbreviation's full stop for an end:
    always after a title ("No.", "Mt.") or "lit.", after "Rd." or "approx." (or an aside's "!)") only
    when the next one starts in lower case ("Xinhua Rd. 09:30-21:30." is an address, then
    the hours), after "approx." or "max." when it starts with a figure ("max. 2 per adult")."""
    joined: List[str] = []
    for text in said:
        if joined and joined[-1][-1] in "(（“":
            # "after a fire. (" + "Wu Jiahui)": an opening bracket belongs to what it opens
            joined[-1], text = joined[-1][:-1].rstrip(), f"{joined[-1][-1]}{text}"
        if joined and (
            _TITLE_ABBREVIATION.search(joined[-1])
            # "... Bus Station (NOT the train station!)" + "every 40 min from 7:00, ¥25"
            or (_ABBREVIATION.search(joined[-1]) or re.search(r"[!?][)）]$", joined[-1]))
            and re.match(r"[a-z]", text)
            or _BEFORE_FIGURE.search(joined[-1])
            and re.match(r"[\d~]", text)
        ):
            joined[-1] = f"{joined[-1]} {text}"
        else:
            joined.append(text)
    return joined


def _clean(text: str) -> str:
    return text.strip(" ,;.-–—").strip()


class CityExtractor:
    """Finds the city's profile facts in its sentences with spaCy matchers and phrase rules."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("PROVINCE", [[{"IS_TITLE": True}, {"LOWER": "province"}]])

    def matches(self, sentence: Sentence) -> List[Tuple[str, Span]]:
        """The matcher hits in one sentence, as (label, span)."""
        doc = self.nlp(sentence.text)
        return [(self.nlp.vocab.strings[m], doc[s:e]) for m, s, e in self.matcher(doc)]

    def extract(self, sentences: List[Sentence], title: str = "") -> Dict[str, Any]:
        """Extract the city profile: every value carries its source sentence."""
        if not sentences:
            raise ValueError("the document has no sentences")
        city: Dict[str, Any] = {
            "name": city_name(sentences, title),
            "neighbours": [],
            "honours": [],
            "designations": [],
            "industry": [],
        }
        # The lead: the first paragraph of prose (a page may open with its title and a tagline).
        lead = next(
            (
                s.paragraph
                for s in sentences
                if not s.key and len(s.text.split()) > 8 and s.text[-1:] in ".!?"
            ),
            0,
        )
        for sentence in sentences:
            self._profile(sentence, city, lead)
            self._honour(sentence, city)
        return city

    def _profile(self, sentence: Sentence, city: Dict[str, Any], lead: int) -> None:
        text, source = sentence.text, sentence.text
        if sentence.key:
            if not sentence.owner:
                self._fact(sentence, city)
            return
        for label, span in self.matches(sentence):
            opens = text.startswith(city["name"])  # "Langyun (朗云), a city of ... in Guizhou province"
            if label == "PROVINCE" and "province" not in city and (sentence.paragraph <= lead or opens):
                city["province"] = {"value": span[0].text, "source": source}
        if "area" not in city:
            found = _first_match(AREA_PHRASES, text, city["name"])
            if found:
                unit = found.group("unit").lower()
                city["area"] = {**_quantity(found), "unit": AREA_UNITS.get(unit, unit), "source": source}
        if "population" not in city:
            found = _first_match(POPULATION_PHRASES, text, city["name"])
            if found:
                city["population"] = {**_quantity(found), **_as_of(text, found.end()), "source": source}
        region = re.search(
            rf"\b(?:lies|lie|is located|is situated|sits|city|people)\s+in\s+"
            # "the eastern part of the Hexi (Gansu) Corridor", "the north of Anhui Province",
            # "the Hexi Corridor of Gansu"
            # ... "a river town of 68,000 people in the hills of western Hunan"
            # ... "in southwestern Anhui Province"
            rf"((?:the\s+|(?={COMPASS_SIDE}\s+[A-Z]\w+\s+Province\b))(?:(?:[a-z\s]*?part|{COMPASS_SIDE}|[a-z]+)\s+of\s+(?:the\s+)?)?"
            rf"(?:{COMPASS_SIDE}\s+)?"
            rf"({TITLE_RUN}(?:\s+\([^)]*\)\s+{TITLE_RUN})?))",
            text,
        )
        if region and "region" not in city:
            side = re.match(
                rf"(the\s+{COMPASS_SIDE})\s+of\s+(?:the\s+)?(.+?)(\s+Province)?$", region.group(1)
            )
            if side and not (side.group(3) or re.match(r"\s+province\b", text[region.end() :])):
                side = None  # "the north of the Loess Plateau": a region, not a side of the province
            province = re.match(r"\s+province\b", text[region.end() :], re.I)
            if side:
                # "in the north of Anhui Province": the province, and "the north" of it
                city["region"] = {"value": side.group(2), "text": side.group(1), "source": source}
            elif province and region.group(1) != region.group(2):
                pass  # "in the hills of north-eastern Jiangxi province": the province says it
            else:
                city["region"] = {"value": region.group(2), "text": region.group(1), "source": source}
        trigger = re.search(
            r"\b(?:neighbou?ring|bordering|borders|bordered by|adjoining|adjoins|next to)\s+", text
        )
        if trigger:
            # "bordering Wuwei to the east and Zhangye to the west"; "bordered by Wuwei to the
            # east, by Zhangye to the west, and by the Alxa League of Inner Mongolia to the north"
            for match in re.finditer(
                rf"(?:^|,\s+|\band\s+)(?:by\s+)?(?:the\s+)?({TITLE_RUN}(?:\s+of\s+the\s+{TITLE_RUN})?)"
                rf"(?:\s+in\s+{TITLE_RUN}\s+province)?\s+(?:on|to)\s+the\s+{DIRECTION}",
                text[trigger.end() :],
            ):
                city["neighbours"].append(
                    {"name": match.group(1), "direction": _direction(match), "source": source}
                )
        elif not city["neighbours"] and not sentence.owner:
            # "Wuwei is about 75 km to the east and Zhangye 170 km to the west": the places
            # around the city, each with its side
            for match in re.finditer(
                rf"(?:^|,\s+|\band\s+)({TITLE_RUN})\s+(?:is|lies\s+)?\s*(?:about\s+|around\s+|some\s+)?"
                rf"\d[\d,.]*\s*(?:km|kilomet(?:re|er)s|miles)\s+(?:away\s+)?to\s+the\s+{DIRECTION}",
                text,
            ):
                if match.group(1) not in SENTENCE_OPENERS and match.group(1) != city["name"]:
                    city["neighbours"].append(
                        {"name": match.group(1), "direction": _direction(match), "source": source}
                    )
        nickname = re.search(
            # "known all over China as the "Nickel Capital" (镍都)"
            rf"\b(?i:honou?red as|known(?:\s+(?:all\s+)?(?:over|across|throughout|in|around)\s+(?:the\s+)?\w+)?\s+as"
            rf"|called|dubbed|enjoys the (?:reputation|title) of)\s+(?:the\s+)?[“\"]?({TITLE_RUN}(?:\s+in\s+{TITLE_RUN})?)[”\"]?"
            rf"(?:\s*\([^)]*\))?"
            # "... as it's the largest base"; "Known as the Red Date Capital, it is home to ..."
            # ... or a clause after a semicolon: "; the Jinchuan Group is the largest producer"
            # ... or a second name: 'and "Ancient Garrison on the Great Wall"'
            rf"(?:\s+(?:as|because|since)\s+(.+?)|,\s+((?:it|the city)\s.+?)|;\s+(.+?)|\s+and\s+[“\"][^”\"]+[”\"])?\.?$",
            text,
        )
        if nickname and "nickname" not in city:
            said = nickname.group(2) or nickname.group(3) or nickname.group(4) or ""
            reason = re.sub(r"^(?:it['’]s|it is)\s+", "", said)
            value = nickname.group(1).strip('"“”')
            city["nickname"] = {"value": value, "reason": _clean(reason), "source": source}
            if nickname.group(4):
                city["nickname"]["clause"] = True  # a reason said in a clause of its own
            city["industry"] = [
                {"value": _clean(part), "source": source}
                for part in re.split(r",\s+|\s+and\s+(?=one of|an?\s|the\s)", _clean(reason))
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

    def _fact(self, sentence: Sentence, city: Dict[str, Any]) -> None:
        """A `Key: value` line of the page's facts: "Population: about 23,000", "Area: 412 sq km",
        "Province: Gansu"."""
        key, value, source = sentence.key.lower(), sentence.value, sentence.text
        figure = re.match(rf"^{QUANTITY}", value.strip(), flags=re.I)
        if (
            re.search(r"\bpopulation\b|\binhabitants\b|\bresidents\b", key)
            and figure
            and "population" not in city
        ):
            city["population"] = {**_quantity(figure), **_as_of(value, figure.end()), "source": source}
        area = re.match(rf"^{QUANTITY}\s*{UNIT}", value.strip(), flags=re.I)
        if re.search(r"\barea\b|\bsize\b|\bsurface\b", key) and area and "area" not in city:
            unit = area.group("unit").lower()
            city["area"] = {**_quantity(area), "unit": AREA_UNITS.get(unit, unit), "source": source}
        if re.search(r"\bneighbou?r|\bborder", key) and not city["neighbours"]:
            # "Neighbours: Hunan province (west), Luoxi (north)"
            for match in re.finditer(rf"({TITLE_RUN})(?:\s+province)?\s*\({DIRECTION}\)", value):
                city["neighbours"].append(
                    {"name": match.group(1), "direction": _direction(match), "source": source}
                )
        where = re.match(rf"((?:{COMPASS_SIDE}\s+)?({TITLE_RUN}))(?:,|$)", value.strip())
        if key == "location" and where and "region" not in city:
            # "Location: southwestern Yunnan Province, 560 km west of Kunming"
            city["region"] = {"value": where.group(2), "text": where.group(1), "source": source}
            # "... Province" in it, or in a later part ("northern Qaidam Basin, western Qinghai Province")
            province = re.search(rf"({TITLE_RUN})\s+Province\b", value)
            if province and "province" not in city:
                city["province"] = {"value": province.group(1), "source": source}
        if key in ("province", "autonomous region") and "province" not in city:
            city["province"] = {
                "value": re.sub(r"\s+province$", "", value.strip(" ."), flags=re.I),
                "source": source,
            }

    def _honour(self, sentence: Sentence, city: Dict[str, Any]) -> None:
        """ "In 2014, X was named T by B", "X was awarded the title of T by B in 2020",
        "In 2014, B named X T"."""
        text = sentence.text
        year = re.search(r"\b(1[0-9]{3}|20[0-9]{2})\b", text)
        if not year:
            return
        in_year = rf"\s+in\s+{year.group(1)}\b"
        said = ""
        active = re.search(
            rf"^(?:In \d{{4}},\s+)?(?:the\s+)?(?P<body>{TITLE_RUN}(?:-{TITLE_WORD})*)\s+"
            rf"(?:named|awarded|granted|selected|listed|honou?red|recogni[sz]ed|designated)\s+"
            rf"(?:{re.escape(city['name'])}(?:\s+city)?|it|the city)\s+(?:as\s+|the title of\s+)?(?P<rest>.+)$",
            text,
        )
        if active and active.group("body") != city["name"]:
            rest = active.group("rest")
            end = re.search(rf"{in_year}|,|\.$", rest)
            title, body, report, note = rest[: end.start()] if end else rest, active.group("body"), "", ""
        else:
            verb = re.search(HONOUR_VERB, text)
            if not verb or not _about_city(text[: verb.start()], city["name"]):
                return
            said = text[verb.end() :].strip()
            rest = re.sub(r"^(?:the (?:titles?|honou?rs?) of)\s+", "", said)
            if not re.match(r"(?:(?:a|an|the|one of the|among the)\s+)?[“\"]?[A-Z0-9]", rest):
                return  # "became famous": no title
            if re.match(r"[\d,.]+\s*(?:million|billion|thousand|%|yuan|visitors|tourists|people)\b", rest):
                return  # "received 28.6 million tourists": a figure, not a title
            by = re.search(rf"\bby\s+(?:the\s+)?({TITLE_RUN}(?:-{TITLE_WORD})*)", rest)
            according = re.search(rf"\baccording to\s+(?:the\s+)?({TITLE_RUN})", rest)
            title_end = min([m.start() for m in (by, according, re.search(in_year, rest)) if m] + [len(rest)])
            title = rest[:title_end]
            body = by.group(1) if by else ""
            report = according.group(1) if according else ""
            note = _clean(re.sub(rf"^\s*in\s+{year.group(1)}\b", "", rest[by.end() :])) if by else ""
        if re.match(r"the (?:titles|honou?rs) of", said):
            # "awarded the titles of National Forest City and Provincial Civilized City"
            titles = re.split(r",\s+(?:and\s+)?|\s+and\s+", _clean(title))
            for each in titles:
                entry = {"title": without_article(each), "year": int(year.group(1)), "body": body}
                city["honours"].append({**entry, "report": report, "note": note, "source": text})
            return
        city["honours"].append(
            {
                "title": without_article(_clean(title)),
                "year": int(year.group(1)),
                "body": body,
                "report": report,
                "note": note,
                "source": text,
            }
        )
        # "... a National Garden City in 2014 and a National Civilized City in 2015": the next.
        more = re.search(
            rf"{re.escape(title)}{in_year}\s*,?\s+and\s+(?:an?\s+|the\s+)?(?P<title>{TITLE_RUN})\s+in\s+(?P<year>\d{{4}})\b",
            text,
        )
        if more:
            city["honours"].append(
                {
                    "title": _clean(more.group("title")),
                    "year": int(more.group("year")),
                    "body": body,
                    "report": report,
                    "note": "",
                    "source": text,
                }
            )


# How many sentences open a page: its name is among their words.
_OPENING_SENTENCES = 5
# ... and the headings over the first sentences; a word of theirs named this many times as
# often as the first sentence's is the place.
_OPENING_HEADINGS = 20
_NAMED_MORE = 3


# A facts box's line naming the place itself: "Destination: Yunjiao County (云角县), Yunnan".
_DESTINATION = re.compile(rf"(?:Destination|Place|City|Town|County)\s*:\s*({TITLE_WORD})")


# A place glossed in Chinese as a city, county or town: "Hongyao (红窑市)", "Tarrow County
# (塔罗县)", "红窑市 Hongyao".
_GLOSSED_PLACE = re.compile(
    rf"\b({TITLE_WORD})(?:\s+(?i:city|county|town))?\s*[(（][\u4e00-\u9fff]+[市县镇][)）]"
    rf"|[\u4e00-\u9fff]+[市县镇]\s+({TITLE_WORD})"
)


def city_name(sentences: List[Sentence], title: str = "") -> str:
    """The place the document is about: the capitalised word of its title and first
    sentence that it names most often. A page pasted from a browser opens with its site's
    name, menu and breadcrumbs ("Wander Slowly", "Home Destinations Asia") or a cookie
    banner: when a word of the first few sentences and the headings over them is named
    several times as often ("3 Days in Luoxia", then Luoxia on every line), it is that. A
    facts box's "Destination: Yunjiao County" says it, under a tour operator's name, and
    so does a gloss that calls it a city ("Hongyao (红窑市)") named twice as often as the word
    chosen (a news site's dateline "银川 Yinchuan 27°C" opens the page)."""
    text = " ".join(s.text for s in sentences)
    counts: Dict[str, int] = {}

    def named(opening: Iterable[str]) -> List[str]:
        found = [
            w
            for w in re.findall(rf"\b{TITLE_WORD}", " ".join(opening))
            if w not in SENTENCE_OPENERS and w.lower() not in STOPWORDS
        ]
        # "Home > About Anqiao > City Profile": a name, not an English word, if there is one.
        candidates = [w for w in found if not english_word(w.lower())] or found
        for w in candidates:
            # a name is counted however written ("moxia" all through a transcript)
            flags = 0 if english_word(w.lower()) else re.I
            counts.setdefault(w, len(re.findall(rf"\b{re.escape(w)}\b", text, flags)))
        return sorted(candidates, key=lambda w: (-counts[w], candidates.index(w)))

    for sentence in sentences[:_OPENING_HEADINGS]:
        stated = _DESTINATION.match(sentence.text)
        if stated:  # "Destination: Yunjiao County", under a tour operator's own name
            return stated.group(1)
    chosen = _named_most(sentences, title, named, counts)
    glossed = [
        m.group(1) or m.group(2)
        for s in sentences[:_OPENING_HEADINGS]
        for m in _GLOSSED_PLACE.finditer(s.text)
    ]
    if glossed and len(re.findall(rf"\b{re.escape(glossed[0])}\b", text)) >= 2 * counts.get(chosen, 0):
        return glossed[0]
    return chosen


def _named_most(
    sentences: List[Sentence], title: str, named: Callable[[Iterable[str]], List[str]], counts: Dict[str, int]
) -> str:
    """The word of the opening that city_name takes for the place (see there)."""
    first = named([title, sentences[0].text])
    headings = dict.fromkeys(s.section for s in sentences[:_OPENING_HEADINGS])
    wider = named([title, *headings, *(s.text for s in sentences[:_OPENING_SENTENCES])])
    if first and not english_word(first[0].lower()) and counts[first[0]] * _NAMED_MORE >= counts[wider[0]]:
        return first[0]
    if wider and english_word(wider[0].lower()):
        # the opening is all the site's words ("Search in r/travelchina", "Get App", "Open
        # menu"): the first name, not an English word, of the first lines that say more
        further = named([s.text for s in sentences[: _OPENING_SENTENCES * 4]])
        if further and not english_word(further[0].lower()):
            return further[0]
    if not wider:
        raise ValueError(f"cannot find the city's name in: {sentences[0].text!r}")
    return wider[0]


# A compass direction as written: "west", "south-west", "Northeast".
DIRECTION = r"(?P<direction>(?i:(?:north|south)-?(?:east|west)|north|south|east|west))\b"


def _direction(match: "re.Match[str]") -> str:
    """The direction a DIRECTION match names, as COMPASS spells it ("south-west" -> "southwest")."""
    return match.group("direction").lower().replace("-", "")


def _first_match(patterns: Iterable[str], text: str, city_name: str) -> Optional["re.Match[str]"]:
    """The first phrase match whose sentence subject is the city (not "Kelso, a smaller city")."""
    for pattern in patterns:
        for found in re.finditer(pattern, text, flags=re.I):
            if _about_city(text[: found.start()], city_name):
                return found
    return None


def _about_city(prefix: str, city_name: str) -> bool:
    """True when the words before a fact leave the city as its subject: they name the
    city, or name nothing at all ("The city covers", "In 2019, its population was")."""
    if city_name in prefix:
        return True
    # (nor does a census or a date: "According to the Seventh National Population Census,
    # as of November 1, 2020, the population of the city was ...")
    prefix = re.sub(rf"(?:{TITLE_WORD}\s+)*Census\b", " ", prefix)
    named = re.findall(rf"\b{TITLE_WORD}", prefix)
    return all(word in SENTENCE_OPENERS or word.lower() in CALENDAR_WORDS for word in named)


# "approx. 241,000", "ca. 3,000", "~40": said as "about".
_ABBREVIATED_ABOUT = {"approx.": "about", "approx": "about", "ca.": "about", "circa": "about", "~": "about"}


def _quantity(found: "re.Match[str]") -> Dict[str, Any]:
    """The figure of a phrase match: its value, its text as written, its qualifier."""
    number = found.group("number")
    value = float(re.sub(r"[^\d.]", "", number.split()[0]))
    if number.endswith("million"):
        value *= 1_000_000
    elif number.endswith("thousand"):
        value *= 1_000
    qualifier = (found.group("qualifier") or "").strip()
    qualifier = _ABBREVIATED_ABOUT.get(qualifier.lower(), qualifier)
    return {"value": int(value), "text": f"{qualifier} {number}".strip()}


def _as_of(text: str, after: int) -> Dict[str, Any]:
    """When a figure was counted: "at the end of 2019" after it, or "In 2019," before it."""
    found = re.match(rf"\s*,?\s*{WHEN}", text[after:])
    if found:
        return {"as_of": found.group("as_of"), "year": int(found.group("year"))}
    before = re.search(r"\b(?:In|in|By|by|As of|as of)\s+(?:the\s+)?(\d{4})(\s+census)?\b", text[:after])
    if before:
        counted = "at the census of" if before.group(2) else "in"
        return {"as_of": f"{counted} {before.group(1)}", "year": int(before.group(1))}
    return {}


LISTING = r"\b(?:attractions|sights|scenic spots|places of interest|places to visit|landmarks)\b"
# A heading over a list of sights: "Top sights", "Where to go", "Things to do".
LISTING_HEADING = (
    r"\b(?:attractions?|sights?|sightseeing|scenic spots|places|landmarks|highlights|things to (?:do|see)"
    r"|what to see|where to go|must[- ]sees?)\b|^see$"
)


def _item_parts(text: str) -> Tuple[str, str]:
    """A bullet's name and what it says of it (`knowledge.read.item_parts`), "" for a name
    too long to be one."""
    name, description = item_parts(text)
    name = name.strip(" .")
    return (name, description) if len(name.split()) <= 6 else ("", "")


def _enumeration(sentence: Sentence) -> Optional[str]:
    """The list part of a sentence that lists attractions ("attractions such as A, B and C")."""
    match = (
        re.search(rf"{LISTING}[^.]*?,?\s+such as\s+(.+?)\.?$", sentence.text)
        or re.search(rf"{LISTING}\s+(?:include|includes|including|are)\s+(.+?)\.?$", sentence.text)
        # "The city is also home to the Xiaohe Grassland, a summer pasture."
        or re.search(r"^(?:The (?:city|town)|It)\s+is\s+(?:also\s+)?home to\s+(.+?)\.?$", sentence.text)
    )
    return match.group(1) if match else None


INTRODUCTION = re.compile(
    rf"^(?P<article>The\s+)?(?P<name>(?:(?:St|Mt)\.\s+)?{TITLE_RUN}(?:\s+(?:{'|'.join(ATTRACTION_KINDS)}))?)"
    rf"(?P<where>\s+(?:at|on|near)\s+{TITLE_RUN})?"
    rf"(?:,\s+(?P<appositive>(?:an?|the|one of the)\s+[^,]+),|\s+(?:is|are|was|were|stands|lies|sits|opened|dates)\b)"
)
# A paragraph that opens with a sight's name: "Golden Sand Bay (金沙湾) is a dune park".
PARAGRAPH_LEAD = re.compile(
    rf"^(?:The\s+)?(?P<name>{TITLE_RUN})(?:\s*[(（][^)）]*[)）])?"
    r"(?=,|\s+(?:is|are|was|were|has|have|had|lets|offers|stands|lies|sits|dates|opened|runs|features)\b)"
)
# The sections of a page where its sights are written as prose ("Culture and tourism").
TOURISM_HEADING = rf"{LISTING_HEADING}|\btouris|\bculture\b|\bheritage\b|\bvisit"
# A sight named inside a sentence: "the Shengrong Temple", "the Zijin Flower City ecological
# park" (a kind in lower case after a name of two words or more).
PROSE_NAME = re.compile(
    rf"\b(?P<title>(?:the\s+)?{TITLE_RUN})"
    rf"(?:\s+(?P<adjective>[a-z]+\s+)?(?P<kind>{'|'.join(sorted(ATTRACTION_KINDS, key=len, reverse=True))})\b)?"
)
# A name's Chinese name in brackets: "(飞云洞)", "(Chinese: 白杨; pinyin: Báiyáng)".
_GLOSS = re.compile(r"[(（][^)）]*[\u4e00-\u9fff][^)）]*[)）]")
# Kinds that prose names as a place on the way, not as a sight ("a temple in Yunxi Village").
NOT_SIGHTS_IN_PROSE = frozenset(
    ("village", "street", "river", "mountain", "valley", "desert", "wall", "gate", "square", "site")
)


# Verbs a guide's entry opens with, before the name of where to do it.
# What opens a sentence before the sight it is about: an itinerary's time and what was done
# then ("9:00am – ", "6:00am – hiked up "), "The".
_OPENING = rf"(?:{ITINERARY_TIME})?(?:{ACTIVITY_WORDS})?(?:[Tt]he\s+)?"


def _prose_names(text: str) -> List[str]:
    """The names in a sentence that end in a kind of sight, each once: "the Shengrong
    Temple", "Zijin Flower City ecological park" (a kind in lower case after a name of two
    words, not after an adjective: "a Ming drum tower", "a Chan Buddhist temple")."""
    names: List[str] = []
    for found in PROSE_NAME.finditer(text):
        # "On the Yellow River, ...": a sentence's opening word is no part of a name.
        title = without_article(
            re.sub(
                r"^(?i:on|in|at|by|from|near|along|across|would|could|should|is|are|was|does|do|did|can|will)\s+",
                "",
                found.group("title"),
            )
        )
        if re.match(r"(?:Its|Their|Our|My|His|Her)\s", title):
            continue  # "Its Main Hall": a part of the sight before it
        title = without_activity(title)
        if found.group("kind") and (len(title.split()) < 2 or re.search(r"(?:ist|ian|an|ese|ic)$", title)):
            continue
        if re.search(r"\b(?i:an?)\s+$", text[: found.start()]) or all(
            w.lower() in CALENDAR_WORDS or w == "and" for w in title.split()
        ):
            continue  # "a Miao Village" is one of a kind; "July and August are peak" names no sight
        name = " ".join(
            " ".join(p for p in (title, found.group("adjective"), found.group("kind")) if p).split()
        )
        # "Luoxia Museum on Wenhua Road": the name ends at its kind
        name = re.sub(rf"^(.+?\b(?i:{'|'.join(ATTRACTION_KINDS)}))\s+on\s+.+$", r"\1", name)
        # "Baihe Wetland Park and Guanyun Temple": two sights.
        parts = re.split(r"\s+and\s+", name)
        names += parts if len(parts) > 1 and attraction_kind(parts[0]) else [name]
    return list(dict.fromkeys(names))


NAME_PATTERN = re.compile(
    rf"^(?P<lead>(?:the\s+)?(?:[a-z][\w-]*\s+)*?)(?P<name>(?:(?:St|Mt)\.\s+)?{TITLE_RUN}(?:\s+(?:{'|'.join(ATTRACTION_KINDS)}))?)(?P<rest>.*)$"
)


def _split_items(enumeration: str) -> List[Tuple[str, str]]:
    """Split "a, B -- aside --, C, D Museum and E" into (item, aside) pairs."""
    items: List[Tuple[str, str]] = []
    pieces = re.split(r"\s+--\s+", enumeration)
    kinds = "|".join(ATTRACTION_KINDS)
    # Even pieces are outside dashes, odd pieces are asides about the item before them.
    for index, piece in enumerate(pieces):
        if index % 2 == 1:
            if items:
                items[-1] = (items[-1][0], _clean(piece))
            continue
        # "and" joins two items after a kind ("Museum and Shengrong Temple"), not inside
        # a name ("Science and Technology Museum").
        piece = re.sub(rf"(?i)\b({kinds})\s+and\s+", r"\1, ", piece)
        for part in re.split(r"(?<!\d),\s*(?:and\s+)?|,\s+(?:and\s+)?", piece):
            part = re.sub(r"^and\s+", "", part.strip())
            if part:
                items.append((part, ""))
    return items


def _sight(
    attractions: List[Dict[str, Any]],
    name: str,
    kind: str,
    listed_in: str,
    descriptions: Sequence[str] = (),
    facts: Sequence[Dict[str, Any]] = (),
    article: str = "",
    epithet: str = "",
) -> Dict[str, Any]:
    """The sight of this name, added to `attractions` unless it is there already: a page
    that keys a sight ("Wutang Pagoda: built in 1062") and lists it ("4A-level scenic spots
    include Wutang Pagoda, ...") names one sight, which gets what both say."""
    known = next((a for a in attractions if a["name"].lower() == name.lower()), None)
    if known is None:
        known = {
            "name": name,
            "article": article,
            "epithet": epithet,
            "kind": kind,
            "descriptions": [],
            "listed_in": listed_in,
            "facts": [],
        }
        attractions.append(known)
    known["descriptions"] += [d for d in descriptions if d not in known["descriptions"]]
    told = {f["text"] for f in known["facts"]}
    known["facts"] += [f for f in facts if f["text"] not in told]
    return known


# Words that open a heading about a place, never its name: "About the Scenic Area".
_PREPOSITIONS = frozenset("about around at in inside into near to from through beyond".split())
# Words that name an organisation, never a sight.
_ORGANISATION_WORDS = frozenset(
    "bureau committee government ministry department administration commission authority "
    "association company council agency".split()
)


class AttractionExtractor:
    """Finds the attractions a city document lists, with what it says about each."""

    def extract(self, sentences: List[Sentence], city_name: str) -> List[Dict[str, Any]]:
        """Every attraction in document order: name, aliases, kind, location, facts."""
        attractions: List[Dict[str, Any]] = []
        self._from_items(sentences, attractions)
        self._from_keys(sentences, attractions)
        self._from_paragraphs(sentences, attractions, city_name)
        self._from_headings(sentences, attractions)
        for sentence in sentences:
            enumeration = _enumeration(sentence)
            if enumeration:
                before = len(attractions)
                self._from_enumeration(enumeration, sentence, attractions)
                if len(attractions) == before + 1:
                    # "The city is home to the Xiaohe Grassland, a summer pasture at 3,000 m":
                    # a list of one sight says what it is.
                    attractions[-1]["facts"].append({"text": sentence.text, "source": sentence.text})
        for sentence in sentences:
            if not _enumeration(sentence):
                self._from_introduction(sentence, attractions, city_name)
        # A page without a section on its sights (a forum thread, a travel story): a sight
        # is a name of a kind it names more than once ("Don't miss Jinding Temple ...").
        headed = any(re.search(TOURISM_HEADING, s.section, re.I) for s in sentences)
        document = " ".join(s.text for s in sentences)
        for sentence in sentences:
            if sentence.owner:
                continue
            if re.search(TOURISM_HEADING, sentence.section, re.I):
                self._from_prose(sentence, attractions, city_name)
            elif _GLOSS.search(sentence.text):
                # "Feiyun Cave (飞云洞) runs for 7.2 km": a sight named with its Chinese name,
                # in any section (a feature article has none)
                self._from_prose(sentence, attractions, city_name, glossed=True)
            elif not headed:
                self._from_prose(sentence, attractions, city_name, repeated=document)
        # "The Management Committee of Yinping Gorge Scenic Area is responsible for ...": a body
        # that runs a place or a town is no sight
        attractions[:] = [a for a in attractions if not _ORGANISATION_WORDS & set(words(a["name"]))]
        _merge_other_names(sentences, attractions)
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
            kind = attraction_kind(match.group("name")) if match else None
            lead = match.group("lead") if match else ""
            appositive = (
                kind is None
                or "so-called" in lead
                or (
                    previous is not None
                    and kind == previous["kind"]
                    and lead.startswith("the ")
                    # "the Harbour Art Museum" is another museum; "the oldest museum" is not
                    and not re.fullmatch(TITLE_RUN, match.group("name").strip())
                )
            )
            if appositive:
                if previous is not None:
                    previous["descriptions"].append(_clean(item))
                continue
            name = _clean(match.group("name"))
            rest = _clean(match.group("rest"))
            placed = re.match(
                rf"^(.+?\b(?:{'|'.join(ATTRACTION_KINDS)}))\s+((?:on|at|in|near)\s+.+)$", name, re.I
            )
            if placed:
                # "Shengrong Temple on Wudang Mountain": the name ends at its kind.
                name, rest = placed.group(1), _clean(f"{placed.group(2)} {rest}")
                kind = attraction_kind(name)
            # (a sight keyed before, "Wutang Pagoda: built in 1062", listed again is the same one)
            previous = _sight(
                attractions,
                name,
                kind,
                sentence.text,
                descriptions=[d for d in (rest, aside) if d],
                article="the" if re.match(r"^the\s+$", lead) else "",
                epithet=_clean(re.sub(r"^the\s+", "", lead)),
            )

    def _from_items(self, sentences: List[Sentence], attractions: List[Dict[str, Any]]) -> None:
        """Sights listed as bullets: a bullet naming a place that owns the `Key: value`
        bullets under it, or any bullet naming a place under a heading of sights
        ("⭐ Top sights", "Where to go")."""
        owners = {s.owner for s in sentences if s.owner}
        for sentence in sentences:
            if not sentence.item:
                continue
            name, description = _item_parts(sentence.text)
            owned_by = name
            name = without_activity(name)
            # "Hike Cuiwei Mountain (翠微山), at 1,486 m ...": named with its Chinese name,
            # as a listing line is, outside the practicalities
            glossed = re.match(rf"{re.escape(owned_by)}\s*{_GLOSS.pattern}", sentence.text) and not (
                practical_section(sentence.section)
            )
            listed = owned_by in owners or glossed or re.search(LISTING_HEADING, sentence.section, re.I)
            if not name or not listed:
                continue
            if not re.match(r"[A-Z0-9]", name) or any(a["name"] == name for a in attractions):
                continue
            if " " not in name and english_word(name.lower()) and not attraction_kind(name):
                continue  # "**Note (June 2024):** The ferry ...", "Tip: ..."
            kind = attraction_kind(name) or name.split()[-1].lower()
            owned = [s for s in sentences if s.owner == owned_by]
            if not owned and len(description.split()) > 8:
                # A listing that says it all on its line ("Yunxi Temple (云溪寺), 6 km north.
                # Daily 7:30-17:30. ¥25. A Chan temple founded in 862."): its line is its fact.
                owned = [sentence]
            _sight(
                attractions,
                name,
                kind,
                sentence.text,
                descriptions=[description] if description else [],
                facts=[{"text": s.text, "source": s.text, "key": s.key} for s in owned],
            )

    def _from_headings(self, sentences: List[Sentence], attractions: List[Dict[str, Any]]) -> None:
        """Sights a guidebook heads an entry with ("Huilong Bridge" over what it says of the
        bridge): a heading of capitalised words that ends in a kind of sight, outside the
        practicalities (what it says under the heading is attached later)."""
        for heading, under in itertools.groupby(sentences, key=lambda s: s.section):
            said = heading.split()
            kind = attraction_kind(heading)
            if not kind or not 2 <= len(said) <= 6 or practical_section(heading):
                continue
            if (
                sum(1 for w in said if w[:1].isupper()) < len(said) - 1
                or not said[0][:1].isupper()
                or said[0].lower() in _PREPOSITIONS
            ):
                # "Getting to the Old Town", "About the Scenic Area" say something; "Wind and
                # Rain Bridge" names
                continue
            if any(a["name"] == heading for a in attractions):
                continue
            _sight(attractions, heading, kind, next(under).text)

    def _from_keys(self, sentences: List[Sentence], attractions: List[Dict[str, Any]]) -> None:
        """Sights a tourism section lists as `Key: value` lines, each keyed by its name
        ("Fayun Temple: Built in 1168 ...", "Hongyao Pass Great Wall: National 3A-level
        scenic area"): a key of capitalised words with a name among them, not "Opening Hours"."""
        for sentence in sentences:
            key = _GLOSS.sub("", sentence.key).strip()  # "Shuangyu Islet (双屿)", a table's row
            if not key or sentence.owner or not re.search(TOURISM_HEADING, sentence.section, re.I):
                continue
            said = key.split()
            if not 2 <= len(said) <= 6 or not all(w[:1].isupper() for w in said):
                continue
            if all(english_word(w.lower()) for w in said) or any(a["name"] == key for a in attractions):
                continue
            kind = attraction_kind(key) or said[-1].lower()
            # ("Anbei Ancient Garrison City" is no city of its own)
            _sight(
                attractions,
                key,
                "site" if kind in ADMIN_KINDS else kind,
                sentence.text,
                facts=[{"text": sentence.text, "source": sentence.text, "key": key}],
            )

    def _from_paragraphs(
        self, sentences: List[Sentence], attractions: List[Dict[str, Any]], city_name: str
    ) -> None:
        """Sights written as paragraphs under a heading of sights ("Top sights"): each
        paragraph opens with the sight's name ("Shuangta Temple (双塔寺) has two pagodas")
        and the rest of it ("Open daily 8:30-17:30.") is about that sight."""
        for sentence in _paragraph_openers(sentences):
            if sentence.owner or sentence.item or not re.search(LISTING_HEADING, sentence.section, re.I):
                continue
            match = PARAGRAPH_LEAD.match(sentence.text)
            if not match or sentence.text.rstrip().endswith("?"):
                continue  # an FAQ's question ("What are the main attractions?") names no sight
            name = _clean(match.group("name"))
            if name == city_name or name in SENTENCE_OPENERS or any(a["name"] == name for a in attractions):
                continue
            _sight(
                attractions,
                name,
                attraction_kind(name) or name.split()[-1].lower(),
                sentence.text,
                facts=[
                    {"text": s.text, "source": s.text} for s in sentences if s.paragraph == sentence.paragraph
                ],
                article="the" if sentence.text.startswith("The ") else "",
            )

    def _from_introduction(
        self, sentence: Sentence, attractions: List[Dict[str, Any]], city_name: str
    ) -> None:
        """An attraction introduced in a sentence of its own: "Sunset Pagoda, a Ming-era
        tower on the hill, was restored in 1998", "Heron Lake is a natural lake"."""
        match = INTRODUCTION.match(sentence.text)
        if not match:
            return
        name, appositive = (
            _clean(match.group("name")),
            match.group("appositive") or match.group("where") or "",
        )
        kind = attraction_kind(name)
        if kind is None or city_name in name or re.search(rf"\b(?:{'|'.join(ADMIN_KINDS)})$", name, re.I):
            return
        stem = name[: -len(kind)].strip()
        if stem in SENTENCE_OPENERS:
            return  # "The river flows north": no name, a river already said
        known = [a for a in attractions if a["name"] == name or (stem and stem in a["name"])]
        if known or _known_by(name, attractions, sentence.text) or not stem:
            return
        _sight(
            attractions,
            name,
            kind,
            sentence.text,
            descriptions=[_clean(appositive)] if appositive else [],
            article="the" if match.group("article") else "",
        )

    def _from_prose(
        self,
        sentence: Sentence,
        attractions: List[Dict[str, Any]],
        city_name: str,
        glossed: bool = False,
        repeated: str = "",
    ) -> None:
        """Sights an encyclopedia names inside the prose of its tourism section: "North of
        Yongchang, the Shengrong Temple was founded ...", "In the city, Jinshui Lake, the
        largest reservoir, is a park ...": a name that ends in a kind of sight. `glossed`:
        only names followed by their Chinese name ("Qianshi Miao Village (千石苗寨)"), a
        village among them."""
        for name in _prose_names(sentence.text):
            kind = attraction_kind(name)
            stem = name[: -len(kind)].strip() if kind else ""
            if glossed and not re.search(rf"{re.escape(name)}\s*{_GLOSS.pattern}", sentence.text):
                continue
            if repeated and not (
                _named_again(repeated, name, kind) or _opens_with_sight(sentence.text, name)
            ):
                continue  # named once in passing, in a page with no section of sights
            if (
                kind is None
                or kind in NOT_SIGHTS_IN_PROSE
                and not (glossed and kind == "village")
                # a story goes back to the village it went to, by its name
                and not (repeated and kind == "village" and repeated.count(name) > 1)
                or not stem
                or stem in SENTENCE_OPENERS
                # "Yongchang County" is a place; "Shaquan Old Town" is a sight
                or re.search(rf"\b(?:{'|'.join(ADMIN_KINDS)})$", name, re.I)
                and " " not in kind
            ):
                continue
            if _known_by(name, attractions, sentence.text):
                continue
            appositive = re.search(rf"{re.escape(name)},\s+((?:an?|the|one of the)\s+[^,;]+),", sentence.text)
            _sight(
                attractions,
                name,
                kind,
                sentence.text,
                descriptions=[_clean(appositive.group(1))] if appositive else [],
                article="the" if re.search(rf"\b[Tt]he {re.escape(name)}", sentence.text) else "",
            )

    def _attach_sentences(
        self, sentences: List[Sentence], attractions: List[Dict[str, Any]], city_name: str
    ) -> None:
        """Attach every other sentence that names an attraction, and merge its other names."""
        for attraction in attractions:
            stem = attraction["name"][: -len(attraction["kind"])].strip()
            # "Baiyang Fort" in Baiyang: the city's name says nothing of the fort; nor does
            # "Wuding River" of the Wuding River Gorge (the river is another place).
            attraction["stem"] = "" if stem == city_name or attraction_kind(f" {stem}") else stem
        document = " ".join(s.text for s in sentences)
        for attraction in attractions:
            others = document
            for name in sorted([attraction["name"], attraction["stem"]], key=len, reverse=True):
                others = others.replace(name, " ") if name else others
            first = _first_word(attraction["stem"], others)
            attraction["first"] = "" if first == city_name else first  # "Heshui Folk Museum" in Heshui
            attraction["inner"] = _inner_name(attraction["name"])
        kinds = [a["kind"] for a in attractions]
        names = _names_of(document, city_name)
        # A paragraph that opens with a sight's name goes on about it ("A legend says that
        # the general who defended it ...").
        leads = {
            s.paragraph: (_opened_by(s.text, attractions), s.section)
            for s in _paragraph_openers(sentences)
            if not _enumeration(s)
        }
        # the sight the last sentence opened with (or named), and whether it opened with it
        previous: Optional[Tuple[int, Dict[str, Any], bool]] = None
        # the place each paragraph introduces with its Chinese name, if a sight
        introduced: Dict[int, Optional[Dict[str, Any]]] = {}
        by_name: Dict[str, Dict[str, Any]] = {}  # the sights by name, for a heading that is one
        for attraction in attractions:
            by_name.setdefault(attraction["name"].lower(), attraction)
        for sentence in sentences:
            if _enumeration(sentence) or sentence.owner:
                previous = None
                continue  # a bullet under a sight is that sight's already
            named = [a for a in attractions if _names(sentence.text, a)]
            if sentence.item:
                # a notice's "(3) The Glass Skywalk is closed every Tuesday ...": of the sight
                # it opens with by its full name (not "Line 3 goes to the fort and the
                # mountain"), and of nothing after it
                for attraction in named[:1] if len(named) == 1 else []:
                    opens = re.match(rf"(?:the\s+)?{re.escape(attraction['name'])}\b", sentence.text, re.I)
                    if opens and not any(f["text"] == sentence.text for f in attraction["facts"]):
                        attraction["facts"].append({"text": sentence.text, "source": sentence.text})
                previous = None
                continue
            glossed = _GLOSSED.search(sentence.text)
            if glossed and sentence.paragraph not in introduced:
                introduced[sentence.paragraph] = next((a for a in named if _names(glossed.group(1), a)), None)
            headed = by_name.get(sentence.section.lower())
            if not named and headed is not None:
                named = [headed]  # under a heading that is a sight's name ("Huilong Bridge")
            if not named and BRACKETED.fullmatch(sentence.text) and introduced.get(sentence.paragraph):
                # "(Entry 40 yuan; open 7 a.m. to 5:30 p.m.; 12 Sigu Lane.)": a column's
                # practical details of the place its paragraph introduced ("Qingyin Temple (清音寺)")
                named = [introduced[sentence.paragraph]]
            # "Admission to the museum is free", "The grottoes are open from 8:30": the only
            # museum or grottoes, when no other sight is named (before the paragraph's sight).
            named = (
                named
                or [
                    a
                    for a in attractions
                    if kinds.count(a["kind"]) == 1
                    and a["kind"].lower() not in ADMIN_KINDS  # "the city" is the page's
                    and re.search(rf"\b[Tt]he {re.escape(a['kind'])}\b", sentence.text)
                ][:1]
            )
            # (not under a heading of its own: "Other attractions include:")
            lead, under = leads.get(sentence.paragraph, (None, ""))
            if (
                not named
                and lead
                and under == sentence.section
                and not _opens_with_a_name(sentence.text, names)  # "Tarrow belongs to ...": the town's
            ):
                named = [lead]
            pronoun = bool(re.match(r"(?:It|Its|They|Their)\b", sentence.text))
            # a sentence naming nothing new goes on about the sight its paragraph's last
            # sentences were about, when they opened with it (not "... next to the bazaar")
            goes_on = previous is not None and previous[2] and _goes_on(sentence.text, names)
            if (
                not named
                and previous is not None
                and previous[0] == sentence.paragraph
                and (pronoun or re.search(r"\bhere\b", sentence.text) or goes_on)
            ):
                # "Guanyun Temple was built in the Tang. It is open ..."; "... swans winter here."
                named = [previous[1]]
            elif (
                pronoun
                and previous is not None
                and previous[0] == sentence.paragraph
                and previous[1] not in named
            ):
                # "walk the Old Salt Road. It starts at Yanshi Gate ... of Qinglong Street and
                # follows the cliff ... to Shiban Village": of the road, and of the places named
                named = [*named, previous[1]]
            # "The trail starts behind the Wen Pagoda": a sight named as a landmark, in a story
            # of the sight before it
            if (
                len(named) == 1
                and previous is not None
                and previous[0] == sentence.paragraph
                and previous[2]
                and previous[1] is not named[0]
                and _as_landmark(sentence.text, named[0])
            ):
                named = [named[0], previous[1]]
                for attraction in named:
                    if not any(f["text"] == sentence.text for f in attraction["facts"]):
                        attraction["facts"].append({"text": sentence.text, "source": sentence.text})
                continue
            # the sight the next "It ..." is about: the one the sentence opens with, or the
            # only one it names ("I took the bus to Qianshi Miao Village. Its name means ...")
            first = _opened_by(sentence.text, named, after_place=True)
            if (
                first is not None
                and lead is not None
                and first is not lead
                and re.match(ITINERARY_TIME, sentence.text)
            ):
                # an itinerary's paragraph goes on about the next sight an entry of it opens with
                # ("6:00am – hiked up Baiyun Hill. ... 10:00am – Luoxia Museum. Allow 90 minutes.")
                leads[sentence.paragraph] = (first, sentence.section)
            # ("Qingluo County is located ... on the north shore of Luo Lake. It lies 165 km from
            # Hefei": the "It" is the county the sentence opened with, not the lake)
            alone = len(named) == 1 and not _opens_with_a_name(sentence.text, names)
            opened = first or (named[0] if alone else None)
            if opened is not None or not (pronoun or goes_on):
                strict = first is not None or (goes_on and previous is not None and opened == previous[1])
                previous = (sentence.paragraph, opened, strict) if opened is not None else None
            for attraction in attractions:
                told = any(f["text"] == sentence.text for f in attraction["facts"])
                if attraction in named and not told:
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
        name, stem, first = attraction["name"], attraction.pop("stem"), attraction.pop("first")
        inner = attraction.pop("inner")
        aliases = [name] + attraction.pop("aliases_extra", [])
        # Other text: the document with every name of this attraction taken out.
        text = " ".join(s.text for s in sentences)
        for alias in sorted(aliases, key=len, reverse=True):
            text = text.replace(alias, " ")
        # The stem ("Jinshui") is a name unless the document uses it for a place
        # ("Yongchang county"); its first word ("Qilian", "Jinchuan museum") only when
        # the document never uses that word in another name ("Jinchuan District"): alone,
        # it is this place ("Qianshi has done well from tourism").
        if stem and not re.search(
            rf"\b{re.escape(stem)}\s+(?i:{'|'.join(ADMIN_KINDS)})\b|\b(?i:{'|'.join(ADMIN_KINDS)}) of {re.escape(stem)}\b",
            text,
        ):
            aliases.append(stem)
        if first:
            aliases += [first, f"{first} {attraction['kind']}"]
        if inner:
            aliases.append(inner)
        aliases += _glossed_names(attraction)
        attraction["aliases"] = list(dict.fromkeys(aliases))
        attraction["location"] = _location(attraction)
        attraction["summary"] = _summary(attraction)
        told = re.compile(r"\b(legend|history|histor\w+|dynast\w+|founded|built|story|soldiers)\b", re.I)
        attraction["history"] = [fact for fact in attraction["facts"] if told.search(fact["text"])]
        if not attraction["history"] and any(told.search(d) for d in attraction["descriptions"]):
            attraction["history"] = [{"text": attraction["summary"], "source": attraction["listed_in"]}]


# Where a sentence puts an attraction: "located in Yongchang county", "on the edge of the city".
LOCATED = (
    # "North of Yongchang, the Shengrong Temple was founded ..."
    r"^((?i:north|south|east|west)\w* of [^,.;]+),",
    r"\b(?:located|situated|lies|lying|stands|standing|sits|sitting|set)\s+((?:in|on|at|near|beside|by)\s+[^,.;]+)",
    r"\b((?:on|at) the (?:edge|outskirts|shore|bank|foot|top)s? of [^,.;]+)",
    r"\b(\d+(?:\.\d+)?\s*(?:km|kilomet(?:re|er)s|miles|metres|meters)\s+(?:from|(?i:(?:north|south)(?:-?(?:east|west))?|east|west) of"
    r"|outside|away from)\s+[^,.;]+)",
)
# "on Canal Street and opens at ten": the place ends before the next clause.
NEXT_CLAUSE = r"\s+(?:and|but|where|which)\s+(?:is|are|was|opens?|closes?|has|have|offers?)\b.*$"
# ... and in a description from a list: "temple on Wudang Mountain", "tower on the hill".
PLACED = (
    # (not a time: "closed on Mondays", "at dawn", "on weekends")
    r"\b((?:on|at|near|beside)\s+(?!about\b|around\b|\d|(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|weekends?"
    r"|weekdays|holidays|dawn|dusk|night|noon|sunset|sunrise)\b)[^,.;]+)",
    rf"\b(in\s+{TITLE_RUN}\s+(?i:{'|'.join(ADMIN_KINDS)}))\b",
)


def _merge_other_names(sentences: List[Sentence], attractions: List[Dict[str, Any]]) -> None:
    """One sight by two names ("the Yongji Bridge, usually just called the Wind and Rain
    Bridge"): the second is the first's other name, no sight of its own."""
    for sentence in sentences:
        if not _CALLED.search(sentence.text):
            continue
        for first in list(attractions):
            for other in list(attractions):
                if other is first or other not in attractions or first not in attractions:
                    continue
                said = rf"{re.escape(first['name'])},?\s+(?:[a-z]+\s+){{0,2}}?{_CALLED.pattern}\s+(?:the\s+)?{re.escape(other['name'])}\b"
                if re.search(said, sentence.text):
                    first["aliases_extra"] = [*first.get("aliases_extra", []), other["name"]]
                    first["facts"] += [f for f in other["facts"] if f not in first["facts"]]
                    attractions.remove(other)


_CALLED = re.compile(r"\b(?:called|known as|nicknamed|dubbed)")


def _known_by(name: str, attractions: List[Dict[str, Any]], text: str) -> bool:
    """True when a name found in a sentence is a sight already known, by another name: its
    start ("White Egret Lake" of the White Egret Lake Wetland Park) or end ("Ancient Kiln
    Museum" of the Tongyao Ancient Kiln Museum), its listing's gloss ("Golden Pagoda Temple"
    of "Jinta Temple (金塔寺, Golden Pagoda Temple)"), or two known sights ("Wolong Gorge and
    Wenfeng Pagoda are not accessible")."""
    joined = bool(re.search(r"\s(?:and|&)\s", name))
    return any(
        a["name"] == name
        or name in a.get("aliases", [])
        or a["name"].startswith(f"{name} ")
        or a["name"].endswith(f" {name}")
        or (joined and a["name"] in name)
        or (a["listed_in"] == text and name in _listed_names(a))
        for a in attractions
    )


def _listed_names(attraction: Dict[str, Any]) -> str:
    """The name a sight's listing opens with, and its gloss: "Jinta Temple (金塔寺, Golden
    Pagoda Temple)"; "" when the listing opens otherwise."""
    head = re.match(rf"{re.escape(attraction['name'])}\s*(?:{_GLOSS.pattern})?", attraction["listed_in"])
    return head.group(0) if head else ""


def _glossed_names(attraction: Dict[str, Any]) -> List[str]:
    """The English names a listing's gloss gives besides the Chinese one: "Golden Pagoda
    Temple" of "Jinta Temple (金塔寺, Golden Pagoda Temple)", "Old Bridge" of "Yongji Bridge
    (the "Old Bridge", 永济桥)"."""
    gloss = _GLOSS.search(_listed_names(attraction))
    if gloss is None:
        return []
    parts = [p.strip() for p in re.split(r"[,;，；、]", gloss.group(0)[1:-1])]
    # (a nickname in quotes too: "Yongji Bridge (the "Old Bridge", 永济桥)")
    parts = [re.sub(r"^(?:the\s+)?[\"“']?(.*?)[\"”']?$", r"\1", p) for p in parts]
    return [p for p in parts if re.fullmatch(rf"{TITLE_WORD}(?:\s+{TITLE_WORD})+", p)]


def _opens_with_sight(text: str, name: str) -> bool:
    """True when a sentence is about a sight from its first word: "Jinding Temple sits
    above the town", an itinerary's "9:00am – Feiyun Cave.", "6:00am – hiked up Baiyun Hill"."""
    return bool(re.match(rf"{_OPENING}{re.escape(name)}\b", text))


def _named_again(document: str, name: str, kind: Optional[str]) -> bool:
    """True when a page names a sight more than once: by its name, or by its kind alone
    ("Luoxia Museum on Wenhua Road", then "the museum car park") when the page names no
    other of that kind."""
    name = re.sub(r"^the\s+", "", name, flags=re.I)
    if document.count(name) > 1:
        return True
    if not kind:
        return False
    others = {n for n in re.findall(rf"\b{TITLE_RUN}\s+(?i:{re.escape(kind)})\b", document) if n != name}
    said = len(re.findall(rf"\b(?:the|this|that)\s+{re.escape(kind)}\b", document, re.I))
    return said > 0 and not others


# A place's name followed by its Chinese name: "Qingyin Temple (清音寺".
_GLOSSED = re.compile(r"((?:[A-Z][\w'’-]*\s+){0,5}[A-Z][\w'’-]*)\s+\((?=[\u4e00-\u9fff])")


def _paragraph_openers(sentences: List[Sentence]) -> List[Sentence]:
    """The first sentence of each paragraph."""
    return [s for at, s in enumerate(sentences) if at == 0 or sentences[at - 1].paragraph != s.paragraph]


def _goes_on(text: str, names: FrozenSet[str] = frozenset()) -> bool:
    """True for a sentence that names nothing new, so goes on about the sight the sentence
    before it opened with ("Feiyun Cave runs for 7.2 km ... The highlight is a waterfall ...
    Inside it stays at about 15°C all year"): no capitalised word after its first but "I",
    a month or an abbreviation ("CN¥40"), and nothing of the town ("the town's orchards")."""
    said = re.findall(r"[^\W\d_][\w'’-]*", text)
    if _opens_with_a_name(text, names):
        return False  # "Anbei belongs to ... climate": about the town, not the river before it
    named = [
        w
        for w in said[1:]
        if w[:1].isupper() and not w.isupper() and re.sub(r"s$", "", w.lower()) not in CALENDAR_WORDS
    ]
    return not named and not any(w.lower() in _OF_THE_PLACE for w in said)


def _opens_with_a_name(text: str, names: FrozenSet[str]) -> bool:
    """True for a sentence whose first word is one of the page's `names` (the town's, or a
    word it capitalises mid-sentence) and no English word: "Anbei belongs to ...", not
    "Entry is free" or "Stinky tofu is ¥10"."""
    first = re.match(r"([^\W\d_][\w-]*)(['’]s\b)?", text)
    return bool(
        first
        and not first.group(2)  # "Fenglan's green tea": a thing of the town's, in a story of its own
        and first.group(1) in names
        and first.group(1) not in SENTENCE_OPENERS  # "The", "It", which the lemma table lacks
        and first.group(1).lower() not in STOPWORDS
        and not english_word(first.group(1).lower())
    )


def _names_of(document: str, city_name: str) -> FrozenSet[str]:
    """The words a page writes as names: the town's, and those it capitalises mid-sentence."""
    return frozenset(re.findall(r"(?<=[a-z,;] )[A-Z][\w'’-]*", document)) | {city_name}


# Words that turn a sentence to the city ("the town's orchards", "the local dish").
_OF_THE_PLACE = frozenset(("city's", "town's", "local", "locals", *ADMIN_KINDS))


def _opened_by(
    text: str, attractions: List[Dict[str, Any]], after_place: bool = False
) -> Optional[Dict[str, Any]]:
    """The sight whose name a sentence opens with ("The Yunmen Grottoes are ..."), if any;
    `after_place`, after a place it opens with ("In Shuiwei County, Feiyun Cave runs ...",
    "At Baiyan Village the Huilong Bridge crosses ..."), the sight named next."""
    # "The Yunmen Grottoes", an itinerary's "9:00am – Feiyun Cave", "6:00am – hiked up Baiyun Hill"
    opener = re.sub(rf"^{_OPENING}", "", text)
    found = next(
        (a for a in attractions if any(opener.startswith(n) for n in (a["name"], a.get("first")) if n)), None
    )
    lead = re.match(r"(?:At|In|On|Near|Inside|Outside|Behind|Beyond|Across)\s+", text)
    if found is not None or lead is None or not after_place:
        return found
    named = [(_position(text, a), a) for a in attractions]
    after = [(at, a) for at, a in named if at > lead.end()]
    return min(after, key=lambda pair: pair[0])[1] if after else None


def _as_landmark(text: str, attraction: Dict[str, Any]) -> bool:
    """True when a sentence names a sight only to say where something else is ("The trail
    starts behind the Wen Pagoda", "a canteen next to the bazaar")."""
    at = _position(text, attraction)
    return at > 0 and bool(re.search(rf"\b{_LANDMARK}\s+(?:the\s+)?$", text[:at], re.I))


_LANDMARK = r"(?:behind|beside|below|above|near|opposite|past|next to|in front of|across from|outside|inside)"


def _position(text: str, attraction: Dict[str, Any]) -> int:
    """Where a sentence first names the sight (-1: it does not)."""
    said = [text.find(n) for n in (attraction["name"], attraction.get("stem"), attraction.get("first")) if n]
    return min((at for at in said if at >= 0), default=-1)


def _location(attraction: Dict[str, Any]) -> Optional[Dict[str, str]]:
    """Where the document says an attraction is, with the sentence that says it."""
    for fact in attraction["facts"]:
        if re.fullmatch(r"(?i)location|address|where|getting there", fact.get("key", "")):
            return {"text": fact["text"].split(":", 1)[1].strip().rstrip("."), "source": fact["source"]}
        # A listing's line: "Yunxi Temple (云溪寺), Yunxi Village, 6 km north. Daily 7:30-17:30."
        listing = re.match(
            rf"{re.escape(attraction['name'])}(?:\s*[(（][^)）]*[)）])?,\s+([^.]+)\.", fact["text"]
        )
        address = (
            re.sub(r",?\s*(?:☏|\btel\b|\bphone\b|\+\d).*$", "", listing.group(1), flags=re.I)
            if listing
            else ""
        )
        clause = re.search(r"\b(?:is|are|was|were|has|have|which|that|who)\b", address)
        if address and (len(address.split()) <= 8 or len(address.split()) <= 16 and not clause):
            return {"text": address, "source": fact["source"]}  # an address, not a clause
    for fact in attraction["facts"]:
        # (in a sentence of the fact that names it: "Buses to Qianshi ..." after "The
        # airport, 18 km north of the city, ..." puts the airport there, not Qianshi)
        for said in re.split(r"(?<=[.!?])\s+", fact["text"]):
            if not re.match(r"(?:It|Its)\b", said) and not any(a in said for a in attraction["aliases"]):
                continue
            for pattern in LOCATED:
                found = re.search(pattern, said)
                if found:
                    return {"text": re.sub(NEXT_CLAUSE, "", found.group(1)), "source": fact["source"]}
    for description in attraction["descriptions"]:
        for pattern in PLACED:
            found = re.search(pattern, description)
            if found:
                return {"text": re.sub(NEXT_CLAUSE, "", found.group(1)), "source": attraction["listed_in"]}
    for fact in attraction["facts"]:
        # "caves cut into a cliff in Luotuo County": the county its own sentence names.
        found = re.search(PLACED[1], fact["text"])
        if found and attraction["name"] in fact["text"]:
            return {"text": found.group(1), "source": fact["source"]}
    return None


def _summary(attraction: Dict[str, Any]) -> str:
    """What the document says about an attraction, as whole sentences."""
    if attraction["facts"]:
        # The sentences that open with the sight's name say what it is: those first
        # ("The Yunmen Grottoes are ...", "3:30pm – the Yongji Bridge, usually called ...").
        opens = [f for f in attraction["facts"] if _opens_with_sight(f["text"], attraction["name"])]
        said = [
            _sentence(fact["text"]) for fact in opens + [f for f in attraction["facts"] if f not in opens]
        ]
        if any(fact.get("key") for fact in attraction["facts"]):
            # `Key: value` bullets say whose they are by their place on the page only.
            said.insert(
                0,
                f"{attraction['name']}"
                + (f": {attraction['descriptions'][0]}." if attraction["descriptions"] else "."),
            )
        return " ".join(said)
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


def _first_word(stem: str, text: str) -> str:
    """The first word of a stem of two words or more ("Qianshi" of "Qianshi Miao"), when it
    is no general word and `text`, the document without this place's names, never uses it
    in another name ("Jinchuan District", "Qianshi County"); else ""."""
    first = stem.split()[0] if " " in stem else ""
    if not first or first.lower() in GENERAL_NAME_WORDS:
        return ""
    other = re.search(rf"\b{re.escape(first)}\s+(?:[A-Z]|(?i:{'|'.join(ADMIN_KINDS)})\b)", text)
    return "" if other else first


def _inner_name(name: str) -> str:
    """The name of a place inside a longer name ("Caohu Lake" of "Caohu Lake National
    Wetland Park"): its first words up to a kind of place, when more words follow; else ""."""
    said = name.split()
    for end in range(2, len(said) - 1):
        inner = " ".join(said[:end])
        kind = attraction_kind(inner)
        if kind and inner.lower().endswith(kind) and said[end - 1][0].isupper():
            # (a river, a street or a village on the way is another place: "Yellow River
            # Stone Forest", "Lanjiang River Night Cruise")
            return "" if kind in ("river", "street", "road", "village", *ADMIN_KINDS) else inner
    return ""


def _names(text: str, attraction: Dict[str, Any]) -> bool:
    """True when a sentence names the attraction: its stem ("Jinshui"), or the last words of
    its name ("the beacon tower" for the Old Beacon Tower)."""
    # "Xiaohe County" is a county, not the Xiaohe Grassland; nor are the "Hongya Mountains"
    # the Hongya Grottoes (a name going on with another capitalised word is another place).
    kind = re.escape(attraction["kind"])
    other_place = rf"(?!\s+(?i:{'|'.join(ADMIN_KINDS)})\b)(?!\s+(?!(?i:{kind})\b)[A-Z][a-z])"
    if attraction["stem"] and re.search(rf"\b{re.escape(attraction['stem'])}\b{other_place}", text):
        return True
    if attraction["name"] in text or any(n in text for n in attraction.get("aliases_extra", [])):
        return True
    if attraction.get("first") and re.search(rf"\b{re.escape(attraction['first'])}\b", text):
        return True  # "Qianshi has done well from tourism"
    if attraction.get("inner") and re.search(rf"\b{re.escape(attraction['inner'])}\b{other_place}", text):
        return True  # "Caohu Lake" of the Caohu Lake National Wetland Park
    name = attraction["name"].split()
    tail = " ".join(name[1:]) if len(name) >= 3 else ""
    return bool(tail) and bool(re.search(rf"\b{re.escape(tail)}\b", text, re.I))


def _sentence(text: str) -> str:
    """A fact as a sentence: "Tickets: free" -> "Tickets: free."."""
    return text if re.search(r"[.!?]['\"”’)]*$", text) else f"{text}."


def unique_kinds(attractions: Iterable[Dict[str, Any]]) -> Dict[str, str]:
    """Kinds held by exactly one attraction, so "the lake" can only mean one place."""
    counts: Dict[str, List[str]] = {}
    for attraction in attractions:
        for alias in attraction["aliases"]:
            kind = attraction_kind(alias)
            if kind:
                counts.setdefault(kind, [])
                if attraction["name"] not in counts[kind]:
                    counts[kind].append(attraction["name"])
    return {kind: names[0] for kind, names in counts.items() if len(names) == 1}
