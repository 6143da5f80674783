"""The schema files agree with each other and with TEI: RNC → RNG is up to date, the ODD
documents the same elements and value lists as the RELAX NG and docs/encoding.md, and the
project schema only restricts tei_all."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from lxml import etree

from pipeline.validate import Validator
from pipeline.validate.schemas import SCHEMA_DIR, load_schema

TEI = {"t": "http://www.tei-c.org/ns/1.0"}
ODD = SCHEMA_DIR / "edition.odd"
ENCODING_DOC = ROOT / "docs" / "encoding.md"


def odd_elements() -> set[str]:
    odd = etree.parse(str(ODD))
    names: set[str] = set()
    for ref in odd.iterfind(".//t:schemaSpec/t:moduleRef", TEI):
        names.update((ref.get("include") or "").split())
    return names


def odd_value_lists() -> dict[str, set[str]]:
    odd = etree.parse(str(ODD))
    lists: dict[str, set[str]] = {}
    for spec in odd.iterfind(".//t:schemaSpec/t:elementSpec", TEI):
        for att in spec.iterfind("t:attList/t:attDef", TEI):
            values = att.find("t:valList[@type='closed']", TEI)
            if values is not None:
                key = f"{spec.get('ident')}/@{att.get('ident')}"
                lists[key] = {item.get("ident") for item in values.iterfind("t:valItem", TEI)}
    return lists


def rng_value_lists() -> dict[str, set[str]]:
    schema = load_schema("edition")
    return {f"{element}/@{attr}": set(values)
            for element, attrs in schema.values.items() for attr, values in attrs.items()}


def test_rng_is_generated_from_the_rnc(tmp_path: Path) -> None:
    if shutil.which("trang") is None:
        pytest.skip("trang is not installed: cannot regenerate schema/edition.rng")
    out = tmp_path / "edition.rng"
    subprocess.run(["trang", str(SCHEMA_DIR / "edition.rnc"), str(out)], check=True,
                   capture_output=True, timeout=120)
    assert out.read_bytes() == (SCHEMA_DIR / "edition.rng").read_bytes(), (
        "schema/edition.rng is stale: run trang schema/edition.rnc schema/edition.rng")


def test_odd_and_rng_have_the_same_elements() -> None:
    assert odd_elements() == set(load_schema("edition").children)


def test_odd_and_rng_have_the_same_closed_value_lists() -> None:
    assert odd_value_lists() == rng_value_lists()


def test_contract_value_lists_are_closed_in_the_grammar() -> None:
    lists = rng_value_lists()
    assert lists["gap/@reason"] == {"illegible", "omitted", "redacted", "damaged"}
    assert lists["stage/@type"] == {"delivery", "business", "novelistic"}
    assert lists["supplied/@reason"] == {"clarification", "completion", "conjecture"}
    assert lists["note/@place"] >= {"foot", "bottom", "margin-left", "inline"}
    assert lists["note/@type"] >= {"annotation", "source", "translator", "editorial"}


def _docs_section(text: str, heading: str) -> str | None:
    match = re.search(rf"^{re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1) if match else None


def _docs() -> str:
    if not ENCODING_DOC.is_file():
        pytest.skip("docs/encoding.md is not written yet")
    return ENCODING_DOC.read_text(encoding="utf-8")


def test_docs_encoding_lists_the_same_value_lists() -> None:
    section = _docs_section(_docs(), "## Closed value lists")
    if section is None:
        pytest.skip("docs/encoding.md has no '## Closed value lists' section yet")
    rows = re.findall(r"^\|\s*`?([A-Za-z]+/@[A-Za-z:]+)`?\s*\|\s*([^|]+?)\s*\|\s*$", section,
                      re.M)
    documented = {key: {v.strip().strip("`") for v in values.split(",")} for key, values in rows}
    assert documented == odd_value_lists()


def test_docs_encoding_lists_the_same_elements() -> None:
    section = _docs_section(_docs(), "## Elements")
    if section is None:
        pytest.skip("docs/encoding.md has no '## Elements' section yet")
    documented = set(re.findall(r"`([A-Za-z][A-Za-z0-9]*)`", section))
    assert documented == odd_elements()


@pytest.fixture(scope="module")
def tei_all(tei_all_path: Path) -> Validator:
    return Validator("tei_all", tei_all=tei_all_path)


def test_odd_is_valid_tei(tei_all: Validator) -> None:
    report = tei_all.validate_file(ODD)
    assert report.diagnostics == []


def test_schema_only_restricts_tei_all(tei_all: Validator) -> None:
    """Every element, child and attribute the project schema allows, tei_all allows too."""
    ours, theirs = load_schema("edition"), tei_all.schema
    for element, children in ours.children.items():
        assert element in theirs.children, element
        assert children <= theirs.children[element], (element, children - theirs.children[element])
        extra = ours.attributes[element] - theirs.attributes[element]
        assert not extra, (element, extra)
