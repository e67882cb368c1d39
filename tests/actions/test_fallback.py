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


def unsure(text, ranking):
    tracker = make_tracker(text, "nlu_fallback")
    tracker.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.45}] + [
        {"name": name, "confidence": confidence} for name, confidence in ranking
    ]
    return tracker


def test_an_unsure_question_between_two_answerable_intents_takes_the_likelier(kb, domain):
    tracker = unsure(
        "What is Jinchang's city nickname for tourism?", [("ask_slogan", 0.41), ("ask_nickname", 0.38)]
    )
    reply, names, events = run_action(ActionSearchDocument(kb), tracker, domain)
    assert names == []
    assert [type(e).__name__ if not isinstance(e, dict) else e["event"] for e in events] == [
        "rewind",
        "action",
        "user",
    ]
    assert events[2]["parse_data"]["intent"] == {"name": "ask_slogan", "confidence": 1.0}
    assert events[2]["text"] == "What is Jinchang's city nickname for tourism?"


def test_an_unsure_guess_that_is_out_of_scope_or_unlikely_is_not_taken(kb, domain):
    for ranking in ([("out_of_scope", 0.44), ("ask_area", 0.40)], [("ask_area", 0.2)]):
        _, names, events = run_action(ActionSearchDocument(kb), unsure("qwerty uiop", ranking), domain)
        assert names == ["unknown"] and events == []


def test_a_passage_about_the_city_does_not_answer_for_another_place(kb, domain):
    tracker = make_tracker(
        "Which ministry named Wuwei a garden city?", "nlu_fallback", [{"entity": "place", "value": "Wuwei"}]
    )
    reply, names, _ = run_action(ActionSearchDocument(kb), tracker, domain)
    assert names == ["other_place"] and "Housing" not in reply
