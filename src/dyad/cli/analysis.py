"""`dyad series A B`, `dyad network`, `dyad changes`: the analyses of dyad.analysis, as tables or exports."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ..store import DEFAULT_DB
from . import MinReliability, app, error, open_store, shown

console = Console()
err = Console(stderr=True)
Freq = Enum("Freq", {name: name for name in ("day", "week", "month")}, type=str)
Output = Enum("Output", {name: name for name in ("table", "jsonl", "csv", "parquet")}, type=str)
DB_HELP = "DuckDB file written by `dyad ingest`."


def _fail(message: str, code: int = 1) -> None:
    error(message)
    raise typer.Exit(code)


def _counts(counts: dict[str, int]) -> str:
    return shown(", ".join(f"{t} {n}" for t, n in counts.items()))


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}"


def _write(rows: list[dict], fmt: str, output: Optional[Path], what: str) -> None:
    from ..analysis import AnalysisError, write_rows

    try:
        count = write_rows(rows, fmt, output)
    except AnalysisError as exc:
        _fail(str(exc), 2)
    if output is not None:
        err.print(f"{count} {what} rows → {shown(output)}", highlight=False, soft_wrap=True)


@app.command()
def series(
    a: str = typer.Argument(..., help="One actor: a code (JPN) or an actor id (state:JPN)."),
    b: str = typer.Argument(..., help="The other actor."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
    freq: Freq = typer.Option("month", "--freq", help="Period length."),
    since: Optional[str] = typer.Option(None, "--since", help="Only events dated on or after this ISO date."),
    until: Optional[str] = typer.Option(None, "--until", help="Only events dated on or before this ISO date."),
    min_reliability: Optional[float] = MinReliability,
    format: Output = typer.Option("table", "--format", "-f", help="A table, or an export format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Export file (default: stdout)."),
) -> None:
    """Per period: events by PLOVER type (A→B, B→A, joint), summed and mean score, independent stories."""
    from ..analysis import AnalysisError, series_rows
    from ..analysis import series as series_of

    with open_store(str(db)) as store:
        try:
            result = series_of(store.connection, a, b, freq.value, since, until, min_reliability)
        except AnalysisError as exc:
            _fail(str(exc), 2)
    if format.value != "table":
        return _write(series_rows(result), format.value, output, "series")
    if not result["events"]:
        console.print(f"no events between {shown(result['a'])} and {shown(result['b'])}")
        return
    a, b = shown(result["a"]), shown(result["b"])
    table = Table(title=f"{a} – {b} by {result['freq']}", title_justify="left")
    for name in ("period", "events", "stories", "score sum", "mean", f"{a}→{b}", f"{b}→{a}", "joint"):
        table.add_column(name, overflow="fold")
    for p in result["periods"]:
        net = p["score_sum"] if p["events"] else None
        table.add_row(shown(p["period"]), str(p["events"]), str(p["stories"]), _score(net), _score(p["score_mean"]),
                      _counts(p["a_to_b"]), _counts(p["b_to_a"]), _counts(p["joint"]))
    console.print(table)
    if result["unplaced"]:
        console.print(f"{result['unplaced']} events dated too coarsely for a {result['freq']} are not in a period")


@app.command()
def network(
    db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
    since: Optional[str] = typer.Option(None, "--since", help="Only events dated on or after this ISO date."),
    until: Optional[str] = typer.Option(None, "--until", help="Only events dated on or before this ISO date."),
    min_events: int = typer.Option(1, "--min-events", min=1, help="Only dyads with at least this many events."),
    actor: Optional[str] = typer.Option(None, "--actor", help="Only the edges touching this actor."),
    by: str = typer.Option("code", "--by", help="Nodes are codes (states, organisations) or actor ids."),
    min_reliability: Optional[float] = MinReliability,
    nodes: bool = typer.Option(False, "--nodes", help="Export the nodes instead of the edges."),
    format: Output = typer.Option("table", "--format", "-f", help="A table, or an export format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Export file (default: stdout)."),
) -> None:
    """Actors as nodes, dyads as weighted, signed edges (events, net and mean score, each way)."""
    from ..analysis import AnalysisError, network_rows
    from ..analysis import network as network_of

    with open_store(str(db)) as store:
        try:
            result = network_of(store.connection, since, until, min_events, actor, by,
                                min_reliability=min_reliability)
        except AnalysisError as exc:
            _fail(str(exc), 2)
    if format.value != "table":
        return _write(network_rows(result, "nodes" if nodes else "edges"), format.value, output,
                      "node" if nodes else "edge")
    if not result["edges"]:
        console.print("no dyad matches")
        return
    labels = {n["id"]: n["label"] for n in result["nodes"]}
    table = Table(title=f"{len(result['nodes'])} actors, {len(result['edges'])} dyads", title_justify="left")
    for name in ("dyad", "names", "events", "→", "←", "score sum", "mean", "types"):
        table.add_column(name, overflow="fold")
    for e in result["edges"]:
        table.add_row(shown(f"{e['source']} – {e['target']}"), shown(f"{labels[e['source']]} – {labels[e['target']]}"),
                      str(e["events"]), str(e["source_to_target"]), str(e["target_to_source"]),
                      _score(e["score_sum"]), _score(e["score_mean"]), _counts(e["types"]))
    console.print(table)


@app.command()
def changes(
    first: Optional[str] = typer.Argument(None, help="Earlier period: 2025-03 or 2025-01..2025-03."),
    second: Optional[str] = typer.Argument(None, help="Later period (default: the last two months with events)."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
    limit: int = typer.Option(20, "--limit", min=1, help="At most this many dyads."),
    min_events: int = typer.Option(1, "--min-events", min=1, help="Events needed in at least one period."),
    format: Output = typer.Option("table", "--format", "-f", help="A table, or an export format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Export file (default: stdout)."),
) -> None:
    """The dyads whose net score moved most between two periods."""
    from ..analysis import AnalysisError
    from ..analysis import changes as changes_of

    with open_store(str(db)) as store:
        try:
            result = changes_of(store.connection, first, second, limit, min_events)
        except AnalysisError as exc:
            _fail(str(exc), 2)
    if format.value != "table":
        return _write(result["dyads"], format.value, output, "change")
    if not result["dyads"]:
        console.print("no dyad has events in these periods" if result["first"] else
                      "fewer than two months hold events: give the periods, e.g. `dyad changes 2024 2025`")
        return
    span = {k: f"{v['since']}..{v['until']}" if v["since"] != v["until"] else v["since"]
            for k, v in (("first", result["first"]), ("second", result["second"]))}
    table = Table(title=f"net score {shown(span['first'])} → {shown(span['second'])}", title_justify="left")
    for name in ("dyad", "events before", "events after", "score before", "score after", "change"):
        table.add_column(name, overflow="fold")
    for d in result["dyads"]:
        table.add_row(shown(f"{d['a']} – {d['b']}"), str(d["events_first"]), str(d["events_second"]),
                      _score(d["score_first"]), _score(d["score_second"]), _score(d["delta"]))
    console.print(table)
