"""The build manifest: what each output was made from, so a rebuild redoes only what changed.

The manifest lives in the build's SQLite database, ``output/.build/store.sqlite``, one record
per source (keyed by its path relative to the corpus root), read and written one at a time
so that a build never holds the whole manifest in memory. A record holds:

- the content hash (BLAKE2b-256) of the source bytes and of its ``.meta.json`` sidecar;
- one *key* per output: a hash of everything that output depends on (source and sidecar
  hashes, the toolchain: tool version and code, schema files, the stylesheets the output's
  entry stylesheet includes, the edition.toml settings that reach it, the options);
- each output's path, content hash, size and modification time as written;
- the hashes of the document's stored diagnostics and report details, and of its index
  summary, so that the report and the index pages are rebuilt without reparsing any
  document.

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
import shutil
import sqlite3
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.atomic import make_folder
from pipeline.errors import UsageError

#: the build's database, in the output folder: the manifest and the stored reports
STORE_NAME = ".build/store.sqlite"
#: where versions before format 4 kept the manifest (removed when found)
LEGACY_MANIFEST_NAME = ".manifest.json"
FORMAT = 6   # 2: BLAKE2b hashes; 3: paginated index; 4: the manifest in the database;
#              5: the fields read by whole-corpus passes in columns of their own;
#              6: the keys the plan compares in columns too
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


class DamagedManifest(Exception):
    """A record of the manifest cannot be read back as the build wrote it (a damaged or
    hand-edited database). The build sets the database aside and starts from scratch."""


def _hasher(data: bytes = b"") -> Any:
    """The content hash: BLAKE2b with a 256-bit digest (twice as fast as SHA-256 on CPUs
    without SHA instructions, and as collision-resistant)."""
    return hashlib.blake2b(data, digest_size=32)


def content_hasher(data: bytes = b"") -> Any:
    """A new content hash object (``update``, then ``hexdigest``), for data hashed in pieces."""
    return _hasher(data)


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
        return cls.written(relative, data, os.stat(out_dir / relative))

    @classmethod
    def written(cls, relative: str, data: bytes, status: os.stat_result) -> OutputRecord:
        """The record of ``data`` just written to ``relative``, whose file status is
        ``status`` (what :func:`pipeline.atomic.write_bytes` returns)."""
        return cls(relative, hash_bytes(data), status.st_size, status.st_mtime_ns)

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


#: fields of a record that passes over the whole corpus read, kept in columns of their own
#: beside the whole record: strings as they are, the others as JSON text
_TEXT_FIELDS = ("source", "sidecar", "status", "doc_id", "natural_id", "summary", "record",
                "base")
_JSON_FIELDS = ("stat", "duplicate", "outputs", "entry", "counts", "problems", "keys")
_FIELDS = _TEXT_FIELDS + _JSON_FIELDS
_SCAN_CHUNK = 1000


class DocumentRecords(MutableMapping[str, dict[str, Any]]):
    """The manifest's per-document records, keyed by source path, kept in the build's
    database and read or written one at a time (a build never holds all of them at once).

    A record read from here is a copy: changing it changes nothing until it is assigned
    back (``records[rel] = record``). The fields that passes over the whole corpus need
    have columns of their own (:meth:`fields`), so those passes decode no record."""

    def __init__(self, store: BuildStore) -> None:
        self._store = store

    def __getitem__(self, rel: str) -> dict[str, Any]:
        row = self._store.db.execute("SELECT data FROM documents WHERE rel = ?",
                                     (rel,)).fetchone()
        if row is None:
            raise KeyError(rel)
        return _whole_record(rel, row[0])

    def __setitem__(self, rel: str, record: dict[str, Any]) -> None:
        columns = [record.get(name) for name in _TEXT_FIELDS]
        columns += [_compact_json(record[name]) if record.get(name) is not None else None
                    for name in _JSON_FIELDS]
        self._store.db.execute(_INSERT, (rel, *columns, _compact_json(record)))

    def __delitem__(self, rel: str) -> None:
        if self._store.db.execute("DELETE FROM documents WHERE rel = ?", (rel,)).rowcount == 0:
            raise KeyError(rel)

    def __contains__(self, rel: object) -> bool:
        return self._store.db.execute("SELECT 1 FROM documents WHERE rel = ?",
                                      (rel,)).fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        return iter([row[0] for row in self._store.db.execute(
            "SELECT rel FROM documents ORDER BY rel")])

    def __len__(self) -> int:
        return int(self._store.db.execute("SELECT count(*) FROM documents").fetchone()[0])

    def scan(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every ``(rel, record)`` in source path order (Python's order of strings), read a
        thousand at a time; records may be written or deleted while the scan goes on."""
        for rel, data in self._rows("data"):
            yield rel, _whole_record(rel, data)

    def fields(self, *names: str) -> Iterator[tuple[Any, ...]]:
        """``(rel, value, ...)`` for every record, in source path order: the values of the
        named fields, read from their columns (``None`` when absent; ``stat``,
        ``duplicate``, ``outputs``, ``entry``, ``counts``, ``problems`` and ``keys`` as
        JSON text),
        a thousand records at a time, as :meth:`scan` reads them."""
        unknown = [name for name in names if name not in _FIELDS]
        if unknown:
            raise ValueError(f"no column for the record fields {unknown}")
        return self._rows(", ".join(names))

    def _rows(self, columns: str) -> Iterator[tuple[Any, ...]]:
        """``(rel, *columns)`` of every record in source path order, a page of
        ``_SCAN_CHUNK`` rows at a time, each page starting after the last path seen."""
        query = (f"SELECT rel, {columns} FROM documents WHERE rel > ? "
                 f"ORDER BY rel LIMIT {_SCAN_CHUNK}")
        after = ""
        while True:
            rows = self._store.db.execute(query, (after,)).fetchall()
            yield from rows
            if len(rows) < _SCAN_CHUNK:
                return
            after = rows[-1][0]

    def output_paths(self) -> set[str]:
        """The path of every output the records name."""
        return {row[0] for row in self._store.db.execute(
            "SELECT json_extract(output.value, '$.path') FROM documents, "
            "json_each(documents.outputs) AS output WHERE documents.outputs IS NOT NULL")}

    @staticmethod
    def digests(name: str) -> str:
        """An SQL query of the non-empty values of a text field of every record."""
        if name not in _TEXT_FIELDS:
            raise ValueError(f"no column for the record field {name!r}")
        return f"SELECT {name} FROM documents WHERE {name} IS NOT NULL"


def _whole_record(rel: str, data: Any) -> dict[str, Any]:
    try:
        record = json.loads(data)
    except (TypeError, ValueError):
        record = None
    if not isinstance(record, dict):
        raise DamagedManifest(f"the record of {rel} is not a JSON object")
    return record


def sound_output(value: Any) -> bool:
    """Is ``value`` an output record as :meth:`OutputRecord.to_dict` writes it?"""
    return isinstance(value, dict) and isinstance(value.get("path"), str) \
        and isinstance(value.get("digest"), str) and type(value.get("size")) is int \
        and type(value.get("mtime_ns")) is int


def sound_diagnostic(value: Any) -> bool:
    """Is ``value`` a diagnostic as :meth:`Diagnostic.to_dict` writes it?"""
    return isinstance(value, dict) and isinstance(value.get("code"), str) \
        and isinstance(value.get("message"), str) \
        and value.get("severity") in ("error", "warning", "info") \
        and isinstance(value.get("path"), str | None) \
        and type(value.get("line")) in (int, type(None)) \
        and type(value.get("col")) in (int, type(None))


_INSERT = (f"INSERT OR REPLACE INTO documents (rel, {', '.join(_FIELDS)}, data) "
           f"VALUES ({', '.join('?' * (len(_FIELDS) + 2))})")


def _compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Manifest:
    """The state of the previous build: one record per document (:class:`DocumentRecords`),
    the index pages and the build settings, all in the build's database
    (``output/.build/store.sqlite``) beside the documents' stored reports and summaries,
    so that one commit (:meth:`save`) moves all of them from one consistent state to the
    next."""

    STATE = "manifest"

    def __init__(self, out_dir: Path, store: BuildStore | None = None) -> None:
        self.out_dir = out_dir
        self.store = store or BuildStore(out_dir)
        self.documents = DocumentRecords(self.store)
        self.index: dict[str, Any] = {}
        self.settings: dict[str, Any] = {}
        self._saved: str | None = None  # the state as last read or written
        self.damaged = False   # all or part of the previous build's manifest was unusable

    @property
    def path(self) -> Path:
        return self.store.path

    @classmethod
    def load(cls, out_dir: Path) -> tuple[Manifest, str | None]:
        """The manifest of ``out_dir`` and, when it had to be ignored, why.

        A database that cannot be opened or read, or whose state is not what a build
        writes, is set aside (renamed ``store.sqlite.damaged``) and the build starts from
        scratch; :attr:`damaged` is set then, and the build reports it as a warning. The
        records are checked as they are read (:class:`DamagedManifest`)."""
        note = None
        legacy = out_dir / LEGACY_MANIFEST_NAME
        if legacy.exists():   # written by an earlier version: its records are not kept
            legacy.unlink(missing_ok=True)
            note = "the previous build's manifest has another format; everything is rebuilt"
        store = BuildStore(out_dir)
        manifest = cls(out_dir, store)
        try:
            text = store.get_state(cls.STATE)
            data = json.loads(text) if text is not None else None
            len(manifest.documents)   # reads the whole table: a damaged one shows now
            if store.was_reset:
                manifest.damaged = True
                return manifest, "the previous build's manifest is unreadable (its " \
                                 f"database is damaged; set aside as {store.aside_name}); " \
                                 "everything is rebuilt"
            if data is None:
                store.clear()
                return manifest, note
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                store.reset()   # its tables may be laid out otherwise: a new database
                return manifest, "the previous build's manifest has another format; " \
                                 "everything is rebuilt"
            index, settings = data.get("index") or {}, data.get("settings") or {}
            if not _sound_state(index, settings):
                raise ValueError("its state is not what a build writes")
        except (sqlite3.DatabaseError, ValueError) as exc:
            store.reset(damaged=True)
            manifest.damaged = True
            return manifest, f"the previous build's manifest is unreadable ({exc}; set " \
                             f"aside as {store.aside_name}); everything is rebuilt"
        manifest.index = index
        manifest.settings = settings
        manifest._saved = text
        return manifest, None

    def set_aside(self, reason: str) -> str:
        """Give up the previous build's manifest, found damaged while the build read it:
        the database is set aside and replaced by an empty one. The note to report."""
        self.store.reset(damaged=True)
        self.index, self.settings, self._saved, self.damaged = {}, {}, None, True
        return f"the previous build's manifest is damaged ({reason}; set aside as " \
               f"{self.store.aside_name}); everything is rebuilt"

    def save(self) -> None:
        """Commit everything the build recorded since the last save (the state row is
        rewritten only when it changed)."""
        text = _compact_json({"format": FORMAT,
                              "tool": {"name": "tei-edition", "version": __version__},
                              "settings": self.settings, "index": self.index})
        if text != self._saved:
            self.store.put_state(self.STATE, text)
            self._saved = text
        self.store.commit()

    def recorded_outputs(self) -> set[str]:
        paths = self.documents.output_paths()
        paths.update(page["output"]["path"] for page in self.index.get("pages", {}).values()
                     if "output" in page)
        return paths

    def close(self) -> None:
        self.store.close()


def _sound_state(index: Any, settings: Any) -> bool:
    """Is the manifest's state (index pages, settings) shaped as a build writes it?"""
    if not isinstance(index, dict) or not isinstance(settings, dict):
        return False
    pages = index.get("pages", {})
    if not isinstance(index.get("key"), str | None) or not isinstance(pages, dict):
        return False
    for page in pages.values():
        if not isinstance(page, dict) or not isinstance(page.get("key"), str | None) or (
                "output" in page and not sound_output(page["output"])):
            return False
    targets = settings.get("targets", [])
    report = settings.get("report", {})
    return isinstance(targets, list) and all(isinstance(t, str) for t in targets) \
        and isinstance(settings.get("code", ""), str) and isinstance(report, dict) \
        and (not report or (isinstance(report.get("key"), str)
                            and type(report.get("json")) is int
                            and type(report.get("html")) is int))


class BuildStore:
    """The build's database (``output/.build/store.sqlite``, SQLite): the manifest's
    records (table ``documents``) and state (table ``state``), and each document's data too
    large for its record, stored once and named by the hash of its bytes (table ``blobs``):
    its *record* (all diagnostics and the conversion report's details, as JSON) and its
    index *summary* (XML). A record is read only when the report is regenerated, a summary
    only when an index page is.

    Everything is written in one transaction, committed at each save of the manifest: a
    build killed in between leaves the database as it was at the last save. Data no
    document names any more is removed by :meth:`prune`. Only the build process opens the
    database; a damaged one is replaced by an empty one (its documents are rebuilt)."""

    KINDS = ("record", "summary")

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / STORE_NAME
        self._db: sqlite3.Connection | None = None
        self._known: dict[str, set[str]] | None = None
        self.was_reset = False

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            self._make_folder()
            try:
                self._db = self._open()
            except sqlite3.DatabaseError:   # damaged: set aside, start again
                self._set_aside()
                self.was_reset = True
                try:
                    self._db = self._open()
                except sqlite3.DatabaseError as exc:
                    raise UsageError(f"the build's database cannot be made: {exc}",
                                     path=str(self.path), code="build-store") from exc
        return self._db

    def _make_folder(self) -> None:
        """Make the database's folder; anything else by that name is set aside."""
        folder = self.path.parent
        if os.path.lexists(folder) and not folder.is_dir():
            _replace_aside(folder, Path(f"{folder}.damaged"))
            self.was_reset = True
        make_folder(folder)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level="DEFERRED")
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            for table in _TABLES:
                db.execute(table)
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    @property
    def aside_name(self) -> str:
        """Where an unusable database is set aside (beside it)."""
        return f"{self.path.name}.damaged"

    def _set_aside(self) -> None:
        """Move an unusable database (and its journal files) out of the way, as
        ``store.sqlite.damaged``, replacing one set aside before."""
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{self.path}{suffix}")
            if os.path.lexists(path):
                _replace_aside(path, self.path.with_name(f"{self.aside_name}{suffix}"))

    def _remove_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def reset(self, *, damaged: bool = False) -> None:
        """Replace the database by an empty one; a ``damaged`` one is set aside."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if damaged:
            self._set_aside()
        else:
            self._remove_files()
        self._known = None
        self.was_reset = True
        self.db  # noqa: B018 - creates the tables now

    def clear(self) -> None:
        """Forget every document and the state (a previous build that cannot be used)."""
        for table in ("documents", "state", "blobs"):
            self.db.execute(f"DELETE FROM {table}")
        self._known = None

    def get_state(self, name: str) -> str | None:
        row = self.db.execute("SELECT data FROM state WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def put_state(self, name: str, text: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (name, text))

    def put(self, kind: str, data: bytes) -> str:
        """Store ``data``; its hash."""
        digest = hash_bytes(data)
        self.db.execute("INSERT OR IGNORE INTO blobs VALUES (?, ?, ?)", (kind, digest, data))
        if self._known is not None:
            self._known[kind].add(digest)
        return digest

    def get(self, kind: str, digest: str | None) -> bytes | None:
        if not digest:
            return None
        row = self.db.execute("SELECT data FROM blobs WHERE kind = ? AND digest = ?",
                              (kind, digest)).fetchone()
        return row[0] if row else None

    def has(self, kind: str, digest: str | None) -> bool:
        if not digest:
            return False
        if self._known is None:   # one query for the whole build's checks
            self._known = {k: set() for k in self.KINDS}
            for row_kind, row_digest in self.db.execute("SELECT kind, digest FROM blobs"):
                self._known.setdefault(row_kind, set()).add(row_digest)
        return digest in self._known.get(kind, ())

    def put_record(self, record: dict[str, Any]) -> str:
        return self.put("record", _compact_json(record).encode("utf-8"))

    def get_record(self, digest: str | None) -> dict[str, Any] | None:
        data = self.get("record", digest)
        if data is None:
            return None
        try:
            return json.loads(data)
        except ValueError:
            return None

    def prune(self) -> None:
        """Remove the records and summaries no document names any more."""
        documents = DocumentRecords(self)
        for kind in self.KINDS:
            self.db.execute(f"DELETE FROM blobs WHERE kind = ? AND digest NOT IN "
                            f"({documents.digests(kind)})", (kind,))
        self._known = None

    def commit(self) -> None:
        if self._db is not None:
            self._db.commit()

    def close(self) -> None:
        if self._db is not None:
            self._db.commit()
            self._db.close()
            self._db = None


def _replace_aside(path: Path, aside: Path) -> None:
    """Rename ``path`` to ``aside``, removing what was there."""
    if aside.is_dir() and not aside.is_symlink():
        shutil.rmtree(aside, ignore_errors=True)
    elif os.path.lexists(aside):
        aside.unlink()
    os.replace(path, aside)


_TABLES = (
    "CREATE TABLE IF NOT EXISTS documents (rel TEXT PRIMARY KEY, "
    + "".join(f"{name} TEXT, " for name in _FIELDS) + "data TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, data TEXT NOT NULL) "
    "WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS blobs (kind TEXT NOT NULL, digest TEXT NOT NULL, "
    "data BLOB NOT NULL, PRIMARY KEY (kind, digest)) WITHOUT ROWID",
)
