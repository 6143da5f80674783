"""The converter's word lists: wordfreq's frequency lists, kept in a cache file of our own.

The glued-word finder (:mod:`pipeline.convert.glued`) asks of a language's list whether it
holds a word and how frequent the word is. Loading the list from wordfreq as a dictionary
costs about half a second in every process that converts (importing wordfreq, which
imports its tokenisers; unpacking its list; hashing some 320,000 words into a dictionary).
That is most of the time of a one-file ``edition convert``, and it stands on the critical
path of every build, before the first document is converted.

A :class:`WordList` is the list's words in sorted order with each word's frequency bin,
looked up by binary search. It is read from a cache file written the first time a process
needs the list: splitting the file's text into its words is all the loading there is (no
hashing, no sorting), about a tenth of the time wordfreq takes. A look-up costs about a
microsecond instead of a dictionary's tenth of one; a conversion makes a few hundred (the
glued-word finder remembers the runs of letters it has settled), far less than the load
it saves.

The answers are wordfreq's: a word is in the list when ``get_frequency_dict(lang)`` holds
it, and its frequency is the one that dictionary gives (a word that wordfreq lists in two
bins has the later bin's frequency, as there), so :meth:`WordList.zipf` is the same number as
``log10(frequency) + 9``, computed the same way.

The file (``words-<lang>.txt``, UTF-8) has three lines: a header; the words, sorted, each
followed by one space; their bins, three hexadecimal digits per word (bin *i* holds the
words of frequency ``10 ** (-i / 100)``). The header names the format, the language, the
wordfreq installation the list came from (its location, size and modification time: a new
version of wordfreq is a new installation), the number of words and the CRC-32 of the two
other lines. A file whose header does not match its lines is ignored and written again.
Writing is atomic: two processes writing it at once each leave a complete file.

Where: ``$EDITION_CACHE`` when it is set (set but empty: no cache file at all), else
``$XDG_CACHE_HOME/tei-edition``, else ``~/.cache/tei-edition``. A cache folder that cannot
be written costs only the time the file would save.
"""

from __future__ import annotations

import importlib.util
import math
import os
import zlib
from bisect import bisect_left
from pathlib import Path

from pipeline.atomic import write_bytes

#: the first field of the header: the file's format and its version
FORMAT = "tei-edition word list 1"
#: the environment variable that names the cache folder
CACHE_VARIABLE = "EDITION_CACHE"
#: hexadecimal digits per bin
_BIN_DIGITS = 3
_HEX_DIGITS = b"0123456789abcdef"


class WordList:
    """A language's word list: the words in sorted order and, for each, its frequency bin
    (``_BIN_DIGITS`` hexadecimal digits per word in one string)."""

    __slots__ = ("_bins", "_count", "_words")

    def __init__(self, words: list[str], bins: str) -> None:
        if len(bins) != _BIN_DIGITS * len(words):
            raise ValueError("a word list needs one bin per word")
        self._words = words
        self._bins = bins
        self._count = len(words)

    def __len__(self) -> int:
        return self._count

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        index = bisect_left(self._words, word)
        return index < self._count and self._words[index] == word

    def zipf(self, word: str) -> float:
        """The word's Zipf frequency: ``log10(frequency) + 9``; 0.0 for a word not listed."""
        index = bisect_left(self._words, word)
        if index < self._count and self._words[index] == word:
            start = _BIN_DIGITS * index
            return _zipf_of_bin(int(self._bins[start:start + _BIN_DIGITS], 16))
        return 0.0

def _zipf_of_bin(index: int) -> float:
    # wordfreq's frequency of the bin, then its Zipf value, as glued.py always computed it
    return math.log10(10 ** (-index / 100)) + 9.0


def cache_dir() -> Path | None:
    """The folder that holds the cache files, or None when caching is turned off."""
    configured = os.environ.get(CACHE_VARIABLE)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if base.startswith("~"):   # no home folder to expand it to
        return None
    return Path(base) / "tei-edition"


def load_word_list(lang: str) -> WordList:
    """The language's word list, from the cache file when it holds this wordfreq's list,
    else from wordfreq (and then written to the cache file)."""
    folder = cache_dir()
    source = _wordfreq_installation()
    path = folder / f"words-{lang}.txt" if folder is not None and source is not None else None
    if path is not None:
        cached = _read(path, lang, source or "")
        if cached is not None:
            return cached
    words, bins = _from_wordfreq(lang)
    if path is not None:
        _write(path, lang, source or "", words, bins)
    return WordList(words, bins)


def from_wordfreq(lang: str) -> WordList:
    """The language's word list made from wordfreq's own (no cache file involved)."""
    return WordList(*_from_wordfreq(lang))


def _from_wordfreq(lang: str) -> tuple[list[str], str]:
    """The words of wordfreq's list, sorted, and their bins."""
    from wordfreq import get_frequency_list

    bin_of: dict[str, int] = {}
    for index, bin_words in enumerate(get_frequency_list(lang)):
        for word in bin_words:
            bin_of[word] = index   # a later bin wins, as in get_frequency_dict
    if max(bin_of.values(), default=0) >= 16 ** _BIN_DIGITS:
        raise ValueError(f"wordfreq's {lang} list has more bins than a word list can hold")
    words = sorted(bin_of)
    return words, "".join([f"{bin_of[word]:03x}" for word in words])


def _wordfreq_installation() -> str | None:
    """wordfreq's installation as the header names it (found without importing wordfreq),
    or None when it cannot be told."""
    try:
        spec = importlib.util.find_spec("wordfreq")
        if spec is None or not spec.origin:
            return None
        status = os.stat(spec.origin)
    except (ImportError, ValueError, OSError):
        return None
    return f"{spec.origin}:{status.st_size}:{status.st_mtime_ns}"


def _header(lang: str, source: str, count: int, checksum: int) -> bytes:
    return "\t".join((FORMAT, lang, source, str(count), str(checksum))).encode("utf-8")


def _read(path: Path, lang: str, source: str) -> WordList | None:
    try:
        parts = path.read_bytes().split(b"\n")
    except OSError:
        return None
    if len(parts) != 4 or parts[3]:
        return None
    header, line, bins, _ = parts
    try:
        fields = header.decode("utf-8").split("\t")
        words = line.decode("utf-8").split(" ")
    except UnicodeDecodeError:
        return None
    # every word is followed by a space: the split leaves an empty last item
    if len(fields) != 5 or fields[:3] != [FORMAT, lang, source] or \
            fields[3] != str(len(words) - 1) or words.pop() or \
            fields[4] != str(zlib.crc32(bins, zlib.crc32(line))) or \
            len(bins) != _BIN_DIGITS * len(words) or bins.translate(None, _HEX_DIGITS):
        return None
    return WordList(words, bins.decode("ascii"))


def _write(path: Path, lang: str, source: str, words: list[str], bins: str) -> None:
    text = "".join([word + " " for word in words])
    # a word holding a space or a line end cannot be written this way: no cache file
    if text.count(" ") != len(words) or "\n" in text:
        return
    line, bin_line = text.encode("utf-8"), bins.encode("ascii")
    checksum = zlib.crc32(bin_line, zlib.crc32(line))
    data = b"\n".join((_header(lang, source, len(words), checksum), line, bin_line, b""))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, data, durable=False)
    except OSError:
        pass


__all__ = ["CACHE_VARIABLE", "WordList", "cache_dir", "from_wordfreq", "load_word_list"]
