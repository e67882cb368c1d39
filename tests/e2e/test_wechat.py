"""End to end over WeChat: the real servers with the WeChat channel on, posts signed (and in
safe mode encrypted) as WeChat's servers send them, and a local fake of WeChat's API."""

import json
import secrets
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import requests
import yaml

from actions.replies import render
from channels.wechat import MAX_BODY_BYTES
from server.serve import Servers
from tests.e2e.messages import read_numbered_list
from tests.e2e.wechat import (
    AES_KEY,
    APP_ID,
    APP_SECRET,
    MEDIA_FIELDS,
    TOKEN,
    FakeWeChatApi,
    WeChatSender,
    event_xml,
    message_xml,
    new_msg_id,
    openid,
    rest_seen,
    text_xml,
)

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [
    "Where is Jinchang?",
    "Tell me about Shengrong Temple",
    "where is it?",  # a follow-up: about the temple
    "source?",
    "How much does a hotel room cost in Jinchang?",
]
HOSTILE_XML = {
    "xxe": '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<xml><ToUserName>gh_x</ToUserName><FromUserName>{sender}</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>&x;</Content><MsgId>1</MsgId></xml>",
    "billion laughs": '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {c * 2} "{("&" + (c * 2 if i else "a") + ";") * 10}">' for i, c in enumerate("bcdefghi")
    )
    + "]><xml><FromUserName>{sender}</FromUserName><Content>&ii;</Content></xml>",
    "malformed": "<xml><FromUserName>{sender}</FromUserName><MsgType>text</Ms",
    "not a message": '{{"sender": "{sender}", "message": "hi"}}',
}


def env(api: FakeWeChatApi, aes_key: str = "") -> Dict[str, str]:
    """The channel's settings (all given, so the test's own environment does not count)."""
    return {
        "WECHAT_TOKEN": TOKEN,
        "WECHAT_APP_ID": APP_ID,
        "WECHAT_APP_SECRET": APP_SECRET,
        "WECHAT_AES_KEY": aes_key,
        "WECHAT_API_URL": api.url,
    }


def webhook(servers: Servers) -> str:
    return f"http://localhost:{servers.rasa_port}/webhooks/wechat/webhook"


def stored_events(servers: Servers, sender: str, kind: str = "user") -> List[Dict[str, Any]]:
    """A conversation's stored events of one kind (read only)."""
    database = yaml.safe_load(servers.endpoints.read_text(encoding="utf-8"))["tracker_store"]["db"]
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = ? ORDER BY id", (sender, kind)
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def rest_answers(servers: Servers, questions: List[str]) -> List[Tuple[str, Tuple[str, ...]]]:
    sender = f"rest-{secrets.token_hex(4)}"
    return [rest_seen(servers.ask(sender, question)) for question in questions]


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeWeChatApi]:
    api = FakeWeChatApi().start()
    yield api
    api.stop()


class TestPlainMode:
    @pytest.fixture(scope="class")
    def servers(self, make_servers, fake_api) -> Iterator[Servers]:
        with make_servers(env=env(fake_api)) as running:
            yield running

    @pytest.fixture(scope="class")
    def wechat(self, servers: Servers) -> WeChatSender:
        return WeChatSender(webhook(servers))

    def test_the_health_route_says_it_is_on_in_plain_mode(self, servers):
        health = requests.get(f"http://localhost:{servers.rasa_port}/webhooks/wechat/", timeout=10).json()
        assert health == {"status": "on", "mode": "plain", "api": True}

    def test_the_url_check_echoes_only_to_a_right_signature(self, wechat):
        answer = wechat.verify_url("5973521860357291738")
        assert (answer.status_code, answer.text) == (200, "5973521860357291738")
        for changes in (
            {"signature": "0" * 40},
            {"signature": ""},
            {"timestamp": str(int(time.time()) - 3600)},
        ):
            assert wechat.verify_url("1", **changes).status_code == 403

    def test_answers_and_follow_ups_are_the_rest_answers(self, servers, wechat):
        visitor = openid()
        answers = [read_numbered_list(wechat.ask(visitor, question) or "") for question in QUESTIONS]
        assert answers == rest_answers(servers, QUESTIONS)
        assert "Shengrong" in answers[2][0] or "temple" in answers[2][0].lower(), (
            "the follow-up is about the temple"
        )
        assert answers[3][0].startswith(render("source", quotes="")["text"].strip()), (
            "source? quotes the document"
        )
        assert [e["text"] for e in stored_events(servers, visitor)] == QUESTIONS

    def test_a_numbered_button_asks_its_question(self, servers, wechat):
        visitor = openid()
        greeting = wechat.reply(*self._post(wechat, event_xml(visitor, "subscribe")))
        assert greeting is not None
        rest_sender = f"rest-{secrets.token_hex(4)}"
        rest_greeting = servers.ask(rest_sender, "Hello")
        assert read_numbered_list(greeting["Content"]) == rest_seen(rest_greeting)
        payload = [b["payload"] for m in rest_greeting for b in m.get("buttons") or []][1]
        assert read_numbered_list(wechat.ask(visitor, "2") or "") == rest_seen(
            servers.ask(rest_sender, payload)
        )
        assert [e["text"] for e in stored_events(servers, visitor)] == ["Hello", payload]

    @staticmethod
    def _post(wechat: WeChatSender, xml: str) -> Tuple[requests.Response, Any]:
        post = wechat.signed(xml)
        return wechat.post(post), post

    def test_a_repeated_message_is_answered_once_with_the_same_reply(self, servers, wechat):
        visitor, msg_id = openid(), new_msg_id()
        first = wechat.ask(visitor, "How big is Jinchang?", msg_id)
        again = [wechat.ask(visitor, "How big is Jinchang?", msg_id) for _ in range(3)]
        assert first and again == [first] * 3
        assert len(stored_events(servers, visitor)) == 1
        assert len(stored_events(servers, visitor, "bot")) == len(
            [m for m in servers.ask(f"rest-{secrets.token_hex(4)}", "How big is Jinchang?") if m.get("text")]
        )

    @pytest.mark.parametrize(
        "changes",
        [{"signature": "0" * 40}, {"signature": ""}, {"timestamp": ""}, {"nonce": "another"}],
        ids=["wrong", "missing", "no timestamp", "other nonce"],
    )
    def test_a_bad_signature_is_refused_and_reaches_no_conversation(self, servers, wechat, changes):
        visitor = openid()
        answer = wechat.post(wechat.signed(text_xml(visitor, "Where is Jinchang?", new_msg_id())), **changes)
        assert answer.status_code == 403
        assert stored_events(servers, visitor) == []

    def test_a_replayed_message_is_refused(self, servers, wechat):
        visitor = openid()
        old = int(time.time()) - 3600
        post = wechat.signed(text_xml(visitor, "Where is Jinchang?", new_msg_id(), old), timestamp=old)
        assert wechat.post(post).status_code == 403
        assert stored_events(servers, visitor) == []

    @pytest.mark.parametrize("name", sorted(HOSTILE_XML))
    def test_hostile_xml_is_refused_in_milliseconds(self, servers, wechat, name):
        visitor = openid()
        post = wechat.signed("<xml/>")
        post.body = HOSTILE_XML[name].format(sender=visitor).encode("utf-8")
        started = time.monotonic()
        answer = wechat.post(post)
        assert 400 <= answer.status_code < 500 and time.monotonic() - started < 1.0
        assert stored_events(servers, visitor) == []

    def test_a_huge_body_is_refused_at_once(self, wechat):
        post = wechat.signed("<xml/>")
        post.body = b"<xml><Content>" + b"x" * (8 * MAX_BODY_BYTES) + b"</Content></xml>"
        started = time.monotonic()
        assert wechat.post(post).status_code == 413
        assert time.monotonic() - started < 1.0

    def test_unfollow_stores_nothing_and_media_get_please_type(self, servers, wechat):
        visitor = openid()
        answer, _ = self._post(wechat, event_xml(visitor, "unsubscribe"))
        assert (answer.status_code, answer.text) == (200, "success")
        for kind, fields in MEDIA_FIELDS.items():
            post = wechat.signed(message_xml(visitor, kind, {**fields, "MsgId": new_msg_id()}))
            assert wechat.reply(wechat.post(post), post)["Content"] == render("type_question")["text"], kind
        assert stored_events(servers, visitor) == []

    def test_a_chinese_message_gets_the_bilingual_reply_on_wechat_and_rest(self, servers, wechat):
        visitor = openid()
        assert wechat.ask(visitor, "金昌在哪里？") == render("english_only")["text"]
        assert (
            rest_seen(servers.ask(f"rest-{secrets.token_hex(4)}", "金昌在哪里？"))[0]
            == render("english_only")["text"]
        )


class TestSafeMode:
    @pytest.fixture(scope="class")
    def servers(self, make_servers, fake_api) -> Iterator[Servers]:
        with make_servers(env=env(fake_api, AES_KEY)) as running:
            yield running

    @pytest.fixture(scope="class")
    def wechat(self, servers: Servers) -> WeChatSender:
        return WeChatSender(webhook(servers), aes_key=AES_KEY)

    def test_encrypted_answers_and_follow_ups_are_the_rest_answers(self, servers, wechat):
        visitor = openid()
        answers = [read_numbered_list(wechat.ask(visitor, question) or "") for question in QUESTIONS]
        assert answers == rest_answers(servers, QUESTIONS)
        assert [e["text"] for e in stored_events(servers, visitor)] == QUESTIONS

    def test_the_url_check_works_in_safe_mode(self, wechat):
        assert wechat.verify_url("123abc").text == "123abc"

    def test_plain_or_wrongly_signed_messages_are_refused(self, servers, wechat):
        visitor = openid()
        plain = WeChatSender(wechat.url)
        assert (
            plain.post(plain.signed(text_xml(visitor, "Where is Jinchang?", new_msg_id()))).status_code == 400
        )
        post = wechat.signed(text_xml(visitor, "Where is Jinchang?", new_msg_id()))
        assert wechat.post(post, msg_signature="0" * 40).status_code == 403
        other = WeChatSender(wechat.url, aes_key=AES_KEY, app_id="wx00000000000000ff")
        assert (
            other.post(other.signed(text_xml(visitor, "Where is Jinchang?", new_msg_id()))).status_code == 403
        )
        assert stored_events(servers, visitor) == []

    def test_a_repeated_encrypted_message_is_answered_once(self, servers, wechat):
        visitor, msg_id = openid(), new_msg_id()
        first = wechat.ask(visitor, "Where is Jinchang?", msg_id)
        assert first and wechat.ask(visitor, "Where is Jinchang?", msg_id) == first
        assert len(stored_events(servers, visitor)) == 1


class TestSlowAnswers:
    """Rasa slower than the window (here the window is made 0.01 s): "success", then the answer
    through the customer-service message API of the fake."""

    @pytest.fixture(scope="class")
    def servers(self, make_servers, fake_api, tmp_path_factory) -> Iterator[Servers]:
        credentials = tmp_path_factory.mktemp("wechat") / "credentials.yml"
        text = (ROOT / "credentials.yml").read_text(encoding="utf-8")
        credentials.write_text(
            text.replace(
                "channels.wechat.WeChatInput:", "channels.wechat.WeChatInput:\n  reply_seconds: 0.01"
            )
        )
        fake_api.expires_in = 8  # fetched again after 4 s
        with make_servers(credentials=credentials, env=env(fake_api)) as running:
            yield running

    def test_late_answers_go_through_the_api_with_one_token_refreshed_before_it_expires(
        self, servers, fake_api
    ):
        wechat, visitor = WeChatSender(webhook(servers)), openid()
        questions = QUESTIONS[:3]
        for number, question in enumerate(questions, 1):
            assert wechat.ask(visitor, question) is None  # "success"
            assert len(fake_api.texts_to(visitor, number)) == number
        assert [read_numbered_list(t) for t in fake_api.texts_to(visitor, 3)] == rest_answers(
            servers, questions
        )
        assert len(fake_api.fetches) == 1
        time.sleep(max(0.0, fake_api.fetches[0] + 4.5 - time.time()))
        assert wechat.ask(visitor, "How big is Jinchang?") is None
        sent = fake_api.texts_to(visitor, 4)
        assert read_numbered_list(sent[3]) == rest_answers(servers, [*questions, "How big is Jinchang?"])[3]
        assert len(fake_api.fetches) == 2 and fake_api.refused == []
        tokens = [m["access_token"] for m in fake_api.sent if m["touser"] == visitor]
        assert tokens[0] == tokens[2] != tokens[3]

    def test_a_retry_of_a_late_message_sends_nothing_more(self, servers, fake_api):
        wechat, visitor, msg_id = WeChatSender(webhook(servers)), openid(), new_msg_id()
        assert wechat.ask(visitor, "Where is Jinchang?", msg_id) is None
        assert len(fake_api.texts_to(visitor, 1)) == 1
        assert wechat.ask(visitor, "Where is Jinchang?", msg_id) is None
        time.sleep(1.0)
        assert len(fake_api.texts_to(visitor, 2, timeout=0)) == 1
        assert len(stored_events(servers, visitor)) == 1
