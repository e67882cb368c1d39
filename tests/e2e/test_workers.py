"""The default set-up with two Sanic workers: the web chat keeps each socket.io session with
its worker whichever worker a request reaches, and 50 visitors at once on the embedded
SQLite stores get every answer, every event stored once and in order."""

import asyncio
import json
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any, Iterator, List, Set, Tuple

import aiohttp
import pytest
import yaml

from server.serve import STARTUP_TIMEOUT, Servers
from tests.e2e.test_production import chat_everywhere, stored_answers, texts
from tools.bench import CONVERSATION

pytestmark = pytest.mark.e2e

ORIGIN = "http://localhost:8080"  # the page origin the servers accept by default
QUESTION = "Where is Jinchang?"
SESSIONS = 12  # each with several requests on new connections: all on the owner is 2**-36
VISITORS = 50
RECORD = "\x1e"  # engine.io's separator of packets in one polling answer


@pytest.fixture(scope="module")
def servers(make_servers) -> Iterator[Servers]:
    """The default servers (SQLite conversation and lock stores) with two workers."""
    with make_servers(env={"SANIC_WORKERS": "2"}) as running:
        yield running


def fresh_connections() -> aiohttp.ClientSession:
    """A client opening a new TCP connection for every request: the kernel hands each to
    either worker."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(force_close=True),
        headers={"Origin": ORIGIN},
        timeout=aiohttp.ClientTimeout(total=60),
    )


def allowed_once(response: aiohttp.ClientResponse) -> None:
    """What a browser checks before it hands an answer to the page: one Access-Control-Allow-Origin,
    the page's (a passed-on answer once carried the owner's and the forwarder's: "x, x")."""
    assert response.headers.getall("Access-Control-Allow-Origin", []) == [ORIGIN], response.headers


class Polling:
    """A socket.io client on engine.io long-polling, one new connection per request."""

    def __init__(self, client: aiohttp.ClientSession, base: str) -> None:
        self.client, self.base, self.sid = client, base, ""

    @property
    def url(self) -> str:
        return f"{self.base}/socket.io/?EIO=4&transport=polling" + (f"&sid={self.sid}" if self.sid else "")

    async def get(self) -> List[str]:
        async with self.client.get(self.url) as response:
            body = await response.text()
            assert response.status == 200, f"GET for session {self.sid}: {response.status} {body}"
            allowed_once(response)
            return body.split(RECORD)

    async def post(self, packet: str) -> None:
        async with self.client.post(self.url, data=packet.encode()) as response:
            body = await response.text()
            assert response.status == 200, f"POST for session {self.sid}: {response.status} {body}"
            allowed_once(response)

    async def open(self) -> None:
        """The engine.io handshake, then the socket.io connection."""
        (handshake,) = await self.get()
        self.sid = json.loads(handshake[1:])["sid"]
        await self.post("40")
        assert (await self.get())[0].startswith("40")

    async def emit(self, event: str, data: Any) -> None:
        await self.post("42" + json.dumps([event, data]))

    async def receive(self, event: str) -> Any:
        """The data of the next `event` from the server (pings answered meanwhile)."""
        while True:
            for packet in await self.get():
                if packet == "2":
                    await self.post("3")
                elif packet.startswith("42"):
                    name, data = json.loads(packet[2:])[:2]
                    if name == event:
                        return data


async def polling_chat(base: str, question: str) -> Tuple[str, str]:
    """A widget conversation on long-polling: its session id and the bot's answer."""
    async with fresh_connections() as client:
        chat = Polling(client, base)
        await chat.open()
        session = uuid.uuid4().hex
        await chat.emit("session_request", {"session_id": session})
        assert await chat.receive("session_confirm") == session
        await chat.emit("user_uttered", {"message": question, "session_id": session})
        answer = await chat.receive("bot_uttered")
        return chat.sid, answer["text"]


async def websocket_chat(base: str, question: str) -> Tuple[str, str]:
    """A widget conversation that opens on long-polling (on one kept-alive connection, so at
    the worker that made the session) and upgrades to a websocket on a new connection (which
    may reach the other worker): its session id and the bot's answer."""
    kept_alive = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1), headers={"Origin": ORIGIN})
    async with kept_alive, fresh_connections() as client:
        chat = Polling(kept_alive, base)
        await chat.open()
        url = chat.url.replace("http://", "ws://").replace("transport=polling", "transport=websocket")
        async with client.ws_connect(url) as socket:
            await socket.send_str("2probe")
            assert await socket.receive_str(timeout=20) == "3probe"
            await socket.send_str("5")  # the upgrade
            session = uuid.uuid4().hex
            await socket.send_str("42" + json.dumps(["session_request", {"session_id": session}]))
            await socket.send_str(
                "42" + json.dumps(["user_uttered", {"message": question, "session_id": session}])
            )
            while True:
                packet = await socket.receive_str(timeout=30)
                if packet.startswith("42"):
                    name, data = json.loads(packet[2:])[:2]
                    if name == "bot_uttered":
                        return chat.sid, data["text"]


def base_url(servers: Servers) -> str:
    return f"http://localhost:{servers.rasa_port}"


def test_both_workers_open_web_chat_sessions(servers):
    """Also waits for the second worker: the servers answer as soon as the first has loaded
    its model, and the kernel hands new connections only to the workers listening."""

    async def handshakes() -> Set[str]:
        workers: Set[str] = set()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        async with fresh_connections() as client:
            while workers != {"0", "1"} and time.monotonic() < deadline:
                chat = Polling(client, base_url(servers))
                workers.add(json.loads((await chat.get())[0][1:])["sid"].split(".")[0])
                await asyncio.sleep(0.2)
        return workers

    workers = asyncio.run(handshakes())
    assert workers == {"0", "1"}, f"sessions opened by workers {workers}"


@pytest.mark.parametrize(
    "chat",
    [polling_chat, websocket_chat],
    ids=["long-polling, every request on a new connection", "websocket upgrade"],
)
def test_web_chats_get_their_answers_whichever_worker_a_request_reaches(servers, chat):
    rest = texts(servers.ask(f"rest-{uuid.uuid4().hex[:8]}", QUESTION))

    async def chats() -> List[Tuple[str, str]]:
        return await asyncio.gather(*(chat(base_url(servers), QUESTION) for _ in range(SESSIONS)))

    for sid, answer in asyncio.run(chats()):
        assert answer.split("  \n[From the city document")[0] == rest.split("\n")[0], sid


def stored_events(database: Path, sender: str) -> List[Tuple[str, dict]]:
    """A conversation's user and bot events, in the order they were stored."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? AND type_name IN ('user', 'bot') ORDER BY id",
            (sender,),
        ).fetchall()
    return [(kind, json.loads(data)) for kind, data in rows]


def test_fifty_visitors_on_two_workers_get_every_answer_and_every_event_is_stored_once(servers):
    database = Path(yaml.safe_load(servers.endpoints.read_text())["tracker_store"]["db"])
    calm = asyncio.run(chat_everywhere([servers.rest_url], ["calm-visitor"]))["calm-visitor"]
    senders = [f"load-{n}-{uuid.uuid4().hex[:6]}" for n in range(VISITORS)]
    replies = asyncio.run(chat_everywhere([servers.rest_url], senders))

    wrong = {s: r for s, r in replies.items() if r != calm}
    assert not wrong, f"{len(wrong)} visitors got other answers, e.g. {next(iter(wrong.items()))}"
    for sender in senders:
        events = stored_events(database, sender)
        assert [data["text"] for kind, data in events if kind == "user"] == CONVERSATION, sender
        assert stored_answers(events) == calm, f"{sender}: stored answers differ"
