"""Transcript to TEI: the converter every other stage consumes.

``convert_path(path)`` reads a transcript with the reader that fits its layout
(:mod:`pipeline.readers`), encodes its body (:mod:`pipeline.convert.body`) and header
(:mod:`pipeline.convert.header`), and returns the TEI with a conversion report that accounts
for every input line and lists every inference for review.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.atomic import write_bytes
from pipeline.convert.body import BodyResult, build_body
from pipeline.convert.elements import child, parse_tei_bytes, tei_document_bytes, tree_root
from pipeline.convert.header import (
    build_header,
    document_id,
    metadata_title,
    set_root_attributes,
)
from pipeline.convert.inline import InlineContext, fill
from pipeline.dates import find_dates, parse_date
from pipeline.diagnostics import Diagnostic, Report, Severity
from pipeline.errors import EditionError
from pipeline.readers import read_source
from pipeline.source import SourceDocument
from pipeline.tei import pretty, serialize

__all__ = ["Conversion", "ConvertOptions", "ConvertResult", "convert_path", "convert_source",
           "convert_sources"]


@dataclass
class ConvertOptions:
    """Per-corpus knowledge the transcript cannot give (usually from ``edition.toml``)."""

    aliases: dict[str, str] = field(default_factory=dict)        # label -> person id
    persons: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> name, wikidata
    hands: dict[str, str] = field(default_factory=dict)          # hand id -> description
    glued_words: bool = True
    publisher: str | None = None     # the edition's publisher, when the source names none


@dataclass
class Conversion:
    """One converted document.

    ``root`` is the converter's own tree, its elements named without a namespace (see
    :mod:`pipeline.convert.elements`), written once into :attr:`tei_bytes`; ``tree`` is
    the TEI document in the TEI namespace, parsed from those bytes on first use. Once
    ``tree`` is made, :attr:`tei_bytes` writes it (so that changes made to it show).
    """

    source: SourceDocument
    root: etree._Element
    doc_id: str
    report: Report
    turns: int = 0
    speakers: dict[str, int] = field(default_factory=dict)
    _tree: etree._ElementTree | None = field(default=None, init=False, repr=False,
                                              compare=False)
    _written: bytes | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def tree(self) -> etree._ElementTree:
        if self._tree is None:
            self._tree = parse_tei_bytes(self.tei_bytes)
            self._written = None        # the tree is written from now on
        return self._tree

    @property
    def tei_bytes(self) -> bytes:
        if self._tree is not None:
            return serialize(self._tree.getroot())
        if self._written is None:
            self._written = tei_document_bytes(self.root)
        return self._written

    def summary_line(self) -> str:
        counts = Counter(d.severity for d in self.report.diagnostics)
        review = len(self.report.details.get("review", []))
        lines = self.report.details.get("lines", {})
        line_part = ", ".join(f"{n} {role}" for role, n in lines.items())
        turns = (f"{self.turns} turns by {len(self.speakers)} speakers"
                 if self.turns else "no speaker turns")
        return (f"{self.source.path}: {self.source.reader} -> {self.doc_id}: {turns}; "
                f"{self.source.line_count} lines ({line_part}); {review} for review, "
                f"{counts[Severity.WARNING]} warning(s), {counts[Severity.ERROR]} error(s)")


@dataclass
class ConvertResult:
    conversions: list[Conversion]
    reports: list[Report]


def _diag(code: str, severity: str, message: str, path: str, line: int | None,
          col: int | None = None) -> Diagnostic:
    return Diagnostic(code, Severity(severity), message, path, line, col)


def _body_dates(body: BodyResult, source: SourceDocument) -> list[tuple[str, int]]:
    """Dates stated in the opening paragraphs of the body ("… on 20 July 1965")."""
    found: list[tuple[str, int]] = []
    for block in source.blocks[:8]:
        for item in find_dates(block.text):
            found.append((item.iso, block.line))
        if found:
            break
    return found


def _listing_body(source: SourceDocument) -> etree._Element:
    div = tree_root("div", type="listing")
    list_bibl = child(div, "listBibl")
    for entry in source.listing or []:
        bibl = child(list_bibl, "bibl")
        if entry.date:
            parsed = parse_date(entry.date)
            date = child(bibl, "date", entry.date)
            if parsed is not None:
                date.set("when", parsed.iso)
        title = child(bibl, "title")
        fill(title, entry.title, InlineContext(glued_words=False))
        if entry.summary:
            child(bibl, "note", entry.summary, type="summary")
    return div


XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: the control characters of XML_ILLEGAL, as the bytes that encode them in UTF-8
_ILLEGAL_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])


def _holds_xml_illegal(text: str) -> bool:
    """Whether ``text`` holds a character of :data:`XML_ILLEGAL`, by byte operations (a
    search for the character class costs about 15 ns a character): UTF-8 cannot encode a
    lone surrogate, and encodes each control character as the byte of the same value."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return (len(data.translate(None, _ILLEGAL_CONTROL_BYTES)) != len(data)
            or "\ufffe" in text or "\uffff" in text)


def _make_xml_safe(source: SourceDocument, report: Report) -> None:
    """Characters XML cannot hold (control characters, lone surrogates) become U+FFFD."""
    # most documents hold none: one test over the whole body spares a search per block
    suspect = _holds_xml_illegal("\n".join(block.text for block in source.blocks))
    for block in source.blocks if suspect else []:
        if XML_ILLEGAL.search(block.text):
            match = XML_ILLEGAL.search(block.text)
            report.add(_diag("control-character", "warning",
                             f"character U+{ord(match.group(0)):04X} cannot stand in XML and "
                             "was replaced by U+FFFD", source.path, block.line,
                             block.col + match.start() if block.last_line in (
                                 None, block.line) else None))
            block.text = XML_ILLEGAL.sub("\ufffd", block.text)
    meta = source.metadata
    for name in ("title", "date", "summary", "citation", "full_citation", "credits", "rights",
                 "record_type", "record_id", "language", "original_language", "url",
                 "uploaded", "classification", "publisher", "related_summary"):
        value = getattr(meta, name)
        if value and XML_ILLEGAL.search(value):
            setattr(meta, name, XML_ILLEGAL.sub("\ufffd", value))
    for name in ("contributors", "translators", "funders", "contents"):
        setattr(meta, name, [XML_ILLEGAL.sub("\ufffd", v) for v in getattr(meta, name)])
    for entry in source.listing or []:
        entry.title = XML_ILLEGAL.sub("\ufffd", entry.title)
        entry.date = XML_ILLEGAL.sub("\ufffd", entry.date) if entry.date else entry.date
        entry.summary = XML_ILLEGAL.sub("\ufffd", entry.summary) if entry.summary else None


def convert_source(source: SourceDocument, options: ConvertOptions | None = None) -> Conversion:
    """Build the TEI document and its report from a reader's output."""
    options = options or ConvertOptions()
    path = source.path
    report = Report(path)
    report.extend(source.diagnostics)
    _make_xml_safe(source, report)
    title = metadata_title(source.metadata)

    # the body is made in place in the document (see build_body); the root's attributes,
    # which depend on the body, are set once it is made
    root = tree_root("TEI")
    body = child(child(root, "text"), "body")
    if source.listing is not None:
        body.append(_listing_body(source))
        body_result = None
        from pipeline.convert.speakers import PersonIndex
        persons = PersonIndex()
        hands_used: set[str] = set()
        title = title or "Listing"
        body_dates: list[tuple[str, int]] = []
        turns, speakers = 0, {}
    else:
        body_result, ctx = build_body(source.blocks, title=title, lang=source.language,
                                      aliases=options.aliases, persons=options.persons,
                                      glued_words=options.glued_words, parent=body)
        persons = body_result.persons
        hands_used = ctx.hands_used
        title = title or body_result.head_text or _first_words(source) or Path(path).stem
        body_dates = _body_dates(body_result, source)
        turns, speakers = body_result.turns, body_result.speakers
        for inference, line, col in body_result.inferences:
            report.add(_diag(inference.code, inference.severity, inference.message, path,
                             line, col))
        for n in body_result.footnotes_unused:
            report.add(_diag("footnote-unanchored", "warning",
                             f"note text [{n}] at the end has no anchor in the body; it was "
                             "left where it stands", path, None))

    header = build_header(source, persons, title=title, body_dates=body_dates,
                          hands=options.hands, hands_used=hands_used,
                          publisher=options.publisher)
    for issue in header.issues:
        report.add(_diag(issue.code, issue.severity, issue.message, path, issue.line))

    ordered_speakers = list(speakers)
    taken = set(persons.persons) | {h.lstrip("#") for h in hands_used} | {"converter"}
    doc_id = document_id(source, header.when, ordered_speakers, title, taken)
    set_root_attributes(root, doc_id, source.language or "en")
    root.insert(0, header.header)
    pretty(root)

    if body_result is not None and not turns and source.reader == "plain" and not any(
            (source.metadata.title, source.metadata.date)):
        report.add(_diag("structure-none", "warning",
                         "no page layout, metadata or speaker labels recognised: converted as "
                         "plain paragraphs", path, 1, 1))
    report.diagnostics.sort(key=lambda d: (d.line or 0, d.col or 0))
    review = [d.to_dict() for d in report.diagnostics if d.code.startswith("review-")]
    roles: dict[str, int] = {}        # lines per kind of role (body, header, chrome...)
    accounting = []
    for entry in source.accounting:
        first, last, role = entry.first, entry.last, entry.role
        kind = role.partition(":")[0]
        roles[kind] = roles.get(kind, 0) + last - first + 1
        accounting.append({"first": first, "last": last, "role": role})
    report.details.update({
        "reader": source.reader,
        "encoding": source.encoding,
        "language": source.language,
        "sidecar": source.sidecar,
        "id": doc_id,
        "turns": turns,
        "speakers": speakers,
        "lines": dict(sorted(roles.items())),
        "accounting": accounting,
        "review": review,
    })
    return Conversion(source, root, doc_id, report, turns, speakers)


def _first_words(source: SourceDocument, limit: int = 12) -> str | None:
    for block in source.blocks:
        words = block.text.split()
        if words:
            return " ".join(words[:limit]) + ("…" if len(words) > limit else "")
    return None


def convert_path(path: str | Path, *, reader: str | None = None,
                 options: ConvertOptions | None = None) -> Conversion:
    """Read and convert one transcript. Raises :class:`EditionError` for unusable input."""
    return convert_source(read_source(path, reader=reader), options)


def convert_sources(paths: Iterable[Path], *, out_dir: Path | None = None,
                    reader: str | None = None,
                    options: ConvertOptions | None = None) -> ConvertResult:
    """Convert several sources; a failing one is reported and the others still convert."""
    conversions: list[Conversion] = []
    reports: list[Report] = []
    used_ids: Counter[str] = Counter()
    for path in paths:
        try:
            conversion = convert_path(path, reader=reader, options=options)
        except EditionError as exc:
            if exc.code.startswith("usage"):
                raise
            report = Report(str(path))
            report.add(exc.to_diagnostic())
            reports.append(report)
            continue
        used_ids[conversion.doc_id] += 1
        if used_ids[conversion.doc_id] > 1:
            conversion.report.add(_diag(
                "id-duplicate", "warning",
                f"another source in this run also converts to id {conversion.doc_id!r}; "
                f"written as {conversion.doc_id}-{used_ids[conversion.doc_id]}.xml",
                str(path), None))
        conversions.append(conversion)
        reports.append(conversion.report)
        if out_dir is not None:
            name = conversion.doc_id if used_ids[conversion.doc_id] == 1 else \
                f"{conversion.doc_id}-{used_ids[conversion.doc_id]}"
            write_bytes(Path(out_dir) / f"{name}.xml", conversion.tei_bytes)
    return ConvertResult(conversions, reports)

