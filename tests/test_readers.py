"""The reader registry, read_source, and the wcda-page and plain readers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.readers import READERS, detect_reader, get_reader, load_text, read_source
from pipeline.source import BlockKind
from tests.conftest import CORPUS, FIXTURES

READER_FIXTURES = FIXTURES / "readers"


def shared_corpus_dir() -> Path:
    """../shared/corpus beside the checkout, or $EDITION_SHARED/corpus (for checkouts that
    live elsewhere, such as extra git worktrees)."""
    if CORPUS.is_dir():
        return CORPUS
    return Path(os.environ.get("EDITION_SHARED", str(CORPUS.parent))) / "corpus"


SHARED_CORPUS = shared_corpus_dir()
SEED_PAGE = SHARED_CORPUS / "wcda-pages" / "1960-08-29_khrushchev-suzuki.page.txt"
needs_shared = pytest.mark.skipif(
    not SHARED_CORPUS.is_dir(),
    reason="../shared/corpus is not beside the project checkout (or set EDITION_SHARED)")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_registry_entries_are_complete() -> None:
    assert "wcda-page" in READERS and "plain" in READERS
    for name, reader in READERS.items():
        assert reader.name == name
        assert reader.description and "\n" not in reader.description


def test_unknown_reader_name_lists_the_valid_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "Hello.\n")
    with pytest.raises(UsageError) as caught:
        read_source(path, reader="no-such-format")
    assert "wcda-page" in caught.value.message and "plain" in caught.value.message
    with pytest.raises(UsageError):
        get_reader("nope")


@needs_shared
class TestSeedPage:
    @pytest.fixture(scope="class")
    def doc(self):
        return read_source(SEED_PAGE)

    def test_detected_as_wcda_page(self, doc) -> None:
        assert doc.reader == "wcda-page"
        assert detect_reader(load_text(SEED_PAGE))[0] == "wcda-page"

    def test_metadata(self, doc) -> None:
        meta = doc.metadata
        assert meta.title == ("Record of Conversation of N.S. Khrushchev with Prominent "
                              "Political Figure of Japan M. Suzuki on August 29, 1960")
        assert meta.date == "August 29, 1960"
        assert meta.summary == ("Khrushchev and Suzuki discuss Japan's neutrality, the American "
                                "intelligence plane incident, and the failure of the Paris "
                                "summit.")
        assert meta.citation == "RGANI, f. 52, op. 1, d. 596 , ll. 110-123"
        assert meta.credits == ("Contributed by Sergey Radchenko and translated by Allison "
                                "Smith.")
        assert meta.contributors == ["Sergey Radchenko"]
        assert meta.translators == ["Allison Smith"]
        assert meta.funders == ["Blavatnik Family Foundation"]
        assert meta.rights is not None
        assert meta.rights.startswith("The History and Public Policy Program welcomes reuse")
        assert meta.rights.endswith("[email\u00a0protected].")
        assert meta.record_type == "Memorandum of Conversation"
        assert meta.record_id is None
        assert meta.related_summary is None

    def test_field_lines(self, doc) -> None:
        lines = doc.metadata.lines
        assert lines["date"] == 3
        assert lines["title"] == 5
        assert lines["funders"] == 7
        assert lines["summary"] == 135
        assert lines["citation"] == 140
        assert lines["rights"] == 143
        assert lines["record_type"] == 151

    def test_body(self, doc) -> None:
        texts = [b.text for b in doc.blocks]
        assert texts[:3] == ["Record of Conversation",
                             "of N.S. Khrushchev with Prominent Political Figure",
                             "of Japan M. Suzuki on August 29, 1960"]
        assert texts[3].startswith("[Handwritten at the bottom of page one] Not reviewed by")
        assert texts[4].startswith("Khrushchev. I am glad to meet")
        assert texts[-4:] == ["A member of the panel of the Ministry of Foreign Affairs of the "
                              "USSR Tugarinov I.I. was present for the conversation.",
                              "Translated:Rozhetskin A.M.",
                              "Recorded:Tugarinov I. I. and Rozhetskin A.M.",
                              "Isk. 837/86-ne"]
        assert all(b.kind is BlockKind.PARAGRAPH for b in doc.blocks)
        assert doc.blocks[0].line == 9 and doc.blocks[-1].line == 131
        assert doc.language == "en"

    def test_chrome_and_trailer_roles(self, doc) -> None:
        roles = {r.first: r.role for r in doc.accounting}
        assert roles[1] == "chrome:skip-to-content"
        assert roles[137] == "chrome:field-label"       # Document Information
        assert roles[147] == "chrome:field-label"       # Original Uploaded Date (empty)
        assert roles[154] == "chrome:field-label"       # Record ID (empty)
        assert roles[158] == "header:funders"


def test_plain_single_newline_paragraphs(tmp_path: Path) -> None:
    path = write(tmp_path, "t.txt", "Khrushchev. I am glad.\nSuzuki. Thank you.\n\n"
                 "Khrushchev. Not at all.\n")
    doc = read_source(path)
    assert doc.reader == "plain"
    assert [b.text for b in doc.blocks] == ["Khrushchev. I am glad.", "Suzuki. Thank you.",
                                           "Khrushchev. Not at all."]
    assert [b.line for b in doc.blocks] == [1, 2, 4]
    assert [(r.first, r.last, r.role) for r in doc.accounting] == [
        (1, 2, "body"), (3, 3, "blank"), (4, 4, "body")]


def test_plain_hard_wrapped_paragraphs_are_joined(tmp_path: Path) -> None:
    text = ("The conversation started at noon and the two delegations discussed\n"
            "the situation in the region at some length, with the interpreters\n"
            "translating every sentence in both directions as is usual.\n"
            "\n"
            "  The second paragraph starts here and continues on the following\n"
            "line without any further ado, until it stops at the full stop.\n")
    doc = read_source(write(tmp_path, "w.txt", text))
    assert doc.reader == "plain"
    assert len(doc.blocks) == 2
    assert doc.blocks[0].text.startswith("The conversation started at noon and the two "
                                         "delegations discussed the situation")
    assert doc.blocks[1].indented and doc.blocks[1].col == 3
