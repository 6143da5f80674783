"""`edition validate` through click's CliRunner: output format, JSON shape, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURES

from pipeline.cli import main

SCHEMA = FIXTURES / "schema"
MINIMAL = SCHEMA / "valid" / "minimal.xml"
RULES = SCHEMA / "rules"


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def test_valid_file_exits_0_with_a_summary() -> None:
    result = run(str(MINIMAL))
    assert result.exit_code == 0, result.output
    assert "1 file(s) checked: 1 valid, 0 invalid; 0 error(s), 0 warning(s)" in result.output


def test_content_errors_exit_1_in_the_common_format() -> None:
    path = RULES / "ed-who-resolves" / "invalid.xml"
    result = run(str(path))
    assert result.exit_code == 1
    line = result.output.splitlines()[0]
    assert line.startswith(f"{path}:81:1: error[ed-who-resolves]: ")
    assert '#tanaka' in line


def test_warnings_exit_0_but_3_under_strict() -> None:
    path = str(RULES / "ed-bracket-left" / "invalid.xml")
    assert run(path).exit_code == 0
    assert run(path, "--strict").exit_code == 3


def test_json_has_one_record_per_problem_and_a_summary_per_file() -> None:
    result = run(str(RULES / "ed-when-date"), "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["totals"] == {"files": 2, "errors": 2, "warnings": 0}
    invalid, valid = payload["files"]
    assert invalid["summary"] == {"path": str(RULES / "ed-when-date" / "invalid.xml"),
                                  "errors": 2, "warnings": 0, "infos": 0, "valid": False}
    assert {d["code"] for d in invalid["diagnostics"]} == {"ed-when-date", "rng-attribute-value"}
    record = invalid["diagnostics"][0]
    assert set(record) == {"path", "line", "col", "severity", "code", "message"}
    assert invalid["details"]["root"] == "TEI" and invalid["details"]["schema"] == "edition"
    assert valid["summary"]["valid"] is True


def test_directory_is_walked_for_every_file() -> None:
    result = run(str(SCHEMA / "foreign"), "--format", "json")
    payload = json.loads(result.output)
    assert payload["totals"]["files"] == len(list((SCHEMA / "foreign").glob("*.xml")))
    assert result.exit_code == 1


def test_unreadable_schema_is_a_usage_error(tmp_path: Path) -> None:
    result = run(str(MINIMAL), "--schema", str(tmp_path / "absent.rng"))
    assert result.exit_code == 2
    assert "schema-unreadable" in result.output


def test_unknown_schema_name_is_a_usage_error() -> None:
    result = run(str(MINIMAL), "--schema", "tei_lite")
    assert result.exit_code == 2
    assert "expected 'edition', 'tei_all' or a .rng/.rnc file" in result.output


def test_missing_tei_all_says_where_to_get_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(MINIMAL), "--schema", "tei_all"],
                                env={"EDITION_TEI_ALL": str(tmp_path / "nowhere.rng")})
    assert result.exit_code == 2
    assert "tei-all-missing" in result.output and "TEI Consortium" in result.output


def test_bad_schematron_is_a_usage_error(tmp_path: Path) -> None:
    sch = tmp_path / "rules.sch"
    sch.write_text("<not-schematron/>")
    result = run(str(MINIMAL), "--schematron", str(sch))
    assert result.exit_code == 2 and "schematron-invalid" in result.output


def test_malformed_file_is_located_not_a_traceback() -> None:
    result = run(str(SCHEMA / "foreign" / "malformed.xml"))
    assert result.exit_code == 1
    assert ":48:31: error[xml-malformed]" in result.output
    assert "Traceback" not in result.output


def test_an_unevaluable_schematron_rule_is_a_usage_error_not_an_internal_one(
        tmp_path: Path) -> None:
    sch = tmp_path / "rules.sch"
    sch.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron"><ns prefix="tei" '
                   'uri="http://www.tei-c.org/ns/1.0"/><pattern><rule context="tei:TEI">'
                   '<assert test="current()/@xml:id">m</assert></rule></pattern></schema>')
    result = run(str(MINIMAL), "--schematron", str(sch))
    assert result.exit_code == 2, result.output
    assert f"{sch}:1:" in result.output and "schematron-unsupported" in result.output


def test_a_compact_schema_that_includes_a_url_is_refused_before_it_is_read(
        tmp_path: Path) -> None:
    (tmp_path / "inner.rnc").write_text('# include "ignored.rnc"\n'
                                        'include "http://127.0.0.1:9/x.rnc"\n')
    outer = tmp_path / "outer.rnc"
    outer.write_text('include "inner.rnc"\nstart = element TEI { text }\n')
    result = run(str(MINIMAL), "--schema", str(outer))
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'inner.rnc'}:2:1: error[schema-remote-include]" in result.output


def test_usage_errors_are_json_too_with_format_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(MINIMAL), "--schema", "nosuch",
                                       "--format", "json"])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["exit_code"] == 2
    [diagnostic] = payload["files"][0]["diagnostics"]
    assert diagnostic["severity"] == "error" and diagnostic["code"]


def test_a_folder_without_xml_counts_no_file(tmp_path: Path) -> None:
    result = run(str(tmp_path))
    assert result.exit_code == 0
    assert "input-no-xml" in result.output
    assert "0 file(s) checked: 0 valid, 0 invalid; 0 error(s), 1 warning(s)" in result.output
