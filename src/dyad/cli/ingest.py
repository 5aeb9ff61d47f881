"""`dyad ingest PATH... [--db FILE]`: read articles, extract, store; a summary, the problems and notices.

One ingest at a time per database (a lock file beside it, `FILE.ingest-lock`); the database file itself is
released between save batches so that reading commands work during an ingest.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from ..ingest import DEFAULT_DOC_TIMEOUT, DEFAULT_MAX_BYTES, IngestReport, ingest_paths
from ..parallel import PipelineNotBuilt, WorkerDied, extraction_options
from ..store import DEFAULT_DB
from . import app, error, open_store, shown

console = Console()


def make_pipeline():
    """Built on first need (tests replace it to share one loaded pipeline)."""
    from ..pipeline import Pipeline
    return Pipeline()


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders of .txt, .html, .json, .jsonl articles."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file to write (created if missing)."),
    max_mb: float = typer.Option(DEFAULT_MAX_BYTES / 1e6, "--max-mb", min=0.001,
                                 help="Refuse inputs larger than this."),
    doc_timeout: float = typer.Option(DEFAULT_DOC_TIMEOUT, "--doc-timeout", min=0, metavar="SECONDS",
                                      help="Give up a document's extraction after this long and report it "
                                           "(0: no limit; default from DYAD_DOC_TIMEOUT)."),
    follow_links: bool = typer.Option(False, "--follow-links",
                                      help="Follow symlinks that lead out of the given folders."),
    jobs: int = typer.Option(None, "--jobs", "-j", min=1, show_default="the number of cores",
                             help="Extraction processes (with --engine ray: the CPUs of a local Ray)."),
    engine: str = typer.Option("local", "--engine", help="local (processes on this machine) or ray "
                                                          "(Ray Data; pip install 'dyad\\[ray]')."),
    ray_address: str = typer.Option(None, "--ray-address", envvar="RAY_ADDRESS",
                                    help="Ray cluster to run on (default: a local Ray)."),
    ray_output: Path = typer.Option(None, "--ray-output", help="Keep the Ray run's Parquet shards here."),
) -> None:
    """Read articles, extract events, quotes, facts and actors, and store them. Exit code 1 if any input failed."""
    try:
        options = extraction_options(jobs, engine, ray_address, ray_output)
    except ValueError as exc:
        error(str(exc))
        raise typer.Exit(1) from exc
    with _one_ingest_at_a_time(db):
        store = open_store(str(db), read_only=False)
        try:
            report = _run(paths, store, int(max_mb * 1e6), doc_timeout, follow_links, options)
            counts = store.counts()
            found = found_table(store)
        except (WorkerDied, PipelineNotBuilt) as exc:  # the run cannot go on; what was saved stays saved
            error(str(exc))
            raise typer.Exit(1) from exc
        finally:
            store.close()
    console.print(summary_table(report, counts, db))
    if found is not None:
        console.print(found)
    if report.notices:
        console.print(problems_table(report.notices, "notices (stored)", "yellow"))
    if report.problems:
        console.print(problems_table(report.problems, "problems", "red"))
        raise typer.Exit(1)


@contextmanager
def _one_ingest_at_a_time(db: Path):
    """Refuse a second ingest into the same database while one runs (readers are not affected)."""
    lock_path = Path(f"{db}.ingest-lock")
    try:
        handle = open(lock_path, "a+", encoding="utf-8")
    except OSError as exc:
        error(f"cannot write beside {db}: {exc.strerror or exc}")
        raise typer.Exit(1) from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.seek(0)
            error(f"another ingest is writing {db} (process {handle.read().strip() or '?'}): "
                  f"wait for it to finish")
            raise typer.Exit(1) from exc
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            lock_path.unlink(missing_ok=True)
    finally:
        handle.close()


def _run(paths: list[Path], store, max_bytes: int, doc_timeout: float, follow_links: bool,
         options: dict | None = None) -> IngestReport:
    columns = (TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.description}"))
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("reading", total=None)
        done = 0

        def on_start(total: int) -> None:
            progress.update(task, total=total)

        def on_document(document) -> None:  # called as each document starts
            nonlocal done
            progress.update(task, completed=done, description=shown(document.id))
            done += 1

        report = ingest_paths(paths, store, pipeline_factory=make_pipeline, on_start=on_start,
                              on_document=on_document, max_bytes=max_bytes, doc_timeout=doc_timeout,
                              follow_links=follow_links, release_store=True, **(options or {}))
        progress.update(task, completed=done)
    return report


def summary_table(report: IngestReport, counts: dict[str, int], db: Path) -> Table:
    table = Table(title=f"ingest summary ({shown(db)})", title_justify="left")
    table.add_column("")
    table.add_column("this run", justify="right")
    table.add_column("in database", justify="right")
    table.add_row("documents new", str(report.new), "")
    table.add_row("documents updated", str(report.updated), "")
    table.add_row("documents unchanged", str(report.unchanged), "")
    table.add_row("inputs failed", str(report.failed), "", style="red" if report.failed else None)
    table.add_row("documents", str(report.new + report.updated), str(counts["documents"]))
    for name in ("events", "quotes", "facts", "actors"):
        table.add_row(name, str(getattr(report, name)), str(counts[name]))
    return table


def found_table(store, top: int = 8) -> Table | None:
    """What the store holds: the most frequent dyads, with their event types and net score."""
    rows = store.connection.execute(f"""
        WITH parties AS (
            SELECT type, score,
                   list_sort(list_distinct(list_filter(
                       list_transform(from_json(actors, '["json"]'), lambda a: json_extract_string(a, '$.code')) ||
                       list_transform(from_json(recipients, '["json"]'), lambda a: json_extract_string(a, '$.code')),
                       lambda c: c IS NOT NULL))) AS codes
            FROM events)
        SELECT array_to_string(codes, ' – ') AS dyad, count(*) AS n, round(sum(score), 1) AS net,
               string_agg(DISTINCT type, ', ' ORDER BY type) AS types
        FROM parties WHERE len(codes) = 2 GROUP BY dyad ORDER BY n DESC, dyad LIMIT {int(top)}""").fetchall()
    if not rows:
        return None
    table = Table(title="most reported dyads", title_justify="left")
    for name, justify in (("dyad", "left"), ("events", "right"), ("net score", "right"), ("types", "left")):
        table.add_column(name, justify=justify)
    for dyad, n, net, types in rows:
        table.add_row(shown(dyad), str(n), f"{net:+.1f}", shown(types))
    return table


def problems_table(problems: list, title: str, style: str) -> Table:
    table = Table(title=title, title_justify="left", title_style=style)
    table.add_column("input", overflow="fold")
    table.add_column("reason", overflow="fold")
    for problem in problems:
        table.add_row(shown(problem.source), shown(problem.reason))
    return table
