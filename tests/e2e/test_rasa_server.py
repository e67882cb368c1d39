"""The model loaded the fast way (server/rasa_server.py, 1) understands every evaluation
question exactly as the model loaded by Rasa's own code, and the policies given the states of
a conversation walked once (9) predict every action as they do with Rasa's walk."""

import asyncio
from collections import OrderedDict
from pathlib import Path
from typing import Any, Iterator, List, Tuple

import pytest
import yaml
from rasa.core.agent import Agent
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.tensorflow.models import RasaModel

from server import rasa_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "jinchang.tar.gz"
QUESTION_SETS = sorted((ROOT / "tests" / "eval").glob("*.yml")) + [
    ROOT.parent / "shared" / "eval" / name for name in ("dev.yml", "dev2.yml")
]


def questions(data: Any) -> Iterator[str]:
    """Every question (`q`) in an evaluation file, dialogue turns included."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "q" and isinstance(value, str):
                yield value
            else:
                yield from questions(value)
    elif isinstance(data, list):
        for value in data:
            yield from questions(value)


def parses(agent: Agent, texts: List[str]) -> List[dict]:
    """What the NLU makes of each text: intent ranking and entities."""
    results = [asyncio.run(agent.parse_message(text)) for text in texts]
    return [{k: r.get(k) for k in ("intent", "intent_ranking", "entities")} for r in results]


def test_the_fast_load_gives_the_same_understanding_as_rasas(monkeypatch):
    texts = [
        q
        for path in sorted((ROOT / "tests" / "eval").glob("*.yml"))
        for q in questions(yaml.safe_load(path.read_text()))
    ]
    assert len(texts) > 300
    rasas = parses(Agent.load(str(MODEL)), texts)
    monkeypatch.setattr(RasaModel, "load", classmethod(rasa_server.load_model))
    fast = parses(Agent.load(str(MODEL)), texts)
    assert fast == rasas


def conversation(agent: Agent, sender: str, texts: List[str]) -> Tuple[List[List[str]], List[tuple]]:
    """One visitor asking `texts` in turn: the replies of each turn, and every action predicted
    in the conversation with the policy that chose it and its confidence."""
    replies = [
        [str(m.get("text")) for m in asyncio.run(agent.handle_text(text, sender_id=sender))] for text in texts
    ]
    tracker = asyncio.run(agent.tracker_store.retrieve(sender))
    actions = [
        (e.action_name, e.policy, e.confidence) for e in tracker.events if isinstance(e, ActionExecuted)
    ]
    return replies, actions


def test_the_walk_kept_per_conversation_predicts_every_action_as_rasas_walk(monkeypatch):
    """Long conversations: every evaluation question asked by one visitor in order, and the
    first hundred by another in reverse order; each turn's replies and every predicted action, policy and confidence the
    same with the launcher's states_for_tracker_history as with Rasa's."""
    texts = [
        q for path in QUESTION_SETS if path.is_file() for q in questions(yaml.safe_load(path.read_text()))
    ]
    assert len(texts) > 300
    orders = (texts, texts[99::-1])
    monkeypatch.setattr(RasaModel, "load", classmethod(rasa_server.load_model))
    monkeypatch.setattr(EndpointConfig, "request", rasa_server.request)
    agent = Agent.load(str(MODEL), action_endpoint=EndpointConfig(actions_module="actions"))
    rasas = [conversation(agent, f"rasa-{n}", order) for n, order in enumerate(orders)]
    monkeypatch.setattr(rasa_server, "_walks", OrderedDict())
    monkeypatch.setattr(Domain, "states_for_tracker_history", rasa_server.states_for_tracker_history)
    kept = [conversation(agent, f"kept-{n}", order) for n, order in enumerate(orders)]
    for (rasa_replies, rasa_actions), (replies, actions) in zip(rasas, kept):
        turn = next((n for n, pair in enumerate(zip(rasa_replies, replies)) if pair[0] != pair[1]), None)
        assert turn is None, f"turn {turn} ({texts[turn]!r}): {replies[turn]} != {rasa_replies[turn]}"
        assert actions == rasa_actions
    assert len(rasa_server._walks) > 0  # the kept walk was used
    policies = {policy for _, actions in rasas for _, policy, _ in actions}
    assert "RulePolicy" in policies  # its rules match on the states (MemoizationPolicy never wins here)
