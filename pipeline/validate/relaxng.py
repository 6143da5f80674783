"""RELAX NG validation with lxml, and libxml2's terse errors rewritten as located advice.

libxml2 says ``Element gap failed to validate attributes``; the editor needs ``gap/@reason
"lost" is not allowed; expected one of: illegible, omitted, redacted, damaged``. Each error
is mapped to the node it concerns (its line), a stable code, what was found, what the
schema expects there (from the grammar itself) and how to fix it.

libxml2 stops checking an element's content at its first failure, so an element with
several problems may be reported once; cascading summaries ("failed to validate content",
"has extra content") are dropped when a more specific error explains them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.validate.schemas import CompiledSchema

_MAX_LISTED = 14
_GENERIC = {"RELAXNG_ERR_EXTRACONTENT", "RELAXNG_ERR_CONTENTVALID", "RELAXNG_ERR_NOELEM",
            "RELAXNG_ERR_ATTRVALID_GENERIC"}


@dataclass
class _Found:
    kind: str
    node: etree._Element | None
    line: int | None
    code: str
    message: str


def _name(element: etree._Element) -> str:
    qname = etree.QName(element)
    prefix = element.prefix
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def _content(schema: CompiledSchema, element: str | None) -> str:
    """What an element may contain, in words: its child elements, and whether text."""
    if not element or element not in schema.children:
        return "(not declared by this schema)"
    names = schema.children[element]
    has_text = element in schema.text
    if not names:
        return "text only" if has_text else "nothing (it must be empty)"
    return ("text and " if has_text else "") + _listing(names)


def _listing(names: set[str] | list[str] | None) -> str:
    if not names:
        return "nothing"
    ordered = sorted(names) if isinstance(names, set) else list(names)
    if len(ordered) > _MAX_LISTED:
        return ", ".join(ordered[:_MAX_LISTED]) + f", … ({len(ordered)} in all)"
    return ", ".join(ordered)


def _attr_key(attr: str) -> str:
    """An attribute's name as the schema writes it (``xml:id`` rather than the Clark name)."""
    if attr.startswith("{http://www.w3.org/XML/1998/namespace}"):
        return "xml:" + attr.split("}", 1)[1]
    if attr.startswith("{"):
        return etree.QName(attr).localname
    return attr


def _resolve(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    if not path:
        return None
    try:
        found = tree.xpath(path)
    except (etree.XPathError, TypeError):
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return found[0]
    return None


def relaxng_diagnostics(schema: CompiledSchema, tree: etree._ElementTree,
                        path: str) -> list[Diagnostic]:
    """Validate ``tree``; one diagnostic per problem libxml2 reports, rewritten."""
    if schema.relaxng.validate(tree):
        return []
    found: list[_Found] = []
    for entry in schema.relaxng.error_log:
        node = _resolve(tree, entry.path)
        found.extend(_explain(schema, entry, node))
    specific = [f for f in found if f.kind not in _GENERIC]
    kept: list[_Found] = list(specific)
    for item in found:
        if item.kind not in _GENERIC:
            continue
        if item.node is None and specific:
            continue
        scope = item.node.getparent() if item.node is not None else None
        if scope is None:
            scope = item.node
        if scope is not None and any(
                s.node is not None and (s.node is scope or _within(s.node, scope))
                for s in specific):
            continue
        kept.append(item)
    seen: set[tuple[int | None, str, str]] = set()
    diagnostics: list[Diagnostic] = []
    for item in sorted(kept, key=lambda f: (f.line or 0)):
        key = (item.line, item.code, item.message)
        if key in seen:
            continue
        seen.add(key)
        diagnostics.append(Diagnostic(item.code, Severity.ERROR, item.message, path,
                                      item.line, None))
    if not diagnostics:  # libxml2 said invalid without saying where
        diagnostics.append(Diagnostic(
            "rng-invalid", Severity.ERROR,
            f"the document is not valid against {schema.name}, and the validator gave no "
            "location. Check it with another RELAX NG validator (for example Jing)", path, 1,
            None))
    return diagnostics


def _within(node: etree._Element, ancestor: etree._Element) -> bool:
    parent = node.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def _line(entry: etree._LogEntry, node: etree._Element | None) -> int | None:
    if node is not None and node.sourceline:
        return node.sourceline
    return entry.line or None


def _explain(schema: CompiledSchema, entry: etree._LogEntry,
             node: etree._Element | None) -> list[_Found]:
    kind = entry.type_name
    message = entry.message
    line = _line(entry, node)
    where = f"<{_name(node)}>" if node is not None else "this element"

    if kind == "RELAXNG_ERR_INVALIDATTR":
        match = re.match(r"Invalid attribute (\S+) for element (\S+)", message)
        attr, element = (match.group(1), match.group(2)) if match else ("?", "?")
        if node is not None and node.get(f"{{http://www.w3.org/XML/1998/namespace}}{attr}"):
            attr = f"xml:{attr}"  # libxml2 drops the prefix
        if node is not None:
            return [_attribute_problem(schema, node, attr, line)]
        return [_Found(kind, node, line, "rng-attribute-unexpected",
                       f"attribute @{attr} is not allowed on <{element}>")]

    if kind == "RELAXNG_ERR_ATTRVALID":
        if node is None:
            return [_Found("RELAXNG_ERR_ATTRVALID_GENERIC", None, line, "rng-attribute",
                           message)]
        problems = _attribute_problems(schema, node, line)
        if problems:
            return problems
        allowed = schema.attributes.get(etree.QName(node).localname)
        return [_Found("RELAXNG_ERR_ATTRVALID_GENERIC", node, line, "rng-attribute",
                       f"{where} has an attribute that is missing or not valid here. "
                       f"Expected attributes: {_listing(allowed)}. Fix: compare the element "
                       "with the schema (docs/encoding.md for the project schema)")]

    if kind == "RELAXNG_ERR_ELEMWRONG" and node is not None:
        parent = node.getparent()
        parent_name = etree.QName(parent).localname if parent is not None else None
        inside = f" inside <{_name(parent)}>" if parent is not None else ""
        namespace = etree.QName(node).namespace
        hint = ""
        if namespace and parent is not None and namespace != etree.QName(parent).namespace:
            hint = f" It is in namespace {namespace}, which this schema does not allow here."
        expected = (f" <{parent_name}> may contain: {_content(schema, parent_name)}."
                    if parent_name in schema.children else "")
        return [_Found(kind, node, line, "rng-element-unexpected",
                       f"element <{_name(node)}> is not allowed here (or not at this position)"
                       f"{inside}.{hint}{expected} "
                       "Fix: move or remove it, or correct its name")]

    if kind == "RELAXNG_ERR_ELEMWRONG":
        match = re.match(r"Did not expect element (\S+) there", message)
        element = match.group(1) if match else "?"
        hint = (" It is an XInclude instruction, which is not TEI: the document is valid only "
                "once its inclusions are resolved." if element == "include" else "")
        return [_Found(kind, node, line, "rng-element-unexpected",
                       f"element <{element}> is not allowed here.{hint} Fix: move or remove it, "
                       "or correct its name")]

    if kind == "RELAXNG_ERR_TEXTWRONG":
        sample = _stray_text(node)
        local = etree.QName(node).localname if node is not None else "?"
        return [_Found(kind, node, line, "rng-text-unexpected",
                       f"text {sample}is not allowed directly inside {where}; it may contain: "
                       f"{_content(schema, local)}. Fix: put the text inside a child element "
                       "(usually a <p>) or delete it")]

    if kind == "RELAXNG_ERR_ELEMWRONGNS":
        match = re.search(r"expecting (\S+)", message)
        expected_ns = match.group(1) if match else "the schema's namespace"
        found_ns = etree.QName(node).namespace if node is not None else None
        return [_Found(kind, node, line, "rng-namespace",
                       f"{where} is in namespace {found_ns or '(none)'}; expected "
                       f"{expected_ns}. Fix: declare xmlns=\"{expected_ns}\" on the root")]

    if kind in ("RELAXNG_ERR_ELEMNAME", "RELAXNG_ERR_ELEMNONS"):
        match = re.match(r"Expecting element (\S+), got (\S+)", message)
        if match:
            return [_Found(kind, node, line, "rng-element-wrong",
                           f"found <{match.group(2)}> where <{match.group(1)}> is required. "
                           f"Fix: add <{match.group(1)}> before it or rename the element")]

    if kind == "RELAXNG_ERR_NOELEM":
        match = re.match(r"Expecting an element (\S*), got nothing", message)
        missing = match.group(1) if match else ""
        local = etree.QName(node).localname if node is not None else ""
        if missing:
            text = (f"{where} ends before a required <{missing}>. Fix: add the missing "
                    f"<{missing}>")
        else:
            text = (f"{where} is incomplete: a required child element is missing. "
                    f"<{local}> may contain: {_content(schema, local)}. Fix: add the missing "
                    "element")
        return [_Found(kind, node, line, "rng-element-missing", text)]

    if kind == "RELAXNG_ERR_EXTRACONTENT":
        match = re.match(r"Element (\S+) has extra content: (\S+)", message)
        owner, extra = (match.group(1), match.group(2)) if match else ("?", "?")
        return [_Found(kind, node, line, "rng-content",
                       f"<{owner}> has content the schema does not allow from "
                       f"<{extra}> on. <{owner}> may contain: {_content(schema, owner)}. Fix: "
                       "check the order and names of its children")]

    if kind == "RELAXNG_ERR_CONTENTVALID":
        match = re.match(r"Element (\S+) failed to validate content", message)
        owner = match.group(1) if match else "?"
        return [_Found(kind, node, line, "rng-content",
                       f"the content of <{owner}> is not valid; see the errors inside it")]

    if kind in ("RELAXNG_ERR_DATATYPE", "RELAXNG_ERR_VALUE", "RELAXNG_ERR_LIST",
                "RELAXNG_ERR_DATAELEM", "RELAXNG_ERR_VALELEM", "RELAXNG_ERR_LISTELEM"):
        text = (node.text or "").strip() if node is not None else ""
        return [_Found(kind, node, line, "rng-value",
                       f"the content of {where}" + (f' ("{text[:60]}")' if text else "")
                       + f" is not a valid value here ({message}). Fix: correct the value")]

    return [_Found(kind, node, line, "rng-invalid", f"{where}: {message}")]


def _stray_text(node: etree._Element | None) -> str:
    if node is None:
        return ""
    pieces = [node.text or ""] + [child.tail or "" for child in node]
    for piece in pieces:
        if piece.strip():
            short = piece.strip()
            return f'"{short[:40]}{"…" if len(short) > 40 else ""}" '
    return ""


def _attribute_problems(schema: CompiledSchema, node: etree._Element,
                        line: int | None) -> list[_Found]:
    local = etree.QName(node).localname
    allowed = schema.attributes.get(local, set())
    values = schema.values.get(local, {})
    problems: list[_Found] = []
    for attr in node.attrib:
        key = _attr_key(attr)
        if key not in allowed or (key in values and node.get(attr) not in values[key]):
            problems.append(_attribute_problem(schema, node, key, line))
    for attr in sorted(schema.required.get(local, set())):
        clark = ("{http://www.w3.org/XML/1998/namespace}" + attr[4:]
                 if attr.startswith("xml:") else attr)
        if node.get(clark) is None:
            expected = values.get(attr)
            also = f" (one of: {_listing(expected)})" if expected else ""
            problems.append(_Found("RELAXNG_ERR_ATTRVALID", node, line,
                                   "rng-attribute-missing",
                                   f"<{_name(node)}> needs the attribute @{attr}{also}. "
                                   f"Fix: add {attr}=\"…\""))
    return problems


def _attribute_problem(schema: CompiledSchema, node: etree._Element, attr: str,
                       line: int | None) -> _Found:
    local = etree.QName(node).localname
    allowed = schema.attributes.get(local, set())
    clark = ("{http://www.w3.org/XML/1998/namespace}" + attr[4:]
             if attr.startswith("xml:") else attr)
    value = node.get(clark)
    if attr not in allowed:
        return _Found("RELAXNG_ERR_INVALIDATTR", node, line, "rng-attribute-unexpected",
                      f"attribute @{attr} is not allowed on <{_name(node)}>. Allowed: "
                      f"{_listing(allowed)}. Fix: remove it or use one of those")
    expected = schema.values.get(local, {}).get(attr)
    if expected:
        return _Found("RELAXNG_ERR_INVALIDATTR", node, line, "rng-attribute-value",
                      f'{local}/@{attr} "{value}" is not allowed; expected one of: '
                      f"{_listing(expected)}. Fix: use one of those values")
    return _Found("RELAXNG_ERR_INVALIDATTR", node, line, "rng-attribute-value",
                  f'{local}/@{attr} "{value}" does not have the form the schema requires '
                  f"here{_datatype_hint(attr)}. Fix: correct the value")


def _datatype_hint(attr: str) -> str:
    hints = {
        "when": " (an ISO date: YYYY, YYYY-MM or YYYY-MM-DD, and a real one)",
        "who": " (pointers: '#' followed by an xml:id, separated by spaces)",
        "hand": " (a pointer: '#' followed by the xml:id of a handNote)",
        "resp": " (pointers: '#' followed by an xml:id)",
        "xml:id": " (an XML name, used once in the document; in this project a lowercase "
                  "slug such as 'turn-3')",
        "xml:lang": " (a BCP 47 language tag such as 'en' or 'ru')",
        "cert": " (high, medium, low or unknown)",
    }
    return hints.get(attr, "")
