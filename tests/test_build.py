"""``edition build`` end to end, as a user runs it: quick start, incremental rebuilds, failure
isolation, duplicate ids, targets, edition.toml, kill-and-resume, Dask equivalence, and the
shared corpus."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from pipeline.build import BuildOptions, run_build
from pipeline.cli import main
from pipeline.manifest import STORE_NAME, Toolchain
from tests.conftest import CORPUS, ROOT, SAMPLES

pytest.importorskip("pipeline.convert", reason="the converter has not landed yet")
pytest.importorskip("pipeline.validate", reason="the validator has not landed yet")
pytest.importorskip("pipeline.render", reason="the renderer has not landed yet")

if not any(SAMPLES.glob("*.txt")):
    pytest.skip("samples/ has no sample transcripts yet", allow_module_level=True)


# --- helpers -------------------------------------------------------------------------------

_DATE = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|"
                   r"November|December) (\d{1,2}), (\d{4})\b")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


def copy_samples(target: Path) -> Path:
    shutil.copytree(SAMPLES, target)
    return target


def synthetic_corpus(target: Path, count: int) -> Path:
    """``count`` transcripts made from the samples, each with its own date (so its own id)
    and a sentence of its own (so its own content hash)."""
    target.mkdir(parents=True)
    templates = sorted(SAMPLES.glob("*.txt"))
    for number in range(count):
        template = templates[number % len(templates)]
        text = template.read_text(encoding="utf-8")
        day = 1 + number % 28
        month = _MONTHS[(number // 28) % 12]
        year = 1950 + number // (28 * 12)
        text = _DATE.sub(f"{month} {day}, {year}", text)
        day_first = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|"
                               r"August|September|October|November|December) \d{4}\b")
        text = day_first.sub(f"{day} {month} {year}", text)
        stem = template.name.split("_", 1)[1]
        (target / f"{year}-{_MONTHS.index(month) + 1:02d}-{day:02d}_{number:03d}-{stem}"
         ).write_text(text, encoding="utf-8")
    return target


LETTER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
 <teiHeader>
  <fileDesc>
   <titleStmt><title type="main">Conversation of J. Adams with K. Baker, {printed}</title>
   </titleStmt>
   <publicationStmt><publisher>Test Archive</publisher></publicationStmt>
   <sourceDesc><bibl>Written for the build tests.</bibl></sourceDesc>
  </fileDesc>
  <profileDesc>
   <creation><date when="{iso}">{printed}</date></creation>
   <particDesc><listPerson>
    <person xml:id="adams" role="speaker"><persName>J. Adams</persName></person>
    <person xml:id="baker" role="speaker"><persName>K. Baker</persName></person>
   </listPerson></particDesc>
  </profileDesc>
 </teiHeader>
 <text><body><div type="record">
  <head>Conversation of J. Adams with K. Baker</head>
  <sp who="#adams" xml:id="turn-1"><speaker>Adams.</speaker><p>{line}</p></sp>
  <sp who="#baker" xml:id="turn-2"><speaker>Baker.</speaker><p>We agree on the timetable.</p></sp>
 </div></body></text>
</TEI>
"""


def letter(day: int, line: str = "The shipments leave on Monday.") -> str:
    return LETTER.format(iso=f"1950-03-{day:02d}", printed=f"{day} March 1950", line=line)


def letters_corpus(target: Path, count: int = 2) -> Path:
    """TEI letters written for these tests (TEI from "another project": rendered as they
    are), so the build machinery is tested apart from the converter and the schema."""
    target.mkdir(parents=True)
    for number in range(1, count + 1):
        (target / f"letter-{number:02d}.xml").write_text(letter(number), encoding="utf-8")
    return target


@pytest.fixture(autouse=True)
def _no_tei_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Foreign TEI is not checked against tei_all here (compiling it takes 10 s and more per
    process); the test that needs it says so."""
    monkeypatch.setenv("EDITION_TEI_ALL", str(tmp_path / "no-tei-all-here.rng"))


def build_cli(*args: str) -> tuple[int, str, dict]:
    result = CliRunner().invoke(main, ["build", *args])
    out_dir = Path(args[args.index("-o") + 1])
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8")) \
        if (out_dir / "report.json").exists() else {}
    return result.exit_code, result.output, report


def output_files(out_dir: Path) -> dict[str, bytes]:
    """Every edition file (not the reports, the manifest and the build's record store,
    which carry timings, modification times and paths)."""
    return {p.relative_to(out_dir).as_posix(): p.read_bytes()
            for p in sorted(out_dir.rglob("*"))
            if p.is_file() and p.parent != out_dir and ".build" not in p.parts}


def mtimes(out_dir: Path) -> dict[str, int]:
    return {p.relative_to(out_dir).as_posix(): p.stat().st_mtime_ns
            for p in out_dir.rglob("*")
            if p.is_file() and p.parent != out_dir and ".build" not in p.parts}


def test_output_files_helper_ignores_the_record_store(tmp_path: Path) -> None:
    (tmp_path / ".build" / "records").mkdir(parents=True)
    (tmp_path / ".build" / "records" / "x.json").write_text("{}", encoding="utf-8")
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "a.html").write_text("a", encoding="utf-8")
    assert output_files(tmp_path) == {"html/a.html": b"a"}


def documents(report: dict) -> dict[str, dict]:
    return {d["source"]: d for d in report["documents"]}


def check_links(html_dir: Path) -> dict[str, set[str]]:
    """Every relative link of every page resolves (file and #fragment); returns the links
    of each page (as output-relative paths)."""
    links: dict[str, set[str]] = {}
    for page in sorted(html_dir.glob("*.html")):
        tree = lxml_html.parse(str(page))
        targets = set()
        for anchor in tree.iter("a"):
            href = anchor.get("href")
            if not href or urlsplit(href).scheme or href.startswith("//"):
                continue
            parts = urlsplit(href)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.exists(), f"{page.name}: link {href!r} leads nowhere"
            if parts.fragment and target.suffix == ".html":
                ids = set(lxml_html.parse(str(target)).getroot().xpath("//@id"))
                assert parts.fragment in ids, f"{page.name}: no #{parts.fragment} in {target.name}"
            targets.add(target.relative_to(html_dir.parent).as_posix()
                        if html_dir.parent in target.parents else str(target))
        links[page.name] = targets
    return links


# --- quick start ---------------------------------------------------------------------------


def test_quick_start_builds_a_linked_valid_edition(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    copy_samples(tmp_path / "samples")
    code, output, report = build_cli("samples", "-o", "output", "--jobs", "1")
    assert code == 0, output
    assert re.search(r"^Built 2 documents \(0 unchanged, 0 failed, \d+ warnings?\) in "
                     r"\d+\.\d s$", output.strip().splitlines()[-1])
    out = tmp_path / "output"
    ids = [d["id"] for d in report["documents"]]
    assert len(ids) == len(set(ids)) == len(list(SAMPLES.glob("*.txt")))
    from pipeline.validate import Validator

    validator = Validator(schema="edition")
    for doc_id in ids:
        for relative in (f"tei/{doc_id}.xml", f"html/{doc_id}.html", f"text/{doc_id}.txt"):
            assert (out / relative).stat().st_size > 0, relative
        tree = etree.parse(str(out / "tei" / f"{doc_id}.xml"))
        assert validator.validate_tree(tree, f"tei/{doc_id}.xml").errors == 0
    for name in ("html/index.html", "report.json", "report.html"):
        assert (out / name).is_file(), name
    links = check_links(out / "html")
    # index -> every document; every document -> back to the index; index -> persons
    # index -> the documents where each person speaks -> back to the index
    for doc_id in ids:
        assert f"html/{doc_id}.html" in links["index.html"]
        assert "html/index.html" in links[f"{doc_id}.html"]
        assert f"html/{doc_id}.html" in links["persons.html"]
    assert "html/persons.html" in links["index.html"]
    assert "html/index.html" in links["persons.html"]
    # the report page links to each document
    report_page = (out / "report.html").read_text(encoding="utf-8")
    for doc_id in ids:
        assert f'href="html/{doc_id}.html"' in report_page


# --- incremental builds --------------------------------------------------------------------


def test_noop_rebuild_touches_nothing_and_one_change_rebuilds_one(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src", 3)
    settled = time.time() - 3600   # files changed just now are read again at the next build
    for path in src.iterdir():
        os.utime(path, (settled, settled))
    out = tmp_path / "out"
    options = BuildOptions(source=src, out_dir=out, jobs=1)
    first = run_build(options)
    assert first.counts["failed"] == 0 and first.counts["built"] == 3
    before = mtimes(out)
    manifest_before = (out / STORE_NAME).stat().st_mtime_ns

    again = run_build(options)
    assert again.counts["unchanged"] == again.counts["documents"] == 3
    assert again.rebuilt == []
    assert mtimes(out) == before
    assert (out / STORE_NAME).stat().st_mtime_ns == manifest_before  # not even written to
    assert "(3 unchanged, 0 failed" in again.summary_line()
    assert [r.diagnostics for r in again.reports] == [r.diagnostics for r in first.reports]

    # a change inside a document: that document only (the index shows nothing of it)
    changed = src / "letter-02.xml"
    changed.write_text(letter(2, "The shipments leave on Tuesday."), encoding="utf-8")
    third = run_build(options)
    assert third.rebuilt == ["letter-02.xml"]
    assert {d["source"]: d["rebuilt"] for d in third.documents} == {
        "letter-01.xml": False, "letter-02.xml": True, "letter-03.xml": False}
    after = mtimes(out)
    rewritten = {path for path in after if after[path] != before.get(path)}
    assert rewritten == {"tei/letter-02.xml", "html/letter-02.html", "text/letter-02.txt"}
    assert (out / STORE_NAME).stat().st_mtime_ns != manifest_before

    # a change the index shows (the date): the document and the index pages (the listing,
    # and the persons index, which shows each document's date)
    changed.write_text(letter(20, "The shipments leave on Tuesday."), encoding="utf-8")
    before = mtimes(out)
    fourth = run_build(options)
    after = mtimes(out)
    rewritten = {path for path in after if after[path] != before.get(path)}
    assert fourth.rebuilt == ["letter-02.xml"]
    assert rewritten == {"tei/letter-02.xml", "html/letter-02.html", "text/letter-02.txt",
                         "html/index.html", "html/persons.html"}
    assert "20 March 1950" in (out / "html" / "index.html").read_text(encoding="utf-8")


def test_stylesheet_change_rebuilds_what_it_renders(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    src = letters_corpus(tmp_path / "src")
    out = tmp_path / "out"
    options = BuildOptions(source=src, out_dir=out, jobs=1)
    run_build(options)
    before = mtimes(out)
    real = Toolchain.current()
    changed = Toolchain(real.version, real.code, real.schema,
                        {**real.stylesheets, "text": "another text stylesheet"})
    monkeypatch.setattr(Toolchain, "current", classmethod(lambda cls, root=None: changed))
    result = run_build(options)
    assert result.counts["built"] == 2
    after = mtimes(out)
    rewritten = {path for path in after if after[path] != before[path]}
    assert rewritten and all(path.startswith("text/") for path in rewritten)


def test_damaged_or_deleted_outputs_are_repaired(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src")
    out = tmp_path / "out"
    options = BuildOptions(source=src, out_dir=out, jobs=1)
    run_build(options)
    good = output_files(out)
    first, second = sorted(p.stem for p in (out / "tei").glob("*.xml"))
    (out / "html" / f"{first}.html").write_text("damaged", encoding="utf-8")
    (out / "html" / "index.html").unlink()
    (out / "text" / f"{second}.txt").unlink()
    result = run_build(options)
    assert output_files(out) == good
    assert result.counts["built"] == 2


def test_vanished_sources_lose_their_outputs(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src")
    out = tmp_path / "out"
    options = BuildOptions(source=src, out_dir=out, jobs=1)
    report = run_build(options).to_dict()
    gone = src / "letter-01.xml"
    gone_id = documents(report)[gone.name]["id"]
    gone.unlink()
    result = run_build(options)
    assert result.counts["documents"] == 1
    remaining = output_files(out)
    assert not any(gone_id in path for path in remaining)
    assert gone_id.encode() not in remaining["html/index.html"]


def test_clean_rebuilds_everything(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src")
    out = tmp_path / "out"
    run_build(BuildOptions(source=src, out_dir=out, jobs=1))
    (out / "html" / "stray.html").write_text("x", encoding="utf-8")
    result = run_build(BuildOptions(source=src, out_dir=out, jobs=1, clean=True))
    assert result.counts["built"] == 2
    assert not (out / "html" / "stray.html").exists()


# --- failures, strictness, duplicates, targets, edition.toml --------------------------------


def test_failing_documents_are_reported_and_skipped(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src")
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "doctype.xml").write_text('<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "x.dtd">\n'
                                     '<TEI xmlns="http://www.tei-c.org/ns/1.0"/>\n',
                                     encoding="utf-8")
    (src / "broken.xml").write_text("<TEI><teiHeader></TEI>", encoding="utf-8")
    out = tmp_path / "out"
    code, output, report = build_cli(str(src), "-o", str(out), "--jobs", "1")
    assert code == 1
    docs = documents(report)
    for name, code_word in (("empty.txt", "empty"), ("doctype.xml", "xml-doctype"),
                            ("broken.xml", "xml-malformed")):
        assert docs[name]["status"] == "failed"
        assert code_word in docs[name]["reason"], docs[name]["reason"]
        assert docs[name]["outputs"] == {}
    built = [d for d in docs.values() if d["status"] != "failed"]
    assert len(built) == 2 and all(len(d["outputs"]) == 3 for d in built)
    assert "3 failed" in output
    assert "doctype.xml:2:1: error[xml-doctype]" in output
    # unchanged failures are reported again, without redoing them
    code, output, report = build_cli(str(src), "-o", str(out), "--jobs", "1")
    assert code == 1
    assert "(5 unchanged, 3 failed" in output


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src")
    out = tmp_path / "out"
    code, output, report = build_cli(str(src), "-o", str(out), "--jobs", "1", "--strict")
    assert code == 0, output
    (src / "again").mkdir()
    shutil.copy(src / "letter-01.xml", src / "again" / "letter-01.xml")  # a duplicate id
    code, output, report = build_cli(str(src), "-o", str(out), "--jobs", "1")
    assert code == 0
    assert report["build"]["counts"]["warnings"] == 1
    assert "warning[build-duplicate-id]" in output
    code, output, _report = build_cli(str(src), "-o", str(out), "--jobs", "1", "--strict")
    assert code == 3  # warnings of unchanged documents count too
    assert "(3 unchanged, 0 failed, 1 warning)" in output


def test_duplicate_ids_are_disambiguated_deterministically(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src")
    (src / "b").mkdir()
    shutil.copy(src / "letter-01.xml", src / "b" / "letter-01.xml")
    (src / "a").mkdir()
    (src / "a" / "letter-01.xml").write_text(letter(7), encoding="utf-8")
    out = tmp_path / "out"
    result = run_build(BuildOptions(source=src, out_dir=out, jobs=1))
    docs = {d["source"]: d for d in result.to_dict()["documents"]}
    # by path: a/letter-01.xml < b/letter-01.xml < letter-01.xml
    assert docs["a/letter-01.xml"]["id"] == "letter-01"
    assert docs["b/letter-01.xml"]["id"] == "letter-01-2"
    assert docs["letter-01.xml"]["id"] == "letter-01-3"
    assert [d["code"] for d in docs["letter-01.xml"]["problems"]] == ["build-duplicate-id"]
    assert "7 March 1950" in (out / "text" / "letter-01.txt").read_text(encoding="utf-8")
    # a clean build gives the same edition
    clean = tmp_path / "clean"
    run_build(BuildOptions(source=src, out_dir=clean, jobs=1))
    assert output_files(clean) == output_files(out)
    # the first one goes away: the next takes its id back, the last follows
    shutil.rmtree(src / "a")
    result = run_build(BuildOptions(source=src, out_dir=out, jobs=1))
    docs = {d["source"]: d for d in result.to_dict()["documents"]}
    assert docs["b/letter-01.xml"]["id"] == "letter-01"
    assert docs["letter-01.xml"]["id"] == "letter-01-2"
    assert not (out / "tei" / "letter-01-3.xml").exists()
    assert "7 March 1950" not in (out / "text" / "letter-01.txt").read_text(encoding="utf-8")
    run_build(BuildOptions(source=src, out_dir=tmp_path / "clean2", jobs=1))
    assert output_files(out) == output_files(tmp_path / "clean2")


def test_duplicate_transcripts_get_their_id_in_the_tei(tmp_path: Path) -> None:
    src = copy_samples(tmp_path / "src")
    original = sorted(src.glob("*.txt"))[0]
    shutil.copy(original, src / f"zz-copy-of-{original.name}")
    out = tmp_path / "out"
    result = run_build(BuildOptions(source=src, out_dir=out, jobs=1))
    docs = {d["source"]: d for d in result.to_dict()["documents"]}
    first, copy = docs[original.name], docs[f"zz-copy-of-{original.name}"]
    assert first["status"] == copy["status"]
    if first["status"] == "failed":
        pytest.skip(f"the sample does not build: {first['reason']}")
    assert copy["id"] == f"{first['id']}-2"
    tei = (out / "tei" / f"{copy['id']}.xml").read_bytes()
    assert f'xml:id="{copy["id"]}"'.encode() in tei


def test_targets_from_the_command_line_and_edition_toml(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src")
    out = tmp_path / "out"
    code, output, _ = build_cli(str(src), "-o", str(out), "--to", "text", "--jobs", "1")
    assert code == 0, output
    assert {p.split("/")[0] for p in output_files(out)} == {"text"}
    (src / "edition.toml").write_text('[edition]\ntitle = "A Test Edition"\n'
                                      '[build]\noutputs = ["html", "tei"]\n', encoding="utf-8")
    code, output, _ = build_cli(str(src), "-o", str(out), "--jobs", "1")
    assert code == 0, output
    assert {p.split("/")[0] for p in output_files(out)} == {"html", "tei"}
    assert "A Test Edition" in (out / "report.html").read_text(encoding="utf-8")
    code, output, _ = build_cli(str(src), "-o", str(out), "--to", "html,pdf")
    assert code == 2 and "--to takes" in output


def test_edition_toml_errors_are_located(tmp_path: Path) -> None:
    src = copy_samples(tmp_path / "src")
    (src / "edition.toml").write_text('[edition]\ntitle = "T"\n\n[persons.mao]\n'
                                      'name = "Mao"\nwikidta = "Q5816"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{src / 'edition.toml'}:6:1: error[config-unknown-key]: unknown key wikidta" \
        in result.output


def test_json_output(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src")
    result = CliRunner().invoke(main, ["build", str(src), "-o", str(tmp_path / "out"),
                                       "--jobs", "1", "--format", "json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["build"]["counts"]["documents"] == 2
    assert payload["build"]["summary"].startswith("Built 2 documents")


# --- a build killed midway -----------------------------------------------------------------


def _complete(path: Path) -> bool:
    data = path.read_bytes()
    if path.suffix == ".xml":
        etree.fromstring(data)
        return True
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    return len(data) > 0


@pytest.mark.slow
def test_killed_build_resumes_to_a_correct_edition(tmp_path: Path) -> None:
    src = synthetic_corpus(tmp_path / "src", 40)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "build", str(src), "-o", str(out),
               "--jobs", "2", "-q"]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if len(list((out / "html").glob("*.html"))) >= 4:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the build finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    partial = [p for p in out.rglob("*") if p.is_file() and not p.name.endswith(".tmp")]
    assert partial, "nothing was written before the kill"
    for path in partial:
        assert _complete(path), f"{path} is incomplete after the kill"

    resumed = run_build(BuildOptions(source=src, out_dir=out, jobs=2))
    assert resumed.counts["documents"] == 40
    assert not [p for p in out.rglob("*.tmp")], "temporary files left behind"
    clean = tmp_path / "clean"
    fresh = run_build(BuildOptions(source=src, out_dir=clean, jobs=2))
    assert resumed.counts["failed"] == fresh.counts["failed"]
    assert [d["id"] for d in resumed.documents] == [d["id"] for d in fresh.documents]
    assert output_files(out) == output_files(clean)


# --- Dask ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_dask_build_is_identical_to_a_local_build(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    src = synthetic_corpus(tmp_path / "src", 8)
    local = tmp_path / "local"
    run_build(BuildOptions(source=src, out_dir=local, jobs=2))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        on_dask = tmp_path / "dask"
        result = run_build(BuildOptions(source=src, out_dir=on_dask, executor="dask",
                                        scheduler=cluster.scheduler_address))
    assert result.counts["built"] == 8
    assert result.to_dict()["build"]["executor"] == "dask"
    assert output_files(on_dask) == output_files(local)


# --- the shared corpus ---------------------------------------------------------------------


def shared_corpus() -> Path:
    for candidate in (CORPUS, Path(os.environ.get("EDITION_SHARED", "/nonexistent")) / "corpus"):
        if candidate.is_dir():
            return candidate
    pytest.skip("../shared/corpus is not beside the project checkout")


@pytest.mark.corpus
@pytest.mark.slow
def test_shared_corpus_every_document_builds_or_has_a_reason(tmp_path: Path) -> None:
    corpus = shared_corpus()
    out = tmp_path / "out"
    result = run_build(BuildOptions(source=corpus, out_dir=out, jobs=2))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    listed = documents(report)
    sources = [p for p in corpus.rglob("*")
               if p.suffix in (".txt", ".html", ".xml") and p.is_file()]
    assert len(listed) == len(sources) == result.counts["documents"]
    for source in sources:
        entry = listed[source.relative_to(corpus).as_posix()]
        if entry["status"] == "failed":
            assert entry["reason"].strip(), entry
        else:
            assert entry["outputs"], entry
            for relative in entry["outputs"].values():
                assert (out / relative).stat().st_size > 0
    foreign = [d for d in listed.values() if d["source"].startswith("foreign-tei/")]
    assert sum(d["status"] != "failed" for d in foreign) >= len(foreign) // 2
    transcripts = [d for d in listed.values() if not d["source"].startswith("foreign-tei/")]
    assert sum(d["status"] != "failed" for d in transcripts) >= len(transcripts) // 2
    check_links(out / "html")


def test_reports_survive_noop_rebuilds_and_damage(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src")
    out = tmp_path / "out"
    options = BuildOptions(source=src, out_dir=out, jobs=1)
    run_build(options)
    first = json.loads((out / "report.json").read_text(encoding="utf-8"))
    run_build(options)  # the per-document part is carried over from the previous report
    second = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert second["documents"] == first["documents"]
    assert second["build"]["counts"]["unchanged"] == 2 and second["build"]["rebuilt"] == []
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count('<tr class="') == 2 and page.rstrip().endswith("</html>")
    assert "(2 unchanged, 0 failed" in page
    # a damaged report is written again in full
    data = (out / "report.json").read_bytes()
    (out / "report.json").write_bytes(data[:-40])
    (out / "report.html").write_text("<html>", encoding="utf-8")
    run_build(options)
    third = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert third["documents"] == first["documents"]
    assert (out / "report.html").read_text(encoding="utf-8").count('<tr class="') == 2
    for entry in third["documents"]:
        assert [d["code"] for d in entry["diagnostics"]] == ["build-foreign-unchecked"]


def test_the_report_written_while_the_index_renders_is_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a pool, the documents' part of the report is written while the workers render
    the index pages; it is the part a build in one process writes after them."""
    import pipeline.build as build_module

    monkeypatch.setattr(build_module, "PAGE_DOCUMENTS", 2)
    real_write_index = build_module._write_index
    written_meanwhile: list[int] = []

    def write_index(*args: object, idle: object = None) -> None:
        real_write_index(*args, idle=idle)  # type: ignore[arg-type]
        written_meanwhile.append(idle.__self__.json_size)  # type: ignore[attr-defined]

    monkeypatch.setattr(build_module, "_write_index", write_index)
    src = letters_corpus(tmp_path / "src", 20)
    parts = {}
    for jobs in (1, 2):
        out = tmp_path / f"out-{jobs}"
        result = run_build(BuildOptions(source=src, out_dir=out, jobs=jobs))
        assert result.counts["built"] == 20 and result.settings["jobs"] == jobs
        report = (out / "report.json").read_text(encoding="utf-8")
        page = (out / "report.html").read_text(encoding="utf-8")
        parts[jobs] = (report[report.index('"documents": ['):], page[page.index("<tbody>"):])
        assert json.loads(report)["build"]["counts"]["built"] == 20
        assert page.count('<tr class="ok">') == 20 and page.rstrip().endswith("</html>")
    assert written_meanwhile[0] == 0 < written_meanwhile[1]   # one process: written after
    assert parts[1] == parts[2]


# --- index pages ---------------------------------------------------------------------------


def test_index_pages_are_bounded_linked_and_incremental(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.build as build_module

    monkeypatch.setattr(build_module, "PAGE_DOCUMENTS", 2)
    monkeypatch.setattr(build_module, "PAGE_PERSON_ENTRIES", 3)
    src = letters_corpus(tmp_path / "src", 5)
    out = tmp_path / "out"
    options = BuildOptions(source=src, out_dir=out, jobs=1)
    assert run_build(options).outcome.value == "ok"
    html_dir = out / "html"
    listing = ["index.html", "index-2.html", "index-3.html"]
    persons = ["persons.html", "persons-2.html", "persons-3.html", "persons-4.html"]
    assert sorted(p.name for p in html_dir.glob("index*.html")) == sorted(listing)
    assert sorted(p.name for p in html_dir.glob("persons*.html")) == sorted(persons)
    links = check_links(html_dir)   # every link of every page resolves
    # each letter is listed once, in date order, two to a page; the pages link each other
    listed = []
    for name in listing:
        page = lxml_html.parse(str(html_dir / name)).getroot()
        listed += page.xpath("//article[@class='ed-hit']/h2/a/@href")
        assert {f"html/{other}" for other in listing if other != name} <= links[name]
        assert "html/persons.html" in links[name]
    assert listed == [f"letter-{n:02d}.html" for n in range(1, 6)]
    first = lxml_html.parse(str(html_dir / "index-2.html")).getroot()
    assert "3 - 4 of 5" in first.text_content()
    # the persons index: Adams in five letters, then Baker, three entries to a page
    entries = []
    for name in persons:
        page = lxml_html.parse(str(html_dir / name)).getroot()
        for dd in page.xpath("//section[@class='ed-person-index']//dd"):
            name = dd.xpath("preceding-sibling::dt[1]")[0].text_content()
            entries.append((name, dd.find("a").get("href")))
    names = [name for name, _ in entries]
    assert names == ["J. Adams"] * 5 + ["K. Baker"] * 5
    assert [href for _, href in entries] == [f"letter-{n:02d}.html" for n in range(1, 6)] * 2

    # a change the index shows (one letter's date moves to the end): only the pages whose
    # content changed are written again
    before = mtimes(out)
    (src / "letter-02.xml").write_text(letter(28), encoding="utf-8")
    assert run_build(options).rebuilt == ["letter-02.xml"]
    after = mtimes(out)
    rewritten = {path for path in after if after[path] != before.get(path)}
    assert "html/index.html" in rewritten and "html/index-3.html" in rewritten
    assert not {"html/letter-01.html", "html/letter-03.html"} & rewritten

    # fewer documents, fewer pages: the pages no longer needed are removed
    for number in (3, 4, 5):
        (src / f"letter-{number:02d}.xml").unlink()
    run_build(options)
    assert sorted(p.name for p in html_dir.glob("index*.html")) == ["index.html"]
    assert sorted(p.name for p in html_dir.glob("persons*.html")) == ["persons-2.html",
                                                                     "persons.html"]
    check_links(html_dir)


def test_settled_sources_are_not_read_again_and_changes_are_still_seen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.build as build_module

    src = letters_corpus(tmp_path / "src", 3)
    hour_ago = time.time() - 3600
    for path in src.iterdir():
        os.utime(path, (hour_ago, hour_ago))
    options = BuildOptions(source=src, out_dir=tmp_path / "out", jobs=1)
    run_build(options)
    hashed: list[str] = []
    real_hash = build_module.hash_file

    def counting_hash(path: str, buffer: bytearray | None = None) -> str:
        hashed.append(Path(path).name)
        return real_hash(path, buffer)

    monkeypatch.setattr(build_module, "hash_file", counting_hash)
    assert run_build(options).rebuilt == []
    assert hashed == []   # their status is the one recorded with their hashes

    # same size, modification time put back: the change time and the content give it away
    changed = src / "letter-02.xml"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("Monday", "Friday"), encoding="utf-8")
    os.utime(changed, (hour_ago, hour_ago))
    assert run_build(options).rebuilt == ["letter-02.xml"]
    assert hashed == ["letter-02.xml"]


def test_a_damaged_build_store_makes_its_documents_rebuild(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src", 2)
    out = tmp_path / "out"
    options = BuildOptions(source=src, out_dir=out, jobs=1)
    first = output_files(out) if run_build(options) else {}
    store = out / ".build" / "store.sqlite"
    assert store.is_file()
    store.write_bytes(b"not a database" * 100)
    second = run_build(options)
    assert second.outcome.value == "ok"
    assert second.rebuilt == ["letter-01.xml", "letter-02.xml"]
    assert output_files(out) == first
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [d["status"] for d in report["documents"]] == ["ok", "ok"]
    assert run_build(options).rebuilt == []


def test_converted_tei_that_fails_validation_is_kept_with_located_errors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.convert as convert_module

    real_convert = convert_module.convert_path

    def convert_with_a_dangling_pointer(*args: object, **kwargs: object) -> object:
        conversion = real_convert(*args, **kwargs)
        sp = conversion.tree.getroot().find(".//{http://www.tei-c.org/ns/1.0}sp")
        sp.set("who", "#nobody")
        conversion.__dict__.pop("tei_bytes", None)   # serialised again from the tree
        return conversion

    monkeypatch.setattr(convert_module, "convert_path", convert_with_a_dangling_pointer)
    src = copy_samples(tmp_path / "src")
    out = tmp_path / "out"
    result = run_build(BuildOptions(source=src, out_dir=out, jobs=1))
    failed = [d for d in result.documents if d["status"] == "failed"]
    assert len(failed) == 2
    for entry in failed:
        problems = [p for p in entry["problems"] if p["code"] == "ed-who-resolves"]
        assert problems, entry["problems"]
        # located in the kept file, at the line of the broken pointer
        path = Path(problems[0]["path"])
        assert path.name.endswith(".xml") and "invalid" in path.parts, problems[0]
        lines = (out / "invalid" / path.name).read_text(encoding="utf-8").splitlines()
        assert 'who="#nobody"' in lines[problems[0]["line"] - 1]
    assert not list(out.glob("tei/*.xml"))   # invalid TEI is never published


def test_a_file_name_that_is_not_utf8_is_reported_and_the_rest_built(tmp_path: Path) -> None:
    src = letters_corpus(tmp_path / "src", 2)
    odd = os.path.join(os.fsencode(src), b"caf\xe9.xml")
    with open(odd, "wb") as handle:
        handle.write(letter(3, "A letter with a Latin-1 name.").encode("utf-8"))
    result = run_build(BuildOptions(source=src, out_dir=tmp_path / "out", jobs=1))
    assert result.counts["built"] == 2 and result.counts["failed"] == 0
    # a warning: the build succeeds, and fails under --strict
    assert result.counts["warnings"] == 1 and result.outcome.value == "ok"
    (warning,) = [d for r in result.reports for d in r.diagnostics]
    assert warning.code == "build-name-encoding" and "caf\ufffd.xml" in warning.path
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["ignored"][0]["path"] == "caf\ufffd.xml"


def test_a_render_warning_is_reported_once_whichever_outputs_are_built(
        tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "letter-01.xml").write_text(
        letter(1, "We read <workName>Faust</workName> together."), encoding="utf-8")
    for targets in (("html", "text", "tei"), ("html",), ("text",)):
        out = tmp_path / "-".join(targets)
        result = run_build(BuildOptions(source=src, out_dir=out, targets=targets, jobs=1))
        (report,) = result.reports
        assert [d.code for d in report.diagnostics] == ["render-unknown-element"], targets
        assert result.counts["warnings"] == 1
        (entry,) = result.documents
        assert entry["warnings"] == 1 and len(entry["problems"]) == 1
        written = json.loads((out / "report.json").read_text(encoding="utf-8"))
        (document,) = written["documents"]
        assert document["counts"]["warnings"] == 1
        assert [d["code"] for d in document["diagnostics"]
                if d["severity"] == "warning"] == ["render-unknown-element"]
        assert written["build"]["counts"]["warnings"] == 1
        html_report = (out / "report.html").read_text(encoding="utf-8")
        assert html_report.count("render-unknown-element") == 1


def test_document_pages_link_to_what_the_build_publishes(tmp_path: Path) -> None:
    from pipeline.render import render_paths

    src = letters_corpus(tmp_path / "src", 2)
    out = tmp_path / "out"

    def bar_links(page: Path) -> dict[str, str]:
        tree = lxml_html.parse(str(page))
        return {a.text_content(): a.get("href")
                for a in tree.xpath("//p[@class='ed-bar-title']/a")}

    run_build(BuildOptions(source=src, out_dir=out, jobs=1))
    assert bar_links(out / "html" / "letter-01.html") == {
        "Edition index": "index.html", "TEI": "../tei/letter-01.xml",
        "Plain text": "../text/letter-01.txt", "Build report": "../report.html"}
    links = check_links(out / "html")   # every link of every page resolves
    assert {"tei/letter-02.xml", "text/letter-02.txt", "report.html"} <= links["letter-02.html"]
    # fewer outputs: the pages are rendered again, without the links to what is gone
    run_build(BuildOptions(source=src, out_dir=out, targets=("html", "text"), jobs=1))
    assert bar_links(out / "html" / "letter-01.html") == {
        "Edition index": "index.html", "Plain text": "../text/letter-01.txt",
        "Build report": "../report.html"}
    check_links(out / "html")
    run_build(BuildOptions(source=src, out_dir=out, targets=("html",), jobs=1))
    assert set(bar_links(out / "html" / "letter-01.html")) == {"Edition index",
                                                                "Build report"}
    check_links(out / "html")
    # a page rendered on its own links to none of them
    alone = tmp_path / "alone"
    render_paths([src / "letter-01.xml"], to="html", out_dir=alone)
    assert bar_links(alone / "letter-01.html") == {}


def test_every_diagnostic_names_its_file_as_the_build_shows_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A converter's diagnostics (about the transcript or its sidecar) and a TEI file's name
    the files the same way: relative to where the build was started, not absolute."""
    src = tmp_path / "src"
    src.mkdir()
    transcript = CORPUS / "transcripts" / "1949-12-16_stalin-mao_wcpdf-layout.txt"
    shutil.copy(transcript, src / transcript.name)
    (src / "letter-01.xml").write_text(
        letter(1, "We read <workName>Faust</workName> together."), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run_build(BuildOptions(source=Path("src"), out_dir=Path("out"), jobs=1))
    written = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    paths = {d["path"] for document in written["documents"]
             for d in document["diagnostics"] if d.get("path")}
    assert f"src/{transcript.name}" in paths and "src/letter-01.xml" in paths
    assert not [path for path in paths if os.path.isabs(path)]
