"""``wcda-scrape``: a scraped WCDA page body (``<stem>.txt``) with its metadata record beside it
(``<stem>.meta.json``).

The body has one paragraph a line (some lines start with a space where the page had a block
boundary; such blocks are flagged ``indented``). The sidecar is found automatically and
merged into :class:`Metadata`; ``SourceDocument.sidecar`` names it. List fields that the
scraper stored as JSON-encoded strings (``"[\\"English\\"]"``) are decoded.

Sidecar keys: ``title``, ``original_publication_date`` (date), ``summary``, ``source``
(archival citation + credit sentence), ``credits`` (a funder line), ``donors`` (funders),
``rights``, ``record_id``, ``original_upload_date``, ``original_classification``,
``document_url``; ``language`` is the language of the *original* document on this archive
(a German memo translated into English says ``German``), so it goes to
``Metadata.original_language`` and the body's language is detected from its text. Every other
key is kept in ``Metadata.extra`` (lists joined with ``; ``). Sidecar fields have no line in
the body file, so they are not in ``Metadata.lines``.

A missing sidecar is not an error: the body is read and a warning says so. A sidecar that is
not valid JSON, or not a regular file (a named pipe is never opened), is reported as an error
diagnostic and ignored. A value of a type its key cannot hold (a number for ``title``, an
object anywhere, a list for a key that takes one string) is ignored with a
``reader-sidecar-type`` warning that names the key and the type expected, at the line of the
value in the sidecar. Null values and null items of lists are skipped.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from pipeline.diagnostics import Diagnostic, error, warning
from pipeline.errors import InputError
from pipeline.readers.decoding import SourceText, read_regular_file
from pipeline.readers.ledger import LineLedger
from pipeline.readers.paragraphs import blocks_from_lines
from pipeline.readers.reader import Reader, make_document
from pipeline.readers.wcda_fields import (
    FUNDER_LINE,
    add_unique,
    split_citation_credits,
    split_funders,
    take_credits,
)
from pipeline.source import Metadata, SourceDocument

NAME = "wcda-scrape"
SIDECAR_SUFFIX = ".meta.json"
_MAX_SIDECAR_BYTES = 5 * 1024 * 1024
_SIMPLE = {
    "title": "title",
    "original_publication_date": "date",
    "summary": "summary",
    "record_id": "record_id",
    "original_upload_date": "uploaded",
    "original_classification": "classification",
    "document_url": "url",
    "language": "original_language",
}
_EXTRA_NAMES = {
    "associated_places": "places",
    "subjects_discussed": "subjects",
    "associated_people_orgs": "people",
    "original_archive_title": "original_archive",
    "authors": "authors",
    "scraped_at": "scraped_at",
    "_provenance": "provenance",
}


def sidecar_path(path: str | Path) -> Path:
    """``dir/name.txt`` -> ``dir/name.meta.json``."""
    p = Path(path)
    stem = p.name[:-len(p.suffix)] if p.suffix else p.name
    return p.with_name(stem + SIDECAR_SUFFIX)


def decode_value(value: Any) -> Any:
    """Decode JSON-encoded list strings (``"[\\"English\\"]"`` -> ``["English"]``)."""
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        try:
            decoded = json.loads(value)
        except ValueError:
            return value
        if isinstance(decoded, list):
            return [str(item) for item in decoded if item is not None]
    return value


def as_text(value: Any) -> str | None:
    value = decode_value(value)
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list):
        return "; ".join(str(item) for item in value if item is not None) or None
    return str(value).strip() or None


#: sidecar keys whose value must be a string (or null), keys that may also hold a list of
#: strings, and keys that may hold a whole number; any other key is kept in
#: ``Metadata.extra`` and may hold a string, a number or a list of strings
_STRINGS = frozenset({*_SIMPLE, "source", "credits", "rights", "scraped_at",
                      "_provenance"}) - {"language"}
_LISTS = frozenset({*_EXTRA_NAMES, "language", "donors", "document_contributors"}) - _STRINGS
_NUMBERS = frozenset({"record_id", "page_number", "page_position"})


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        inside = sorted({_json_type(item) for item in value
                         if item is not None and not isinstance(item, str)})
        return "a list" + (f" holding {' and '.join(inside)}" if inside else "")
    if isinstance(value, dict):
        return "an object"
    return "a string"


def _expected_type(key: str, value: Any) -> str | None:
    """What ``key`` should hold, when ``value`` is not that; ``None`` when it is."""
    if value is None or isinstance(value, str):
        return None
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if key in _NUMBERS and isinstance(value, int) and is_number:
        return None
    if key in _STRINGS:
        return "a string or a whole number" if key in _NUMBERS else "a string"
    if key in _NUMBERS:
        return "a whole number"
    if isinstance(value, list) and all(isinstance(item, str) or item is None for item in value):
        return None
    if is_number and key not in _LISTS:
        return None
    return "a string or a list of strings"


def _shown(value: Any, limit: int = 40) -> str:
    written = json.dumps(value, ensure_ascii=False)
    return written if len(written) <= limit else written[:limit - 1] + "…"


def _value_lines(text: str) -> dict[str, int]:
    """The line of each top-level key's value in the sidecar's JSON text (empty when the
    text cannot be walked: the warnings then name the file only)."""
    decoder = json.JSONDecoder()
    space = re.compile(r"[ \t\n\r]*")
    lines: dict[str, int] = {}
    try:
        pos = space.match(text, 1 if text.startswith("\ufeff") else 0).end()
        if text[pos] != "{":
            return {}
        pos = space.match(text, pos + 1).end()
        while text[pos] == '"':
            key, pos = json.decoder.scanstring(text, pos + 1)
            pos = space.match(text, pos).end()
            if text[pos] != ":":
                return {}
            pos = space.match(text, pos + 1).end()
            lines.setdefault(key, text.count("\n", 0, pos) + 1)
            _value, pos = decoder.raw_decode(text, pos)
            pos = space.match(text, pos).end()
            if text[pos] != ",":
                break
            pos = space.match(text, pos + 1).end()
    except (ValueError, IndexError):
        return {}
    return lines


def check_sidecar_types(data: dict[str, Any], text: str, path: str,
                        notes: list[Diagnostic]) -> dict[str, Any]:
    """``data`` without the values of a type their key cannot hold (a number for the title,
    an object anywhere), each reported with the key, the type expected and its line."""
    wrong = {key: expected for key, value in data.items()
             if (expected := _expected_type(key, value)) is not None}
    if not wrong:
        return data
    lines = _value_lines(text)
    for key, expected in wrong.items():
        notes.append(warning(
            "reader-sidecar-type",
            f"the sidecar's {json.dumps(key, ensure_ascii=False)} should be {expected}, not "
            f"{_json_type(data[key])} ({_shown(data[key])}); the value is ignored", path,
            lines.get(key)))
    return {key: value for key, value in data.items() if key not in wrong}


def load_sidecar(path: Path, notes: list[Diagnostic]) -> dict[str, Any] | None:
    """The sidecar's JSON object, or ``None`` with an error note when it cannot be one (it
    is read only if it is a regular file: a named pipe is never opened)."""
    try:
        raw = read_regular_file(path, limit=_MAX_SIDECAR_BYTES)
    except InputError as exc:
        if exc.code == "input-too-large":
            notes.append(error("reader-sidecar", "the metadata sidecar is too large to be a "
                               "metadata record; ignored", str(path)))
        else:
            notes.append(error("reader-sidecar", f"the metadata sidecar cannot be read "
                               f"({exc.message}); its fields are missing", str(path)))
        return None
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        where = getattr(exc, "lineno", None)
        notes.append(error("reader-sidecar", f"the metadata sidecar cannot be read as JSON "
                           f"({exc.__class__.__name__}: {exc}); its fields are missing",
                           str(path), where))
        return None
    if not isinstance(data, dict):
        notes.append(error("reader-sidecar", "the metadata sidecar is not a JSON object; "
                           "ignored", str(path), 1))
        return None
    return check_sidecar_types(data, text, str(path), notes)


def apply_sidecar(data: dict[str, Any], meta: Metadata) -> None:
    for key, value in data.items():
        text = as_text(value)
        if text is None:
            continue
        if key in _SIMPLE:
            setattr(meta, _SIMPLE[key], text)
        elif key == "source":
            citation, credits = split_citation_credits(text)
            meta.citation = citation
            if credits:
                take_credits(credits, 0, meta)
                meta.lines.pop("credits", None)
                meta.lines.pop("contributors", None)
                meta.lines.pop("translators", None)
        elif key == "credits":
            match = FUNDER_LINE.fullmatch(text)
            if match:
                add_unique(meta.funders, split_funders(match.group("funder")))
            else:
                meta.credits = text
        elif key == "donors":
            values = decode_value(value)
            add_unique(meta.funders, [str(v) for v in values if v is not None]
                       if isinstance(values, list) else split_funders(text))
        elif key == "rights":
            meta.rights = "\n\n".join(p.strip() for p in text.splitlines() if p.strip())
        elif key == "page_number":
            continue
        else:
            meta.extra[_EXTRA_NAMES.get(key, key)] = text


def read(text: SourceText) -> SourceDocument:
    lines = text.lines
    ledger = LineLedger(len(lines))
    meta = Metadata()
    notes: list[Diagnostic] = []
    sidecar = sidecar_path(text.path)
    used: str | None = None
    if os.path.exists(sidecar):
        data = load_sidecar(sidecar, notes)
        if data is not None:
            apply_sidecar(data, meta)
            used = str(sidecar)
    else:
        notes.append(warning("reader-no-sidecar", f"no metadata record {sidecar.name} beside "
                             "the scraped body; the header will be nearly empty", text.path))
    blocks = blocks_from_lines(lines, 1, len(lines), ledger, "lines") if lines else []
    return make_document(text, NAME, meta, blocks, ledger, notes, sidecar=used)


def detect(text: SourceText) -> float:
    if text.path.endswith(SIDECAR_SUFFIX):
        return 0.0
    return 0.9 if sidecar_path(text.path).is_file() else 0.0


READER = Reader(NAME, "scraped WCDA page body with its <stem>.meta.json metadata record",
                detect, read)
