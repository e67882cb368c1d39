"""Custom actions in the Rasa process (server/rasa_server.py, 7), on the trained model and the
real actions: every evaluation question gets the same replies, sources and events as over HTTP
from the action server, and Rasa's processor handles what an action returns or raises as before
(slots, followups, rejections; an exception gets the visitor the apology, never an error)."""

import asyncio
import logging
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import yaml
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.tensorflow.models import RasaModel
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.interfaces import ActionExecutionRejection

from actions.replies import render
from channels.guard import guard_messages
from channels.rest import AnswerCollector
from server import rasa_server
from server.serve import Servers, free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "jinchang.tar.gz"
QUESTION_SETS = sorted((ROOT / "tests" / "eval").glob("*.yml")) + [
    ROOT.parent / "shared" / "eval" / name for name in ("dev.yml", "dev2.yml")
]
IN_PROCESS = EndpointConfig(actions_module="actions")


def conversations(path: Path) -> Iterator[List[str]]:
    """The conversations of an evaluation file: one per single or unknown question, one per
    dialogue (its turns in order)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for items in data.values():
        for item in items or []:
            turns = item if isinstance(item, list) else [item]
            yield [turn["q"] for turn in turns if isinstance(turn, dict) and "q" in turn]


@pytest.fixture(scope="module")
def agent() -> Iterator[Agent]:
    """The trained model loaded as `make run` loads it, with the launcher's request."""
    if not MODEL.is_file():
        pytest.fail(f"no model at {MODEL}: run `make train` (make e2e does)")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RasaModel, "load", classmethod(rasa_server.load_model))
        patch.setattr(EndpointConfig, "request", rasa_server.request)
        yield Agent.load(str(MODEL), action_endpoint=IN_PROCESS)


@pytest.fixture(scope="module")
def action_server() -> Iterator[EndpointConfig]:
    """The real action server, as `make run` starts it for endpoints with a url."""
    servers = Servers(MODEL, actions_port=free_port(), log_dir=ROOT / "results" / "e2e")
    servers.start_actions()
    try:
        yield EndpointConfig(f"http://localhost:{servers.actions_port}/webhook")
    finally:
        servers.stop_actions()


def chat(agent: Agent, endpoint: EndpointConfig, questions: List[str]) -> Tuple[list, list]:
    """One conversation through the REST channel's guard and output, actions run at `endpoint`:
    the messages of each turn (text, buttons, sources), and the stored events (no timestamps)."""
    agent.processor.action_endpoint = endpoint
    sender = f"actions-{uuid.uuid4().hex[:8]}"
    replies = []
    for number, question in enumerate(questions):
        output = AnswerCollector()
        message = UserMessage(question, output, sender, message_id=f"turn-{number}")
        asyncio.run(guard_messages(agent.handle_message)(message))
        replies.append([{k: v for k, v in m.items() if k != "recipient_id"} for m in output.messages])
    tracker = asyncio.run(agent.tracker_store.retrieve(sender))
    events = [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in tracker.events]
    return replies, events


def test_every_evaluation_question_gets_the_same_answer_in_process_as_from_the_action_server(
    agent, action_server
):
    asked = sources = slots = 0
    for path in QUESTION_SETS:
        if not path.is_file():
            continue
        for questions in conversations(path):
            local = chat(agent, IN_PROCESS, questions)
            remote = chat(agent, action_server, questions)
            assert local == remote, f"{path.name}: {questions}"
            asked += len(questions)
            replies, events = local
            sources += sum(bool((m.get("custom") or {}).get("sources")) for turn in replies for m in turn)
            slots += sum(e["event"] == "slot" and e["value"] is not None for e in events)
    missing = [str(path) for path in QUESTION_SETS if not path.is_file()]  # ../shared/eval: clone beside it
    assert asked > 400 and sources > 300 and slots > 100, (asked, sources, slots, "missing:", missing)


def first_action(agent: Agent, question: str) -> str:
    """The custom action Rasa runs to answer `question` at the start of a conversation."""
    sender = f"actions-{uuid.uuid4().hex[:8]}"
    agent.processor.action_endpoint = IN_PROCESS
    asyncio.run(agent.handle_message(UserMessage(question, AnswerCollector(), sender)))
    tracker = asyncio.run(agent.tracker_store.retrieve(sender))
    ran = [e.action_name for e in tracker.events if getattr(e, "action_name", None)]
    return next(name for name in ran if name.startswith("action_") and name not in NOT_CUSTOM)


NOT_CUSTOM = {"action_listen", "action_session_start", "action_extract_slots"}


@pytest.fixture
def replace_action(monkeypatch):
    """Replace a registered action of the in-process executor for one test."""
    executor = rasa_server.action_executor("actions")

    def replace(name: str, run: Any) -> Any:
        original = executor.actions[name]
        monkeypatch.setitem(executor.actions, name, run)
        return original

    return replace


def ask(agent: Agent, sender: str, question: str) -> List[Dict[str, Any]]:
    """What a REST visitor gets for `question`, actions in the process."""
    agent.processor.action_endpoint = IN_PROCESS
    output = AnswerCollector()
    asyncio.run(guard_messages(agent.handle_message)(UserMessage(question, output, sender)))
    return output.messages


def test_an_exception_in_an_action_gets_the_apology_and_the_conversation_goes_on(
    agent, replace_action, caplog
):
    name = first_action(agent, "Where is Jinchang?")

    def broken(dispatcher: Any, tracker: Any, domain: Any) -> list:
        dispatcher.utter_message(text="half an answer")
        raise ZeroDivisionError("a bug")

    sender = f"actions-{uuid.uuid4().hex[:8]}"
    original = replace_action(name, broken)
    with caplog.at_level(logging.ERROR):
        messages = ask(agent, sender, "Where is Jinchang?")
    assert [m["text"] for m in messages] == [render("unavailable")["text"]]
    assert any("ZeroDivisionError: a bug" in (r.exc_text or "") for r in caplog.records)
    tracker = asyncio.run(agent.tracker_store.retrieve(sender))
    assert not [e for e in tracker.events if e.type_name == "bot"]  # the half answer is lost
    replace_action(name, original)
    assert "Gansu" in ask(agent, sender, "Where is Jinchang?")[0]["text"]


def test_slots_and_a_followup_from_an_action_are_applied_by_rasa(agent, replace_action):
    name = first_action(agent, "Where is Jinchang?")

    def hand_on(dispatcher: Any, tracker: Any, domain: Any) -> list:
        return [SlotSet("place", "Wuwei"), FollowupAction("utter_greet")]

    replace_action(name, hand_on)
    sender = f"actions-{uuid.uuid4().hex[:8]}"
    messages = ask(agent, sender, "Where is Jinchang?")
    assert messages[0]["text"] == agent.domain.responses["utter_greet"][0]["text"]
    tracker = asyncio.run(agent.tracker_store.retrieve(sender))
    events = [
        (e.type_name, getattr(e, "action_name", None) or getattr(e, "key", None)) for e in tracker.events
    ]
    ran = events.index(("action", name))
    assert events[ran + 1 : ran + 4] == [
        ("slot", "place"),
        ("followup", "utter_greet"),
        ("action", "utter_greet"),
    ]
    slot = next(e for e in tracker.events if e.type_name == "slot" and e.key == "place")
    assert slot.value == "Wuwei"


def test_a_rejected_action_is_recorded_and_rasa_answers_without_it(agent, replace_action):
    name = first_action(agent, "Where is Jinchang?")

    def reject(dispatcher: Any, tracker: Any, domain: Any) -> list:
        raise ActionExecutionRejection(name, "not now")

    replace_action(name, reject)
    sender = f"actions-{uuid.uuid4().hex[:8]}"
    messages = ask(agent, sender, "Where is Jinchang?")
    assert [m["text"] for m in messages] == [render("unavailable")["text"]]
    tracker = asyncio.run(agent.tracker_store.retrieve(sender))
    assert [e.action_name for e in tracker.events if e.type_name == "action_execution_rejected"] == [name]
