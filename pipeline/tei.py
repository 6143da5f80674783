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
