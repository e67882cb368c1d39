"""End to end: REST, socket.io, Matrix and WeChat give the same answers to the same questions."""

import asyncio
import secrets
from typing import List, Tuple

import pytest
import socketio

from tests.e2e.matrix import MatrixSetup
from tests.e2e.messages import read_numbered_list, without_source_line
from tests.e2e.wechat import WeChatSender, openid

pytestmark = pytest.mark.e2e

QUESTIONS = [
    "Where is Jinchang?",  # a city fact
    "Tell me about Shengrong Temple",  # an attraction
    "where is it?",  # a follow-up about that attraction
    "How much does a hotel room cost in Jinchang?",  # not in the document
    "hello",  # a greeting with buttons
]

# An answer as a visitor reads it: the text, the titles of its buttons, then the document
# sentences it cites (Matrix and WeChat show those only when asked: "source?").
Answer = Tuple[str, Tuple[str, ...], Tuple[str, ...]]


def over_rest(matrix: MatrixSetup) -> List[Answer]:
    sender = f"rest-{secrets.token_hex(4)}"
    answers = []
    for question in QUESTIONS:
        messages = matrix.servers.ask(sender, question)
        text = "\n\n".join(m["text"] for m in messages if m.get("text"))
        buttons = tuple(b["title"] for m in messages for b in m.get("buttons") or [])
        sources = tuple(s["sentence"] for m in messages for s in (m.get("custom") or {}).get("sources", []))
        answers.append((text, buttons, sources))
    return answers


async def _over_socketio(url: str, quiet: float = 1.0, timeout: float = 30.0) -> List[Answer]:
    client = socketio.AsyncClient()
    received: List[dict] = []
    client.on("bot_uttered", received.append)
    session = f"sio-{secrets.token_hex(4)}"
    await client.connect(url, transports=["websocket"])
    try:
        await client.emit("session_request", {"session_id": session})
        answers = []
        for question in QUESTIONS:
            received.clear()
            await client.emit("user_uttered", {"message": question, "session_id": session})
            loop = asyncio.get_running_loop()
            deadline, count, changed = loop.time() + timeout, 0, loop.time()
            while not (received and len(received) == count and loop.time() - changed >= quiet):
                assert loop.time() < deadline, f"no socket.io answer to {question!r}"
                if len(received) != count:
                    count, changed = len(received), loop.time()
                await asyncio.sleep(0.1)
            text = "\n\n".join(without_source_line(m) for m in received if m.get("text"))
            buttons = tuple(b["title"] for m in received for b in m.get("quick_replies") or [])
            sources = tuple(
                s["sentence"] for m in received for s in (m.get("metadata") or {}).get("sources", [])
            )
            answers.append((text, buttons, sources))
        return answers
    finally:
        await client.disconnect()


def over_socketio(matrix: MatrixSetup) -> List[Answer]:
    return asyncio.run(_over_socketio(f"http://localhost:{matrix.servers.rasa_port}"))


def over_matrix(matrix: MatrixSetup) -> List[Answer]:
    visitor = matrix.synapse.register(f"agree{secrets.token_hex(3)}", secrets.token_hex(12))
    room = visitor.create_room(invite=[matrix.bot.user_id])
    visitor.wait_for_member(room, matrix.bot.user_id)
    answers = []
    for question in QUESTIONS:
        parts = [read_numbered_list(m) for m in visitor.ask(room, matrix.bot.user_id, question)]
        answers.append(
            ("\n\n".join(text for text, _ in parts), tuple(t for _, titles in parts for t in titles), ())
        )
    return answers


def over_wechat(matrix: MatrixSetup) -> List[Answer]:
    wechat = WeChatSender(f"http://localhost:{matrix.servers.rasa_port}/webhooks/wechat/webhook")
    visitor = openid()
    return [(*read_numbered_list(wechat.ask(visitor, question) or ""), ()) for question in QUESTIONS]


def test_rest_socketio_matrix_and_wechat_agree(matrix):
    rest, sio, over_mx = over_rest(matrix), over_socketio(matrix), over_matrix(matrix)
    over_wx = over_wechat(matrix)
    for question, by_rest, by_sio, by_matrix, by_wechat in zip(QUESTIONS, rest, sio, over_mx, over_wx):
        assert by_rest[0], f"no REST answer to {question!r}"
        assert by_sio == by_rest, question
        assert by_matrix[:2] == by_rest[:2], question
        assert by_wechat[:2] == by_rest[:2], question
    assert rest[-1][1], "the greeting has buttons"
    assert rest[0][2] and rest[1][2], "a city fact and an attraction cite the document"
