"""Labelled header fields of PDF exports (``Citation:``, ``Summary:``, ``Credits:``,
``Original Language:``, ``Contents:``), shared by the layout and the flattened PDF readers."""

from __future__ import annotations

import re

from pipeline.readers.wcda_fields import (
    FUNDER_LINE,
    add_unique,
    apply_full_citation,
    find_url,
    split_funders,
    take_credits,
)
from pipeline.source import Metadata

#: PDF header labels -> the field they fill
PDF_LABELS = {
    "citation": "full_citation",
    "summary": "summary",
    "credits": "credits",
    "original language": "original_language",
    "language": "language",
    "contents": "contents",
    "original archive": "citation",
    "source": "citation",
    "record id": "record_id",
    "type": "record_type",
    "rights": "rights",
    "classification": "classification",
    "author": "extra:author",
    "keywords": "extra:keywords",
    "description": "summary",
    "title": "title",
    "date": "date",
}

#: the items the export lists under ``Contents:``
CONTENTS_ITEM = re.compile(r"(?:[A-Z][a-z]+ )?(?:Translation|Transcription|Transcript)"
                           r"|Scan of Original Document|Original Scan|Original Document"
                           r"|(?:[A-Z][a-z]+ )?Scan")


_LABEL_LINE = re.compile(r"([A-Za-z][A-Za-z ]{1,30}):\.?")
#: the longest a label line can be once stripped (what ``_LABEL_LINE`` can match)
LONGEST_LABEL = 33


def label_of(text: str) -> str | None:
    """The field of a ``Label:`` line (the line holds only the label)."""
    text = text.strip()
    if len(text) > LONGEST_LABEL:
        return None
    match = _LABEL_LINE.fullmatch(text)
    if match is None:
        return None
    return PDF_LABELS.get(match.group(1).strip().casefold())


def apply_pdf_field(meta: Metadata, field: str, value: str, line: int) -> str:
    """Store one labelled value; returns the accounting field name used."""
    value = value.strip()
    if field == "full_citation":
        url = find_url(value)
        text = value.replace(url, "").strip() if url else value
        meta.full_citation = text
        meta.lines.setdefault("full_citation", line)
        apply_full_citation(meta, value, line)
        if meta.citation is None and not text.startswith(("“", '"')):
            meta.citation = text
            meta.lines.setdefault("citation", line)
        return "citation"
    if field == "credits":
        match = FUNDER_LINE.fullmatch(value)
        if match:
            add_unique(meta.funders, split_funders(match.group("funder")))
            meta.lines.setdefault("funders", line)
            return "funders"
        take_credits(value, line, meta)
        return "credits"
    if field == "contents":
        meta.contents.append(value)
        meta.lines.setdefault("contents", line)
        return "contents"
    if field.startswith("extra:"):
        key = field.split(":", 1)[1]
        meta.extra[key] = value
        meta.lines.setdefault(field, line)
        return key
    setattr(meta, field, value)
    meta.lines.setdefault(field, line)
    return field
