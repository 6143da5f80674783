"""What a reader hands to the converter: the source's metadata, its body blocks, and an
account of every input line.

Readers (``pipeline/readers``) know page layouts; they never build TEI. The converter
(``pipeline/convert``) knows the body conventions and TEI; it never looks at page chrome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from pipeline.diagnostics import Diagnostic


class BlockKind(str, Enum):
    PARAGRAPH = "p"      # a paragraph (or a flattened run of text) of the body
    PAGE_BREAK = "pb"    # a page boundary in the source (form feed, page number line)


@dataclass(slots=True)
class Block:
    """One paragraph of body text, with hard line wraps already joined.

    ``line``/``col`` locate its first character in the decoded input (1-based). ``lines`` is
    the last line the block spans, so reports can say "lines 40-44".
    """

    text: str
    line: int
    col: int = 1
    last_line: int | None = None
    kind: BlockKind = BlockKind.PARAGRAPH
    n: str | None = None          # page number for PAGE_BREAK when the source gives one
    indented: bool = False        # the source indented it (a layout cue for headings/closers)


@dataclass(slots=True)
class LineRole:
    """How one run of input lines was accounted for.

    ``role`` is ``body``, ``header:<field>`` (``header:title``, ``header:citation``...),
    ``chrome:<what>`` (``chrome:skip-to-content``, ``chrome:field-label``...) or ``blank``.
    """

    first: int
    last: int
    role: str


@dataclass(slots=True)
class Metadata:
    """Header fields as the source states them (verbatim strings, not yet interpreted)."""

    title: str | None = None
    date: str | None = None            # as printed: "August 29, 1960", "November 1967"
    summary: str | None = None
    citation: str | None = None        # archival citation, verbatim
    full_citation: str | None = None   # the quoted "how to cite" line of old pages/PDFs
    credits: str | None = None         # "Contributed by X and translated by Y." verbatim
    contributors: list[str] = field(default_factory=list)
    translators: list[str] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    rights: str | None = None
    record_type: str | None = None     # "Memorandum of Conversation"
    record_id: str | None = None
    language: str | None = None        # language of this transcript ("English", "Russian")
    original_language: str | None = None
    url: str | None = None
    uploaded: str | None = None
    classification: str | None = None
    publisher: str | None = None
    related_summary: str | None = None  # a stray summary of another document before the date
    contents: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    #: first input line of each field, keyed by the attribute name above
    lines: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class ListingEntry:
    """One hit of an archive listing page."""

    date: str | None
    title: str
    summary: str | None
    line: int


@dataclass
class SourceDocument:
    """A decoded, de-chromed source, ready for the converter."""

    path: str
    reader: str                        # the reader's registered name
    metadata: Metadata
    blocks: list[Block]
    accounting: list[LineRole]
    line_count: int
    encoding: str = "utf-8"
    language: str = "en"               # BCP 47 code of the body text
    diagnostics: list[Diagnostic] = field(default_factory=list)
    listing: list[ListingEntry] | None = None   # set by listing-page readers only
    sidecar: str | None = None          # path of a .meta.json that was merged in
