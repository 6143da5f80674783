"""``plain``: a transcript with no page chrome, the fallback for anything unrecognised.

Paragraphs: when the text is hard-wrapped (most lines followed by another line, not ending
a sentence, and no longer than a printed page's width) the lines are joined into paragraphs
by blank lines and layout cues (``layout`` mode of :mod:`pipeline.readers.paragraphs`);
otherwise every non-blank line is a paragraph, whether paragraphs are separated by blank
lines or by single line ends. Form feeds and page-number lines become page breaks in the
hard-wrapped case. Chrome of other publishers (``You are here``, ``Download "…"``,
``Total Page:16 File Type:pdf``) is recognised wherever it stands.
"""

from __future__ import annotations

import itertools

from pipeline.readers.decoding import SourceText
from pipeline.readers.language import detect_language
from pipeline.readers.ledger import LineLedger
from pipeline.readers.paragraphs import (
    JoinStats,
    blocks_from_lines,
    ends_sentence,
    lazy_language,
    mark_running_headers,
    report_joins,
)
from pipeline.readers.reader import Reader, make_document
from pipeline.source import Metadata, SourceDocument

NAME = "plain"
_SAMPLE_LINES = 5000


def looks_hard_wrapped(lines: list[str]) -> bool:
    """Whether the (sampled) lines are hard-wrapped prose rather than one line a paragraph."""
    sample = lines[:_SAMPLE_LINES]
    lengths = [len(line.rstrip()) for line in sample if line.strip()]
    if len(lengths) < 4:
        return False
    lengths.sort()
    width = lengths[int(len(lengths) * 0.9)]
    if width > 130:
        return False
    running_on = 0
    candidates = 0
    for current, following in itertools.pairwise(sample):
        if current.strip() and following.strip():
            candidates += 1
            if not ends_sentence(current):
                running_on += 1
    non_blank = len(lengths)
    return candidates >= 0.5 * non_blank and running_on >= 0.3 * non_blank


def read(text: SourceText) -> SourceDocument:
    lines = text.lines
    ledger = LineLedger(len(lines))
    wrapped = looks_hard_wrapped(lines)
    has_form_feeds = any("\f" in line for line in lines)
    mode = "layout" if wrapped or has_form_feeds else "lines"
    language = lazy_language(lambda: detect_language(lines[:2000]) or "en") \
        if mode == "layout" else "en"
    stats = JoinStats()
    if has_form_feeds and lines:
        mark_running_headers(lines, 1, len(lines), ledger)
    blocks = blocks_from_lines(lines, 1, len(lines), ledger, mode, language=language,
                               stats=stats) if lines else []
    notes = report_joins(stats, text.path)
    return make_document(text, NAME, Metadata(), blocks, ledger, notes)


def detect(text: SourceText) -> float:
    return 0.05


READER = Reader(NAME, "plain transcript with no page chrome (paragraphs on blank lines or "
                "single line ends); the fallback", detect, read)
