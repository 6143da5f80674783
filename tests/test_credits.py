"""Credit lines: every credit and funder line in ../shared/corpus, the shapes the converter
meets, edge cases, and properties over arbitrary text."""

from __future__ import annotations

import doctest
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.credits
from pipeline.credits import Credits, parse_credits, split_names, split_off_credits
from tests.conftest import CORPUS, SEED_PAGE, needs_shared

# (line, contributors, translators, editors, other)
CREDIT_CASES = [
    # the seed page
    ("Contributed by Sergey Radchenko and translated by Allison Smith.",
     ["Sergey Radchenko"], ["Allison Smith"], [], []),
    # PDF exports and old pages
    ("Translated by Danny Rozas", [], ["Danny Rozas"], [], []),
    ("Translated by Sergey Radchenko.", [], ["Sergey Radchenko"], [], []),
    ("Translated by Gary Goldberg.", [], ["Gary Goldberg"], [], []),
    ("Translated for CWIHP by Sergey Radchenko.", [], ["Sergey Radchenko"], [], []),
    ("Translated for CWIHP by David Wolff.", [], ["David Wolff"], [], []),
    ("Obtained and translated by Sergey Radchenko", ["Sergey Radchenko"],
     ["Sergey Radchenko"], [], []),
    # scraped metadata
    ("Contributed, transcribed, and translated by Stephan Kieninger.", ["Stephan Kieninger"],
     ["Stephan Kieninger"], [], [("Transcribed by", "Stephan Kieninger")]),
    ("Contributed by Robert Hoppens and translated by Stephen Mercado.", ["Robert Hoppens"],
     ["Stephen Mercado"], [], []),
    ("Contributed by Mervyn O'Driscoll.", ["Mervyn O'Driscoll"], [], [], []),
    # third-party headers
    ("translation from Russian by David Wolff", [], ["David Wolff"], [], []),
    ("Translated from Chinese by David Wolff.", [], ["David Wolff"], [], []),
    ("Provided to the National Security Archive/Svetlana Savranskaya by Sergo Mikoyan.",
     [], [], [], [("Provided by", "Sergo Mikoyan")]),
    # lists, initials, other roles
    ("Contributed by X, Y and Z", ["X", "Y", "Z"], [], [], []),
    ("Contributed by Sergey Radchenko, Gary Goldberg, and Danny Rozas.",
     ["Sergey Radchenko", "Gary Goldberg", "Danny Rozas"], [], [], []),
    ("Translated by X and Y", [], ["X", "Y"], [], []),
    ("Translated by Sergey Radchenko & Allison Smith", [], ["Sergey Radchenko", "Allison Smith"],
     [], []),
    ("Original translation by N.S. Khrushchev.", [], ["N.S. Khrushchev"], [], []),
    ("Translated by A. M. Rozhetskin and I. I. Tugarinov.", [],
     ["A. M. Rozhetskin", "I. I. Tugarinov"], [], []),
    ("Translated by N. S. Smith", [], ["N. S. Smith"], [], []),
    ("Translated by Kathryn Weathersby. Edited by Christian F. Ostermann.", [],
     ["Kathryn Weathersby"], ["Christian F. Ostermann"], []),
    ("Edited by John Smith, Jr. and Jane Doe", [], [], ["John Smith, Jr.", "Jane Doe"], []),
    ("Contributed by Sergey Radchenko. Translated by Allison Smith. Edited by Jane Doe.",
     ["Sergey Radchenko"], ["Allison Smith"], ["Jane Doe"], []),
    ("Obtained by Christian F. Ostermann and translated by Mark Kramer",
     ["Christian F. Ostermann"], ["Mark Kramer"], [], []),
    ("Donated by the Kennan family", ["Kennan family"], [], [], []),
    ("Transcribed by Stephan Kieninger", [], [], [], [("Transcribed by", "Stephan Kieninger")]),
    ("Contributed by Sergey Radchenko and translated by Allison Smith. "
     "http://digitalarchive.wilsoncenter.org/document/1", ["Sergey Radchenko"],
     ["Allison Smith"], [], []),
    ("CONTRIBUTED BY SERGEY RADCHENKO", ["SERGEY RADCHENKO"], [], [], []),
    # label style, as in the closing lines of the seed page and in other archives' headers
    ("Translated:Rozhetskin A.M.", [], ["Rozhetskin A.M."], [], []),
    ("Recorded:Tugarinov I. I. and Rozhetskin A.M.", [], [], [],
     [("Recorded by", "Tugarinov I. I."), ("Recorded by", "Rozhetskin A.M.")]),
    ("Translator: Danny Rozas; Editor: Christian F. Ostermann", [], ["Danny Rozas"],
     ["Christian F. Ostermann"], []),
    ("Translated by: Danny Rozas", [], ["Danny Rozas"], [], []),
]


@pytest.mark.parametrize(("text", "contributors", "translators", "editors", "other"),
                         CREDIT_CASES)
def test_parse_credits(text: str, contributors: list[str], translators: list[str],
                       editors: list[str], other: list[tuple[str, str]]) -> None:
    c = parse_credits(text)
    assert c.contributors == contributors
    assert c.translators == translators
    assert c.editors == editors
    assert c.other == other
    assert c.funders == []
    assert c.warnings == []
    for name in c.contributors + c.translators + c.editors + [n for _, n in c.other]:
        assert name in text


FUNDER_CASES = [
    ("This document was made possible with support from Blavatnik Family Foundation",
     ["Blavatnik Family Foundation"]),
    ("This document was made possible with support from Carnegie Corporation of New York "
     "(CCNY)", ["Carnegie Corporation of New York (CCNY)"]),
    ("This document was made possible with support from Chun & Jane Chiu Family Foundation",
     ["Chun & Jane Chiu Family Foundation"]),
    ("Made possible with the generous support of the Leon Levy Foundation.", []),
    ("Funded by the Henry Luce Foundation.", ["Henry Luce Foundation"]),
]


@pytest.mark.parametrize(("text", "funders"), FUNDER_CASES)
def test_funder_lines(text: str, funders: list[str]) -> None:
    c = parse_credits(text)
    assert c.funders == funders
    assert c.contributors == c.translators == c.editors == []


def test_unknown_sentences_are_reported_not_guessed() -> None:
    c = parse_credits("Provided to the National Security Archive/Svetlana Savranskaya by Sergo "
                      "Mikoyan. With permission of the National Security Archive. Translated "
                      "by Sergey Radchenko.")
    assert c.translators == ["Sergey Radchenko"]
    assert c.other == [("Provided by", "Sergo Mikoyan")]
    assert c.warnings == ['not a credit: "With permission of the National Security Archive"']


def test_role_without_a_name() -> None:
    c = parse_credits("Translated by .")
    assert c.is_empty()
    assert c.warnings == ['no name after "Translated by"']


@pytest.mark.parametrize("text", ["", "   ", "Hello world", "RGANI, f. 52, op. 1"])
def test_lines_without_credits(text: str) -> None:
    c = parse_credits(text)
    assert c.is_empty()
    assert (c.warnings == []) == (not text.strip())


def test_credits_default_is_empty() -> None:
    assert Credits().is_empty()


SPLIT_CASES = [
    ("RGANI, f. 52, op. 1, d. 596 , ll. 110-123 Contributed by Sergey Radchenko and translated "
     "by Allison Smith.", "RGANI, f. 52, op. 1, d. 596 , ll. 110-123",
     "Contributed by Sergey Radchenko and translated by Allison Smith."),
    ("BArch, B 136/59748, 326-334. Contributed, transcribed, and translated by Stephan "
     "Kieninger.", "BArch, B 136/59748, 326-334.",
     "Contributed, transcribed, and translated by Stephan Kieninger."),
    ("Diplomatic Archives of the Ministry of Foreign Affairs of Japan, File A’0392 (Microfilm). "
     "Contributed by Robert Hoppens and translated by Stephen Mercado.",
     "Diplomatic Archives of the Ministry of Foreign Affairs of Japan, File A’0392 (Microfilm).",
     "Contributed by Robert Hoppens and translated by Stephen Mercado."),
    ("Nehru Memorial Museum and Library, File No. JNSG, vol. 21-1.",
     "Nehru Memorial Museum and Library, File No. JNSG, vol. 21-1.", None),
    # a capitalised role word that is not followed by "by" is not a credit
    ("Translated documents, RGANI, f. 5", "Translated documents, RGANI, f. 5", None),
    ("", "", None),
]


@pytest.mark.parametrize(("text", "before", "credit"), SPLIT_CASES)
def test_split_off_credits(text: str, before: str, credit: str | None) -> None:
    assert split_off_credits(text) == (before, credit)


@pytest.mark.parametrize(("text", "names"), [
    ("Sergey Radchenko, Gary Goldberg and Danny Rozas",
     ["Sergey Radchenko", "Gary Goldberg", "Danny Rozas"]),
    ("N.S. Khrushchev", ["N.S. Khrushchev"]),
    ("A. M. Rozhetskin; I. I. Tugarinov", ["A. M. Rozhetskin", "I. I. Tugarinov"]),
    ("John Smith, Jr., and Jane Doe", ["John Smith, Jr.", "Jane Doe"]),
    ("the Kennan family", ["Kennan family"]),
    (" , and ", []),
])
def test_split_names(text: str, names: list[str]) -> None:
    assert split_names(text) == names


def test_doc_examples() -> None:
    result = doctest.testmod(pipeline.credits)
    assert result.attempted > 5 and result.failed == 0


# --- properties ---------------------------------------------------------------------------

_fragments = st.sampled_from([
    "Contributed", "contributed", "Translated", "translated", "Obtained", "Edited", "by", " by ",
    "and", " and ", ",", ", ", ".", ". ", "for CWIHP", "from Russian", "Sergey Radchenko",
    "N.S.", "A. M.", "Jr.", "&", ";", "http://x.org/a", "This document was made possible with "
    "support from", "[by]", " ",
])
_credit_like = st.lists(st.one_of(_fragments, st.text(max_size=4)), max_size=25).map("".join)


def _check(c: Credits, text: str) -> None:
    for name in c.contributors + c.translators + c.editors + c.funders:
        assert name and name in text
    for role, name in c.other:
        assert role.endswith(" by") and name in text
    for names in (c.contributors, c.translators, c.editors, c.funders):
        assert len(names) == len(set(names))


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_never_raises(text: str) -> None:
    _check(parse_credits(text), text)
    before, credit = split_off_credits(text)
    assert text.startswith(before)
    if credit is not None:
        assert credit in text


@given(_credit_like)
@settings(max_examples=500, deadline=None)
def test_credit_like_text_never_raises_and_names_come_from_the_input(text: str) -> None:
    _check(parse_credits(text), text)


def test_adversarial_megabyte_inputs_finish() -> None:
    size = 1_000_000
    samples = [
        "Translated " * (size // 11),
        "Contributed by " + "A. " * (size // 3),
        "Translated by " + "a and " * (size // 6),
        "Contributed, " * (size // 13),
        "Translated for " + "x" * size,
        "Translated by " + " and ".join(f"N{i}" for i in range(size // 8)),
        "Translator:" * (size // 11),
        "This document was made possible with support from " + "x " * (size // 2),
    ]
    for text in samples:
        c = parse_credits(text)
        assert c.warnings
        split_off_credits(text)


# --- corpus -------------------------------------------------------------------------------

@needs_shared
def test_every_credit_in_the_corpus_metadata() -> None:
    files = sorted((CORPUS / "transcripts").glob("*.meta.json"))
    assert files
    for path in files:
        meta = json.loads(path.read_text(encoding="utf-8"))
        before, credit = split_off_credits(meta["source"])
        assert meta["source"].startswith(before)
        if "Contributed" not in meta["source"]:
            assert credit is None, path.name
            continue
        assert credit is not None, path.name
        c = parse_credits(credit)
        assert c.contributors, path.name
        assert c.warnings == [], (path.name, c.warnings)
        if meta.get("credits"):
            funders = parse_credits(meta["credits"]).funders
            donors = json.loads(meta["donors"]) if meta.get("donors") else []
            assert funders and funders[0] in donors, path.name


@needs_shared
def test_seed_page_credit_and_funder_lines() -> None:
    lines = [x for x in SEED_PAGE.read_text(encoding="utf-8").splitlines() if x.strip()]
    funder_line = next(x for x in lines if "made possible" in x)
    assert parse_credits(funder_line).funders == ["Blavatnik Family Foundation"]
    at = lines.index("Document Information")
    _, credit = split_off_credits(lines[at + 1])
    assert credit is not None
    c = parse_credits(credit)
    assert (c.contributors, c.translators) == (["Sergey Radchenko"], ["Allison Smith"])


def test_a_credit_line_read_twice_gives_independent_answers() -> None:
    line = "Contributed by Sergey Radchenko and translated by Allison Smith."
    first = parse_credits(line)
    first.contributors.append("Someone Else")
    first.warnings.append("changed")
    second = parse_credits(line)
    assert second.contributors == ["Sergey Radchenko"]
    assert second.translators == ["Allison Smith"]
    assert second.warnings == []
    assert parse_credits("Translated by David Wolff").translators == ["David Wolff"]
    assert parse_credits(line).contributors == ["Sergey Radchenko"]
