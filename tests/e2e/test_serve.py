"""`make run` (server/serve.py) stopped by a service manager (SIGTERM, not Ctrl-C) stops
every server it started: no Rasa worker, action server or page is left running; and it starts
an action server only for endpoints that give one a url."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import List

import pytest

from server.serve import STARTUP_TIMEOUT, free_port
from tests.server.test_supervise import alive
from tools.bench import process_tree, sqlite_endpoints

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "jinchang.tar.gz"


def test_sigterm_stops_every_server_make_run_started(tmp_path):
    command = [
        sys.executable,
        "server/serve.py",
        "--model",
        str(MODEL),
        "--endpoints",
        str(sqlite_endpoints(tmp_path)),
    ]
    command += [
        "--rasa-port",
        str(free_port()),
        "--actions-port",
        str(free_port()),
        "--web-port",
        str(free_port()),
    ]
    env = dict(os.environ, SANIC_WORKERS="2")
    serve = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    started: List[int] = []
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        for line in serve.stdout:
            if "is ready" in line or time.monotonic() > deadline:
                break
        assert "is ready" in line, line
        started += process_tree(serve.pid)[1:]
        assert len(started) >= 3, started  # the Rasa server and its two workers (the actions in them)
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in started]
        assert not [c for c in commands if b"server.action_server" in c]  # endpoints.yml: no url
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=60) == 0
        time.sleep(1.0)
        assert [pid for pid in started if alive(pid)] == []
    finally:  # nothing left behind, even when the test fails; never a pid that ended (and may be reused)
        for pid in started or process_tree(serve.pid):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        serve.kill()
