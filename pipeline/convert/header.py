"""The ``teiHeader``: the archive's metadata, interpreted but always kept verbatim too."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline import __version__
from pipeline.citations import parse_citation, split_full_citation
from pipeline.convert.speakers import PersonIndex
from pipeline.credits import parse_credits
from pipeline.dates import FoundDate, ParsedDate, dates_agree, find_dates, parse_date
from pipeline.source import Metadata, SourceDocument
from pipeline.tei import XML_ID, XML_LANG, E

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

    # --- titleStmt ------------------------------------------------------------------------
    title_stmt = E.titleStmt(E.title(title, type="main"))
    for funder in _dedupe(meta.funders):
        title_stmt.append(E.funder(funder))
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
            title_stmt.append(E.respStmt(E.resp(resp), E.persName(name)))

    # --- publicationStmt ------------------------------------------------------------------
    publisher = meta.publisher or publisher or (
        WCDA_PUBLISHER if source.reader.startswith("wcda") else "Unknown publisher")
    pub = E.publicationStmt(E.publisher(publisher))
    if meta.record_id:
        pub.append(E.idno(meta.record_id.strip(), type="record"))
    url = meta.url or (full.url if full is not None else None)
    if url:
        pub.append(E.idno(url.strip(), type="URI"))
    uploaded = parse_date(meta.uploaded) if meta.uploaded else None
    if uploaded is not None:
        pub.append(E.date(meta.uploaded.strip(), when=uploaded.iso, type="uploaded"))
    if meta.rights:
        licence = E.licence()
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", meta.rights) if p.strip()]
        for para in paragraphs:
            licence.append(E.p(para))
        pub.append(E.availability(licence))

    # --- sourceDesc -----------------------------------------------------------------------
    source_desc = E.sourceDesc()
    citation_text = meta.citation
    if not citation_text and full is not None:
        citation_text = full.archival
    if citation_text:
        citation = parse_citation(citation_text)
        if citation.repository or citation.idnos or citation.locus:
            ms_id = E.msIdentifier()
            if citation.repository:
                repository = E.repository(citation.repository)
                ms_id.append(repository)
            for kind, value in citation.idnos:
                ms_id.append(E.idno(value, type=kind))
            if not citation.repository:
                ms_id.insert(0, E.repository("Unknown repository"))
            ms_desc = E.msDesc(ms_id)
            if citation.locus is not None:
                locus = E.locus(citation.locus.text)
                if citation.locus.from_:
                    locus.set("from", citation.locus.from_)
                if citation.locus.to:
                    locus.set("to", citation.locus.to)
                ms_desc.append(E.msContents(E.msItem(locus, E.title(title))))
            source_desc.append(ms_desc)
        for warning in citation.warnings:
            issues.append(HeaderIssue("citation-partial", "info", warning,
                                      meta.lines.get("citation")))
        source_desc.append(E.bibl(citation_text.strip(), type="citation"))
    else:
        source_desc.append(E.bibl("No archival citation given", type="citation"))
        issues.append(HeaderIssue("citation-missing", "info",
                                  "the source gives no archival citation",
                                  meta.lines.get("citation")))
    if meta.full_citation:
        source_desc.append(E.bibl(" ".join(meta.full_citation.split()), type="publication"))

    file_desc = E.fileDesc(title_stmt, pub, source_desc)

    # --- encodingDesc ---------------------------------------------------------------------
    application = E.application(E.label("converter"), ident="tei-edition", version=__version__)
    application.set(XML_ID, "converter")
    encoding_desc = E.encodingDesc(E.editorialDecl(E.p(EDITORIAL_DECL)),
                                   E.appInfo(application))

    # --- profileDesc ----------------------------------------------------------------------
    profile = E.profileDesc()
    if meta.summary:
        profile.append(E.abstract(E.p(" ".join(meta.summary.split()))))
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
        profile.append(E.creation(E.date(date_text.strip(), **date_attrs)))
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
        profile.append(E.creation(E.date(date_text.strip())))
        issues.append(HeaderIssue("date-unparsed", "warning",
                                  f"could not read the date {date_text.strip()!r}; kept as text "
                                  "without @when", meta.lines.get("date")))
    else:
        # every record's header dates it; an undated source says so instead of guessing
        profile.append(E.creation(E.date("undated")))
        issues.append(HeaderIssue("date-missing", "info",
                                  "the source gives no date; the header says 'undated'", None))
    lang = source.language or "en"
    lang_usage = E.langUsage(E.language(LANGUAGE_NAMES.get(lang, lang), ident=lang))
    if meta.original_language:
        lang_usage.append(E.language(f"Original: {meta.original_language.strip()}",
                                     ident=_lang_code(meta.original_language) or "und",
                                     usage="0"))
    profile.append(lang_usage)
    if meta.record_type:
        profile.append(E.textClass(E.keywords(E.term(meta.record_type.strip(), type="genre"))))
    if persons.persons:
        list_person = E.listPerson()
        for person in sorted(persons.persons.values(), key=lambda p: p.id):
            element = E.person(E.persName(person.best_name()), role="participant")
            element.set(XML_ID, person.id)
            if person.ref:
                element[0].set("ref", person.ref)
            list_person.append(element)
        profile.append(E.particDesc(list_person))
    if hands_used:
        hand_notes = E.handNotes()
        for hand_id in sorted(hands_used):
            bare = hand_id.lstrip("#")
            note = E.handNote(hands.get(bare, "Unidentified hand: handwritten additions "
                                        "and notes on the typescript"))
            note.set(XML_ID, bare)
            hand_notes.append(note)
        profile.append(hand_notes)

    # --- revisionDesc ---------------------------------------------------------------------
    change = E.change(f"Converted by tei-edition {__version__} from the {source.reader} "
                      "source")
    if uploaded is not None:
        change.set("when", uploaded.iso)
    header = E.teiHeader(file_desc, encoding_desc, profile, E.revisionDesc(change))
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


def root_element(doc_id: str, lang: str) -> etree._Element:
    root = E.TEI()
    root.set(XML_ID, doc_id)
    root.set(XML_LANG, lang)
    return root


def metadata_title(meta: Metadata) -> str | None:
    return " ".join(meta.title.split()) if meta.title else None
