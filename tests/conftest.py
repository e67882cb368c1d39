"""Shared fixtures: the knowledge base built from the real document, the domain, and
helpers that run an action and render what the visitor would read."""

import asyncio
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from knowledge.base import KnowledgeBase
from knowledge.build import build

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "knowledge" / "jinchang.txt"


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
    said_before: Sequence[str] = (),
) -> Tracker:
    """A tracker whose latest message is `text`, classified as `intent`, after the
    visitor's messages `said_before`."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    events = [{"event": "user", "text": said} for said in [*said_before, text]]
    return Tracker("visitor", slots or {}, latest, events, False, None, {}, "action_listen")


def run_action(action: Any, tracker: Tracker, domain: Dict[str, Any]) -> tuple:
    """Run an action; return (what the visitor reads, reply names, events)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    texts = [
        "\n".join([m.get("text") or "", *(b["title"] for b in m.get("buttons") or [])]).strip()
        for m in dispatcher.messages
    ]
    return "\n".join(texts), [m.get("reply") for m in dispatcher.messages], events


def first_line(reply: str) -> str:
    """The first line of what run_action returns: the answer without the buttons under it."""
    return reply.split("\n")[0]


def run_messages(action: Any, tracker: Tracker, domain: Dict[str, Any]) -> tuple:
    """Run an action; return (the bot messages as the channels get them, events)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain))
    return dispatcher.messages, events
