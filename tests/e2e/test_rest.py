"""End to end: the real Rasa server (the actions in its workers), real questions over REST."""

import urllib.error
import urllib.request
import uuid

import pytest

from server.serve import Servers

pytestmark = pytest.mark.e2e


def chat(servers: Servers, *questions: str) -> list:
    """Ask questions in one conversation; return the text of each reply, buttons included."""
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    replies = []
    for question in questions:
        messages = servers.ask(sender, question)
        parts = [m.get("text") or "" for m in messages]
        parts += [b["title"] for m in messages for b in m.get("buttons") or []]
        replies.append("\n".join(parts))
    return replies


@pytest.mark.parametrize(
    "question, expected",
    [
        ("What is the area of Jinchang?", "9,593 km²"),
        ("how many people live there", "458,200"),
        ("Which city lies east of Jinchang?", "Wuwei"),
        ("Why is Jinchang called the nickel capital?", "Nickel Capital of China"),
        ("Is Jinchang a National Garden City?", "2014"),
        ("Which mountain is Shengrong Temple on?", "Wudang Mountain"),
        ("liquian", "Yongchang county"),
        ("tell me about badain jaran", "Qomolangma"),
        ("shengrong templ", "Silk Road temple"),
        ("What can I see at the Jinchuan museum?", "nonferrous metals"),
    ],
)
def test_questions_get_answers_from_the_knowledge_base(servers, question, expected):
    (reply,) = chat(servers, question)
    assert expected in reply


@pytest.mark.parametrize(
    "question",
    [
        "How much does a hotel room cost in Jinchang?",
        "what's the weather like tomorrow",
        "How deep is Jinshui Lake?",
        "What's the population of Lanzhou?",
    ],
)
def test_unknowns_are_honest(servers, question):
    (reply,) = chat(servers, question)
    assert reply.startswith("Sorry")
    assert "458,200" not in reply


def test_where_is_it_follows_the_attraction(servers):
    first, second = chat(servers, "Tell me about Liqian", "where is it?")
    assert "Roman" in first
    assert second.splitlines()[0] == "Liqian ancient city is in Yongchang county of Jinchang city."


def test_list_then_the_second_one(servers):
    listing, second, lake = chat(
        servers, "What sights can I visit?", "the second one", "tell me more about the lake"
    )
    assert "Liqian ancient city" in listing and "Yongchang Protection Memorial" in listing
    assert second.startswith("Shengrong Temple")
    assert "reservoir" in lake


def test_awards_then_one_award(servers):
    awards, garden = chat(servers, "What awards has it won?", "when did it become a garden city?")
    assert "2015: National Civilized City" in awards
    assert garden.startswith("In 2014")


def test_empty_and_odd_input_get_a_reply_and_the_conversation_goes_on(servers):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    replies = {text: servers.ask(sender, text) for text in ["", "   ", "🙂🙂🙂", "x " * 50000]}
    for text in ["", "   ", "🙂🙂🙂"]:
        assert replies[text][0]["text"].startswith("I didn't catch a question there"), text
    assert "too long" in replies["x " * 50000][0]["text"]
    messages = servers.ask(sender, "population?")
    assert any("458,200" in (m.get("text") or "") for m in messages)


def test_broken_json_is_a_client_error(servers):
    request = urllib.request.Request(
        servers.rest_url, data=b"{not json", headers={"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=10)
    assert 400 <= error.value.code < 500
    assert servers.ask(f"e2e-{uuid.uuid4().hex[:8]}", "hi")[0]["text"].startswith("Hello")
