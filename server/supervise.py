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
private port, server/rasa_server.py) without forking. server/serve.py restarts the whole
Rasa server and the action server the same way.

Each worker accepts connections on its own SO_REUSEPORT socket of the shared port, and the
kernel gives each socket its share of new connections. This program holds every one of those
sockets too, so a worker's death closes none: Linux would otherwise reset the connections
waiting in the dead worker's queue, and refuse those still being opened, unless
net.ipv4.tcp_migrate_req is 1. Until the worker started again answers, the connections its
socket takes are relayed to a living worker's private port (`Relay`), or answered "503, try
again" when none lives; the new worker is handed the same socket.

    python server/supervise.py --ports P0,P1 --sockets FD0,FD1 --pids PID0,PID1 -- COMMAND ...
"""

import argparse
import logging
import os
import select
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Callable, Dict, List, Optional

logger = logging.getLogger("supervise")

RESTART_ENV = "RASA_RESTART_WORKER"  # set for a worker started again: "NUMBER PORTS FD" (restart_value)
FIRST_PAUSE = 1.0  # seconds before a child that ended is started again
LONGEST_PAUSE = 30.0  # the pause doubles up to this while the child keeps ending soon
STEADY = 60.0  # a child that ran this long before it ended is started again after FIRST_PAUSE
POLL = 0.2  # how often ended children are looked for
READY_CHECK = 1.0  # how often a worker started again is asked whether it answers yet
UNAVAILABLE = (
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
)


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


def restart_value(index: int, ports: str, fd: int) -> str:
    """RESTART_ENV for worker `index` of the workers whose private ports are `ports`
    ("P0,P1,..."), its socket of the shared port being file descriptor `fd`: "1 41000,41001 5"."""
    return f"{index} {ports} {fd}"


def answers(port: int) -> bool:
    """Whether the Rasa app answers on 127.0.0.1:`port` (a worker started again listens on its
    private port before its model is loaded, and answers once it is)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=READY_CHECK):
            return True
    except (urllib.error.URLError, OSError):
        return False


def _copy(source: socket.socket, target: socket.socket) -> None:
    """Bytes from `source` to `target` until `source` ends, then the end to `target`."""
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    try:
        target.shutdown(socket.SHUT_WR)
    except OSError:
        pass


class Relay:
    """While a worker is down: the connections its socket of the shared port takes, each passed
    to the private port of a living worker (`ports()` names them), or answered 503 when none
    lives."""

    def __init__(self, listener: socket.socket, ports: Callable[[], List[int]]) -> None:
        self.listener, self.ports = listener, ports
        self.running = threading.Event()
        self.thread: Optional[threading.Thread] = None

    def start(self) -> None:
        """Take the socket's connections, from now until `stop`."""
        self.running.set()
        self.thread = threading.Thread(target=self._accept, name="relay", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Take no more connections (those taken are relayed to their end)."""
        self.running.clear()
        if self.thread is not None:
            self.thread.join()
            self.thread = None

    def _accept(self) -> None:
        # The socket is non-blocking, as the worker's event loop keeps it (a mode of the socket
        # itself, shared with the worker handed it): a connection another process took first is
        # a BlockingIOError here, never a wait.
        self.listener.setblocking(False)
        while self.running.is_set():
            try:
                ready, _, _ = select.select([self.listener], [], [], POLL)
                if not ready:
                    continue
                visitor, _ = self.listener.accept()
            except BlockingIOError:
                continue
            except (OSError, ValueError):  # closed: the supervisor is ending
                return
            threading.Thread(target=self._relay, args=(visitor,), daemon=True).start()

    def _relay(self, visitor: socket.socket) -> None:
        with visitor:
            visitor.settimeout(None)
            for port in self.ports():
                try:
                    worker = socket.create_connection(("127.0.0.1", port), timeout=READY_CHECK)
                except OSError:
                    continue
                with worker:
                    worker.settimeout(None)
                    back = threading.Thread(target=_copy, args=(worker, visitor), daemon=True)
                    back.start()
                    _copy(visitor, worker)
                    back.join()
                return
            try:
                visitor.sendall(UNAVAILABLE)
            except OSError:
                pass


class Worker:
    """One Sanic worker slot: its current process, its socket of the shared port, its restarts."""

    def __init__(self, index: int, pid: Optional[int], listener: socket.socket, port: int) -> None:
        self.index, self.pid, self.listener, self.port = index, pid, listener, port
        self.restarts = Restarts()
        self.due: Optional[float] = None  # when it is to be started again
        self.relay: Optional[Relay] = None  # while it is down, and until it answers again
        self.checked = 0.0  # when it was last asked whether it answers


class Supervisor:
    """Keeps one process running per worker slot until told to stop."""

    def __init__(
        self, pids: List[int], ports: str, listeners: List[socket.socket], command: List[str]
    ) -> None:
        private = [int(port) for port in ports.split(",")]
        self.workers = [Worker(*slot) for slot in zip(range(len(pids)), pids, listeners, private)]
        self.ports, self.command = ports, command
        self.stopping = False

    def living_ports(self) -> List[int]:
        """The private ports of the workers that are up and not being relayed for."""
        return [w.port for w in self.workers if w.pid is not None and w.relay is None]

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
                self.hand_back()
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
            if worker.relay is None:
                worker.relay = Relay(worker.listener, self.living_ports)
                worker.relay.start()
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
                fd = worker.listener.fileno()
                env = dict(os.environ, **{RESTART_ENV: restart_value(worker.index, self.ports, fd)})
                worker.listener.set_inheritable(True)  # this one socket, and no other worker's
                try:
                    worker.pid = os.posix_spawn(self.command[0], self.command, env)
                finally:
                    worker.listener.set_inheritable(False)
                worker.due = None
                worker.restarts.start()
                logger.warning("Rasa worker %d started again (pid %d)", worker.index, worker.pid)

    def hand_back(self) -> None:
        """Stop relaying for every worker started again that answers on its private port."""
        for worker in self.workers:
            if worker.relay is None or worker.pid is None:
                continue
            if time.monotonic() - worker.checked >= READY_CHECK:
                worker.checked = time.monotonic()
                if answers(worker.port):
                    worker.relay.stop()
                    worker.relay = None
                    logger.info("Rasa worker %d answers again", worker.index)


def main(argv: Optional[List[str]] = None) -> int:
    """python server/supervise.py --ports P0,P1 --sockets FD0,FD1 --pids PID0,PID1 -- COMMAND ..."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", required=True, help="the workers' private ports, in worker order")
    parser.add_argument(
        "--sockets",
        required=True,
        help="the workers' sockets of the shared port (file descriptors), in worker order",
    )
    parser.add_argument("--pids", required=True, help="the workers' process ids, in worker order")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the command that started the server")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("the command that starts a worker is missing (after --)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s  - %(message)s")
    pids = [int(pid) for pid in args.pids.split(",")]
    listeners = [socket.socket(fileno=int(fd)) for fd in args.sockets.split(",")]
    for listener in listeners:
        listener.set_inheritable(False)  # handed only to the worker started again in its slot
    return Supervisor(pids, args.ports, listeners, command).run()


if __name__ == "__main__":
    sys.exit(main())
