"""Which position of a list a visitor picks ("the second one")."""

import re
from typing import Optional

from knowledge.text import normalise

ORDINALS = {
    "first": 1,
    "1st": 1,
    "one": 1,
    "second": 2,
    "2nd": 2,
    "two": 2,
    "third": 3,
    "3rd": 3,
    "three": 3,
    "fourth": 4,
    "4th": 4,
    "four": 4,
    "fifth": 5,
    "5th": 5,
    "five": 5,
    "sixth": 6,
    "6th": 6,
    "six": 6,
    "seventh": 7,
    "7th": 7,
    "seven": 7,
    "eighth": 8,
    "8th": 8,
    "eight": 8,
    "ninth": 9,
    "9th": 9,
    "nine": 9,
    "tenth": 10,
    "10th": 10,
    "ten": 10,
}


def parse_ordinal(text: str, count: int) -> Optional[int]:
    """A 0-based list position from "the second one", "3", "number four" or "the last"."""
    said = normalise(text)
    if re.search(r"\b(?:last|final)\b", said):
        return count - 1 if count else None
    if re.search(r"\b(?:penultimate|second to last|second last)\b", said):
        return count - 2 if count > 1 else None
    for token in re.findall(r"[a-z0-9]+", said):
        position = int(token) if token.isdigit() else ORDINALS.get(token)
        if position is not None:
            return position - 1 if 1 <= position <= count else None
    return None
