"""The text edition's line filling (pipeline.render.layout) and the engine's per-call
plumbing: the stderr sink shared between transformations and the kept parsed document."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.render.engine import Renderer, _captured_stderr, get_renderer
from pipeline.render.layout import (
    BREAK,
    _fill_by_pattern,
    _hanging_indent,
    fill_segment,
    fill_stylesheet_output,
    fill_text,
    normalize_space,
)
from pipeline.tei import TEI_NS

WORDS = st.text(alphabet="abcé.,;:“”’-–[]0123456789", min_size=1, max_size=30)
MARKERS = st.sampled_from(["", "- ", "3. ", "[12] ", "12. "])


@st.composite
def simple_segments(draw: st.DrawFn) -> str:
    """Words separated by single spaces, sometimes opening with a list or note marker."""
    return draw(MARKERS) + " ".join(draw(st.lists(WORDS, min_size=1, max_size=40)))


@settings(max_examples=400, deadline=None)
@given(simple_segments(), st.integers(min_value=1, max_value=100))
def test_the_scan_fills_like_the_pattern(segment: str, width: int) -> None:
    expected = segment if len(segment) <= width else _fill_by_pattern(
        segment, width, _hanging_indent(segment))
    assert fill_segment(segment, width) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab -\t\u00a0\u2029x", max_size=60), st.integers(min_value=1, max_value=30))
def test_other_whitespace_keeps_the_pattern_fill(segment: str, width: int) -> None:
    segment = segment.strip()
    normalised = " ".join(segment.split()) if "  " in segment else segment
    if len(normalised) <= width:
        return
    try:
        expected = _fill_by_pattern(normalised, width, _hanging_indent(normalised))
    except IndexError:  # the pattern finds no line at all (a segment of odd whitespace)
        with pytest.raises(IndexError):
            fill_segment(segment, width)
        return
    assert fill_segment(segment, width) == expected


def test_fill_examples() -> None:
    assert fill_segment("aaa bbb ccc ddd", 7) == "aaa bbb\nccc ddd"
    assert fill_segment("aaaaaaaaaaaa bb", 5) == "aaaaaaaaaaaa\nbb"
    assert fill_segment("- item one two three", 10) == "- item one\n  two\n  three"
    assert fill_segment("[12] note text here", 10) == "[12] note\n     text\n     here"
    assert fill_segment("word  with   spaces", 40) == "word with spaces"
    assert fill_segment("a b c", 10) == "a b c"
    assert fill_segment("- one two three four", 9) == "- one two\n  three\n  four"
    assert fill_segment("[12] alpha beta gamma", 12) == "[12] alpha\n     beta\n     gamma"
    assert fill_segment("averyveryverylongword x", 5) == "averyveryverylongword\nx"
    assert fill_text("a\u2028b\n\nc\u2028\u2028", 10) == "a\nb\n\nc\n"
    text = f"Title{BREAK}=====\n\nfirst block is long enough\n\n\n\n{BREAK} last"
    assert fill_text(text, 12) == "Title\n=====\n\nfirst block\nis long\nenough\n\nlast\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \t\r\n\u00a0\u2028\u3000", max_size=40))
def test_normalize_space_is_xpaths(text: str) -> None:
    processor = get_renderer().processor
    xpath = processor.new_xpath_processor()
    xpath.set_parameter("s", processor.make_string_value(text))
    expected = xpath.evaluate_single("normalize-space($s)")
    assert normalize_space(text) == (expected.string_value if expected is not None else "")


def _blocks(*blocks: tuple[str, str]) -> str:
    """text.xsl's output: the index of the blocks, then each block after a space."""
    index = ",".join(f"{kind}{len(text)}" for kind, text in blocks) + ";"
    return " ".join([index, *(text for _kind, text in blocks)])


def test_stylesheet_output_blocks() -> None:
    normalised = f"Title{BREAK}=====\n\nfirst block is long enough\n\n\n\n{BREAK} last"
    assert fill_stylesheet_output(_blocks(("n", normalised)), 12) == fill_text(normalised, 12)
    raw = f"  Speaker.\n  words\tand  more\r\nwords {BREAK}\n {BREAK} - an item  here "
    assert fill_stylesheet_output(_blocks(("n", "A:1"), ("u", raw), ("n", "z")), 14) == (
        "A:1\n\nSpeaker. words\nand more words\n- an item here\n\nz\n")
    # a block's length is in characters, separators and digits in the text included
    assert fill_stylesheet_output(_blocks(("u", "é: 12:x"), ("n", "n3;, "), ("u", " ")), 40) == (
        "é: 12:x\n\nn3;,\n")
    assert fill_stylesheet_output("", 40) == fill_stylesheet_output(";", 40) == ""
    with pytest.raises(ValueError, match="block kind"):
        fill_stylesheet_output("x1; a", 40)
    with pytest.raises(ValueError, match="index"):
        fill_stylesheet_output("u1:a", 40)


def test_the_stderr_sink_is_emptied_between_uses() -> None:
    with _captured_stderr() as first:
        os.write(2, b"first message")
        assert first() == "first message"
    with _captured_stderr() as second:
        assert second() == ""
        os.write(2, b"second")
        assert second() == "second"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return get_renderer()


def _record(words: str) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
        "<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>"
        f"</teiHeader><text><body><p>{words}</p></body></text></TEI>"))


def test_a_changed_tree_is_parsed_again(renderer: Renderer) -> None:
    tree = _record("first version")
    assert "first version" in renderer.render(tree, to="text")[0]
    tree.getroot().find(f".//{{{TEI_NS}}}body/{{{TEI_NS}}}p").text = "second version"
    html, _ = renderer.render(tree, to="html")
    text, _ = renderer.render(tree, to="text")
    assert "second version" in html and "second version" in text
    assert "first version" not in html + text


def test_unnormalised_header_fields_and_endnotes_fill_like_normalised_ones(
        renderer: Renderer) -> None:
    # a field value and a note spread over lines (blank ones too): each stays one field or
    # one note, normalised, and a note's continuation lines hang under its text
    words = " ".join(["word"] * 30)
    tree = etree.ElementTree(etree.fromstring(
        f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title>'
        "<funder>First\n\n   Foundation  of\tthe Arts</funder></titleStmt>"
        "<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>"
        f'</teiHeader><text><body><p>Text<note place="foot">A note\n\n  {words}\n</note>'
        "</p></body></text></TEI>"))
    text, _ = renderer.render(tree, to="text", params={"width": 40})
    assert "\nFunder: First Foundation of the Arts\n" in text
    note = text[text.index("[1] A note"):].split("\n\n")[0].split("\n")
    assert note[0] == "[1] A note " + " ".join(["word"] * 6)
    assert len(note) > 2 and all(line.startswith("    word") for line in note[1:])
