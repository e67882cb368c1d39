"""The Matrix channel without a homeserver: settings, conversation ids, buttons, what is answered."""

import asyncio
import json
from pathlib import Path
from typing import Any, Dict, List

import aiohttp
import pytest
from nio import JoinResponse, SyncError, SyncResponse

from channels import matrix
from channels.matrix import (
    DEFAULT_STORE_PATH,
    ROOT,
    SESSION_FILE,
    ButtonMemory,
    MatrixBot,
    MatrixInput,
    MatrixSettings,
    hold_store,
    room_of,
    run_alone,
    sender_id_for,
    status_of,
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


def test_keys_are_stored_under_var_unless_told_otherwise(tmp_path):
    assert MatrixSettings.read({}, ENV).store_path == DEFAULT_STORE_PATH == ROOT / "var" / "matrix-store"
    assert MatrixSettings.read({}, {**ENV, "MATRIX_STORE_PATH": str(tmp_path)}).store_path == tmp_path
    assert MatrixSettings.read({"store_path": "var/other"}, ENV).store_path == ROOT / "var" / "other"


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
        "event_id": f"$join{ts}",
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

        async def join(room_id: str) -> JoinResponse:
            joins.append(room_id)
            return JoinResponse(room_id)

        bot.client.join = join  # type: ignore[method-assign]
        for sender_id, shown in (buttons or {}).items():
            bot.buttons.remember(sender_id, shown)
        for number, data in enumerate(syncs):
            answer = SyncResponse.from_dict({"next_batch": f"s{number}", **data})
            assert isinstance(answer, SyncResponse), answer
            await bot._read(answer, first=number == 0)
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


def test_the_sync_loop_signs_in_again_when_its_token_is_revoked_and_retries_when_the_server_is_away(
    tmp_path,
):
    calls: List[str] = []
    answers: List[Any] = [
        SyncResponse.from_dict({"next_batch": "s1"}),
        aiohttp.ClientConnectionError(),
        SyncError("Invalid access token", "M_UNKNOWN_TOKEN"),
        SyncResponse.from_dict({"next_batch": "s2"}),
    ]

    async def run() -> MatrixBot:
        settings = MatrixSettings.read({}, {**ENV, "MATRIX_STORE_PATH": str(tmp_path)})
        bot = MatrixBot(settings, lambda message: None, "matrix")

        async def sign_in() -> None:
            calls.append("sign_in")
            bot.client.access_token = "token"

        async def sync(timeout: int, sync_filter: Any) -> Any:
            calls.append(f"sync {bot.since}")
            if not answers:
                raise asyncio.CancelledError  # stops the loop
            answer = answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            if isinstance(answer, SyncResponse):
                bot.client.next_batch = answer.next_batch  # what nio does with an answer
            return answer

        bot._sign_in, bot.client.sync = sign_in, sync  # type: ignore[method-assign]
        task = asyncio.create_task(bot.run())
        await asyncio.gather(task, return_exceptions=True)
        return bot

    bot = asyncio.run(run())
    assert calls == ["sign_in", "sync None", "sync s1", "sync s1", "sign_in", "sync s1", "sync s2"]
    assert bot.since == "s2" and bot.status == "connected"


def test_a_restart_restores_the_stored_session_as_the_same_device(tmp_path):
    """Password login once, then the stored token and device: the same keys after a restart."""
    settings = MatrixSettings.read({}, {**ENV, "MATRIX_STORE_PATH": str(tmp_path)})
    logins: List[str] = []

    async def start() -> MatrixBot:
        bot = MatrixBot(settings, lambda message: None, "matrix")

        async def login(password: str, device_name: str = "") -> Any:
            from nio import LoginResponse

            logins.append(bot.client.device_id)
            answer = LoginResponse(BOT, bot.client.device_id, f"token{len(logins)}")
            await bot.client.receive_response(answer)  # loads the key store, as nio does
            return answer

        bot.client.login = login  # type: ignore[method-assign]
        await bot._sign_in()
        await bot.client.close()
        return bot

    first = asyncio.run(start())
    again = asyncio.run(start())
    assert logins == ["JINCHANG_ASSISTANT"]
    assert again.client.access_token == "token1" and again.client.device_id == "JINCHANG_ASSISTANT"
    assert again.client.olm.account.identity_keys == first.client.olm.account.identity_keys
    stored = json.loads(Path(tmp_path, SESSION_FILE).read_text())
    assert stored["device_id"] == "JINCHANG_ASSISTANT" and stored["access_token"] == "token1"
    assert Path(tmp_path, SESSION_FILE).stat().st_mode & 0o077 == 0  # private


def encrypted(sender: str, ts: int, session_id: str = "S1") -> Dict[str, Any]:
    content = {
        "algorithm": "m.megolm.v1.aes-sha2",
        "sender_key": "curve",
        "ciphertext": "...",
        "session_id": session_id,
        "device_id": "VISITORDEVICE",
    }
    return {
        "type": "m.room.encrypted",
        "sender": sender,
        "origin_server_ts": ts,
        "event_id": f"${ts}",
        "content": content,
    }


def test_a_message_without_its_room_key_is_asked_for_and_answered_when_the_key_comes():
    from nio import RoomKeyEvent, RoomMessageText
    from nio.exceptions import EncryptionError

    received: List[tuple] = []
    requests: List[Any] = []
    keys: List[str] = []

    async def on_new_message(message: Any) -> None:
        received.append((message.sender_id, message.text))

    def decrypt_event(event: Any) -> Any:
        if event.session_id not in keys:
            raise EncryptionError("no session")
        plain = message(VISITOR, "Where is Jinchang?", event.server_timestamp)
        return RoomMessageText.from_dict(plain)

    async def to_device(request: Any) -> None:
        requests.append(request)

    async def run() -> None:
        bot = MatrixBot(MatrixSettings.read({}, ENV), on_new_message, "matrix")
        bot.client.decrypt_event, bot.client.to_device = decrypt_event, to_device  # type: ignore[method-assign]
        await bot._read(SyncResponse.from_dict({"next_batch": "s0", **sync({"!r:hs": []})}), first=True)
        later = SyncResponse.from_dict({"next_batch": "s1", **sync({"!r:hs": [encrypted(VISITOR, 5)]})})
        await bot._read(later, first=False)
        await asyncio.gather(*bot._tasks)
        assert received == [] and len(requests) == 1
        assert requests[0].recipient == VISITOR and requests[0].content["body"]["session_id"] == "S1"

        keys.append("S1")
        key = SyncResponse.from_dict({"next_batch": "s2", **sync()})
        key.to_device_events.append(RoomKeyEvent({}, VISITOR, "curve", "!r:hs", "S1", "m.megolm.v1.aes-sha2"))
        await bot._read(key, first=False)
        await asyncio.gather(*bot._tasks)

    asyncio.run(run())
    assert received == [(sender_id_for("!r:hs", VISITOR), "Where is Jinchang?")]


def test_one_process_at_a_time_holds_the_store(tmp_path):
    held = hold_store(tmp_path)
    assert held is not None
    assert hold_store(tmp_path) is None  # another worker: stands by
    held.close()
    again = hold_store(tmp_path)
    assert again is not None
    again.close()


def test_a_bot_stands_by_while_another_process_runs_it_and_then_takes_over(tmp_path, monkeypatch):
    monkeypatch.setattr(matrix, "STANDBY_RETRY", 0.01)
    settings = MatrixSettings.read({}, {**ENV, "MATRIX_STORE_PATH": str(tmp_path)})
    bot = MatrixBot(settings, on_new_message=None, input_channel="matrix")
    ran = []

    async def run() -> None:
        ran.append(bot.status)

    bot.run = run
    other = hold_store(tmp_path)

    async def scenario() -> None:
        task = asyncio.create_task(run_alone(bot))
        await asyncio.sleep(0.05)
        assert bot.status == "standby" and not ran
        other.close()  # the running worker stops
        await asyncio.wait_for(task, timeout=5)

    asyncio.run(scenario())
    assert ran == ["starting"]  # took over
    assert hold_store(tmp_path) is not None  # released when the bot ended


def test_every_worker_reports_the_state_of_the_bot_where_it_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(matrix, "STANDBY_RETRY", 0.01)
    settings = MatrixSettings.read({}, {**ENV, "MATRIX_STORE_PATH": str(tmp_path)})
    running, standing_by = (
        MatrixBot(settings, on_new_message=None, input_channel="matrix") for _ in range(2)
    )
    stop = asyncio.Event()

    async def run() -> None:
        running.status = "connected"
        await stop.wait()
        running.status = "reconnecting"
        await asyncio.sleep(1)  # cancelled: the worker stops

    running.run = run
    seen = []

    async def scenario() -> None:
        assert status_of(settings, None) == {"status": "starting", "user_id": BOT}  # no bot runs yet
        task = asyncio.create_task(run_alone(running))
        await asyncio.sleep(0.02)
        other = asyncio.create_task(run_alone(standing_by))  # holds no lock while `running` runs
        await asyncio.sleep(0.05)
        assert standing_by.status == "standby"
        seen.extend(
            [status_of(settings, running), status_of(settings, standing_by), status_of(settings, None)]
        )
        stop.set()
        await asyncio.sleep(0.02)
        seen.append(status_of(settings, standing_by))
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        seen.append(status_of(settings, None))
        other.cancel()
        await asyncio.gather(other, return_exceptions=True)

    standing_by.run = lambda: asyncio.sleep(60)
    asyncio.run(scenario())
    connected = {"status": "connected", "user_id": BOT}
    assert seen[:3] == [connected, connected, connected]
    assert seen[3] == {"status": "reconnecting", "user_id": BOT}
    # The running worker stopped: the standing-by one takes over and says so.
    assert seen[4]["status"] == "starting"


def test_the_state_of_a_bot_whose_process_has_ended_is_not_reported(tmp_path):
    settings = MatrixSettings.read({}, {**ENV, "MATRIX_STORE_PATH": str(tmp_path)})
    ended = 2**22 + 1  # above Linux's largest process id
    (tmp_path / matrix.STATUS_FILE).write_text(
        json.dumps({"status": "connected", "user_id": BOT, "pid": ended})
    )
    assert status_of(settings, None) == {"status": "starting", "user_id": BOT}
    (tmp_path / matrix.STATUS_FILE).write_text("{half")
    assert status_of(settings, None)["status"] == "starting"
