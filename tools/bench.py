"""`make bench`: this assistant next to a stock `rasa init` bot, the same loads for both, one table.

The stock bot is `rasa init --no-prompt` with this project's Rasa version, built once (with its
model) under results/stock-bot and rebuilt only when it is missing or the Rasa version changed
(results/stock-bot/bench-stamp.json records the version and the training time). It runs with
plain `rasa run`: REST channel, in-memory tracker and lock stores, one worker.

This project runs in its default set-up (what `make run` starts: one Rasa server on SQLite, here
a throw-away database, running the actions in its workers) or, with `--production`, in the production one
README "Production" describes: PostgreSQL tracker store, Redis lock store, `--workers` Sanic
workers (default 2) and the action server, with throw-away PostgreSQL and Redis
(tools/services.py).

The bots take turns, A B A B: each round starts this project, measures it, stops it, then
does the same with the stock bot, so only one bot runs at a time. Per round and bot:

- time from start to the first answer;
- sequential latency (p50, p95) of a knowledge-base fact, an attraction description and an
  unknown question, one visitor at a time (the stock bot answers them its own way: that
  measures the stack);
- throughput and p95 latency of conversation-shaped load: visitors who each send the
  10-message CONVERSATION, 1, 10 and 50 of them at once (each run `--repeat` times, the
  median run by throughput kept);
- throughput and p95 latency of unique texts: the questions of the evaluation sets, each sent
  once in a round (each round starts fresh processes), shared among 1 and 50 visitors;
- CPU time per message of all the bot's processes at 50 visitors;
- memory (PSS) of all the bot's processes after the loads.

The table shows each figure's better round, the ratio of the two bots (above 1: this project
is better) and training time; it is printed and written to results/bench.md.
"""

import argparse
import asyncio
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as `python tools/bench.py`
    sys.path.insert(0, str(ROOT))

from server.serve import Servers, free_port, stop_process, workers  # noqa: E402
from tools.services import Postgres, Redis  # noqa: E402

logger = logging.getLogger(__name__)

BIN = Path(sys.executable).parent
MODEL = ROOT / "models" / "jinchang.tar.gz"
STOCK_DIR = ROOT / "results" / "stock-bot"
STAMP_NAME = "bench-stamp.json"
LOG_DIR = ROOT / "results" / "bench"
EVAL_SETS = sorted((ROOT / "tests" / "eval").glob("*.yml")) + [
    ROOT.parent / "shared" / "eval" / "dev.yml",
    ROOT.parent / "shared" / "eval" / "dev2.yml",
]
STARTUP_TIMEOUT = 240.0
BOTS = ("project", "stock")

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
FIRST_QUESTION = "Where is Jinchang?"


def rasa_env(**extra: str) -> Dict[str, str]:
    """This process's environment for a rasa command: telemetry off, TensorFlow quiet."""
    return dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2", **extra)


# --- pure parts: statistics, texts, the stamp, the table ---------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, not {share}")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def plural(count: int, noun: str) -> str:
    """`1 visitor`, `10 visitors`."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def normalized(text: str) -> str:
    """A text as a cache would key it: lower case, single spaces."""
    return " ".join(text.lower().split())


def question_texts(paths: Sequence[Path], exclude: Sequence[str] = ()) -> List[str]:
    """Every question (`q:`) of the evaluation sets, in order, each once (compared lower case),
    without the `exclude` texts; missing files are skipped."""
    seen = {normalized(text) for text in exclude}
    texts: List[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            question = node.get("q")
            if isinstance(question, str) and question.strip() and normalized(question) not in seen:
                seen.add(normalized(question))
                texts.append(question.strip())
            for value in node.values():
                if not isinstance(value, str):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in paths:
        if not path.is_file():
            logger.warning("evaluation set %s not found: skipped", path)
            continue
        try:
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
        except yaml.YAMLError as error:
            raise ValueError(f"{path}: not valid YAML: {error}") from error
    return texts


def split(items: Sequence[str], parts: int) -> List[List[str]]:
    """`items` dealt round-robin into `parts` lists (visitors, or loads), none shared."""
    if parts < 1:
        raise ValueError(f"parts must be at least 1, not {parts}")
    return [list(items[start::parts]) for start in range(parts)]


def read_stamp(folder: Path) -> Optional[Dict[str, Any]]:
    """The stock bot's stamp (Rasa version, build date, training seconds), or None."""
    try:
        stamp = json.loads((folder / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


def stock_needs_build(folder: Path, rasa_version: str) -> bool:
    """True when the stock bot must be (re)built: no stamp, no model, or another Rasa version."""
    stamp = read_stamp(folder)
    if stamp is None or stamp.get("rasa_version") != rasa_version:
        return True
    if not isinstance(stamp.get("training_seconds"), (int, float)):
        return True
    return not any((folder / "models").glob("*.tar.gz"))


def write_stamp(folder: Path, rasa_version: str, training_seconds: float, built: str) -> None:
    """Record what the stock bot was built with and how long its training took."""
    stamp = {"rasa_version": rasa_version, "built": built, "training_seconds": round(training_seconds, 1)}
    (folder / STAMP_NAME).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Measure:
    """One row of the table: a figure both bots (or only this project) report."""

    key: str
    label: str
    unit: str
    higher_is_better: bool = False
    digits: int = 0


def better(values: Sequence[float], higher_is_better: bool) -> Optional[float]:
    """The best of the rounds' values, or None when there are none."""
    if not values:
        return None
    return max(values) if higher_is_better else min(values)


def ratio(project: Optional[float], stock: Optional[float], higher_is_better: bool) -> Optional[float]:
    """How many times better this project is: project/stock when higher is better (throughput),
    stock/project when lower is (latency, time, memory); None without both figures."""
    if project is None or stock is None or project <= 0 or stock <= 0:
        return None
    return project / stock if higher_is_better else stock / project


def format_ratio(value: Optional[float]) -> str:
    """A ratio as `1.85x`, or a dash when there is none."""
    return "—" if value is None else f"{value:.2f}x"


def format_value(value: Optional[float], unit: str, digits: int = 0) -> str:
    """A figure with its unit, or a dash when it was not measured."""
    return "—" if value is None else f"{value:.{digits}f} {unit}"


def render_table(
    measures: Sequence[Measure],
    project: Dict[str, Optional[float]],
    stock: Dict[str, Optional[float]],
    notes: Optional[Dict[str, Tuple[str, str]]] = None,
) -> str:
    """The Markdown table: one row per measure, both bots' figures and their ratio.

    `notes` maps a key to extra text for the project and stock cells (e.g. "(cached, ...)")."""
    notes = notes or {}
    lines = [
        "| measure | this project (absolute) | stock `rasa init` bot (absolute) "
        "| ratio, >1: project better (relative) |",
        "|---|---|---|---|",
    ]
    for measure in measures:
        mine, theirs = project.get(measure.key), stock.get(measure.key)
        mine_note, their_note = notes.get(measure.key, ("", ""))
        cells = [
            measure.label,
            (format_value(mine, measure.unit, measure.digits) + f" {mine_note}").strip(),
            (format_value(theirs, measure.unit, measure.digits) + f" {their_note}").strip(),
            format_ratio(ratio(mine, theirs, measure.higher_is_better)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def measures(visitors: Sequence[int], unique_visitors: Sequence[int]) -> List[Measure]:
    """The table's rows, in order."""
    rows = [Measure("start", "time from start to first answer", "s", digits=1)]
    for kind in SEQUENTIAL:
        rows.append(Measure(f"seq.{kind}.p50", f"sequential {kind}: p50", "ms"))
        rows.append(Measure(f"seq.{kind}.p95", f"sequential {kind}: p95", "ms"))
    for count in visitors:
        label = f"conversations, {plural(count, 'visitor')} x {len(CONVERSATION)} messages"
        rows.append(Measure(f"conv.{count}.rate", f"{label}: throughput", "msg/s", higher_is_better=True))
        rows.append(Measure(f"conv.{count}.p95", f"{label}: p95 latency", "ms"))
    for count in unique_visitors:
        label = f"unique texts, {plural(count, 'visitor')}"
        rows.append(Measure(f"unique.{count}.rate", f"{label}: throughput", "msg/s", higher_is_better=True))
        rows.append(Measure(f"unique.{count}.p95", f"{label}: p95 latency", "ms"))
    rows.append(
        Measure(
            "cpu", f"CPU per message at {plural(max(visitors), 'visitor')}, all processes", "ms", digits=1
        )
    )
    rows.append(Measure("pss", "memory (PSS) of all processes", "MB"))
    rows.append(Measure("train", "training time", "s"))
    rows.append(
        Measure(
            "kb.p50",
            "this project's knowledge-base answer alone (read_question + answer): p50",
            "ms",
            digits=1,
        )
    )
    rows.append(
        Measure(
            "kb.p95",
            "this project's knowledge-base answer alone (read_question + answer): p95",
            "ms",
            digits=1,
        )
    )
    return rows


def best_of_rounds(rounds: Sequence[Dict[str, float]], rows: Sequence[Measure]) -> Dict[str, Optional[float]]:
    """Each measure's better value over the rounds of one bot."""
    return {
        row.key: better([one[row.key] for one in rounds if row.key in one], row.higher_is_better)
        for row in rows
    }


# --- load --------------------------------------------------------------------------------------


async def ask(
    session: aiohttp.ClientSession, url: str, sender: str, text: str, require_reply: bool = True
) -> float:
    """Seconds for one REST message; fails on anything but a 200 (with a reply, if required)."""
    started = time.perf_counter()
    async with session.post(url, json={"sender": sender, "message": text}) as response:
        body = await response.json()
    if response.status != 200 or not isinstance(body, list) or (require_reply and not body):
        raise RuntimeError(f"{text!r}: HTTP {response.status} {body}")
    return time.perf_counter() - started


async def sequential(url: str, text: str, count: int, require_reply: bool = True) -> List[float]:
    """Latencies of `count` questions one at a time, ten per visitor."""
    async with aiohttp.ClientSession() as session:
        return [
            await ask(session, url, f"bench-seq-{n // 10}-{uuid.uuid4().hex[:6]}", text, require_reply)
            for n in range(count)
        ]


async def load(
    url: str, scripts: Sequence[Sequence[str]], require_reply: bool = True
) -> Tuple[float, List[float]]:
    """Wall time and per-message latencies of one visitor per script, all at once, each
    sending its script's messages in turn."""

    async def visitor(session: aiohttp.ClientSession, script: Sequence[str]) -> List[float]:
        sender = f"bench-{uuid.uuid4().hex[:8]}"
        return [await ask(session, url, sender, text, require_reply) for text in script]

    connector = aiohttp.TCPConnector(limit=len(scripts))
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=600)
    ) as session:
        started = time.perf_counter()
        latencies = await asyncio.gather(*(visitor(session, script) for script in scripts))
        return time.perf_counter() - started, [x for one in latencies for x in one]


# --- processes ---------------------------------------------------------------------------------


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
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
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


def wait_until_answering(url: str, process: subprocess.Popen, name: str) -> None:
    """Wait until `url` answers; fail when the process stops or the start takes too long."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the {name} stopped while starting (exit {process.returncode}): see {LOG_DIR}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"the {name} did not answer at {url} within {STARTUP_TIMEOUT:.0f} s")


@dataclass
class Bot:
    """A running bot: its REST webhook, the roots of its process trees, its start time."""

    name: str
    url: str
    pids: List[int]
    start_seconds: float
    require_reply: bool = True


# --- the stock bot -----------------------------------------------------------------------------


def rasa_version() -> str:
    """The installed Rasa version."""
    return package_version("rasa")


def build_stock_bot(folder: Path, version: str) -> float:
    """`rasa init --no-prompt` into an empty `folder` (it trains the model); its seconds."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    logger.info("building the stock bot in %s (rasa init, about a minute)", folder)
    with open(LOG_DIR / "stock-init.log", "wb") as log:
        started = time.perf_counter()
        subprocess.run(
            [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(folder)],
            cwd=folder,
            env=rasa_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
        )
        seconds = time.perf_counter() - started
    write_stamp(folder, version, seconds, date.today().isoformat())
    return seconds


def ensure_stock_bot(folder: Path, version: str, rebuild: bool = False) -> Tuple[Dict[str, Any], bool]:
    """The stock bot's stamp, building the bot first when needed (or asked); and whether it was
    built now."""
    built = rebuild or stock_needs_build(folder, version)
    if built:
        build_stock_bot(folder, version)
    stamp = read_stamp(folder)
    if stamp is None:
        raise RuntimeError(
            f"the stock bot in {folder} has no readable {STAMP_NAME}: see {LOG_DIR / 'stock-init.log'}"
        )
    return stamp, built


@contextmanager
def stock_bot(folder: Path) -> Iterator[Bot]:
    """The stock bot served by plain `rasa run` (REST, in-memory stores, one worker)."""
    port = free_port()
    command = [str(BIN / "rasa"), "run", "--model", "models", "--credentials", "credentials.yml"]
    command += ["--endpoints", "endpoints.yml", "--port", str(port)]
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOG_DIR / "stock.log", "ab") as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=folder, env=rasa_env(SANIC_WORKERS="1"), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_until_answering(f"http://localhost:{port}/", process, "stock bot")
            url = f"http://localhost:{port}/webhooks/rest/webhook"
            asyncio.run(sequential(url, FIRST_QUESTION, 1, require_reply=False))
            yield Bot("stock", url, [process.pid], time.perf_counter() - started, require_reply=False)
        finally:
            stop_process(process)


# --- this project ------------------------------------------------------------------------------


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


def sqlite_endpoints(folder: Path) -> Path:
    """endpoints.yml with its SQLite conversation and lock stores moved to throw-away files in
    `folder`."""
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8")) or {}
    config.setdefault("tracker_store", {})["db"] = str(folder / "conversations.db")
    config.setdefault("lock_store", {})["db"] = str(folder / "locks.db")
    path = folder / "endpoints.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def default_servers(folder: Path, log_dir: Path) -> Servers:
    """What `make run` starts, without the web page: the Rasa server with the default endpoints
    (SQLite, here in `folder`; the actions in its workers) and workers (one per CPU, or
    SANIC_WORKERS), on free ports."""
    return Servers(
        MODEL,
        endpoints=sqlite_endpoints(folder),
        rasa_port=free_port(),
        actions_port=free_port(),
        log_dir=log_dir,
    )


@contextmanager
def project_bot(servers: Servers) -> Iterator[Bot]:
    """This assistant's servers, started, with the time to the first answer."""
    started = time.perf_counter()
    with servers:
        asyncio.run(sequential(servers.rest_url, FIRST_QUESTION, 1))
        pids = [process.pid for process in servers.processes.values()]  # the action server, if any
        yield Bot("project", servers.rest_url, pids, time.perf_counter() - started)


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Plan:
    """What to measure in each round."""

    sequential_count: int
    visitors: List[int]
    unique_visitors: List[int]
    repeat: int
    unique_texts: List[List[str]]  # one share per unique-text load, none shared


def measure(bot: Bot, plan: Plan) -> Dict[str, float]:
    """One round's figures of a running bot (times in ms, memory in MB)."""
    figures = {"start": bot.start_seconds}
    logger.info("%s: started in %.1f s", bot.name, bot.start_seconds)
    asyncio.run(load(bot.url, [CONVERSATION] * 10, bot.require_reply))  # warm up
    for kind, text in SEQUENTIAL.items():
        latencies = asyncio.run(sequential(bot.url, text, plan.sequential_count, bot.require_reply))
        figures[f"seq.{kind}.p50"] = percentile(latencies, 0.5) * 1000
        figures[f"seq.{kind}.p95"] = percentile(latencies, 0.95) * 1000
    for count in plan.visitors:
        runs = []
        for _ in range(plan.repeat):
            cpu_before = sum(cpu_seconds(pid) for pid in bot.pids)
            seconds, latencies = asyncio.run(load(bot.url, [CONVERSATION] * count, bot.require_reply))
            cpu = (sum(cpu_seconds(pid) for pid in bot.pids) - cpu_before) * 1000 / len(latencies)
            runs.append((len(latencies) / seconds, percentile(latencies, 0.95) * 1000, cpu))
        rate, p95, cpu = sorted(runs)[len(runs) // 2]  # the median run by throughput
        figures[f"conv.{count}.rate"], figures[f"conv.{count}.p95"] = rate, p95
        if count == max(plan.visitors):
            figures["cpu"] = cpu
        logger.info(
            "%s: conversations, %s: %.0f msg/s, p95 %.0f ms", bot.name, plural(count, "visitor"), rate, p95
        )
    for count, texts in zip(plan.unique_visitors, plan.unique_texts):
        scripts = [script for script in split(texts, count) if script]
        seconds, latencies = asyncio.run(load(bot.url, scripts, bot.require_reply))
        figures[f"unique.{count}.rate"] = len(latencies) / seconds
        figures[f"unique.{count}.p95"] = percentile(latencies, 0.95) * 1000
        logger.info(
            "%s: %d unique texts, %s: %.0f msg/s",
            bot.name,
            len(texts),
            plural(count, "visitor"),
            len(latencies) / seconds,
        )
    figures["pss"] = sum(memory_mb(pid)[1] for pid in bot.pids)
    return figures


def training_seconds() -> float:
    """Seconds for `rasa train` of this assistant into a temporary folder."""
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [str(BIN / "rasa"), "train", "--force", "--out", out, "--data", "data", "--domain", "domain.yml"]
            + ["--config", "config.yml", "--fixed-model-name", "bench"],
            cwd=ROOT,
            env=rasa_env(),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - started


def knowledge_answer_ms(rounds: int = 20) -> Tuple[float, float]:
    """p50 and p95 of read_question + answer on the knowledge base alone, over the
    conversation's questions and a few harder ones: the part of an answer this project's code adds."""
    from knowledge.answer import answer
    from knowledge.base import load as load_kb
    from knowledge.sentences import read_question

    kb = load_kb()
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
    return percentile(latencies, 0.5) * 1000, percentile(latencies, 0.95) * 1000


def machine() -> str:
    """Cores, memory and CPU of this machine, in one line."""
    with open("/proc/meminfo") as meminfo:
        memory = next((int(line.split()[1]) // 1024**2 for line in meminfo if line.startswith("MemTotal")), 0)
    with open("/proc/cpuinfo") as cpuinfo:
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line), "")
    return f"{os.cpu_count()} cores, {memory} GiB RAM, {cpu or platform.machine()}"


@dataclass
class Options:
    """The command line, parsed."""

    production: bool = False
    workers: int = 2
    rounds: int = 2
    sequential: int = 100
    repeat: int = 3
    visitors: List[int] = field(default_factory=lambda: [1, 10, 50])
    unique_visitors: List[int] = field(default_factory=lambda: [1, 50])
    train: bool = False
    unique_limit: int = 0  # at most this many unique texts per load (0: all)
    rebuild_stock: bool = False


def setup_text(options: Options) -> str:
    """One sentence on how this project was run."""
    if options.production:
        return (
            f"production set-up (PostgreSQL tracker store, Redis lock store, {options.workers} Rasa workers, "
            "the action server)"
        )
    return (
        f"default set-up of `make run` (SQLite conversation and lock stores, {workers()} Rasa workers: "
        "one per CPU or SANIC_WORKERS, the actions in each worker)"
    )


def run(options: Options) -> str:
    """Build the stock bot if needed, start and measure both bots in turn; the Markdown report."""
    version = rasa_version()
    stamp, built_now = ensure_stock_bot(STOCK_DIR, version, options.rebuild_stock)
    rows = measures(options.visitors, options.unique_visitors)
    texts = question_texts(EVAL_SETS, exclude=CONVERSATION + list(SEQUENTIAL.values()) + [FIRST_QUESTION])
    plan = Plan(
        options.sequential,
        options.visitors,
        options.unique_visitors,
        options.repeat,
        [share[: options.unique_limit or None] for share in split(texts, len(options.unique_visitors))],
    )
    results: Dict[str, List[Dict[str, float]]] = {name: [] for name in BOTS}
    folder = Path(tempfile.mkdtemp(prefix="jinchang-bench-"))
    try:
        with ExitStack() as services:
            if options.production:
                postgres = services.enter_context(Postgres(free_port(), folder / "postgres"))
                redis = services.enter_context(Redis(free_port(), folder / "redis"))
            for number in range(options.rounds):
                for name in BOTS:
                    logger.info("round %d of %d: %s", number + 1, options.rounds, name)
                    if name == "stock":
                        context = stock_bot(STOCK_DIR)
                    elif options.production:
                        context = project_bot(production_servers(postgres, redis, options.workers, LOG_DIR))
                    else:
                        round_folder = folder / f"round-{number}"
                        round_folder.mkdir()
                        context = project_bot(default_servers(round_folder, LOG_DIR))
                    with context as bot:
                        results[name].append(measure(bot, plan))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    project, stock = (best_of_rounds(results[name], rows) for name in BOTS)
    project["kb.p50"], project["kb.p95"] = knowledge_answer_ms()
    notes = {}
    stock["train"] = float(stamp["training_seconds"])
    stock_note = (
        "(`rasa init`, measured now)"
        if built_now
        else f"(`rasa init`; cached, measured {stamp.get('built', '?')})"
    )
    if options.train:
        project["train"] = training_seconds()
        notes["train"] = ("(`rasa train --force`)", stock_note)
    else:
        notes["train"] = ("(not measured: --train)", stock_note)
    header = (
        f"Benchmark of {date.today().isoformat()} on {machine()}; Rasa {version}; load from the same machine.\n\n"
        f"- This project: {setup_text(options)}.\n"
        "- Stock bot: `rasa init --no-prompt` (its model, REST channel, in-memory stores), plain `rasa run`, "
        "1 worker.\n"
        f"- Order A B A B: {plural(options.rounds, 'round')}, each starting this project, measuring it and stopping it, "
        "then the same for the stock bot; each figure is the better of the rounds. Conversation loads run "
        f"{plural(options.repeat, 'time')} per round (the median run by throughput). Unique texts: "
        f"{sum(map(len, plan.unique_texts))} questions of the evaluation sets, split between the unique-text "
        "loads, each sent once per round.\n"
        "- Absolute figures (the two bot columns) depend on this machine; the ratio column (above 1: this "
        "project is better; project/stock for throughput, stock/project for latency, time and memory) "
        "is the figure to compare across machines.\n\n"
    )
    return header + render_table(rows, project, stock, notes)


def visitor_counts(text: str) -> List[int]:
    """`1,10,50` as [1, 10, 50]; every count at least 1."""
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}") from error
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"visitor counts must be at least 1: {text!r}")
    return counts


def parse(argv: Optional[List[str]] = None) -> Options:
    """The command line as Options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--production", action="store_true", help="PostgreSQL + Redis + --workers workers")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("SANIC_WORKERS", 2)))
    parser.add_argument("--rounds", type=int, default=2, help="rounds A B (each bot measured once per round)")
    parser.add_argument("--sequential", type=int, default=100, help="questions per sequential measure")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each conversation load per round")
    parser.add_argument("--visitors", type=visitor_counts, default=[1, 10, 50], help="conversation loads")
    parser.add_argument("--unique-visitors", type=visitor_counts, default=[1, 50], help="unique-text loads")
    parser.add_argument("--train", action="store_true", help="also time this project's training")
    parser.add_argument(
        "--unique-limit", type=int, default=0, help="at most this many unique texts per load (smoke runs)"
    )
    parser.add_argument(
        "--rebuild-stock", action="store_true", help="rebuild the stock bot (and time its training) anyway"
    )
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.repeat < 1 or args.sequential < 1:
        parser.error("--rounds, --repeat and --sequential must be at least 1")
    return Options(
        args.production,
        args.workers,
        args.rounds,
        args.sequential,
        args.repeat,
        args.visitors,
        args.unique_visitors,
        args.train,
        args.unique_limit,
        args.rebuild_stock,
    )


def main(argv: Optional[List[str]] = None) -> int:
    """Parse the options, run the benchmark, print and save the table."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    report = run(parse(argv))
    print(report)
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "bench.md").write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
