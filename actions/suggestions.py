"""The next questions offered under an answer: what the knowledge base can answer about the
subject just discussed that the visitor has not been told yet (actions/suggestions.yml)."""

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import yaml

from knowledge.base import Entry, KnowledgeBase

SUGGESTIONS = Path(__file__).resolve().parent / "suggestions.yml"
MAX_SUGGESTIONS = 3

Button = Dict[str, str]


@lru_cache(maxsize=None)
def catalogue(path: Path = SUGGESTIONS) -> Dict[str, List[Dict[str, Any]]]:
    """The suggestions of actions/suggestions.yml by subject kind, read once per process."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for kind in ("city", "attraction"):
        for entry in data.get(kind, []):
            missing = {"topic", "needs", "replies", "title", "payload"} - set(entry)
            if missing:
                raise ValueError(f"{path}: a {kind} suggestion lacks {', '.join(sorted(missing))}")
    return data


def topic(reply: str, attraction: Optional[str] = None) -> str:
    """What a reply told: "population", "Liqian ancient city: history"; the reply's own
    name when no suggestion covers it ("verdict")."""
    for entry in catalogue()["attraction"] if attraction else []:
        if reply in entry["replies"]:
            return f"{attraction}: {entry['topic']}"
    for entry in catalogue()["city"]:
        if reply in entry["replies"]:
            return entry["topic"]
    return f"{attraction}: {reply}" if attraction else reply


def suggestions(kb: KnowledgeBase, attraction: Optional[Entry], told: Iterable[str]) -> List[Button]:
    """Up to three questions about the attraction (if any), then the city, that the
    knowledge base answers and that are not among the topics already `told`."""
    told = set(told)
    city = kb.city
    values = {"city": city["name"], "nickname": (city.get("nickname") or {}).get("value", "")}
    subjects = [("city", {**city, "attractions": kb.attractions}, "")]
    if attraction is not None:
        subjects.insert(0, ("attraction", attraction, f"{attraction['name']}: "))
        values["name"] = attraction["name"]
    buttons: List[Button] = []
    for kind, entry, prefix in subjects:
        for suggestion in catalogue()[kind]:
            if prefix + suggestion["topic"] in told or not entry.get(suggestion["needs"]):
                continue
            buttons.append(
                {
                    "title": suggestion["title"].format(**values),
                    "payload": suggestion["payload"].format(**values),
                }
            )
    return buttons[:MAX_SUGGESTIONS]
