"""`make report`: what visitors asked that the city document could not answer.

Reads the conversation store named in an endpoints file (Rasa's SQL tracker store: SQLite in
endpoints.yml, PostgreSQL in endpoints.production.yml, `${VAR}` placeholders filled from the
environment as Rasa fills them), streams its events one conversation at a time (only that
conversation's last turns and the totals are kept in memory) and writes a self-contained page,
results/report.html, with, in order:

1. the questions the document could not answer, grouped by wording, most asked first, each with
   how often and when it was last asked and one example conversation;
2. answers a visitor followed with "that's wrong" (or "no", "not true", ...) or by asking the
   same question again in other words: candidates for review;
3. conversations and messages per day; 4. answers per topic; 5. the channels visitors used.

Visitors appear only as sha256(sender)[:8]; the database URL (and its password) never does.
Dates are in this machine's time zone. `--benchmark N` times the report on N synthetic events.
"""

import argparse
import hashlib
import html
import json
import logging
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Deque, Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Tuple

import sqlalchemy as sa

from knowledge.language import lemmas, synonyms
from knowledge.text import words

ROOT = Path(__file__).resolve().parent.parent

logger = logging.getLogger(__name__)

DEFAULT_OUT = ROOT / "results" / "report.html"
# Event types the report reads; slots and featurization flags are left in the database.
READ_TYPES = ("user", "bot", "action", "rewind", "restart", "session_started")
CHUNK = 5000  # rows fetched at a time
# Replies (actions/replies.yml) that say the document does not cover the question, for bot
# messages stored before replies carried "unanswered": true; and intents that the NLU did not
# understand as a question the assistant answers.
UNKNOWN_REPLIES = frozenset({"unknown", "other_place"})
NOT_UNDERSTOOD = frozenset({"nlu_fallback", "out_of_scope"})
# Two questions are the same question when this share of their words is common to both.
SAME_QUESTION = 2 / 3
# A visitor saying the answer was wrong: one of these words, a message starting with "no",
# or one of these phrases.
DENIAL_WORDS = frozenset({"wrong", "incorrect", "untrue", "false", "mistaken"})
NO_WORDS = frozenset({"no", "nope", "nah"})
DENIAL_PHRASES = frozenset({("not", "true"), ("not", "right"), ("not", "correct")})
MAX_GROUPS = 200  # unanswered question groups listed on the page
MAX_REVIEWS = 100
MAX_TOPICS = 40
MAX_DAYS = 180  # days in the chart, the most recent
EXAMPLE_BEFORE, EXAMPLE_AFTER = 2, 1  # turns shown around an example question
SHOWN_CHARS = 300  # of a bot message in an example


class ReportError(RuntimeError):
    """The store cannot be read; the message says what is wrong, in one line."""


# The store --------------------------------------------------------------------------


@dataclass(frozen=True)
class Store:
    """A conversation store: its SQLAlchemy URL and a description safe to show."""

    url: Any
    label: str
    path: Optional[Path] = None  # the SQLite file


@contextmanager
def quiet() -> Iterator[None]:
    """Rasa 3.6 and its SQLAlchemy 1.4 warn about their own deprecations (and Rasa resets the
    warning filters on import, hence recording instead of a filter): none of it concerns the
    maintainer."""
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("ignore")
        yield


def store_from_endpoints(endpoints: Path) -> Store:
    """The SQL tracker store of an endpoints file, its ${VAR} placeholders filled the way
    Rasa fills them; a relative SQLite path is relative to the project root (where
    `make run` starts Rasa)."""
    if not endpoints.is_file():
        raise ReportError(f"no endpoints file at {endpoints}")
    with quiet():
        from rasa.core.tracker_store import SQLTrackerStore, validate_port
        from rasa.shared.exceptions import RasaException
        from rasa.utils.endpoints import read_endpoint_config

        try:
            config = read_endpoint_config(str(endpoints), "tracker_store")
            if config is None or str(config.type or "").lower() != "sql":
                raise ReportError(
                    f"{endpoints} has no SQL tracker_store: the report reads Rasa's SQL tracker store"
                )
            options = dict(config.kwargs)
            port = validate_port(options.get("port"))
        except RasaException as error:  # an unset ${VAR}, a port that is no number
            raise ReportError(f"{endpoints}: {error}") from None
    dialect = str(options.get("dialect") or "sqlite")
    db = str(options.get("db") or "rasa.db")
    path = None
    if dialect.startswith("sqlite"):
        path = Path(db) if Path(db).is_absolute() else ROOT / db
        db = str(path)
    with quiet():
        url = SQLTrackerStore.get_db_url(
            dialect,
            config.url,
            port,
            db,
            options.get("username"),
            options.get("password"),
            options.get("login_db"),
            options.get("query"),
        )
    if path is not None:
        label = f"SQLite {_shown_path(path)}"
    else:
        parsed = sa.engine.make_url(url)
        label = f"{parsed.get_backend_name()} database {parsed.database} on {parsed.host}:{parsed.port or ''}"
    return Store(url, label, path)


def _shown_path(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def connect(store: Store) -> "sa.engine.Engine":
    """An engine on an existing store that holds Rasa's events table."""
    if store.path is not None and not store.path.is_file():
        raise ReportError(
            f"no conversation store at {_shown_path(store.path)}: it is created when a visitor first chats (make run)"
        )
    with quiet():
        from rasa.core.tracker_store import create_engine_kwargs

        engine = sa.create_engine(store.url, **create_engine_kwargs(store.url))
    try:
        has_events = sa.inspect(engine).has_table("events")
    except sa.exc.SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        raise ReportError(f"cannot read the conversation store ({store.label}): {reason}") from None
    if not has_events:
        raise ReportError(f"no conversations in {store.label} yet (it has no events table)")
    return engine


EVENTS = sa.table(
    "events",
    *(sa.column(name) for name in ("id", "sender_id", "type_name", "timestamp", "action_name", "data")),
)


def read_events(engine: "sa.engine.Engine", since: Optional[float] = None) -> Iterator[Tuple[Any, ...]]:
    """(sender_id, type_name, timestamp, action_name, data) of the events on or after `since`,
    ordered by conversation then id, streamed (a server-side cursor on PostgreSQL)."""
    e = EVENTS.c
    # Only the user and bot events' JSON is read: the others need no transfer of it.
    data = sa.case((e.type_name.in_(("user", "bot")), e.data), else_=sa.null())
    query = sa.select(e.sender_id, e.type_name, e.timestamp, e.action_name, data).where(
        e.type_name.in_(READ_TYPES)
    )
    if since is not None:
        query = query.where(e.timestamp >= since)
    query = query.order_by(e.sender_id, e.id)
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True).execute(query)
        for rows in result.partitions(CHUNK):
            yield from rows


# Turns: a visitor's message and what the bot did about it ------------------------------


@dataclass
class Reply:
    """One bot message."""

    text: str
    reply: Optional[str]  # the template in actions/replies.yml
    topic: str  # metadata.topic, else the reply, else the action that sent it
    unanswered: bool  # metadata.unanswered


@dataclass
class Turn:
    """A visitor's message and the bot's messages after it."""

    sender: str
    text: str
    intent: Optional[str]
    channel: str
    timestamp: float
    fresh: bool  # first message of a session (no earlier answer to follow up)
    replies: List[Reply] = field(default_factory=list)

    @property
    def day(self) -> date:
        return datetime.fromtimestamp(self.timestamp).date()

    @property
    def answer(self) -> str:
        """The text of the knowledge-base answer (messages from actions/replies.yml), if any."""
        return "\n".join(r.text for r in self.replies if r.reply)


def is_unanswered(turn: Turn) -> bool:
    """Did the bot say the document does not cover this message?

    Yes when a bot message is marked `"unanswered": true`, or (for messages stored before the
    mark) its reply is "unknown", "other_place" or ends in "_unknown"; and when the NLU did not
    understand the message (nlu_fallback, out_of_scope) and no message answered it from a
    reply template.
    """
    for reply in turn.replies:
        name = reply.reply or ""
        if reply.unanswered or name in UNKNOWN_REPLIES or name.endswith("_unknown"):
            return True
    return turn.intent in NOT_UNDERSTOOD and not any(reply.reply for reply in turn.replies)


def turns(events: Iterable[Tuple[Any, ...]]) -> Iterator[Turn]:
    """The turns of events ordered by conversation; a turn undone by Rasa (a "rewind", as the
    fallback does to answer again with its best guess) gives way to the message that replaces it."""
    sender: Optional[str] = None
    turn: Optional[Turn] = None
    action: Optional[str] = None
    fresh, undone_channel = True, None
    for sender_id, kind, timestamp, action_name, data in events:
        if sender_id != sender:
            if turn is not None:
                yield turn
            sender, turn, action, fresh, undone_channel = sender_id, None, None, True, None
        if kind == "user":
            if turn is not None:
                yield turn
            event = json.loads(data)
            parse = event.get("parse_data") or {}
            channel = event.get("input_channel") or undone_channel or "unknown"
            turn = Turn(
                sender_id,
                " ".join(str(event.get("text") or "").split()),
                (parse.get("intent") or {}).get("name"),
                channel,
                timestamp or 0.0,
                fresh,
            )
            action, fresh, undone_channel = None, False, None
        elif kind == "bot" and turn is not None:
            event = json.loads(data)
            metadata = event.get("metadata") or {}
            name = metadata.get("reply")
            topic = metadata.get("topic") or name or action or "unnamed"
            turn.replies.append(
                Reply(str(event.get("text") or ""), name, str(topic), bool(metadata.get("unanswered")))
            )
        elif kind == "action":
            if action_name not in ("action_listen", "action_session_start"):
                action = action_name
        elif kind == "rewind":
            if turn is not None:
                undone_channel, fresh = turn.channel, turn.fresh
            turn = None
        elif kind in ("restart", "session_started"):
            if turn is not None:
                yield turn
            turn, fresh = None, True
    if turn is not None:
        yield turn


# Wording ---------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 14)
def question_words(text: str) -> FrozenSet[str]:
    """The words that say what a message asks: lower case, no punctuation, stop words or
    question words, each word in its dictionary form (knowledge/language.py, as the assistant
    reads questions) and words visitors use for the same thing as one ("cost", "price")."""
    found = lemmas(text) or tuple(words(text))
    return frozenset(min(synonyms(word)) for word in found)


def same_question(a: FrozenSet[str], b: FrozenSet[str]) -> bool:
    """True when two word sets are near-identical: at least SAME_QUESTION of all their words
    are in both ("hotel prices?" and "what are hotel prices in Jinchang?")."""
    return bool(a and b) and len(a & b) >= SAME_QUESTION * len(a | b)


@lru_cache(maxsize=1 << 14)
def is_denial(text: str) -> bool:
    """True for a message saying the answer was wrong ("no", "that's wrong", "not true")."""
    said = words(text)
    return bool(said) and (
        said[0] in NO_WORDS
        or any(word in DENIAL_WORDS for word in said)
        or any(pair in DENIAL_PHRASES for pair in zip(said, said[1:]))
    )


def visitor(sender: str) -> str:
    """A visitor's short, one-way name on the page."""
    return hashlib.sha256(sender.encode("utf-8")).hexdigest()[:8]


# The report ------------------------------------------------------------------------------

Line = Tuple[str, str]  # ("visitor" or "bot", text)


@dataclass
class Example:
    """A question in its conversation: the turns before, the question's, the turns after."""

    visitor: str
    timestamp: float
    lines: List[Line]
    question: int  # index of the question's line
    missing_after: int = EXAMPLE_AFTER


@dataclass
class Wording:
    """The unanswered messages with one set of question words."""

    words: FrozenSet[str]
    count: int = 0
    last: float = 0.0
    texts: Counter = field(default_factory=Counter)
    example: Optional[Example] = None


@dataclass
class Group:
    """Unanswered questions whose wordings are near-identical."""

    wordings: List[Wording]

    @property
    def count(self) -> int:
        return sum(w.count for w in self.wordings)

    @property
    def last(self) -> float:
        return max(w.last for w in self.wordings)

    @property
    def texts(self) -> List[Tuple[str, int]]:
        total: Counter = Counter()
        for wording in self.wordings:
            total.update(wording.texts)
        return sorted(total.items(), key=lambda item: (-item[1], item[0]))

    @property
    def example(self) -> Optional[Example]:
        examples = [w.example for w in self.wordings if w.example is not None]
        return max(examples, key=lambda e: (e.timestamp, e.visitor)) if examples else None


@dataclass
class Review:
    """An answer a visitor followed with a denial or the same question again."""

    answer: str
    topic: str
    count: int = 0
    last: float = 0.0
    kinds: Counter = field(default_factory=Counter)
    question: str = ""
    follow_up: str = ""
    visitor: str = ""


def _turn_lines(turn: Turn) -> List[Line]:
    lines = [("visitor", turn.text)]
    for reply in turn.replies:
        text = reply.text if len(reply.text) <= SHOWN_CHARS else reply.text[: SHOWN_CHARS - 1] + "…"
        lines.append(("bot", text))
    return lines


class Report:
    """Totals of the turns added, one conversation after another (only the current
    conversation's last turns are kept)."""

    def __init__(self) -> None:
        self.turns = 0
        self.conversations = 0
        self.unanswered = 0
        self.first: Optional[float] = None
        self.last: Optional[float] = None
        self.days: Dict[date, List[int]] = {}  # day -> [conversations, messages]
        self.topics: Counter = Counter()
        self.channels: Counter = Counter()
        self.channel_conversations: Counter = Counter()
        self.wordings: Dict[FrozenSet[str], Wording] = {}
        self.reviews: Dict[str, Review] = {}
        # The current conversation.
        self._sender: Optional[str] = None
        self._visitor = ""
        self._recent: Deque[Turn] = deque(maxlen=EXAMPLE_BEFORE)
        self._pending: List[Tuple[Wording, Example]] = []
        self._days: set = set()
        self._channels: set = set()

    def add(self, turn: Turn) -> None:
        """Count one turn (turns arrive grouped by conversation, in order)."""
        if turn.sender != self._sender:
            self._finish_conversation()
            self._sender, self._visitor = turn.sender, visitor(turn.sender)
            self.conversations += 1
        self.turns += 1
        self.first = turn.timestamp if self.first is None else min(self.first, turn.timestamp)
        self.last = turn.timestamp if self.last is None else max(self.last, turn.timestamp)
        day = self.days.setdefault(turn.day, [0, 0])
        day[1] += 1
        if turn.day not in self._days:
            self._days.add(turn.day)
            day[0] += 1
        self.channels[turn.channel] += 1
        if turn.channel not in self._channels:
            self._channels.add(turn.channel)
            self.channel_conversations[turn.channel] += 1
        self.topics.update(reply.topic for reply in turn.replies)

        if turn.fresh:  # a new session: no earlier answer to follow up
            self._recent.clear()
        followed = self._follow_up(self._recent[-1] if self._recent else None, turn)
        for _, example in self._pending:
            example.lines += _turn_lines(turn)
            example.missing_after -= 1
        self._keep_examples()
        if is_unanswered(turn) and followed != "denial":
            self._unanswered(turn)
        self._recent.append(turn)

    def _follow_up(self, previous: Optional[Turn], turn: Turn) -> Optional[str]:
        """ "denial" or "asked again" when `turn` questions the answer given just before."""
        if previous is None or not previous.answer or is_unanswered(previous):
            return None
        if is_denial(turn.text):
            kind = "denial"
        elif same_question(question_words(previous.text), question_words(turn.text)):
            kind = "asked again"
        else:
            return None
        review = self.reviews.get(previous.answer)
        if review is None:
            topic = next((r.topic for r in previous.replies if r.reply), "")
            review = self.reviews[previous.answer] = Review(previous.answer, topic)
        review.count += 1
        review.kinds[kind] += 1
        if turn.timestamp >= review.last:
            review.last, review.question, review.follow_up = turn.timestamp, previous.text, turn.text
            review.visitor = self._visitor
        return kind

    def _unanswered(self, turn: Turn) -> None:
        self.unanswered += 1
        key = question_words(turn.text)
        wording = self.wordings.get(key)
        if wording is None:
            wording = self.wordings[key] = Wording(key)
        wording.count += 1
        wording.last = max(wording.last, turn.timestamp)
        wording.texts[turn.text] += 1
        before = [line for earlier in self._recent for line in _turn_lines(earlier)]
        example = Example(self._visitor, turn.timestamp, before + _turn_lines(turn), len(before))
        self._pending.append((wording, example))

    def _keep_examples(self, all_: bool = False) -> None:
        waiting = []
        for wording, example in self._pending:
            if example.missing_after > 0 and not all_:
                waiting.append((wording, example))
            elif wording.example is None or (example.timestamp, example.visitor) >= (
                wording.example.timestamp,
                wording.example.visitor,
            ):
                wording.example = example
        self._pending = waiting

    def _finish_conversation(self) -> None:
        self._keep_examples(all_=True)
        self._recent.clear()
        self._days, self._channels = set(), set()

    def finish(self) -> "Report":
        """Close the last conversation; returns the report."""
        self._finish_conversation()
        return self

    def groups(self) -> List[Group]:
        """The unanswered wordings grouped with near-identical ones, most asked first: each
        wording, from the most asked, joins the first group whose first wording it matches."""
        ordered = sorted(self.wordings.values(), key=lambda w: (-w.count, -w.last, sorted(w.words)))
        groups: List[Group] = []
        by_word: Dict[str, List[int]] = {}
        for wording in ordered:
            candidates = sorted({g for word in wording.words for g in by_word.get(word, ())})
            home = next(
                (g for g in candidates if same_question(groups[g].wordings[0].words, wording.words)), None
            )
            if home is None:
                home = len(groups)
                groups.append(Group([]))
                for word in wording.words:
                    by_word.setdefault(word, []).append(home)
            groups[home].wordings.append(wording)
        return sorted(groups, key=lambda g: (-g.count, -g.last, g.texts[0][0]))


def build_report(events: Iterable[Tuple[Any, ...]]) -> Report:
    """The report of events ordered by conversation (as read_events gives them)."""
    report = Report()
    for turn in turns(events):
        report.add(turn)
    return report.finish()


# The page --------------------------------------------------------------------------------

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#1d2330;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.4rem;border-bottom:2px solid #d9dee8;
padding-bottom:.3rem}p.meta{color:#5b6475;margin-top:0}table{border-collapse:collapse;width:100%}table.narrow{width:auto;min-width:24rem}
th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid #e6e9f0}
th{background:#f4f6fa;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.wording{display:block}.wording small,.muted{color:#6b7385}.chat{margin:.3rem 0 0;padding:0;list-style:none;
font-size:.9rem}.chat li{margin:.15rem 0;padding:.2rem .5rem;border-radius:.4rem;white-space:pre-wrap}
.chat .visitor{background:#eef3ff}.chat .bot{background:#f6f6f6}.chat .asked{outline:2px solid #c43d3d}
.totals{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}.totals div{background:#f4f6fa;border-radius:.5rem;
padding:.6rem 1rem}.totals b{display:block;font-size:1.4rem}details summary{cursor:pointer;color:#2d4fa3}
svg text{font:12px system-ui,sans-serif;fill:#1d2330}.answer{white-space:pre-wrap}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _date(timestamp: Optional[float]) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d") if timestamp else "-"


def _chat(example: Example) -> str:
    items = []
    for index, (who, text) in enumerate(example.lines):
        mark = " asked" if index == example.question else ""
        items.append(
            f'<li class="{who}{mark}"><b>{"visitor" if who == "visitor" else "bot"}:</b> {_e(text)}</li>'
        )
    return (
        f"<details><summary>conversation {_e(example.visitor)}, {_date(example.timestamp)}</summary>"
        f'<ul class="chat">{"".join(items)}</ul></details>'
    )


def day_chart(days: Dict[date, List[int]]) -> str:
    """An SVG bar chart of messages (light) and conversations (dark) per day."""
    if not days:
        return '<p class="muted">No messages.</p>'
    ordinals = range(min(days).toordinal(), max(days).toordinal() + 1)
    shown = [date.fromordinal(n) for n in ordinals][-MAX_DAYS:]
    top = max(days[d][1] for d in shown if d in days) or 1
    bar, height, left, bottom = 16, 180, 44, 34
    width = max(left + bar * len(shown) + 10, 260)  # room for the legend
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + bottom + 10}" '
        f'role="img" aria-label="conversations and messages per day">',
        f'<text x="{left - 6}" y="16" text-anchor="end">{top}</text>',
        f'<text x="{left - 6}" y="{height + 4}" text-anchor="end">0</text>',
        f'<line x1="{left}" y1="{height}" x2="{width - 6}" y2="{height}" stroke="#9aa3b5"/>',
    ]
    for index, day in enumerate(shown):
        conversations, messages = days.get(day, [0, 0])
        x = left + index * bar
        for value, inset, colour in ((messages, 1, "#a9c1f5"), (conversations, 4, "#2d4fa3")):
            h = round((height - 12) * value / top)
            parts.append(
                f'<rect x="{x + inset}" y="{height - h}" width="{bar - 2 * inset}" height="{h}" fill="{colour}">'
                f"<title>{day}: {conversations} conversations, {messages} messages</title></rect>"
            )
        if index % 7 == 0 or index == len(shown) - 1:
            parts.append(f'<text x="{x}" y="{height + 16}">{day.strftime("%m-%d")}</text>')
    parts.append(
        f'<rect x="{left}" y="{height + 22}" width="10" height="10" fill="#a9c1f5"/>'
        f'<text x="{left + 14}" y="{height + 31}">messages</text>'
        f'<rect x="{left + 90}" y="{height + 22}" width="10" height="10" fill="#2d4fa3"/>'
        f'<text x="{left + 104}" y="{height + 31}">conversations</text></svg>'
    )
    note = f'<p class="muted">The last {MAX_DAYS} days.</p>' if len(ordinals) > MAX_DAYS else ""
    return "".join(parts) + note


def bar_chart(rows: Sequence[Tuple[str, int]], label: str) -> str:
    """An SVG chart of horizontal bars, one per (name, count)."""
    if not rows:
        return '<p class="muted">None.</p>'
    top = max(count for _, count in rows) or 1
    name_width, bar_width, row = 300, 420, 22
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{name_width + bar_width + 70}" '
        f'height="{row * len(rows) + 6}" role="img" aria-label="{_e(label)}">'
    ]
    for index, (name, count) in enumerate(rows):
        y = index * row + 4
        w = max(1, round(bar_width * count / top))
        shown = name if len(name) <= 44 else name[:43] + "…"
        parts.append(
            f'<text x="{name_width - 8}" y="{y + 13}" text-anchor="end">{_e(shown)}<title>{_e(name)}</title></text>'
            f'<rect x="{name_width}" y="{y}" width="{w}" height="{row - 6}" fill="#2d4fa3"/>'
            f'<text x="{name_width + w + 6}" y="{y + 13}">{count}</text>'
        )
    return "".join(parts) + "</svg>"


def render_html(report: Report, store: str, since: Optional[date] = None) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no script)."""
    groups = report.groups()
    period = f"{_date(report.first)} to {_date(report.last)}" if report.turns else "no messages"
    if since:
        period += f" (since {since.isoformat()})"
    out = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>What visitors asked: Jinchang visitor assistant</title><style>{CSS}</style></head><body>",
        "<h1>What visitors asked</h1>",
        f'<p class="meta">{_e(store)} · {_e(period)} · made {datetime.now().strftime("%Y-%m-%d %H:%M")} '
        "(dates in this machine's time zone; visitors shown as a short one-way hash)</p>",
        '<div class="totals">',
        f"<div><b>{report.conversations}</b>conversations</div><div><b>{report.turns}</b>messages</div>",
        f"<div><b>{report.unanswered}</b>not answered</div><div><b>{len(groups)}</b>different questions</div>",
        f"<div><b>{sum(r.count for r in report.reviews.values())}</b>answers questioned</div></div>",
        '<h2 id="unanswered">Questions the document could not answer</h2>',
        '<p class="muted">Most asked first. Wordings are grouped when most of their words (lower case, '
        "no punctuation or question words, dictionary forms) are the same. Add what they ask to "
        "<code>knowledge/jinchang.txt</code> and run <code>make run</code>.</p>",
    ]
    if groups:
        out.append("<table><tr><th>asked</th><th>last asked</th><th>question</th></tr>")
        for group in groups[:MAX_GROUPS]:
            texts = group.texts
            shown = "".join(
                f'<span class="wording">{_e(text)} <small>×{count}</small></span>'
                for text, count in texts[:5]
            )
            if len(texts) > 5:
                shown += f'<span class="wording"><small>and {len(texts) - 5} more wordings</small></span>'
            example = _chat(group.example) if group.example else ""
            out.append(f'<tr><td class="n">{group.count}</td><td class="n">{_date(group.last)}</td>')
            out.append(f"<td>{shown}{example}</td></tr>")
        out.append("</table>")
        if len(groups) > MAX_GROUPS:
            rest = groups[MAX_GROUPS:]
            out.append(
                f'<p class="muted">And {len(rest)} more questions, asked {sum(g.count for g in rest)} times.</p>'
            )
    else:
        out.append("<p>None: the document answered every question.</p>")

    reviews = sorted(report.reviews.values(), key=lambda r: (-r.count, -r.last, r.answer))
    out.append('<h2 id="review">Answers to review</h2>')
    out.append(
        '<p class="muted">Answers a visitor followed with "that\'s wrong", "no", "not true" and the like, '
        "or by asking the same question again in other words.</p>"
    )
    if reviews:
        out.append(
            "<table><tr><th>times</th><th>last</th><th>answer</th><th>question and follow-up</th></tr>"
        )
        for review in reviews[:MAX_REVIEWS]:
            kinds = ", ".join(
                f"{'said it was wrong' if kind == 'denial' else 'asked again'} ×{n}"
                for kind, n in sorted(review.kinds.items())
            )
            out.append(
                f'<tr><td class="n">{review.count}</td><td class="n">{_date(review.last)}</td>'
                f'<td><small class="muted">{_e(review.topic)}</small><div class="answer">{_e(review.answer)}</div></td>'
                f"<td><b>visitor:</b> {_e(review.question)}<br><b>then:</b> {_e(review.follow_up)}"
                f'<br><small class="muted">{_e(kinds)} · conversation {_e(review.visitor)}</small></td></tr>'
            )
        out.append("</table>")
    else:
        out.append("<p>None.</p>")

    out.append('<h2 id="days">Conversations and messages per day</h2>')
    out.append(day_chart(report.days))
    out.append('<h2 id="topics">Answers per topic</h2>')
    out.append('<p class="muted">Bot messages by what they answered (their topic, reply or action).</p>')
    out.append(bar_chart(report.topics.most_common(MAX_TOPICS), "answers per topic"))
    if len(report.topics) > MAX_TOPICS:
        out.append(f'<p class="muted">And {len(report.topics) - MAX_TOPICS} more topics.</p>')
    out.append('<h2 id="channels">Channels</h2>')
    out.append('<table class="narrow"><tr><th>channel</th><th>conversations</th><th>messages</th></tr>')
    for channel, messages in report.channels.most_common():
        out.append(
            f'<tr><td>{_e(channel)}</td><td class="n">{report.channel_conversations[channel]}</td>'
            f'<td class="n">{messages}</td></tr>'
        )
    out.append("</table></body></html>\n")
    return "\n".join(out)


def summary(report: Report, out: Path) -> str:
    """A few lines for the terminal."""
    groups = report.groups()
    lines = [
        f"{report.conversations} conversations, {report.turns} messages, {report.unanswered} not answered "
        f"({len(groups)} different questions), {sum(r.count for r in report.reviews.values())} answers questioned"
    ]
    for group in groups[:5]:
        lines.append(f"  {group.count:>5}  {group.texts[0][0]}")
    lines.append(f"report: {_shown_path(out)}")
    return "\n".join(lines)


# Running it ------------------------------------------------------------------------------


def day_start(text: str) -> date:
    """A YYYY-MM-DD argument."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def make_report(endpoints: Path, out: Path, since: Optional[date] = None) -> Report:
    """Read the store of `endpoints`, write the page to `out`; returns the report."""
    store = store_from_endpoints(endpoints)
    engine = connect(store)
    start = datetime.combine(since, datetime.min.time()).timestamp() if since else None
    try:
        report = build_report(read_events(engine, start))
    finally:
        engine.dispose()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(report, store.label, since), encoding="utf-8")
    return report


def main(argv: Optional[List[str]] = None) -> int:
    """`make report`."""
    parser = argparse.ArgumentParser(prog="python -m report", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--endpoints",
        type=Path,
        default=Path(os.environ.get("ENDPOINTS") or ROOT / "endpoints.yml"),
        help="the endpoints file naming the conversation store (default: $ENDPOINTS or endpoints.yml)",
    )
    parser.add_argument("--since", type=day_start, help="only events on or after this day (YYYY-MM-DD)")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="the page (default: results/report.html)"
    )
    parser.add_argument(
        "--benchmark",
        type=int,
        metavar="EVENTS",
        help="time the report on a synthetic store of this many events",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if args.benchmark:
        print(benchmark(args.benchmark))
        return 0
    try:
        report = make_report(args.endpoints, args.out, args.since)
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(summary(report, args.out))
    return 0


# The benchmark ---------------------------------------------------------------------------

_ANSWERS = [
    ("What is the area of Jinchang?", "ask_area", "area", "Jinchang covers 9,593 km²."),
    ("How many people live there?", "ask_population", "population", "About 458,200 people."),
    ("Tell me about Liqian", "ask_attraction", "attraction", "Liqian ancient city is in Yongchang county."),
    ("Why is it the nickel capital?", "ask_nickname", "nickname", "It is the largest nickel producing base."),
]
_UNKNOWNS = [
    "What are hotel prices?",
    "How much is a taxi from the station",
    "What's the weather like",
    "Where can I eat hotpot",
    "When does the museum close on",
    "Is there a night market near",
]
_EXTRA = "today tomorrow monday june cheap good best near downtown old town lake park temple".split()


def synthetic_events(count: int, seed: int = 0) -> Iterator[Dict[str, Any]]:
    """Rows of Rasa's events table for about `count` events of visitor conversations, built
    from Rasa's own event classes (facts, unknowns, "that's wrong", a fallback rewind)."""
    from rasa.shared.core.events import (
        ActionExecuted,
        BotUttered,
        DefinePrevUserUtteredFeaturization,
        SessionStarted,
        SlotSet,
        UserUtteranceReverted,
        UserUttered,
    )

    rng = random.Random(seed)
    start = datetime(2026, 10, 1).timestamp()
    made, visitor_number = 0, 0
    while made < count:
        visitor_number += 1
        sender = f"bench-{visitor_number:06d}"
        t = start + rng.random() * 60 * 86400
        channel = rng.choice(["rest", "socketio", "socketio", "matrix"])
        events: List[Any] = [
            ActionExecuted("action_session_start", timestamp=t),
            SessionStarted(timestamp=t),
            ActionExecuted("action_listen", timestamp=t),
        ]
        for _ in range(rng.randint(3, 12)):
            t += rng.random() * 60
            roll = rng.random()
            if roll < 0.3:
                text = f"{rng.choice(_UNKNOWNS)} {rng.choice(_EXTRA)} {rng.choice(_EXTRA)}"
                intent, reply, answer = (
                    "out_of_scope",
                    "unknown",
                    "Sorry, the city document doesn't cover it.",
                )
            elif roll < 0.35:
                text, intent, reply, answer = (
                    "that's wrong",
                    "nlu_fallback",
                    "unknown",
                    "Sorry, I don't know.",
                )
            else:
                text, intent, reply, answer = rng.choice(_ANSWERS)
            parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text}
            events.append(UserUttered(text, parse_data=parse, input_channel=channel, timestamp=t))
            if roll < 0.35 and rng.random() < 0.1:  # the fallback answering again with its guess
                events += [
                    ActionExecuted("action_search_document", timestamp=t),
                    UserUtteranceReverted(timestamp=t),
                    ActionExecuted("action_listen", timestamp=t),
                    UserUttered(text, parse_data=parse, timestamp=t),
                ]
            events += [
                DefinePrevUserUtteredFeaturization(False, timestamp=t),
                ActionExecuted("action_answer", timestamp=t),
                BotUttered(answer, metadata={"reply": reply, "unanswered": reply == "unknown"}, timestamp=t),
                SlotSet("attraction", None, timestamp=t),
                SlotSet("place", None, timestamp=t),
                ActionExecuted("action_listen", timestamp=t),
            ]
        for event in events:
            row = event.as_dict()
            yield {
                "sender_id": sender,
                "type_name": event.type_name,
                "timestamp": event.timestamp,
                "intent_name": event.intent_name if isinstance(event, UserUttered) else None,
                "action_name": getattr(event, "action_name", None) or getattr(event, "key", None),
                "data": json.dumps(row),
            }
        made += len(events)


def write_synthetic_store(path: Path, count: int) -> int:
    """A SQLite store with Rasa's schema holding about `count` synthetic events; returns how many."""
    with quiet():
        from rasa.core.tracker_store import SQLTrackerStore

    engine = sa.create_engine(f"sqlite:///{path}")
    SQLTrackerStore.Base.metadata.create_all(engine)
    table = SQLTrackerStore.SQLEvent.__table__
    written, batch = 0, []
    with engine.begin() as connection:
        for row in synthetic_events(count):
            batch.append(row)
            if len(batch) == CHUNK:
                connection.execute(table.insert(), batch)
                written, batch = written + len(batch), []
        if batch:
            connection.execute(table.insert(), batch)
            written += len(batch)
    engine.dispose()
    return written


def benchmark(count: int) -> str:
    """Time the report on a temporary store of `count` synthetic events; the figures as text."""
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        db, endpoints, out = tmp / "conversations.db", tmp / "endpoints.yml", tmp / "report.html"
        started = time.perf_counter()
        written = write_synthetic_store(db, count)
        created = time.perf_counter() - started
        endpoints.write_text(
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {db}\n", encoding="utf-8"
        )
        engine = connect(store_from_endpoints(endpoints))
        started = time.perf_counter()
        report = build_report(read_events(engine))
        read = time.perf_counter() - started
        engine.dispose()
        started = time.perf_counter()
        page = render_html(report, "benchmark")
        rendered = time.perf_counter() - started
        # The whole command as a maintainer runs it: imports, reading, the page.
        command = [sys.executable, "-m", "report", "--endpoints", str(endpoints), "--out", str(out)]
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        whole = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        size = db.stat().st_size / 1e6
    return "\n".join(
        [
            f"store: {written} events ({size:.1f} MB SQLite, written in {created:.1f} s), "
            f"{report.conversations} conversations, {report.turns} messages, {report.unanswered} not answered",
            f"read and count:  {read:.2f} s ({written / read:,.0f} events/s)",
            f"page:            {rendered:.2f} s ({len(page) / 1e3:.0f} kB)",
            f"make report:     {whole:.2f} s wall, {peak:.0f} MB peak memory (python -m report)",
        ]
    )
