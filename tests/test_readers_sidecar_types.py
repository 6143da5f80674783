"""A metadata sidecar's values of the wrong type are reported where they stand and ignored."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.convert import convert_path
from pipeline.readers import read_source
from pipeline.readers.wcda_scrape import _value_lines


def _scraped(tmp_path: Path, sidecar_text: str) -> tuple[Path, Path]:
    body = tmp_path / "page.txt"
    body.write_text("A paragraph of the scraped page.\n", encoding="utf-8")
    sidecar = tmp_path / "page.meta.json"
    sidecar.write_text(sidecar_text, encoding="utf-8")
    return body, sidecar


def _type_notes(doc):
    return [d for d in doc.diagnostics if d.code == "reader-sidecar-type"]


def test_number_for_the_title_is_reported_and_ignored(tmp_path: Path) -> None:
    body, sidecar = _scraped(tmp_path, '{\n  "summary": "A summary.",\n  "title": 5\n}\n')
    doc = read_source(body)
    notes = _type_notes(doc)
    assert len(notes) == 1
    note = notes[0]
    assert (note.severity.value, note.path, note.line) == ("warning", str(sidecar), 3)
    assert '"title"' in note.message and "a string" in note.message
    assert "a number" in note.message
    assert doc.metadata.title is None and doc.metadata.summary == "A summary."
    conversion = convert_path(body)
    assert conversion.report.errors == 0
    assert b"<title type=\"main\">5</title>" not in conversion.tei_bytes


def test_each_wrong_value_is_located(tmp_path: Path) -> None:
    data = {"title": "Talks", "summary": ["a", "list"], "language": {"name": "Russian"},
            "donors": [1, 2], "rights": True, "page_number": "two", "original_upload_date":
            3.5}
    body, _ = _scraped(tmp_path, json.dumps(data, indent=2))
    doc = read_source(body)
    found = {n.message.split('"')[1]: n.line for n in _type_notes(doc)}
    assert found == {"summary": 3, "language": 7, "donors": 10, "rights": 14,
                     "original_upload_date": 16}
    assert doc.metadata.title == "Talks"
    assert doc.metadata.summary is None and doc.metadata.rights is None
    assert doc.metadata.original_language is None and doc.metadata.funders == []


def test_values_of_the_expected_types_are_not_reported(tmp_path: Path) -> None:
    data = {"title": "Talks", "record_id": 123, "page_number": 2, "page_position": 1,
            "language": ["Russian"], "associated_places": "[\"Moscow\"]", "authors": None,
            "donors": ["A Foundation", None], "subjects_discussed": ["x", None],
            "extra_count": 4}
    body, _ = _scraped(tmp_path, json.dumps(data))
    doc = read_source(body)
    assert _type_notes(doc) == []
    assert doc.metadata.original_language == "Russian"
    assert doc.metadata.record_id == "123"
    assert doc.metadata.funders == ["A Foundation"]


def test_value_lines_are_those_of_the_top_level_keys() -> None:
    text = ('\ufeff{ "a\\"b": {"title": 1,\n "x": [1,\n 2]},\n\n "title"\n :\n 5, "c": null}')
    assert _value_lines(text) == {'a"b': 1, "title": 7, "c": 7}
    assert _value_lines("[1, 2]") == {}
    assert _value_lines('{"a": 1') == {}
