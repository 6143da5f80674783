"""The HTML and text editions: goldens, conventions, parameters, diagnostics, safety."""

from __future__ import annotations

import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import lxml.html
import pytest
from lxml import etree

from pipeline.diagnostics import Severity
from pipeline.errors import RenderError, UsageError
from pipeline.render import document_summary, get_renderer, render_paths
from pipeline.render.documents import load_document, node_at
from pipeline.render.engine import XSLT_DIR, Renderer
from tests.test_render_support import (
    CONVENTIONS_TEI,
    SEED_TEI,
    check_golden,
    needs_seed,
    pretty_html,
    select,
)

# The reference page's goldens (converted from ../shared) are in test_render_corpus.py.
FIXTURES_BY_NAME = {"conventions": CONVENTIONS_TEI}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return get_renderer()


def render(renderer: Renderer, path: Path, to: str, **kwargs: object) -> str:
    output, _ = renderer.render(path, to=to, **kwargs)  # type: ignore[arg-type]
    return output


def page(renderer: Renderer, path: Path, **kwargs: object) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(render(renderer, path, "html", **kwargs))


# ----- goldens: each convention of docs/encoding.md, in HTML and in both text views -----

@pytest.mark.parametrize("name", sorted(FIXTURES_BY_NAME))
def test_html_golden(renderer: Renderer, name: str) -> None:
    check_golden(f"{name}.html", pretty_html(render(renderer, FIXTURES_BY_NAME[name], "html")))


@pytest.mark.parametrize("view", ["reading", "diplomatic"])
@pytest.mark.parametrize("name", sorted(FIXTURES_BY_NAME))
def test_text_golden(renderer: Renderer, name: str, view: str) -> None:
    check_golden(f"{name}.{view}.txt",
                 render(renderer, FIXTURES_BY_NAME[name], "text", view=view))


# ----- HTML conventions -----

@needs_seed
def test_header_panel_has_the_historians_citation(renderer: Renderer) -> None:
    doc = page(renderer, SEED_TEI)
    assert doc.get("lang") == "en"
    meta = {dt.text_content(): dd.text_content()
            for dt, dd in zip(select(doc, ".ed-meta dt"), select(doc, ".ed-meta dd"),
                              strict=True)}
    assert meta["Citation"] == "RGANI, f. 52, op. 1, d. 596, ll. 110–123"
    assert meta["Archive"] == "RGANI"
    assert meta["Contributed by"] == "Sergey Radchenko"
    assert meta["Translated by"] == "Allison Smith"
    assert meta["Funder"] == "Blavatnik Family Foundation"
    assert meta["Record type"] == "Memorandum of Conversation"
    assert select(doc, ".ed-doc-header time")[0].get("datetime") == "1960-08-29"
    assert "Japan's neutrality" in select(doc, ".ed-summary")[0].text_content()
    assert "welcomes reuse" in select(doc, ".ed-rights")[0].text_content()


@needs_seed
def test_citation_falls_back_to_the_verbatim_bibl(renderer: Renderer, tmp_path: Path) -> None:
    text = SEED_TEI.read_text(encoding="utf-8")
    text = re.sub(r"<msDesc>.*?</msDesc>", "", text, flags=re.S)
    path = tmp_path / "no-msdesc.xml"
    path.write_text(text, encoding="utf-8")
    doc = page(renderer, path)
    assert select(doc, ".ed-citation")[0].text_content() == \
        "RGANI, f. 52, op. 1, d. 596 , ll. 110-123"


@needs_seed
def test_turns_are_dialogue_with_ids(renderer: Renderer) -> None:
    doc = page(renderer, SEED_TEI)
    turns = select(doc, ".ed-sp")
    assert [t.get("id") for t in turns] == [f"turn-{n}" for n in range(1, 26)]
    first = turns[0]
    assert select(first, ".ed-speaker")[0].text_content().startswith("Khrushchev.")
    assert len(select(turns[1], "p.ed-p")) == 2  # continuation paragraph, same speaker
    # reported speech and participants stay prose outside turns
    assert any("Participated in the conversation" in p.text_content()
               for p in select(doc, ".ed-div > p.ed-p"))


@needs_seed
def test_who_wrote_what(renderer: Renderer) -> None:
    doc = page(renderer, SEED_TEI)
    adds = select(doc, "ins.ed-add.ed-hand")
    assert [a.text_content() for a in adds] == ["see", "some", "right", "sell", "sell",
                                                "Marxist-Leninist"]
    assert all(a.get("data-siglum") == "H1" for a in adds)
    inferred = adds[0]
    assert "ed-inferred" in inferred.get("class")
    assert inferred.get("tabindex") == "0"
    assert "certainty medium" in inferred.get("data-ed-tip")
    assert "Unidentified hand" in inferred.get("data-ed-tip")
    deleted = select(doc, "del.ed-del")[0]
    assert deleted.text_content() == "give" and "ed-dipl" in deleted.get("class")
    legend = select(doc, ".ed-hands li")
    assert "Unidentified hand: handwritten additions" in legend[1].text_content()
    note = select(doc, ".ed-annotation-block .ed-annotation")[0]
    assert select(note, ".ed-annotation-label")[0].text_content().startswith(
        "Handwritten, bottom of page 1")
    assert "Not reviewed by N.S. Khrushchev" in note.text_content()


@needs_seed
def test_views_are_both_in_the_page(renderer: Renderer) -> None:
    doc = page(renderer, SEED_TEI)
    orig = select(doc, ".ed-choice .ed-orig")[0]
    reg = select(doc, ".ed-choice .ed-reg")[0]
    assert orig.text_content() == "Austriainspire" and "ed-dipl" in orig.get("class")
    assert reg.text_content() == "Austria inspire" and "ed-read" in reg.get("class")
    assert doc.get_element_by_id("ed-view-reading").get("checked") is not None
    diplomatic = page(renderer, SEED_TEI, view="diplomatic")
    assert diplomatic.get_element_by_id("ed-view-diplomatic").get("checked") is not None
    assert diplomatic.get_element_by_id("ed-view-reading").get("checked") is None


def test_editorial_markers(renderer: Renderer) -> None:
    doc = page(renderer, CONVENTIONS_TEI)
    gaps = [g.text_content() for g in select(doc, ".ed-gap")]
    assert gaps == ["[…]", "[redacted]", "[illegible, 2 words]", "(illegible signature)"]
    supplied = [s.text_content() for s in select(doc, ".ed-supplied")]
    assert supplied == ["[ade]", "[Soviet]", "[take into account?]"]
    corr = select(doc, ".ed-choice .ed-corr")[0]
    assert corr.text_content() == "tests" and "tets" in corr.get("data-ed-tip")
    assert select(doc, ".ed-choice .ed-sic")[0].text_content().startswith("tets")
    assert [s.text_content() for s in select(doc, ".ed-stamp")] == [
        "Top Secret", "Copy Nº 1", "Stamp: 042. 4 January 1961"]
    assert select(doc, ".ed-opener br")  # opener lines stay lines in both views
    assert "(Translator’s note: trepang)" in [n.text_content()
                                              for n in select(doc, ".ed-inline-note")]
    assert select(doc, "section.ed-div > section.ed-div > h3.ed-head")
    stage = select(doc, ".ed-stage")[0]
    assert stage.text_content() == "They switch to international issues."
    assert "[Page 3]" in [p.text_content() for p in select(doc, ".ed-pb")]


def test_footnotes_link_both_ways_and_number_in_document_order(renderer: Renderer) -> None:
    doc = page(renderer, CONVENTIONS_TEI)
    refs = select(doc, "a[role=doc-noteref]")
    assert [r.text_content() for r in refs] == ["1", "2", "3", "4"]
    for ref in refs:
        target = doc.get_element_by_id(ref.get("href")[1:])
        back = select(target, "a[role=doc-backlink]")[0]
        assert back.get("href") == "#" + ref.get("id")
    notes = select(doc, ".ed-notes li")
    assert notes[2].text_content().startswith("Translator’s note: A delicacy.")
    assert notes[3].text_content().startswith("Editor’s note: but cancelled")
    # handwritten annotations are not numbered notes
    assert len(notes) == 4


@needs_seed
def test_persons_with_their_turns_and_cite_block(renderer: Renderer) -> None:
    doc = page(renderer, SEED_TEI)
    khrushchev = doc.get_element_by_id("ed-person-khrushchev")
    links = [a.get("href") for a in select(khrushchev, "a")]
    assert links == [f"#turn-{n}" for n in (1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25)]
    assert "speaks in 13 turns" in khrushchev.text_content()
    cite = select(doc, ".ed-cite-text")[0].text_content()
    assert cite.startswith("“Record of Conversation of N.S. Khrushchev")
    assert "August 29, 1960, RGANI, f. 52, op. 1, d. 596, ll. 110–123." in cite
    assert "Contributed by Sergey Radchenko; translated by Allison Smith." in cite


@needs_seed
def test_every_internal_link_resolves_and_nothing_external_is_loaded(
        renderer: Renderer) -> None:
    for path in (SEED_TEI, CONVENTIONS_TEI):
        doc = page(renderer, path)
        ids = {e.get("id") for e in doc.iter() if e.get("id")}
        for link in select(doc, "a[href^='#']"):
            assert link.get("href")[1:] in ids, link.get("href")
        for label in select(doc, "label[for]"):
            assert label.get("for") in ids
        assert not select(doc, "script[src], img, iframe, object, embed")
        assert all(link.get("href", "").startswith("data:") for link in select(doc, "link"))
        html = render(renderer, path, "html")
        assert "url(" not in html and "@import" not in html


def test_output_is_deterministic(renderer: Renderer) -> None:
    first = render(renderer, CONVENTIONS_TEI, "html")
    renderer._forget_parsed()
    assert render(renderer, CONVENTIONS_TEI, "html") == first
    assert not re.search(r'id="d\d+e\d+', first)  # no generate-id() values in the output


@needs_seed
def test_turn_numbers_parameter(renderer: Renderer) -> None:
    assert select(page(renderer, SEED_TEI), ".ed-turn-n")
    assert not select(page(renderer, SEED_TEI, params={"turn-numbers": "false"}),
                      ".ed-turn-n")


# ----- text conventions -----

@needs_seed
def test_text_reading_and_diplomatic_views(renderer: Renderer) -> None:
    reading = " ".join(render(renderer, SEED_TEI, "text").split())
    diplomatic = " ".join(render(renderer, SEED_TEI, "text", view="diplomatic").split())
    assert "Khrushchev. I am glad to meet" in reading
    assert "[Handwritten at the bottom of page 1] Not reviewed by N.S. Khrushchev" in reading
    assert "[illegible], Austria has already" in reading
    assert "Austria inspire us" in reading and "Austriainspire us" in diplomatic
    assert "can sell [handwritten] it" in reading
    assert "can givesell [handwritten] it" in diplomatic
    assert "see [handwritten], that" in reading
    assert "/Laughter/." in reading and "/Japanese laugh approvingly/." in reading
    assert "high[er] population" in reading
    assert "Citation: RGANI, f. 52, op. 1, d. 596, ll. 110–123" in reading


def test_text_deletions_sic_and_endnotes(renderer: Renderer) -> None:
    reading = " ".join(render(renderer, CONVENTIONS_TEI, "text").split())
    diplomatic = " ".join(render(renderer, CONVENTIONS_TEI, "text", view="diplomatic").split())
    assert "for example" not in reading
    assert '[Crossed out: "for example"]' in diplomatic
    assert "were tests of our will" in reading
    assert "were tets [sic; tests] of our will" in diplomatic
    assert "delegatoin tets [sic]" in reading
    assert "Ki // tay" in diplomatic and "Kitay question" in reading
    assert "[1] Written in pencil." in reading
    assert "[3] Translator’s note: A delicacy." in reading
    assert "1973[1] and talked about Le Duan,[2]" in reading
    assert "[handwritten in the left margin: Do they" in reading
    assert "cucumbers[3] (Translator’s note: trepang)." in reading
    assert "Mikoyan (after the translation ended): Pham (Le Duan's friend) replied. " \
        "(laughter) (illegible signature)" in reading
    lines = render(renderer, CONVENTIONS_TEI, "text")
    assert "\nTop Secret\nCopy Nº 1\n" in lines
    assert "\nHanoi, 4 August 1961\nRecorded by comr. Fedorenko.\nIsk. 837/86-ne\n" in lines
    assert "\nUploaded: May 2, 2019\n" in lines and "\nOriginal language: Russian\n" in lines


@needs_seed
def test_text_width_and_speaker_labels(renderer: Renderer) -> None:
    narrow = render(renderer, SEED_TEI, "text", params={"width": "40"})
    assert max(len(line) for line in narrow.splitlines()) <= 40
    wide = render(renderer, SEED_TEI, "text")
    assert max(len(line) for line in wide.splitlines()) <= 78
    assert any(len(line) > 60 for line in wide.splitlines())
    upper = render(renderer, SEED_TEI, "text", params={"speaker-labels": "upper"})
    assert "KHRUSHCHEV: I am glad" in upper
    assert "SUZUKI: Allow me" in upper


# ----- parameters -----

@pytest.mark.parametrize(("to", "params", "fragment"), [
    ("text", {"nope": "1"}, "unknown parameter 'nope'"),
    ("text", {"width": "wide"}, "whole number"),
    ("text", {"width": "5"}, "at least 20"),
    ("text", {"speaker-labels": "shouting"}, "printed, upper"),
    ("html", {"view": "scholarly"}, "reading, diplomatic"),
    ("html", {"turn-numbers": "maybe"}, "true or false"),
    ("html", {"width": "60"}, "unknown parameter 'width'"),
])
@needs_seed
def test_bad_parameters_are_usage_errors(renderer: Renderer, to: str,
                                         params: dict[str, str], fragment: str) -> None:
    with pytest.raises(UsageError) as caught:
        renderer.render(SEED_TEI, to=to, params=params)
    assert fragment in caught.value.message


@needs_seed
def test_render_paths_rejects_bad_view(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        render_paths([SEED_TEI], to="text", out_dir=tmp_path, view="pretty", params={})


# ----- diagnostics -----

def test_unknown_element_warning_points_at_its_line(renderer: Renderer) -> None:
    _, diagnostics = renderer.render(CONVENTIONS_TEI, to="html")
    unknown = [d for d in diagnostics if d.code == "render-unknown-element"]
    assert len(unknown) == 1
    expected = next(i for i, line in enumerate(
        CONVENTIONS_TEI.read_text(encoding="utf-8").splitlines(), 1) if "<catchwords" in line)
    assert unknown[0].line == expected
    assert unknown[0].severity is Severity.WARNING
    assert unknown[0].path == str(CONVENTIONS_TEI)
    assert "<catchwords>" in unknown[0].message
    text, _ = renderer.render(CONVENTIONS_TEI, to="text")
    assert "An unknown element stays as text." in text


def test_node_at_follows_saxon_paths() -> None:
    tree, _ = load_document(CONVENTIONS_TEI)
    tei = "Q{http://www.tei-c.org/ns/1.0}"
    element = node_at(tree.getroot(), f"/{tei}TEI[1]/{tei}text[1]/{tei}body[1]/{tei}div[1]"
                                      f"/{tei}sp[2]/{tei}speaker[1]")
    assert element is not None and element.text == "Pham Van Dong:"
    assert node_at(tree.getroot(), f"/{tei}TEI[1]/{tei}text[9]") is not None  # nearest


def _copy_stylesheets(tmp_path: Path) -> Path:
    target = tmp_path / "xslt"
    shutil.copytree(XSLT_DIR, target)
    return target


@needs_seed
def test_stylesheet_compile_error_names_module_and_line(tmp_path: Path) -> None:
    xslt = _copy_stylesheets(tmp_path)
    module = xslt / "text" / "inline.xsl"
    source = module.read_text(encoding="utf-8")
    module.write_text(source.replace('<xsl:template match="gap" mode="ed:text">',
                                     '<xsl:template match="gap" mode="ed:text" bad="1">'),
                      encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        Renderer(xslt).render(SEED_TEI, to="text")
    assert "inline.xsl" in caught.value.message
    assert caught.value.code == "render-stylesheet-compile"


@needs_seed
def test_stylesheet_runtime_error_names_module_line_and_element(tmp_path: Path) -> None:
    xslt = _copy_stylesheets(tmp_path)
    module = xslt / "html" / "text.xsl"
    source = module.read_text(encoding="utf-8")
    broken = source.replace(
        '<span class="ed-gap" data-reason="{@reason}">',
        '<span class="ed-gap" data-reason="{@reason}">{xs:integer(@reason)}')
    assert broken != source
    module.write_text(broken, encoding="utf-8")
    output, diagnostics = Renderer(xslt).render(SEED_TEI, to="html")
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    assert errors and errors[0].code == "render-stylesheet-error"
    assert re.search(r"xslt/html/text\.xsl:\d+", errors[0].message)
    assert errors[0].line is not None  # the TEI element's line in the document
    assert "not rendered" in output and "Khrushchev" in output  # the rest still renders
    # the failed run without guards leaves no messages behind: each diagnostic comes once
    assert len({(d.code, d.line, d.message) for d in diagnostics}) == len(diagnostics)
    text, text_diagnostics = Renderer(xslt).render(SEED_TEI, to="text")
    assert "Khrushchev" in text and not any(
        d.severity is Severity.ERROR for d in text_diagnostics)  # the text edition is intact


def test_render_outputs_gives_what_render_gives(renderer: Renderer) -> None:
    tree, _ = load_document(CONVENTIONS_TEI)
    params = {"html": {"turn-numbers": "false"}, "text": {"width": "40"}}
    both = renderer.render_outputs(tree, ("text", "html"), view="diplomatic", params=params,
                                   path="conventions.xml")
    assert list(both) == ["text", "html"]
    for to in ("html", "text"):
        alone = renderer.render(tree, to=to, view="diplomatic", params=params[to],
                                path="conventions.xml")
        assert both[to][0] == alone[0]
        assert [str(d) for d in both[to][1]] == [str(d) for d in alone[1]]
    with pytest.raises(UsageError):
        renderer.render_outputs(tree, ("html",), params={"html": {"width": "40"}})


# ----- safety -----

class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"<x/>")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    _Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@needs_seed
def test_nothing_is_fetched(renderer: Renderer, local_server: str, tmp_path: Path) -> None:
    hostile = SEED_TEI.read_text(encoding="utf-8").replace(
        "<p>Participated in the conversation",
        f'<p><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{local_server}/xi"/>'
        f'<graphic url="{local_server}/img.png"/><ref target="{local_server}/ref">r</ref>'
        f'<ptr target="{local_server}/ptr"/></p><p>Participated in the conversation')
    with_doctype = hostile.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE TEI SYSTEM "{local_server}/dtd" '
        f'[<!ENTITY ext SYSTEM "{local_server}/entity">]>')
    (tmp_path / "hostile.xml").write_text(hostile, encoding="utf-8")
    (tmp_path / "doctype.xml").write_text(with_doctype, encoding="utf-8")
    for name in ("hostile.xml", "doctype.xml"):
        for to in ("html", "text"):
            renderer.render(tmp_path / name, to=to)
    render_paths([tmp_path / "hostile.xml"], to="index", out_dir=tmp_path / "out",
                 params={"title": f"{local_server}/title"})
    with pytest.raises(Exception):  # noqa: B017 - Saxon refuses a DOCTYPE outright
        renderer.processor.parse_xml(xml_text=f'<!DOCTYPE a SYSTEM "{local_server}/d"><a/>')
    assert _Recorder.requests == []


@needs_seed
def test_a_stylesheet_cannot_read_files_or_the_network(local_server: str,
                                                       tmp_path: Path) -> None:
    xslt = _copy_stylesheets(tmp_path)
    entry = xslt / "text.xsl"
    source = entry.read_text(encoding="utf-8")
    entry.write_text(source.replace(
        '<xsl:call-template name="ed:check-params"/>',
        f'<xsl:call-template name="ed:check-params"/>'
        f'<xsl:value-of select="unparsed-text(\'{local_server}/u\')"/>'
        f'<xsl:value-of select="unparsed-text(\'/etc/hostname\')"/>'), encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        Renderer(xslt).render(SEED_TEI, to="text")
    assert "prohibited" in caught.value.message
    assert _Recorder.requests == []


# ----- foreign TEI -----

def test_doctype_and_p4_files_are_adapted_with_warnings(renderer: Renderer,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "p4.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE TEI.2 [<!ENTITY mdash "---">'
                    '<!ENTITY unknown SYSTEM "unknown.txt">]>\n'
                    '<TEI.2 lang="en"><teiHeader><fileDesc><titleStmt><title>Old</title>'
                    '</titleStmt></fileDesc></teiHeader><text><body><p id="p1">A&mdash;B '
                    '&unknown; C</p></body></text></TEI.2>', encoding="utf-8")
    text, diagnostics = renderer.render(path, to="text")
    codes = [d.code for d in diagnostics]
    assert codes[:3] == ["render-doctype-ignored", "render-entity-unresolved", "render-tei-p4"]
    assert "A---B [unknown] C" in text
    assert text.startswith("Old\n")


# ----- summaries and the index -----

@needs_seed
def test_document_summary_and_index(renderer: Renderer) -> None:
    summaries = []
    for path in (CONVENTIONS_TEI, SEED_TEI):
        tree, _ = load_document(path)
        doc_id = tree.getroot().get("{http://www.w3.org/XML/1998/namespace}id")
        summaries.append(document_summary(tree, doc_id=doc_id, href=f"{doc_id}.html"))
    record = etree.fromstring(summaries[1])
    ns = {"s": "urn:tei-edition:summary"}
    assert record.findtext("s:date", namespaces=ns) == "August 29, 1960"
    assert len(record.findall("s:turn", ns)) == 25
    assert record.find("s:turn", ns).get("who") == "#khrushchev"
    index = lxml.html.document_fromstring(renderer.render_index(summaries))
    titles = [h.text_content() for h in select(index, ".ed-hit h2")]
    assert titles[0].startswith("Record of Conversation of N.S. Khrushchev")  # 1960 first
    assert select(index, ".ed-hit h2 a")[0].get("href") == \
        "wcda-1960-08-29-khrushchev-suzuki.html"
    assert select(index, ".ed-hit-date time")[0].get("datetime") == "1960-08-29"
    khrushchev = index.get_element_by_id("person-khrushchev")
    links = [a.get("href") for a in select(khrushchev.getnext(), "a")]
    assert "wcda-1960-08-29-khrushchev-suzuki.html#turn-1" in links
    assert "1 - 2 of 2" in index.text_content()


@needs_seed
def test_index_pages_of_a_part(renderer: Renderer) -> None:
    tree, _ = load_document(SEED_TEI)
    summary = document_summary(tree, doc_id="seed", href="seed.html")
    listing = lxml.html.document_fromstring(renderer.render_index([summary], params={
        "part": "documents", "page": 2, "pages": 3, "first": 201, "total": 450,
        "persons-pages": 1}))
    assert "201 - 201 of 450" in listing.text_content()
    assert not select(listing, ".ed-person-index")
    pager = select(listing, "nav.ed-pager")[0]
    assert [a.get("href") for a in select(pager, "a")] == [
        "index.html", "index.html", "index-3.html", "index-3.html"]
    assert select(pager, "[aria-current=page]")[0].text_content() == "2"
    assert select(listing, ".ed-index-switch a")[0].get("href") == "persons.html"
    persons = lxml.html.document_fromstring(renderer.render_index([summary], params={
        "part": "persons"}))
    assert not select(persons, ".ed-hit") and not select(persons, "nav.ed-pager")
    section = select(persons, "section.ed-person-index")[0]
    assert not select(section, "h2")   # headed by the page title
    assert persons.get_element_by_id(section.get("aria-labelledby")).tag == "h1"
    with pytest.raises(UsageError):   # not among the parameter's declared values
        renderer.render_index([summary], params={"part": "everything"})


def test_listing_pages(renderer: Renderer) -> None:
    listing = CONVENTIONS_TEI.parent / "listing.xml"
    doc = page(renderer, listing)
    entries = select(doc, "article.ed-listing-entry")
    assert len(entries) == 2
    assert select(entries[0], "time")[0].get("datetime") == "1960-08-29"
    assert select(entries[0], ".ed-hit-title")[0].text_content().startswith("Record of Conv")
    assert "neutrality" in select(entries[0], ".ed-hit-summary")[0].text_content()
    assert not select(doc, "a[role=doc-noteref]")  # summaries are not footnotes
    assert "No archival citation given" not in doc.text_content()
    text = render(renderer, listing, "text")
    assert ("August 29, 1960\nRecord of Conversation of N.S. Khrushchev with M. Suzuki\n"
            "Khrushchev and Suzuki discuss Japan's neutrality.\n") in text
    assert "“Listing.” History and Public Policy Program" in text


def test_summaries_are_wrapped_into_one_well_formed_input() -> None:
    from pipeline.render.summary import wrap_summaries

    plain = b'<document xmlns="urn:tei-edition:summary" id="a"><title>A &amp; B</title></document>'
    declared = (b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n'
                b'<document xmlns="urn:tei-edition:summary" id="b"><title>B</title></document>')
    element = etree.fromstring(plain.replace(b'id="a"', b'id="c"'))
    wrapped = etree.fromstring(wrap_summaries([plain, declared, element]).encode("utf-8"))
    ns = {"s": "urn:tei-edition:summary"}
    assert wrapped.tag == "{urn:tei-edition:summary}summaries"
    assert [d.get("id") for d in wrapped.findall("s:document", ns)] == ["a", "b", "c"]
    assert wrapped.findtext("s:document/s:title", namespaces=ns) == "A & B"


def test_uri_attributes_keep_their_characters(renderer: Renderer) -> None:
    # a link outside ASCII is written as it is, not percent-encoded: the page is UTF-8, and a
    # browser follows it to the same address either way
    doc = etree.fromstring(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
        "<title>Brief</title></titleStmt><publicationStmt><p>x</p></publicationStmt>"
        "<sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader><text><body><p>Siehe "
        '<ref target="https://example.org/Zürich?q=Grüße">Zürich</ref>.</p></body></text>'
        "</TEI>")
    html, _ = renderer.render(doc.getroottree(), to="html")
    assert 'href="https://example.org/Zürich?q=Grüße"' in html
    link = lxml.html.fromstring(html.encode("utf-8")).xpath("//a[. = 'Zürich']")[0]
    assert link.get("href") == "https://example.org/Zürich?q=Grüße"


def test_a_document_as_deep_as_validation_accepts_renders(renderer: Renderer,
                                                          tmp_path: Path) -> None:
    """Saxon's parser stops at 100 levels unless told otherwise; lxml takes 256."""
    depth = 200
    path = tmp_path / "deep.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body>'
                    f'{"<div>" * depth}<p>at the bottom</p>{"</div>" * depth}</body></text></TEI>',
                    encoding="utf-8")
    for to in ("html", "text"):
        output, diagnostics = renderer.render(path, to=to)
        assert "at the bottom" in output
        assert not [d for d in diagnostics if d.severity == Severity.ERROR]
