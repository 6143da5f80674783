"""One diagnostic type for every stage: conversion, validation, rendering, building.

A diagnostic prints as ``path:line:col: severity[code]: message`` so that editors can jump
to it, and serialises to the same fields as JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    """How bad a diagnostic is. ``info`` never fails a run, ``warning`` only under --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A located message with a stable code (for example ``ed-date-iso``)."""

    code: str
    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    col: int | None = None

    def format(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}:{self.col if self.col is not None else 1}"
        return f"{where}: {self.severity}[{self.code}]: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Diagnostic:
        return cls(
            code=data["code"],
            severity=Severity(data["severity"]),
            message=data["message"],
            path=data.get("path"),
            line=data.get("line"),
            col=data.get("col"),
        )


def error(code: str, message: str, path: str | None = None, line: int | None = None,
          col: int | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, path, line, col)


def warning(code: str, message: str, path: str | None = None, line: int | None = None,
            col: int | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, path, line, col)


def info(code: str, message: str, path: str | None = None, line: int | None = None,
         col: int | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.INFO, message, path, line, col)


@dataclass
class Report:
    """The diagnostics about one file, plus free-form structured details for JSON output."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.diagnostics)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def summary(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.count(Severity.INFO),
            "valid": self.ok,
        }

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "summary": self.summary(),
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }
        if self.details:
            out["details"] = self.details
        return out


class Outcome(str, Enum):
    """What a run over some reports amounts to; the CLI maps it to an exit code."""

    OK = "ok"
    ERRORS = "errors"
    WARNINGS = "warnings"


def outcome(reports: Iterable[Report], *, strict: bool = False) -> Outcome:
    reports = list(reports)
    if any(r.errors for r in reports):
        return Outcome.ERRORS
    if strict and any(r.warnings for r in reports):
        return Outcome.WARNINGS
    return Outcome.OK


def format_text(reports: Iterable[Report], *, min_severity: Severity = Severity.INFO) -> str:
    """All diagnostics, one per line, in the common format."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    limit = order[min_severity]
    lines = [d.format() for r in reports for d in r.diagnostics if order[d.severity] <= limit]
    return "\n".join(lines)


def to_json(reports: Iterable[Report], **extra: Any) -> str:
    reports = list(reports)
    payload: dict[str, Any] = {
        "files": [r.to_dict() for r in reports],
        "totals": {
            "files": len(reports),
            "errors": sum(r.errors for r in reports),
            "warnings": sum(r.warnings for r in reports),
        },
    }
    payload.update(extra)
    return json.dumps(payload, ensure_ascii=False, indent=2)
