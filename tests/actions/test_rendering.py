"""No reply is rendered with a missing value: every question written for every test
document, asked under every question intent (a misclassified question takes another
action's path), reads as a sentence: no empty placeholder ("in  province, in ."), no
doubled space, no space before a comma or a full stop, no template brace."""

import re
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from tests.conftest import make_tracker, run_action
from tests.knowledge.test_documents import ACTIONS, DOCUMENTS, RULES, knowledge_base

# The intents whose rules run an action of the knowledge base.
INTENTS = sorted(intent for intent, action in RULES.items() if action in ACTIONS)
BROKEN = re.compile(r" {2}| [,.;:](?! ?\d)|[{}]|\(\s*\)|\b(?:in|of|is|the|and) [.,;]|: \.|^\s*$")


def questions(stem: str) -> List[str]:
    """Every question of a document's question files (yml and score.yml), in order."""
    asked: List[str] = []
    for path in sorted(DOCUMENTS.glob(f"{stem}*.yml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for kind in ("answered", "single", "unknown"):
            asked += [item["q"] for item in spec.get(kind, [])]
        asked += [turn["q"] for dialogue in spec.get("dialogues", []) for turn in dialogue]
    return list(dict.fromkeys(asked))


def broken_lines(reply: str) -> List[str]:
    return [line for line in reply.split("\n") if BROKEN.search(line)]


@pytest.mark.parametrize("stem", sorted(p.stem for p in DOCUMENTS.glob("*.txt")))
def test_every_reply_of_every_document_reads_whole(stem: str, domain: Dict[str, Any]) -> None:
    kb = knowledge_base(stem)
    broken = []
    for text in questions(stem):
        for intent in INTENTS:
            action = ACTIONS[RULES[intent]](kb)
            reply, _, _ = run_action(action, make_tracker(text, intent), domain)
            broken += [f"{intent}: {text!r} -> {line!r}" for line in broken_lines(reply)]
    assert not broken, "\n".join(broken[:20])


def test_the_check_finds_an_empty_placeholder() -> None:
    assert broken_lines("Yanghe is in  province, in .")
    assert broken_lines("The attractions it names are: .")
    assert not broken_lines("Baiyang is 7,415 km² in size; it lies at 1,620 m.")


def test_the_documents_have_questions() -> None:
    assert all(questions(path.stem) for path in Path(DOCUMENTS).glob("*.txt"))
