"""Support for the rendering tests (no tests here): fixture paths, golden files, and a small
CSS-selector helper over lxml."""

from __future__ import annotations

import os
import re
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "render"
GOLDEN = ROOT / "tests" / "golden" / "render"
CONVENTIONS_TEI = FIXTURES / "conventions.xml"
SHARED = Path(os.environ.get("EDITION_SHARED", ROOT.parent / "shared"))
SEED_PAGE = SHARED / "corpus" / "wcda-pages" / "1960-08-29_khrushchev-suzuki.page.txt"
#: the reference page as the converter encodes it (made from ../shared, never copied in)
SEED_TEI = ROOT / "tests" / "artifacts" / "wcda-1960-08-29-khrushchev-suzuki.xml"


def _convert_seed() -> None:
    if not SEED_PAGE.is_file():
        return
    from pipeline.convert import convert_path

    data = convert_path(SEED_PAGE).tei_bytes
    if not SEED_TEI.is_file() or SEED_TEI.read_bytes() != data:
        SEED_TEI.parent.mkdir(parents=True, exist_ok=True)
        SEED_TEI.write_bytes(data)


_convert_seed()
needs_seed = pytest.mark.skipif(not SEED_TEI.is_file(),
                                reason="../shared/corpus (the reference page) is absent")


def updating_goldens() -> bool:
    return os.environ.get("UPDATE_GOLDENS") == "1"


def pretty_html(page: str) -> str:
    """The page, pretty-printed, with the (long, shared) CSS replaced by a marker."""
    page = re.sub(r"<style>.*?</style>", "<style>/* xslt/assets/edition.css */</style>", page,
                  flags=re.S)
    document = lxml.html.document_fromstring(page)
    etree.indent(document, space=" ")
    return lxml.html.tostring(document, doctype="<!DOCTYPE html>", encoding="unicode",
                              pretty_print=True)


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/render/<name>; UPDATE_GOLDENS=1 rewrites it."""
    path = GOLDEN / name
    if updating_goldens():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"missing golden {path}; run with UPDATE_GOLDENS=1 and review the diff"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (f"{name} differs from its golden; if the change is intended, "
                                "rerun with UPDATE_GOLDENS=1 and review the diff")


_SIMPLE = re.compile(r"([a-zA-Z0-9*]*)((?:\.[\w-]+|\[[^\]]+\])*)")


def _step(simple: str) -> str:
    match = _SIMPLE.fullmatch(simple)
    assert match, f"unsupported selector {simple!r}"
    tag = match.group(1) or "*"
    tests = []
    for part in re.findall(r"\.[\w-]+|\[[^\]]+\]", match.group(2)):
        if part.startswith("."):
            tests.append(f"contains(concat(' ', normalize-space(@class), ' '), ' {part[1:]} ')")
            continue
        body = part[1:-1]
        if "^=" in body:
            name, value = body.split("^=", 1)
            tests.append(f"starts-with(@{name}, '{value.strip(chr(39))}')")
        elif "=" in body:
            name, value = body.split("=", 1)
            tests.append(f"@{name}='{value.strip(chr(39))}'")
        else:
            tests.append(f"@{body}")
    return tag + "".join(f"[{t}]" for t in tests)


def select(element: etree._Element, css: str) -> list:
    """Elements matching a small subset of CSS (tags, classes, attributes, descendant and
    child combinators, comma groups), through XPath."""
    found: list = []
    for group in css.split(","):
        tokens = group.replace(">", " > ").split()
        path = "."
        axis = "//"
        for token in tokens:
            if token == ">":
                axis = "/"
                continue
            path += axis + _step(token)
            axis = "//"
        for hit in element.xpath(path):
            if hit not in found:
                found.append(hit)
    return found
