"""`dyad export TABLE [--format jsonl|csv|parquet] [-o FILE] [--force]`: never onto the store, never over an
existing file without --force; CSV cells a spreadsheet would run as formulas are neutralised (see export.py)."""
from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..export import FORMATS, TABLES, export_table
from ..store import DEFAULT_DB, StoreError
from . import app, error, open_store, shown

Table = Enum("Table", {name: name for name in TABLES}, type=str)
Format = Enum("Format", {name: name for name in FORMATS}, type=str)


@app.command()
def export(
    table: Table = typer.Argument(..., help="What to export."),
    db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `dyad ingest`."),
    format: Format = typer.Option("jsonl", "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Output file (default: stdout)."),
    force: bool = typer.Option(False, "--force", help="Replace the output file if it exists."),
) -> None:
    """Write a table as JSONL, CSV or Parquet, in the schemas of DESIGN.md."""
    if format.value == "parquet" and output is None:
        error("parquet is binary: give an output file with -o FILE")
        raise typer.Exit(2)
    with open_store(str(db)) as store:
        try:
            count = export_table(store, table.value, format.value, output, force=force)
        except (StoreError, OSError) as exc:
            error(exc)
            raise typer.Exit(1) from exc
    if output is not None:
        Console(stderr=True).print(f"{count} {table.value} rows → {shown(output)}", highlight=False, soft_wrap=True)
