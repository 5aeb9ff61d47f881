"""`dyad serve [--db FILE] [--host 127.0.0.1] [--port 8000]`: the REST API and dashboard over a store."""
from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from ..store import DEFAULT_DB, StoreError
from . import app, error

err = Console(stderr=True)


@app.command()
def serve(
    db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file written by `dyad ingest` (opened read-only)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; only this machine by default."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the dashboard at http://HOST:PORT/ and the REST API at /api (docs at /docs), read-only."""
    import uvicorn

    from ..web import create_app

    try:
        web_app = create_app(db)
    except StoreError as exc:
        error(exc)
        raise typer.Exit(1) from exc
    err.print(f"dyad dashboard on http://{host}:{port}/ (API docs at /docs); Ctrl+C stops it", highlight=False)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")
