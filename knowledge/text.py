"""Text helpers shared by the knowledge base lookups: one normalisation for all."""

import re
import unicodedata
from difflib import SequenceMatcher
from typing import List

STOPWORDS = frozenset(
    "a an the of in on at to and or is are was were be it its it's this that what which who "
    "whom whose when where why how do does did can could i me my you your we there their "
    "tell about please some any for with by from as more than".split()
)


def normalise(text: str) -> str:
    """Lower case, plain quotes, accents removed, one space between words."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").lower()
    return " ".join(text.split())


def words(text: str) -> List[str]:
    """All word tokens of a text, normalised."""
    return re.findall(r"[a-z0-9]+", normalise(text))


def content_words(text: str) -> List[str]:
    """Word tokens without stop words."""
    return [w for w in words(text) if w not in STOPWORDS]


def similar(a: str, b: str, cutoff: float = 0.8) -> bool:
    """True when two words are equal or a typo apart ("liquian" ~ "liqian")."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 2:
        return False
    return SequenceMatcher(None, a, b).ratio() >= cutoff
