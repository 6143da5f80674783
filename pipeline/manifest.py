"""The build manifest: what each output was made from, so a rebuild redoes only what changed.

``output/.manifest.json`` (written atomically) holds, for every source (keyed by its path
relative to the corpus root):

- the content hash (BLAKE2b-256) of the source bytes and of its ``.meta.json`` sidecar;
- one *key* per output: a hash of everything that output depends on (source and sidecar
  hashes, the toolchain: tool version and code, schema files, the stylesheets the output's
  entry stylesheet includes, the edition.toml settings that reach it, the options);
- each output's path, content hash, size and modification time as written;
- the document's diagnostics and report details, and its index summary, so that the
  report and the index pages are rebuilt without reparsing any document.

A source keeps its recorded hash only while its file status (size, modification and
change times, inode) is the one recorded with that hash and the file had been left alone
for a while when it was hashed, as git's index does; otherwise it is read and hashed again.
Outputs are checked by size and modification time against what the build itself wrote,
and rehashed when those differ, so an output edited or damaged by hand is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.atomic import write_text

MANIFEST_NAME = ".manifest.json"
FORMAT = 3   # 2: BLAKE2b content hashes; 3: paginated index, summaries stored apart
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def _hasher(data: bytes = b"") -> Any:
    """The content hash: BLAKE2b with a 256-bit digest (twice as fast as SHA-256 on CPUs
    without SHA instructions, and as collision-resistant)."""
    return hashlib.blake2b(data, digest_size=32)


def hash_bytes(data: bytes) -> str:
    return _hasher(data).hexdigest()


def hash_file(path: str | Path) -> str:
    """The content hash of a file's bytes (read whole: sources are small; hashlib releases
    the GIL while hashing, so several threads hash several files at once)."""
    with open(path, "rb") as handle:
        return _hasher(handle.read()).hexdigest()


def combine(*parts: Any) -> str:
    """One hash over several values (strings, None, or JSON-able structures)."""
    texts = [part if isinstance(part, str) else json.dumps(part, sort_keys=True)
             for part in parts]
    return _hasher("\x00".join(texts).encode("utf-8") + b"\x00").hexdigest()


def hash_tree(folder: Path, patterns: tuple[str, ...]) -> str:
    """A hash of the names and bytes of every file under ``folder`` matching ``patterns``."""
    digest = _hasher()
    if folder.is_dir():
        files = sorted({p for pattern in patterns for p in folder.rglob(pattern) if p.is_file()})
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\x00")
            digest.update(hash_file(path).encode("ascii"))
    return digest.hexdigest()


_INCLUDE = re.compile(rb"<xsl:(?:include|import)\s[^>]*?href\s*=\s*[\"']([^\"']+)[\"']")


def stylesheet_closure_hash(entry: Path) -> str | None:
    """A hash of an entry stylesheet and every module it includes or imports, transitively.

    ``None`` when the entry stylesheet does not exist.
    """
    if not entry.is_file():
        return None
    seen: dict[Path, str] = {}
    pending = [entry.resolve()]
    while pending:
        path = pending.pop()
        if path in seen or not path.is_file():
            continue
        data = path.read_bytes()
        seen[path] = hash_bytes(data)
        for href in _INCLUDE.findall(data):
            target = href.decode("utf-8", "replace")
            if "://" in target:
                continue
            pending.append((path.parent / target).resolve())
    return combine(*[f"{p.name}:{h}" for p, h in sorted(seen.items())])


@dataclass(frozen=True)
class Toolchain:
    """Hashes of the parts of the tool that shape outputs, computed once per build."""

    version: str
    code: str
    schema: str
    stylesheets: dict[str, str] = field(default_factory=dict)

    @classmethod
    def current(cls, root: Path = PROJECT_ROOT) -> Toolchain:
        code = hash_tree(PACKAGE_DIR, ("*.py",))
        schema = hash_tree(root / "schema", ("*",))
        xslt = root / "xslt"
        everything = hash_tree(xslt, ("*.xsl", "*.xslt", "*.css", "*.js"))
        stylesheets = {}
        for name in ("html", "text", "index"):
            closure = stylesheet_closure_hash(xslt / f"{name}.xsl")
            # assets (css/js) travel with every HTML page, so they count for html and index
            assets = hash_tree(xslt, ("*.css", "*.js")) if name != "text" else ""
            stylesheets[name] = combine(closure or everything, assets)
        return cls(version=__version__, code=code, schema=schema, stylesheets=stylesheets)


@dataclass
class OutputRecord:
    """One written file: its path relative to the output folder and how it was left."""

    path: str
    digest: str
    size: int
    mtime_ns: int

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "digest": self.digest, "size": self.size,
                "mtime_ns": self.mtime_ns}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutputRecord:
        return cls(data["path"], data["digest"], int(data["size"]), int(data["mtime_ns"]))

    @classmethod
    def of_file(cls, out_dir: Path, relative: str, data: bytes) -> OutputRecord:
        stat = os.stat(out_dir / relative)
        return cls(relative, hash_bytes(data), stat.st_size, stat.st_mtime_ns)

    def intact(self, out_dir: Path | str) -> bool:
        """Is the file still what the build wrote? Stat first, hash only on a mismatch."""
        path = os.path.join(out_dir, self.path)
        try:
            stat = os.stat(path)
        except OSError:
            return False
        if stat.st_size != self.size:
            return False
        if stat.st_mtime_ns == self.mtime_ns:
            return True
        try:
            return hash_file(path) == self.digest
        except OSError:
            return False


class Manifest:
    """The records of the previous build, loaded from and saved to the output folder."""

    def __init__(self, out_dir: Path, documents: dict[str, dict[str, Any]] | None = None,
                 index: dict[str, Any] | None = None, settings: dict[str, Any] | None = None
                 ) -> None:
        self.out_dir = out_dir
        self.documents: dict[str, dict[str, Any]] = documents or {}
        self.index: dict[str, Any] = index or {}
        self.settings: dict[str, Any] = settings or {}
        self._saved: str | None = None  # the text on disk, when known

    @property
    def path(self) -> Path:
        return self.out_dir / MANIFEST_NAME

    @classmethod
    def load(cls, out_dir: Path) -> tuple[Manifest, str | None]:
        """The manifest of ``out_dir`` and, when it had to be ignored, why."""
        path = out_dir / MANIFEST_NAME
        try:
            raw = path.read_bytes()
            data = json.loads(raw)
        except FileNotFoundError:
            return cls(out_dir), None
        except (OSError, ValueError) as exc:
            return cls(out_dir), f"the previous build's manifest is unreadable ({exc}); " \
                                 "everything is rebuilt"
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls(out_dir), "the previous build's manifest has another format; " \
                                 "everything is rebuilt"
        manifest = cls(out_dir, data.get("documents") or {}, data.get("index") or {},
                       data.get("settings") or {})
        manifest._saved = raw.decode("utf-8")  # as written by to_text()
        return manifest, None

    def save(self) -> None:
        """Write the manifest atomically (not at all when it did not change)."""
        text = self.to_text()
        if text != self._saved:
            write_text(self.path, text)
            self._saved = text

    def to_text(self) -> str:
        payload = {
            "format": FORMAT,
            "tool": {"name": "tei-edition", "version": __version__},
            "settings": self.settings,
            "index": self.index,
            "documents": self.documents,
        }
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    def recorded_outputs(self) -> set[str]:
        paths = {o["path"] for record in self.documents.values()
                 for o in record.get("outputs", {}).values()}
        paths.update(page["output"]["path"] for page in self.index.get("pages", {}).values()
                     if "output" in page)
        return paths


class BlobStore:
    """Files named by the hash of their bytes, in a folder of the output (two-character
    buckets keep folders small): written once, read by hash, pruned to what is referred to.

    Blobs are not fsynced: a blob lost in a crash only makes its document rebuild.
    """

    def __init__(self, folder: Path, suffix: str) -> None:
        self.folder = folder
        self.suffix = suffix
        self._folder = str(folder)
        self._buckets: set[str] = set()   # bucket folders known to exist

    def _path(self, digest: str) -> str:
        return os.path.join(self._folder, digest[:2], digest + self.suffix)

    def put(self, data: bytes) -> str:
        """Store ``data``; its hash."""
        digest = hash_bytes(data)
        bucket = os.path.join(self._folder, digest[:2])
        path = os.path.join(bucket, digest + self.suffix)
        if bucket not in self._buckets:
            os.makedirs(bucket, exist_ok=True)
            self._buckets.add(bucket)
        elif os.path.exists(path):
            return digest
        temporary = os.path.join(bucket, f".{digest}{self.suffix}.{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
        return digest

    def get(self, digest: str | None) -> bytes | None:
        if not digest:
            return None
        try:
            with open(self._path(digest), "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def has(self, digest: str | None) -> bool:
        return bool(digest) and os.path.isfile(self._path(digest))

    def prune(self, keep: set[str]) -> None:
        """Remove the blobs not in ``keep`` (and stray temporary files)."""
        self._buckets.clear()   # empty buckets go too
        if not self.folder.is_dir():
            return
        for bucket in os.scandir(self.folder):
            if not bucket.is_dir():
                continue
            for entry in os.scandir(bucket.path):
                name = entry.name
                if name.endswith(".tmp") or name.removesuffix(self.suffix) not in keep:
                    Path(entry.path).unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                os.rmdir(bucket.path)  # only when it is empty


class RecordStore(BlobStore):
    """Per-document records too large for the manifest (all diagnostics and the
    conversion report's details), stored once each as JSON under
    ``output/.build/records/`` and named by the hash of that JSON.

    The manifest refers to each document's record by hash, so the manifest stays small
    (it is read in full on every build) and a record is read only when the report has to
    be rewritten.
    """

    def __init__(self, out_dir: Path) -> None:
        super().__init__(out_dir / ".build" / "records", ".json")

    def put(self, record: dict[str, Any]) -> str:  # type: ignore[override]
        return super().put(json.dumps(record, ensure_ascii=False, sort_keys=True,
                                      separators=(",", ":")).encode("utf-8"))

    def get(self, digest: str | None) -> dict[str, Any] | None:  # type: ignore[override]
        data = super().get(digest)
        if data is None:
            return None
        try:
            return json.loads(data)
        except ValueError:
            return None
