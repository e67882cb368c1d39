"""Which REST requests the visitor channel answers and which get a 400."""

import asyncio

import pytest

from channels.rest import AnswerCollector, request_problem


@pytest.mark.parametrize(
    "body",
    [
        {"sender": "v", "message": "Where is Jinchang?"},
        {"sender": 7, "message": ""},
        {"sender": "v", "message": "hi", "metadata": {"page": "home"}},
    ],
)
def test_well_formed_requests_are_answered(body):
    assert request_problem(body) is None


@pytest.mark.parametrize(
    "body, field",
    [
        ([], "JSON object"),
        ("hello", "JSON object"),
        ({"message": "hi"}, "sender"),
        ({"sender": "", "message": "hi"}, "sender"),
        ({"sender": ["v"], "message": "hi"}, "sender"),
        ({"sender": "v"}, "message"),
        ({"sender": "v", "message": 5}, "message"),
        ({"sender": "v", "message": "hi", "metadata": "x"}, "metadata"),
    ],
)
def test_malformed_requests_get_a_reason(body, field):
    assert field in request_problem(body)


def test_an_answer_is_one_message_with_its_sources():
    collector = AnswerCollector()
    source = {"sentence": "Jinchang covers 9,600 km2.", "paragraph": 1}
    message = {"text": "It is big.", "buttons": [{"title": "Why?", "payload": "Why?"}], "sources": [source]}
    asyncio.run(collector.send_response("visitor", {**message, "reply": "area", "topic": "area"}))
    assert collector.messages == [
        {
            "recipient_id": "visitor",
            "text": "It is big.",
            "buttons": [{"title": "Why?", "payload": "Why?"}],
            "custom": {"sources": [source]},
        }
    ]
