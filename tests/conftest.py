"""Shared fixtures: where the project and the shared corpus are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SAMPLES = ROOT / "samples"
FIXTURES = ROOT / "tests" / "fixtures"
SEED_PAGE = CORPUS / "wcda-pages" / "1960-08-29_khrushchev-suzuki.page.txt"
TEI_ALL = SHARED / "schemas" / "tei_all.rng"

needs_shared = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is not beside the project checkout")


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the project checkout")
    return CORPUS


@pytest.fixture(scope="session")
def tei_all_path() -> Path:
    if not TEI_ALL.is_file():
        pytest.skip("../shared/schemas/tei_all.rng is not beside the project checkout")
    return TEI_ALL
