"""`dyad resolve "PHRASE" [--date D] [--context TEXT] [--json]`: one phrase to a code and a PLOVER sector."""
from __future__ import annotations

import json

import typer
from rich.console import Console

from . import app

console = Console()


@app.command()
def resolve(
    phrase: str = typer.Argument(..., help="An actor phrase: \"Kassym-Jomart Tokayev\", \"Kenyan police\", \"BJP\"."),
    date: str | None = typer.Option(None, "--date", help="Date the phrase is read at (YYYY-MM-DD): offices held then."),
    context: str | None = typer.Option(None, "--context",
                                       help="Text around the phrase; gives a state the phrase lacks."),
    as_json: bool = typer.Option(False, "--json", help="Print the resolution as one JSON object."),
) -> None:
    """Resolve an actor phrase to its state or organisation code, PLOVER sector, name and why."""
    from ..actors.resolve import resolve_actor

    try:
        found = resolve_actor(phrase, date=date, context=context)
    except ValueError as err:
        Console(stderr=True).print(f"[red]error:[/] {err}", highlight=False)
        raise typer.Exit(1) from err
    if as_json:
        print(json.dumps(found.as_dict(), ensure_ascii=False))
        return
    for key, value in found.as_dict().items():
        console.print(f"[bold]{key:>8}[/] {value if value is not None else '-'}", highlight=False)
