"""The parent of the Sanic workers after exec (server/supervise.py): a stop reaches every
worker, and it ends when they have; a worker that ends otherwise is started again, after a pause
that grows while it keeps ending."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, List

import pytest

from server.supervise import LONGEST_PAUSE, STEADY, Restarts, how_it_ended

ROOT = Path(__file__).resolve().parents[2]

# What server/rasa_server.py does: fork the workers, then become the supervisor. A worker
# started again runs WORKER, which notes its RASA_RESTART_WORKER and pid in the file argv[1].
PARENT = f"""
import os, sys, time
pids = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        time.sleep(60)
        os._exit(0)
    pids.append(pid)
print(*pids, flush=True)
worker = [sys.executable, "-c", sys.argv[1], sys.argv[2]]
os.execv(sys.executable, [sys.executable, {str(ROOT / "server" / "supervise.py")!r},
         "--ports", "41000,41001", "--pids", ",".join(map(str, pids)), "--", *worker])
"""
WORKER = """
import os, sys, time
with open(sys.argv[1], "a") as notes:
    print(os.environ["RASA_RESTART_WORKER"], os.getpid(), sep=":", file=notes)
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
    of workers started again)."""
    notes = tmp_path / "restarted"
    notes.touch()
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, WORKER, str(notes)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    yield parent, workers, notes
    parent.kill()
    for pid in workers + [int(pid) for _, pid in restarted(notes)]:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def restarted(notes: Path) -> List[List[str]]:
    return [line.split(":") for line in notes.read_text().splitlines()]


def test_a_stop_reaches_every_worker_and_the_supervisor_ends_after_them(supervised):
    parent, workers, _ = supervised
    time.sleep(1.0)  # the exec is done
    assert parent.poll() is None and all(alive(pid) for pid in workers)
    with open(f"/proc/{parent.pid}/cmdline", "rb") as cmdline:
        assert b"supervise.py" in cmdline.read()
    os.kill(parent.pid, signal.SIGINT)
    assert parent.wait(timeout=10) == 0
    assert not any(alive(pid) for pid in workers)


def test_a_worker_that_ends_is_started_again_in_its_place_after_a_growing_pause(supervised):
    parent, workers, notes = supervised
    time.sleep(1.0)
    os.kill(workers[1], signal.SIGKILL)
    assert wait_for(lambda: len(restarted(notes)) == 1, 3.0)
    ((which, pid),) = restarted(notes)
    assert which == "1 41000,41001" and alive(int(pid)) and alive(workers[0])
    started = time.monotonic()
    os.kill(int(pid), signal.SIGKILL)  # ends again at once: the pause doubles
    assert wait_for(lambda: len(restarted(notes)) == 2, 5.0)
    assert time.monotonic() - started >= 1.9
    again = int(restarted(notes)[1][1])
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
