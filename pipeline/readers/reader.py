"""What every reader is: a name, a one-line description, a detector and a read function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.diagnostics import Diagnostic, info
from pipeline.readers.decoding import SourceText
from pipeline.readers.language import code_for_name, detect_language
from pipeline.readers.ledger import LineLedger
from pipeline.source import Block, BlockKind, ListingEntry, Metadata, SourceDocument

#: the highest confidence a detector gives: a reader that reaches it cannot be outranked
#: (ties go to the reader registered first), so detection stops there
MAX_CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class Reader:
    """One input convention.

    ``detect`` returns a confidence between 0 and :data:`MAX_CONFIDENCE` that ``text`` is in
    this layout; it must only look at a bounded part of the text (its head and tail).
    ``read`` turns the text into a :class:`SourceDocument` and accounts for every input line.
    """

    name: str
    description: str
    detect: Callable[[SourceText], float]
    read: Callable[[SourceText], SourceDocument]


def make_document(text: SourceText, reader: str, metadata: Metadata, blocks: list[Block],
                  ledger: LineLedger, diagnostics: list[Diagnostic] | None = None, *,
                  language: str | None = None, listing: list[ListingEntry] | None = None,
                  sidecar: str | None = None) -> SourceDocument:
    """Assemble a :class:`SourceDocument`: accounting from the ledger, language from the
    metadata or the body's script, and the decoding diagnostics first."""
    accounting, problems = ledger.roles(text.path)
    notes: list[Diagnostic] = []
    if language is None:
        language = body_language(metadata, blocks, text.path, notes)
    all_diagnostics = [*text.diagnostics, *(diagnostics or []), *notes, *problems]
    return SourceDocument(path=text.path, reader=reader, metadata=metadata, blocks=blocks,
                          accounting=accounting, line_count=text.line_count,
                          encoding=text.encoding, language=language,
                          diagnostics=all_diagnostics, listing=listing, sidecar=sidecar)


def body_language(metadata: Metadata, blocks: list[Block], path: str,
                  notes: list[Diagnostic]) -> str:
    """The body's BCP 47 language: what its text shows, else the stated language, else en.

    A stated language that the text contradicts is reported (archives often state the
    language of the original document beside an English translation).
    """
    detected = detect_language((b.text for b in blocks if b.kind is BlockKind.PARAGRAPH),
                               default=None)
    stated = code_for_name(metadata.language)
    if detected is None:
        return stated or "en"
    if stated is not None and stated != detected:
        notes.append(info("reader-language", f"the source says the text is in "
                          f"{metadata.language!r}, but the text reads as {detected!r}; "
                          f"using {detected!r}", path, metadata.lines.get("language")))
    return detected
