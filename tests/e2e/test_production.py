"""The production configuration (endpoints.production.yml): two Rasa servers share PostgreSQL
and the Redis lock store while 50 visitors chat at once; then the faults a long-running
guide meets (action server, database or Redis gone) get a bounded, polite answer."""

import asyncio
import json
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import aiohttp
import pytest

from actions.replies import render
from server.serve import Servers, free_port
from tools.bench import CONVERSATION, production_servers
from tools.services import Postgres, Redis, Service

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "jinchang.tar.gz"
LOGS = ROOT / "results" / "e2e"
VISITORS = 50


@pytest.fixture(scope="module")
def services(tmp_path_factory) -> Iterator[Tuple[Postgres, Redis]]:
    """A fresh PostgreSQL and Redis for this module."""
    if not MODEL.is_file():
        pytest.fail(f"no model at {MODEL}: run `make train` (make e2e does)")
    folder = tmp_path_factory.mktemp("production")
    with Postgres(free_port(), folder / "postgres") as postgres, Redis(
        free_port(), folder / "redis"
    ) as redis:
        yield postgres, redis


@pytest.fixture(scope="module")
def two_servers(services) -> Iterator[List[Servers]]:
    """Two Rasa servers (each with its action server; 1 and 2 workers) sharing PostgreSQL and Redis."""
    # The second server has two Sanic workers: turns of one conversation also move between them.
    first, second = (production_servers(*services, workers, LOGS) for workers in (1, 2))
    with first, second:
        yield [first, second]


async def post(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> List[dict]:
    """One REST message; the bot's messages."""
    async with session.post(url, json={"sender": sender, "message": text}) as response:
        assert response.status == 200, await response.text()
        return await response.json()


def texts(messages: List[dict]) -> str:
    """What a visitor reads: every message text and button title."""
    parts = [m.get("text") or "" for m in messages]
    return "\n".join(parts + [b["title"] for m in messages for b in m.get("buttons") or []])


async def chat_everywhere(urls: List[str], senders: List[str]) -> Dict[str, List[str]]:
    """Every sender has the whole conversation at once, turn i going to server (visitor + i) % 2."""

    async def visitor(session: aiohttp.ClientSession, number: int, sender: str) -> List[str]:
        return [
            texts(await post(session, urls[(number + turn) % len(urls)], sender, text))
            for turn, text in enumerate(CONVERSATION)
        ]

    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        replies = await asyncio.gather(*(visitor(session, n, s) for n, s in enumerate(senders)))
    return dict(zip(senders, replies))


def stored_events(postgres: Postgres, sender: str) -> List[Tuple[str, dict]]:
    """A conversation's user and bot events, in the order they were stored."""
    rows = postgres.query(
        "SELECT type_name, data FROM events WHERE sender_id = '{}' "
        "AND type_name IN ('user', 'bot') ORDER BY id".format(sender.replace("'", "''"))
    )
    return [(kind, json.loads(data)) for kind, data in rows]


def stored_answers(events: List[Tuple[str, dict]]) -> List[str]:
    """What the visitor read after each stored user message, from the stored bot events."""
    answered: List[List[dict]] = []
    for kind, data in events:
        if kind == "user":
            answered.append([])
        else:
            answered[-1].append({"text": data.get("text"), "buttons": data["data"].get("buttons")})
    return [texts(turn) for turn in answered]


def test_fifty_visitors_on_two_servers_get_every_answer_and_every_event_is_stored(two_servers, services, kb):
    postgres, _ = services
    urls = [servers.rest_url for servers in two_servers]
    # The answers of a calm conversation with one server are what every visitor must get.
    calm = asyncio.run(chat_everywhere(urls[:1], ["calm-visitor"]))["calm-visitor"]
    liqian = kb.attraction("Liqian ancient city")
    assert liqian["name"] in calm[4] and liqian["location"]["text"] in calm[5]
    assert kb.city["population"]["text"] in calm[2]

    senders = [f"load-{n}-{uuid.uuid4().hex[:6]}" for n in range(VISITORS)]
    started = time.monotonic()
    replies = asyncio.run(chat_everywhere(urls, senders))
    elapsed = time.monotonic() - started

    wrong = {s: r for s, r in replies.items() if r != calm}
    assert not wrong, f"{len(wrong)} visitors got other answers, e.g. {next(iter(wrong.items()))}"
    for sender in senders:
        events = stored_events(postgres, sender)
        said = [data["text"] for kind, data in events if kind == "user"]
        assert said == CONVERSATION, f"{sender}: stored {said}"
        assert stored_answers(events) == calm, f"{sender}: stored answers differ"
    print(f"{VISITORS * len(CONVERSATION)} messages in {elapsed:.1f} s on two servers")


def ask_timed(servers: Servers, text: str) -> Tuple[float, str]:
    """Seconds until the reply, and what the visitor reads."""
    started = time.monotonic()
    reply = texts(servers.ask(f"fault-{uuid.uuid4().hex[:8]}", text))
    return time.monotonic() - started, reply


def test_while_the_action_server_is_down_visitors_get_an_apology_then_answers_again(
    two_servers, services, kb
):
    servers = two_servers[0]
    apology = render("unavailable")["text"]
    servers.stop_actions()
    seconds, reply = ask_timed(servers, "Where is Jinchang?")
    assert reply == apology and seconds < 2.0
    servers.start_actions()
    seconds, reply = ask_timed(servers, "Where is Jinchang?")
    assert kb.city["province"]["value"] in reply


def ask_while_down(service: Service, servers: Servers, text: str) -> Tuple[bytes, float, str]:
    """Ask with `service` stopped (and started again after): what the Rasa servers logged
    meanwhile, the seconds until the reply, and the reply."""
    log = LOGS / "rasa.log"
    service.stop()
    before = log.stat().st_size
    try:
        seconds, reply = ask_timed(servers, text)
    finally:
        service.start()
    with open(log, "rb") as lines:
        lines.seek(before)
        return lines.read(), seconds, reply


def test_while_postgres_is_down_rasa_answers_from_memory_and_says_so_in_the_log(two_servers, services, kb):
    postgres, _ = services
    log, seconds, reply = ask_while_down(postgres, two_servers[1], "What is the area of Jinchang?")
    # Rasa's fail-safe tracker store keeps the turn in memory: the visitor still gets the answer.
    assert kb.city["area"]["text"] in reply and seconds < 15.0
    assert b"Error happened when trying to save conversation tracker to 'SQLTrackerStore'" in log


def test_while_redis_is_down_visitors_get_an_apology_then_answers_again(two_servers, services, kb):
    _, redis = services
    log, seconds, reply = ask_while_down(redis, two_servers[1], "What is the area of Jinchang?")
    assert reply == render("unavailable")["text"] and seconds < 15.0
    assert b"Could not answer" in log and b"LockError" in log
    seconds, reply = ask_timed(two_servers[1], "What is the area of Jinchang?")
    assert kb.city["area"]["text"] in reply
