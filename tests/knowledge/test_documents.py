"""Documents a maintainer might write: each is built into a knowledge base and asked the
questions of its .yml file through the actions the rules pick, with no trained model.

A question with an `intent` is asked as the NLU would classify it; one without is asked
under every intent a misclassification could give, and must get the same kind of answer
each time: the sentence-level answers must not depend on the NLU guessing right.
"""

import re
from pathlib import Path
from typing import Any, Dict, List, Sequence

import pytest
import yaml

from actions.attractions import ActionDescribeAttraction, ActionListAttractions
from actions.city import ActionAnswerCityFact, ActionAnswerHonours, ActionAnswerLocation
from actions.fallback import ActionAnswerUnknown, ActionSearchDocument
from knowledge.base import KnowledgeBase
from knowledge.build import build
from tests.conftest import ROOT, make_tracker, run_action

DOCUMENTS = Path(__file__).resolve().parent / "documents"
ACTIONS = {
    cls().name(): cls
    for cls in (
        ActionAnswerCityFact,
        ActionAnswerHonours,
        ActionAnswerLocation,
        ActionListAttractions,
        ActionDescribeAttraction,
        ActionAnswerUnknown,
        ActionSearchDocument,
    )
}
# The intents a question the NLU does not recognise can end up with.
UNSURE_INTENTS = ("out_of_scope", "nlu_fallback", "ask_attraction", "ask_location")
ADMITS = re.compile(r"\b(?:sorry|doesn't (?:mention|say|cover)|don't have)\b", re.I)


def rules() -> Dict[str, str]:
    """intent -> action, read from the rules (each question intent has one rule)."""
    found: Dict[str, str] = {}
    for path in (ROOT / "data" / "rules").glob("*.yml"):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules", []):
            steps = rule.get("steps", [])
            if len(steps) >= 2 and "intent" in steps[0] and "action" in steps[1]:
                found.setdefault(steps[0]["intent"], steps[1]["action"])
    return found


RULES = rules()


# Pages written as real sites write them (encyclopedia, travel site, travel blog, tourism
# board): their questions are scored, not each required; see test_real_pages_score.
# Floors (share answered, share of unknowns declined) measured on 2026-12-06
# (2026-12-04: .3/.8, .5/.8, .3/.6, .55/.8 before the passage search).
REAL_PAGES = {
    "wiki_page": (0.65, 0.95),
    "travel_site": (0.8, 0.85),
    "travel_blog": (0.7, 0.95),
    "tourism_board": (0.7, 0.95),
}


def cases() -> List[Any]:
    params = []
    for questions in sorted(DOCUMENTS.glob("*.yml")):
        if questions.stem in REAL_PAGES or questions.name.endswith(".score.yml"):
            continue
        spec = yaml.safe_load(questions.read_text(encoding="utf-8"))
        for kind in ("answered", "unknown"):
            for item in spec.get(kind, []):
                params.append(pytest.param(questions.stem, kind, [item], id=f"{questions.stem}: {item['q']}"))
        for dialogue in spec.get("dialogues", []):
            params.append(
                pytest.param(questions.stem, "dialogue", dialogue, id=f"{questions.stem}: {dialogue[0]['q']}")
            )
    return params


_KBS: Dict[str, KnowledgeBase] = {}


def knowledge_base(stem: str) -> KnowledgeBase:
    if stem not in _KBS:
        document = DOCUMENTS / f"{stem}.txt"
        _KBS[stem] = KnowledgeBase(build(document.read_text(encoding="utf-8"), document.name))
    return _KBS[stem]


def ask(
    kb: KnowledgeBase,
    text: str,
    intent: str,
    slots: Dict[str, Any],
    domain: Dict[str, Any],
    said_before: Sequence[str] = (),
) -> tuple:
    action = ACTIONS[RULES[intent]](kb)
    return run_action(action, make_tracker(text, intent, slots=dict(slots), said_before=said_before), domain)


def check(turn: Dict[str, Any], kind: str, reply: str) -> None:
    for fragment in turn.get("expect", []):
        # A fragment given as a list is any one of its wordings.
        alternatives = fragment if isinstance(fragment, list) else [fragment]
        assert any(a in reply for a in alternatives), f"{turn['q']!r} -> {reply!r}: missing {fragment!r}"
    for fragment in turn.get("forbid", []):
        assert fragment not in reply, f"{turn['q']!r} -> {reply!r}: says {fragment!r}"
    if kind == "unknown" or turn.get("admit"):
        assert ADMITS.search(reply), f"{turn['q']!r} -> {reply!r}: does not say the document lacks it"
    elif kind == "answered":
        assert not ADMITS.search(reply), f"{turn['q']!r} -> {reply!r}: declines"


@pytest.mark.parametrize("stem, kind, turns", cases())
def test_the_document_answers(stem, kind, turns, domain):
    kb = knowledge_base(stem)
    slots: Dict[str, Any] = {}
    said: List[str] = []
    for turn in turns:
        intents = [turn["intent"]] if "intent" in turn else UNSURE_INTENTS
        for intent in intents:
            reply, _, events = ask(kb, turn["q"], intent, slots, domain, said_before=said)
            check(turn, kind if kind != "dialogue" else "", reply)
        said.append(turn["q"])
        for event in events:
            if event.get("event") == "slot":
                slots[event["name"]] = event["value"]


@pytest.mark.parametrize("stem", sorted(REAL_PAGES))
def test_real_pages_score(stem, domain):
    """A page pasted from a real site: at least the measured share of its questions is
    answered (asked as out_of_scope, the intent that trusts the NLU least) and of its
    unknowns declined honestly without the wrong value (floors, not targets)."""
    spec = yaml.safe_load((DOCUMENTS / f"{stem}.yml").read_text(encoding="utf-8"))
    kb = knowledge_base(stem)
    scores = {}
    for kind in ("answered", "unknown"):
        passed = 0
        for item in spec[kind]:
            reply = ask(kb, item["q"], "out_of_scope", {}, domain)[0].split("\n")[0]
            try:
                check(item, kind, reply)
                passed += 1
            except AssertionError:
                pass
        scores[kind] = passed / len(spec[kind])
    answered, declined = REAL_PAGES[stem]
    assert scores["answered"] >= answered and scores["unknown"] >= declined, scores
