"""``edition serve``: look at a built edition in a browser, over HTTP on this machine.

The whole output folder is served, so the pages' links to ``../tei/<id>.xml``,
``../text/<id>.txt`` and ``../report.html`` work; ``/`` leads to ``html/index.html``. The same
can be done with ``python -m http.server -d output 8000`` and opening ``/html/``.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from pipeline.errors import UsageError

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}


class EditionRequestHandler(SimpleHTTPRequestHandler):
    """Static files from the edition folder; ``/`` redirects to the index page."""

    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **_TYPES}
    start_page: str | None = None

    def do_GET(self) -> None:
        if self.start_page and self.path.split("?", 1)[0] in ("/", ""):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", self.start_page)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the terminal shows the announcement, not every request


def start_page(directory: Path) -> str | None:
    """Where ``/`` leads: the edition index when the folder is a build's output folder."""
    if (directory / "index.html").is_file():
        return None
    if (directory / "html" / "index.html").is_file():
        return "/html/index.html"
    if (directory / "report.html").is_file():
        return "/report.html"
    return None


def make_server(directory: Path, *, host: str = "127.0.0.1", port: int = 8000
                ) -> ThreadingHTTPServer:
    """An HTTP server for ``directory`` (not yet serving); ``port=0`` picks a free port."""
    if not directory.is_dir():
        raise UsageError(f"no such folder: {directory} (build the edition first: "
                         "edition build -o DIR)", path=str(directory))
    handler = type("Handler", (EditionRequestHandler,), {"start_page": start_page(directory)})
    try:
        return ThreadingHTTPServer((host, port), partial(handler, directory=str(directory)))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is already in use on {host}; "
                             "choose another with --port") from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def serve_directory(directory: Path, *, host: str = "127.0.0.1", port: int = 8000,
                    announce: Callable[[str], None] = print) -> None:
    """Serve ``directory`` until interrupted (Ctrl-C)."""
    server = make_server(directory, host=host, port=port)
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    announce(f"http://{shown}:{bound_port}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
