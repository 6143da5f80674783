"""Atomic file output: write to a temporary file in the same folder, then rename.

A reader of the target path sees either the old complete file or the new complete file,
never a partial one, whatever happens to the writing process.

``durable=True`` (the default) also flushes the bytes to the disk before the rename, so
the file survives a power failure. The corpus build writes its many per-document outputs
without that flush (the rename alone is atomic for a killed process) and checks every
output's size against its manifest on the next run, which rebuilds any output a power
failure truncated; the manifest itself is written durably.

A file that cannot be written (a missing or read-only place, a file where a folder should
be, no permission, no space left) raises :class:`OutputError`, a usage error that names
the path and the system's reason.

A written file gets the permissions of any new file (``0o644`` under the usual umask).
The temporary file is ``.<name>.<random>.tmp`` beside the target, created exclusively, so
that two writers of one target never share a temporary file; one left behind by a killed
process is removed by the next build's clean-up.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from pipeline.errors import UsageError

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_ATTEMPTS = 100


class OutputError(UsageError):
    """An output cannot be written where it was asked for: a missing or read-only place,
    a file where a folder should be, no permission, no space left (exit code 2)."""

    code = "output-unwritable"


def output_error(target: str | Path, exc: OSError, action: str = "write") -> OutputError:
    """The error to report when ``target`` cannot be written: the path and the system's
    reason (with the file in the way, when a folder on the path is a file)."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        blocker = _file_in_the_way(Path(target))
        if blocker is not None:
            reason = f"{blocker} is a file, not a folder ({reason})"
    return OutputError(f"cannot {action} {target}: {reason}", path=str(target))


def _file_in_the_way(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return None


def make_folder(folder: str | Path) -> None:
    """Make ``folder`` (and its parents) when missing; :class:`OutputError` when it cannot
    be made or written into."""
    try:
        os.makedirs(folder, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))
    except OSError as exc:
        raise output_error(folder, exc, "make or write into the folder") from exc


def open_temporary(target: str | Path) -> tuple[int, str]:
    """A new temporary file beside ``target`` (its folder is made when missing), open for
    writing: its descriptor and path. :class:`OutputError` when it cannot be made."""
    folder, name = os.path.split(os.fspath(target))
    try:
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
        raise FileExistsError(errno.EEXIST, "no free temporary name", folder)
    except OSError as exc:
        raise output_error(target, exc) from exc


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
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise output_error(path, exc) from exc
        raise
    return status


def write_text(path: str | Path, text: str) -> os.stat_result:
    return write_bytes(path, text.encode("utf-8"))
