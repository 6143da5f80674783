"""Input readers: one module per source layout, all registered in :data:`READERS`.

:func:`read_source` loads and decodes a file (:func:`load_text`), lets every reader rate how
well the text fits its layout, and reads it with the best one (or with the one forced by
``--from``). Readers know page layouts only; they hand the converter a
:class:`pipeline.source.SourceDocument` and never build TEI.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.diagnostics import info, warning
from pipeline.errors import UsageError
from pipeline.readers import plain, wcda_page
from pipeline.readers.decoding import SourceText, load_text
from pipeline.readers.reader import Reader
from pipeline.source import SourceDocument

#: every reader, by the name ``--from`` takes; ``plain`` is the fallback
READERS: dict[str, Reader] = {
    reader.name: reader
    for reader in (
        wcda_page.READER,
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
    """The name of the reader that fits ``text`` best, and its confidence."""
    score, name = rank_readers(text)[0]
    if score < MIN_CONFIDENCE:
        return FALLBACK, score
    return name, score


def get_reader(name: str) -> Reader:
    """The registered reader called ``name``; a :class:`UsageError` names the valid ones."""
    try:
        return READERS[name]
    except KeyError:
        valid = ", ".join(READERS)
        raise UsageError(f"unknown input format {name!r}; choose one of: {valid}",
                         code="usage-format") from None


def read_source(path: str | Path, *, reader: str | None = None) -> SourceDocument:
    """Read one transcript file into a :class:`SourceDocument`.

    Raises :class:`pipeline.errors.InputError` for files that cannot be transcripts and
    :class:`pipeline.errors.UsageError` for an unknown ``reader`` name.
    """
    forced = get_reader(reader) if reader is not None else None
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
