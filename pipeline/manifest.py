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

import hashlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.atomic import write_bytes

MANIFEST_NAME = ".manifest.json"
FORMAT = 3   # 2: BLAKE2b content hashes; 3: paginated index, one SQLite store
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def _hasher(data: bytes = b"") -> Any:
    """The content hash: BLAKE2b with a 256-bit digest (twice as fast as SHA-256 on CPUs
    without SHA instructions, and as collision-resistant)."""
    return hashlib.blake2b(data, digest_size=32)


def hash_bytes(data: bytes) -> str:
    return _hasher(data).hexdigest()


def hash_file(path: str | Path, buffer: bytearray | None = None) -> str:
    """The content hash of a file's bytes, read in pieces into ``buffer`` (one the caller
    keeps and passes for every file, so that hashing many files allocates nothing per
    file; hashlib releases the GIL while hashing, so several threads hash at once)."""
    view = memoryview(buffer if buffer is not None else bytearray(HASH_BUFFER))
    digest = _hasher()
    with open(path, "rb", buffering=0) as handle:
        while count := handle.readinto(view):
            digest.update(view[:count])
    return digest.hexdigest()


#: bytes read at a time by :func:`hash_file` (a typical source fits in one read)
HASH_BUFFER = 1 << 16


def combine(*parts: Any) -> str:
    """One hash over several values (strings, None, or JSON-able structures)."""
    texts = [part if isinstance(part, str) else "null" if part is None
             else json.dumps(part, sort_keys=True) for part in parts]
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
        self._saved: str | None = None  # the hash of the text on disk, when known

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
        manifest._saved = hash_bytes(raw)  # as written by to_text()
        return manifest, None

    def save(self) -> None:
        """Write the manifest atomically (not at all when it did not change)."""
        text = self.to_text()
        data = text.encode("utf-8")
        digest = hash_bytes(data)
        if digest != self._saved:
            write_bytes(self.path, data)
            self._saved = digest

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


class BuildStore:
    """The build's per-document data too large for the manifest, in one SQLite database
    (``output/.build/store.sqlite``): each document's *record* (all diagnostics and the
    conversion report's details, as JSON) and its index *summary* (XML), each stored once
    and named by the hash of its bytes.

    The manifest refers to them by hash, so it stays small (it is read whole on every
    build); a record is read only when the report is regenerated, a summary only when an
    index page is. Writes are committed with the manifest (:meth:`commit` first, then the
    manifest), so the manifest never names data that is not stored; a build killed in
    between leaves data no document names, which the next :meth:`prune` removes. Only the
    build process opens the database.
    """

    KINDS = ("record", "summary")

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / ".build" / "store.sqlite"
        self._db: sqlite3.Connection | None = None
        self._known: dict[str, set[str]] | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._open()
            except sqlite3.DatabaseError:   # damaged: start again (documents rebuild)
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level="DEFERRED")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS blobs (kind TEXT NOT NULL, digest TEXT NOT NULL,"
                   " data BLOB NOT NULL, PRIMARY KEY (kind, digest)) WITHOUT ROWID")
        db.commit()
        return db

    def put(self, kind: str, data: bytes) -> str:
        """Store ``data``; its hash."""
        digest = hash_bytes(data)
        self._connect().execute("INSERT OR IGNORE INTO blobs VALUES (?, ?, ?)",
                                (kind, digest, data))
        if self._known is not None:
            self._known[kind].add(digest)
        return digest

    def get(self, kind: str, digest: str | None) -> bytes | None:
        if not digest:
            return None
        row = self._connect().execute("SELECT data FROM blobs WHERE kind = ? AND digest = ?",
                                      (kind, digest)).fetchone()
        return row[0] if row else None

    def has(self, kind: str, digest: str | None) -> bool:
        if not digest:
            return False
        if self._known is None:   # one query for the whole build's checks
            self._known = {k: set() for k in self.KINDS}
            for row_kind, row_digest in self._connect().execute(
                    "SELECT kind, digest FROM blobs"):
                self._known.setdefault(row_kind, set()).add(row_digest)
        return digest in self._known.get(kind, ())

    def put_record(self, record: dict[str, Any]) -> str:
        return self.put("record", json.dumps(record, ensure_ascii=False, sort_keys=True,
                                             separators=(",", ":")).encode("utf-8"))

    def get_record(self, digest: str | None) -> dict[str, Any] | None:
        data = self.get("record", digest)
        if data is None:
            return None
        try:
            return json.loads(data)
        except ValueError:
            return None

    def prune(self, keep: dict[str, set[str]]) -> None:
        """Remove what no document names any more (``keep``: the hashes to keep by kind)."""
        db = self._connect()
        db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (kind TEXT, digest TEXT, "
                   "PRIMARY KEY (kind, digest)) WITHOUT ROWID")
        db.execute("DELETE FROM keep")
        db.executemany("INSERT OR IGNORE INTO keep VALUES (?, ?)",
                       ((kind, digest) for kind, digests in keep.items() for digest in digests))
        db.execute("DELETE FROM blobs WHERE (kind, digest) NOT IN (SELECT kind, digest "
                   "FROM keep)")
        self._known = None

    def commit(self) -> None:
        if self._db is not None:
            self._db.commit()

    def close(self) -> None:
        if self._db is not None:
            self._db.commit()
            self._db.close()
            self._db = None
