"""Per-document summary records, from which the corpus index page is built.

A summary is a small XML record (namespace ``urn:tei-edition:summary``) holding what the
listing needs: title, date, summary, record type, citation, the persons of ``particDesc``
and every turn (``xml:id``, ``@who``, speaker label). The corpus build stores one per
document, so the index can be rebuilt without reparsing every document.
"""

from __future__ import annotations

from lxml import etree

from pipeline.tei import NS, XML_ID, XML_LANG

SUMMARY_NS = "urn:tei-edition:summary"
_S = f"{{{SUMMARY_NS}}}"


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _first(root: etree._Element, path: str) -> etree._Element | None:
    """The first element at ``path`` (an ElementPath, compiled once and cached by lxml)."""
    return root.find(path, NS)


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
    if root.tag == f"{{{NS['tei']}}}teiCorpus" and _first(root, "tei:TEI") is not None:
        tei = _first(root, "tei:TEI")
    record = etree.Element(f"{_S}document", nsmap={None: SUMMARY_NS})
    record.set("id", doc_id)
    record.set("href", href)
    lang = tei.get(XML_LANG)
    if lang:
        record.set("lang", lang)
    titles = tei.findall("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS)
    main = [t for t in titles if t.get("type") == "main"] or \
        [t for t in titles if t.get("type") != "sub"] or titles
    etree.SubElement(record, f"{_S}title").text = _text(main[0]) if main else doc_id
    date = _first(tei, "tei:teiHeader/tei:profileDesc/tei:creation//tei:date")
    if date is None:
        date = _first(tei, "tei:teiHeader/tei:profileDesc/tei:correspDesc/"
                           "tei:correspAction[@type='sent']//tei:date")
    if date is not None:
        element = etree.SubElement(record, f"{_S}date")
        when = date.get("when") or date.get("notBefore") or date.get("from")
        if when:
            element.set("when", when)
        element.text = _text(date) or when or ""
    abstract = tei.findall("tei:teiHeader/tei:profileDesc/tei:abstract", NS)
    if abstract:
        paragraphs = abstract[0].findall("tei:p", NS) or abstract
        text = " ".join(_text(p) for p in paragraphs).strip()
        if text:
            etree.SubElement(record, f"{_S}summary").text = text
    genre = _first(tei, "tei:teiHeader/tei:profileDesc/tei:textClass/tei:keywords/"
                        "tei:term[@type='genre']")
    if genre is not None and _text(genre):
        etree.SubElement(record, f"{_S}type").text = _text(genre)
    citation = _first(tei, "tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[@type='citation']")
    if citation is not None and _text(citation):
        etree.SubElement(record, f"{_S}citation").text = _text(citation)
    for person in tei.iterfind("tei:teiHeader/tei:profileDesc/tei:particDesc//tei:person", NS):
        element = etree.SubElement(record, f"{_S}person")
        element.set("id", person.get(XML_ID, ""))
        if person.get("role"):
            element.set("role", person.get("role"))
        name = _first(person, "tei:persName")
        if name is None:
            name = _first(person, "tei:name")
        element.text = _text(name) or person.get(XML_ID, "")
    for sp in tei.iterfind("tei:text//tei:sp", NS):
        element = etree.SubElement(record, f"{_S}turn")
        if sp.get(XML_ID):
            element.set("id", sp.get(XML_ID))
        if sp.get("who"):
            element.set("who", sp.get("who"))
        element.text = _text(_first(sp, "tei:speaker"))
    return record


def wrap_summaries(summaries: list[bytes | etree._Element]) -> str:
    """The index stylesheet's input: all summary records (as bytes, or elements already
    parsed, which are moved into it) in one ``summaries`` element."""
    wrapper = etree.Element(f"{_S}summaries", nsmap={None: SUMMARY_NS})
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for data in summaries:
        wrapper.append(data if isinstance(data, etree._Element)
                       else etree.fromstring(data, parser))
    return etree.tostring(wrapper, encoding="unicode")
