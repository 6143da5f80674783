"""``wcda-page``: a plain-text capture of a Wilson Center Digital Archive document page.

Layouts read (see the source conventions guide):

* current page: ``Skip to content`` / date / title / ``This document was made possible with
  support from …`` / body / closing lines / summary / ``Document Information`` / citation and
  credit line / rights paragraph(s) / ``Original Uploaded Date`` / type / ``Record ID`` /
  funder; labels may stand with empty values, blocks may be separated by blank lines or by
  single line ends, several empty lines may follow the title, and lines holding only
  non-breaking spaces are blank;
* a stray one-sentence summary of another document before the date
  (``Metadata.related_summary``);
* old page: zero-padded date, indented summary, the whole citation in quotes
  (``Metadata.full_citation``; its archival part becomes ``Metadata.citation``);
* oldest page: ``Search in`` / ``Digital Archive International History Declassified`` /
  date / ``• Citation`` / ``get citation`` / summary / quoted citation / ``• share document``
  / ``English HTML``.

Every non-blank line of the body is one paragraph block (web captures do not hard-wrap).
The body's own closing lines stay in the body; the last paragraph before ``Document
Information`` is the summary when the page has not given one in its header. Trailer lines
are read by label where labels survive; unlabelled trailer lines are recognised by shape
(citation + credit sentence, rights statement, a known document type, a record number, an
upload date, a funder).
"""

from __future__ import annotations

import re

from pipeline.diagnostics import Diagnostic, info, warning
from pipeline.readers.chrome import chrome_kind
from pipeline.readers.decoding import SourceText
from pipeline.readers.language import code_for_name
from pipeline.readers.ledger import BLANK, LineLedger, chrome, header
from pipeline.readers.paragraphs import blocks_from_lines
from pipeline.readers.reader import MAX_CONFIDENCE, Reader, make_document
from pipeline.readers.wcda_fields import (
    CREDIT_START,
    FUNDER_LINE,
    QUOTED_CITATION,
    RECORD_TYPES,
    add_unique,
    apply_full_citation,
    has_rights_hint,
    is_date_line,
    label_field,
    split_citation_credits,
    split_funders,
    take_credits,
)
from pipeline.source import Metadata, SourceDocument

NAME = "wcda-page"
LISTING_COUNT = re.compile(r"\d[\d,]*\s*[-–]\s*\d[\d,]*\s+of\s+\d[\d,]*", re.I)
_RECORD_ID = re.compile(r"[A-Za-z]{0,4}[-_]?\d{2,9}")
_LABEL_WITH_VALUE = re.compile(r"(?P<label>[A-Za-z][A-Za-z ]{1,30}?)\s*:\s*(?P<value>\S.*)")
_HEADER_LOOKAHEAD = 12       # non-blank lines searched for the date
_DOCUMENT_INFORMATION = "document information"


class _Unit:
    """A non-blank input line."""

    __slots__ = ("indented", "line", "text")

    def __init__(self, line: int, raw: str) -> None:
        self.line = line
        self.text = raw.strip()
        self.indented = raw[:1] in (" ", "\t")


def _units(lines: list[str], ledger: LineLedger) -> list[_Unit]:
    """The non-blank lines; blank ones are marked in the (still empty) ledger."""
    units = []
    roles = ledger.slots()
    for index, raw in enumerate(lines):
        if not raw or raw.isspace():        # what is_blank tests
            roles[index] = BLANK
        else:
            units.append(_Unit(index + 1, raw))
    return units


def _set(meta: Metadata, field: str, value: str, line: int, ledger: LineLedger) -> None:
    setattr(meta, field, value)
    meta.lines.setdefault(field, line)
    ledger.mark_line(line, header(field))


def _read_header(units: list[_Unit], meta: Metadata, ledger: LineLedger,
                 notes: list[Diagnostic], path: str) -> int:
    """Classify the header; returns the index of the first body unit."""
    date_index = None
    for index, unit in enumerate(units[:_HEADER_LOOKAHEAD]):
        if is_date_line(unit.text):
            date_index = index
            break
    if date_index is None:
        notes.append(warning("reader-no-date", "no document date found at the top of the page",
                             path, units[0].line if units else None))
        start = 0
    else:
        stray: list[_Unit] = []
        for unit in units[:date_index]:
            kind = chrome_kind(unit.text)
            if kind:
                ledger.mark_line(unit.line, chrome(kind))
            elif FUNDER_LINE.fullmatch(unit.text):
                _take_funder_line(unit, meta, ledger)
            else:
                stray.append(unit)
        if stray:
            meta.related_summary = " ".join(u.text for u in stray)
            meta.lines["related_summary"] = stray[0].line
            for unit in stray:
                ledger.mark_line(unit.line, header("related_summary"))
        _set(meta, "date", units[date_index].text, units[date_index].line, ledger)
        start = date_index + 1
    index = start
    while index < len(units):
        unit = units[index]
        text = unit.text
        kind = chrome_kind(text)
        following = units[index + 1].text if index + 1 < len(units) else ""
        if kind:
            ledger.mark_line(unit.line, chrome(kind))
        elif FUNDER_LINE.fullmatch(text):
            _take_funder_line(unit, meta, ledger)
        elif QUOTED_CITATION.match(text) and meta.full_citation is None:
            _take_full_citation(unit, meta, ledger)
        elif meta.title is None and meta.full_citation is None and \
                not QUOTED_CITATION.match(following):
            _set(meta, "title", text, unit.line, ledger)
        elif meta.summary is None and meta.full_citation is None and (
                QUOTED_CITATION.match(following) or (unit.indented and any(
                    QUOTED_CITATION.match(u.text) for u in units[index + 1:index + 4]))):
            _set(meta, "summary", text, unit.line, ledger)
        else:
            break
        index += 1
    if meta.title is None and meta.full_citation:
        quoted = re.match(r"[\"“](.+?),?[”\"]", meta.full_citation)
        if quoted:
            meta.title = quoted.group(1).rstrip(",")
            meta.lines["title"] = meta.lines["full_citation"]
            notes.append(info("reader-title-from-citation", "the page prints no title line; "
                              "the title is taken from the quoted citation", path,
                              meta.lines["title"]))
    return index


def _take_funder_line(unit: _Unit, meta: Metadata, ledger: LineLedger) -> None:
    match = FUNDER_LINE.fullmatch(unit.text)
    assert match is not None
    add_unique(meta.funders, split_funders(match.group("funder")))
    meta.lines.setdefault("funders", unit.line)
    ledger.mark_line(unit.line, header("funders"))


def _take_full_citation(unit: _Unit, meta: Metadata, ledger: LineLedger) -> None:
    _set(meta, "full_citation", unit.text, unit.line, ledger)
    apply_full_citation(meta, unit.text, unit.line)


def _trailer_start(units: list[_Unit], body_start: int) -> int | None:
    """Index of the ``Document Information`` line, or of the first trailer field label."""
    for index in range(len(units) - 1, body_start - 1, -1):
        if units[index].text.casefold().rstrip(":") == "document information":
            return index
    # no heading: the trailer starts at the earliest label in the last lines of the page
    start = None
    for index in range(len(units) - 1, max(body_start, len(units) - 30) - 1, -1):
        found = label_field(units[index].text)
        if found and found[0] not in ("summary", "source", "type", "language", "rights"):
            start = index
    if start is None:
        return None
    # the citation and rights lines just before the first label belong to the trailer too
    while start - 1 > body_start and (has_rights_hint(units[start - 1].text)
                                      or CREDIT_START.search(units[start - 1].text)):
        start -= 1
    return start


_VALUE_FITS = {
    "uploaded": lambda text: is_date_line(text) or bool(re.fullmatch(r"[\d/.\-: ]{6,}", text)),
    "record_id": lambda text: bool(_RECORD_ID.fullmatch(text)),
    "language": lambda text: code_for_name(text) is not None,
    "original_language": lambda text: code_for_name(text) is not None,
    "record_type": lambda text: len(text.split()) <= 8 and not text.endswith("."),
    "classification": lambda text: len(text.split()) <= 6,
}
_MULTI_VALUE = {"rights", "funders", "citation"}


def _read_trailer(units: list[_Unit], meta: Metadata, ledger: LineLedger,
                  notes: list[Diagnostic], path: str) -> None:
    waiting: str | None = None          # the field whose label was just seen
    seen_record_id = False
    unknown: list[str] = []
    for unit in units:
        text = unit.text
        found = label_field(text)
        if found is None:
            labelled = _LABEL_WITH_VALUE.fullmatch(text)
            if labelled and label_field(labelled.group("label")):
                found = label_field(labelled.group("label"))
                assert found is not None
                if found[1]:
                    _store(found[1], labelled.group("value").strip(), unit.line, meta, ledger)
                    seen_record_id |= found[1] == "record_id"
                    continue
        if found is not None:
            ledger.mark_line(unit.line, chrome("field-label"))
            waiting = found[1]
            seen_record_id |= waiting == "record_id"
            continue
        kind = chrome_kind(text)       # a field label is not asked about
        if kind:
            ledger.mark_line(unit.line, chrome(kind))
            continue
        if waiting is not None and (waiting in _MULTI_VALUE or waiting.startswith("extra:")
                                    or _VALUE_FITS.get(waiting, lambda _t: True)(text)):
            _store(waiting, text, unit.line, meta, ledger)
            if waiting not in _MULTI_VALUE and not waiting.startswith("extra:"):
                waiting = None
            continue
        waiting = None
        field = _unlabelled_field(text, meta, seen_record_id)
        if field is None:
            unknown.append(text)
            meta.extra["trailer"] = "\n".join(unknown)
            meta.lines.setdefault("extra:trailer", unit.line)
            ledger.mark_line(unit.line, header("trailer"))
            notes.append(warning("reader-trailer-line", f"a line after the body was not "
                                 f"recognised as a metadata field and is kept as extra "
                                 f"metadata: {text[:60]!r}", path, unit.line))
            continue
        _store(field, text, unit.line, meta, ledger)


def _unlabelled_field(text: str, meta: Metadata, seen_record_id: bool) -> str | None:
    if FUNDER_LINE.fullmatch(text):
        return "funders"
    if has_rights_hint(text):
        return "rights"
    if meta.citation is None and meta.rights is None and (
            CREDIT_START.search(text) or re.search(r"\d", text)):
        return "citation"
    if text.casefold() in RECORD_TYPES and meta.record_type is None:
        return "record_type"
    if _RECORD_ID.fullmatch(text) and meta.record_id is None:
        return "record_id"
    if is_date_line(text) and meta.uploaded is None:
        return "uploaded"
    if meta.language is None and code_for_name(text) and len(text.split()) <= 3:
        return "language"
    short = len(text.split()) <= 8 and not text.endswith(".")
    if short and (seen_record_id or meta.record_type is not None or
                  any(f.casefold() == text.casefold() for f in meta.funders)):
        return "funders"
    if short and meta.record_type is None:
        return "record_type"
    return None


def _store(field: str, value: str, line: int, meta: Metadata, ledger: LineLedger) -> None:
    if field.startswith("extra:"):
        key = field.split(":", 1)[1]
        meta.extra[key] = f"{meta.extra[key]}\n{value}" if key in meta.extra else value
        meta.lines.setdefault(field, line)
        ledger.mark_line(line, header(key))
        return
    if field == "funders":
        match = FUNDER_LINE.fullmatch(value)
        add_unique(meta.funders, split_funders(match.group("funder") if match else value))
    elif field == "citation":
        if meta.citation is not None:
            meta.citation = f"{meta.citation} {value}"
        else:
            citation, credits = split_citation_credits(value)
            meta.citation = citation
            if credits:
                take_credits(credits, line, meta)
    elif field == "rights":
        meta.rights = f"{meta.rights}\n\n{value}" if meta.rights else value
    elif field == "credits":
        take_credits(value, line, meta)
    else:
        setattr(meta, field, value)
    meta.lines.setdefault(field, line)
    ledger.mark_line(line, header(field))


def read(text: SourceText) -> SourceDocument:
    lines = text.lines
    ledger = LineLedger(len(lines))
    meta = Metadata()
    notes: list[Diagnostic] = []
    units = _units(lines, ledger)
    body_start = _read_header(units, meta, ledger, notes, text.path)
    trailer = _trailer_start(units, body_start)
    body_end = trailer if trailer is not None else len(units)
    if trailer is not None and meta.summary is None and body_end - 1 > body_start:
        summary = units[body_end - 1]
        _set(meta, "summary", summary.text, summary.line, ledger)
        body_end -= 1
    if trailer is not None:
        _read_trailer(units[trailer:], meta, ledger, notes, text.path)
    blocks = []
    if body_end > body_start:
        blocks = blocks_from_lines(lines, units[body_start].line, units[body_end - 1].line,
                                   ledger, "lines")
    else:
        notes.append(warning("reader-no-body", "no transcript text was found between the "
                             "page header and its trailer", text.path))
    if meta.title is None:
        notes.append(warning("reader-no-title", "no document title found", text.path))
    return make_document(text, NAME, meta, blocks, ledger, notes)


def is_document_information(line: str) -> bool:
    """Whether a stripped line is the ``Document Information`` heading (case-folding never
    shortens a text, so longer lines are not compared)."""
    return len(line) <= len(_DOCUMENT_INFORMATION) and line.casefold() == _DOCUMENT_INFORMATION


def detect(text: SourceText) -> float:
    head = [line for line in map(str.strip, text.head(120)) if line][:40]
    tail = [line for line in map(str.strip, text.tail(120)) if line][-40:]
    if not head:
        return 0.0
    score = 0.0
    kinds = [chrome_kind(line) for line in head]
    if "skip-to-content" in kinds[:5]:
        score += 0.25
    content = [line for line, kind in zip(head, kinds, strict=True) if not kind]
    if any(is_date_line(line) for line in content[:4]):
        score += 0.25          # not enough alone: plain transcripts may open with a date
    if any(FUNDER_LINE.fullmatch(line) for line in head):
        score += 0.25
    if any(is_document_information(line) for line in tail):
        score += 0.4
    if has_rights_hint("\n".join(tail)):   # no phrase spans a line end
        score += 0.15
    if any(kind in ("citation-button", "share", "format-links") for kind in kinds):
        score += 0.3
    if any(QUOTED_CITATION.match(line) for line in head[:12]):
        score += 0.2
    if any(LISTING_COUNT.fullmatch(line) for line in head[:8]):
        score *= 0.3
    if any(line.rstrip(":") in ("Citation", "Summary", "Original Language", "Contents")
           for line in head) and "\f" in "".join(text.head(400)):
        score *= 0.5
    return min(score, MAX_CONFIDENCE)


READER = Reader(NAME, "Wilson Center Digital Archive document page, saved as plain text "
                "(current, old and oldest site layouts)", detect, read)
