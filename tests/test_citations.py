"""Archival citations: every citation in ../shared/corpus, the house styles the encoding guide
names, edge cases, the quoted "how to cite" form, and properties over arbitrary text."""

from __future__ import annotations

import doctest
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.citations
from pipeline.citations import (
    IDNO_TYPES,
    Citation,
    Locus,
    agrees,
    disagreements,
    format_citation,
    parse_citation,
    split_full_citation,
)
from tests.conftest import CORPUS, SEED_PAGE, needs_shared

F, OP, D, P = "fond", "opis", "delo", "papka"

# (verbatim, repository, repository_name, idnos, (locus text, from, to) or None, formatted)
CITATIONS = [
    # the seed page and the encoding guide's list
    ("RGANI, f. 52, op. 1, d. 596 , ll. 110-123", "RGANI", None,
     [(F, "52"), (OP, "1"), (D, "596")], ("ll. 110-123", "110", "123"),
     "RGANI, f. 52, op. 1, d. 596, ll. 110–123"),
    ("RGANI, fond 80, opis 1, delo 940, listy 26-43", "RGANI", None,
     [(F, "80"), (OP, "1"), (D, "940")], ("listy 26-43", "26", "43"),
     "RGANI, f. 80, op. 1, d. 940, ll. 26–43"),
    ("APRF: F. 39, Op. 1, D. 39, Ll. 74-77", "APRF", None,
     [(F, "39"), (OP, "1"), (D, "39")], ("Ll. 74-77", "74", "77"),
     "APRF, f. 39, op. 1, d. 39, ll. 74–77"),
    ("AVPRF: fond 0100, opis 40, delo 7, papka 248, listy 39-44", "AVPRF", None,
     [(F, "0100"), (OP, "40"), (D, "7"), (P, "248")], ("listy 39-44", "39", "44"),
     "AVPRF, f. 0100, op. 40, d. 7, pap. 248, ll. 39–44"),
    ("Archive of the President, Russian Federation (APRF), fond (f.) 45, opis (op.) 1, "
     "delo (d.) 329, listy (ll.) 9-17.", "APRF", "Archive of the President, Russian Federation",
     [(F, "45"), (OP, "1"), (D, "329")], ("listy (ll.) 9-17", "9", "17"),
     "APRF, f. 45, op. 1, d. 329, ll. 9–17"),
    ("BArch, B 136/59748, 326-334", "BArch", None,
     [("collection", "B 136"), ("file", "59748")], ("326-334", "326", "334"),
     "BArch, B 136/59748, 326–334"),
    ("SAPMO-BA, DY 30, 2460", "SAPMO-BA", None,
     [("collection", "DY 30"), ("file", "2460")], None,
     "SAPMO-BA, DY 30/2460"),
    ("PRC FMA 106-01479-03, 21-41", "PRC FMA", None,
     [("file", "106-01479-03")], ("21-41", "21", "41"),
     "PRC FMA, 106-01479-03, 21–41"),
    # PDF exports (archival part of the quoted citation)
    ("AVPRF: fond 0100, opis 40, delo 7, papka 248, listy 120-123", "AVPRF", None,
     [(F, "0100"), (OP, "40"), (D, "7"), (P, "248")], ("listy 120-123", "120", "123"),
     "AVPRF, f. 0100, op. 40, d. 7, pap. 248, ll. 120–123"),
    ("APRF: F. 39, Op. 1, D. 31, Ll. 49-52", "APRF", None,
     [(F, "39"), (OP, "1"), (D, "31")], ("Ll. 49-52", "49", "52"),
     "APRF, f. 39, op. 1, d. 31, ll. 49–52"),
    ("APRF: F. 39, Op. 1, D. 31, Ll. 54-58", "APRF", None,
     [(F, "39"), (OP, "1"), (D, "31")], ("Ll. 54-58", "54", "58"),
     "APRF, f. 39, op. 1, d. 31, ll. 54–58"),
    ("APRF: F. 39, Op. 1, D. 39, Ll. 7-16", "APRF", None,
     [(F, "39"), (OP, "1"), (D, "39")], ("Ll. 7-16", "7", "16"),
     "APRF, f. 39, op. 1, d. 39, ll. 7–16"),
    ("APRF: F. 39, Op. 1, D. 39, Ll. 47-53", "APRF", None,
     [(F, "39"), (OP, "1"), (D, "39")], ("Ll. 47-53", "47", "53"),
     "APRF, f. 39, op. 1, d. 39, ll. 47–53"),
    ("APRF: F. 39, Op. 1, D. 39, Ll. 54-62", "APRF", None,
     [(F, "39"), (OP, "1"), (D, "39")], ("Ll. 54-62", "54", "62"),
     "APRF, f. 39, op. 1, d. 39, ll. 54–62"),
    ("APRF: F. 45, Op. 1, D. 331, Ll. 15-21", "APRF", None,
     [(F, "45"), (OP, "1"), (D, "331")], ("Ll. 15-21", "15", "21"),
     "APRF, f. 45, op. 1, d. 331, ll. 15–21"),
    ("APRF: F. 45, Op. 1, D. 331, Ll. 101-111", "APRF", None,
     [(F, "45"), (OP, "1"), (D, "331")], ("Ll. 101-111", "101", "111"),
     "APRF, f. 45, op. 1, d. 331, ll. 101–111"),
    ("APRF: F. 45, Op. 1, D. 331, Ll. 119.", "APRF", None,
     [(F, "45"), (OP, "1"), (D, "331")], ("Ll. 119", "119", "119"),
     "APRF, f. 45, op. 1, d. 331, l. 119"),
    ("APRF: F. 3, Op. 65, D. 363, Ll. 20-23", "APRF", None,
     [(F, "3"), (OP, "65"), (D, "363")], ("Ll. 20-23", "20", "23"),
     "APRF, f. 3, op. 65, d. 363, ll. 20–23"),
    ("APRF: F. 3, Op. 65, D. 584, Ll. 123-144", "APRF", None,
     [(F, "3"), (OP, "65"), (D, "584")], ("Ll. 123-144", "123", "144"),
     "APRF, f. 3, op. 65, d. 584, ll. 123–144"),
    ("RGASPI, f. 558, op. 11, d. 328, ll. 32-50.", "RGASPI", None,
     [(F, "558"), (OP, "11"), (D, "328")], ("ll. 32-50", "32", "50"),
     "RGASPI, f. 558, op. 11, d. 328, ll. 32–50"),
    ("RGASPI, f. 558, op. 11, d. 328, ll. 51-55", "RGASPI", None,
     [(F, "558"), (OP, "11"), (D, "328")], ("ll. 51-55", "51", "55"),
     "RGASPI, f. 558, op. 11, d. 328, ll. 51–55"),
    ("RGASPI, f. 558, op. 11, d. 328, ll. 63-76", "RGASPI", None,
     [(F, "558"), (OP, "11"), (D, "328")], ("ll. 63-76", "63", "76"),
     "RGASPI, f. 558, op. 11, d. 328, ll. 63–76"),
    # third-party PDF header ("por." is the AVPRF item number, "pap." the papka)
    ("Source: AVPRF, f. 0100, op. 42, por. 19, pap. 288, ll. 81-85", "AVPRF", None,
     [(F, "0100"), (OP, "42"), ("file", "19"), (P, "288")], ("ll. 81-85", "81", "85"),
     "AVPRF, f. 0100, op. 42, por. 19, pap. 288, ll. 81–85"),
    # scraped metadata "source" fields (credits follow the reference)
    ("BArch, B 136/59748, 297-301. Contributed, transcribed, and translated by "
     "Stephan Kieninger.", "BArch", None,
     [("collection", "B 136"), ("file", "59748")], ("297-301", "297", "301"),
     "BArch, B 136/59748, 297–301"),
    ("BArch, B 136/59748, 376-385. Contributed, transcribed, and translated by "
     "Stephan Kieninger.", "BArch", None,
     [("collection", "B 136"), ("file", "59748")], ("376-385", "376", "385"),
     "BArch, B 136/59748, 376–385"),
    ("BArch, B 136/59748, 335-336. Contributed, transcribed, and translated by "
     "Stephan Kieninger.", "BArch", None,
     [("collection", "B 136"), ("file", "59748")], ("335-336", "335", "336"),
     "BArch, B 136/59748, 335–336"),
    ("BArch, B 136/59748, 396-402. Contributed, transcribed, and translated by "
     "Stephan Kieninger.", "BArch", None,
     [("collection", "B 136"), ("file", "59748")], ("396-402", "396", "402"),
     "BArch, B 136/59748, 396–402"),
    ("BArch, B 136/59748, 403-410. Contributed, transcribed, and translated by "
     "Stephan Kieninger.", "BArch", None,
     [("collection", "B 136"), ("file", "59748")], ("403-410", "403", "410"),
     "BArch, B 136/59748, 403–410"),
    ("Nehru Memorial Museum and Library, File No. JNSG, vol. 21-1.",
     "Nehru Memorial Museum and Library", None,
     [("file", "JNSG"), ("volume", "21-1")], None,
     "Nehru Memorial Museum and Library, file JNSG, vol. 21-1"),
    ("Diplomatic Archives of the Ministry of Foreign Affairs of Japan, File A’0392 "
     "(Microfilm). Contributed by Robert Hoppens and translated by Stephen Mercado.",
     "Diplomatic Archives of the Ministry of Foreign Affairs of Japan", None,
     [("file", "A’0392")], None,
     "Diplomatic Archives of the Ministry of Foreign Affairs of Japan, file A’0392"),
    ("National Archives of Ireland, Department of Foreign Affairs/5/313/3D, published in "
     "\"Documents on Irish Foreign Policy,\" Volume XI, Document No. 96. Contributed by "
     "Mervyn O'Driscoll.", "National Archives of Ireland", None,
     [("signature", "Department of Foreign Affairs/5/313/3D")], None,
     "National Archives of Ireland, Department of Foreign Affairs/5/313/3D"),
    ("National Archives of Ireland, Department of Foreign Affairs/6/440/8/1. Contributed by "
     "Mervyn O'Driscoll.", "National Archives of Ireland", None,
     [("signature", "Department of Foreign Affairs/6/440/8/1")], None,
     "National Archives of Ireland, Department of Foreign Affairs/6/440/8/1"),
    # the seed page's citation line, credits included
    ("RGANI, f. 52, op. 1, d. 596 , ll. 110-123 Contributed by Sergey Radchenko and "
     "translated by Allison Smith.", "RGANI", None,
     [(F, "52"), (OP, "1"), (D, "596")], ("ll. 110-123", "110", "123"),
     "RGANI, f. 52, op. 1, d. 596, ll. 110–123"),
    # loci: single leaf, lists, pages, folios, German Seite/Blatt
    ("RGANI, f. 5, op. 30, d. 1, l. 5", "RGANI", None,
     [(F, "5"), (OP, "30"), (D, "1")], ("l. 5", "5", "5"), "RGANI, f. 5, op. 30, d. 1, l. 5"),
    ("RGANI, f. 5, op. 30, d. 1, ll. 5, 7-9", "RGANI", None,
     [(F, "5"), (OP, "30"), (D, "1")], ("ll. 5, 7-9", "5", "9"),
     "RGANI, f. 5, op. 30, d. 1, ll. 5, 7–9"),
    ("RGANI, f. 5, op. 30, d. 1, ll. 12-13ob.", "RGANI", None,
     [(F, "5"), (OP, "30"), (D, "1")], ("ll. 12-13ob", "12", "13ob"),
     "RGANI, f. 5, op. 30, d. 1, ll. 12–13ob"),
    ("BArch, B 136/59748, S. 326-334", "BArch", None,
     [("collection", "B 136"), ("file", "59748")], ("S. 326-334", "326", "334"),
     "BArch, B 136/59748, pp. 326–334"),
    ("PA AA, B 150, Bd. 12, Bl. 3-5", "PA AA", None,
     [("collection", "B 150"), ("volume", "12")], ("Bl. 3-5", "3", "5"),
     "PA AA, B 150, vol. 12, ll. 3–5"),
    ("NARA, RG 59, Central Decimal File, box 3012, folder 4, pp. 1–3", "NARA", None,
     [("collection", "59"), ("box", "3012"), ("folder", "4")], ("pp. 1–3", "1", "3"),
     "NARA, RG 59, box 3012, folder 4, pp. 1–3"),
    ("AVPRF, f. 0100, op. 42, p. 288, d. 19, ll. 81-85", "AVPRF", None,
     [(F, "0100"), (OP, "42"), (P, "288"), (D, "19")], ("ll. 81-85", "81", "85"),
     "AVPRF, f. 0100, op. 42, pap. 288, d. 19, ll. 81–85"),
    ("RGANI, f. 89, op. 46, d. 1, p. 3", "RGANI", None,
     [(F, "89"), (OP, "46"), (D, "1")], ("p. 3", "3", "3"),
     "RGANI, f. 89, op. 46, d. 1, p. 3"),
    ("TsAMO, f. 16, op. 3139, d. 115, ff. 2-4", "TsAMO", None,
     [(F, "16"), (OP, "3139"), (D, "115")], ("ff. 2-4", "2", "4"),
     "TsAMO, f. 16, op. 3139, d. 115, ff. 2–4"),
    ("Russian State Archive of Contemporary History (RGANI), f. 3, op. 12, d. 1005",
     "RGANI", "Russian State Archive of Contemporary History",
     [(F, "3"), (OP, "12"), (D, "1005")], None, "RGANI, f. 3, op. 12, d. 1005"),
    ("RGANI (Russian State Archive of Contemporary History), f. 3, op. 12, d. 1005",
     "RGANI", "Russian State Archive of Contemporary History",
     [(F, "3"), (OP, "12"), (D, "1005")], None, "RGANI, f. 3, op. 12, d. 1005"),
    ("РГАНИ. Ф. 52. Оп. 1. Д. 596. Л. 110–123.", "РГАНИ", None,
     [(F, "52"), (OP, "1"), (D, "596")], ("Л. 110–123", "110", "123"),
     "РГАНИ, f. 52, op. 1, d. 596, ll. 110–123"),
    ("Hoover Institution Archives, Collection 77, Box 5, Folder 12", "Hoover Institution "
     "Archives", None, [("collection", "77"), ("box", "5"), ("folder", "12")], None,
     "Hoover Institution Archives, coll. 77, box 5, folder 12"),
    ("SAPMO-BA, DY 30/IV 2/2.035/15, Bl. 1-9", "SAPMO-BA", None,
     [("signature", "DY 30/IV 2/2.035/15")], ("Bl. 1-9", "1", "9"),
     "SAPMO-BA, DY 30/IV 2/2.035/15, ll. 1–9"),
    # Polish, Czech, Romanian conventions
    ("AAN, KC PZPR, sygn. 2735, k. 1-5", "AAN", None, [("signature", "2735")],
     ("k. 1-5", "1", "5"), "AAN, sygn. 2735, ll. 1–5"),
    ("AMZV, TO-T, ka. 3, sv. 2", "AMZV", None, [("box", "3"), ("volume", "2")], None,
     "AMZV, box 3, vol. 2"),
    ("ANIC, fond 2574, dosar 12/1960, f. 3-5", "ANIC", None,
     [(F, "2574"), ("file", "12/1960")], ("f. 3-5", "3", "5"),
     "ANIC, f. 2574, file 12/1960, ff. 3–5"),
    ("MOL, XIX-J-1-j, 4. doboz", "MOL", None, [("signature", "XIX-J-1-j"), ("box", "4")],
     None, "MOL, XIX-J-1-j, box 4"),
]


@pytest.mark.parametrize(("text", "repository", "name", "idnos", "locus", "formatted"),
                         CITATIONS)
def test_parse_citation(text: str, repository: str, name: str | None,
                        idnos: list[tuple[str, str]], locus: tuple[str, str, str] | None,
                        formatted: str) -> None:
    c = parse_citation(text)
    assert c.verbatim == text
    assert c.repository == repository
    assert c.repository_name == name
    assert c.idnos == idnos
    if locus is None:
        assert c.locus is None
    else:
        assert c.locus is not None
        assert (c.locus.text, c.locus.from_, c.locus.to) == locus
    assert c.kind == "archival"
    assert agrees(c), disagreements(c)
    assert format_citation(c) == formatted


@pytest.mark.parametrize("text", [row[0] for row in CITATIONS])
def test_formatted_citation_parses_back_to_the_same_structure(text: str) -> None:
    c = parse_citation(text)
    again = parse_citation(format_citation(c))
    assert again.repository == c.repository
    assert again.idnos == c.idnos
    if c.locus is not None:
        assert again.locus is not None
        assert (again.locus.from_, again.locus.to) == (c.locus.from_, c.locus.to)


def test_warnings_name_what_was_not_understood() -> None:
    c = parse_citation("RGANI, f. 52, op. 1, mysterious part, d. 596")
    assert c.idnos == [(F, "52"), (OP, "1"), (D, "596")]
    assert c.warnings == ['could not interpret "mysterious part"']


def test_trailing_credits_and_reprints_are_not_parsed() -> None:
    c = parse_citation("APRF: F. 39, Op. 1, D. 39, Ll. 54-62. Reprinted in Andrei Ledovskii, "
                       "Sovetsko-Kitaiskie Otnosheniia, Vol. 5 (Moscow: 2005), pp. 66-72. "
                       "Translated by Sergey Radchenko.")
    assert c.idnos == [(F, "39"), (OP, "1"), (D, "39")]
    assert c.locus is not None and c.locus.text == "Ll. 54-62"
    assert c.trailing is not None and c.trailing.startswith("Reprinted in")
    assert c.warnings == []


def test_seed_line_keeps_credits_as_trailing_text() -> None:
    c = parse_citation("RGANI, f. 52, op. 1, d. 596 , ll. 110-123 Contributed by Sergey "
                       "Radchenko and translated by Allison Smith.")
    assert c.trailing == "Contributed by Sergey Radchenko and translated by Allison Smith."


NOT_ARCHIVAL = [
    # published sources given instead of an archival reference
    ("Mao Zedong waijiao wenxuan (Selected Works of Mao Zedong on Diplomacy) (Beijing: "
     "Zhongyang wenxian chubanshe, 1994), 634", "publication"),
    ("Jianguo yilai Liu Shaoqi wengao (Liu Shaoqi’s Manuscripts since the Founding of the "
     "PRC), vol. 1 (Beijing: Zhongyang wenxian chubanshe, 2005), 30-37", "publication"),
    ("Provided to the National Security Archive/Svetlana Savranskaya by Sergo Mikoyan. With "
     "permission of the National Security Archive. Translated by Sergey Radchenko.", "unknown"),
    ("General Assembly Official Records, 23th Session : 751st Plenary Meeting, Friday 19 "
     "September 1958, New York, A/PV.751, United Nations Digital Library, "
     "https://digitallibrary.un.org/record/731480. Contributed by Mervyn O'Driscoll.",
     "unknown"),
    ("SWM Vol. IV, pg. 411-424", "unknown"),
    ("", "unknown"),
    ("No archival citation given", "unknown"),
]


@pytest.mark.parametrize(("text", "kind"), NOT_ARCHIVAL)
def test_non_archival_sources_yield_no_structure(text: str, kind: str) -> None:
    c = parse_citation(text)
    assert c.verbatim == text
    assert c.kind == kind
    assert c.repository is None
    assert c.idnos == []
    assert c.locus is None
    if kind == "unknown":
        assert c.warnings and c.warnings[0] == "no repository or archival reference recognised"


def test_never_invents_a_repository_from_an_expansion() -> None:
    c = parse_citation("Russian State Archive of Contemporary History, f. 5, op. 30, d. 1")
    assert c.repository == "Russian State Archive of Contemporary History"
    assert c.repository_name is None


def test_idno_accessor() -> None:
    c = parse_citation("AVPRF: fond 0100, opis 40, delo 7, papka 248, listy 39-44")
    assert c.idno("papka") == "248"
    assert c.idno("box") is None


def test_disagreements_catch_a_tampered_structure() -> None:
    c = parse_citation("RGANI, f. 52, op. 1, d. 596 , ll. 110-123")
    assert agrees(c)
    c.idnos.append(("delo", "597"))
    c.idnos.append(("shelf", "9"))
    problems = disagreements(c)
    assert any('"597"' in p for p in problems)
    assert any('"shelf"' in p for p in problems)
    assert not agrees(c)
    bad = Citation(verbatim="RGANI", repository="RGASPI",
                   locus=Locus(text="ll. 1-2", from_="1", to="3"))
    assert len(disagreements(bad)) == 3


# --- the quoted "how to cite" form -----------------------------------------------------------

# (the citation block of a PDF export, whitespace collapsed; expected parts)
FULL_CITATIONS = [
    ("“Record of Conversation between Soviet Ambassador in China Apollon Petrov and Zhou Enlai "
     "and Wang Ruofei,” October 05, 1945, History and Public Policy Program Digital Archive, "
     "AVPRF: fond 0100, opis 40, delo 7, papka 248, listy 120-123. Translated by Sergey "
     "Radchenko. http://digitalarchive.wilsoncenter.org/document/122808",
     dict(title="Record of Conversation between Soviet Ambassador in China Apollon Petrov and "
          "Zhou Enlai and Wang Ruofei", iso="1945-10-05",
          archival="AVPRF: fond 0100, opis 40, delo 7, papka 248, listy 120-123",
          publication=None, translators=["Sergey Radchenko"], contributors=[],
          url="http://digitalarchive.wilsoncenter.org/document/122808")),
    ("“Cable, Mao Zedong to Stalin,” December 30, 1948, History and Public Policy Program "
     "Digital Archive, APRF: F. 39, Op. 1, D. 31, Ll. 49-52. Reprinted in Andrei Ledovskii, "
     "Raisa Mirovitskaia and Vladimir Miasnikov, Sovetsko-Kitaiskie Otnosheniia, Vol. 5, Book "
     "1, 1946-February 1950 (Moscow: Pamiatniki Istoricheskoi Mysli, 2005), pp. 495-497. "
     "Translated for CWIHP by Sergey Radchenko. "
     "http://digitalarchive.wilsoncenter.org/document/113789",
     dict(title="Cable, Mao Zedong to Stalin", iso="1948-12-30",
          archival="APRF: F. 39, Op. 1, D. 31, Ll. 49-52",
          publication="Reprinted in Andrei Ledovskii, Raisa Mirovitskaia and Vladimir "
          "Miasnikov, Sovetsko-Kitaiskie Otnosheniia, Vol. 5, Book 1, 1946-February 1950 "
          "(Moscow: Pamiatniki Istoricheskoi Mysli, 2005), pp. 495-497",
          translators=["Sergey Radchenko"], contributors=[],
          url="http://digitalarchive.wilsoncenter.org/document/113789")),
    ("“Report from the Head of the Delegation of the CC of the Chinese Communist Party, 'The "
     "Current State of the Chinese Revolution',” July 04, 1949, History and Public Policy "
     "Program Digital Archive, RGASPI, f. 558, op. 11, d. 328, ll. 32-50. Translated by Gary "
     "Goldberg. http://digitalarchive.wilsoncenter.org/document/134156",
     dict(title="Report from the Head of the Delegation of the CC of the Chinese Communist "
          "Party, 'The Current State of the Chinese Revolution'", iso="1949-07-04",
          archival="RGASPI, f. 558, op. 11, d. 328, ll. 32-50", publication=None,
          translators=["Gary Goldberg"], contributors=[],
          url="http://digitalarchive.wilsoncenter.org/document/134156")),
    ("“Record of Conversation between I.V. Stalin and Chairman of the Central People's "
     "Government of the People's Republic of China Mao Zedong on 16 December 1949,” December "
     "16, 1949, History and Public Policy Program Digital Archive, Archive of the President, "
     "Russian Federation (APRF), fond (f.) 45, opis (op.) 1, delo (d.) 329, listy (ll.) 9-17. "
     "Translated by Danny Rozas http://digitalarchive.wilsoncenter.org/document/111240",
     dict(title="Record of Conversation between I.V. Stalin and Chairman of the Central "
          "People's Government of the People's Republic of China Mao Zedong on 16 December "
          "1949", iso="1949-12-16",
          archival="Archive of the President, Russian Federation (APRF), fond (f.) 45, opis "
          "(op.) 1, delo (d.) 329, listy (ll.) 9-17", publication=None,
          translators=["Danny Rozas"], contributors=[],
          url="http://digitalarchive.wilsoncenter.org/document/111240")),
    ("“Cable, Liu Shaoqi to Mao Zedong,” July 18, 1949, History and Public Policy Program "
     "Digital Archive, Jianguo yilai Liu Shaoqi wengao (Liu Shaoqi’s Manuscripts since the "
     "Founding of the PRC), vol. 1 (Beijing: Zhongyang wenxian chubanshe, 2005), 30-37. "
     "Translated for CWIHP by David Wolff. "
     "http://digitalarchive.wilsoncenter.org/document/113439",
     dict(title="Cable, Liu Shaoqi to Mao Zedong", iso="1949-07-18",
          archival="Jianguo yilai Liu Shaoqi wengao (Liu Shaoqi’s Manuscripts since the "
          "Founding of the PRC), vol. 1 (Beijing: Zhongyang wenxian chubanshe, 2005), 30-37",
          publication=None, translators=["David Wolff"], contributors=[],
          url="http://digitalarchive.wilsoncenter.org/document/113439")),
    ("“Anastas Mikoyan’s Recollections of his Trip to China,” September 04, 1958, History and "
     "Public Policy Program Digital Archive, Provided to the National Security "
     "Archive/Svetlana Savranskaya by Sergo Mikoyan. With permission of the National Security "
     "Archive. Translated by Sergey Radchenko. "
     "http://digitalarchive.wilsoncenter.org/document/121774",
     dict(title="Anastas Mikoyan’s Recollections of his Trip to China", iso="1958-09-04",
          archival=None, publication=None, translators=["Sergey Radchenko"], contributors=[],
          url="http://digitalarchive.wilsoncenter.org/document/121774")),
    # the old WCDA page form, straight quotes, and a title holding its own date
    ('"Record of Soviet-Japanese Talks, 9 October 1973," October 09, 1973, History and Public '
     'Policy Program Digital Archive, RGANI, fond 80, opis 1, delo 940, listy 26-43. '
     'Obtained and translated by Sergey Radchenko. '
     'http://digitalarchive.wilsoncenter.org/document/118765',
     dict(title="Record of Soviet-Japanese Talks, 9 October 1973", iso="1973-10-09",
          archival="RGANI, fond 80, opis 1, delo 940, listy 26-43", publication=None,
          translators=["Sergey Radchenko"], contributors=["Sergey Radchenko"],
          url="http://digitalarchive.wilsoncenter.org/document/118765")),
    ("“Memo,” August 1961, History and Public Policy Program Digital Archive, RGANI, f. 3, "
     "op. 14, d. 490, l. 5. Contributed by Sergey Radchenko and translated by Allison Smith.",
     dict(title="Memo", iso="1961-08", archival="RGANI, f. 3, op. 14, d. 490, l. 5",
          publication=None, translators=["Allison Smith"], contributors=["Sergey Radchenko"],
          url=None)),
]


@pytest.mark.parametrize(("text", "expected"), FULL_CITATIONS)
def test_split_full_citation(text: str, expected: dict) -> None:
    f = split_full_citation(text)
    assert f.verbatim == text
    assert f.title == expected["title"]
    assert f.date is not None and f.date.iso == expected["iso"]
    assert f.date_text is not None and f.date_text in text
    assert f.publisher == "History and Public Policy Program Digital Archive"
    assert f.archival == expected["archival"]
    assert f.publication == expected["publication"]
    assert f.credits.translators == expected["translators"]
    assert f.credits.contributors == expected["contributors"]
    assert f.url == expected["url"]
    if f.archival is not None:
        assert f.citation is not None and f.citation.verbatim == f.archival
        assert agrees(f.citation)


# "Source:" fields of third-party PDF headers (whitespace collapsed)
def test_third_party_source_with_semicolon_credit() -> None:
    text = ("Source: AVPRF, f. 0100, op. 42, por. 19, pap. 288, ll. 81-85; translation from "
            "Russian by David Wolff. “One Finger’s Worth of Historical Events” New Russian and "
            "Chinese Evidence on the Sino-Soviet Alliance and Split, 1948-1959 by David Wolff "
            "Working Paper No. 30 pp. 38-39")
    c = parse_citation(text)
    assert c.repository == "AVPRF"
    assert c.locus is not None and c.locus.text == "ll. 81-85"
    assert c.trailing is not None and c.trailing.startswith("translation from Russian")
    f = split_full_citation(text)
    assert f.archival == "AVPRF, f. 0100, op. 42, por. 19, pap. 288, ll. 81-85"
    assert f.credits.translators == ["David Wolff"]
    assert f.credit_text is not None and f.credit_text in text


@pytest.mark.parametrize("text", [
    "Jianguo Yilai Liu Shaoqi Wengao (This selection was co-edited by the Chinese Communist "
    "Party Central Committee’s Document Research Unit and the Central Archives) Vol. 1, "
    "(Beijing, 2005), pp. 40-41.",
    "See Pei Jianzhang et al., Zhonghua renmin gongheguo waijiaoshi [A Diplomatic History of "
    "the People’s Republic of China] (Beijing: World Affairs Press, 1994), pp.17- 18.)",
])
def test_third_party_published_sources(text: str) -> None:
    c = parse_citation(text)
    assert c.kind == "publication"
    assert c.warnings == []
    assert c.repository is None and c.idnos == [] and c.locus is None


def test_full_citation_with_a_publication_only_source() -> None:
    f = split_full_citation(FULL_CITATIONS[4][0])
    assert f.citation is not None and f.citation.kind == "publication"


def test_full_citation_without_a_quoted_title() -> None:
    f = split_full_citation("RGANI, f. 52, op. 1, d. 596, ll. 110-123")
    assert f.title is None
    assert "no quoted title" in f.warnings
    assert f.citation is not None and f.citation.idnos[0] == (F, "52")


def test_doc_examples() -> None:
    result = doctest.testmod(pipeline.citations)
    assert result.attempted > 10 and result.failed == 0


# --- properties ---------------------------------------------------------------------------

_fragments = st.sampled_from([
    "RGANI", "APRF:", "BArch", "f.", "F.", "fond", "op.", "opis", "d.", "delo", "papka",
    "p.", "l.", "ll.", "listy", "S.", "Bl.", "vol.", "File No.", "(f.)", "B 136/", "DY 30",
    "12", "0100", "5-9", "7–9", "13ob", ",", ", ", ":", ".", " ", "(", ")", "/", "Contributed by",
    "Translated by", "Reprinted in", "http://x.org/1", "Archive of", "ф.", "оп.", "д.", "л.",
    "“", "”", "\"", "1960", "August 29, 1960", "(Moscow: Press, 2005)", "’",
])
_citation_like = st.lists(st.one_of(_fragments, st.text(max_size=5)), max_size=25).map(
    "".join)


def _check_structure(c: Citation, text: str) -> None:
    assert c.verbatim == text
    assert agrees(c), disagreements(c)
    for kind, value in c.idnos:
        assert kind in IDNO_TYPES
        assert value and value in text
    if c.locus is not None:
        assert c.locus.text in text
    format_citation(c)


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_never_raises_and_invents_nothing(text: str) -> None:
    _check_structure(parse_citation(text), text)
    f = split_full_citation(text)
    assert f.verbatim == text
    if f.citation is not None:
        _check_structure(f.citation, f.citation.verbatim)
        assert f.citation.verbatim in text


@given(_citation_like)
@settings(max_examples=500, deadline=None)
def test_citation_like_text_never_raises_and_invents_nothing(text: str) -> None:
    _check_structure(parse_citation(text), text)
    f = split_full_citation(text)
    if f.title is not None:
        assert f.title in text
    if f.citation is not None:
        assert f.citation.verbatim in text


def _adversarial(size: int) -> list[str]:
    return [
        "RGANI, " + "f. 1, " * (size // 6),
        "RGANI, ll. " + "1, " * (size // 3),
        "RGANI, " + "x" * size,
        "“" + "a,” " * (size // 4),
        "“" + "”" * size,
        "BArch, B 1" + "/1" * (size // 2),
        "Contributed " * (size // 12),
        "(" * size,
        "RGANI, " + "1-" * (size // 2),
        "RGANI, " + "a, " * (size // 3),
        "“T,” August 29, 1960, Archive, RGANI. Translated by a" + " " * size + "b",
    ]


def test_adversarial_megabyte_inputs_finish() -> None:
    """1 MB strings built to trip backtracking finish (a long field is read up to
    MAX_CITATION_CHARS, and says so)."""
    for text in _adversarial(1_000_000):
        c = parse_citation(text)
        assert c.verbatim is text
        assert any("only its start was read" in w for w in c.warnings)
        split_full_citation(text)


def test_adversarial_inputs_without_the_length_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scanner itself is linear: the same shapes at 100 kB with the cap lifted."""
    monkeypatch.setattr(pipeline.citations, "MAX_CITATION_CHARS", 10**7)
    for text in _adversarial(100_000):
        c = parse_citation(text)
        assert not any("only its start was read" in w for w in c.warnings)
        assert agrees(c)
        split_full_citation(text)


# --- corpus -------------------------------------------------------------------------------

def _citation_blocks() -> list[tuple[str, str]]:
    blocks = []
    for path in sorted((CORPUS / "transcripts").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        m = re.search(r"Citation:(.*?)(?:Summary:|Original Language:)", text, re.S)
        if m:
            blocks.append((path.name, " ".join(m.group(1).split())))
    return blocks


@needs_shared
def test_every_quoted_citation_in_the_corpus() -> None:
    blocks = _citation_blocks()
    assert len(blocks) >= 20
    for name, block in blocks:
        f = split_full_citation(block)
        assert f.title, name
        assert f.date is not None and f.date.iso == name[:10], name
        assert f.url and re.fullmatch(r"http://digitalarchive\.wilsoncenter\.org/document/\d+",
                                      f.url), name
        assert f.publisher == "History and Public Policy Program Digital Archive", name
        if f.citation is not None and f.citation.kind == "archival":
            assert f.citation.repository, name
            assert f.citation.locus is not None, name
            assert f.citation.warnings == [], (name, f.citation.warnings)
            assert agrees(f.citation), name
        # every WCDA citation names a translator or says where the text was published
        assert f.credits.translators or f.citation is not None, name


@needs_shared
def test_every_metadata_source_in_the_corpus() -> None:
    for path in sorted((CORPUS / "transcripts").glob("*.meta.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        source = meta["source"]
        c = parse_citation(source)
        assert c.verbatim == source
        assert agrees(c), path.name
        if source.startswith("General Assembly Official Records"):
            assert c.kind == "unknown"   # a UN record, not an archival reference
            continue
        assert c.kind == "archival", path.name
        assert c.repository and c.idnos, path.name
        assert c.warnings == [], (path.name, c.warnings)


@needs_shared
def test_seed_page_citation_line() -> None:
    lines = SEED_PAGE.read_text(encoding="utf-8").splitlines()
    at = lines.index("Document Information")
    line = next(x for x in lines[at + 1:] if x.strip())
    c = parse_citation(line)
    assert (c.repository, c.idnos) == ("RGANI", [(F, "52"), (OP, "1"), (D, "596")])
    assert c.locus == Locus(text="ll. 110-123", from_="110", to="123", unit="leaf",
                            ranges="110-123")
    assert format_citation(c) == "RGANI, f. 52, op. 1, d. 596, ll. 110–123"
