"""Read access to the built knowledge base: the city, its honours and attractions."""

import json
import logging
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from knowledge.kinds import ADMIN_KINDS
from knowledge.language import QUESTION_WORDS, english_word
from knowledge.read import item_parts
from knowledge.search import Hit, SentenceIndex
from knowledge.text import STOPWORDS, contains_phrase, content_words, normalise, similar, words

# Where `make kb` writes the knowledge base and the actions read it. Defined here, not in
# knowledge.build, so that answering never imports the builder's spaCy (and TensorFlow).
DEFAULT_OUT = Path(__file__).resolve().parent / "build" / "kb.json"

logger = logging.getLogger(__name__)

Entry = Dict[str, Any]

# The least BM25 score at which a passage counts as answering a question.
SEARCH_THRESHOLD = 2.5

# The share of a composed text's words that its source sentence must hold.
SOURCE_OVERLAP = 0.6

# Nouns that follow a place name: "Yongchang county".
ADMIN_WORDS = "county|province|district|prefecture|city"

# Words that name a kind of honour rather than a particular one.
GENERIC_HONOUR_WORDS = frozenset("national city cities first one most country province".split())


def _share_in_names(said: List[str], word: str, names: List[List[str]]) -> float:
    """Of a page's uses of a word, the share inside one of these names (1 if never used)."""
    uses = [i for i, w in enumerate(said) if w == word]
    inside = [
        i
        for i in uses
        if any(
            said[start : start + len(name)] == name
            for name in names
            for start in range(max(0, i - len(name) + 1), i + 1)
        )
    ]
    return len(inside) / len(uses) if uses else 1.0


# An English word of a name the page mostly uses elsewhere still counts this much.
_LEAST_SHARE = 0.5


class KnowledgeBase:
    """The knowledge base built by `knowledge.build`, with lookups for the actions."""

    def __init__(self, data: Entry) -> None:
        for key in ("city", "attractions", "sentences", "paragraphs"):
            if key not in data:
                raise ValueError(f"knowledge base has no {key!r}: rebuild it with `make kb`")
        self.data = data
        self.city: Entry = data["city"]
        self.attractions: List[Entry] = data["attractions"]
        count = len(data["sentences"])
        # Each sentence's section heading, and the place it is about by its layout.
        self.sections: List[str] = data.get("sections") or [""] * count
        self.owners: List[str] = data.get("owners") or [""] * count
        # The sight the page is the page of (a museum's own site), whose are the page's own lines.
        self.page_sight: str = data.get("page_sight", "")
        self._name_words = self._attraction_words()
        self.sentence_words = [words(sentence) for sentence in data["sentences"]]
        self._sentence_index = {sentence: i for i, sentence in enumerate(data["sentences"])}
        # The sentences about a sight (its facts and the lists naming it), not the city's own.
        self.sight_sentences = frozenset(
            s for a in self.attractions for s in [a["listed_in"], *(f["text"] for f in a.get("facts", []))]
        )
        self._sight_names = frozenset(a["name"] for a in self.attractions)
        self.vocabulary = frozenset(w for sentence in self.sentence_words for w in sentence)
        # The sentences that ask rather than tell ("How do we get there from Dali?", "Q: Do
        # foreigners need a permit?"): a forum's or an FAQ's questions answer nothing.
        self.asking = frozenset(i for i, sentence in enumerate(data["sentences"]) if asks(sentence))
        self.passages, self.passage_attractions = self._passages()
        self.index = SentenceIndex(self.passages)
        self.city_words = frozenset(words(self.city["name"])) | {"city"}
        self._places = self._find_places()
        self._listings = self._find_listings()

    def _passages(self) -> Tuple[List[str], List[Optional[Entry]]]:
        """What search can quote, each with the attraction it is about (or None): every
        sentence, but a sentence listing attractions is replaced by what it says of the
        city and one passage per attraction."""
        listed = {a["listed_in"] for a in self.attractions}
        about = {f["text"]: a for a in self.attractions for f in a["facts"]}
        passages: List[str] = []
        owners: List[Optional[Entry]] = []
        for index, sentence in enumerate(self.data["sentences"]):
            if sentence not in listed and index not in self.asking:
                passages.append(sentence)
                owners.append(about.get(sentence))
        if self.city.get("tourism"):
            passages.append(f"{self.city['name']} is a {self.city['tourism']['value']}.")
            owners.append(None)
        for attraction in self.attractions:
            passages.append(" ".join([attraction["name"], attraction.get("summary", "")]).strip())
            owners.append(attraction)
        return passages, owners

    def city_sentences(self) -> List[int]:
        """The positions of the city's own sentences: not those about a sight (its bullets,
        its facts, the lists naming it), but a `Key: value` line of the page's own that
        names a sight on the way ("Getting there: ... Buses to Qianshi leave ...") and the
        lines of a listing that is no sight (an airport, a restaurant)."""
        return [
            i
            for i, s in enumerate(self.data["sentences"])
            if i not in self.asking
            and (not self.owners[i] or self.owners[i] not in self._sight_names)
            and (s not in self.sight_sentences or _PAGE_FACT.match(s))
        ]

    def index_of(self, sentence: str) -> Optional[int]:
        """The position of a document sentence, else None."""
        return self._sentence_index.get(sentence)

    def source(self, text: str) -> Optional[Entry]:
        """The document sentence `text` comes from, with its paragraph number: the sentence
        itself, the one that holds it, or (for a summary composed from a list, "X is a
        temple on Wudang Mountain") the one holding most of its words; else None."""
        sentences = self.data["sentences"]
        index = self._sentence_index.get(text)
        if index is None:
            index = next((i for i, s in enumerate(sentences) if text and text in s), None)
        if index is None:
            said = set(content_words(text))
            shared = [len(said & set(sentence)) for sentence in self.sentence_words]
            best = max(range(len(shared)), key=shared.__getitem__, default=None)
            if best is not None and said and shared[best] >= SOURCE_OVERLAP * len(said):
                index = best
        if index is None:
            return None
        return {"sentence": sentences[index], "paragraph": self.data["paragraphs"][index]}

    def sources(self, texts: List[str]) -> List[Entry]:
        """The document sentences of `texts`, each once, in the order given; a text made of
        several whole sentences ("What it does say: A. B.") gives each of them."""
        found: List[Entry] = []
        for text in texts:
            held = [s for s in self.data["sentences"] if s in text]
            entries = [self.source(s) for s in held] if len(held) > 1 else [self.source(text)]
            found += [e for e in entries if e and e not in found]
        return found

    @classmethod
    def from_file(cls, path: Path) -> "KnowledgeBase":
        """Load a knowledge base JSON file."""
        if not path.is_file():
            raise FileNotFoundError(f"knowledge base not found: {path} (run `make kb`)")
        return cls(json.loads(path.read_text(encoding="utf-8")))

    # --- attractions -----------------------------------------------------------------

    def attraction_names(self) -> List[str]:
        """Attraction names in document order."""
        return [a["name"] for a in self.attractions]

    def attraction(self, name: str) -> Optional[Entry]:
        """The attraction with this name or alias (case-insensitive), else a fuzzy match."""
        wanted = normalise(name)
        for attraction in self.attractions:
            if wanted in (normalise(alias) for alias in [attraction["name"], *attraction["aliases"]]):
                return attraction
        return self._listings.get(wanted) or self.find_attraction(name)

    def owner_of(self, sentence: str) -> Optional[Entry]:
        """The sight or listing a sentence is a line of ("Doubles ¥150-220." is the
        Yongchang Guesthouse's), or the sight it is the title of ("5. Pick (and roast) tea at
        Longwu Tea Estate (龙坞茶园)"), else None."""
        index = self.index_of(sentence)
        owner = self.owners[index] if index is not None else ""
        if owner:
            return self.attraction(owner)
        name, said = item_parts(sentence)
        titled = [a for a in self.attractions if a["listed_in"] == sentence and a["name"] == name]
        return titled[0] if titled and not said else None

    def _find_listings(self) -> Dict[str, Entry]:
        """The things a guide lists that are no sights (a hotel, a restaurant, a festival),
        each as an entry of its own lines, so that a conversation can be about one."""
        owned: Dict[str, List[str]] = {}
        for sentence, owner in zip(self.data["sentences"], self.owners):
            if owner and owner not in self._sight_names:
                owned.setdefault(owner, []).append(sentence)
        return {
            normalise(name): {
                "name": name,
                "article": "",
                "epithet": "",
                "kind": "",
                "aliases": [],
                "descriptions": [],
                "listed_in": lines[0],
                "facts": [{"text": line, "source": line} for line in lines],
                "summary": " ".join(lines),
                "history": [],
            }
            for name, lines in owned.items()
        }

    def _attraction_words(self) -> List[Dict[str, float]]:
        """Per attraction, each word of its names weighted by how distinctive it is."""
        per_attraction = [set(content_words(" ".join([a["name"], *a["aliases"]]))) for a in self.attractions]
        # "the city" is this city, never "Liqian ancient city".
        city_words = set(words(self.city["name"])) | {"city", "town"}
        # "Yongchang" names a county too: it is no evidence for the Yongchang memorial.
        text = " ".join(self.data["sentences"])
        place_words = {w.lower() for w in re.findall(rf"\b([A-Z][\w'-]*) (?:{ADMIN_WORDS})\b", text)}
        city_words |= place_words
        n = len(self.attractions)
        said = words(text)
        weighted = []
        for attraction, vocabulary in zip(self.attractions, per_attraction):
            named = [words(name) for name in [attraction["name"], *attraction["aliases"]]]
            weights = {}
            for word in vocabulary - city_words:
                holders = sum(word in other for other in per_attraction)
                weights[word] = math.log(1 + n / holders) if holders else 0.0
                if english_word(word) and holders == 1 and word not in words(attraction["kind"]):
                    # "night" of the Beimen Night Market, which the page mostly says of its
                    # night boat: weak evidence that a visitor means the market (its kind,
                    # "market", is not)
                    weights[word] *= max(_share_in_names(said, word, named), _LEAST_SHARE)
            weighted.append(weights)
        return weighted

    def find_attraction(self, text: str) -> Optional[Entry]:
        """The attraction a visitor's text names, typos and partial names allowed."""
        ranked = self.rank_attractions(text)
        if not ranked:
            return None
        if len(ranked) > 1 and ranked[1][0] >= ranked[0][0] * 0.8:
            return None  # two attractions fit about as well: ambiguous
        return ranked[0][1]

    def rank_attractions(self, text: str) -> List[Tuple[float, Entry]]:
        """Attractions whose distinctive name words occur in the text, best first; a
        title's words ("a National Forest City") name no attraction (a Stone Forest)."""
        said = content_words(_ADMIN_PLACE.sub(self._unless_named, _CITY_TITLE.sub(" ", text)))
        ranked = []
        for attraction, weights in zip(self.attractions, self._name_words):
            score = sum(weight for word, weight in weights.items() if self._said(word, said))
            # A word held by two attractions ("city", "spot") alone is not enough.
            if score >= math.log(1 + len(self.attractions)) * 0.99:
                ranked.append((score, attraction))
        ranked.sort(key=lambda pair: -pair[0])
        return ranked

    def division_named(self, text: str, attraction: Entry) -> bool:
        """True when the text names a division whose name a sight's shares, and not the
        sight ("how many people live in Jinchuan District?" is no question about the
        Jinchuan Museum)."""
        divisions = [p for p in _ADMIN_PLACE.finditer(text) if self._unless_named(p) == " "]
        return bool(divisions) and not any(a is attraction for _, a in self.rank_attractions(text))

    def _unless_named(self, place: "re.Match[str]") -> str:
        """ "Yongchang town" names a place, not the Yongchang Bell Tower; "Zijinhua City" is
        a sight's name."""
        named = any(contains_phrase(words(a["name"]), words(place.group(0))) for a in self.attractions)
        return place.group(0) if named else " "

    def known_words(self, text: str) -> List[str]:
        """The words of a message that the document uses, beside those that only ask
        ("is there a night market" -> night, market)."""
        return [
            w for w in words(text) if w not in STOPWORDS and w not in QUESTION_WORDS and w in self.vocabulary
        ]

    def _said(self, word: str, said: List[str]) -> bool:
        """True when the visitor said this word, or a typo of it that is no other known word."""
        return any(s == word or (s not in self.vocabulary and similar(s, word)) for s in said)

    def find_story(self, text: str) -> Optional[Entry]:
        """The one attraction whose story uses a word of the text ("tell me the legend")."""
        asked = set(content_words(text))
        storied = [
            a
            for a in self.attractions
            if asked & set(content_words(" ".join(h["text"] for h in a.get("history", []))))
        ]
        return storied[0] if len(storied) == 1 else None

    # --- honours ---------------------------------------------------------------------

    def honours(self) -> List[Entry]:
        """Awards (with year and body) followed by designations, in document order."""
        return list(self.city.get("honours", [])) + list(self.city.get("designations", []))

    def find_honour(self, text: str, previous: str = "") -> Optional[Entry]:
        """The honour or designation a text names ("garden city", "civilised", "2014");
        between equally good matches, the one titled `previous` (the one in context)."""
        said = content_words(text)
        for honour in self.city.get("honours", []):
            if str(honour.get("year")) in said:
                return honour
        scored = []
        for honour in self.honours():
            named = content_words(" ".join([honour["title"], honour.get("note", "")]))
            scored.append((sum(1 for w in set(named) - GENERIC_HONOUR_WORDS if self._said(w, said)), honour))
        top = max((score for score, _ in scored), default=0)
        if top == 0:
            return None
        best = [honour for score, honour in scored if score == top]
        return next((h for h in best if h["title"] == previous), best[0])

    # --- search ----------------------------------------------------------------------

    @lru_cache(maxsize=1024)  # noqa: B019 - the knowledge base lives as long as the process
    def search(self, text: str, min_terms: int = 2) -> Optional[Tuple[Hit, Optional[Entry]]]:
        """The passage that clearly matches a text, and the attraction it is about (if any).

        Clearly: `min_terms` shared words, or a shared number such as a year, and a BM25
        score of at least SEARCH_THRESHOLD. The city's own name is no evidence either way.
        """
        hit = self.index.best(text, exclude=self.city_words)
        if hit is None or hit.score < SEARCH_THRESHOLD:
            return None
        if len(hit.terms) < min_terms and not any(term.isdigit() for term in hit.terms):
            return None
        return hit, self.passage_attractions[hit.index]

    def find_attraction_by_description(self, text: str) -> Optional[Entry]:
        """The attraction whose description a text clearly matches ("the largest reservoir")."""
        found = self.search(text)
        return found[1] if found else None

    def places(self) -> List[str]:
        """Places other than the city that the document names: province, region,
        neighbours, and the places attractions are in ("Yongchang county")."""
        return list(self._places)

    def _find_places(self) -> List[str]:
        city = self.city
        names = [city.get("province", {}).get("value", ""), city.get("region", {}).get("value", "")]
        names += [n["name"] for n in city.get("neighbours", [])]
        for attraction in self.attractions:
            location = (attraction.get("location") or {}).get("text", "")
            names += re.findall(rf"([A-Z][\w'-]*(?: [A-Z][\w'-]*)* (?:{ADMIN_WORDS}))\b", location)
        # "one county, Yongchang County": the divisions the page names anywhere
        names += _DIVISION.findall(" ".join(self.data["sentences"]))
        sights = {normalise(a["name"]) for a in self.attractions}
        return [
            n for n in dict.fromkeys(names) if n and not self.mentions_city(n) and normalise(n) not in sights
        ]

    def meanings(self, text: str) -> Tuple[str, List[str]]:
        """An unclear reference in `text` and the attractions or places it could mean, when
        more than one: ("Yongchang", ["Yongchang county", "Yongchang Protection Memorial"]),
        ("museum", [two museums]); ("", []) when the text is clear."""
        if self.find_attraction(text) or self.place_in(text):
            return "", []
        said = words(text)
        for attraction in self.attractions:
            kind = words(attraction.get("kind") or "")
            same = [a["name"] for a in self.attractions if kind and words(a.get("kind") or "") == kind]
            if len(same) > 1 and contains_phrase(said, kind):
                return attraction["kind"], same
        divisions = {words(found)[0] for found in _ADMIN_PLACE.findall(text)}  # "yongchang town" is clear
        for place in self._places:
            for word in words(re.sub(rf"\b(?:{ADMIN_WORDS})\b", " ", place, flags=re.I)):
                named = [a["name"] for a in self.attractions if word in words(a["name"])]
                if word in said and named and word not in divisions:
                    return word, [place, *named]
        ranked = self.rank_attractions(text)
        close = [a["name"] for score, a in ranked if score >= ranked[0][0] * 0.8] if ranked else []
        if len(close) > 1:
            shared = [w for w in said if all(w in words(name) for name in close)]
            return (shared[0] if shared else ""), close
        return "", []

    def place_in(self, text: str) -> Optional[str]:
        """A place the document names (not the city) that occurs in the text."""
        said = words(text)
        return next((place for place in self._places if contains_phrase(said, words(place))), None)

    def mentions_place(self, name: str) -> bool:
        """True when the document names this place ("Gansu", "Wuwei")."""
        place = words(name)
        return any(contains_phrase(sentence, place) for sentence in self.sentence_words)

    def mentions_city(self, text: str) -> bool:
        """True when the text names the city itself ("Jinchang", "jinchnag", "the city")."""
        name = normalise(self.city["name"])
        said = words(text)
        # a typo of the name, not another name the document writes ("Jinchuan")
        return self._said(name, said) or bool(
            re.search(r"\b(?:the|this|that) (?:city|town)\b", " ".join(said))
        )


# A division as a page names it: "Yongchang County", "Jinchuan District".
_DIVISION = re.compile(r"\b((?:[A-Z][\w'-]*\s)+(?:County|District|Prefecture|Province))\b")
# "Yongchang town", "Gaopo County": a place, named by its division.
_ADMIN_PLACE = re.compile(rf"\b[\w'-]+\s+(?:{'|'.join(ADMIN_KINDS)})\b", re.I)
# A title given to a city: "National Forest City", "China Excellent Tourism City".
_CITY_TITLE = re.compile(r"\b(?:national|china)\s+(?:[\w-]+\s+){1,3}cit(?:y|ies)\b", re.I)


def field_sources(city: Dict[str, Any], fields: Sequence[str]) -> List[str]:
    """The source sentences of the city's `fields`, each once."""
    sources: List[str] = []
    for field in fields:
        value = city.get(field)
        for entry in value if isinstance(value, list) else [value]:
            if entry and entry["source"] not in sources:
                sources.append(entry["source"])
    return sources


def names_of(attraction: Entry) -> List[str]:
    """A sight's names (its name and its aliases), longest first, so that each is taken out of
    a text before its parts are."""
    return sorted({attraction["name"], *attraction.get("aliases", [])}, key=len, reverse=True)


def attraction_sources(attraction: Entry) -> List[str]:
    """The sentences an attraction's summary is made of: its facts, else the list naming it."""
    return [f["source"] for f in attraction.get("facts", [])] or [attraction["listed_in"]]


# A `Key: value` line: "Getting there: High-speed trains ...", "Entrance ticket (景区门票): peak 95元".
_PAGE_FACT = re.compile(r"[A-Z][\w'’ ]{0,40}(?:\s*[(（][^)）]{1,20}[)）])?:\s")


def attraction_evidence(attraction: Entry) -> List[str]:
    """Everything the document says about an attraction: what an answer about it rests on."""
    return [f["text"] for f in attraction.get("facts", [])] + list(attraction.get("descriptions", []))


@lru_cache(maxsize=None)
def load(path: Path = DEFAULT_OUT) -> KnowledgeBase:
    """The knowledge base at `path`, loaded once per process."""
    kb = KnowledgeBase.from_file(path)
    logger.info("loaded knowledge base %s: %d attractions", path, len(kb.attractions))
    return kb


def asks(sentence: str) -> bool:
    """True for a sentence that asks: it ends with a question mark, or an FAQ's "Q:" opens it."""
    return bool(re.search(r"\?[\"'”’)\]]*$", sentence.strip()) or _FAQ_QUESTION.match(sentence))


def answers_faq(sentence: str) -> bool:
    """True for an FAQ's answer: "A:" opens it."""
    return bool(_FAQ_ANSWER.match(sentence))


_FAQ_QUESTION, _FAQ_ANSWER = (re.compile(rf"{letter}\s*[:.]\s") for letter in "QA")
