"""Dates: every date shape found in ../shared/corpus, the shapes the guides name, edge cases,
and properties over arbitrary text."""

from __future__ import annotations

import doctest
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.dates
from pipeline.dates import (
    FoundDate,
    ParsedDate,
    compare,
    dates_agree,
    find_dates,
    match_date_at,
    parse_date,
)
from tests.conftest import CORPUS, needs_shared

# (as printed, ISO, precision). Collected from the corpus: WCDA page and listing dates,
# PDF-export header dates (zero-padded days), .meta.json original_publication_date values,
# signature and dateline dates in the bodies, plus the shapes the encoding guide names.
PARSE_CASES = [
    # WCDA pages and listing
    ("August 29, 1960", "1960-08-29", "day"),
    ("May 10, 1960", "1960-05-10", "day"),
    ("October 16, 1956", "1956-10-16", "day"),
    ("September 21, 1955", "1955-09-21", "day"),
    ("October 9, 1973", "1973-10-09", "day"),
    # old WCDA page and PDF exports (zero-padded)
    ("October 09, 1973", "1973-10-09", "day"),
    ("October 05, 1945", "1945-10-05", "day"),
    ("October 10, 1945", "1945-10-10", "day"),
    ("December 30, 1948", "1948-12-30", "day"),
    ("January 10, 1949", "1949-01-10", "day"),
    ("January 31, 1949", "1949-01-31", "day"),
    ("February 03, 1949", "1949-02-03", "day"),
    ("February 04, 1949", "1949-02-04", "day"),
    ("February 05, 1949", "1949-02-05", "day"),
    ("April 13, 1949", "1949-04-13", "day"),
    ("June 14, 1949", "1949-06-14", "day"),
    ("June 18, 1949", "1949-06-18", "day"),
    ("July 04, 1949", "1949-07-04", "day"),
    ("July 06, 1949", "1949-07-06", "day"),
    ("July 07, 1949", "1949-07-07", "day"),
    ("July 18, 1949", "1949-07-18", "day"),
    ("December 16, 1949", "1949-12-16", "day"),
    ("December 24, 1949", "1949-12-24", "day"),
    ("June 05, 1958", "1958-06-05", "day"),
    ("September 04, 1958", "1958-09-04", "day"),
    # scraped metadata
    ("April 1, 1949", "1949-04-01", "day"),
    ("December 12, 1957", "1957-12-12", "day"),
    ("September 19, 1958", "1958-09-19", "day"),
    ("October 17, 1958", "1958-10-17", "day"),
    ("November 1967", "1967-11", "month"),
    ("November 6, 1967", "1967-11-06", "day"),
    ("November 18, 1967", "1967-11-18", "day"),
    ("November 24, 1967", "1967-11-24", "day"),
    ("September 12, 1996", "1996-09-12", "day"),
    ("April 23, 1997", "1997-04-23", "day"),
    ("May 12, 1997", "1997-05-12", "day"),
    ("July 30, 1997", "1997-07-30", "day"),
    ("October 22, 1997", "1997-10-22", "day"),
    ("October 31, 1997", "1997-10-31", "day"),
    ("2023-10-10", "2023-10-10", "day"),
    # bodies and third-party headers
    ("29 August 1960", "1960-08-29", "day"),
    ("1st April, 1949", "1949-04-01", "day"),
    ("17th October, 1958", "1958-10-17", "day"),
    ("16 December 1949", "1949-12-16", "day"),
    ("27 July 1949", "1949-07-27", "day"),
    ("11 June 1949", "1949-06-11", "day"),
    ("10.1.1949", "1949-01-10", "day"),
    ("30.XII.1949", "1949-12-30", "day"),
    ("December 18,1949", "1949-12-18", "day"),
    ("September 21st, 1955", "1955-09-21", "day"),
    ("21. November 1997", "1997-11-21", "day"),
    ("12 September 1996", "1996-09-12", "day"),
    ("Friday 19 September 1958", "1958-09-19", "day"),
    ("Saturday, 10 May 1997", "1997-05-10", "day"),
    # the guides' shapes
    ("August 1961", "1961-08", "month"),
    ("1960-08-29", "1960-08-29", "day"),
    ("1961-08", "1961-08", "month"),
    ("1967-11-00", "1967-11", "month"),
    ("1967-00-00", "1967", "year"),
    ("1949", "1949", "year"),
    ("1950 г.", "1950", "year"),
    # Russian, German, French
    ("29 августа 1960 г.", "1960-08-29", "day"),
    ("29 августа 1960 года", "1960-08-29", "day"),
    ("1 января 1950", "1950-01-01", "day"),
    ("август 1961 г.", "1961-08", "month"),
    ("16. Mai 1852", "1852-05-16", "day"),
    ("16.Mai 1852", "1852-05-16", "day"),
    ("3. März 1953", "1953-03-03", "day"),
    ("1er mai 1968", "1968-05-01", "day"),
    ("29 février 1960", "1960-02-29", "day"),
    # abbreviations, punctuation, spacing
    ("Aug. 29, 1960", "1960-08-29", "day"),
    ("Sept. 21, 1955", "1955-09-21", "day"),
    ("4th of July 1949", "1949-07-04", "day"),
    ("  August 29, 1960. ", "1960-08-29", "day"),
    ("August\u00a029,\u00a01960", "1960-08-29", "day"),
    ("November, 1967", "1967-11", "month"),
    ("30 XII 1949", "1949-12-30", "day"),
    ("29 February 1960", "1960-02-29", "day"),
]

REJECTED = [
    "February 30, 1960",       # impossible day
    "Feb 30, 1960",
    "31 April 1949",
    "29 February 1961",        # not a leap year
    "1900-02-29",
    "30.XIII.1949",            # no thirteenth month
    "13.13.1949",
    "1961-13",
    "1967-00-05",              # a day without a month
    "30.XII.194‸",             # a garbage glyph in the year (PDF extraction damage)
    "August",
    "August 29",               # no year
    "2 января",
    "may 1960",                # lowercase English "may" is a verb, not a month
    "the talks of August 29, 1960",
    "",
    "   ",
    "10/1/1949",               # slashes: day and month order unknown
    "0999",
    "99999",
    "Date:",
]


@pytest.mark.parametrize(("text", "iso", "precision"), PARSE_CASES)
def test_parse_date(text: str, iso: str, precision: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None, text
    assert (parsed.iso, parsed.precision) == (iso, precision)
    assert parsed.text == text.strip(" \u00a0")


RANGE_CASES = [
    ("9-10 October 1973", "1973-10-09", "1973-10-10"),
    ("9–10 October 1973", "1973-10-09", "1973-10-10"),
    ("20./21. November 1997", "1997-11-20", "1997-11-21"),
    ("October 9-10, 1973", "1973-10-09", "1973-10-10"),
    ("1-2 августа 1960 г.", "1960-08-01", "1960-08-02"),
]


@pytest.mark.parametrize(("text", "first", "last"), RANGE_CASES)
def test_day_ranges(text: str, first: str, last: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.iso, parsed.iso_to, parsed.precision) == (first, last, "day")


@pytest.mark.parametrize("text", ["10-9 October 1973", "30-31 February 1960",
                                  "9-9 October 1973"])
def test_impossible_ranges(text: str) -> None:
    assert parse_date(text) is None


def test_single_dates_have_no_end() -> None:
    parsed = parse_date("August 29, 1960")
    assert parsed is not None and parsed.iso_to is None


@pytest.mark.parametrize("text", REJECTED)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


# dates inside titles and body paragraphs: (text, [(iso, as printed)])
FIND_CASES = [
    ("Record of Conversation of N.S. Khrushchev with Prominent Political Figure of Japan "
     "M. Suzuki on August 29, 1960", [("1960-08-29", "August 29, 1960")]),
    ("Conversation of Comrades N.A. Bulganin and N.S. Khrushchev with the Japanese "
     "Parliamentary Delegation on September 21st, 1955",
     [("1955-09-21", "September 21st, 1955")]),
    ("Record of Soviet-Japanese Talks, 9 October 1973", [("1973-10-09", "9 October 1973")]),
    ("Record of Conversation: Chairman of the Council of Ministers of the USSR N.S. Khrushchev "
     "with the Minister of Farming and Forestry of Japan T. Fukuda and Chairman of the "
     "Association of Fisheries T. Takasaki May 10, 1960", [("1960-05-10", "May 10, 1960")]),
    ("The Chancellor's [Helmut Kohl's] Telephone Conversation with Polish President "
     "Kwasniewski on Thursday, 12 September 1996, 9.30 hours",
     [("1996-09-12", "12 September 1996")]),
    ("The Chancellor's [Helmut Kohl's] Conversation with Kazakhstan's President Nazarbayev on "
     "Saturday, 10 May 1997, 2.30 p.m. - 3.45 p.m. in Almaty", [("1997-05-10", "10 May 1997")]),
    ("The Chancellor's [Helmut Kohl's] Meeting with British PM Blair on 20 October 1997, "
     "10.30 a.m. - 3 p.m. in Chequers", [("1997-10-20", "20 October 1997")]),
    ("Record of Conversation between I.V. Stalin and Chairman of the Central People's "
     "Government of the People's Republic of China Mao Zedong on 16 December 1949",
     [("1949-12-16", "16 December 1949")]),
    ("on 20 July 1965", [("1965-07-20", "20 July 1965")]),
    ("Bonn, 12 September 1996", [("1996-09-12", "12 September 1996")]),
    ("Mao Zedong 11 June 1949", [("1949-06-11", "11 June 1949")]),
    ("Terebin. 10.1.1949", [("1949-01-10", "10.1.1949")]),
    ("Mao Zedong 30.XII.1949", [("1949-12-30", "30.XII.1949")]),
    ("From the Diary of N. V. ROSHCHIN Top Secret, Copy 4, 1 December 1949",
     [("1949-12-01", "1 December 1949")]),
    ("the special session of the European Council on Employment on 20./21. November 1997",
     [("1997-11-20", "20./21. November 1997")]),
    ("talks on 9-10 October 1973 and on October 12-13, 1973",
     [("1973-10-09", "9-10 October 1973"), ("1973-10-12", "October 12-13, 1973")]),
    ("Sovetsko-Kitaiskie Otnosheniia, Vol. 5, Book 2, 1946-February 1950 (Moscow: 2005)",
     [("1950-02", "February 1950")]),
    ("первое полугодие 1950 г. на своей территории", []),
    ("рассчитывая 6 февраля быть в Пекине", []),
    ("Москва, 29 августа 1960 г.", [("1960-08-29", "29 августа 1960 г.")]),
    ("in the years 1945-1949 and 1930-31", []),
    ("We may 1000 times over", []),
    ("February 30, 1960 and March 1, 1960", [("1960-03-01", "March 1, 1960")]),
    ("dated 1961-08-15 and 1961-08", [("1961-08-15", "1961-08-15"), ("1961-08", "1961-08")]),
    ("Isk. 837/86-ne", []),
    # hard-wrapped PDF text breaks a date across lines
    ("Mao Zedong on 16 December\n1949,” December\n16, 1949, History",
     [("1949-12-16", "16 December\n1949"), ("1949-12-16", "December\n16, 1949")]),
    ("The conversation started at 16:15 and ended at 16:55", []),
]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES)
def test_find_dates(text: str, expected: list[tuple[str, str]]) -> None:
    found = find_dates(text)
    assert [(d.iso, d.text) for d in found] == expected
    for d in found:
        assert text[d.start:d.end] == d.text


def test_found_date_is_a_parsed_date() -> None:
    d = find_dates("on 20 July 1965")[0]
    assert isinstance(d, FoundDate)
    assert isinstance(d, ParsedDate)
    assert (d.start, d.end) == (3, 15)


def test_match_date_at() -> None:
    text = "“Record of Soviet-Japanese Talks, 9 October 1973,” October 09, 1973, History"
    pos = text.index("October 09")
    d = match_date_at(text, pos)
    assert d is not None and d.iso == "1973-10-09"
    assert match_date_at(text, 0) is None
    assert match_date_at(text, len(text) + 5) is None


COMPARE_CASES = [
    ("July 25, 1965", "20 July 1965", True),
    ("1961-08", "1961-08-15", False),
    ("August 1961", "August 15, 1961", False),
    ("1961", "1961-08-15", False),
    ("1961-08", "1961-09-01", True),
    ("1960-08-29", "August 29, 1960", False),
    ("1961-08-15", "1961-08", False),
    ("1961", "1962", True),
    ("9-10 October 1973", "October 10, 1973", False),
    ("9-10 October 1973", "October 11, 1973", True),
    ("9-10 October 1973", "October 1973", False),
    ("9-10 October 1973", "November 1973", True),
    ("9-10 October 1973", "10-12 October 1973", False),
    ("9-10 October 1973", "11-12 October 1973", True),
]


@pytest.mark.parametrize(("title", "body", "disagree"), COMPARE_CASES)
def test_compare(title: str, body: str, disagree: bool) -> None:
    a, b = parse_date(title), parse_date(body)
    assert a is not None and b is not None
    message = compare(a, b)
    assert (message is not None) == disagree
    assert dates_agree(a, b) == (not disagree)
    assert dates_agree(b, a) == dates_agree(a, b)
    if message:
        assert a.iso in message and b.iso in message
        assert title in message and body in message


def test_compare_with_a_missing_date() -> None:
    assert compare(None, parse_date("1961")) is None
    assert compare(parse_date("1961"), None) is None


def test_compare_prefix_is_per_component() -> None:
    # "1961-1" is not a prefix of "1961-10-05" in the date sense; ISO values are padded so
    # this cannot arise, but the check must use component boundaries anyway.
    a = ParsedDate(iso="1961-1", precision="month", text="x")
    b = ParsedDate(iso="1961-10-05", precision="day", text="y")
    assert not dates_agree(a, b)


def test_doc_examples() -> None:
    result = doctest.testmod(pipeline.dates)
    assert result.attempted > 5 and result.failed == 0


# --- properties ---------------------------------------------------------------------------

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]
_FORMATS = ["{month} {d}, {y}", "{d} {month} {y}", "{y:04d}-{m:02d}-{d:02d}", "{d}.{m}.{y}",
            "{d}. {month} {y}", "{month} {d:02d}, {y}"]

@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_never_raises(text: str) -> None:
    parsed = parse_date(text)
    if parsed is not None:
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", parsed.iso)
    for d in find_dates(text):
        assert text[d.start:d.end] == d.text
        again = parse_date(d.text)
        assert again is not None and again.iso == d.iso


@given(st.integers(1000, 2999), st.integers(1, 12), st.integers(1, 31),
       st.sampled_from(_FORMATS), st.text(max_size=30), st.text(max_size=30))
@settings(max_examples=400, deadline=None)
def test_generated_dates_parse_iff_the_calendar_allows(y: int, m: int, d: int, fmt: str,
                                                       before: str, after: str) -> None:
    import datetime

    text = fmt.format(y=y, m=m, d=d, month=_MONTH_NAMES[m - 1])
    try:
        expected: str | None = datetime.date(y, m, d).isoformat()
    except ValueError:
        expected = None
    parsed = parse_date(text)
    assert (parsed.iso if parsed else None) == expected, text
    # embedded between spaces in arbitrary text, a valid date is found with its offsets
    haystack = f"{before} {text} {after}"
    found = find_dates(haystack)
    assert all(haystack[f.start:f.end] == f.text for f in found)
    if expected is not None:
        start = len(before) + 1
        at = [f for f in found if f.start == start]
        glued_before = before[-1:].isalnum() or before[-1:] in ".,/-"
        if not glued_before and not after[:1].isdigit() and after[:1] != "-":
            assert at and at[0].iso == expected, haystack


def test_adversarial_megabyte_inputs_finish() -> None:
    """Inputs built to trip backtracking: every candidate start fails late. Linear-time
    matching finishes these 1 MB strings quickly; a catastrophic pattern would not."""
    size = 1_000_000
    samples = [
        "1 " * (size // 2),
        "August " * (size // 7),
        "August 29," + " " * size + "1960",
        "29 августа " * (size // 11),
    ]
    for text in samples:
        find_dates(text)
        assert parse_date(text) is None
        match_date_at(text, 0)


# --- corpus -------------------------------------------------------------------------------

@needs_shared
def test_every_metadata_date_in_the_corpus_parses() -> None:
    files = sorted((CORPUS / "transcripts").glob("*.meta.json"))
    assert files
    for path in files:
        meta = json.loads(path.read_text(encoding="utf-8"))
        printed = meta["original_publication_date"]
        parsed = parse_date(printed)
        assert parsed is not None, (path.name, printed)
        # the file name carries the same date (1967-11-00 for a month-only date)
        stem_date = parse_date(path.name[:10])
        assert stem_date is not None and dates_agree(parsed, stem_date), path.name
        assert parsed.iso == stem_date.iso, path.name
        uploaded = meta.get("original_upload_date")
        if uploaded:
            up = parse_date(uploaded)
            assert up is not None and up.precision == "day"


@needs_shared
def test_every_header_date_of_a_pdf_export_parses() -> None:
    files = sorted((CORPUS / "transcripts").glob("*_wcpdf-layout.txt")) + sorted(
        (CORPUS / "transcripts").glob("*_docslib-flat.txt"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        head = text[:600]
        found = find_dates(head)
        assert found, path.name
        assert found[0].iso == path.name[:10], path.name


@needs_shared
def test_seed_page_title_and_date_agree() -> None:
    page = (CORPUS / "wcda-pages" / "1960-08-29_khrushchev-suzuki.page.txt").read_text(
        encoding="utf-8")
    lines = [line for line in page.splitlines() if line.strip()]
    date = parse_date(lines[1])
    assert date is not None and date.iso == "1960-08-29"
    in_title = find_dates(lines[2])
    assert [d.iso for d in in_title] == ["1960-08-29"]
    assert compare(date, in_title[0]) is None


@needs_shared
def test_listing_page_dates() -> None:
    page = (CORPUS / "wcda-pages" / "listing_soviet-japanese-relations.page.txt").read_text(
        encoding="utf-8")
    dates = [parse_date(line) for line in page.splitlines()]
    assert [d.iso for d in dates if d] == [
        "1960-08-29", "1960-05-10", "1956-10-16", "1955-09-21", "1973-10-09"]


def _dates_at_every_token(text: str) -> list[tuple[str, int, int]]:
    """find_dates without its test for a four-digit year: a date tried at every token."""
    found, resume = [], 0
    for token in pipeline.dates._TOKEN_RE.finditer(text):
        if token.start() < resume:
            continue
        date = pipeline.dates._date_at(text, token.start(), token.group(0))
        if date is not None:
            found.append((date.iso, date.start, date.end))
            resume = date.end
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "August", "Aug.", "29", "29,", "1960", "196", "19", "0", "٣٣٣٣", "1960-08-29", "30.XII.1949",
    "20./21.", "November", "августа", "г.", "Mai", "of", " ", "  ", "\n", ",", ".", "-", "/",
    "the", "talks",
]), max_size=25).map("".join))
def test_dates_are_found_only_where_a_year_stands(text: str) -> None:
    assert [(d.iso, d.start, d.end) for d in find_dates(text)] == _dates_at_every_token(text)
