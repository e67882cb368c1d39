"""The wording of action replies (actions/replies.yml), filled with knowledge-base values."""

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import yaml

logger = logging.getLogger(__name__)

REPLIES = Path(__file__).resolve().parent / "replies.yml"

Message = Dict[str, Any]


@lru_cache(maxsize=None)
def templates(path: Path = REPLIES) -> Dict[str, Dict[str, Any]]:
    """All reply templates, read once per process."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for name, template in data.items():
        if not isinstance(template, dict) or "text" not in template:
            raise ValueError(f"{path}: reply {name!r} needs a 'text'")
    return data


def render(
    name: str,
    /,
    buttons: Optional[List[Dict[str, str]]] = None,
    sources: Sequence[str] = (),
    **values: Any,
) -> Message:
    """The message for reply `name`: its text and buttons with `values` filled in, and the
    document sentences (`sources`) it was built from."""
    try:
        template = templates()[name]
    except KeyError:
        raise KeyError(f"no reply {name!r} in {REPLIES}") from None
    # Keys other than text and buttons end up in the bot event's metadata: "reply" names
    # the template, "unanswered" marks an honest unknown, "sources" the sentences.
    message: Message = {"text": template["text"].format(**values), "reply": name}
    if template.get("unanswered"):
        message["unanswered"] = True
    if sources:
        message["sources"] = list(dict.fromkeys(sources))
    filled = [
        {"title": b["title"].format(**values), "payload": b["payload"].format(**values)}
        for b in template.get("buttons", [])
    ]
    if buttons or filled:
        message["buttons"] = (buttons or []) + filled
    return message


def say(
    dispatcher: Any,
    name: str,
    /,
    buttons: Optional[List[Dict[str, str]]] = None,
    sources: Sequence[str] = (),
    **values: Any,
) -> None:
    """Send reply `name` through a rasa_sdk dispatcher."""
    dispatcher.utter_message(**render(name, buttons, sources, **values))
