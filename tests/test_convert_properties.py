"""Arbitrary text never makes the converter fail with an internal error."""

from __future__ import annotations

import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.convert import convert_path
from pipeline.errors import EditionError

FRAGMENTS = [
    "Khrushchev. ", "Comrade Stalin: ", "N.S. KHRUSHCHEV. ", "[handwritten]", "[illegible]",
    "[Handwritten at the bottom of page one] ", "[sic]", "[...]", "/Laughter/", "(laughter)",
    "[1]", "[1] Note text.", "[Page 4]", "//", "[Crossed out: \"x\"]", "givesell ",
    "Austriainspire ", "\n", "\n\n", "\f", "\u00a0", "Time: ", "Present: A, B.", "Isk. 1/2",
    "August 29, 1960", "RGANI, f. 52, op. 1, d. 596", "[", "]", "/", "(", ")", ":", ". ",
    "Skip to content\n", "Document Information\n", "\x00", "\x07", "Хрущев. ", "«", "…",
]
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)),
                 max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_arbitrary_text_converts_or_fails_cleanly(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.txt"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            conversion = convert_path(path)
        except EditionError as exc:
            assert exc.code.startswith("input")
            return
        data = conversion.tei_bytes
        etree.fromstring(data)
        assert convert_path(path).tei_bytes == data


@pytest.mark.slow
def test_large_transcript_converts_in_bounded_memory(tmp_path: Path) -> None:
    turn = ("Khrushchev. We can givesell it to you [handwritten], and cheaper [illegible]. "
            "/Laughter/ " + "The benefits of neutrality for Japan are massive. " * 8 + "\n\n"
            "Suzuki. I completely agree with you [sic]. " + "We highly value it. " * 10 + "\n\n")
    path = tmp_path / "big.txt"
    size = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Record of Conversation of N.S. Khrushchev with M. Suzuki\n\n")
        while size < 3_000_000:
            handle.write(turn)
            size += len(turn)
    tracemalloc.start()
    try:
        conversion = convert_path(path)
        data = conversion.tei_bytes
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert conversion.turns > 5000
    assert len(data) > size
    # linear in the input: the tree, the output and the word list, never a multiple of them
    assert peak < 60 * size, f"peak {peak / 1e6:.0f} MB for {size / 1e6:.0f} MB of input"
