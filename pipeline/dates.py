"""Dates as archival documents print them, turned into ISO values for TEI ``@when``.

Three entry points:

- :func:`parse_date` reads a whole field ("August 29, 1960", "November 1967", "30.XII.1949",
  "29 августа 1960 г.", "16. Mai 1852", "1967-11-00") and returns a :class:`ParsedDate` with
  the ISO value and its precision, or ``None`` when the text is not a date or names an
  impossible day (February 30).
- :func:`find_dates` finds the dates inside running text (a title, a body paragraph).
- :func:`compare` says, in one message, when a title date and a body date disagree. A
  month-precision date agrees with every day of that month.

Everything here is pure, linear in the length of the input (every regular expression has
bounded repetition between fixed tokens), and never raises for any string.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FoundDate",
    "ParsedDate",
    "Precision",
    "compare",
    "dates_agree",
    "find_dates",
    "parse_date",
]

Precision = Literal["day", "month", "year"]

#: earliest and latest years accepted as a document date
MIN_YEAR = 1000
MAX_YEAR = 2999


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as printed (``text``) and its ISO form (``iso``) at ``precision``. A range of
    days in one month ("9-10 October 1973", "20./21. November 1997") has ``iso`` = its first
    day and ``iso_to`` = its last; ``iso_to`` is ``None`` for a single date.

    >>> parse_date("August 1961")
    ParsedDate(iso='1961-08', precision='month', text='August 1961', iso_to=None)
    >>> parse_date("9-10 October 1973").iso_to
    '1973-10-10'
    """

    iso: str
    precision: Precision
    text: str
    iso_to: str | None = None


@dataclass(frozen=True, slots=True)
class FoundDate(ParsedDate):
    """A date found in running text: a :class:`ParsedDate` plus its character offsets
    (``text == haystack[start:end]``)."""

    start: int = 0
    end: int = 0


# --- month names --------------------------------------------------------------------------

_MONTH_WORDS: dict[str, int] = {}


def _add_months(names: list[str], *, extra: dict[str, int] | None = None) -> None:
    for number, name in enumerate(names, start=1):
        for variant in name.split("|"):
            _MONTH_WORDS[variant.casefold()] = number
    if extra:
        for word, number in extra.items():
            _MONTH_WORDS[word.casefold()] = number


# English, full and abbreviated ("Sept" as well as "Sep")
_add_months(["January|Jan", "February|Feb", "March|Mar", "April|Apr", "May",
             "June|Jun", "July|Jul", "August|Aug", "September|Sep|Sept", "October|Oct",
             "November|Nov", "December|Dec"])
# German (Austrian "Jänner", "Maerz" without umlaut)
_add_months(["Januar|Jänner", "Februar|Feber", "März|Maerz|Mrz", "April", "Mai", "Juni",
             "Juli", "August", "September", "Oktober|Okt", "November", "Dezember|Dez"])
# French
_add_months(["janvier|janv", "février|fevrier|févr", "mars", "avril", "mai", "juin",
             "juillet|juil", "août|aout", "septembre", "octobre", "novembre",
             "décembre|decembre"])
# Russian: genitive (as in "29 августа 1960 г."), nominative, prepositional and short forms
_add_months(["января|январь|январе|янв", "февраля|февраль|феврале|фев|февр",
             "марта|март|марте|мар", "апреля|апрель|апреле|апр", "мая|май|мае",
             "июня|июнь|июне|июн", "июля|июль|июле|июл", "августа|август|августе|авг",
             "сентября|сентябрь|сентябре|сен|сент", "октября|октябрь|октябре|окт",
             "ноября|ноябрь|ноябре|ноя|нояб", "декабря|декабрь|декабре|дек"])

#: month words that are normally written lowercase (French, Russian)
_LOWERCASE_MONTHS = frozenset(
    w for w in _MONTH_WORDS if not w.isascii() or w in {
        "janvier", "janv", "fevrier", "mars", "avril", "mai", "juin", "juillet", "juil", "aout",
        "septembre", "octobre", "novembre", "decembre"})

_ROMAN_MONTHS = {
    "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6,
    "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12,
}

# A month is any short word here; _month_number looks it up (a long alternation of every
# month name would be tried, branch by branch, at every candidate position).
_MONTH = r"[^\W\d_]{3,10}\b\.?"

_WEEKDAY = (r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
            r"Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag|"
            r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье)")

# a short run of spaces between date tokens; a line break counts (hard-wrapped PDF text)
_SP = r"[ \t\u00a0\r\n]{1,3}"
_OSP = r"[ \t\u00a0\r\n]{0,3}"
_ORD = r"(?:st|nd|rd|th|er|e|-?го|-е)?"   # 1st, 1er, 1-го ...
_RU_YEAR = r"(?:" + _OSP + r"(?:г\.|гг\.|года|год|г\b))?"
_DAY = r"(?<![\d.,])(?P<{0}>\d{{1,2}})"
_YEAR = r"(?P<{0}>\d{{4}})(?![\d])"

# One alternative per shape; the first that matches at a position wins, so longer shapes
# (with a day) come before shorter ones (month and year). Shapes that start with a month
# word and shapes that start with a digit are kept apart so that running text is only
# tried at the words and numbers that can begin a date.
_DASH = r"[ \t\u00a0]?[-–—/][ \t\u00a0]?"
_MONTH_FIRST = "|".join([
    # October 9-10, 1973
    r"(?P<rmd_m>" + _MONTH + r")" + _SP + r"(?P<rmd_d>\d{1,2})" + _ORD + _DASH
    + r"(?P<rmd_d2>\d{1,2})(?!\d)" + _ORD + r",?" + _OSP + _YEAR.format("rmd_y"),
    # August 29, 1960 / September 21st, 1955 / December 18,1949 / Aug. 9 1960
    r"(?P<mdy_m>" + _MONTH + r")" + _SP + r"(?P<mdy_d>\d{1,2})(?!\d)" + _ORD
    + r",?" + _OSP + _YEAR.format("mdy_y"),
    # August 1961 / November, 1967 / август 1961 г.
    r"(?<![\d.])(?P<my_m>" + _MONTH + r"),?" + _SP + _YEAR.format("my_y") + _RU_YEAR,
])
_DIGIT_FIRST = "|".join([
    # 9-10 October 1973 / 20./21. November 1997
    _DAY.format("rdm_d") + _ORD + r"\.?" + _DASH + r"(?P<rdm_d2>\d{1,2})" + _ORD
    + r"(?:\." + _OSP + r"|" + _SP + r")(?P<rdm_m>" + _MONTH + r"),?" + _SP
    + _YEAR.format("rdm_y") + _RU_YEAR,
    # 29 August 1960 / 1st April, 1949 / 16. Mai 1852 / 29 августа 1960 г. / 4th of July 1949
    _DAY.format("dmy_d") + _ORD + r"(?:\." + _OSP + r"|" + _SP + r")(?:of" + _SP + r")?"
    + r"(?P<dmy_m>" + _MONTH + r"),?" + _SP + _YEAR.format("dmy_y") + _RU_YEAR,
    # 30.XII.1949 / 10.1.1949 / 30 XII 1949
    _DAY.format("num_d") + r"(?:\.[ ]?|/|[ ])(?P<num_m>XII|XI|X|IX|VIII|VII|VI|IV|V|III|II|I"
    + r"|xii|xi|x|ix|viii|vii|vi|iv|v|iii|ii|i|\d{1,2}(?=\.))(?:\.[ ]?|/|[ ])"
    + _YEAR.format("num_y") + _RU_YEAR,
    # 1960-08-29 / 1961-08 / 1967-11-00
    r"(?<![\d./-])(?P<iso_y>\d{4})-(?P<iso_m>\d{2})(?:-(?P<iso_d>\d{2}))?(?![\d-])",
])
_DATE_PATTERN = _MONTH_FIRST + "|" + _DIGIT_FIRST

_MONTH_FIRST_RE = re.compile(_MONTH_FIRST, re.IGNORECASE)
_DIGIT_FIRST_RE = re.compile(_DIGIT_FIRST, re.IGNORECASE)
_WHOLE_RE = re.compile(
    r"(?:" + _WEEKDAY + r",?" + _SP + r")?(?:" + _DATE_PATTERN + r"|"
    + r"(?P<y_y>\d{4})" + _RU_YEAR + r")",
    re.IGNORECASE)
#: words and digit runs: the only places a date can start
_TOKEN_RE = re.compile(r"\d+|[^\W\d_]+")
#: every shape of a date that :func:`find_dates` reports holds a year of four digits
_FOUR_DIGITS = re.compile(r"\d{4}")
_LONGEST_MONTH_WORD = max(len(w) for w in _MONTH_WORDS)
_MONTH_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def _month_number(word: str) -> int | None:
    """Month number of a month word; ``None`` for a lowercase English or German word
    ("may", "mar" in running text are not dates; French and Russian are written lowercase)."""
    key = _MONTH_WORD_RE.match(word)
    if key is None:
        return None
    name = key.group(0)
    if name[0].islower() and name.casefold() not in _LOWERCASE_MONTHS:
        return None
    return _MONTH_WORDS.get(name.casefold())


def _build(year: int, month: int | None, day: int | None) -> tuple[str, Precision] | None:
    """ISO value and precision, or None for an impossible date. Day or month 0 means
    "not known" (the ``1967-11-00`` file-name convention)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if not month:
        return (f"{year:04d}", "year") if day in (None, 0) else None
    if not 1 <= month <= 12:
        return None
    if not day:
        return f"{year:04d}-{month:02d}", "month"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", "day"


def _interpret(m: re.Match[str]) -> tuple[str, Precision, str | None] | None:
    """ISO value, precision and (for a range of days) the ISO value of the last day."""
    g = m.groupdict()
    for prefix in ("rmd", "rdm"):
        if g.get(prefix + "_y"):
            word = g[prefix + "_m"].rstrip(".")
            month = _month_number(word) or _ROMAN_MONTHS.get(word if word.isupper() else "")
            if not month:
                return None
            year = int(g[prefix + "_y"])
            first = _build(year, month, int(g[prefix + "_d"]))
            last = _build(year, month, int(g[prefix + "_d2"]))
            if first is None or last is None or last[0] <= first[0]:
                return None
            return first[0], first[1], last[0]
    single = _interpret_single(g)
    return None if single is None else (single[0], single[1], None)


def _interpret_single(g: dict[str, str | None]) -> tuple[str, Precision] | None:
    if g.get("mdy_y"):
        month = _month_number(g["mdy_m"] or "")
        return _build(int(g["mdy_y"] or 0), month, int(g["mdy_d"] or 0)) if month else None
    if g.get("dmy_y"):
        word = (g["dmy_m"] or "").rstrip(".")
        month = _month_number(word) or _ROMAN_MONTHS.get(word if word.isupper() else "")
        return _build(int(g["dmy_y"] or 0), month, int(g["dmy_d"] or 0)) if month else None
    if g.get("num_y"):
        raw = g["num_m"] or ""
        month_n = int(raw) if raw.isdigit() else _ROMAN_MONTHS.get(raw.upper())
        day = int(g["num_d"] or 0)
        if not month_n or not day:
            return None
        return _build(int(g["num_y"] or 0), month_n, day)
    if g.get("iso_y"):
        day_s = g.get("iso_d")
        month_i = int(g["iso_m"] or 0)
        day_i = int(day_s) if day_s else None
        if month_i == 0 and day_i:
            return None
        return _build(int(g["iso_y"] or 0), month_i, day_i)
    if g.get("my_y"):
        month = _month_number(g["my_m"] or "")
        return _build(int(g["my_y"] or 0), month, None) if month else None
    if g.get("y_y"):
        return _build(int(g["y_y"] or 0), None, None)
    return None


def parse_date(text: str) -> ParsedDate | None:
    """Read a field that holds one date; ``None`` if it is not (only) a date.

    Surrounding spaces and a final period or comma are ignored; ``text`` of the result is
    the stripped input.

    >>> parse_date("August 29, 1960").iso
    '1960-08-29'
    >>> parse_date("October 09, 1973").iso
    '1973-10-09'
    >>> parse_date("30.XII.1949").iso
    '1949-12-30'
    >>> parse_date("1967-11-00")
    ParsedDate(iso='1967-11', precision='month', text='1967-11-00', iso_to=None)
    >>> parse_date("29 августа 1960 г.").iso
    '1960-08-29'
    >>> parse_date("16. Mai 1852").iso
    '1852-05-16'
    >>> parse_date("February 30, 1960") is None
    True
    """
    if not isinstance(text, str):
        return None
    stripped = text.strip(" \t\r\n\u00a0\u2028\u2029\f\v")
    core = stripped
    if core.endswith((",", ";")) or (core.endswith(".") and not core.endswith(("г.", "Г."))):
        core = core[:-1].rstrip()
    if not core or len(core) > 80:
        return None
    m = _WHOLE_RE.fullmatch(core)
    if m is None:
        return None
    result = _interpret(m)
    if result is None:
        return None
    return ParsedDate(iso=result[0], precision=result[1], text=stripped, iso_to=result[2])


def find_dates(text: str) -> list[FoundDate]:
    """All dates in running text, in order, with their offsets. Impossible dates are
    skipped; bare years are not reported (too many numbers look like years).

    >>> [d.iso for d in find_dates("… M. Suzuki on August 29, 1960")]
    ['1960-08-29']
    >>> d = find_dates("The talks began on 20 July 1965 in Hanoi.")[0]
    >>> (d.iso, d.text, d.start, d.end)
    ('1965-07-20', '20 July 1965', 19, 31)
    """
    if not isinstance(text, str) or _FOUR_DIGITS.search(text) is None:
        return []       # most paragraphs: no year, so no date (one scan in C)
    found: list[FoundDate] = []
    resume = 0
    for token in _TOKEN_RE.finditer(text):
        start = token.start()
        if start < resume:
            continue
        d = _date_at(text, start, token.group(0))
        if d is not None:
            found.append(d)
            resume = d.end
    return found


def _date_at(text: str, pos: int, token: str) -> FoundDate | None:
    """The date starting at ``pos``, whose first word or number is ``token``."""
    if token[0].isdigit():
        pattern = _DIGIT_FIRST_RE
    elif len(token) <= _LONGEST_MONTH_WORD and token.casefold() in _MONTH_WORDS:
        pattern = _MONTH_FIRST_RE
    else:
        return None
    m = pattern.match(text, pos, min(len(text), pos + 80))
    if m is None:
        return None
    result = _interpret(m)
    if result is None:
        return None
    return FoundDate(iso=result[0], precision=result[1], text=m.group(0), iso_to=result[2],
                     start=m.start(), end=m.end())


def match_date_at(text: str, pos: int) -> FoundDate | None:
    """The date that starts exactly at ``pos`` in ``text``, if any (used by the citation
    splitter to recognise ``“Title,” October 09, 1973, …``).

    >>> match_date_at('“Talks,” October 09, 1973, History', 9).iso
    '1973-10-09'
    """
    if not isinstance(text, str) or not 0 <= pos <= len(text):
        return None
    token = _TOKEN_RE.match(text, pos, min(len(text), pos + 40))
    if token is None:
        return None
    return _date_at(text, pos, token.group(0))


def dates_agree(a: ParsedDate, b: ParsedDate) -> bool:
    """True when two dates can name the same day: equal, the less precise one contains the
    more precise one, or two ranges of days overlap.

    >>> dates_agree(parse_date("August 1961"), parse_date("1961-08-15"))
    True
    >>> dates_agree(parse_date("July 25, 1965"), parse_date("20 July 1965"))
    False
    >>> dates_agree(parse_date("9-10 October 1973"), parse_date("October 10, 1973"))
    True
    """
    if a.iso_to is None and b.iso_to is None:
        short, long_ = sorted((a.iso, b.iso), key=len)
        return long_ == short or long_.startswith(short + "-")
    if a.iso_to is not None and b.iso_to is not None:
        return a.iso <= b.iso_to and b.iso <= a.iso_to
    days, single = (a, b) if a.iso_to is not None else (b, a)
    assert days.iso_to is not None
    if single.precision == "day":
        return days.iso <= single.iso <= days.iso_to
    return days.iso.startswith(single.iso + "-")


def compare(title_date: ParsedDate | None, body_date: ParsedDate | None) -> str | None:
    """A message when the title's date and the body's date disagree; ``None`` when they
    agree or either is missing.

    >>> compare(parse_date("July 25, 1965"), parse_date("20 July 1965"))
    'title date "July 25, 1965" (1965-07-25) and body date "20 July 1965" (1965-07-20) disagree'
    >>> compare(parse_date("1961-08"), parse_date("August 15, 1961")) is None
    True
    """
    if title_date is None or body_date is None:
        return None
    if dates_agree(title_date, body_date):
        return None
    return (f'title date "{title_date.text}" ({_iso_span(title_date)}) and body date '
            f'"{body_date.text}" ({_iso_span(body_date)}) disagree')


def _iso_span(d: ParsedDate) -> str:
    """ISO form of a date or range ("1973-10-09/1973-10-10")."""
    return d.iso if d.iso_to is None else f"{d.iso}/{d.iso_to}"
