"""`dyad export TABLE [--format jsonl|csv|parquet] [-o FILE]`."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..export import FORMATS, TABLES, export_table
from ..store import DEFAULT_DB, StoreError
from . import app, open_store

Table = Enum("Table", {name: name for name in TABLES}, type=str)
Format = Enum("Format", {name: name for name in FORMATS}, type=str)


@app.command()
def export(
    table: Table = typer.Argument(..., help="What to export."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `dyad ingest`."),
    format: Format = typer.Option("jsonl", "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file (default: stdout)."),
) -> None:
    """Write a table as JSONL, CSV or Parquet, in the schemas of DESIGN.md."""
    err = Console(stderr=True)
    if format.value == "parquet" and output is None:
        err.print("[red]error:[/] parquet is binary: give an output file with -o FILE", highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    with open_store(str(db)) as store:
        try:
            count = export_table(store, table.value, format.value, output)
        except StoreError as exc:
            err.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from exc
    if output is not None:
        err.print(f"{count} {table.value} rows → {output}", highlight=False, soft_wrap=True)
