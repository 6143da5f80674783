"""Atomic file output: write to a temporary file in the same folder, then rename.

A reader of the target path sees either the old complete file or the new complete file,
never a partial one, whatever happens to the writing process.

``durable=True`` (the default) also flushes the bytes to the disk before the rename, so
the file survives a power failure. The corpus build writes its many per-document outputs
without that flush (the rename alone is atomic for a killed process) and checks every
output's size against its manifest on the next run, which rebuilds any output a power
failure truncated; the manifest itself is written durably.

A written file gets the permissions of any new file (``0o644`` under the usual umask).
The temporary file is ``.<name>.<random>.tmp`` beside the target, created exclusively, so
that two writers of one target never share a temporary file; one left behind by a killed
process is removed by the next build's clean-up.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_ATTEMPTS = 100


def open_temporary(target: str | Path) -> tuple[int, str]:
    """A new temporary file beside ``target`` (its folder is made when missing), open for
    writing: its descriptor and path."""
    folder, name = os.path.split(os.fspath(target))
    for attempt in range(_ATTEMPTS):
        path = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(path, _FLAGS, 0o644), path
        except FileExistsError:
            continue
        except FileNotFoundError:
            if attempt or not folder:
                raise
            os.makedirs(folder, exist_ok=True)
            return os.open(path, _FLAGS, 0o644), path
    raise FileExistsError(f"no free temporary name beside {target}")


def write_bytes(path: str | Path, data: bytes, *, durable: bool = True) -> os.stat_result:
    """Write ``data`` to ``path`` atomically; the written file's status (size, times)."""
    fd, tmp = open_temporary(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
            status = os.fstat(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return status


def write_text(path: str | Path, text: str) -> os.stat_result:
    return write_bytes(path, text.encode("utf-8"))
