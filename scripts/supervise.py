"""The parent of the Rasa server's Sanic workers, once they are started.

scripts/rasa_server.py forks the workers from the process that imported Rasa and TensorFlow,
and that process then only waits for them. It replaces itself with this small program
(exec keeps its process id, so the workers stay its children): the 330 MB of its own pages,
which the workers no longer share once they run, are given back. A stop (SIGINT or SIGTERM)
is passed to every worker; it ends when they all have.

    python scripts/supervise.py PID [PID ...]
"""

import os
import signal
import sys
from typing import List


def supervise(pids: List[int]) -> int:
    """Pass stops on to the workers and wait until every one has ended."""

    def stop(signum: int, frame: object) -> None:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:  # no child left
            return 0


if __name__ == "__main__":
    sys.exit(supervise([int(pid) for pid in sys.argv[1:]]))
