"""The Matrix channel without a homeserver: settings, conversation ids, buttons, what is answered."""

import asyncio
from typing import Any, Dict, List

import pytest

from channels.matrix import (
    ButtonMemory,
    MatrixBot,
    MatrixInput,
    MatrixSettings,
    room_of,
    sender_id_for,
    without_reply_fallback,
)

BOT = "@jinbot:localhost"
VISITOR = "@visitor:localhost"
ENV = {"MATRIX_HOMESERVER": "http://localhost:8008/", "MATRIX_USER_ID": BOT, "MATRIX_PASSWORD": "secret"}


def test_off_without_a_homeserver_and_a_password_or_token():
    assert MatrixSettings.read({}, {}) is None
    assert MatrixSettings.read({}, {"MATRIX_HOMESERVER": "http://localhost:8008"}) is None
    assert MatrixSettings.read({}, {"MATRIX_PASSWORD": "secret", "MATRIX_USER_ID": BOT}) is None


def test_credentials_override_the_environment():
    settings = MatrixSettings.read({"user_id": "@other:localhost"}, ENV)
    assert settings is not None
    assert (settings.homeserver, settings.user_id, settings.password) == (
        "http://localhost:8008",
        "@other:localhost",
        "secret",
    )
    token_only = MatrixSettings.read({}, {"MATRIX_HOMESERVER": "http://hs", "MATRIX_ACCESS_TOKEN": "t"})
    assert token_only is not None and token_only.access_token == "t" and token_only.user_id is None


def test_a_password_needs_a_user_id():
    with pytest.raises(ValueError, match="MATRIX_USER_ID"):
        MatrixSettings.read({}, {"MATRIX_HOMESERVER": "http://hs", "MATRIX_PASSWORD": "p"})


def test_switched_off_the_channel_only_has_a_health_route(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MATRIX_ACCESS_TOKEN", raising=False)
    channel = MatrixInput.from_credentials(None)
    blueprint = channel.blueprint(lambda message: None)
    assert channel.settings is None
    assert [route.uri for route in blueprint._future_routes] == ["/"]
    assert not blueprint._future_listeners


def test_conversation_ids_keep_room_and_sender_apart():
    sender_id = sender_id_for("!abc:localhost", VISITOR)
    assert sender_id != sender_id_for("!abc:localhost", "@someone:localhost")
    assert room_of(sender_id) == "!abc:localhost"
    with pytest.raises(ValueError):
        room_of("no-room")


def test_a_number_answers_with_that_buttons_payload():
    memory = ButtonMemory(capacity=1)
    memory.remember(
        "a", [{"title": "Where?", "payload": "Where is Jinchang?"}, {"title": "B", "payload": "b"}]
    )
    assert memory.resolve("a", "1") == "Where is Jinchang?"
    assert memory.resolve("a", " 2. ") == "b"
    assert memory.resolve("a", "3") is None
    assert memory.resolve("a", "1 more") is None
    memory.remember("b", [{"title": "X", "payload": "x"}])
    assert memory.resolve("a", "1") is None  # forgotten: over capacity


def test_quoted_reply_lines_are_not_read():
    assert without_reply_fallback("> <@a:hs> earlier\n> more\n\nwhere is it?") == "where is it?"
    assert without_reply_fallback("where is it?") == "where is it?"


def message(sender: str, body: str, ts: int, **content: Any) -> Dict[str, Any]:
    return {
        "type": "m.room.message",
        "sender": sender,
        "origin_server_ts": ts,
        "event_id": f"${ts}",
        "content": {"msgtype": "m.text", "body": body, **content},
    }


def joined(ts: int) -> Dict[str, Any]:
    return {
        "type": "m.room.member",
        "state_key": BOT,
        "sender": BOT,
        "origin_server_ts": ts,
        "content": {"membership": "join"},
    }


def read_syncs(*syncs: Dict[str, Any], buttons: Dict[str, List[Dict[str, str]]] = None) -> List[tuple]:
    """Feed /sync answers to a bot; what it passed to Rasa as (sender_id, text)."""
    received: List[tuple] = []

    async def on_new_message(message: Any) -> None:
        received.append((message.sender_id, message.text))

    async def run() -> List[str]:
        bot = MatrixBot(MatrixSettings.read({}, ENV), on_new_message, "matrix")
        joins: List[str] = []

        async def join(room_id: str) -> None:
            joins.append(room_id)

        bot.client.join = join  # type: ignore[method-assign]
        for sender_id, shown in (buttons or {}).items():
            bot.buttons.remember(sender_id, shown)
        for number, data in enumerate(syncs):
            await bot._read(data, first=number == 0)
        await asyncio.gather(*bot._tasks)
        return joins

    joins = asyncio.run(run())
    return [("join", room) for room in joins] + received


def sync(join: Dict[str, List[Dict[str, Any]]] = None, invite: List[str] = ()) -> Dict[str, Any]:
    return {
        "rooms": {
            "join": {room: {"timeline": {"events": events}} for room, events in (join or {}).items()},
            "invite": {room: {} for room in invite},
        }
    }


def test_the_first_sync_is_not_answered_but_its_invites_are_accepted():
    first = sync({"!old:hs": [message(VISITOR, "sent while the bot was away", 1)]}, invite=["!new:hs"])
    assert read_syncs(first) == [("join", "!new:hs")]


def test_a_newly_joined_room_is_answered_only_after_the_join():
    later = sync({"!new:hs": [message(VISITOR, "before", 5), joined(10), message(VISITOR, "after", 11)]})
    assert read_syncs(sync(), later) == [(sender_id_for("!new:hs", VISITOR), "after")]


def test_own_messages_notices_and_edits_are_not_answered():
    events = [
        message(BOT, "the bot's own answer", 2),
        message(VISITOR, "a notice", 3, msgtype="m.notice"),
        message(VISITOR, "* edited", 4, **{"m.relates_to": {"rel_type": "m.replace"}}),
        message(VISITOR, "a question", 5),
    ]
    assert read_syncs(sync({"!r:hs": []}), sync({"!r:hs": events})) == [
        (sender_id_for("!r:hs", VISITOR), "a question")
    ]


def test_a_number_after_buttons_is_read_as_the_payload():
    sender_id = sender_id_for("!r:hs", VISITOR)
    shown = {sender_id: [{"title": "Where?", "payload": "Where is Jinchang?"}]}
    answered = read_syncs(sync({"!r:hs": []}), sync({"!r:hs": [message(VISITOR, "1", 5)]}), buttons=shown)
    assert answered == [(sender_id, "Where is Jinchang?")]


def test_the_sync_loop_signs_in_again_when_its_token_is_revoked_and_retries_when_the_server_is_away():
    import aiohttp

    from channels.matrix import MatrixError

    calls: List[str] = []
    answers: List[Any] = [
        {"next_batch": "s1"},
        aiohttp.ClientConnectionError(),
        MatrixError(401, {"errcode": "M_UNKNOWN_TOKEN"}),
        {"next_batch": "s2"},
    ]

    async def run() -> MatrixBot:
        bot = MatrixBot(MatrixSettings.read({}, ENV), lambda message: None, "matrix")

        async def sign_in() -> None:
            calls.append("sign_in")

        async def upload_filter(definition: Dict[str, Any]) -> str:
            return "f1"

        async def sync(since: Any, sync_filter: str, timeout_ms: int) -> Dict[str, Any]:
            calls.append(f"sync {since}")
            if not answers:
                raise asyncio.CancelledError  # stops the loop
            answer = answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer

        bot.client.sign_in, bot.client.upload_filter, bot.client.sync = sign_in, upload_filter, sync  # type: ignore[method-assign]
        task = asyncio.create_task(bot.run())
        await asyncio.gather(task, return_exceptions=True)
        return bot

    bot = asyncio.run(run())
    assert calls == ["sign_in", "sync None", "sync s1", "sync s1", "sign_in", "sync s1", "sync s2"]
    assert bot.since == "s2" and bot.status == "connected"
