"""Rendering the shared corpus: every foreign TEI file, and the words of the diplomatic text
edition against the original transcripts."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import lxml.html
import pytest

from pipeline.diagnostics import Severity
from pipeline.render import get_renderer
from pipeline.render.documents import load_document
from tests.conftest import CORPUS, needs_shared
from tests.test_render_support import check_golden, pretty_html, select

FOREIGN = CORPUS / "foreign-tei"
FOREIGN_FILES = sorted(FOREIGN.rglob("*.xml")) if FOREIGN.is_dir() else []

pytestmark = [needs_shared, pytest.mark.corpus]


def test_the_foreign_corpus_is_complete() -> None:
    assert len(FOREIGN_FILES) == 37


@pytest.mark.parametrize("path", FOREIGN_FILES, ids=lambda p: str(p.relative_to(FOREIGN)))
def test_foreign_tei_renders_without_errors(path: Path) -> None:
    renderer = get_renderer()
    tree, loaded = load_document(path)
    for to in ("html", "text"):
        output, diagnostics = renderer.render(tree, to=to, path=str(path))
        errors = [d.format() for d in [*loaded, *diagnostics] if d.severity is Severity.ERROR]
        assert errors == []
        assert output.strip()
        for diagnostic in diagnostics:
            assert re.fullmatch(r"render-[a-z0-9-]+", diagnostic.code)
            assert diagnostic.path == str(path)


def test_unknown_elements_are_rendered_as_text_with_a_warning() -> None:
    path = FOREIGN / "teic-tei" / "testAlien.xml"
    html, diagnostics = get_renderer().render(path, to="html")
    unknown = [d for d in diagnostics if d.code == "render-unknown-element"]
    assert unknown and all(d.line for d in unknown)
    tree, _ = load_document(path)
    alien = next(e for e in tree.iter() if isinstance(e.tag, str) and "alien" in e.tag.lower())
    words = " ".join("".join(alien.itertext()).split())
    assert words and words in " ".join(lxml.html.fromstring(html).text_content().split())


def test_drama_renders_as_dialogue() -> None:
    path = FOREIGN / "gerdracor" / "buechner-woyzeck.xml"
    renderer = get_renderer()
    page = lxml.html.document_fromstring(renderer.render(path, to="html")[0])
    turns = select(page, ".ed-sp")
    assert len(turns) > 100
    assert select(turns[0], "p.ed-speaker")[0].text_content().strip()
    text = renderer.render(path, to="text")[0]
    assert re.search(r"^WOYZECK\. \S", text, flags=re.M)


def test_a_tei_corpus_renders_each_member() -> None:
    path = FOREIGN / "teic-tei" / "testcorpus.xml"
    tree, _ = load_document(path)
    members = [e for e in tree.getroot() if isinstance(e.tag, str) and e.tag.endswith("}TEI")]
    page = lxml.html.document_fromstring(get_renderer().render(path, to="html")[0])
    assert len(members) >= 2
    assert len(select(page, "article.ed-document")) == len(members)


def test_transcription_markup_of_other_projects() -> None:
    path = FOREIGN / "maechtekongresse" / "Aachen_Prot_29.xml"
    renderer = get_renderer()
    page = lxml.html.document_fromstring(renderer.render(path, to="html")[0])
    assert select(page, "del.ed-del.ed-dipl") and select(page, "ins.ed-add")
    assert select(page, ".ed-pb") and select(page, "a[role=doc-noteref]")
    reading = renderer.render(path, to="text")[0]
    diplomatic = renderer.render(path, to="text", view="diplomatic")[0]
    # deleted words: substitutions run together in the diplomatic view, absent in reading
    assert len(diplomatic) > len(reading)
    assert "[Crossed out:" not in reading


# ----- the diplomatic text edition gives back the words of the input -----

TRANSCRIPTS = sorted(
    [*CORPUS.glob("transcripts/*.txt"), *CORPUS.glob("transcripts/*.html"),
     *CORPUS.glob("wcda-pages/*.page.txt")]) if CORPUS.is_dir() else []
WORD = re.compile(r"\w+", re.UNICODE)
# Markers the text edition regenerates in its own wording, and page chrome the converter
# reports instead of keeping: these words are not counted.
MARKER_WORDS = {"handwritten", "illegible", "crossed", "out", "stamp", "page", "break", "sic",
                "added", "note", "translator", "s", "editor"}


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text) if w.lower() not in MARKER_WORDS]


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.name)
def test_diplomatic_text_reproduces_the_words_of_the_source(path: Path) -> None:
    try:
        from pipeline.convert import convert_path  # type: ignore[attr-defined]
    except ImportError:
        pytest.skip("pipeline.convert is not available yet: the words test needs the "
                    "converter to turn each transcript into TEI")
    tree = convert_path(path).tree
    text, _ = get_renderer().render(tree, to="text", view="diplomatic", path=str(path))
    source = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".html":
        source = lxml.html.fromstring(source).text_content()
    expected = words(source)
    # the body: between the rule under the title block and the rule before notes/citation
    parts = re.split(r"^-{20,}$", text, flags=re.M)
    body = words(parts[1] if len(parts) > 2 else text)
    in_order = difflib.SequenceMatcher(None, expected, body, autojunk=False)
    found = sum(block.size for block in in_order.get_matching_blocks())
    # No invented, reordered or regularised words in the body: they come from the source.
    assert found / max(len(body), 1) >= 0.97, (
        f"only {found} of the body's {len(body)} words are the source's, in its order")
    # And nothing in the middle is lost: between the first and the last source word the
    # body gives back, the source's words are all there (page chrome lies outside this span).
    blocks = [b for b in in_order.get_matching_blocks() if b.size]
    span = blocks[-1].a + blocks[-1].size - blocks[0].a if blocks else 0
    assert found / max(span, 1) >= 0.95, (
        f"the body gives back {found} of the {span} source words it spans")


# ----- goldens from the converter's output for the seed page -----

SEED_PAGE = CORPUS / "wcda-pages" / "1960-08-29_khrushchev-suzuki.page.txt"


@pytest.mark.parametrize(("to", "view", "name"), [
    ("html", "reading", "converted-seed.html"),
    ("text", "reading", "converted-seed.reading.txt"),
    ("text", "diplomatic", "converted-seed.diplomatic.txt"),
])
def test_converted_seed_golden(to: str, view: str, name: str) -> None:
    """End to end: the seed page as the converter encodes it, rendered. When the converter's
    output changes on purpose, regenerate with UPDATE_GOLDENS=1 and review the diff."""
    try:
        from pipeline.convert import convert_path  # type: ignore[attr-defined]
    except ImportError:
        pytest.skip("pipeline.convert is not available yet")
    tree = convert_path(SEED_PAGE).tree
    output, diagnostics = get_renderer().render(tree, to=to, view=view, path=str(SEED_PAGE))
    assert [d for d in diagnostics if d.severity is Severity.ERROR] == []
    check_golden(name, pretty_html(output) if to == "html" else output)
