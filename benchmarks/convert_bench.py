"""Conversion throughput on the shared corpus, and the cost of one ~25 KB transcript.

    python benchmarks/convert_bench.py [--repeat N]

Prints documents/s and MB/s over every transcript and page in ../shared/corpus (or
$EDITION_SHARED/corpus), then the median cost of the 24 KB reference page by stage, in CPU
time (so that other work on the machine does not inflate the figures): reading (decoding,
layout detection, page chrome, language), converting (of which the body: footnotes, speaker
evidence, turns and inline encoding; the rest is the header, assembly and indentation),
serialising, and the whole ``convert_path(page).tei_bytes`` (with its best run: on a
machine shared with other work the median rises, the best run much less). The target is
5 ms for the whole. Last, the cost of two one-line transcripts, one token of 200,000
letters and a megabyte of prose with markers (linear in the length of the line).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.convert import convert_path, convert_source  # noqa: E402
from pipeline.convert.body import build_body  # noqa: E402
from pipeline.convert.elements import tei_document_bytes  # noqa: E402
from pipeline.convert.header import metadata_title  # noqa: E402
from pipeline.readers import read_source  # noqa: E402

CORPUS = Path(os.environ.get("EDITION_SHARED", ROOT.parent / "shared")) / "corpus"


def corpus_files() -> list[Path]:
    files = sorted((CORPUS / "transcripts").glob("*.txt"))
    files += sorted((CORPUS / "transcripts").glob("*.html"))
    files += sorted((CORPUS / "wcda-pages").glob("*.txt"))
    return files


def cpu_samples(func, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        func()
        samples.append((time.process_time() - start) * 1000)
    return samples


def cpu_ms(func, repeat: int) -> float:
    """Median CPU time of ``func`` in milliseconds."""
    return statistics.median(cpu_samples(func, repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    files = corpus_files()
    if not files:
        sys.exit("../shared/corpus is not beside the project: nothing to measure")
    for path in files:      # warm up: word list, compiled expressions
        convert_path(path)
    size = sum(p.stat().st_size for p in files)
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(3):
        for path in files:
            assert convert_path(path).tei_bytes
    wall = (time.perf_counter() - start_wall) / 3
    cpu = (time.process_time() - start_cpu) / 3
    print(f"shared corpus: {len(files)} documents, {size / 1e6:.2f} MB")
    print(f"  {len(files) / cpu:.1f} documents/s, {size / 1e6 / cpu:.2f} MB/s (CPU time "
          f"{cpu:.2f} s; wall {wall:.2f} s)")

    seed = CORPUS / "wcda-pages" / "1960-08-29_khrushchev-suzuki.page.txt"
    source = read_source(seed)
    conversion = convert_source(read_source(seed))
    read = cpu_ms(lambda: read_source(seed), args.repeat)
    convert = cpu_ms(lambda: convert_source(read_source(seed)), args.repeat) - read
    body = cpu_ms(lambda: build_body(source.blocks, title=metadata_title(source.metadata),
                                     lang=source.language), args.repeat)
    # a conversion writes its bytes once: time the writing itself
    serialise = cpu_ms(lambda: tei_document_bytes(conversion.root), args.repeat)
    totals = cpu_samples(lambda: convert_path(seed).tei_bytes, args.repeat)
    print(f"reference page ({seed.stat().st_size / 1000:.0f} KB), median CPU time of "
          f"{args.repeat} runs:")
    print(f"  read {read:.1f} ms, convert {convert:.1f} ms (body {body:.1f} ms), "
          f"serialise {serialise:.1f} ms")
    print(f"  total {statistics.median(totals):.1f} ms (best run {min(totals):.1f} ms; "
          "target 5 ms)")

    # one huge token and one huge line of prose with markers: the cost must stay linear
    with tempfile.TemporaryDirectory() as folder:
        for label, text in (
                ("one 200,000-letter token", "Smith: " + "x" * 200_000 + "\n"),
                ("one 1 MB line of prose and markers",
                 "Smith: " + "we met Shi Zhe /Karskii/ [inaudible] (laughs) and givesell "
                 "it all. " * 14_000 + "\n")):
            path = Path(folder) / "long.txt"
            path.write_text(text, encoding="utf-8")
            cost = cpu_ms(lambda path=path: convert_path(path).tei_bytes, 3)
            print(f"{label}: {cost:.0f} ms")

if __name__ == "__main__":
    main()
