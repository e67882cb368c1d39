"""Shared fixtures: the knowledge base built from the real document, the domain, and
helpers that run an action and render what the visitor would read."""

import asyncio
import re
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from knowledge.base import KnowledgeBase
from knowledge.build import build

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "knowledge" / "jinchang.txt"
# Keys of a dispatched message that are not template variables.
MESSAGE_KEYS = {"text", "buttons", "elements", "custom", "template", "response", "image", "attachment"}


@pytest.fixture(scope="session")
def document() -> str:
    return DOCUMENT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def kb_data(document: str) -> Dict[str, Any]:
    return build(document, DOCUMENT.name)


@pytest.fixture(scope="session")
def kb(kb_data: Dict[str, Any]) -> KnowledgeBase:
    return KnowledgeBase(kb_data)


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


def make_tracker(
    text: str,
    intent: str,
    entities: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
) -> Tracker:
    """A tracker whose latest message is `text`, classified as `intent`."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    return Tracker("visitor", slots or {}, latest, [], False, None, {}, "action_listen")


def render(message: Dict[str, Any], domain: Dict[str, Any]) -> str:
    """The text a visitor reads for one dispatched message, buttons included."""
    text = message.get("text") or ""
    name = message.get("response")
    if name:
        template = domain["responses"][name][0]["text"]
        variables = {k: v for k, v in message.items() if k not in MESSAGE_KEYS}
        missing = set(re.findall(r"{(\w+)}", template)) - set(variables)
        assert not missing, f"{name} needs {missing}"
        text = template.format(**variables)
        buttons = domain["responses"][name][0].get("buttons", [])
    else:
        buttons = []
    titles = [b["title"] for b in (message.get("buttons") or []) + buttons]
    return "\n".join([text, *titles]).strip()


def run_action(action: Any, tracker: Tracker, domain: Dict[str, Any]) -> tuple:
    """Run an action; return (what the visitor reads, response names, events)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    texts = [render(m, domain) for m in dispatcher.messages]
    names = [m.get("response") for m in dispatcher.messages]
    return "\n".join(texts), names, events
