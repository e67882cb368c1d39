"""Pure helpers that turn knowledge-base entries into the variables of a response."""

import re
from typing import Dict, List

from knowledge.base import Entry, attraction_sources  # noqa: F401 (re-exported for the actions)


def join_words(items: List[str], conjunction: str = "and") -> str:
    """ "a", "a and b", "a, b and c" (or "a, b or c")."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def clarifying_buttons(text: str, reference: str, meanings: List[str]) -> List[Dict[str, str]]:
    """A button per meaning of an unclear reference: the visitor's question again, with the
    reference replaced by that meaning, so a click answers the question asked."""
    buttons = []
    for meaning in meanings:
        pattern = rf"\b(?:the\s+)?{re.escape(reference)}\b" if reference else ""
        asked = re.sub(pattern, meaning, text, count=1, flags=re.I) if pattern else ""
        if not asked or asked == text:
            asked = f"Tell me about {meaning}"
        buttons.append({"title": meaning, "payload": asked})
    return buttons


def neighbours_text(city: Entry) -> str:
    """ "Wuwei on the east" for each neighbour the document names."""
    return join_words([f"{n['name']} on the {n['direction']}" for n in city.get("neighbours", [])])


def honour_line(honour: Entry) -> str:
    """One honour as a list line: "2014: National Garden City (awarding body)"."""
    if "year" not in honour:
        return f"• {honour['title'][0].upper()}{honour['title'][1:]}"
    line = f"• {honour['year']}: {honour['title']}"
    if honour.get("body"):
        line += f" ({honour['body']})"
    if honour.get("note"):
        line += f", {honour['note']}"
    return line


def attraction_buttons(names: List[str]) -> List[Dict[str, str]]:
    """A button per attraction; its payload is the question a visitor would type."""
    return [{"title": name, "payload": f"Tell me about {name}"} for name in names]


def attraction_evidence(attraction: Entry) -> List[str]:
    """Everything the document says about an attraction, for the aspect check."""
    return [f["text"] for f in attraction.get("facts", [])] + list(attraction.get("descriptions", []))


def with_subject(sentence: str, name: str) -> str:
    """A source sentence that says "it" for the city, with the city named instead."""
    if name.lower() in sentence.lower():
        return sentence
    return re.sub(r"\b(?:it|It)\b", name, sentence, count=1)
