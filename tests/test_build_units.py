"""The build machinery on its own: ids, discovery, manifest, staleness, clean-up, executors,
progress and summary formatting."""

from __future__ import annotations

import io
import json
import operator
import os
import subprocess
import sys
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import (
    BuildOptions,
    BuildResult,
    DocumentTask,
    _LazyExecutor,
    _remove_stale_files,
    _stale_targets,
    assign_ids,
    crashed_document,
    discover,
    run_build,
    sidecar_of,
    slug,
)
from pipeline.diagnostics import Outcome
from pipeline.errors import UsageError
from pipeline.executors import InlineExecutor, LocalProcessExecutor, make_executor
from pipeline.manifest import (
    LEGACY_MANIFEST_NAME,
    STORE_NAME,
    Manifest,
    OutputRecord,
    Toolchain,
    combine,
    hash_bytes,
    stylesheet_closure_hash,
)
from pipeline.progress import ProgressBar

# --- ids -----------------------------------------------------------------------------------


def test_assign_ids_keeps_unique_ids() -> None:
    assert assign_ids({"a.txt": "x", "b.txt": "y"}) == {"a.txt": "x", "b.txt": "y"}


def test_assign_ids_first_path_wins_and_numbering_skips_taken_ids() -> None:
    naturals = {"z/late.txt": "doc", "a/early.txt": "doc", "m/mid.txt": "doc",
                "other.txt": "doc-2"}
    assigned = assign_ids(naturals)
    assert assigned["a/early.txt"] == "doc"
    assert assigned["other.txt"] == "doc-2"
    assert assigned["m/mid.txt"] == "doc-3"
    assert assigned["z/late.txt"] == "doc-4"
    # the order of the input does not matter
    assert assign_ids(dict(reversed(list(naturals.items())))) == assigned


def test_slug() -> None:
    assert slug("Marx_Manifestws_1848.TEI-P5") == "marx-manifestws-1848-tei-p5"
    assert slug("1957-03-21-kennan") == "doc-1957-03-21-kennan"
    assert slug("...") == "doc"


# --- discovery -----------------------------------------------------------------------------


def _touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discover_sorts_classifies_and_skips_outputs(tmp_path: Path) -> None:
    src = tmp_path / "corpus"
    _touch(src / "b.txt")
    _touch(src / "b.meta.json", "{}")
    _touch(src / "a.page.txt")
    _touch(src / "sub" / "letter.xml", "<TEI/>")
    _touch(src / "orphan.meta.json", "{}")
    _touch(src / "notes.csv")
    _touch(src / "edition.toml", "")
    _touch(src / ".hidden.txt")
    _touch(src / "site" / STORE_NAME)                # an earlier build's output folder
    _touch(src / "old-site" / LEGACY_MANIFEST_NAME, "{}")   # one of an earlier version
    _touch(src / "old-site" / "a.xml", "<TEI/>")
    _touch(src / "site" / "tei" / "a.xml", "<TEI/>")
    _touch(src / "out" / "html" / "a.html")          # the output folder of this build
    documents, ignored = discover(src, src / "out")
    assert [(d.rel, d.kind) for d in documents] == [
        ("a.page.txt", "transcript"), ("b.txt", "transcript"), ("sub/letter.xml", "tei")]
    assert documents[1].sidecar == src / "b.meta.json"
    reasons = {i["path"]: i["reason"] for i in ignored}
    assert set(reasons) == {"notes.csv", "orphan.meta.json"}
    assert "sidecar" in reasons["orphan.meta.json"]


def test_discover_a_single_file(tmp_path: Path) -> None:
    doc = _touch(tmp_path / "one.txt")
    documents, ignored = discover(doc, tmp_path / "output")
    assert [d.rel for d in documents] == ["one.txt"]
    assert ignored == []


def test_sidecar_of(tmp_path: Path) -> None:
    assert sidecar_of(_touch(tmp_path / "a.txt")) is None
    meta = _touch(tmp_path / "a.meta.json", "{}")
    assert sidecar_of(tmp_path / "a.txt") == meta
    page_meta = _touch(tmp_path / "p.meta.json", "{}")
    assert sidecar_of(_touch(tmp_path / "p.page.txt")) == page_meta


# --- manifest ------------------------------------------------------------------------------


def test_output_record_detects_changes(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    target = tmp_path / "html" / "d.html"
    target.write_bytes(b"<p>one</p>")
    record = OutputRecord.of_file(tmp_path, "html/d.html", b"<p>one</p>")
    assert record.intact(tmp_path)
    os.utime(target, ns=(1, 1))               # touched, same bytes: rehashed, still intact
    assert record.intact(tmp_path)
    target.write_bytes(b"<p>two</p>")          # same size, other bytes
    assert not record.intact(tmp_path)
    target.unlink()
    assert not record.intact(tmp_path)


def test_manifest_round_trip_and_unreadable_manifest(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path)
    manifest.documents["a.txt"] = {"status": "ok"}
    manifest.index = {"key": "k"}
    manifest.save()
    manifest.close()
    loaded, note = Manifest.load(tmp_path)
    assert note is None
    assert dict(loaded.documents) == {"a.txt": {"status": "ok"}}
    assert loaded.index == {"key": "k"}
    record = loaded.documents["a.txt"]
    record["status"] = "failed"                  # a copy: assigned back to change the record
    assert loaded.documents["a.txt"] == {"status": "ok"}
    loaded.documents["a.txt"] = record
    loaded.store.db.rollback()                   # not saved: a killed build loses it
    assert loaded.documents["a.txt"] == {"status": "ok"}
    loaded.documents["a.txt"] = record
    loaded.close()                               # closed (a build that stopped): kept
    again = Manifest.load(tmp_path)[0]
    assert again.documents["a.txt"] == {"status": "failed"}
    again.close()

    store = tmp_path / STORE_NAME
    for suffix in ("-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    store.write_bytes(b"not a database" * 100)
    broken, note = Manifest.load(tmp_path)
    assert dict(broken.documents) == {}
    assert note is not None and "unreadable" in note
    broken.settings = {"x": 1}
    broken.save()
    broken.store.put_state(Manifest.STATE, '{"format": 99}')
    broken.save()
    broken.close()
    other, note = Manifest.load(tmp_path)
    assert "another format" in (note or "") and other.settings == {}
    other.close()

    (tmp_path / LEGACY_MANIFEST_NAME).write_text("{}", encoding="utf-8")
    legacy, note = Manifest.load(tmp_path)
    assert "another format" in (note or "")
    assert not (tmp_path / LEGACY_MANIFEST_NAME).exists()
    legacy.close()


def test_stylesheet_closure_follows_includes(tmp_path: Path) -> None:
    entry = _touch(tmp_path / "html.xsl", '<xsl:stylesheet><xsl:include href="common/a.xsl"/>'
                                          "</xsl:stylesheet>")
    module = _touch(tmp_path / "common" / "a.xsl", "<xsl:stylesheet/>")
    unrelated = _touch(tmp_path / "text.xsl", "<xsl:stylesheet/>")
    first = stylesheet_closure_hash(entry)
    unrelated.write_text("<xsl:stylesheet><!-- changed --></xsl:stylesheet>", encoding="utf-8")
    assert stylesheet_closure_hash(entry) == first
    module.write_text("<xsl:stylesheet><!-- changed --></xsl:stylesheet>", encoding="utf-8")
    assert stylesheet_closure_hash(entry) != first
    assert stylesheet_closure_hash(tmp_path / "missing.xsl") is None


def test_combine_distinguishes_parts() -> None:
    assert combine("ab", "c") != combine("a", "bc")
    assert combine(None, "x") != combine("x", None)


# --- staleness -----------------------------------------------------------------------------


def _record(tmp_path: Path, keys: dict[str, str]) -> dict:
    outputs = {}
    for target, (folder, suffix) in {"html": ("html", ".html"),
                                     "text": ("text", ".txt")}.items():
        if target in keys:
            path = _touch(tmp_path / folder / f"d{suffix}", target)
            outputs[target] = OutputRecord.of_file(tmp_path, f"{folder}/d{suffix}",
                                                   path.read_bytes()).to_dict()
    return {"status": "ok", "base": "B", "keys": keys, "outputs": outputs}


def test_stale_targets(tmp_path: Path) -> None:
    keys = {"html": "H", "text": "T"}
    record = _record(tmp_path, keys)
    assert _stale_targets(None, "B", keys, tmp_path) == {"html", "text"}
    assert _stale_targets(record, "B", keys, tmp_path) is None
    assert _stale_targets(record, "B2", keys, tmp_path) == {"html", "text"}
    assert _stale_targets(record, "B", {"html": "H2", "text": "T"}, tmp_path) == {"html"}
    assert _stale_targets(record, "B", {**keys, "tei": "B"}, tmp_path) == {"tei"}
    (tmp_path / "text" / "d.txt").unlink()
    assert _stale_targets(record, "B", keys, tmp_path) == {"text"}
    assert _stale_targets({"status": "failed", "base": "B"}, "B", keys, tmp_path) is None


def test_remove_stale_files_keeps_only_recorded_outputs(tmp_path: Path) -> None:
    keep = _touch(tmp_path / "html" / "keep.html")
    gone = _touch(tmp_path / "html" / "gone.html")
    temp = _touch(tmp_path / "tei" / ".x.xml.abc123.tmp")
    root_temp = _touch(tmp_path / ".report.json.abc.tmp")
    foreign = _touch(tmp_path / "html" / "style.css")
    manifest = Manifest(tmp_path)
    manifest.documents["a"] = {"outputs": {"html": {"path": "html/keep.html"}}}
    _remove_stale_files(tmp_path, manifest)
    manifest.close()
    assert keep.exists() and foreign.exists()
    assert not gone.exists() and not temp.exists() and not root_temp.exists()


# --- results -------------------------------------------------------------------------------


def test_summary_line_format() -> None:
    result = BuildResult(reports=[], outcome=Outcome.OK,
                         counts={"documents": 1204, "unchanged": 1180, "failed": 2,
                                 "warnings": 5},
                         timings={"total": 4.06})
    assert result.summary_line() == \
        "Built 1,204 documents (1,180 unchanged, 2 failed, 5 warnings) in 4.1 s"
    single = BuildResult(reports=[], outcome=Outcome.OK,
                         counts={"documents": 1, "unchanged": 0, "failed": 0, "warnings": 1},
                         timings={"total": 0.04})
    assert single.summary_line() == \
        "Built 1 document (0 unchanged, 0 failed, 1 warning) in 0.0 s"
    assert json.loads(json.dumps(result.to_dict()))["build"]["summary"].startswith("Built")


def test_crashed_document_is_a_failure_with_a_reason() -> None:
    task = DocumentTask(rel="a.txt", source="/x/a.txt", display="x/a.txt", kind="transcript",
                        out_dir="/o", out_display="o", targets=("html",))
    record = crashed_document(task, "the worker process died")
    assert record["failed"] and record["outputs"] == {}
    assert record["diagnostics"]["build"][0]["severity"] == "error"


def test_progress_bar(tmp_path: Path) -> None:
    stream = io.StringIO()
    bar = ProgressBar(10, enabled=True, stream=stream, width=10, delay=0.0)
    bar._last_draw = -1.0
    assert bar.render(1.25) == "[..........] 0/10 documents  1.2 s"
    bar.advance(5)
    assert "[#####.....] 5/10 documents" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith("\r")
    quiet = io.StringIO()
    hidden = ProgressBar(10, enabled=False, stream=quiet, delay=0.0)
    hidden.advance(10)
    hidden.close()
    assert quiet.getvalue() == ""


# --- options and executors -----------------------------------------------------------------


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        run_build(BuildOptions(source=tmp_path / "missing", out_dir=tmp_path / "out"))
    with pytest.raises(UsageError, match="--to takes"):
        run_build(BuildOptions(source=tmp_path, out_dir=tmp_path / "out",
                               targets=("html", "pdf")))
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="not a folder"):
        run_build(BuildOptions(source=tmp_path, out_dir=tmp_path / "file"))


def test_config_error_stops_the_build_with_its_location(tmp_path: Path) -> None:
    from pipeline.errors import ConfigError

    (tmp_path / "edition.toml").write_text("[edition]\nsubtitle = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        run_build(BuildOptions(source=tmp_path, out_dir=tmp_path / "out"))
    assert info.value.line == 2
    assert not (tmp_path / "out" / STORE_NAME).exists()


def test_make_executor_choices() -> None:
    assert isinstance(make_executor("local", jobs=4, scheduler=None, tasks=1), InlineExecutor)
    assert isinstance(make_executor("local", jobs=1, scheduler=None, tasks=9), InlineExecutor)
    assert isinstance(make_executor("local", jobs=2, scheduler=None, tasks=9), InlineExecutor)
    pool = make_executor("local", jobs=2, scheduler=None, tasks=40)
    assert isinstance(pool, LocalProcessExecutor) and pool.workers == 2
    with pytest.raises(UsageError):
        make_executor("local", jobs=2, scheduler="tcp://x:1", tasks=2)
    with pytest.raises(UsageError):
        make_executor("cluster", jobs=2, scheduler=None, tasks=2)


def _no_crash(task: object, reason: str) -> object:
    raise AssertionError(reason)


def test_process_pool_runs_every_task() -> None:
    executor = LocalProcessExecutor(2)
    try:
        results = sorted(executor.map_unordered(abs, range(-20, 0), _no_crash))
    finally:
        executor.close()
    assert results == list(range(1, 21))


def _run_with_a_dying_worker(total: int, dying: int, count: int | None) -> list[Any]:
    """The results of tasks 1..total in a pool of two, task ``dying`` killing its worker;
    a crashed task's result is ("crashed", its arguments)."""
    tasks = [partial(abs, -n) for n in range(1, total + 1)]
    tasks[dying - 1] = partial(os._exit, 3)
    executor = LocalProcessExecutor(2)
    try:
        return list(executor.map_unordered(operator.call, tasks,
                                           lambda task, reason: ("crashed", task.args), count))
    finally:
        executor.close()


def test_process_pool_survives_a_dying_worker() -> None:
    # the third task kills its worker: it is reported through the crash handler, every
    # other task (including those in flight at the time) still runs
    results = _run_with_a_dying_worker(10, 3, None)
    crashed = [r for r in results if isinstance(r, tuple)]
    assert crashed == [("crashed", (3,))]
    assert sorted(r for r in results if not isinstance(r, tuple)) == [1, 2, 4, 5, 6, 7, 8, 9, 10]
    assert hash_bytes(b"") == \
        "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"


def test_tasks_go_to_the_workers_in_batches_when_there_are_enough() -> None:
    from pipeline.executors import BATCH_TASKS, batch_size

    assert batch_size(None, 2) == 1
    assert batch_size(13, 2) == 1            # a dozen index pages: one at a time
    assert batch_size(40, 2) == BATCH_TASKS
    assert batch_size(1000, 2) == BATCH_TASKS
    assert batch_size(20, 2) == 2


def _pid_of_worker(task: int) -> tuple[int, int]:
    return task, os.getpid()


def test_process_pool_runs_every_task_of_every_batch() -> None:
    executor = LocalProcessExecutor(2)
    try:
        results = list(executor.map_unordered(_pid_of_worker, range(40), _no_crash, 40))
    finally:
        executor.close()
    assert sorted(task for task, _ in results) == list(range(40))
    # a batch's results arrive together, from one worker
    by_batch = [results[i:i + 4] for i in range(0, 40, 4)]
    assert all(len({pid for _, pid in batch}) == 1 for batch in by_batch)


def _note_start(folder: str) -> None:
    Path(folder, str(os.getpid())).touch()


def test_a_started_pool_sets_every_worker_up_before_any_task(tmp_path: Path) -> None:
    executor = LocalProcessExecutor(2, initializer=partial(_note_start, str(tmp_path)))
    try:
        executor.start()
        deadline = time.monotonic() + 60
        while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        started = {path.name for path in tmp_path.iterdir()}
        assert len(started) == 2   # both workers, before any task was given
        results = list(executor.map_unordered(_pid_of_worker, range(12), _no_crash, 12))
    finally:
        executor.close()
    assert sorted(task for task, _ in results) == list(range(12))   # only the tasks' results
    assert {str(pid) for _, pid in results} <= started               # and no other worker


def test_the_pool_starts_before_planning_only_when_every_document_is_built(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import SAMPLES

    started: list[int] = []
    real_start = _LazyExecutor.start

    def start(self: _LazyExecutor, count: int) -> None:
        started.append(count)
        real_start(self, count)

    monkeypatch.setattr(_LazyExecutor, "start", start)
    options = BuildOptions(source=SAMPLES, out_dir=tmp_path / "out", jobs=1)
    count = run_build(options).counts["documents"]
    assert count >= 2 and started == [count]            # the first build
    assert run_build(options).counts["unchanged"] == count
    assert started == [count]                           # a rebuild with nothing to do
    real = Toolchain.current()
    changed = Toolchain(real.version, "another version of the code", real.schema,
                        real.stylesheets)
    monkeypatch.setattr(Toolchain, "current", classmethod(lambda cls, root=None: changed))
    assert run_build(options).counts["built"] == count
    assert started == [count, count]                    # another version of the tool
    assert run_build(options).counts["unchanged"] == count
    assert started == [count, count]


def _slowly(task: int) -> int:
    time.sleep(0.1)
    return task


def test_idle_work_is_done_while_the_workers_are_busy() -> None:
    pieces: list[float] = []

    def idle() -> bool:
        pieces.append(time.monotonic())
        return len(pieces) < 5      # five pieces of work, then no more

    executor = LocalProcessExecutor(2)
    try:
        results = list(executor.map_unordered(_slowly, range(6), _no_crash, 6, idle=idle))
    finally:
        executor.close()
    assert sorted(results) == list(range(6))
    assert len(pieces) == 5


def test_process_pool_survives_a_dying_worker_in_a_batch() -> None:
    # the task that kills its worker is in a batch of four: the batches in flight are run
    # again one task at a time, and only that task is reported as crashed
    results = _run_with_a_dying_worker(40, 14, 40)
    crashed = [r for r in results if isinstance(r, tuple)]
    assert crashed == [("crashed", (3,))]
    assert sorted(r for r in results if not isinstance(r, tuple)) == \
        [n for n in range(1, 41) if n != 14]


class _PoolBreakingAtSubmit:
    """A stand-in for the process pool whose ``submit`` finds it broken at a chosen call,
    as a real pool is when a worker dies between the build's look at its futures and its
    next submission."""

    submits = 0

    def __init__(self, break_at: int | None) -> None:
        self.break_at = break_at

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        _PoolBreakingAtSubmit.submits += 1
        if _PoolBreakingAtSubmit.submits == self.break_at:
            raise BrokenProcessPool("a worker died")
        future: Future[Any] = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


@pytest.mark.parametrize("break_at", [1, 2, 3, 5, 8])
def test_a_pool_found_broken_when_submitting_loses_no_task(
        monkeypatch: pytest.MonkeyPatch, break_at: int) -> None:
    _PoolBreakingAtSubmit.submits = 0
    executor = LocalProcessExecutor(2)
    monkeypatch.setattr(executor, "_new_pool", lambda: _PoolBreakingAtSubmit(break_at))
    results = list(executor.map_unordered(abs, range(-40, 0), _no_crash, 40))
    assert sorted(results) == list(range(1, 41))   # each once, none reported as crashed


def test_workers_end_when_the_build_process_is_gone(tmp_path: Path) -> None:
    # a build process that starts a pool and is killed: its workers must not linger
    script = tmp_path / "pool.py"
    script.write_text(
        "import os, sys, time\n"
        "from pipeline.executors import LocalProcessExecutor\n"
        "def main():\n"
        "    ex = LocalProcessExecutor(2)\n"
        "    results = list(ex.map_unordered(abs, [-1, -2, -3, -4], None))\n"
        "    pids = [p.pid for p in ex._pool._processes.values()]\n"
        "    print(' '.join(map(str, pids)), flush=True)\n"
        "    time.sleep(60)\n"
        "if __name__ == '__main__':\n"
        "    main()\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                               text=True, cwd=Path(__file__).resolve().parent.parent,
                               env={**os.environ, "PYTHONPATH": str(
                                   Path(__file__).resolve().parent.parent)})
    assert process.stdout is not None
    pids = [int(p) for p in process.stdout.readline().split()]
    assert len(pids) == 2
    process.kill()
    process.wait()
    deadline = time.monotonic() + 15
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in pids if _running(pid)]
    assert alive == []


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has ended
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def test_index_pages_are_planned_in_listing_order_with_bounded_sizes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.build as build_module

    monkeypatch.setattr(build_module, "PAGE_DOCUMENTS", 2)
    monkeypatch.setattr(build_module, "PAGE_PERSON_ENTRIES", 2)
    documents = [
        ("c", "hash-c", {"when": None, "title": "Undated", "persons": [["mao", "Mao Zedong"]]}),
        ("b", "hash-b", {"when": "1960-01-02", "title": "B", "persons": [["zhou", "Zhou"]]}),
        ("a", "hash-a", {"when": "1960-01-02", "title": "A",
                         "persons": [["mao", "Mao"], ["zhou", "Zhou Enlai"]]}),
    ]
    pages = build_module.plan_index_pages(documents)
    assert [name for name, _, _ in pages] == ["html/index.html", "html/index-2.html",
                                              "html/persons.html", "html/persons-2.html"]
    # the listing: by date, then title; undated last
    assert pages[0][2] == [("hash-a", None), ("hash-b", None)]
    assert pages[1][2] == [("hash-c", None)]
    assert pages[0][1] == {"part": "documents", "page": 1, "pages": 2, "first": 1,
                           "total": 3, "persons-pages": 2}
    assert pages[1][1]["first"] == 3
    # the persons: by name (the first form met in listing order), each with its documents
    # in listing order, two entries to a page, ranked so the stylesheet keeps this order
    assert pages[2][2] == [("hash-a", (("mao", 1),)), ("hash-c", (("mao", 1),))]
    assert pages[3][2] == [("hash-a", (("zhou", 2),)), ("hash-b", (("zhou", 2),))]
    assert pages[3][1] == {"part": "persons", "page": 2, "pages": 2}


def test_an_empty_edition_has_one_empty_listing_page() -> None:
    from pipeline.build import plan_index_pages

    assert plan_index_pages([]) == [("html/index.html", {
        "part": "documents", "page": 1, "pages": 1, "first": 1, "total": 0,
        "persons-pages": 0}, [])]


# --- the records index pages are given ------------------------------------------------------

_SUMMARY = "urn:tei-edition:summary"
#: two summary records as the build stores them: escaped text, a date without @when, a turn
#: spoken by two persons, turns without ids, an id that is no name (kept as it is, as in
#: a file from elsewhere), a ``who`` without ``#`` and one with spaces
_RECORDS = {
    "d1": ('<document xmlns="urn:tei-edition:summary" id="d1" href="d1.html" lang="en">'
           '<title>Talks &amp; "toasts" &lt;1&gt;</title><date>spring 1961</date>'
           '<summary>Summary one</summary><type>Memorandum</type><citation>f. 1</citation>'
           '<person id="a" role="participant">A. &amp; Co</person><person id="b">B</person>'
           '<person id="c">C</person><turn id="turn-1" who="#a">A.</turn>'
           '<turn id="turn-2" who="#b #a">B.</turn><turn who=" #a&#9;">A.</turn>'
           '<turn id="turn-4" who="c">C.</turn><turn>?</turn></document>'),
    "d2": ('<document xmlns="urn:tei-edition:summary" id="d2" href="d2.html">'
           '<title>Second</title><date when="1960-01-02">2 January 1960</date>'
           '<person id="a">Ann</person><turn id="t9" who="#a">A.</turn>'
           '<turn id="not an id" who="#a">A.</turn></document>'),
}


class _Store:
    def __init__(self, blobs: dict[str, bytes]) -> None:
        self.blobs = blobs

    def get(self, kind: str, digest: str) -> bytes | None:
        assert kind == "summary"
        return self.blobs.get(digest)


def _index_page(records: list[bytes], part: str) -> str:
    from pipeline.build import _workshop

    return _workshop().renderer.render_index(records, params={"part": part})


def test_listing_pages_are_given_records_cut_to_what_they_show() -> None:
    from pipeline.render.summary import listing_record

    full = [record.encode() for record in _RECORDS.values()]
    cut = [listing_record(record) for record in full]
    assert cut[0] == (b'<document xmlns="urn:tei-edition:summary" id="d1" href="d1.html" '
                      b'lang="en"><title>Talks &amp; "toasts" &lt;1&gt;</title>'
                      b'<date>spring 1961</date><summary>Summary one</summary></document>')
    assert b"<person" not in cut[1] and b"<turn" not in cut[1]
    assert _index_page(cut, "documents") == _index_page(full, "documents")
    # a record in another form is left for wrap_summaries to parse
    declared = b'<?xml version="1.0"?>' + full[1]
    assert listing_record(declared) == declared


@pytest.mark.parametrize("shown", [(("a", 1), ("b", 2), ("c", 3)), (("a", 4),), (("c", 1),)])
@pytest.mark.parametrize("from_store", [False, True])
def test_persons_pages_are_given_records_made_from_index_entries(
        shown: tuple[tuple[str, int], ...], from_store: bool) -> None:
    """A persons page made from the entries is the page that the full records give, with
    the persons not shown taken out and the others ranked."""
    from lxml import etree

    from pipeline.build import _persons_page_record, index_entry

    entries, store, reference = {}, {}, []
    ranks = dict(shown)
    for doc_id, text in _RECORDS.items():
        record = etree.fromstring(text.encode())
        entry = index_entry(record)
        if from_store:   # an entry kept by an older build: no turns
            entry = {k: v for k, v in entry.items() if k != "turns"}
        entries[f"hash-{doc_id}"] = (doc_id, entry)
        store[f"hash-{doc_id}"] = text.encode()
        for person in record.findall(f"{{{_SUMMARY}}}person"):
            if person.get("id") in ranks:
                person.set("rank", str(ranks[person.get("id")]))
            else:
                record.remove(person)
        reference.append(etree.tostring(record))
    made = [_persons_page_record(entries, _Store(store), f"hash-{doc_id}", shown)
            for doc_id in _RECORDS]
    assert b"<summary>" not in made[0] and b"A.</turn>" not in made[0]
    page = _index_page(made, "persons")
    assert page == _index_page(reference, "persons")
    if ranks.get("a"):
        assert 'href="d1.html#turn-2"' in page and ">2</a>, 3" in page  # no id: a number
    assert _persons_page_record(entries, _Store({}), "hash-d1", shown) == (
        b"" if from_store else made[0])


def test_person_turns_are_found_as_the_persons_index_finds_them() -> None:
    from lxml import etree

    from pipeline.render.summary import person_turns

    record = etree.fromstring(_RECORDS["d1"].encode())
    assert person_turns(record) == {"a": ["turn-1", "turn-2", ""], "b": ["turn-2"],
                                    "c": ["turn-4"]}


def _slow_unless_first(task: int) -> tuple[int, int]:
    if task:
        time.sleep(120)    # a long task, such as compiling tei_all
    return task, os.getpid()


def test_an_aborted_pool_ends_its_workers_without_waiting_for_their_tasks() -> None:
    executor = LocalProcessExecutor(2)
    results = executor.map_unordered(_slow_unless_first, range(4), _no_crash, 4)
    _, pid = next(results)                    # the workers are busy with the slow tasks now
    began = time.monotonic()
    executor.close(abort=True)
    assert time.monotonic() - began < 20
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)                       # the worker is gone, not left running
