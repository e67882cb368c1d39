"""Pure helpers that turn knowledge-base entries into the variables of a response."""

import re
from typing import Any, Dict, List

from actions.replies import render
from knowledge.base import Entry


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


def neighbours_text(neighbours: List[Entry]) -> str:
    """ "Wuwei on the east" for each neighbour."""
    return join_words([f"{n['name']} on the {n['direction']}" for n in neighbours])


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


def reply_values(values: Dict[str, Any]) -> Dict[str, Any]:
    """An answer's values as its reply's template reads them: the sights `listed` as names
    and a button each, the neighbours and honours as text, an overview's `parts` rendered
    into one text."""
    values = dict(values)
    listed = values.pop("listed", None)
    if listed:
        values.update(names=join_words(listed), buttons=attraction_buttons(listed))
    if "neighbour_list" in values:
        values["neighbours"] = neighbours_text(values.pop("neighbour_list"))
    if "honour_list" in values:
        values["honours"] = "\n".join(honour_line(h) for h in values.pop("honour_list"))
    if "parts" in values:
        values["text"] = " ".join(render(part, **values)["text"] for part in values.pop("parts"))
    return values
