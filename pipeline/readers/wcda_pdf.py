"""``wcda-pdf``: text extracted with its layout from a Wilson Center Digital Archive PDF export.

Header: ``Digital Archive   digitalarchive.wilsoncenter.org`` / ``International History
Declassified`` (chrome), the date, the centred title (wrapped over several lines and joined),
then labelled fields ``Citation:`` (the quoted "how to cite" text and the document URL),
``Summary:``, ``Credits:`` (a funder line), ``Original Language:`` and ``Contents:`` (the
parts of the export: ``English Translation``, ``Scan of Original Document``). The body starts
at the first form feed after the header (or after the contents items).

Body: hard-wrapped lines are joined into paragraphs with the ``layout`` rules of
:mod:`pipeline.readers.paragraphs` (page breaks, hyphenation and page-spanning paragraphs are
described there). Lines repeated at the top or bottom of most pages are running headers
(``chrome:running-header``).
"""

from __future__ import annotations

from pipeline.diagnostics import Diagnostic, warning
from pipeline.readers.chrome import chrome_kind
from pipeline.readers.decoding import SourceText
from pipeline.readers.ledger import BLANK, LineLedger, chrome, header, is_blank
from pipeline.readers.paragraphs import (
    join_wrapped,
    read_layout_body,
)
from pipeline.readers.pdf_header import (
    CONTENTS_ITEM,
    LONGEST_LABEL,
    apply_pdf_field,
    label_of,
)
from pipeline.readers.reader import MAX_CONFIDENCE, Reader, make_document
from pipeline.readers.wcda_fields import is_date_line
from pipeline.source import Metadata, SourceDocument

NAME = "wcda-pdf"
_HEADER_LIMIT = 120


def read_header(lines: list[str], ledger: LineLedger, meta: Metadata,
                notes: list[Diagnostic], path: str) -> int:
    """Read the export's header; returns the first body line (1-based)."""
    number = 1
    limit = min(len(lines), _HEADER_LIMIT)
    title_lines: list[int] = []
    field: str | None = None
    value_lines: list[int] = []

    def store() -> None:
        if field and value_lines:
            text = ""
            for n in value_lines:
                piece = lines[n - 1].strip()
                text = join_wrapped(text, piece) if text else piece
            if field == "contents":
                for n in value_lines:
                    role = apply_pdf_field(meta, field, lines[n - 1].strip(), n)
                    ledger.mark_line(n, header(role))
                return
            role = apply_pdf_field(meta, field, text, value_lines[0])
            for n in value_lines:
                ledger.mark_line(n, header(role))

    while number <= limit:
        raw = lines[number - 1]
        text = raw.strip()
        if "\f" in raw and (field is not None or meta.title):
            break
        if is_blank(raw):
            ledger.mark_line(number, BLANK)
            number += 1
            continue
        label = label_of(text)
        if label is not None:
            store()
            field, value_lines = label, []
            ledger.mark_line(number, chrome("field-label"))
        elif field is not None:
            if field == "contents" and not CONTENTS_ITEM.fullmatch(text):
                break
            value_lines.append(number)
        elif chrome_kind(text):
            ledger.mark_line(number, chrome(chrome_kind(text) or "site-name"))
        elif meta.date is None and is_date_line(text):
            meta.date = text
            meta.lines["date"] = number
            ledger.mark_line(number, header("date"))
        else:
            title_lines.append(number)
        number += 1
    store()
    if title_lines:
        title = ""
        for n in title_lines:
            piece = lines[n - 1].strip()
            title = join_wrapped(title, piece) if title else piece
            ledger.mark_line(n, header("title"))
        meta.title = title
        meta.lines["title"] = title_lines[0]
    else:
        notes.append(warning("reader-no-title", "no title found in the PDF header", path))
    return number


def read(text: SourceText) -> SourceDocument:
    lines = text.lines
    ledger = LineLedger(len(lines))
    meta = Metadata()
    notes: list[Diagnostic] = []
    body_first = read_header(lines, ledger, meta, notes, text.path)
    blocks, joins = read_layout_body(lines, body_first, ledger, text.path)
    if not blocks:
        notes.append(warning("reader-no-body", "no transcript text after the PDF header",
                             text.path))
    notes.extend(joins)
    return make_document(text, NAME, meta, blocks, ledger, notes)


def detect(text: SourceText) -> float:
    head = [line.strip() for line in text.head(150) if line.strip()]
    if len(head) < 3:
        return 0.0
    score = 0.0
    if any("digitalarchive.wilsoncenter.org" in line and len(line) < 120 for line in head[:3]):
        score += 0.35
    labels = {label_of(line) for line in head if len(line) <= LONGEST_LABEL}
    if "full_citation" in labels:
        score += 0.3
    if "summary" in labels:
        score += 0.1
    if labels & {"contents", "original_language"}:
        score += 0.15
    if any("\f" in line for line in text.head(400)):
        score += 0.1
    return min(score, MAX_CONFIDENCE)


READER = Reader(NAME, "Wilson Center Digital Archive PDF export as text with its layout "
                "(hard-wrapped lines, form feeds between pages)", detect, read)
