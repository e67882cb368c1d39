"""End to end in a browser: the rasa-webchat page served by `make run`, driven by headless Chromium.

The visitor opens the page, is greeted with buttons, asks questions, clicks buttons, asks
follow-ups, reloads the page and types at once, opens a new tab and carries on there; a visitor
whose network refuses websockets does the same on long-polling and reloads while a long-poll
waits. The Rasa server runs its default workers (one per CPU), so the requests of a socket.io
session reach either worker (channels/workers.py). Expected answers come from the knowledge base
and domain.yml, not typed here.
"""

import re
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import urlparse

import pytest
import yaml
from playwright.sync_api import Browser, Page, Request, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from knowledge.base import KnowledgeBase, load
from server.serve import Servers, free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "results" / "widget"
CHROMIUM = Path("/usr/bin/chromium")
# Rasa answers in about a second once it runs; a first answer can take longer on a busy machine.
ANSWER_TIMEOUT_MS = 30_000
PAGE_TIMEOUT_MS = 30_000
# A visitor types as soon as the page is back: the widget must have reconnected by then (its
# input is disabled until the server confirms the session; it took under a second here).
RECONNECT_TIMEOUT_MS = 10_000
# A polling GET that has waited this long is a long-poll: the server holds it until it has a packet.
LONG_POLL_S = 1.0

RESPONSES = ".rw-from-response .rw-message-text"
CLIENT = ".rw-from-client .rw-message-text"
BUTTONS = ".rw-replies .rw-reply"
INPUT = "textarea.rw-new-message"
SOURCE_LINK = 'a[href^="#source:"]'


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load()


@pytest.fixture(scope="module")
def greeting() -> Dict[str, Any]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return domain["responses"]["utter_greet"][0]


@pytest.fixture(scope="module")
def site(make_servers) -> Iterator[Servers]:
    """Both servers and the web page, each on a free port, for the whole module."""
    with make_servers(web_port=free_port()) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@contextmanager
def recorded(page: Page, name: str) -> Iterator[List[str]]:
    """Screenshot and page text in results/widget/ at the end, and on failure the console too."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    console: List[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    try:
        yield console
    except BaseException:
        page.screenshot(path=str(SCREENSHOTS / f"{name}-failure.png"), full_page=True)
        (SCREENSHOTS / f"{name}-failure.txt").write_text(
            "--- page text ---\n" + page.inner_text("body") + "\n--- console ---\n" + "\n".join(console)
        )
        raise
    page.screenshot(path=str(SCREENSHOTS / f"{name}-final.png"), full_page=True)


def replies(page: Page) -> List[str]:
    """The text of every bot message shown, oldest first, without the line naming its source."""
    return page.eval_on_selector_all(
        RESPONSES,
        f"""(nodes) => nodes.map((node) => {{
               const copy = node.cloneNode(true);
               copy.querySelectorAll('{SOURCE_LINK}, .source-sentence').forEach((link) => link.remove());
               return copy.innerText.trim();
             }})""",
    )


def wait_for_reply(page: Page, before: int, expected: str) -> str:
    """Wait until a bot message after the first `before` contains `expected`; return the new ones."""
    try:
        page.wait_for_function(
            """([selector, before, expected]) => Array.from(document.querySelectorAll(selector))
                 .slice(before).some((node) => node.innerText.includes(expected))""",
            arg=[RESPONSES, before, expected],
            timeout=ANSWER_TIMEOUT_MS,
        )
    except PlaywrightTimeout:
        pytest.fail(f"no reply containing {expected!r}; the widget shows: {replies(page)[before:]}")
    return "\n".join(replies(page)[before:])


def ask(
    page: Page, question: str, expected: str, before: Optional[int] = None, typing_ms: int = PAGE_TIMEOUT_MS
) -> str:
    """Type a question as a visitor would and return the answer once it contains `expected`.
    `before`: how many bot messages precede the answer (default: those shown now); `typing_ms`:
    how long the visitor waits for the input to be enabled (the widget to be connected)."""
    before = len(replies(page)) if before is None else before
    try:
        page.fill(INPUT, question, timeout=typing_ms)  # waits until the widget is connected
    except PlaywrightTimeout:
        pytest.fail(f"the chat input was not enabled within {typing_ms} ms: the widget did not connect")
    page.press(INPUT, "Enter")
    return wait_for_reply(page, before, expected)


def click(page: Page, title: str, expected: str) -> str:
    """Click the button `title` under the latest message and return the answer."""
    before = len(replies(page))
    page.locator(BUTTONS, has_text=title).click(timeout=PAGE_TIMEOUT_MS)
    return wait_for_reply(page, before, expected)


def test_a_visitor_chats_in_the_widget_across_a_reload(site, browser, kb, greeting):
    assert site.web_url is not None
    liqian = kb.attraction("Liqian ancient city")
    second_name = kb.attraction_names()[1]
    second = kb.attraction(second_name)
    city = kb.city
    context = browser.new_context()
    page = context.new_page()
    hosts = set()
    page.on("response", lambda response: hosts.add(urlparse(response.url).hostname))
    with recorded(page, "conversation"):
        page.goto(site.web_url, timeout=PAGE_TIMEOUT_MS)

        # Greeted on opening, with the buttons of utter_greet.
        wait_for_reply(page, 0, greeting["text"])
        buttons = page.locator(BUTTONS)
        titles = [button["title"] for button in greeting["buttons"]]
        for title in titles:
            assert buttons.filter(has_text=title).is_visible(), title

        # A button asks its question; the answer comes from the knowledge base.
        where_title = next(t for t in titles if t.lower().startswith("where is"))
        located = click(page, where_title, city["province"]["value"])
        assert city["region"]["value"] in located
        assert all(neighbour["name"] in located for neighbour in city["neighbours"])
        assert where_title in page.locator(CLIENT).all_inner_texts()

        # A typed question, then a follow-up about the same attraction.
        described = ask(page, "Tell me about Liqian ancient city", liqian["summary"][:60])
        assert described == liqian["summary"]
        where = ask(page, "where is it?", liqian["location"]["text"])
        assert where == f"{liqian['name']} is {liqian['location']['text']}."

        # A reload shows the conversation so far, without greeting again, and the visitor types
        # at once: the widget reconnects (a new socket.io session, on either worker) within seconds,
        # and a follow-up still knows the attraction.
        shown = replies(page)
        page.reload(timeout=PAGE_TIMEOUT_MS)
        history = " ".join(h["text"] for h in liqian["history"])
        story = ask(page, "what's the history of it?", history[:60], len(shown), RECONNECT_TIMEOUT_MS)
        assert story == history
        assert replies(page)[: len(shown)] == shown
        assert [r for r in replies(page) if r == greeting["text"]] == [greeting["text"]]
        assert "Tell me about Liqian ancient city" in page.locator(CLIENT).all_inner_texts()

        # The list of sights has a button per attraction; one click, then a follow-up about it.
        listing = ask(page, "What sights can I visit?", second_name)
        assert all(name in listing for name in kb.attraction_names())
        picked = click(page, second_name, second["summary"][:60])
        assert picked == second["summary"]
        where = ask(page, "where is it?", second["location"]["text"])
        assert where == f"{second['name']} is {second['location']['text']}."

        # The conversation is kept in local storage: a new tab shows it too, and the visitor
        # carries on there at once, in the same conversation.
        shown = replies(page)
        tab = context.new_page()
        with recorded(tab, "new-tab"):
            tab.goto(site.web_url, timeout=PAGE_TIMEOUT_MS)
            history = " ".join(h["text"] for h in second["history"])
            story = ask(tab, "what's the history of it?", history[:60], len(shown), RECONNECT_TIMEOUT_MS)
            assert story == history
            assert replies(tab)[: len(shown)] == shown

    # The page, its config and the widget came from this machine; nothing from a CDN.
    assert hosts == {"localhost"}, hosts
    context.close()


class LongPolls:
    """The socket.io long-polls a page has sent and not yet seen answered."""

    def __init__(self, page: Page) -> None:
        self.started: Dict[Request, float] = {}
        page.on("request", self.sent)
        page.on("requestfinished", self.ended)
        page.on("requestfailed", self.ended)

    def sent(self, request: Request) -> None:
        if request.method == "GET" and "transport=polling" in request.url and "sid=" in request.url:
            self.started[request] = time.monotonic()

    def ended(self, request: Request) -> None:
        self.started.pop(request, None)

    def wait_for_one(self, page: Page) -> None:
        """Return once a long-poll has been waiting for LONG_POLL_S."""
        deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
        while not any(time.monotonic() - t >= LONG_POLL_S for t in self.started.values()):
            assert time.monotonic() < deadline, "no long-poll waited at the server"
            page.wait_for_timeout(100)


def test_a_visitor_whose_network_refuses_websockets_reloads_during_a_long_poll(site, browser, kb):
    """Behind a proxy that refuses websockets the widget stays on long-polling: every poll and
    every message is a request of its own, to either worker. A reload while a long-poll waits at
    the server, then a question typed at once, and again."""
    liqian = kb.attraction("Liqian ancient city")
    history = " ".join(h["text"] for h in liqian["history"])
    context = browser.new_context()
    context.add_init_script("delete window.WebSocket;")  # engine.io then never upgrades
    # Like a reverse proxy that opens a new connection to the server for each request (nginx's
    # default): each request asks for its connection to be closed after it, so the kernel hands
    # the next one to either worker (the browser alone keeps reusing two or three).
    context.route(
        "**/socket.io/**",
        lambda route: route.continue_(headers={**route.request.headers, "connection": "close"}),
    )
    page = context.new_page()
    sockets: List[str] = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    polls = LongPolls(page)
    with recorded(page, "long-polling"):
        page.goto(site.web_url, timeout=PAGE_TIMEOUT_MS)
        wait_for_reply(page, 0, "Hello")
        assert ask(page, "Tell me about Liqian ancient city", liqian["summary"][:60]) == liqian["summary"]
        for attempt in range(2):
            shown = replies(page)
            polls.wait_for_one(page)
            page.reload(timeout=PAGE_TIMEOUT_MS)
            question = "what's the history of it?" if attempt == 0 else "where is it?"
            expected = history if attempt == 0 else f"{liqian['name']} is {liqian['location']['text']}."
            answer = ask(page, question, expected[:40], len(shown), RECONNECT_TIMEOUT_MS)
            assert answer == expected
            assert replies(page)[: len(shown)] == shown
    assert sockets == [], "the widget was meant to stay on long-polling"
    context.close()


def test_the_page_serves_only_its_own_files(site):
    def status(path: str) -> int:
        try:
            with urllib.request.urlopen(site.web_url.rstrip("/") + path, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert status("/") == 200
    assert status("/rasa-webchat/index.js") == 200
    with urllib.request.urlopen(site.web_url + "config.js", timeout=10) as response:
        config = response.read().decode("utf-8")
    assert re.search(rf'"socketUrl": "http://localhost:{site.rasa_port}"', config)
    for path in ["/web/", "/node_modules/", "/package.json", "/../README.md", "/server/web.py"]:
        assert status(path) == 404, path


def test_a_visitor_is_led_on_shown_the_source_and_asked_which_one(site, browser, kb):
    liqian = kb.attraction("Liqian ancient city")
    sources = kb.sources([f["source"] for f in liqian["facts"]])
    context = browser.new_context()
    page = context.new_page()
    with recorded(page, "guidance"):
        page.goto(site.web_url, timeout=PAGE_TIMEOUT_MS)
        wait_for_reply(page, 0, "Hello")

        # The answer, with a small line naming the paragraph; hover shows the sentence, a click too.
        assert ask(page, "Tell me about Liqian ancient city", liqian["summary"][:60]) == liqian["summary"]
        link = page.locator(RESPONSES).last.locator(SOURCE_LINK)
        assert link.inner_text() == f"From the city document, paragraph {sources[0]['paragraph']}"
        link.hover()
        assert link.get_attribute("title") == " ".join(s["sentence"] for s in sources)
        link.click()
        shown = page.locator(RESPONSES).last.locator(".source-sentence")
        assert shown.inner_text() == " ".join(s["sentence"] for s in sources)

        # The suggestions under it: one click answers it.
        assert page.locator(BUTTONS, has_text="Where is it?").is_visible()
        where = click(page, "Where is it?", liqian["location"]["text"])
        assert where == f"{liqian['name']} is {liqian['location']['text']}."

        # A name of a county and of an attraction: the assistant asks, the pick answers.
        reference, meanings = kb.meanings("Tell me about Yongchang")
        assert len(meanings) == 2
        asked = ask(page, "Tell me about Yongchang", "Do you mean")
        assert all(meaning in asked for meaning in meanings)
        memorial = kb.attraction(meanings[1])
        picked = click(page, meanings[1], memorial["summary"][:60])
        assert picked == memorial["summary"]
    context.close()
