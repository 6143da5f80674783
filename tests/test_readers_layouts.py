"""Layout variants not in the shared corpus, on fixtures written for these tests, and the
helpers the readers share."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.readers import READERS, read_source
from pipeline.readers.chrome import chrome_kind
from pipeline.readers.language import code_for_name, detect_language
from pipeline.readers.paragraphs import JoinStats, join_wrapped
from pipeline.readers.wcda_fields import credit_people, split_citation_credits, split_funders
from pipeline.source import BlockKind
from tests.test_readers import READER_FIXTURES
from tests.test_readers_corpus import assert_accounts_every_line


def read(name: str):
    doc = read_source(READER_FIXTURES / name)
    assert_accounts_every_line(doc)
    return doc


def roles(doc) -> dict[int, str]:
    return {n: run.role for run in doc.accounting for n in range(run.first, run.last + 1)}


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


# --- wcda-page variants ------------------------------------------------------------------

def test_page_single_newlines_no_funder_nbsp_paragraphs() -> None:
    doc = read("page-single-newline-no-funder.page.txt")
    assert doc.reader == "wcda-page"
    meta = doc.metadata
    assert meta.date == "March 3, 1962"
    assert meta.title == "Record of a Conversation between A. Petrenko and K. Halvorsen"
    assert meta.funders == []
    assert texts(doc) == ["Record of Conversation",
                          "Petrenko. Welcome to Moscow, Mr. Halvorsen.",
                          "Halvorsen. Thank you. We have much to discuss [illegible].",
                          "Petrenko. Then let us begin with the fisheries question.",
                          "Recorded by A. Ivanov."]
    assert meta.summary == "Petrenko and Halvorsen discuss fishing rights in the Barents Sea."
    assert meta.citation == "GARF, f. 5446, op. 2, d. 17, ll. 4-9"
    assert meta.contributors == ["Maria Lind"] and meta.translators == ["Maria Lind"]
    assert meta.uploaded == "2019-05-14"
    assert meta.record_type == "Memorandum of Conversation"
    assert meta.record_id == "123456"
    line_roles = roles(doc)
    assert line_roles[10] == "blank" and line_roles[12] == "blank"     # NBSP-only lines
    assert all(line_roles[n] == "blank" for n in range(3, 9))         # 6 empty lines


def test_page_stray_summary_and_funders() -> None:
    doc = read("page-stray-summary.page.txt")
    meta = doc.metadata
    assert meta.related_summary == ("Mikhailov reports on a meeting with the Finnish trade "
                                    "delegation.")
    assert meta.lines["related_summary"] == 3
    assert meta.date == "June 12, 1971"
    assert meta.summary == "The Ambassador of Finland and Sorokin discuss trade and transit."
    # the header funder line names two; the trailing funder line repeats one of them
    assert meta.funders == ["Example Family Foundation", "Sample Charitable Trust"]
    assert texts(doc)[-1] == "Signed: V. Sorokin"
    assert meta.uploaded is None                       # the label stands empty
    assert roles(doc)[25] == "chrome:field-label"


def test_old_page_quoted_citation() -> None:
    doc = read("page-old.page.txt")
    assert doc.reader == "wcda-page"
    meta = doc.metadata
    assert meta.date == "October 09, 1973"
    assert meta.title == "Record of Talks between Delegations, 9 October 1973"
    assert meta.summary == ("The delegations discuss a fisheries agreement and the exchange "
                            "of students.")
    assert meta.full_citation is not None and meta.full_citation.startswith('"Record of Talks')
    assert meta.citation == "RGANI, fond 80, opis 1, delo 940, listy 26-43"
    assert meta.translators == ["Pat Example"]
    assert meta.url == "https://digitalarchive.wilsoncenter.org/document/999999"
    assert texts(doc) == ["Record of the talks", "First Delegate. We welcome you.",
                          "Second Delegate. Thank you for the invitation."]


def test_oldest_page_chrome() -> None:
    doc = read("page-oldest.page.txt")
    assert doc.reader == "wcda-page"
    line_roles = roles(doc)
    assert line_roles[1] == "chrome:search-in"
    assert line_roles[2] == "chrome:site-name"
    assert line_roles[6] == line_roles[7] == "chrome:citation-button"
    assert line_roles[13] == "chrome:share"
    assert line_roles[14] == "chrome:format-links"
    meta = doc.metadata
    assert meta.date == "May 05, 1965"
    assert meta.summary == ("The envoys review the border talks and agree to meet again in the "
                            "autumn.")
    assert meta.title == "Note on the Border Talks, 5 May 1965"   # from the quoted citation
    assert meta.contributors == ["Sam Example"]
    assert texts(doc) == ["Note on the border talks", "The talks lasted three hours."]


def test_page_with_labelled_trailer() -> None:
    doc = read("page-labelled-trailer.page.txt")
    meta = doc.metadata
    assert meta.date == "April 1961"
    assert meta.citation == "SAPMO-BA, DY 30, 2460"
    assert meta.translators == ["Chris Example"]
    assert meta.uploaded == "2015-01-20"
    assert meta.record_type == "Letter"
    assert meta.language == "German"
    assert meta.record_id == "117000"
    assert meta.funders == ["Example Family Foundation"]
    assert doc.language == "en"                # the English text, not the stated language
    assert any(d.code == "reader-language" for d in doc.diagnostics)
    assert texts(doc) == ["Dear comrades,", "We write to inform you of the decisions taken.",
                          "With greetings, the Minister"]


# --- listing variants ------------------------------------------------------------------

def test_listing_paginated_bulleted_separated() -> None:
    doc = read("listing-paginated.page.txt")
    assert doc.reader == "wcda-listing" and doc.blocks == []
    assert doc.metadata.title == "Sino-Example Relations"
    assert doc.metadata.extra["result_count"] == "31 - 40 of 81"
    assert doc.listing is not None
    assert [(e.date, e.title, e.summary, e.line) for e in doc.listing] == [
        ("March 3, 1962", "Record of a Conversation between A. Petrenko and K. Halvorsen",
         "Petrenko and Halvorsen discuss fishing rights.", 5),
        ("June 12, 1971", "Memorandum of Conversation with the Ambassador of Finland", None, 9),
        ("May 05, 1965", "Note on the Border Talks",
         "The envoys review the border talks and agree to meet again.", 12),
    ]
    line_roles = roles(doc)
    assert line_roles[4] == "chrome:heading"
    assert line_roles[8] == line_roles[11] == "chrome:separator"
    assert line_roles[16] == line_roles[17] == "chrome:pagination"


def test_listing_documents_heading_and_hits_without_summary() -> None:
    doc = read("listing-documents-heading.page.txt")
    assert doc.reader == "wcda-listing"
    assert doc.listing is not None
    assert [(e.date, e.title, e.summary) for e in doc.listing] == [
        ("April 1961", "Letter from the Minister to the Committee", None),
        ("October 09, 1973", "Record of Talks between Delegations, 9 October 1973",
         "The delegations discuss a fisheries agreement."),
        ("1958", "Undated Note on Supplies", None),
    ]


# --- PDF text and other publishers' chrome --------------------------------------------------

def test_layout_text_with_running_headers_page_numbers_and_hyphens() -> None:
    doc = read("layout-running-headers.txt")
    line_roles = roles(doc)
    assert line_roles[1] == "chrome:you-are-here"
    assert line_roles[2] == "chrome:download"
    assert line_roles[3] == "chrome:file-info"
    assert line_roles[5] == line_roles[16] == line_roles[25] == "chrome:running-header"
    paragraphs = [b for b in doc.blocks if b.kind is BlockKind.PARAGRAPH]
    assert paragraphs[0].text.endswith("until the late afternoon of the same day.")
    assert paragraphs[0].indented and paragraphs[0].col == 5
    # a paragraph running on across page 1/2: one block, the break kept as a form feed
    assert paragraphs[1].text.endswith("an early settlement of the disputed\fsections before "
                                       "the winter. Chiang Kai-shek was not mentioned.")
    assert line_roles[15] == "chrome:page-number"
    # page 2/3 between paragraphs: a page break block with the printed number
    breaks = [b for b in doc.blocks if b.kind is BlockKind.PAGE_BREAK]
    assert [(b.line, b.n) for b in breaks] == [(24, "2")]
    assert paragraphs[-1].text == "Recorded by P. Example" and paragraphs[-1].indented
    assert line_roles[31] == "chrome:page-number" and line_roles[32] == "chrome:page-end"
    hyphenation = [d for d in doc.diagnostics if d.code == "reader-hyphenation"]
    assert hyphenation and "2 removed" in hyphenation[0].message
    assert "1 kept" in hyphenation[0].message


def test_flat_text_with_glued_page_numbers() -> None:
    doc = read("flat-glued-pages.txt")
    assert doc.reader == "wcda-pdf-flat"
    meta = doc.metadata
    assert meta.date == "March 03, 1962"
    assert meta.funders == ["Example Family Foundation"]
    assert meta.contents == ["English Translation", "Scan of Original Document"]
    assert [(b.kind, b.n) for b in doc.blocks] == [
        (BlockKind.PARAGRAPH, None), (BlockKind.PAGE_BREAK, "2"), (BlockKind.PARAGRAPH, None),
        (BlockKind.PAGE_BREAK, "3"), (BlockKind.PARAGRAPH, None)]
    line = (READER_FIXTURES / "flat-glued-pages.txt").read_text(encoding="utf-8")
    for block in doc.blocks:
        if block.kind is BlockKind.PARAGRAPH:
            assert line[block.col - 1:].startswith(block.text)
        else:
            assert line[block.col - 1:].startswith(block.n or "")
    assert doc.blocks[2].text.startswith("Top Secret MEMORANDUM OF CONVERSATION")
    assert doc.blocks[-1].text == "The conversation ended."


def test_word_html_german_with_entities_and_crlf() -> None:
    doc = read("word-export-de.html")
    assert doc.reader == "word-html"
    assert doc.language == "de"
    assert doc.metadata.title == "Vermerk über das Gespräch"
    assert texts(doc) == [
        "V e r m e r k",
        "Der Bundeskanzler erklärte, dass die Gespräche mit der Delegation «sehr offen» "
        "geführt wurden und dass man sich auf den Termin geeinigt habe.",
        "(Beispiel)"]
    assert [b.indented for b in doc.blocks] == [False, False, True]
    assert roles(doc)[4] == "chrome:css"


def test_word_html_parser_fetches_nothing(tmp_path: Path) -> None:
    path = tmp_path / "evil.html"
    path.write_text('<!DOCTYPE html SYSTEM "http://example.invalid/x.dtd">\n<html><body>\n'
                    '<p>Safe &amp; sound &unknownentity; text</p>\n'
                    '<p><img src="http://example.invalid/x.png"/>Second</p>\n</body></html>\n',
                    encoding="utf-8")
    doc = read_source(path)
    assert doc.reader == "word-html"
    assert texts(doc) == ["Safe & sound &unknownentity; text", "Second"]


def test_plain_blank_line_paragraphs() -> None:
    doc = read("plain-blank-paragraphs.txt")
    assert doc.reader == "plain"
    assert texts(doc) == ["Khrushchev. I am glad to see you.", "Guest. Thank you, Mr. Chairman.",
                          '[Handwritten: "Copy"]']


def test_forced_reader_is_used_and_flagged() -> None:
    doc = read_source(READER_FIXTURES / "plain-blank-paragraphs.txt", reader="wcda-page")
    assert doc.reader == "wcda-page"
    assert any(d.code == "reader-forced" for d in doc.diagnostics)
    doc = read_source(READER_FIXTURES / "page-old.page.txt", reader="plain")
    assert doc.reader == "plain" and doc.metadata.title is None


# --- shared helpers --------------------------------------------------------------------

@pytest.mark.parametrize(("left", "right", "joined"), [
    ("the late after-", "noon of the day", "the late afternoon of the day"),
    ("Chiang Kai-", "shek said", "Chiang Kai-shek said"),
    ("the Soviet-", "Chinese treaty", "the Soviet-Chinese treaty"),
    ("a dash --", "and more", "a dash -- and more"),
    ("plain words", "go on", "plain words go on"),
])
def test_hyphenation_is_undone_only_for_words(left: str, right: str, joined: str) -> None:
    assert join_wrapped(left, right, "en", JoinStats()) == joined


@pytest.mark.parametrize(("line", "kind"), [
    ("Skip to content", "skip-to-content"),
    ("You are here: Home > Documents", "you-are-here"),
    ('Download "Record of Conversation"', "download"),
    ("Total Page:16 File Type:pdf", "file-info"),
    ("• share document", "share"),
    ("English HTML", "format-links"),
    ("Khrushchev. I am glad to meet you.", None),
    ("Search results are discussed below.", None),
])
def test_chrome_lines(line: str, kind: str | None) -> None:
    assert chrome_kind(line) == kind


def test_credit_sentences() -> None:
    assert split_citation_credits("RGANI, f. 52, op. 1, d. 596 , ll. 110-123 Contributed by "
                                  "Sergey Radchenko and translated by Allison Smith.") == (
        "RGANI, f. 52, op. 1, d. 596 , ll. 110-123",
        "Contributed by Sergey Radchenko and translated by Allison Smith.")
    assert credit_people("Contributed, transcribed, and translated by Stephan Kieninger.") == (
        ["Stephan Kieninger"], ["Stephan Kieninger"])
    assert credit_people("Obtained by A. One and B. Two; translated for CWIHP by C. Three.") == (
        ["A. One", "B. Two"], ["C. Three"])
    assert split_funders("the Leon Levy Foundation and Blavatnik Family Foundation") == [
        "Leon Levy Foundation", "Blavatnik Family Foundation"]
    assert split_funders("Chun & Jane Chiu Family Foundation") == [
        "Chun & Jane Chiu Family Foundation"]


def test_language_names_and_scripts() -> None:
    assert code_for_name('["English"]') == "en"
    assert code_for_name("Russian") == "ru"
    assert code_for_name("Klingon") is None
    assert detect_language(["Хрущев. Очень хорошо. Мы очень спешим."]) == "ru"
    assert detect_language(["PM Major erklärt, dass die Regierung nicht mit der Lage "
                            "zufrieden ist und dass sie auf eine Lösung hofft."]) == "de"
    assert detect_language(["The conversation was held in the office of the minister and "
                            "it was friendly."]) == "en"
    assert detect_language(["毛泽东同志说，我们需要和平。"]) == "zh"
    assert detect_language(["12345 ..."], default=None) is None


def test_formats_command_lists_every_reader() -> None:
    result = CliRunner().invoke(main, ["formats"])
    assert result.exit_code == 0
    for name in READERS:
        assert name in result.output
    result = CliRunner().invoke(main, ["formats", "--format", "json"])
    assert result.exit_code == 0
    assert [r["name"] for r in json.loads(result.output)] == list(READERS)


def test_flat_text_with_other_publishers_chrome(tmp_path: Path) -> None:
    path = tmp_path / "mirror.txt"
    path.write_text(
        'Download "October 05, 1945 Record of Talks" Total Page:16 File Type:pdf Digital '
        "Archive digitalarchive.wilsoncenter.org International History Declassified October "
        "05, 1945 Record of Talks Citation: \u201cRecord of Talks,\u201d October 05, 1945, History "
        "and Public Policy Program Digital Archive, AVPRF: fond 0100. Summary: They talk. "
        "Original Language: Russian Contents: English Translation The body starts here and "
        "goes on for a while, long enough to be what a mirror site extracts from a PDF.\n",
        encoding="utf-8")
    doc = read_source(path)
    assert doc.reader == "wcda-pdf-flat"
    assert doc.metadata.title == "Record of Talks"
    assert doc.metadata.date == "October 05, 1945"
    chrome = [d.message for d in doc.diagnostics if d.code == "reader-chrome"]
    assert len(chrome) == 2 and "Total Page:16" in chrome[1]
    assert doc.blocks[0].text.startswith("The body starts here")


def test_word_html_chrome_paragraph_left_out(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body>\n<p>You are here: Home &gt; Documents</p>\n"
                    "<p>Mao Zedong: Just normal.</p>\n</body></html>\n", encoding="utf-8")
    doc = read_source(path)
    assert texts(doc) == ["Mao Zedong: Just normal."]
    assert [d.line for d in doc.diagnostics if d.code == "reader-chrome"] == [2]


def test_plain_transcript_opening_with_a_date_stays_plain(tmp_path: Path) -> None:
    path = tmp_path / "cable.txt"
    path.write_text("June 14, 1949\nTo Comrade Filippov\nI received your telegram.\n",
                    encoding="utf-8")
    doc = read_source(path)
    assert doc.reader == "plain"
    assert texts(doc) == ["June 14, 1949", "To Comrade Filippov", "I received your telegram."]
