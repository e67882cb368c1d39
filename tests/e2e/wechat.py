"""WeChat's side of the WeChat channel, for the tests: signed XML posts as WeChat's servers
send them (plain and encrypted), and a local fake of WeChat's API (token, custom send)."""

import hashlib
import json
import re
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Tuple

import requests
import xmltodict
from wechatpy.crypto import WeChatCrypto

TOKEN = "jinchang-test-token"
APP_ID = "wx5f0a1b2c3d4e5f60"
APP_SECRET = "0123456789abcdef0123456789abcdef"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat shows it
ACCOUNT = "gh_3a4b5c6d7e8f"  # the Official Account's own id (ToUserName)
TIMEOUT = 60.0


def openid() -> str:
    """A new visitor's openid (28 characters, as WeChat's)."""
    return "o" + secrets.token_urlsafe(21)[:27]


def cdata(value: str) -> str:
    """Text in a CDATA section (a "]]>" in it split over two)."""
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def message_xml(sender: str, kind: str, fields: Dict[str, Any], create_time: Optional[int] = None) -> str:
    """A message or event as WeChat posts it: ToUserName, FromUserName, CreateTime, MsgType, fields."""
    lines = [
        f"<ToUserName>{cdata(ACCOUNT)}</ToUserName>",
        f"<FromUserName>{cdata(sender)}</FromUserName>",
        f"<CreateTime>{create_time or int(time.time())}</CreateTime>",
        f"<MsgType>{cdata(kind)}</MsgType>",
    ]
    for name, value in fields.items():
        lines.append(f"<{name}>{value if isinstance(value, int) else cdata(str(value))}</{name}>")
    return "<xml>" + "\n".join(lines) + "</xml>"


def text_xml(sender: str, text: str, msg_id: int, create_time: Optional[int] = None) -> str:
    """A text message."""
    return message_xml(sender, "text", {"Content": text, "MsgId": msg_id}, create_time)


def event_xml(sender: str, event: str, create_time: Optional[int] = None) -> str:
    """An event: subscribe (follow) or unsubscribe."""
    return message_xml(sender, "event", {"Event": event}, create_time)


# The other kinds of message, with the fields WeChat sends.
MEDIA_FIELDS = {
    "image": {"PicUrl": "http://mmbiz.qpic.cn/mmbiz_jpg/x/0", "MediaId": "media_id_1"},
    "voice": {"MediaId": "media_id_2", "Format": "amr"},
    "video": {"MediaId": "media_id_3", "ThumbMediaId": "thumb_1"},
    "location": {"Location_X": "38.5", "Location_Y": "102.18", "Scale": "15", "Label": "Jinchang"},
    "link": {"Title": "A page", "Description": "About the city", "Url": "https://example.org/"},
}


def new_msg_id() -> int:
    """A 64-bit message id, as WeChat's."""
    return secrets.randbits(62) + 1


def signature(*parts: str) -> str:
    """WeChat's signature: SHA-1 of the sorted parts joined."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


@dataclass
class WeChatSender:
    """Posts to the channel's webhook as WeChat's servers do; safe mode with an AES key."""

    url: str
    token: str = TOKEN
    aes_key: Optional[str] = None
    app_id: str = APP_ID

    @property
    def crypto(self) -> Optional[WeChatCrypto]:
        return WeChatCrypto(self.token, self.aes_key, self.app_id) if self.aes_key else None

    def signed(self, xml: str, timestamp: Optional[int] = None) -> "SignedPost":
        """The query and body of a POST of `xml`, signed (and encrypted in safe mode)."""
        stamp, nonce = str(timestamp or int(time.time())), secrets.token_hex(5)
        query = {"signature": signature(self.token, stamp, nonce), "timestamp": stamp, "nonce": nonce}
        body = xml
        crypto = self.crypto
        if crypto is not None:
            envelope = xmltodict.parse(crypto.encrypt_message(xml, nonce, stamp))["xml"]
            body = f"<xml><ToUserName>{cdata(ACCOUNT)}</ToUserName><Encrypt>{cdata(envelope['Encrypt'])}</Encrypt></xml>"
            query.update(encrypt_type="aes", msg_signature=envelope["MsgSignature"])
        sender = re.search(r"<FromUserName><!\[CDATA\[(.*?)\]\]>", xml)
        query["openid"] = sender.group(1) if sender else ""
        return SignedPost(query, body.encode("utf-8"))

    def post(self, post: "SignedPost", **changes: str) -> requests.Response:
        """POST a signed body (with query values changed or removed with "")."""
        query = {k: v for k, v in {**post.query, **changes}.items() if v}
        return requests.post(
            self.url, params=query, data=post.body, headers={"Content-Type": "text/xml"}, timeout=TIMEOUT
        )

    def reply(self, answer: requests.Response, post: "SignedPost") -> Optional[Dict[str, Any]]:
        """The passive reply's fields (decrypted in safe mode), None for "success"."""
        assert answer.status_code == 200, (answer.status_code, answer.text[:300])
        if answer.text in ("success", ""):
            return None
        fields = xmltodict.parse(answer.text)["xml"]
        crypto = self.crypto
        if crypto is not None:
            assert set(fields) == {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}, fields
            inner = crypto.decrypt_message(
                answer.text, fields["MsgSignature"], fields["TimeStamp"], fields["Nonce"]
            )
            fields = xmltodict.parse(inner)["xml"]
        assert fields["ToUserName"] == xmltodict.parse(post.body_xml(self))["xml"]["FromUserName"]
        assert fields["FromUserName"] == ACCOUNT and fields["MsgType"] == "text", fields
        return fields

    def ask(self, sender: str, text: str, msg_id: Optional[int] = None) -> Optional[str]:
        """The text of the passive reply to a text message (None for "success")."""
        post = self.signed(text_xml(sender, text, msg_id or new_msg_id()))
        fields = self.reply(self.post(post), post)
        return fields["Content"] if fields else None

    def verify_url(self, echostr: str, **changes: str) -> requests.Response:
        """The URL check WeChat makes when the server address is saved."""
        stamp, nonce = str(int(time.time())), secrets.token_hex(5)
        query = {"signature": signature(self.token, stamp, nonce), "timestamp": stamp, "nonce": nonce}
        query = {k: v for k, v in {**query, "echostr": echostr, **changes}.items() if v}
        return requests.get(self.url, params=query, timeout=TIMEOUT)


@dataclass
class SignedPost:
    """A POST as WeChat sends it: the query string and the (maybe encrypted) XML body."""

    query: Dict[str, str]
    body: bytes

    def body_xml(self, sender: WeChatSender) -> str:
        """The message XML (decrypted in safe mode)."""
        crypto = sender.crypto
        if crypto is None:
            return self.body.decode("utf-8")
        return crypto.decrypt_message(
            self.body.decode("utf-8"),
            self.query["msg_signature"],
            self.query["timestamp"],
            self.query["nonce"],
        )


@dataclass
class FakeWeChatApi:
    """WeChat's API on localhost: /cgi-bin/token hands out tokens valid for `expires_in`
    seconds, /cgi-bin/message/custom/send takes text messages sent with a valid token."""

    expires_in: int = 7200
    fetches: List[float] = field(default_factory=list)
    sent: List[Dict[str, Any]] = field(default_factory=list)
    refused: List[str] = field(default_factory=list)
    tokens: Dict[str, float] = field(default_factory=dict)  # token -> when it expires
    server: Optional[ThreadingHTTPServer] = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakeWeChatApi":
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                path, _, query = self.path.partition("?")
                args = dict(urllib.parse.parse_qsl(query))
                if path != "/cgi-bin/token":
                    return self.answer({"errcode": 404, "errmsg": "not found"})
                if args != {"grant_type": "client_credential", "appid": APP_ID, "secret": APP_SECRET}:
                    return self.answer({"errcode": 40013, "errmsg": "invalid appid"})
                token = f"TOKEN{len(api.fetches) + 1}-{secrets.token_hex(4)}"
                api.fetches.append(time.time())
                api.tokens[token] = time.time() + api.expires_in
                self.answer({"access_token": token, "expires_in": api.expires_in})

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                path, _, query = self.path.partition("?")
                token = dict(urllib.parse.parse_qsl(query)).get("access_token", "")
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if path != "/cgi-bin/message/custom/send":
                    return self.answer({"errcode": 404, "errmsg": "not found"})
                if token not in api.tokens:
                    api.refused.append(token)
                    return self.answer({"errcode": 40001, "errmsg": "invalid credential"})
                if api.tokens[token] < time.time():
                    api.refused.append(token)
                    return self.answer({"errcode": 42001, "errmsg": "access_token expired"})
                api.sent.append({**body, "access_token": token})
                self.answer({"errcode": 0, "errmsg": "ok"})

            def answer(self, data: Dict[str, Any]) -> None:
                raw = json.dumps(data).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def texts_to(self, sender: str, count: int, timeout: float = TIMEOUT) -> List[str]:
        """The texts sent to a visitor, once there are `count` of them."""
        deadline = time.monotonic() + timeout
        while True:
            texts = [m["text"]["content"] for m in self.sent if m.get("touser") == sender]
            if len(texts) >= count or time.monotonic() > deadline:
                return texts
            time.sleep(0.1)


def rest_seen(messages: List[Dict[str, Any]]) -> Tuple[str, Tuple[str, ...]]:
    """A REST answer as a visitor reads it: the texts, and the titles of the buttons."""
    text = "\n\n".join(m["text"].strip() for m in messages if m.get("text"))
    return text, tuple(b["title"] for m in messages for b in m.get("buttons") or [])
