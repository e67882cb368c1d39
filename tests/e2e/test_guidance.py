"""End to end over REST: every answer to the evaluation questions carries the document
sentences it came from, every suggested next question gets an answer, and "source?" quotes
the previous answer."""

import re
import uuid
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from knowledge.base import KnowledgeBase, load

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "knowledge" / "jinchang.txt"
QUESTION_SETS = sorted((ROOT / "tests" / "eval").glob("*.yml"))


def paragraphs() -> List[str]:
    """The document's paragraphs, counted from 1 as the sources count them."""
    text = DOCUMENT.read_text(encoding="utf-8")
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def questions() -> List[str]:
    """The answerable questions of the evaluation sets."""
    found: List[str] = []
    for path in QUESTION_SETS:
        found += [item["q"] for item in yaml.safe_load(path.read_text(encoding="utf-8"))["single"]]
    return found


def sources(messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [s for m in messages for s in (m.get("custom") or {}).get("sources", [])]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load()


@pytest.fixture(scope="module")
def answers(servers) -> Dict[str, List[Dict[str, Any]]]:
    """Each evaluation question asked in a conversation of its own: the bot's messages."""
    return {question: servers.ask(f"e2e-{uuid.uuid4().hex[:8]}", question) for question in questions()}


def test_every_answer_shows_sentences_of_the_document(answers):
    document = paragraphs()
    # A question asked back ("Which attraction do you mean?") quotes nothing yet.
    without = [
        question
        for question, messages in answers.items()
        if not sources(messages) and not (messages[-1].get("text") or "").endswith("?")
    ]
    assert not without, f"{len(without)} answers without a source, e.g. {without[:5]}"
    for question, messages in answers.items():
        for source in sources(messages):
            assert source["sentence"] in document[source["paragraph"] - 1], question


def test_every_answer_ends_with_suggestions_that_are_answered(servers, answers):
    suggested = {}
    for question, messages in answers.items():
        buttons = messages[-1].get("buttons") or []
        assert 2 <= len(buttons) <= 8, question  # suggestions, or an answer's own choices
        for button in buttons:
            suggested.setdefault(button["payload"], question)
    assert len(suggested) >= 8
    for payload, after in suggested.items():
        messages = servers.ask(f"e2e-{uuid.uuid4().hex[:8]}", payload)
        text = " ".join(m.get("text") or "" for m in messages)
        assert sources(messages) and not text.startswith("Sorry"), f"{payload!r} (after {after!r}): {text}"


def test_source_quotes_the_previous_answer(servers, kb):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    servers.ask(sender, "How big is Jinchang?")
    (quoted,) = servers.ask(sender, "where does that come from?")
    assert kb.city["area"]["source"] in quoted["text"]
    assert quoted["text"].startswith("That comes from the city document")
