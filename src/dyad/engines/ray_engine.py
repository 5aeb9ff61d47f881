"""Extraction as a Ray Data pipeline, on a local Ray or a cluster (the extra `dyad[ray]`).

In: the documents to extract (read and checked by dyad's own readers in the driver). Out: a Parquet dataset,
one row per document, in shards written by the workers, and, for `dyad ingest --engine ray`, the same
(document, extraction, problems) outcomes as `dyad.parallel.extract_in_order`, in input order, which the
ingest run then saves to the store with its single writer (so story links are those of a one-process run).

The Ray Data plan: `from_items` (the documents) -> `map_batches` over a pool of actors, each holding one
loaded `Pipeline` -> `write_parquet`. Shard columns:
- `order` (input position), `doc_id`;
- `extraction_json`: the extraction as JSON (DESIGN.md's records), for DuckDB to query in place, e.g.
  `SELECT doc_id, json_extract(extraction_json, '$.events') FROM read_parquet('DIR/*.parquet')`;
- `extraction`: the same extraction pickled, to load it into a store exactly;
- `problems`: JSON list of {source, reason} (a failed or timed-out document has no extraction).
Ray is reached at `address` (or RAY_ADDRESS); without one a local Ray is started with `num_cpus` CPUs.
A cluster's workers must have the same dyad installed, and the output folder must be one they all reach.
"""
from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..records import Document, Extraction, Problem

DEFAULT_BATCH_SIZE = 4  # documents per map_batches call: small, so that actors share the work evenly


class RayUnavailable(RuntimeError):
    """Ray is not installed or cannot be reached; the message says what to do."""


def _import_ray():
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise RayUnavailable("--engine ray needs Ray Data: pip install 'dyad[ray]'") from exc
    return ray


def start_ray(address: str | None = None, num_cpus: int | None = None):
    """Connect to the cluster at `address` (or RAY_ADDRESS), else start a local Ray with `num_cpus` CPUs;
    a Ray already started in this process is used as it is."""
    ray = _import_ray()
    if ray.is_initialized():
        return ray
    address = address or os.environ.get("RAY_ADDRESS") or None
    try:
        quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.WARNING}
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(num_cpus=num_cpus, **quiet)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise RayUnavailable(f"cannot start or reach Ray{f' at {address}' if address else ''}: {exc}") from exc
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # dyad's own progress bar and summary say how the run went
    return ray


class ExtractBatch:
    """A Ray actor: loads the pipeline once, then extracts each batch of documents it is handed."""

    def __init__(self, doc_timeout: float):
        from ..pipeline import Pipeline

        self.pipeline = Pipeline()
        self.doc_timeout = doc_timeout

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        from ..parallel import extract_one

        out: dict[str, list] = {"order": [], "doc_id": [], "extraction": [], "extraction_json": [], "problems": []}
        for order, blob in zip(batch["order"], batch["document"]):
            document: Document = pickle.loads(blob)
            extraction, problems = extract_one(self.pipeline, document, self.doc_timeout)
            out["order"].append(int(order))
            out["doc_id"].append(document.id)
            out["extraction"].append(pickle.dumps(extraction) if extraction is not None else None)
            out["extraction_json"].append(json.dumps(asdict(extraction), ensure_ascii=False)
                                          if extraction is not None else None)
            out["problems"].append(json.dumps([asdict(p) for p in problems], ensure_ascii=False))
        return out


def extract_to_parquet(documents: list[Document], output: str | os.PathLike, doc_timeout: float = 0,
                       address: str | None = None, num_cpus: int | None = None, actors: int | None = None,
                       batch_size: int = DEFAULT_BATCH_SIZE) -> Path:
    """Run the Ray Data plan over `documents` and write its Parquet shards to the folder `output`."""
    ray = start_ray(address, num_cpus)
    output = Path(output)
    actors = actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
    items = [{"order": i, "document": pickle.dumps(d)} for i, d in enumerate(documents)]
    dataset = ray.data.from_items(items, override_num_blocks=max(1, min(len(items), actors * 4)))
    pool = ray.data.ActorPoolStrategy(size=min(actors, max(1, len(items))))
    extracted = dataset.map_batches(ExtractBatch, fn_constructor_args=(doc_timeout,), batch_size=batch_size,
                                    compute=pool, num_cpus=1, batch_format="numpy")
    extracted.write_parquet(str(output))
    return output


def read_outcomes(output: str | os.PathLike) -> Iterator[tuple[int, Extraction | None, list[Problem]]]:
    """(order, extraction or None, problems) of every document in the shards under `output`, by order."""
    import pyarrow.parquet as pq

    table = pq.read_table(str(output), columns=["order", "extraction", "problems"]).sort_by("order")
    for order, blob, problems in zip(*(table.column(c).to_pylist() for c in ("order", "extraction", "problems"))):
        extraction = pickle.loads(blob) if blob is not None else None
        yield order, extraction, [Problem(**p) for p in json.loads(problems)]


class RayExtractor:
    """An `extractor` for `dyad.ingest.ingest_paths`: extracts on Ray and yields the outcomes in input order.

    The shards are kept in `output` when one is given (a Parquet dataset), else written to a temporary
    folder removed afterwards. The pipeline factory is not used: each actor builds the default Pipeline."""

    def __init__(self, address: str | None = None, num_cpus: int | None = None, output: str | None = None):
        self.address, self.num_cpus, self.output = address, num_cpus, output

    def __call__(self, items: Iterable[tuple[Document, Any]], pipeline_factory, doc_timeout: float):
        items = list(items)
        if not items:
            return
        folder = Path(self.output) if self.output else Path(tempfile.mkdtemp(prefix="dyad-ray-"))
        try:
            extract_to_parquet([d for d, _ in items], folder, doc_timeout, self.address, self.num_cpus)
            outcomes = list(read_outcomes(folder))
        finally:
            if not self.output:
                shutil.rmtree(folder, ignore_errors=True)
        if [order for order, _, _ in outcomes] != list(range(len(items))):
            raise RuntimeError(f"the Ray shards in {folder} hold {len(outcomes)} documents, not the "
                               f"{len(items)} sent: an incomplete run")
        for (document, carried), (_, extraction, problems) in zip(items, outcomes):
            yield document, carried, extraction, problems
