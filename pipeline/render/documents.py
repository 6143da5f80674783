"""Getting a document ready for the stylesheets, and mapping stylesheet paths back to lines.

Files are read through :mod:`pipeline.safexml`. Two kinds of foreign file that it refuses
or that the stylesheets would not recognise are still rendered, with a warning each:

* a file with a DOCTYPE: it is reparsed with DTD loading, network and entity expansion
  off; entity references declared in the internal subset with literal text are replaced by
  that text (one level, never recursively), others by their name in brackets. Nothing
  outside the file is read.
* a TEI P4 file (``TEI.2`` without a namespace): its elements are moved into the TEI
  namespace and ``id``/``lang`` become ``xml:id``/``xml:lang``.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from pipeline import safexml
from pipeline.diagnostics import Diagnostic, info, warning
from pipeline.errors import InputError, UnsafeXMLError
from pipeline.tei import TEI_NS, XML_NS

_P4_ROOTS = {"TEI.2": "TEI", "teiCorpus.2": "teiCorpus"}
_STEP = re.compile(r"Q\{([^}]*)\}([^\[/]+)\[(\d+)\]")
_STEPS = re.compile(r"/(Q\{[^}]*\}[^/\[]+\[\d+\]|[^/]*)")


def load_document(path: str | Path) -> tuple[etree._ElementTree, list[Diagnostic]]:
    """Parse a TEI file for rendering; the diagnostics say what had to be adapted."""
    label = str(path)
    try:
        tree = safexml.parse_file(path)
        diagnostics: list[Diagnostic] = []
    except UnsafeXMLError as exc:
        if exc.code != "xml-doctype":
            raise
        tree, diagnostics = _parse_ignoring_doctype(Path(path), exc)
    diagnostics.extend(upgrade_p4(tree, label))
    return tree, diagnostics


def _parse_ignoring_doctype(path: Path, exc: InputError) -> tuple[etree._ElementTree,
                                                                  list[Diagnostic]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, collect_ids=False)
    parser.resolvers.add(_RefuseEverything())
    try:
        tree = etree.fromstring(path.read_bytes(), parser, base_url=None).getroottree()
    except etree.XMLSyntaxError as err:
        line, col = err.position if err.position else (None, None)
        raise InputError(f"not well-formed XML: {err.msg}", path=str(path), line=line,
                         col=col, code="xml-malformed") from None
    except OSError as err:
        raise InputError(f"cannot read the file: {err}", path=str(path),
                         code="input-unreadable") from None
    literal: dict[str, str] = {}
    dtd = tree.docinfo.internalDTD
    if dtd is not None:
        for entity in dtd.iterentities():
            if entity.system_url is None and entity.content is not None \
                    and "&" not in entity.content and "<" not in entity.content:
                literal[entity.name] = entity.content
    diagnostics = [warning(
        "render-doctype-ignored",
        "the DOCTYPE is ignored: no DTD is loaded and only entities declared with literal "
        "text in the internal subset are replaced",
        str(path), exc.line, exc.col)]
    unresolved: set[str] = set()
    for entity in list(tree.iter(etree.Entity)):
        name = entity.name
        replacement = literal.get(name)
        if replacement is None:
            unresolved.add(name)
            replacement = f"[{name}]"
        _replace_with_text(entity, replacement)
    for name in sorted(unresolved):
        diagnostics.append(warning(
            "render-entity-unresolved",
            f"entity &{name}; has no literal definition in the file; shown as [{name}]",
            str(path)))
    return tree, diagnostics


class _RefuseEverything(etree.Resolver):
    """Answers every request for an external resource with nothing."""

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        return self.resolve_string("", context)


def _replace_with_text(node: etree._Element, text: str) -> None:
    parent = node.getparent()
    if parent is None:
        return
    previous = node.getprevious()
    tail = (node.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + text + tail
    else:
        parent.text = (parent.text or "") + text + tail
    parent.remove(node)


def upgrade_p4(tree: etree._ElementTree, label: str) -> list[Diagnostic]:
    """Move a namespace-less TEI P4 document into the TEI namespace, in place."""
    root = tree.getroot()
    if etree.QName(root).namespace is not None or root.tag not in _P4_ROOTS:
        return []
    for element in root.iter(etree.Element):
        qname = etree.QName(element)
        if qname.namespace is None:
            element.tag = f"{{{TEI_NS}}}{_P4_ROOTS.get(qname.localname, qname.localname)}"
        for old, new in (("id", "id"), ("lang", "lang")):
            value = element.attrib.pop(old, None)
            if value is not None:
                element.set(f"{{{XML_NS}}}{new}", value)
    etree.cleanup_namespaces(root)
    return [info("render-tei-p4",
                 "TEI P4 document (no namespace): rendered as TEI P5 after moving its "
                 "elements into the TEI namespace", label, root.sourceline)]


def to_xml_text(tree: etree._ElementTree | etree._Element) -> str:
    """The document as the string handed to Saxon: the root element only, no DOCTYPE."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    return etree.tostring(root, encoding="unicode")


def node_at(root: etree._Element, path: str) -> etree._Element | None:
    """The element an XPath 3.0 ``path()`` result points at (or the nearest element)."""
    if not path.startswith("/"):
        return None
    current: etree._Element | None = None
    for step in (match.group(1) for match in _STEPS.finditer(path)):
        match = _STEP.fullmatch(step)
        if match is None:
            break  # a text node, attribute or other non-element step: keep the element
        namespace, local, index = match.group(1), match.group(2), int(match.group(3))
        tag = f"{{{namespace}}}{local}" if namespace else local
        if current is None:
            if root.tag != tag:
                return None
            current = root
            continue
        matches = [child for child in current if child.tag == tag]
        if index > len(matches):
            break
        current = matches[index - 1]
    return current


def line_of(root: etree._Element, path: str | None) -> int | None:
    if not path:
        return None
    element = node_at(root, path)
    return element.sourceline if element is not None else None
