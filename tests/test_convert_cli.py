"""`edition convert` and `edition formats` as a user drives them (click's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from pipeline.cli import main
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "1961-03-14_orlov-tanabe.page.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_convert_to_stdout_with_report_on_stderr(runner: CliRunner) -> None:
    result = runner.invoke(main, ["convert", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    root = etree.fromstring(result.stdout_bytes)
    assert root.get("{http://www.w3.org/XML/1998/namespace}id") == "wcda-1961-03-14-orlov-tanabe"
    assert "wcda-page -> wcda-1961-03-14-orlov-tanabe: 7 turns by 2 speakers" in result.stderr
    assert ":1" in result.stderr and "info[review-" in result.stderr


def test_convert_to_folder_with_json_report(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "tei"
    report = tmp_path / "report.json"
    result = runner.invoke(main, ["convert", *map(str, sorted(SAMPLES.glob("*.txt"))),
                                  "-o", str(out), "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "wcda-1961-03-14-orlov-tanabe.xml", "wcda-1962-07-02-lindqvist-varga.xml"]
    data = json.loads(report.read_text())
    assert data["totals"] == {"files": 2, "errors": 0, "warnings": 0}
    details = data["files"][0]["details"]
    assert details["reader"] == "wcda-page" and details["turns"] == 7
    assert {"first", "last", "role"} <= set(details["accounting"][0])


def test_format_json_on_stdout(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["convert", str(SAMPLE), "-o", str(tmp_path), "--format",
                                  "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["files"][0]["summary"]["errors"] == 0


def test_several_sources_need_an_output_folder(runner: CliRunner) -> None:
    result = runner.invoke(main, ["convert", str(SAMPLE), str(SAMPLE)])
    assert result.exit_code == 2
    assert "add -o DIR" in result.stderr


def test_unknown_format_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["convert", str(SAMPLE), "--from", "nonsense"])
    assert result.exit_code == 2
    assert "unknown input format 'nonsense'" in result.stderr and "wcda-page" in result.stderr


@pytest.mark.parametrize(("setup", "code"), [
    (lambda d: d / "missing.txt", "input-missing"),
    (lambda d: d, "input-dir"),
    (lambda d: (d / "empty.txt").write_text("  \n") and d / "empty.txt", "input-empty"),
    (lambda d: (d / "bin.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50) and d / "bin.txt",
     "input-binary"),
])
def test_bad_input_is_a_located_error_not_a_traceback(runner: CliRunner, tmp_path: Path,
                                                      setup, code: str) -> None:
    path = setup(tmp_path)
    result = runner.invoke(main, ["convert", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"error[{code}" in result.stderr
    assert str(path) in result.stderr


def test_a_bad_file_does_not_stop_the_others(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["convert", str(tmp_path / "nope.txt"), str(SAMPLE), "-o",
                                  str(tmp_path / "out")])
    assert result.exit_code == 1
    assert (tmp_path / "out" / "wcda-1961-03-14-orlov-tanabe.xml").exists()


def test_windows_1252_input_is_decoded_and_reported(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Smith. We met \u201cyesterday\u201d \u2013 as agreed.\n\n"
                     "Jones. Yes.\n\nSmith. Good.\n".encode("cp1252"))
    result = runner.invoke(main, ["convert", str(path)])
    assert result.exit_code == 0
    assert "warning[input-encoding" in result.stderr
    assert "\u201cyesterday\u201d \u2013" in result.stdout


def test_unstructured_text_converts_as_paragraphs_with_a_warning(runner: CliRunner,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("some words without any structure\n\nand more of them\n")
    result = runner.invoke(main, ["convert", str(path)])
    assert result.exit_code == 0
    assert "warning[structure-none]" in result.stderr
    body = result.stdout.split("<body>")[1]
    assert body.count("<p>") == 2
    strict = runner.invoke(main, ["convert", str(path), "--strict"])
    assert strict.exit_code == 3


def test_formats_lists_every_reader(runner: CliRunner) -> None:
    result = runner.invoke(main, ["formats"])
    assert result.exit_code == 0
    for name in ("wcda-page", "wcda-pdf", "wcda-pdf-flat", "cpsci-pdf", "wcda-scrape",
                 "word-html", "wcda-listing", "plain"):
        assert name in result.output
    data = json.loads(runner.invoke(main, ["formats", "--format", "json"]).output)
    assert {item["name"] for item in data} >= {"wcda-page", "plain"}
