"""The shipped learned-coder models: JSON weights in, probabilities out (numpy only, CPU, no network).

`load_models()` reads ``dyad/data/models/coder.json`` once per process (or the file in `DYAD_CODER_MODEL`)
and returns a `Models`: the event-type model (one logistic scorer per PLOVER type), the role model (none /
source / target for a mention), the acceptance model (is a coded event right), the context model (which PLOVER
contexts an event has) and the thresholds chosen on the training and dev splits.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..datafiles import packaged

MODEL_FILE = "models/coder.json"
ROLE_CLASSES = ("none", "source", "target")
CONTEXT_BAR = 0.4  # contexts at p >= this: `dyad train` writes it, and the coder reads it when a file names none


class ModelFileError(ValueError):
    """A model file that cannot be read or lacks a part the coder needs."""


@dataclass
class LinearModel:
    """Weights over named features. `multinomial`: softmax over the classes; else one sigmoid per class."""
    classes: list[str]
    index: dict[str, int]
    weights: np.ndarray  # features x classes
    bias: np.ndarray
    multinomial: bool

    @classmethod
    def from_dict(cls, raw: dict) -> LinearModel:
        weights = np.asarray(raw["weights"], dtype=np.float32).reshape(len(raw["features"]), len(raw["classes"]))
        return cls(classes=list(raw["classes"]), index={f: i for i, f in enumerate(raw["features"])},
                   weights=weights, bias=np.asarray(raw["bias"], dtype=np.float32),
                   multinomial=bool(raw["multinomial"]))

    def to_dict(self) -> dict:
        features = sorted(self.index, key=self.index.get)
        return {"classes": self.classes, "features": features, "multinomial": self.multinomial,
                "bias": [round(float(b), 4) for b in self.bias],
                "weights": [[round(float(w), 3) for w in row] for row in self.weights]}

    def rows(self, features: list[str]) -> list[int]:
        return [self.index[f] for f in features if f in self.index]

    def proba(self, features: list[str]) -> np.ndarray:
        rows = self.rows(features)
        scores = self.bias + (self.weights[rows].sum(axis=0) if rows else 0.0)
        if self.multinomial:
            scores = np.exp(scores - scores.max())
            return scores / scores.sum()
        return 1.0 / (1.0 + np.exp(-scores))

    def weight(self, feature: str, k: int) -> float:
        row = self.index.get(feature)
        return 0.0 if row is None else float(self.weights[row, k])


@dataclass
class Models:
    types: LinearModel
    roles: LinearModel
    thresholds: dict[str, float]
    info: dict
    accept: LinearModel | None = None  # p(a coded event is right), over `features.event_features`; None: all kept
    contexts: LinearModel | None = None  # p(each PLOVER context) of an event, over `features.context_features`


def models_from_dict(raw: dict, where: str = "model") -> Models:
    try:
        accept, contexts = (LinearModel.from_dict(raw[part]) if raw.get(part) else None
                            for part in ("accept", "contexts"))
        return Models(types=LinearModel.from_dict(raw["types"]), roles=LinearModel.from_dict(raw["roles"]),
                      thresholds={k: float(v) for k, v in raw["thresholds"].items()}, info=raw.get("info", {}),
                      accept=accept, contexts=contexts)
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelFileError(f"{where}: not a dyad coder model ({type(exc).__name__}: {exc})") from None


def model_path():
    configured = os.environ.get("DYAD_CODER_MODEL")
    return Path(configured) if configured else packaged(MODEL_FILE)


@lru_cache(maxsize=2)
def _load(path_text: str) -> Models:
    path = Path(path_text)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{path}: cannot read the coder model ({exc})") from None
    return models_from_dict(raw, str(path))


def load_models() -> Models | None:
    """The coder's models, or None when none is shipped (the rules then run alone)."""
    path = model_path()
    if not path.is_file():
        return None
    return _load(str(path))


def save_models(models: Models, path: Path) -> None:
    raw = {"info": models.info, "thresholds": models.thresholds, "types": models.types.to_dict(),
           "roles": models.roles.to_dict()}
    for part in ("accept", "contexts"):
        if getattr(models, part) is not None:
            raw[part] = getattr(models, part).to_dict()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw, separators=(",", ":")) + "\n", encoding="utf-8")
