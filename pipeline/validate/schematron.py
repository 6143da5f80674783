"""ISO Schematron (XPath 1.0 query binding) compiled to precompiled lxml XPaths.

The schema is read once per process: every rule context and every ``assert``/``report``
test becomes an :class:`lxml.etree.XPath`. Validating a document evaluates them directly on
the parsed tree, so each failure carries the offending element (its line) and the
assertion's ``@id`` as the diagnostic code, with no SVRL round trip.

Supported: ``sch:ns``, ``sch:let`` (schema, pattern and rule level; later variables may use
earlier ones), ``sch:pattern``, ``sch:rule`` with ``@context`` (element contexts; unions
with ``|``), ``sch:assert``/``sch:report`` with ``@test``, ``@id``, ``@role``
(``error``/``fatal`` → error, ``warning``/``warn`` → warning, ``info``/``information`` →
info), and ``sch:name``/``sch:value-of`` in messages. As ISO Schematron requires, a node is
checked by at most the first rule of a pattern whose context it matches.

Not supported (refused with a located :class:`SchemaError`): ``queryBinding`` other than
XPath 1.0 (``xslt``, ``xpath``, ``xslt1``; ``xslt2``/``xslt3`` rules need an XSLT 2
engine), ``sch:include``, abstract patterns and ``sch:extends``, and rule contexts that
select attributes or text. Phases are ignored: every pattern runs.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.errors import InputError, SchemaError
from pipeline.safexml import parse_file

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
_SCH = f"{{{SCH_NS}}}"
_XPATH1_BINDINGS = {None, "", "xslt", "xslt1", "xpath", "xpath1", "exslt"}
_ROLES = {"error": Severity.ERROR, "fatal": Severity.ERROR, "warning": Severity.WARNING,
          "warn": Severity.WARNING, "info": Severity.INFO, "information": Severity.INFO}

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, int, int], CompiledSchematron] = {}


@dataclass
class _Check:
    code: str
    severity: Severity
    is_assert: bool
    test: etree.XPath
    message: list[Any]  # str | ("name", XPath | None) | ("value", XPath)


@dataclass
class _Rule:
    context: etree.XPath
    lets: list[tuple[str, etree.XPath]]
    checks: list[_Check]


@dataclass
class _Pattern:
    ident: str | None
    lets: list[tuple[str, etree.XPath]]
    rules: list[_Rule]


@dataclass
class CompiledSchematron:
    path: Path
    namespaces: dict[str, str]
    lets: list[tuple[str, etree.XPath]]
    patterns: list[_Pattern]
    ids: list[str] = field(default_factory=list)

    def validate(self, tree: etree._ElementTree, path: str) -> list[Diagnostic]:
        """Every failed assert and successful report, located at its context node."""
        root = tree.getroot()
        variables: dict[str, Any] = {}
        for name, xpath in self.lets:
            variables[name] = xpath(root, **variables)
        diagnostics: list[Diagnostic] = []
        for pattern in self.patterns:
            pvars = dict(variables)
            for name, xpath in pattern.lets:
                pvars[name] = xpath(root, **pvars)
            done: set[etree._Element] = set()
            for rule in pattern.rules:
                matched = rule.context(root, **pvars)
                if not isinstance(matched, list):
                    continue
                for node in matched:
                    if not isinstance(node, etree._Element) or node in done:
                        continue
                    done.add(node)
                    rvars = dict(pvars)
                    for name, xpath in rule.lets:
                        rvars[name] = xpath(node, **rvars)
                    for check in rule.checks:
                        fired = bool(check.test(node, **rvars))
                        if fired == check.is_assert:
                            continue
                        diagnostics.append(Diagnostic(
                            check.code, check.severity, _message(check, node, rvars), path,
                            node.sourceline, None))
        diagnostics.sort(key=lambda d: d.line or 0)
        return diagnostics


def _message(check: _Check, node: etree._Element, variables: dict[str, Any]) -> str:
    parts: list[str] = []
    for piece in check.message:
        if isinstance(piece, str):
            parts.append(piece)
        elif piece[0] == "name":
            target = piece[1](node, **variables) if piece[1] is not None else node
            if isinstance(target, list):
                target = target[0] if target else None
            if isinstance(target, etree._Element):
                parts.append(etree.QName(target).localname)
            elif target is not None:
                parts.append(str(target))
        else:
            value = piece[1](node, **variables)
            parts.append(_as_text(value))
    return " ".join("".join(parts).split())


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_as_text(v) for v in value)
    if isinstance(value, etree._Element):
        return "".join(value.itertext())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def load_schematron(path: Path) -> CompiledSchematron:
    """The compiled Schematron at ``path``, from the process cache when seen before."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise SchemaError(f"cannot read the Schematron file: {exc.strerror or 'not found'}",
                          path=str(path), code="schematron-unreadable") from None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is None:
            cached = compile_schematron(path)
            _CACHE[key] = cached
    return cached


def compile_schematron(path: Path) -> CompiledSchematron:
    try:
        tree = parse_file(path)
    except InputError as exc:
        raise SchemaError(f"cannot read the Schematron file: {exc.message}", path=str(path),
                          line=exc.line, col=exc.col, code="schematron-unreadable") from None
    root = tree.getroot()
    where = str(path)
    if root.tag != f"{_SCH}schema":
        raise SchemaError(f"not an ISO Schematron schema (root element is {root.tag}; "
                          f"expected schema in {SCH_NS})", path=where, line=root.sourceline,
                          code="schematron-invalid")
    binding = root.get("queryBinding")
    if (binding or "").lower() not in _XPATH1_BINDINGS:
        raise SchemaError(f'queryBinding="{binding}" needs an XPath 2 / XSLT 2 Schematron '
                          "engine; this validator runs XPath 1.0 Schematron "
                          '(queryBinding="xslt")', path=where, line=root.sourceline,
                          code="schematron-unsupported")
    for unsupported in ("include", "extends"):
        node = root.find(f".//{_SCH}{unsupported}")
        if node is not None:
            raise SchemaError(f"sch:{unsupported} is not supported; inline the included "
                              "rules", path=where, line=node.sourceline,
                              code="schematron-unsupported")
    namespaces = {ns.get("prefix", ""): ns.get("uri", "") for ns in root.iter(f"{_SCH}ns")}

    def xpath(source: str | None, node: etree._Element) -> etree.XPath:
        if not source:
            raise SchemaError(f"sch:{etree.QName(node).localname} lacks its expression",
                              path=where, line=node.sourceline, code="schematron-invalid")
        try:
            return etree.XPath(source, namespaces=namespaces)
        except etree.XPathSyntaxError as exc:
            raise SchemaError(f"XPath 1.0 syntax error in {source!r}: {exc}", path=where,
                              line=node.sourceline, code="schematron-invalid") from None

    def lets(parent: etree._Element) -> list[tuple[str, etree.XPath]]:
        return [(let.get("name", ""), xpath(let.get("value"), let))
                for let in parent.findall(f"{_SCH}let")]

    ids: list[str] = []
    patterns: list[_Pattern] = []
    for pattern in root.iter(f"{_SCH}pattern"):
        if pattern.get("abstract") == "true" or pattern.get("is-a"):
            raise SchemaError("abstract patterns are not supported", path=where,
                              line=pattern.sourceline, code="schematron-unsupported")
        rules: list[_Rule] = []
        for rule in pattern.findall(f"{_SCH}rule"):
            if rule.get("abstract") == "true":
                raise SchemaError("abstract rules are not supported", path=where,
                                  line=rule.sourceline, code="schematron-unsupported")
            context = rule.get("context")
            checks: list[_Check] = []
            for check in rule:
                if check.tag not in (f"{_SCH}assert", f"{_SCH}report"):
                    continue
                code = check.get("id") or "sch-" + ("assert" if check.tag.endswith("assert")
                                                    else "report")
                if check.get("id"):
                    ids.append(code)
                role = (check.get("role") or "error").lower()
                checks.append(_Check(
                    code=code, severity=_ROLES.get(role, Severity.ERROR),
                    is_assert=check.tag == f"{_SCH}assert",
                    test=xpath(f"boolean({check.get('test')})" if check.get("test") else None,
                               check),
                    message=_message_parts(check, xpath)))
            rules.append(_Rule(context=xpath(_context_expression(context, rule, where), rule),
                               lets=lets(rule), checks=checks))
        patterns.append(_Pattern(ident=pattern.get("id"), lets=lets(pattern), rules=rules))
    return CompiledSchematron(path=path, namespaces=namespaces, lets=lets(root),
                              patterns=patterns, ids=ids)


def _message_parts(check: etree._Element, xpath: Any) -> list[Any]:
    parts: list[Any] = [check.text or ""]
    for child in check:
        if child.tag == f"{_SCH}name":
            path = child.get("path")
            parts.append(("name", xpath(path, child) if path else None))
        elif child.tag == f"{_SCH}value-of":
            parts.append(("value", xpath(child.get("select"), child)))
        elif isinstance(child.tag, str):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return parts


def _split_union(expression: str, separator: str = "|") -> list[str]:
    """Split an XSLT pattern at top-level ``|`` (outside brackets, parentheses, quotes)."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    for index, ch in enumerate(expression):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == separator and depth == 0:
            parts.append(expression[start:index])
            start = index + 1
    parts.append(expression[start:])
    return [p.strip() for p in parts]


def _context_expression(context: str | None, rule: etree._Element, where: str) -> str:
    """An XSLT match pattern as an XPath selecting every node it matches in a document."""
    if not context:
        raise SchemaError("sch:rule lacks @context", path=where, line=rule.sourceline,
                          code="schematron-invalid")
    selections = []
    for part in (p for p in _split_union(context) if p):
        last_step = _split_union(part, "/")[-1]
        if last_step.startswith("@") or last_step.startswith("attribute::") or \
                last_step.startswith("text()") or last_step in ("node()", "comment()"):
            raise SchemaError(f'rule context "{context}" selects attributes or text; this '
                              "validator supports element contexts only (use the element "
                              "as context and test its attribute)", path=where,
                              line=rule.sourceline, code="schematron-unsupported")
        if part == "/":
            selections.append("/*")
        elif part.startswith("/"):
            selections.append(part)
        else:
            selections.append(_from_attribute(part) or "//" + part)
    return " | ".join(selections)


_ATTRIBUTE_FIRST = re.compile(
    r"^(?P<name>(?:[\w.-]+:)?(?:\*|[\w.-]+))\[@(?P<attr>[\w.-]+(?::[\w.-]+)?)\]"
    r"(?P<rest>(?:\[.*\])?)$", re.S)


def _from_attribute(part: str) -> str | None:
    """``name[@a][P]`` as ``//@a/parent::name[P]``: the same nodes, found several times faster.

    libxml2 evaluates a predicate on every element for ``//name[@a]``; walking the
    attributes instead skips elements without ``@a``. Only single-step patterns whose
    first predicate is the bare attribute test, and whose other predicates are not
    positional, are rewritten.
    """
    match = _ATTRIBUTE_FIRST.match(part)
    if match is None or len(_split_union(part, "/")) != 1:
        return None
    rest = match.group("rest")
    if re.search(r"position\(|last\(|\[\s*\d", rest):
        return None
    return f"//@{match.group('attr')}/parent::{match.group('name')}{rest}"
