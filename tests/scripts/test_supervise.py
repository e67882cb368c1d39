"""The parent of the Sanic workers after exec (scripts/supervise.py): a stop reaches every
worker, and it ends when they have."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What scripts/rasa_server.py does: fork the workers, then become the supervisor.
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
os.execv(sys.executable, [sys.executable, {str(ROOT / "scripts" / "supervise.py")!r}, *map(str, pids)])
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_a_stop_reaches_every_worker_and_the_supervisor_ends_after_them():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    time.sleep(1.0)  # the exec is done
    assert parent.poll() is None and all(alive(pid) for pid in workers)
    with open(f"/proc/{parent.pid}/cmdline", "rb") as cmdline:
        assert b"supervise.py" in cmdline.read()
    os.kill(parent.pid, signal.SIGINT)
    assert parent.wait(timeout=10) == 0
    assert not any(alive(pid) for pid in workers)
