"""TEI namespace constants, the one ElementMaker, and deterministic serialisation."""

from __future__ import annotations

from lxml import etree
from lxml.builder import ElementMaker

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: TEI_NS}
NS = {"tei": TEI_NS}

#: Builds TEI elements: ``E.p("text")``.
E = ElementMaker(namespace=TEI_NS, nsmap=NSMAP)


def tag(local: str) -> str:
    """The Clark name of a TEI element: ``tag("p") == "{http://www.tei-c.org/ns/1.0}p"``."""
    return f"{{{TEI_NS}}}{local}"


def xml_attr(local: str) -> str:
    """The Clark name of an ``xml:`` attribute (``xml:id``, ``xml:lang``)."""
    return f"{{{XML_NS}}}{local}"


XML_ID = xml_attr("id")
XML_LANG = xml_attr("lang")


def localname(element: etree._Element) -> str:
    return etree.QName(element).localname


def xpath(expression: str) -> etree.XPath:
    """A precompiled XPath with the ``tei:`` prefix bound."""
    return etree.XPath(expression, namespaces=NS)


def serialize(root: etree._Element) -> bytes:
    """Pretty-printed UTF-8 with an XML declaration; byte-identical for identical trees."""
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def indent(root: etree._Element, space: str = " ") -> None:
    """Indent element-only content in place; mixed content is left untouched."""
    etree.indent(root, space=space)


#: Elements whose content is (or may be) mixed: their inside is never re-indented, so
#: pretty-printing cannot add or move text.
PHRASE_LEVEL = frozenset("""
p head speaker note add del stage signed seg supplied sic corr orig reg choice subst stamp title
persName resp bibl date dateline desc handNote term language label idno repository locus
publisher funder change opener closer l ab hi name placeName orgName quote q gap lb pb unclear
abbr expan ref ptr foreign emph salute item
""".split())


def pretty(root: etree._Element, space: str = " ") -> None:
    """Indent element-only structure in place; never touch the inside of phrase-level
    elements (so whitespace in text content stays exactly as converted)."""

    def walk(element: etree._Element, depth: int) -> None:
        if etree.QName(element).localname in PHRASE_LEVEL or not len(element):
            return
        if (element.text or "").strip() or any((c.tail or "").strip() for c in element):
            return
        inner = "\n" + space * (depth + 1)
        element.text = inner
        for child in element:
            child.tail = inner
            walk(child, depth + 1)
        element[-1].tail = "\n" + space * depth

    walk(root, 0)
    root.tail = None
