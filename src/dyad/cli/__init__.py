"""The thin command line over the library: one module per command group (as in spaCy's CLI)."""
from __future__ import annotations

import importlib

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="dyad: sourced PLOVER event data from news about international relations.")

# Each module registers its commands on `app` when imported.
COMMAND_MODULES = ("ingest", "events", "export", "actors", "stories", "evaluate")


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise


def main() -> None:
    _register()
    app()


def open_store(db: str, read_only: bool = True):
    """The store at `db`, or a short error and exit code 1 (commands that only read never create one)."""
    from rich.console import Console

    from ..store import Store, StoreError

    try:
        return Store(db, read_only=read_only)
    except StoreError as exc:
        Console(stderr=True).print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from exc
