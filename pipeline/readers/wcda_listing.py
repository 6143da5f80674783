"""``wcda-listing``: a WCDA search-results or collection page saved as text.

Layout: optional ``Skip to content`` and other chrome, an optional page heading (the
collection or search name: ``Metadata.title``), the result count (``1 - 5 of 5``,
``31 - 40 of 81``: ``Metadata.extra["result_count"]``), optional ``Results:`` /
``Documents`` headings, then one hit after another: date, title and an optional one-paragraph
summary. Hits may be bulleted (``• August 29, 1960``), may lack a summary, and may be
separated by a line holding only ``-``. A hit starts at a date line, at a bulleted line, or
after a separator; its first non-date line is the title, the rest its summary. Pagination
links after the hits (``Next``, ``Previous``, page numbers) are chrome.

The hits go to ``SourceDocument.listing``; ``blocks`` is empty. Hit lines are accounted as
``body``.
"""

from __future__ import annotations

import re

from pipeline.diagnostics import Diagnostic, warning
from pipeline.readers.chrome import chrome_kind
from pipeline.readers.decoding import SourceText
from pipeline.readers.ledger import BLANK, BODY, LineLedger, chrome, header, is_blank
from pipeline.readers.reader import MAX_CONFIDENCE, Reader, make_document
from pipeline.readers.wcda_fields import is_date_line
from pipeline.source import ListingEntry, Metadata, SourceDocument

NAME = "wcda-listing"
RESULT_COUNT = re.compile(r"(?:(?:showing|results?)\s*:?\s*)?\d[\d,]*\s*[-–]\s*\d[\d,]*\s+of\s+"
                          r"\d[\d,]*(?:\s+results?)?", re.I)
_HEADINGS = re.compile(r"(?:search\s+)?results?\s*:?|documents?\s*:?|records?\s*:?|"
                       r"sort by.*|filter.*|showing\s*:?", re.I)
_PAGINATION = re.compile(r"(?:«|»|‹|›|first|last|next|previous|prev|load more|page|\d{1,4}|"
                         r"\.\.\.|…|[\s|])+", re.I)
#: a bullet, or a dash followed by white space and text (written to start with a character
#: class, which lets the regular expression engine skip quickly to candidate positions)
_BULLET = re.compile(r"[•·▪◦*‣\-–](?:(?<=[•·▪◦*‣])\s*|(?<=[-–])\s+(?=\S))")
_BULLETS = "•·▪◦*‣"
_SEPARATOR = re.compile(r"[-–—_*•]{1,3}")


class _Hit:
    __slots__ = ("date", "line", "summary", "title")

    def __init__(self, line: int) -> None:
        self.line = line
        self.date: str | None = None
        self.title: str | None = None
        self.summary: list[str] = []

    def entry(self) -> ListingEntry:
        summary = " ".join(self.summary) if self.summary else None
        return ListingEntry(self.date, self.title or "", summary, self.line)


def read(text: SourceText) -> SourceDocument:
    lines = text.lines
    ledger = LineLedger(len(lines))
    meta = Metadata()
    notes: list[Diagnostic] = []
    hits: list[_Hit] = []
    current: _Hit | None = None
    started = False
    for number, raw in enumerate(lines, start=1):
        if is_blank(raw):
            ledger.mark_line(number, BLANK)
            continue
        stripped = raw.strip()
        if RESULT_COUNT.fullmatch(stripped):
            meta.extra.setdefault("result_count", stripped)
            meta.lines.setdefault("extra:result_count", number)
            ledger.mark_line(number, header("result-count"))
            current = None
            continue
        kind = chrome_kind(stripped)
        if kind:
            ledger.mark_line(number, chrome(kind))
            continue
        if _SEPARATOR.fullmatch(stripped):
            ledger.mark_line(number, chrome("separator"))
            current = None
            continue
        if _HEADINGS.fullmatch(stripped) and (current is None or current.title is not None):
            ledger.mark_line(number, chrome("heading"))
            current = None
            continue
        bullet = _BULLET.match(stripped)
        content = stripped[bullet.end():] if bullet else stripped
        is_date = is_date_line(content)
        if started and not is_date and _PAGINATION.fullmatch(stripped):
            ledger.mark_line(number, chrome("pagination"))
            continue
        if not started and not is_date and not bullet:
            if meta.title is None:
                meta.title = content
                meta.lines["title"] = number
                ledger.mark_line(number, header("title"))
            else:
                meta.extra["intro"] = f"{meta.extra.get('intro', '')} {content}".strip()
                meta.lines.setdefault("extra:intro", number)
                ledger.mark_line(number, header("intro"))
            continue
        if current is None or (is_date and (current.date is not None or current.title)) or (
                bullet and current.title is not None):
            current = _Hit(number)
            hits.append(current)
            started = True
        ledger.mark_line(number, BODY)
        if is_date and current.date is None and current.title is None:
            current.date = content
        elif current.title is None:
            current.title = content
        else:
            current.summary.append(content)
    entries = [hit.entry() for hit in hits]
    for hit in hits:
        if not hit.title:
            notes.append(warning("reader-listing-hit", "a listing entry has a date but no "
                                 "title", text.path, hit.line))
    if not entries:
        notes.append(warning("reader-no-body", "no listing entries found", text.path))
    return make_document(text, NAME, meta, [], ledger, notes, language="en", listing=entries)


def _may_be_dated(line: str) -> bool:
    """A cheap test that holds for every stripped line that is a date once its first bullet
    is cut out: every date form ends with a digit (a bullet at the end is cut out)."""
    return line[-1].isdecimal() or line[-1] in _BULLETS


def detect(text: SourceText) -> float:
    head = [line for line in map(str.strip, text.head(60)) if line]
    if not head:
        return 0.0
    if any(RESULT_COUNT.fullmatch(line) for line in head[:10]):
        return MAX_CONFIDENCE
    dates = sum(1 for line in head
                if _may_be_dated(line) and is_date_line(_BULLET.sub("", line, count=1)))
    headed = any(_HEADINGS.fullmatch(line) for line in head[:10])
    if dates >= 3 and headed:
        return 0.85
    if dates >= 4 and not any(line.casefold() == "document information"
                              for line in text.tail(60)):
        return 0.5
    return 0.0


READER = Reader(NAME, "WCDA search-results or collection listing page saved as text "
                "(date, title and summary per hit)", detect, read)
