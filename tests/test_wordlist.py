"""The converter's word list and its cache file (pipeline.convert.wordlist)."""

from __future__ import annotations

import math
import os
import time
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


def _cache_file(folder: Path) -> Path:
    files = list(folder.glob("words-en-*.txt"))
    assert len(files) == 1, files
    return files[0]


def _refuse_wordfreq(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(lang: str) -> None:
        raise AssertionError("the word list was not read from the cache file")

    monkeypatch.setattr(wordlist, "_wordfreq_bins", refuse)


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
    path = _cache_file(cache)
    header = path.read_bytes().split(b"\n", 1)[0].decode().split("\t")
    assert header[0] == wordlist.FORMAT and header[1] == "en" and header[4] == str(len(first))
    _refuse_wordfreq(monkeypatch)
    again = load_word_list("en")
    assert len(again) == len(first) and again.zipf("the") == first.zipf("the")


@pytest.fixture(scope="module")
def good_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, bytes]:
    """A cache file of the real list, as written: its name and its bytes."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get(wordlist.CACHE_VARIABLE)
    os.environ[wordlist.CACHE_VARIABLE] = str(folder)
    try:
        load_word_list("en")
    finally:
        if previous is None:
            del os.environ[wordlist.CACHE_VARIABLE]
        else:
            os.environ[wordlist.CACHE_VARIABLE] = previous
    path = _cache_file(folder)
    return path.name, path.read_bytes()


def test_the_written_file_is_read_back(cache: Path, good_file: tuple[str, bytes],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cache.mkdir()
    (cache / good_file[0]).write_bytes(good_file[1])
    _refuse_wordfreq(monkeypatch)
    assert len(load_word_list("en")) == len(get_frequency_dict("en"))


def _replace_line(data: bytes, index: int, line: bytes) -> bytes:
    lines = data.split(b"\n")
    lines[index] = line
    return b"\n".join(lines)


@pytest.mark.parametrize("damage", ["truncated", "word moved", "other wordfreq", "word dropped",
                                    "empty", "not utf-8", "line added", "bins miscounted"])
def test_a_damaged_cache_file_is_ignored_and_written_again(
        cache: Path, good_file: tuple[str, bytes], monkeypatch: pytest.MonkeyPatch,
        damage: str) -> None:
    name, good = good_file
    lines = good.split(b"\n")
    header = lines[0]
    # the first bin of two words or more, and the bin after it
    at = next(i for i, line in enumerate(lines) if i and b" " in line)
    first, second = lines[at], lines[at + 1]
    if damage == "truncated":
        data = good[:len(good) // 2]
    elif damage == "word moved":   # the same words, one in another bin
        word, rest = first.split(b" ", 1)
        data = _replace_line(_replace_line(good, at, rest), at + 1, second + b" " + word)
    elif damage == "other wordfreq":
        fields = header.split(b"\t")
        fields[2] = b"/elsewhere/wordfreq/__init__.py:1:2"
        data = _replace_line(good, 0, b"\t".join(fields))
    elif damage == "word dropped":
        data = _replace_line(good, at, first.split(b" ", 1)[1])
    elif damage == "empty":
        data = b""
    elif damage == "not utf-8":
        data = _replace_line(good, at, b"\xff" + first)
    elif damage == "line added":
        data = good + b"more\n"
    else:
        fields = header.split(b"\t")
        fields[3] = str(int(fields[3]) + 1).encode()
        data = _replace_line(good, 0, b"\t".join(fields))
    cache.mkdir()
    path = cache / name
    path.write_bytes(data)
    # a stand-in for wordfreq's list, so that a call to it shows
    monkeypatch.setattr(wordlist, "_wordfreq_bins", lambda lang: [["the"], [], ["tea"]])
    words = load_word_list("en")
    assert "tea" in words and "them" not in words and len(words) == 2
    assert words.zipf("tea") == math.log10(10 ** (-2 / 100)) + 9.0
    assert path.read_bytes().split(b"\n")[1:] == [b"the", b"", b"tea", b""]   # rewritten


def test_no_cache_file_when_caching_is_turned_off(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(wordlist.CACHE_VARIABLE, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert wordlist.cache_dir() is None
    assert "the" in load_word_list("en")
    assert list(tmp_path.iterdir()) == []


def test_the_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(wordlist.CACHE_VARIABLE, "~/words")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert wordlist.cache_dir() == tmp_path / "home" / "words"
    monkeypatch.delenv(wordlist.CACHE_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert wordlist.cache_dir() == tmp_path / "tei-edition"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")   # ignored, as XDG says
    assert wordlist.cache_dir() == tmp_path / "home" / ".cache" / "tei-edition"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert wordlist.cache_dir() == tmp_path / "home" / ".cache" / "tei-edition"
    monkeypatch.setenv("HOME", "")             # no home folder to put it in
    assert wordlist.cache_dir() is None


def test_a_cache_folder_that_cannot_be_written_costs_only_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(wordlist.CACHE_VARIABLE, str(blocker / "cache"))
    words = load_word_list("en")
    assert "the" in words and len(words) == len(get_frequency_dict("en"))


def test_a_writer_removes_what_killed_writers_left(cache: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wordlist, "_wordfreq_bins", lambda lang: [["the"], ["tea"]])
    cache.mkdir()
    load_word_list("en")
    path = _cache_file(cache)
    old, new = cache / f".{path.name}.0123.tmp", cache / f".{path.name}.4567.tmp"
    for leftover in (old, new):
        leftover.write_text("partial")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    path.unlink()
    load_word_list("en")
    assert path.is_file() and not old.exists() and new.exists()   # a writer may still be busy


def test_words_that_cannot_be_written_are_not_cached(cache: Path) -> None:
    for bins in ([["a b", "c"]], [["", "c"]], [["a\nb"]]):
        wordlist._write(cache / "words-xx.txt", "xx", "source", bins, 2)
        assert not (cache / "words-xx.txt").exists()


def test_a_word_list_answers_from_its_dictionary() -> None:
    small = wordlist._word_list([["apple"], [], ["pear", "apple"]])
    assert len(small) == 2 and "pear" in small and "plum" not in small and "appl" not in small
    assert small.zipf("apple") == math.log10(10 ** (-2 / 100)) + 9.0   # the later bin
    assert small.zipf("pear") == small.zipf("apple")
    assert isinstance(small, WordList)
