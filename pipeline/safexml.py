"""Parsing XML that may come from anywhere, without letting it read files or reach the network.

Every XML file the project reads (its own TEI, TEI from other archives, schemas) goes through
:func:`parse_bytes` or :func:`parse_file`. A DOCTYPE is refused before any of it is acted on,
entities are never expanded, DTDs and XIncludes are never loaded, and there is no network.

The guarantees, and what enforces each:

- The prolog (everything before the root element) is scanned for ``<!DOCTYPE`` in the
  file's own encoding (UTF-8, UTF-16 or UTF-32, with or without a byte-order mark), however
  long the comments or processing instructions before it, and the file is refused before
  the XML parser sees it. Internal subsets (entity declarations, billion-laughs),
  ``SYSTEM`` and ``PUBLIC`` identifiers are therefore never read.
- The parser itself is configured to load no DTD, expand no entity, use no network and
  not collect IDs; after parsing, a document that still carries a DOCTYPE is refused.
- Nothing here performs XInclude processing, and nothing follows ``xml-model``,
  ``xsi:schemaLocation`` or stylesheet references: callers only report them.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.errors import InputError, UnsafeXMLError

#: how deeply elements may nest: libxml2's limit without its "huge" option, which the parsers
#: here never set (the XSLT engine is given the same limit)
MAX_DEPTH = 256

_XML_DECL = re.compile(rb"""^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")
_DOCTYPE_MESSAGE = (
    "the file has a DOCTYPE declaration; DTDs and entities are not loaded from untrusted "
    "files. Remove the DOCTYPE (and replace any entity references with the characters "
    "they stand for)")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Encodings whose every byte sequence decodes: a mismatch can only be guessed.
_SINGLE_BYTE = {"iso-8859-1", "latin-1", "latin1", "iso8859-1", "l1", "windows-1252",
                "cp1252", "iso-8859-15", "iso8859-15", "latin-9"}
_UTF8_NAMES = {"utf-8", "utf8"}


def make_parser(*, remove_blank_text: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_blank_text=remove_blank_text,
        collect_ids=False,
    )


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _sniff_unicode(data: bytes) -> tuple[str | None, int]:
    """The Unicode encoding the first bytes announce (BOM or UTF-16/32 '<'), and BOM length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    head = data[:4]
    if head == b"\x00\x00\x00<":
        return "utf-32-be", 0
    if head == b"<\x00\x00\x00":
        return "utf-32-le", 0
    if head[:2] == b"\x00<":
        return "utf-16-be", 0
    if head[:2] == b"<\x00":
        return "utf-16-le", 0
    return None, 0


def _prolog(data: bytes) -> tuple[Any, int]:
    """The document as far as its prolog can be read, and how far the scan may go.

    ASCII-compatible files are scanned as bytes in place (the prolog's markup is ASCII
    whatever the declared encoding); UTF-16 and UTF-32 files are decoded first.
    """
    encoding, skip = _sniff_unicode(data)
    if encoding is None or encoding == "utf-8":
        return data, skip
    text = data[skip:].decode(encoding, errors="replace")
    return text, 0


def find_doctype(data: bytes) -> tuple[int, int] | None:
    """Where the DOCTYPE declaration is (line, col), scanning the whole prolog, or None."""
    doc, pos = _prolog(data)
    if isinstance(doc, bytes):
        pi, comment, comment_end, pi_end, doctype = b"<?", b"<!--", b"-->", b"?>", b"<!DOCTYPE"
        newline: Any = b"\n"
        blanks: Any = (b" ", b"\t", b"\r", b"\n")
    else:
        pi, comment, comment_end, pi_end, doctype = "<?", "<!--", "-->", "?>", "<!DOCTYPE"
        newline = "\n"
        blanks = (" ", "\t", "\r", "\n", "\ufeff")
    n = len(doc)
    while pos < n:
        if doc[pos:pos + 1] in blanks:
            pos += 1
        elif doc.startswith(pi, pos):
            end = doc.find(pi_end, pos + 2)
            if end < 0:
                return None
            pos = end + 2
        elif doc.startswith(comment, pos):
            end = doc.find(comment_end, pos + 4)
            if end < 0:
                return None
            pos = end + 3
        elif doc[pos:pos + 9].upper() == doctype:
            line = doc.count(newline, 0, pos) + 1
            col = pos - (doc.rfind(newline, 0, pos) + 1) + 1
            if isinstance(doc, bytes) and data.startswith(codecs.BOM_UTF8):
                col -= 3 if line == 1 else 0
            return line, col
        else:
            return None  # the root element (or something malformed the parser will report)
    return None


def declared_encoding(data: bytes) -> str | None:
    """The ``encoding`` pseudo-attribute of the XML declaration, lower-cased, if any."""
    encoding, skip = _sniff_unicode(data)
    if encoding is not None and not encoding.startswith("utf-8"):
        head = data[skip:skip + 400].decode(encoding, errors="replace").encode("ascii", "replace")
    else:
        head = data[skip:skip + 400]
    match = _XML_DECL.match(head)
    return match.group(1).decode("ascii").lower() if match else None


def check_encoding(data: bytes, path: str = "<input>") -> Diagnostic | None:
    """Report an encoding declaration that does not match the bytes, or None if they agree.

    Two cases are certain and are errors: bytes that are not valid in the declared (or
    default UTF-8) encoding, and non-ASCII bytes under ``us-ascii``. One is a strong
    guess and is also an error, because the text would come out garbled: a single-byte
    declaration (ISO-8859-1, windows-1252 ...) over bytes that are valid UTF-8 and
    contain multi-byte sequences.
    """
    sniffed, skip = _sniff_unicode(data)
    declared = declared_encoding(data)
    body = data[skip:]
    if sniffed is not None and sniffed.startswith("utf-8") and declared not in (
            None, *_UTF8_NAMES):
        return Diagnostic(
            "xml-encoding-mismatch", Severity.ERROR,
            f'the file starts with a UTF-8 byte-order mark but declares encoding="{declared}". '
            'Fix: declare encoding="UTF-8" (or remove the byte-order mark and re-save the '
            f"file in {declared})", path, 1, 1)
    if sniffed is not None and not sniffed.startswith("utf-8"):
        return None  # UTF-16/32: the parser checks these itself
    name = declared or "utf-8"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None  # an encoding Python does not know: leave it to the parser
    if codec == "utf-8":
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, col = _line_col(data, exc.start + skip)
            bad = body[exc.start:exc.start + 1].hex().upper()
            guess = ""
            try:
                body.decode("cp1252")
                guess = ' The bytes read as windows-1252/ISO-8859-1: declare that encoding ' \
                        '(encoding="ISO-8859-1") or re-save the file as UTF-8.'
            except UnicodeDecodeError:
                guess = " Re-save the file as UTF-8 or declare its real encoding."
            said = f'declares encoding="{declared}"' if declared else \
                "has no encoding declaration, which means UTF-8"
            return Diagnostic(
                "xml-encoding-mismatch", Severity.ERROR,
                f"the file {said}, but byte 0x{bad} here is not valid UTF-8.{guess}",
                path, line, col)
        return None
    if codec == "ascii":
        for index, byte in enumerate(body):
            if byte > 0x7F:
                line, col = _line_col(data, index + skip)
                return Diagnostic(
                    "xml-encoding-mismatch", Severity.ERROR,
                    f'the file declares encoding="{declared}" but byte 0x{byte:02X} here is '
                    "not ASCII. Fix: declare the real encoding (usually UTF-8)", path, line, col)
        return None
    if name in _SINGLE_BYTE or codec in ("cp1252", "latin_1", "iso8859_15"):
        if not any(byte > 0x7F for byte in body):
            return None
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return None  # genuinely single-byte text
        first = next(i for i, ch in enumerate(text) if ord(ch) > 0x7F)
        offset = len(text[:first].encode("utf-8")) + skip
        line, col = _line_col(data, offset)
        sample = text[first]
        garbled = sample.encode("utf-8").decode(codec, errors="replace")
        return Diagnostic(
            "xml-encoding-mismatch", Severity.ERROR,
            f'the file declares encoding="{declared}" but its bytes are UTF-8: "{sample}" would '
            f'be read as "{garbled}". Fix: change the declaration to encoding="UTF-8"',
            path, line, col)
    try:
        body.decode(codec)
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start + skip)
        return Diagnostic(
            "xml-encoding-mismatch", Severity.ERROR,
            f'the file declares encoding="{declared}" but the bytes here are not valid in it. '
            "Fix: declare the real encoding or re-save the file", path, line, col)
    return None


def parse_bytes(data: bytes, path: str = "<input>") -> etree._ElementTree:
    """Parse untrusted XML; raise a located :class:`InputError` for anything wrong with it."""
    where = find_doctype(data)
    if where is not None:
        raise UnsafeXMLError(_DOCTYPE_MESSAGE, path=path, line=where[0], col=where[1],
                             code="xml-doctype")
    try:
        root = etree.fromstring(data, make_parser(), base_url=None)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (None, None)
        message = exc.msg or str(exc)
        message = re.sub(r", line \d+, column \d+$", "", message)
        if message.startswith("Excessive depth in document"):
            raise InputError(f"elements nest more than {MAX_DEPTH} levels deep here; documents "
                             "nested this deeply are refused (a limit against hostile input: "
                             "TEI documents rarely nest 30 levels)", path=path, line=line,
                             col=col, code="xml-too-deep") from None
        raise InputError(f"not well-formed XML: {message}", path=path, line=line, col=col,
                         code="xml-malformed") from None
    if root is None:
        raise InputError("not well-formed XML: no root element", path=path, line=1, col=1,
                         code="xml-malformed")
    tree = root.getroottree()
    if tree.docinfo.doctype:  # the prolog scan missed it: refuse all the same
        raise UnsafeXMLError(_DOCTYPE_MESSAGE, path=path, line=1, col=1, code="xml-doctype")
    return tree


def read_xml_bytes(path: str | Path) -> bytes:
    """The bytes of an XML file, or a located :class:`InputError` saying why not."""
    p = Path(path)
    try:
        data = read_file_bytes(p)
    except IsADirectoryError:
        raise InputError("is a directory, not an XML file", path=str(p), code="input-dir") from None
    except FileNotFoundError:
        raise InputError("no such file", path=str(p), code="input-missing") from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", path=str(p),
                         code="input-unreadable") from None
    if not data.strip():
        raise InputError("the file is empty", path=str(p), code="input-empty")
    return data


def read_file_bytes(path: Path) -> bytes:
    """A file's bytes; a named pipe too (``/dev/stdin`` in a shell pipeline), but never
    waiting for a writer that does not exist, and never a device or socket.

    The file is opened without blocking (a named pipe nobody writes to would otherwise
    block ``open`` for ever), then read blocking: a pipe with a writer is read to its end, a
    pipe without one reads as empty. Raises :class:`InputError` (``input-special``) for a
    device or socket, ``OSError`` for the rest."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISDIR(mode)):
            raise InputError("this is a device or socket, not a regular file; only regular "
                             "files and pipes are read: reading it could never end",
                             path=str(path), code="input-special")
        if stat.S_ISFIFO(mode):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            return handle.read()
    finally:
        if fd >= 0:
            os.close(fd)


def parse_file(path: str | Path) -> etree._ElementTree:
    return parse_bytes(read_xml_bytes(path), str(path))
