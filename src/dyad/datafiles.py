"""Reading dyad's data files: YAML in, validated data out, or an error naming the file, the entry and the key.

Every packaged file under ``dyad/data/`` and every user file (``DYAD_CODEBOOK``, ``DYAD_ACTORS``) is read
through `read_data`, with the schema of that file from `dyad.schemas`. An unknown or misspelt key, a wrong
type or a bad value stops loading with a `DataFileError` such as::

    codebook.yaml: verbs[231] (id protest.strike): unknown key 'subject_sectors'
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError


class DataFileError(ValueError):
    """A data file that cannot be read or does not follow its schema."""


class _WordLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # the C parser where libyaml is there
    """YAML 1.1 reads on/off/yes/no as booleans; in a word list they are words ("sanctions on X").
    `true`/`false` stay strings here and become booleans where the schema says a field is one."""


_WordLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _WordLoader.yaml_implicit_resolvers.items()
}


def packaged(name: str):
    """The packaged data file `name` ("codebook.yaml", "actors/people.yaml")."""
    return resources.files("dyad").joinpath("data", *name.split("/"))


def read_yaml(path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_WordLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{_label(path)}: cannot read ({exc})") from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"{_label(path)}: not valid YAML ({exc})") from exc


def read_data(source: str | Path, schema: type[BaseModel], *, user: bool = False) -> Any:
    """The data in `source` (a packaged name, or a path when `user`), checked against `schema`.

    Returns the data as written (plain dicts and lists), so a consumer reads exactly what the file says."""
    path = Path(source).expanduser() if user else packaged(str(source))
    if user and not path.exists():
        raise DataFileError(f"{path}: no such file")
    raw = read_yaml(path)
    check(raw, schema, _label(path))
    return raw


def check(raw: Any, schema: type[BaseModel], label: str) -> BaseModel:
    """`raw` validated against `schema`; a DataFileError naming `label`, the entry and the key otherwise."""
    try:
        return schema.model_validate({} if raw is None else raw)
    except ValidationError as exc:
        raise DataFileError("\n".join(_describe(raw, error, label) for error in exc.errors()[:10])) from None


def _label(path) -> str:
    text = str(path)
    marker = "/dyad/data/"
    return text.split(marker, 1)[1] if marker in text else text


def _describe(raw: Any, error: dict, label: str) -> str:
    loc = [part for part in error["loc"] if part != "root"]
    where = _where(raw, loc[:-1] if error["type"] == "extra_forbidden" else loc)
    if error["type"] == "extra_forbidden":
        return f"{label}: {where}unknown key {loc[-1]!r}"
    return f"{label}: {where}{error['msg']} (got {error.get('input')!r})"


def _where(raw: Any, loc: list) -> str:
    """'verbs[231] (id protest.strike).' style path to an entry, with its id or name when it has one."""
    parts, node = [], raw
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else str(part))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(part, int) and isinstance(node, dict) and (node.get("id") or node.get("name")):
            parts.append(f" ({'id ' + str(node['id']) if node.get('id') else node['name']})")
    return "".join(parts) + ": " if parts else ""
