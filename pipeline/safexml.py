"""Parsing XML that may come from anywhere, without letting it read files or reach the network.

Every XML file the project reads (its own TEI, TEI from other archives, schemas) goes through
:func:`parse_bytes` or :func:`parse_file`. A DOCTYPE is refused before any of it is acted on,
entities are never expanded, DTDs and XIncludes are never loaded, and there is no network.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from pipeline.errors import InputError, UnsafeXMLError

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


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


def parse_bytes(data: bytes, path: str = "<input>") -> etree._ElementTree:
    """Parse untrusted XML; raise a located :class:`InputError` for anything wrong with it."""
    match = _DOCTYPE.search(data, 0, 65536)
    if match:
        line, col = _line_col(data, match.start())
        raise UnsafeXMLError(
            "the file has a DOCTYPE declaration; DTDs and entities are not loaded from "
            "untrusted files. Remove the DOCTYPE (and replace any entity references with "
            "the characters they stand for)",
            path=path, line=line, col=col, code="xml-doctype",
        )
    try:
        root = etree.fromstring(data, make_parser(), base_url=None)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (None, None)
        message = exc.msg or str(exc)
        message = re.sub(r", line \d+, column \d+$", "", message)
        raise InputError(f"not well-formed XML: {message}", path=path, line=line, col=col,
                         code="xml-malformed") from None
    return root.getroottree()


def parse_file(path: str | Path) -> etree._ElementTree:
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError:
        raise InputError("is a directory, not an XML file", path=str(p), code="input-dir") from None
    except FileNotFoundError:
        raise InputError("no such file", path=str(p), code="input-missing") from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", path=str(p),
                         code="input-unreadable") from None
    if not data.strip():
        raise InputError("the file is empty", path=str(p), code="input-empty")
    return parse_bytes(data, str(p))
