"""Every file of the shared corpus: the reader detection picks, and complete line accounting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.readers import detect_reader, load_text, read_source
from pipeline.source import BlockKind, SourceDocument
from tests.test_readers import SHARED_CORPUS, needs_shared

pytestmark = [pytest.mark.corpus, needs_shared]

#: the reader each corpus file must be detected as (None: not a transcript, refused)
EXPECTED_READER: dict[str, str | None] = {
    "wcda-pages/1960-08-29_khrushchev-suzuki.page.txt": "wcda-page",
    "wcda-pages/listing_soviet-japanese-relations.page.txt": "wcda-listing",
    "transcripts/1945-10-05_petrov-zhou-enlai-wang-ruofei_docslib-flat.txt": "wcda-pdf-flat",
    "transcripts/1945-10-10_petrov-mao-zhou-wang-ruofei_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1948-12-30_cable-mao-to-stalin_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1949-01-10_cable-terebin-to-stalin_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1949-01-31_mikoyan-mao_docslib-flat.txt": "wcda-pdf-flat",
    "transcripts/1949-02-03_mikoyan-mao_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1949-02-04_mikoyan-mao_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1949-02-05_mikoyan-mao-evening_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1949-04-01_nehru-letter-provincial-premiers_wcscrape.meta.json": None,
    "transcripts/1949-04-01_nehru-letter-provincial-premiers_wcscrape.txt": "wcda-scrape",
    "transcripts/1949-04-13_kovalev-report-conversation-mao_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1949-06-14_cable-mao-via-kovalev-to-stalin_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1949-06-18_cable-filippov-stalin-to-mao_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1949-06-30_mao-peoples-democratic-dictatorship_cpsci-pdf-layout.txt":
        "cpsci-pdf",
    "transcripts/1949-07-04_ccp-delegation-report-current-state-revolution_wcpdf-layout.txt":
        "wcda-pdf",
    "transcripts/1949-07-06_ccp-delegation-report-to-stalin_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1949-07-06_kovalev-report-to-stalin-advice_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1949-07-07_democratic-parties-preparatory-committee-pcc_docslib-flat.txt":
        "wcda-pdf-flat",
    "transcripts/1949-07-18_cable-liu-shaoqi-to-mao_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1949-07-27_liu-shaoqi-stalin_cpsci-pdf-layout.txt": "cpsci-pdf",
    "transcripts/1949-11-10_roshchin-zhou-enlai_cpsci-pdf-layout.txt": "cpsci-pdf",
    "transcripts/1949-12-16_stalin-mao_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1949-12-18_telegram-mao-to-liu-shaoqi_cpsci-pdf-layout.txt": "cpsci-pdf",
    "transcripts/1949-12-24_kovalev-report-to-stalin_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1950-01-01_roshchin-mao_ru-transcript_epikulski.html": "word-html",
    "transcripts/1950-01-01_roshchin-mao_ru-transcript_epikulski.json": None,
    "transcripts/1957-12-12_kieran-cremin-poland-uno_wcscrape.meta.json": None,
    "transcripts/1957-12-12_kieran-cremin-poland-uno_wcscrape.txt": "wcda-scrape",
    "transcripts/1958-06-05_peng-dehuai-report-to-mao-excerpt_docslib-flat.txt": "wcda-pdf-flat",
    "transcripts/1958-09-04_mikoyan-recollections-china-trip_wcpdf-layout.txt": "wcda-pdf",
    "transcripts/1958-09-19_aiken-unga-751st-plenary_wcscrape.meta.json": None,
    "transcripts/1958-09-19_aiken-unga-751st-plenary_wcscrape.txt": "wcda-scrape",
    "transcripts/1958-10-17_aiken-press-release-nuclear-disarmament_wcscrape.meta.json": None,
    "transcripts/1958-10-17_aiken-press-release-nuclear-disarmament_wcscrape.txt":
        "wcda-scrape",
    "transcripts/1967-11-00_nakajima-kenzo-statement_wcscrape.meta.json": None,
    "transcripts/1967-11-00_nakajima-kenzo-statement_wcscrape.txt": "wcda-scrape",
    "transcripts/1967-11-06_petition-chiang-ching-kuo-visit_wcscrape.meta.json": None,
    "transcripts/1967-11-06_petition-chiang-ching-kuo-visit_wcscrape.txt": "wcda-scrape",
    "transcripts/1967-11-18_mofa-japan-chinese-communist-problem_wcscrape.meta.json": None,
    "transcripts/1967-11-18_mofa-japan-chinese-communist-problem_wcscrape.txt": "wcda-scrape",
    "transcripts/1967-11-24_mofa-japan-sato-chiang-ching-kuo-points_wcscrape.meta.json": None,
    "transcripts/1967-11-24_mofa-japan-sato-chiang-ching-kuo-points_wcscrape.txt":
        "wcda-scrape",
    "transcripts/1996-09-12_kohl-kwasniewski-telephone_wcscrape.meta.json": None,
    "transcripts/1996-09-12_kohl-kwasniewski-telephone_wcscrape.txt": "wcda-scrape",
    "transcripts/1997-04-23_kohl-yeltsin-baden-baden_wcscrape.meta.json": None,
    "transcripts/1997-04-23_kohl-yeltsin-baden-baden_wcscrape.txt": "wcda-scrape",
    "transcripts/1997-05-12_kohl-nazarbayev-almaty_wcscrape.meta.json": None,
    "transcripts/1997-05-12_kohl-nazarbayev-almaty_wcscrape.txt": "wcda-scrape",
    "transcripts/1997-07-30_kohl-kuchma-madrid_wcscrape.meta.json": None,
    "transcripts/1997-07-30_kohl-kuchma-madrid_wcscrape.txt": "wcda-scrape",
    "transcripts/1997-10-22_kohl-guterres_wcscrape.meta.json": None,
    "transcripts/1997-10-22_kohl-guterres_wcscrape.txt": "wcda-scrape",
    "transcripts/1997-10-31_kohl-blair-chequers_wcscrape.meta.json": None,
    "transcripts/1997-10-31_kohl-blair-chequers_wcscrape.txt": "wcda-scrape",
    "transcripts/mingmeng_wilson_center_manifest.json": None,
    "transcripts/wcscrape_wilson_archive_2910f69.csv": None,
}

ROLE = re.compile(r"body|blank|header:[a-z0-9-]+|chrome:[a-z0-9-]+")


def corpus_files() -> list[str]:
    if not SHARED_CORPUS.is_dir():
        return []
    return sorted(str(p.relative_to(SHARED_CORPUS))
                  for folder in ("transcripts", "wcda-pages")
                  for p in (SHARED_CORPUS / folder).iterdir() if p.is_file())


def assert_accounts_every_line(doc: SourceDocument) -> None:
    """Runs cover lines 1..line_count once each, in order, with well-formed roles."""
    expected = 1
    for run in doc.accounting:
        assert run.first == expected, f"{doc.path}: line {expected} accounted as {run}"
        assert run.last >= run.first
        assert ROLE.fullmatch(run.role), f"{doc.path}: bad role {run.role!r}"
        expected = run.last + 1
    assert expected == doc.line_count + 1, f"{doc.path}: lines after {expected - 1} missing"
    assert not any(d.code == "reader-unaccounted" for d in doc.diagnostics)


def test_every_corpus_file_has_a_pinned_reader() -> None:
    assert sorted(EXPECTED_READER) == corpus_files()


@pytest.mark.parametrize("name", sorted(EXPECTED_READER))
def test_detection_and_accounting(name: str) -> None:
    path = SHARED_CORPUS / name
    expected = EXPECTED_READER[name]
    if expected is None:
        with pytest.raises(InputError) as caught:
            read_source(path)
        assert caught.value.code in ("input-sidecar", "input-data-file")
        return
    assert detect_reader(load_text(path))[0] == expected
    doc = read_source(path)
    assert doc.reader == expected
    assert_accounts_every_line(doc)
    body_lines = {n for run in doc.accounting if run.role == "body"
                  for n in range(run.first, run.last + 1)}
    for block in doc.blocks:
        assert block.line in body_lines, f"block at line {block.line} is not on a body line"
        if block.kind is BlockKind.PARAGRAPH:
            assert block.text and block.text == block.text.strip()
    if expected == "wcda-listing":
        assert doc.listing and not doc.blocks
    else:
        assert any(b.kind is BlockKind.PARAGRAPH for b in doc.blocks)
        if expected != "word-html":          # the Word export has no <title>
            assert doc.metadata.title


@pytest.mark.parametrize("name", [n for n, r in EXPECTED_READER.items()
                                  if r in ("wcda-pdf", "cpsci-pdf", "wcda-pdf-flat")])
def test_pdf_text_keeps_every_word(name: str) -> None:
    """Joining wrapped lines loses no word: the body's words are the body lines' words
    (hyphenated halves compared joined)."""
    path = SHARED_CORPUS / name
    doc = read_source(path)
    lines = load_text(path).lines
    source_words = []
    for run in doc.accounting:
        if run.role == "body":
            for number in range(run.first, run.last + 1):
                source_words.extend(lines[number - 1].replace("\f", " ").split())
    block_words = [w for b in doc.blocks for w in b.text.replace("\f", " ").split()]
    flat_source = "".join(source_words).replace("-", "")
    flat_blocks = "".join(block_words).replace("-", "")
    if doc.reader == "wcda-pdf-flat":
        assert flat_source.endswith(flat_blocks.replace(" ", ""))
    else:
        assert flat_source == flat_blocks


def test_scrape_sidecar_is_merged() -> None:
    path = SHARED_CORPUS / "transcripts/1997-10-31_kohl-blair-chequers_wcscrape.txt"
    doc = read_source(path)
    assert doc.sidecar is not None and Path(doc.sidecar).name.endswith(".meta.json")
    meta = doc.metadata
    assert meta.title is not None and meta.title.startswith("The Chancellor's [Helmut Kohl's]")
    assert meta.date == "October 31, 1997"
    assert meta.citation == "BArch, B 136/59748, 403-410"
    assert meta.translators == ["Stephan Kieninger"]
    assert meta.contributors == ["Stephan Kieninger"]
    assert meta.original_language == "German"          # decoded from '["German"]'
    assert meta.record_id == "300242"
    assert meta.extra["places"] == "Germany; Great Britain"
    assert doc.language == "en"                       # the body is the English translation
    assert doc.blocks[1].text == "M e m o r a n d u m" and doc.blocks[1].indented


def test_scrape_funders_are_deduplicated() -> None:
    doc = read_source(SHARED_CORPUS /
                      "transcripts/1957-12-12_kieran-cremin-poland-uno_wcscrape.txt")
    assert doc.metadata.funders == ["Carnegie Corporation of New York (CCNY)",
                                    "University of Southampton"]


def test_pdf_export_header() -> None:
    doc = read_source(SHARED_CORPUS / "transcripts/1949-12-16_stalin-mao_wcpdf-layout.txt")
    meta = doc.metadata
    assert meta.date == "December 16, 1949"
    assert meta.title == ("Record of Conversation between I.V. Stalin and Chairman of the "
                          "Central People's Government of the People's Republic of China Mao "
                          "Zedong on 16 December 1949")
    assert meta.citation == ("Archive of the President, Russian Federation (APRF), fond (f.) "
                             "45, opis (op.) 1, delo (d.) 329, listy (ll.) 9-17")
    assert meta.translators == ["Danny Rozas"]
    assert meta.url == "http://digitalarchive.wilsoncenter.org/document/111240"
    assert meta.contents == ["English Translation", "Scan of Original Document"]
    assert meta.original_language == "Russian"
    assert meta.summary is not None and meta.summary.startswith("First meeting between Mao")
    assert meta.summary.endswith("with this strategy.")
    paragraphs = [b for b in doc.blocks if b.kind is BlockKind.PARAGRAPH]
    assert paragraphs[4].text.startswith("Comrade Mao Zedong: The most important question")
    assert paragraphs[4].text.endswith("in what way and for how long will international "
                                       "peace be preserved.")
    assert paragraphs[-1].text == "[signature illegible 31/XII]"


def test_pdf_export_reprint_and_funder() -> None:
    doc = read_source(SHARED_CORPUS /
                      "transcripts/1949-07-04_ccp-delegation-report-current-state-revolution_"
                      "wcpdf-layout.txt")
    assert doc.metadata.funders == ["Blavatnik Family Foundation"]
    assert doc.metadata.citation == "RGASPI, f. 558, op. 11, d. 328, ll. 32-50"
    doc = read_source(SHARED_CORPUS / "transcripts/1948-12-30_cable-mao-to-stalin_wcpdf-layout.txt")
    assert doc.metadata.citation == "APRF: F. 39, Op. 1, D. 31, Ll. 49-52"
    assert doc.metadata.extra["reprinted"].startswith("Reprinted in Andrei Ledovskii")
    assert doc.metadata.credits == "Translated for CWIHP by Sergey Radchenko."


def test_page_spanning_paragraph_keeps_the_break_inside() -> None:
    doc = read_source(SHARED_CORPUS / "transcripts/1945-10-10_petrov-mao-zhou-wang-ruofei_"
                      "wcpdf-layout.txt")
    spanning = [b for b in doc.blocks if "\f" in b.text]
    assert spanning
    assert any("are scattered across\fdifferent regions" in b.text for b in spanning)
    assert any(d.code == "reader-page-break-inside" for d in doc.diagnostics)


def test_flat_header_fields_are_cut_out() -> None:
    path = SHARED_CORPUS / "transcripts/1945-10-05_petrov-zhou-enlai-wang-ruofei_docslib-flat.txt"
    doc = read_source(path)
    line = load_text(path).lines[0]
    meta = doc.metadata
    assert meta.date == "October 05, 1945"
    assert meta.title == ("Record of Conversation between Soviet Ambassador in China Apollon "
                          "Petrov and Zhou Enlai and Wang Ruofei")
    assert meta.citation == "AVPRF: fond 0100, opis 40, delo 7, papka 248, listy 120-123"
    assert meta.original_language == "Russian"
    assert meta.contents == ["English Translation"]
    first = doc.blocks[0]
    assert first.text.startswith("Record of conversation between Soviet Ambassador")
    assert line[first.col - 1:].startswith(first.text[:40])


def test_cpsci_two_column_header() -> None:
    doc = read_source(SHARED_CORPUS / "transcripts/1949-12-18_telegram-mao-to-liu-shaoqi_"
                      "cpsci-pdf-layout.txt")
    meta = doc.metadata
    assert meta.title == "Telegram to Liu"
    assert meta.date == "December 18,1949"
    assert meta.extra["author"] == "Mao zedong"
    assert meta.citation is not None and meta.citation.startswith("See Pei Jianzhang et al.")
    assert meta.url == "http://digitalarchive.wilsoncenter.org/document/110393"
    assert meta.summary is None
    assert doc.blocks[0].text.startswith("(1) [I] arrived in Moscow on the 16th")


def test_word_html_russian() -> None:
    doc = read_source(SHARED_CORPUS / "transcripts/1950-01-01_roshchin-mao_ru-transcript_"
                      "epikulski.html")
    assert doc.language == "ru"
    assert doc.blocks[0].text.startswith("По указанию министра иностранных дел СССР")
    assert "«" in "".join(b.text for b in doc.blocks)
    assert [b.text for b in doc.blocks[-2:]] == ["Посол СССР в Китае", "Н. Рощин"]
    assert all(b.indented for b in doc.blocks[-2:])
    assert not any(b.indented for b in doc.blocks[:-2])


def test_listing_page() -> None:
    doc = read_source(SHARED_CORPUS / "wcda-pages/listing_soviet-japanese-relations.page.txt")
    assert doc.listing is not None and len(doc.listing) == 5
    first = doc.listing[0]
    assert first.date == "August 29, 1960"
    assert first.title.startswith("Record of Conversation of N.S. Khrushchev")
    assert first.summary is not None and first.summary.endswith("the Paris summit.")
    assert first.line == 7
    assert doc.listing[-1].date == "October 9, 1973"
    assert doc.metadata.extra["result_count"] == "1 - 5 of 5"
