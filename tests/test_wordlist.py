"""The converter's word list and its cache file (pipeline.convert.wordlist)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from wordfreq import get_frequency_dict

from pipeline.convert import wordlist
from pipeline.convert.wordlist import WordList, load_word_list


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(wordlist.CACHE_VARIABLE, str(folder))
    return folder


def _refuse_wordfreq(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(lang: str) -> None:
        raise AssertionError("the word list was not read from the cache file")

    monkeypatch.setattr(wordlist, "_from_wordfreq", refuse)


def test_the_list_answers_as_wordfreqs_dictionary(cache: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    expected = get_frequency_dict("en")
    made = load_word_list("en")            # from wordfreq, and written to the cache file
    _refuse_wordfreq(monkeypatch)
    read = load_word_list("en")            # read from the cache file
    for words in (made, read):
        assert len(words) == len(expected)
        assert all(word in words for word in expected)
        assert all(words.zipf(word) == math.log10(frequency) + 9.0
                   for word, frequency in expected.items())
        for absent in ("austriainspire", "givesell", "", "Khrushchev", "the "):
            assert absent not in words
            assert words.zipf(absent) == 0.0
        assert 12345 not in words


def test_a_second_load_reads_the_cache_file(cache: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    first = load_word_list("en")
    path = cache / "words-en.txt"
    assert path.is_file()
    header = path.read_bytes().split(b"\n", 1)[0].decode().split("\t")
    assert header[0] == wordlist.FORMAT and header[1] == "en" and header[3] == str(len(first))
    _refuse_wordfreq(monkeypatch)
    again = load_word_list("en")
    assert len(again) == len(first) and again.zipf("the") == first.zipf("the")


@pytest.fixture(scope="module")
def good_file(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A cache file of the real list, as written."""
    folder = tmp_path_factory.mktemp("cache")
    words, bins = wordlist._from_wordfreq("en")
    wordlist._write(folder / "words-en.txt", "en", wordlist._wordfreq_installation() or "",
                    words, bins)
    return (folder / "words-en.txt").read_bytes()


def test_the_written_file_is_read_back(cache: Path, good_file: bytes,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cache.mkdir()
    (cache / "words-en.txt").write_bytes(good_file)
    _refuse_wordfreq(monkeypatch)
    assert len(load_word_list("en")) == len(get_frequency_dict("en"))


@pytest.mark.parametrize("damage", ["truncated", "bin changed", "not hexadecimal",
                                    "other wordfreq", "word dropped", "empty", "not utf-8",
                                    "line added"])
def test_a_damaged_cache_file_is_ignored_and_written_again(
        cache: Path, good_file: bytes, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    header, words, bins, _ = good_file.split(b"\n")
    if damage == "truncated":
        data = good_file[:len(good_file) // 2]
    elif damage == "bin changed":
        data = b"\n".join((header, words, (b"fff" if bins[:3] != b"fff" else b"000") + bins[3:],
                           b""))
    elif damage == "not hexadecimal":
        data = b"\n".join((header, words, b"xyz" + bins[3:], b""))
    elif damage == "other wordfreq":
        fields = header.split(b"\t")
        fields[2] = b"/elsewhere/wordfreq/__init__.py:1:2"
        data = b"\n".join((b"\t".join(fields), words, bins, b""))
    elif damage == "word dropped":
        data = b"\n".join((header, words.split(b" ", 1)[1], bins[3:], b""))
    elif damage == "empty":
        data = b""
    elif damage == "not utf-8":
        data = b"\n".join((header, b"\xff" + words, bins, b""))
    else:
        data = good_file + b"more\n"
    cache.mkdir()
    path = cache / "words-en.txt"
    path.write_bytes(data)
    # a stand-in for wordfreq's list, so that a call to it shows
    monkeypatch.setattr(wordlist, "_from_wordfreq", lambda lang: (["tea", "the"], "0a0000"))
    words_list = load_word_list("en")
    assert "tea" in words_list and "them" not in words_list and len(words_list) == 2
    assert path.read_bytes().split(b"\n")[1:] == [b"tea the ", b"0a0000", b""]   # rewritten


def test_no_cache_file_when_caching_is_turned_off(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(wordlist.CACHE_VARIABLE, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert wordlist.cache_dir() is None
    assert "the" in load_word_list("en")
    assert list(tmp_path.iterdir()) == []


def test_the_cache_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(wordlist.CACHE_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert wordlist.cache_dir() == tmp_path / "tei-edition"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert wordlist.cache_dir() == tmp_path / "home" / ".cache" / "tei-edition"


def test_a_cache_folder_that_cannot_be_written_costs_only_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(wordlist.CACHE_VARIABLE, str(blocker / "cache"))
    words = load_word_list("en")
    assert "the" in words and len(words) == len(get_frequency_dict("en"))


def test_words_holding_a_space_are_not_cached(cache: Path) -> None:
    wordlist._write(cache / "words-xx.txt", "xx", "source", ["a b", "c"], "000001")
    assert not (cache / "words-xx.txt").exists()


def test_a_word_list_needs_a_bin_per_word() -> None:
    with pytest.raises(ValueError):
        WordList(["a", "b"], "000")
    small = WordList(["apple", "pear"], "00a064")
    assert "pear" in small and "plum" not in small and "appl" not in small
    assert small.zipf("apple") == math.log10(10 ** (-10 / 100)) + 9.0
    assert small.zipf("pear") == math.log10(10 ** (-100 / 100)) + 9.0
