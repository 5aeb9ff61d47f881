"""`dyad train`: fit the learned coder on the annotated data and write its model (see dyad.learn.train)."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from . import app, error, visible


@app.command("train")
def train_command(
    out: Path = typer.Option(None, "--out", "-o", help="Model file to write (default: the packaged coder.json)."),
    compare: bool = typer.Option(True, "--compare/--no-compare", help="Also fit gradient-boosted trees and "
                                 "print the model-family comparison on the dev split."),
    final: bool = typer.Option(True, "--final/--no-final", help="Refit on train + dev after choosing thresholds."),
    report: Path = typer.Option(None, "--report", help="Write the training report (JSON) here."),
    warm_start: bool = typer.Option(True, "--warm-start/--cold-start", help="Also start the threshold search "
                                    "from the thresholds of the model file in use."),
) -> None:
    """Train the event-type and role models (run in the dyad checkout; needs the `train` extra)."""
    try:
        import sklearn  # noqa: F401
    except ImportError:
        error("training needs scikit-learn: pip install -e '.[train]'")
        raise typer.Exit(1) from None
    from ..datafiles import packaged
    from ..learn.model import MODEL_FILE
    from ..learn.train import TrainingError, train

    target = out or Path(str(packaged(MODEL_FILE)))
    try:
        result = train(target, compare=compare, final=final, warm_start=warm_start,
                       log=lambda m: typer.echo(visible(m), err=True))
    except TrainingError as exc:
        error(str(exc))
        raise typer.Exit(1) from None
    text = json.dumps(result, indent=2)
    if report:
        report.write_text(text + "\n", encoding="utf-8")
    typer.echo(text)
