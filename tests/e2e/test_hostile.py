"""End to end: hostile input over REST and socket.io never breaks the assistant.

Generated input (hypothesis) goes to the real servers: no 5xx, a reply for every text,
"too long" for over-long text; afterwards the Rasa server still runs and a fresh visitor
still gets the knowledge base's answers. Text that looks like Rasa's `/intent{...}`
shorthand is read as ordinary text, as the conversation store shows.

The socket.io client writes JSON as a browser does (UTF-8, not \\u escapes): engine.io
refuses a message over 1 MB, which a browser's 100,000-character message never reaches.
"""

import json
import queue
import re
import sqlite3
import time
import uuid
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, NamedTuple, Optional, Tuple

import pytest
import requests
import socketio
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from socketio.packet import Packet

from actions.context import MAX_MESSAGE_CHARS
from actions.replies import render
from channels.guard import plain_text
from knowledge.base import KnowledgeBase
from server.serve import DEFAULT_WEB_PORT, Servers, SetupError
from tests.e2e.messages import without_source_line

pytestmark = pytest.mark.e2e

REST_EXAMPLES = 320
SOCKET_EXAMPLES = 200
SETTINGS = dict(
    deadline=None,
    database=None,  # no example database (and the caches go to a temporary folder)
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
REPLY_TIMEOUT = 30.0  # the first reply to a message, seconds
QUIET = 0.2  # no further reply for this long ends a turn, seconds
TOO_LONG = render("too_long", limit=MAX_MESSAGE_CHARS)["text"]
EVIL_ORIGIN = "http://evil.example"
# A second allowed page origin, and an origin that only starts like it.
OTHER_PAGE = "https://allowed.example.org"
LOOKALIKE = "https://allowed.example.org.evil.test"
# A binary event announcing attachments (socket.io packet type 5, "<count>-"), never followed by them.
BINARY_EVENT = '52-["user_uttered",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]'
BINARY_VISITORS = 40
ATTACHMENT_BYTES = 600_000  # under engine.io's 1 MB limit once base64-encoded for polling
BINARY_LIMIT = BINARY_VISITORS * ATTACHMENT_BYTES // 2  # growth of a batch: half its attachments
BINARY_BATCHES = 3  # measured batches at most; one growing less than BINARY_LIMIT passes

WHITESPACE = " \t\n\r\x0b\x0c\x85\u00a0\u1680\u2003\u2028\u2029\u202f\u3000"
ZERO_WIDTH = (
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
EMOJI = ["🙂", "😀", "👍🏽", "👨‍👩‍👧‍👦", "🇨🇳", "❤️", "🏜️", "🐪", "🧑‍🚀"]
RIGHT_TO_LEFT = ["أين تقع جينتشانغ؟", "مدينة ليتشيان القديمة", "שלום", "איפה נמצאת ג'ינצ'אנג?"]
QUESTIONS = ["Where is Jinchang?", "Tell me about Liqian ancient city", "population?", "hi"]
INJECTIONS = [
    "/greet",
    '/ask_population{"place": "Lanzhou"}',
    '/ask_attraction{"attraction": "Badan Jaran Desert"}',
    " //restart",
    "/session_start",
    '\x00/ask_area{"attraction": "Jinshui Lake"}',
]
INVALID_UTF8 = [
    b"\xff",
    b"\xfe\xff",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xf8\x88\x80\x80\x80",
    b"\x80",
    b"\xe2\x82",
]
LONG_UNITS = ["x", "hello ", "🙂", "مرحبا ", "\u200b", "Where is Jinchang? ", "/greet "]
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# Generated input


def visitor_texts() -> st.SearchStrategy[str]:
    """Text a careless or hostile visitor might send."""
    invisible = st.text(
        st.characters(categories=["Cc", "Cf"]) | st.sampled_from(ZERO_WIDTH), min_size=1, max_size=40
    )
    emoji = st.lists(st.sampled_from(EMOJI), min_size=1, max_size=20).map("".join)
    right_to_left = st.sampled_from(RIGHT_TO_LEFT) | st.text(
        st.characters(min_codepoint=0x0590, max_codepoint=0x06FF), min_size=1, max_size=40
    )
    surrogates = st.text(st.characters(categories=["Cs", "Ll"]), min_size=1, max_size=20)
    noise = invisible | emoji | right_to_left | surrogates
    noisy_question = st.builds(
        lambda before, question, after: before + question + after, noise, st.sampled_from(QUESTIONS), noise
    )
    shorthand = st.sampled_from(INJECTIONS) | st.builds(
        lambda name, entities: f"/{name}{json.dumps(entities, ensure_ascii=False)}",
        st.from_regex(r"[a-z_]{1,20}", fullmatch=True),
        st.dictionaries(st.sampled_from(["place", "attraction", "honour"]), st.text(max_size=20), max_size=2),
    )
    lengths = st.sampled_from([MAX_MESSAGE_CHARS + 1, 5000, 100_000]) | st.integers(
        MAX_MESSAGE_CHARS + 1, 100_000
    )
    long = st.builds(lambda unit, n: (unit * n)[:n], st.sampled_from(LONG_UNITS), lengths)
    return st.one_of(
        st.just(""),
        st.text(st.sampled_from(WHITESPACE), min_size=1, max_size=30),
        invisible,
        emoji,
        right_to_left,
        surrogates,
        noisy_question,
        shorthand,
        long,
        long,  # twice: over-long text is the input most likely to hurt
        st.text(max_size=200),
    )


def json_values() -> st.SearchStrategy[Any]:
    """Any JSON value, small."""
    leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    )


def wrong_types() -> st.SearchStrategy[Any]:
    """JSON values that are not text: null, booleans, numbers, lists, objects."""
    return json_values().filter(lambda value: not isinstance(value, str))


def not_senders() -> st.SearchStrategy[Any]:
    """JSON values that are neither text nor a whole number: no sender id."""
    return wrong_types().filter(lambda value: isinstance(value, bool) or not isinstance(value, int))


def good_senders() -> st.SearchStrategy[Any]:
    """Sender ids the REST channel accepts: printable text of 1 to 255 characters, or a number."""
    prefixes = st.sampled_from(["", "שלום-", "مرحبا-", "🙂", "visitor "])
    return st.builds(lambda prefix, uid: f"{prefix}{uid.hex}", prefixes, st.uuids()) | st.integers(
        -(10**12), 10**12
    )


def bad_senders() -> st.SearchStrategy[Any]:
    """Sender ids the REST channel refuses: not text, empty, unprintable or huge."""
    huge = st.builds(lambda unit, n: unit * n, st.sampled_from(["s", "🙂", "ש"]), st.integers(256, 100_000))
    unprintable = st.builds(lambda c: f"visitor{c}", st.characters(categories=["Cc", "Zl", "Zp"]))
    blank = st.text(st.sampled_from(WHITESPACE), max_size=5)
    return st.one_of(not_senders(), huge, unprintable, blank)


def not_json(raw: bytes) -> bool:
    """True when `raw` is not a JSON document."""
    try:
        json.loads(raw)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        return True
    return False


class RestBody(NamedTuple):
    """A request body, and what the REST channel must do with it."""

    raw: bytes
    # "answer": 200 with replies; "refuse": 400 with an error; "malformed": a 4xx;
    # "lenient": a 4xx, or 200 with replies (Sanic's ujson reads some invalid UTF-8, such as
    # an encoded surrogate, and the channel then drops what it cannot read)
    expect: str
    message: Optional[str] = None


def as_body(content: Any, expect: str) -> RestBody:
    """A JSON request body."""
    message = content.get("message") if isinstance(content, dict) else None
    return RestBody(json.dumps(content).encode("utf-8"), expect, message if expect == "answer" else None)


@st.composite
def rest_bodies(draw: st.DrawFn) -> RestBody:
    """A request body: a good request, one with missing or wrong fields, or not JSON at all."""
    kind = draw(
        st.sampled_from(["answer", "answer", "refuse", "not an object", "invalid UTF-8", "malformed"])
    )
    if kind == "answer":
        content = {"sender": draw(good_senders()), "message": draw(visitor_texts())}
        if draw(st.booleans()):
            content["metadata"] = draw(st.dictionaries(st.text(max_size=8), json_values(), max_size=4))
        return as_body(content, "answer")
    if kind == "refuse":
        # At least one of: a bad or missing sender, a missing or non-text message, bad metadata.
        faults = draw(
            st.sets(st.sampled_from(["sender", "no sender", "message", "no message", "metadata"]), min_size=1)
        )
        content = {}
        if "no sender" not in faults:
            content["sender"] = draw(bad_senders() if "sender" in faults else good_senders())
        if "no message" not in faults:
            content["message"] = draw(wrong_types() if "message" in faults else visitor_texts())
        if "metadata" in faults:
            content["metadata"] = draw(wrong_types().filter(lambda value: not isinstance(value, dict)))
        return as_body(content, "refuse")
    if kind == "not an object":
        return as_body(draw(json_values().filter(lambda value: not isinstance(value, dict))), "refuse")
    if kind == "invalid UTF-8":
        bad = draw(st.sampled_from(INVALID_UTF8))
        tail = draw(st.binary(max_size=20).filter(lambda b: b'"' not in b and b"\\" not in b))
        sender = draw(st.uuids()).hex.encode()
        return RestBody(b'{"sender": "' + sender + b'", "message": "' + bad + tail + b'"}', "lenient")
    good = json.dumps({"sender": draw(st.uuids()).hex, "message": "hi"}).encode()
    return RestBody(
        draw(
            st.one_of(
                st.binary(max_size=200).filter(not_json),
                st.integers(1, len(good) - 1).map(lambda n: good[:n]),
                st.sampled_from([b"{not json", b"[" * 10_000, b'{"sender": "x", "message": "hi"} trailing']),
            )
        ),
        "malformed",
    )


class SocketEvent(NamedTuple):
    """A user_uttered event sent in `session`, and whether the socket.io channel must answer it."""

    session: str
    data: Any
    answered: bool
    message: Optional[str] = None


def widget_event(message: str) -> SocketEvent:
    """The event the widget sends for `message`, in a session of its own."""
    session = new_sender()
    return SocketEvent(session, {"message": message, "session_id": session}, True, message)


@st.composite
def socket_events(draw: st.DrawFn) -> SocketEvent:
    """A user_uttered event: the widget's shape, odd metadata, or malformed."""
    session = f"hostile-{draw(st.uuids()).hex}"
    kind = draw(st.sampled_from(["answer", "answer", "answer", "no message", "malformed"]))
    if kind in ("answer", "no message"):
        data: Dict[str, Any] = {"session_id": session}
        if kind == "answer":
            data["message"] = draw(visitor_texts())
        if draw(st.booleans()):  # the widget's customData: the channel tolerates any shape
            data["customData"] = draw(json_values() | st.just("{not json"))
        return SocketEvent(session, data, True, data.get("message", ""))
    bad_session = st.one_of(not_senders(), st.just(""), st.text(st.sampled_from(WHITESPACE), min_size=1))
    data = draw(
        st.one_of(
            wrong_types().filter(lambda value: not isinstance(value, dict)),
            st.text(max_size=50),
            st.builds(lambda message: {"message": message, "session_id": session}, wrong_types()),
            st.builds(lambda message: {"message": message}, visitor_texts()),
            st.builds(
                lambda message, sid: {"message": message, "session_id": sid}, visitor_texts(), bad_session
            ),
            st.builds(
                lambda message: {"message": message, "session_id": "s" * 100_000}, st.sampled_from(QUESTIONS)
            ),
        )
    )
    return SocketEvent(session, data, False)


# Talking to the servers


def texts(messages: List[Dict[str, Any]]) -> List[str]:
    """The text of each bot message (over socket.io, without the line naming its source)."""
    return [without_source_line(m) if m.get("text") else m.get("text") for m in messages]


def check_replies(messages: Any, message: str) -> None:
    """Every visitor text gets at least one reply with text; over-long text gets "too long"."""
    assert isinstance(messages, list) and messages, f"no reply to {message[:80]!r}"
    for reply in messages:
        assert isinstance(reply, dict) and isinstance(reply.get("text"), str) and reply["text"].strip(), reply
    if len(plain_text(message)) > MAX_MESSAGE_CHARS:
        assert texts(messages) == [TOO_LONG]


def post(servers: Servers, raw: bytes) -> requests.Response:
    """POST a raw body to the REST webhook."""
    return requests.post(servers.rest_url, data=raw, headers={"Content-Type": "application/json"}, timeout=60)


def allowed_origin(servers: Servers) -> str:
    """The page origin the servers accept (the first of their CORS origins)."""
    return servers.cors.replace(",", " ").split()[0]


class BrowserJson:
    """JSON as a browser's JSON.stringify writes it: UTF-8 text, lone surrogates escaped."""

    @staticmethod
    def dumps(data: Any, **options: Any) -> str:
        """The JSON text of `data`."""
        text = json.dumps(data, ensure_ascii=False, **options)
        return LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)

    loads = staticmethod(json.loads)


class BrowserPacket(Packet):
    """socket.io packets with BrowserJson (a subclass, so other clients keep the default)."""

    json = BrowserJson


class SocketVisitor:
    """A socket.io client like the rasa-webchat widget: polling transport, the page's Origin."""

    def __init__(self, servers: Servers, origin: str) -> None:
        self.client = socketio.Client(reconnection=False, serializer=BrowserPacket, handle_sigint=False)
        self.replies: queue.Queue[Any] = queue.Queue()
        self.confirmed: queue.Queue[Any] = queue.Queue()
        self.client.on("bot_uttered", self.replies.put)
        self.client.on("session_confirm", self.confirmed.put)
        self.client.connect(
            f"http://localhost:{servers.rasa_port}",
            headers={"Origin": origin},
            transports=["polling"],
            wait_timeout=10,
        )

    def start_session(self, session: str) -> str:
        """Ask for a session, as the widget does on load; return the confirmed id."""
        self.client.emit("session_request", {"session_id": session})
        return self.confirmed.get(timeout=REPLY_TIMEOUT)

    def say(self, data: Any) -> List[Any]:
        """Send one user_uttered event; return the replies (at least one is awaited)."""
        self.client.emit("user_uttered", data)
        replies = [self.replies.get(timeout=REPLY_TIMEOUT)]
        return replies + self.drain()

    def say_ignored(self, data: Any, session: str, greeting: str) -> List[Any]:
        """Send an event that must be ignored, then "hi": return every reply up to the greeting."""
        self.client.emit("user_uttered", data)
        self.client.emit("user_uttered", {"message": "hi", "session_id": session})
        replies = []
        while not replies or replies[-1].get("text") != greeting:
            replies.append(self.replies.get(timeout=REPLY_TIMEOUT))
        return replies + self.drain()

    def drain(self) -> List[Any]:
        """Replies still arriving, until none has come for QUIET seconds."""
        replies = []
        try:
            while True:
                replies.append(self.replies.get(timeout=QUIET))
        except queue.Empty:
            return replies

    def closed_by_server(self) -> bool:
        """Whether the server closes the connection within REPLY_TIMEOUT. The transport's
        state, not socketio's `connected`: when the client's write loop sees the refusal
        first, engine.io closes without a disconnect event."""
        deadline = time.monotonic() + REPLY_TIMEOUT
        while self.client.eio.state == "connected" and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.client.eio.state != "connected"

    def close(self) -> None:
        """Disconnect, without waiting for the client's pending long-poll: after a client's
        close, engine.io's server ends that request only at its ping timeout (45 s)."""
        self.client.eio.disconnect(abort=True)


@contextmanager
def socket_visitor(servers: Servers, origin: Optional[str] = None) -> Iterator[SocketVisitor]:
    """A connected SocketVisitor, disconnected afterwards."""
    visitor = SocketVisitor(servers, origin or allowed_origin(servers))
    try:
        yield visitor
    finally:
        visitor.close()


def tracker_db(servers: Servers) -> Path:
    """The SQLite file the Rasa server keeps conversations in."""
    endpoints = yaml.safe_load(servers.endpoints.read_text(encoding="utf-8"))
    return Path(endpoints["tracker_store"]["db"])


def query(servers: Servers, sql: str, *parameters: Any) -> List[Tuple[Any, ...]]:
    """Rows from the conversation store (read only)."""
    with closing(sqlite3.connect(f"file:{tracker_db(servers)}?mode=ro", uri=True)) as db:
        return db.execute(sql, parameters).fetchall()


def stored_turn(servers: Servers, sender: str) -> List[Tuple[str, Dict[str, Any]]]:
    """The stored events of a one-message conversation, once its turn is complete."""
    deadline = time.monotonic() + REPLY_TIMEOUT
    while True:
        rows = query(servers, "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", sender)
        events = [(kind, json.loads(data)) for kind, data in rows]
        if (
            any(kind == "user" for kind, _ in events)
            and events[-1][0] == "action"
            and (events[-1][1].get("name") == "action_listen")
        ):
            return events
        assert time.monotonic() < deadline, f"the turn of {sender} was not stored: {events}"
        time.sleep(0.1)


def the_user_event(events: List[Tuple[str, Dict[str, Any]]]) -> Dict[str, Any]:
    """The visitor's message of a one-message conversation: its first user event (an unsure
    NLU result is re-uttered with its likeliest intent, which stores a second one)."""
    users = [data for kind, data in events if kind == "user"]
    assert users and all(u["text"] == users[0]["text"] for u in users), users
    return users[0]


def slot_events(events: List[Tuple[str, Dict[str, Any]]]) -> List[Tuple[str, Any]]:
    """(name, value) of every slot event."""
    return [(data["name"], data["value"]) for kind, data in events if kind == "slot"]


def new_sender() -> str:
    """A sender id no other test uses."""
    return f"hostile-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module", autouse=True)
def hypothesis_storage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Hypothesis's caches in a temporary folder, not .hypothesis/ in the repository."""
    set_hypothesis_home_dir(tmp_path_factory.mktemp("hypothesis"))
    yield
    set_hypothesis_home_dir(None)


@pytest.fixture(scope="module")
def servers(make_servers: Callable[..., Servers]) -> Iterator[Servers]:
    """Both servers, with the make-run page and OTHER_PAGE as allowed origins."""
    with make_servers(cors=f"http://localhost:{DEFAULT_WEB_PORT} {OTHER_PAGE}") as running:
        yield running


@pytest.fixture(scope="module")
def greeting(servers: Servers) -> str:
    """What the assistant answers to "hi" (the marker that ends an ignored socket.io event)."""
    (reply,) = servers.ask(new_sender(), "hi")
    return reply["text"]


# Generated input over both channels


def test_rest_answers_or_refuses_generated_hostile_requests(servers: Servers) -> None:
    sent: List[RestBody] = []

    @settings(max_examples=REST_EXAMPLES, **SETTINGS)
    @given(body=rest_bodies())
    @example(body=as_body({"sender": "hostile-long", "message": "x" * 100_000}, "answer"))
    @example(body=as_body({"message": "Where is Jinchang?"}, "refuse"))
    @example(body=as_body({"sender": "hostile-no-message"}, "refuse"))
    @example(body=RestBody(b'{"sender": "hostile-utf8", "message": "\xff\xfe"}', "lenient"))
    @example(body=RestBody(b'{"sender": "hostile-json", "message": ', "malformed"))
    def check(body: RestBody) -> None:
        sent.append(body)
        response = post(servers, body.raw)
        assert response.status_code < 500, response.text[:200]
        if body.expect == "answer":
            assert response.status_code == 200, response.text[:200]
            check_replies(response.json(), body.message or "")
        elif body.expect == "lenient" and response.status_code == 200:
            check_replies(response.json(), "")
        elif body.expect == "refuse":
            assert response.status_code == 400
            assert isinstance(response.json().get("error"), str)
        else:
            assert 400 <= response.status_code < 500

    check()
    assert len(sent) >= REST_EXAMPLES


def test_socketio_answers_or_ignores_generated_hostile_events(servers: Servers, greeting: str) -> None:
    sent: List[SocketEvent] = []

    @settings(max_examples=SOCKET_EXAMPLES, **SETTINGS)
    @given(hostile=socket_events())
    @example(hostile=widget_event("x" * 100_000))
    @example(hostile=widget_event(""))
    @example(hostile=widget_event("\u200b\u202e" + "🙂" * 5 + " أين تقع جينتشانغ؟"))
    def check(hostile: SocketEvent) -> None:
        sent.append(hostile)
        with socket_visitor(servers) as visitor:
            assert visitor.start_session(hostile.session) == hostile.session
            if hostile.answered:
                check_replies(visitor.say(hostile.data), hostile.message or "")
            else:
                assert texts(visitor.say_ignored(hostile.data, hostile.session, greeting)) == [greeting]

    check()
    assert len(sent) >= SOCKET_EXAMPLES


# Over-long text


@pytest.mark.parametrize("text", ["x" * 100_000, ("hello " * 20_000)[:100_000]])
def test_a_100000_character_message_is_too_long_over_rest(servers: Servers, text: str) -> None:
    assert texts(servers.ask(new_sender(), text)) == [TOO_LONG]


@pytest.mark.parametrize("text", ["x" * 100_000, ("hello " * 20_000)[:100_000], "🙂" * 100_000])
def test_a_100000_character_message_is_too_long_over_socketio(servers: Servers, text: str) -> None:
    session = new_sender()
    with socket_visitor(servers) as visitor:
        visitor.start_session(session)
        assert texts(visitor.say({"message": text, "session_id": session})) == [TOO_LONG]


def test_a_socketio_message_over_the_engineio_limit_drops_only_its_connection(
    servers: Servers, greeting: str
) -> None:
    session = new_sender()
    with socket_visitor(servers) as visitor:
        visitor.start_session(session)
        visitor.client.emit("user_uttered", {"message": "🙂" * 300_000, "session_id": session})  # 1.2 MB
        assert visitor.closed_by_server()
        assert visitor.replies.empty()
    with socket_visitor(servers) as visitor:
        visitor.start_session(session)
        assert texts(visitor.say({"message": "hi", "session_id": session})) == [greeting]


def rss_bytes(pid: int) -> int:
    """The resident memory of a process and its children, from /proc."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) * 1024
    return rss + sum(rss_bytes(int(child)) for child in children)


def send_binary_events(servers: Servers) -> None:
    """BINARY_VISITORS connections one after the other, each announcing two attachments and
    sending one; each must be closed by the server, unanswered."""
    for _ in range(BINARY_VISITORS):
        with socket_visitor(servers) as visitor:
            visitor.start_session(new_sender())
            visitor.client.eio.send(BINARY_EVENT)  # two attachments announced...
            visitor.client.eio.send(b"\0" * ATTACHMENT_BYTES)  # ...one sent, the other never
            assert visitor.closed_by_server()
            assert visitor.replies.empty()


def test_binary_events_whose_attachments_never_come_close_their_connections(
    servers: Servers, greeting: str
) -> None:
    rasa = servers.processes["rasa"].pid
    send_binary_events(servers)  # the first batch grows the server's allocator arenas
    # Kept, each later batch's attachments alone would add BINARY_VISITORS x ATTACHMENT_BYTES
    # (24 MB), every batch; decoded and dropped, they reuse the memory earlier batches freed.
    # How much of it the allocator reuses depends on how many bodies are alive at once, that is
    # on how the two workers are scheduled on a busy machine: a batch can grow by several MB
    # (up to 17 seen) that later batches give back. A leak grows every batch; noise does not.
    grown: List[int] = []
    while len(grown) < BINARY_BATCHES and (not grown or grown[-1] >= BINARY_LIMIT):
        before = rss_bytes(rasa)
        send_binary_events(servers)
        grown.append(rss_bytes(rasa) - before)
    assert min(grown) < BINARY_LIMIT, f"every batch grew the server: {[round(g / 1e6, 1) for g in grown]} MB"
    with socket_visitor(servers) as visitor:  # the server still answers
        session = visitor.start_session(new_sender())
        assert texts(visitor.say({"message": "hi", "session_id": session})) == [greeting]


# The intent shorthand is ordinary text


def send_over(channel: str, servers: Servers, sender: str, text: str) -> List[str]:
    """Send one message over REST or socket.io; return the reply texts."""
    if channel == "rest":
        return texts(servers.ask(sender, text))
    with socket_visitor(servers) as visitor:
        visitor.start_session(sender)
        return texts(visitor.say({"message": text, "session_id": sender}))


@pytest.mark.parametrize("channel", ["rest", "socketio"])
@pytest.mark.parametrize("payload", INJECTIONS)
def test_the_intent_shorthand_is_read_as_ordinary_text(servers: Servers, channel: str, payload: str) -> None:
    text = plain_text(payload)
    assert not text.startswith("/")
    # The same words typed without the slash, by another visitor: what ordinary text gets.
    twin = new_sender()
    twin_replies = texts(servers.ask(twin, text))
    twin_events = stored_turn(servers, twin)

    sender = new_sender()
    replies = send_over(channel, servers, sender, payload)
    events = stored_turn(servers, sender)
    user = the_user_event(events)
    parse = user["parse_data"]
    assert user["text"] == text
    assert len(parse["intent_ranking"]) > 1  # the NLU ran: Rasa's shorthand gives one intent
    assert all(e.get("extractor") != "RegexMessageHandler" for e in parse["entities"])
    assert parse["intent"]["name"] == the_user_event(twin_events)["parse_data"]["intent"]["name"]
    assert replies == twin_replies
    assert slot_events(events) == slot_events(twin_events)


def test_an_attraction_in_the_shorthand_sets_no_slot(servers: Servers, kb: KnowledgeBase) -> None:
    payload = '/ask_attraction{"attraction": "Badan Jaran Desert"}'
    desert = kb.attraction("Badan Jaran Desert")
    assert desert is not None
    sender = new_sender()
    replies = texts(servers.ask(sender, payload))
    events = stored_turn(servers, sender)
    # Obeyed, the shorthand would describe the desert and set the slot `attraction` to it.
    assert ("attraction", desert["name"]) not in slot_events(events)
    assert render("attraction", summary=desert["summary"])["text"] not in replies


# Refused origins and senders


def test_socketio_refuses_a_page_from_another_origin(servers: Servers) -> None:
    client = socketio.Client(reconnection=False, handle_sigint=False)
    refusals: List[Any] = []
    client.on("connect_error", refusals.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            f"http://localhost:{servers.rasa_port}",
            headers={"Origin": EVIL_ORIGIN},
            transports=["polling"],
            wait_timeout=3,
        )
    assert refusals and not client.connected  # refused by the server, not timed out
    client.disconnect()
    with socket_visitor(servers) as visitor:  # the page's own origin connects
        assert visitor.client.connected


def test_an_origin_that_only_starts_like_an_allowed_one_is_refused(servers: Servers) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    for method in (requests.options, requests.post):
        allowed = method(
            servers.rest_url,
            headers={"Origin": OTHER_PAGE, **preflight},
            json={"sender": new_sender(), "message": "hi"},
            timeout=30,
        )
        assert allowed.headers.get("Access-Control-Allow-Origin") == OTHER_PAGE
        refused = method(
            servers.rest_url,
            headers={"Origin": LOOKALIKE, **preflight},
            json={"sender": new_sender(), "message": "hi"},
            timeout=30,
        )
        assert "Access-Control-Allow-Origin" not in refused.headers
    with pytest.raises(socketio.exceptions.ConnectionError):
        SocketVisitor(servers, LOOKALIKE)
    with socket_visitor(servers, OTHER_PAGE) as visitor:
        assert visitor.client.connected


def test_the_servers_refuse_to_start_with_an_origin_pattern(make_servers: Callable[..., Servers]) -> None:
    with pytest.raises(
        SetupError, match="CORS_ORIGIN: allowed origin 'https://.*.example.org' is not an exact origin"
    ):
        make_servers(cors="https://.*.example.org").start()


@pytest.mark.parametrize(
    "content",
    [{}, {"sender": None}, {"sender": ""}, {"sender": "   "}, {"sender": ["visitor"]}, {"sender": {"id": 1}}],
)
def test_rest_without_a_sender_is_refused_and_not_stored(servers: Servers, content: Dict[str, Any]) -> None:
    marker = f"Where is Jinchang? {uuid.uuid4().hex}"
    response = post(servers, json.dumps({**content, "message": marker}).encode("utf-8"))
    assert response.status_code == 400
    assert "sender" in response.json()["error"]
    assert query(servers, "SELECT count(*) FROM events WHERE sender_id = 'default'") == [(0,)]
    assert query(servers, "SELECT count(*) FROM events WHERE data LIKE ?", f"%{marker[-32:]}%") == [(0,)]


# Afterwards


def test_after_the_hostile_input_the_servers_still_answer(servers: Servers, kb: KnowledgeBase) -> None:
    assert servers.processes["rasa"].poll() is None
    assert all(process.poll() is None for process in servers.processes.values())
    health = requests.get(f"http://localhost:{servers.rasa_port}/webhooks/rest/", timeout=10)
    assert health.status_code == 200 and health.json() == {"status": "ok"}

    sender = new_sender()
    (where,) = texts(servers.ask(sender, "Where is Jinchang?"))
    city = kb.city
    facts = [city["name"], city["province"]["value"], city["region"]["text"]]
    facts += [neighbour["name"] for neighbour in city.get("neighbours", [])]
    assert all(fact in where for fact in facts), (where, facts)

    question = "Tell me about Liqian ancient city"
    liqian = kb.find_attraction(question)
    assert liqian is not None
    assert render("attraction", summary=liqian["summary"])["text"] in texts(servers.ask(sender, question))
    assert query(servers, "SELECT count(*) FROM events WHERE sender_id = 'default'") == [(0,)]
