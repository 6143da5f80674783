"""The corpus build: discover sources, plan what is stale, run the per-document work, write
every output atomically, rebuild the index pages, and report.

Pipeline, per source document (run in worker processes, :func:`build_document`)::

    transcript --convert--> TEI --validate--> --render--> HTML, text     (+ index summary)
    TEI file   --parse----> TEI --validate--> --render--> HTML, text     (+ index summary)

Then, in this process: duplicate document ids are resolved, the index page is rendered from
the stored summaries, outputs of vanished or failed sources are removed, and
``report.json``/``report.html`` and the manifest are written. See ``docs/build.md``.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISREG, S_ISSOCK
from typing import Any

from lxml import etree

from pipeline import __version__
from pipeline.atomic import make_folder, open_temporary, write_bytes
from pipeline.config import EditionConfig, find_config, load_config
from pipeline.diagnostics import Diagnostic, Outcome, Report, Severity, outcome
from pipeline.errors import EditionError, InputError, UsageError
from pipeline.executors import (
    Executor,
    IdleWork,
    InlineExecutor,
    LocalProcessExecutor,
    default_jobs,
    make_executor,
)
from pipeline.manifest import (
    HASH_BUFFER,
    LEGACY_MANIFEST_NAME,
    PROJECT_ROOT,
    STORE_NAME,
    BuildStore,
    DamagedManifest,
    DocumentRecords,
    Manifest,
    OutputRecord,
    Toolchain,
    combine,
    content_hasher,
    hash_file,
    sound_diagnostic,
    sound_output,
)
from pipeline.progress import ProgressBar
from pipeline.render.summary import (
    SUMMARY_NS,
    listing_record,
    person_turns,
    persons_record,
    read_record,
)

TARGETS = ("html", "text", "tei")
#: where each per-document output goes, relative to the output folder
OUTPUT_LAYOUT = {"tei": ("tei", ".xml"), "html": ("html", ".html"), "text": ("text", ".txt")}
#: converted TEI that failed validation, kept so the diagnostics' lines can be looked at
INVALID_LAYOUT = ("invalid", ".xml")
REPORT_JSON = "report.json"
REPORT_HTML = "report.html"
#: how often (seconds) the manifest is saved during a long build, so a killed build resumes;
#: at least this often apart, and at least CHECKPOINT_SPACING times as long apart as a save
#: takes (saving grows with the corpus: the spacing keeps checkpoints a small, constant
#: share of the build's time however large the corpus)
CHECKPOINT_SECONDS = 5.0
CHECKPOINT_SPACING = 20

_TRANSCRIPT_SUFFIXES = (".txt", ".html", ".htm")
_SIDECAR_SUFFIX = ".meta.json"


@dataclass
class BuildOptions:
    """What ``edition build`` was asked to do."""

    source: Path
    out_dir: Path = Path("output")
    targets: tuple[str, ...] | None = None   # subset of html, text, tei; None: config or all
    jobs: int | None = None                  # worker processes; None: the number of cores
    strict: bool = False
    clean: bool = False
    executor: str = "local"                  # "local" or "dask"
    scheduler: str | None = None             # Dask scheduler address
    progress: bool = False


def default_source() -> Path:
    """The bundled sample corpus (``samples/`` at the project root)."""
    return PROJECT_ROOT / "samples"


# --- per-document work (runs in workers) ----------------------------------------------------


@dataclass(frozen=True)
class DocumentTask:
    """Everything a worker needs to build one document; small and picklable."""

    rel: str                      # source path relative to the corpus root (manifest key)
    source: str                   # absolute source path
    display: str                  # source path as shown in diagnostics
    kind: str                     # "transcript" or "tei"
    out_dir: str                  # absolute output folder
    out_display: str              # output folder as shown in diagnostics
    targets: tuple[str, ...]      # outputs to (re)write
    convert_settings: tuple[tuple[str, Any], ...] = ()  # aliases, persons, hands, publisher
    id_hint: tuple[str, str] | None = None  # (natural id, id given) in the previous build
    forced_id: str | None = None  # the id to use (duplicate-id resolution)
    tei_all: str | None = None
    base: str = ""                # the document's key (sources, toolchain, settings)
    keys: tuple[tuple[str, str], ...] = ()  # the key of each output asked for
    inputs: dict[str, Any] | None = None    # source and sidecar hashes and file status
    published: tuple[str, ...] = ()   # the outputs the build publishes (the page links them)


def _task_plan(task: DocumentTask) -> dict[str, Any]:
    """What the build planned for a task, handed back with its result so that the build
    process keeps nothing of the documents in flight."""
    return {"base": task.base, "keys": dict(task.keys), "inputs": task.inputs or {}}


class _Workshop:
    """One Renderer and one Validator per schema, made once per worker process."""

    def __init__(self) -> None:
        from pipeline.render import Renderer

        self.renderer = Renderer()
        self._validators: dict[tuple[str, str | None], Any] = {}

    def validator(self, schema: str, tei_all: str | None = None) -> Any:
        key = (schema, tei_all)
        if key not in self._validators:
            from pipeline.validate import Validator

            try:
                if schema == "tei_all" and tei_all:
                    self._validators[key] = Validator(schema=schema, tei_all=Path(tei_all))
                else:
                    self._validators[key] = Validator(schema=schema)
            except EditionError as exc:
                self._validators[key] = exc
        return self._validators[key]


_WORKSHOP: _Workshop | None = None


def init_worker(converter: bool = True) -> None:
    """Process-pool initializer: set up saxonche, compile the stylesheets, load the schema
    and, when the build has transcripts (``converter``), the converter and its word list."""
    workshop = _workshop()
    workshop.validator("edition")
    workshop.renderer.processor  # noqa: B018 - compiles the stylesheets now, once
    if converter:
        from pipeline.convert.glued import word_list

        word_list("en")


def _workshop() -> _Workshop:
    global _WORKSHOP
    if _WORKSHOP is None:
        _WORKSHOP = _Workshop()
    return _WORKSHOP


def slug(text: str) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not value or not value[0].isalpha():
        value = f"doc-{value}" if value else "doc"
    return value


_TEI_NS = "http://www.tei-c.org/ns/1.0"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _is_ours(root: Any) -> bool:
    return bool(root.xpath(
        "/tei:TEI/tei:teiHeader/tei:encodingDesc/tei:appInfo/"
        "tei:application[@ident='tei-edition']", namespaces={"tei": _TEI_NS}))


class _Failed(Exception):
    """A stage failed; the diagnostics already say why."""


def build_document(task: DocumentTask) -> dict[str, Any]:
    """Convert or parse, validate, render and write one document. Never raises.

    Returns a small picklable record: the id, the written outputs (path, hash, size, mtime),
    the diagnostics per stage, the conversion details, and the index summary.
    """
    started = time.perf_counter()
    result: dict[str, Any] = {
        "rel": task.rel, "kind": task.kind, "natural_id": None, "doc_id": None,
        "failed": False, "outputs": {}, "diagnostics": {}, "details": {}, "summary": None,
        "foreign": False, "targets": list(task.targets), "plan": _task_plan(task),
    }
    try:
        _build_stages(task, result)
    except _Failed:
        result["failed"] = True
    except EditionError as exc:
        result["failed"] = True
        result["diagnostics"].setdefault("build", []).append(exc.to_diagnostic().to_dict())
    except Exception as exc:  # a bug in a stage: report it on this document, go on
        result["failed"] = True
        result["diagnostics"].setdefault("build", []).append(Diagnostic(
            "internal", Severity.ERROR,
            f"internal error while building this document: {type(exc).__name__}: {exc} "
            "(a bug in tei-edition; please report it with this file)",
            task.display).to_dict())
    if result["failed"]:
        result["outputs"] = {k: v for k, v in result["outputs"].items() if k == "invalid"}
    _display_paths(task, result["diagnostics"])
    result["seconds"] = time.perf_counter() - started
    return result


def _display_paths(task: DocumentTask, diagnostics: dict[str, list[dict[str, Any]]]) -> None:
    """Diagnostics about the source, or about a file beside it (its sidecar), name it as the
    build shows it (relative to where the build was started when possible), like every
    other path in the build's messages, not by the absolute path the worker opened."""
    source = task.source
    folder = os.path.dirname(source)
    shown_folder = os.path.dirname(task.display)
    for found in diagnostics.values():
        for diagnostic in found:
            path = diagnostic.get("path")
            if path == source:
                diagnostic["path"] = task.display
            elif path and os.path.dirname(path) == folder:
                diagnostic["path"] = os.path.join(shown_folder, os.path.basename(path))


def _has_errors(diagnostics: Iterable[dict[str, Any]]) -> bool:
    return any(d["severity"] == "error" for d in diagnostics)


def _build_stages(task: DocumentTask, result: dict[str, Any]) -> None:
    from pipeline.safexml import parse_bytes

    workshop = _workshop()
    diags = result["diagnostics"]
    if task.kind == "transcript":
        from pipeline.convert import ConvertOptions, convert_path

        settings = dict(task.convert_settings)
        conversion = convert_path(Path(task.source), options=ConvertOptions(**settings))
        report = conversion.report
        diags["convert"] = [d.to_dict() for d in report.diagnostics]
        # the line-by-line accounting stays with `edition convert --report`, and the review
        # items are among the diagnostics: the build keeps the counts and the rest
        result["details"] = {k: v for k, v in report.details.items()
                             if k not in ("accounting", "review")}
        natural = conversion.doc_id
        tei_bytes = conversion.tei_bytes
        tree = conversion.tree   # parsed from its bytes on first use, with line numbers
    else:
        try:
            tei_bytes = Path(task.source).read_bytes()
        except OSError as exc:
            raise InputError(f"the file cannot be read: {exc.strerror or exc}",
                             path=task.display, code="input-unreadable") from exc
        natural = _tei_file_id(task, tei_bytes)
        tree = None
    if _has_errors(diags.get("convert", ())):
        raise _Failed
    result["natural_id"] = natural
    doc_id = _choose_id(task, natural)
    if tree is not None and doc_id != natural:
        tei_bytes = tei_bytes.replace(f'xml:id="{natural}"'.encode(),
                                      f'xml:id="{doc_id}"'.encode(), 1)
        tree.getroot().set(_XML_ID, doc_id)
    result["doc_id"] = doc_id
    tei_display = f"{task.out_display}/tei/{doc_id}.xml" if task.kind == "transcript" \
        else task.display
    if tree is None:
        tree = parse_bytes(tei_bytes, tei_display)

    # validation: our own TEI against the project schema (errors fail the document);
    # TEI from elsewhere against tei_all (errors become warnings: it is rendered anyway)
    ours = task.kind == "transcript" or _is_ours(tree.getroot())
    result["foreign"] = not ours
    if ours:
        validator = workshop.validator("edition")
        if isinstance(validator, EditionError):
            raise validator
        found = validator.validate_tree(tree, tei_display)
        diags["validate"] = [d.to_dict() for d in found]
    else:
        diags["validate"] = _validate_foreign(workshop, tree, task)
    if _has_errors(diags["validate"]):
        if task.kind == "transcript":
            _keep_invalid_tei(task, doc_id, tei_bytes, tei_display, result)
        raise _Failed

    rendered: dict[str, bytes] = {}
    views = tuple(target for target in ("html", "text") if target in task.targets)
    if views:   # one serialisation and one Saxon parse of the document for both
        outputs = workshop.renderer.render_outputs(
            tree, views, view="reading",
            params={target: _page_params(workshop, target, doc_id,
                                         task.published or task.targets)
                    for target in views},
            path=tei_display,
            # converted TEI is UTF-8 text the tree was parsed from: Saxon is given it as it is
            xml_text=tei_bytes.decode("utf-8") if task.kind == "transcript" else None)
        for target, (text, render_diags) in outputs.items():
            diags[f"render-{target}"] = [d.to_dict() for d in render_diags]
            if _has_errors(diags[f"render-{target}"]):
                raise _Failed
            rendered[target] = text.encode("utf-8")
    if "tei" in task.targets:
        rendered["tei"] = tei_bytes

    from pipeline.render.summary import summary_record

    record = summary_record(tree, doc_id=doc_id, href=_page_href(doc_id))
    result["summary"] = etree.tostring(record, encoding="unicode")
    result["entry"] = index_entry(record)

    out_dir = Path(task.out_dir)
    for target, data in rendered.items():
        folder, suffix = OUTPUT_LAYOUT[target]
        relative = f"{folder}/{doc_id}{suffix}"
        status = write_bytes(out_dir / relative, data, durable=False)
        result["outputs"][target] = OutputRecord.written(relative, data, status).to_dict()


def _page_params(workshop: _Workshop, target: str, doc_id: str,
                 published: tuple[str, ...]) -> dict[str, str] | None:
    """Stylesheet parameters for a document page inside the edition: where the index
    is, the document's other outputs that the build publishes, and the build report
    (those the stylesheet takes)."""
    if target != "html":
        return None
    specs = workshop.renderer.param_specs("html")
    params = {name: value for name, value in page_links(doc_id, published).items()
              if name in specs}
    return params or None


def page_links(doc_id: str, published: Iterable[str]) -> dict[str, str]:
    """The links of a document page (``html/<id>.html``) to the rest of the edition: the
    index, the build report, and the document's TEI and text when the build publishes
    them (relative URLs; document ids need no escaping)."""
    links = {"index-href": "index.html"}
    folder, suffix = OUTPUT_LAYOUT["tei"]
    if "tei" in published:
        links["tei-href"] = f"../{folder}/{doc_id}{suffix}"
    folder, suffix = OUTPUT_LAYOUT["text"]
    if "text" in published:
        links["text-href"] = f"../{folder}/{doc_id}{suffix}"
    links["report-href"] = f"../{REPORT_HTML}"
    return links


def _keep_invalid_tei(task: DocumentTask, doc_id: str, tei_bytes: bytes, tei_display: str,
                      result: dict[str, Any]) -> None:
    """Write converted TEI that failed validation to ``invalid/<id>.xml`` (never to ``tei/``)
    and point its diagnostics there, so the reported lines can be looked at."""
    folder, suffix = INVALID_LAYOUT
    relative = f"{folder}/{doc_id}{suffix}"
    out_dir = Path(task.out_dir)
    status = write_bytes(out_dir / relative, tei_bytes, durable=False)
    result["outputs"]["invalid"] = OutputRecord.written(relative, tei_bytes, status).to_dict()
    shown = f"{task.out_display}/{relative}"
    for record in result["diagnostics"]["validate"]:
        if record.get("path") == tei_display:
            record["path"] = shown


def _tei_file_id(task: DocumentTask, tei_bytes: bytes) -> str:
    """The id of a TEI file: its own ``xml:id`` when it is ours, else its file name."""
    match = re.search(rb'<TEI\b[^>]*\sxml:id="([^"]+)"', tei_bytes[:4096])
    candidate = match.group(1).decode("utf-8", "replace") if match else ""
    if candidate and candidate == slug(candidate) and b'ident="tei-edition"' in tei_bytes:
        return candidate
    return slug(Path(task.rel).name.removesuffix(".xml"))


def _choose_id(task: DocumentTask, natural: str) -> str:
    """The id to publish under: the one the build assigned, else the one the previous
    build gave this document (when its own id has not changed), else its own."""
    if task.forced_id:
        return task.forced_id
    if task.id_hint and task.id_hint[0] == natural:
        return task.id_hint[1]
    return natural


def _validate_foreign(workshop: _Workshop, tree: Any, task: DocumentTask) -> list[dict[str, Any]]:
    validator = workshop.validator("tei_all", task.tei_all)
    if isinstance(validator, EditionError):
        return [Diagnostic("build-foreign-unchecked", Severity.INFO,
                           f"TEI from another project, not checked against tei_all "
                           f"({validator.message}); rendered as it is", task.display).to_dict()]
    out = []
    for diagnostic in validator.validate_tree(tree, task.display):
        record = diagnostic.to_dict()
        if record["severity"] == "error":
            record["severity"] = "warning"
            record["message"] += " (TEI from another project: rendered anyway)"
        out.append(record)
    return out


def crashed_document(task: DocumentTask, reason: str) -> dict[str, Any]:
    """The result recorded for a document whose worker died."""
    return {
        "rel": task.rel, "kind": task.kind, "natural_id": None, "doc_id": None,
        "failed": True, "outputs": {}, "details": {}, "summary": None, "foreign": False,
        "targets": list(task.targets), "seconds": 0.0, "plan": _task_plan(task),
        "diagnostics": {"build": [Diagnostic("build-worker-crash", Severity.ERROR, reason,
                                             task.display).to_dict()]},
    }


# --- discovery and planning (this process) -------------------------------------------------


@dataclass
class Source:
    rel: str
    path: Path
    kind: str
    sidecar: Path | None = None


def sidecar_of(path: Path, beside: set[str] | None = None) -> Path | None:
    """The ``.meta.json`` beside a transcript (``x.txt`` -> ``x.meta.json``), if any;
    ``beside``, when given, is the set of file names in the transcript's folder."""
    name = path.name
    candidates = [name.rsplit(".", 1)[0], name.split(".", 1)[0]]
    for base in dict.fromkeys(candidates):
        candidate = base + _SIDECAR_SUFFIX
        if candidate in beside if beside is not None else path.with_name(candidate).is_file():
            return path.with_name(candidate)
    return None


def discover(source: Path, out_dir: Path) -> tuple[list[Source], list[dict[str, str]]]:
    """The documents under ``source`` (sorted by relative path) and the files ignored.

    Only regular files (or symbolic links to regular files) are documents; anything else
    (a named pipe, a socket, a device, a symbolic link whose target is missing or is a
    folder) is listed as ignored with the reason, and never opened. Folders are walked
    without following symbolic links; the output folder and any folder holding a previous
    build's database are skipped."""
    listings: dict[Path, set[str]] | None = None   # the regular files' names of each folder
    # each file with its path relative to the corpus root
    files: list[tuple[Path, str]]
    unusable: list[dict[str, str]] = []
    if source.is_file():
        root, files = source.parent, [(source, source.name)]
    else:
        root = source
        files = []
        listings = {}
        skip = {out_dir.resolve()}
        pending = [source]
        while pending:
            here = pending.pop()
            prefix = here.relative_to(root).as_posix() + "/" if here != root else ""
            names: set[str] = set()
            folders: list[Path] = []
            try:
                entries = sorted(os.scandir(here), key=lambda e: e.name)
            except OSError as exc:
                unusable.append({"path": prefix.rstrip("/") or ".",
                                 "reason": f"folder not read: {exc.strerror or exc}"})
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                kind = _entry_kind(entry)
                if kind == "file":
                    names.add(entry.name)
                    files.append((here / entry.name, prefix + entry.name))
                elif kind == "folder":
                    folder = here / entry.name
                    if folder.resolve() not in skip and not (folder / STORE_NAME).exists() \
                            and not (folder / LEGACY_MANIFEST_NAME).exists():
                        folders.append(folder)
                else:
                    unusable.append({"path": prefix + entry.name, "reason": kind})
            listings[here] = names
            pending.extend(reversed(folders))
    documents: list[Source] = []
    ignored: list[dict[str, str]] = []
    sidecars_used: set[Path] = set()
    pending_sidecars: list[Path] = []
    for path, rel in files:
        if not _is_utf8_name(rel):
            ignored.append({"path": rel.encode("utf-8", "surrogateescape").decode(
                "utf-8", "replace"), "reason": NAME_NOT_UTF8})
            continue
        name = path.name.lower()
        if name == "edition.toml":
            continue
        if name.endswith(_SIDECAR_SUFFIX):
            pending_sidecars.append(path)
            continue
        if name.endswith(".xml"):
            documents.append(Source(rel, path, "tei"))
            continue
        if name.endswith(_TRANSCRIPT_SUFFIXES):
            sidecar = sidecar_of(path, listings[path.parent] if listings else None)
            if sidecar is not None:
                sidecars_used.add(sidecar)
            documents.append(Source(rel, path, "transcript", sidecar))
        else:
            ignored.append({"path": rel, "reason": "not a transcript format the converter "
                                                   "reads, nor a TEI file"})
    for sidecar in pending_sidecars:
        if sidecar not in sidecars_used:
            ignored.append({"path": sidecar.relative_to(root).as_posix(),
                            "reason": "metadata sidecar without a transcript beside it"})
    for entry in unusable:
        if _is_utf8_name(entry["path"]):
            ignored.append(entry)
        else:
            ignored.append({**entry, "path": entry["path"].encode(
                "utf-8", "surrogateescape").decode("utf-8", "replace")})
    documents.sort(key=lambda s: s.rel)
    ignored.sort(key=lambda i: i["path"])
    return documents, ignored


def _entry_kind(entry: os.DirEntry[str]) -> str:
    """``file`` (a regular file, or a link to one), ``folder`` (a real folder, not a link)
    or, for anything else, why it is not read."""
    try:
        if entry.is_symlink():
            try:
                status = os.stat(entry.path)
            except OSError as exc:
                return ("a symbolic link whose target cannot be reached "
                        f"({exc.strerror or exc}): not read")
            if S_ISREG(status.st_mode):
                return "file"
            if S_ISDIR(status.st_mode):
                return "a symbolic link to a folder: links to folders are not followed"
            return f"a symbolic link to {_special_kind(status.st_mode)}: not a regular file"
        if entry.is_dir(follow_symlinks=False):
            return "folder"
        if entry.is_file(follow_symlinks=False):
            return "file"
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as exc:
        return f"its status cannot be read ({exc.strerror or exc}): not read"
    return f"{_special_kind(mode)}: not a regular file, not read"


def _special_kind(mode: int) -> str:
    if S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if S_ISSOCK(mode):
        return "a socket"
    if S_ISCHR(mode) or S_ISBLK(mode):
        return "a device file"
    return "a special file"


NAME_NOT_UTF8 = ("its name is not valid UTF-8 (an older encoding?): rename the file with "
                 "UTF-8 characters to build it")


def _is_utf8_name(name: str) -> bool:
    """Is a file name that the system gave valid UTF-8 (the build records names in UTF-8)?"""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def assign_ids(natural_ids: dict[str, str]) -> dict[str, str]:
    """Unique document ids: the first source (by relative path) keeps its id, the others get
    ``-2``, ``-3``... skipping ids that other documents have. Deterministic."""
    taken = set(natural_ids.values())
    groups: dict[str, list[str]] = defaultdict(list)
    for rel in sorted(natural_ids):
        groups[natural_ids[rel]].append(rel)
    assigned: dict[str, str] = {}
    used: set[str] = set()
    for doc_id, rels in groups.items():
        assigned[rels[0]] = doc_id
        used.add(doc_id)
    for doc_id in sorted(groups):
        for rel in groups[doc_id][1:]:
            number = 2
            while f"{doc_id}-{number}" in used or f"{doc_id}-{number}" in taken:
                number += 1
            assigned[rel] = f"{doc_id}-{number}"
            used.add(assigned[rel])
    return assigned


# --- the build -----------------------------------------------------------------------------


@dataclass
class BuildResult:
    """What a build did: per document its errors and warnings, counts and timings.

    ``reports`` holds the errors and warnings of every document (whether it was rebuilt
    or not, so an incremental build reports what a clean build reports); the notes and
    review items are in ``report.json`` and ``report.html``.
    """

    reports: list[Report]
    outcome: Outcome
    documents: list[dict[str, Any]] = field(default_factory=list)
    ignored: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    rebuilt: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.timings.get("total", 0.0)

    def summary_line(self) -> str:
        """``Built 1,204 documents (1,180 unchanged, 2 failed, 5 warnings) in 4.1 s``."""
        total = self.counts.get("documents", 0)
        warnings = self.counts.get("warnings", 0)
        return (f"Built {total:,} document{'' if total == 1 else 's'} "
                f"({self.counts.get('unchanged', 0):,} unchanged, "
                f"{self.counts.get('failed', 0):,} failed, "
                f"{warnings:,} warning{'' if warnings == 1 else 's'}) in {self.seconds:.1f} s")

    def build_section(self) -> dict[str, Any]:
        return {**self.settings, "outcome": self.outcome.value, "counts": self.counts,
                "timings": {k: round(v, 3) for k, v in self.timings.items()},
                "summary": self.summary_line(), "rebuilt": self.rebuilt}

    def to_dict(self) -> dict[str, Any]:
        """The build and, per document, its status, outputs, errors and warnings (the full
        diagnostics and the conversion details are in ``report.json``)."""
        return {
            "tool": {"name": "tei-edition", "version": __version__},
            "build": self.build_section(),
            "documents": self.documents,
            "ignored": self.ignored,
        }


def _check_options(options: BuildOptions) -> tuple[str, ...] | None:
    if not options.source.exists():
        raise UsageError(f"no such folder or file: {options.source}", path=str(options.source))
    if not options.source.is_dir() and not options.source.is_file():
        raise UsageError("the source is neither a folder nor a regular file",
                         path=str(options.source), code="build-source-kind")
    if options.out_dir.exists() and not options.out_dir.is_dir():
        raise UsageError("the output path exists and is not a folder",
                         path=str(options.out_dir))
    check_folders(options.source, options.out_dir)
    if options.jobs is not None and options.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if options.targets is None:
        return None
    targets = tuple(t for t in options.targets if t)
    unknown = [t for t in targets if t not in TARGETS]
    if unknown or not targets:
        raise UsageError(f"--to takes a comma-separated list among {', '.join(TARGETS)}; "
                         f"got {','.join(options.targets) or 'nothing'}")
    return targets


def check_folders(source: Path, out_dir: Path) -> None:
    """Refuse an output folder that is the source folder or holds the source: the build
    would read its own outputs back as sources, and could overwrite or remove sources
    (``tei/``, ``html/``, ``text/`` and ``--clean`` are the build's). Both paths are
    compared resolved (symbolic links and ``..`` followed). An output folder inside the
    source folder is fine: discovery skips it."""
    source_abs, out_abs = source.resolve(), out_dir.resolve()
    if source_abs != out_abs and out_abs not in source_abs.parents:
        return
    what = "folder" if source.is_dir() else "file"
    if source_abs == out_abs:
        overlap = f"the output folder {out_dir} is the source folder {source}"
    else:
        overlap = f"the output folder {out_dir} contains the source {what} {source}"
    raise UsageError(
        f"{overlap}: a build would read its own outputs as sources and could overwrite or "
        f"remove sources; choose an output folder outside the source (e.g. -o "
        f"{source_abs.name}-edition beside it) or inside the source folder (e.g. -o "
        f"{source}/output)" if what == "folder" else
        f"{overlap}: a build could overwrite or remove it; choose an output folder that "
        f"does not hold the source", path=str(out_dir), code="build-output-overlap")


def clean_output(out_dir: Path) -> None:
    """Remove what a previous build wrote (and only that) from ``out_dir``."""
    for folder, _ in (*OUTPUT_LAYOUT.values(), INVALID_LAYOUT):
        shutil.rmtree(out_dir / folder, ignore_errors=True)
    shutil.rmtree(out_dir / ".build", ignore_errors=True)
    for name in (REPORT_JSON, REPORT_HTML, LEGACY_MANIFEST_NAME):
        (out_dir / name).unlink(missing_ok=True)


def _tei_all_setting() -> str | None:
    value = os.environ.get("EDITION_TEI_ALL")
    return str(Path(value).resolve()) if value else None


class _Build:
    """The state of one run of :func:`run_build`."""

    def __init__(self, options: BuildOptions, targets: tuple[str, ...] | None) -> None:
        self.options = options
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}
        self.source = options.source
        self.root = options.source if options.source.is_dir() else options.source.parent
        self.out_dir = options.out_dir
        self.out_abs = options.out_dir.resolve()
        self.config: EditionConfig = load_config(find_config(options.source))
        wanted = targets or self.config.outputs or TARGETS
        self.targets = tuple(t for t in TARGETS if t in wanted)
        self.notes: list[Diagnostic] = []
        self.built: set[str] = set()
        self.tei_all = _tei_all_setting()
        self.manifest: Manifest | None = None   # loaded once the output folder is ready
        self.code = ""
        self._fingerprint = ""

    @property
    def store(self) -> BuildStore:
        assert self.manifest is not None, "the manifest is loaded first"
        return self.manifest.store

    def lap(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[name] = now - since
        return now

    # planning
    def base_key(self, source: Source, source_hash: str, sidecar_hash: str | None,
                 toolchain: Toolchain) -> str:
        if not self._fingerprint:
            self._fingerprint = self.config.conversion_fingerprint()
        return combine("document", source.kind, source_hash, sidecar_hash, toolchain.version,
                       toolchain.code, toolchain.schema, self._fingerprint,
                       self.tei_all if source.kind == "tei" else "")

    def output_key(self, base: str, target: str, toolchain: Toolchain) -> str:
        if target == "tei":
            return base
        return combine(base, target, toolchain.stylesheets.get(target, ""), "view=reading",
                       # a page's links: the other outputs the build publishes
                       f"links={','.join(self.targets)}" if target == "html" else "")

    def task(self, source: Source, targets: Iterable[str], plan: Plan,
             id_hint: tuple[str, str] | None, forced_id: str | None = None) -> DocumentTask:
        settings = (("aliases", self.config.aliases), ("persons", self.config.persons),
                    ("hands", self.config.hands), ("publisher", self.config.publisher))
        return DocumentTask(
            rel=source.rel, source=os.path.abspath(source.path),
            display=str(source.path), kind=source.kind, out_dir=str(self.out_abs),
            out_display=str(self.out_dir).rstrip("/") or ".",
            targets=tuple(t for t in TARGETS if t in targets),
            convert_settings=settings, id_hint=id_hint, forced_id=forced_id,
            tei_all=self.tei_all, base=plan.base, keys=tuple(sorted(plan.keys.items())),
            inputs=plan.inputs, published=self.targets,
        )

    def stale_targets(self, record: dict[str, Any] | None, base: str,
                      keys: dict[str, str], out_dir: str) -> set[str] | None:
        if record is not None and (not self.store.has("record", record.get("record")) or (
                record.get("summary") and not self.store.has("summary", record["summary"]))):
            return set(keys)  # its diagnostics or its summary are lost: build it again
        return _stale_targets(record, base, keys, out_dir)


#: a row of the manifest: the source path first, then what was asked of its record
Row = tuple[Any, ...]


def _with_rows(sources: list[Source], rows: Iterator[Row],
               unmatched: list[str] | None = None) -> Iterator[tuple[Source, Row | None]]:
    """Each source with the manifest's row for it (``None`` when it has none), both taken
    in source path order; the keys of rows that no source has go to ``unmatched``."""
    row = next(rows, None)
    for source in sources:
        while row is not None and row[0] < source.rel:
            if unmatched is not None:
                unmatched.append(row[0])
            row = next(rows, None)
        if row is not None and row[0] == source.rel:
            yield source, row
            row = next(rows, None)
        else:
            yield source, None
    while row is not None:
        if unmatched is not None:
            unmatched.append(row[0])
        row = next(rows, None)


@dataclass(frozen=True)
class Plan:
    """What the build decided for one source before running it: the document's key, each
    output's key, and the hashes and file status of its source and sidecar."""

    base: str
    keys: dict[str, str]
    inputs: dict[str, Any]


def run_build(options: BuildOptions) -> BuildResult:
    """Build (or bring up to date) the edition of ``options.source`` in ``options.out_dir``.

    A manifest found damaged while the build reads it (:class:`DamagedManifest`) is set
    aside, and the build starts again from scratch, with a warning."""
    targets = _check_options(options)
    try:
        return _build_once(options, targets)
    except DamagedManifest as exc:
        return _build_once(options, targets, damaged=str(exc))


def _build_once(options: BuildOptions, targets: tuple[str, ...] | None,
                damaged: str | None = None) -> BuildResult:
    build = _Build(options, targets)
    out_dir = build.out_dir
    if options.clean:
        clean_output(out_dir)
    make_folder(out_dir)   # a place that cannot be written is a usage error, said now
    manifest, note = Manifest.load(out_dir)
    build.manifest = manifest
    try:
        if damaged is not None:
            note = manifest.set_aside(damaged)
        if note:   # a damaged manifest is a warning; one of another version, a note
            build.notes.append(Diagnostic(
                "build-manifest-reset", Severity.WARNING if manifest.damaged else Severity.INFO,
                note, str(manifest.path)))
        return _run_build(build, manifest)
    finally:
        manifest.close()


def _run_build(build: _Build, manifest: Manifest) -> BuildResult:
    options, out_dir = build.options, build.out_dir
    mark = time.perf_counter()
    toolchain = Toolchain.current()
    build.code = toolchain.code
    sources, ignored = discover(options.source, out_dir)
    for entry in ignored:   # files that look like documents but cannot be built
        if entry["reason"] == NAME_NOT_UTF8:
            build.notes.append(Diagnostic("build-name-encoding", Severity.WARNING,
                                          f"not built: {NAME_NOT_UTF8}",
                                          str(build.root / entry["path"])))
    mark = build.lap("discover", mark)
    records = manifest.documents
    # the converter (and its word list, shared by the workers) only for a build with
    # transcripts: a corpus of TEI files never needs it
    pool = _LazyExecutor(options, converter=any(s.kind == "transcript" for s in sources))
    if _rebuilds_everything(manifest, toolchain):
        # a first build, or one with another version of the tool: every document will be
        # built, so the workers set up while the sources are hashed and planned
        pool.start(len(sources))

    try:
        # plan: hash every source and sidecar, compare keys with the manifest's records (read
        # one at a time: the build holds no record longer than it works on it)
        by_rel = {s.rel: s for s in sources}
        hashes, stats, rehashed = _source_hashes(sources, records, options.jobs)

        def plan_of(source: Source) -> Plan:
            source_hash = hashes[str(source.path)]
            sidecar_hash = hashes[str(source.sidecar)] if source.sidecar else None
            base = build.base_key(source, source_hash, sidecar_hash, toolchain)
            return Plan(base, {t: build.output_key(base, t, toolchain) for t in build.targets},
                        {"source": source_hash, "sidecar": sidecar_hash,
                         "stat": stats[source.rel]})

        pending: list[tuple[Source, tuple[str, ...], tuple[str, str] | None]] = []
        vanished: list[str] = []   # records of sources that are gone
        out_str = str(out_dir)
        damaged: list[str] = []    # records that cannot be read back: built again
        for source, found in _with_rows(sources, records.fields(*_PLAN_FIELDS), vanished):
            record = _plan_fields(found) if found is not None else None
            if found is not None and record is None:
                damaged.append(source.rel)
            plan = plan_of(source)
            stale = build.stale_targets(record, plan.base, plan.keys, out_str)
            if stale is None:  # unchanged: its record is rewritten only if something in it moved
                assert record is not None
                if _trim_record(record, build.targets) is not record or \
                        any(record.get(k) != v for k, v in plan.inputs.items()):
                    whole = records[source.rel]
                    records[source.rel] = {**_trim_record(whole, build.targets), **plan.inputs}
            else:
                hint = None
                if record and record.get("natural_id") and record.get("doc_id"):
                    hint = (record["natural_id"], record["doc_id"])
                pending.append((source, tuple(sorted(stale)), hint))
        # records of vanished sources are dropped now; their files go in the clean-up below
        for rel in vanished + damaged:
            del records[rel]
        if damaged:
            build.notes.append(Diagnostic(
                "build-manifest-reset", Severity.WARNING,
                f"{len(damaged)} record{'' if len(damaged) == 1 else 's'} of the previous "
                f"build's manifest could not be read back (the first: {damaged[0]}); "
                f"{'its document is' if len(damaged) == 1 else 'their documents are'} "
                "rebuilt", str(manifest.path)))
        mark = build.lap("plan", mark)
        changed = bool(pending) or rehashed or bool(vanished) or bool(damaged) or \
            manifest.settings.get("targets") != list(build.targets)
        manifest.settings = {**manifest.settings, "targets": list(build.targets),
                             "code": toolchain.code}
    except BaseException:
        pool.close(abort=True)
        raise

    # run
    progress = ProgressBar(len(pending), enabled=options.progress)
    interrupted = False
    try:
        first_writer: dict[str, str] = {}   # document id -> the first source that wrote it
        clobbered: set[str] = set()        # document ids written by more than one source
        last_save, interval = time.monotonic(), CHECKPOINT_SECONDS
        tasks = (build.task(source, stale, plan_of(source), hint)
                 for source, stale, hint in pending)
        for result in pool.run(build_document, tasks, count=len(pending)):
            _apply_result(build, manifest, result)
            doc_id = result["doc_id"]
            if doc_id and not result["failed"] and \
                    first_writer.setdefault(doc_id, result["rel"]) != result["rel"]:
                clobbered.add(doc_id)
            progress.advance()
            if time.monotonic() - last_save > interval:
                started = time.monotonic()
                manifest.save()
                last_save = time.monotonic()
                interval = max(CHECKPOINT_SECONDS, CHECKPOINT_SPACING * (last_save - started))
        del pending

        # duplicate ids: give each document its deterministic id; rerun those whose files
        # carry another id or were overwritten by a document that had the same id
        naturals: dict[str, str] = {}
        given: dict[str, str] = {}
        marked: set[str] = set()   # records that say they are duplicates
        for rel, natural, doc_id, status, duplicate in records.fields(
                "natural_id", "doc_id", "status", "duplicate"):
            if status == "ok" and natural:
                naturals[rel], given[rel] = natural, doc_id
            if duplicate is not None:
                marked.add(rel)
        assigned = assign_ids(naturals)
        rerun = [rel for rel, doc_id in sorted(assigned.items())
                 if given[rel] != doc_id or doc_id in clobbered
                 or first_writer.get(doc_id, rel) != rel]
        progress.total += len(rerun)
        tasks = (build.task(by_rel[rel], build.targets, plan_of(by_rel[rel]), None,
                            forced_id=assigned[rel]) for rel in rerun)
        for result in pool.run(build_document, tasks, count=len(rerun)):
            _apply_result(build, manifest, result)
            progress.advance()
        owners: dict[str, str] = {}
        for rel in sorted(naturals):
            owners.setdefault(naturals[rel], rel)
        for rel, doc_id in assigned.items():
            if doc_id == naturals[rel] and rel not in marked:
                continue
            record = records[rel]
            if doc_id != naturals[rel] and record.get("status") == "ok":
                duplicate = {"natural_id": naturals[rel], "same_as": owners[naturals[rel]]}
                if record.get("duplicate") != duplicate:
                    records[rel] = {**record, "duplicate": duplicate}
            elif "duplicate" in record:
                del record["duplicate"]
                records[rel] = record
        progress.close()
        # what the documents needed goes before the index pages take their share of memory
        del naturals, given, marked, assigned, owners, first_writer, clobbered, rerun
        for planned in (hashes, stats, by_rel):
            planned.clear()
        mark = build.lap("documents", mark)

        # the index page, from the stored summaries (rendered by a worker, which has a
        # Renderer already: this process never starts Saxon); meanwhile this process writes
        # the documents' part of the build report (final now)
        report = ReportDocuments(build, manifest, sources)
        index_before = manifest.index
        _write_index(build, manifest, toolchain, pool, idle=report.write_step)
        changed = changed or manifest.index != index_before
        mark = build.lap("index", mark)
    except BaseException:
        interrupted = True
        raise
    finally:
        progress.close()
        pool.close(abort=interrupted)

    # remove files of vanished, failed or renamed documents, and leftover temporary files
    if changed or build.built:
        _remove_stale_files(out_dir, manifest)
        build.store.prune()
        manifest.save()
    mark = build.lap("clean-up", mark)

    result = _result(build, manifest, sources, ignored, pool.workers)
    write_reports(build, manifest, result, report)
    manifest.save()
    result.timings["total"] = time.perf_counter() - build.started
    return result


def _rebuilds_everything(manifest: Manifest, toolchain: Toolchain) -> bool:
    """Whether this build will build every document: the output folder has no records, or
    records of another version of the tool's code (every document's key names it)."""
    return manifest.settings.get("code") != toolchain.code or not len(manifest.documents)


#: how long after its last change a file's hash is trusted from its file status (size,
#: modification and change times, inode): a file changed again within the same tick of a
#: coarse file-system clock would keep its status, so recent files are always hashed
RACY_SECONDS = 2.0


def _file_status(path: Path) -> list[int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def _source_hashes(sources: list[Source], previous: DocumentRecords, jobs: int | None
                   ) -> tuple[dict[str, str], dict[str, dict[str, Any]], bool]:
    """The content hash of every source and sidecar, and the status to remember for each.

    As in git's index, a file whose status (size, modification and change times, inode) is
    the one recorded with its hash, and was already settled when it was hashed, keeps that
    hash; every other file is read and hashed. Returns hashes by path and, by source, the
    status record for the manifest, and whether any file was read (its new status must then
    be saved)."""
    hashes: dict[str, str] = {}
    stats: dict[str, dict[str, Any]] = {}
    pending: list[str] = []
    started = time.time_ns()
    racy = int(RACY_SECONDS * 1e9)
    recorded_of = {rel: (source_hash, sidecar_hash, stat) for rel, source_hash, sidecar_hash, stat
                   in previous.fields("source", "sidecar", "stat")}
    for source in sources:
        source_hash, sidecar_hash, stat = recorded_of.pop(source.rel, (None, None, None))
        known = _recorded_status(stat)
        entry: dict[str, Any] = {}
        for role, path, recorded in (("source", source.path, source_hash),
                                     ("sidecar", source.sidecar, sidecar_hash)):
            if path is None:
                continue
            status = _file_status(path)
            old = known.get(role)
            if recorded and status and old and old[:4] == status \
                    and status[1] < old[4] - racy:
                hashes[str(path)] = recorded
                entry[role] = old
            else:
                pending.append(str(path))
                entry[role] = [*status, started] if status else None
        stats[source.rel] = entry
    hashes.update(_hash_files(pending, jobs))
    return hashes, stats, bool(pending)


def _recorded_status(text: str | None) -> dict[str, Any]:
    """The file status recorded with a source's hashes (role -> size, times, inode, time
    of hashing); what cannot be read back is left out (the file is hashed again)."""
    try:
        known = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(known, dict):
        return {}
    return {role: status for role, status in known.items()
            if isinstance(status, list) and len(status) == 5
            and all(type(value) is int for value in status)}


def _hash_files(paths: list[str], jobs: int | None) -> dict[str, str]:
    """The content hash of every file, on several threads (hashing releases the GIL).

    Each thread takes an equal share of the files and hashes them through one buffer of
    its own: nothing is allocated per file but its hash."""
    workers = max(1, min(jobs or default_jobs(), 8))
    if workers == 1 or len(paths) < 64:
        workers = 1

    def hash_share(share: list[str]) -> list[str]:
        buffer = bytearray(HASH_BUFFER)
        return [_hash_or_reason(path, buffer) for path in share]

    shares = [paths[number::workers] for number in range(workers)]
    if workers == 1:
        digests = [hash_share(paths)]
    else:
        with ThreadPoolExecutor(max_workers=workers) as threads:
            digests = list(threads.map(hash_share, shares))
    return {path: digest for share, found in zip(shares, digests, strict=True)
            for path, digest in zip(share, found, strict=True)}


def _hash_or_reason(path: str, buffer: bytearray) -> str:
    """The content hash of a file or, when it cannot be read (gone since discovery, no
    permission), a key made of the reason: its document is built, and fails saying why,
    and is built again once the file can be read (its file status changes then)."""
    try:
        return hash_file(path, buffer)
    except OSError as exc:
        return combine("unreadable", type(exc).__name__, exc.strerror or str(exc))


def _stale_targets(record: dict[str, Any] | None, base: str, keys: dict[str, str],
                   out_dir: Path | str) -> set[str] | None:
    """The outputs to rebuild for a source, or ``None`` when it is up to date."""
    if record is None or record.get("base") != base or "status" not in record:
        return set(keys)
    if record["status"] == "failed":
        return None  # same inputs, same failure: reported again from the manifest
    stale = set()
    outputs = record.get("outputs", {})
    for target, key in keys.items():
        output = outputs.get(target)
        if (record.get("keys", {}).get(target) != key or output is None
                or not OutputRecord.from_dict(output).intact(out_dir)):
            stale.add(target)
    return stale or None


#: the fields of a record that planning reads (from their columns: no record is decoded)
_PLAN_FIELDS = ("base", "status", "keys", "outputs", "record", "summary", "source", "sidecar",
                "stat", "natural_id", "doc_id")
_PLAN_JSON = frozenset(("keys", "outputs", "stat"))


def _plan_fields(row: Row) -> dict[str, Any] | None:
    """The fields of a record that planning reads, from its row of :data:`_PLAN_FIELDS`
    (absent fields are left out, as in the record); ``None`` when they cannot be read
    back as the build wrote them (the record is damaged: its document is built again)."""
    try:
        fields = {name: json.loads(value) if name in _PLAN_JSON else value
                  for name, value in zip(_PLAN_FIELDS, row[1:], strict=True)
                  if value is not None}
    except (TypeError, ValueError):
        return None
    keys, outputs = fields.get("keys", {}), fields.get("outputs", {})
    sound = all(isinstance(fields.get(name), str) for name in fields
                if name not in _PLAN_JSON) \
        and fields.get("status") in ("ok", "failed", None) \
        and isinstance(keys, dict) and all(isinstance(k, str) for k in keys.values()) \
        and isinstance(outputs, dict) and all(map(sound_output, outputs.values())) \
        and isinstance(fields.get("stat", {}), dict)
    return fields if sound else None


def _trim_record(record: dict[str, Any], targets: tuple[str, ...]) -> dict[str, Any]:
    """An unchanged record without the outputs no longer asked for (their files go)."""
    if any(t not in targets and t != "invalid" for t in record.get("outputs", {})):
        record = dict(record)
        record["outputs"] = {t: o for t, o in record["outputs"].items()
                             if t in targets or t == "invalid"}
        record["keys"] = {t: k for t, k in record.get("keys", {}).items() if t in targets}
    return record


def _compact(diagnostics: dict[str, list[dict[str, Any]]]) -> tuple[dict[str, int],
                                                                     list[dict[str, Any]]]:
    """Counts by severity, and the errors and warnings, of a document's diagnostics."""
    counts = {"errors": 0, "warnings": 0, "infos": 0}
    problems = []
    for record in document_diagnostics(diagnostics):
        counts[{"error": "errors", "warning": "warnings"}.get(record["severity"],
                                                               "infos")] += 1
        if record["severity"] != "info":
            problems.append(record)
    return counts, problems


STAGES = ("build", "convert", "validate", "render-html", "render-text")


def document_diagnostics(diagnostics: dict[str, list[dict[str, Any]]]
                         ) -> Iterator[dict[str, Any]]:
    """A document's diagnostics, stage by stage, each said once: the HTML and the text
    render read the same document, and what both say about it (same code, severity,
    place and message) is reported and counted once, whichever outputs are built."""
    seen: set[tuple[Any, ...]] = set()
    for stage in STAGES:
        for record in diagnostics.get(stage, ()):
            if stage.startswith("render-"):
                key = (record["code"], record["severity"], record.get("path"),
                       record.get("line"), record["message"])
                if key in seen:
                    continue
                seen.add(key)
            yield record


def _apply_result(build: _Build, manifest: Manifest, result: dict[str, Any]) -> None:
    rel = result["rel"]
    build.built.add(rel)
    plan = result["plan"]
    base, keys = plan["base"], plan["keys"]
    old = manifest.documents.get(rel) or {}
    partial = (not result["failed"] and old.get("status") == "ok" and old.get("base") == base
               and old.get("doc_id") == result["doc_id"])
    old_details = build.store.get_record(old.get("record")) if partial else None
    partial = partial and old_details is not None
    record: dict[str, Any] = {**plan["inputs"], "kind": result["kind"], "base": base,
                              "natural_id": result["natural_id"]}
    if result["failed"]:
        record.update(status="failed", keys={}, outputs=dict(result["outputs"]), doc_id=None,
                      summary=None)
    else:
        outputs = dict(old.get("outputs", {})) if partial else {}
        outputs.update(result["outputs"])
        outputs = {t: o for t, o in outputs.items() if t in keys}
        summary = result["summary"]
        record.update(status="ok", outputs=outputs, keys={t: keys[t] for t in outputs},
                      doc_id=result["doc_id"],
                      summary=build.store.put("summary", summary.encode("utf-8"))
                      if summary else None,
                      entry=result.get("entry"))
    diagnostics = dict(old_details["diagnostics"]) if old_details else {}
    diagnostics.update(result["diagnostics"])
    for target in ("html", "text"):
        if target not in keys:
            diagnostics.pop(f"render-{target}", None)
    record["counts"], record["problems"] = _compact(diagnostics)
    record["record"] = build.store.put_record({"diagnostics": diagnostics,
                                               "details": result["details"]})
    record["foreign"] = result["foreign"]
    record["seconds"] = round(result.get("seconds", 0.0), 4)
    manifest.documents[rel] = record


#: documents per listing page, and (person, document) entries per persons index page
PAGE_DOCUMENTS = 200
PAGE_PERSON_ENTRIES = 500


def index_entry(record: etree._Element) -> dict[str, Any]:
    """What the build keeps of a document's summary record to lay out the index pages and
    write its persons pages: the sort key of the listing (date, title), the date as shown,
    the persons (id, name) and each person's turns (see :func:`person_turns`)."""
    ns = {"s": SUMMARY_NS}
    date = record.find("s:date", ns)
    return {"when": date.get("when") if date is not None else None,
            "title": record.findtext("s:title", "", ns),
            "date": (date.text or "") if date is not None else None,
            "persons": [[p.get("id"), p.text or ""] for p in record.iterfind("s:person", ns)
                        if p.get("id")],
            "turns": person_turns(record)}


@dataclass(frozen=True)
class IndexTask:
    """One index page to render: its file, its documents' records (cut to what the page
    shows of each) and the stylesheet parameters."""

    out_dir: str
    relative: str
    summaries: tuple[bytes, ...]
    params: tuple[tuple[str, Any], ...] = ()


def _page_name(part: str, number: int) -> str:
    stem = "persons" if part == "persons" else "index"
    return f"html/{stem}{'' if number == 1 else f'-{number}'}.html"


IndexPage = tuple[str, dict[str, Any], list[tuple[str, tuple[tuple[str, int], ...] | None]]]


def plan_index_pages(documents: list[tuple[str, str, dict[str, Any]]]) -> list[IndexPage]:
    """The index pages of an edition: for each page its file, its stylesheet parameters
    and its documents (summary hash and, on a persons page, the ranked persons shown).

    ``documents`` holds (document id, summary hash, index entry). The listing is sorted by
    date (undated last), title and id, as ``index.xsl`` sorts it, and cut into pages of
    ``PAGE_DOCUMENTS``; the persons index lists each person (sorted by name) with the
    documents where they appear, in listing order, cut into pages of
    ``PAGE_PERSON_ENTRIES`` entries. Every page's size is bounded, whatever the corpus."""
    ordered = sorted(documents, key=lambda d: (d[2].get("when") or "9999",
                                               d[2].get("title") or "", d[0]))
    names: dict[str, str] = {}
    appearances: dict[str, list[int]] = defaultdict(list)
    for position, (_, _, entry) in enumerate(ordered):
        for person_id, name in entry.get("persons", ()):
            names.setdefault(person_id, name)
            if not appearances[person_id] or appearances[person_id][-1] != position:
                appearances[person_id].append(position)
    persons = sorted(names, key=lambda p: (names[p].lower(), p))
    rows = [(rank, person_id, position) for rank, person_id in enumerate(persons, 1)
            for position in appearances[person_id]]
    listing_pages = max(1, -(-len(ordered) // PAGE_DOCUMENTS))
    person_pages = -(-len(rows) // PAGE_PERSON_ENTRIES)
    pages: list[IndexPage] = []
    for number in range(1, listing_pages + 1):
        first = (number - 1) * PAGE_DOCUMENTS
        chunk = ordered[first:first + PAGE_DOCUMENTS]
        params = {"part": "documents", "page": number, "pages": listing_pages,
                  "first": first + 1, "total": len(ordered), "persons-pages": person_pages}
        pages.append((_page_name("documents", number), params,
                      [(summary, None) for _, summary, _ in chunk]))
    for number in range(1, person_pages + 1):
        chunk = rows[(number - 1) * PAGE_PERSON_ENTRIES:number * PAGE_PERSON_ENTRIES]
        shown: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for rank, person_id, position in chunk:
            shown[position].append((person_id, rank))
        params = {"part": "persons", "page": number, "pages": person_pages}
        pages.append((_page_name("persons", number), params,
                      [(ordered[position][1], tuple(shown[position]))
                       for position in sorted(shown)]))
    return pages


def _write_index(build: _Build, manifest: Manifest, toolchain: Toolchain,
                 pool: _LazyExecutor, idle: IdleWork | None = None) -> None:
    """Render the index pages whose content changed; forget the pages no longer needed
    (their files go with the clean-up). ``idle``: other work for this process while the
    workers render (see :meth:`LocalProcessExecutor.map_unordered`)."""
    if "html" not in build.targets:
        manifest.index = {}
        return
    common = combine("index", toolchain.stylesheets.get("index", ""), toolchain.code,
                     build.config.edition_fingerprint())
    title = (("title", build.config.title),) if build.config.title else ()
    old_pages = manifest.index.get("pages", {})
    # nothing the index shows changed and its pages are intact: no page to plan
    shown = sorted((doc_id, summary) for _, doc_id, summary, status
                   in manifest.documents.fields("doc_id", "summary", "status")
                   if status == "ok" and summary)
    overall = combine(common, title, shown)
    del shown
    if manifest.index.get("key") == overall and old_pages and all(
            "output" in page and OutputRecord.from_dict(page["output"]).intact(build.out_dir)
            for page in old_pages.values()):
        return
    persons: dict[tuple[str, str], tuple[str, str]] = {}   # each (id, name) held once
    documents = [(doc_id, summary, _index_entry_of(entry, persons))
                 for _, doc_id, summary, entry, status
                 in manifest.documents.fields("doc_id", "summary", "entry", "status")
                 if status == "ok" and summary]
    del persons
    # a persons page is given each document's record made from its entry
    entries = {summary: (doc_id, entry) for doc_id, summary, entry in documents}
    pages: dict[str, dict[str, Any]] = {}
    stale: list[IndexPage] = []
    for relative, params, summaries in plan_index_pages(documents):
        key = combine(common, relative, params, summaries)
        old = old_pages.get(relative)
        if old and old.get("key") == key and \
                OutputRecord.from_dict(old["output"]).intact(build.out_dir):
            pages[relative] = old
            continue
        pages[relative] = {"key": key}
        stale.append((relative, params, summaries))

    def tasks() -> Iterator[IndexTask]:
        # made as the workers take them: only a few pages' records are in memory at once
        for relative, params, summaries in stale:
            records = tuple(listing_record(build.store.get("summary", digest) or b"")
                            if persons is None
                            else _persons_page_record(entries, build.store, digest, persons)
                            for digest, persons in summaries)
            yield IndexTask(out_dir=str(build.out_abs), relative=relative, summaries=records,
                            params=(*title, *sorted(params.items())))

    complete = True
    for record in pool.run(render_index_page, tasks(), count=len(stale),
                           inline=len(stale) <= 2, idle=idle):
        if "error" in record:
            build.notes.append(Diagnostic.from_dict(record["error"]))
            pages.pop(record["relative"], None)
            complete = False
        else:
            pages[record["relative"]]["output"] = record["output"]
    manifest.index = {"key": overall if complete else None, "pages": pages}


def _index_entry_of(text: str | None, persons: dict[tuple[str, str], tuple[str, str]]
                    ) -> dict[str, Any]:
    """A document's index entry from its JSON text, its persons shared with the other
    documents' entries (most persons appear in many documents)."""
    try:
        entry = json.loads(text) if text else {}
        sound = isinstance(entry, dict) and all(
            isinstance(entry.get(name), str | None) for name in ("when", "title", "date")) \
            and isinstance(entry.get("persons", []), list) and all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(v, str) for v in p)
                for p in entry.get("persons", [])) \
            and isinstance(entry.get("turns"), dict | None) and all(
                isinstance(turns, list) and all(isinstance(t, str) for t in turns)
                for turns in (entry.get("turns") or {}).values())
    except ValueError:
        sound = False
    if not sound:
        raise DamagedManifest("a document's index entry cannot be read back")
    return {"when": entry.get("when"), "title": entry.get("title") or "",
            "date": entry.get("date"), "turns": entry.get("turns"),
            "persons": tuple(persons.setdefault((p[0], p[1]), (p[0], p[1]))
                             for p in entry.get("persons", ()))}


def _persons_page_record(entries: dict[str, tuple[str, dict[str, Any]]], store: BuildStore,
                         digest: str, shown: tuple[tuple[str, int], ...]) -> bytes:
    """A document's record on a persons page: made from its index entry, with only the
    persons ``shown`` (id, rank) and their turns. An entry without turns (kept by an
    older build) is made again from the stored record; b"" when that is missing."""
    doc_id, entry = entries[digest]
    if entry.get("turns") is None:
        data = store.get("summary", digest)
        if not data:
            return b""
        entry = index_entry(read_record(data))
    ranks = dict(shown)
    turns = entry["turns"]
    return persons_record(
        doc_id, _page_href(doc_id), entry["title"], entry.get("date"), entry.get("when"),
        [(person_id, ranks[person_id], name, turns.get(person_id, ()))
         for person_id, name in entry["persons"] if person_id in ranks])


def _page_href(doc_id: str) -> str:
    """Where a document's page is, from the index pages (beside them)."""
    return f"{doc_id}.html"


def render_index_page(task: IndexTask) -> dict[str, Any]:
    """Render and write one index page (in a worker): its output record, or an error."""
    if not all(task.summaries):
        return {"relative": task.relative, "error": Diagnostic(
            "build-index-summary", Severity.ERROR,
            f"{task.relative} was not written: a document summary is missing from "
            "the build's store (the next build rebuilds it)", task.relative).to_dict()}
    try:
        page = _workshop().renderer.render_index(list(task.summaries),
                                                 params=dict(task.params) or None)
    except EditionError as exc:
        error = exc.to_diagnostic().to_dict()
        error["path"] = task.relative
        return {"relative": task.relative, "error": error}
    data = page.encode("utf-8")
    out_dir = Path(task.out_dir)
    status = write_bytes(out_dir / task.relative, data, durable=False)
    return {"relative": task.relative,
            "output": OutputRecord.written(task.relative, data, status).to_dict()}


def _index_crashed(task: IndexTask, reason: str) -> dict[str, Any]:
    return {"relative": task.relative,
            "error": Diagnostic("build-worker-crash", Severity.ERROR,
                                f"{task.relative} was not written: {reason}",
                                task.relative).to_dict()}


class _LazyExecutor:
    """The build's executor, started on first use and kept for the index page."""

    def __init__(self, options: BuildOptions, *, converter: bool = True) -> None:
        self.options = options
        self.converter = converter   # workers set the converter up (the build has transcripts)
        self.executor: Executor | None = None
        self.workers = 0

    def start(self, count: int) -> None:
        """Start a local pool for about ``count`` documents now, while this process has
        other work to do: its workers take a second or more to set up (see
        :meth:`LocalProcessExecutor.start`)."""
        if self.executor is None and self.options.executor == "local":
            self._make(count)
            if isinstance(self.executor, LocalProcessExecutor):
                self.executor.start()

    def _make(self, count: int) -> None:
        self.executor = make_executor(self.options.executor, jobs=self.options.jobs,
                                      scheduler=self.options.scheduler, tasks=count,
                                      initializer=partial(init_worker, self.converter),
                                      preload=("pipeline.preload",) if self.converter else ())
        self.workers = self.executor.workers

    def run(self, fn: Any, tasks: Iterable[Any], *, count: int | None = None,
            inline: bool = False, idle: IdleWork | None = None) -> Iterator[Any]:
        """Run ``fn`` over ``tasks`` (``count`` of them when ``tasks`` is an iterator);
        ``idle``: see :meth:`LocalProcessExecutor.map_unordered`."""
        count = len(tasks) if count is None else count  # type: ignore[arg-type]
        if not count:
            return iter(())
        if self.executor is None:
            if inline and self.options.executor == "local":
                # the index alone does not deserve a pool: it runs here
                self.executor = InlineExecutor()
                self.workers = self.executor.workers
            else:
                self._make(count)
        assert self.executor is not None
        on_crash = _index_crashed if fn is render_index_page else crashed_document
        return self.executor.map_unordered(fn, tasks, on_crash, count, idle)

    def close(self, abort: bool = False) -> None:
        if self.executor is not None:
            self.executor.close(abort)
            self.executor = None


def _remove_stale_files(out_dir: Path, manifest: Manifest) -> None:
    expected = manifest.recorded_outputs()
    for folder, suffix in (*OUTPUT_LAYOUT.values(), INVALID_LAYOUT):
        directory = out_dir / folder
        if not directory.is_dir():
            continue
        for entry in os.scandir(directory):
            name = entry.name
            relative = f"{folder}/{name}"
            leftover_temp = name.startswith(".") and name.endswith(".tmp")
            if leftover_temp or (name.endswith(suffix) and relative not in expected
                                 and entry.is_file()):
                Path(entry.path).unlink(missing_ok=True)
    for entry in os.scandir(out_dir):
        if entry.name.startswith(".") and entry.name.endswith(".tmp"):
            Path(entry.path).unlink(missing_ok=True)


def _problems_report(source: Source, record: dict[str, Any]) -> Report:
    report = Report(str(source.path))
    report.extend(Diagnostic.from_dict(d) for d in record.get("problems", ()))
    duplicate = record.get("duplicate")
    if duplicate:
        report.add(_duplicate_warning(source, record))
    return report


def _duplicate_warning(source: Source, record: dict[str, Any]) -> Diagnostic:
    duplicate = record["duplicate"]
    return Diagnostic(
        "build-duplicate-id", Severity.WARNING,
        f"document id {duplicate['natural_id']!r} is also the id of {duplicate['same_as']}; "
        f"this document is published as {record['doc_id']!r}", str(source.path))


def _record_fields(row: tuple[Any, ...]) -> dict[str, Any]:
    """The part of a record that the build's result shows, from its columns. Raises
    :class:`DamagedManifest` when they cannot be read back as the build wrote them."""
    rel, doc_id, status, counts, outputs, problems, duplicate = row
    try:
        fields = {"doc_id": doc_id, "status": status or "failed",
                  "counts": json.loads(counts) if counts else {},
                  "outputs": json.loads(outputs) if outputs else {},
                  "problems": json.loads(problems) if problems and problems != "[]" else [],
                  "duplicate": json.loads(duplicate) if duplicate else None}
    except (TypeError, ValueError):
        fields = {}
    duplicate = fields.get("duplicate")
    if not (fields and isinstance(doc_id, str | None) and fields["status"] in ("ok", "failed")
            and isinstance(fields["counts"], dict)
            and all(type(n) is int for n in fields["counts"].values())
            and isinstance(fields["outputs"], dict)
            and all(map(sound_output, fields["outputs"].values()))
            and isinstance(fields["problems"], list)
            and all(map(sound_diagnostic, fields["problems"]))
            and (duplicate is None or (isinstance(duplicate, dict)
                                       and isinstance(duplicate.get("natural_id"), str)
                                       and isinstance(duplicate.get("same_as"), str)))):
        raise DamagedManifest(f"the record of {rel} cannot be read back")
    return fields


def _result(build: _Build, manifest: Manifest, sources: list[Source],
            ignored: list[dict[str, str]], jobs_used: int) -> BuildResult:
    reports: list[Report] = []
    documents: list[dict[str, Any]] = []
    failed = infos = 0
    rows = manifest.documents.fields("doc_id", "status", "counts", "outputs", "problems",
                                     "duplicate")
    for source, row in _with_rows(sources, rows):
        record = _record_fields(row) if row is not None else {}
        report = _problems_report(source, record)
        if report.diagnostics:   # a clean document adds nothing to print or count
            reports.append(report)
        infos += record.get("counts", {}).get("infos", 0)
        status = record.get("status", "failed")
        failed += status == "failed"
        entry: dict[str, Any] = {
            "source": source.rel,
            "id": record.get("doc_id"),
            "status": status,
            "rebuilt": source.rel in build.built,
            "outputs": {t: o["path"] for t, o in record.get("outputs", {}).items()
                        if t != "invalid"},
            "errors": report.errors,
            "warnings": report.warnings,
            "problems": [d.to_dict() for d in report.diagnostics],
        }
        if status == "failed":
            errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
            entry["reason"] = errors[0].format() if errors else "failed"
        documents.append(entry)
    if build.notes:
        reports.append(Report(str(build.out_dir), list(build.notes)))
    counts = {
        "documents": len(sources),
        "built": len(build.built & {s.rel for s in sources}),
        "unchanged": sum(1 for d in documents if not d["rebuilt"]),
        "failed": failed,
        "errors": sum(r.errors for r in reports),
        "warnings": sum(r.warnings for r in reports),
        "notes": infos,
        "ignored": len(ignored),
    }
    settings = {"source": str(build.source), "output": str(build.out_dir),
                "targets": list(build.targets), "executor": build.options.executor,
                "jobs": jobs_used or build.options.jobs or default_jobs(),
                "strict": build.options.strict,
                "edition": {"title": build.config.title, "publisher": build.config.publisher}}
    build.timings["total"] = time.perf_counter() - build.started
    return BuildResult(reports=reports, outcome=outcome(reports, strict=build.options.strict),
                       documents=documents, ignored=ignored, counts=counts,
                       timings=dict(build.timings), settings=settings,
                       rebuilt=sorted(build.built))


# --- report.json and report.html -----------------------------------------------------------
#
# Both files end with the per-document part, which depends only on the documents' records.
# When that part is the same as in the previous build (a no-op rebuild), it is copied from
# the previous file instead of being generated again from every document's stored record.


def _report_entry(source_rel: str, record: dict[str, Any], stored: dict[str, Any] | None,
                  source: Source) -> dict[str, Any]:
    diagnostics = list(document_diagnostics((stored or {}).get("diagnostics", {})))
    if record.get("duplicate"):
        diagnostics.append(_duplicate_warning(source, record).to_dict())
    errors = [d for d in diagnostics if d["severity"] == "error"]
    entry: dict[str, Any] = {
        "source": source_rel,
        "kind": record.get("kind", source.kind),
        "id": record.get("doc_id"),
        "status": record.get("status", "failed"),
        "foreign": record.get("foreign", False),
        "outputs": {t: o["path"] for t, o in record.get("outputs", {}).items()
                    if t != "invalid"},
        "counts": {"errors": len(errors),
                   "warnings": sum(d["severity"] == "warning" for d in diagnostics),
                   "infos": sum(d["severity"] == "info" for d in diagnostics)},
        "diagnostics": diagnostics,
    }
    if source.sidecar is not None:
        entry["sidecar"] = source.sidecar.name
    if entry["status"] == "failed":
        entry["reason"] = Diagnostic.from_dict(errors[0]).format() if errors else "failed"
        if "invalid" in record.get("outputs", {}):
            entry["invalid_tei"] = record["outputs"]["invalid"]["path"]
    if stored and stored.get("details"):
        entry["details"] = stored["details"]
    if record.get("duplicate"):
        entry["duplicate_of"] = record["duplicate"]["same_as"]
    return entry


class _AtomicStream:
    """A text file written through a temporary file in the same folder, then renamed.
    Like the documents' outputs it is not flushed to the disk first (see
    :mod:`pipeline.atomic`): the next build copies a report's documents part only when
    its size is the one recorded, and writes it again otherwise."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, name = open_temporary(path)
        self.temporary = Path(name)
        self.handle = os.fdopen(fd, "wb")
        self._mark = 0

    def write(self, text: str | bytes) -> int:
        data = text.encode("utf-8") if isinstance(text, str) else text
        self.handle.write(data)
        return len(data)

    def mark(self) -> None:
        """Remember how much is written: :meth:`rewind` comes back to here."""
        self.handle.flush()
        self._mark = self.handle.tell()

    def rewind(self) -> None:
        """Drop what was written since :meth:`mark` (or since the start)."""
        self.handle.seek(self._mark)
        self.handle.truncate()

    def commit(self) -> None:
        self.handle.close()
        os.replace(self.temporary, self.path)

    def abort(self) -> None:
        self.handle.close()
        self.temporary.unlink(missing_ok=True)


def _copy_tail(path: Path, marker: bytes, size: int, stream: _AtomicStream) -> bool:
    """Append what follows ``marker`` in ``path`` to ``stream``, if it is ``size`` bytes."""
    try:
        with open(path, "rb") as handle:
            total = os.fstat(handle.fileno()).st_size
            head = b""
            while True:
                chunk = handle.read(1 << 20)
                if not chunk or len(head) > (64 << 20):
                    return False
                head += chunk
                found = head.find(marker)
                if found >= 0:
                    offset = found + len(marker)
                    break
            if total - offset != size:
                return False
            handle.seek(offset)
            shutil.copyfileobj(handle, stream.handle, 1 << 20)
    except OSError:
        return False
    return True


_JSON_MARKER = ',\n "documents": [\n'
_HTML_MARKER = "<tbody>\n"


def _row_text(row: Row) -> str:
    """A manifest row's text fields as one string from which they can be read back: each
    value as its length, a colon and itself, or ``-`` for none."""
    return "".join("-" if value is None else f"{len(value)}:{value}" for value in row)


class ReportDocuments:
    """The documents' part of ``report.json`` (one document per line) and ``report.html``
    (one table row per document), made before the build's own part (counts, timings) is
    known: :meth:`write_step` writes it a few documents at a time into anonymous temporary
    files (the build calls it while its workers render the index pages), and
    :func:`write_reports` puts the build's part before it.

    The part depends only on what each document's record names. Their hash, taken in one
    pass in which the database hands over only those fields, is kept with the files'
    sizes; when it has not changed, the documents' part of the previous files is copied
    instead of being made again."""

    #: documents written by one call of :meth:`write_step`
    STEP = 8

    def __init__(self, build: _Build, manifest: Manifest, documents: list[Source]) -> None:
        self.build, self.manifest, self.documents = build, manifest, documents
        digest = content_hasher(f"report\x00{build.code}\x00".encode())
        for row in manifest.documents.fields("record", "status", "doc_id", "outputs",
                                             "duplicate"):
            digest.update(_row_text(row).encode("utf-8", "surrogateescape"))
        digest.update(json.dumps([s.rel for s in documents], ensure_ascii=False)
                      .encode("utf-8"))
        self.key = digest.hexdigest()
        self.previous: dict[str, Any] = manifest.settings.get("report", {})
        self.json_part: Any = None   # the temporary files, once something is written
        self.html_part: Any = None
        self.json_size = self.html_size = 0
        self._steps: Iterator[None] | None = None

    @property
    def reusable(self) -> bool:
        """Whether the previous files hold this part (if they are still intact)."""
        return self.previous.get("key") == self.key and bool(self.previous.get("json")) \
            and bool(self.previous.get("html"))

    def write_step(self) -> bool:
        """Write the next few documents; False once every document is written (or the
        previous files are to be copied)."""
        if self._steps is None:
            self._steps = iter(()) if self.reusable else self._write()
        return next(self._steps, False) is None

    def write_all(self) -> None:
        while self.write_step():
            pass

    def _write(self) -> Iterator[None]:
        build = self.build
        self.json_part = tempfile.TemporaryFile(dir=build.out_dir)  # noqa: SIM115
        self.html_part = tempfile.TemporaryFile(dir=build.out_dir)  # noqa: SIM115
        rows = _with_rows(self.documents, self.manifest.documents.scan())
        for index, (source, found) in enumerate(rows):
            record = found[1] if found is not None else {}
            entry = _report_entry(source.rel, record,
                                  build.store.get_record(record.get("record")), source)
            text = ("  " if index == 0 else ",\n  ") + json.dumps(entry, ensure_ascii=False)
            self.json_size += self.json_part.write(text.encode("utf-8"))
            self.html_size += self.html_part.write(_report_row(entry).encode("utf-8"))
            if index % self.STEP == self.STEP - 1:
                yield None
        self.json_size += self.json_part.write(b"\n ]\n}\n")
        self.html_size += self.html_part.write(_REPORT_PAGE_FOOT.encode("utf-8"))

    def copy_to(self, json_stream: _AtomicStream, html_stream: _AtomicStream) -> None:
        """Append the part to the reports being written: from the previous files when they
        hold it intact, else as made here (made now if it was not made yet)."""
        out_dir = self.build.out_dir
        if self.reusable and _copy_tail(
                out_dir / REPORT_JSON, _JSON_MARKER.encode(), self.previous["json"],
                json_stream) and _copy_tail(
                out_dir / REPORT_HTML, _HTML_MARKER.encode(), self.previous["html"],
                html_stream):
            self.json_size, self.html_size = self.previous["json"], self.previous["html"]
            return
        json_stream.rewind()
        html_stream.rewind()
        if self.json_part is None:   # not begun (or the previous files were to be copied)
            self._steps = self._write()
        self.write_all()
        for part, stream in ((self.json_part, json_stream), (self.html_part, html_stream)):
            part.seek(0)
            shutil.copyfileobj(part, stream.handle, 1 << 20)

    def close(self) -> None:
        for part in (self.json_part, self.html_part):
            if part is not None:
                part.close()


def write_reports(build: _Build, manifest: Manifest, result: BuildResult,
                  documents: ReportDocuments) -> None:
    """Write ``report.json`` and ``report.html`` (atomically): the build's part, then the
    documents' part."""
    head = {"tool": {"name": "tei-edition", "version": __version__},
            "build": result.build_section(), "ignored": result.ignored}
    header = json.dumps(head, ensure_ascii=False, indent=1)[:-1].rstrip() + _JSON_MARKER
    json_stream = _AtomicStream(build.out_dir / REPORT_JSON)
    html_stream = _AtomicStream(build.out_dir / REPORT_HTML)
    try:
        json_stream.write(header)
        html_stream.write(_report_page_head(result))
        json_stream.mark()
        html_stream.mark()
        documents.copy_to(json_stream, html_stream)
        json_stream.commit()
        html_stream.commit()
    except BaseException:
        json_stream.abort()
        html_stream.abort()
        raise
    finally:
        documents.close()
    manifest.settings["report"] = {"key": documents.key, "json": documents.json_size,
                                   "html": documents.html_size}


_REPORT_STYLE = """body { font-family: system-ui, sans-serif; margin: 2rem; }
table { border-collapse: collapse; }
td, th { border-bottom: 1px solid #ddd; padding: .3rem .6rem; text-align: left;
         vertical-align: top; }
tr.failed td.status { color: #a00; font-weight: bold; }
li.error code { color: #a00; } li.warning code { color: #850; } li.info code { color: #555; }
ul { margin: 0; padding-left: 1.2rem; }
details summary { cursor: pointer; }"""


def _report_page_head(result: BuildResult) -> str:
    esc = html.escape
    title = result.settings.get("edition", {}).get("title") or "Edition"
    counts = "".join(f"<tr><th>{esc(k)}</th><td>{v:,}</td></tr>"
                     for k, v in result.counts.items())
    timings = "".join(f"<tr><th>{esc(k)}</th><td>{v:.2f} s</td></tr>"
                      for k, v in result.timings.items())
    ignored = "".join(f"<li><code>{esc(i['path'])}</code>: {esc(i['reason'])}</li>"
                      for i in result.ignored)
    ignored_html = f"<h2>Ignored files</h2>\n<ul>{ignored}</ul>\n" if ignored else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>Build report: {esc(title)}</title>
<style>
{_REPORT_STYLE}
</style>
</head>
<body>
<h1>Build report: {esc(title)}</h1>
<p class="summary">{esc(result.summary_line())}</p>
<p><a href="html/index.html">Edition index</a> · <a href="report.json">report.json</a></p>
<table class="counts">{counts}</table>
<h2>Timings</h2>
<table class="timings">{timings}</table>
{ignored_html}<h2>Documents</h2>
<table class="documents">
<thead><tr><th>Source</th><th>Id</th><th>Status</th><th>Errors</th><th>Warnings</th>
<th>Diagnostics and review items</th></tr></thead>
<tbody>
"""


_REPORT_PAGE_FOOT = "</tbody>\n</table>\n</body>\n</html>\n"


def _report_row(entry: dict[str, Any]) -> str:
    esc = html.escape
    link = esc(entry["source"])
    if "html" in entry["outputs"]:
        link = f'<a href="{esc(entry["outputs"]["html"])}">{link}</a>'
    elif "invalid_tei" in entry:
        link += f' (<a href="{esc(entry["invalid_tei"])}">invalid TEI</a>)'
    problems = [d for d in entry["diagnostics"] if d["severity"] != "info"]
    notes = [d for d in entry["diagnostics"] if d["severity"] == "info"]
    cell = ""
    if problems:
        cell += "<ul>" + "".join(f'<li class="{esc(d["severity"])}"><code>'
                                 f"{esc(_short(d))}</code></li>" for d in problems) + "</ul>"
    if notes:
        review = sum(d["code"].startswith("review-") for d in notes)
        cell += (f"<details><summary>{len(notes)} notes ({review} review items)</summary><ul>"
                 + "".join(f'<li class="info"><code>{esc(_short(d))}</code></li>'
                           for d in notes) + "</ul></details>")
    counts = entry["counts"]
    return (f'<tr class="{esc(entry["status"])}"><td>{link}</td><td>{esc(entry["id"] or "")}'
            f'</td><td class="status">{esc(entry["status"])}</td><td>{counts["errors"]}</td>'
            f'<td>{counts["warnings"]}</td><td>{cell}</td></tr>\n')


def _short(diagnostic: dict[str, Any]) -> str:
    where = ""
    if diagnostic.get("line") is not None:
        where = f"{diagnostic['line']}:{diagnostic.get('col') or 1}: "
    return f"{where}{diagnostic['severity']}[{diagnostic['code']}]: {diagnostic['message']}"
