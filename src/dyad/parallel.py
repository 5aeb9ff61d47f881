"""Extraction on every core of one machine: worker processes that each load the pipeline once.

In: the documents to extract (with whatever the caller wants carried along, e.g. whether the document was
stored before), a pipeline factory, a number of jobs and the time budget per document. Out: for each
document, in input order, its Extraction (or None) and the problems met, so that a single writer can save
them exactly as a one-process run would, in the same order, with the same story links.

`jobs=1` extracts in this process (the pipeline is built on first need, so nothing is loaded when there is
nothing to extract). With more jobs, a pool of processes is started with `fork` where the platform has it,
so a pipeline already loaded here is shared copy-on-write; each worker builds its pipeline once, extracts one
document at a time under the same time budget as a one-process run, and dies with the parent process (a
killed ingest leaves no orphans behind).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from .records import Document, Extraction, Problem

Carried = TypeVar("Carried")
# What one document becomes: its extraction (None when it failed) and the problems met on the way.
Outcome = tuple[Extraction | None, list[Problem]]

_worker_pipeline: Any = None
_worker_timeout: float = 0.0


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # platforms without sched_getaffinity
        return max(1, os.cpu_count() or 1)


def extract_in_order(items: Iterable[tuple[Document, Carried]], pipeline_factory: Callable[[], Any] | None,
                     jobs: int, doc_timeout: float) -> Iterator[tuple[Document, Carried, Extraction | None,
                                                                        list[Problem]]]:
    """(document, carried, extraction or None, problems) for each item, in input order."""
    items = list(items)
    if jobs < 1:
        raise ValueError(f"jobs must be 1 or more, not {jobs}")
    if jobs == 1 or len(items) <= 1:
        yield from _in_this_process(items, pipeline_factory, doc_timeout)
        return
    yield from _in_workers(items, pipeline_factory, min(jobs, len(items)), doc_timeout)


def _in_this_process(items, pipeline_factory, doc_timeout):
    from .ingest import _make_pipeline

    pipeline = None
    for document, carried in items:
        pipeline = pipeline or _make_pipeline(pipeline_factory)
        yield (document, carried, *extract_one(pipeline, document, doc_timeout))


def _in_workers(items, pipeline_factory, jobs: int, doc_timeout: float):
    # concurrent.futures rather than multiprocessing.Pool: Pool.terminate() kills workers that may hold the
    # result queue's lock and can then hang for ever (it did, when the run stopped on a worker's error);
    # the executor lets running documents end (each within its time budget) and says when a worker died.
    initargs = (pipeline_factory, doc_timeout, os.getpid())
    executor = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_start_worker, initargs=initargs)
    try:
        futures = [executor.submit(_extract_in_worker, document) for document, _ in items]
        for (document, carried), future in zip(items, futures):
            try:
                outcome = future.result()
            except BrokenProcessPool as exc:  # killed (out of memory, kill -9): a plain error, not a hang
                raise WorkerDied(f"a worker process died (out of memory or killed?) before "
                                 f"{document.source_path or document.id} was extracted; what is stored is kept: "
                                 f"run the ingest again, with --jobs 1 to see which document fails") from exc
            yield (document, carried, *outcome)
    finally:  # on an error or an early stop, documents not yet started are dropped, not extracted
        executor.shutdown(wait=True, cancel_futures=True)


def _context():
    """`fork` where there is one (workers inherit a loaded pipeline, no pickling of the factory);
    elsewhere `spawn`, which needs an importable factory."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def extract_one(pipeline, document: Document, doc_timeout: float) -> Outcome:
    """The document's extraction under the time budget, exactly as a one-process ingest does it."""
    from .ingest import IngestReport, _extract

    report = IngestReport()
    extraction = _extract(document, pipeline, doc_timeout, report)
    return extraction, report.problems


def _start_worker(pipeline_factory, doc_timeout: float, parent_pid: int) -> None:
    global _worker_pipeline, _worker_timeout
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends the pool
    from .ingest import _make_pipeline

    _worker_timeout = doc_timeout
    try:
        _worker_pipeline = _make_pipeline(pipeline_factory)
    except Exception as exc:  # noqa: BLE001 - raised per task instead: the run then stops with this error
        _worker_pipeline = PipelineNotBuilt(f"{type(exc).__name__}: {exc}")


class WorkerDied(RuntimeError):
    """A worker process ended without answering; the ingest stops (what was saved stays saved)."""


class PipelineNotBuilt(RuntimeError):
    """A worker could not build its pipeline; the ingest stops with this error, as a one-process run does."""


def _extract_in_worker(document: Document) -> Outcome:
    if isinstance(_worker_pipeline, PipelineNotBuilt):
        raise _worker_pipeline
    return extract_one(_worker_pipeline, document, _worker_timeout)


def _die_with_parent(parent_pid: int) -> None:
    """On Linux, ask the kernel to kill this worker when the ingest process dies (even by kill -9)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl: workers end when their task pipe closes
        return
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


ENGINES = ("local", "ray")


def extraction_options(jobs: int | None = None, engine: str = "local", ray_address: str | None = None,
                       ray_output: str | os.PathLike | None = None) -> dict[str, Any]:
    """The `jobs` / `extractor` arguments of `dyad.ingest.ingest_paths` for the CLI's choices; a ValueError
    saying what is wrong otherwise. With Ray, `jobs` is the CPUs of a local Ray (not used with an address)."""
    if engine not in ENGINES:
        raise ValueError(f"--engine {engine!r} is not one of: {', '.join(ENGINES)}")
    if jobs is not None and jobs < 1:
        raise ValueError(f"--jobs must be 1 or more, not {jobs}")
    if engine == "local":
        if ray_address or ray_output:
            raise ValueError("--ray-address and --ray-output need --engine ray")
        return {"jobs": jobs or default_jobs()}
    if ray_output is not None and Path(ray_output).exists() and any(Path(ray_output).iterdir()):
        raise ValueError(f"--ray-output {ray_output} is not empty: name a new folder (shards of an earlier "
                         f"run would be mixed in)")
    from .engines.ray_engine import RayExtractor, RayUnavailable, start_ray

    try:  # started now, so that a wrong address is said before any work
        start_ray(ray_address, jobs or default_jobs())
    except RayUnavailable as exc:
        raise ValueError(str(exc)) from exc
    return {"extractor": RayExtractor(address=ray_address, num_cpus=jobs or default_jobs(),
                                      output=str(ray_output) if ray_output is not None else None)}
