"""The HTML edition in a real browser: Debian's chromium driven by Playwright.

Checks the seed document's page (and the conventions page, which has footnotes): no console
errors and no failed or outside requests, the view switch by mouse and keyboard, footnote
links both ways, every internal link, the hover/focus tip on inferred markup. Screenshots go
to tests/artifacts/ for people to look at.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.render import render_paths
from tests.test_render_support import CONVENTIONS_TEI, ROOT, SEED_TEI

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = pytest.mark.browser


def _seed_source() -> tuple[Path, str]:
    """The reference page as converted from ../shared (the tests skip without it)."""
    if not SEED_TEI.is_file():
        pytest.skip("../shared/corpus (the reference page) is absent")
    return SEED_TEI, SEED_TEI.stem


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("site")
    seed, seed_id = _seed_source()
    render_paths([seed, CONVENTIONS_TEI], to="html", out_dir=folder, params={})
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield base, {"seed": f"{base}/{seed_id}.html",
                     "conventions": f"{base}/wcda-1961-08-conventions.html"}
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium); "
                    ".ci/run installs it")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright (python) is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _open(browser, url: str, base: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on("request", lambda r: problems.append(f"outside request: {r.url}")
            if not r.url.startswith(base) else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, problems


def test_seed_page_loads_cleanly_and_switches_views(browser, site) -> None:
    base, urls = site
    page, problems = _open(browser, urls["seed"], base)
    deleted = page.locator("del.ed-del").first
    regularised = page.locator(".ed-choice .ed-reg").first
    original = page.locator(".ed-choice .ed-orig").first
    assert not deleted.is_visible() and regularised.is_visible()
    assert not original.is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "seed-reading.png"), full_page=True)

    page.click("label[for=ed-view-diplomatic]")
    assert deleted.is_visible() and original.is_visible()
    assert not regularised.is_visible()
    assert "line-through" in deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
    page.screenshot(path=str(ARTIFACTS / "seed-diplomatic.png"), full_page=True)

    # keyboard: the checked radio button takes focus; arrow keys switch the view
    page.click("label[for=ed-view-reading]")
    page.locator("#ed-view-reading").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("#ed-view-diplomatic").is_checked()
    assert deleted.is_visible()
    page.keyboard.press("ArrowLeft")
    assert page.locator("#ed-view-reading").is_checked()
    assert not deleted.is_visible()
    # the focused switch shows where focus is
    outline = page.locator("label[for=ed-view-reading]").evaluate(
        "e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    assert problems == []
    page.close()


def test_inferred_markup_explains_itself_on_focus(browser, site) -> None:
    base, urls = site
    page, problems = _open(browser, urls["seed"], base)
    inferred = page.locator(".ed-inferred[tabindex='0']").first
    assert inferred.evaluate("e => getComputedStyle(e, '::before').content") in ("none", "")
    inferred.focus()
    tip = inferred.evaluate("e => getComputedStyle(e, '::before').content")
    assert "inferred" in tip and "certainty" in tip
    assert problems == []
    page.close()


def test_footnotes_and_internal_links(browser, site) -> None:
    base, urls = site
    for name in ("seed", "conventions"):
        page, problems = _open(browser, urls[name], base)
        missing = page.evaluate("""() => [...document.querySelectorAll('a[href^="#"]')]
            .map(a => a.getAttribute('href').slice(1))
            .filter(id => !document.getElementById(id))""")
        assert missing == [], name
        refs = page.locator("a[role=doc-noteref]")
        for index in range(refs.count()):
            ref = refs.nth(index)
            number = ref.inner_text()
            ref.click()
            assert page.url.endswith(f"#ed-note-{number}")
            note = page.locator(f"#ed-note-{number}")
            assert note.evaluate("e => e.matches(':target')")
            assert note.is_visible()
            top = note.evaluate("e => e.getBoundingClientRect().top")
            assert top >= page.locator(".ed-bar").evaluate(
                "e => e.getBoundingClientRect().bottom")
            note.locator("a[role=doc-backlink]").click()
            assert page.url.endswith(f"#ed-noteref-{number}")
            # the reference is in view, below the sticky bar
            where = page.locator(f"#ed-noteref-{number}").evaluate("""e => {
                const r = e.getBoundingClientRect();
                const bar = document.querySelector('.ed-bar').getBoundingClientRect();
                return [r.top, r.bottom, bar.bottom, window.innerHeight]; }""")
            assert where[2] <= where[0] and where[1] <= where[3], where
        if name == "conventions":
            assert refs.count() == 4
            page.screenshot(path=str(ARTIFACTS / "conventions-reading.png"), full_page=True)
        assert problems == [], name
        page.close()


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The bundled samples built as an edition, the whole output folder served (as
    ``edition serve`` does): the base URL and a document page's path."""
    from pipeline.build import BuildOptions, default_source, run_build

    out = tmp_path_factory.mktemp("edition")
    result = run_build(BuildOptions(source=default_source(), out_dir=out, jobs=1))
    doc_id = result.documents[0]["id"]
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", f"/html/{doc_id}.html"
    finally:
        server.shutdown()
        server.server_close()


def test_a_built_page_links_to_its_outputs_the_index_and_the_report(browser, edition) -> None:
    base, path = edition
    for width in (1280, 360):
        page, problems = _open(browser, base + path, base)
        page.set_viewport_size({"width": width, "height": 800})
        bar = page.locator(".ed-bar-title a")
        labels = [bar.nth(i).inner_text() for i in range(bar.count())]
        assert labels == ["Edition index", "TEI", "Plain text", "Build report"]
        for index in range(bar.count()):
            assert bar.nth(index).is_visible()
        # the bar's links fit the page: nothing runs off its right edge
        assert page.evaluate("() => document.documentElement.scrollWidth "
                             "<= document.documentElement.clientWidth"), width
        for label, kind in (("TEI", "xml"), ("Plain text", "text/plain"),
                            ("Build report", "text/html"), ("Edition index", "text/html")):
            href = page.locator(".ed-bar-title a", has_text=label).get_attribute("href")
            response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
            assert response.status == 200, (label, href)
            assert kind in response.headers["content-type"], (label, response.headers)
        page.locator(".ed-bar-title a", has_text="Build report").click()
        page.wait_for_load_state()
        assert page.title().startswith("Build report")
        assert problems == [], problems
        page.close()
