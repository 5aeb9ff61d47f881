"""Reading articles from files and folders into Documents.

`load_paths` walks files and folders (recursively) of .txt, .html/.htm, .json and .jsonl articles and yields
one `Document` per article, or a `Problem` naming the input and the reason it could not be read; the batch
always goes on. A `manifest.jsonl` in a folder gives metadata per file (id, path, published, outlet, title,
url). The publication date comes only from metadata, never from the time of ingest.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .records import Document, Problem

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
MANIFEST_NAME = "manifest.jsonl"
# Larger inputs are refused rather than read: an article is kilobytes; megabytes mean a dump or a mistake.
DEFAULT_MAX_BYTES = int(os.environ.get("DYAD_MAX_BYTES", 5_000_000))


class InputError(Exception):
    """An input that cannot be turned into a document; the message is the reason shown to the user."""


def load_paths(paths: Iterable[str | os.PathLike], max_bytes: int = DEFAULT_MAX_BYTES
               ) -> Iterator[Document | Problem]:
    """Every article under `paths`, or a Problem for each input that could not be read."""
    manifests: dict[Path, dict[str, dict] | Problem] = {}
    seen_ids: dict[str, str] = {}
    for path in _expand(paths):
        if isinstance(path, Problem):
            yield path
            continue
        meta = _manifest_entry(path, manifests)
        if isinstance(meta, Problem):
            yield meta
            meta = {}
        for item in load_file(path, meta, max_bytes):
            yield _check_unique(item, seen_ids)


def _expand(paths: Iterable[str | os.PathLike]) -> Iterator[Path | Problem]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if _is_article_file(p))
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                yield path
            else:
                yield Problem(str(path), f"unsupported file type {path.suffix or '(none)'!r}: "
                                         f"use .txt, .html, .json or .jsonl")
        else:
            yield Problem(str(path), "no such file or folder")


def _is_article_file(path: Path) -> bool:
    return (path.is_file() and path.name != MANIFEST_NAME and not path.name.startswith(".")
            and path.suffix.lower() in SUPPORTED_SUFFIXES)


def _check_unique(item: Document | Problem, seen_ids: dict[str, str]) -> Document | Problem:
    """Two articles with one id would overwrite each other in the store: the second is refused."""
    if isinstance(item, Problem):
        return item
    first = seen_ids.setdefault(item.id, item.source_path or item.id)
    if first != (item.source_path or item.id):
        return Problem(item.source_path or item.id, f"duplicate id {item.id!r} (already used by {first})")
    return item


# --- manifests ---------------------------------------------------------------------------------------

def _manifest_entry(path: Path, cache: dict[Path, dict[str, dict] | Problem]) -> dict | Problem:
    folder = path.parent
    if folder not in cache:
        cache[folder] = read_manifest(folder / MANIFEST_NAME)
    entries = cache[folder]
    if isinstance(entries, Problem):
        problem, cache[folder] = entries, {}  # report a broken manifest once
        return problem
    return entries.get(path.name, {})


def read_manifest(path: Path) -> dict[str, dict] | Problem:
    """Manifest rows by file name (their `path`, relative to the manifest's folder)."""
    if not path.exists():
        return {}
    entries: dict[str, dict] = {}
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(str(path), f"unreadable manifest: {exc}")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            entries[str(Path(row["path"]))] = row
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            return Problem(f"{path}:{number}", f"bad manifest line ({_short(exc)}): each line needs a 'path'")
    return entries


# --- one file ------------------------------------------------------------------------------------------

def load_file(path: Path, meta: dict | None = None, max_bytes: int = DEFAULT_MAX_BYTES
              ) -> Iterator[Document | Problem]:
    meta = meta or {}
    try:
        text = read_text(path, max_bytes)
    except InputError as exc:
        yield Problem(str(path), str(exc))
        return
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _jsonl_documents(path, text, max_bytes)
    elif suffix in JSON_SUFFIXES:
        yield from _json_documents(path, text, max_bytes)
    else:
        yield _guard(str(path), lambda: _file_document(path, text, meta, max_bytes))


def _guard(source: str, make) -> Document | Problem:
    try:
        return make()
    except InputError as exc:
        return Problem(source, str(exc))


def read_text(path: Path, max_bytes: int) -> str:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"too large ({size / 1e6:.1f} MB > limit {max_bytes / 1e6:.1f} MB): "
                             f"split it or raise DYAD_MAX_BYTES")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"unreadable: {exc.strerror or exc}") from exc
    return decode(data)


def decode(data: bytes) -> str:
    if b"\x00" in data:
        raise InputError("binary file (NUL bytes): not a text article")
    try:
        return data.decode("utf-8-sig")  # plain UTF-8, with or without a byte-order mark
    except UnicodeDecodeError as exc:
        guess = _guess_encoding(data)
        hint = f" (looks like {guess})" if guess else ""
        raise InputError(f"not UTF-8 text{hint} at byte {exc.start}: re-save the file as UTF-8") from exc


def _guess_encoding(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    best = from_bytes(data).best()
    return best.encoding if best else None


def _file_document(path: Path, text: str, meta: dict, max_bytes: int) -> Document:
    if path.suffix.lower() in HTML_SUFFIXES:
        text, html_meta = html_to_text(text)
        meta = {**html_meta, **{k: v for k, v in meta.items() if v is not None}}
    return make_document(doc_id=str(meta.get("id") or path.stem), text=text, meta=meta,
                         source=str(path), max_bytes=max_bytes)


def html_to_text(html: str) -> tuple[str, dict[str, Any]]:
    """Main text of a web page and the metadata its head declares (offline: trafilatura, no fetching)."""
    import trafilatura

    result = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_recall=True,
        date_extraction_params={"extensive_search": False, "original_date": True})
    result = result.as_dict() if result is not None else {}
    if not (result.get("text") or "").strip():
        raise InputError("no article text found in the HTML page")
    meta = {"title": result.get("title"), "published": result.get("date"), "url": result.get("url"),
            "outlet": result.get("sitename")}
    return result["text"], meta


def _jsonl_documents(path: Path, text: str, max_bytes: int) -> Iterator[Document | Problem]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(source, f"malformed JSON line: {exc.msg} (column {exc.colno})")
            continue
        yield _guard(source, lambda: _row_document(row, f"{path.stem}-{number}", source, max_bytes))


def _json_documents(path: Path, text: str, max_bytes: int) -> Iterator[Document | Problem]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Problem(str(path), f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    if isinstance(data, dict):
        yield _guard(str(path), lambda: _row_document(data, path.stem, str(path), max_bytes))
        return
    if not isinstance(data, list):
        yield Problem(str(path), "JSON must be one article object or a list of them")
        return
    for index, row in enumerate(data):
        source = f"{path}#{index}"
        yield _guard(source, lambda: _row_document(row, f"{path.stem}-{index}", source, max_bytes))


def _row_document(row: Any, default_id: str, source: str, max_bytes: int) -> Document:
    if not isinstance(row, dict):
        raise InputError("not a JSON object")
    text = row.get("text")
    if not isinstance(text, str):
        raise InputError("no 'text' field" if text is None else "'text' is not a string")
    return make_document(doc_id=str(row.get("id") or default_id), text=text, meta=row, source=source,
                         max_bytes=max_bytes)


# --- documents -----------------------------------------------------------------------------------------

def make_document(doc_id: str, text: str, meta: dict, source: str, max_bytes: int = DEFAULT_MAX_BYTES
                  ) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("empty: no text")
    if len(text.encode("utf-8")) > max_bytes:
        raise InputError(f"too large (text over {max_bytes / 1e6:.1f} MB): split it or raise DYAD_MAX_BYTES")
    published = iso_date(meta.get("published"))
    document = Document(id=doc_id, text=text, title=_clean_str(meta.get("title")),
                        published=published, outlet=_clean_str(meta.get("outlet")),
                        url=_clean_str(meta.get("url")), source_path=source)
    date_document(document)
    document.content_hash = content_hash(document)
    return document


def date_document(document: Document) -> None:
    """Publication date from metadata; otherwise the latest date the text states, as a lower bound."""
    if document.published:
        document.date_source = "metadata"
        return
    bound = _latest_explicit_date(document.text)
    document.published_bound = bound
    document.date_source = "text-bound" if bound else "none"


def _latest_explicit_date(text: str) -> str | None:
    try:
        from .dates import latest_explicit_date
    except ImportError:  # the dates stage has not landed in this install
        return None
    return latest_explicit_date(text)


def content_hash(document: Document) -> str:
    """Changes when the text or any metadata that alters the extraction (title, date, outlet, url) changes."""
    key = json.dumps([document.text, document.title, document.published, document.outlet, document.url],
                     ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def iso_date(value: Any) -> str | None:
    """YYYY-MM-DD from an ISO date or timestamp; None for anything else (never a guess)."""
    if not value:
        return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def _clean_str(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _short(exc: Exception) -> str:
    return f"missing {exc}" if isinstance(exc, KeyError) else str(exc)


# --- a whole run: read, extract, store -----------------------------------------------------------------

@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0
    quotes: int = 0
    facts: int = 0
    actor_ids: set[str] = field(default_factory=set)  # distinct actors seen in this run's documents
    problems: list[Problem] = field(default_factory=list)

    @property
    def actors(self) -> int:
        return len(self.actor_ids)

    @property
    def failed(self) -> int:
        return len(self.problems)


def ingest_paths(paths: Iterable[str | os.PathLike], store, pipeline_factory: Callable[[], Any] | None = None,
                 on_start: Callable[[int], None] | None = None,
                 on_document: Callable[[Document], None] | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> IngestReport:
    """Read every article under `paths`, extract the new or changed ones and save them to `store`.

    The pipeline is built only when a document needs extracting, so re-ingesting an unchanged corpus
    loads no model. A document whose extraction fails becomes a Problem; the others are still saved.
    """
    report = IngestReport()
    documents = []
    for item in load_paths(paths, max_bytes):
        (report.problems if isinstance(item, Problem) else documents).append(item)
    if on_start:
        on_start(len(documents))
    pipeline = None
    for document in documents:
        if on_document:
            on_document(document)
        if store.has_document(document.id, document.content_hash):
            report.unchanged += 1
            continue
        pipeline = pipeline or _make_pipeline(pipeline_factory)
        _extract_and_save(document, pipeline, store, report)
    store.record_problems(report.problems)
    return report


def _make_pipeline(factory: Callable[[], Any] | None):
    if factory is None:
        from .pipeline import Pipeline
        factory = Pipeline
    return factory()


def _extract_and_save(document: Document, pipeline, store, report: IngestReport) -> None:
    existed = store.document(document.id) is not None
    try:
        extraction = pipeline.extract(document)
        store.save(extraction)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        report.problems.append(Problem(document.source_path or document.id,
                                       f"extraction failed: {type(exc).__name__}: {exc}"))
        return
    if existed:
        report.updated += 1
    else:
        report.new += 1
    report.events += len(extraction.events)
    report.quotes += len(extraction.quotes)
    report.facts += len(extraction.facts)
    report.actor_ids.update(a.actor_id for a in extraction.actors)
