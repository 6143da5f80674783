"""``cpsci-pdf``: text with layout from third-party document PDFs (commonprogram.science and
similar collections).

Header: a running title such as ``1949          Speeches/Documents`` (chrome), then
``Title:``, ``Author:``, and ``Date:`` and ``Source:`` side by side in two columns: the left
column continues the date (``Date: December`` / ``18,1949``), the right one the source
reference. ``Description:.`` gives a summary that runs to the next blank line; when nothing
follows the label on its line the description is empty and the body starts on the next line.
The label punctuation (``Source:.``) is dropped from the values. The source reference goes
to ``Metadata.citation`` verbatim, its URL to ``Metadata.url`` and a ``translation from … by
X`` / ``Translated … by X`` to the translators; ``Author:`` to ``Metadata.extra["author"]``.
The body is read like any PDF layout text (:mod:`pipeline.readers.paragraphs`).
"""

from __future__ import annotations

import re

from pipeline.diagnostics import Diagnostic, warning
from pipeline.readers.chrome import chrome_kind
from pipeline.readers.decoding import SourceText
from pipeline.readers.ledger import BLANK, LineLedger, chrome, header, is_blank
from pipeline.readers.paragraphs import (
    join_wrapped,
    read_layout_body,
)
from pipeline.readers.reader import MAX_CONFIDENCE, Reader, make_document
from pipeline.readers.wcda_fields import add_unique, credit_people, find_url
from pipeline.source import Metadata, SourceDocument

NAME = "cpsci-pdf"
RUNNING_TITLE = re.compile(r"\s*\d{4}\s{2,}[A-Z][\w/ ]+")
_LABEL = re.compile(r"\s*(Title|Author|Date|Source|Description|Subject|Keywords|Place)"
                    r"\s*:\s*\.?\s*(.*)")
_SECOND_COLUMN = re.compile(r"\s{2,}(Source|Author|Place)\s*:\s*\.?\s*")
_FIELDS = {"title": "title", "date": "date", "source": "citation", "description": "summary",
           "author": "extra:author", "subject": "extra:subject", "keywords": "extra:keywords",
           "place": "extra:place"}


def _may_have_second_column(line: str) -> bool:
    """Whether ``line`` holds a label :data:`_SECOND_COLUMN` looks for (a cheap test first:
    the pattern is searched at every position of a line)."""
    return "Source" in line or "Author" in line or "Place" in line


def _store(meta: Metadata, label: str, value: str, line: int, ledger_lines: list[int],
           ledger: LineLedger) -> None:
    field = _FIELDS[label]
    value = " ".join(value.split())
    role = field.split(":", 1)[-1]
    for number in ledger_lines:
        ledger.mark_line(number, header(role))
    if not value:
        return
    if field.startswith("extra:"):
        meta.extra[role] = value
        meta.lines.setdefault(field, line)
        return
    if field == "citation":
        value = re.sub(r"^(?:Source\s*:\s*\.?\s*)+", "", value)
        url = find_url(value)
        if url:
            meta.url = url
            meta.lines.setdefault("url", line)
        _contributors, translators = credit_people(value)
        if translators:
            add_unique(meta.translators, translators)
            meta.lines.setdefault("translators", line)
    setattr(meta, field, value)
    meta.lines.setdefault(field, line)


def read_header(lines: list[str], ledger: LineLedger, meta: Metadata) -> int:
    """Read the labelled header; returns the first body line."""
    number = 1
    limit = min(len(lines), 60)
    while number <= limit:
        raw = lines[number - 1]
        if is_blank(raw):
            ledger.mark_line(number, BLANK)
            number += 1
            continue
        if number <= 3 and RUNNING_TITLE.fullmatch(raw) and meta.title is None:
            ledger.mark_line(number, chrome("running-title"))
            number += 1
            continue
        kind = chrome_kind(raw)
        if kind and meta.title is None:
            ledger.mark_line(number, chrome(kind))
            number += 1
            continue
        match = _LABEL.fullmatch(raw)
        if match is None:
            break
        label = match.group(1).casefold()
        column = _SECOND_COLUMN.search(raw) if _may_have_second_column(raw) else None
        if column and label == "date":
            number = _read_two_columns(lines, number, column, meta, ledger)
            continue
        value = match.group(2)
        value_lines = [number]
        following = number + 1
        if label == "description" and not value.strip(" .:"):
            _store(meta, label, "", number, value_lines, ledger)
            return following
        # the value continues on the following lines up to a blank line or the next label
        while following <= len(lines) and not is_blank(lines[following - 1]) \
                and not _LABEL.fullmatch(lines[following - 1]):
            value = join_wrapped(value, lines[following - 1].strip())
            value_lines.append(following)
            following += 1
        _store(meta, label, value.strip(" ."), number, value_lines, ledger)
        number = following
        if label == "description":
            return number
    return number


def _read_two_columns(lines: list[str], number: int, column: re.Match[str], meta: Metadata,
                      ledger: LineLedger) -> int:
    """``Date: …   Source:. …`` with both columns continuing on the next lines."""
    raw = lines[number - 1]
    split_at = column.start() + len(column.group(0)) - len(column.group(0).lstrip())
    right_label = column.group(1).casefold()
    left = [_LABEL.fullmatch(raw[:column.start()]).group(2)]  # type: ignore[union-attr]
    right = [raw[column.end():]]
    value_lines = [number]
    following = number + 1
    while following <= len(lines) and not is_blank(lines[following - 1]) \
            and not _LABEL.fullmatch(lines[following - 1]):
        line = lines[following - 1]
        left.append(line[:split_at])
        right.append(line[split_at:])
        value_lines.append(following)
        following += 1
    date = " ".join(" ".join(left).split())
    source = ""
    for piece in right:
        piece = piece.strip()
        if piece:
            source = join_wrapped(source, piece) if source else piece
    _store(meta, "date", date, number, [], ledger)
    _store(meta, right_label, source, number, value_lines, ledger)
    return following


def read(text: SourceText) -> SourceDocument:
    lines = text.lines
    ledger = LineLedger(len(lines))
    meta = Metadata()
    notes: list[Diagnostic] = []
    body_first = read_header(lines, ledger, meta)
    if meta.title is None:
        notes.append(warning("reader-no-title", "no Title: field in the document header",
                             text.path))
    blocks, joins = read_layout_body(lines, body_first, ledger, text.path)
    notes.extend(joins)
    return make_document(text, NAME, meta, blocks, ledger, notes)


def detect(text: SourceText) -> float:
    head = [line for line in text.head(40) if line.strip()]
    if not head:
        return 0.0
    score = 0.0
    if RUNNING_TITLE.fullmatch(head[0]) and "Speeches/Documents" in head[0]:
        score += 0.5
    labels = {m.group(1).casefold() for line in head[:12] if (m := _LABEL.fullmatch(line))}
    score += 0.12 * len(labels & {"title", "author", "date", "description"})
    if any(_SECOND_COLUMN.search(line) for line in head[:12] if _may_have_second_column(line)):
        score += 0.1
    return min(score, MAX_CONFIDENCE)


READER = Reader(NAME, "third-party document PDF as layout text (commonprogram.science style: "
                "Title:/Author:/Date:+Source: two-column header)", detect, read)
