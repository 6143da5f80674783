"""Atomic file output: write to a temporary file in the same folder, then rename.

A reader of the target path sees either the old complete file or the new complete file,
never a partial one, whatever happens to the writing process.

``durable=True`` (the default) also flushes the bytes to the disk before the rename, so
the file survives a power failure. The corpus build writes its many per-document outputs
without that flush (the rename alone is atomic for a killed process) and checks every
output's size against its manifest on the next run, which rebuilds any output a power
failure truncated; the manifest itself is written durably.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_bytes(path: str | Path, data: bytes, *, durable: bool = True) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path: str | Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
