"""Huge inputs read in bounded memory (peak measured with tracemalloc, no timing)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from pipeline.readers import read_source
from pipeline.source import BlockKind

pytestmark = pytest.mark.slow

SIZE = 50_000_000
#: the peak may be a small multiple of the file: bytes, decoded text, lines, blocks
PEAK_LIMIT = 6


def peak_while_reading(path: Path):
    tracemalloc.start()
    try:
        doc = read_source(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return doc, peak


def test_flattened_50_mb_single_line(tmp_path: Path) -> None:
    sentence = ("The delegates discussed the supply of grain and the transport of machinery "
                "across the border in great detail. ")
    header = ("Digital Archive digitalarchive.wilsoncenter.org International History "
              "Declassified March 03, 1962 A Record Citation: \u201cA Record,\u201d "
              "March 03, 1962, History and Public Policy Program Digital Archive, GARF, f. 1. "
              "Summary: A summary. Original Language: Russian Contents: English Translation ")
    path = tmp_path / "flat.txt"
    path.write_text(header + sentence * (SIZE // len(sentence)), encoding="utf-8")
    size = path.stat().st_size
    doc, peak = peak_while_reading(path)
    assert doc.reader == "wcda-pdf-flat"
    assert doc.metadata.title == "A Record"
    assert len(doc.blocks) == 1 and len(doc.blocks[0].text) > SIZE - 1000
    assert peak < PEAK_LIMIT * size, f"peak {peak / 1e6:.0f} MB for {size / 1e6:.0f} MB"


def test_50_mb_of_single_line_paragraphs(tmp_path: Path) -> None:
    paragraph = ("Khrushchev. The conversation continued for a long time and the delegates "
                 "discussed the fisheries question and the treaty at length.\n")
    path = tmp_path / "scrape.txt"
    path.write_text(paragraph * (SIZE // len(paragraph)), encoding="utf-8")
    size = path.stat().st_size
    doc, peak = peak_while_reading(path)
    assert doc.reader == "plain"
    assert len(doc.blocks) == SIZE // len(paragraph)
    assert all(b.kind is BlockKind.PARAGRAPH for b in doc.blocks[:10])
    assert doc.accounting[0].last == doc.line_count
    assert peak < PEAK_LIMIT * size, f"peak {peak / 1e6:.0f} MB for {size / 1e6:.0f} MB"
