"""Every real transcript and page in ../shared/corpus converts to valid TEI, nothing lost."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from pipeline.convert import Conversion, convert_path
from pipeline.tei import NS
from tests.conftest import CORPUS, TEI_ALL
from tests.words import missing_in_order, source_words, tei_words


def _sources() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    files = sorted((CORPUS / "transcripts").glob("*.txt"))
    files += sorted((CORPUS / "transcripts").glob("*.html"))
    files += sorted((CORPUS / "wcda-pages").glob("*.txt"))
    return files


SOURCES = _sources()
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not SOURCES, reason="../shared/corpus is not beside the project checkout"),
]


@cache
def converted(path: Path) -> Conversion:
    return convert_path(path)


@cache
def tei_all() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(TEI_ALL)))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_converts_to_valid_tei_all(path: Path) -> None:
    if not TEI_ALL.is_file():
        pytest.skip("../shared/schemas/tei_all.rng is absent")
    conversion = converted(path)
    assert not [d for d in conversion.report.diagnostics if d.severity.value == "error"]
    # well-formed after serialisation, and valid
    tree = etree.fromstring(conversion.tei_bytes).getroottree()
    schema = tei_all()
    assert schema.validate(tree), str(schema.error_log)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_input_line_is_accounted_for(path: Path) -> None:
    conversion = converted(path)
    covered: list[int] = []
    for entry in conversion.report.details["accounting"]:
        covered.extend(range(entry["first"], entry["last"] + 1))
    assert sorted(covered) == list(range(1, conversion.source.line_count + 1))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_body_words_kept_in_order(path: Path) -> None:
    conversion = converted(path)
    if conversion.source.listing is not None:
        titles = ["".join(t.itertext()) for t in
                  conversion.tree.xpath("//tei:listBibl/tei:bibl/tei:title", namespaces=NS)]
        # the listing's words, its brackets encoded (supplied) rather than printed
        assert titles == [entry.title.replace("[", "").replace("]", "")
                          for entry in conversion.source.listing]
        return
    expected = source_words([b.text for b in conversion.source.blocks])
    body = conversion.tree.find(".//tei:body", NS)
    actual = tei_words(body)
    missing = missing_in_order(expected, actual)
    assert not missing, f"{len(missing)} word(s) lost or out of order: {missing[:20]}"


# Turn counts checked by reading each document (see docs/encoding.md on speaker evidence):
# reported-speech records and prose with "Stalin said:" have no turns.
PINNED_TURNS = {
    "1960-08-29_khrushchev-suzuki.page.txt": {"khrushchev": 13, "suzuki": 8, "okada": 3,
                                              "hozumi": 1},
    "1949-12-16_stalin-mao_wcpdf-layout.txt": {"stalin": 27, "mao-zedong": 25},
    "1958-09-19_aiken-unga-751st-plenary_wcscrape.txt": {"aiken": 1, "hekmat": 1},
    "1949-07-27_liu-shaoqi-stalin_cpsci-pdf-layout.txt": {},
    "1949-02-03_mikoyan-mao_wcpdf-layout.txt": {},
    "1945-10-05_petrov-zhou-enlai-wang-ruofei_docslib-flat.txt": {},
    "1949-04-01_nehru-letter-provincial-premiers_wcscrape.txt": {},
    "1997-04-23_kohl-yeltsin-baden-baden_wcscrape.txt": {},
    "1997-07-30_kohl-kuchma-madrid_wcscrape.txt": {},
    "1950-01-01_roshchin-mao_ru-transcript_epikulski.html": {},
    "1958-09-04_mikoyan-recollections-china-trip_wcpdf-layout.txt": {},
    "1949-06-30_mao-peoples-democratic-dictatorship_cpsci-pdf-layout.txt": {},
}


@pytest.mark.parametrize("name", sorted(PINNED_TURNS))
def test_pinned_turn_counts(name: str) -> None:
    path = next((p for p in SOURCES if p.name == name), None)
    if path is None:
        pytest.skip(f"{name} is not in the shared corpus")
    assert converted(path).speakers == PINNED_TURNS[name]


def test_listing_page_lists_the_five_documents() -> None:
    path = CORPUS / "wcda-pages" / "listing_soviet-japanese-relations.page.txt"
    tree = converted(path).tree
    bibls = tree.xpath("//tei:listBibl/tei:bibl", namespaces=NS)
    assert len(bibls) == 5
    assert bibls[0].findtext("tei:date", namespaces=NS) == "August 29, 1960"
    assert bibls[0].find("tei:date", NS).get("when") == "1960-08-29"
    assert all(b.findtext("tei:note[@type='summary']", namespaces=NS) for b in bibls)


def test_footnotes_move_to_their_anchors() -> None:
    path = CORPUS / "transcripts" / \
        "1949-06-30_mao-peoples-democratic-dictatorship_cpsci-pdf-layout.txt"
    tree = converted(path).tree
    notes = tree.xpath("//tei:body//tei:note[@place='foot']", namespaces=NS)
    assert [n.get("n") for n in notes] == [str(k) for k in range(1, 12)]
    assert notes[0].getparent().tag.endswith("}p")


def test_marginalia_are_numbered_annotations() -> None:
    path = CORPUS / "transcripts" / \
        "1949-07-04_ccp-delegation-report-current-state-revolution_wcpdf-layout.txt"
    tree = converted(path).tree
    notes = tree.xpath("//tei:note[@type='annotation'][@place='margin-left']", namespaces=NS)
    assert len(notes) >= 30
    assert notes[0].get("n") == "1" and notes[0].text.startswith("Do they have pilots?")
