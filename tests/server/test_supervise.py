"""The parent of the Sanic workers after exec (server/supervise.py): a stop reaches every
worker, and it ends when they have; a worker that ends otherwise is started again, after a pause
that grows while it keeps ending."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, List

import pytest

from server.supervise import LONGEST_PAUSE, STEADY, Relay, Restarts, how_it_ended

ROOT = Path(__file__).resolve().parents[2]

# What server/rasa_server.py does: open each worker's socket of the shared port, fork the
# workers, then become the supervisor. A worker started again runs WORKER, which notes its
# RASA_RESTART_WORKER, pid and the port of the socket it was handed in the file argv[1].
PARENT = f"""
import os, socket, sys, time
shared = []
for _ in range(2):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", shared[0].getsockname()[1] if shared else 0))
    sock.listen()
    shared.append(sock)
pids = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        time.sleep(60)
        os._exit(0)
    pids.append(pid)
print(shared[0].getsockname()[1], *pids, flush=True)
for sock in shared:
    sock.set_inheritable(True)
worker = [sys.executable, "-c", sys.argv[1], sys.argv[2]]
os.execv(sys.executable, [sys.executable, {str(ROOT / "server" / "supervise.py")!r},
         "--ports", "41000,41001", "--sockets", ",".join(str(s.fileno()) for s in shared),
         "--pids", ",".join(map(str, pids)), "--", *worker])
"""
WORKER = """
import os, socket, sys, time
restart = os.environ["RASA_RESTART_WORKER"]
shared = socket.socket(fileno=int(restart.split()[2]))
with open(sys.argv[1], "a") as notes:
    print(restart, os.getpid(), shared.getsockname()[1], sep=":", file=notes)
time.sleep(60)
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture
def supervised(tmp_path):
    """A supervisor of two sleeping workers: (its process, the workers' pids, the notes file
    of workers started again, the shared port)."""
    notes = tmp_path / "restarted"
    notes.touch()
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, WORKER, str(notes)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    port, *workers = [int(number) for number in parent.stdout.readline().split()]
    yield parent, workers, notes, port
    parent.kill()
    for pid in workers + [int(pid) for _, pid, _ in restarted(notes)]:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def restarted(notes: Path) -> List[List[str]]:
    return [line.split(":") for line in notes.read_text().splitlines()]


def test_a_stop_reaches_every_worker_and_the_supervisor_ends_after_them(supervised):
    parent, workers, _, _ = supervised
    time.sleep(1.0)  # the exec is done
    assert parent.poll() is None and all(alive(pid) for pid in workers)
    with open(f"/proc/{parent.pid}/cmdline", "rb") as cmdline:
        assert b"supervise.py" in cmdline.read()
    os.kill(parent.pid, signal.SIGINT)
    assert parent.wait(timeout=10) == 0
    assert not any(alive(pid) for pid in workers)


def test_a_worker_that_ends_is_started_again_in_its_place_after_a_growing_pause(supervised):
    parent, workers, notes, port = supervised
    time.sleep(1.0)
    os.kill(workers[1], signal.SIGKILL)
    assert wait_for(lambda: len(restarted(notes)) == 1, 3.0)
    ((which, pid, handed),) = restarted(notes)
    assert which.startswith("1 41000,41001 ") and alive(int(pid)) and alive(workers[0])
    assert int(handed) == port  # the dead worker's socket of the shared port, kept open for it
    started = time.monotonic()
    os.kill(int(pid), signal.SIGKILL)  # ends again at once: the pause doubles
    assert wait_for(lambda: len(restarted(notes)) == 2, 5.0)
    assert time.monotonic() - started >= 1.9
    again = int(restarted(notes)[1][1])
    assert restarted(notes)[1][0] == which  # the same socket again
    os.kill(parent.pid, signal.SIGTERM)  # a stop still stops every worker, the new one too
    assert parent.wait(timeout=10) == 0
    assert not alive(again) and not alive(workers[0])
    log = parent.stderr.read()
    assert f"Rasa worker 1 (pid {workers[1]}) killed by SIGKILL; starting it again in 1 s" in log
    assert f"Rasa worker 1 (pid {pid}) killed by SIGKILL; starting it again in 2 s" in log
    assert f"Rasa worker 1 started again (pid {again})" in log


def test_the_pause_doubles_while_a_child_keeps_ending_and_starts_over_after_a_steady_run():
    now = [0.0]
    restarts = Restarts(clock=lambda: now[0])
    pauses = []
    for _ in range(7):
        pauses.append(restarts.ended())
        now[0] += pauses[-1]
        restarts.start()
    assert pauses == [1, 2, 4, 8, 16, LONGEST_PAUSE, LONGEST_PAUSE]
    now[0] += STEADY
    assert restarts.ended() == 1


def test_how_a_child_ended_is_said_in_words():
    assert how_it_ended(-signal.SIGKILL) == "killed by SIGKILL"
    assert how_it_ended(1) == "exited with code 1"
    assert how_it_ended(os.waitstatus_to_exitcode(3 << 8)) == "exited with code 3"  # a wait status
    assert how_it_ended(os.waitstatus_to_exitcode(signal.SIGSEGV)) == "killed by SIGSEGV"


def listening(port: int = 0) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen()
    return sock


def serve_hello(sock: socket.socket) -> None:
    """A living worker: answers every request on `sock` with "hello"."""
    while True:
        try:
            connection, _ = sock.accept()
        except OSError:
            return
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")


def test_a_dead_workers_visitors_reach_a_living_worker_or_hear_503_and_its_successor_gets_the_rest():
    dead_worker = listening()  # its socket of the shared port, which the supervisor holds
    url = f"http://127.0.0.1:{dead_worker.getsockname()[1]}/"
    living = listening()
    threading.Thread(target=serve_hello, args=(living,), daemon=True).start()
    closed = listening()
    closed_port = closed.getsockname()[1]
    closed.close()  # a worker that died too: its private port refuses
    ports = [closed_port, living.getsockname()[1]]
    relay = Relay(dead_worker, lambda: list(ports))
    relay.start()
    try:
        assert [urllib.request.urlopen(url, timeout=5).read() for _ in range(3)] == [b"hello"] * 3
        ports.remove(ports[1])  # no worker lives
        with pytest.raises(urllib.error.HTTPError) as unavailable:
            urllib.request.urlopen(url, timeout=5)
        assert unavailable.value.code == 503 and unavailable.value.headers["Retry-After"] == "1"
    finally:
        relay.stop()
    # Stopped (the worker started again answers): a new visitor waits in the socket's queue
    # for that worker, neither relayed nor refused.
    visitor = socket.create_connection(dead_worker.getsockname(), timeout=1)
    visitor.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    with pytest.raises(socket.timeout):
        visitor.recv(100)
    dead_worker.settimeout(1)
    successor, _ = dead_worker.accept()
    assert successor.recv(100).startswith(b"GET / ")
    for sock in (visitor, successor, dead_worker, living):
        sock.close()
