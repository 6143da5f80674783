"""Shared fixtures: where the project and the shared corpus are."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: the shared corpus and schemas: beside the checkout, or where $EDITION_SHARED says
SHARED = Path(os.environ.get("EDITION_SHARED", ROOT.parent / "shared"))
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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="Rewrite golden files from the current output (review the diff).")


def pytest_configure(config: pytest.Config) -> None:
    # goldens are regenerated with --update-goldens or UPDATE_GOLDENS=1; both mean the same
    if config.getoption("--update-goldens"):
        os.environ["UPDATE_GOLDENS"] = "1"
    # the converter's word-list cache goes to a folder of the test run's own (inherited by
    # every process the tests start), not to the user's cache folder
    if "EDITION_CACHE" not in os.environ:
        folder = tempfile.mkdtemp(prefix="edition-test-cache-")
        os.environ["EDITION_CACHE"] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens") or os.environ.get("UPDATE_GOLDENS"))


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare ``actual`` with the golden file at ``path`` (or rewrite it when updating)."""
    if update or not path.exists():
        if not update:
            pytest.fail(f"golden file {path} is missing; run pytest --update-goldens")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if expected != actual:
        import difflib

        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            str(path), "actual", n=2))
        pytest.fail(f"output differs from {path} (run pytest --update-goldens to accept):\n"
                    + diff[:6000])
