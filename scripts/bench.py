"""`make bench`: start the assistant in its production configuration and print its figures.

The configuration is the one README "Production" describes: PostgreSQL tracker store, Redis
lock store, SANIC_WORKERS Rasa workers (default 2) and the action server, all on this
machine, with throw-away PostgreSQL and Redis (scripts/services.py). It prints a Markdown
table and writes it to results/bench.md:

- sequential latency (p50, p95) of a knowledge-base fact, an attraction description and an
  unknown question, one visitor at a time;
- throughput and p95 latency of conversation-shaped load: visitors who each send the
  10-message CONVERSATION, 1, 10 and 50 of them at once;
- CPU time per message of the Rasa server and of the action server at 50 visitors;
- time from start to the first answer; memory of the Rasa server (all its workers) and
  the action server; training time (`--train`, about 2-3 minutes).
"""

import argparse
import asyncio
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as `python scripts/bench.py`
    sys.path.insert(0, str(ROOT))

from scripts.serve import Servers, free_port  # noqa: E402
from scripts.services import Postgres, Redis  # noqa: E402

MODEL = ROOT / "models" / "jinchang.tar.gz"

# One visitor's conversation: facts, an attraction and its follow-ups, an honest unknown.
CONVERSATION = [
    "hello",
    "Where is Jinchang?",
    "How many people live there?",
    "Why is it called the nickel capital?",
    "Tell me about Liqian ancient city",
    "where is it?",
    "What attractions are there?",
    "the second one",
    "How much is a hotel room?",
    "thanks, bye",
]
SEQUENTIAL = {
    "knowledge-base fact": "What is the population of Jinchang?",
    "attraction description": "Tell me about Shengrong Temple",
    "unknown question": "How much is a hotel room in Jinchang?",
}


def production_env(postgres: Postgres, redis: Redis, actions_port: int) -> Dict[str, str]:
    """The environment endpoints.production.yml reads (see .env.example)."""
    return {
        "ACTION_SERVER_URL": f"http://localhost:{actions_port}/webhook",
        "DB_HOST": "127.0.0.1",
        "DB_PORT": str(postgres.port),
        "DB_NAME": postgres.database,
        "DB_USER": postgres.user,
        "DB_PASSWORD": "",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis.port),
        "REDIS_PASSWORD": "",
        "REDIS_DB": "1",
    }


def production_servers(postgres: Postgres, redis: Redis, workers: int, log_dir: Path) -> Servers:
    """An action server and a Rasa server with `workers` Sanic workers on free ports,
    configured by endpoints.production.yml."""
    actions_port = free_port()
    env = dict(production_env(postgres, redis, actions_port), SANIC_WORKERS=str(workers))
    return Servers(
        MODEL,
        endpoints=ROOT / "endpoints.production.yml",
        rasa_port=free_port(),
        actions_port=actions_port,
        log_dir=log_dir,
        env=env,
    )


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def ask(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> float:
    """Seconds for one REST message; fails on anything but a 200 with a reply."""
    started = time.perf_counter()
    async with session.post(url, json={"sender": sender, "message": text}) as response:
        body = await response.json()
    if response.status != 200 or not body:
        raise RuntimeError(f"{text!r}: HTTP {response.status} {body}")
    return time.perf_counter() - started


async def sequential(url: str, text: str, count: int) -> List[float]:
    """Latencies of `count` questions one at a time, ten per visitor."""
    async with aiohttp.ClientSession() as session:
        return [
            await ask(session, url, f"bench-seq-{n // 10}-{uuid.uuid4().hex[:6]}", text) for n in range(count)
        ]


async def conversations(url: str, visitors: int) -> Tuple[float, List[float]]:
    """Wall time and per-message latencies of `visitors` chatting at once."""

    async def visitor(session: aiohttp.ClientSession) -> List[float]:
        sender = f"bench-{uuid.uuid4().hex[:8]}"
        return [await ask(session, url, sender, text) for text in CONVERSATION]

    connector = aiohttp.TCPConnector(limit=visitors)
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=600)
    ) as session:
        started = time.perf_counter()
        latencies = await asyncio.gather(*(visitor(session) for _ in range(visitors)))
        return time.perf_counter() - started, [x for one in latencies for x in one]


def process_tree(pid: int) -> List[int]:
    """A process and all its descendants (Sanic workers are children of the Rasa server)."""
    found, index = [pid], 0
    while index < len(found):
        try:
            children = Path(f"/proc/{found[index]}/task/{found[index]}/children").read_text().split()
        except OSError:
            children = []
        found += [int(child) for child in children]
        index += 1
    return found


def memory_mb(pid: int) -> Tuple[float, float]:
    """Resident (RSS) and proportional (PSS: shared pages split between processes) memory
    of a process tree, in MB. PSS adds up to what the tree really occupies."""
    rss = pss = 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith(("Rss:", "Pss:")):
                    kilobytes = int(line.split()[1])
                    rss, pss = (rss + kilobytes, pss) if line.startswith("Rss:") else (rss, pss + kilobytes)
        except OSError:
            continue
    return rss / 1024, pss / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process tree."""
    total = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def training_seconds() -> float:
    """Seconds for `rasa train` of this assistant into a temporary folder."""
    rasa = Path(sys.executable).parent / "rasa"
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [str(rasa), "train", "--force", "--out", out, "--data", "data", "--domain", "domain.yml"]
            + ["--config", "config.yml", "--fixed-model-name", "bench"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - started


def machine() -> str:
    """Cores, memory and CPU of this machine, in one line."""
    memory = next(
        (int(line.split()[1]) // 1024**2 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0
    )
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if "model name" in line), "")
    return f"{os.cpu_count()} cores, {memory} GiB, {cpu or platform.machine()}"


def knowledge_answer_time(rounds: int = 20) -> Tuple[str, str]:
    """read_question + answer on the knowledge base alone, over the conversation's
    questions and a few harder ones: the part of an answer this project's code adds."""
    from knowledge.answer import answer, read_question
    from knowledge.base import load

    kb = load()
    questions = CONVERSATION + [
        "Is Jinshui Lake a natural lake?",
        "Was Jinchang named a National Civilized City in 2013?",
        "Is the museum open on Mondays?",
        "what's the population there?",
    ]
    latencies = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            answer(kb, read_question(kb, question, remembered_place="Wuwei"))
            latencies.append(time.perf_counter() - started)
    return (
        "knowledge-base answer (read_question + answer): p50, p95",
        f"{percentile(latencies, 0.5) * 1000:.1f} ms, {percentile(latencies, 0.95) * 1000:.1f} ms",
    )


def run(workers: int, sequential_count: int, repeat: int, train: bool) -> str:
    """Start everything, measure, stop; the Markdown report."""
    rows: List[Tuple[str, str]] = [knowledge_answer_time()]
    folder = Path(tempfile.mkdtemp(prefix="jinchang-bench-"))
    with Postgres(free_port(), folder / "postgres") as postgres, Redis(
        free_port(), folder / "redis"
    ) as redis:
        servers = production_servers(postgres, redis, workers, ROOT / "results" / "bench")
        started = time.perf_counter()
        with servers:
            asyncio.run(sequential(servers.rest_url, "Where is Jinchang?", 1))
            rows.append(("time from start to first answer", f"{time.perf_counter() - started:.1f} s"))
            asyncio.run(conversations(servers.rest_url, 10))  # warm up every worker
            for kind, text in SEQUENTIAL.items():
                latencies = asyncio.run(sequential(servers.rest_url, text, sequential_count))
                p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
                rows.append((f"sequential {kind}: p50 / p95", f"{p50 * 1000:.0f} ms / {p95 * 1000:.0f} ms"))
            rasa, actions = servers.processes["rasa"].pid, servers.processes["actions"].pid
            for visitors in (1, 10, 50):
                runs = []
                for _ in range(repeat):
                    cpu_before = cpu_seconds(rasa), cpu_seconds(actions)
                    seconds, latencies = asyncio.run(conversations(servers.rest_url, visitors))
                    cpu = [
                        (cpu_seconds(p) - before) * 1000 / len(latencies)
                        for p, before in zip((rasa, actions), cpu_before)
                    ]
                    runs.append((len(latencies) / seconds, percentile(latencies, 0.95), cpu))
                rate, p95, cpu = sorted(runs)[len(runs) // 2]  # the median run by throughput
                rows.append(
                    (
                        f"{visitors} visitors x {len(CONVERSATION)} messages: throughput, p95 (median of {repeat})",
                        f"{rate:.0f} messages/s, {p95 * 1000:.0f} ms",
                    )
                )
            rows.append(
                (
                    "CPU per message at 50 visitors: Rasa server, action server",
                    f"{cpu[0]:.0f} ms, {cpu[1]:.1f} ms",
                )
            )
            for name, pid in (("Rasa server (all workers)", rasa), ("action server", actions)):
                rss, pss = memory_mb(pid)
                rows.append((f"memory: {name}, PSS (RSS)", f"{pss:.0f} MB ({rss:.0f} MB)"))
    shutil.rmtree(folder, ignore_errors=True)
    if train:
        rows.append(("training time (rasa train --force)", f"{training_seconds():.0f} s"))
    header = (
        f"Benchmark of {date.today().isoformat()} on {machine()}: production configuration "
        f"(PostgreSQL, Redis lock store, {workers} Rasa workers, 1 action server), load from the same machine.\n\n"
    )
    table = "| measure | result |\n|---|---|\n" + "".join(f"| {name} | {value} |\n" for name, value in rows)
    return header + table


def main(argv: Optional[List[str]] = None) -> int:
    """Parse the options, run the benchmark, print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=int(os.environ.get("SANIC_WORKERS", 2)))
    parser.add_argument("--sequential", type=int, default=100, help="questions per sequential measure")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each conversation load (median shown)")
    parser.add_argument("--train", action="store_true", help="also time a training run")
    args = parser.parse_args(argv)
    report = run(args.workers, args.sequential, args.repeat, args.train)
    print(report)
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "bench.md").write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
