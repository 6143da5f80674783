"""The ``teiHeader``: the archive's metadata, interpreted but always kept verbatim too."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline import __version__
from pipeline.citations import parse_citation, split_full_citation
from pipeline.convert.elements import child, tree_root
from pipeline.convert.speakers import PersonIndex
from pipeline.credits import parse_credits
from pipeline.dates import FoundDate, ParsedDate, dates_agree, find_dates, parse_date
from pipeline.source import Metadata, SourceDocument
from pipeline.tei import XML_ID, XML_LANG

WCDA_PUBLISHER = "History and Public Policy Program, Wilson Center Digital Archive"
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "de": "German", "fr": "French",
                  "zh": "Chinese", "ja": "Japanese", "pl": "Polish", "es": "Spanish",
                  "ko": "Korean", "vi": "Vietnamese", "it": "Italian", "hu": "Hungarian",
                  "cs": "Czech", "ro": "Romanian", "bg": "Bulgarian", "uk": "Ukrainian"}
EDITORIAL_DECL = (
    "Converted from a transcript by tei-edition. Speaker labels became turns (sp) with the "
    "label kept as printed; the transcript's bracketed and slashed editorial conventions "
    "became TEI elements: handwriting (add, subst, note with @hand), illegible and omitted "
    "text (gap), supplied words (supplied), [sic] (sic, choice), deletions (del), stamps "
    "(stamp), page breaks (pb), notes (note), stage remarks (stage). Markup the converter "
    "inferred rather than read carries @resp=\"#converter\" and @cert. Words glued together "
    "by lost formatting are kept as printed (orig) beside a regularised reading (reg).")


@dataclass
class HeaderIssue:
    code: str
    severity: str
    message: str
    line: int | None = None


@dataclass
class HeaderResult:
    header: etree._Element
    issues: list[HeaderIssue] = field(default_factory=list)
    when: str | None = None


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        clean = " ".join(name.split()).strip(" .,;")
        if clean and clean.lower() not in seen:
            seen[clean.lower()] = clean
    return list(seen.values())


def _ascii_slug(text: str, limit: int = 6) -> str:
    from pipeline.convert.speakers import slug

    stop = {"of", "the", "and", "with", "between", "on", "a", "an", "to", "in", "for", "by",
            "from", "record", "conversation", "memorandum"}
    words = [w for w in re.findall(r"[\w’']+", text) if w.lower() not in stop]
    return slug(words[:limit])


def document_id(source: SourceDocument, when: str | None, speakers: list[str],
                title: str, taken: set[str]) -> str:
    """A content-derived id: ``wcda-1960-08-29-khrushchev-suzuki``.

    The document's date and its first two speakers (or the title's first words); without a
    date, the file name. Never one of the ``taken`` ids (person and hand ids).
    """
    from pipeline.convert.speakers import slug

    prefix = "wcda-" if source.reader.startswith("wcda") else "doc-"
    if when:
        parts = [when, *speakers[:2]] if speakers else [when, _ascii_slug(title, 4)]
        ident = prefix + "-".join(p for p in parts if p)
    else:
        ident = prefix + slug([Path(source.path).name.split(".")[0]])
    ident = ident.rstrip("-")
    while ident in taken:
        ident += "-doc"
    return ident


def build_header(source: SourceDocument, persons: PersonIndex, *, title: str,
                 body_dates: list[tuple[str, int]], hands: dict[str, str],
                 hands_used: set[str], publisher: str | None = None) -> HeaderResult:
    meta = source.metadata
    issues: list[HeaderIssue] = []
    full = split_full_citation(meta.full_citation) if meta.full_citation else None

    header = tree_root("teiHeader")
    file_desc = child(header, "fileDesc")

    # --- titleStmt ------------------------------------------------------------------------
    title_stmt = child(file_desc, "titleStmt")
    child(title_stmt, "title", title, type="main")
    for funder in _dedupe(meta.funders):
        child(title_stmt, "funder", funder)
    contributors = list(meta.contributors)
    translators = list(meta.translators)
    editors: list[str] = []
    if meta.credits:
        credits = parse_credits(meta.credits)
        contributors += credits.contributors
        translators += credits.translators
        editors += credits.editors
    if full is not None and full.credits is not None:
        contributors += full.credits.contributors
        translators += full.credits.translators
        editors += full.credits.editors
    for resp, names in (("Contributed by", contributors), ("Translated by", translators),
                        ("Edited by", editors)):
        for name in _dedupe(names):
            resp_stmt = child(title_stmt, "respStmt")
            child(resp_stmt, "resp", resp)
            child(resp_stmt, "persName", name)

    # --- publicationStmt ------------------------------------------------------------------
    publisher = meta.publisher or publisher or (
        WCDA_PUBLISHER if source.reader.startswith("wcda") else "Unknown publisher")
    pub = child(file_desc, "publicationStmt")
    child(pub, "publisher", publisher)
    if meta.record_id:
        child(pub, "idno", meta.record_id.strip(), type="record")
    url = meta.url or (full.url if full is not None else None)
    if url:
        child(pub, "idno", url.strip(), type="URI")
    uploaded = parse_date(meta.uploaded) if meta.uploaded else None
    if uploaded is not None:
        child(pub, "date", meta.uploaded.strip(), when=uploaded.iso, type="uploaded")
    if meta.rights:
        licence = child(child(pub, "availability"), "licence")
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", meta.rights) if p.strip()]
        for para in paragraphs:
            child(licence, "p", para)

    # --- sourceDesc -----------------------------------------------------------------------
    source_desc = child(file_desc, "sourceDesc")
    citation_text = meta.citation
    if not citation_text and full is not None:
        citation_text = full.archival
    if citation_text:
        citation = parse_citation(citation_text)
        if citation.repository or citation.idnos or citation.locus:
            ms_desc = child(source_desc, "msDesc")
            ms_id = child(ms_desc, "msIdentifier")
            child(ms_id, "repository", citation.repository or "Unknown repository")
            for kind, value in citation.idnos:
                child(ms_id, "idno", value, type=kind)
            if citation.locus is not None:
                ms_item = child(child(ms_desc, "msContents"), "msItem")
                locus = child(ms_item, "locus", citation.locus.text)
                if citation.locus.from_:
                    locus.set("from", citation.locus.from_)
                if citation.locus.to:
                    locus.set("to", citation.locus.to)
                child(ms_item, "title", title)
        for warning in citation.warnings:
            issues.append(HeaderIssue("citation-partial", "info", warning,
                                      meta.lines.get("citation")))
        child(source_desc, "bibl", citation_text.strip(), type="citation")
    else:
        child(source_desc, "bibl", "No archival citation given", type="citation")
        issues.append(HeaderIssue("citation-missing", "info",
                                  "the source gives no archival citation",
                                  meta.lines.get("citation")))
    if meta.full_citation:
        child(source_desc, "bibl", " ".join(meta.full_citation.split()), type="publication")

    # --- encodingDesc ---------------------------------------------------------------------
    encoding_desc = child(header, "encodingDesc")
    child(child(encoding_desc, "editorialDecl"), "p", EDITORIAL_DECL)
    application = child(child(encoding_desc, "appInfo"), "application", ident="tei-edition",
                        version=__version__)
    application.set(XML_ID, "converter")
    child(application, "label", "converter")

    # --- profileDesc ----------------------------------------------------------------------
    profile = child(header, "profileDesc")
    if meta.summary:
        child(child(profile, "abstract"), "p", " ".join(meta.summary.split()))
    when = None
    date_text = meta.date
    parsed = parse_date(date_text) if date_text else None
    title_dates = find_dates(title) if title else []
    if parsed is None and title_dates:
        parsed = _found_date(title_dates[0])
        date_text = _found_text(title_dates[0])
    if parsed is not None:
        when = parsed.iso
        date_attrs = ({"when": parsed.iso} if parsed.iso_to is None
                      else {"from": parsed.iso, "to": parsed.iso_to})
        child(child(profile, "creation"), "date", date_text.strip(), **date_attrs)
        if title_dates and date_text:
            first = _found_date(title_dates[0])
            if first is not None and not dates_agree(first, parsed):
                issues.append(HeaderIssue(
                    "date-conflict", "warning",
                    f"the title's date ({first.iso}) and the page's date ({parsed.iso}) "
                    "disagree; the page's date is used in the header",
                    meta.lines.get("date")))
        for body_iso, line in body_dates:
            if not _agree(body_iso, parsed.iso):
                issues.append(HeaderIssue(
                    "review-date-conflict", "info",
                    f"the body gives the date {body_iso} but the document is dated "
                    f"{parsed.iso}; both are kept", line))
                break
    elif date_text:
        child(child(profile, "creation"), "date", date_text.strip())
        issues.append(HeaderIssue("date-unparsed", "warning",
                                  f"could not read the date {date_text.strip()!r}; kept as text "
                                  "without @when", meta.lines.get("date")))
    else:
        # every record's header dates it; an undated source says so instead of guessing
        child(child(profile, "creation"), "date", "undated")
        issues.append(HeaderIssue("date-missing", "info",
                                  "the source gives no date; the header says 'undated'", None))
    lang = source.language or "en"
    lang_usage = child(profile, "langUsage")
    child(lang_usage, "language", LANGUAGE_NAMES.get(lang, lang), ident=lang)
    if meta.original_language:
        # the language's name; @usage="0" says it is the original's, not the text's
        child(lang_usage, "language", meta.original_language.strip(),
              ident=_lang_code(meta.original_language) or "und", usage="0")
    if meta.record_type:
        keywords = child(child(profile, "textClass"), "keywords")
        child(keywords, "term", meta.record_type.strip(), type="genre")
    if persons.persons:
        list_person = child(child(profile, "particDesc"), "listPerson")
        for person in sorted(persons.persons.values(), key=lambda p: p.id):
            element = child(list_person, "person", role="participant")
            element.set(XML_ID, person.id)
            name = child(element, "persName", person.best_name())
            if person.ref:
                name.set("ref", person.ref)
    if hands_used:
        hand_notes = child(profile, "handNotes")
        for hand_id in sorted(hands_used):
            bare = hand_id.lstrip("#")
            note = child(hand_notes, "handNote", hands.get(
                bare, "Unidentified hand: handwritten additions and notes on the typescript"))
            note.set(XML_ID, bare)

    # --- revisionDesc ---------------------------------------------------------------------
    change = child(child(header, "revisionDesc"), "change",
                   f"Converted by tei-edition {__version__} from the {source.reader} source")
    if uploaded is not None:
        change.set("when", uploaded.iso)
    return HeaderResult(header, issues, when)


def _found_date(found: FoundDate) -> ParsedDate:
    return ParsedDate(found.iso, found.precision, found.text, found.iso_to)


def _found_text(found: FoundDate) -> str:
    return found.text


def _agree(a: str, b: str) -> bool:
    """ISO dates agree when one is a prefix of the other (``1961-08`` and ``1961-08-15``)."""
    return a.startswith(b) or b.startswith(a)


def _lang_code(name: str) -> str | None:
    name = name.strip().strip("[]\"").lower()
    for code, label in LANGUAGE_NAMES.items():
        if label.lower() == name:
            return code
    return None


def set_root_attributes(root: etree._Element, doc_id: str, lang: str) -> None:
    """The document's id and language on its ``TEI`` root."""
    root.set(XML_ID, doc_id)
    root.set(XML_LANG, lang)


def metadata_title(meta: Metadata) -> str | None:
    return " ".join(meta.title.split()) if meta.title else None
