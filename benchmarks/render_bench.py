"""Rendering cost: per-document HTML and text figures, and scaling with the number of notes.

Run from the project root:  python3 benchmarks/render_bench.py [--quick]
(the shared corpus is looked for beside the project or beside its parent folder, or where
$EDITION_SHARED says)

Figures printed (medians, milliseconds):

* a realistic 25-30 KB record (the shared seed transcript, converted by pipeline.convert
  when it is available, otherwise marked up by a small stand-in below), HTML and text, each
  including serialisation and parsing, and both from one parse (render_outputs); the cost
  per KB, and the CPU time of each step;
* every TEI file of the shared corpus's foreign-tei folder and, when the converter is
  available, every converted transcript (with its size; the median, and the figures of
  those of 20-30 KB);
* documents of the same size (about 2 MB) with 0, 1,200 and 4,800 notes, to show that the
  cost of notes is linear.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.render import Renderer  # noqa: E402
from pipeline.render.documents import load_document  # noqa: E402
from pipeline.tei import TEI_NS  # noqa: E402


def _shared() -> Path:
    """$EDITION_SHARED, or a ``shared`` folder beside the project or beside its parent (a
    worktree inside a folder of worktrees)."""
    if os.environ.get("EDITION_SHARED"):
        return Path(os.environ["EDITION_SHARED"])
    for candidate in (ROOT.parent / "shared", ROOT.parent.parent / "shared"):
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared"


SHARED = _shared() / "corpus"
SEED = SHARED / "wcda-pages" / "1960-08-29_khrushchev-suzuki.page.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "render" / "wcda-1960-08-29-khrushchev-suzuki.xml"


def median_ms(func, runs: int) -> float:
    """Median wall-clock milliseconds of ``func`` (after one warm-up call)."""
    return measure(func, runs)[0]


def measure(func, runs: int, best: list[float] | None = None) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of ``func``. Saxon runs on the calling thread,
    so its CPU time shows the cost without the waiting a busy machine adds. The least CPU
    time of the runs is appended to ``best`` when given."""
    func()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.thread_time()
        func()
        cpu.append(time.thread_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    if best is not None:
        best.append(min(cpu) * 1000)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def time_render(renderer: Renderer, tree: etree._ElementTree, to: str, runs: int,
                cpu: bool = False) -> float:
    """Median cost of one render, parse included (wall clock, or CPU time)."""
    def once() -> None:
        renderer._forget_parsed()
        renderer.render(tree, to=to)

    wall, cpu_ms = measure(once, runs)
    return cpu_ms if cpu else wall


def print_breakdown(renderer: Renderer, tree: etree._ElementTree, runs: int) -> None:
    """CPU time of each step of one render: the lxml tree serialised, parsed by Saxon, each
    stylesheet run to a string, the CSS put into the page, and the text edition's
    normalisation and line filling."""
    from pipeline.render.documents import to_xml_text
    from pipeline.render.layout import fill_stylesheet_output

    xml_text = to_xml_text(tree)
    processor = renderer.processor
    node = processor.parse_xml(xml_text=xml_text)
    html_exec, text_exec = renderer.executable("html"), renderer.executable("text")
    html_exec.clear_parameters()
    text_exec.clear_parameters()
    page = html_exec.transform_to_string(xdm_node=node)
    raw = text_exec.transform_to_string(xdm_node=node)
    steps = {
        "serialise": lambda: to_xml_text(tree),
        "Saxon parse": lambda: processor.parse_xml(xml_text=xml_text),
        "html.xsl": lambda: html_exec.transform_to_string(xdm_node=node),
        "CSS into the page": lambda: renderer._with_css(page),
        "text.xsl": lambda: text_exec.transform_to_string(xdm_node=node),
        "normalisation and line filling": lambda: fill_stylesheet_output(raw, 78),
    }
    cost = {name: measure(step, runs)[1] for name, step in steps.items()}
    print("  steps (CPU): " + ", ".join(f"{name} {ms:.2f} ms" for name, ms in cost.items()))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def stand_in_tei(page: Path) -> etree._ElementTree:
    """A 25 KB record marked up from the seed page with the house conventions (a stand-in
    for the converter, so the benchmark runs before it exists)."""
    lines = [line.strip() for line in page.read_text(encoding="utf-8").splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Khrushchev. "))
    end = next(i for i, line in enumerate(lines) if line.startswith("Participated in"))
    speakers = ("Khrushchev", "Suzuki", "Okada", "Hozumi")
    body: list[str] = []
    turn = 0
    open_sp = False
    for line in lines[start:end]:
        if not line:
            continue
        text = _escape(line)
        text = re.sub(r"/\s*([^/]+?)\s*/", r'<stage type="delivery">\1</stage>', text)
        text = re.sub(r"\[[Ii]llegible\]", '<gap reason="illegible"/>', text)
        text = re.sub(r"(\w+) \[handwritten\]",
                      r'<add hand="#hand-1" cert="medium" resp="#converter">\1</add>', text)
        text = re.sub(r"\[(\w+)\]", r'<supplied reason="clarification">\1</supplied>', text)
        label = next((s for s in speakers if line.startswith(s + ". ")), None)
        if label:
            if open_sp:
                body.append("</sp>")
            turn += 1
            text = text[len(label) + 2:]
            body.append(f'<sp who="#{label.lower()}" xml:id="turn-{turn}">'
                        f"<speaker>{label}.</speaker>")
            open_sp = True
        body.append(f"<p>{text}</p>")
    if open_sp:
        body.append("</sp>")
    persons = "".join(f'<person xml:id="{s.lower()}" role="speaker"><persName>{s}</persName>'
                      "</person>" for s in speakers)
    header = FIXTURE.read_text(encoding="utf-8")
    head, _, _ = header.partition("<text>")
    head = re.sub(r"<listPerson>.*?</listPerson>", f"<listPerson>{persons}</listPerson>",
                  head, flags=re.S)
    xml = f'{head}<text><body><div type="record">{"".join(body)}</div></body></text></TEI>'
    return etree.ElementTree(etree.fromstring(xml.encode("utf-8")))


def realistic_record() -> tuple[etree._ElementTree, str]:
    if SEED.is_file():
        try:
            from pipeline.convert import convert_path  # type: ignore[attr-defined]

            return convert_path(SEED).tree, "seed transcript, converted by pipeline.convert"
        except ImportError:
            pass
        return stand_in_tei(SEED), "seed transcript, stand-in markup"
    tree, _ = load_document(FIXTURE)
    return tree, "fixture (../shared not found)"


def notes_document(notes: int, size: int = 2_000_000) -> etree._ElementTree:
    """A record of about ``size`` bytes with ``notes`` footnotes spread evenly."""
    sentence = ("The delegation discussed the fishing agreement and the exchange of "
                "scholars, and agreed to continue the talks at the ministerial level. ")
    paragraphs = 4800
    per = max(1, round((size / paragraphs) / len(sentence)))
    every = paragraphs // notes if notes else 0
    body = []
    for i in range(paragraphs):
        note = (f'<note place="foot">Note {i + 1}: the source adds a remark.'
                "</note>") if every and i % every == 0 else ""
        who = "#khrushchev" if i % 2 else "#suzuki"
        body.append(f'<sp who="{who}" xml:id="turn-{i + 1}"><speaker>Speaker.</speaker>'
                    f"<p>{sentence * per}{note}</p></sp>")
    xml = (f'<TEI xmlns="{TEI_NS}" xml:id="notes-{notes}"><teiHeader><fileDesc><titleStmt>'
           f"<title type=\"main\">Synthetic record with {notes} notes</title></titleStmt>"
           "<publicationStmt><publisher>tei-edition benchmark</publisher></publicationStmt>"
           "<sourceDesc><bibl type=\"citation\">None</bibl></sourceDesc></fileDesc>"
           "</teiHeader><text><body><div type=\"record\">"
           + "".join(body) + "</div></body></text></TEI>")
    return etree.ElementTree(etree.fromstring(xml.encode("utf-8")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    runs = 10 if args.quick else 40

    renderer = Renderer()
    start = time.perf_counter()
    renderer.processor  # noqa: B018 - processor start and compilation of every stylesheet
    print(f"processor start + compile html, text, index: "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")

    tree, origin = realistic_record()
    size = len(etree.tostring(tree.getroot()))
    print(f"\n{size / 1024:.1f} KB record ({origin}), wall clock / CPU time:")
    best: list[float] = []
    html = measure(lambda: (renderer._forget_parsed(), renderer.render(tree, to="html")), runs,
                   best)
    text = measure(lambda: (renderer._forget_parsed(), renderer.render(tree, to="text")), runs,
                   best)
    both = measure(lambda: (renderer._forget_parsed(), renderer.render_outputs(tree)), runs,
                   best)
    print(f"  HTML {html[0]:6.2f} / {html[1]:6.2f} ms   text {text[0]:6.2f} / {text[1]:6.2f} ms"
          f"   HTML + text (render_outputs, one parse) {both[0]:6.2f} / {both[1]:6.2f} ms")
    print(f"  least CPU time of the {runs} runs: HTML {best[0]:.2f} ms, text {best[1]:.2f} ms,"
          f" HTML + text {best[2]:.2f} ms")
    kb = size / 1024
    print(f"  per KB of TEI (CPU): HTML {html[1] / kb:.3f} ms, text {text[1] / kb:.3f} ms")
    print_breakdown(renderer, tree, runs)

    foreign = sorted((SHARED / "foreign-tei").rglob("*.xml")) if SHARED.is_dir() else []
    if foreign:
        print(f"\nforeign-tei ({len(foreign)} files), per document, HTML / text (CPU time):")
        total_html = total_text = 0.0
        for path in foreign:
            ftree, _ = load_document(path)
            h = time_render(renderer, ftree, "html", max(3, runs // 8), cpu=True)
            t = time_render(renderer, ftree, "text", max(3, runs // 8), cpu=True)
            total_html += h
            total_text += t
            kb = path.stat().st_size / 1024
            print(f"  {h:7.2f} / {t:7.2f} ms  {kb:7.1f} KB  {path.relative_to(SHARED)}")
        print(f"  total {total_html:.0f} / {total_text:.0f} ms")
    try:
        from pipeline.convert import convert_path  # type: ignore[attr-defined]
    except ImportError:
        print("\ntranscripts: skipped (pipeline.convert is not available yet)")
    else:
        print("\ntranscripts, converted, per document, HTML / text (CPU time):")
        figures: list[tuple[float, float, float]] = []
        for path in sorted((SHARED / "transcripts").glob("*")):
            if path.suffix not in (".txt", ".html"):
                continue
            try:
                ttree = convert_path(path).tree
            except Exception as exc:
                print(f"  (not converted: {path.name}: {exc})")
                continue
            h = time_render(renderer, ttree, "html", max(3, runs // 8), cpu=True)
            t = time_render(renderer, ttree, "text", max(3, runs // 8), cpu=True)
            kb = len(etree.tostring(ttree.getroot())) / 1024
            figures.append((kb, h, t))
            print(f"  {h:7.2f} / {t:7.2f} ms  {kb:5.1f} KB  {path.name}")
        if figures:
            print(f"  median of {len(figures)}: HTML {statistics.median(f[1] for f in figures):.2f}"
                  f" ms, text {statistics.median(f[2] for f in figures):.2f} ms")
            near = [f for f in figures if 20 <= f[0] <= 30]
            if near:
                print(f"  the {len(near)} of 20-30 KB: HTML "
                      + ", ".join(f"{f[1]:.2f}" for f in near) + " ms; text "
                      + ", ".join(f"{f[2]:.2f}" for f in near) + " ms")

    print("\nnotes scaling (documents of about 2 MB; CPU time):")
    base = None
    for count in (0, 1200, 4800):
        ntree = notes_document(count)
        mb = len(etree.tostring(ntree.getroot())) / 1e6
        h = time_render(renderer, ntree, "html", 3 if args.quick else 5, cpu=True)
        t = time_render(renderer, ntree, "text", 3 if args.quick else 5, cpu=True)
        extra = "" if base is None else (f"   +{(h - base) / count * 1000:.1f} µs per note "
                                         "(HTML)")
        base = h if base is None else base
        print(f"  {count:5d} notes, {mb:.2f} MB: HTML {h:7.1f} ms   text {t:7.1f} ms{extra}")


if __name__ == "__main__":
    main()
