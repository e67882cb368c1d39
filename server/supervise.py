"""The parent of the Rasa server's Sanic workers, once they are started; and when to start a
child process again that ended.

server/rasa_server.py forks the workers from the process that imported Rasa and TensorFlow,
and that process then only waits for them. It replaces itself with this small program
(exec keeps its process id, so the workers stay its children): the 330 MB of its own pages,
which the workers no longer share once they run, are given back.

A stop (SIGINT or SIGTERM) is passed to every worker; it ends when they all have. A worker
that ends otherwise (a crash, the kernel's out-of-memory killer) is started again in its place,
after a pause (`Restarts`): the command that started the server, with RESTART_ENV naming the
worker, so that the new process loads the model and serves as that worker (its number and
private port, server/rasa_server.py) without forking. Meanwhile the other workers take every
new connection (each listens on the shared port with SO_REUSEPORT). server/serve.py restarts
the whole Rasa server and the action server the same way.

    python server/supervise.py --ports P0,P1 --pids PID0,PID1 -- COMMAND ...
"""

import argparse
import logging
import os
import signal
import sys
import time
from typing import Dict, List, Optional

logger = logging.getLogger("supervise")

RESTART_ENV = "RASA_RESTART_WORKER"  # set for a worker started again: "NUMBER PORTS" (see restart_value)
FIRST_PAUSE = 1.0  # seconds before a child that ended is started again
LONGEST_PAUSE = 30.0  # the pause doubles up to this while the child keeps ending soon
STEADY = 60.0  # a child that ran this long before it ended is started again after FIRST_PAUSE
POLL = 0.2  # how often ended children are looked for


class Restarts:
    """When to start a child process again that ended: after 1 s, doubling up to 30 s while it
    keeps ending within a minute of its start (a broken model, a full disk), and after 1 s
    again once it had run for a minute."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self.pause = FIRST_PAUSE
        self.started = clock()

    def start(self) -> None:
        """The child has (just) been started."""
        self.started = self.clock()

    def ended(self) -> float:
        """The child has ended: the seconds to wait before starting it again."""
        if self.clock() - self.started >= STEADY:
            self.pause = FIRST_PAUSE
        pause, self.pause = self.pause, min(self.pause * 2, LONGEST_PAUSE)
        return pause


def how_it_ended(returncode: int) -> str:
    """A child's returncode in words (subprocess's, or os.waitstatus_to_exitcode's: negative
    for the signal that killed it)."""
    if returncode < 0:
        return f"killed by {signal.Signals(-returncode).name}"
    return f"exited with code {returncode}"


def restart_value(index: int, ports: str) -> str:
    """RESTART_ENV for worker `index` of the workers whose private ports are `ports`
    ("P0,P1,..."): "1 41000,41001"."""
    return f"{index} {ports}"


class Worker:
    """One Sanic worker slot: its current process and its restarts."""

    def __init__(self, index: int, pid: Optional[int]) -> None:
        self.index, self.pid = index, pid
        self.restarts = Restarts()
        self.due: Optional[float] = None  # when it is to be started again


class Supervisor:
    """Keeps one process running per worker slot until told to stop."""

    def __init__(self, pids: List[int], ports: str, command: List[str]) -> None:
        self.workers = [Worker(index, pid) for index, pid in enumerate(pids)]
        self.ports, self.command = ports, command
        self.stopping = False

    def stop(self, signum: int = signal.SIGTERM, frame: object = None) -> None:
        """Pass a stop on to every worker; start none again."""
        self.stopping = True
        for worker in self.workers:
            if worker.pid is not None:
                try:
                    os.kill(worker.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass

    def run(self) -> int:
        """Until stopped and every worker has ended: reap, and start ended workers again."""
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)
        while True:
            self.reap()
            if self.stopping and all(worker.pid is None for worker in self.workers):
                return 0
            if not self.stopping:
                self.start_due()
            time.sleep(POLL)

    def reap(self) -> None:
        """Note every worker that has ended, and when to start it again."""
        by_pid: Dict[int, Worker] = {w.pid: w for w in self.workers if w.pid is not None}
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:  # no child left
                for worker in by_pid.values():
                    worker.pid = None
                return
            if pid == 0:
                return
            worker = by_pid.pop(pid, None)
            if worker is None:
                continue
            worker.pid = None
            if self.stopping:
                continue
            pause = worker.restarts.ended()
            worker.due = time.monotonic() + pause
            logger.warning(
                "Rasa worker %d (pid %d) %s; starting it again in %.0f s",
                worker.index,
                pid,
                how_it_ended(os.waitstatus_to_exitcode(status)),
                pause,
            )

    def start_due(self) -> None:
        """Start again every worker whose pause is over."""
        for worker in self.workers:
            if worker.due is not None and time.monotonic() >= worker.due:
                env = dict(os.environ, **{RESTART_ENV: restart_value(worker.index, self.ports)})
                worker.pid = os.posix_spawn(self.command[0], self.command, env)
                worker.due = None
                worker.restarts.start()
                logger.warning("Rasa worker %d started again (pid %d)", worker.index, worker.pid)


def main(argv: Optional[List[str]] = None) -> int:
    """python server/supervise.py --ports P0,P1 --pids PID0,PID1 -- COMMAND ..."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", required=True, help="the workers' private ports, in worker order")
    parser.add_argument("--pids", required=True, help="the workers' process ids, in worker order")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the command that started the server")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("the command that starts a worker is missing (after --)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s  - %(message)s")
    pids = [int(pid) for pid in args.pids.split(",")]
    return Supervisor(pids, args.ports, command).run()


if __name__ == "__main__":
    sys.exit(main())
