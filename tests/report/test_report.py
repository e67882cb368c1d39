"""The maintainer's report on small conversation stores written by Rasa's own SQLTrackerStore."""

import asyncio
import hashlib
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

import report
from report import main

# A visitor's turn: (question, intent, bot messages as (text, metadata)).
Turn = Tuple[str, str, List[Tuple[str, Dict[str, Any]]]]

UNKNOWN = ("Sorry, the city document doesn't cover that.", {"reply": "unknown", "unanswered": True})
AREA = ("Jinchang covers 9,593 km².", {"reply": "area", "topic": "area"})
POPULATION = ("About 458,200 people live in Jinchang.", {"reply": "population", "topic": "population"})


def at(day: int, hour: int = 10, minute: int = 0) -> float:
    return datetime(2026, 12, day, hour, minute).timestamp()


def conversation(sender: str, start: float, turns: List[Turn], channel: str = "rest") -> DialogueStateTracker:
    """A tracker with Rasa's events for `turns`, one minute apart."""
    t = start
    events: List[Any] = [
        ActionExecuted("action_session_start", timestamp=t),
        SessionStarted(timestamp=t),
        ActionExecuted("action_listen", timestamp=t),
    ]
    for text, intent, replies in turns:
        t += 60
        parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text}
        events.append(UserUttered(text, parse_data=parse, input_channel=channel, timestamp=t))
        events.append(ActionExecuted("action_answer", timestamp=t + 1))
        events += [BotUttered(reply, metadata=dict(metadata), timestamp=t + 2) for reply, metadata in replies]
        events.append(ActionExecuted("action_listen", timestamp=t + 3))
    return DialogueStateTracker.from_events(sender, events)


def write_store(path: Path, trackers: List[DialogueStateTracker]) -> Path:
    """A SQLite store holding the trackers, and an endpoints file naming it."""
    store = SQLTrackerStore(dialect="sqlite", db=str(path / "conversations.db"))
    for tracker in trackers:
        asyncio.run(store.save(tracker))
    store.engine.dispose()
    endpoints = path / "endpoints.yml"
    endpoints.write_text(
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {path / 'conversations.db'}\n"
    )
    return endpoints


def run(endpoints: Path, tmp_path: Path, *options: str) -> Tuple[int, str]:
    out = tmp_path / "report.html"
    code = main(["--endpoints", str(endpoints), "--out", str(out), *options])
    return code, out.read_text(encoding="utf-8") if out.exists() else ""


def section(page: str, heading: str) -> str:
    """The HTML of the section under an <h2> heading."""
    start = page.index(f">{heading}</h2>")
    end = page.find("<h2", start)
    return page[start : end if end != -1 else None]


def unanswered_rows(page: str) -> List[Tuple[int, str, List[str]]]:
    """(count, last asked, wordings) of each row of the unanswered questions, in order."""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", section(page, "Questions the document could not answer"), re.S)[
        1:
    ]:
        count, last = re.findall(r'<td class="n">(.*?)</td>', row)
        wordings = re.findall(r'<span class="wording">(.*?) <small>', row)
        rows.append((int(count), last, wordings))
    return rows


@pytest.fixture
def store(tmp_path) -> Path:
    """Four visitors: hotel prices asked four times in three wordings, the weather twice,
    a wrong answer, a rephrased question and a fallback answered from the document."""
    return write_store(
        tmp_path,
        [
            conversation(
                "alice@example.org",
                at(1),
                [
                    ("What are hotel prices?", "out_of_scope", [UNKNOWN]),
                    ("How big is Jinchang?", "ask_area", [AREA]),
                    ("That's wrong", "nlu_fallback", [UNKNOWN]),
                ],
            ),
            conversation(
                "bob",
                at(2),
                [
                    ("hotel prices in Jinchang?", "out_of_scope", [UNKNOWN]),
                    ("What's the weather like?", "out_of_scope", [UNKNOWN]),
                    ("How many people live there?", "ask_population", [POPULATION]),
                    ("What's the population there?", "ask_population", [POPULATION]),
                ],
                channel="socketio",
            ),
            conversation(
                "carol",
                at(3),
                [
                    ("What are the hotel prices", "out_of_scope", [UNKNOWN]),
                    ("what are hotel prices??", "out_of_scope", [UNKNOWN]),
                    ("weather?", "nlu_fallback", [("Sorry, I didn't get that.", {})]),
                    (
                        "Which museum shows metals?",
                        "nlu_fallback",
                        [("Here is what it says: ...", {"reply": "document_says"})],
                    ),
                ],
            ),
            conversation("dave", at(5), [("Where is Jinchang?", "ask_location", [AREA])], channel="matrix"),
        ],
    )


def test_unknown_questions_are_grouped_by_wording_most_asked_first(store, tmp_path):
    code, page = run(store, tmp_path)
    assert code == 0
    rows = unanswered_rows(page)
    assert [(count, last) for count, last, _ in rows] == [(4, "2026-12-03"), (2, "2026-12-03")]
    hotels, weather = rows[0][2], rows[1][2]
    assert set(hotels) == {
        "What are hotel prices?",
        "hotel prices in Jinchang?",
        "What are the hotel prices",
        "what are hotel prices??",
    }
    assert set(weather) == {"What&#x27;s the weather like?", "weather?"}
    # Answered questions, a fallback answered from the document and "That's wrong" after an answer are not listed.
    assert {text for _, _, wordings in rows for text in wordings} == set(hotels) | set(weather)


def test_an_example_conversation_names_visitors_only_by_a_hash(store, tmp_path):
    _, page = run(store, tmp_path)
    listed = section(page, "Questions the document could not answer")
    carol = hashlib.sha256(b"carol").hexdigest()[:8]
    # The latest hotel question is carol's second: shown after her first, then the bot's answer.
    assert f"conversation {carol}, 2026-12-03" in listed
    example = listed[listed.index(f"conversation {carol}") :]
    assert example.index("What are the hotel prices") < example.index("what are hotel prices??")
    assert "weather?" in example  # the turn after it
    for sender in ("alice@example.org", "alice", "bob", "carol", "dave"):
        assert sender not in page


def test_an_answer_called_wrong_or_asked_again_is_listed_for_review(store, tmp_path):
    _, page = run(store, tmp_path)
    review = section(page, "Answers to review")
    assert "Jinchang covers 9,593 km²." in review
    assert "That&#x27;s wrong" in review and "said it was wrong ×1" in review
    assert "About 458,200 people live in Jinchang." in review
    assert "What&#x27;s the population there?" in review and "asked again ×1" in review
    assert "Where is Jinchang" not in review


def test_since_leaves_out_earlier_days(store, tmp_path):
    _, page = run(store, tmp_path, "--since", "2026-12-03")
    rows = unanswered_rows(page)
    assert [(count, wordings) for count, _, wordings in rows] == [
        (2, ["What are the hotel prices", "what are hotel prices??"]),
        (1, ["weather?"]),
    ]
    assert "Answers to review" in page and "Jinchang covers" not in section(page, "Answers to review")


def test_days_topics_and_channels(store, tmp_path):
    _, page = run(store, tmp_path)
    days = section(page, "Conversations and messages per day")
    assert "<svg" in days
    assert "2026-12-02: 1 conversations, 4 messages" in days
    assert "2026-12-04: 0 conversations, 0 messages" in days  # a day without visitors is shown
    topics = section(page, "Answers per topic")
    assert re.search(r">population<.*?>2</text>", topics)
    channels = section(page, "Channels")
    assert re.search(r"<td>rest</td><td class=\"n\">2</td><td class=\"n\">7</td>", channels)
    assert re.search(r"<td>socketio</td><td class=\"n\">1</td><td class=\"n\">4</td>", channels)
    assert re.search(r"<td>matrix</td><td class=\"n\">1</td><td class=\"n\">1</td>", channels)


def test_the_page_loads_nothing_from_elsewhere(store, tmp_path):
    _, page = run(store, tmp_path)
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page


def test_visitor_text_is_escaped(tmp_path):
    endpoints = write_store(
        tmp_path,
        [
            conversation(
                "eve", at(1), [("<script>alert('hi')</script> hotel prices?", "out_of_scope", [UNKNOWN])]
            )
        ],
    )
    _, page = run(endpoints, tmp_path)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt; hotel prices?" in page


def test_a_rewound_fallback_counts_once(tmp_path):
    """The fallback answering again with its best guess (a rewind and the message again)."""
    t = at(1)
    parse = {"intent": {"name": "nlu_fallback", "confidence": 0.4}, "text": "how old is it"}
    guess = dict(parse, intent={"name": "ask_history", "confidence": 1.0})
    events = [
        ActionExecuted("action_listen", timestamp=t),
        UserUttered("how old is it", parse_data=parse, input_channel="rest", timestamp=t + 1),
        ActionExecuted("action_search_document", timestamp=t + 2),
        UserUtteranceReverted(timestamp=t + 3),
        ActionExecuted("action_listen", timestamp=t + 4),
        UserUttered("how old is it", parse_data=guess, timestamp=t + 5),
        ActionExecuted("action_answer_city_fact", timestamp=t + 6),
        BotUttered(
            "Sorry, I don't have information on the age.",
            metadata={"reply": "aspect_unknown"},
            timestamp=t + 7,
        ),
    ]
    endpoints = write_store(tmp_path, [DialogueStateTracker.from_events("frank", events)])
    _, page = run(endpoints, tmp_path)
    assert unanswered_rows(page) == [(1, "2026-12-01", ["how old is it"])]
    assert '<td>rest</td><td class="n">1</td><td class="n">1</td>' in page


@pytest.mark.parametrize(
    "intent, replies, unanswered",
    [
        ("ask_area", [("...", {"reply": "area"})], False),
        ("ask_area", [("...", {"reply": "aspect_unknown_known", "unanswered": True})], True),
        ("ask_area", [("...", {"reply": "honour_unknown"})], True),  # stored before the mark
        ("ask_area", [("...", {"reply": "other_place"})], True),
        ("nlu_fallback", [("...", {"reply": "document_says"})], False),
        ("nlu_fallback", [("...", {})], True),  # a domain response is no answer
        ("out_of_scope", [], True),
        ("greet", [("Hello!", {})], False),
    ],
)
def test_what_counts_as_unanswered(intent: str, replies: List[Tuple[str, Dict[str, Any]]], unanswered: bool):
    turn = report.Turn("s", "question", intent, "rest", 0.0, True)
    turn.replies = [report.Reply(text, m.get("reply"), "t", bool(m.get("unanswered"))) for text, m in replies]
    assert report.is_unanswered(turn) is unanswered


@pytest.mark.parametrize(
    "text, denial",
    [
        ("that's wrong", True),
        ("No", True),
        ("no, the other one", True),
        ("That is not true!", True),
        ("incorrect", True),
        ("Is it true that Jinchang is in Gansu?", False),
        ("Where is Jinchang?", False),
        ("north of the lake", False),
    ],
)
def test_denials(text: str, denial: bool):
    assert report.is_denial(text) is denial


def test_a_missing_store_is_one_clear_line(tmp_path, capsys):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tmp_path / 'none.db'}\n")
    assert main(["--endpoints", str(endpoints), "--out", str(tmp_path / "r.html")]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: no conversation store at ") and "none.db" in error
    assert "\n" not in error
    assert not (tmp_path / "none.db").exists()  # not created by looking


def test_production_placeholders_are_filled_from_the_environment(monkeypatch):
    production = report.ROOT / "endpoints.production.yml"
    names = set(re.findall(r"\$\{(\w+)\}", production.read_text()))
    assert {"DB_HOST", "DB_PASSWORD"} <= names
    for name in names:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(report.ReportError, match=r"set these environment variables"):
        report.store_from_endpoints(production)
    for name in names:
        monkeypatch.setenv(name, "1")
    env = {
        "DB_HOST": "db.example.org",
        "DB_PORT": "5433",
        "DB_NAME": "rasa",
        "DB_USER": "bot",
        "DB_PASSWORD": "s3cret",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    store = report.store_from_endpoints(production)
    url = store.url
    assert (url.drivername, url.host, url.port, url.database, url.username, url.password) == (
        "postgresql",
        "db.example.org",
        5433,
        "rasa",
        "bot",
        "s3cret",
    )
    assert "s3cret" not in store.label and "bot" not in store.label


def test_an_unreachable_database_is_one_line_without_the_password(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SECRET_PASSWORD", "s3cret")
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(
        "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: 127.0.0.1\n  port: 1\n"
        "  db: rasa\n  username: bot\n  password: ${SECRET_PASSWORD}\n"
    )
    assert main(["--endpoints", str(endpoints), "--out", str(tmp_path / "r.html")]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith(
        "error: cannot read the conversation store (postgresql database rasa on 127.0.0.1:1)"
    )
    assert "s3cret" not in error and "\n" not in error


def test_the_terminal_summary(store, tmp_path, capsys):
    run(store, tmp_path)
    out = capsys.readouterr().out
    assert "4 conversations, 12 messages, 6 not answered (2 different questions), 2 answers questioned" in out
    assert re.search(r"^\s+4\s+\S.*hotel prices", out, re.M)
