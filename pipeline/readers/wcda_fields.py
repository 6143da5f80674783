"""Recognising the header and trailer fields of Wilson Center Digital Archive layouts.

Only recognition and verbatim extraction: dates stay as printed, citations are not parsed
(``pipeline.dates`` and ``pipeline.citations`` interpret them).
"""

from __future__ import annotations

import re

from pipeline.credits import parse_credits, split_off_credits
from pipeline.source import Metadata

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|"
          "Nov\\.?|Dec\\.?")
_DAY_MONTH_YEAR = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\s*,?\s+\d{{4}}"
_MONTH_DAY_YEAR = rf"(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s+\d{{4}}"
_MONTH_YEAR = rf"(?:{MONTHS})\s*,?\s+\d{{4}}"
_ONE_DATE = (rf"(?:(?:circa|ca\.|c\.)\s*)?(?:{_MONTH_DAY_YEAR}|{_DAY_MONTH_YEAR}|{_MONTH_YEAR}"
             r"|\d{4}(?:-\d{2}(?:-\d{2})?)?)")
#: a line that is only a date (or a date range), as WCDA prints document dates
DATE_LINE = re.compile(rf"{_ONE_DATE}(?:\s*(?:-|–|—|to)\s*{_ONE_DATE})?", re.I)

#: ``This document was made possible with support from X``
FUNDER_LINE = re.compile(r"this document was made possible (?:with|through|thanks to)"
                         r"(?: the)?(?: generous)? support (?:from|of|by)\s+(?P<funder>.+?)"
                         r"\s*\.?", re.I)

_ROLES = (r"contributed|translated|translation|obtained|donated|provided|transcribed|edited|"
          r"compiled|introduced|annotated|selected")
#: the start of the credit sentence after an archival citation
CREDIT_START = re.compile(
    rf"(?:(?<=\s)|^)(?:{_ROLES}|originally published|translation)(?:,?\s+(?:and\s+)?(?:{_ROLES}))*"
    r"(?:\s+[\w-]+){0,3}?\s+(?:by|for|from|in)\b", re.I)

#: phrases of the WCDA rights statement
RIGHTS_HINT = re.compile(r"welcomes reuse of digital archive materials|copyright|rights "
                         r"status|rights holders|permission for commercial use|public domain"
                         r"|creative commons|reuse of (?:this|digital)", re.I)

#: the phrases :data:`RIGHTS_HINT` matches, lower-case
RIGHTS_PHRASES = ("welcomes reuse of digital archive materials", "copyright", "rights status",
                  "rights holders", "permission for commercial use", "public domain",
                  "creative commons", "reuse of this", "reuse of digital")
_RIGHTS_PHRASE_BYTES = tuple(phrase.encode("ascii") for phrase in RIGHTS_PHRASES)
#: characters outside ASCII that case-insensitive matching equates with an ASCII letter
#: (dotted and dotless i, long s, the Kelvin sign)
_ASCII_LETTER_LOOKALIKES = "\u0130\u0131\u017f\u212a"


def has_rights_hint(text: str) -> bool:
    """Whether ``text`` holds a phrase of the rights statement (what ``RIGHTS_HINT.search``
    finds).

    A case-insensitive regular expression tries every position of a long text; instead the
    text is lower-cased as UTF-8 bytes (characters outside ASCII become bytes >= 0x80,
    which no phrase holds) and the phrases are looked for as substrings, unless the text
    holds one of the few characters outside ASCII that case-insensitive matching takes for
    an ASCII letter.
    """
    if any(char in text for char in _ASCII_LETTER_LOOKALIKES):
        return RIGHTS_HINT.search(text) is not None
    folded = text.encode("utf-8", "surrogatepass").lower()
    return any(phrase in folded for phrase in _RIGHTS_PHRASE_BYTES)


#: the quoted "how to cite" line of old pages: "Title," Date, History and Public Policy...
QUOTED_CITATION = re.compile(r"[\"“].{3,}[,”\"]\s*[”\"]?.*(?:Digital Archive|History and Public "
                             r"Policy Program|Wilson Center|digitalarchive)", re.I)

#: trailer field labels of document pages: label -> Metadata attribute (None: chrome only)
FIELD_LABELS: dict[str, str | None] = {
    "document information": None,
    "source": "citation",
    "rights": "rights",
    "original uploaded date": "uploaded",
    "uploaded date": "uploaded",
    "type": "record_type",
    "document type": "record_type",
    "language": "language",
    "original language": "original_language",
    "record id": "record_id",
    "record number": "record_id",
    "funders": "funders",
    "funder": "funders",
    "donors": "funders",
    "donor": "funders",
    "classification": "classification",
    "original classification": "classification",
    "languages": "language",
    "credits": "credits",
    "associated places": "extra:places",
    "associated people & organizations": "extra:people",
    "associated people and organizations": "extra:people",
    "associated topics": "extra:topics",
    "original archive title": "extra:original_archive",
    "subjects discussed": "extra:subjects",
    "subjects": "extra:subjects",
    "themes": "extra:themes",
    "theme": "extra:themes",
    "geographic": "extra:geographic",
    "places": "extra:geographic",
    "collections": "extra:collections",
    "collection": "extra:collections",
    "related documents": "extra:related",
    "people": "extra:people",
    "keywords": "extra:keywords",
    "summary": "summary",
    "original archive": "citation",
}

#: document types the archive uses for its ``Type`` field (used to recognise an unlabelled
#: type line in a trailer whose labels were lost in the capture)
RECORD_TYPES = {t.casefold() for t in (
    "Memorandum of Conversation", "Letter", "Telegram", "Cable", "Report", "Minutes",
    "Meeting Minutes", "Diary Entry", "Speech", "Transcript", "Memorandum", "Notes",
    "Interview", "Article", "Resolution", "Statement", "Summary", "Conversation",
    "Record of Conversation", "Directive", "Instruction", "Instructions", "Decree", "Treaty",
    "Agreement", "Communique", "Press Release", "Note", "Circular", "Information",
    "Analysis", "Briefing", "Bulletin", "Study", "Proposal", "Petition", "Declaration",
    "Protocol", "Order", "Memoir", "Oral History", "Map", "Photograph", "Table",
    "Intelligence Report", "Appeal", "Draft", "Law", "Decision", "Message", "Minutes of Meeting",
    "Transcript of Conversation", "Memo", "Policy Paper", "Paper", "Chronology", "Other",
    "Excerpt", "Diary", "Journal Article", "Book Excerpt", "Cable/Telegram", "Legal Document",
)}

_ORG_WORDS = re.compile(r"\b(?:Foundation|Fund|Corporation|Trust|Institute|Endowment|Ministry|"
                        r"Council|Agency|Society|Association|Embassy|Government|University|"
                        r"Center|Centre|Program|Programme|Academy|Bank|Inc\.?|LLC|Company|"
                        r"Charitable|Family|Partnership|Initiative)\b")


def is_date_line(text: str) -> bool:
    return bool(DATE_LINE.fullmatch(text.strip()))


def label_field(text: str) -> tuple[str, str | None] | None:
    """(label, field) when ``text`` is a trailer field label, alone or with ``:``."""
    key = text.strip().rstrip(":").strip().casefold()
    if key in FIELD_LABELS:
        return key, FIELD_LABELS[key]
    return None


def split_citation_credits(text: str) -> tuple[str | None, str | None]:
    """``RGANI, f. 52 ... ll. 110-123 Contributed by X and translated by Y.`` ->
    (``RGANI, f. 52 ... ll. 110-123``, ``Contributed by X and translated by Y.``)."""
    citation, credits = split_off_credits(text.strip())
    citation = citation.rstrip(" ,;")
    if credits and citation.endswith(".") and not citation.endswith(".."):
        citation = citation[:-1]
    return (citation or None), credits


def credit_people(credits: str) -> tuple[list[str], list[str]]:
    """Contributors and translators named in a credit sentence."""
    parsed = parse_credits(credits)
    return parsed.contributors, parsed.translators


def split_funders(text: str) -> list[str]:
    """A funder line's organisations (split at ``;``, and at ``,``/``and`` between names
    that each look like an organisation)."""
    text = text.strip().rstrip(".").strip()
    text = re.sub(r"^the\s+", "", text, flags=re.I)
    if not text:
        return []
    pieces = [p.strip() for p in re.split(r"\s*;\s*", text) if p.strip()]
    result: list[str] = []
    for piece in pieces:
        candidates = [c.strip() for c in re.split(r",\s*(?:and\s+)?|\s+and\s+", piece)]
        if len(candidates) > 1 and all(_ORG_WORDS.search(c) for c in candidates):
            result.extend(c for c in candidates if c)
        else:
            result.append(piece)
    return result


def add_unique(target: list[str], values: list[str]) -> None:
    seen = {v.casefold() for v in target}
    for value in values:
        if value.casefold() not in seen:
            target.append(value)
            seen.add(value.casefold())


_URL = re.compile(r"https?://\S+")
_REPRINT = re.compile(r"[.;]\s+(?=(?:Reprinted|Published|Originally published|First published|"
                      r"Also published|Excerpted|Republished)\b)")


def citation_from_full(full: str) -> dict[str, str]:
    """The parts of a quoted "how to cite" text: ``citation`` (the archival or published
    source, verbatim), ``reprinted`` (a ``Reprinted in …`` reference), ``credits`` and
    ``url``; only the parts present are returned."""
    parts: dict[str, str] = {}
    url_match = _URL.search(full)
    rest = full
    if url_match:
        parts["url"] = url_match.group(0).rstrip(".,;)")
        rest = (full[:url_match.start()] + full[url_match.end():]).strip()
    marker = re.search(r"(?:Digital Archive|Wilson Center)\s*,\s*", rest)
    if marker is None:
        return parts
    tail = rest[marker.end():].strip()
    citation, credits = split_citation_credits(tail)
    if credits:
        parts["credits"] = credits
    if citation:
        reprint = _REPRINT.search(citation)
        if reprint:
            parts["reprinted"] = citation[reprint.end():].strip()
            citation = citation[:reprint.start()]
        citation = citation.rstrip(". ,;")
        if citation:
            parts["citation"] = citation
    return parts


def find_url(text: str) -> str | None:
    match = _URL.search(text)
    return match.group(0).rstrip(".,;)") if match else None


def take_credits(credits: str, line: int, meta: Metadata) -> None:
    """Store a credit sentence and the contributors and translators it names."""
    if meta.credits is None:
        meta.credits = credits
        meta.lines.setdefault("credits", line)
    contributors, translators = credit_people(credits)
    add_unique(meta.contributors, contributors)
    add_unique(meta.translators, translators)
    if contributors:
        meta.lines.setdefault("contributors", line)
    if translators:
        meta.lines.setdefault("translators", line)


def apply_full_citation(meta: Metadata, full: str, line: int) -> None:
    """Fill citation, credits, url and ``extra["reprinted"]`` from a quoted citation,
    leaving fields the source already gave untouched."""
    parts = citation_from_full(full)
    if "citation" in parts and meta.citation is None:
        meta.citation = parts["citation"]
        meta.lines.setdefault("citation", line)
    if "credits" in parts:
        take_credits(parts["credits"], line, meta)
    if "url" in parts and meta.url is None:
        meta.url = parts["url"]
        meta.lines.setdefault("url", line)
    if "reprinted" in parts and "reprinted" not in meta.extra:
        meta.extra["reprinted"] = parts["reprinted"]
        meta.lines.setdefault("extra:reprinted", line)
