"""Start the Rasa server, wait until it answers, stop it on exit.

The custom actions run inside the Rasa server's processes (endpoints.yml's `actions_module`,
server/rasa_server.py 7). When the endpoints file gives the action endpoint a `url` instead
(endpoints.production.yml), the action server is started too, on `actions_port`. With a web
port, also serve the web chat page (server/web.py) once the Rasa server answers. While
serving (`make run`), a server that ends is started again after a pause (Servers.watch; the
Rasa server's own supervisor does the same for each of its workers, server/supervise.py).
Used by `make run` (in the foreground until Ctrl-C or SIGTERM) and by the end-to-end tests.
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
from typing import Dict, List, Optional, Type

import yaml

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as `python server/serve.py` (make run)
    sys.path.insert(0, str(ROOT))

from channels.origins import exact_origins  # noqa: E402
from server.supervise import Restarts, how_it_ended  # noqa: E402
from server.web import WebServer, WebSetupError  # noqa: E402

logger = logging.getLogger(__name__)

BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = 240.0
DEFAULT_WEB_PORT = 8080
NAMES = {"rasa": "Rasa server", "actions": "action server"}


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


def interrupt(signum: int, frame: object) -> None:
    """SIGTERM handled as Ctrl-C: the servers are stopped, not left running."""
    raise KeyboardInterrupt


def workers() -> str:
    """How many Sanic workers the Rasa server runs: SANIC_WORKERS, by default one per CPU
    (the conversation and lock stores of endpoints.yml are shared by all of them)."""
    return os.environ.get("SANIC_WORKERS") or str(len(os.sched_getaffinity(0)) or 1)


def _get(url: str) -> Optional[str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def stop_process(process: subprocess.Popen) -> None:
    """Stop a server child politely (SIGINT), then firmly."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Servers:
    """The Rasa server as a child process, the action server too when the endpoints give it a
    url, and the web chat page when given a web port (a context manager)."""

    def __init__(
        self,
        model: Path,
        endpoints: Path = ROOT / "endpoints.yml",
        credentials: Path = ROOT / "credentials.yml",
        rasa_port: int = 5005,
        actions_port: int = 5055,
        cors: Optional[str] = None,
        log_dir: Optional[Path] = None,
        web_port: Optional[int] = None,
        env: Optional[Dict[str, str]] = None,
        enable_api: bool = False,
    ) -> None:
        self.model, self.endpoints, self.credentials = model, endpoints, credentials
        self.rasa_port, self.actions_port, self.web_port = rasa_port, actions_port, web_port
        # The origin allowed to call the Rasa server from a browser: by default the web page's.
        self.cors = cors or f"http://localhost:{web_port or DEFAULT_WEB_PORT}"
        self.log_dir = log_dir
        self.env = env or {}  # added to this process's environment for both servers
        self.enable_api = enable_api
        self.processes: Dict[str, subprocess.Popen] = {}
        self.restarts: Dict[str, Restarts] = {}
        self.due: Dict[str, float] = {}  # a server that ended: when to start it again
        self.web: Optional[WebServer] = None
        if web_port is not None:
            self.web = WebServer(web_port, socket_url=f"http://localhost:{rasa_port}")

    @property
    def action_server(self) -> bool:
        """True when the endpoints send actions to an action server (a `url`), which is then
        started; otherwise the Rasa server runs them itself (`actions_module`)."""
        return bool(self._action_endpoint().get("url"))

    def _action_endpoint(self) -> dict:
        config = yaml.safe_load(self.endpoints.read_text(encoding="utf-8")) or {}
        return config.get("action_endpoint") or {}

    @property
    def rest_url(self) -> str:
        """The REST channel webhook."""
        return f"http://localhost:{self.rasa_port}/webhooks/rest/webhook"

    @property
    def web_url(self) -> Optional[str]:
        """The web chat page, when it is served."""
        return self.web.url if self.web is not None else None

    def check(self) -> None:
        """Fail early, saying what is wrong, when a model or a port is not available."""
        if not self.model.is_file():
            raise SetupError(f"no trained model at {self.model}: run `make train`")
        if self.enable_api and not self._api_token():
            raise SetupError("the HTTP API needs a token: set RASA_API_TOKEN (see .env.example)")
        try:
            exact_origins(self.cors)
        except ValueError as error:
            raise SetupError(f"CORS_ORIGIN: {error}") from error
        ports = [("Rasa server", self.rasa_port)]
        if self.action_server:
            ports.append(("action server", self.actions_port))
        if self.web is not None:
            try:
                self.web.check()
            except WebSetupError as error:
                raise SetupError(str(error)) from error
            ports.append(("web page", self.web.port))
        for name, port in ports:
            if not port_free(port):
                raise SetupError(
                    f"port {port} for the {name} is in use: stop the program using it "
                    f"(see `lsof -i :{port}` or `ss -ltnp`) or choose other ports "
                    "(make run RASA_PORT=... ACTIONS_PORT=... WEB_PORT=...)"
                )

    def start(self) -> None:
        """Start the servers and wait until each answers."""
        self.check()
        (ROOT / "var").mkdir(exist_ok=True)
        action_server = self.action_server
        if action_server:  # both start at once: the Rasa server takes longest (loading the model)
            self._spawn_actions()
        self._spawn_rasa()
        if action_server:
            self._wait(f"http://localhost:{self.actions_port}/health", "action server")
        self._wait(f"http://localhost:{self.rasa_port}/webhooks/rest/", "Rasa server")
        if self.web is not None:
            try:
                self.web.start()
            except OSError as error:
                self.stop()
                raise SetupError(f"the web page cannot be served on port {self.web.port}: {error}") from error

    def start_actions(self) -> None:
        """Start the action server again and wait until it answers."""
        self._spawn_actions()
        self._wait(f"http://localhost:{self.actions_port}/health", "action server")

    def _spawn_rasa(self) -> None:
        # One TensorFlow thread per operation: parallelism comes from Sanic workers
        # (SANIC_WORKERS), and idle TensorFlow threads of one worker spinning beside the
        # busy one slowed every answer (README "Speed").
        threads = os.environ.get("TF_INTRA_OP_PARALLELISM_THREADS", "1")
        self._spawn(
            "rasa", self._rasa_command(), TF_INTRA_OP_PARALLELISM_THREADS=threads, SANIC_WORKERS=workers()
        )

    def watch(self) -> None:
        """Start again a server that ended, after a pause (server.supervise.Restarts), saying so:
        `make run` keeps serving. Called every half second while serving."""
        now = time.monotonic()
        for name, process in list(self.processes.items()):
            if process.poll() is None or name in self.due:
                continue
            pause = self.restarts.setdefault(name, Restarts()).ended()
            self.due[name] = now + pause
            logger.warning(
                "The %s (pid %d) %s; starting it again in %.0f s",
                NAMES[name],
                process.pid,
                how_it_ended(process.returncode),
                pause,
            )
        for name, when in list(self.due.items()):
            if now >= when:
                del self.due[name]
                spawn = self._spawn_rasa if name == "rasa" else self._spawn_actions
                spawn()
                self.restarts[name].start()
                logger.warning("The %s started again (pid %d)", NAMES[name], self.processes[name].pid)

    def _spawn_actions(self) -> None:
        # Only the Rasa server calls the action server: it listens on localhost alone.
        # rasa_sdk without TensorFlow, see server/action_server.py
        command = [str(BIN / "python"), "-m", "server.action_server", "--actions", "actions"]
        self._spawn("actions", command + ["-p", str(self.actions_port)], SANIC_HOST="127.0.0.1")

    def stop_actions(self) -> None:
        """Stop the action server alone (to see what visitors get while it is down)."""
        self._stop(self.processes.pop("actions"))

    def _rasa_command(self) -> List[str]:
        command = [str(BIN / "python"), "-m", "server.rasa_server", "run"]  # `rasa run`, see there
        command += ["--model", str(self.model), "--endpoints", str(self._endpoints_for_actions())]
        command += ["--credentials", str(self.credentials), "--port", str(self.rasa_port)]
        command += ["--cors", *self.cors.replace(",", " ").split()]
        if self.enable_api:
            command += ["--enable-api", "--auth-token", self._api_token()]
        return command

    def _endpoints_for_actions(self) -> Path:
        """The endpoints file, pointing at this action server's port: `make run
        ACTIONS_PORT=...` must not send actions to another server on the default port.
        Actions run in the Rasa server (no url): the file as it is."""
        config = yaml.safe_load(self.endpoints.read_text(encoding="utf-8")) or {}
        url = (config.get("action_endpoint") or {}).get("url", "")
        wanted = f"http://localhost:{self.actions_port}/webhook"
        if not url or url == wanted:
            return self.endpoints
        config["action_endpoint"]["url"] = wanted
        path = ROOT / "var" / f"endpoints-actions-{self.actions_port}.yml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        return path

    def _api_token(self) -> str:
        return self.env.get("RASA_API_TOKEN") or os.environ.get("RASA_API_TOKEN") or ""

    def _spawn(self, name: str, command: List[str], **extra_env: str) -> None:
        # CORS_ORIGIN also tells the socket.io channel which pages may connect.
        env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
        env.update({"CORS_ORIGIN": self.cors, **extra_env, **self.env})
        output = None
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            output = open(self.log_dir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT if output else None
        )

    def _wait(self, url: str, name: str) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            for process in self.processes.values():
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
        """Stop the web page and the servers (politely, then firmly)."""
        self.due.clear()
        if self.web is not None:
            self.web.stop()
        for name in ("rasa", "actions"):
            if name in self.processes:
                self._stop(self.processes.pop(name))

    @staticmethod
    def _stop(process: subprocess.Popen) -> None:
        stop_process(process)

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
    parser.add_argument(
        "--actions-port",
        type=int,
        default=int(os.environ.get("ACTIONS_PORT", 5055)),
        help="the action server, started only when the endpoints give it a url",
    )
    parser.add_argument(
        "--web-port",
        type=int,
        default=int(os.environ.get("WEB_PORT") or DEFAULT_WEB_PORT),
        help="the web chat page",
    )
    parser.add_argument(
        "--cors",
        default=os.environ.get("CORS_ORIGIN") or None,
        help="the origin allowed to call the Rasa server from a browser (default: the web page's)",
    )
    parser.add_argument(
        "--endpoints",
        type=Path,
        default=Path(os.environ.get("ENDPOINTS") or ROOT / "endpoints.yml"),
        help="endpoints.yml (SQLite) or endpoints.production.yml (PostgreSQL + Redis)",
    )
    parser.add_argument(
        "--enable-api",
        action="store_true",
        default=os.environ.get("RASA_ENABLE_API", "").lower() in ("1", "true", "yes"),
        help="switch on Rasa's HTTP API (off by default); needs RASA_API_TOKEN",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    servers = Servers(
        args.model,
        endpoints=args.endpoints,
        enable_api=args.enable_api,
        rasa_port=args.rasa_port,
        actions_port=args.actions_port,
        cors=args.cors,
        web_port=args.web_port,
    )
    signal.signal(signal.SIGTERM, interrupt)  # a service manager's stop, like Ctrl-C
    # Ctrl-C stops, even when started with SIGINT ignored (from a script with `&`): its
    # children get it too, and would otherwise be started again as if they had crashed.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:  # one try from here: a stop at any moment stops every server started
        servers.start()
        print(
            "\nThe Jinchang visitor assistant is ready.\n"
            f"  web chat:  {servers.web_url}  (open it in a browser)\n"
            f"  REST:      curl -s -X POST {servers.rest_url} "
            '-H \'Content-Type: application/json\' -d \'{"sender": "me", "message": "Where is Jinchang?"}\'\n'
            f"  socket.io: http://localhost:{args.rasa_port}/socket.io (for the rasa-webchat widget; "
            f"browsers allowed from {servers.cors})\n"
            "  terminal:  make shell\n"
            "Press Ctrl-C to stop.\n",
            flush=True,
        )
        while True:  # a server that ends is started again
            servers.watch()
            time.sleep(0.5)
    except SetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...")
        return 0
    finally:
        servers.stop()


if __name__ == "__main__":
    sys.exit(main())
