"""End to end over Matrix: a real Synapse homeserver, the real servers, a visitor's client."""

import re
import secrets
import time
import urllib.parse
from typing import Dict, Iterator, List

import pytest

from actions.replies import render
from channels.matrix import DEFAULT_DEVICE_ID
from tests.e2e.matrix import ROOT, EncryptedVisitor, MatrixSetup, MatrixUser

pytestmark = pytest.mark.e2e

PRE_JOIN_QUESTION = "Tell me about Jinshui Lake"


@pytest.fixture(scope="module")
def visitor(matrix: MatrixSetup) -> MatrixUser:
    return matrix.synapse.register(f"visitor{secrets.token_hex(3)}", secrets.token_hex(12))


@pytest.fixture(scope="module")
def encrypted_visitor(matrix: MatrixSetup, tmp_path_factory) -> Iterator[EncryptedVisitor]:
    """A visitor whose client encrypts (matrix-nio, a new device with its own key store)."""
    password = secrets.token_hex(12)
    user = matrix.synapse.register(f"secret{secrets.token_hex(3)}", password)
    client = EncryptedVisitor(
        matrix.synapse.url, user.user_id, password, tmp_path_factory.mktemp("visitor-keys")
    )
    client.login()
    yield client
    client.close()


@pytest.fixture(scope="module")
def room(matrix: MatrixSetup, visitor: MatrixUser) -> Iterator[str]:
    """A room where the visitor asked a question before inviting the bot, which then joined."""
    room_id = visitor.create_room()
    visitor.send(room_id, PRE_JOIN_QUESTION)
    visitor.invite(room_id, matrix.bot.user_id)
    visitor.wait_for_member(room_id, matrix.bot.user_id)
    yield room_id


def rest_answer(matrix: MatrixSetup, *questions: str) -> List[str]:
    """The REST channel's reply texts to the last question, asked in a fresh conversation."""
    sender = f"rest-{secrets.token_hex(4)}"
    for question in questions:
        messages = matrix.servers.ask(sender, question)
    return [m.get("text") or "" for m in messages]


def texts(replies: List[str]) -> List[str]:
    """Matrix replies without the numbered suggestions under them (they depend on what
    the conversation has already told)."""
    return [re.split(r"\n1\. ", reply)[0] for reply in replies]


def bot_messages(matrix: MatrixSetup, visitor: MatrixUser, room_id: str) -> List[str]:
    visitor.sync()
    return visitor.messages(room_id, matrix.bot.user_id)


def test_answers_from_the_knowledge_base_not_what_was_said_before_the_bot_joined(matrix, visitor, room, kb):
    liqian = kb.find_attraction("Liqian ancient city")
    replies = visitor.ask(room, matrix.bot.user_id, "Tell me about Liqian ancient city")
    assert replies[0].splitlines()[0] == render("attraction", summary=liqian["summary"])["text"]
    assert bot_messages(matrix, visitor, room) == replies  # nothing about the earlier question

    (where,) = visitor.ask(room, matrix.bot.user_id, "where is it?")
    assert (
        where.splitlines()[0]
        == render("attraction_location", name=liqian["name"], location=liqian["location"]["text"])["text"]
    )


def test_buttons_are_a_numbered_list_answered_by_number(matrix, visitor, room, domain):
    greeting = domain["responses"]["utter_greet"][0]
    (menu,) = visitor.ask(room, matrix.bot.user_id, "hello")
    lines = menu.splitlines()
    assert lines[0] == greeting["text"]
    assert lines[1:] == [f"{n}. {button['title']}" for n, button in enumerate(greeting["buttons"], 1)]

    first = greeting["buttons"][0]["payload"]
    assert texts(visitor.ask(room, matrix.bot.user_id, "1")) == rest_answer(matrix, first)


def test_suggestions_are_numbered_and_the_source_is_quoted_when_asked(matrix, visitor, kb):
    room_id = visitor.create_room(invite=[matrix.bot.user_id])
    visitor.wait_for_member(room_id, matrix.bot.user_id)
    area = kb.city["area"]
    (answer,) = visitor.ask(room_id, matrix.bot.user_id, "How big is Jinchang?")
    text, *suggested = answer.splitlines()
    assert text == render("area", city=kb.city["name"], area=area["text"], unit=area["unit"])["text"]
    assert area["source"] not in answer  # the source only when asked
    assert 2 <= len(suggested) <= 3 and suggested[0].startswith("1. ")

    # A number asks that suggestion: the same answer as asking it in words.
    second = visitor.ask(room_id, matrix.bot.user_id, "2")
    shown = matrix.servers.ask(f"rest-{secrets.token_hex(4)}", "How big is Jinchang?")
    payload = shown[-1]["buttons"][1]["payload"]
    assert texts(second) == rest_answer(matrix, "How big is Jinchang?", payload)

    visitor.ask(room_id, matrix.bot.user_id, "How big is Jinchang?")
    (quoted,) = visitor.ask(room_id, matrix.bot.user_id, "where does that come from?")
    assert f"> {area['source']}" in quoted


def test_one_conversation_per_room_and_sender(matrix, visitor, room):
    other = matrix.synapse.register(f"other{secrets.token_hex(3)}", secrets.token_hex(12))
    visitor.invite(room, other.user_id)
    other.call("POST", f"/join/{urllib.parse.quote(room)}", {})
    # "where is it?" means Liqian for the first visitor, but nothing yet for the second.
    (theirs,) = other.ask(room, matrix.bot.user_id, "where is it?")
    assert texts([theirs]) == rest_answer(matrix, "where is it?")
    assert "Liqian" not in theirs


def test_a_direct_chat_is_answered(matrix, visitor):
    room_id = visitor.create_room(invite=[matrix.bot.user_id], direct=True)
    visitor.wait_for_member(room_id, matrix.bot.user_id)
    assert texts(visitor.ask(room_id, matrix.bot.user_id, "Where is Jinchang?")) == rest_answer(
        matrix, "Where is Jinchang?"
    )


def test_the_bot_does_not_answer_itself(matrix, visitor, room):
    before = bot_messages(matrix, visitor, room)
    time.sleep(3)
    assert bot_messages(matrix, visitor, room) == before


def test_answers_again_after_the_homeserver_restarts_and_its_token_is_revoked(matrix, visitor, room):
    admin = matrix.synapse.register(f"admin{secrets.token_hex(3)}", secrets.token_hex(12), admin=True)
    device = f"/_synapse/admin/v2/users/{urllib.parse.quote(matrix.bot.user_id)}/devices/{DEFAULT_DEVICE_ID}"
    admin.call_admin("DELETE", device)  # the bot's access token goes with its device
    matrix.synapse.stop()
    matrix.synapse.start()
    question = "What is the area of Jinchang?"
    assert texts(visitor.ask(room, matrix.bot.user_id, question, timeout=90)) == rest_answer(matrix, question)
    # Each request on a new connection, so any worker may answer: all report the running bot.
    assert [matrix.channel_status() for _ in range(10)] == ["connected"] * 10


def bot_device_keys(matrix: MatrixSetup) -> Dict[str, str]:
    """The bot's devices with end-to-end keys, and their ed25519 keys, as the homeserver lists them."""
    bot = matrix.bot.user_id
    devices = matrix.bot.call("POST", "/keys/query", {"device_keys": {bot: []}})["device_keys"].get(bot, {})
    return {device: info["keys"][f"ed25519:{device}"] for device, info in devices.items()}


def test_an_encrypted_direct_chat_is_read_and_answered_also_after_a_restart(matrix, encrypted_visitor):
    bot = matrix.bot.user_id
    keys = bot_device_keys(matrix)
    assert list(keys) == [DEFAULT_DEVICE_ID]
    log = (ROOT / "results" / "e2e" / "rasa.log").read_text(errors="replace")
    assert f"Matrix: device {DEFAULT_DEVICE_ID}, key ed25519:{keys[DEFAULT_DEVICE_ID]}" in log

    room_id = encrypted_visitor.create_encrypted_direct_chat(bot)
    encrypted_visitor.wait_for_member(room_id, bot)
    # ask() fails unless every message of the bot came encrypted and was decrypted.
    question, follow_up = "Where is Jinchang?", "where does that come from?"
    assert texts(encrypted_visitor.ask(room_id, bot, question)) == rest_answer(matrix, question)
    in_context = rest_answer(matrix, question, follow_up)
    assert in_context != rest_answer(matrix, follow_up)  # the follow-up needs the context
    assert texts(encrypted_visitor.ask(room_id, bot, follow_up)) == in_context

    # While the bot is down a message is sent; after the restart it is not answered, and the
    # bot is the same device with the same key, reading the room with the keys it kept.
    matrix.servers.stop()
    encrypted_visitor.send(room_id, "hello")
    matrix.servers.start()
    matrix.wait_connected()
    assert bot_device_keys(matrix) == keys
    log = (ROOT / "results" / "e2e" / "rasa.log").read_text(errors="replace")
    assert f"key ed25519:{keys[DEFAULT_DEVICE_ID]} (session restored from the store)" in log
    attraction, where = "Tell me about Liqian ancient city", "where is it?"
    assert texts(encrypted_visitor.ask(room_id, bot, attraction)) == rest_answer(matrix, attraction)
    (located,) = texts(encrypted_visitor.ask(room_id, bot, where))
    assert [located] == rest_answer(matrix, attraction, where) and "Liqian" in located
