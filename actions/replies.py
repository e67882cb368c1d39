"""The wording of action replies (actions/replies.yml), filled with knowledge-base values."""

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

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


def render(name: str, /, buttons: Optional[List[Dict[str, str]]] = None, **values: Any) -> Message:
    """The message for reply `name`: its text and buttons with `values` filled in."""
    try:
        template = templates()[name]
    except KeyError:
        raise KeyError(f"no reply {name!r} in {REPLIES}") from None
    # "reply" names the template; Rasa keeps it in the bot event's metadata.
    message: Message = {"text": template["text"].format(**values), "reply": name}
    filled = [
        {"title": b["title"].format(**values), "payload": b["payload"].format(**values)}
        for b in template.get("buttons", [])
    ]
    if buttons or filled:
        message["buttons"] = (buttons or []) + filled
    return message


def say(dispatcher: Any, name: str, /, buttons: Optional[List[Dict[str, str]]] = None, **values: Any) -> None:
    """Send reply `name` through a rasa_sdk dispatcher."""
    dispatcher.utter_message(**render(name, buttons, **values))
