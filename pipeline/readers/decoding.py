"""Loading a source file: refuse what cannot be a transcript, decode the rest, split lines.

Decoding order: UTF-8 (a byte-order mark is dropped), UTF-16 when the file starts with a
UTF-16 byte-order mark, else Windows-1252 when a byte 0x80-0x9F occurs (quotes, dashes, the
euro sign and other signs there; control characters no text means in Latin-1), else
Latin-1 (the two agree on every other byte). Anything but UTF-8 is read, not rejected, and
reported as an ``input-encoding`` warning. The five bytes Windows-1252 leaves undefined
(0x81, 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD, reported with the first one's place. CRLF
and lone CR become LF; form feeds are kept inside the lines (they mark PDF page breaks).
Line numbers are 1-based.

Refused with :class:`pipeline.errors.InputError`: a missing path, a directory, anything else
that is not a regular file (a named pipe, socket or device, refused before it is opened), an
empty or whitespace-only file, and a binary file (a NUL byte, or more than 5 % control characters in
the first 64 KiB).
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.diagnostics import Diagnostic, warning
from pipeline.errors import InputError

#: bytes that do not occur in text files (C0 controls except TAB, LF, VT, FF, CR, ESC)
#: bytes that no text transcript holds in numbers: the control characters other than tab,
#: line ends, form feed and escape, and DEL (about one byte in nine of random data)
_CONTROL_BYTES = bytes([*(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)), 127])
#: bytes that are signs in Windows-1252 and control characters in Latin-1
_WINDOWS_1252_SIGNS = re.compile(rb"[\x80-\x9f]")
#: bytes Windows-1252 gives no character
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_SNIFF_SIZE = 64 * 1024
_CONTROL_SHARE_LIMIT = 0.05
#: how much of each line format detectors look at
DETECT_WIDTH = 10_000


@dataclass(slots=True)
class SourceText:
    """A decoded source: its text split into lines (without line ends)."""

    path: str
    lines: list[str]
    encoding: str = "utf-8"
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The whole decoded text with LF line ends (built on demand)."""
        return "\n".join(self.lines)

    @property
    def line_count(self) -> int:
        return len(self.lines)

    def head(self, count: int = 80, width: int = DETECT_WIDTH) -> list[str]:
        """The first ``count`` lines, each cut to ``width`` characters, for cheap detection
        (a flattened transcript is one line of many megabytes)."""
        return [line[:width] for line in self.lines[:count]]

    def tail(self, count: int = 80, width: int = DETECT_WIDTH) -> list[str]:
        """The last ``count`` lines, each cut to ``width`` characters."""
        return [line[:width] for line in self.lines[-count:]]


def _refuse_binary(data: bytes, path: str) -> None:
    sample = data[:_SNIFF_SIZE]
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data.count(b"\n", 0, offset) + 1
        raise InputError(f"this is a binary file, not a text transcript (NUL byte at offset "
                         f"{offset}); convert it to text first", path=path, line=line,
                         code="input-binary")
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if sample and controls / len(sample) > _CONTROL_SHARE_LIMIT:
        raise InputError(f"this looks like a binary file, not a text transcript ({controls} "
                         f"control characters in the first {len(sample)} bytes)", path=path,
                         code="input-binary")


def decode_bytes(data: bytes, path: str) -> tuple[str, str, list[Diagnostic]]:
    """Decode ``data``; returns (text, encoding name, diagnostics)."""
    diagnostics: list[Diagnostic] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"the file starts with a UTF-16 byte-order mark but is not valid "
                             f"UTF-16 ({exc.reason} at byte {exc.start})", path=path,
                             code="input-encoding") from None
        diagnostics.append(warning("input-encoding", "decoded as UTF-16 (byte-order mark); "
                                   "save transcripts as UTF-8", path))
        return text, "utf-16", diagnostics
    _refuse_binary(data, path)
    try:
        return data.decode("utf-8-sig"), "utf-8", diagnostics
    except UnicodeDecodeError as exc:
        where = exc.start
        line = data.count(b"\n", 0, where) + 1
    if _WINDOWS_1252_SIGNS.search(data) is None:
        encoding, label, text = "latin-1", "Latin-1", data.decode("latin-1")
    else:
        encoding, label, text = "cp1252", "Windows-1252", data.decode("cp1252", "replace")
    diagnostics.append(warning(
        "input-encoding",
        f"not valid UTF-8 (first bad byte 0x{data[where]:02x} at offset {where}); "
        f"decoded as {label}: check accented letters and quotes, and save it as UTF-8",
        path, line))
    if encoding == "cp1252" and (undefined := _CP1252_UNDEFINED.search(data)) is not None:
        offset = undefined.start()
        count = len(_CP1252_UNDEFINED.findall(data))
        diagnostics.append(warning(
            "input-encoding",
            f"byte 0x{data[offset]:02x} at offset {offset} has no character in Windows-1252: "
            f"replaced by U+FFFD ({count} such byte{'s' if count != 1 else ''} in the file)",
            path, data.count(b"\n", 0, offset) + 1))
    return text, encoding, diagnostics


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF and CR (not on form feeds or other Unicode line separators)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()            # the final line end does not start another line
    return lines


#: what a path that is no regular file is, by its file type
_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _not_regular(mode: int, shown: str) -> InputError:
    if stat.S_ISDIR(mode):
        return InputError("this is a directory, not a transcript file", path=shown,
                          code="input-directory")
    kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "a special file")
    return InputError(f"this is {kind}, not a regular file; only regular files (and pipes, "
                      "for a source) are read: reading it could never end", path=shown,
                      code="input-special")


def read_regular_file(path: str | Path, shown: str | None = None,
                      limit: int | None = None, *, pipe: bool = False) -> bytes:
    """The bytes of the regular file at ``path`` (a symbolic link is followed), refusing
    anything else with a located :class:`InputError` before it is read: a device could
    stream forever. With ``pipe``, a named pipe is read too (``/dev/stdin`` in a shell
    pipeline) without waiting for a writer that does not exist: it is opened without
    blocking, then read to its end; one that nobody writes to reads as empty.

    ``input-missing``, ``input-directory``, ``input-special`` (a socket or device, or a
    named pipe without ``pipe``), ``input-unreadable``, and ``input-too-large`` when
    ``limit`` bytes are exceeded. The type is checked again on the open descriptor, so a
    file replaced between the two checks is refused too.
    """
    shown = str(path) if shown is None else shown

    def acceptable(mode: int) -> bool:
        return stat.S_ISREG(mode) or (pipe and stat.S_ISFIFO(mode))

    try:
        mode = os.stat(path).st_mode
        if not acceptable(mode):
            raise _not_regular(mode, shown)
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _unreadable(exc, shown) from None
    with open(descriptor, "rb", closefd=True) as handle:
        info = os.fstat(descriptor)
        if not acceptable(info.st_mode):
            raise _not_regular(info.st_mode, shown)
        if stat.S_ISFIFO(info.st_mode):
            os.set_blocking(descriptor, True)   # read what the writer writes, to its end
        elif limit is not None and info.st_size > limit:
            raise InputError(f"the file is too large ({info.st_size} bytes; at most {limit})",
                             path=shown, code="input-too-large")
        try:
            data = handle.read() if limit is None else handle.read(limit + 1)
        except OSError as exc:
            raise _unreadable(exc, shown) from None
    if limit is not None and len(data) > limit:
        raise InputError(f"the file is too large (more than {limit} bytes)", path=shown,
                         code="input-too-large")
    return data


#: read-only, not inherited, and never waiting on a pipe (no effect on a regular file)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _unreadable(exc: OSError, shown: str) -> InputError:
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)) or exc.errno == errno.ELOOP:
        return InputError("no such file", path=shown, code="input-missing")
    if isinstance(exc, IsADirectoryError):
        return InputError("this is a directory, not a transcript file", path=shown,
                          code="input-directory")
    return InputError(f"cannot read the file: {exc.strerror or exc}", path=shown,
                      code="input-unreadable")


def load_text(path: str | Path) -> SourceText:
    """Read and decode a transcript, refusing files that cannot be one."""
    shown = str(path)
    data = read_regular_file(path, shown, pipe=True)
    text, encoding, diagnostics = decode_bytes(data, shown)
    del data
    if not text or text.isspace():
        raise InputError("the file is empty (or holds only white space)", path=shown,
                         code="input-empty")
    return SourceText(shown, split_lines(text), encoding, diagnostics)


def text_from_string(text: str, path: str = "<string>") -> SourceText:
    """A :class:`SourceText` for text already in memory (tests, other tools)."""
    return SourceText(path, split_lines(text))
