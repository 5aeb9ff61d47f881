"""Loads the linking knobs and word lists from data/stories.yaml (a user can extend the file)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from ..datafiles import read_data
from ..lexicon import news_agencies
from ..schemas import StoriesFile


@dataclass(frozen=True)
class StoryConfig:
    raw: dict[str, Any]

    @property
    def link(self) -> dict[str, Any]:
        return self.raw["link"]

    @property
    def weights(self) -> dict[str, float]:
        return self.raw["link"]["weights"]

    @property
    def standing(self) -> dict[str, Any]:
        return self.raw["standing"]

    @functools.cached_property
    def background_words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.standing.get("background_words", []))

    @property
    def quotes(self) -> dict[str, Any]:
        return self.raw["quotes"]

    @property
    def facts(self) -> dict[str, Any]:
        return self.raw["facts"]

    @functools.cached_property
    def family_of(self) -> dict[str, str]:
        return {t.upper(): name for name, types in self.raw.get("families", {}).items() for t in types}

    @functools.cached_property
    def mode_group_of(self) -> dict[str, str]:
        return {m.lower(): g for g, modes in self.raw.get("mode_groups", {}).items() for m in modes}

    @functools.cached_property
    def outlet_root(self) -> dict[str, str]:
        """Normalised alias -> root outlet name."""
        table = {}
        for root, aliases in news_agencies().items():
            for alias in [root, *aliases]:
                table[normalise_name(alias)] = root
        return table

    @functools.cached_property
    def generic_words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self.raw.get("generic_words", []))

    def family(self, event_type: str | None) -> str:
        t = (event_type or "").upper()
        return self.family_of.get(t, t)


def normalise_name(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).strip()


@functools.lru_cache(maxsize=4)
def load_config(path: str | None = None) -> StoryConfig:
    return StoryConfig(read_data(path or "stories.yaml", StoriesFile, user=bool(path)))
