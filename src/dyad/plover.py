"""The PLOVER vocabulary: the 16 event types, their conflict–cooperation scores and families.

In: ``data/plover.yaml``. Out: `TYPES` (names in PLOVER's order), `score(type)`, `family(type)`. Every stage
that needs the list of types reads it here.
"""
from __future__ import annotations

from functools import lru_cache

from .datafiles import read_data
from .schemas import PloverFile


@lru_cache(maxsize=1)
def types_table() -> dict[str, dict]:
    return read_data("plover.yaml", PloverFile)["types"]


TYPES: tuple[str, ...] = tuple(types_table())


def score(plover_type: str) -> float:
    return float(types_table().get(plover_type, {}).get("score", 0.0))


def family(plover_type: str) -> str | None:
    return types_table().get(plover_type, {}).get("family")
