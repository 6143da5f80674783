"""``edition render`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from pipeline.cli import main
from tests.test_render_support import CONVENTIONS_TEI, SEED_TEI, needs_seed

SEED_ID = "wcda-1960-08-29-khrushchev-suzuki"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["render", *args])


@needs_seed
def test_text_to_standard_output() -> None:
    result = run(str(SEED_TEI), "--to", "text")
    assert result.exit_code == 0, result.output
    assert "Khrushchev. I am glad to meet" in result.stdout
    assert "givesell" not in result.stdout


@needs_seed
def test_diplomatic_view_and_parameters() -> None:
    result = run(str(SEED_TEI), "--to", "text", "--view", "diplomatic", "-p", "width=60",
                 "-p", "speaker-labels=upper")
    assert result.exit_code == 0, result.output
    assert "givesell [handwritten]" in " ".join(result.stdout.split())
    assert "KHRUSHCHEV: I am glad" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 60


@needs_seed
def test_html_and_text_files_in_a_folder(tmp_path: Path) -> None:
    for target, suffix in (("html", ".html"), ("text", ".txt")):
        result = run(str(SEED_TEI), str(CONVENTIONS_TEI), "--to", target, "-o", str(tmp_path))
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"{SEED_ID}{suffix}").is_file()
        assert (tmp_path / f"wcda-1961-08-conventions{suffix}").is_file()
    page = (tmp_path / f"{SEED_ID}.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE HTML>") and 'id="turn-1"' in page
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporary files


@needs_seed
def test_index_page(tmp_path: Path) -> None:
    result = run(str(SEED_TEI), str(CONVENTIONS_TEI), "--to", "index", "-o", str(tmp_path),
                 "-p", "title=Soviet-Japanese relations")
    assert result.exit_code == 0, result.output
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<title>Soviet-Japanese relations</title>" in index
    assert f'href="{SEED_ID}.html#turn-1"' in index
    stdout = run(str(SEED_TEI), "--to", "index")
    assert stdout.exit_code == 0 and f'href="{SEED_ID}.html"' in stdout.stdout


@needs_seed
def test_usage_errors_exit_2() -> None:
    for args in (["-p", "width=abc"], ["-p", "nope=1"], ["-p", "width"],
                 ["-p", "speaker-labels=loud"]):
        result = run(str(SEED_TEI), "--to", "text", *args)
        assert result.exit_code == 2, (args, result.output)
        assert "error[" in result.stderr
    several = run(str(SEED_TEI), str(CONVENTIONS_TEI), "--to", "text")
    assert several.exit_code == 2 and "add -o DIR" in several.stderr


@needs_seed
def test_missing_and_malformed_documents_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI><text>", encoding="utf-8")
    result = run(str(tmp_path / "missing.xml"), str(bad), str(SEED_TEI), "--to", "text",
                 "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "missing.xml: error[input-missing]" in result.stderr
    assert "bad.xml:1:" in result.stderr and "error[xml-malformed]" in result.stderr
    assert (tmp_path / "out" / f"{SEED_ID}.txt").is_file()  # the good one is still rendered
    assert "Traceback" not in result.output


def test_warnings_fail_only_under_strict() -> None:
    relaxed = run(str(CONVENTIONS_TEI), "--to", "html")
    assert relaxed.exit_code == 0
    assert "warning[render-unknown-element]" in relaxed.stderr
    strict = run(str(CONVENTIONS_TEI), "--to", "html", "--strict")
    assert strict.exit_code == 3


def test_json_diagnostics(tmp_path: Path) -> None:
    result = run(str(CONVENTIONS_TEI), "--to", "text", "-o", str(tmp_path), "--format", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    codes = [d["code"] for f in payload["files"] for d in f["diagnostics"]]
    assert codes == ["render-unknown-element"]
    assert payload["files"][0]["diagnostics"][0]["line"] is not None


@needs_seed
def test_documents_sharing_an_id_are_written_as_id_2_id_3(tmp_path: Path) -> None:
    inputs = []
    for number in range(3):
        copy = tmp_path / "in" / f"copy{number}.xml"
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(SEED_TEI.read_bytes())
        inputs.append(str(copy))
    result = run(*inputs, str(CONVENTIONS_TEI), "--to", "text", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert names == sorted([f"{SEED_ID}.txt", f"{SEED_ID}-2.txt", f"{SEED_ID}-3.txt",
                            "wcda-1961-08-conventions.txt"])
    assert f"written as {SEED_ID}-2" in result.output and f"written as {SEED_ID}-3" in result.output


def test_a_folder_without_xml_is_said_so(tmp_path: Path) -> None:
    result = run(str(tmp_path), "--to", "html", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert f"{tmp_path}: warning[input-no-xml]" in result.output
