"""The converter's word lists: wordfreq's frequency lists, kept in a cache file of our own.

The glued-word finder (:mod:`pipeline.convert.glued`) asks of a language's list whether it
holds a word and how frequent the word is. Getting the list from wordfreq costs about half a
second in every process that converts: importing wordfreq (which imports its tokenisers,
some 0.28 s), unpacking its packed list (0.08 s) and making a dictionary of its 320,000
words (0.2 s). That is most of the time of a one-file ``edition convert``, and it stands on
the critical path of every build, before the first document is converted.

So the words are written once, the first time a process needs them, to a plain UTF-8 file
in the user's cache folder, grouped by frequency bin as wordfreq groups them; a later
process reads that file and makes the same dictionary from it without importing wordfreq,
in about 0.3 s instead of 0.55 s. The dictionary (word -> Zipf frequency) is what a
:class:`WordList` looks words up in: a look-up reads the dictionary and its keys without
writing to them, so the list a build's fork server loads stays shared, page for page, by
every worker forked from it (a binary search over a sorted list of the words would take a
reference to each word it compares, and so make each worker copy the pages it touches).

The answers are wordfreq's: a word is in the list when ``get_frequency_dict(lang)`` holds
it, and its Zipf frequency is ``log10(frequency) + 9`` of the frequency that dictionary
gives (a word that wordfreq lists in two bins has the later bin's, as there).

The file, ``words-<lang>-<installation>.txt``: a header line, then one line per frequency
bin of wordfreq's list, in order (bin *i* holds the words of frequency ``10 ** (-i / 100)``),
its words separated by single spaces. The header names the format, the language, the
wordfreq installation the list came from (its location, size and modification time: a new
version of wordfreq is a new installation, and each installation has a file of its own,
so that two environments that share a cache folder do not overwrite each other's), the
number of bins, the number of distinct words and the CRC-32 of the lines after it. A file
whose header does not match its lines is ignored and written again. Writing is atomic: two
processes writing it at once each leave a complete file, and a temporary file left behind
by a process killed while writing is removed by the next writer.

Where: ``$EDITION_CACHE`` when it is set (set but empty: no cache file at all), else
``$XDG_CACHE_HOME/tei-edition`` (when that is an absolute path), else
``~/.cache/tei-edition``. Without a cache file (none, or a folder that cannot be written),
the list comes from wordfreq each time, as fast as wordfreq makes it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import math
import os
import time
import zlib
from collections.abc import Sequence
from pathlib import Path

from pipeline.atomic import write_bytes

#: the first field of the header: the file's format and its version
FORMAT = "tei-edition word list 2"
#: the environment variable that names the cache folder
CACHE_VARIABLE = "EDITION_CACHE"
#: a temporary file of a writer older than this (seconds) was left by a killed process
_STALE_TEMPORARY = 600


class WordList:
    """A language's word list: word -> Zipf frequency."""

    __slots__ = ("_zipf",)

    def __init__(self, zipf: dict[str, float]) -> None:
        self._zipf = zipf

    def __len__(self) -> int:
        return len(self._zipf)

    def __contains__(self, word: object) -> bool:
        return word in self._zipf

    def zipf(self, word: str) -> float:
        """The word's Zipf frequency: ``log10(frequency) + 9``; 0.0 for a word not listed."""
        return self._zipf.get(word, 0.0)


def _zipf_of_bin(index: int) -> float:
    # wordfreq's frequency of the bin (``cB_to_freq``), then its Zipf value
    return math.log10(10 ** (-index / 100)) + 9.0


def _word_list(bins: Sequence[Sequence[str]]) -> WordList:
    """The list from its bins of words: a word in two bins keeps the later bin's frequency.
    The dictionary is made in one go from all the words and their values (the bins' Zipf
    values, 800 float objects shared by all the words), which costs a third less than
    adding the bins one by one."""
    words: list[str] = []
    values: list[float] = []
    for index, bin_words in enumerate(bins):
        if bin_words:
            words += bin_words
            values += itertools.repeat(_zipf_of_bin(index), len(bin_words))
    return WordList(dict(zip(words, values, strict=True)))


def cache_dir() -> Path | None:
    """The folder that holds the cache files, or None when caching is turned off or no
    absolute folder can be told."""
    configured = os.environ.get(CACHE_VARIABLE)
    if configured is not None:
        return Path(os.path.expanduser(configured)) if configured else None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):   # unset, empty or relative: ignored, as XDG says
        home = os.path.expanduser("~")
        if not os.path.isabs(home) or home == "/":
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "tei-edition"


def load_word_list(lang: str) -> WordList:
    """The language's word list, from the cache file when it holds this wordfreq's list,
    else from wordfreq (and then written to the cache file)."""
    folder = cache_dir()
    source = _wordfreq_installation() if folder is not None else None
    if folder is None or source is None:
        return _word_list(_wordfreq_bins(lang))
    tag = hashlib.sha256(source.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    path = folder / f"words-{lang}-{tag}.txt"
    cached = _read(path, lang, source)
    if cached is not None:
        return cached
    bins = _wordfreq_bins(lang)
    words = _word_list(bins)
    _write(path, lang, source, bins, len(words))
    return words


def _wordfreq_bins(lang: str) -> list[list[str]]:
    """wordfreq's list of the language: its words, bin by bin."""
    from wordfreq import get_frequency_list

    return get_frequency_list(lang)


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


def _header(lang: str, source: str, bins: int, words: int, checksum: int) -> bytes:
    fields = (FORMAT, lang, source, str(bins), str(words), str(checksum))
    return "\t".join(fields).encode("utf-8", "surrogateescape")


def _read(path: Path, lang: str, source: str) -> WordList | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header, _, body = data.partition(b"\n")
    try:
        fields = header.decode("utf-8", "surrogateescape").split("\t")
        lines = body.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return None
    # every bin's line ends with a line end: the split leaves an empty last item
    if len(fields) != 6 or fields[:3] != [FORMAT, lang, source] or \
            fields[3] != str(len(lines) - 1) or lines.pop() or \
            fields[5] != str(zlib.crc32(body)):
        return None
    words = _word_list([line.split(" ") if line else () for line in lines])
    return words if fields[4] == str(len(words)) else None


def _write(path: Path, lang: str, source: str, bins: Sequence[Sequence[str]],
           words: int) -> None:
    lines = [" ".join(bin_words) for bin_words in bins]
    text = "".join([line + "\n" for line in lines])
    # a word holding a space or a line end, or an empty word, could not be read back
    if text.count("\n") != len(lines) or \
            text.count(" ") != sum(len(bin_words) - 1 for bin_words in bins if bin_words) or \
            any(not word for bin_words in bins for word in bin_words):
        return
    body = text.encode("utf-8")
    data = _header(lang, source, len(lines), words, zlib.crc32(body)) + b"\n" + body
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(path)
        write_bytes(path, data, durable=False)
    except OSError:
        pass


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files of ``path`` left by writers killed long ago (``.<name>.*.tmp``)."""
    now = time.time()
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if now - leftover.stat().st_mtime > _STALE_TEMPORARY:
                leftover.unlink()
        except OSError:
            continue


__all__ = ["CACHE_VARIABLE", "WordList", "cache_dir", "load_word_list"]
