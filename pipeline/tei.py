"""TEI namespace constants, the one ElementMaker, and deterministic serialisation."""

from __future__ import annotations

from typing import Any

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NSMAP = {None: TEI_NS}
NS = {"tei": TEI_NS}


class TeiMaker:
    """Builds TEI elements: ``E.p("text", E.hi("word"), rend="x")``, ``E("del", "word")``.

    The calling convention of lxml's ``ElementMaker``: keyword arguments are attributes;
    positional children are strings (text, appended after what is there), elements, or
    dicts of attributes. Elements carry the TEI namespace as default. One factory function
    per element name is made on first use. (The converter builds its own tree with bare
    names: :mod:`pipeline.convert.elements`.)
    """

    def __call__(self, local: str, *children: Any, **attrib: str) -> etree._Element:
        return getattr(self, local)(*children, **attrib)

    def __getattr__(self, local: str) -> Any:
        if local.startswith("__"):
            raise AttributeError(local)
        clark = local if local.startswith("{") else f"{{{TEI_NS}}}{local}"
        make = etree.Element

        def build(*children: Any, **attrib: str) -> etree._Element:
            element = make(clark, attrib or None, NSMAP)
            last = None          # the last child element appended
            for child in children:
                if isinstance(child, str):
                    if last is None:
                        text = element.text
                        element.text = child if text is None else text + child
                    else:
                        last.tail = child if last.tail is None else last.tail + child
                elif isinstance(child, dict):
                    for name, value in child.items():
                        element.set(name, value)
                else:
                    element.append(child)
                    last = child
            return element

        build.__name__ = local
        setattr(self, local, build)
        return build


#: Builds TEI elements: ``E.p("text")``.
E = TeiMaker()

def xml_attr(local: str) -> str:
    """The Clark name of an ``xml:`` attribute (``xml:id``, ``xml:lang``)."""
    return f"{{{XML_NS}}}{local}"


XML_ID = xml_attr("id")
XML_LANG = xml_attr("lang")


def xpath(expression: str) -> etree.XPath:
    """A precompiled XPath with the ``tei:`` prefix bound."""
    return etree.XPath(expression, namespaces=NS)


def serialize(root: etree._Element) -> bytes:
    """Pretty-printed UTF-8 with an XML declaration; byte-identical for identical trees."""
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


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
    #: the line end and indentation before a child at each depth
    indents: list[str] = []

    def walk(element: etree._Element, depth: int) -> None:
        # ``element`` is not phrase-level (the caller knows); the tests of text and tails
        # are written out (this runs for every container of the document)
        text = element.text
        if text and not text.isspace():
            return
        children = list(element)
        for child in children:
            tail = child.tail
            if tail and not tail.isspace():
                return
        while len(indents) <= depth + 1:
            indents.append("\n" + space * len(indents))
        inner = indents[depth + 1]
        element.text = inner
        phrase_level = _PHRASE_LEVEL_TAGS
        for child in children:
            child.tail = inner
            if len(child):
                known = phrase_level.get(child.tag)
                if known is None:
                    known = _is_phrase_level(child.tag)
                if not known:
                    walk(child, depth + 1)
        children[-1].tail = indents[depth]

    if len(root) and not _is_phrase_level(root.tag):
        walk(root, 0)
    root.tail = None


#: Clark name -> whether its local name is phrase-level (looked up once per name)
_PHRASE_LEVEL_TAGS: dict[str, bool] = {}


def _is_phrase_level(clark: str) -> bool:
    known = _PHRASE_LEVEL_TAGS.get(clark)
    if known is None:
        known = _PHRASE_LEVEL_TAGS[clark] = etree.QName(clark).localname in PHRASE_LEVEL
    return known
