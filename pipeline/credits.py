"""Credit lines: who contributed, translated, edited a document, and who funded it.

:func:`parse_credits` reads lines such as "Contributed by Sergey Radchenko and translated by
Allison Smith.", "Obtained and translated by Sergey Radchenko", "Translated for CWIHP by
David Wolff", "Contributed, transcribed, and translated by Stephan Kieninger." or "This
document was made possible with support from Blavatnik Family Foundation" into lists of
names per role (:class:`Credits`).

:func:`split_off_credits` cuts a line where its credits begin, for fields that hold an
archival citation followed by the credit line ("RGANI, f. 52, op. 1, d. 596 , ll. 110-123
Contributed by Sergey Radchenko and translated by Allison Smith.").

Pure functions, linear in the input, never raising for any string. Names are never made
up: every name returned is a substring of the input.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

#: a credit line is a sentence or two; longer input is read up to this length
MAX_CREDIT_CHARS = 20_000

__all__ = ["MAX_CREDIT_CHARS", "Credits", "parse_credits", "split_names", "split_off_credits"]


@dataclass(slots=True)
class Credits:
    """Names per role, in the order the line gives them, without duplicates.

    ``other`` holds ``(role, name)`` pairs for roles outside the three TEI ``respStmt``
    kinds ("Transcribed by", "Provided by"...). ``funders`` holds the organisations of a
    "made possible with support from …" line. ``warnings`` lists sentences that were not
    understood as credits.

    >>> c = parse_credits("Obtained and translated by Sergey Radchenko")
    >>> c.contributors, c.translators, c.editors, c.other, c.warnings
    (['Sergey Radchenko'], ['Sergey Radchenko'], [], [], [])
    """

    contributors: list[str] = field(default_factory=list)
    translators: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    other: list[tuple[str, str]] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        """True when no role and no funder was found."""
        return not (self.contributors or self.translators or self.editors or self.other
                    or self.funders)


# Role verbs, by the list they feed. "obtained"/"provided"/"donated" name the person who
# brought the document to the archive: a contributor in the WCDA's sense.
_ROLE_OF_VERB = {
    "contributed": "contributors",
    "obtained": "contributors",
    "donated": "contributors",
    "translated": "translators",
    "translation": "translators",
    "retranslated": "translators",
    "edited": "editors",
    "annotated": "Annotated by",
    "transcribed": "Transcribed by",
    "provided": "Provided by",
    "compiled": "Compiled by",
    "prepared": "Prepared by",
    "introduced": "Introduced by",
    "selected": "Selected by",
}
_VERB = r"(?:" + "|".join(sorted(_ROLE_OF_VERB, key=len, reverse=True)) + r")"
_QUAL = (r"(?:original|new|english|additional|partial|revised)[ \t]{1,3}")

# A role phrase: one or more verbs joined by commas/"and", optional qualifiers
# ("for CWIHP", "from Russian", "to the National Security Archive/…"), then "by".
_ROLE_PHRASE_RE = re.compile(
    r"\b(?P<verbs>(?:" + _QUAL + r")?" + _VERB + r"(?:[ \t]*,[ \t]{0,3}(?:and[ \t]{1,3})?"
    + _VERB + r"|[ \t]{1,3}and[ \t]{1,3}" + _VERB + r"){0,6})"
    + r"(?P<qual>[ \t]{1,3}(?:for|from|into|to|in)[ \t][^.;:\n]{0,120}?)?"
    + r"[ \t]{1,3}(?:\[by\]|by):?[ \t]{1,3}",
    re.IGNORECASE)
# Label style: "Translator: X", "Translated:Rozhetskin A.M.", "Recorded:Tugarinov I. I."
_ROLE_OF_LABEL = {
    "translator": "translators", "translators": "translators", "translation": "translators",
    "translated": "translators", "contributor": "contributors", "contributors": "contributors",
    "contributed": "contributors", "editor": "editors", "editors": "editors",
    "edited": "editors", "transcription": "Transcribed by", "transcribed": "Transcribed by",
    "transcriber": "Transcribed by", "recorded": "Recorded by", "recorder": "Recorded by",
}
_ROLE_LABEL_RE = re.compile(
    r"(?<![\w-])(?P<label>" + "|".join(sorted(_ROLE_OF_LABEL, key=len, reverse=True))
    + r")[ \t]{0,2}:[ \t]{0,3}(?=[^\W\d_])",
    re.IGNORECASE)
_VERB_RE = re.compile(_VERB, re.IGNORECASE)
_FUNDER_RE = re.compile(
    r"\b(?:(?:this[ \t]{1,3}(?:document|collection|translation)[ \t]{1,3}(?:was|has been)"
    r"[ \t]{1,3})?made[ \t]{1,3}possible[ \t]{1,3}(?:with|through|by)[ \t]{1,3}(?:the[ \t]{1,3})?"
    r"(?:generous[ \t]{1,3})?(?:support|funding|a[ \t]{1,3}grant)[ \t]{1,3}from"
    r"|(?:funded|supported|sponsored)[ \t]{1,3}by)[ \t]{1,3}",
    re.IGNORECASE)
# Where credits start inside a longer field: a capitalised role verb at a word start.
_CREDIT_START_RE = re.compile(
    r"(?<![\w-])(?:(?:Original|New|English)[ \t]{1,3}translation"
    r"|(?:Contributed|Obtained|Donated|Translated|Retranslated|Edited|Transcribed|Provided"
    r"|Annotated|Compiled)\b(?=[^.;\n]{0,160}?\b(?:by|\[by\])\b)"
    r"|This[ \t]{1,3}document[ \t]{1,3}was[ \t]{1,3}made[ \t]{1,3}possible)")
_URL_RE = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# no leading or trailing space runs in the pattern: they would make splitting quadratic on
# long runs of spaces; the pieces are stripped instead
_NAME_SPLIT_RE = re.compile(r",[ \t]*and[ \t]|,|;|[ \t]and[ \t]|[ \t]&[ \t]")
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."})
_WORD_RE = re.compile(r"[^\W\d_]+")
_ABBREVIATIONS = frozenset({"jr", "sr", "dr", "st", "mr", "mrs", "ms", "prof", "hon", "rev"})



def _sentence_end(text: str, start: int, stop: int) -> int:
    """End of the sentence that starts at ``start``: the first period followed by a space
    (or the end) whose word is longer than one letter, so initials ("N.S.", "A. M.") do not
    end it. Returns ``stop`` when there is none."""
    pos = start
    while True:
        dot = text.find(".", pos, stop)
        if dot < 0:
            return stop
        after = dot + 1
        if after >= stop or text[after] in " \t\n\r\u00a0":
            # the letter run just before the period: an initial or a title does not end
            i = dot - 1
            while i >= start and dot - i <= 4 and text[i].isalpha():
                i -= 1
            word = text[i + 1:dot]
            if len(word) != 1 and word.casefold() not in _ABBREVIATIONS:
                return dot
        pos = after


def split_names(text: str) -> list[str]:
    """Split a name list on commas, semicolons, "and" and "&"; "Jr." stays with its name.

    >>> split_names("Sergey Radchenko, Gary Goldberg and Danny Rozas")
    ['Sergey Radchenko', 'Gary Goldberg', 'Danny Rozas']
    >>> split_names("N.S. Khrushchev")
    ['N.S. Khrushchev']
    """
    names: list[str] = []
    for piece in _NAME_SPLIT_RE.split(text):
        piece = _trim_name(piece)
        if piece.startswith("the "):
            piece = piece[4:]
        if not piece or not _WORD_RE.search(piece) or piece.casefold() == "and":
            continue
        if names and piece.casefold().rstrip(".") in _SUFFIXES:
            names[-1] = f"{names[-1]}, {piece}"
            continue
        names.append(piece)
    return names


def _strip_space_and(text: str, chars: str) -> str:
    """Strip white space (any kind) and ``chars`` from both ends."""
    while True:
        trimmed = text.strip().strip(chars)
        if trimmed == text:
            return text
        text = trimmed


def _trim_name(piece: str) -> str:
    """Strip spaces and punctuation around a name; a final period stays after an initial
    ("Ostermann, C.") or an abbreviation ("Jr.")."""
    piece = _strip_space_and(piece, ",;:")
    while piece.endswith("."):
        i = len(piece) - 1
        while i > 0 and piece[i - 1].isalpha():
            i -= 1
        word = piece[i:-1]
        if len(word) == 1 or word.casefold() in _SUFFIXES or word.casefold() in _ABBREVIATIONS:
            break
        piece = _strip_space_and(piece[:-1], ",;:")
    return piece


def _strip_trailing_joins(raw: str) -> str:
    """Strip list joiners left at the end of a name run ("Sergey Radchenko and")."""
    raw = _strip_space_and(raw, ",;:&")
    while raw.casefold().endswith("and") and (len(raw) == 3 or not raw[-4].isalnum()):
        raw = _strip_space_and(raw[:-3], ",;:&")
    return raw


def _name_text(raw: str) -> str:
    """The names part of a credit, trimmed of a trailing period (kept after an initial)."""
    raw = _strip_trailing_joins(raw)
    if raw.endswith(".") and len(raw) >= 2 and not (
            raw[-2].isupper() and (len(raw) == 2 or not raw[-3].isalpha())):
        raw = raw[:-1]
    return _strip_space_and(raw, ",")


def _add(target: list[str], names: list[str]) -> None:
    seen = set(target)
    for name in names:
        if name not in seen:
            seen.add(name)
            target.append(name)


def parse_credits(text: str) -> Credits:
    """Names per role from a credit line.

    >>> c = parse_credits("Contributed by Sergey Radchenko and translated by Allison Smith.")
    >>> (c.contributors, c.translators)
    (['Sergey Radchenko'], ['Allison Smith'])
    >>> parse_credits("Translated for CWIHP by David Wolff").translators
    ['David Wolff']
    >>> c = parse_credits("Contributed, transcribed, and translated by Stephan Kieninger.")
    >>> (c.contributors, c.translators, c.other)
    (['Stephan Kieninger'], ['Stephan Kieninger'], [('Transcribed by', 'Stephan Kieninger')])
    >>> parse_credits("This document was made possible with support from "
    ...               "Blavatnik Family Foundation").funders
    ['Blavatnik Family Foundation']
    """
    if not isinstance(text, str) or not text.strip():
        return Credits()
    parsed = _parse_credits(text)   # a copy is handed out: the caller may change its lists
    return Credits(list(parsed.contributors), list(parsed.translators), list(parsed.editors),
                   list(parsed.other), list(parsed.funders), list(parsed.warnings))


# the reader and the header ask about the same credit line in turn: the last one is kept
@functools.lru_cache(maxsize=1)
def _parse_credits(text: str) -> Credits:
    credits = Credits()
    if len(text) > MAX_CREDIT_CHARS:
        credits.warnings.append(f"credit line longer than {MAX_CREDIT_CHARS} characters: "
                                "only its start was read")
        text = text[:MAX_CREDIT_CHARS]
    url = _URL_RE.search(text)
    stop = url.start() if url else len(text)

    # (start, end of the role words, roles or None for a funder, the role words)
    events: list[tuple[int, int, list[str] | None, str]] = []
    for m in _ROLE_PHRASE_RE.finditer(text, 0, stop):
        roles = [_ROLE_OF_VERB[v.casefold()] for v in _VERB_RE.findall(m.group("verbs"))]
        events.append((m.start(), m.end(), roles, m.group(0)))
    for m in _ROLE_LABEL_RE.finditer(text, 0, stop):
        events.append((m.start(), m.end(), [_ROLE_OF_LABEL[m.group("label").casefold()]],
                       m.group(0)))
    for m in _FUNDER_RE.finditer(text, 0, stop):
        events.append((m.start(), m.end(), None, m.group(0)))
    events.sort(key=lambda e: e[0])
    covered_until = 0
    uncovered: list[tuple[int, int]] = []
    for index, (start, end, roles, words) in enumerate(events):
        if start < covered_until:
            continue
        if start > covered_until:
            uncovered.append((covered_until, start))
        next_start = events[index + 1][0] if index + 1 < len(events) else stop
        names_end = _sentence_end(text, end, next_start)
        raw = text[end:names_end]
        covered_until = names_end
        if roles is None:
            name = _name_text(raw)
            if name.casefold().startswith("the "):
                name = name[4:].strip()
            if name:
                _add(credits.funders, [name])
            continue
        names = split_names(_name_text(raw))
        if not names:
            credits.warnings.append(f'no name after "{words.strip()}"')
            continue
        for role in roles:
            if role in ("contributors", "translators", "editors"):
                _add(getattr(credits, role), names)
            else:
                seen = set(credits.other)
                for name in names:
                    if (role, name) not in seen:
                        seen.add((role, name))
                        credits.other.append((role, name))
    if covered_until < stop:
        uncovered.append((covered_until, stop))
    for a, b in uncovered:
        rest = text[a:b].strip(" \t\r\n\u00a0.,;:")
        if rest and _WORD_RE.search(rest) and rest.casefold() not in ("and", "and the"):
            credits.warnings.append(f'not a credit: "{rest[:80]}"')
    return credits


def split_off_credits(text: str) -> tuple[str, str | None]:
    """Split a field into what comes before its credit line and the credit line itself.

    >>> before, credit = split_off_credits("RGANI, f. 52, op. 1, d. 596 , ll. 110-123 "
    ...     "Contributed by Sergey Radchenko and translated by Allison Smith.")
    >>> before
    'RGANI, f. 52, op. 1, d. 596 , ll. 110-123'
    >>> credit
    'Contributed by Sergey Radchenko and translated by Allison Smith.'
    >>> split_off_credits("BArch, B 136/59748, 326-334.")
    ('BArch, B 136/59748, 326-334.', None)
    """
    if not isinstance(text, str):
        return "", None
    m = _CREDIT_START_RE.search(text)
    if m is None:
        return text, None
    before = text[:m.start()].rstrip(" \t\r\n\u00a0")
    return before, text[m.start():].strip(" \t\r\n\u00a0") or None
