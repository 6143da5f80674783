"""Recognising the header and trailer fields of Wilson Center Digital Archive layouts.

Only recognition and verbatim extraction: dates stay as printed, citations are not parsed
(``pipeline.dates`` and ``pipeline.citations`` interpret them).
"""

from __future__ import annotations

import re

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

#: the start of the credit sentence after an archival citation
CREDIT_START = re.compile(r"(?:(?<=\s)|^)(?:Contributed|Translated|Obtained|Donated|Provided|"
                          r"Transcribed|Edited|Compiled|Introduced|Originally published|"
                          r"Translation|Obtained and translated)\b(?:\s+and\s+\w+)?"
                          r"(?:\s+\w+)?\s+(?:by|for|from|in)\b", re.I)
_ROLE_NAMES = re.compile(
    r"\b(?P<role>contributed|translated|obtained|donated|provided|transcribed)"
    r"(?:\s+and\s+(?P<role2>contributed|translated|obtained|donated|provided|transcribed))?"
    r"\s+(?:\w+\s+)?by\s+(?P<names>.+?)(?=\s*(?:[,;]?\s+and\s+(?:contributed|translated|"
    r"obtained|donated|provided|transcribed)\b|[.;](?:\s|$)|$))", re.I)

#: phrases of the WCDA rights statement
RIGHTS_HINT = re.compile(r"welcomes reuse of digital archive materials|copyright|rights "
                         r"status|rights holders|permission for commercial use|public domain"
                         r"|creative commons|reuse of (?:this|digital)", re.I)

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
    "credits": "credits",
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
    text = text.strip()
    match = CREDIT_START.search(text)
    if match is None:
        return text or None, None
    citation = text[:match.start()].rstrip(" ,;")
    credits = text[match.start():].strip()
    return (citation or None), credits


def _split_names(names: str) -> list[str]:
    parts = re.split(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s*&\s*)", names.strip().rstrip("."))
    return [p.strip() for p in parts if p.strip()]


def credit_people(credits: str) -> tuple[list[str], list[str]]:
    """Contributors and translators named in a credit sentence."""
    contributors: list[str] = []
    translators: list[str] = []
    for match in _ROLE_NAMES.finditer(credits):
        roles = {match.group("role").casefold()}
        if match.group("role2"):
            roles.add(match.group("role2").casefold())
        names = _split_names(match.group("names"))
        if "translated" in roles:
            translators.extend(n for n in names if n not in translators)
        if roles - {"translated"}:
            contributors.extend(n for n in names if n not in contributors)
    return contributors, translators


def split_funders(text: str) -> list[str]:
    """A funder line's organisations (split at ``;``, and at ``,``/``and`` between names
    that each look like an organisation)."""
    text = text.strip().rstrip(".").strip()
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
