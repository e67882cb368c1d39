"""End to end, as a maintainer works: edit the document, `make run`, ask.

A copy of the project gets another document (tests/knowledge/documents/reworded.txt:
other wording, new figures, a new honour, a new attraction, practical facts); `make run`
there must rebuild the knowledge base, retrain the model and serve answers from the new
text. The copy shares this checkout's .venv and web/node_modules (their install stamps
stay newer than the lock files), so only the document's targets are remade.
"""

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
import yaml

from server.serve import free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ROOT / "tests" / "knowledge" / "documents"
START_TIMEOUT = 600  # rebuild, retrain and start


def copy_project(target: Path) -> None:
    """The tracked files, with their modification times, plus links to the installs."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in tracked.stdout.splitlines():
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    (target / "web" / "node_modules").symlink_to(ROOT / "web" / "node_modules")


def messages(url: str, sender: str, text: str) -> list:
    """The bot's messages over REST: text, buttons, custom.sources."""
    request = urllib.request.Request(
        url, json.dumps({"sender": sender, "message": text}).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def ask(url: str, sender: str, text: str) -> str:
    return "\n".join(m.get("text") or "" for m in messages(url, sender, text))


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """`make run` in a copy of the project whose document was edited; yields the REST URL."""
    project = tmp_path_factory.mktemp("edited")
    copy_project(project)
    shutil.copy(DOCUMENTS / "reworded.txt", project / "knowledge" / "jinchang.txt")
    ports = {name: str(free_port()) for name in ("RASA_PORT", "ACTIONS_PORT", "WEB_PORT")}
    log = open(ROOT / "results" / "e2e-edited-document.log", "wb") if (ROOT / "results").is_dir() else None
    process = subprocess.Popen(
        ["make", "run", *(f"{k}={v}" for k, v in ports.items())],
        cwd=project,
        env=dict(os.environ, **ports),
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://localhost:{ports['RASA_PORT']}/webhooks/rest/webhook"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            assert process.poll() is None, "make run stopped: see results/e2e-edited-document.log"
            assert time.monotonic() < deadline, f"make run did not answer within {START_TIMEOUT} s"
            try:
                ask(url, "probe", "hello")
                break
            except OSError:
                time.sleep(2)
        yield project, url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def test_make_run_rebuilds_and_retrains_from_the_edited_document(edited):
    project, _ = edited
    kb = json.loads((project / "knowledge" / "build" / "kb.json").read_text(encoding="utf-8"))
    assert kb["city"]["population"]["text"] == "436,700"
    generated = (project / "data" / "nlu" / "generated" / "attractions.yml").read_text(encoding="utf-8")
    assert "Beihai Wetland Park" in generated
    assert (project / "models" / "jinchang.tar.gz").stat().st_mtime > (
        ROOT / "knowledge" / "jinchang.txt"
    ).stat().st_mtime


QUESTIONS = yaml.safe_load((DOCUMENTS / "reworded.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("item", QUESTIONS["answered"], ids=lambda item: item["q"])
def test_the_running_assistant_answers_what_the_document_now_says(edited, item):
    _, url = edited
    reply = ask(url, f"e2e-{uuid.uuid4().hex[:8]}", item["q"])
    assert all(fragment in reply for fragment in item["expect"]), reply
    assert not reply.startswith("Sorry"), reply


@pytest.mark.parametrize("item", QUESTIONS["unknown"], ids=lambda item: item["q"])
def test_the_running_assistant_admits_what_the_document_does_not_say(edited, item):
    _, url = edited
    reply = ask(url, f"e2e-{uuid.uuid4().hex[:8]}", item["q"])
    assert reply.startswith("Sorry") and not any(f in reply for f in item.get("forbid", [])), reply


def test_answers_cite_the_edited_document_and_their_suggestions_are_answered(edited):
    project, url = edited
    document = " ".join((project / "knowledge" / "jinchang.txt").read_text(encoding="utf-8").split())
    suggested = {}
    for item in QUESTIONS["answered"]:
        shown = messages(url, f"e2e-{uuid.uuid4().hex[:8]}", item["q"])
        for source in [s for m in shown for s in (m.get("custom") or {}).get("sources", [])]:
            assert source["sentence"] in document, item["q"]
        for button in shown[-1].get("buttons") or []:
            suggested.setdefault(button["payload"], item["q"])
    assert suggested
    for payload, after in suggested.items():
        shown = messages(url, f"e2e-{uuid.uuid4().hex[:8]}", payload)
        text = " ".join(m.get("text") or "" for m in shown)
        cited = [s for m in shown for s in (m.get("custom") or {}).get("sources", [])]
        assert cited and not text.startswith("Sorry"), f"{payload!r} (after {after!r}): {text}"
