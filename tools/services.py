"""Throw-away PostgreSQL and Redis servers on localhost, for the production-configuration tests
and `make bench`.

Each runs from the Debian packages (postgresql, redis-server; `make system` installs them)
with its data in a folder of its own, listens on 127.0.0.1 only, and stops on exit.
"""

import glob
import logging
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import List, Optional, Type

logger = logging.getLogger(__name__)

START_TIMEOUT = 30.0


class ServiceError(RuntimeError):
    """A database or cache server could not start; the message says what to install or fix."""


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise ServiceError(f"PostgreSQL's {name} was not found: install Debian's postgresql (make system)")
    return found[-1]


def _as_postgres_user(command: List[str]) -> List[str]:
    """PostgreSQL refuses to run as root: run it as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Service:
    """A server child process with start, stop and `with` support."""

    name = "service"

    def __init__(self, port: int, folder: Path) -> None:
        self.port, self.folder = port, folder
        self.log = folder / f"{self.name}.log"

    def start(self) -> None:
        """Start the server and wait until it answers."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop the server."""
        raise NotImplementedError

    def __enter__(self) -> "Service":
        self.start()
        return self

    def __exit__(
        self,
        kind: Optional[Type[BaseException]],
        error: Optional[BaseException],
        trace: Optional[TracebackType],
    ) -> None:
        self.stop()


class Postgres(Service):
    """A PostgreSQL cluster in `folder`, user `rasa` without password, database `rasa`."""

    name = "postgres"
    user = "rasa"
    database = "rasa"

    def __init__(self, port: int, folder: Path) -> None:
        super().__init__(port, folder)
        # Its own folder under the system temp dir: as root, PostgreSQL runs as the `postgres`
        # user, which cannot enter pytest's (root-only) temporary folders.
        self.home = Path(tempfile.mkdtemp(prefix="jinchang-postgres-"))
        if os.geteuid() == 0:
            shutil.chown(self.home, "postgres", "postgres")
        self.data = self.home / "data"
        self.log = self.home / "postgres.log"

    def _run(self, command: List[str]) -> None:
        result = subprocess.run(_as_postgres_user(command), capture_output=True, text=True)
        if result.returncode != 0:
            raise ServiceError(f"{' '.join(command[:1])} failed: {result.stderr.strip()[-500:]}")

    def start(self) -> None:
        """Create the cluster on first start, then start it and create the database."""
        fresh = not (self.data / "PG_VERSION").exists()
        if fresh:
            self._run([_postgres_bin("initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust"])
        options = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._run(
            [_postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options]
            + ["-w", "-t", str(int(START_TIMEOUT)), "start"]
        )
        if fresh:
            self._run(
                [_postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port)]
                + ["-U", self.user, self.database]
            )

    def stop(self) -> None:
        """Stop the cluster (fast shutdown: open sessions are ended)."""
        if (self.data / "postmaster.pid").exists():
            self._run([_postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def __exit__(
        self,
        kind: Optional[Type[BaseException]],
        error: Optional[BaseException],
        trace: Optional[TracebackType],
    ) -> None:
        self.stop()
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.log.exists():
            shutil.copy(self.log, self.folder / "postgres.log")
        shutil.rmtree(self.home, ignore_errors=True)

    def query(self, sql: str) -> List[List[str]]:
        """Rows of a query, as text (for tests)."""
        command = [_postgres_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user]
        command += ["-d", self.database, "-At", "-F", "\t", "-c", sql]
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        return [line.split("\t") for line in result.stdout.splitlines()]


class Redis(Service):
    """A Redis server without persistence."""

    name = "redis"

    def __init__(self, port: int, folder: Path) -> None:
        super().__init__(port, folder)
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> None:
        """Start redis-server and wait for its PONG."""
        server = shutil.which("redis-server")
        if server is None:
            raise ServiceError("redis-server was not found: install Debian's redis-server (make system)")
        self.folder.mkdir(parents=True, exist_ok=True)
        command = [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.folder)]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServiceError(f"redis-server stopped while starting: see {self.log}")
            if self.ping():
                return
            time.sleep(0.1)
        raise ServiceError(f"redis-server did not answer on port {self.port}: see {self.log}")

    def ping(self) -> bool:
        """True when the server answers PING."""
        result = subprocess.run(
            [shutil.which("redis-cli") or "redis-cli", "-p", str(self.port), "ping"],
            capture_output=True,
            text=True,
        )
        return result.stdout.strip() == "PONG"

    def stop(self) -> None:
        """Stop redis-server."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
