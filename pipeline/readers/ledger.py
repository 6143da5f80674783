"""Accounting for every input line: body, ``header:<field>``, ``chrome:<what>`` or ``blank``.

A reader marks line ranges as it classifies them; :meth:`LineLedger.roles` merges runs of
equal roles into :class:`pipeline.source.LineRole` records. A line marked twice keeps its
first role; a line never marked is reported as ``unaccounted`` with a warning, so gaps show
up in reports and tests instead of passing silently.
"""

from __future__ import annotations

import itertools
import operator

from pipeline.diagnostics import Diagnostic, warning
from pipeline.source import LineRole

BLANK = "blank"
BODY = "body"
UNACCOUNTED = "unaccounted"


def header(field_name: str) -> str:
    """The role of a line that holds a header field (``header:title``)."""
    return f"header:{field_name.replace('_', '-')}"


def chrome(what: str) -> str:
    """The role of a line of page chrome (``chrome:skip-to-content``)."""
    return f"chrome:{what}"


class LineLedger:
    """Roles of lines 1..line_count."""

    __slots__ = ("_roles", "conflicts")

    def __init__(self, line_count: int) -> None:
        self._roles: list[str | None] = [None] * line_count
        self.conflicts = 0

    def mark(self, first: int, last: int, role: str) -> None:
        """Give lines ``first``..``last`` (1-based, inclusive) a role."""
        roles = self._roles
        for index in range(first - 1, last):
            if roles[index] is None:
                roles[index] = role
            else:
                self.conflicts += 1

    def mark_line(self, line: int, role: str) -> None:
        if self._roles[line - 1] is None:
            self._roles[line - 1] = role
        else:
            self.conflicts += 1

    def role_of(self, line: int) -> str | None:
        return self._roles[line - 1]

    def slots(self) -> list[str | None]:
        """The role of every line (index 0 is line 1), for loops that classify many lines:
        setting a slot that holds None is the same as :meth:`mark_line`."""
        return self._roles

    def fill(self, role: str, lines: list[str] | None = None, *, blank_too: bool = True) -> None:
        """Give every unmarked line ``role`` (blank lines get ``blank`` when ``lines`` is given)."""
        roles = self._roles
        for index, value in enumerate(roles):
            if value is None:
                if lines is not None and blank_too and is_blank(lines[index]):
                    roles[index] = BLANK
                else:
                    roles[index] = role

    def roles(self, path: str | None = None) -> tuple[list[LineRole], list[Diagnostic]]:
        """Merged runs, and a diagnostic if any line was left unaccounted."""
        missing = self._roles.count(None)
        first_missing = self._roles.index(None) + 1 if missing else None
        roles = [UNACCOUNTED if role is None else role for role in self._roles] if missing \
            else self._roles
        # the lines where the role changes, found by loops in C (a document has one run of
        # lines per paragraph and per blank line between paragraphs)
        changes = list(itertools.compress(range(1, len(roles)),
                                          map(operator.ne, roles, roles[1:])))
        firsts = [0, *changes]
        lasts = [*changes, len(roles)]
        runs = [LineRole(first + 1, last, roles[first])
                for first, last in zip(firsts, lasts, strict=True)] if roles else []
        diagnostics: list[Diagnostic] = []
        if missing:
            diagnostics.append(warning("reader-unaccounted",
                                       f"{missing} input line(s) were not assigned to the body, "
                                       "the header or page chrome", path, first_missing))
        return runs, diagnostics


def is_blank(line: str) -> bool:
    """Empty, or only white space (including non-breaking spaces and form feeds)."""
    return not line or line.isspace()
