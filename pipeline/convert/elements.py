"""The converter's tree: TEI elements named without a namespace.

The converter builds its tree with bare element names (``p``, not
``{http://www.tei-c.org/ns/1.0}p``) and declares the TEI namespace once, on the root, when it
writes the document: lxml creates an element in no namespace in about two thirds of the time
it takes for a namespaced one (no Clark name to split, no declaration to look up among the
ancestors), and the converter creates hundreds per document. The written bytes are those of
the same tree in the TEI namespace: a default namespace declared on the root is the only
declaration such a tree has, and it is written first among the root's attributes.

Whoever wants the tree in the TEI namespace parses the written bytes
(:func:`parse_tei_bytes`), which :class:`pipeline.convert.Conversion` does on first use.
"""

from __future__ import annotations

from lxml import etree

from pipeline.tei import TEI_NS

_SubElement = etree.SubElement
_Element = etree.Element

#: the root's start tag as written without and with the TEI namespace declared
_ROOT_START = b"<TEI"
_ROOT_START_DECLARED = b'<TEI xmlns="' + TEI_NS.encode() + b'"'


def child(parent: etree._Element, local: str, text: str | None = None, /,
          **attrib: str) -> etree._Element:
    """Append a new element named ``local`` (no namespace) to ``parent`` and return it.

    The attributes are set one by one, in order, after the element is made: lxml takes
    some 1.3 to 1.5 times as long to make an element from a dictionary of attributes, and
    nearly three times as long when one of them is ``xml:id``.
    """
    element = _SubElement(parent, local)
    if attrib:
        set_attribute = element.set
        for name, value in attrib.items():
            set_attribute(name, value)
    if text is not None:
        element.text = text
    return element


def tree_root(local: str, text: str | None = None, /, **attrib: str) -> etree._Element:
    """A new element named ``local`` (no namespace), the root of a tree of its own."""
    made = _Element(local)
    for name, value in attrib.items():
        made.set(name, value)
    if text is not None:
        made.text = text
    return made


def tei_document_bytes(root: etree._Element) -> bytes:
    """The converter's tree (rooted in ``TEI``, no namespaces) as the TEI document it stands
    for: pretty-printed UTF-8 with an XML declaration, the TEI namespace declared on the
    root. The same bytes as :func:`pipeline.tei.serialize` gives for the tree in the TEI
    namespace."""
    data = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    # the declaration before the root holds no "<TEI": the first is the root's start tag
    return data.replace(_ROOT_START, _ROOT_START_DECLARED, 1)


#: the converter's own output is parsed with no size limit (a long transcript makes a long
#: text node); it holds no DOCTYPE, entities or external references. Its ``xml:id``s are
#: not collected as IDs (as in every tree :mod:`pipeline.safexml` parses): collecting them
#: would refuse a document whose ``xml:id`` is no NCName, which validation is there to report.
_OWN_OUTPUT_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                     huge_tree=True, collect_ids=False)


def parse_tei_bytes(data: bytes) -> etree._ElementTree:
    """The tree (in the TEI namespace) of bytes :func:`tei_document_bytes` wrote."""
    return etree.fromstring(data, _OWN_OUTPUT_PARSER).getroottree()


__all__ = ["child", "parse_tei_bytes", "tei_document_bytes", "tree_root"]
