"""Finding and compiling RELAX NG schemas, once per process.

A schema is named ``edition`` (the project's), ``tei_all`` (TEI's own, located by option,
environment or the shared folder) or given as a ``.rng``/``.rnc`` path. Compiled schemas are
cached at module level keyed on the resolved path and its size and modification time, so
every :class:`~pipeline.validate.Validator` in a process shares them. Compiling tei_all
takes seconds; validating with it afterwards takes milliseconds.

Schemas are read through :mod:`pipeline.safexml` (no DOCTYPE, no entities, no network);
``externalRef``/``include`` in a user's schema resolve relative to its own folder only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.errors import InputError, SchemaError, UsageError
from pipeline.safexml import make_parser, parse_file

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCHEMA_DIR = Path(__file__).resolve().parent.parent.parent / "schema"
EDITION_RNG = SCHEMA_DIR / "edition.rng"
EDITION_SCH = SCHEMA_DIR / "edition.sch"
PROJECT_ROOT = SCHEMA_DIR.parent
SHARED_TEI_ALL = PROJECT_ROOT.parent / "shared" / "schemas" / "tei_all.rng"
TEI_ALL_ENV = "EDITION_TEI_ALL"
TEI_ALL_HELP = (
    "tei_all.rng is TEI's own schema, published by the TEI Consortium with each release of "
    "the Guidelines (file xml/tei/custom/schema/relaxng/tei_all.rng of a P5 release). "
    "Download it once and pass --tei-all PATH, or set EDITION_TEI_ALL=PATH")

_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str, int, int], CompiledSchema] = {}


@dataclass
class CompiledSchema:
    """A compiled RELAX NG schema, plus what the grammar says that messages can quote."""

    name: str
    path: Path
    relaxng: etree.RelaxNG
    #: element name -> names of the elements it may contain
    children: dict[str, set[str]] = field(default_factory=dict)
    #: element name -> attribute name -> allowed values, for closed lists
    values: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: element name -> attribute names it may carry
    attributes: dict[str, set[str]] = field(default_factory=dict)
    #: element name -> attribute names it must carry
    required: dict[str, set[str]] = field(default_factory=dict)
    #: elements whose content may include text
    text: set[str] = field(default_factory=set)


def resolve_tei_all(option: Path | None = None) -> Path:
    """Where tei_all.rng is: the option, then $EDITION_TEI_ALL, then ../shared/schemas/."""
    if option is not None:
        return Path(option)
    env = os.environ.get(TEI_ALL_ENV)
    if env:
        return Path(env)
    if SHARED_TEI_ALL.is_file():
        return SHARED_TEI_ALL
    raise UsageError(f"--schema tei_all needs tei_all.rng, and none was found. {TEI_ALL_HELP}",
                     code="tei-all-missing")


def schema_path(schema: str | Path, tei_all: Path | None = None) -> tuple[str, Path]:
    """The display name and file of a schema named on the command line."""
    if isinstance(schema, str) and schema == "edition":
        return "edition", EDITION_RNG
    if isinstance(schema, str) and schema == "tei_all":
        return "tei_all", resolve_tei_all(tei_all)
    path = Path(schema)
    if path.suffix.lower() not in (".rng", ".rnc"):
        raise UsageError(f"--schema {schema}: expected 'edition', 'tei_all' or a .rng/.rnc "
                         "file", code="schema-kind")
    return path.name, path


def load_schema(schema: str | Path = "edition", tei_all: Path | None = None) -> CompiledSchema:
    """The compiled schema, from the process cache when it was compiled before."""
    name, path = schema_path(schema, tei_all)
    if name == "tei_all" and not path.is_file():
        raise UsageError(f"tei_all.rng is not at {path}. {TEI_ALL_HELP}", path=str(path),
                         code="tei-all-missing")
    try:
        stat = path.stat()
    except OSError as exc:
        raise SchemaError(f"cannot read the schema: {exc.strerror or 'not found'}",
                          path=str(path), code="schema-unreadable") from None
    if not path.is_file():
        raise SchemaError("the schema path is not a file", path=str(path),
                          code="schema-unreadable")
    key = (name, str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is None:
            cached = _compile(name, path)
            _CACHE[key] = cached
    return cached


def _compile(name: str, path: Path) -> CompiledSchema:
    if path.suffix.lower() == ".rnc":
        tree = _rnc_to_rng(path)
    else:
        try:
            tree = parse_file(path)
        except InputError as exc:
            raise SchemaError(f"cannot read the schema: {exc.message}", path=str(path),
                              line=exc.line, col=exc.col, code="schema-unreadable") from None
        tree.docinfo.URL = str(path.resolve())
    root = tree.getroot()
    for ref in root.iter(f"{{{RNG_NS}}}include", f"{{{RNG_NS}}}externalRef"):
        href = ref.get("href", "")
        if "://" in href and not href.startswith("file:"):
            raise SchemaError(f"the schema includes {href}; schemas are never fetched over "
                              "the network. Download it beside the schema and refer to the "
                              "local copy", path=str(path), line=ref.sourceline,
                              code="schema-remote-include")
    if root.tag not in (f"{{{RNG_NS}}}grammar", f"{{{RNG_NS}}}element"):
        raise SchemaError(f"not a RELAX NG schema (root element is {root.tag})",
                          path=str(path), code="schema-not-relaxng")
    try:
        relaxng = etree.RelaxNG(tree)
    except etree.RelaxNGParseError as exc:
        first = exc.error_log[0] if exc.error_log else None
        raise SchemaError(f"the RELAX NG schema does not compile: {exc}", path=str(path),
                          line=first.line if first else None, code="schema-invalid") from None
    compiled = CompiledSchema(name=name, path=path, relaxng=relaxng)
    _describe(tree, compiled)
    return compiled


def _rnc_to_rng(path: Path) -> etree._ElementTree:
    """Convert compact syntax with trang (Java); a usage error when trang is not installed."""
    _check_rnc_references(path)
    trang = shutil.which("trang")
    if trang is None:
        raise SchemaError("a .rnc schema needs the trang converter, which is not installed; "
                          "install trang or convert the schema to .rng first",
                          path=str(path), code="schema-rnc-needs-trang")
    with tempfile.TemporaryDirectory(prefix="edition-rnc-") as tmp:
        out = Path(tmp) / (path.stem + ".rng")
        result = subprocess.run([trang, "-I", "rnc", "-O", "rng", str(path), str(out)],
                                capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0 or not out.is_file():
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise SchemaError("the compact-syntax schema does not convert: "
                              + (detail[0] if detail else "trang failed"), path=str(path),
                              code="schema-invalid")
        tree = etree.parse(str(out), make_parser())
        tree.docinfo.URL = str(path.resolve().with_suffix(".rng"))
        return tree


#: what a compact-syntax schema refers to: ``include "…"`` and ``external "…"``
_RNC_REFERENCE = re.compile(r'\b(include|external)\s+(?:"([^"]*)"|\'([^\']*)\')')


def _without_comment(line: str) -> str:
    """A line of compact syntax without its comment (a ``#`` outside a string literal)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:index]
    return line


def _check_rnc_references(path: Path, seen: set[Path] | None = None) -> None:
    """Refuse a compact-syntax schema that refers to a URL, before trang reads it (trang
    would fetch it), as an XML-syntax schema's ``include`` of a URL is refused. The local
    ``.rnc`` files it refers to are checked the same way."""
    seen = seen if seen is not None else set()
    resolved = path.resolve()
    if resolved in seen:
        return
    seen.add(resolved)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise SchemaError(f"cannot read the schema: {exc.strerror or 'not found'}",
                          path=str(path), code="schema-unreadable") from None
    for line_number, line in enumerate(text.splitlines(), 1):
        for match in _RNC_REFERENCE.finditer(_without_comment(line)):
            keyword, target = match.group(1), match.group(2) or match.group(3) or ""
            if "://" in target and not target.startswith("file:"):
                raise SchemaError(
                    f'the schema refers to "{target}" ({keyword}); schemas are never fetched '
                    "over the network. Download it beside the schema and refer to the local "
                    "copy", path=str(path), line=line_number, col=match.start() + 1,
                    code="schema-remote-include")
            local = Path(target.removeprefix("file://").removeprefix("file:"))
            referenced = local if local.is_absolute() else resolved.parent / local
            if referenced.suffix.lower() == ".rnc" and referenced.is_file():
                _check_rnc_references(referenced, seen)


# ---------------------------------------------------------------------------------------
# What the grammar allows, for messages ("expected one of ...")

def _describe(tree: etree._ElementTree, compiled: CompiledSchema) -> None:
    root = tree.getroot()
    defines: dict[str, list[etree._Element]] = {}
    for define in root.iter(f"{{{RNG_NS}}}define"):
        defines.setdefault(define.get("name", ""), []).append(define)
    for element in root.iter(f"{{{RNG_NS}}}element"):
        name = _element_name(element)
        if name is None:
            continue
        kids = compiled.children.setdefault(name, set())
        atts = compiled.attributes.setdefault(name, set())
        vals = compiled.values.setdefault(name, {})
        required: set[str] = set()
        if _walk(element, defines, kids, atts, vals, required, set(), optional=False):
            compiled.text.add(name)
        # An element defined several times (title, idno ...) requires only what all
        # its definitions require.
        if name in compiled.required:
            compiled.required[name] &= required
        else:
            compiled.required[name] = required


def _element_name(node: etree._Element) -> str | None:
    name = node.get("name")
    if name is not None:
        return name.split(":")[-1]
    child = node.find(f"{{{RNG_NS}}}name")
    if child is not None and child.text:
        return child.text.strip().split(":")[-1]
    return None


def _walk(node: etree._Element, defines: dict[str, list[etree._Element]], kids: set[str],
          atts: set[str], vals: dict[str, list[str]], required: set[str], seen: set[str],
          *, optional: bool) -> bool:
    """Collect what ``node`` allows; True when its content may include text."""
    allows_text = False
    for child in node:
        if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{RNG_NS}}}"):
            continue
        local = child.tag.split("}", 1)[1]
        if local == "element":
            name = _element_name(child)
            if name:
                kids.add(name)
        elif local == "attribute":
            name = child.get("name") or _element_name(child)
            if name:
                atts.add(name)
                if not optional:
                    required.add(name)
                values = _attribute_values(child, defines)
                if values:
                    merged = vals.setdefault(name, [])
                    merged.extend(v for v in values if v not in merged)
        elif local == "ref":
            ref = child.get("name", "")
            if ref in seen:
                continue
            seen.add(ref)
            for define in defines.get(ref, ()):
                allows_text |= _walk(define, defines, kids, atts, vals, required, seen,
                                     optional=optional)
        elif local in ("text", "mixed", "value", "data"):
            allows_text = True
            if local == "mixed":
                _walk(child, defines, kids, atts, vals, required, seen, optional=optional)
        elif local in ("name", "anyName", "nsName", "empty", "notAllowed", "param", "except",
                       "documentation"):
            continue
        else:
            allows_text |= _walk(child, defines, kids, atts, vals, required, seen,
                                 optional=optional or local in ("optional", "zeroOrMore",
                                                                "choice"))
    return allows_text


def _attribute_values(attribute: etree._Element,
                      defines: dict[str, list[etree._Element]]) -> list[str] | None:
    """The closed list of values an attribute takes, or None if it is open."""
    values: list[str] = []

    def collect(node: etree._Element, depth: int) -> bool:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            local = child.tag.split("}", 1)[-1]
            if local == "value":
                values.append((child.text or "").strip())
            elif local in ("choice", "list", "oneOrMore", "zeroOrMore", "group"):
                if not collect(child, depth):
                    return False
            elif local == "ref" and depth < 8:
                for define in defines.get(child.get("name", ""), ()):
                    if not collect(define, depth + 1):
                        return False
            elif local in ("name", "documentation") or child.tag.split("}")[0] != \
                    f"{{{RNG_NS}":
                continue
            else:
                return False  # data, text, anything open
        return True

    return values if collect(attribute, 0) and values else None
