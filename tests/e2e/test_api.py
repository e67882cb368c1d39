"""Rasa's HTTP API (the attack surface of CVE-2024-49375) is off unless a maintainer switches
it on, and then it answers only with the token."""

import json
import secrets
import urllib.error
import urllib.request
from typing import Optional

import pytest

from server.serve import Servers, SetupError

pytestmark = pytest.mark.e2e


def status(servers: Servers, path: str, token: Optional[str] = None) -> int:
    """The HTTP status of a GET to the Rasa server."""
    url = f"http://localhost:{servers.rasa_port}{path}" + (f"?token={token}" if token else "")
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


API_PATHS = ["/status", "/conversations/visitor/tracker", "/domain", "/version"]


def test_the_http_api_is_off_by_default(make_servers):
    with make_servers() as servers:
        assert servers.ask("api-visitor", "Where is Jinchang?")  # the visitors' channels work
        for path in API_PATHS:
            assert status(servers, path) == 404, path


def test_the_http_api_needs_a_token(make_servers, monkeypatch):
    monkeypatch.delenv("RASA_API_TOKEN", raising=False)
    with pytest.raises(SetupError, match="RASA_API_TOKEN"):
        make_servers(enable_api=True).start()


def test_with_the_api_on_every_call_needs_the_token(make_servers):
    token = secrets.token_hex(16)
    with make_servers(enable_api=True, env={"RASA_API_TOKEN": token}) as servers:
        servers.ask("api-visitor", "Where is Jinchang?")
        assert status(servers, "/conversations/api-visitor/tracker") == 401
        assert status(servers, "/conversations/api-visitor/tracker", token="wrong") == 401
        assert status(servers, "/status") == 401
        url = f"http://localhost:{servers.rasa_port}/conversations/api-visitor/tracker?token={token}"
        with urllib.request.urlopen(url, timeout=10) as response:
            tracker = json.loads(response.read())
        assert tracker["latest_message"]["text"] == "Where is Jinchang?"
