"""The web chat across several Sanic workers: each socket.io session stays with the worker
that opened it.

An engine.io session lives in the memory of one process. With several workers
(SANIC_WORKERS) on one port the kernel hands every new TCP connection to any of them, and
the widget (rasa-webchat 1.0.1 cannot be told to skip long-polling) opens several: the
handshake, a long-poll, a POST, the websocket upgrade. So here:

- each worker knows its number and every worker's private port on 127.0.0.1
  (server/rasa_server.py sets WORKER_ENV and PORTS_ENV and serves the app there too);
- a session id starts with the number of the worker that made it ("1.Xc9...");
- a request of a session another worker owns is passed on to that worker's private port,
  whole: a polling request as HTTP, a websocket upgrade as a websocket bridged both ways.

With one worker (no WORKER_ENV) nothing is passed on and session ids are engine.io's own.
"""

import asyncio
import logging
import os
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Dict, List, Mapping, Optional

import aiohttp
import engineio
from sanic import response
from sanic.compat import Header
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

WORKER_ENV = "RASA_WORKER"  # this worker's number, 0 to n-1
PORTS_ENV = "RASA_WORKER_PORTS"  # every worker's private port, in worker order, comma-separated
SEPARATOR = "."  # not in engine.io's id alphabet (URL-safe base64)
# A long-poll waits up to the ping interval for the server's next packet; a passed-on request
# waits longer (a bridged websocket has no time limit: engine.io pings it every 25 s).
FORWARD_TIMEOUT = 90.0
# Hop-by-hop headers, and those the answer's framing sets again.
NOT_FORWARDED = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "upgrade"}
# Headers of the owner's answer that the worker passing it on sets itself: its own CORS middleware
# (Sanic-Cors, the same settings in every worker) adds them to every answer it sends, so the
# owner's would come twice ("Access-Control-Allow-Origin: x, x"), and browsers refuse that.
SET_AGAIN = ("access-control-", "vary")


@dataclass(frozen=True)
class Workers:
    """This worker's number and every worker's private port."""

    index: int
    ports: List[int]

    @classmethod
    def from_env(cls, env: Optional[Dict[str, str]] = None) -> Optional["Workers"]:
        """The workers set up by server/rasa_server.py; None for a single process."""
        env = os.environ if env is None else env
        try:
            index = int(env[WORKER_ENV])
            ports = [int(port) for port in env[PORTS_ENV].split(",")]
        except (KeyError, ValueError):
            return None
        return cls(index, ports) if 0 <= index < len(ports) and len(ports) > 1 else None

    def session_id(self, engineio_id: str) -> str:
        """A session id that names this worker."""
        return f"{self.index}{SEPARATOR}{engineio_id}"

    def owner_port(self, sid: Optional[str]) -> Optional[int]:
        """The private port of the worker that owns the session, when it is another worker."""
        number, separator, _ = (sid or "").partition(SEPARATOR)
        if not separator or not number.isdigit():
            return None
        owner = int(number)
        return self.ports[owner] if owner != self.index and owner < len(self.ports) else None


def forwarded_headers(request: Request) -> Dict[str, str]:
    """The request's headers worth passing on (Origin included: the owner checks it again)."""
    return {name: value for name, value in request.headers.items() if name.lower() not in NOT_FORWARDED}


def answer_headers(headers: Mapping[str, str]) -> Header:
    """The headers of the owner's answer to pass back: without hop-by-hop and framing
    headers, and without those this worker's CORS middleware sets again (SET_AGAIN)."""
    passed = Header()
    for name, value in headers.items():
        lowered = name.lower()
        if lowered not in NOT_FORWARDED and not lowered.startswith(SET_AGAIN):
            passed.add(name, value)
    return passed


class WorkerEngineIO(engineio.AsyncServer):
    """engine.io that keeps each session with the worker that opened it (module docstring)."""

    _client: Optional[aiohttp.ClientSession] = None

    @cached_property
    def workers(self) -> Optional[Workers]:
        """The workers, read when the first request comes: the server is made before Sanic
        forks its workers, and only they are told their number."""
        return Workers.from_env()

    def generate_id(self) -> str:
        engineio_id = super().generate_id()
        return self.workers.session_id(engineio_id) if self.workers else engineio_id

    async def handle_request(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        port = self.workers.owner_port(request.args.get("sid")) if self.workers else None
        if port is None:
            return await super().handle_request(request, *args, **kwargs)
        url = f"http://127.0.0.1:{port}{request.path}?{request.query_string}"
        try:
            if request.headers.get("upgrade", "").lower() == "websocket":
                return await self._bridge(request, url)
            return await self._forward(request, url)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            logger.warning(
                "Could not reach the worker of socket.io session %s: %s", request.args.get("sid"), error
            )
            return response.text("The chat session's worker is not reachable", status=502)

    def client(self) -> aiohttp.ClientSession:
        """The HTTP client to the other workers (made in the worker's own event loop)."""
        if self._client is None or self._client.closed:
            self._client = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=FORWARD_TIMEOUT), auto_decompress=False
            )
        return self._client

    async def _forward(self, request: Request, url: str) -> HTTPResponse:
        """A polling request passed on to the owner; its answer returned as it came."""
        async with self.client().request(
            request.method, url, headers=forwarded_headers(request), data=request.body
        ) as answer:
            body = await answer.read()
            return HTTPResponse(body, status=answer.status, headers=answer_headers(answer.headers))

    async def _bridge(self, request: Request, url: str) -> HTTPResponse:
        """A websocket upgrade bridged to the owner: every frame passed on both ways until
        either side closes."""
        async with self.client().ws_connect(
            url,
            headers=forwarded_headers(request),
            timeout=aiohttp.ClientWSTimeout(ws_close=10.0),
            autoping=True,
        ) as owner:
            visitor = await request.transport.get_protocol().websocket_handshake(request)

            async def to_owner() -> None:
                while True:
                    data = await visitor.recv()
                    if data is None:
                        return
                    await (owner.send_bytes(data) if isinstance(data, bytes) else owner.send_str(data))

            async def to_visitor() -> None:
                async for message in owner:
                    if message.type not in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                        return
                    await visitor.send(message.data)

            tasks = [asyncio.ensure_future(to_owner()), asyncio.ensure_future(to_visitor())]
            try:
                await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                await visitor.close()
        return response.empty()
