"""Reading articles from files and folders into Documents, and a whole ingest run.

`load_paths` walks files and folders (recursively) of .txt, .html/.htm, .json and .jsonl articles and yields
one `Document` per article, a `Problem` naming each input that could not be read and why, or a `Notice` for an
article stored with something cut or ignored (a run of text that is not prose, a date that is not a date); the
batch always goes on, whatever one input holds. A `manifest.jsonl` in a folder gives metadata per file (id,
path, published, outlet, title, url). The publication date comes only from metadata, never from the time of
ingest. Symlinks leading out of a given folder are reported, not followed, unless `follow_links`.

`ingest_paths` extracts the new and changed documents, each within a time budget (`doc_timeout` seconds:
SIGALRM in the main thread interrupts the extraction, which becomes a problem), and saves them in short
batches, releasing the store's file between batches so that readers can open it.
"""
from __future__ import annotations

import codecs
import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import os
import re
import signal
import stat
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .dates import latest_explicit_date
from .records import Document, Problem

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
MANIFEST_NAME = "manifest.jsonl"
# Larger inputs are refused rather than read: an article is kilobytes; megabytes mean a dump or a mistake.
DEFAULT_MAX_BYTES = int(os.environ.get("DYAD_MAX_BYTES", 5_000_000))
# A stretch of text with no sentence end longer than this is not prose (a tag list, a table, a dump): it is cut
# to this length before extraction, which costs more than linear time on such runs.
MAX_RUN_CHARS = int(os.environ.get("DYAD_MAX_RUN_CHARS", 2_000))
SENTENCE_ENDS = re.compile(r"[^.!?\n\u2026\u3002\uff01\uff1f]+")
# spaCy refuses longer texts (its error E088); say so before it does.
MAX_TEXT_CHARS = 1_000_000
# Seconds one document's extraction may take before it is given up and reported (0: no limit).
DEFAULT_DOC_TIMEOUT = float(os.environ.get("DYAD_DOC_TIMEOUT", 60))
# While ingesting, the store's file is released for readers at least this often (seconds).
SAVE_BATCH_SECONDS = 1.0
# ... or less often when saving is slow (a large store: each release checkpoints it): a save is followed by at
# least this many times its own duration of extraction, so saving takes at most about a quarter of the run.
SAVE_SPACING = 3.0
MAX_ID_CHARS = 200
# Characters an id may not hold: controls, format characters (bidi overrides …), separators, surrogates.
BAD_ID_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?")


class InputError(Exception):
    """An input that cannot be turned into a document; the message is the reason shown to the user."""


@dataclass
class Notice(Problem):
    """An input stored with something cut or ignored, and what (not a failure)."""


def load_paths(paths: Iterable[str | os.PathLike], max_bytes: int = DEFAULT_MAX_BYTES,
               follow_links: bool = False) -> Iterator[Document | Problem]:
    """Every article under `paths`, a Problem for each input that could not be read, Notices for the rest."""
    manifests: dict[Path, dict[str, dict] | Problem] = {}
    seen_ids: dict[str, str] = {}
    for path in _expand(paths, follow_links):
        if isinstance(path, Problem):
            yield path
            continue
        meta = _manifest_entry(path, manifests)
        if isinstance(meta, Problem):
            yield meta
            meta = {}
        for item in _never_raising(path, load_file(path, meta, max_bytes)):
            yield _check_unique(item, seen_ids)


def _never_raising(path: Path, items: Iterator[Document | Problem]) -> Iterator[Document | Problem]:
    """The file's items; an unforeseen failure ends that file with a Problem, never the batch."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - one hostile input must not stop the others
        yield Problem(str(path), f"could not be read: {type(exc).__name__}: {_first_line(exc)}")


def _expand(paths: Iterable[str | os.PathLike], follow_links: bool) -> Iterator[Path | Problem]:
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        for item in (_walk(path, follow_links) if path.is_dir() else [_named_file(path)]):
            if isinstance(item, Path):
                real = item.resolve()
                if real in seen:  # one file named twice (a folder and a file in it) is read once
                    continue
                seen.add(real)
            yield item


def _named_file(path: Path) -> Path | Problem:
    """A file given by name: followed if a symlink (the user named it), refused if not a regular file."""
    reason = _not_regular(path)
    if reason:
        return Problem(str(path), reason)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return Problem(str(path), f"unsupported file type {path.suffix or '(none)'!r}: "
                                  f"use .txt, .html, .json or .jsonl")
    return path


def _not_regular(path: Path) -> str | None:
    """Why `path` cannot be read as an article file, or None when it can."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return f"dangling symlink (to {os.readlink(path)}, which does not exist)"
        return "no such file or folder"
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")
    return f"not a regular file ({kind}): not read"


def _walk(folder: Path, follow_links: bool) -> Iterator[Path | Problem]:
    """Article files under `folder` in sorted order; hidden entries skipped; every other skip reported."""
    root = folder.resolve()
    visited: set[str] = set()
    others: Counter[str] = Counter()
    errors: list[Problem] = []
    walker = os.walk(folder, followlinks=follow_links,
                     onerror=lambda exc: errors.append(Problem(exc.filename, f"unreadable folder: {exc.strerror}")))
    for dirpath, dirnames, filenames in walker:
        yield from errors
        errors.clear()
        real = os.path.realpath(dirpath)
        if real in visited:  # a followed link back to a folder already read: stop, or the walk never ends
            dirnames[:] = []
            continue
        visited.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if not follow_links:  # a link to a folder inside the tree is read there; one leading out is reported
            for name in dirnames:
                link = Path(dirpath, name)
                if link.is_symlink() and not link.resolve().is_relative_to(root):
                    yield Problem(str(link), f"symlink to {link.resolve()}, outside {root}: not followed "
                                             f"(--follow-links follows it)")
        for name in sorted(filenames):
            if name.startswith(".") or name == MANIFEST_NAME:
                continue
            path = Path(dirpath, name)
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                others[path.suffix.lower() or "(none)"] += 1
                continue
            yield _walked_file(path, root, follow_links)
    yield from errors
    if others:
        kinds = ", ".join(sorted(others))
        yield Notice(str(folder), f"{sum(others.values())} files of other types skipped ({kinds})")


def _walked_file(path: Path, root: Path, follow_links: bool) -> Path | Problem:
    reason = _not_regular(path)
    if reason:
        return Problem(str(path), reason)
    if path.is_symlink() and not follow_links:
        target = path.resolve()
        if not target.is_relative_to(root):
            return Problem(str(path), f"symlink to {target}, outside {root}: not followed "
                                      f"(--follow-links follows it)")
    return path


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
    if not path.exists() and not path.is_symlink():
        return {}
    reason = _not_regular(path)
    if reason:
        return Problem(str(path), f"unreadable manifest: {reason}")
    entries: dict[str, dict] = {}
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeError) as exc:
        return Problem(str(path), f"unreadable manifest: {exc}")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            entries[str(Path(row["path"]))] = row
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
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
        yield from _guard(str(path), lambda notes: _file_document(path, text, meta, max_bytes, notes))


def _guard(source: str, make: Callable[[list[str]], Document]) -> Iterator[Document | Problem]:
    """The document `make(notes)` builds and a Notice for each note, or the Problem that stopped it."""
    notes: list[str] = []
    try:
        document = make(notes)
    except InputError as exc:
        yield Problem(source, str(exc))
        return
    yield document
    for note in notes:
        yield Notice(source, note)


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
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {encoding.upper()} text at byte {exc.start}: "
                                 f"re-save the file as UTF-8") from exc
    if b"\x00" in data:
        wide = _wide_encoding(data)
        if wide:
            raise InputError(f"looks like {wide} text without a byte-order mark: re-save the file as UTF-8")
        raise InputError("binary file (NUL bytes): not a text article")
    try:
        return data.decode("utf-8-sig")  # plain UTF-8, with or without a byte-order mark
    except UnicodeDecodeError as exc:
        guess = _guess_encoding(data)
        hint = f" (looks like {guess})" if guess else ""
        raise InputError(f"not UTF-8 text{hint} at byte {exc.start}: re-save the file as UTF-8") from exc


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, told by where the NUL bytes of ASCII letters fall."""
    sample = data[:4096]
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        for offset, order in ((width - 1, "BE"), (0, "LE")):
            letters = sample[offset::width]
            nuls = [b for i in range(width) if i != offset for b in sample[i::width]]
            if letters and nuls and all(b == 0 for b in nuls) and sum(b != 0 for b in letters) > len(letters) / 2:
                return f"{name}-{order}"
    return None


def _guess_encoding(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return best.encoding if best else None


def _file_document(path: Path, text: str, meta: dict, max_bytes: int, notes: list[str]) -> Document:
    if path.suffix.lower() in HTML_SUFFIXES:
        text, html_meta = html_to_text(text)
        meta = {**html_meta, **{k: v for k, v in meta.items() if v is not None}}
    return make_document(doc_id=str(meta.get("id") or path.stem), text=text, meta=meta,
                         source=str(path), max_bytes=max_bytes, notes=notes)


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
    if not text.strip():
        yield Problem(str(path), "empty: no articles (no lines)")
        return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            row = parse_json(line)
        except InputError as exc:
            yield Problem(source, f"malformed JSON line: {exc}")
            continue
        yield from _guard(source, lambda notes: _row_document(row, f"{path.stem}-{number}", source, max_bytes,
                                                               notes))


def _json_documents(path: Path, text: str, max_bytes: int) -> Iterator[Document | Problem]:
    try:
        data = parse_json(text)
    except InputError as exc:
        yield Problem(str(path), f"malformed JSON: {exc}")
        return
    if isinstance(data, dict):
        yield from _guard(str(path), lambda notes: _row_document(data, path.stem, str(path), max_bytes, notes))
        return
    if not isinstance(data, list):
        yield Problem(str(path), "JSON must be one article object or a list of them")
        return
    if not data:
        yield Problem(str(path), "empty: no articles (an empty JSON list)")
    for index, row in enumerate(data):
        source = f"{path}#{index}"
        yield from _guard(source, lambda notes: _row_document(row, f"{path.stem}-{index}", source, max_bytes,
                                                               notes))


def parse_json(text: str) -> Any:
    """JSON, or an InputError saying why not (including nesting too deep to read)."""
    if not text.strip():
        raise InputError("empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    except RecursionError as exc:
        raise InputError("nested too deeply to be an article") from exc


def _row_document(row: Any, default_id: str, source: str, max_bytes: int, notes: list[str]) -> Document:
    if not isinstance(row, dict):
        raise InputError("not a JSON object")
    text = row.get("text")
    if not isinstance(text, str):
        raise InputError("no 'text' field" if text is None else "'text' is not a string")
    doc_id = row.get("id")
    if doc_id is not None and not isinstance(doc_id, (str, int)):
        raise InputError(f"'id' must be a string or a number, not {type(doc_id).__name__}")
    return make_document(doc_id=str(default_id if doc_id in (None, "") else doc_id), text=text, meta=row,
                         source=source, max_bytes=max_bytes, notes=notes)


# --- documents -----------------------------------------------------------------------------------------

def make_document(doc_id: str, text: str, meta: dict, source: str, max_bytes: int = DEFAULT_MAX_BYTES,
                  notes: list[str] | None = None) -> Document:
    """A checked Document; `notes` receives what was cut or ignored. InputError when it cannot be one."""
    notes = [] if notes is None else notes
    check_id(doc_id)
    text = _valid_unicode(text.replace("\r\n", "\n").replace("\r", "\n"), "text")
    if not text.strip():
        raise InputError("empty: no text")
    if len(text.encode("utf-8")) > max_bytes:
        raise InputError(f"too large (text over {max_bytes / 1e6:.1f} MB): split it or raise DYAD_MAX_BYTES")
    text = cut_long_runs(text, MAX_RUN_CHARS, notes)
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"too long for the parser ({len(text):,} characters > {MAX_TEXT_CHARS:,}): split it")
    fields = {key: _valid_unicode(_clean_str(meta.get(key)), key) for key in ("title", "outlet", "url")}
    published = iso_date(meta.get("published"))
    if published is None and meta.get("published") not in (None, ""):
        notes.append(f"published {str(meta['published'])[:40]!r} is not a date (YYYY-MM-DD or an ISO timestamp):"
                     f" ignored")
    document = Document(id=doc_id, text=text, published=published, source_path=source, **fields)
    date_document(document)
    document.content_hash = content_hash(document)
    return document


def check_id(doc_id: str) -> None:
    """Ids name documents in the store, in exports and on screens: printable, one line, no path steps."""
    if not doc_id.strip():
        raise InputError("empty id")
    if len(doc_id) > MAX_ID_CHARS:
        raise InputError(f"id longer than {MAX_ID_CHARS} characters")
    bad = next((c for c in doc_id if unicodedata.category(c) in BAD_ID_CATEGORIES), None)
    if bad is not None:
        raise InputError(f"id {doc_id!r} holds the control or format character U+{ord(bad):04X}: not allowed in ids")
    if doc_id != doc_id.strip():
        raise InputError(f"id {doc_id!r} starts or ends with a space")
    if any(step in (".", "..") for step in re.split(r"[/\\]", doc_id)):
        raise InputError(f"id {doc_id!r} holds a '.' or '..' path step: not allowed in ids")


def _valid_unicode(value: str | None, name: str) -> str | None:
    """`value`, or an InputError for a lone surrogate (JSON can spell one; no file can store it)."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"{name} holds a lone surrogate (U+{ord(value[exc.start]):04X}) at character "
                         f"{exc.start}: not valid Unicode") from exc
    return value


def cut_long_runs(text: str, limit: int, notes: list[str]) -> str:
    """Cut each stretch longer than `limit` characters without a sentence end or line break to `limit`
    (at a space where one is near), noting what was cut; prose passes unchanged. Linear in the text."""
    pieces, last, cut = [], 0, []
    for match in SENTENCE_ENDS.finditer(text):
        if match.end() - match.start() <= limit:
            continue
        keep = match.start() + limit
        space = text.rfind(" ", keep - limit // 10, keep)
        keep = space if space > match.start() else keep
        pieces.append(text[last:keep])
        last = match.end()
        cut.append(match.end() - match.start())
    if not cut:
        return text
    pieces.append(text[last:])
    notes.append(f"{len(cut)} stretch(es) of text without a sentence end longer than {limit:,} characters "
                 f"(longest {max(cut):,}) cut to {limit:,}: not prose")
    return "".join(pieces)


def date_document(document: Document) -> None:
    """Publication date from metadata; otherwise the latest date the text states, as a lower bound."""
    if document.published:
        document.date_source = "metadata"
        return
    bound = _latest_explicit_date(document.text)
    document.published_bound = bound
    document.date_source = "text-bound" if bound else "none"


def _latest_explicit_date(text: str) -> str | None:
    return latest_explicit_date(text)


def content_hash(document: Document) -> str:
    """Changes when the text or any metadata that alters the extraction (title, date, outlet, url) changes, or
    the extraction itself (`extraction_fingerprint`): a document stored by another dyad is extracted again."""
    key = json.dumps([document.text, document.title, document.published, document.outlet, document.url,
                      extraction_fingerprint()], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=None)
def extraction_fingerprint() -> str:
    """What makes dyad's extraction what it is: its version, code and data files, the user's files read beside
    them, and the spaCy model. After an upgrade (a new model, codebook or actor file) re-ingesting a folder
    re-extracts its documents instead of keeping what the old dyad coded."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix not in (".pyc",)
                   and "__pycache__" not in p.parts)
    for path in files:
        digest.update(str(path.relative_to(package)).encode("utf-8"))
        digest.update(path.read_bytes())
    for path in _user_files():
        digest.update(str(path).encode("utf-8"))
        if path.is_file():
            digest.update(path.read_bytes())
    digest.update(_spacy_model_version().encode("utf-8"))
    return digest.hexdigest()


def _user_files() -> list[Path]:
    """The files read beside the packaged ones, found as the modules that read them find them: the user's actor
    file (DYAD_ACTORS, or the default one when it exists), codebook (DYAD_CODEBOOK) and coder model
    (DYAD_CODER_MODEL, else the packaged one)."""
    from .actors.knowledge import user_file
    from .learn.model import model_path
    codebook = os.environ.get("DYAD_CODEBOOK")
    found = [user_file("default"), Path(codebook).expanduser() if codebook else None, Path(str(model_path()))]
    return [path for path in found if path is not None]


def _spacy_model_version() -> str:
    from .nlp import model_name
    try:
        name = model_name()
    except RuntimeError:  # no pipeline installed: extraction says so itself
        return "no spaCy model"
    try:
        return f"{name} {importlib.metadata.version(name)}"
    except importlib.metadata.PackageNotFoundError:
        return name


def iso_date(value: Any) -> str | None:
    """YYYY-MM-DD from an ISO date or timestamp that is a real date; None for anything else (never a guess)."""
    if not isinstance(value, str) or not ISO_TIMESTAMP.fullmatch(value.strip()):
        return None
    text = value.strip()
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
    return f"missing {exc}" if isinstance(exc, KeyError) else _first_line(exc)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else ""


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
    notices: list[Problem] = field(default_factory=list)  # stored, with something cut or ignored

    @property
    def actors(self) -> int:
        return len(self.actor_ids)

    @property
    def failed(self) -> int:
        return len(self.problems)


class DocumentTimeout(BaseException):
    """A document's extraction ran past its time budget. A BaseException, so that no `except Exception`
    inside the extraction code can swallow it."""


def ingest_paths(paths: Iterable[str | os.PathLike], store, pipeline_factory: Callable[[], Any] | None = None,
                 on_start: Callable[[int], None] | None = None,
                 on_document: Callable[[Document], None] | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES, doc_timeout: float = DEFAULT_DOC_TIMEOUT,
                 follow_links: bool = False, release_store: bool = False, jobs: int = 1,
                 extractor: Callable[..., Iterator] | None = None) -> IngestReport:
    """Read every article under `paths`, extract the new or changed ones and save them to `store`.

    The pipeline is built only when a document needs extracting, so re-ingesting an unchanged corpus
    loads no model. A document whose extraction fails or runs past `doc_timeout` seconds becomes a Problem;
    the others are still saved. With `release_store`, the store's file is closed while documents are
    extracted and reopened to save them in batches, so other processes can read it meanwhile.
    """
    report = IngestReport()
    documents = []
    for item in load_paths(paths, max_bytes, follow_links):
        bucket = report.notices if isinstance(item, Notice) else report.problems
        (bucket if isinstance(item, Problem) else documents).append(item)
    if on_start:
        on_start(len(documents))
    store.forget_unlinked()
    todo = []
    for document in documents:
        stored = store.stored_hash(document.id)
        if stored == document.content_hash:
            report.unchanged += 1
            if on_document:
                on_document(document)
        else:
            todo.append((document, stored is not None))
    _extract_all(todo, store, pipeline_factory, on_document, doc_timeout, release_store, report, jobs, extractor)
    store.record_problems(report.problems, report.notices)
    return report


def _extract_all(todo: list[tuple[Document, bool]], store, pipeline_factory, on_document, doc_timeout: float,
                 release_store: bool, report: IngestReport, jobs: int = 1, extractor=None) -> None:
    """Extract in `jobs` processes (dyad.parallel) or with `extractor(todo, pipeline_factory, doc_timeout)`
    (e.g. dyad.engines.ray_engine.RayExtractor); this process saves the outcomes in input order."""
    from .parallel import extract_in_order

    batch: list[tuple[Any, bool]] = []
    last_save, save_cost = time.monotonic(), 0.0
    if release_store:
        store.release()
    outcomes = (extractor(todo, pipeline_factory, doc_timeout) if extractor
                else extract_in_order(todo, pipeline_factory, jobs, doc_timeout))
    for document, existed, extraction, problems in outcomes:
        if on_document:
            on_document(document)
        report.problems.extend(problems)
        if extraction is not None:
            batch.append((extraction, existed))
        if not release_store or time.monotonic() - last_save >= max(SAVE_BATCH_SECONDS, SAVE_SPACING * save_cost):
            started = time.monotonic()
            _save_batch(batch, store, report, release_store)
            last_save = time.monotonic()
            save_cost = last_save - started
    _save_batch(batch, store, report, release_store=False)


def _make_pipeline(factory: Callable[[], Any] | None):
    if factory is None:
        from .pipeline import Pipeline
        factory = Pipeline
    return factory()


def _extract(document: Document, pipeline, doc_timeout: float, report: IngestReport):
    """The document's extraction, or None with a Problem recorded (a failure or the time budget spent)."""
    source = document.source_path or document.id
    try:
        with time_budget(doc_timeout):
            return pipeline.extract(document)
    except DocumentTimeout:
        report.problems.append(Problem(source, f"extraction gave up after {doc_timeout:g} s (the time budget per "
                                               f"document; --doc-timeout or DYAD_DOC_TIMEOUT changes it)"))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        report.problems.append(Problem(source, f"extraction failed: {type(exc).__name__}: {_first_line(exc)}"))
    return None


def _save_batch(batch: list[tuple[Any, bool]], store, report: IngestReport, release_store: bool) -> None:
    """Save the extractions (one transaction; see dyad.store_batch), then release the file if asked;
    empties `batch`."""
    from .store_batch import save_batch

    refused = {id(extraction): exc for extraction, exc in save_batch(store, [e for e, _ in batch])}
    for extraction, existed in batch:
        exc = refused.get(id(extraction))
        if exc is not None:  # a document the store refuses must not stop the batch
            document = extraction.document
            report.problems.append(Problem(document.source_path or document.id,
                                           f"not stored: {type(exc).__name__}: {_first_line(exc)}"))
            continue
        _count(extraction, existed, report)
    batch.clear()
    if release_store:
        store.release()


def _count(extraction, existed: bool, report: IngestReport) -> None:
    if existed:
        report.updated += 1
    else:
        report.new += 1
    report.events += len(extraction.events)
    report.quotes += len(extraction.quotes)
    report.facts += len(extraction.facts)
    report.actor_ids.update(a.actor_id for a in extraction.actors)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout in the block once `seconds` have passed (and every second after, should the
    block swallow it). Works in the main thread where SIGALRM exists; elsewhere, or with 0, no limit."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    state = {"armed": True}

    def expire(signum, frame):
        if state["armed"]:
            signal.setitimer(signal.ITIMER_REAL, 1.0)
            raise DocumentTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            state["armed"] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:  # reached even when the alarm lands inside the inner `finally`
        state["armed"] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
