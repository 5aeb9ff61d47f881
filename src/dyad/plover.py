"""The PLOVER vocabulary: the 16 event types, their conflict–cooperation scores and families, and their modes.

In: ``data/plover.yaml``. Out: `TYPES` (names in PLOVER's order), `score(type)`, `family(type)`, `modes(type)`
(mode name -> cue lemmas, in precedence order) and `plover_mode(type, name)` (the PLOVER name of a mode written
another way). Every stage that needs the list of types or modes reads it here.
"""
from __future__ import annotations

from functools import lru_cache

from .datafiles import read_data
from .schemas import PloverFile


@lru_cache(maxsize=1)
def _plover_file() -> dict:
    return read_data("plover.yaml", PloverFile)


def types_table() -> dict[str, dict]:
    return _plover_file()["types"]


TYPES: tuple[str, ...] = tuple(types_table())


def score(plover_type: str) -> float:
    return float(types_table().get(plover_type, {}).get("score", 0.0))


def family(plover_type: str) -> str | None:
    return types_table().get(plover_type, {}).get("family")


def _mode_table(plover_type: str) -> dict[str, dict]:
    return _plover_file().get("modes", {}).get(plover_type, {})


def modes(plover_type: str) -> dict[str, list[str]]:
    """The type's PLOVER modes, each with the cue lemmas that show it, in the file's order (its precedence)."""
    return {name: list(spec.get("cues", [])) for name, spec in _mode_table(plover_type).items()}


def plover_mode(plover_type: str | None, name: str | None) -> str | None:
    """The PLOVER name of a mode that may be written another way ("airstrike" for an ASSAULT is
    heavy-weapons); a name the file does not know is returned as it is."""
    if not name or not plover_type:
        return name
    table = _mode_table(plover_type)
    if name in table:
        return name
    return next((mode for mode, spec in table.items() if name in spec.get("also", [])), name)
