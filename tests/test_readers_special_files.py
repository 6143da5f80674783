"""Paths that are not regular files (named pipes, devices) are refused before they are
opened: opening a named pipe for reading waits until something writes to it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import InputError
from pipeline.readers import read_source
from pipeline.readers.decoding import read_regular_file

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")

ROOT = Path(__file__).resolve().parent.parent


def _without_hanging(fifo: Path, call: Callable[[], Any]) -> BaseException | Any:
    """Run ``call``; if it is still blocked after a while, open the pipe for writing (which
    lets a reader's open return) so that the test fails instead of hanging."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():
        with open(fifo, "wb"):
            pass
        worker.join(20)
        pytest.fail("reading the named pipe blocked")
    return outcome[0]


def test_a_named_pipe_nobody_writes_to_reads_as_empty_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    caught = _without_hanging(fifo, lambda: read_source(fifo))
    assert isinstance(caught, InputError)
    assert caught.code == "input-empty"
    assert caught.path == str(fifo)


def test_a_named_pipe_with_a_writer_is_read_to_its_end(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    text = "Smith: Hello.\n\nJones: Good morning.\n"

    def write() -> None:
        with open(fifo, "w", encoding="utf-8") as handle:  # waits for the reader
            handle.write(text[:10])
            handle.flush()
            handle.write(text[10:])

    threading.Thread(target=write, daemon=True).start()
    source = _without_hanging(fifo, lambda: read_source(fifo))
    assert not isinstance(source, BaseException), source
    assert "Good morning." in " ".join(block.text for block in source.blocks)


def test_a_sidecar_is_never_read_from_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "x.meta.json"
    os.mkfifo(fifo)
    with pytest.raises(InputError) as caught:
        read_regular_file(fifo)
    assert caught.value.code == "input-special" and "named pipe" in caught.value.message


def test_character_device_is_refused() -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    with pytest.raises(InputError) as caught:
        read_regular_file("/dev/zero")
    assert caught.value.code == "input-special" and "character device" in caught.value.message


def test_symbolic_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("Smith: Hello.\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert read_regular_file(link) == b"Smith: Hello.\n"


def test_sidecar_that_is_a_named_pipe_is_not_opened(tmp_path: Path) -> None:
    body = tmp_path / "page.txt"
    body.write_text("A paragraph of the scraped page.\n", encoding="utf-8")
    fifo = tmp_path / "page.meta.json"
    os.mkfifo(fifo)
    detected = _without_hanging(fifo, lambda: read_source(body))
    assert not isinstance(detected, BaseException)
    assert detected.sidecar is None
    forced = _without_hanging(fifo, lambda: read_source(body, reader="wcda-scrape"))
    assert not isinstance(forced, BaseException)
    notes = [d for d in forced.diagnostics if d.code == "reader-sidecar"]
    assert len(notes) == 1 and "named pipe" in notes[0].message
    assert notes[0].path == str(fifo)
    assert forced.sidecar is None


def test_convert_command_does_not_wait_on_a_named_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "f.txt"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "pipeline", "convert", str(fifo)],
                            capture_output=True, text=True, timeout=60, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1
    assert f"{fifo}: error[input-empty]" in result.stderr
    assert "Traceback" not in result.stderr
