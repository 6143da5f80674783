"""edition serve: the built edition over HTTP on this machine."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.client import HTTPConnection
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import UsageError
from pipeline.serve import make_server, start_page


@contextmanager
def serving(directory: Path) -> Iterator[int]:
    server = make_server(directory, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _edition(tmp_path: Path) -> Path:
    out = tmp_path / "output"
    (out / "html").mkdir(parents=True)
    (out / "text").mkdir()
    (out / "html" / "index.html").write_text("<html><body>Index</body></html>",
                                             encoding="utf-8")
    (out / "text" / "doc.txt").write_text("Привет", encoding="utf-8")
    (out / "report.html").write_text("<html>report</html>", encoding="utf-8")
    return out


def test_root_redirects_to_the_index_page(tmp_path: Path) -> None:
    out = _edition(tmp_path)
    with serving(out) as port:
        connection = HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 302
        assert response.getheader("Location") == "/html/index.html"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as page:
            assert b"Index" in page.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/text/doc.txt") as text:
            assert text.headers["Content-Type"] == "text/plain; charset=utf-8"
            assert text.read().decode("utf-8") == "Привет"


def test_start_page_choices(tmp_path: Path) -> None:
    out = _edition(tmp_path)
    assert start_page(out) == "/html/index.html"
    assert start_page(out / "html") is None  # serves its own index.html
    (out / "html" / "index.html").unlink()
    assert start_page(out) == "/report.html"


def test_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        make_server(tmp_path / "nothing", port=0)
    result = CliRunner().invoke(main, ["serve", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "error[usage]: no such folder" in result.output


def test_busy_port_is_a_usage_error(tmp_path: Path) -> None:
    out = _edition(tmp_path)
    with serving(out) as port, pytest.raises(UsageError, match="already in use"):
        make_server(out, port=port)
