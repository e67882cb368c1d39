"""Serve the web chat page: the rasa-webchat widget talking to the Rasa server's socket.io channel.

Only three things are served: the page (`web/index.html`), a generated `config.js` naming the
socket.io server, and the widget bundle installed by npm. Nothing else, and no directory listing.
"""

import json
import logging
import threading
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
PAGE = WEB / "index.html"
BUNDLE = WEB / "node_modules" / "rasa-webchat" / "lib" / "index.js"
SOCKET_PATH = "/socket.io/"

# URL path -> (file, content type); "/config.js" is generated per server.
FILES: Dict[str, Tuple[Path, str]] = {
    "/": (PAGE, "text/html; charset=utf-8"),
    "/index.html": (PAGE, "text/html; charset=utf-8"),
    "/rasa-webchat/index.js": (BUNDLE, "text/javascript; charset=utf-8"),
}


class WebSetupError(RuntimeError):
    """The page or the widget bundle is missing; the message says how to fix it."""


def config_script(socket_url: str) -> str:
    """The `config.js` that tells the page where the socket.io server is."""
    config = {"socketUrl": socket_url, "socketPath": SOCKET_PATH}
    return f"window.JINCHANG = {json.dumps(config)};\n"


def content_security_policy(socket_url: str) -> str:
    """Everything from this server only, except the socket.io connection: the widget's
    stylesheet imports a font from Google Fonts, and this keeps the page off any CDN."""
    websocket_url = "ws" + socket_url[len("http") :] if socket_url.startswith("http") else socket_url
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data:; font-src 'self' data:; connect-src 'self' {socket_url} {websocket_url}"
    )


class PageHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the page, its config and the widget bundle; 404 for anything else."""

    server_version = "JinchangWeb"

    def __init__(self, *args: Any, socket_url: str, **kwargs: Any) -> None:
        self.socket_url = socket_url
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        """Send the file named by the path."""
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        """Send the headers of the file named by the path."""
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == "/config.js":
            body, kind = config_script(self.socket_url).encode("utf-8"), "text/javascript; charset=utf-8"
        elif path in FILES:
            file, kind = FILES[path]
            try:
                body = file.read_bytes()
            except OSError as error:
                logger.error("cannot read %s: %s", file, error)
                self.send_error(HTTPStatus.NOT_FOUND)
                return
        else:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", content_security_policy(self.socket_url))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # the base class names it `format`
        logger.debug("web %s: " + format, self.address_string(), *args)


class WebServer:
    """The page server on its own port, in a background thread (start, stop)."""

    def __init__(self, port: int, socket_url: str, host: str = "0.0.0.0") -> None:
        self.port, self.socket_url, self.host = port, socket_url, host
        self._server: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        """Where a browser on this machine opens the page."""
        return f"http://localhost:{self.port}/"

    def check(self) -> None:
        """Fail early, saying how to fix it, when the page or the widget bundle is missing."""
        if not PAGE.is_file():
            raise WebSetupError(f"no web page at {PAGE}")
        if not BUNDLE.is_file():
            raise WebSetupError(
                f"the rasa-webchat widget is not installed (no {BUNDLE}): "
                "run `cd web && npm ci` (make run does)"
            )

    def start(self) -> None:
        """Listen on the port and serve in a background thread."""
        self.check()
        handler = partial(PageHandler, socket_url=self.socket_url)
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="web", daemon=True)
        self._thread.start()
        logger.debug("web page at %s, socket.io at %s", self.url, self.socket_url)

    def stop(self) -> None:
        """Stop serving and close the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
