"""`dyad stories` and `dyad story ID`: reports of one happening across documents, with their sources."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ..store import DEFAULT_DB
from . import app, open_store, shown

console = Console()
SNIPPET_CHARS = 100


def _snippet(text: str | None, limit: int = SNIPPET_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


@app.command("stories")
def stories_command(
    db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `dyad ingest`."),
    limit: Optional[int] = typer.Option(20, "--limit", min=1, help="At most this many stories."),
    min_docs: int = typer.Option(2, "--min-docs", min=1, help="Only stories told by at least this many documents."),
) -> None:
    """List stories, largest first: size, type, participants, date, outlets."""
    from ..stories import list_stories

    with open_store(str(db)) as store:
        rows = list_stories(store.connection, limit=limit, min_documents=min_docs)
    if not rows:
        console.print(f"no story is told by {min_docs}+ documents" + (" (try --min-docs 1)" if min_docs > 1 else ""))
        return
    table = Table()
    for name in ("story", "docs", "indep.", "kind/type", "participants", "date", "place", "outlets"):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(shown(r["story_id"]), str(r["documents"]), str(r["independent_sources"]),
                      shown(r["type"] if r["kind"] == "event" else "quote"), shown(", ".join(r["participants"])),
                      shown(r["date"]), shown(r["location"]), shown(", ".join(r["outlets"]) or "(unknown)"))
    console.print(table)


@app.command("story")
def story_command(
    story_id: str = typer.Argument(..., help="A story id from `dyad stories`."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `dyad ingest`."),
) -> None:
    """One story: its reports with their evidence, its sources, why they were linked, and disagreements."""
    from ..stories import get_story

    with open_store(str(db)) as store:
        story = get_story(store.connection, story_id)
    if story is None:
        console.print(f"[red]no story {shown(repr(story_id))}[/]: `dyad stories` lists them", highlight=False)
        raise typer.Exit(1)
    console.print(f"[bold]{shown(story['story_id'])}[/] {shown(story['kind'])} {shown(story['type'])} "
                  f"{shown(', '.join(story['participants']))}  date {shown(story['date'] or '?')}  "
                  f"place {shown(story['location'] or '?')}", highlight=False)
    console.print(f"{story['documents']} documents, {story['independent_sources']} independent sources "
                  f"({shown(', '.join(story['sources']))}); first report {shown(story['first_report'] or '?')}, "
                  f"last {shown(story['last_report'] or '?')}", highlight=False)
    console.print(_members_table(story))
    if story.get("links"):
        console.print(_links_table(story["links"]))
    for d in story["disagreements"]:
        values = "; ".join(f"{v['value']} ({', '.join(s['doc_id'] for s in v['sources'])})" for v in d["values"])
        console.print(f"[yellow]disagreement on {shown(d['field'])}[/]: {shown(values)}", highlight=False)


def _members_table(story: dict) -> Table:
    table = Table(title="reports")
    for name in ("doc", "outlet", "date", "evidence"):
        table.add_column(name, overflow="fold")
    for m in story["members"]:
        table.add_row(shown(m["doc_id"]), shown(m.get("outlet")), shown(m.get("date")),
                      shown(_snippet(m.get("evidence"))))
    return table


def _links_table(links: list[dict]) -> Table:
    table = Table(title="why linked")
    for name in ("report", "matched", "score", "reasons"):
        table.add_column(name, overflow="fold")
    for link in links:
        table.add_row(shown(link["id"]), shown(link["linked_to"]), f"{link['score']:.2f}",
                      shown("; ".join(link["reasons"])))
    return table
