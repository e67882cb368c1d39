"""Greetings and goodbyes, and the questions the NLU takes for them."""

import pytest

from actions.chitchat import ActionCapabilities, ActionGoodbye, ActionGreet, ActionIAmABot, ActionThank
from tests.conftest import make_tracker, run_messages


@pytest.mark.parametrize(
    "action, text, intent",
    [
        (ActionGreet, "hello", "greet"),
        (ActionGreet, "hi, how are you?", "greet"),
        (ActionGreet, "good evening!", "greet"),
        (ActionGoodbye, "good night", "goodbye"),
        (ActionGoodbye, "ok bye, see you in Jinchang", "goodbye"),
        (ActionGoodbye, "thanks, that's all", "goodbye"),
        (ActionThank, "thanks a lot", "thank"),
        (ActionIAmABot, "are you a bot?", "bot_challenge"),
        (ActionCapabilities, "what can you do?", "ask_capabilities"),
    ],
)
def test_a_greeting_or_goodbye_gets_its_response(kb, domain, action, text, intent):
    messages, events = run_messages(action(kb), make_tracker(text, intent), domain)
    assert [m.get("response") for m in messages] == [action.response]
    assert events == []


@pytest.mark.parametrize(
    "action, text, intent, needle",
    [
        (ActionGoodbye, "is there a lake in the city", "goodbye", "Jinshui Lake"),
        (ActionGreet, "hi! tell me about the Liqian ancient city", "greet", "Roman"),
        (ActionGreet, "good evening, where is jinchang?", "greet", "Gansu"),
        (ActionCapabilities, "what is the Liqian scenic spot?", "ask_capabilities", "Roman"),
        (ActionThank, "thanks! and where is Jinshui Lake?", "thank", "Jinshui"),
    ],
)
def test_a_question_the_nlu_took_for_chitchat_is_answered(kb, domain, action, text, intent, needle):
    messages, _ = run_messages(action(kb), make_tracker(text, intent), domain)
    assert not any(m.get("response") for m in messages)
    assert needle in " ".join(m.get("text") or "" for m in messages)
