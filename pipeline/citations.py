"""Archival citations: from the printed line to repository, identifiers and locus.

Citations come in many house styles::

    RGANI, f. 52, op. 1, d. 596 , ll. 110-123
    RGANI, fond 80, opis 1, delo 940, listy 26-43
    APRF: F. 39, Op. 1, D. 39, Ll. 74-77
    AVPRF: fond 0100, opis 40, delo 7, papka 248, listy 39-44
    Archive of the President, Russian Federation (APRF), fond (f.) 45, opis (op.) 1, …
    BArch, B 136/59748, 326-334
    SAPMO-BA, DY 30, 2460
    PRC FMA 106-01479-03, 21-41

:func:`parse_citation` turns one into a :class:`Citation`: the verbatim text (always the
input, unchanged), the repository, typed identifiers (``fond``, ``opis``, ``delo``,
``papka``, ``file``, ``collection``, ``series``, ``folder``, ``box``, ``volume``,
``signature``) in the order printed, and the locus (leaves or pages). Nothing is invented:
every structured value is a substring of the input (:func:`agrees` checks it), and what
cannot be interpreted is left out of the structure and named in ``warnings``.

:func:`split_full_citation` takes apart the quoted "how to cite" form of old WCDA pages and
PDF exports (title, date, publisher, archival reference, reprint, credits, URL).
:func:`format_citation` writes a parsed citation the way a historian would.

Pure functions, linear in the input length, never raising for any string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pipeline.credits import Credits, parse_credits, split_off_credits
from pipeline.dates import ParsedDate, match_date_at

__all__ = [
    "IDNO_TYPES",
    "MAX_CITATION_CHARS",
    "Citation",
    "FullCitation",
    "Locus",
    "agrees",
    "disagreements",
    "format_citation",
    "parse_citation",
    "split_full_citation",
]

IdnoType = Literal["fond", "opis", "delo", "papka", "file", "collection", "series",
                   "folder", "box", "volume", "signature"]
#: the identifier types a citation can yield (the values of TEI ``idno/@type``)
IDNO_TYPES: tuple[str, ...] = ("fond", "opis", "delo", "papka", "file", "collection",
                               "series", "folder", "box", "volume", "signature")
#: a citation is a line or two; longer input (a misdetected field) is read up to this length
MAX_CITATION_CHARS = 20_000
LocusUnit = Literal["leaf", "page", "folio"]
CitationKind = Literal["archival", "publication", "unknown"]


@dataclass(frozen=True, slots=True)
class Locus:
    """Where in the file the document is: ``text`` verbatim ("ll. 110-123"), the first and
    last leaf or page (``from_``, ``to``), the unit when the citation names it, and the
    number part as printed (``ranges``: "110-123", "5, 7-9")."""

    text: str
    from_: str | None
    to: str | None
    unit: LocusUnit | None = None
    ranges: str = ""


@dataclass(slots=True)
class Citation:
    """A parsed citation. ``kind`` is ``archival`` when a repository, identifier or locus
    was found, ``publication`` for a published book or article, else ``unknown``.
    ``trailing`` is the text after the reference that is not part of it (a reprint note,
    credits, a URL)."""

    verbatim: str
    repository: str | None = None
    repository_name: str | None = None
    idnos: list[tuple[str, str]] = field(default_factory=list)
    locus: Locus | None = None
    warnings: list[str] = field(default_factory=list)
    kind: CitationKind = "unknown"
    trailing: str | None = None

    def idno(self, kind: str) -> str | None:
        """The first identifier of a type, or None.

        >>> parse_citation("RGANI, f. 52, op. 1, d. 596").idno("delo")
        '596'
        """
        for t, v in self.idnos:
            if t == kind:
                return v
        return None


@dataclass(slots=True)
class FullCitation:
    """The parts of a quoted "how to cite" line:
    ``“Title,” Date, Publisher, Archival reference. Reprinted in …. Translated by X. URL``.

    ``archival`` is the archival reference as printed (without its final period),
    ``citation`` its parse; ``publication`` a reprint or published-source sentence.
    """

    verbatim: str
    title: str | None = None
    date_text: str | None = None
    date: ParsedDate | None = None
    publisher: str | None = None
    archival: str | None = None
    citation: Citation | None = None
    publication: str | None = None
    credit_text: str | None = None
    credits: Credits = field(default_factory=Credits)
    url: str | None = None
    warnings: list[str] = field(default_factory=list)


# --- repositories -------------------------------------------------------------------------

#: acronyms of repositories, as printed (case-sensitive)
_ACRONYMS = (
    "RGANI", "RGASPI", "RTsKhIDNI", "TsKhSD", "TsKhDMO", "GARF", "RGAE", "RGVA", "RGAVMF",
    "RGANTD", "RGALI", "RGAKFD", "TsAMO", "TsA FSB", "AVPRF", "AVP RF", "AVP", "APRF",
    "AP RF", "SAPMO-BArch", "SAPMO-BA", "SAPMO", "BArch-MA", "BA-MA", "BArch", "PA AA",
    "PAAA", "BStU", "PRC FMA", "PRC MFA", "CFMA", "AMVnR", "AAN", "AIPN", "AMSZ", "MNL OL",
    "MOL", "ANIC", "AMAE", "AMZV", "NAČR", "SÚA", "TNA", "PRO", "NARA", "NMML", "NAI",
    "NSA", "JFKL", "LBJL", "GFL", "RRL", "DDEL", "HSTL", "CIA CREST", "UN ARMS",
    "ЦК КПСС", "РГАНИ", "РГАСПИ", "ГАРФ", "АВП РФ", "АВПРФ", "АП РФ", "АПРФ", "ЦАМО",
)
#: long repository names that contain commas or that the generic rule would miss
_LONG_NAMES = (
    "Archive of the President, Russian Federation",
    "Archive of the President of the Russian Federation",
    "Archive of Foreign Policy, Russian Federation",
    "Archive of Foreign Policy of the Russian Federation",
    "Foreign Policy Archive of the Russian Federation",
    "Russian State Archive of Contemporary History",
    "Russian State Archive of Social and Political History",
    "Russian State Archive of Socio-Political History",
    "State Archive of the Russian Federation",
    "Foundation Archives of Parties and Mass Organizations of the GDR in the Federal Archives",
    "Political Archive of the Federal Foreign Office",
    "Politisches Archiv des Auswärtigen Amts",
    "German Federal Archives",
    "Bundesarchiv",
    "Chinese Foreign Ministry Archive",
    "PRC Foreign Ministry Archive",
    "Nehru Memorial Museum and Library",
    "National Archives of Ireland",
    "Diplomatic Archives of the Ministry of Foreign Affairs of Japan",
    "National Archives and Records Administration",
    "National Security Archive",
)

_SP = r"[ \t\u00a0]"
_ACRONYM_RE = re.compile(
    r"(?P<acr>" + "|".join(re.escape(a) for a in sorted(_ACRONYMS, key=len, reverse=True))
    + r")(?![\w-])(?:" + _SP + r"{0,3}\((?P<long>[^()\n]{3,160})\))?")
_LONG_RE = re.compile(
    r"(?P<long>" + "|".join(re.escape(n) for n in sorted(_LONG_NAMES, key=len, reverse=True))
    + r")\b(?:" + _SP + r"{0,3}\((?P<acr>[^()\n]{1,24})\))?", re.IGNORECASE)
_ARCHIVE_WORD_RE = re.compile(
    r"\b(?:Archives?|Archiv(?:e|es|o|io|um)?|Arkhiv|Archiwum|Library|Museum|Bundesarchiv"
    r"|Record(?:s)? Office|Archief|Arquivo)\b|архив", re.IGNORECASE)
_GENERIC_ACRONYM_RE = re.compile(
    r"(?P<acr>[A-ZА-Я][A-Za-zА-Яа-я]{0,4}[A-ZА-Я](?:[- ][A-ZА-Я][A-Za-zА-Яа-я]{0,4})?)"
    + _SP + r"{0,2}[,:](?=" + _SP + r"{0,3}\S)")
_LABEL_RE = re.compile(
    r"(?:(?:Source|Sources|Citation|Archival[ \t]+(?:citation|signature|source|reference)"
    r"|Archive|Provenance|Signatur|Quelle|Источник)" + _SP + r"{0,3}[:.]+" + _SP + r"{0,3})+",
    re.IGNORECASE)

# --- reference units ----------------------------------------------------------------------

_UNIT_OF_KEYWORD: dict[str, str] = {}
for _type, _words in {
    "fond": "fonds fond f ф фонд",
    "opis": "opis' opis op оп опись",
    "delo": "delo d д дело",
    "papka": "papka pap п папка пап",
    "file": "file files por dosar akte",
    "collection": "collection coll rg bestand",
    "series": "series ser",
    "folder": "folder fldr",
    "box": "box bx karton ka",
    "volume": "volume vol tom t т bd band sv",
    "signature": "signature signatur sign sig sygn",
}.items():
    for _w in _words.split():
        _UNIT_OF_KEYWORD[_w] = _type

_LOCUS_UNIT_OF_KEYWORD: dict[str, LocusUnit] = {}
for _unit, _words in {
    "leaf": "ll l listy list листы лист лл л bl blatt k kk karta karty",
    "page": "pp p pg pgs pages page s стр с",
    "folio": "ff fol fols folios folio",
}.items():
    for _w in _words.split():
        _LOCUS_UNIT_OF_KEYWORD[_w] = _unit  # type: ignore[assignment]

#: single-letter keywords need a number in their value ("D. 39", not "D. Smith")
_SHORT_KEYWORDS = frozenset(k for k in [*_UNIT_OF_KEYWORD, *_LOCUS_UNIT_OF_KEYWORD]
                            if len(k) == 1)



def _bounded(text: str, warnings: list[str]) -> str:
    """``text`` cut to ``MAX_CITATION_CHARS``, with a warning when it had to be cut."""
    if len(text) <= MAX_CITATION_CHARS:
        return text
    warnings.append(f"citation longer than {MAX_CITATION_CHARS} characters: only its start "
                    "was read")
    return text[:MAX_CITATION_CHARS]

def _keyword_alternation(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", _SP + "{1,3}")
                    for w in sorted(words, key=len, reverse=True))


_PAREN_ABBR = r"(?:" + _SP + r"{0,3}\([^()\n]{1,8}\))?"
_NUMBER_WORD = r"(?:(?:No|Nr|no|nr)\.?|Nº|№|#)"
_UNIT_RE = re.compile(
    r"(?P<kw>record" + _SP + r"{1,3}group|file" + _SP + r"{1,3}no|"
    + _keyword_alternation(list(_UNIT_OF_KEYWORD)) + r")(?:\.|(?<=\w)(?!\w))"
    + _PAREN_ABBR + _SP + r"{0,3}(?:" + _NUMBER_WORD + _SP + r"{0,3})?"
    + r"(?P<val>[0-9A-Za-zА-Яа-яЁё][0-9A-Za-zА-Яа-яЁё’'/.\-]{0,40})",
    re.IGNORECASE)
_NUM = r"\d{1,6}(?:[a-zA-Z]{1,2}\b|об\b|ob\b)?"
_RANGE = _NUM + r"(?:" + _SP + r"{0,2}[-–—]" + _SP + r"{0,2}" + _NUM + r")?"
_LOCUS_RE = re.compile(
    r"(?P<kw>" + _keyword_alternation(list(_LOCUS_UNIT_OF_KEYWORD)) + r")(?:\.|(?<=\w)(?!\w))"
    + _PAREN_ABBR + _SP + r"{0,3}"
    + r"(?P<rng>" + _RANGE + r"(?:" + _SP + r"{0,2}[,;&]" + _SP + r"{0,2}" + _RANGE
    + r"(?![\w/]))*)(?![\w/-])",
    re.IGNORECASE)
_NUMBER_IN_LOCUS_RE = re.compile(_NUM)
# German-style collection codes: "B 136/59748", "DY 30", "NY 4090/123", "DY 30/IV 2/2.035/15"
_GERMAN_RE = re.compile(
    r"(?P<coll>[A-Z]{1,4}(?:" + _SP + r"[A-Z]{1,4})?" + _SP + r"?\d{1,5}[a-z]?)"
    r"(?P<rest>(?:/[0-9A-Za-z][\w.\-]{0,30}(?:" + _SP + r"\d[\w.\-]{0,20})?){0,8})(?![\w/])")
_BARE_RANGE_RE = re.compile(_NUM + _SP + r"{0,2}[-–—]" + _SP + r"{0,2}" + _NUM + r"(?![\w/-])")
_BARE_ID_RE = re.compile(r"[0-9A-Za-zА-Яа-яЁё][0-9A-Za-zА-Яа-яЁё’'.\-]{0,40}(?![\w/])")
_PATH_ID_RE = re.compile(
    r"(?:[^\W\d_][\w’'\-]{0,30}" + _SP + r"){0,6}[\w’'.\-]{1,40}(?:/[\w’'.\-]{1,40}){1,10}")
# units written after their number: Hungarian "4. doboz" (box), "12. tétel" (item), Czech
# and Slovak "karton 5" is handled by the keyword table
_POSTFIX_UNITS = {"doboz": "box", "tétel": "file", "karton": "box"}
_POSTFIX_UNIT_RE = re.compile(
    r"(?P<val>\d{1,6})\.?" + _SP + r"{1,3}(?P<kw>doboz|tétel|karton)\b", re.IGNORECASE)
_MEDIUM_RE = re.compile(
    r"\((?:microfilm|microfiche|mikrofilm|copy|photocopy|original|scan|digital copy)"
    r"[^()\n]{0,40}\)", re.IGNORECASE)
_SEPARATORS_RE = re.compile(r"[\s,;:.]+")
_URL_RE = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_PUBLICATION_START_RE = re.compile(
    r"(?:(?<=[\s,;.(])|^)(?:(?:[Rr]e)?[Pp]rinted|[Pp]ublished|[Rr]epublished|[Cc]ited|"
    r"[Qq]uoted|[Ee]xcerpted)" + _SP + r"{1,3}in\b|(?:(?<=[.;]\s)|^)See" + _SP)
_CREDIT_AFTER_SEMICOLON_RE = re.compile(r";" + _SP + r"{0,3}(?=translat(?:ed|ion)\b)",
                                        re.IGNORECASE)
# "(Beijing: Zhongyang wenxian chubanshe, 1994)", "(Beijing, 2005)"
_PUBLISHED_BOOK_RE = re.compile(r"\([^()\n]{1,80}[:,][^()\n]{0,120}\b\d{4}\)")
_WORDY_RE = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END_RE = re.compile(r"(?<=[^\W\d_]{2})\.(?=\s+[A-ZА-Я])|[,;]")


def _reference_end(text: str, start: int) -> int:
    """Where the archival reference ends: the start of credits, a reprint note or a URL."""
    ends = [len(text)]
    url = _URL_RE.search(text, start)
    if url:
        ends.append(url.start())
    before, credit = split_off_credits(text[start:])
    if credit is not None:
        ends.append(start + len(before))
    pub = _PUBLICATION_START_RE.search(text, start)
    if pub:
        ends.append(pub.start())
    semi = _CREDIT_AFTER_SEMICOLON_RE.search(text, start)
    if semi:
        ends.append(semi.start())
    return min(ends)


def _match_repository(text: str, pos: int, end: int, c: Citation) -> int:
    """Recognise the repository at ``pos``; fill ``c`` and return the position after it."""
    m = _LONG_RE.match(text, pos, end)
    if m:
        if m.group("acr"):
            c.repository_name = m.group("long")
            c.repository = m.group("acr").strip()
        else:
            c.repository = m.group("long")
        return m.end()
    m = _ACRONYM_RE.match(text, pos, end)
    if m:
        c.repository = m.group("acr")
        if m.group("long"):
            c.repository_name = m.group("long").strip()
        return m.end()
    # a name with an archive word, up to the first comma, colon or parenthesis
    stop = pos
    limit = min(end, pos + 200)
    while stop < limit and text[stop] not in ",:;(\n":
        stop += 1
    segment = text[pos:stop].rstrip(" \t\u00a0.")
    if segment and _ARCHIVE_WORD_RE.search(segment) and not _UNIT_RE.match(segment):
        c.repository = segment
        after = pos + len(segment)
        paren = re.compile(_SP + r"{0,3}\((?P<acr>[^()\n]{1,24})\)").match(text, after, end)
        if paren:
            c.repository_name = segment
            c.repository = paren.group("acr").strip()
            return paren.end()
        return after
    m = _GENERIC_ACRONYM_RE.match(text, pos, end)
    if m and not _UNIT_RE.match(text, pos, end) and not _GERMAN_RE.match(text, pos, end):
        c.repository = m.group("acr")
        return m.end("acr")
    return pos


def _numbers(ranges: str) -> list[str]:
    return _NUMBER_IN_LOCUS_RE.findall(ranges)


def _make_locus(text: str, m: re.Match[str], unit: LocusUnit | None) -> Locus:
    ranges = m.group("rng") if "rng" in m.re.groupindex else m.group(0)
    numbers = _numbers(ranges)
    return Locus(text=text[m.start():m.end()], from_=numbers[0] if numbers else None,
                 to=numbers[-1] if numbers else None, unit=unit, ranges=ranges)


def _has_digit(value: str) -> bool:
    return any(ch.isdigit() for ch in value)


def parse_citation(text: str) -> Citation:
    """Parse an archival citation.

    >>> c = parse_citation("RGANI, f. 52, op. 1, d. 596 , ll. 110-123")
    >>> c.repository, c.idnos, c.locus.text, c.locus.from_, c.locus.to
    ('RGANI', [('fond', '52'), ('opis', '1'), ('delo', '596')], 'll. 110-123', '110', '123')
    >>> c = parse_citation("Archive of the President, Russian Federation (APRF), fond (f.) 45, "
    ...                    "opis (op.) 1, delo (d.) 329, listy (ll.) 9-17.")
    >>> c.repository, c.repository_name
    ('APRF', 'Archive of the President, Russian Federation')
    >>> c.idnos
    [('fond', '45'), ('opis', '1'), ('delo', '329')]
    >>> c = parse_citation("BArch, B 136/59748, 326-334")
    >>> c.idnos, c.locus.text
    ([('collection', 'B 136'), ('file', '59748')], '326-334')
    >>> parse_citation("no citation here").warnings
    ['no repository or archival reference recognised', 'could not interpret "no citation here"']
    """
    if not isinstance(text, str):
        return Citation(verbatim="", warnings=["citation is not text"])
    c = Citation(verbatim=text)
    text = _bounded(text, c.warnings)
    pos = 0
    m = _SEPARATORS_RE.match(text, pos)
    if m:
        pos = m.end()
    m = _LABEL_RE.match(text, pos)
    if m:
        pos = m.end()
    end = _reference_end(text, pos)
    trailing = text[end:].strip(" \t\r\n\u00a0;,")
    c.trailing = trailing or None

    region = text[pos:end]
    if not region.strip(" \t\r\n\u00a0.,;:") and _PUBLICATION_START_RE.match(text, pos):
        # "See Pei Jianzhang et al., …", "Published in …": a published source only
        c.kind = "publication"
        return c
    if _PUBLISHED_BOOK_RE.search(region) and not _ACRONYM_RE.match(text, pos, end) \
            and not _LONG_RE.match(text, pos, end):
        c.kind = "publication"
        return c

    pos = _match_repository(text, pos, end, c)
    have_fond = False
    file_level = False
    while pos < end:
        m = _SEPARATORS_RE.match(text, pos, end)
        if m:
            pos = m.end()
            if pos >= end:
                break
        context = c.repository is not None or bool(c.idnos) or c.locus is not None

        m = _LOCUS_RE.match(text, pos, end)
        if m:
            kw = m.group("kw").casefold().replace(" ", "")
            unit = _LOCUS_UNIT_OF_KEYWORD.get(kw)
            numbers = _numbers(m.group("rng"))
            # "p." between opis and delo is a papka in Russian archives
            if (kw in ("p", "п") and have_fond and not file_level and c.locus is None
                    and len(numbers) == 1 and m.group("rng").strip().isdigit()):
                c.idnos.append(("papka", m.group("rng").strip()))
                pos = m.end()
                continue
            if c.locus is None:
                c.locus = _make_locus(text, m, unit)
            else:
                c.warnings.append(f'second locus "{m.group(0)}" not used')
            pos = m.end()
            continue

        m = _UNIT_RE.match(text, pos, end)
        if m:
            kw = re.sub(r"\s+", " ", m.group("kw").casefold())
            kind = "file" if kw == "file no" else (
                "collection" if kw == "record group" else _UNIT_OF_KEYWORD.get(kw))
            value = m.group("val").rstrip(".")
            if kind and value and (kw not in _SHORT_KEYWORDS or _has_digit(value)):
                if kind == "fond" and have_fond and kw == "f":
                    numbers = _numbers(value)
                    if c.locus is None and numbers:
                        c.locus = Locus(text=text[m.start():m.end()].rstrip("."),
                                        from_=numbers[0], to=numbers[-1], unit="folio",
                                        ranges=value)
                        pos = m.end()
                        continue
                c.idnos.append((kind, value))
                have_fond = have_fond or kind == "fond"
                file_level = file_level or kind in ("delo", "file", "signature")
                pos = m.start("val") + len(value)
                continue

        if context:
            m = _GERMAN_RE.match(text, pos, end)
            if m and not _BARE_RANGE_RE.match(text, pos, end):
                rest = m.group("rest")
                if not rest:
                    c.idnos.append(("collection", m.group("coll")))
                elif re.fullmatch(r"/\d{1,9}", rest):
                    c.idnos.append(("collection", m.group("coll")))
                    c.idnos.append(("file", rest[1:]))
                    file_level = True
                else:
                    c.idnos.append(("signature", m.group(0)))
                    file_level = True
                pos = m.end()
                continue

        m = _MEDIUM_RE.match(text, pos, end)
        if m:
            pos = m.end()
            continue

        if context:
            m = _BARE_RANGE_RE.match(text, pos, end)
            if m and c.locus is None:
                c.locus = _make_locus(text, m, None)
                pos = m.end()
                continue
            m = _PATH_ID_RE.match(text, pos, end)
            if m and _has_digit(m.group(0)):
                c.idnos.append(("signature", m.group(0).rstrip(".")))
                file_level = True
                pos = m.start() + len(m.group(0).rstrip("."))
                continue
            m = _POSTFIX_UNIT_RE.match(text, pos, end)
            if m:
                c.idnos.append((_POSTFIX_UNITS[m.group("kw").casefold()], m.group("val")))
                pos = m.end()
                continue
            m = _BARE_ID_RE.match(text, pos, end)
            if m and _has_digit(m.group(0)):
                value = m.group(0).rstrip(".")
                if not file_level:
                    # a number ("2460", "106-01479-03") is a file; a code with letters
                    # ("XIX-J-1-j") is a reference code of unknown level
                    has_letters = any(ch.isalpha() for ch in value)
                    c.idnos.append(("signature" if has_letters else "file", value))
                    file_level = True
                    pos = m.start() + len(value)
                    continue
                if c.locus is None and value.isdigit():
                    c.locus = Locus(text=value, from_=value, to=value, unit=None,
                                    ranges=value)
                    pos = m.start() + len(value)
                    continue

        if not context:
            # no repository and no reference unit first: not an archival reference
            part = text[pos:end].strip(" \t\u00a0.,;:")
            if part:
                c.warnings.append(f'could not interpret "{part[:80]}"')
            break
        # not understood: skip to the next comma/semicolon or sentence end and say so
        stop_m = _SENTENCE_END_RE.search(text, pos, end)
        stop = stop_m.start() if stop_m else end
        if stop == pos:
            stop = pos + 1
        part = text[pos:stop].strip(" \t\u00a0.")
        if part and (_WORDY_RE.search(part) or _has_digit(part)):
            c.warnings.append(f'could not interpret "{part[:80]}"')
        pos = stop

    if c.repository or c.idnos or c.locus:
        c.kind = "archival"
    else:
        c.warnings.insert(0, "no repository or archival reference recognised")
    return c


# --- the quoted "how to cite" form ----------------------------------------------------------

_OPEN_QUOTES = "“\"«„'‘"
_CLOSE_QUOTES = "”\"»“'’"
_PUBLISHER_RE = re.compile(
    r"(?P<pub>[^,\n]{0,120}?(?:Digital Archive|Virtual Archive|Wilson Center"
    r"|Public Policy Program)[^,\n]{0,60}?)"
    + _SP + r"{0,2}(?=,|\.(?:\s|$)|$)")


def _find_title(text: str, pos: int) -> tuple[int, int, int] | None:
    """(title start, title end, position after the closing quote) for a quoted title at
    ``pos``: the closing quote is the first one followed by a date; failing that, the first
    one preceded by a comma."""
    if pos >= len(text) or text[pos] not in _OPEN_QUOTES:
        return None
    start = pos + 1
    first_comma_close = None
    i = start
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in _CLOSE_QUOTES and i > start:
            j = i + 1
            while j < n and j < i + 6 and text[j] in " ,\t\u00a0\n":
                j += 1
            if match_date_at(text, j) is not None:
                return start, i, i + 1
            if first_comma_close is None and text[i - 1] == ",":
                first_comma_close = i
        i += 1
    if first_comma_close is not None:
        return start, first_comma_close, first_comma_close + 1
    return None


def _trim_sentence(text: str) -> str:
    """Strip spaces and the sentence's final period (not an abbreviation's)."""
    text = text.strip(" \t\r\n\u00a0,;")
    if text.endswith(".") and len(text) >= 2 and (text[-2].isdigit() or text[-2] in ")]”\""
                                                  or _WORDY_RE.search(text[-3:-1] or "")):
        text = text[:-1].rstrip()
    return text


def split_full_citation(text: str) -> FullCitation:
    """Take apart a quoted "how to cite" line.

    >>> f = split_full_citation('“Record of Soviet-Japanese Talks, 9 October 1973,” October 09, '
    ...     '1973, History and Public Policy Program Digital Archive, RGANI, fond 80, opis 1, '
    ...     'delo 940, listy 26-43. Translated by Danny Rozas. '
    ...     'http://digitalarchive.wilsoncenter.org/document/111240')
    >>> f.title, f.date.iso
    ('Record of Soviet-Japanese Talks, 9 October 1973', '1973-10-09')
    >>> f.publisher
    'History and Public Policy Program Digital Archive'
    >>> f.archival, f.citation.idnos[0], f.credits.translators
    ('RGANI, fond 80, opis 1, delo 940, listy 26-43', ('fond', '80'), ['Danny Rozas'])
    >>> f.url
    'http://digitalarchive.wilsoncenter.org/document/111240'
    """
    if not isinstance(text, str):
        return FullCitation(verbatim="", warnings=["citation is not text"])
    f = FullCitation(verbatim=text)
    text = _bounded(text, f.warnings)
    pos = 0
    n = len(text)
    while pos < n and text[pos] in " \t\r\n\u00a0":
        pos += 1
    m = _LABEL_RE.match(text, pos)
    if m:
        pos = m.end()

    title = _find_title(text, pos)
    if title is None:
        f.warnings.append("no quoted title")
    else:
        t_start, t_end, pos = title
        f.title = text[t_start:t_end].strip().rstrip(",").strip() or None
        while pos < n and pos < t_end + 8 and text[pos] in " ,\t\u00a0\n":
            pos += 1
        date = match_date_at(text, pos)
        if date is not None:
            f.date_text = date.text
            f.date = ParsedDate(iso=date.iso, precision=date.precision, text=date.text)
            pos = date.end
        else:
            f.warnings.append("no date after the title")

    sep = _SEPARATORS_RE.match(text, pos)
    if sep and "." not in sep.group(0).strip():
        pos = sep.end()
    pub = _PUBLISHER_RE.match(text, pos)
    if pub:
        f.publisher = pub.group("pub").strip()
        pos = pub.end()
        sep = re.compile(r"[\s,]+").match(text, pos)
        if sep:
            pos = sep.end()

    end = n
    urls = list(_URL_RE.finditer(text, pos))
    if urls:
        last = urls[-1]
        f.url = last.group(0).rstrip(".,;)]")
        end = last.start()
    body = text[pos:end]
    before, credit = split_off_credits(body)
    credit_start = len(before) if credit else None
    semi = _CREDIT_AFTER_SEMICOLON_RE.search(body)
    if semi and (credit_start is None or semi.end() < credit_start):
        # "…, ll. 81-85; translation from Russian by David Wolff."
        credit_start = semi.end()
        before = body[:semi.start()]
    if credit_start is not None:
        f.credit_text = _trim_sentence(body[credit_start:]) or None
        f.credits = parse_credits(body[credit_start:])
    publication = _PUBLICATION_START_RE.search(before)
    if publication:
        f.publication = _trim_sentence(before[publication.start():]) or None
        before = before[:publication.start()]
    archival = _trim_sentence(before)
    if archival:
        f.archival = archival
        f.citation = parse_citation(archival)
    else:
        f.warnings.append("no archival reference")
    return f


# --- writing and checking -------------------------------------------------------------------

_ABBREVIATION = {
    "fond": "f.", "opis": "op.", "delo": "d.", "papka": "pap.", "file": "file",
    "collection": "", "series": "ser.", "folder": "folder", "box": "box", "volume": "vol.",
    "signature": "",
}
_LOCUS_ABBREVIATION: dict[LocusUnit | None, tuple[str, str]] = {
    "leaf": ("l.", "ll."), "page": ("p.", "pp."), "folio": ("f.", "ff."), None: ("", ""),
}
_DASH_RE = re.compile(_SP + r"{0,2}[-–—]" + _SP + r"{0,2}")


_LABEL_BEFORE_VALUE_RE = re.compile(
    r"(?:(?P<por>por)|(?P<file>files?|dosar|akte)|(?P<rg>RG|record" + _SP + r"{1,3}group)"
    r"|(?P<coll>collection|coll)|(?P<sygn>sygn)|(?P<sig>signatur|signature|sign|sig))"
    r"\b\.?[^,;\w]{0,4}(?:" + _NUMBER_WORD + r")?[^,;\w]{0,4}$",
    re.IGNORECASE)


def _printed_label(verbatim: str, kind: str, value: str) -> str:
    """The label for a ``file``, ``collection`` or ``signature`` identifier, following the
    source: "file", "por.", "RG", "coll.", "sygn.", "sig.", or nothing for a bare number
    ("PRC FMA 106-01479-03"), a collection code ("DY 30") or a reference code."""
    at = verbatim.find(value)
    m = _LABEL_BEFORE_VALUE_RE.search(verbatim, max(0, at - 24), at) if at >= 0 else None
    if m is None:
        return "file" if kind == "file" and at < 0 else ""
    if m.group("por"):
        return "por."
    if m.group("rg"):
        return "RG"
    if m.group("coll"):
        return "coll."
    if m.group("sygn"):
        return "sygn."
    if m.group("sig"):
        return "sig."
    return "file"


def format_citation(c: Citation) -> str:
    """The citation as a historian writes it: standard abbreviations, en dashes in ranges.

    >>> format_citation(parse_citation("RGANI, f. 52, op. 1, d. 596 , ll. 110-123"))
    'RGANI, f. 52, op. 1, d. 596, ll. 110–123'
    >>> format_citation(parse_citation("AVPRF: fond 0100, opis 40, delo 7, papka 248, listy 39-44"))
    'AVPRF, f. 0100, op. 40, d. 7, pap. 248, ll. 39–44'
    """
    parts: list[str] = []
    if c.repository:
        parts.append(c.repository)
    i = 0
    while i < len(c.idnos):
        kind, value = c.idnos[i]
        nxt = c.idnos[i + 1] if i + 1 < len(c.idnos) else None
        if kind == "collection" and nxt and nxt[0] == "file" and _GERMAN_RE.fullmatch(value):
            parts.append(f"{value}/{nxt[1]}")
            i += 2
            continue
        abbr = _ABBREVIATION.get(kind, kind)
        if kind in ("file", "collection", "signature"):
            abbr = _printed_label(c.verbatim, kind, value)
        parts.append(f"{abbr} {value}" if abbr else value)
        i += 1
    if c.locus is not None:
        ranges = c.locus.ranges or c.locus.text
        ranges = _DASH_RE.sub("–", ranges.strip())
        single, plural = _LOCUS_ABBREVIATION.get(c.locus.unit, ("", ""))
        several = c.locus.from_ != c.locus.to or "," in ranges
        abbr = plural if several else single
        parts.append(f"{abbr} {ranges}" if abbr else ranges)
    return ", ".join(parts)


def disagreements(c: Citation) -> list[str]:
    """Structured parts that do not occur in the verbatim text (empty when all agree)."""
    problems: list[str] = []
    for label, value in ([("repository", c.repository), ("repository name", c.repository_name)]
                         + [(kind, v) for kind, v in c.idnos]):
        if value is not None and value not in c.verbatim:
            problems.append(f'{label} "{value}" does not occur in the citation')
    if c.locus is not None:
        if c.locus.text not in c.verbatim:
            problems.append(f'locus "{c.locus.text}" does not occur in the citation')
        for label, value in (("from", c.locus.from_), ("to", c.locus.to)):
            if value is not None and value not in c.locus.text:
                problems.append(f'locus {label} "{value}" does not occur in the locus text')
    for kind, _ in c.idnos:
        if kind not in IDNO_TYPES:
            problems.append(f'identifier type "{kind}" is not one of {", ".join(IDNO_TYPES)}')
    return problems


def agrees(c: Citation) -> bool:
    """True when every structured part occurs in the verbatim text.

    >>> agrees(parse_citation("SAPMO-BA, DY 30, 2460"))
    True
    """
    return not disagreements(c)
