"""`dyad eval`: score the event coder on gold sentences (PLOVER GSR format)."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from ..evaluate import (
    NONE,
    PLOVER_TYPES,
    SCORED_FLAGS,
    GoldError,
    Report,
    evaluate,
    load_gold,
    pipeline_predictor,
)
from . import app, error, shown


@app.command("eval")
def eval_command(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Gold JSONL: one coded sentence a line."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON instead of tables."),
    errors: Path | None = typer.Option(None, "--errors", help="Write each wrongly coded record (JSONL) here."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Score only the first N sentences."),
) -> None:
    """Code each gold sentence with the pipeline and compare type, actors, recipients and mode."""
    try:
        rows = load_gold(gold)
    except GoldError as exc:
        raise typer.BadParameter(str(exc), param_hint="GOLD") from None
    rows = rows[:limit] if limit else rows
    err = Console(stderr=True)
    with err.status("Loading the pipeline..."):
        from ..pipeline import Pipeline
        predict = pipeline_predictor(Pipeline())
    report = _run_with_progress(rows, predict, err)
    if errors:
        try:
            _write_errors(report, errors)
        except OSError as exc:
            error(f"cannot write {errors}: {exc.strerror or exc}")
            raise typer.Exit(1) from exc
        err.print(f"{len(report.errors())} wrong records written to {shown(errors)}", highlight=False)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        render(report, Console())


def _run_with_progress(rows, predict, console: Console) -> Report:
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Coding sentences", total=len(rows))

        def predict_and_advance(text):
            try:
                return predict(text)
            finally:
                progress.advance(task)

        return evaluate(rows, predict_and_advance)


def _write_errors(report: Report, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in report.errors():
            row = asdict(record)
            row["type_correct"] = record.type_correct
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def render(report: Report, console: Console) -> None:
    console.print(_summary_table(report))
    console.print(_per_type_table(report))
    console.print(_confusion_table(report))


def _summary_table(report: Report) -> Table:
    table = Table(title="dyad eval: summary")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("scored over", justify="right")
    summary = report.summary()
    for key in ("sentences", "with_prediction", "events_per_sentence", "predict_errors", "type_accuracy", "macro_f1"):
        table.add_row(key, _fmt(summary[key]), "")
    for name in SCORED_FLAGS.values():
        table.add_row(f"{name}_accuracy", _fmt(summary[f"{name}_accuracy"]), str(summary[f"{name}_scored"]))
    return table


def _per_type_table(report: Report) -> Table:
    table = Table(title=f"per type (macro-F1 {report.macro_f1:.3f})")
    for name in ("type", "gold", "predicted", "correct", "precision", "recall", "F1"):
        table.add_column(name, justify="left" if name == "type" else "right")
    for t in report.per_type:
        table.add_row(shown(t.type), str(t.gold), str(t.predicted), str(t.correct),
                      f"{t.precision:.3f}", f"{t.recall:.3f}", f"{t.f1:.3f}")
    return table


def _confusion_table(report: Report) -> Table:
    """Gold types as rows, predicted types as columns; only types that occur, so it fits a terminal."""
    seen = {p for row in report.confusion.values() for p in row}
    columns = [t for t in (*PLOVER_TYPES, NONE) if t in seen]
    table = Table(title="confusion: gold (rows) x predicted (columns)", title_justify="left",
                  box=box.SIMPLE_HEAD, padding=(0, 0))
    table.add_column("gold", no_wrap=True, min_width=10)
    for name in columns:
        table.add_column(name[:4], justify="right", no_wrap=True, min_width=4)  # the first four letters are unique
    for gold in PLOVER_TYPES:
        row = report.confusion.get(gold)
        if row:
            table.add_row(shown(gold), *[_cell(row.get(p, 0), p == gold) for p in columns])
    return table


def _cell(count: int, diagonal: bool) -> str:
    if not count:
        return "."
    return f"[bold green]{count}[/]" if diagonal else str(count)


def _fmt(value) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)
