"""Stylesheet parameters: read from the ``xsl:param`` declarations, checked and typed.

Each entry stylesheet declares its parameters with an ``as`` type; closed sets of values are
listed in an ``ed:values`` attribute and ranges in ``ed:min``/``ed:max`` (attributes in the
project's own namespace, which XSLT processors ignore). ``-p NAME=VALUE`` strings are checked
against these declarations before a run, so a bad name or value is a usage error, not a
stylesheet failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.errors import UsageError

XSL_NS = "http://www.w3.org/1999/XSL/Transform"
ED_NS = "urn:tei-edition:xslt"


@dataclass(frozen=True)
class ParamSpec:
    """One stylesheet parameter: its name, XPath type, default and accepted values."""

    name: str
    type: str
    default: str | None
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    doc: str = ""

    def convert(self, raw: str) -> Any:
        """The Python value for ``raw``; :class:`UsageError` when it does not fit."""
        if self.type == "xs:integer":
            try:
                value: Any = int(raw.strip())
            except ValueError:
                raise UsageError(f"parameter {self.name} takes a whole number, got {raw!r}",
                                 code="render-param-type") from None
            if self.minimum is not None and value < self.minimum:
                raise UsageError(f"parameter {self.name} must be at least {self.minimum}, "
                                 f"got {value}", code="render-param-range")
            if self.maximum is not None and value > self.maximum:
                raise UsageError(f"parameter {self.name} must be at most {self.maximum}, "
                                 f"got {value}", code="render-param-range")
            return value
        if self.type == "xs:boolean":
            lowered = raw.strip().lower()
            if lowered in ("true", "1", "yes"):
                return True
            if lowered in ("false", "0", "no"):
                return False
            raise UsageError(f"parameter {self.name} takes true or false, got {raw!r}",
                             code="render-param-type")
        if self.values and raw not in self.values:
            raise UsageError(f"parameter {self.name} takes one of {', '.join(self.values)}; "
                             f"got {raw!r}", code="render-param-value")
        return raw


def _modules(entry: Path) -> list[Path]:
    """The entry stylesheet and every module it includes, each once."""
    seen: list[Path] = []
    pending = [entry.resolve()]
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.append(path)
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        for include in tree.getroot().iterfind(f"{{{XSL_NS}}}include"):
            pending.append((path.parent / include.get("href", "")).resolve())
    return seen


def read_param_specs(entry: Path) -> dict[str, ParamSpec]:
    """The global parameters of a stylesheet, by name."""
    specs: dict[str, ParamSpec] = {}
    for module in _modules(entry):
        root = etree.parse(str(module), etree.XMLParser(resolve_entities=False,
                                                        no_network=True)).getroot()
        for param in root.iterfind(f"{{{XSL_NS}}}param"):
            name = param.get("name", "")
            if ":" in name:  # parameters in the project namespace are internal
                continue
            minimum = param.get(f"{{{ED_NS}}}min")
            maximum = param.get(f"{{{ED_NS}}}max")
            specs[name] = ParamSpec(
                name=name,
                type=param.get("as", "xs:string"),
                default=param.get("select"),
                values=tuple((param.get(f"{{{ED_NS}}}values") or "").split()),
                minimum=int(minimum) if minimum is not None else None,
                maximum=int(maximum) if maximum is not None else None,
                doc=param.get(f"{{{ED_NS}}}doc", ""),
            )
    return specs


def check_params(specs: dict[str, ParamSpec], params: dict[str, str], *,
                 target: str) -> dict[str, Any]:
    """Typed values for ``params``; an unknown name or a bad value is a :class:`UsageError`."""
    typed: dict[str, Any] = {}
    for name, raw in params.items():
        spec = specs.get(name)
        if spec is None:
            known = ", ".join(sorted(specs)) or "none"
            raise UsageError(f"unknown parameter {name!r} for --to {target} "
                             f"(known: {known})", code="render-param-unknown")
        typed[name] = spec.convert(str(raw))
    return typed
