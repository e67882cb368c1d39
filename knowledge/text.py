"""Text helpers shared by the knowledge base lookups: one normalisation for all."""

import re
import unicodedata
from difflib import SequenceMatcher
from typing import List

STOPWORDS = frozenset(
    "a an the of in on at to and or is are was were be it its it's this that what which who "
    "whom whose when where why how do does did can could i me my you your we there their "
    "tell about please some any anything something for with by from into onto as more than per".split()
)


def normalise(text: str) -> str:
    """Lower case, plain quotes, accents removed, one space between words."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").lower()
    return " ".join(text.split())


def words(text: str) -> List[str]:
    """All word tokens of a text, normalised; hyphenated words are joined ("non-ferrous")."""
    return re.findall(r"[a-z0-9]+", re.sub(r"(?<=[a-z])-(?=[a-z])", "", normalise(text)))


def contains_phrase(said: List[str], phrase: List[str]) -> bool:
    """True when the word list `said` holds the words of `phrase` in a row (never for no words)."""
    return bool(phrase) and any(said[i : i + len(phrase)] == phrase for i in range(len(said)))


def content_words(text: str) -> List[str]:
    """Word tokens without stop words and stray letters (the "s" of "what's")."""
    return [w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`."""
    previous2: List[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


# Pinyin letters that a visitor who heard a name writes as they sound to an English ear.
_SOUNDS = (("zh", "j"), ("q", "ch"), ("x", "sh"))


def _spoken(word: str) -> str:
    """A word with pinyin's q, x and zh spelled as they sound ("liqian" -> "lichian")."""
    for letters, sound in _SOUNDS:
        word = word.replace(letters, sound)
    return word


def similar(a: str, b: str) -> bool:
    """True when two words are equal, a typo apart ("liquian" ~ "liqian", "musuem" ~ "museum")
    or the same name as it sounds ("lichian" ~ "liqian", "shining" ~ "xining").

    One edit is a typo for words of five letters or more ("like" is no typo of "lake");
    two only for long words that
    still share most letters ("leapord" ~ "leopard", but not "production" ~ "protection").
    """
    if a == b:
        return True
    if any(c.isdigit() for c in a + b):
        return False  # 2018 is not a typo of 2019
    if _spoken(a) == _spoken(b):
        return True  # a Chinese name written as it sounds: "lichian" is Liqian
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 2:
        return False
    distance = edit_distance(a, b)
    return distance <= 1 or (
        distance == 2 and min(len(a), len(b)) >= 7 and SequenceMatcher(None, a, b).ratio() >= 0.85
    )
