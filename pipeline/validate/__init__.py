"""Validation of TEI files: RELAX NG and Schematron behind one interface, returning Reports.

    validator = Validator("edition")            # or "tei_all", or a .rng/.rnc path
    report = validator.validate_file("doc.xml") # or validate_tree(tree, path): parsed once

A run checks, in order: the bytes (encoding declaration against the bytes), well-formedness
and safety (pipeline.safexml: DOCTYPEs refused, nothing fetched), what the file declares
(xml-model, xsi:schemaLocation, xi:include: reported, never followed), what kind of document
it is (TEI P5, TEI P4, a non-TEI root), the RELAX NG grammar, then the Schematron rules.
Every problem found becomes a Diagnostic; nothing stops at the first.

Compiled schemas and rules are cached per process, so building many Validators is free.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree

from pipeline.diagnostics import Diagnostic, Report, Severity
from pipeline.errors import InputError
from pipeline.safexml import check_encoding, parse_bytes, read_xml_bytes
from pipeline.validate.inspection import inspect_tree, root_diagnostic
from pipeline.validate.relaxng import relaxng_diagnostics
from pipeline.validate.schemas import EDITION_SCH, CompiledSchema, load_schema, resolve_tei_all
from pipeline.validate.schematron import CompiledSchematron, load_schematron

__all__ = ["Validator", "iter_xml_files", "resolve_tei_all", "validate_paths"]


class Validator:
    """A schema (and Schematron rules) ready to check many documents."""

    def __init__(self, schema: str | Path = "edition",
                 schematron: Path | bool | None = True,
                 tei_all: Path | None = None) -> None:
        self.schema: CompiledSchema = load_schema(schema, tei_all)
        self.rules: CompiledSchematron | None
        if schematron is True:
            self.rules = load_schematron(EDITION_SCH) if self.schema.name == "edition" else None
        elif schematron is None or schematron is False:
            self.rules = None
        else:
            self.rules = load_schematron(Path(schematron))
        self._tei_schema = isinstance(schema, str) and schema in ("edition", "tei_all")

    @property
    def schema_name(self) -> str:
        return self.schema.name

    def validate_tree(self, tree: etree._ElementTree, path: str) -> Report:
        """Check an already parsed document (the build parses each file once)."""
        report = Report(path=path)
        inspection = inspect_tree(tree, path)
        report.details.update(inspection.details())
        report.details["schema"] = self.schema.name
        report.extend(inspection.diagnostics)
        if self._tei_schema:
            problem = root_diagnostic(inspection, path, tree.getroot().sourceline,
                                      schema_name=self.schema.name)
            if problem is not None:
                report.add(problem)
                report.details["checked"] = []
                return report
        report.extend(relaxng_diagnostics(self.schema, tree, path))
        checked = ["relaxng"]
        if self.rules is not None and (inspection.is_tei_document or not self._tei_schema):
            report.extend(self.rules.validate(tree, path))
            checked.append("schematron")
        report.details["checked"] = checked
        report.diagnostics.sort(key=_order)
        return report

    def validate_bytes(self, data: bytes, path: str) -> Report:
        encoding = check_encoding(data, path)
        try:
            tree = parse_bytes(data, path)
        except InputError as exc:
            report = Report(path=path)
            if encoding is not None:
                report.add(encoding)
            if encoding is None or exc.code != "xml-malformed":
                report.add(exc.to_diagnostic())
            return report
        report = self.validate_tree(tree, path)
        if encoding is not None:
            report.diagnostics.insert(0, encoding)
        return report

    def validate_file(self, path: str | Path) -> Report:
        try:
            data = read_xml_bytes(path)
        except InputError as exc:
            return Report(path=str(path), diagnostics=[exc.to_diagnostic()])
        return self.validate_bytes(data, str(path))


def _order(diagnostic: Diagnostic) -> tuple[int, int]:
    return (diagnostic.line or 0, 0 if diagnostic.severity is Severity.ERROR else 1)


def iter_xml_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Diagnostic | None]]:
    """Each file to check: files as given, directories walked for ``*.xml`` in sorted order.

    A directory without any ``*.xml`` yields itself with a warning.
    """
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.xml") if p.is_file())
            if not found:
                yield path, Diagnostic("input-no-xml", Severity.WARNING,
                                       "the folder holds no *.xml files", str(path))
            for file in found:
                yield file, None
        else:
            yield path, None


def validate_paths(paths: list[Path], *, schema: str = "edition",
                   schematron: Path | None = None,
                   tei_all: Path | None = None) -> list[Report]:
    """One Report per XML file under ``paths``; a bad schema is a SchemaError (exit 2)."""
    validator = Validator(schema, schematron if schematron is not None else True, tei_all)
    reports: list[Report] = []
    for path, problem in iter_xml_files(paths):
        if problem is not None:
            reports.append(Report(path=str(path), diagnostics=[problem]))
            continue
        reports.append(validator.validate_file(path))
    return reports
