"""Set-up failures say what is missing and how to fix it."""

import logging
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List

import pytest

from server.serve import ROOT, Servers, SetupError, free_port, port_free


def test_missing_model_says_how_to_train(tmp_path: Path):
    servers = Servers(tmp_path / "none.tar.gz", rasa_port=free_port(), actions_port=free_port())
    with pytest.raises(SetupError, match="make train"):
        servers.check()


@contextmanager
def busy_port() -> Iterator[int]:
    """A port something listens on, while the block runs."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        yield busy.getsockname()[1]


def empty_model(tmp_path: Path) -> Path:
    """A model file that exists (its content is not read by the checks)."""
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    return model


def test_port_in_use_is_named_with_how_to_fix(tmp_path: Path):
    model = empty_model(tmp_path)
    with busy_port() as port:
        assert not port_free(port)
        servers = Servers(model, rasa_port=port, actions_port=free_port())
        with pytest.raises(SetupError, match=rf"port {port} for the Rasa server is in use.*RASA_PORT"):
            servers.check()


def with_action_server(tmp_path: Path) -> Path:
    """endpoints.yml sending the actions to an action server on the default port."""
    endpoints = tmp_path / "endpoints.yml"
    text = (ROOT / "endpoints.yml").read_text()
    endpoints.write_text(text.replace("actions_module: actions", 'url: "http://localhost:5055/webhook"'))
    return endpoints


def test_the_rasa_server_calls_the_action_server_on_its_own_port(tmp_path):
    """`make run ACTIONS_PORT=6123` must not send actions to a server on the default port."""
    servers = Servers(tmp_path / "model.tar.gz", endpoints=with_action_server(tmp_path), actions_port=6123)
    endpoints = servers._endpoints_for_actions()
    assert (
        "http://localhost:6123/webhook" in endpoints.read_text()
        and "var/conversations.db" in endpoints.read_text()
    )
    default = Servers(tmp_path / "model.tar.gz", endpoints=with_action_server(tmp_path), actions_port=5055)
    assert default._endpoints_for_actions() == with_action_server(tmp_path)


def test_an_action_server_is_started_only_for_endpoints_with_its_url(tmp_path):
    assert not Servers(tmp_path / "model.tar.gz", endpoints=ROOT / "endpoints.yml").action_server
    assert Servers(tmp_path / "model.tar.gz", endpoints=ROOT / "endpoints.production.yml").action_server
    assert Servers(tmp_path / "model.tar.gz", endpoints=with_action_server(tmp_path)).action_server
    in_process = Servers(tmp_path / "model.tar.gz", endpoints=ROOT / "endpoints.yml", actions_port=6123)
    assert in_process._endpoints_for_actions() == ROOT / "endpoints.yml"


def test_the_actions_port_is_checked_only_when_an_action_server_is_started(tmp_path: Path):
    model = empty_model(tmp_path)
    with busy_port() as port:
        Servers(model, rasa_port=free_port(), actions_port=port).check()  # actions in the Rasa server
        servers = Servers(
            model, endpoints=with_action_server(tmp_path), rasa_port=free_port(), actions_port=port
        )
        with pytest.raises(SetupError, match=rf"port {port} for the action server is in use"):
            servers.check()


def test_a_server_that_ends_is_started_again_after_a_pause_and_said_so(tmp_path, monkeypatch, caplog):
    servers = Servers(tmp_path / "model.tar.gz", endpoints=with_action_server(tmp_path))
    started: List[subprocess.Popen] = []

    def spawn_actions() -> None:  # a stand-in for the action server that ends at once
        started.append(subprocess.Popen(["true"]))
        servers.processes["actions"] = started[-1]

    monkeypatch.setattr(servers, "_spawn_actions", spawn_actions)
    spawn_actions()
    started[0].wait()
    with caplog.at_level(logging.INFO, logger="server.serve"):
        servers.watch()
        assert len(started) == 1 and "actions" in servers.due
        time.sleep(1.1)
        servers.watch()
    assert len(started) == 2 and not servers.due
    assert (
        f"The action server (pid {started[0].pid}) exited with code 0; starting it again in 1 s"
        in caplog.text
    )
    assert f"The action server started again (pid {started[1].pid})" in caplog.text
    started[1].wait()
    servers.watch()
    assert servers.due["actions"] - time.monotonic() > 1.5  # ended again at once: a longer pause
