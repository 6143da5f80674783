"""The language of a text, as a BCP 47 code: from a stated language name, or from the script
and (for Latin script) common function words of a sample of the text."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

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

_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE_CHARS = 200_000


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
    sample gives no evidence (no letters, no common function words)."""
    sample_parts: list[str] = []
    size = 0
    for text in texts:
        sample_parts.append(text)
        size += len(text)
        if size >= _SAMPLE_CHARS:
            break
    sample = " ".join(sample_parts)[:_SAMPLE_CHARS]
    scripts: Counter[str] = Counter()
    for char, count in Counter(sample).items():
        if char.isalpha():
            script = "LATIN" if char < "\u0250" else _script(char)
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
    words = Counter(w.casefold() for w in _WORD.findall(sample[:50_000]))
    scores = {code: sum(words[w] for w in vocabulary)
              for code, vocabulary in _FUNCTION_WORDS.items()}
    best = max(scores, key=lambda code: scores[code])
    if scores[best] < 3:
        return default
    if scores[best] <= scores["en"] * 1.2:
        return "en"
    return best
