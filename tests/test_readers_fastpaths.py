"""The fast paths of the readers agree with the plain definitions they replace.

Language detection counts ASCII words as bytes, the rights-statement check looks for
phrases in ASCII-folded bytes, and some regular expressions are written so that the engine
can skip to candidate positions. Each is compared here with a straightforward version of
the same rule, on hand-picked texts and on generated ones mixing the characters where the
two could part ways (letters outside ASCII, case-folding oddities, digits, dashes).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.readers import (
    FALLBACK,
    MIN_CONFIDENCE,
    detect_reader,
    load_text,
    rank_readers,
    wcda_listing,
)
from pipeline.readers.language import (
    _FUNCTION_WORDS,
    _SCRIPT_LANGUAGE,
    _WORD_SAMPLE_CHARS,
    detect_language,
)
from pipeline.readers.ledger import UNACCOUNTED, LineLedger
from pipeline.readers.reader import MAX_CONFIDENCE
from pipeline.readers.wcda_fields import (
    RIGHTS_HINT,
    RIGHTS_PHRASES,
    has_rights_hint,
    is_date_line,
)
from pipeline.source import LineRole
from tests.conftest import CORPUS, FIXTURES


def _reference_script(char: str) -> str | None:
    try:
        name = unicodedata.name(char)
    except ValueError:
        return None
    head = name.split(" ", 1)[0]
    if head in ("CJK", "HANGUL", "HIRAGANA", "KATAKANA", "LATIN"):
        return head
    return head if head in _SCRIPT_LANGUAGE else None


def reference_language(texts: list[str], default: str | None = "en") -> str | None:
    """Language detection done character by character and word by word."""
    sample = " ".join(texts)[:200_000]
    scripts: Counter[str] = Counter()
    for char, count in Counter(sample).items():
        if char.isalpha():
            script = "LATIN" if char < "\u0250" else _reference_script(char)
            if script:
                scripts[script] += count
    letters = sum(scripts.values())
    if not letters:
        return default
    if scripts["HIRAGANA"] + scripts["KATAKANA"] > 0.05 * letters:
        return "ja"
    for script, count in scripts.most_common():
        if script == "LATIN":
            break
        if count > 0.3 * letters:
            return _SCRIPT_LANGUAGE[script]
    words = Counter(w.casefold() for w in re.findall(r"[^\W\d_]+", sample[:_WORD_SAMPLE_CHARS]))
    scores = {code: sum(words[w] for w in vocabulary)
              for code, vocabulary in _FUNCTION_WORDS.items()}
    best = max(scores, key=lambda code: scores[code])
    if scores[best] < 3:
        return default
    if scores[best] <= scores["en"] * 1.2:
        return "en"
    return best


# words and characters where byte counting and character counting could disagree
_PIECES = [
    "the", "The", "THE", "and", "of", "to", "in", "we", "der", "die", "und", "nicht", "le",
    "les", "et", "que", "el", "los", "y", "il", "di", "che", "não", "NÃO", "się", "że", "i",
    "w", "z", "dass", "daß", "DASS", "Müller", "über", "café", "na", "da", "do", "a", "o",
    "Хрущев", "очень", "毛泽东", "ひらがな", "カタカナ", "한국어", "Ελλάδα", "שלום",
    "x²", "²", "½", "٣", "１", "Ⅻ", "ǅ", "ﬁ", "ſ", "K", "İ", "ı", "µ", "ª", "_", "1", "12",
    " ", " ", "  ", "\n", "\f", ".", ",", "’", "“", "”", "–", "-", "?", "\u00a0", "\ud800",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join), max_size=4),
       st.sampled_from(["en", None]))
def test_language_matches_character_by_character_detection(texts: list[str],
                                                             default: str | None) -> None:
    assert detect_language(texts, default=default) == reference_language(texts, default)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=4))
def test_language_matches_on_arbitrary_text(texts: list[str]) -> None:
    assert detect_language(texts, default=None) == reference_language(texts, None)


def test_language_ties_and_mixed_words() -> None:
    # two scripts with the same letter count: the one seen first wins, as before
    for texts in (["абв αβγ"], ["αβγ абв"], ["abc абв"], ["абв abc"], ["é абв"],
                  ["Müller und die der das nicht " * 5], ["daß daß daß da da"],
                  ["não não não que de do da em um"], ["się że się że na nie"],
                  # many characters outside ASCII, or many question marks: found by pattern
                  ["? " * 600 + "Müller und die der das nicht " * 5],
                  ["Хрущев очень " * 80 + "the and of to " * 200],
                  ["daß über " * 300 + "der die das und " * 100]):
        assert detect_language(texts, default=None) == reference_language(texts, None), texts


def test_rights_phrases_are_what_the_pattern_matches() -> None:
    for phrase in RIGHTS_PHRASES:
        assert RIGHTS_HINT.fullmatch(phrase)
    assert RIGHTS_HINT.fullmatch("reuse of this")
    assert not has_rights_hint("All rights reserved by the archive.")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([
    "copyright", "COPYRIGHT", "Copyright", "rights status", "rıghts status", "RİGHTS STATUS",
    "reuse of this", "reuſe of digital", "public domain", "PUBLIC DOMAIN", "creative",
    " commons", "permission for commercial use", "welcomes reuse of digital archive "
    "materials", "rights", " ", "\n", "“", "é", "K", "k", "?", "holders", "status"]),
    max_size=12).map("".join))
def test_rights_hint_matches_the_pattern(text: str) -> None:
    assert has_rights_hint(text) == bool(RIGHTS_HINT.search(text))


def test_only_four_characters_outside_ascii_match_ascii_letters_case_insensitively() -> None:
    letters = re.compile("[a-z]", re.I)
    found = set(letters.findall("".join(map(chr, range(0x80, 0x110000)))))
    assert found == {"\u0130", "\u0131", "\u017f", "\u212a"}


_BULLET_AS_WRITTEN = re.compile(r"[•·▪◦*‣]\s*|[-–]\s+(?=\S)")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="•·▪◦*‣-–— \t\u00a0ab1", max_size=10))
def test_listing_bullet_pattern_is_the_plain_alternation(text: str) -> None:
    pattern = wcda_listing._BULLET
    assert pattern.sub("", text, count=1) == _BULLET_AS_WRITTEN.sub("", text, count=1)
    ours, plain = pattern.match(text), _BULLET_AS_WRITTEN.match(text)
    assert (ours and ours.span()) == (plain and plain.span())


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([
    "August", "29", "29th", ",", " ", "  ", "\t", "1960", "1960-08-29", "to", "–", "-", "•",
    "·", "*", "circa", "Sept.", "x", "Results", "\u00a0", "٣"]), min_size=1, max_size=10)
    .map("".join).map(str.strip).filter(bool))
def test_listing_date_prefilter_keeps_every_date_line(line: str) -> None:
    if is_date_line(wcda_listing._BULLET.sub("", line, count=1)):
        assert wcda_listing._may_be_dated(line)


def test_no_character_outside_ascii_lower_cases_to_a_letter_of_a_body_tag() -> None:
    # word-html's detector looks for "<body" in the head lower-cased as ASCII bytes
    text = "".join(map(chr, range(0x80, 0x110000)))
    assert not set(text.lower()) & set("<body")


def _detect_sources() -> list[Path]:
    found = sorted((FIXTURES / "readers").iterdir())
    for folder in ("transcripts", "wcda-pages"):
        if (CORPUS / folder).is_dir():
            found += sorted((CORPUS / folder).iterdir())
    return found


def test_detection_that_stops_early_picks_the_top_ranked_reader() -> None:
    checked = 0
    for path in _detect_sources():
        try:
            text = load_text(path)
        except InputError:
            continue
        ranking = rank_readers(text)
        assert all(score <= MAX_CONFIDENCE for score, _ in ranking), path
        score, name = ranking[0]
        expected = (name if score >= MIN_CONFIDENCE else FALLBACK, score)
        assert detect_reader(text) == expected, path
        checked += 1
    assert checked >= 10


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["body", "blank", "header:title", "chrome:share", None]),
                max_size=60))
def test_ledger_runs_are_the_groups_of_equal_roles(marks: list[str | None]) -> None:
    ledger = LineLedger(len(marks))
    for line, role in enumerate(marks, start=1):
        if role is not None:
            ledger.mark_line(line, role)
    roles = [UNACCOUNTED if role is None else role for role in marks]
    expected, first = [], 1
    for role, run in itertools.groupby(roles):
        size = len(list(run))
        expected.append(LineRole(first, first + size - 1, role))
        first += size
    runs, diagnostics = ledger.roles("x.txt")
    assert runs == expected
    assert len(diagnostics) == (None in marks)
