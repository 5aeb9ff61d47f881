"""`dyad ingest PATH... [--db FILE]`: read articles, extract, store; a summary and the problems."""
from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..ingest import DEFAULT_MAX_BYTES, IngestReport, ingest_paths
from ..store import DEFAULT_DB
from . import app, open_store

console = Console()


def make_pipeline():
    """Built on first need (tests replace it to share one loaded pipeline)."""
    from ..pipeline import Pipeline
    return Pipeline()


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders of .txt, .html, .json, .jsonl articles."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file to write (created if missing)."),
    max_mb: float = typer.Option(DEFAULT_MAX_BYTES / 1e6, "--max-mb", help="Refuse inputs larger than this."),
) -> None:
    """Read articles, extract events, quotes, facts and actors, and store them. Exit code 1 if any input failed."""
    store = open_store(str(db), read_only=False)
    try:
        report = _run(paths, store, int(max_mb * 1e6))
        counts = store.counts()
        found = found_table(store)
    finally:
        store.close()
    console.print(summary_table(report, counts, db))
    if found is not None:
        console.print(found)
    if report.problems:
        console.print(problems_table(report))
        raise typer.Exit(1)


def _run(paths: list[Path], store, max_bytes: int) -> IngestReport:
    columns = (TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.description}"))
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("reading", total=None)
        done = 0

        def on_start(total: int) -> None:
            progress.update(task, total=total)

        def on_document(document) -> None:  # called as each document starts
            nonlocal done
            progress.update(task, completed=done, description=document.id)
            done += 1

        report = ingest_paths(paths, store, pipeline_factory=make_pipeline, on_start=on_start,
                              on_document=on_document, max_bytes=max_bytes)
        progress.update(task, completed=done)
    return report


def summary_table(report: IngestReport, counts: dict[str, int], db: Path) -> Table:
    table = Table(title=f"ingest summary ({db})", title_justify="left")
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
        table.add_row(dyad, str(n), f"{net:+.1f}", types)
    return table


def problems_table(report: IngestReport) -> Table:
    table = Table(title="problems", title_justify="left", title_style="red")
    table.add_column("input", overflow="fold")
    table.add_column("reason", overflow="fold")
    for problem in report.problems:
        table.add_row(problem.source, problem.reason)
    return table
