"""What every public channel does to visitor text before Rasa reads it."""

import asyncio
import re
from typing import List

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from actions.context import MAX_MESSAGE_CHARS as ACTIONS_MAX_MESSAGE_CHARS
from actions.replies import render
from channels.guard import (
    MAX_MESSAGE_CHARS,
    STORED_CHARS,
    guard_messages,
    plain_text,
    reads_as_english,
    valid_sender,
)


@pytest.mark.parametrize(
    "text, plain",
    [
        ('/ask_population{"place": "Lanzhou"}', 'ask_population{"place": "Lanzhou"}'),
        ("  //greet", "greet"),
        ("/ /restart", "restart"),
        ("Where is Jinchang?", "Where is Jinchang?"),
        ("what about a/b?", "what about a/b?"),
        ("hi\x00 there\x1b", "hi there"),
        ("line one\nline two", "line one\nline two"),
        ("\ud800 lake", "? lake"),
        ("", ""),
        (None, ""),
    ],
)
def test_plain_text_drops_the_intent_shorthand_and_control_characters(text, plain):
    assert plain_text(text) == plain


def test_plain_text_keeps_enough_of_a_long_message_to_know_it_is_too_long():
    assert len(plain_text("x" * 100_000)) == STORED_CHARS


@pytest.mark.parametrize(
    "sender, ok",
    [
        ("visitor-1", True),
        (42, True),
        ("", False),
        (" ", False),
        (None, False),
        (True, False),
        ({"a": 1}, False),
        ("a\x00b", False),
        ("x" * 256, False),
    ],
)
def test_valid_sender(sender, ok):
    assert valid_sender(sender) is ok


def run_guarded(handler, text: str) -> List[dict]:
    collector = CollectingOutputChannel()
    asyncio.run(guard_messages(handler)(UserMessage(text, collector, "visitor")))
    return collector.messages


def test_rasa_reads_plain_text_and_its_replies_reach_the_visitor():
    seen = []

    async def rasa(message: UserMessage) -> None:
        seen.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "an answer")

    assert [m["text"] for m in run_guarded(rasa, "/goodbye")] == ["an answer"]
    assert seen == ["goodbye"]


def test_a_visitor_gets_an_apology_when_rasa_sends_nothing():
    async def silent(message: UserMessage) -> None:
        return None

    assert [m["text"] for m in run_guarded(silent, "hello")] == [render("unavailable")["text"]]


def test_a_visitor_gets_an_apology_when_rasa_fails(caplog):
    async def failing(message: UserMessage) -> None:
        raise ConnectionError("conversation store unreachable")

    assert [m["text"] for m in run_guarded(failing, "hello")] == [render("unavailable")["text"]]
    assert "conversation store unreachable" in caplog.text


@pytest.mark.parametrize("text", ["hello " * 300, "x" * 100_000, "/greet " + "🙂" * 2000])
def test_a_message_over_the_limit_gets_the_too_long_reply_without_rasa(text):
    seen = []

    async def rasa(message: UserMessage) -> None:
        seen.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "Hello!")

    too_long = render("too_long", limit=MAX_MESSAGE_CHARS)["text"]
    assert [m["text"] for m in run_guarded(rasa, text)] == [too_long]
    assert seen == []


def test_a_message_at_the_limit_or_long_only_in_spaces_is_read():
    seen = []

    async def rasa(message: UserMessage) -> None:
        seen.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "an answer")

    for text in ["x" * MAX_MESSAGE_CHARS, " " * 100_000 + "hi", "\x00" * 100_000]:
        assert [m["text"] for m in run_guarded(rasa, text)] == ["an answer"]
    assert seen == ["x" * MAX_MESSAGE_CHARS, "hi", ""]


def test_the_channel_limit_is_the_one_the_actions_check():
    assert MAX_MESSAGE_CHARS == ACTIONS_MAX_MESSAGE_CHARS


@pytest.mark.parametrize(
    "text", ["金昌在哪里？", "  骊靬古城 门票多少钱", "Где находится Цзиньчан?", "金昌は どこですか"]
)
def test_a_message_with_no_english_gets_the_bilingual_reply_without_rasa(text):
    seen = []

    async def rasa(message: UserMessage) -> None:
        seen.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "an answer")

    (reply,) = [m["text"] for m in run_guarded(rasa, text)]
    assert reply == render("english_only")["text"]
    assert re.search(r"[\u4e00-\u9fff]", reply) and re.search(r"[A-Za-z]+ [a-z]+ .*\?", reply)
    assert seen == []


@pytest.mark.parametrize(
    "text", ["Where is 金昌?", "金昌 museum", "ＷＨＥＲＥ is it", "2", "🙂", "?", "Jinchang café"]
)
def test_a_message_with_latin_letters_or_none_at_all_is_read(text):
    seen = []

    async def rasa(message: UserMessage) -> None:
        seen.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "an answer")

    assert [m["text"] for m in run_guarded(rasa, text)] == ["an answer"]
    assert seen == [text]
    assert reads_as_english(text)
