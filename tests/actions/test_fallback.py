"""Honest unknowns and the document search behind low-confidence NLU."""

import pytest

from actions.fallback import ActionAnswerUnknown, ActionSearchDocument
from tests.conftest import make_tracker, run_action


@pytest.mark.parametrize(
    "text, needle",
    [
        ("How much does a hotel room cost in Jinchang?", "hotels"),
        ("When does the bus to Jinshui Lake leave?", "transport of Jinshui Lake"),
        ("What is the height of Shengrong Temple's pagoda?", "height of Shengrong Temple"),
        ("tell me a joke", "doesn't cover it"),
    ],
)
def test_out_of_scope_is_declined_specifically(kb, domain, text, needle):
    reply, _, _ = run_action(ActionAnswerUnknown(kb), make_tracker(text, "out_of_scope"), domain)
    assert reply.startswith("Sorry")
    assert needle in reply


def test_other_place_is_declined(kb, domain):
    tracker = make_tracker("how big is beijing", "out_of_scope", [{"entity": "place", "value": "Beijing"}])
    reply, names, _ = run_action(ActionAnswerUnknown(kb), tracker, domain)
    assert names == ["other_place"]
    assert "Beijing" in reply


def test_search_answers_with_a_clearly_matching_sentence(kb, domain):
    tracker = make_tracker("What kind of metal is Jinchang rich in?", "nlu_fallback")
    reply, names, _ = run_action(ActionSearchDocument(kb), tracker, domain)
    assert names == ["document_says"]
    assert "rich nonferrous metal" in reply


def test_search_matching_an_attraction_describes_it(kb, domain):
    tracker = make_tracker("exiled roman soldiers legend", "nlu_fallback")
    reply, names, _ = run_action(ActionSearchDocument(kb), tracker, domain)
    assert names == ["attraction"]
    assert "Roman soldiers" in reply


def test_search_below_threshold_is_honest(kb, domain):
    reply, names, _ = run_action(
        ActionSearchDocument(kb), make_tracker("qwerty uiop", "nlu_fallback"), domain
    )
    assert names == ["unknown"]
    assert reply.startswith("Sorry, I don't have information about that")


def test_search_declines_an_unanswerable_aspect(kb, domain):
    reply, names, _ = run_action(
        ActionSearchDocument(kb), make_tracker("pagoda height please", "nlu_fallback"), domain
    )
    assert names == ["aspect_unknown"]


def test_a_too_long_message_gets_a_clear_reply(kb, domain):
    reply, names, _ = run_action(
        ActionSearchDocument(kb), make_tracker("where is it " * 500, "nlu_fallback"), domain
    )
    assert names == ["too_long"]
    assert "fewer than 1000 characters" in reply


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂", "?!"])
def test_a_message_without_a_question_gets_a_prompt(kb, domain, text):
    reply, names, _ = run_action(ActionAnswerUnknown(kb), make_tracker(text, "out_of_scope"), domain)
    assert names == ["no_question"]
    assert reply.startswith("I didn't catch a question there")


def test_out_of_scope_needs_a_close_match_to_be_answered(kb, domain):
    reply, names, _ = run_action(
        ActionAnswerUnknown(kb), make_tracker("What's the capital of China?", "out_of_scope"), domain
    )
    assert names == ["unknown"]
    reply, names, _ = run_action(
        ActionAnswerUnknown(kb), make_tracker("which temple is on wudang mountian", "out_of_scope"), domain
    )
    assert names == ["attraction"] and "Shengrong Temple" in reply
