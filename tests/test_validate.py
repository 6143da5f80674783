"""The validator: project rules (one valid and one invalid fixture per rule id), RELAX NG
messages, foreign files, encodings, and tei_all over the foreign corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES
from lxml import etree, isoschematron

from pipeline import safexml
from pipeline.diagnostics import Severity
from pipeline.errors import SchemaError, UsageError
from pipeline.validate import Validator, validate_paths
from pipeline.validate.schemas import EDITION_RNG, EDITION_SCH
from pipeline.validate.schematron import compile_schematron

SCHEMA_FIXTURES = FIXTURES / "schema"
RULES = SCHEMA_FIXTURES / "rules"
FOREIGN = SCHEMA_FIXTURES / "foreign"
VALID = sorted((SCHEMA_FIXTURES / "valid").glob("*.xml"))
SCH_NS = {"sch": "http://purl.oclc.org/dsdl/schematron"}


def rule_ids() -> list[str]:
    tree = etree.parse(str(EDITION_SCH))
    return [e.get("id") for e in tree.iterfind(".//sch:assert", SCH_NS)] + \
        [e.get("id") for e in tree.iterfind(".//sch:report", SCH_NS)]


@pytest.fixture(scope="module")
def edition() -> Validator:
    return Validator()


def codes(report) -> list[str]:
    return [d.code for d in report.diagnostics]


def test_every_assert_and_report_has_a_unique_kebab_case_id() -> None:
    ids = rule_ids()
    assert all(ids), "an assert or report lacks @id"
    assert len(ids) == len(set(ids))
    assert all(i.startswith("ed-") and i == i.lower() and " " not in i for i in ids)


@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.name)
def test_valid_fixtures_have_no_diagnostics(edition: Validator, fixture: Path) -> None:
    report = edition.validate_file(fixture)
    assert report.diagnostics == []
    assert report.details["checked"] == ["relaxng", "schematron"]


@pytest.mark.parametrize("rule_id", rule_ids())
def test_rule_has_fixtures_and_fires_exactly_on_the_invalid_one(edition: Validator,
                                                                 rule_id: str) -> None:
    valid, invalid = RULES / rule_id / "valid.xml", RULES / rule_id / "invalid.xml"
    assert valid.is_file() and invalid.is_file(), f"fixtures missing for {rule_id}"
    assert edition.validate_file(valid).diagnostics == []
    report = edition.validate_file(invalid)
    fired = {d.code for d in report.diagnostics if d.code.startswith("ed-")}
    assert fired == {rule_id}
    diagnostic = next(d for d in report.diagnostics if d.code == rule_id)
    assert diagnostic.line and diagnostic.line > 1
    assert "Fix:" in diagnostic.message and "Expected" in diagnostic.message


@pytest.mark.parametrize("rule_id", rule_ids())
def test_lxml_isoschematron_agrees_with_the_engine(rule_id: str) -> None:
    """The rules are portable XPath 1.0 ISO Schematron: the reference engine agrees."""
    reference = isoschematron.Schematron(etree.parse(str(EDITION_SCH)), store_report=True)
    for name, expected in (("valid.xml", set()), ("invalid.xml", {rule_id})):
        tree = safexml.parse_file(RULES / rule_id / name)
        reference.validate(tree)
        svrl = reference.validation_report
        fired = {e.get("id") for e in svrl.iter(
            "{http://purl.oclc.org/dsdl/svrl}failed-assert",
            "{http://purl.oclc.org/dsdl/svrl}successful-report")}
        assert fired == expected


def test_rule_severities(edition: Validator) -> None:
    report = edition.validate_file(RULES / "ed-glued-word" / "invalid.xml")
    assert report.diagnostics[0].severity is Severity.WARNING and report.ok
    report = edition.validate_file(RULES / "ed-who-resolves" / "invalid.xml")
    assert not report.ok


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = (SCHEMA_FIXTURES / "valid" / "full.xml").read_text()
    assert old in text
    out = tmp_path / "variant.xml"
    out.write_text(text.replace(old, new))
    return out


def test_closed_value_list_message_names_found_and_expected(edition: Validator,
                                                            tmp_path: Path) -> None:
    path = _variant(tmp_path, '<gap reason="omitted"/>', '<gap reason="lost"/>')
    report = edition.validate_file(path)
    [diagnostic] = report.diagnostics
    assert diagnostic.code == "rng-attribute-value"
    assert diagnostic.line == 84
    assert '"lost"' in diagnostic.message
    assert "illegible, omitted, redacted, damaged" in diagnostic.message


def test_sp_without_speaker_is_an_error(edition: Validator, tmp_path: Path) -> None:
    path = _variant(tmp_path, "<speaker>I.P. Petrov.</speaker>", "")
    report = edition.validate_file(path)
    assert codes(report) == ["rng-element-unexpected"]
    assert "<sp> may contain: p, pb, speaker" in report.diagnostics[0].message


def test_sp_without_p_is_an_error(edition: Validator, tmp_path: Path) -> None:
    path = _variant(tmp_path, '<sp who="#petrov" xml:id="turn-1">',
                    '<sp who="#petrov" xml:id="turn-0"><speaker>x</speaker></sp>'
                    '<sp who="#petrov" xml:id="turn-1">')
    assert codes(edition.validate_file(path)) == ["rng-element-missing"]


def test_who_must_be_a_pointer(edition: Validator, tmp_path: Path) -> None:
    path = _variant(tmp_path, 'who="#petrov"', 'who="petrov"')
    report = edition.validate_file(path)
    assert "rng-attribute-value" in codes(report)
    assert "'#' followed by an xml:id" in report.diagnostics[0].message


def test_missing_required_attribute_is_named(edition: Validator, tmp_path: Path) -> None:
    path = _variant(tmp_path, '<gap reason="illegible"/>', "<gap/>")
    [diagnostic] = edition.validate_file(path).diagnostics
    assert diagnostic.code == "rng-attribute-missing" and "@reason" in diagnostic.message


def test_header_must_have_a_title(edition: Validator, tmp_path: Path) -> None:
    path = _variant(tmp_path, '<title type="main">Record of a Meeting of Two Delegations, '
                    "August 3, 1961</title>", "")
    assert codes(edition.validate_file(path)) == ["rng-element-unexpected"]


def test_every_problem_in_one_run(edition: Validator, tmp_path: Path) -> None:
    text = (SCHEMA_FIXTURES / "valid" / "full.xml").read_text()
    text = text.replace('<gap reason="omitted"/>', '<gap reason="lost"/>')
    text = text.replace('<stage type="business">', '<stage type="exit">')
    text = text.replace('who="#petrov"', 'who="#petrof"')
    (tmp_path / "many.xml").write_text(text)
    found = codes(edition.validate_file(tmp_path / "many.xml"))
    assert found.count("rng-attribute-value") == 2 and "ed-who-resolves" in found


def test_malformed_xml_is_a_located_error(edition: Validator) -> None:
    [diagnostic] = edition.validate_file(FOREIGN / "malformed.xml").diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.col) == ("xml-malformed", 48, 31)


@pytest.mark.parametrize(("name", "code"), [
    ("p4.xml", "tei-p4"),
    ("no-namespace.xml", "tei-no-namespace"),
    ("root-surface.xml", "root-not-tei"),
    ("root-html.xml", "root-not-tei"),
    ("doctype-internal.xml", "xml-doctype"),
    ("latin1-declared-utf8-bytes.xml", "xml-encoding-mismatch"),
    ("utf8-declared-latin1-bytes.xml", "xml-encoding-mismatch"),
])
def test_foreign_fixture_verdicts(edition: Validator, name: str, code: str) -> None:
    report = edition.validate_file(FOREIGN / name)
    assert codes(report)[0] == code
    assert not report.ok


def test_root_messages_name_the_root(edition: Validator) -> None:
    assert "<surface>" in edition.validate_file(FOREIGN / "root-surface.xml").diagnostics[0].message
    assert "html" in edition.validate_file(FOREIGN / "root-html.xml").diagnostics[0].message
    report = edition.validate_file(FOREIGN / "p4.xml")
    assert report.details["tei_version"] == "P4" and "P5" in report.diagnostics[0].message


def test_encoding_mismatch_points_at_the_first_bad_byte(edition: Validator) -> None:
    [d] = edition.validate_file(FOREIGN / "utf8-declared-latin1-bytes.xml").diagnostics
    assert (d.line, d.col) == (49, 50) and "0xFC" in d.message
    [d] = edition.validate_file(FOREIGN / "latin1-declared-utf8-bytes.xml").diagnostics
    assert d.line == 39 and 'encoding="UTF-8"' in d.message


def test_encoding_declaration_that_matches_is_silent() -> None:
    assert safexml.check_encoding('<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>'
                                  .encode("latin-1")) is None
    assert safexml.check_encoding('<?xml version="1.0"?><a>é</a>'.encode()) is None
    assert safexml.check_encoding(b'<?xml version="1.0" encoding="us-ascii"?><a>\xc3\xa9</a>')


def test_xinclude_reported_not_followed(edition: Validator) -> None:
    report = edition.validate_file(FOREIGN / "xinclude.xml")
    assert "xi-include" in codes(report)
    assert report.details["xinclude"] == 1
    assert "missing" not in "".join(d.message for d in report.diagnostics)


def test_xml_model_reported_as_info(edition: Validator) -> None:
    report = edition.validate_file(FOREIGN / "xml-model.xml")
    assert [d.severity for d in report.diagnostics] == [Severity.INFO, Severity.INFO]
    assert report.ok
    assert report.details["xml_model"][0] == {
        "href": "https://example.org/schemas/their-schema.rng", "type": "application/xml",
        "schematypens": "http://relaxng.org/ns/structure/1.0"}
    assert "--schematron their-rules.sch" in report.diagnostics[1].message


def test_directories_are_walked_and_missing_files_reported(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.xml").write_bytes((SCHEMA_FIXTURES / "valid" / "minimal.xml")
                                             .read_bytes())
    (tmp_path / "notes.txt").write_text("not xml")
    reports = validate_paths([tmp_path, tmp_path / "absent.xml"])
    assert [Path(r.path).name for r in reports] == ["a.xml", "absent.xml"]
    assert reports[0].ok and codes(reports[1]) == ["input-missing"]


def test_schema_file_option_takes_any_relaxng(tmp_path: Path) -> None:
    rng = tmp_path / "tiny.rng"
    rng.write_text('<element name="note" xmlns="http://relaxng.org/ns/structure/1.0">'
                   "<text/></element>")
    (tmp_path / "ok.xml").write_text("<note>hello</note>")
    (tmp_path / "bad.xml").write_text("<note><b/></note>")
    ok, bad = validate_paths([tmp_path / "ok.xml", tmp_path / "bad.xml"], schema=str(rng))
    assert ok.diagnostics == [] and ok.details["schema"] == "tiny.rng"
    assert not bad.ok


def test_edition_rng_as_a_file_gives_the_same_verdict() -> None:
    [report] = validate_paths([RULES / "ed-cert-value" / "invalid.xml"], schema=str(EDITION_RNG))
    assert codes(report) == []  # a plain schema file brings no project rules
    [report] = validate_paths([RULES / "ed-cert-value" / "invalid.xml"], schema=str(EDITION_RNG),
                              schematron=EDITION_SCH)
    assert codes(report) == ["ed-cert-value"]


def test_compact_syntax_schema(tmp_path: Path) -> None:
    pytest.importorskip("shutil")
    import shutil

    if shutil.which("trang") is None:
        pytest.skip("trang is not installed")
    rnc = tmp_path / "tiny.rnc"
    rnc.write_text("element note { text }\n")
    (tmp_path / "bad.xml").write_text("<note><b/></note>")
    [report] = validate_paths([tmp_path / "bad.xml"], schema=str(rnc))
    assert not report.ok


@pytest.mark.parametrize("schema", ["missing.rng", "notes.txt"])
def test_unreadable_or_wrong_schema_is_a_usage_error(tmp_path: Path, schema: str) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(UsageError):
        validate_paths([FOREIGN / "p4.xml"], schema=str(tmp_path / schema))


def test_uncompilable_schema_is_a_schema_error(tmp_path: Path) -> None:
    rng = tmp_path / "broken.rng"
    rng.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start>'
                   '<ref name="nowhere"/></start></grammar>')
    with pytest.raises(SchemaError):
        validate_paths([FOREIGN / "p4.xml"], schema=str(rng))


def test_xpath2_schematron_is_refused(tmp_path: Path) -> None:
    sch = tmp_path / "x2.sch"
    sch.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
                   '<pattern><rule context="*"><assert test="true()" id="x">x</assert></rule>'
                   "</pattern></schema>")
    with pytest.raises(SchemaError, match="XPath 2"):
        compile_schematron(sch)


def test_user_schematron_runs_with_its_ids_and_roles(tmp_path: Path) -> None:
    sch = tmp_path / "mine.sch"
    sch.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron">'
                   '<ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/>'
                   '<pattern><rule context="t:speaker">'
                   '<report test="contains(., \'.\')" id="my-dot" role="warning">'
                   'label <value-of select="."/> ends with a period</report>'
                   "</rule></pattern></schema>")
    [report] = validate_paths([SCHEMA_FIXTURES / "valid" / "minimal.xml"], schematron=sch)
    [diagnostic] = report.diagnostics
    assert (diagnostic.code, diagnostic.severity, diagnostic.line) == (
        "my-dot", Severity.WARNING, 48)
    assert diagnostic.message == "label Ivanov. ends with a period"


def test_tei_all_location_error_explains_where_to_get_it(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    monkeypatch.setenv("EDITION_TEI_ALL", str(tmp_path / "nowhere.rng"))
    with pytest.raises(UsageError):
        validate_paths([FOREIGN / "p4.xml"], schema="tei_all")


# ---------------------------------------------------------------------------------------
# tei_all: compiled once for the whole test session

@pytest.fixture(scope="session")
def tei_all(tei_all_path: Path) -> Validator:
    return Validator("tei_all", tei_all=tei_all_path)


def test_tei_all_validator_is_compiled_once(tei_all: Validator, tei_all_path: Path) -> None:
    assert Validator("tei_all", tei_all=tei_all_path).schema is tei_all.schema


def test_project_fixtures_are_valid_tei_all(tei_all: Validator) -> None:
    """The subset proof over the fixtures: whatever our schema accepts, tei_all accepts."""
    edition = Validator()
    files = VALID + sorted(RULES.glob("*/*.xml"))
    checked = 0
    for path in files:
        if not edition.validate_file(path).ok:
            continue
        tree = safexml.parse_file(path)
        assert tei_all.schema.relaxng.validate(tree), (path, tei_all.schema.relaxng.error_log)
        checked += 1
    assert checked >= len(VALID) + len(rule_ids())


FOREIGN_CORPUS = sorted((CORPUS / "foreign-tei").glob("*/*.xml")) if CORPUS.is_dir() else []


@pytest.mark.corpus
@pytest.mark.skipif(not FOREIGN_CORPUS, reason="../shared/corpus/foreign-tei is absent")
def test_every_foreign_file_gets_a_verdict_from_both_schemas(tei_all: Validator) -> None:
    assert len(FOREIGN_CORPUS) == 37
    edition = Validator()
    verdicts = {}
    for path in FOREIGN_CORPUS:
        for validator in (tei_all, edition):
            report = validator.validate_file(path)
            assert report.path == str(path)
            for diagnostic in report.diagnostics:
                assert diagnostic.code and diagnostic.message
                assert diagnostic.line is None or diagnostic.line >= 1
            verdicts[(path.name, validator.schema_name)] = report
    by_name = {name: r for (name, schema), r in verdicts.items() if schema == "tei_all"}
    for name in ("test17.xml", "testcorpus.xml", "testoucs.xml"):
        assert codes(by_name[name]) == ["xml-doctype"]
    assert codes(by_name["testp4compat.xml"]) == ["tei-p4"]
    assert "root-not-tei" in codes(by_name["ox-ms_abinger_c56-0029.xml"])
    assert "root-not-tei" in codes(by_name["A060003.xml"])
    assert "<ab>" in by_name["A060003.xml"].diagnostics[-1].message
    assert codes(by_name["ISic004442.xml"]).count("xi-include") == 2
    assert codes(by_name["ox-ms_abinger_c58.xml"]).count("xi-include") >= 60
    assert "xml-model" in codes(by_name["Aachen_Prot_29.xml"])
    assert "xsi-schema-location" in codes(by_name["L03100.xml"])
    assert by_name["tei_apd60t.xml"].ok and by_name["buechner-woyzeck.xml"].ok
    assert not by_name["1957-03-21-kennan-to-leopold.xml"].ok
    # No foreign file is valid against the project schema: it is a strict customisation.
    assert not any(r.ok for (name, schema), r in verdicts.items() if schema == "edition")


# ---------------------------------------------------------------------------------------
# Everything the converter emits for the shared corpus: valid against ours AND tei_all

def _conversions() -> list:
    try:
        from pipeline.convert import convert_path
    except ImportError:
        pytest.skip("pipeline.convert is not available yet: the corpus subset test waits for it")
    sources = sorted(p for p in (CORPUS / "transcripts").glob("*")
                     if p.suffix in (".txt", ".html"))
    sources += sorted((CORPUS / "wcda-pages").glob("*.txt"))
    return [(source, convert_path(source)) for source in sources]


@pytest.fixture(scope="module")
def converted(shared_corpus: Path) -> list:
    return _conversions()


@pytest.mark.corpus
@pytest.mark.slow
def test_converted_corpus_is_valid_against_edition_and_tei_all(converted: list,
                                                               tei_all: Validator) -> None:
    """The subset proof over real output: both grammars accept every converted document."""
    edition = Validator(schematron=False)
    failures = []
    for source, conversion in converted:
        for validator in (edition, tei_all):
            report = validator.validate_tree(conversion.tree, str(source))
            failures.extend(d.format() for d in report.diagnostics
                            if d.severity is Severity.ERROR)
    assert len(converted) >= 40
    assert not failures, "\n".join(failures)


# Problems the project rules find in the converter's output today. The test fails when one
# is fixed (remove it here) and when a new one appears.
KNOWN_CONVERTER_FINDINGS: set[tuple[str, str]] = set()


@pytest.mark.corpus
@pytest.mark.slow
def test_converted_corpus_meets_the_project_rules(converted: list) -> None:
    edition = Validator()
    found = set()
    for source, conversion in converted:
        for diagnostic in edition.validate_tree(conversion.tree, str(source)):
            if diagnostic.severity is Severity.ERROR:
                found.add((source.name, diagnostic.code))
    assert found == KNOWN_CONVERTER_FINDINGS


def _finishes(work, seconds: float = 20.0):
    """``work()``'s result, run on a thread that must finish within ``seconds``."""
    import threading

    outcome: list = []

    def run() -> None:
        try:
            outcome.append(("value", work()))
        except Exception as exc:  # handed to the test's thread
            outcome.append(("error", exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, "still waiting: reading the path blocked"
    kind, value = outcome[0]
    if kind == "error":
        raise value
    return value


def test_a_named_pipe_nobody_writes_to_is_read_as_empty_not_waited_for(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    [report] = _finishes(lambda: validate_paths([fifo]))
    assert [d.code for d in report.diagnostics] == ["input-empty"]


def test_a_pipe_with_a_writer_is_read_to_its_end(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)
    data = (FIXTURES / "schema" / "valid" / "minimal.xml").read_bytes()

    def write() -> None:
        with open(fifo, "wb") as handle:   # waits for the reader, then writes in two parts
            handle.write(data[:100])
            handle.flush()
            handle.write(data[100:])

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    assert _finishes(lambda: safexml.read_xml_bytes(fifo)) == data


def test_a_device_is_refused_not_read() -> None:
    with pytest.raises(safexml.InputError) as caught:
        _finishes(lambda: safexml.read_xml_bytes("/dev/zero"))
    assert caught.value.code == "input-special"


def test_nesting_deeper_than_the_parsers_limit_is_said_as_such(tmp_path: Path) -> None:
    deep = tmp_path / "deep.xml"
    deep.write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{"<div>" * 300}{"</div>" * 300}'
                    "</TEI>")
    [report] = validate_paths([deep])
    [diagnostic] = report.diagnostics
    assert diagnostic.code == "xml-too-deep" and "256" in diagnostic.message
    assert "XML_PARSE_HUGE" not in diagnostic.message
