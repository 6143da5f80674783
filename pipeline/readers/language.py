"""The language of a text, as a BCP 47 code: from a stated language name, or from the script
and (for Latin script) common function words of a sample of the text."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator

LANGUAGE_CODES = {
    "english": "en", "russian": "ru", "german": "de", "french": "fr", "chinese": "zh",
    "japanese": "ja", "korean": "ko", "vietnamese": "vi", "polish": "pl", "czech": "cs",
    "slovak": "sk", "hungarian": "hu", "romanian": "ro", "bulgarian": "bg", "serbian": "sr",
    "croatian": "hr", "serbo-croatian": "sh", "slovenian": "sl", "ukrainian": "uk",
    "belarusian": "be", "mongolian": "mn", "spanish": "es", "portuguese": "pt", "italian": "it",
    "dutch": "nl", "swedish": "sv", "norwegian": "no", "danish": "da", "finnish": "fi",
    "estonian": "et", "latvian": "lv", "lithuanian": "lt", "greek": "el", "turkish": "tr",
    "arabic": "ar", "hebrew": "he", "persian": "fa", "farsi": "fa", "hindi": "hi", "urdu": "ur",
    "albanian": "sq", "macedonian": "mk", "georgian": "ka", "armenian": "hy", "azerbaijani": "az",
    "kazakh": "kk", "uzbek": "uz", "indonesian": "id", "thai": "th", "khmer": "km", "lao": "lo",
    "burmese": "my", "swahili": "sw", "amharic": "am", "afrikaans": "af", "tagalog": "tl",
}

_SCRIPT_LANGUAGE = {
    "CYRILLIC": "ru", "GREEK": "el", "ARABIC": "ar", "HEBREW": "he", "HANGUL": "ko",
    "HIRAGANA": "ja", "KATAKANA": "ja", "CJK": "zh", "THAI": "th", "GEORGIAN": "ka",
    "ARMENIAN": "hy", "DEVANAGARI": "hi", "KHMER": "km", "LAO": "lo", "MYANMAR": "my",
}

_FUNCTION_WORDS = {
    "en": {"the", "and", "of", "to", "in", "that", "is", "was", "with", "for", "not", "we"},
    "de": {"der", "die", "das", "und", "nicht", "mit", "ist", "ein", "eine", "dass", "den",
           "auf", "sich", "zu"},
    "fr": {"le", "la", "les", "et", "des", "est", "que", "une", "dans", "pour", "pas", "nous"},
    "es": {"el", "la", "los", "las", "y", "que", "de", "en", "una", "por", "con", "para"},
    "it": {"il", "di", "che", "e", "la", "per", "una", "non", "sono", "con", "del", "della"},
    "pt": {"o", "a", "os", "que", "de", "do", "da", "em", "um", "uma", "não", "para", "com"},
    "pl": {"i", "w", "nie", "się", "na", "że", "z", "jest", "do", "to", "jak", "przez"},
}

#: a word: a run of letters (and of the digits that are not decimal digits, such as ``²``)
_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE_CHARS = 200_000
#: function words are counted in this much of the sample (about 1,700 words of prose, some
#: 500 of them function words: plenty to tell Latin-script languages apart)
_WORD_SAMPLE_CHARS = 10_000
#: up to this many characters outside ASCII (or question marks) are looked at one by one
_FEW_MARKS = 512

#: a letter or digit outside ASCII
_NON_ASCII_ALNUM = re.compile(r"[^\x00-\x7f\W]")
#: a word character outside ASCII (a letter or digit outside ASCII that is no decimal digit)
_NON_ASCII_WORD_CHAR = re.compile(r"[^\x00-\x7f\W\d]")
_WORD_CHAR = re.compile(r"[^\W\d_]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_ASCII_LETTERS = frozenset(range(65, 91)) | frozenset(range(97, 123))
#: byte -> the lower-case letter for an ASCII letter, a space for any other byte
_ASCII_WORD_BYTES = bytes(byte | 0x20 if byte in _ASCII_LETTERS else 32 for byte in range(256))
#: each language's function words that are ASCII, as bytes
_ASCII_FUNCTION_WORDS = {code: tuple(word.encode("ascii") for word in vocabulary
                                     if word.isascii())
                         for code, vocabulary in _FUNCTION_WORDS.items()}
_ASCII_FUNCTION_WORD_SET = frozenset(word for words in _ASCII_FUNCTION_WORDS.values()
                                     for word in words)


def code_for_name(name: str | None) -> str | None:
    """``"English"`` -> ``"en"``; a BCP 47-looking value is passed through; else None."""
    if not name:
        return None
    value = name.strip().strip("[]\"'").strip()
    first = re.split(r"[,;/]| and ", value)[0].strip()
    code = LANGUAGE_CODES.get(first.casefold())
    if code:
        return code
    if re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", first):
        return first
    return None


def _script(char: str) -> str | None:
    try:
        name = unicodedata.name(char)
    except ValueError:
        return None
    head = name.split(" ", 1)[0]
    if head in ("CJK", "HANGUL", "HIRAGANA", "KATAKANA"):
        return head
    if head == "LATIN":
        return "LATIN"
    return head if head in _SCRIPT_LANGUAGE else None


def detect_language(texts: Iterable[str], default: str | None = "en") -> str | None:
    """Guess the language of body text from a bounded sample of it; ``default`` when the
    sample gives no evidence (no letters, no common function words).

    The script with most letters in the first 200,000 characters wins when it is not Latin
    and has more than 30 % of the letters (Japanese kana: more than 5 %); Latin text goes by
    the function words of its first 10,000 characters, English unless another language has
    more than 1.2 times as many.

    The sample is counted in bytes (one per character, every character outside ASCII
    replaced by ``?``), which handles the ASCII letters of a Latin text at the speed of byte
    operations; only letters and digits outside ASCII, and the words that hold them, are
    looked at one by one.
    """
    sample_parts: list[str] = []
    size = 0
    for text in texts:
        sample_parts.append(text)
        size += len(text)
        if size >= _SAMPLE_CHARS:
            break
    sample = " ".join(sample_parts)[:_SAMPLE_CHARS]
    folded = sample.encode("ascii", "replace")
    letters_and_spaces = folded.translate(_ASCII_WORD_BYTES)
    foreign_at = _non_ascii_alnum_positions(sample, folded)
    #: letters and digits outside ASCII, in the order they first occur
    foreign = Counter(_NON_ASCII_ALNUM.findall(sample)) if foreign_at is None \
        else Counter(sample[position] for position in foreign_at)
    if foreign:
        ascii_letters = len(letters_and_spaces) - letters_and_spaces.count(b" ")
    else:
        # Latin is then the only script: whether it has letters is all that counts (the
        # shares of the other scripts are 0 of any number of letters)
        ascii_letters = 0 if letters_and_spaces.isspace() or not letters_and_spaces else 1
    scripts = _script_letters(sample, ascii_letters, foreign)
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
    # only the function words are scored: the other words are not counted
    words = Counter(filter(_ASCII_FUNCTION_WORD_SET.__contains__,
                           letters_and_spaces[:_WORD_SAMPLE_CHARS].split()))
    mixed: Counter[str] = Counter()
    if foreign:
        # words holding letters outside ASCII: count them whole (case-folded), and take
        # back their ASCII pieces that the byte count saw as words of their own
        text = sample[:_WORD_SAMPLE_CHARS]
        for start, end in _words_with_non_ascii(text, foreign_at):
            mixed[text[start:end].casefold()] += 1
            for piece in folded[start:end].translate(_ASCII_WORD_BYTES).split():
                words[piece] -= 1
    count = words.get
    scores = {code: sum([count(key, 0) for key in keys])
              for code, keys in _ASCII_FUNCTION_WORDS.items()}
    if mixed:
        for code, vocabulary in _FUNCTION_WORDS.items():
            scores[code] += sum(mixed[word] for word in vocabulary)
    best = max(scores, key=lambda code: scores[code])
    if scores[best] < 3:
        return default
    if scores[best] <= scores["en"] * 1.2:
        return "en"
    return best


def _script_letters(sample: str, ascii_letters: int, foreign: Counter[str]) -> Counter[str]:
    """Letters per script, the scripts in the order their first letter occurs in ``sample``
    (ties between equally frequent scripts go to the one seen first)."""
    scripts: Counter[str] = Counter()
    if not foreign:
        if ascii_letters:
            scripts["LATIN"] = ascii_letters
        return scripts
    first_ascii = _ASCII_LETTER.search(sample)
    # the foreign characters seen before the first ASCII letter come first
    before = len(dict.fromkeys(_NON_ASCII_ALNUM.findall(sample, 0, first_ascii.start()))) \
        if first_ascii else len(foreign)
    for index, (char, count) in enumerate(foreign.items()):
        if index == before and ascii_letters:
            scripts["LATIN"] += ascii_letters
        if char.isalpha():
            script = "LATIN" if char < "\u0250" else _script(char)
            if script:
                scripts[script] += count
    if before == len(foreign) and ascii_letters:
        scripts["LATIN"] += ascii_letters
    return scripts


def _non_ascii_alnum_positions(sample: str, folded: bytes) -> list[int] | None:
    """Where the letters and digits outside ASCII are in ``sample`` (``folded`` is the sample
    as ASCII bytes, ``?`` for every other character); None when there are so many
    characters outside ASCII that a regular expression finds them faster. The marks are
    found one by one (a search for one byte runs at memory speed) and counted as they are
    found: counting them all first would cost a pass over the whole sample."""
    positions = []
    find = folded.find
    position = find(b"?")
    marks = 0
    while position >= 0:
        marks += 1
        if marks > _FEW_MARKS:
            return None
        char = sample[position]
        if char != "?" and char.isalnum():
            positions.append(position)
        position = find(b"?", position + 1)
    return positions


def _words_with_non_ascii(text: str, positions: list[int] | None) -> Iterator[tuple[int, int]]:
    """(start, end) of each word of ``text`` that holds a word character outside ASCII;
    ``positions`` are those of the letters and digits outside ASCII, if known."""
    if positions is None:
        candidates = (match.start() for match in _NON_ASCII_WORD_CHAR.finditer(text))
    else:
        candidates = (position for position in positions
                      if position < len(text) and not text[position].isdecimal())
    end = 0
    for position in candidates:
        if position < end:
            continue                    # inside the word found last
        start = position
        while start > end and _WORD_CHAR.match(text, start - 1):
            start -= 1
        word = _WORD.match(text, position)
        assert word is not None
        end = word.end()
        yield start, end
