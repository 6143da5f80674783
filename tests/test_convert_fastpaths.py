"""The converter's fast paths agree with the plain definitions they replace.

Glued words are found from byte runs, XML-illegal characters by byte operations, markers
only where their first character stands, a handwritten marker's scope from the end of the
text before it, paragraphs without markers go straight into text nodes, and TEI elements
are built by the project's own factory. Each is compared here with the straightforward
version of the same rule, on hand-picked and generated texts.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml.builder import ElementMaker

from pipeline.convert import XML_ILLEGAL, _holds_xml_illegal, convert_path
from pipeline.convert.elements import child as elements_child
from pipeline.convert.elements import parse_tei_bytes, tei_document_bytes, tree_root
from pipeline.convert.glued import MAX_TOKEN_LENGTH, unlisted_ascii_words, word_list
from pipeline.convert.inline import (
    _MARKERS,
    LAST_WORD,
    LAST_WORD_WINDOW,
    LOOKBACK_WORDS,
    WORD,
    InlineContext,
    _last_word,
    _marker_matches,
    _recent_words,
    fill,
)
from pipeline.tei import NSMAP, PHRASE_LEVEL, TEI_NS, XML_ID, XML_LANG, E, pretty, serialize

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "1961-03-14_orlov-tanabe.page.txt"

# pieces where a fast path and its definition could part ways
_PIECES = [
    "the", "Austriainspire", "givesell", "thiscase", "Khrushchev,will", "word,word", "a,b",
    "abcdef", "ABCDEFG", "Müller", "café", "naïve", "’s", "'", "-", "_", "1960", "x²",
    " ", "  ", "\n", "\f", "\t", ",", ".", "[", "]", "[[", "]]", "/", "//", "(", ")", "*",
    "**", "[handwritten]", "[illegible]", "[sic]", "[1]", "/ Laughter /", "(laughs)",
    "high[er]", "\x00", "\x07", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800", "\ufffd",
    "é" * 3, "Хрущев", "毛泽东",
]
texts = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)),
                 max_size=30).map("".join)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_unlisted_ascii_words_are_the_letter_runs_the_list_lacks(text: str) -> None:
    known = word_list("en")
    expected = {w for w in re.findall(r"[A-Za-z]{6,}", text)
                if len(w) <= MAX_TOKEN_LENGTH and w.lower() not in known}
    assert unlisted_ascii_words(text) == expected
    assert unlisted_ascii_words(text) == expected      # answers remembered per word


@settings(max_examples=200, deadline=None)
@given(texts)
def test_xml_illegal_test_matches_the_character_class(text: str) -> None:
    assert _holds_xml_illegal(text) == bool(XML_ILLEGAL.search(text))


@settings(max_examples=200, deadline=None)
@given(texts)
def test_markers_are_what_the_expression_finds(text: str) -> None:
    assert [m.span() for m in _marker_matches(text)] == \
        [m.span() for m in _MARKERS.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["word", "glued-word", "’", "'", " ", ". ", "é", "x" * 60,
                                 "x" * 30, "x" * 47, "-", "\n"]), max_size=80).map("".join))
def test_recent_words_are_the_last_words(text: str) -> None:
    expected = list(WORD.finditer(text))[-LOOKBACK_WORDS:]
    assert [m.span() for m in _recent_words(text, LOOKBACK_WORDS)] == \
        [m.span() for m in expected]


def _encoded(text: str, ctx: InlineContext) -> bytes:
    p = E.p()
    fill(p, text, ctx)
    return etree.tostring(p, encoding="unicode").encode("utf-8", "surrogatepass")


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4))
def test_document_glued_tokens_encode_as_a_scan_of_every_paragraph(
        paragraphs: list[str]) -> None:
    """Looking for glued words only where the document's glued tokens stand gives what a
    full scan of each paragraph gives."""
    paragraphs = [XML_ILLEGAL.sub("\ufffd", p) for p in paragraphs]
    scoped = InlineContext()
    scoped.find_glued_tokens("\n".join(paragraphs))
    everywhere = InlineContext()        # glued_tokens None: every paragraph is scanned
    for text in paragraphs:
        assert _encoded(text, scoped) == _encoded(text, everywhere)
    assert [(i.code, i.message, i.offset) for i in scoped.inferences] == \
        [(i.code, i.message, i.offset) for i in everywhere.inferences]


def test_glued_words_found_in_the_reference_paragraphs() -> None:
    ctx = InlineContext()
    text = ("we can givesell it to you [handwritten], and in thiscase Austriainspire us; "
            "Khrushchev,will answer")
    ctx.find_glued_tokens(text)
    assert ctx.glued_tokens == {"givesell", "thiscase", "Austriainspire", "Khrushchev,will"}
    out = _encoded(text, ctx).decode()
    assert "<orig>thiscase</orig>" in out and "<orig>Khrushchev,will</orig>" in out
    # givesell a few words before [handwritten]: "give" struck through, "sell" added
    assert '<del rend="strikethrough">give</del>' in out and ">sell</add>" in out


def test_plain_paragraph_goes_into_the_text_node() -> None:
    p = E.p(E.lb())
    fill(p, "Plain prose, nothing more.", InlineContext())
    assert len(p) == 1 and p[0].tail == "Plain prose, nothing more."
    fill(p, "", InlineContext())
    assert p[0].tail == "Plain prose, nothing more."


def test_element_factory_builds_what_lxml_builder_builds() -> None:
    reference = ElementMaker(namespace=TEI_NS, nsmap=NSMAP)
    cases = [
        lambda m: m.p(),
        lambda m: m.p(""),
        lambda m: m.p("a", "b"),
        lambda m: m.p("a", m.hi("b", rend="i"), "c", m.lb(), "d", "e", type="x"),
        lambda m: m.p({"n": "1"}, "text", {"rend": "r"}, type="t"),
        lambda m: m("del", "x", rend="strikethrough"),
        lambda m: m.choice(m.orig("thiscase"), m.reg("this case", resp="#converter")),
    ]
    for case in cases:
        assert etree.tostring(case(E)) == etree.tostring(case(reference))


def _reference_pretty(root: etree._Element, space: str = " ") -> None:
    def walk(element: etree._Element, depth: int) -> None:
        if etree.QName(element).localname in PHRASE_LEVEL or not len(element):
            return
        if (element.text or "").strip() or any((c.tail or "").strip() for c in element):
            return
        inner = "\n" + space * (depth + 1)
        element.text = inner
        for c in element:
            c.tail = inner
            walk(c, depth + 1)
        element[-1].tail = "\n" + space * depth

    walk(root, 0)
    root.tail = None


def test_pretty_indents_as_the_plain_walk() -> None:
    source = (f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>T</title>'
              "</titleStmt></fileDesc></teiHeader><text><body><div><sp><speaker>A.</speaker>"
              "<p>Hi <hi>there</hi> <lb/>x</p></sp><p> </p><div> <p>y</p>\u00a0</div>"
              "<listPerson><person><persName>B</persName></person></listPerson>"
              "</div></body></text></TEI>")
    ours, reference = etree.fromstring(source), etree.fromstring(source)
    pretty(ours)
    _reference_pretty(reference)
    assert etree.tostring(ours) == etree.tostring(reference)
    assert b"\n    <sp>\n     <speaker>" in etree.tostring(ours)


def _reference_last_word(text: str) -> re.Match[str] | None:
    """The windowed search that ``_last_word`` replaces."""
    start = max(len(text) - LAST_WORD_WINDOW, 0)
    match = LAST_WORD.search(text, start)
    if match is not None and match.start() == start and start > 0:
        return None if not text[start - 1].isalnum() else LAST_WORD.search(text)
    return match


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["word", "w", "’", "'", "-", "_", " ", ". ", "é", "²", "٣",
                                 "x" * 199, " " * 150, "\n", ","]), max_size=40).map("".join))
def test_last_word_is_what_the_windowed_search_finds(text: str) -> None:
    ours, reference = _last_word(text), _reference_last_word(text)
    assert (ours and ours.span(), ours and ours.groups()) == \
        (reference and reference.span(), reference and reference.groups())


# --- the converter's tree: bare element names, the namespace declared when written --------

_TREE_TEXTS = st.sampled_from([None, "", " ", "\n ", "word", "a < b & c > d", 'say "so"',
                               "line\r\nend", "tab\there", "é’—", "\u00a0"])
_TREE_TAGS = st.sampled_from(["div", "sp", "p", "note", "choice", "lb", "listPerson", "head"])


@st.composite
def _tree_specs(draw: st.DrawFn, depth: int = 0) -> tuple:
    children = draw(st.lists(_tree_specs(depth + 1), max_size=3)) if depth < 3 else []
    attributes = draw(st.lists(st.tuples(st.sampled_from(["type", "n", "rend", XML_ID]),
                                         st.sampled_from(["x", "a&b", '"q"', "<>", "t\tn\nr\r",
                                                          "é"])),
                               max_size=2, unique_by=lambda pair: pair[0]))
    return (draw(_TREE_TAGS), attributes, draw(_TREE_TEXTS), draw(_TREE_TEXTS), children)


def _namespaced_child(parent: etree._Element, local: str, **attrib: str) -> etree._Element:
    """A new element in the TEI namespace appended to ``parent``: the tree the converter's
    bare-name tree stands for."""
    return etree.SubElement(parent, f"{{{TEI_NS}}}{local}", attrib or None)


def _build(parent: etree._Element, spec: tuple, make_child) -> None:
    tag, attributes, text, tail, children = spec
    element = make_child(parent, tag, **dict(attributes))
    element.text = text
    element.tail = tail
    for child_spec in children:
        _build(element, child_spec, make_child)


@settings(max_examples=300, deadline=None)
@given(st.lists(_tree_specs(), max_size=4))
def test_bare_tree_writes_the_bytes_of_the_namespaced_tree(specs: list[tuple]) -> None:
    """A tree built with bare names and written with the namespace declared on its root is
    the same document, byte for byte, as the tree built in the namespace; its bytes parse
    back to a tree in the namespace that writes them again."""
    bare = tree_root("TEI")
    namespaced = E.TEI()
    for root, make_child in ((bare, elements_child), (namespaced, _namespaced_child)):
        root.set(XML_ID, "doc")
        root.set(XML_LANG, "en")
        body = make_child(make_child(root, "text"), "body")
        for spec in specs:
            _build(body, spec, make_child)
        pretty(root)
    written = tei_document_bytes(bare)
    assert written == serialize(namespaced)
    parsed = parse_tei_bytes(written).getroot()
    assert all(etree.QName(element).namespace == TEI_NS for element in parsed.iter())
    if not any(map(_holds_empty_text, specs)):
        # an empty text node (written <x></x>) parses as none (<x/>): any other tree writes
        # again what it was parsed from
        assert serialize(parsed) == written


def _holds_empty_text(spec: tuple) -> bool:
    _tag, _attributes, text, tail, children = spec
    return text == "" or tail == "" or any(map(_holds_empty_text, children))


def test_conversion_tree_is_the_written_document() -> None:
    conversion = convert_path(SAMPLE)
    written = conversion.tei_bytes
    assert written.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n"
                              b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id=')
    tree = conversion.tree
    assert tree.getroot().tag == f"{{{TEI_NS}}}TEI"
    assert serialize(tree.getroot()) == written == conversion.tei_bytes
    # once the tree is made, the bytes are written from it: a change to it shows
    tree.getroot().set(XML_ID, "changed")
    assert b'xml:id="changed"' in conversion.tei_bytes
