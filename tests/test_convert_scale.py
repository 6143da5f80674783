"""The converter's work grows linearly with one huge line or token.

No timing: each test counts or bounds the work a quadratic path would do (the length of
the tokens searched for a split, the lookups made), or checks that a bounded search gives
what the whole search gives.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.convert as convert_module
from pipeline.convert import convert_source
from pipeline.convert import glued as glued_module
from pipeline.convert import inline as inline_module
from pipeline.convert.elements import tree_root
from pipeline.convert.glued import (
    MAX_COMMA_PART_LENGTH,
    MAX_TOKEN_LENGTH,
    split_glued,
    unlisted_ascii_words,
)
from pipeline.convert.inline import _GLUE, CAPITAL_BEFORE, InlineContext, _capital_before, fill
from pipeline.readers import read_source


def _count_lookups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lengths of the words looked up in the word list from now on."""
    looked_up: list[int] = []
    original = glued_module.zipf

    def counting(word: str, lang: str = "en") -> float:
        looked_up.append(len(word))
        return original(word, lang)

    monkeypatch.setattr(glued_module, "zipf", counting)
    return looked_up


def test_a_token_longer_than_any_glued_pair_is_not_searched(
        monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up = _count_lookups(monkeypatch)
    # a search of every prefix looks up some 20,000 words of up to 20,000 letters
    assert split_glued("x" * 20_000) is None
    assert split_glued("ab" * 5_000) is None
    assert looked_up == []


def test_the_longest_glued_token_still_splits() -> None:
    token = "internationalrelations" + "understanding"   # 35 letters
    assert len(token) <= MAX_TOKEN_LENGTH
    assert split_glued(token) is not None
    assert split_glued(token + "x" * (MAX_TOKEN_LENGTH + 1 - len(token))) is None


def test_glue_expression_takes_the_tokens_the_splitter_takes() -> None:
    assert _GLUE.fullmatch("a" * MAX_TOKEN_LENGTH)
    assert not _GLUE.search("a" * (MAX_TOKEN_LENGTH + 1))
    assert _GLUE.fullmatch("a" * MAX_COMMA_PART_LENGTH + ",will")
    assert all(m.group("comma_left") is None
               for m in _GLUE.finditer("a" * (MAX_COMMA_PART_LENGTH + 1) + ",will"))


def test_long_letter_runs_are_neither_candidates_nor_remembered() -> None:
    run = "q" * (MAX_TOKEN_LENGTH + 1)
    assert unlisted_ascii_words(f"a {run} Austriainspire") == {"Austriainspire"}
    assert all(len(settled) <= MAX_TOKEN_LENGTH
               for cache in glued_module._SETTLED.values() for settled in cache)


def test_comma_glue_does_not_follow_a_long_word(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[int, int]] = []
    original = inline_module.split_comma_glue

    def recording(left: str, right: str, lang: str = "en") -> bool:
        asked.append((len(left), len(right)))
        return original(left, right, lang)

    monkeypatch.setattr(inline_module, "split_comma_glue", recording)
    ctx = InlineContext()
    ctx.find_glued_tokens("x" * 100_000 + ",will " + "y,z," * 1000 + "Khrushchev,will")
    assert ctx.glued_tokens is not None and "Khrushchev,will" in ctx.glued_tokens
    assert not any(token.startswith("x") for token in ctx.glued_tokens)
    assert max(max(pair) for pair in asked) <= MAX_COMMA_PART_LENGTH


def test_huge_one_token_line_converts_without_a_split_search(
        monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    searched: list[int] = []
    original = glued_module._best_split

    def recording(token: str, lang: str, max_parts: int):
        searched.append(len(token))
        return original(token, lang, max_parts)

    monkeypatch.setattr(glued_module, "_best_split", recording)
    glued_module._split_glued.cache_clear()
    path = tmp_path / "long.txt"
    path.write_text("Smith: " + "x" * 200_000 + " Austriainspire\n", encoding="utf-8")
    conversion = convert_source(read_source(path))
    assert b"x" * 200_000 in conversion.tei_bytes
    assert searched and max(searched) <= MAX_TOKEN_LENGTH


def test_body_is_made_in_the_document(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Moving a finished body into the document costs lxml time in the square of its
    ``xml:id``s (one per turn): the body is made where it stays."""
    made: list[str] = []
    original = convert_module.build_body

    def recording(*args, **kwargs):
        result = original(*args, **kwargs)
        made.append(result[0].div.getroottree().getroot().tag)
        return result

    monkeypatch.setattr(convert_module, "build_body", recording)
    path = tmp_path / "turns.txt"
    path.write_text("Mr. Smith: Good morning.\nMr. Jones: Good morning to you.\n" * 50,
                    encoding="utf-8")
    conversion = convert_source(read_source(path))
    assert made == ["TEI"]
    assert conversion.turns == 100


def test_each_glued_word_is_reported_where_it_stands() -> None:
    text = "we givesell it and givesell it again"
    ctx = InlineContext()
    ctx.find_glued_tokens(text)
    fill(tree_root("p"), text, ctx)
    offsets = [i.offset for i in ctx.inferences if i.code == "review-glued-word"]
    assert offsets == [text.index("givesell"), text.rindex("givesell")]


_PIECES = ["Smith", "smith", "Хрущев", "x", "A", " ", "  ", "\n", " \n", ".", "-", "’", "_",
           "1", "/", "é", "É"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=12)
       .map("".join), st.integers(min_value=0, max_value=60))
def test_capital_before_is_what_the_whole_search_finds(text: str, end: int) -> None:
    end = min(end, len(text))
    assert _capital_before(text, end) == (CAPITAL_BEFORE.search(text[:end]) is not None)


def test_slash_alias_looks_only_at_the_word_before_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    searched: list[int] = []

    class Recording:
        def search(self, text: str, pos: int = 0, endpos: int = 10**9):
            searched.append(min(endpos, len(text)) - pos)
            return CAPITAL_BEFORE.search(text, pos, endpos)

    text = "we met Mr. Shi Zhe /Karskii/ and " * 2000
    monkeypatch.setattr(inline_module, "CAPITAL_BEFORE", Recording())
    fill(tree_root("p"), text, InlineContext())
    assert len(searched) == 2000 and max(searched) <= len("Zhe ")
