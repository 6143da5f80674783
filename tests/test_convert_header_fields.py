"""Header fields the converter writes from a source's metadata."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.convert import convert_path
from pipeline.tei import TEI_NS

NS = {"tei": TEI_NS}


def _scraped(tmp_path: Path, sidecar: dict) -> Path:
    body = tmp_path / "page.txt"
    body.write_text("Khrushchev: We agree.\nSuzuki: Good.\n", encoding="utf-8")
    (tmp_path / "page.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return body


def test_original_language_holds_the_language_name(tmp_path: Path) -> None:
    tree = convert_path(_scraped(tmp_path, {"title": "Talks", "language": "Russian"})).tree
    languages = tree.findall(".//tei:langUsage/tei:language", NS)
    original = [(e.get("ident"), e.text) for e in languages if e.get("usage") == "0"]
    assert original == [("ru", "Russian")]
