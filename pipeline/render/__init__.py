"""HTML and plain-text editions, and the corpus index, through the XSLT 3.0 stylesheets.

``render_paths`` is what ``edition render`` calls; the corpus build uses :class:`Renderer`
(one per process), :func:`document_summary` and ``Renderer.render_index``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from pipeline.atomic import write_text
from pipeline.diagnostics import Report, warning
from pipeline.errors import EditionError, UsageError
from pipeline.render.engine import ENTRY_STYLESHEETS, VIEWS, Renderer, get_renderer
from pipeline.render.params import check_params
from pipeline.render.summary import document_summary
from pipeline.tei import XML_ID

__all__ = ["RenderResult", "Renderer", "document_summary", "get_renderer", "output_name",
           "render_paths"]

SUFFIXES = {"html": ".html", "text": ".txt"}


@dataclass
class RenderResult:
    """Rendered outputs (in input order) and one report per input document."""

    outputs: list[str] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def _discover(paths: list[Path], reports: list[Report]) -> list[Path]:
    """The files to render: each path given, and the *.xml files under each folder given; a
    folder without any gets a report of its own saying so."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*.xml") if p.is_file())
            if not inside:
                report = Report(str(path))
                report.add(warning("input-no-xml", "the folder holds no *.xml files",
                                   str(path)))
                reports.append(report)
            found.extend(inside)
        else:
            found.append(path)
    return found


def _unused_name(name: str, used: dict[str, Path]) -> str:
    """``name``, or the first of ``name-2``, ``name-3`` … that no other input has taken."""
    if name not in used:
        return name
    number = 2
    while f"{name}-{number}" in used:
        number += 1
    return f"{name}-{number}"


def output_name(tree: etree._ElementTree, path: Path) -> str:
    """The file stem of a document's outputs: its ``xml:id`` if usable, else the file stem."""
    doc_id = tree.getroot().get(XML_ID) or ""
    doc_id = re.sub(r"\.xml$", "", doc_id.strip())
    if not doc_id or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", doc_id):
        doc_id = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-.") or "document"
    return doc_id


def render_paths(paths: list[Path], *, to: str, out_dir: Path | None,
                 view: str = "reading", params: dict[str, str] | None = None) -> RenderResult:
    """Render TEI files to HTML pages, text editions, or one index page.

    Writes ``out_dir/<id>.html`` or ``.txt`` (or ``out_dir/index.html``) atomically when
    ``out_dir`` is given. Bad parameters raise :class:`UsageError` before anything is
    rendered; a document that cannot be read or rendered gets an error in its report and
    the others are still rendered.
    """
    if to not in ENTRY_STYLESHEETS:
        raise UsageError(f"unknown output {to!r}: choose html, text or index",
                         code="render-target")
    if view not in VIEWS:
        raise UsageError(f"view must be reading or diplomatic, not {view!r}",
                         code="render-view")
    renderer = get_renderer()
    params = dict(params or {})
    check_params(renderer.param_specs(to), params, target=to)
    result = RenderResult()
    used: dict[str, Path] = {}
    summaries: list[bytes] = []
    from pipeline.render.documents import load_document

    for path in _discover(list(paths), result.reports):
        report = Report(str(path))
        result.reports.append(report)
        try:
            tree, loaded = load_document(path)
            report.extend(loaded)
            name = output_name(tree, path)
            if name in used:
                unused = _unused_name(name, used)
                report.add(warning("render-duplicate-id",
                                   f"another input ({used[name]}) has the id {name!r}; "
                                   f"this one is written as {unused}", str(path)))
                name = unused
            used[name] = path
            if to == "index":
                summaries.append(document_summary(tree, doc_id=name, href=f"{name}.html"))
                continue
            output, diagnostics = renderer.render(tree, to=to, view=view, params=params,
                                                  path=str(path))
            report.extend(diagnostics)
            result.outputs.append(output)
            if out_dir is not None:
                target = out_dir / f"{name}{SUFFIXES[to]}"
                write_text(target, output)
                result.written.append(target)
                report.details["output"] = str(target)
        except UsageError:
            raise
        except EditionError as exc:
            report.add(exc.to_diagnostic())
    if to == "index":
        page = renderer.render_index(summaries, params=params)
        result.outputs.append(page)
        if out_dir is not None:
            target = out_dir / "index.html"
            write_text(target, page)
            result.written.append(target)
    return result
