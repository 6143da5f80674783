"""Per-document summary records, from which the corpus index page is built.

A summary is a small XML record (namespace ``urn:tei-edition:summary``) holding what the
listing needs: title, date, summary, record type, citation, the persons of ``particDesc``
and every turn (``xml:id``, ``@who``, speaker label). The corpus build stores one per
document, so the index can be rebuilt without reparsing every document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from lxml import etree

from pipeline.tei import NS, XML_ID, XML_LANG

SUMMARY_NS = "urn:tei-edition:summary"
_S = f"{{{SUMMARY_NS}}}"
_WRAPPER_START = f'<summaries xmlns="{SUMMARY_NS}">'
#: how a record written by :func:`document_summary` starts, and the parser of any other
_RECORD_START = b"<document "
_RECORD_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_T = f"{{{NS['tei']}}}"
_SPEAKER = f"{_T}speaker"


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    if not len(element):   # text only: no need to walk it
        return " ".join((element.text or "").split())
    return " ".join("".join(element.itertext()).split())


def _path(element: etree._Element, *steps: str) -> list[etree._Element]:
    """The elements at a path of TEI element names from ``element``, in document order: a
    name is a child step, ``//name`` a descendant step (what the ElementPath
    ``tei:a/tei:b//tei:c`` selects), walked by lxml's tag filters."""
    found = [element]
    for step in steps:
        if step.startswith("//"):
            tag = _T + step[2:]
            found = [d for e in found for d in e.iterdescendants(tag)]
        else:
            tag = _T + step
            found = [c for e in found for c in e.iterchildren(tag)]
        if not found:
            break
    return found


def _first(element: etree._Element, *steps: str) -> etree._Element | None:
    found = _path(element, *steps)
    return found[0] if found else None


def document_summary(tree: etree._ElementTree | etree._Element, *, doc_id: str,
                     href: str) -> bytes:
    """The summary record of one TEI document (UTF-8 XML bytes)."""
    return etree.tostring(summary_record(tree, doc_id=doc_id, href=href), encoding="UTF-8",
                          xml_declaration=False)


def summary_record(tree: etree._ElementTree | etree._Element, *, doc_id: str,
                   href: str) -> etree._Element:
    """The summary record of one TEI document, as an element."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    tei = root
    if root.tag == f"{_T}teiCorpus" and _first(root, "TEI") is not None:
        tei = _first(root, "TEI")
    record = etree.Element(f"{_S}document", nsmap={None: SUMMARY_NS})
    record.set("id", doc_id)
    record.set("href", href)
    lang = tei.get(XML_LANG)
    if lang:
        record.set("lang", lang)
    titles = _path(tei, "teiHeader", "fileDesc", "titleStmt", "title")
    main = [t for t in titles if t.get("type") == "main"] or \
        [t for t in titles if t.get("type") != "sub"] or titles
    etree.SubElement(record, f"{_S}title").text = _text(main[0]) if main else doc_id
    date = _first(tei, "teiHeader", "profileDesc", "creation", "//date")
    if date is None:
        sent = [action for action in _path(tei, "teiHeader", "profileDesc", "correspDesc",
                                           "correspAction") if action.get("type") == "sent"]
        date = next((d for action in sent for d in action.iterdescendants(f"{_T}date")), None)
    if date is not None:
        element = etree.SubElement(record, f"{_S}date")
        when = date.get("when") or date.get("notBefore") or date.get("from")
        if when:
            element.set("when", when)
        element.text = _text(date) or when or ""
    abstract = _path(tei, "teiHeader", "profileDesc", "abstract")
    if abstract:
        paragraphs = _path(abstract[0], "p") or abstract
        text = " ".join(_text(p) for p in paragraphs).strip()
        if text:
            etree.SubElement(record, f"{_S}summary").text = text
    genre = next((term for term in _path(tei, "teiHeader", "profileDesc", "textClass",
                                         "keywords", "term")
                  if term.get("type") == "genre"), None)
    if genre is not None and _text(genre):
        etree.SubElement(record, f"{_S}type").text = _text(genre)
    citation = next((bibl for bibl in _path(tei, "teiHeader", "fileDesc", "sourceDesc", "bibl")
                     if bibl.get("type") == "citation"), None)
    if citation is not None and _text(citation):
        etree.SubElement(record, f"{_S}citation").text = _text(citation)
    for person in _path(tei, "teiHeader", "profileDesc", "particDesc", "//person"):
        element = etree.SubElement(record, f"{_S}person")
        element.set("id", person.get(XML_ID, ""))
        if person.get("role"):
            element.set("role", person.get("role"))
        name = _first(person, "persName")
        if name is None:
            name = _first(person, "name")
        element.text = _text(name) or person.get(XML_ID, "")
    for sp in _path(tei, "text", "//sp"):
        element = etree.SubElement(record, f"{_S}turn")
        if sp.get(XML_ID):
            element.set("id", sp.get(XML_ID))
        if sp.get("who"):
            element.set("who", sp.get("who"))
        first = sp[0] if len(sp) else None   # the speaker comes first
        element.text = _text(first if first is not None and first.tag == _SPEAKER
                             else _first(sp, "speaker"))
    return record


#: where the part of a stored record that only the persons index reads starts: the record
#: type, the citation, the persons and the turns all follow the title, the date and the
#: summary (:func:`summary_record` writes them in that order; text and attribute values are
#: escaped, so these can only be tags)
_PERSONS_PART = (b"<type>", b"<citation>", b"<person ", b"<turn ", b"<turn>")


def listing_record(data: bytes) -> bytes:
    """A stored record (as :func:`document_summary` writes it) cut to what a listing page
    shows: the document's id, link, title, date and summary. A record of any other form is
    returned as it is."""
    if not data.startswith(_RECORD_START):
        return data
    cuts = [at for at in map(data.find, _PERSONS_PART) if at >= 0]
    return data[:min(cuts)] + b"</document>" if cuts else data


def persons_record(doc_id: str, href: str, title: str, date: str | None, when: str | None,
                   persons: Iterable[tuple[str, int, str, Iterable[str]]]) -> bytes:
    """The record a persons index page is given for one document: its id, link, title and
    date, and only the persons shown on the page, each as (id, rank, name, turns) where
    ``turns`` is what :func:`person_turns` gives for the person. It holds what the
    persons index reads of the full record, which it is made without parsing."""
    parts = [f'<document id="{_attribute(doc_id)}" href="{_attribute(href)}">'
             f"<title>{escape(title, quote=False)}</title>"]
    if date is not None:
        parts.append(f'<date when="{_attribute(when)}">' if when else "<date>")
        parts.append(f"{escape(date, quote=False)}</date>")
    turn_parts = []
    for person_id, rank, name, turns in persons:
        person = _attribute(person_id)
        parts.append(f'<person id="{person}" rank="{rank}">{escape(name, quote=False)}</person>')
        for turn in turns:
            turn_parts.append(f'<turn id="{_attribute(turn)}" who="#{person}"/>' if turn
                              else f'<turn who="#{person}"/>')
    parts.extend(turn_parts)
    parts.append("</document>")
    return "".join(parts).encode("utf-8")


#: what XPath's normalize-space() and tokenize(..., ' ') take as the spaces between tokens
_XML_SPACES = re.compile(r"[ \t\r\n]+")


def person_turns(record: etree._Element) -> dict[str, list[str]]:
    """The turns of each person of a summary record, as the persons index finds them (the
    tokens of a turn's ``who``, without one leading ``#``): person id -> the turns' ids in
    document order, an empty string for a turn without one."""
    turns: dict[str, list[str]] = {}
    for turn in record.iterchildren(f"{_S}turn"):
        turn_id = turn.get("id") or ""
        who = {token[1:] if token.startswith("#") else token
               for token in _XML_SPACES.split(turn.get("who") or "") if token}
        for person in who:
            turns.setdefault(person, []).append(turn_id)
    return turns


def _attribute(value: str | None) -> str:
    return escape(value or "", quote=True)


def read_record(data: bytes) -> etree._Element:
    """A stored summary record, parsed (no DTD, no entities, no network)."""
    return etree.fromstring(data, _RECORD_PARSER)


def wrap_summaries(summaries: Iterable[bytes | etree._Element]) -> str:
    """The index stylesheet's input: the summary records, as :func:`document_summary`
    writes them (UTF-8, no XML declaration) or as elements, one after the other in a
    ``summaries`` element. Records given as such bytes are joined as they are: parsing
    each into a tree and writing the tree out again cost about a tenth of a listing page.
    Bytes of any other form (an XML declaration, a byte order mark) are parsed first."""
    records = [data if isinstance(data, bytes) and data.startswith(_RECORD_START)
               else etree.tostring(data if isinstance(data, etree._Element)
                                   else read_record(data),
                                   encoding="UTF-8")
               for data in summaries]
    return f"{_WRAPPER_START}{b''.join(records).decode('utf-8')}</summaries>"
