"""Input readers: one module per source layout, all registered in :data:`READERS`.

:func:`read_source` loads and decodes a file (:func:`load_text`), lets every reader rate how
well the text fits its layout, and reads it with the best one (or with the one forced by
``--from``). Readers know page layouts only; they hand the converter a
:class:`pipeline.source.SourceDocument` and never build TEI.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.diagnostics import info, warning
from pipeline.errors import InputError, UsageError
from pipeline.readers import (
    cpsci_pdf,
    plain,
    wcda_listing,
    wcda_page,
    wcda_pdf,
    wcda_pdf_flat,
    wcda_scrape,
    word_html,
)
from pipeline.readers.decoding import SourceText, load_text
from pipeline.readers.reader import MAX_CONFIDENCE, Reader
from pipeline.readers.wcda_scrape import SIDECAR_SUFFIX
from pipeline.source import SourceDocument

#: every reader, by the name ``--from`` takes; ``plain`` is the fallback
READERS: dict[str, Reader] = {
    reader.name: reader
    for reader in (
        wcda_page.READER,
        wcda_listing.READER,
        wcda_pdf.READER,
        wcda_pdf_flat.READER,
        cpsci_pdf.READER,
        wcda_scrape.READER,
        word_html.READER,
        plain.READER,
    )
}

FALLBACK = "plain"
#: below this confidence the fallback reader is used instead
MIN_CONFIDENCE = 0.3


def rank_readers(text: SourceText) -> list[tuple[float, str]]:
    """Every reader's confidence for ``text``, best first (ties keep registry order)."""
    scores = [(reader.detect(text), index, name)
              for index, (name, reader) in enumerate(READERS.items())]
    scores.sort(key=lambda item: (-item[0], item[1]))
    return [(score, name) for score, _index, name in scores]


def detect_reader(text: SourceText) -> tuple[str, float]:
    """The name of the reader that fits ``text`` best, and its confidence: the first in
    :func:`rank_readers`, found without asking the readers after one that is certain."""
    best, best_name = -1.0, FALLBACK
    for name, reader in READERS.items():
        score = reader.detect(text)
        if score > best:
            best, best_name = score, name
        if score >= MAX_CONFIDENCE:
            break       # no later reader can outrank it
    if best < MIN_CONFIDENCE:
        return FALLBACK, best
    return best_name, best


def get_reader(name: str) -> Reader:
    """The registered reader called ``name``; a :class:`UsageError` names the valid ones."""
    try:
        return READERS[name]
    except KeyError:
        valid = ", ".join(READERS)
        raise UsageError(f"unknown input format {name!r}; choose one of: {valid}",
                         code="usage-format") from None


def refuse_data_file(path: str | Path) -> None:
    """Metadata sidecars and JSON/CSV data files are not transcripts: say what to do instead."""
    p = Path(path)
    name = p.name.casefold()
    if name.endswith(SIDECAR_SUFFIX):
        body = p.with_name(p.name[:-len(SIDECAR_SUFFIX)] + ".txt")
        hint = f"; convert {body.name} (its metadata is read from this file)" \
            if body.is_file() else ""
        raise InputError(f"this is a metadata record, not a transcript{hint}", path=str(path),
                         code="input-sidecar")
    if p.suffix.casefold() in (".json", ".csv", ".tsv") and p.is_file():
        raise InputError(f"this is a {p.suffix[1:].upper()} data file, not a transcript; "
                         "convert the text or HTML transcripts it describes",
                         path=str(path), code="input-data-file")


def read_source(path: str | Path, *, reader: str | None = None) -> SourceDocument:
    """Read one transcript file into a :class:`SourceDocument`.

    Raises :class:`pipeline.errors.InputError` for files that cannot be transcripts and
    :class:`pipeline.errors.UsageError` for an unknown ``reader`` name.
    """
    forced = get_reader(reader) if reader is not None else None
    refuse_data_file(path)
    text = load_text(path)
    if forced is not None:
        document = forced.read(text)
        score = forced.detect(text)
        if score < MIN_CONFIDENCE and forced.name != FALLBACK:
            document.diagnostics.append(warning(
                "reader-forced", f"read as {forced.name} as asked, although the text does "
                f"not look like that layout (confidence {score:.2f})", text.path))
        return document
    name, score = detect_reader(text)
    document = READERS[name].read(text)
    document.diagnostics.insert(len(text.diagnostics), info(
        "reader-detected", f"read as {name} (confidence {score:.2f})", text.path))
    return document


__all__ = ["READERS", "Reader", "SourceText", "detect_reader", "get_reader", "load_text",
           "rank_readers", "read_source"]
