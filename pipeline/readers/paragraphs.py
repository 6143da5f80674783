"""Turning runs of body lines into paragraph blocks.

Three ways of reading a body, chosen by the reader:

``lines``
    every non-blank line is a paragraph (web captures and scraped bodies, where a line end
    is a block boundary);
``blank``
    paragraphs are separated by blank lines, and the lines of a paragraph are joined;
``layout``
    hard-wrapped text from a PDF: besides blank lines, a paragraph also starts at a line
    indented more than the line before it when that line ended a sentence, after a short
    line that ended a sentence, at a list item after a line that ended a sentence, and at a
    capitalised line after a line that stopped well short of the margin;
    deeply indented lines (centred or right-aligned headings, signatures) stand alone,
    unless they continue a long unfinished line (a wrapped centred heading); a blank line
    between a line that does not end a sentence and one that goes on in lower case does not
    end the paragraph.

Wrapped lines are joined with one space. A line ending in a hyphen after a letter is joined
to the next line without a space; the hyphen is dropped only when the next line starts with a
lower-case letter and the two halves together make a word in the word list of the document's
language (wordfreq), and kept otherwise (``Chiang Kai-`` + ``shek`` -> ``Kai-shek``,
``Soviet-`` + ``Chinese`` -> ``Soviet-Chinese``). The counts are returned in
:class:`JoinStats` for the reader to report.

Page breaks. A form feed, or a line holding only a page number (``12``, ``- 12 -``,
``Page 12``, ``12 of 16``), is a page boundary; several in a row count as one (the number
is kept). Between paragraphs a boundary becomes a ``BlockKind.PAGE_BREAK`` block (``n`` =
the page number when the source prints one). When a paragraph runs on across the boundary
(its last line does not end a sentence and the next page does not open a new paragraph), the
paragraph stays ONE block and the boundary is kept *inside its text* as a form feed
character (U+000C) in place of the joining space: the converter turns it into ``<pb/>`` at
that exact point. A printed page number of such a mid-paragraph boundary is accounted as
``chrome:page-number`` and not repeated in the text. A boundary after the last paragraph
produces no block (its lines are ``chrome:page-end``), nor does one before the first
paragraph (``chrome:page-start``: the body of a PDF export starts on a new page).

Lines the reader has already accounted for (running headers, other chrome) are skipped
without ending the paragraph around them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.diagnostics import Diagnostic, info
from pipeline.readers.chrome import (
    MAX_CHROME_LENGTH,
    chrome_kind,
    normalise_for_repeat,
    repeated_normalised,
)
from pipeline.readers.language import detect_language
from pipeline.readers.ledger import BLANK, BODY, LineLedger, chrome
from pipeline.source import Block, BlockKind

PAGE_NUMBER = re.compile(r"\s*(?:[-–—]\s*)?(?:page\s+)?(\d{1,3})(?:\s*(?:of|/)\s*\d{1,3})?"
                         r"(?:\s*[-–—])?\s*", re.I)
#: what a stripped line that :data:`PAGE_NUMBER` matches can start with, besides a digit
_PAGE_NUMBER_STARTS = frozenset("-–—pP")
_LIST_ITEM = re.compile(r"(?:\d{1,3}[.)]|\(\w{1,4}\)|[a-z][.)]|[IVXivx]{1,5}[.)]|[•·▪–-])\s")
_HYPHENATED = re.compile(r"([^\W\d_]+)-$")
_LEADING_WORD = re.compile(r"([^\W\d_]+)")
DEEP_INDENT = 20


@dataclass(slots=True)
class JoinStats:
    hyphens_joined: int = 0
    hyphens_kept: int = 0
    page_breaks_inside: int = 0


@lru_cache(maxsize=4096)
def _is_word(word: str, language: str) -> bool:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # pragma: no cover - wordfreq is a declared dependency
        return False
    try:
        return zipf_frequency(word, language) >= 2.0
    except (LookupError, ValueError):
        return False


#: a language code, or a function that works it out (called only when a word list is
#: needed, at most once per body when it caches its answer, as :func:`lazy_language` does)
Language = str | Callable[[], str]


def lazy_language(work_out: Callable[[], str]) -> Callable[[], str]:
    """``work_out`` called on first use only, its answer kept for later calls."""
    answer: list[str] = []

    def language() -> str:
        if not answer:
            answer.append(work_out())
        return answer[0]

    return language


def append_wrapped(parts: list[str], right: str, language: Language, stats: JoinStats,
                   separator: str = " ") -> None:
    """Append a wrapped line to a paragraph's pieces, undoing end-of-line hyphenation if safe.

    Only the last piece is ever rewritten, so building a paragraph stays linear in its size.
    """
    left = parts[-1]
    match = _HYPHENATED.search(left[-60:]) if left.endswith("-") else None
    if match and right[:1].isalpha():
        glue = "\f" if separator == "\f" else ""
        tail = _LEADING_WORD.match(right)
        if right[:1].islower() and tail and _is_word(
                (match.group(1) + tail.group(1)).casefold(),
                language if isinstance(language, str) else language()):
            stats.hyphens_joined += 1
            parts[-1] = left[:-1]
        else:
            stats.hyphens_kept += 1
        parts.append(glue + right)
        return
    parts.append(separator + right)


def join_wrapped(left: str, right: str, language: Language = "en",
                 stats: JoinStats | None = None) -> str:
    """``left`` and ``right`` joined as two wrapped lines of one paragraph."""
    parts = [left]
    append_wrapped(parts, right, language, stats or JoinStats())
    return "".join(parts)


_CLOSERS = "\"'”’»)]"
_FINAL = ".!?:;…"


def ends_sentence(text: str) -> bool:
    """Whether the text ends with sentence-final punctuation (closing quotes aside)."""
    text = text.rstrip().rstrip(_CLOSERS)
    return bool(text) and text[-1] in _FINAL


_INDENT_CHARS = " \t\f\u00a0"


def indentation(line: str) -> int:
    return len(line) - len(line.lstrip(_INDENT_CHARS))


def typical_width(lines: list[str], first: int, last: int) -> int:
    """The 90th percentile of line lengths in lines first..last (1-based), sampled."""
    step = max(1, (last - first + 1) // 5000)
    lengths = [len(line.rstrip()) for line in lines[first - 1:last:step]
               if line and not line.isspace()]
    lengths.sort()
    if not lengths:
        return 80
    return lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]


class _Paragraph:
    __slots__ = (
        "base_indent",
        "col",
        "first",
        "indented",
        "last",
        "last_text",
        "parts",
        "standalone",
    )

    def __init__(self, line: int, col: int, text: str, indent: int, standalone: bool) -> None:
        self.first = line
        self.last = line
        self.col = col
        self.parts = [text]
        self.last_text = text
        self.base_indent = indent
        self.indented = indent > 0
        self.standalone = standalone


def _near_page_edge(lines: list[str], number: int, first: int, last: int) -> bool:
    """Whether line ``number`` is the first or last non-blank line of a page."""
    if "\f" in lines[number - 1]:
        return True
    for step in (-1, 1):
        index = number + step
        while first <= index <= last:
            neighbour = lines[index - 1]
            if "\f" in neighbour:
                return True
            if neighbour.strip():
                break
            index += step
        else:
            return True          # the region's first or last non-blank line
    return False


def _starts_new(paragraph: _Paragraph, text: str, indent: int, width: int, mode: str) -> bool:
    """In ``layout`` mode: does this line (with no blank line before it) open a paragraph?"""
    if mode != "layout":
        return False
    previous = paragraph.last_text
    if paragraph.standalone or indent >= DEEP_INDENT:
        # centred or right-aligned lines: only a long unfinished line (a wrapped heading)
        # runs on
        return ends_sentence(previous) or len(previous) < 0.5 * width
    if not ends_sentence(previous):
        # a line that stops well short of the margin was broken on purpose (a heading, an
        # address line) when the next one starts with a capital
        return (len(previous) + paragraph.base_indent < 0.6 * width
                and text[:1].isupper())
    if indent > paragraph.base_indent + 2 and paragraph.last != paragraph.first:
        return True
    if indent > paragraph.base_indent + 2 and len(previous) < 0.8 * width:
        return True
    if _LIST_ITEM.match(text):
        return True
    return len(previous) + paragraph.base_indent < 0.7 * width


def _runs_on_after_gap(paragraph: _Paragraph, text: str) -> bool:
    """A blank line inside a sentence (the text runs on in lower case) does not end it."""
    return (text[:1].islower() and not paragraph.standalone
            and not ends_sentence(paragraph.last_text) and not _LIST_ITEM.match(text))


def _continues(paragraph: _Paragraph, text: str, indent: int, width: int, mode: str) -> bool:
    """Does the paragraph run on across a page boundary into this line?"""
    if mode == "lines" or paragraph.standalone or indent >= DEEP_INDENT:
        return False
    if ends_sentence(paragraph.last_text):
        return False
    if _LIST_ITEM.match(text):
        return False
    if len(paragraph.last_text) + paragraph.base_indent < 0.6 * width and text[:1].isupper():
        return False
    return indent <= paragraph.base_indent + 2 or text[:1].islower()


def blocks_from_lines(lines: list[str], first: int, last: int, ledger: LineLedger, mode: str,
                      *, language: Language = "en", stats: JoinStats | None = None
                      ) -> list[Block]:
    """Blocks for lines ``first``..``last`` (1-based, inclusive), marking them in ``ledger``.

    ``mode`` is ``lines``, ``blank`` or ``layout`` (see the module documentation).
    """
    if stats is None:
        stats = JoinStats()
    if mode == "lines" and not any("\f" in line for line in lines[first - 1:last]):
        return _line_blocks(lines, first, last, ledger)
    blocks: list[Block] = []
    width = typical_width(lines, first, last) if mode == "layout" else 0
    paragraph: _Paragraph | None = None
    gap = True                         # a blank line since the last text line
    boundary_at: int | None = None     # first line of a page boundary since the last text
    gap_before_boundary = False
    boundary_n: str | None = None
    marker_lines: list[int] = []       # lines that are only a form feed or a page number
    number_lines: set[int] = set()

    def close() -> None:
        nonlocal paragraph
        if paragraph is not None:
            blocks.append(Block("".join(paragraph.parts), paragraph.first, paragraph.col,
                                paragraph.last, BlockKind.PARAGRAPH, None, paragraph.indented))
            paragraph = None

    def settle_markers(how: str) -> None:
        """Account for the marker lines of a boundary that became a block, was kept inside a
        paragraph, or ended the text."""
        nonlocal boundary_at, boundary_n
        for line in marker_lines:
            if how == "block":
                role = BODY
            elif line in number_lines:
                role = chrome("page-number")
            elif how == "inside":
                role = BODY
            else:
                role = chrome(f"page-{how}")
            ledger.mark_line(line, role)
        marker_lines.clear()
        number_lines.clear()
        boundary_at = None
        boundary_n = None

    def start_boundary(number: int) -> None:
        nonlocal boundary_at, gap_before_boundary
        if boundary_at is None:
            boundary_at = number
            gap_before_boundary = gap

    roles = ledger.slots()          # a line still None here is marked by setting its slot
    for number in range(first, last + 1):
        raw = lines[number - 1]
        if roles[number - 1] is not None:
            if "\f" in raw:
                start_boundary(number)
            continue
        has_form_feed = "\f" in raw
        text_line = raw.replace("\f", "") if has_form_feed else raw
        stripped = text_line.strip()
        if has_form_feed:
            start_boundary(number)
        if not stripped:
            if has_form_feed:
                marker_lines.append(number)
            else:
                roles[number - 1] = BLANK
                gap = True
            continue
        if mode != "lines":
            page_number = PAGE_NUMBER.fullmatch(stripped) \
                if stripped[0] in _PAGE_NUMBER_STARTS or stripped[0].isdecimal() else None
            if page_number and (mode == "blank" or _near_page_edge(lines, number, first, last)):
                start_boundary(number)
                boundary_n = page_number.group(1)
                marker_lines.append(number)
                number_lines.add(number)
                continue
        kind = chrome_kind(stripped, anywhere=True) if len(stripped) <= MAX_CHROME_LENGTH \
            else None
        if kind:
            roles[number - 1] = chrome(kind)
            continue
        roles[number - 1] = BODY
        indent = len(text_line) - len(text_line.lstrip(_INDENT_CHARS))
        col = indentation(raw) + 1 if has_form_feed else indent + 1
        if boundary_at is not None:
            if paragraph is not None and (not gap_before_boundary or stripped[:1].islower()) \
                    and _continues(
                    paragraph, stripped, indent, width, mode):
                settle_markers("inside")
                append_wrapped(paragraph.parts, stripped, language, stats, "\f")
                paragraph.last_text = stripped
                paragraph.last = number
                stats.page_breaks_inside += 1
                gap = False
                continue
            close()
            if blocks:
                blocks.append(Block("", boundary_at, 1, max([boundary_at, *marker_lines]),
                                    BlockKind.PAGE_BREAK, boundary_n))
                settle_markers("block")
            else:
                settle_markers("start")
            gap = True
        if paragraph is not None and mode != "lines" and (
                (not gap and not _starts_new(paragraph, stripped, indent, width, mode))
                or (gap and mode == "layout" and _runs_on_after_gap(paragraph, stripped))):
            append_wrapped(paragraph.parts, stripped, language, stats)
            paragraph.last_text = stripped
            paragraph.last = number
        else:
            close()
            paragraph = _Paragraph(number, col, stripped, indent,
                                   mode == "layout" and indent >= DEEP_INDENT)
        gap = False
    close()
    settle_markers("end")
    return blocks


def _line_blocks(lines: list[str], first: int, last: int, ledger: LineLedger) -> list[Block]:
    """``lines`` mode without page boundaries: each non-blank line that is neither accounted
    for already nor chrome is a paragraph of its own."""
    blocks: list[Block] = []
    roles = ledger.slots()
    paragraph = BlockKind.PARAGRAPH
    for index in range(first - 1, last):
        if roles[index] is not None:
            continue
        raw = lines[index]
        stripped = raw.strip()
        if not stripped:
            roles[index] = BLANK
            continue
        kind = chrome_kind(stripped, anywhere=True) if len(stripped) <= MAX_CHROME_LENGTH \
            else None
        if kind:
            roles[index] = chrome(kind)
            continue
        roles[index] = BODY
        indent = len(raw) - len(raw.lstrip(_INDENT_CHARS))
        blocks.append(Block(stripped, index + 1, indent + 1, index + 1, paragraph, None,
                            indent > 0))
    return blocks


def mark_running_headers(lines: list[str], first: int, last: int, ledger: LineLedger) -> int:
    """Mark running headers and footers (lines repeated at the top or bottom of most pages,
    page numbers aside) as ``chrome:running-header``; returns how many lines were marked.

    A marked line that carries a form feed still counts as a page boundary for
    :func:`blocks_from_lines`.
    """
    edges: list[int] = []

    def candidate(number: int) -> bool:
        line = lines[number - 1]
        return bool(line.strip("\f \t\u00a0")) and ledger.role_of(number) is None \
            and not chrome_kind(line, anywhere=True) \
            and not PAGE_NUMBER.fullmatch(line.replace("\f", ""))

    # a line with a form feed starts a page
    starts = [number for number in range(first, last + 1) if "\f" in lines[number - 1]]
    pages = 1 + len(starts)
    if pages < 3:
        return 0                 # too few pages for anything to repeat on most of them
    for page_first, page_end in itertools.pairwise([first, *starts, last + 1]):
        page_lines = range(page_first, page_end)
        # the first two and the last two candidates among a page's first and last 12 lines
        top = list(itertools.islice(filter(candidate, page_lines[:12]), 2))
        bottom = list(itertools.islice(filter(candidate, reversed(page_lines[-12:])), 2))
        edges.extend(dict.fromkeys(top + bottom[::-1]))
    normalised: dict[int, str | None] = {}
    for number in edges:
        text = lines[number - 1].replace("\f", "")
        normalised[number] = normalise_for_repeat(text) if text.strip() else None
    repeated = repeated_normalised((n for n in normalised.values() if n is not None), pages)
    marked = 0
    for number in edges:
        if normalised[number] in repeated:
            ledger.mark_line(number, chrome("running-header"))
            marked += 1
    return marked


def report_joins(stats: JoinStats, path: str) -> list[Diagnostic]:
    """The info diagnostic about hyphenation and page-spanning paragraphs, if any."""
    notes = []
    if stats.hyphens_joined or stats.hyphens_kept:
        notes.append(info("reader-hyphenation",
                          f"end-of-line hyphens: {stats.hyphens_joined} removed (the halves "
                          f"make a word), {stats.hyphens_kept} kept", path))
    if stats.page_breaks_inside:
        notes.append(info("reader-page-break-inside",
                          f"{stats.page_breaks_inside} paragraph(s) run on across a page "
                          "break; the break is kept as a form feed inside the paragraph", path))
    return notes


def read_layout_body(lines: list[str], first: int, ledger: LineLedger,
                     path: str) -> tuple[list[Block], list[Diagnostic]]:
    """The body of hard-wrapped PDF text from line ``first`` to the end: running headers
    marked as chrome, paragraphs joined (hyphenation in the body's language, worked out only
    when a hyphen needs it), and the joins reported."""
    stats = JoinStats()
    blocks: list[Block] = []
    if first <= len(lines):
        mark_running_headers(lines, first, len(lines), ledger)
        language = lazy_language(
            lambda: detect_language(lines[first - 1:first + 2000]) or "en")
        blocks = blocks_from_lines(lines, first, len(lines), ledger, "layout",
                                   language=language, stats=stats)
    return blocks, report_joins(stats, path)
