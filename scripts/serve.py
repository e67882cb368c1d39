"""Start the action server and the Rasa server, wait until both answer, stop both on exit.

Used by `make run` (in the foreground until Ctrl-C) and by the end-to-end tests.
"""

import argparse
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import List, Optional, Type

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = 240.0


class SetupError(RuntimeError):
    """Something the servers need is missing; the message says how to fix it."""


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on the port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port nothing listens on, for tests."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> Optional[str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


class Servers:
    """The action server and the Rasa server as child processes (a context manager)."""

    def __init__(
        self,
        model: Path,
        endpoints: Path = ROOT / "endpoints.yml",
        credentials: Path = ROOT / "credentials.yml",
        rasa_port: int = 5005,
        actions_port: int = 5055,
        cors: str = "http://localhost:8080",
        log_dir: Optional[Path] = None,
    ) -> None:
        self.model, self.endpoints, self.credentials = model, endpoints, credentials
        self.rasa_port, self.actions_port, self.cors = rasa_port, actions_port, cors
        self.log_dir = log_dir
        self.processes: List[subprocess.Popen] = []

    @property
    def rest_url(self) -> str:
        """The REST channel webhook."""
        return f"http://localhost:{self.rasa_port}/webhooks/rest/webhook"

    def check(self) -> None:
        """Fail early, saying what is wrong, when a model or a port is not available."""
        if not self.model.is_file():
            raise SetupError(f"no trained model at {self.model}: run `make train`")
        for name, port in (("Rasa server", self.rasa_port), ("action server", self.actions_port)):
            if not port_free(port):
                raise SetupError(
                    f"port {port} for the {name} is in use: stop the program using it "
                    f"(see `lsof -i :{port}` or `ss -ltnp`) or choose other ports "
                    "(make run RASA_PORT=... ACTIONS_PORT=...)"
                )

    def start(self) -> None:
        """Start both servers and wait until each answers."""
        self.check()
        (ROOT / "var").mkdir(exist_ok=True)
        env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
        self._spawn(
            "actions",
            [str(BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "-p", str(self.actions_port)],
            env,
        )
        self._spawn(
            "rasa",
            [
                str(BIN / "rasa"),
                "run",
                "--model",
                str(self.model),
                "--endpoints",
                str(self.endpoints),
                "--credentials",
                str(self.credentials),
                "--port",
                str(self.rasa_port),
                "--cors",
                self.cors,
            ],
            env,
        )
        self._wait(f"http://localhost:{self.actions_port}/health", "action server")
        self._wait(f"http://localhost:{self.rasa_port}/webhooks/rest/", "Rasa server")

    def _spawn(self, name: str, command: List[str], env: dict) -> None:
        output = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            output = open(self.log_dir / f"{name}.log", "ab")
        self.processes.append(
            subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT if output else None
            )
        )

    def _wait(self, url: str, name: str) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    self.stop()
                    raise SetupError(
                        f"the {name} stopped while starting (exit {process.returncode}): see its log"
                    )
            if _get(url) is not None:
                return
            time.sleep(0.5)
        self.stop()
        raise SetupError(f"the {name} did not answer at {url} within {STARTUP_TIMEOUT:.0f} s")

    def stop(self) -> None:
        """Stop both servers (politely, then firmly)."""
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def ask(self, sender: str, text: str) -> List[dict]:
        """Send one message over REST and return the bot's messages."""
        body = json.dumps({"sender": sender, "message": text}).encode("utf-8")
        request = urllib.request.Request(
            self.rest_url, data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"[]")

    def __enter__(self) -> "Servers":
        self.start()
        return self

    def __exit__(
        self,
        kind: Optional[Type[BaseException]],
        error: Optional[BaseException],
        trace: Optional[TracebackType],
    ) -> None:
        self.stop()


def main(argv: Optional[List[str]] = None) -> int:
    """`make run`: serve in the foreground until Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "jinchang.tar.gz")
    parser.add_argument("--rasa-port", type=int, default=int(os.environ.get("RASA_PORT", 5005)))
    parser.add_argument("--actions-port", type=int, default=int(os.environ.get("ACTIONS_PORT", 5055)))
    parser.add_argument("--cors", default=os.environ.get("CORS_ORIGIN", "http://localhost:8080"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    servers = Servers(args.model, rasa_port=args.rasa_port, actions_port=args.actions_port, cors=args.cors)
    try:
        servers.start()
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        "\nThe Jinchang visitor assistant is ready.\n"
        f"  REST:      curl -s -X POST {servers.rest_url} "
        '-H \'Content-Type: application/json\' -d \'{"sender": "me", "message": "Where is Jinchang?"}\'\n'
        f"  socket.io: http://localhost:{args.rasa_port}/socket.io (for the rasa-webchat widget)\n"
        "  terminal:  make shell\n"
        "Press Ctrl-C to stop both servers.\n",
        flush=True,
    )
    try:
        while all(p.poll() is None for p in servers.processes):
            time.sleep(1)
        print("error: a server stopped unexpectedly; see the output above", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...")
        return 0
    finally:
        servers.stop()


if __name__ == "__main__":
    sys.exit(main())
