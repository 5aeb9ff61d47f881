"""`dyad events`: the stored events as a table, filtered by dyad, type and date."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ..store import DEFAULT_DB, StoreError
from . import MinReliability, app, error, open_store, shown

console = Console()
SNIPPET_CHARS = 90


@app.command()
def events(
    db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `dyad ingest`."),
    between: Optional[tuple[str, str]] = typer.Option(None, "--between", metavar="A B",
                                                      help="Only events between two actors (codes: RUS IRN)."),
    type: Optional[str] = typer.Option(None, "--type", help="Only this PLOVER type (AGREE, CONSULT …)."),
    since: Optional[str] = typer.Option(None, "--since", help="Only events dated on or after this date "
                                                               "(YYYY-MM-DD, YYYY-MM or YYYY)."),
    min_reliability: Optional[float] = MinReliability,
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many rows."),
) -> None:
    """List events: date, type, actors → recipients, aux and the evidence."""
    with open_store(str(db)) as store:
        try:
            rows = store.events(between=between, type=type, since=since, limit=limit,
                                min_reliability=min_reliability)
        except StoreError as exc:
            error(exc)
            raise typer.Exit(2) from exc
    if not rows:
        console.print("no events match" if (between or type or since or min_reliability is not None) else
                      "no events stored yet: run `dyad ingest PATH` first")
        return
    console.print(events_table(rows))


def events_table(rows: list[dict]) -> Table:
    table = Table(show_lines=False)
    for name in ("date", "type", "who → whom", "aux", "evidence", "doc"):
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(shown(row["date"]), shown(row["type"]), shown(dyad_label(row)), shown(row["aux"]),
                      shown(snippet(row["evidence"])), shown(row["doc_id"]))
    return table


def actor_label(actor: dict) -> str:
    return actor.get("code") or actor.get("name") or actor.get("text") or "?"


def dyad_label(row: dict) -> str:
    """ "RUS, IRN → WST (context)": a party the sentence does not name is marked as taken from the context."""
    inferred = set(row.get("from_context") or [])

    def label(actor: dict) -> str:
        text = actor_label(actor)
        return f"{text} (context)" if text in inferred else text
    actors = ", ".join(label(a) for a in row["actors"])
    recipients = ", ".join(label(a) for a in row["recipients"])
    return f"{actors} → {recipients}" if recipients else actors


def snippet(evidence: dict | None, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join(((evidence or {}).get("text") or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
