"""The model loaded the fast way (server/rasa_server.py) understands every evaluation
question exactly as the model loaded by Rasa's own code."""

import asyncio
from pathlib import Path
from typing import Any, Iterator, List

import pytest
import yaml
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from server import rasa_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "jinchang.tar.gz"


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
