"""The FastAPI application: the REST API under /api, the dashboard pages, and the vendored static files.

In: the path of a dyad store. Out: an ASGI app holding one read-only connection to it. DuckDB connections are
not safe to share between threads at once, so every query runs under one lock (a local analyst's tool
answers one person). Bad filters become 422 and missing ids 404, each with a `detail` message.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from ..analysis import AnalysisError, ensure_parties
from ..store import Store
from .index import ensure_event_index
from .queries import NotFound

HERE = Path(__file__).resolve().parent


class Database:
    """One read-only store connection, used by one request at a time; stories are computed once."""

    def __init__(self, db_path: str | os.PathLike):
        self.store = Store(db_path, read_only=True)
        self.lock = threading.Lock()
        self._stories: list[dict] | None = None
        self._cache: dict[tuple, Any] = {}
        with self.lock:
            self.store.connection.execute("SET enable_progress_bar = false")  # no bars in the server's log
            ensure_parties(self.store.connection)
            ensure_event_index(self.store.connection)

    def run(self, fn: Callable[..., Any], *args, **kwargs) -> Any:
        with self.lock:
            return fn(self.store.connection, *args, **kwargs)

    def cached(self, key: tuple, fn: Callable[..., Any], *args) -> Any:
        """fn(connection, *args), computed once per key: the store is read-only, so answers never change."""
        with self.lock:
            if key not in self._cache:
                self._cache[key] = fn(self.store.connection, *args)
            return self._cache[key]

    def all_stories(self) -> list[dict]:
        from ..stories import story_rows

        with self.lock:
            if self._stories is None:
                self._stories = story_rows(self.store.connection, 1)
            return self._stories

    def close(self) -> None:
        self.store.close()


def create_app(db_path: str | os.PathLike) -> FastAPI:
    """The API and dashboard over the store at `db_path` (opened read-only; StoreError if missing)."""
    from .api import router as api_router
    from .pages import router as pages_router

    app = FastAPI(title="dyad", version="0.1.0", docs_url=None, redoc_url=None,
                  description="PLOVER events, actors, stories and documents from a dyad store (read-only).")
    app.state.db = Database(db_path)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api_router)
    app.include_router(pages_router)
    app.add_api_route("/docs", _docs, include_in_schema=False)
    app.add_exception_handler(RequestValidationError, _invalid_parameters)
    app.add_exception_handler(AnalysisError, _bad_request)
    app.add_exception_handler(NotFound, _not_found)
    return app


async def _docs(request: Request):
    """Swagger UI from the vendored static files: FastAPI's default page loads it from a CDN."""
    return get_swagger_ui_html(openapi_url=request.app.openapi_url, title="dyad API",
                               swagger_js_url="/static/swagger-ui-bundle.js", swagger_css_url="/static/swagger-ui.css",
                               swagger_favicon_url="/static/favicon.svg")


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api")


async def _invalid_parameters(request: Request, exc: RequestValidationError):
    """FastAPI's validation errors as one readable sentence per parameter, e.g.
    "query parameter limit: Input should be less than or equal to 200 (got '500')"."""
    message = "; ".join(f"{' parameter '.join(str(part) for part in error['loc'][:2])}: {error['msg']}"
                        f" (got {error.get('input')!r})" for error in exc.errors())
    if _wants_html(request):
        from .pages import error_page
        return error_page(request, 422, message)
    return JSONResponse({"detail": message}, status_code=422)


async def _bad_request(request: Request, exc: AnalysisError):
    if _wants_html(request):
        from .pages import error_page
        return error_page(request, 422, str(exc))
    return JSONResponse({"detail": str(exc)}, status_code=422)


async def _not_found(request: Request, exc: NotFound):
    if _wants_html(request):
        from .pages import error_page
        return error_page(request, 404, str(exc))
    return JSONResponse({"detail": str(exc)}, status_code=404)
