"""How much validation costs, per document and per corpus.

    python3 benchmarks/validate_bench.py [--docs 1000] [--tei-all PATH]

Prints medians for a 25 KB document (parse, RELAX NG, Schematron, whole validate_file),
the Schematron rules' CPU time on the converted seed record with each pattern's share, the
cost of compiling tei_all once and of validating with it, the time for a corpus of 1,000
documents (synthesised from the project's fixtures), the shared corpus's foreign TEI, and
which step dominates.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree, isoschematron  # noqa: E402

from pipeline import safexml  # noqa: E402
from pipeline.validate import Validator, validate_paths  # noqa: E402
from pipeline.validate.schemas import EDITION_SCH, SHARED_TEI_ALL  # noqa: E402

FULL = ROOT / "tests" / "fixtures" / "schema" / "valid" / "full.xml"
SHARED = Path(os.environ.get("EDITION_SHARED", ROOT.parent / "shared"))
FOREIGN = SHARED / "corpus" / "foreign-tei"
SEED = SHARED / "corpus" / "wcda-pages" / "1960-08-29_khrushchev-suzuki.page.txt"


def document_of_size(target: int, variant: int = 0) -> bytes:
    """The full fixture with its speech turns repeated until the file is about ``target`` bytes."""
    text = FULL.read_text(encoding="utf-8")
    start = text.index('    <sp who="#pham-van-dong"')
    end = text.index("</sp>", start) + len("</sp>\n")
    turn = text[start:end]
    turns = []
    n = 3
    while len(text) + sum(map(len, turns)) < target:
        turns.append(turn.replace('xml:id="turn-2"', f'xml:id="turn-{n}"')
                     .replace("The <supplied", f"Item {variant}-{n}: the <supplied"))
        n += 1
    return (text[:end] + "".join(turns) + text[end:]).encode("utf-8")


class Timing:
    """Median and best of repeated runs, in milliseconds.

    On a machine shared with other work the median carries their load; the best run is
    the closest to the cost on an idle machine. Both are printed.
    """

    def __init__(self, func: Callable[[], object], repeat: int,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        func()
        times = []
        for _ in range(repeat):
            start = clock()
            func()
            times.append(clock() - start)
        self.median = statistics.median(times) * 1000
        self.best = min(times) * 1000

    def __str__(self) -> str:
        return f"{self.median:7.2f} ms median, {self.best:6.2f} ms best"


def cpu_ms(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and best CPU time (``time.process_time``) of ``func``, in milliseconds."""
    timing = Timing(func, repeat, clock=time.process_time)
    return timing.median, timing.best


def schematron_on_seed(edition: Validator, repeat: int) -> None:
    """The rules' CPU time on the converted seed record, in all and per pattern."""
    try:
        from pipeline.convert import convert_path
    except ImportError:
        print("Schematron on the seed record: pipeline.convert not available; skipped")
        return
    if not SEED.is_file() or edition.rules is None:
        print(f"Schematron on the seed record: {SEED} not found; skipped")
        return
    rules = edition.rules
    tree = convert_path(SEED).tree
    median, best = cpu_ms(lambda: rules.validate(tree, "seed"), repeat)
    relaxng = cpu_ms(lambda: edition.schema.relaxng.validate(tree), repeat)
    elements = sum(1 for _ in tree.getroot().iter())
    print(f"seed record ({SEED.name}, {elements} elements), CPU time, {repeat} runs:")
    print(f"  Schematron, project rules                {median:7.2f} ms median, "
          f"{best:6.2f} ms best")
    print(f"  RELAX NG, project schema                 {relaxng[0]:7.2f} ms median, "
          f"{relaxng[1]:6.2f} ms best")
    runs: list[dict[str, float]] = []
    for _ in range(repeat):
        shares: dict[str, float] = {}
        rules.validate(tree, "seed", cpu_by_pattern=shares)
        runs.append(shares)
    print("  per pattern (median):")
    for name in runs[0]:
        print(f"    {name:24} {statistics.median(r[name] for r in runs) * 1000:6.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--tei-all", type=Path, default=None)
    args = parser.parse_args()

    data = document_of_size(25_000)
    tree = safexml.parse_bytes(data, "bench.xml")
    edition = Validator()
    sch_reference = isoschematron.Schematron(etree.parse(str(EDITION_SCH)))
    assert edition.validate_tree(tree, "bench.xml").diagnostics == [], "benchmark doc invalid"

    parse = Timing(lambda: safexml.parse_bytes(data, "bench.xml"), args.repeat)
    rng = Timing(lambda: edition.schema.relaxng.validate(tree), args.repeat)
    sch = Timing(lambda: edition.rules.validate(tree, "bench.xml"), args.repeat)
    sch_lxml = Timing(lambda: sch_reference.validate(tree), max(20, args.repeat // 5))
    whole_tree = Timing(lambda: edition.validate_tree(tree, "bench.xml"), args.repeat)
    whole = Timing(lambda: edition.validate_bytes(data, "bench.xml"), args.repeat)
    print(f"25 KB document ({len(data):,} bytes), {args.repeat} runs each:")
    print(f"  parse (safexml, with prolog scan)        {parse}")
    print(f"  RELAX NG, project schema                 {rng}")
    print(f"  Schematron, project rules (XPath)        {sch}")
    print(f"    same rules via lxml.isoschematron    {sch_lxml} (for comparison only)")
    print(f"  validate_tree (RNG + rules + checks)     {whole_tree}")
    print(f"  validate_bytes (encoding, parse, all)    {whole}")
    parts = {"parsing": parse.best, "RELAX NG": rng.best, "Schematron": sch.best}
    print(f"  dominant step: {max(parts, key=parts.__getitem__)}")
    schematron_on_seed(edition, args.repeat)

    tei_all = args.tei_all or (SHARED_TEI_ALL if SHARED_TEI_ALL.is_file() else None)
    if tei_all is not None:
        start = time.perf_counter()
        validator = Validator("tei_all", tei_all=tei_all)
        compile_s = time.perf_counter() - start
        start = time.perf_counter()
        Validator("tei_all", tei_all=tei_all)
        again_ms = (time.perf_counter() - start) * 1000
        per_doc = Timing(lambda: validator.schema.relaxng.validate(tree), args.repeat)
        print(f"tei_all ({tei_all}):")
        print(f"  compile once per process              {compile_s:7.2f} s")
        print(f"  second Validator('tei_all')           {again_ms:7.3f} ms (cached)")
        print(f"  RELAX NG per 25 KB document           {per_doc}")
    else:
        print("tei_all: not found (pass --tei-all PATH); skipped")

    with tempfile.TemporaryDirectory(prefix="validate-bench-") as tmp:
        folder = Path(tmp)
        sizes = (8_000, 15_000, 25_000, 40_000)
        for index in range(args.docs):
            (folder / f"doc-{index:04d}.xml").write_bytes(
                document_of_size(sizes[index % len(sizes)], index))
        total = sum(p.stat().st_size for p in folder.iterdir())
        start = time.perf_counter()
        reports = validate_paths([folder])
        elapsed = time.perf_counter() - start
        bad = sum(1 for r in reports if not r.ok)
        print(f"{args.docs:,} documents ({total / 1e6:.1f} MB, 8-40 KB each), one process, "
              f"edition schema + rules: {elapsed:.2f} s "
              f"({elapsed / args.docs * 1000:.2f} ms per document; {bad} invalid)")

    if FOREIGN.is_dir():
        files = sorted(FOREIGN.glob("*/*.xml"))
        for name in ("edition", "tei_all"):
            if name == "tei_all" and tei_all is None:
                continue
            start = time.perf_counter()
            reports = validate_paths(files, schema=name, tei_all=tei_all)
            elapsed = time.perf_counter() - start
            valid = sum(1 for r in reports if r.ok)
            print(f"shared corpus foreign-tei ({len(files)} files) against {name}: "
                  f"{elapsed * 1000:.0f} ms, {valid} valid")
    try:
        from pipeline.convert import convert_path
    except ImportError:
        print("converted shared corpus: pipeline.convert not available; skipped")
    else:
        corpus = SHARED / "corpus"
        sources = sorted(p for p in (corpus / "transcripts").glob("*")
                         if p.suffix in (".txt", ".html"))
        trees = [(s, convert_path(s).tree) for s in sources]
        start = time.perf_counter()
        for source, converted in trees:
            edition.validate_tree(converted, str(source))
        elapsed = time.perf_counter() - start
        print(f"converted shared corpus ({len(trees)} documents): {elapsed * 1000:.0f} ms "
              "to validate (conversion not counted)")


if __name__ == "__main__":
    main()
