"""Fixtures that start the real servers on free ports with a conversation database in a temporary folder."""

from pathlib import Path
from typing import Callable

import pytest

from scripts.serve import Servers, free_port

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "jinchang.tar.gz"


@pytest.fixture(scope="module")
def make_servers(tmp_path_factory) -> Callable[[], Servers]:
    """A factory of Servers sharing one SQLite conversation store (so restarts keep it)."""
    if not MODEL.is_file():
        pytest.fail(f"no model at {MODEL}: run `make train` (make e2e does)")
    tmp = tmp_path_factory.mktemp("e2e")
    actions_port, rasa_port = free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        f"action_endpoint:\n  url: http://localhost:{actions_port}/webhook\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tmp / 'conversations.db'}\n"
    )

    def make() -> Servers:
        return Servers(
            MODEL,
            endpoints=endpoints,
            rasa_port=rasa_port,
            actions_port=actions_port,
            log_dir=ROOT / "results" / "e2e",
        )

    return make


@pytest.fixture(scope="module")
def servers(make_servers):
    """Both servers, running for the whole test module."""
    with make_servers() as running:
        yield running
