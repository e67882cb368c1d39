"""WeChat: the assistant as a WeChat Official Account (公众号), over wechatpy.

Switched on by WECHAT_TOKEN (the token entered in the account's server settings); without it
the channel is inert and only its health route answers. WeChat calls
/webhooks/wechat/webhook: a GET to verify the URL, then a POST of XML for each message or
event, signed with the token (and, in safe mode, encrypted with WECHAT_AES_KEY).

- Every request's signature is checked (403 when wrong or missing), as is its time (403 when
  older than MAX_AGE: a replayed request). The body is read up to MAX_BODY_BYTES and refused
  when it declares a document type or entities (XXE, "billion laughs") before any parser sees
  it; what does not parse is refused with 400. None of these reaches a conversation.
- A text message goes to Rasa with the visitor's openid as the sender, through
  channels.guard; the answer is the passive reply (the XML answer to WeChat's POST), buttons
  as a numbered list answered with the number (as on Matrix). A reply over WeChat's text
  limit is split at sentence boundaries; the parts after the first go through the
  customer-service message API.
- WeChat waits 5 seconds and posts the same message again, up to three times. A message is
  answered once (stores.wechat: shared by the Sanic workers); a repeat gets the same reply.
  When Rasa takes longer than REPLY_SECONDS the post is answered "success" and the answer
  goes through the customer-service message API (WECHAT_APP_ID and WECHAT_APP_SECRET; the
  access token is fetched once, kept in the store and fetched again before it expires).
- Following the account is answered like opening the web chat (the greeting); unfollowing
  stores nothing; pictures, voice, video, locations and links get "please type your question".
"""

import asyncio
import base64
import binascii
import logging
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Set

import requests
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import WeChatClient, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException, WeChatClientException
from wechatpy.messages import BaseMessage, TextMessage, VoiceMessage
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from actions.replies import render
from channels.guard import OnNewMessage, guard_messages, valid_sender
from channels.matrix import ButtonMemory, numbered_list
from channels.rest import AnswerCollector
from stores.locks import SQLiteLockStore
from stores.wechat import LATE, PENDING, SENT, WeChatStore

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
# Credential keys (credentials.yml) and the environment variables they default to.
SETTINGS = {
    "token": "WECHAT_TOKEN",
    "app_id": "WECHAT_APP_ID",
    "app_secret": "WECHAT_APP_SECRET",
    "aes_key": "WECHAT_AES_KEY",
    "api_url": "WECHAT_API_URL",
}
DEFAULT_API_URL = "https://api.weixin.qq.com"
STORE_FILE = "wechat.db"  # beside the SQLite lock store, else in var/

# WeChat gives up on an answer after 5 seconds; this leaves time for the reply to travel.
REPLY_SECONDS = 4.5
# How old a signed request may be (clocks differ a little; WeChat retries within 15 s).
MAX_AGE = 300
# A WeChat message is a few hundred bytes; a text message at most about 2 kB of text.
MAX_BODY_BYTES = 64 * 1024
# WeChat's limit on the text of one message, in UTF-8 bytes.
MAX_TEXT_BYTES = 2048
API_TIMEOUT = 10.0
POLL_SECONDS = 0.1
# What a follow is answered with: the first message of the web chat (web/index.html initPayload).
GREETING = "Hello"
FOLLOW_EVENTS = {"subscribe", "subscribe_scan", "subscribe_scan_product"}
NOT_TEXT = {"image", "voice", "video", "shortvideo", "location", "link", "file"}
SUCCESS = "success"  # WeChat's "received, nothing to show"
# API error codes of an access token that is wrong, expired or replaced.
TOKEN_ERRORS = {40001, 40014, 42001}

# A document type, an entity or any other markup declaration: never in WeChat's XML.
_DECLARATION = re.compile(rb"<!(?!\[CDATA\[)")
# A sentence or line and the spaces after it ("12." at the start of a line numbers an item).
_SENTENCE = re.compile(
    r".*?(?:(?<!^\d)(?<!^\d\d)(?<!^\d\d\d)[.!?…]+[\"')\]]*(?:\s+|$)|[。！？]+[」』”）]*\s*|\n+|$)",
    re.S | re.M,
)


class Refused(Exception):
    """A request that reaches no conversation, with the status it gets."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class WeChatSettings:
    """The account's server settings: token, app id and secret, AES key, API address."""

    token: str
    app_id: Optional[str] = None
    app_secret: Optional[str] = None
    aes_key: Optional[str] = None
    api_url: str = DEFAULT_API_URL
    store: Optional[Path] = None

    @classmethod
    def read(cls, credentials: Mapping[str, Any], environ: Mapping[str, str]) -> Optional["WeChatSettings"]:
        """Settings from credentials.yml values, else the environment; None when switched off."""
        values = {key: credentials.get(key) or environ.get(env) or None for key, env in SETTINGS.items()}
        if not values["token"]:
            return None
        aes_key = values["aes_key"]
        if aes_key:
            try:
                key = base64.b64decode(str(aes_key) + "=", validate=True)
            except (binascii.Error, ValueError):
                key = b""
            if len(str(aes_key)) != 43 or len(key) != 32:
                raise ValueError("WeChat: WECHAT_AES_KEY must be the account's 43-character EncodingAESKey")
            if not values["app_id"]:
                raise ValueError("WeChat: safe mode (WECHAT_AES_KEY) needs WECHAT_APP_ID too")
        store = credentials.get("store")
        return cls(
            token=str(values["token"]),
            app_id=values["app_id"],
            app_secret=values["app_secret"],
            aes_key=aes_key,
            api_url=str(values["api_url"] or DEFAULT_API_URL).rstrip("/"),
            store=(ROOT / str(store)) if store else None,
        )

    @property
    def mode(self) -> str:
        """ "safe" (encrypted) with an AES key, else "plain"."""
        return "safe" if self.aes_key else "plain"

    @property
    def api(self) -> bool:
        """True when messages can be sent through the API (app id and secret are set)."""
        return bool(self.app_id and self.app_secret)


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> List[str]:
    """The text in parts of at most `limit` UTF-8 bytes, cut after sentences or lines; a
    sentence too long for one part is cut at a space, else between two characters (never
    inside a character, an emoji sequence or a combining mark)."""
    text = text.strip()
    if _size(text) <= limit:
        return [text] if text else []
    parts: List[str] = []
    current = ""
    for match in _SENTENCE.finditer(text):
        piece = match.group()
        if not piece:
            continue
        if _size(current + piece) <= limit:
            current += piece
            continue
        if current.strip():
            parts.append(current.strip())
        while _size(piece.strip()) > limit:
            cut = _cut(piece, limit)
            parts.append(piece[:cut].strip())
            piece = piece[cut:].lstrip()
        current = piece
    if current.strip():
        parts.append(current.strip())
    return parts


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, limit: int) -> int:
    """Where to cut text whose start is too long: the last space that fits, else the last
    boundary between two characters that fits."""
    end = 0
    size = 0
    for index, character in enumerate(text):
        size += _size(character)
        if size > limit:
            break
        end = index + 1
    space = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end))
    if space > 0:
        return space
    while end > 1 and not _boundary(text, end):
        end -= 1
    return max(end, 1)


def _boundary(text: str, index: int) -> bool:
    """True when text may be cut before text[index] without splitting what is seen as one
    character: a base and its combining marks, an emoji with its modifiers and joiners, a flag."""
    after, before = text[index], text[index - 1]
    if unicodedata.category(after) in ("Mn", "Mc", "Me") or after in "\u200d\ufe0e\ufe0f":
        return False
    if before == "\u200d" or 0x1F3FB <= ord(after) <= 0x1F3FF or 0xE0020 <= ord(after) <= 0xE007F:
        return False
    if _regional(after) and _regional(before):
        pairs = 0
        while index - pairs - 1 >= 0 and _regional(text[index - pairs - 1]):
            pairs += 1
        return pairs % 2 == 0
    return True


def _regional(character: str) -> bool:
    return 0x1F1E6 <= ord(character) <= 0x1F1FF


def reply_text(messages: List[Dict[str, Any]]) -> str:
    """The bot's messages of one turn as one WeChat text: their texts, then every button as a
    numbered list."""
    texts = [str(m["text"]).strip() for m in messages if m.get("text")]
    buttons = [b for m in messages for b in m.get("buttons") or []]
    return numbered_list("\n\n".join(texts), buttons)


def safe_xml(body: bytes) -> bytes:
    """The body, when it can be given to an XML parser: refused when it declares anything."""
    if _DECLARATION.search(body):
        raise Refused(400, "XML with declarations (DOCTYPE, ENTITY) is not accepted")
    return body


class StoredButtons(ButtonMemory):
    """channels.matrix's ButtonMemory with the lists kept in the channel's store, so any
    worker reads the list a visitor was shown last."""

    def __init__(self, store: WeChatStore) -> None:
        super().__init__()
        self.store = store

    def remember(self, sender_id: str, buttons: List[Dict[str, Any]]) -> None:
        """Keep the payloads of the buttons just shown."""
        super().remember(sender_id, buttons)
        self.store.save_buttons(sender_id, self._payloads.pop(sender_id))

    def resolve(self, sender_id: str, text: str) -> Optional[str]:
        """The payload of the button whose number the text is, or None."""
        self._payloads[sender_id] = self.store.buttons(sender_id)
        try:
            return super().resolve(sender_id, text)
        finally:
            self._payloads.pop(sender_id, None)


class TimedSession(requests.Session):
    """requests with a timeout on every call (wechatpy fetches tokens without one)."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """A request that gives up after API_TIMEOUT seconds."""
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = API_TIMEOUT
        return super().request(*args, **kwargs)


class WeChatApi(WeChatClient):
    """wechatpy's API client at WECHAT_API_URL, its access token kept in the channel's store
    and fetched by one worker at a time."""

    def __init__(self, settings: WeChatSettings, store: WeChatStore) -> None:
        super().__init__(
            settings.app_id, settings.app_secret, session=store, timeout=API_TIMEOUT, auto_retry=False
        )
        self.API_BASE_URL = f"{settings.api_url}/cgi-bin/"
        self.store = store
        self._http = TimedSession()

    def fetch_access_token(self) -> Dict[str, Any]:
        """Fetch a token (wechatpy calls this when the store has none that is not due)."""
        return self.refresh(stale=None)

    def refresh(self, stale: Optional[str]) -> Dict[str, Any]:
        """Fetch a new token, unless another worker has stored one other than `stale`."""
        with self.store.token_lock():
            current = self.store.get(self.access_token_key)
            if current and current != stale:
                return {}
            result = self._fetch_access_token(
                url=f"{self.API_BASE_URL}token",
                params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
            )
        self.expires_at = None  # the store says when it is due (WeChatStore.get)
        logger.info("WeChat: fetched an access token valid for %s s", result.get("expires_in", 7200))
        return result

    def send_text(self, openid: str, text: str) -> None:
        """Send a text message through the customer-service message API (once more with a new
        token when WeChat says the token is no longer valid)."""
        token = self.access_token
        try:
            self.message.send_text(openid, text)
        except WeChatClientException as error:
            if error.errcode not in TOKEN_ERRORS:
                raise
            logger.info("WeChat: the access token was refused (%s): fetching a new one", error.errcode)
            self.refresh(stale=token)
            self.message.send_text(openid, text)


class WeChatInput(InputChannel):
    """WeChat Official Account messages when WECHAT_TOKEN is set (safe mode with WECHAT_AES_KEY)."""

    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[str, Any]]) -> InputChannel:
        credentials = credentials or {}
        settings = WeChatSettings.read(credentials, os.environ)
        if settings is None:
            logger.info(
                "WeChat is off: set WECHAT_TOKEN (and WECHAT_APP_ID, WECHAT_APP_SECRET) to switch it on"
            )
        reply_seconds = float(credentials.get("reply_seconds") or REPLY_SECONDS)
        return cls(settings, reply_seconds)

    def __init__(
        self, settings: Optional[WeChatSettings] = None, reply_seconds: float = REPLY_SECONDS
    ) -> None:
        self.settings = settings
        self.reply_seconds = reply_seconds
        self.crypto = (
            WeChatCrypto(settings.token, settings.aes_key, settings.app_id)
            if settings is not None and settings.aes_key
            else None
        )
        self._store: Optional[WeChatStore] = None
        self._api: Optional[WeChatApi] = None
        self._tasks: Set[asyncio.Task[Any]] = set()

    # Requests

    def check_signature(self, args: Mapping[str, str]) -> None:
        """Refuse a request that WeChat did not sign, or signed too long ago."""
        settings = self.settings
        assert settings is not None
        signature, timestamp, nonce = (args.get(k) or "" for k in ("signature", "timestamp", "nonce"))
        if not (signature and timestamp and nonce):
            raise Refused(403, "signature, timestamp and nonce are required")
        try:
            check_signature(settings.token, signature, timestamp, nonce)
        except InvalidSignatureException:
            raise Refused(403, "wrong signature") from None
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_AGE:
            raise Refused(403, "the request is too old (or from the future): replayed?")

    def read_message(self, body: bytes, args: Mapping[str, str]) -> BaseMessage:
        """The message in a signed POST body, decrypted in safe mode."""
        xml = safe_xml(body)
        if self.crypto is not None:
            if args.get("encrypt_type") != "aes" or not args.get("msg_signature"):
                raise Refused(
                    400, "safe mode: the message must be encrypted (encrypt_type=aes, msg_signature)"
                )
            try:
                xml = self.crypto.decrypt_message(
                    xml.decode("utf-8"), args["msg_signature"], args["timestamp"], args["nonce"]
                )
            except (InvalidSignatureException, InvalidAppIdException):
                raise Refused(403, "wrong msg_signature or app id") from None
            except Exception as error:  # noqa: BLE001 - anything malformed in the envelope
                raise Refused(400, f"cannot decrypt the message ({type(error).__name__})") from None
            xml = safe_xml(xml.encode("utf-8") if isinstance(xml, str) else xml)
        try:
            message = parse_message(xml.decode("utf-8"))
            fields_ok = valid_sender(message.source) and message.target and message.time and message.id >= 0
        except Exception as error:  # noqa: BLE001 - expat, missing, nested or non-number fields
            raise Refused(400, f"not a WeChat message ({type(error).__name__})") from None
        if not fields_ok:
            raise Refused(400, "not a WeChat message (FromUserName, ToUserName and CreateTime are needed)")
        return message

    def passive_reply(
        self, message: BaseMessage, text: Optional[str], args: Mapping[str, str]
    ) -> HTTPResponse:
        """The XML answer to WeChat's POST (encrypted in safe mode), or "success" without text."""
        if not text:
            return response.text(SUCCESS)
        xml = TextReply(message=message, content=text).render()
        if self.crypto is not None:
            xml = self.crypto.encrypt_message(xml, args["nonce"], str(int(time.time())))
        return response.text(xml, content_type="application/xml; charset=utf-8")

    # State shared by the workers

    def store(self, request: Request) -> WeChatStore:
        """The channel's store: beside the SQLite lock store (or where credentials.yml says)."""
        if self._store is None:
            assert self.settings is not None
            path = self.settings.store
            if path is None:
                lock_store = getattr(getattr(request.app.ctx, "agent", None), "lock_store", None)
                folder = lock_store.path.parent if isinstance(lock_store, SQLiteLockStore) else ROOT / "var"
                path = folder / STORE_FILE
            self._store = WeChatStore(path)
        return self._store

    def api(self, store: WeChatStore) -> Optional[WeChatApi]:
        """The API client, when WECHAT_APP_ID and WECHAT_APP_SECRET are set."""
        if self._api is None and self.settings is not None and self.settings.api:
            self._api = WeChatApi(self.settings, store)
        return self._api

    async def send(self, store: WeChatStore, openid: str, parts: List[str]) -> bool:
        """Send texts through the customer-service message API; False when it cannot."""
        api = self.api(store)
        if api is None:
            logger.warning("WeChat: cannot send to %s: set WECHAT_APP_ID and WECHAT_APP_SECRET", openid)
            return False
        loop = asyncio.get_running_loop()
        try:
            for part in parts:
                await loop.run_in_executor(None, api.send_text, openid, part)
        except Exception as error:  # noqa: BLE001 - network or API errors are logged, not raised
            logger.error("WeChat: could not send to %s: %s: %s", openid, type(error).__name__, error)
            return False
        return True

    def _keep(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # Turns

    async def answer(
        self, request: Request, message: BaseMessage, key: str, text: str, on_new_message: OnNewMessage
    ) -> Optional[str]:
        """The passive reply to a message asked of Rasa once (a repeat waits for it); None
        when the answer is late and goes through the API."""
        started = time.monotonic()
        store = self.store(request)
        state, parts = store.claim(key)
        if state != "new":
            logger.info("WeChat: %s again (%s)", key, state)
            while state == PENDING and time.monotonic() - started < self.reply_seconds:
                await asyncio.sleep(POLL_SECONDS)
                state, parts = store.state(key)
            return parts[0] if state not in (PENDING, LATE, SENT) and parts else None
        deadline = started + self.reply_seconds
        turn = asyncio.ensure_future(self._turn(store, message, key, text, on_new_message, deadline))
        self._tasks.add(turn)
        turn.add_done_callback(self._tasks.discard)
        done, _ = await asyncio.wait({turn}, timeout=max(0.0, deadline - time.monotonic()))
        parts = turn.result() if done else store.hand_over(key)
        if parts is None:
            logger.info("WeChat: Rasa is slow to answer %s: it goes through the API", key)
            return None
        if parts[1:]:
            self._keep(self.send(store, message.source, parts[1:]))
        return parts[0] if parts else None

    async def _turn(
        self,
        store: WeChatStore,
        message: BaseMessage,
        key: str,
        text: str,
        on_new_message: OnNewMessage,
        deadline: float,
    ) -> Optional[List[str]]:
        """Ask Rasa; store the reply and return it, or send it through the API when it came
        after `deadline` (time.monotonic) and return None. The time decides, not only the
        timer of `answer`: a turn that never waits (actions in the process, an idle SQLite
        store) runs to its end without letting that timer fire."""
        sender = message.source
        buttons = StoredButtons(store)
        metadata: Dict[str, Any] = {"wechat": {"message": key, "account": message.target}}
        payload = buttons.resolve(sender, text)
        if payload is not None:
            metadata["wechat"]["button"] = text.strip()
            text = payload
        collector = AnswerCollector()
        try:
            await on_new_message(
                UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
            )
        except BaseException:
            store.forget(key)
            raise
        shown = [b for m in collector.messages for b in m.get("buttons") or []]
        if shown:
            buttons.remember(sender, shown)
        parts = split_text(reply_text(collector.messages))
        if time.monotonic() > deadline:
            store.hand_over(key)  # too late for the passive reply, whatever the timer said
        if store.finish(key, parts):
            return parts
        if await self.send(store, sender, parts):
            store.sent(key)
            logger.info("WeChat: sent the late answer to %s through the API", key)
        return None

    async def handle(self, request: Request, body: bytes, on_new_message: OnNewMessage) -> HTTPResponse:
        """Answer one signed POST from WeChat."""
        self.check_signature(request.args)
        args = {k: request.args.get(k) for k in ("timestamp", "nonce", "encrypt_type", "msg_signature")}
        message = self.read_message(body, args)
        kind = message.event if message.type == "event" else message.type
        if kind == "text" or (kind == "voice" and isinstance(message, VoiceMessage) and message.recognition):
            text = message.content if isinstance(message, TextMessage) else message.recognition
            key = f"msg:{message.id}" if message.id else f"event:{message.source}:{message.time}"
            reply = await self.answer(request, message, key, str(text or ""), on_new_message)
        elif kind in FOLLOW_EVENTS:
            key = f"event:{message.source}:{message.time}"
            reply = await self.answer(request, message, key, GREETING, on_new_message)
        elif kind in NOT_TEXT:
            reply = render("type_question")["text"]
        else:  # unfollow, menu clicks, location reports, ...: nothing to say, nothing stored
            reply = None
        return self.passive_reply(message, reply, args)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The health route; when switched on, the URL check and the message webhook."""
        on_new_message = guard_messages(on_new_message)
        webhook = Blueprint("wechat_webhook", __name__)
        settings = self.settings

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            if settings is None:
                return response.json({"status": "off", "switch_on_with": "WECHAT_TOKEN"})
            return response.json({"status": "on", "mode": settings.mode, "api": settings.api})

        if settings is None:
            return webhook

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            try:
                self.check_signature(request.args)
            except Refused as refused:
                logger.warning("WeChat: URL check refused: %s", refused)
                return response.text(str(refused), status=refused.status)
            return response.text(request.args.get("echostr") or "")

        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = await read_body(request)
                return await self.handle(request, body, on_new_message)
            except Refused as refused:
                logger.warning("WeChat: refused a request from %s: %s", request.ip, refused)
                return response.text(str(refused), status=refused.status)

        @webhook.listener("before_server_stop")
        async def stop(_app: Any, _loop: Any) -> None:
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)

        return webhook


async def read_body(request: Request) -> bytes:
    """The request body, refused when longer than MAX_BODY_BYTES (without reading the rest)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise Refused(413, f"the body is over {MAX_BODY_BYTES} bytes")
    request.stream.request_max_size = MAX_BODY_BYTES + 1  # what Sanic still reads after a refusal
    chunks: List[bytes] = []
    size = 0
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise Refused(413, f"the body is over {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
