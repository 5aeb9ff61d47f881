"""The thin command line over the library: one module per command group (as in spaCy's CLI).

Everything printed that comes from the data (ids, paths, article text, reasons) goes through `shown`: Rich
markup in it is escaped and control characters are printed as escapes, never executed by the terminal.
"""
from __future__ import annotations

import importlib
import unicodedata

import typer
from rich.markup import escape

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="dyad: sourced PLOVER event data from news about international relations.")

# The bar a user sets on an event's `reliability` (the learned estimate that it is right as coded).
MinReliability = typer.Option(None, "--min-reliability", min=0.0, max=1.0,
                              help="Only events whose reliability (the learned estimate, 0 to 1, that the event "
                                   "is right as coded) is at least this.")

# Each module registers its commands on `app` when imported.
COMMAND_MODULES = ("ingest", "events", "export", "actors", "stories", "evaluate", "analysis", "serve", "resolve",
                   "promises", "train")
# Control, format (bidi overrides …), line/paragraph separator and unassigned or private characters.
HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def _register() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}")


def main() -> None:
    _register()
    app()


def visible(value: object) -> str:
    """`value` as text with every control or format character written as an escape (\\x1b, \\u202e)."""
    text = "" if value is None else str(value)
    return "".join(_escaped(c) if unicodedata.category(c) in HIDDEN_CATEGORIES else c for c in text)


def _escaped(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(value: object) -> str:
    """`value` safe to embed in Rich markup: markup escaped, control characters visible."""
    return escape(visible(value))


def error(message: object) -> None:
    """A short red error line on stderr; the message is data, never markup."""
    from rich.console import Console

    Console(stderr=True).print(f"[red]error:[/] {shown(message)}", highlight=False, soft_wrap=True)


def open_store(db: str, read_only: bool = True):
    """The store at `db`, or a short error and exit code 1 (commands that only read never create one)."""
    from ..store import Store, StoreError

    try:
        return Store(db, read_only=read_only)
    except StoreError as exc:
        error(exc)
        raise typer.Exit(1) from exc
