"""The WeChat channel without a Rasa server: signatures, message XML as WeChat sends it (plain
and encrypted with wechatpy's crypto), hostile XML, replies, split texts, the shared store and
the API client against a local fake of WeChat's API."""

import asyncio
import time
import unicodedata
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Iterator, List, Optional

import pytest
import xmltodict
from rasa.core.channels.channel import UserMessage

from actions.replies import render
from channels.guard import MAX_MESSAGE_CHARS, guard_messages
from channels.wechat import (
    GREETING,
    MAX_BODY_BYTES,
    MAX_TEXT_BYTES,
    Refused,
    WeChatApi,
    WeChatInput,
    WeChatSettings,
    reply_text,
    split_text,
)
from stores.wechat import WeChatStore
from tests.e2e.wechat import (
    ACCOUNT,
    AES_KEY,
    APP_ID,
    APP_SECRET,
    MEDIA_FIELDS,
    TOKEN,
    FakeWeChatApi,
    SignedPost,
    WeChatSender,
    event_xml,
    message_xml,
    text_xml,
)

VISITOR = "oJinchangVisitor0123456789ab"

# A text message exactly as WeChat's documentation shows one (recorded shape).
RECORDED_TEXT = (
    "<xml>\n  <ToUserName><![CDATA[gh_3a4b5c6d7e8f]]></ToUserName>\n"
    "  <FromUserName><![CDATA[oJinchangVisitor0123456789ab]]></FromUserName>\n"
    "  <CreateTime>{time}</CreateTime>\n  <MsgType><![CDATA[text]]></MsgType>\n"
    "  <Content><![CDATA[Where is Jinchang?]]></Content>\n  <MsgId>23637352235060880</MsgId>\n</xml>"
)
RECORDED_FOLLOW = (
    "<xml><ToUserName><![CDATA[gh_3a4b5c6d7e8f]]></ToUserName>"
    "<FromUserName><![CDATA[oJinchangVisitor0123456789ab]]></FromUserName>"
    "<CreateTime>{time}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
    "<Event><![CDATA[subscribe]]></Event></xml>"
)

HOSTILE = {
    "xxe": '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>&x;</Content><MsgId>1</MsgId></xml>",
    "billion laughs": '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]><xml><Content>&lol9;</Content></xml>",
    "entity without doctype": '<!ENTITY a "b"><xml><MsgType>text</MsgType></xml>',
    "malformed": "<xml><ToUserName>a</ToUserName><FromUserName>",
    "not xml": "Where is Jinchang?",
    "empty": "",
    "no MsgType": "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime></xml>",
    "nested MsgType": "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName>"
    "<CreateTime>1</CreateTime><MsgType><a>text</a></MsgType></xml>",
    "no sender": "<xml><ToUserName>a</ToUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>"
    "<Content>hi</Content><MsgId>1</MsgId></xml>",
    "MsgId not a number": "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName>"
    "<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>x</MsgId></xml>",
    "another root": "<message><MsgType>text</MsgType></message>",
    "not utf-8": "<xml><Content>\udcff</Content></xml>",
}


class FakeRasa:
    """Rasa's message handler: answers "You asked: ..." with two buttons, after `delay` seconds
    (spent `blocking` the event loop, as a turn that never waits does, or awaited)."""

    def __init__(self, delay: float = 0.0, blocking: bool = False) -> None:
        self.delay = delay
        self.blocking = blocking
        self.seen: List[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.seen.append(message)
        if self.blocking:
            time.sleep(self.delay)
        else:
            await asyncio.sleep(self.delay)
        buttons = [
            {"title": "Where is it?", "payload": "where is it?"},
            {"title": "Tickets?", "payload": "tickets"},
        ]
        await message.output_channel.send_response(
            message.sender_id, {"text": f"You asked: {message.text}", "buttons": buttons}
        )

    @property
    def texts(self) -> List[str]:
        return [m.text for m in self.seen]


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "wechat.db"


def make_channel(
    store_path: Path, safe: bool = False, api_url: Optional[str] = None, **options: Any
) -> WeChatInput:
    settings = WeChatSettings(
        token=TOKEN,
        app_id=APP_ID,
        app_secret=APP_SECRET if api_url else None,
        aes_key=AES_KEY if safe else None,
        api_url=api_url or "http://127.0.0.1:9",
        store=store_path,
    )
    return WeChatInput(settings, **options)


def request(post: SignedPost, **changes: str) -> Any:
    """What the channel reads of a Sanic request: its query arguments."""
    args = {k: v for k, v in {**post.query, **changes}.items() if v}
    return SimpleNamespace(args=args, app=SimpleNamespace(ctx=SimpleNamespace()))


def deliver(channel: WeChatInput, post: SignedPost, rasa: Any, **changes: str) -> Any:
    """The channel's HTTP response to one signed POST."""
    return asyncio.run(channel.handle(request(post, **changes), post.body, guard_messages(rasa)))


def reply_content(channel: WeChatInput, answer: Any, sender: WeChatSender) -> Optional[str]:
    """The text of a passive reply (decrypted in safe mode), None for "success"."""
    assert answer.status == 200
    body = answer.body.decode("utf-8")
    if body == "success":
        return None
    fields = xmltodict.parse(body)["xml"]
    if sender.crypto is not None:
        inner = sender.crypto.decrypt_message(
            body, fields["MsgSignature"], fields["TimeStamp"], fields["Nonce"]
        )
        fields = xmltodict.parse(inner)["xml"]
    assert fields["ToUserName"] == VISITOR and fields["FromUserName"] == ACCOUNT
    return fields["Content"]


# Settings


def test_the_channel_is_off_without_a_token():
    assert WeChatSettings.read({}, {}) is None
    assert WeChatSettings.read({}, {"WECHAT_APP_ID": APP_ID}) is None


def test_settings_come_from_the_environment_and_choose_the_mode():
    plain = WeChatSettings.read({}, {"WECHAT_TOKEN": TOKEN, "WECHAT_API_URL": "http://127.0.0.1:8081/"})
    assert plain is not None and plain.mode == "plain" and not plain.api
    assert plain.api_url == "http://127.0.0.1:8081"
    env = {
        "WECHAT_TOKEN": TOKEN,
        "WECHAT_APP_ID": APP_ID,
        "WECHAT_APP_SECRET": APP_SECRET,
        "WECHAT_AES_KEY": AES_KEY,
    }
    safe = WeChatSettings.read({}, env)
    assert (
        safe is not None and safe.mode == "safe" and safe.api and safe.api_url == "https://api.weixin.qq.com"
    )


@pytest.mark.parametrize(
    "env, named",
    [
        ({"WECHAT_AES_KEY": "short"}, "WECHAT_AES_KEY"),
        ({"WECHAT_AES_KEY": "!" * 43}, "WECHAT_AES_KEY"),
        ({"WECHAT_AES_KEY": AES_KEY, "WECHAT_APP_ID": ""}, "WECHAT_APP_ID"),
    ],
)
def test_a_wrong_safe_mode_setting_is_named(env, named):
    with pytest.raises(ValueError, match=named):
        WeChatSettings.read({}, {"WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, **env})


# Signatures


def test_a_signed_request_passes_and_a_wrong_missing_or_old_one_is_refused(store_path):
    channel = make_channel(store_path)
    post = WeChatSender("", TOKEN).signed(text_xml(VISITOR, "hi", 1))
    channel.check_signature(post.query)
    for changes in ({"signature": "0" * 40}, {"signature": ""}, {"nonce": "other"}, {"timestamp": ""}):
        with pytest.raises(Refused) as refused:
            channel.check_signature({k: v for k, v in {**post.query, **changes}.items() if v})
        assert refused.value.status == 403
    old = WeChatSender("", TOKEN).signed(text_xml(VISITOR, "hi", 1), timestamp=int(time.time()) - 3600)
    with pytest.raises(Refused, match="too old") as refused:
        channel.check_signature(old.query)
    assert refused.value.status == 403


# Messages as WeChat sends them


def test_a_recorded_text_message_reaches_rasa_and_is_answered_with_numbered_buttons(store_path):
    channel, rasa = make_channel(store_path), FakeRasa()
    post = WeChatSender("", TOKEN).signed(RECORDED_TEXT.format(time=int(time.time())))
    answer = deliver(channel, post, rasa)
    assert answer.content_type.startswith("application/xml")
    assert reply_content(channel, answer, WeChatSender("")) == (
        "You asked: Where is Jinchang?\n1. Where is it?\n2. Tickets?"
    )
    (message,) = rasa.seen
    assert (message.sender_id, message.input_channel) == (VISITOR, "wechat")
    assert message.metadata["wechat"]["account"] == ACCOUNT


def test_an_encrypted_message_is_read_and_answered_encrypted(store_path):
    channel, rasa = make_channel(store_path, safe=True), FakeRasa()
    sender = WeChatSender("", TOKEN, aes_key=AES_KEY)
    post = sender.signed(RECORDED_TEXT.format(time=int(time.time())))
    assert b"Where is Jinchang" not in post.body
    answer = deliver(channel, post, rasa)
    assert b"Where is Jinchang" not in answer.body
    assert reply_content(channel, answer, sender).startswith("You asked: Where is Jinchang?")


def test_safe_mode_refuses_plain_messages_wrong_msg_signatures_and_other_accounts(store_path):
    channel, rasa = make_channel(store_path, safe=True), FakeRasa()
    sender = WeChatSender("", TOKEN, aes_key=AES_KEY)
    post = sender.signed(text_xml(VISITOR, "hi", 7))
    cases = [
        (WeChatSender("", TOKEN).signed(text_xml(VISITOR, "hi", 8)), {}, 400),
        (post, {"msg_signature": "0" * 40}, 403),
        (post, {"msg_signature": ""}, 400),
        (
            WeChatSender("", TOKEN, aes_key=AES_KEY, app_id="wx_another_account").signed(
                text_xml(VISITOR, "hi", 9)
            ),
            {},
            403,
        ),
    ]
    for hostile, changes, status in cases:
        with pytest.raises(Refused) as refused:
            deliver(channel, hostile, rasa, **changes)
        assert refused.value.status == status, (changes, refused.value)
    assert rasa.seen == []


# Every hostile body in plain mode, and inside the encryption in safe mode (where the text must be UTF-8).
@pytest.mark.parametrize(
    "name, safe",
    [
        (name, safe)
        for name in sorted(HOSTILE)
        for safe in (False, True)
        if not (safe and name == "not utf-8")
    ],
)
def test_hostile_xml_is_refused_at_once_and_reaches_no_conversation(store_path, name, safe):
    channel, rasa = make_channel(store_path, safe=safe), FakeRasa()
    sender = WeChatSender("", TOKEN, aes_key=AES_KEY if safe else None)
    xml = HOSTILE[name]
    post = (
        sender.signed(xml)
        if safe
        else SignedPost(sender.signed("<xml/>").query, xml.encode("utf-8", "surrogateescape"))
    )
    started = time.monotonic()
    with pytest.raises(Refused) as refused:
        deliver(channel, post, rasa)
    assert refused.value.status == 400
    assert time.monotonic() - started < 0.5
    assert rasa.seen == []
    assert not store_path.exists() or WeChatStore(store_path).state("msg:1") == (None, None)


def test_a_huge_body_is_refused_by_its_declared_length():
    from channels.wechat import read_body

    fake = SimpleNamespace(headers={"content-length": str(MAX_BODY_BYTES + 1)})
    with pytest.raises(Refused) as refused:
        asyncio.run(read_body(fake))
    assert refused.value.status == 413


def test_following_is_greeted_and_unfollowing_stores_nothing(store_path):
    channel, rasa = make_channel(store_path), FakeRasa()
    sender = WeChatSender("", TOKEN)
    greeting = deliver(channel, sender.signed(RECORDED_FOLLOW.format(time=int(time.time()))), rasa)
    assert reply_content(channel, greeting, sender).startswith(f"You asked: {GREETING}")
    answer = deliver(channel, sender.signed(event_xml(VISITOR, "unsubscribe")), rasa)
    assert answer.body == b"success"
    assert rasa.texts == [GREETING]


@pytest.mark.parametrize("kind", sorted(MEDIA_FIELDS))
def test_pictures_voice_video_locations_and_links_get_please_type(store_path, kind):
    channel, rasa = make_channel(store_path), FakeRasa()
    sender = WeChatSender("", TOKEN)
    post = sender.signed(message_xml(VISITOR, kind, {**MEDIA_FIELDS[kind], "MsgId": 12345}))
    assert reply_content(channel, deliver(channel, post, rasa), sender) == render("type_question")["text"]
    assert rasa.seen == []


def test_a_voice_message_with_wechats_transcript_is_read_as_text(store_path):
    channel, rasa = make_channel(store_path), FakeRasa()
    fields = {**MEDIA_FIELDS["voice"], "Recognition": "Where is Jinchang?", "MsgId": 777}
    deliver(channel, WeChatSender("", TOKEN).signed(message_xml(VISITOR, "voice", fields)), rasa)
    assert rasa.texts == ["Where is Jinchang?"]


def test_a_chinese_message_gets_the_bilingual_reply(store_path):
    channel, rasa = make_channel(store_path), FakeRasa()
    sender = WeChatSender("", TOKEN)
    answer = deliver(channel, sender.signed(text_xml(VISITOR, "金昌在哪里？", 4242)), rasa)
    assert reply_content(channel, answer, sender) == render("english_only")["text"]
    assert rasa.seen == []


def test_a_number_asks_the_button_shown_last_on_any_worker(store_path):
    rasa, sender = FakeRasa(), WeChatSender("", TOKEN)
    deliver(make_channel(store_path), sender.signed(text_xml(VISITOR, "Tell me about the lake", 1)), rasa)
    other_worker = make_channel(store_path)
    deliver(other_worker, sender.signed(text_xml(VISITOR, "2", 2)), rasa)
    deliver(other_worker, sender.signed(text_xml(VISITOR, "9", 3)), rasa)
    assert rasa.texts == ["Tell me about the lake", "tickets", "9"]
    assert rasa.seen[1].metadata["wechat"]["button"] == "2"


# Repeats and the slow path


def test_a_repeated_message_is_answered_once_with_the_same_reply(store_path):
    rasa, sender = FakeRasa(), WeChatSender("", TOKEN)
    post = sender.signed(text_xml(VISITOR, "Where is Jinchang?", 99))
    first = reply_content(make_channel(store_path), deliver(make_channel(store_path), post, rasa), sender)
    again = sender.signed(text_xml(VISITOR, "Where is Jinchang?", 99))  # WeChat's retry, signed anew
    assert (
        reply_content(make_channel(store_path), deliver(make_channel(store_path), again, rasa), sender)
        == first
    )
    assert rasa.texts == ["Where is Jinchang?"]


def test_a_retry_while_rasa_answers_gets_the_answer_when_it_comes(store_path):
    rasa, sender = FakeRasa(delay=0.5), WeChatSender("", TOKEN)
    post = sender.signed(text_xml(VISITOR, "Where is Jinchang?", 100))
    first, second = make_channel(store_path), make_channel(store_path)

    async def both() -> List[Any]:
        handler = guard_messages(rasa)
        one = asyncio.ensure_future(first.handle(request(post), post.body, handler))
        await asyncio.sleep(0.1)
        return await asyncio.gather(one, second.handle(request(post), post.body, handler))

    answers = asyncio.run(both())
    assert [reply_content(first, a, sender) for a in answers] == [
        "You asked: Where is Jinchang?\n1. Where is it?\n2. Tickets?"
    ] * 2
    assert len(rasa.seen) == 1


@pytest.fixture
def fake_api() -> Iterator[FakeWeChatApi]:
    api = FakeWeChatApi().start()
    yield api
    api.stop()


def test_a_slow_answer_is_success_then_sent_through_the_api(store_path, fake_api):
    rasa, sender = FakeRasa(delay=0.6), WeChatSender("", TOKEN)
    channel = make_channel(store_path, api_url=fake_api.url, reply_seconds=0.2)
    post = sender.signed(text_xml(VISITOR, "Where is Jinchang?", 101))

    async def slow() -> Any:
        answer = await channel.handle(request(post), post.body, guard_messages(rasa))
        assert time.monotonic() - started < 0.5
        await asyncio.gather(*channel._tasks)
        return answer

    started = time.monotonic()
    assert reply_content(channel, asyncio.run(slow()), sender) is None
    assert fake_api.texts_to(VISITOR, 1) == ["You asked: Where is Jinchang?\n1. Where is it?\n2. Tickets?"]
    retry = sender.signed(text_xml(VISITOR, "Where is Jinchang?", 101))
    assert deliver(make_channel(store_path, api_url=fake_api.url), retry, rasa).body == b"success"
    assert len(rasa.seen) == 1 and len(fake_api.sent) == 1


def test_a_slow_answer_that_never_lets_the_timer_fire_is_sent_through_the_api(store_path, fake_api):
    # A turn with the actions in the process never waits: the timer of the reply window cannot
    # fire before the turn ends, so the time the turn took decides.
    rasa, sender = FakeRasa(delay=0.3, blocking=True), WeChatSender("", TOKEN)
    channel = make_channel(store_path, api_url=fake_api.url, reply_seconds=0.1)
    post = sender.signed(text_xml(VISITOR, "Where is Jinchang?", 102))
    assert reply_content(channel, deliver(channel, post, rasa), sender) is None
    assert fake_api.texts_to(VISITOR, 1) == ["You asked: Where is Jinchang?\n1. Where is it?\n2. Tickets?"]
    retry = sender.signed(text_xml(VISITOR, "Where is Jinchang?", 102))
    assert deliver(make_channel(store_path, api_url=fake_api.url), retry, rasa).body == b"success"
    assert len(rasa.seen) == 1 and len(fake_api.sent) == 1


# The API client


def test_the_token_is_fetched_once_for_all_workers_and_again_before_it_expires(store_path, fake_api):
    fake_api.expires_in = 2  # fetched again after 1 s (half its life)
    settings = WeChatSettings(token=TOKEN, app_id=APP_ID, app_secret=APP_SECRET, api_url=fake_api.url)
    workers = [WeChatApi(settings, WeChatStore(store_path)) for _ in range(2)]
    for number, worker in enumerate(workers * 2):
        worker.send_text(VISITOR, f"message {number}")
    assert len(fake_api.fetches) == 1
    time.sleep(1.2)
    workers[1].send_text(VISITOR, "later")
    workers[0].send_text(VISITOR, "later still")
    assert len(fake_api.fetches) == 2
    assert [m["text"]["content"] for m in fake_api.sent] == [f"message {n}" for n in range(4)] + [
        "later",
        "later still",
    ]
    assert fake_api.sent[-1]["access_token"] != fake_api.sent[0]["access_token"]
    assert fake_api.refused == []


def test_a_refused_token_is_replaced_and_the_message_sent_once(store_path, fake_api):
    settings = WeChatSettings(token=TOKEN, app_id=APP_ID, app_secret=APP_SECRET, api_url=fake_api.url)
    store = WeChatStore(store_path)
    worker = WeChatApi(settings, store)
    store.set(worker.access_token_key, "a-token-wechat-revoked", 7200)
    worker.send_text(VISITOR, "hello")
    assert fake_api.refused == ["a-token-wechat-revoked"]
    assert [m["text"]["content"] for m in fake_api.sent] == ["hello"] and len(fake_api.fetches) == 1


# Texts


def test_a_short_reply_is_one_part_with_its_buttons_numbered():
    messages = [
        {"text": "Jinchang is in Gansu."},
        {"text": "More?", "buttons": [{"title": "A", "payload": "a"}]},
    ]
    assert reply_text(messages) == "Jinchang is in Gansu.\n\nMore?\n1. A"
    assert split_text("Short.") == ["Short."]


@pytest.mark.parametrize(
    "text",
    [
        " ".join(f"Sentence number {n} tells something about the lake and the desert." for n in range(120)),
        "".join(f"金昌是一座城市，这是第{n}句话。" for n in range(200)),
        "Long list:\n" + "\n".join(f"{n}. A place worth a visit" for n in range(1, 200)),
        "👨‍👩‍👧‍👦🇨🇳👍🏽é" * 300,  # emoji sequences, flags, skin tones, a combining accent
        "x" * 5000,
    ],
    ids=["english", "chinese", "list", "emoji", "one word"],
)
def test_a_long_reply_is_split_under_the_limit_at_boundaries(text):
    parts = split_text(text)
    assert len(parts) > 1
    assert all(0 < len(p.encode("utf-8")) <= MAX_TEXT_BYTES for p in parts)
    assert "".join("".join(p.split()) for p in parts) == "".join(text.split())
    for part in parts[:-1]:
        if "。" in text:
            assert part.endswith("。")
        elif text.startswith("Sentence"):
            assert part.endswith(".")
        elif text.startswith("Long list"):
            assert part.split("\n")[-1].endswith("visit")
        elif text.startswith("👨"):
            assert part.endswith("é") or unicodedata.category(parts[parts.index(part) + 1][0]) == "So"
            assert not part.endswith("\u200d") and "\u0301" not in part[-1:]


def test_a_chinese_message_of_two_thousand_bytes_is_not_cut_inside_a_character():
    text = "金" * 1000  # 3,000 bytes, no boundary at all
    parts = split_text(text)
    assert [len(p) for p in parts] == [682, 318]
    assert all(isinstance(p.encode("utf-8"), bytes) for p in parts)


def test_stored_state_is_shared_and_a_late_answer_is_handed_over_once(store_path):
    one, two = WeChatStore(store_path), WeChatStore(store_path)
    assert one.claim("msg:1") == ("new", None)
    assert two.claim("msg:1") == ("pending", None)
    assert two.hand_over("msg:1") is None
    assert one.finish("msg:1", ["late answer"]) is False
    assert two.claim("msg:1")[0] == "late"
    assert one.hand_over("msg:1") is None  # handed over already: its reply goes through the API
    assert one.claim("msg:2") == ("new", None) and one.finish("msg:2", ["answer"])
    assert two.hand_over("msg:2") == ["answer"]


def test_without_a_token_only_the_health_route_says_it_is_off(monkeypatch):
    for name in ("WECHAT_TOKEN", "WECHAT_APP_ID", "WECHAT_APP_SECRET", "WECHAT_AES_KEY", "WECHAT_API_URL"):
        monkeypatch.delenv(name, raising=False)
    channel = WeChatInput.from_credentials(None)
    assert channel.settings is None
    assert [route.uri for route in channel.blueprint(FakeRasa())._future_routes] == ["/"]


def test_a_message_over_the_length_limit_gets_too_long(store_path):
    channel, rasa = make_channel(store_path), FakeRasa()
    sender = WeChatSender("", TOKEN)
    answer = deliver(channel, sender.signed(text_xml(VISITOR, "Where is it? " * 200, 5150)), rasa)
    assert reply_content(channel, answer, sender) == render("too_long", limit=MAX_MESSAGE_CHARS)["text"]
    assert rasa.seen == []
