"""Page chrome that any layout may carry: site navigation and other publishers' wrappers.

:func:`chrome_kind` names the chrome a single line is (or returns None). Running headers and
footers repeated on every page are found per document by :func:`repeated_lines`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_LINE_CHROME: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("skip-to-content", re.compile(r"skip to (?:main )?content", re.I)),
    ("you-are-here", re.compile(r"you are here\b.{0,200}", re.I)),
    ("download", re.compile(r"download\s*(?:\"[^\"]*\"|“[^”]*”|pdf|now)?\s*(?:\(.*\))?", re.I)),
    ("file-info", re.compile(r"(?:total\s*pages?\s*:\s*\d+\s*)?file\s*type\s*:\s*\w+.*"
                             r"|total\s*pages?\s*:\s*\d+", re.I)),
    ("search-in", re.compile(r"search in|search", re.I)),
    ("site-name", re.compile(r"(?:wilson center\s+)?digital archive\s+(?:international history"
                             r" declassified|digitalarchive\.wilsoncenter\.org)"
                             r"|international history declassified"
                             r"|digital archive", re.I)),
    ("citation-button", re.compile(r"(?:[•·*-]\s*)?(?:citation|get citation)", re.I)),
    ("share", re.compile(r"(?:[•·*-]\s*)?share(?: (?:this )?document)?", re.I)),
    ("format-links", re.compile(r"(?:[•·*-]\s*)?(?:english|original|russian|chinese|german|"
                                r"french)(?: (?:html|pdf|transcription|translation|scan))+", re.I)),
    ("print", re.compile(r"(?:[•·*-]\s*)?print(?: this)?(?: page| document)?", re.I)),
    ("back-to-top", re.compile(r"(?:back to top|top of page)", re.I)),
)


#: chrome that is recognised wherever it stands, even between body paragraphs
ANYWHERE = frozenset({"skip-to-content", "you-are-here", "download", "file-info"})


def _combined(kinds: tuple[tuple[str, re.Pattern[str]], ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{kind.replace('-', '_')}>{pattern.pattern})"
                               for kind, pattern in kinds), re.I)


_ALL_CHROME = _combined(_LINE_CHROME)
_ANYWHERE_CHROME = _combined(tuple(k for k in _LINE_CHROME if k[0] in ANYWHERE))
#: no chrome line is longer than this once stripped
MAX_CHROME_LENGTH = 240


def chrome_kind(line: str, *, anywhere: bool = False) -> str | None:
    """The kind of site chrome this line is, if it is chrome.

    With ``anywhere`` only the kinds that cannot be body text are considered (for lines in
    the middle of a body); otherwise also navigation words that are chrome only in a page's
    header or trailer (``Search in``, ``• Citation``, ``English HTML``...).
    """
    if len(line) > 4 * MAX_CHROME_LENGTH:
        return None
    text = line.strip()
    if not text or len(text) > MAX_CHROME_LENGTH:
        return None
    match = (_ANYWHERE_CHROME if anywhere else _ALL_CHROME).fullmatch(text)
    if match is None or match.lastgroup is None:
        return None
    return match.lastgroup.replace("_", "-")


_DIGITS = re.compile(r"\d+")


def normalise_for_repeat(line: str) -> str:
    """Collapse spacing and digits so page-numbered running heads compare equal."""
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


def repeated_lines(candidates: Iterable[str], pages: int) -> set[str]:
    """Normalised lines that recur at page edges on at least three pages and most pages.

    ``candidates`` are the first and last non-blank lines of each page.
    """
    return repeated_normalised((normalise_for_repeat(c) for c in candidates if c.strip()),
                               pages)


def repeated_normalised(normalised: Iterable[str], pages: int) -> set[str]:
    """:func:`repeated_lines` for candidates already normalised (blank ones left out)."""
    if pages < 3:
        return set()
    counts = Counter(normalised)
    threshold = max(3, (pages + 1) // 2)
    return {text for text, count in counts.items()
            if count >= threshold and len(text) <= 120 and text not in {"#", ""}}
