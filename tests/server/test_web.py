"""The web page server: only the page, its config and the widget bundle; set-up failures say how to fix them."""

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator, Tuple

import pytest

import server.web
from server.serve import Servers, SetupError, free_port
from server.web import WebServer, WebSetupError, config_script
from tests.server.test_serve import busy_port, empty_model


def get(url: str, method: str = "GET") -> Tuple[int, dict, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch) -> Path:
    """A stand-in widget bundle, so these tests do not need `npm ci`."""
    path = tmp_path / "index.js"
    path.write_text("window.WebChat = {default: function () {}};\n")
    monkeypatch.setattr(server.web, "BUNDLE", path)
    monkeypatch.setitem(server.web.FILES, "/rasa-webchat/index.js", (path, "text/javascript; charset=utf-8"))
    return path


@pytest.fixture
def web(bundle: Path) -> Iterator[WebServer]:
    server = WebServer(free_port(), socket_url="http://localhost:5999", host="127.0.0.1")
    server.start()
    yield server
    server.stop()


def test_the_page_loads_the_local_bundle_and_its_config(web):
    status, headers, body = get(web.url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode("utf-8")
    assert 'src="config.js"' in page and 'src="rasa-webchat/index.js"' in page
    assert "cdn" not in page.lower() and "https://" not in page
    assert 'initPayload: "Hello"' in page and 'storage: "local"' in page


def test_the_config_names_the_socket_server(web):
    status, headers, body = get(web.url + "config.js")
    assert status == 200 and "javascript" in headers["Content-Type"]
    assert body.decode("utf-8") == config_script("http://localhost:5999")
    assert json.loads(body.decode("utf-8").split("=", 1)[1].rstrip(";\n"))["socketPath"] == "/socket.io/"


def test_the_bundle_is_served(web, bundle):
    status, _, body = get(web.url + "rasa-webchat/index.js")
    assert status == 200 and body == bundle.read_bytes()
    status, headers, body = get(web.url + "rasa-webchat/index.js", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) == bundle.stat().st_size


def test_only_outside_requests_to_the_socket_server_are_allowed(web):
    _, headers, _ = get(web.url)
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "connect-src 'self' http://localhost:5999 ws://localhost:5999" in policy


@pytest.mark.parametrize(
    "path", ["web/", "node_modules/", "package.json", "../README.md", "%2e%2e/README.md", "server/web.py"]
)
def test_nothing_else_is_served(web, path):
    status, _, _ = get(web.url + path)
    assert status == 404


def test_a_missing_bundle_says_how_to_install_it(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(server.web, "BUNDLE", tmp_path / "absent.js")
    with pytest.raises(WebSetupError, match="npm ci"):
        WebServer(free_port(), socket_url="http://localhost:5999").check()


def test_cors_follows_the_web_port_unless_given():
    model = Path("model.tar.gz")
    assert Servers(model, web_port=8123).cors == "http://localhost:8123"
    assert Servers(model).cors == "http://localhost:8080"
    assert Servers(model, web_port=8123, cors="https://example.org").cors == "https://example.org"


def test_web_port_in_use_is_named_with_how_to_fix(tmp_path: Path, bundle):
    with busy_port() as port:
        servers = Servers(
            empty_model(tmp_path), rasa_port=free_port(), actions_port=free_port(), web_port=port
        )
        with pytest.raises(SetupError, match=rf"port {port} for the web page is in use.*WEB_PORT"):
            servers.check()
