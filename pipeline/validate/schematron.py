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
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.errors import InputError, SchemaError
from pipeline.safexml import parse_file

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
_SCH = f"{{{SCH_NS}}}"
_EXSLT_REGEXP = "http://exslt.org/regular-expressions"
_XPATH1_BINDINGS = {None, "", "xslt", "xslt1", "xpath", "xpath1", "exslt"}
_ROLES = {"error": Severity.ERROR, "fatal": Severity.ERROR, "warning": Severity.WARNING,
          "warn": Severity.WARNING, "info": Severity.INFO, "information": Severity.INFO}

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, int, int], CompiledSchematron] = {}


_VARIABLE = re.compile(r"\$\s*((?:[A-Za-z_][\w.\-]*:)?[A-Za-z_][\w.\-]*)")
_LITERAL = re.compile(r"\"[^\"]*\"|'[^']*'")
_POSITIONAL = re.compile(r"\b(?:position|last)\s*\(")


def _variables_in(expression: str) -> list[str]:
    """The names of the variables an XPath expression refers to (outside string literals)."""
    return list(dict.fromkeys(_VARIABLE.findall(_LITERAL.sub("''", expression))))


@dataclass
class _Let:
    """One ``sch:let``: its value and, for each variable the value refers to, the binding."""

    name: str
    value: etree.XPath
    refs: list[tuple[str, _Let]]
    rule_level: bool = False


@dataclass
class _Expression:
    """A compiled XPath and the bindings of the variables it refers to."""

    xpath: etree.XPath
    refs: list[tuple[str, _Let]]

    @property
    def uses_rule_lets(self) -> bool:
        return any(let.rule_level for _, let in self.refs)


@dataclass
class _Check:
    code: str
    severity: Severity
    is_assert: bool
    test: _Expression
    message: list[Any]  # str | ("name", _Expression | None) | ("value", _Expression)


@dataclass
class _Rule:
    context: _Expression
    checks: list[_Check]
    # ``(context)[any check fires]``: the nodes to report on, in one evaluation; None when a
    # test needs a rule-level variable or the context position, so each node is tested.
    firing: _Expression | None = None
    #: the sch:rule's line in the Schematron file, for errors raised while evaluating it
    line: int | None = None


@dataclass
class _Pattern:
    ident: str | None
    rules: list[_Rule]


class _Bindings:
    """Variable values for one document, computed when first needed.

    Schema- and pattern-level values are kept for the whole document; rule-level ones for
    the node being checked (:meth:`for_node` forgets them). An XPath receives only the
    variables it refers to, each as bound where it is used (a later ``sch:let`` of the same
    name shadows an earlier or outer one, as in the XSLT that ISO Schematron compiles to).
    """

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.document: dict[int, Any] = {}
        self.node: etree._Element = root
        self.local: dict[int, Any] = {}

    def for_node(self, node: etree._Element) -> None:
        self.node = node
        self.local = {}

    def value(self, let: _Let) -> Any:
        cache = self.local if let.rule_level else self.document
        key = id(let)
        if key not in cache:
            node = self.node if let.rule_level else self.root
            cache[key] = let.value(node, **self.arguments(let.refs))
        return cache[key]

    def arguments(self, refs: list[tuple[str, _Let]]) -> dict[str, Any]:
        return {name: self.value(let) for name, let in refs}

    def evaluate(self, expression: _Expression, node: etree._Element) -> Any:
        if not expression.refs:
            return expression.xpath(node)
        return expression.xpath(node, **self.arguments(expression.refs))


@dataclass
class CompiledSchematron:
    path: Path
    namespaces: dict[str, str]
    patterns: list[_Pattern]
    ids: list[str] = field(default_factory=list)

    def validate(self, tree: etree._ElementTree, path: str,
                 cpu_by_pattern: dict[str, float] | None = None) -> list[Diagnostic]:
        """Every failed assert and successful report, located at its context node.

        With ``cpu_by_pattern``, the CPU seconds each pattern took are added to it under the
        pattern's @id (or its position); a schema-level variable is counted in the first
        pattern that uses it.
        """
        root = tree.getroot()
        bindings = _Bindings(root)
        diagnostics: list[Diagnostic] = []
        rule_line: list[int | None] = [None]   # the rule being evaluated
        try:
            self._run(root, bindings, path, diagnostics, cpu_by_pattern, rule_line)
        except etree.XPathEvalError as exc:
            # an expression that compiles but cannot be evaluated (an unknown prefixed
            # function, a wrong argument type): the Schematron file's fault, not the document's
            raise SchemaError(f"a Schematron rule cannot be evaluated: {exc}",
                              path=str(self.path), line=rule_line[0],
                              code="schematron-invalid") from None
        diagnostics.sort(key=lambda d: d.line or 0)
        return diagnostics

    def _run(self, root: etree._Element, bindings: _Bindings, path: str,
             diagnostics: list[Diagnostic], cpu_by_pattern: dict[str, float] | None,
             rule_line: list[int | None]) -> None:
        for number, pattern in enumerate(self.patterns, 1):
            started = time.process_time() if cpu_by_pattern is not None else 0.0
            done: set[etree._Element] = set()
            last = len(pattern.rules) - 1
            for index, rule in enumerate(pattern.rules):
                rule_line[0] = rule.line
                if rule.firing is not None:
                    candidates = bindings.evaluate(rule.firing, root)
                    matched = bindings.evaluate(rule.context, root) if index < last else None
                else:
                    candidates = matched = bindings.evaluate(rule.context, root)
                if not isinstance(candidates, list):
                    continue
                nodes = [node for node in candidates
                         if isinstance(node, etree._Element) and node not in done]
                if index < last and isinstance(matched, list):
                    # a node is checked by the first rule of the pattern that matches it
                    done.update(node for node in matched if isinstance(node, etree._Element))
                for node in nodes:
                    bindings.for_node(node)
                    for check in rule.checks:
                        fired = bool(bindings.evaluate(check.test, node))
                        if fired == check.is_assert:
                            continue
                        diagnostics.append(Diagnostic(
                            check.code, check.severity, _message(check, node, bindings),
                            path, node.sourceline, None))
            if cpu_by_pattern is not None:
                key = pattern.ident or f"pattern {number}"
                cpu_by_pattern[key] = cpu_by_pattern.get(key, 0.0) + time.process_time() - started


def _message(check: _Check, node: etree._Element, bindings: _Bindings) -> str:
    parts: list[str] = []
    for piece in check.message:
        if isinstance(piece, str):
            parts.append(piece)
        elif piece[0] == "name":
            target = bindings.evaluate(piece[1], node) if piece[1] is not None else node
            if isinstance(target, list):
                target = target[0] if target else None
            if isinstance(target, etree._Element):
                parts.append(etree.QName(target).localname)
            elif target is not None:
                parts.append(str(target))
        else:
            parts.append(_as_text(bindings.evaluate(piece[1], node)))
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


#: the functions of XPath 1.0 (and the node tests written like calls); lxml knows no others
#: without a prefix, and XSLT's (current(), key(), document() …) are not XPath functions
_XPATH1_FUNCTIONS = frozenset((
    "last", "position", "count", "id", "local-name", "namespace-uri", "name", "string",
    "concat", "starts-with", "contains", "substring-before", "substring-after", "substring",
    "string-length", "normalize-space", "translate", "boolean", "not", "true", "false",
    "lang", "number", "sum", "floor", "ceiling", "round",
    "node", "text", "comment", "processing-instruction"))
#: a name followed by "(": a function call, a node test, or an operator before a bracket
_CALL = re.compile(r"(?<![\w.\-:$@])([A-Za-z_][\w.\-]*)\s*\(")


def _unknown_function(source: str) -> str | None:
    """The first function without a prefix that XPath 1.0 does not have, if any."""
    for match in _CALL.finditer(_LITERAL.sub("''", source)):
        name = match.group(1)
        if name not in _XPATH1_FUNCTIONS and name not in ("and", "or", "div", "mod"):
            return name
    return None


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
    regexp_prefixes = [prefix for prefix, uri in namespaces.items() if uri == _EXSLT_REGEXP]

    def xpath(source: str | None, node: etree._Element) -> etree.XPath:
        if not source:
            raise SchemaError(f"sch:{etree.QName(node).localname} lacks its expression",
                              path=where, line=node.sourceline, code="schematron-invalid")
        try:
            # lxml registers its EXSLT regular-expression functions on every call of an
            # XPath that may use them; only expressions naming one of their prefixes do
            compiled = etree.XPath(source, namespaces=namespaces,
                                   regexp=any(f"{prefix}:" in source
                                              for prefix in regexp_prefixes))
        except etree.XPathSyntaxError as exc:
            raise SchemaError(f"XPath 1.0 syntax error in {source!r}: {exc}", path=where,
                              line=node.sourceline, code="schematron-invalid") from None
        unknown = _unknown_function(source)
        if unknown is not None:
            raise SchemaError(
                f"{unknown}() in {source!r} is not an XPath 1.0 function: Schematron rules "
                "are evaluated as XPath 1.0 here, without XSLT's functions (current(), "
                "key(), document() …) or XPath 2's", path=where, line=node.sourceline,
                code="schematron-unsupported")
        return compiled

    def expression(source: str | None, node: etree._Element,
                   scope: dict[str, _Let]) -> _Expression:
        compiled = xpath(source, node)
        return _Expression(compiled, [(name, scope[name]) for name in _variables_in(source or "")
                                      if name in scope])

    def lets(parent: etree._Element, outer: dict[str, _Let], rule_level: bool = False
             ) -> dict[str, _Let]:
        """``outer`` with the lets of ``parent`` added; each sees the ones before it."""
        scope = dict(outer)
        for let in parent.findall(f"{_SCH}let"):
            value = expression(let.get("value"), let, scope)
            scope[let.get("name", "")] = _Let(let.get("name", ""), value.xpath, value.refs,
                                              rule_level)
        return scope

    ids: list[str] = []
    patterns: list[_Pattern] = []
    schema_scope = lets(root, {})
    for pattern in root.iter(f"{_SCH}pattern"):
        if pattern.get("abstract") == "true" or pattern.get("is-a"):
            raise SchemaError("abstract patterns are not supported", path=where,
                              line=pattern.sourceline, code="schematron-unsupported")
        pattern_scope = lets(pattern, schema_scope)
        rules: list[_Rule] = []
        for rule in pattern.findall(f"{_SCH}rule"):
            if rule.get("abstract") == "true":
                raise SchemaError("abstract rules are not supported", path=where,
                                  line=rule.sourceline, code="schematron-unsupported")
            context_source = _context_expression(rule.get("context"), rule, where)
            context = expression(context_source, rule, pattern_scope)
            rule_scope = lets(rule, pattern_scope, rule_level=True)
            checks: list[_Check] = []
            tests: list[str] = []
            for check in rule:
                if check.tag not in (f"{_SCH}assert", f"{_SCH}report"):
                    continue
                code = check.get("id") or "sch-" + ("assert" if check.tag.endswith("assert")
                                                    else "report")
                if check.get("id"):
                    ids.append(code)
                role = (check.get("role") or "error").lower()
                is_assert = check.tag == f"{_SCH}assert"
                test = f"boolean({check.get('test')})" if check.get("test") else None
                tests.append(f"not({test})" if is_assert else f"{test}")
                checks.append(_Check(
                    code=code, severity=_ROLES.get(role, Severity.ERROR), is_assert=is_assert,
                    test=expression(test, check, rule_scope),
                    message=_message_parts(check, lambda source, node, scope=rule_scope:
                                           expression(source, node, scope))))
            # The nodes on which some check fires, in one evaluation, when the tests need
            # neither a rule-level variable nor the context position.
            firing: _Expression | None = expression(
                f"({context_source})[{' or '.join(tests) or 'false()'}]", rule, rule_scope)
            if firing.uses_rule_lets or any(_POSITIONAL.search(_LITERAL.sub("''", t))
                                             for t in tests):
                firing = None
            rules.append(_Rule(context=context, checks=checks, firing=firing,
                               line=rule.sourceline))
        patterns.append(_Pattern(ident=pattern.get("id"), rules=rules))
    return CompiledSchematron(path=path, namespaces=namespaces, patterns=patterns, ids=ids)


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


def _outside_literals(expression: str) -> Iterator[tuple[int, str, int]]:
    """Each character of an XPath expression that is not part of a string literal, with its
    index and its bracket depth: for a bracket or parenthesis, the depth outside it."""
    depth = 0
    quote = ""
    for index, ch in enumerate(expression):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        else:
            if ch in "])":
                depth -= 1
            yield index, ch, depth
            if ch in "[(":
                depth += 1


def _split_union(expression: str, separator: str = "|") -> list[str]:
    """Split an XSLT pattern at top-level ``|`` (outside brackets, parentheses, quotes)."""
    parts: list[str] = []
    start = 0
    for index, ch, depth in _outside_literals(expression):
        if ch == separator and depth == 0:
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
            selections.append(_descendant_steps(part))
        else:
            selections.append(_from_attribute(part) or _descendant_steps("//" + part))
    return " | ".join(selections)


_NAME_TEST = re.compile(r"^(?:\*|[A-Za-z_][\w.\-]*(?::(?:\*|[A-Za-z_][\w.\-]*))?)")
_PATH_STEP = (r"(?:\.\.?|(?:text|node|comment|processing-instruction)\(\)(?:\[\])*"
              r"|@?(?:\*|[A-Za-z_][\w.\-]*(?::(?:\*|[A-Za-z_][\w.\-]*))?)(?:\[\])*)")
_PATH = re.compile(rf"^/?/?{_PATH_STEP}(?://?{_PATH_STEP})*$")
_BOOLEAN_FUNCTION = re.compile(
    r"^(?:not|contains|starts-with|boolean|true|false|lang)\s*\(\)$")
_BOOLEAN_OPERATOR = re.compile(r"[=<>]|(?<![\w.\-:])(?:and|or)(?![\w.\-:])")


def _descendant_steps(path: str) -> str:
    """``//name[P]`` as ``/descendant::name[P]``: the same nodes when no P is positional.

    libxml2 turns ``//name`` into one walk of the descendants, but with a predicate it
    evaluates the child axis of every node in the document instead. The rewrite applies
    to steps that are a plain name test whose predicates are all certainly boolean
    (comparisons, ``and``/``or``, boolean functions, location paths), so that no predicate
    can be read as a position.
    """
    parts = _split_union(path, "/")
    result: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else ""
        if index > 0 and part == "" and _boolean_name_step(following):
            result.append("descendant::" + following)
            index += 2
            continue
        result.append(part)
        index += 1
    return "/".join(result)


def _boolean_name_step(step: str) -> bool:
    match = _NAME_TEST.match(step)
    if match is None:
        return False
    predicates = _predicates(step[match.end():])
    return predicates is not None and all(map(_is_boolean, predicates))


def _predicates(text: str) -> list[str] | None:
    """The contents of ``[…][…]``; None when ``text`` is anything else."""
    if any(quote in _LITERAL.sub("", text) for quote in "'\""):
        return None   # a string literal that does not end
    found: list[str] = []
    start = level = 0
    for index, ch, depth in _outside_literals(text):
        if ch in "[(":
            if depth == 0:
                if ch != "[":
                    return None
                start = index + 1
            level = depth + 1
        elif ch in "])":
            if depth == 0:
                found.append(text[start:index])
            level = depth
        elif depth == 0 and not ch.isspace():
            return None
    return found if level == 0 else None


def _is_boolean(predicate: str) -> bool:
    """Whether a predicate expression is certainly boolean or a node-set (never a number)."""
    if _POSITIONAL.search(_LITERAL.sub("''", predicate)):
        return False
    top = _top_level(_LITERAL.sub("''", predicate)).strip()
    return bool(_BOOLEAN_OPERATOR.search(top) or _BOOLEAN_FUNCTION.match(top)
                or _PATH.match(top))


def _top_level(expression: str) -> str:
    """``expression`` with the contents of every bracket and parenthesis removed."""
    kept: list[str] = []
    depth = 0
    for ch in expression:
        if ch in "[(":
            if depth == 0:
                kept.append(ch)
            depth += 1
        elif ch in "])":
            depth -= 1
            if depth == 0:
                kept.append(ch)
        elif depth == 0:
            kept.append(ch)
    return "".join(kept)


_ATTRIBUTE_FIRST = re.compile(
    r"^(?P<name>(?:[\w.-]+:)?(?:\*|[\w.-]+))\[@(?P<attr>[\w.-]+(?::[\w.-]+)?)\]"
    r"(?P<rest>(?:\[.*\])?)$", re.S)


def _from_attribute(part: str) -> str | None:
    """``name[@a][P]`` as ``//*/@a/parent::name[P]``: the same nodes, found several times faster.

    libxml2 evaluates a predicate on every element for ``//name[@a]``; walking the
    attributes instead skips elements without ``@a`` (and ``//*`` is one walk of the
    elements, where ``//@a`` would also visit every text node). Only single-step patterns whose
    first predicate is the bare attribute test, and whose other predicates are not
    positional, are rewritten.
    """
    match = _ATTRIBUTE_FIRST.match(part)
    if match is None or len(_split_union(part, "/")) != 1:
        return None
    rest = match.group("rest")
    if re.search(r"position\(|last\(|\[\s*\d", rest):
        return None
    return f"//*/@{match.group('attr')}/parent::{match.group('name')}{rest}"
