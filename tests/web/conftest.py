"""Web fixtures: a store built once from examples/corpus, a TestClient, a live server and Chromium.

Chromium is Debian's (/usr/bin/chromium, installed by `make browser`); Playwright never downloads one.
Without it the browser tests fail under CI (CI=true) and skip elsewhere, saying how to install it.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import PROJECT_ROOT, make_extraction

CHROMIUM = Path(os.environ.get("DYAD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"
# make_extraction's text (its offsets stay right) with a script tag after the last record.
HOSTILE_TEXT = ("Talks in Tokyo\nJapan and South Korea met in Tokyo on Tuesday. "
                "They agreed to meet again next month. \"We will keep talking,\" Iwaya said. "
                "Trade reached $72 billion last year. <script>alert('x')</script>")


@pytest.fixture(scope="session")
def example_db(pipeline, tmp_path_factory) -> Path:
    """A store holding examples/corpus, ingested once per session with the shared pipeline."""
    from dyad.ingest import ingest_paths
    from dyad.store import Store

    path = tmp_path_factory.mktemp("web") / "example.duckdb"
    store = Store(path)
    try:
        report = ingest_paths([PROJECT_ROOT / "examples" / "corpus"], store, pipeline_factory=lambda: pipeline)
    finally:
        store.close()
    assert not report.problems, report.problems
    return path


@pytest.fixture(scope="session")
def promises_db(pipeline, tmp_path_factory) -> Path:
    """A store holding tests/data/promises: one thread of each status (kept, broken, overdue, open)."""
    from dyad.ingest import ingest_paths
    from dyad.store import Store

    path = tmp_path_factory.mktemp("promises") / "promises.duckdb"
    with Store(path) as store:
        report = ingest_paths([PROJECT_ROOT / "tests" / "data" / "promises"], store,
                              pipeline_factory=lambda: pipeline)
    assert not report.problems, report.problems
    return path


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory) -> Path:
    """A store whose one article carries a <script> tag inside an event's sentence."""
    from dyad.store import Store

    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    with Store(path) as store:
        store.save(make_extraction("hostile", text=HOSTILE_TEXT, title="<b>Bold</b> <script>alert(1)</script>"))
    return path


def _serving(db_path: Path):
    """A test client of the app over this store, open for the session; the store is closed after it."""
    from fastapi.testclient import TestClient

    from dyad.web import create_app

    app = create_app(db_path)
    with TestClient(app) as test_client:
        yield test_client
    app.state.db.close()


@pytest.fixture(scope="session")
def client(example_db):
    yield from _serving(example_db)


@pytest.fixture(scope="session")
def promises_client(promises_db):
    yield from _serving(promises_db)


@pytest.fixture(scope="session")
def hostile_client(hostile_db):
    yield from _serving(hostile_db)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(db_path: Path):
    """Starts uvicorn in a thread on 127.0.0.1; returns (base url, server, thread)."""
    import uvicorn

    from dyad.web import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db_path), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    return f"http://127.0.0.1:{port}", server, thread


@pytest.fixture(scope="session")
def live_server(example_db):
    url, server, thread = _serve(example_db)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def hostile_server(hostile_db):
    url, server, thread = _serve(hostile_db)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM}: run `make browser` (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _local_only(outside: list):
    """A route handler that lets requests to the test server through and blocks (and records) the rest."""
    def handle(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()
    return handle


@pytest.fixture
def page(browser):
    """A fresh 1280×900 page that records script errors, dialogs and any request leaving 127.0.0.1
    (blocked: the dashboard must work offline); a test asserts there are none."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.errors, tab.dialogs, tab.outside = [], [], []
    context.route("**/*", _local_only(tab.outside))
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
