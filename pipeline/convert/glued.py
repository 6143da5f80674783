"""Words glued together when a transcript lost its inline formatting.

``Austriainspire``, ``givesell``, ``beconvincedthe``: a token that is not a word, but splits
into two or three words that are. The word list is wordfreq's English frequency list, loaded
once per process (from a cache file of its words: :mod:`pipeline.convert.wordlist`); a token
counts as a word when its Zipf frequency is at least :data:`MIN_PART_ZIPF` (about once per
million words), so proper names the list knows at low frequency (``Hozumi``, ``Katayama``)
are never split.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipeline.convert.wordlist import WordList, load_word_list

#: Zipf frequency each part of a split must reach (3.0 = once per million words).
MIN_PART_ZIPF = 3.0
#: Tokens shorter than this are never split.
MIN_TOKEN_LENGTH = 6
#: Tokens longer than this are never split: no pair of glued words is longer, and the
#: search for a split costs time in the square of the length (a base64 blob or a PDF text
#: run without spaces is one token of many thousand letters). The glued-word expression of
#: :mod:`pipeline.convert.inline` takes tokens of this length at most.
MAX_TOKEN_LENGTH = 40
#: Each side of a comma-glued pair (``Khrushchev,will``) is at most this long.
MAX_COMMA_PART_LENGTH = 30
#: How common the word after a capitalised first part must be (``Austria|inspire``).
CAPITALISED_TAIL_ZIPF = 4.0
#: Single-letter parts that may stand alone in a split.
SINGLE_LETTER_WORDS = frozenset({"a"})

#: byte -> itself for an ASCII letter, a space for any other byte
_ASCII_LETTER_BYTES = bytes(byte if 65 <= byte <= 90 or 97 <= byte <= 122 else 32
                            for byte in range(256))
#: per (language, shortest length): the runs of ASCII letters, as printed, that are settled
#: (too short, or held by the word list); bounded
_SETTLED: dict[tuple[str, int], set[bytes]] = {}
_SETTLED_LIMIT = 100_000


def unlisted_ascii_words(text: str, lang: str = "en",
                         min_length: int = MIN_TOKEN_LENGTH) -> set[str]:
    """The distinct runs of ``min_length`` to :data:`MAX_TOKEN_LENGTH` ASCII letters in
    ``text`` (what ``re.findall(r"[A-Za-z]{6,}", text)`` finds, without the longer runs)
    that the word list does not hold.

    The runs are found at the speed of byte operations: in UTF-8 every character outside
    ASCII is made of bytes >= 0x80, so translating every byte that is no ASCII letter to a
    space leaves exactly the runs, split on whitespace. Runs already seen that are too short
    or listed are set aside by one set difference (a loop in C over hashes the set has
    already computed): documents share most of their words, and looking a word up in the
    list itself (some 300,000 words, far larger than the processor's caches) costs more.
    """
    runs = set(text.encode("utf-8", "surrogatepass").translate(_ASCII_LETTER_BYTES).split())
    settled = _SETTLED.setdefault((lang, min_length), set())
    if len(settled) > _SETTLED_LIMIT:
        settled.clear()
    known = word_list(lang)
    found = set()
    for run in runs - settled:
        if len(run) > MAX_TOKEN_LENGTH:
            continue         # never split, and not kept: such a run may be megabytes long
        word = run.decode("ascii")
        if len(run) < min_length or word.lower() in known:
            settled.add(run)
        else:
            found.add(word)
    return found


@dataclass(frozen=True, slots=True)
class Split:
    """A proposed reading of a glued token."""

    original: str
    parts: tuple[str, ...]
    cert: str            # high | medium | low
    score: float         # the lowest Zipf frequency among the parts

    @property
    def regularised(self) -> str:
        return " ".join(self.parts)


@lru_cache(maxsize=4)
def _word_list(lang: str) -> WordList:
    return load_word_list(lang)


def word_list(lang: str = "en") -> WordList:
    """The language's word list (lower-case words), loaded once per process."""
    return _word_list(lang)


def zipf(word: str, lang: str = "en") -> float:
    """Zipf frequency of a word, lower-cased (0.0 when the list does not know it)."""
    return _word_list(lang).zipf(word.lower())


def is_word(word: str, lang: str = "en") -> bool:
    return zipf(word, lang) > 0.0


def _part_ok(part: str, lang: str) -> float:
    if len(part) == 1 and part.lower() not in SINGLE_LETTER_WORDS:
        return 0.0
    value = zipf(part, lang)
    return value if value >= MIN_PART_ZIPF else 0.0


def _best_split(token: str, lang: str, max_parts: int) -> tuple[tuple[str, ...], float] | None:
    """The split whose rarest part is most frequent: two parts first, three if none fits.

    Three-part splits are tried for lower-case tokens only: a capitalised token that no
    two-part split explains is far more often a name the list does not know.
    """
    n = len(token)
    scores = [_part_ok(token[:i], lang) for i in range(n + 1)]
    best: tuple[tuple[str, ...], float] | None = None
    for i in range(1, n):
        if not scores[i]:
            continue
        right = _part_ok(token[i:], lang)
        if right and (best is None or min(scores[i], right) > best[1]):
            best = ((token[:i], token[i:]), min(scores[i], right))
    if best is not None or max_parts < 3 or not token.islower():
        return best
    for i in range(1, n - 1):
        if not scores[i]:
            continue
        for j in range(i + 1, n):
            mid = _part_ok(token[i:j], lang)
            if not mid:
                continue
            last = _part_ok(token[j:], lang)
            if last:
                score = min(scores[i], mid, last)
                if best is None or score > best[1]:
                    best = ((token[:i], token[i:j], token[j:]), score)
    return best


def split_glued(token: str, lang: str = "en", *, max_parts: int = 3) -> Split | None:
    """Propose a split of ``token`` into words, or ``None`` if it is a word, no split fits,
    or it is shorter than :data:`MIN_TOKEN_LENGTH` or longer than :data:`MAX_TOKEN_LENGTH`.

    >>> split_glued("Austriainspire").regularised
    'Austria inspire'
    >>> split_glued("Katayama") is None
    True
    """
    if not MIN_TOKEN_LENGTH <= len(token) <= MAX_TOKEN_LENGTH:
        return None          # checked before the cache, which must not hold long tokens
    return _split_glued(token, lang, max_parts)


@lru_cache(maxsize=8192)
def _split_glued(token: str, lang: str, max_parts: int) -> Split | None:
    if lang != "en" or not token.isalpha():
        return None
    if is_word(token, lang):
        return None
    found = _best_split(token, lang, max_parts)
    if found is None:
        return None
    parts, score = found
    if token[0].isupper() and (len(parts[0]) < 3 or zipf(parts[-1], lang) < CAPITALISED_TAIL_ZIPF):
        # a capitalised token is more likely an unknown name (Xikang) than a name glued to
        # a rare word; only a common word after it is evidence of glue (Dullespolicy)
        return None
    if len(parts) == 3:
        cert = "low"
    elif score >= 4.0:
        cert = "high"
    else:
        cert = "medium"
    return Split(token, parts, cert, round(score, 2))


def split_comma_glue(left: str, right: str, lang: str = "en") -> bool:
    """``Khrushchev,will``: a comma with no space after it, between two words (each of at
    most :data:`MAX_COMMA_PART_LENGTH` letters)."""
    if lang != "en" or len(left) > MAX_COMMA_PART_LENGTH or len(right) > MAX_COMMA_PART_LENGTH:
        return False
    return zipf(right, lang) >= MIN_PART_ZIPF and (left[0].isupper() or is_word(left, lang))
