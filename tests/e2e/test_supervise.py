"""`make run` keeps serving when a child process dies (server/supervise.py, Servers.watch in
server/serve.py): under load, a Rasa worker or the action server is killed; it is started again
with a log line, the visitors meanwhile get answers from the other worker or the apology (never
a server error), every later question is answered, and SIGTERM still stops everything."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List, NamedTuple, Optional, Sequence

import pytest

from actions.replies import render
from server.serve import STARTUP_TIMEOUT, free_port
from server.supervise import RESTART_ENV
from tests.server.test_supervise import alive, wait_for
from tools.bench import process_tree, sqlite_endpoints

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "jinchang.tar.gz"
LOG = ROOT / "results" / "e2e" / "make-run.log"  # the output of every make run here
QUESTION, ANSWER = "Where is Jinchang?", "Gansu"
CUT = "cut: "  # how ask reports a connection a killed worker reset (an HTTP error is no cut)
VISITORS = 4  # threads asking one question after another, each one conversation
WAIT = 90  # seconds a visitor waits for an answer (Sanic answers 503 after 60 s)


class MakeRun(NamedTuple):
    """server/serve.py running: its process, its output so far, its REST url."""

    process: subprocess.Popen
    output: List[str]
    url: str

    def said(self, text: str) -> bool:
        return any(text in line for line in self.output)

    def children(self) -> List[int]:
        return process_tree(self.process.pid)[1:]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@contextmanager
def make_run(endpoints: Path, prefix: Sequence[str] = ()) -> Iterator[MakeRun]:
    """`make run` (server/serve.py, run by the command `prefix` when given) with two Rasa
    workers, in a process group of its own, as in a terminal; ready; stopped by SIGTERM after,
    which must stop every process it ever started."""
    rasa_port = free_port()
    command = [sys.executable, "server/serve.py", "--model", str(MODEL), "--endpoints", str(endpoints)]
    command += [
        "--rasa-port",
        str(rasa_port),
        "--actions-port",
        str(free_port()),
        "--web-port",
        str(free_port()),
    ]
    process = subprocess.Popen(
        [*prefix, *command],
        cwd=ROOT,
        env=dict(os.environ, SANIC_WORKERS="2"),
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: List[str] = []
    threading.Thread(target=lambda: output.extend(process.stdout), daemon=True).start()
    running = MakeRun(process, output, f"http://localhost:{rasa_port}/webhooks/rest/webhook")
    ever: List[int] = []
    try:
        assert wait_for(lambda: running.said("is ready") or process.poll() is not None, STARTUP_TIMEOUT)
        assert running.said("is ready"), "".join(output[-20:])
        yield running
        ever += running.children()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        assert wait_for(lambda: not any(alive(pid) for pid in ever), 5.0), [cmdline(p) for p in ever]
    finally:  # nothing left behind when the test fails; only processes still running
        for pid in ever or running.children():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        process.kill()
        process.wait()
        LOG.parent.mkdir(parents=True, exist_ok=True)
        with LOG.open("a") as log:
            log.write("".join(output))


def ask(url: str, text: str = QUESTION, sender: Optional[str] = None) -> str:
    """The text a REST visitor reads, or what went wrong: "cut: ..." for a connection reset
    by the server's end (while the request was sent, which urllib wraps in a URLError, or
    while its answer was awaited), "error: ..." for anything else (an HTTP error included)."""
    body = json.dumps({"sender": sender or f"sup-{uuid.uuid4().hex[:8]}", "message": text}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return "\n".join(m.get("text") or "" for m in json.loads(response.read() or b"[]"))
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = error.reason if type(error) is urllib.error.URLError else error
        cut = isinstance(reason, (ConnectionResetError, BrokenPipeError))  # RemoteDisconnected too
        return f"{CUT if cut else 'error: '}{type(reason).__name__}: {error}"


class Load:
    """Visitors asking one question after another in threads, each in one conversation, each
    turn with its start time, reply and seconds, until stopped."""

    def __init__(self, url: str) -> None:
        self.url, self.turns = url, []
        self.answered: Dict[str, int] = {}  # per visitor (sender), the questions answered
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self.visit, daemon=True) for _ in range(VISITORS)]

    def visit(self) -> None:
        sender = f"sup-{uuid.uuid4().hex[:8]}"
        self.answered[sender] = 0
        while not self.stopped.is_set():
            started = time.monotonic()
            reply = ask(self.url, sender=sender)
            self.turns.append((started, reply, time.monotonic() - started))
            self.answered[sender] += ANSWER in reply

    def __enter__(self) -> "Load":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=WAIT)

    def under_way(self) -> bool:
        """Every visitor has had an answer."""
        counts = list(self.answered.values())  # one copy: the visitors' threads add to it
        return len(counts) == VISITORS and all(counts)

    def since(self, moment: float) -> List[str]:
        return [reply for started, reply, _ in self.turns if started > moment]

    def slowest(self, moment: float) -> float:
        return max(seconds for started, _, seconds in self.turns if started > moment)


def answered(url: str) -> Callable[[], bool]:
    return lambda: ANSWER in ask(url)


def stored_turns(database: Path, sender: str) -> List[str]:
    """The user and bot events stored for `sender`, in order ("user", "bot")."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT type_name FROM events WHERE sender_id = ? AND type_name IN ('user', 'bot') ORDER BY id",
            (sender,),
        )
        return [kind for (kind,) in rows]


def test_a_killed_rasa_worker_is_started_again_and_the_other_serves_meanwhile(tmp_path):
    with make_run(sqlite_endpoints(tmp_path)) as running:
        (supervisor,) = [pid for pid in running.children() if "supervise.py" in cmdline(pid)]
        workers = process_tree(supervisor)[1:]
        assert len(workers) == 2
        with Load(running.url) as load:
            assert wait_for(load.under_way, 60.0), load.turns[-3:]
            os.kill(workers[0], signal.SIGKILL)
            killed = time.monotonic()
            assert wait_for(lambda: running.said("started again"), 10.0), "".join(running.output[-20:])

            def started() -> List[int]:
                return [pid for pid in process_tree(supervisor)[1:] if pid not in workers]

            # (the kernel's list of the supervisor's children may show the new one a moment later)
            assert wait_for(lambda: bool(started()), 10.0), "".join(running.output[-20:])
            (new,) = started()
            environ = Path(f"/proc/{new}/environ").read_bytes().split(b"\0")
            (restart,) = [
                v.decode().split("=", 1)[1] for v in environ if v.startswith(RESTART_ENV.encode() + b"=")
            ]
            index, ports, _ = restart.split()
            private = f"http://127.0.0.1:{ports.split(',')[int(index)]}/webhooks/rest/webhook"
            assert wait_for(answered(private), 180.0), "the new worker never answered on its own port"
        # Only the questions the dead worker had taken go unanswered, their connection cut (no
        # HTTP error, and never refused: the supervisor holds the dead worker's socket and
        # relays what it takes), and those visitors' next questions do not wait for its
        # conversation locks (stores/locks.py drops a dead process's tickets; Rasa alone
        # waited 60 s, then a 503).
        lost = [reply for started, reply, _ in load.turns if started > killed - 60 and ANSWER not in reply]
        assert all(reply.startswith(CUT) for reply in lost), lost
        after = load.since(killed + 1.0)
        assert after and all(ANSWER in reply for reply in after), [r for r in after if ANSWER not in r][:3]
        assert load.slowest(killed + 1.0) < 10.0
        # Every answered question is stored once, with its answer, in order; a cut one at most once
        # (the dead worker may have stored it just before it died).
        for sender, count in load.answered.items():
            stored = stored_turns(tmp_path / "conversations.db", sender)
            assert stored in (["user", "bot"] * count, ["user", "bot"] * (count + 1)), (sender, count, stored)
        assert running.said(
            f"Rasa worker {index} (pid {workers[0]}) killed by SIGKILL; starting it again in 1 s"
        )
        assert all(ANSWER in ask(running.url) for _ in range(10))


def with_action_server(folder: Path) -> Path:
    """endpoints.yml (its stores in `folder`) with the actions in an action server."""
    endpoints = sqlite_endpoints(folder)
    url = f"http://localhost:{free_port()}/webhook"
    endpoints.write_text(endpoints.read_text().replace("actions_module: actions", f"url: {url}"))
    return endpoints


def test_a_killed_action_server_is_started_again_and_visitors_get_the_apology_meanwhile(tmp_path):
    with make_run(with_action_server(tmp_path)) as running:
        (server,) = [pid for pid in running.children() if "server.action_server" in cmdline(pid)]
        apology = render("unavailable")["text"]
        with Load(running.url) as load:
            assert wait_for(load.under_way, 60.0), load.turns[-3:]
            os.kill(server, signal.SIGKILL)
            killed = time.monotonic()
            assert wait_for(lambda: running.said("The action server started again"), 10.0)
            assert wait_for(answered(running.url), 60.0)
        replies = load.since(killed)
        assert apology in replies, "the action server was back before anyone asked"
        assert all(reply == apology or ANSWER in reply for reply in replies), set(replies)
        assert running.said(f"The action server (pid {server}) killed by SIGKILL; starting it again in 1 s")
        assert all(ANSWER in ask(running.url) for _ in range(10))


def test_a_killed_rasa_server_is_started_again_with_its_workers(tmp_path):
    with make_run(sqlite_endpoints(tmp_path)) as running:
        (supervisor,) = [pid for pid in running.children() if "supervise.py" in cmdline(pid)]
        workers = process_tree(supervisor)[1:]
        os.kill(supervisor, signal.SIGKILL)
        assert wait_for(lambda: not any(alive(pid) for pid in workers), 30.0)  # they die with it
        assert wait_for(lambda: running.said("The Rasa server started again"), 10.0)
        assert wait_for(answered(running.url), 180.0)
        assert running.said(f"The Rasa server (pid {supervisor}) killed by SIGKILL; starting it again in 1 s")
        assert len([pid for pid in running.children() if "server.rasa_server" in cmdline(pid)]) >= 2
        assert all(ANSWER in ask(running.url) for _ in range(10))


def test_ctrl_c_stops_everything_and_starts_nothing_again(tmp_path):
    """Ctrl-C reaches the whole process group: make run stops, and does not take its children's
    ends for crashes; also when started with SIGINT ignored (from a script, with `&`)."""
    endpoints = with_action_server(tmp_path)
    with make_run(endpoints, prefix=["bash", "-c", 'trap "" INT; exec "$@"', "bash"]) as running:
        children = running.children()
        assert any("server.action_server" in cmdline(pid) for pid in children)
        os.killpg(running.process.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
        assert running.process.wait(timeout=60) == 0
        assert wait_for(lambda: not any(alive(pid) for pid in children), 15.0)
        assert not running.said("starting it again")
