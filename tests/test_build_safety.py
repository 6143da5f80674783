"""``edition build`` never reads its own outputs as sources, never removes or overwrites a
source, never opens what is not a regular file, survives a damaged manifest, and turns a
bad output location into a usage error."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import pipeline.build as build_module
from pipeline.build import BuildOptions, run_build
from pipeline.cli import main
from pipeline.manifest import STORE_NAME
from tests.conftest import ROOT
from tests.test_build import letter, letters_corpus, output_files

pytest.importorskip("pipeline.render", reason="the renderer has not landed yet")


@pytest.fixture(autouse=True)
def _no_tei_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Foreign TEI is not checked against tei_all here (see tests/test_build.py)."""
    monkeypatch.setenv("EDITION_TEI_ALL", str(tmp_path / "no-tei-all-here.rng"))


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", *args])
    return result.exit_code, result.output


def tree_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the output folder and the source folder ----------------------------------------------


@pytest.mark.parametrize("clean", [False, True])
def test_a_source_folder_inside_the_output_folder_is_refused_and_left_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean: bool) -> None:
    monkeypatch.chdir(tmp_path)
    sources = tmp_path / "tei"
    sources.mkdir()
    (sources / "my edited.xml").write_text(letter(1), encoding="utf-8")
    (sources / "letter-02.xml").write_text(letter(2), encoding="utf-8")
    before = tree_of(tmp_path)
    code, output = cli("tei", "-o", ".", *(["--clean"] if clean else []))
    assert code == 2, output
    assert "error[build-output-overlap]" in output
    assert "the output folder . contains the source folder tei" in output
    assert "Traceback" not in output
    assert tree_of(tmp_path) == before   # nothing read back, removed or written


@pytest.mark.parametrize("spelling", ["same", "dotted", "absolute", "link", "file"])
def test_the_output_folder_cannot_be_the_source_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str) -> None:
    monkeypatch.chdir(tmp_path)
    letters_corpus(tmp_path / "cs", 2)
    (tmp_path / "link").symlink_to("cs")
    source, out = {"same": ("cs", "cs"), "dotted": ("cs", "./cs/../cs/"),
                   "absolute": (str(tmp_path / "cs"), "cs"), "link": ("link", "cs"),
                   "file": ("cs/letter-01.xml", "cs")}[spelling]
    before = tree_of(tmp_path / "cs")
    for _ in range(2):
        code, output = cli(source, "-o", out)
        assert code == 2, output
        assert "error[build-output-overlap]" in output
    assert tree_of(tmp_path / "cs") == before


def test_an_output_folder_inside_the_source_folder_is_not_read_back(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "corpus", 2)
    out = src / "output"
    first = run_build(BuildOptions(source=src, out_dir=out, jobs=1))
    assert first.counts["documents"] == 2 and first.counts["ignored"] == 0
    built = output_files(out)
    for _ in range(2):
        again = run_build(BuildOptions(source=src, out_dir=out, jobs=1))
        assert again.counts["documents"] == 2 and again.rebuilt == []
        assert again.counts["ignored"] == 0
    assert output_files(out) == built
    # also when the output folder is named through a symbolic link
    (tmp_path / "elsewhere").symlink_to(out)
    linked = run_build(BuildOptions(source=src, out_dir=tmp_path / "elsewhere", jobs=1))
    assert linked.counts["documents"] == 2 and linked.rebuilt == []


# --- what discovery does not open ---------------------------------------------------------


def test_a_named_pipe_in_the_source_folder_is_ignored_and_never_opened(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src", 2)
    os.mkfifo(src / "pipe.xml")
    os.mkfifo(src / "pipe.txt")
    os.mkfifo(src / "talk.meta.json")   # a sidecar that is a pipe is not read either
    out = tmp_path / "out"
    # in a process of its own: opening a pipe would block it, and the timeout fails the test
    done = subprocess.run([sys.executable, "-m", "pipeline", "build", str(src), "-o", str(out),
                           "-q", "-j", "1"], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    ignored = {entry["path"]: entry["reason"] for entry in report["ignored"]}
    assert set(ignored) == {"pipe.xml", "pipe.txt", "talk.meta.json"}
    assert all("named pipe" in reason for reason in ignored.values())
    assert report["build"]["counts"]["documents"] == 2
    assert report["build"]["counts"]["ignored"] == 3


def test_a_dangling_symbolic_link_is_ignored_and_the_rest_built(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src", 2)
    (src / "gone.xml").symlink_to(tmp_path / "nowhere.xml")
    (src / "folder-link").symlink_to(tmp_path)
    (src / "linked.xml").symlink_to(src / "letter-01.xml")   # a link to a file is a file
    code, output = cli(str(src), "-o", str(tmp_path / "out"), "-j", "1")
    assert code == 0, output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    ignored = {entry["path"]: entry["reason"] for entry in report["ignored"]}
    assert set(ignored) == {"gone.xml", "folder-link"}
    assert "target cannot be reached" in ignored["gone.xml"]
    assert "folder" in ignored["folder-link"]
    assert [d["source"] for d in report["documents"]] == [
        "letter-01.xml", "letter-02.xml", "linked.xml"]


def test_a_source_that_cannot_be_read_fails_alone(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that goes away or loses its permissions after discovery fails its document
    with the reason; the others are built."""
    src = letters_corpus(tmp_path / "src", 2)
    real_hash = build_module.hash_file
    real_read = Path.read_bytes
    denied = PermissionError(13, "Permission denied")

    def hash_file(path: str, buffer: bytearray | None = None) -> str:
        if path.endswith("letter-02.xml"):
            raise denied
        return real_hash(path, buffer)

    def read_bytes(self: Path) -> bytes:
        if self.name == "letter-02.xml":
            raise denied
        return real_read(self)

    monkeypatch.setattr(build_module, "hash_file", hash_file)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run_build(BuildOptions(source=src, out_dir=tmp_path / "out", jobs=1))
    statuses = {d["source"]: d["status"] for d in result.documents}
    assert statuses == {"letter-01.xml": "ok", "letter-02.xml": "failed"}
    (failed,) = [d for d in result.documents if d["status"] == "failed"]
    assert "error[input-unreadable]" in failed["reason"] and "Permission denied" in \
        failed["reason"]
    # readable again: its status changed, so it is hashed and built again
    monkeypatch.undo()
    os.utime(src / "letter-02.xml")
    monkeypatch.setenv("EDITION_TEI_ALL", str(tmp_path / "no-tei-all-here.rng"))
    assert run_build(BuildOptions(source=src, out_dir=tmp_path / "out", jobs=1)).rebuilt == [
        "letter-02.xml"]


def test_a_source_that_is_not_a_file_or_folder_is_a_usage_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    code, output = cli(str(tmp_path / "pipe"), "-o", str(tmp_path / "out"))
    assert code == 2 and "error[build-source-kind]" in output





# --- a damaged manifest -------------------------------------------------------------------

_DAMAGE = {
    "outputs": "outputs = 'garbage'",
    "stat": "stat = 'null'",
    "counts": "counts = '[1,2]'",
    "keys": "keys = '3'",
    "problems": "problems = '{}'",
    "problem": """problems = '[{"code": "x"}]'""",
    "duplicate": "duplicate = '5'",
    "status": "status = 'weird'",
    "output-record": """outputs = '{"html": 5}'""",
    "data": "data = 'x'",
    "entry": "entry = '[1]'",
    "state": """data = '{"format": 6, "settings": [1]}'""",
}


@pytest.mark.parametrize("damage", sorted(_DAMAGE))
def test_a_damaged_manifest_record_is_rebuilt_never_an_internal_error(
        tmp_path: Path, damage: str) -> None:
    src = letters_corpus(tmp_path / "src", 2)
    for path in src.iterdir():   # settled: a rebuild does not rewrite their records
        os.utime(path, (path.stat().st_mtime - 3600,) * 2)
    out = tmp_path / "out"
    code, output = cli(str(src), "-o", str(out), "-j", "1")
    assert code == 0, output
    built = output_files(out)
    database = sqlite3.connect(out / STORE_NAME)
    table = "state" if damage == "state" else "documents"
    database.execute(f"UPDATE {table} SET {_DAMAGE[damage]}")
    database.commit()
    database.close()
    # a change that makes the build read every part of the records (and the index)
    changed = src / "letter-01.xml"
    changed.write_text(letter(1, "The shipments leave on Friday."), encoding="utf-8")
    for _ in range(2):
        code, output = cli(str(src), "-o", str(out), "-j", "1")
        assert code == 0, output
        assert "internal error" not in output and "Traceback" not in output
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert [d["status"] for d in report["documents"]] == ["ok", "ok"]
    changed.write_text(letter(1), encoding="utf-8")
    code, output = cli(str(src), "-o", str(out), "-j", "1")
    assert code == 0, output
    assert output_files(out) == built
    assert run_build(BuildOptions(source=src, out_dir=out, jobs=1)).rebuilt == []


@pytest.mark.parametrize(("damage", "edited"), [("outputs", 1), ("counts", 1), ("data", 2)])
def test_a_damaged_manifest_is_reported_as_a_warning(tmp_path: Path, damage: str,
                                                     edited: int) -> None:
    src = letters_corpus(tmp_path / "src", 2)
    for path in src.iterdir():   # settled: a rebuild does not rewrite their records
        os.utime(path, (path.stat().st_mtime - 3600,) * 2)
    out = tmp_path / "out"
    run_build(BuildOptions(source=src, out_dir=out, jobs=1))
    database = sqlite3.connect(out / STORE_NAME)
    database.execute(f"UPDATE documents SET {_DAMAGE[damage]} WHERE rel = 'letter-02.xml'")
    database.commit()
    database.close()
    (src / f"letter-0{edited}.xml").write_text(letter(edited, "Another line."),
                                               encoding="utf-8")
    result = run_build(BuildOptions(source=src, out_dir=out, jobs=1))
    warnings = [d for r in result.reports for d in r.diagnostics
                if d.code == "build-manifest-reset"]
    assert len(warnings) == 1 and warnings[0].severity.value == "warning", warnings
    assert "letter-02.xml" in warnings[0].message
    assert result.outcome.value == "ok"
    assert "letter-02.xml" in result.rebuilt


@pytest.mark.parametrize("kind", ["folder", "build-file", "garbage"])
def test_an_unusable_build_database_is_set_aside(tmp_path: Path, kind: str) -> None:
    src = letters_corpus(tmp_path / "src", 2)
    out = tmp_path / "out"
    run_build(BuildOptions(source=src, out_dir=out, jobs=1))
    built = output_files(out)
    store = out / STORE_NAME
    for path in store.parent.iterdir():
        path.unlink()
    if kind == "folder":
        store.mkdir()
        (store / "inside").write_text("kept", encoding="utf-8")
    elif kind == "build-file":
        store.parent.rmdir()
        store.parent.write_text("not a folder", encoding="utf-8")
    else:
        store.write_bytes(b"not a database" * 100)
    code, output = cli(str(src), "-o", str(out), "-j", "1")
    assert code == 0, output
    assert "warning[build-manifest-reset]" in output
    assert output_files(out) == built
    aside = {"folder": store.with_name("store.sqlite.damaged") / "inside",
             "build-file": out / ".build.damaged",
             "garbage": store.with_name("store.sqlite.damaged")}[kind]
    assert aside.exists()
    assert run_build(BuildOptions(source=src, out_dir=out, jobs=1)).rebuilt == []


# --- an output location that cannot be written --------------------------------------------


def _unwritable(tmp_path: Path, kind: str) -> str:
    if kind == "proc":
        if not Path("/proc/self").is_dir():
            pytest.skip("no /proc here")
        return "/proc/no-such-place"
    (tmp_path / "x.txt").write_text("a file", encoding="utf-8")
    return str(tmp_path / "x.txt" / "sub")


@pytest.mark.parametrize("kind", ["proc", "under-a-file"])
def test_an_output_folder_that_cannot_be_made_is_a_usage_error(tmp_path: Path,
                                                              kind: str) -> None:
    src = letters_corpus(tmp_path / "src", 1)
    out = _unwritable(tmp_path, kind)
    code, output = cli(str(src), "-o", out)
    assert code == 2, output
    assert f"{out}: error[output-unwritable]: cannot make or write into the folder {out}: " \
        in output
    assert "internal error" not in output and "Traceback" not in output
    if kind == "under-a-file":
        assert "x.txt is a file, not a folder" in output


@pytest.mark.parametrize("command", ["convert", "render", "report"])
def test_convert_and_render_into_an_unwritable_place_are_usage_errors(
        tmp_path: Path, command: str) -> None:
    src = letters_corpus(tmp_path / "src", 1)
    out = _unwritable(tmp_path, "under-a-file")
    transcript = ROOT / "samples" / "1961-03-14_orlov-tanabe.page.txt"
    args = {"convert": ["convert", str(transcript), "-o", out],
            "render": ["render", str(src / "letter-01.xml"), "--to", "html", "-o", out],
            "report": ["convert", str(transcript), "--report", f"{out}.json"]}[command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "error[output-unwritable]" in result.output
    assert "x.txt is a file, not a folder" in result.output


def test_atomic_writes_name_the_path_and_the_reason(tmp_path: Path) -> None:
    from pipeline.atomic import OutputError, write_bytes

    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(OutputError) as caught:
        write_bytes(tmp_path / "file" / "a.txt", b"x")
    assert caught.value.code == "output-unwritable"
    assert caught.value.path == str(tmp_path / "file" / "a.txt")
    (tmp_path / "folder").mkdir()
    with pytest.raises(OutputError, match="Is a directory"):
        write_bytes(tmp_path / "folder", b"x")   # a folder where the file goes
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
