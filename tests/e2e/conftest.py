"""Fixtures that start the real servers on free ports with a conversation database in a temporary folder,
and a throwaway Synapse homeserver for the Matrix channel."""

import secrets
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from server.serve import Servers, free_port
from tests.e2e.matrix import MatrixSetup, Synapse
from tests.e2e.wechat import TOKEN as WECHAT_TOKEN

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "jinchang.tar.gz"


@pytest.fixture(scope="module")
def make_servers(tmp_path_factory) -> Callable[..., Servers]:
    """A factory of Servers sharing one SQLite conversation and lock store (so restarts keep
    them), with the default number of workers and the actions in the Rasa server, as `make run`
    starts them."""
    if not MODEL.is_file():
        pytest.fail(f"no model at {MODEL}: run `make train` (make e2e does)")
    tmp = tmp_path_factory.mktemp("e2e")
    actions_port, rasa_port = free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        "action_endpoint:\n  actions_module: actions\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tmp / 'conversations.db'}\n"
        f"lock_store:\n  type: stores.locks.SQLiteLockStore\n  db: {tmp / 'locks.db'}\n"
    )

    def make(**options: Any) -> Servers:
        return Servers(
            MODEL,
            endpoints=endpoints,
            rasa_port=rasa_port,
            actions_port=actions_port,
            log_dir=ROOT / "results" / "e2e",
            **options,
        )

    return make


@pytest.fixture(scope="module")
def servers(make_servers):
    """The servers, running for the whole test module."""
    with make_servers() as running:
        yield running


@pytest.fixture(scope="module")
def synapse(tmp_path_factory) -> Iterator[Synapse]:
    """A real Synapse homeserver on a free port, SQLite in a temporary folder."""
    homeserver = Synapse(tmp_path_factory.mktemp("synapse"), free_port(), log_dir=ROOT / "results" / "e2e")
    homeserver.configure()
    homeserver.start()
    yield homeserver
    homeserver.stop()


@pytest.fixture(scope="module")
def matrix(make_servers, synapse, tmp_path_factory) -> Iterator[MatrixSetup]:
    """The servers with the Matrix channel on, as the bot account on `synapse` (and WeChat, plain)."""
    password = secrets.token_hex(12)
    bot = synapse.register("jinbot", password)
    credentials = tmp_path_factory.mktemp("matrix") / "credentials.yml"
    text = (ROOT / "credentials.yml").read_text()
    if "channels.matrix.MatrixInput" not in text:
        text += "\nchannels.matrix.MatrixInput:\n"
    credentials.write_text(text)
    env = {
        "MATRIX_ACCESS_TOKEN": "",  # a password login, as the bot's device
        "MATRIX_HOMESERVER": synapse.url,
        "MATRIX_USER_ID": bot.user_id,
        "MATRIX_PASSWORD": password,
        "MATRIX_STORE_PATH": str(tmp_path_factory.mktemp("matrix-store")),  # not the real var/
        # WeChat in plain mode too (test_channels_agree), without the API.
        "WECHAT_TOKEN": WECHAT_TOKEN,
        **dict.fromkeys(["WECHAT_APP_ID", "WECHAT_APP_SECRET", "WECHAT_AES_KEY", "WECHAT_API_URL"], ""),
    }
    servers = make_servers(credentials=credentials, env=env)
    servers.start()
    setup = MatrixSetup(servers, synapse, bot)
    try:
        try:
            setup.wait_connected()
        except AssertionError as error:
            pytest.fail(str(error))
        yield setup
    finally:
        servers.stop()
