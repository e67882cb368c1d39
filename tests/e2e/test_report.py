"""End to end: visitors ask the real bot over REST, then `python -m report` reads the store that
run used and the maintainer opens the page in headless Chromium (screenshot: results/report.png)."""

import subprocess
import sys
import uuid
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest
from playwright.sync_api import Browser, Page

from server.serve import Servers
from tests.e2e import test_widget

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "results" / "e2e" / "report.html"
SCREENSHOT = ROOT / "results" / "report.png"
browser = test_widget.browser  # headless Chromium, launched as for the web chat

# Each visitor's questions; the hotel prices asked three times in two wordings, the weather twice.
VISITORS = [
    ["What are hotel prices?", "How big is Jinchang?", "that's wrong"],
    ["How much are hotel prices in Jinchang?", "What's the weather like?", "Where is Jinchang?"],
    ["hotel prices?", "what is the weather like", "How deep is Jinshui Lake?"],
]
UNKNOWN = {
    "What are hotel prices?",
    "How much are hotel prices in Jinchang?",
    "hotel prices?",
    "What's the weather like?",
    "what is the weather like",
    "How deep is Jinshui Lake?",
}
ANSWERED = {"How big is Jinchang?", "Where is Jinchang?"}


@pytest.fixture(scope="module")
def asked(servers: Servers) -> List[str]:
    """The visitors' conversations over REST; returns their sender ids."""
    senders = []
    for questions in VISITORS:
        sender = f"e2e-report-{uuid.uuid4().hex[:8]}"
        senders.append(sender)
        for question in questions:
            reply = " ".join(m.get("text") or "" for m in servers.ask(sender, question))
            # The report lists what the bot said it could not answer: check the bot said so.
            if question in UNKNOWN or question in ANSWERED:
                assert reply.startswith("Sorry") == (question in UNKNOWN), (question, reply)
    return senders


@pytest.fixture(scope="module")
def report(servers: Servers, asked: List[str]) -> str:
    """The terminal summary of `python -m report` on the store the servers wrote."""
    done = subprocess.run(
        [sys.executable, "-m", "report", "--endpoints", str(servers.endpoints), "--out", str(PAGE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def page(report: str, browser: Browser) -> Iterator[Page]:
    """The report opened in headless Chromium."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(PAGE.as_uri())
    yield page
    page.close()


def unanswered(page: Page) -> List[Tuple[int, List[str]]]:
    """(times asked, wordings) of each row of the first section, as the page shows them."""
    rows = page.locator("h2#unanswered + p + table tr")
    found = []
    for index in range(1, rows.count()):  # row 0: the headings
        row = rows.nth(index)
        count = int(row.locator("td").first.inner_text())
        wordings = [w.rsplit(" ×", 1)[0] for w in row.locator(".wording").all_inner_texts()]
        found.append((count, wordings))
    return found


def test_the_summary_lists_the_most_asked_unknown_first(report):
    lines = report.splitlines()
    assert lines[0].startswith("3 conversations, 9 messages, 6 not answered (3 different questions)")
    assert lines[1].split()[0] == "3" and "hotel prices" in lines[1]


def test_the_page_shows_the_unknown_questions_first_with_their_counts(page, asked):
    headings = page.locator("h2").all_inner_texts()
    assert headings[0] == "Questions the document could not answer"
    rows = unanswered(page)
    assert [count for count, _ in rows] == [3, 2, 1]
    assert set(rows[0][1]) == {
        "What are hotel prices?",
        "How much are hotel prices in Jinchang?",
        "hotel prices?",
    }
    assert set(rows[1][1]) == {"What's the weather like?", "what is the weather like"}
    assert rows[2][1] == ["How deep is Jinshui Lake?"]
    text = page.inner_text("body")
    for sender in asked:
        assert sender not in text and sender not in page.content()

    page.locator("h2#unanswered + p + table details").first.evaluate("details => details.open = true")
    assert page.locator(".chat .asked").first.is_visible()
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_the_answer_called_wrong_is_up_for_review(page):
    review = page.locator("h2#review + p + table").inner_text()
    assert "that's wrong" in review
    assert "How big is Jinchang?" in review
    assert "9,593" in review  # the answer itself, from the knowledge base
