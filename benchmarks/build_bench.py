"""Benchmark of ``edition build``: throughput, memory, no-op rebuild, scaling.

Synthesises corpora of N transcripts from the shared corpus's reference page (about 25 KB,
with speaker turns, handwritten-note markers, bracketed insertions and footnotes), each one
varied (date, title, a sentence) so every document has its own content hash and id, then
runs ``python -m pipeline build`` on them as a user would and prints:

- full build (convert + validate + HTML + text + TEI + index) of 1k, 2k, 4k documents:
  seconds, the CPU seconds of the build process and its workers together (beside the wall
  time, how well the cores were kept busy: two cores give at most twice the wall time),
  documents/s, MB/s of source, peak memory of the build (the process and its workers
  together, sampled every 0.1 s);
- a full build, then no-op rebuilds, of a large corpus (default 10,000 documents). With
  ``--noop-corpus tei`` (the default) that corpus is made of TEI files as this project
  writes them (the converter's output for the reference page, about 30 KB, each with its
  own id and title): they are validated against the project schema and rendered, so
  building them first takes minutes instead of the better part of an hour, and a no-op
  rebuild does the same work whatever the sources are (hash every source, check every
  output, read the manifest, write the reports). ``--noop-corpus foreign-tei`` marks them
  as coming from another tool (validated against tei_all, which each worker compiles
  first); ``--noop-corpus transcripts`` uses transcripts.

The package's modules are compiled to bytecode first, as in an installation (``--no-bytecode``
removes it instead and keeps the builds from writing it: every process then compiles the
modules from source).

Usage: python3 benchmarks/build_bench.py [--sizes 1000,2000,4000] [--noop 10000]
                                         [--noop-corpus tei|transcripts]
                                         [--jobs N] [--workdir DIR] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil  # installed with the dask extra (distributed needs it)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TEMPLATE_NAME = "wcda-pages/1960-08-29_khrushchev-suzuki.page.txt"
SURNAMES = ["Suzuki", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi",
            "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue"]


def find_corpus() -> Path:
    for candidate in (SHARED / "corpus", Path(os.environ.get("EDITION_SHARED", "")) / "corpus"):
        if (candidate / TEMPLATE_NAME).is_file():
            return candidate
    sys.exit("benchmarks/build_bench.py needs ../shared/corpus (or $EDITION_SHARED)")


def synthesise(template: str, target: Path, count: int) -> int:
    """Write ``count`` varied transcripts into ``target``; return their total size."""
    target.mkdir(parents=True, exist_ok=True)
    base = dt.date(1960, 8, 29)
    total = 0
    for number in range(count):
        day = base + dt.timedelta(days=number)
        printed = f"{day:%B} {day.day}, {day.year}"
        surname = SURNAMES[number % len(SURNAMES)]
        text = (template.replace("August 29, 1960", printed)
                .replace("M. Suzuki", f"M. {surname}")
                .replace("Prominent Political Figure",
                         f"Prominent Political Figure No. {number + 1}")
                .replace("I thank you for correctly understanding our policy.",
                         f"I thank you for correctly understanding our policy, "
                         f"point {number + 1}."))
        data = text.encode("utf-8")
        (target / f"{day:%Y-%m-%d}_khrushchev-{surname.lower()}-{number:05d}.page.txt"
         ).write_bytes(data)
        total += len(data)
    return total


def synthesise_tei(template: str, target: Path, count: int, foreign: bool = False) -> int:
    """Write ``count`` varied TEI documents converted from the template, each with its own
    id (marked as another tool's when ``foreign``); their total size."""
    sys.path.insert(0, str(ROOT))
    from pipeline.convert import convert_path

    target.mkdir(parents=True, exist_ok=True)
    page = target / "template.page.txt"
    page.write_text(template, encoding="utf-8")
    conversion = convert_path(page)
    tei = conversion.tei_bytes.decode("utf-8")
    page.unlink()
    if foreign:
        tei = tei.replace('ident="tei-edition"', 'ident="another-tool"')
    total = 0
    for number in range(count):
        text = tei.replace("Prominent Political Figure",
                           f"Prominent Political Figure No. {number + 1}")
        text = text.replace(f'xml:id="{conversion.doc_id}"',
                            f'xml:id="{conversion.doc_id}-{number + 1:05d}"', 1)
        data = text.encode("utf-8")
        (target / f"record-{number:05d}.xml").write_bytes(data)
        total += len(data)
    return total


class ProcessWatch:
    """The largest total memory of a process and its descendants, and the CPU time its
    descendants used, sampled in a thread every 0.1 s.

    Memory is PSS (proportional set size: pages shared between the processes, such as those
    the workers inherit from the fork server, are divided among them) where the system gives
    it, otherwise RSS (which counts shared pages once per process, so overstates). The CPU
    time of each descendant (user + system, its own only) is its last sample, so up to 0.1 s
    of each one's last moments can be missed; the build process's own CPU time comes from
    the operating system when it has ended (see :func:`run_build`).
    """

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self.peak_rss = 0
        self.cpu: dict[tuple[int, float], float] = {}   # (pid, start time) -> CPU seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                processes = [self.process, *self.process.children(recursive=True)]
                total = total_rss = 0
                for process in processes:
                    with contextlib.suppress(psutil.Error):
                        info = process.memory_full_info()
                        total += getattr(info, "pss", info.rss)
                        total_rss += info.rss
                        if process is not self.process:
                            times = process.cpu_times()
                            self.cpu[(process.pid, process.create_time())] = \
                                times.user + times.system
                self.peak = max(self.peak, total)
                self.peak_rss = max(self.peak_rss, total_rss)
            except psutil.Error:
                pass
            time.sleep(0.1)

    def stop(self) -> tuple[int, int, float]:
        """Peak PSS and RSS (bytes), and the descendants' CPU seconds."""
        self._stop.set()
        self._thread.join()
        return self.peak, self.peak_rss, sum(self.cpu.values())


def run_build(corpus: Path, out: Path, jobs: int | None
              ) -> tuple[float, tuple[int, int, float], dict]:
    """Run a build as a user would: its wall time; its peak PSS and RSS and the CPU seconds
    of the build process and all its descendants (the fork server, the workers); the
    report. Beside the wall time, the CPU time shows how busy the build kept the cores."""
    command = [sys.executable, "-m", "pipeline", "build", str(corpus), "-o", str(out), "-q"]
    if jobs:
        command += ["--jobs", str(jobs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    watch = ProcessWatch(process.pid)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    peak_pss, peak_rss, descendants = watch.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # the build process itself (and any child it waited for), now that it has been waited for
    own = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = (peak_pss, peak_rss, own + descendants)
    if process.returncode not in (0, 1):
        sys.exit(f"build failed ({process.returncode}):\n{stderr[-2000:]}")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    report["_stdout"] = stdout.strip()
    return seconds, peak, report


def prepare_bytecode(compiled: bool) -> str:
    """Compile the package's modules to bytecode, as an installed package has them (pip
    compiles the modules it installs; Python writes the cache itself on first import unless
    PYTHONDONTWRITEBYTECODE is set), or remove that bytecode: without it the build process,
    the fork server and every worker compile the modules from source, about half a second on
    the way to the first document. Returns a line saying which."""
    package = ROOT / "pipeline"
    setting = os.environ.get("PYTHONDONTWRITEBYTECODE")
    note = f" (PYTHONDONTWRITEBYTECODE={setting})" if setting else ""
    if compiled:
        compileall.compile_dir(str(package), quiet=1)
        return f"bytecode: compiled first, as an installation has it{note}"
    for cache in package.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"   # the builds must not write it again
    return "bytecode: removed, every process compiles the modules (PYTHONDONTWRITEBYTECODE=1)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,4000")
    parser.add_argument("--noop", type=int, default=10_000)
    parser.add_argument("--noop-corpus", choices=["tei", "foreign-tei", "transcripts"],
                        default="tei")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the no-op corpus and its build from --workdir if present")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--no-bytecode", action="store_true",
                        help="remove the package's compiled bytecode first, so that every "
                             "process of every build compiles the modules from source")
    args = parser.parse_args()
    print(prepare_bytecode(compiled=not args.no_bytecode))
    sizes = [int(s) for s in args.sizes.split(",") if s]
    corpus = find_corpus()
    template = (corpus / TEMPLATE_NAME).read_text(encoding="utf-8")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="edition-bench-"))
    print(f"template: {TEMPLATE_NAME} ({len(template.encode()):,} bytes); "
          f"cores: {os.cpu_count()}; jobs: {args.jobs or 'default'}; workdir: {workdir}")
    print("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(f"{'documents':>9} {'seconds':>8} {'CPU s':>7} {'docs/s':>8} {'MB/s':>7} "
          f"{'PSS MB':>7} {'RSS MB':>7} {'failed':>6}  summary")
    for size in sizes:
        source = workdir / f"corpus-{size}"
        shutil.rmtree(source, ignore_errors=True)
        total = synthesise(template, source, size)
        out = workdir / f"out-{size}"
        shutil.rmtree(out, ignore_errors=True)
        seconds, peak, report = run_build(source, out, args.jobs)
        counts = report["build"]["counts"]
        print(f"{size:>9,} {seconds:>8.2f} {peak[2]:>7.1f} {size / seconds:>8.1f} "
              f"{total / seconds / 1e6:>7.2f} {peak[0] / 1e6:>7.0f} {peak[1] / 1e6:>7.0f} "
              f"{counts['failed']:>6}  "
              f"{report['_stdout']}  (load {os.getloadavg()[0]:.1f})", flush=True)
    if args.noop:
        source = workdir / f"corpus-{args.noop_corpus}-{args.noop}"
        out = workdir / f"out-{args.noop_corpus}-{args.noop}"
        if not (args.reuse and (out / "report.json").is_file()):
            shutil.rmtree(source, ignore_errors=True)
            if args.noop_corpus == "transcripts":
                total = synthesise(template, source, args.noop)
            else:
                total = synthesise_tei(template, source, args.noop,
                                       foreign=args.noop_corpus == "foreign-tei")
            print(f"no-op corpus: {args.noop:,} {args.noop_corpus} files, {total / 1e6:.0f} MB")
            shutil.rmtree(out, ignore_errors=True)
            seconds, peak, report = run_build(source, out, args.jobs)
            print(f"{args.noop:>9,} {seconds:>8.2f} {peak[2]:>7.1f} {args.noop / seconds:>8.1f} "
                  f"{total / seconds / 1e6:>7.2f} {peak[0] / 1e6:>7.0f} {peak[1] / 1e6:>7.0f} "
                  f"{report['build']['counts']['failed']:>6}  {report['_stdout']}", flush=True)
        for _ in range(3):
            seconds, peak, report = run_build(source, out, args.jobs)
            timings = report["build"]["timings"]
            print(f"no-op rebuild of {args.noop:,} documents: {seconds:.2f} s wall "
                  f"(command, including interpreter start), {timings['total']:.2f} s in the "
                  f"build (discover {timings['discover']:.2f}, hash+plan {timings['plan']:.2f}, "
                  f"clean-up {timings.get('clean-up', 0):.2f}); CPU {peak[2]:.2f} s; "
                  f"peak {peak[0] / 1e6:.0f} MB "
                  f"PSS, {peak[1] / 1e6:.0f} MB RSS; {report['_stdout']}  "
                  f"(load {os.getloadavg()[0]:.1f})", flush=True)
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
