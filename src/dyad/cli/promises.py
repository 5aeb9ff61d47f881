"""`dyad promises` and `dyad promise ID`: the promise ledger — what was promised, by whom, how often, and
whether it happened (see dyad.promises)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from ..store import DEFAULT_DB
from . import app, open_store

console = Console()
SNIPPET_CHARS = 110
REPORTS_SHOWN = 6
ACT_WORDS_SHOWN = 5
REBUILD_LOCK_WAIT = 2.0  # seconds to wait for write access before computing the ledger in memory
STATUS_STYLE = {"kept": "green", "broken": "red", "overdue": "yellow", "open": "cyan"}


def _snippet(text: str | None, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _fail(message: str) -> None:
    Console(stderr=True).print(f"[red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


@app.command("promises")
def promises_command(
    between: Optional[tuple[str, str]] = typer.Option(None, "--between", metavar="A B",
                                                      help="Only promises between two actors (codes: RUS IRN)."),
    status: Optional[List[str]] = typer.Option(None, "--status", help="kept, broken, overdue or open (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per thread, as `dyad export promises`."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `dyad ingest`."),
) -> None:
    """Promise threads, most reported first: parties, promised act, first promised, reports, sources, status."""
    pair = tuple(between) if between else None
    rows = _threads(db, pair, status or None)
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    if not rows:
        console.print("no promise" + (f" between {' and '.join(pair)}" if pair else "") +
                      (f" with status {', '.join(status)}" if status else ""))
        return
    console.print(_ledger_table(rows))


def _threads(db: Path, between=None, status=None, promise_id: str | None = None) -> list[dict]:
    """The selected threads: read from the stored ledger when it is fresh; else computed from the store opened
    read-only, then saved (write access is taken only to save, and skipped when an ingest holds the file)."""
    from ..promises import (
        PromiseError,
        compute,
        is_fresh,
        promises,
        save,
        select,
        thread,
    )
    from ..store import Store, StoreBusy

    try:
        with open_store(str(db)) as store:
            if is_fresh(store.connection):
                if promise_id:
                    found = thread(store, promise_id)
                    return [found] if found else []
                return promises(store, between=between, status=status)
            select([], between, status)  # a bad argument fails before the work
            stamp, records = compute(store.connection)
    except PromiseError as exc:
        _fail(str(exc))
    try:
        with Store(db, lock_wait=REBUILD_LOCK_WAIT) as store:
            save(store, stamp, records)
    except StoreBusy:
        pass
    return select(records, between, status, promise_id)


def _ledger_table(rows: list[dict]) -> Table:
    table = Table(title="promise ledger")
    table.add_column("promise", no_wrap=True)
    for name in ("parties", "act", "first", "due", "docs", "srcs", "status", "reports"):
        table.add_column(name, overflow="fold", min_width=5 if name in ("docs", "srcs") else None)
    for r in rows:
        table.add_row(r["promise_id"], r["direction"], _act_summary(r),
                      r["first_promised"] or "?", _deadline(r["deadline"]), str(r["documents"]), str(r["sources"]),
                      _status(r), _report_lines(r["reports"]))
    return table


def _act_summary(row: dict) -> str:
    """Act type and its object words, most shared first (the act as told is in `dyad promise ID`)."""
    words = ", ".join(row["act_words"][:ACT_WORDS_SHOWN]) + (", …" if len(row["act_words"]) > ACT_WORDS_SHOWN else "")
    return f"{row['act_type'] or '(act unread)'}: {words or '(no object named)'}"


def _deadline(deadline: dict | None) -> str:
    return deadline["value"] if deadline else ""


def _status(row: dict) -> str:
    style = STATUS_STYLE.get(row["status"], "")
    lag = f" +{row['lag_days']}d" if row.get("lag_days") is not None else ""
    return f"[{style}]{row['status']}[/]{lag}"


def _short_source(report: dict) -> str:
    """The outlet, or the document when the outlet is unknown (the full label is in `dyad promise ID`)."""
    if report.get("outlet") or not report["source"].startswith("unknown outlet"):
        return _snippet(report["source"], 20)
    return f"doc {_snippet(report['doc_id'], 10)}"


def _report_lines(reports: list[dict]) -> str:
    lines = [f"{r['promised_on'] or '?'} {_short_source(r)}" for r in reports[:REPORTS_SHOWN]]
    if len(reports) > REPORTS_SHOWN:
        lines.append(f"… +{len(reports) - REPORTS_SHOWN} more")
    return "\n".join(lines)


@app.command("promise")
def promise_command(
    promise_id: str = typer.Argument(..., help="A promise id from `dyad promises`."),
    as_json: bool = typer.Option(False, "--json", help="The thread as one JSON object."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `dyad ingest`."),
) -> None:
    """One promise: its reports in order with their sources, its deadline, and what decided its status."""
    found = _threads(db, promise_id=promise_id.strip())
    row = found[0] if found else None
    if row is None:
        _fail(f"no promise {promise_id!r}: `dyad promises` lists them")
    if as_json:
        typer.echo(json.dumps(row, ensure_ascii=False))
        return
    console.print(f"[bold]{row['promise_id']}[/] {row['direction']} promise to {row['act_type'] or '—'}: "
                  f"{row['act']}", highlight=False)
    console.print(f"first promised {row['first_promised'] or '?'}; {len(row['reports'])} reports in "
                  f"{row['documents']} documents, {row['sources']} independent sources "
                  f"({', '.join(row['source_names'])}); deadline {_deadline(row['deadline']) or 'none stated'}",
                  highlight=False)
    console.print(f"status {_status(row)}")
    if row["decided_by"]:
        d = row["decided_by"]
        console.print(f"decided by {d['event_id']} ({d['outlet'] or 'unknown outlet'}, {d['published'] or '?'}): "
                      f"{d['reason']}\n  “{_snippet(d['evidence']['text'], 300)}”", highlight=False)
    _print_reports(row["reports"])


def _print_reports(reports: list[dict]) -> None:
    """Each report on its own lines (a sentence reads badly in a narrow table column)."""
    console.print("[bold]reports[/]")
    for n, r in enumerate(reports, 1):
        console.print(f"{n}. promised {r['promised_on'] or '?'}, published {r['published'] or '?'} by {r['source']} "
                      f"({r['doc_id']}, {r['event_id']})", highlight=False)
        console.print(f"   “{_snippet(r['evidence']['text'], 300)}”", highlight=False)
