"""Where the per-document work runs: in this process, a local process pool, or a Dask cluster.

Every executor runs the same picklable task function over picklable tasks and yields the
results as they complete (in any order), keeping only a bounded number of tasks in flight so
the parent's memory does not grow with the corpus.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from pipeline.errors import UsageError

#: below this many documents per worker, fewer workers (or none) finish sooner
MIN_TASKS_PER_WORKER = 8
#: tasks a worker is given at a time: each call costs the building process about 0.6 ms of
#: bookkeeping (futures, queues, wake-ups), on the cores the workers need, whatever it holds
BATCH_TASKS = 4

TaskFunction = Callable[[Any], Any]
#: called with a task whose worker died, returns the result to report for it instead
CrashHandler = Callable[[Any, str], Any]
#: a short piece of other work, done while no result is ready; False once there is no more
IdleWork = Callable[[], bool]


class Executor(Protocol):
    name: str
    workers: int

    def map_unordered(self, fn: TaskFunction, tasks: Iterable[Any],
                      on_crash: CrashHandler, count: int | None = None,
                      idle: IdleWork | None = None) -> Iterator[Any]: ...

    def close(self, abort: bool = False) -> None:
        """Release the workers; ``abort``: without waiting for the tasks they are running
        (the build was interrupted or failed)."""


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class InlineExecutor:
    """Runs tasks one after another in this process (one job, or a single task)."""

    name = "inline"
    workers = 1

    def __init__(self, initializer: Callable[[], None] | None = None) -> None:
        self.initializer = initializer
        self._initialised = False

    def map_unordered(self, fn: TaskFunction, tasks: Iterable[Any],
                      on_crash: CrashHandler, count: int | None = None,
                      idle: IdleWork | None = None) -> Iterator[Any]:
        """The results in order; ``idle`` is not called (the tasks run here)."""
        if self.initializer is not None and not self._initialised:
            self.initializer()
            self._initialised = True
        for task in tasks:
            yield fn(task)

    def close(self, abort: bool = False) -> None:
        pass


def _process_context(preload: tuple[str, ...] = ()) -> multiprocessing.context.BaseContext:
    """Where workers come from. saxonche is not safe to use in a child forked after it
    started: workers come from a fresh interpreter (forkserver on Linux, spawn elsewhere).
    ``preload``: modules the fork server imports once, so that its workers share them (it
    is started by the first pool of a process and keeps that first setting)."""
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
        return context
    return multiprocessing.get_context("spawn")


def _watch_build_process(build_pid: int, interval: float = 1.0) -> None:
    """End this worker when the build process is gone (killed, or ended without closing
    the pool): workers come from the fork server, so they would otherwise linger."""
    while True:
        time.sleep(interval)
        try:
            os.kill(build_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # pragma: no cover - the pid now belongs to someone else
            os._exit(1)


def _start_worker(build_pid: int, initializer: Callable[[], None] | None) -> None:
    threading.Thread(target=_watch_build_process, args=(build_pid,), daemon=True).start()
    if initializer is not None:
        initializer()


def _run_batch(fn: TaskFunction, tasks: list[Any]) -> list[Any]:
    """Run ``fn`` over a batch of tasks in a worker: their results, in order."""
    return [fn(task) for task in tasks]


def _ready() -> None:
    """A task that does nothing: submitted to start the workers before there is work."""


def batch_size(count: int | None, workers: int) -> int:
    """Tasks per call to a worker: up to :data:`BATCH_TASKS`, fewer when there are too few
    tasks for every worker to get several batches (the last batches would keep one worker
    busy while the others wait)."""
    if count is None:
        return 1
    return max(1, min(BATCH_TASKS, count // (workers * 4)))


class LocalProcessExecutor:
    """A pool of worker processes; each runs ``initializer`` once (one Renderer, one Validator)."""

    name = "local"

    def __init__(self, workers: int, initializer: Callable[[], None] | None = None,
                 preload: tuple[str, ...] = ()) -> None:
        self.workers = workers
        self.initializer = initializer
        self.preload = preload
        self._pool: ProcessPoolExecutor | None = None
        self._starting: threading.Thread | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers,
                                   mp_context=_process_context(self.preload),
                                   initializer=_start_worker,
                                   initargs=(os.getpid(), self.initializer))

    def start(self) -> None:
        """Start the workers now (each runs its initializer), so that they are ready when
        the first tasks come, and return at once. The pool starts a worker for each task
        submitted while no worker is idle: one empty task per worker starts them all. The
        submitting is done on a thread of its own, as starting a worker waits for the fork
        server to be ready (a second or so for the first); the first use of the pool waits
        for that thread."""
        if self._pool is None:
            pool = self._pool = self._new_pool()

            def start_workers() -> None:
                try:
                    for _ in range(self.workers):
                        pool.submit(_ready)
                except Exception:   # met again, and reported, by the first use
                    pass

            self._starting = threading.Thread(target=start_workers, daemon=True)
            self._starting.start()

    def _started(self) -> None:
        """Wait until the workers that :meth:`start` asked for are started."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None

    def map_unordered(self, fn: TaskFunction, tasks: Iterable[Any],
                      on_crash: CrashHandler, count: int | None = None,
                      idle: IdleWork | None = None) -> Iterator[Any]:
        """Results as they complete. Tasks go to the workers in batches (see
        :func:`batch_size`; ``count``: how many tasks there are), two batches per worker
        in flight. When a worker dies, the tasks of every batch in flight are run again one
        at a time, so that the one that killed it is reported alone (``on_crash``).

        ``idle``: work for this process while the workers are busy. It is called, a piece
        at a time, whenever no result is ready, until it returns False; each piece should
        take a few milliseconds, as results wait for it to end."""
        self._started()
        size = batch_size(count, self.workers)
        window = self.workers * 2
        pending_tasks = iter(tasks)
        retry: list[Any] = []  # tasks in flight when a worker died: rerun one at a time
        in_flight: dict[Future[Any], tuple[list[Any], bool]] = {}
        self._pool = self._pool or self._new_pool()

        def refill() -> bool:
            """Send work to the pool: one retried task at a time, by itself, while there are
            any, else batches up to the window. False when the pool turns out to be broken
            (a worker died since the last look at the futures): the batch goes to the
            retries."""
            assert self._pool is not None
            while True:
                if retry:
                    if in_flight:
                        return True
                    batch, alone = [retry.pop()], True
                elif len(in_flight) < window:
                    batch, alone = list(itertools.islice(pending_tasks, size)), False
                    if not batch:
                        return True
                else:
                    return True
                try:
                    in_flight[self._pool.submit(_run_batch, fn, batch)] = (batch, alone)
                except BrokenProcessPool:
                    retry.extend(batch)
                    return False
                if alone:   # a retried task runs by itself: a crash then is its own
                    return True

        healthy = refill()
        while in_flight or not healthy:
            broken = not healthy
            if idle is not None and healthy:
                done, _ = wait(in_flight, timeout=0, return_when=FIRST_COMPLETED)
                if not done:
                    if not idle():
                        idle = None
                    continue
            else:
                # once the pool is known to be broken, every future in flight ends at once
                done, _ = wait(in_flight,
                               return_when=FIRST_COMPLETED if healthy else ALL_COMPLETED)
            for future in done:
                batch, alone = in_flight.pop(future)
                try:
                    results = future.result()
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        yield on_crash(batch[0], "the worker process died while building it")
                    else:
                        retry.extend(batch)
                    continue
                yield from results
            if broken:
                for batch, alone in in_flight.values():
                    if alone:
                        yield on_crash(batch[0], "the worker process died while building it")
                    else:
                        retry.extend(batch)
                in_flight.clear()
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
            healthy = refill()

    def close(self, abort: bool = False) -> None:
        self._started()
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        if abort:
            # a worker may be in the middle of a long task (compiling tei_all takes half a
            # minute): end the workers rather than wait for them (Ctrl-C ends the build now)
            workers = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for worker in workers:
                with contextlib.suppress(OSError):
                    worker.terminate()
            for worker in workers:
                worker.join(5)
            return
        pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Runs the tasks on a Dask cluster through ``distributed.Client``.

    Workers need the same view of the file system as this machine (the tasks carry absolute
    paths of sources and of the output folder) and tei-edition installed. Without a
    scheduler address a local cluster of ``workers`` processes is started for the build.
    """

    name = "dask"

    def __init__(self, scheduler: str | None, workers: int) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError("--executor dask needs the 'distributed' package: "
                             "pip install 'tei-edition[dask]'") from None
        self._cluster = None
        try:
            if scheduler:
                self._client = Client(scheduler, timeout="20s")
            else:
                self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                             processes=True, dashboard_address=None)
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
        info = self._client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1)
                                  for w in info.get("workers", {}).values()))

    def map_unordered(self, fn: TaskFunction, tasks: Iterable[Any],
                      on_crash: CrashHandler, count: int | None = None,
                      idle: IdleWork | None = None) -> Iterator[Any]:
        """Results as they complete; ``idle`` is not called (this process waits on the
        cluster's queue)."""
        from distributed import as_completed

        window = max(8, self.workers * 8)
        pending_tasks = iter(tasks)
        owner: dict[str, Any] = {}
        first = []
        for task in pending_tasks:
            future = self._client.submit(fn, task, pure=False)
            owner[future.key] = task
            first.append(future)
            if len(first) >= window:
                break
        queue = as_completed(first)
        for future in queue:
            task = owner.pop(future.key)
            try:
                yield future.result()
            except Exception as exc:  # a lost worker or a task that could not run
                yield on_crash(task, f"the Dask task failed: {type(exc).__name__}: {exc}")
            future.release()
            following = next(pending_tasks, None)
            if following is not None:
                new = self._client.submit(fn, following, pure=False)
                owner[new.key] = following
                queue.add(new)

    def close(self, abort: bool = False) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(kind: str, *, jobs: int | None, scheduler: str | None, tasks: int,
                  initializer: Callable[[], None] | None = None,
                  preload: tuple[str, ...] = ()) -> Executor:
    """The executor for a build of ``tasks`` documents."""
    if kind == "dask":
        return DaskExecutor(scheduler, jobs or default_jobs())
    if kind != "local":
        raise UsageError(f"unknown executor {kind!r}; choose 'local' or 'dask'")
    if scheduler:
        raise UsageError("--scheduler only applies with --executor dask")
    # a worker costs a second or more to start (interpreter, Saxon, stylesheets, schema):
    # small builds run here, and each worker gets at least MIN_TASKS_PER_WORKER documents
    workers = min(jobs or default_jobs(), max(tasks // MIN_TASKS_PER_WORKER, 1))
    if workers <= 1:
        return InlineExecutor(initializer)
    return LocalProcessExecutor(workers, initializer, preload)
