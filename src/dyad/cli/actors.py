"""`dyad actors` (the registry as a table) and `dyad actor NAME` (one actor in full)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ..store import DEFAULT_DB
from . import app, open_store, shown
from .events import events_table

console = Console()


@app.command()
def actors(
    db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `dyad ingest`."),
    kind: Optional[str] = typer.Option(None, "--kind", help="Only state, organization, person or group."),
) -> None:
    """List the actors of the registry."""
    with open_store(str(db)) as store:
        rows = store.actors(kind=kind)
    if not rows:
        console.print("no actors stored yet: run `dyad ingest PATH` first")
        return
    table = Table()
    for name in ("actor_id", "kind", "name", "country", "sector", "docs"):
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(shown(row[k]) for k in ("actor_id", "kind", "name", "country", "sector")),
                      str(len(row["doc_ids"] or [])))
    console.print(table)


@app.command()
def actor(
    name: str = typer.Argument(..., help="Actor id, code, name or alias (\"state:RUS\", \"RUS\", \"Vladimir Putin\")."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `dyad ingest`."),
) -> None:
    """One actor: its roles, events, quotes and documents."""
    with open_store(str(db)) as store:
        found = store.actor(name)
    if found is None:
        console.print(f"[red]no actor {shown(repr(name))}[/]: `dyad actors` lists them", highlight=False)
        raise typer.Exit(1)
    console.print(f"[bold]{shown(found['name'])}[/] ({shown(found['actor_id'])}, {shown(found['kind'])})",
                  highlight=False)
    details = [f"{k}: {found[k]}" for k in ("country", "sector") if found.get(k)]
    if found.get("aliases"):
        details.append("aliases: " + ", ".join(found["aliases"]))
    for line in details:
        console.print("  " + shown(line), highlight=False)
    _print_roles(found.get("roles") or [])
    if found["events"]:
        console.print(events_table(found["events"]))
    _print_quotes(found["quotes"])
    _print_documents(found["documents"])


def _print_roles(roles: list[dict]) -> None:
    if not roles:
        return
    table = Table(title="roles", title_justify="left")
    for name in ("title", "country", "sector", "start", "end", "source"):
        table.add_column(name)
    for role in roles:
        table.add_row(*(shown(role.get(k)) for k in ("title", "country", "sector", "start", "end", "source")))
    console.print(table)


def _print_quotes(quotes: list[dict]) -> None:
    if not quotes:
        return
    table = Table(title="quotes", title_justify="left")
    table.add_column("quote", overflow="fold")
    table.add_column("doc")
    for quote in quotes:
        table.add_row(f"“{shown(quote['text'])}”", shown(quote["doc_id"]))
    console.print(table)


def _print_documents(documents: list[dict]) -> None:
    if not documents:
        return
    table = Table(title="documents", title_justify="left")
    for name in ("doc_id", "published", "outlet", "title"):
        table.add_column(name, overflow="fold")
    for doc in documents:
        table.add_row(shown(doc["doc_id"]), shown(doc["published"] or doc["published_bound"]),
                      shown(doc["outlet"]), shown(doc["title"]))
    console.print(table)
