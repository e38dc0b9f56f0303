"""The learned decisions: three logistic regressions trained by ``scripts/train_answering.py`` on the tuning part
of the devset and shipped as one small JSON artifact (``api/engine/models/answering.json``):

- ``passage``: how likely a retrieved passage holds the answer (re-ranks the fused candidates);
- ``gate``: whether the evidence answers the question at all (the refusal decision), with the threshold the
  training chose by cross-validation;
- ``sentence``: how likely a sentence of the evidence states the answer (picks the quoted sentences).

A logistic regression is a dot product and a sigmoid, so answering needs numpy only, not scikit-learn.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from api.engine.features import GATE_FEATURES, PASSAGE_FEATURES, SENTENCE_FEATURES
from core.errors import ConfigurationError

ARTIFACT = Path(__file__).with_name("models") / "answering.json"
FORMAT = 1


@dataclass(frozen=True)
class LinearModel:
    features: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float = 0.5

    def probability(self, values: Sequence[float]) -> float:
        z = self.intercept + sum(c * v for c, v in zip(self.coef, values, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class AnsweringModels:
    passage: LinearModel
    gate: LinearModel
    sentence: LinearModel
    trained_on: str = ""


def _model(data: dict[str, Any], expected: tuple[str, ...], name: str, path: Path) -> LinearModel:
    features = tuple(str(f) for f in data["features"])
    if features != expected:
        raise ConfigurationError(
            f"The answering model {path} was trained on other {name} features than this version computes.",
            hint="Retrain it: python scripts/train_answering.py (see its --help).",
        )
    return LinearModel(features, tuple(float(c) for c in data["coef"]), float(data["intercept"]),
                       float(data.get("threshold", 0.5)))


def load_models(path: Path | None = None) -> AnsweringModels:
    """The bundled models, or those at ``path`` (``BK_ANSWER__MODEL_PATH``)."""
    return _load(path or ARTIFACT)


@lru_cache(maxsize=4)
def _load(path: Path) -> AnsweringModels:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigurationError(f"The answering model {path} is missing.",
                                 hint="Train it: python scripts/train_answering.py.") from exc
    if data.get("format") != FORMAT:
        raise ConfigurationError(f"The answering model {path} has format {data.get('format')}, not {FORMAT}.",
                                 hint="Retrain it: python scripts/train_answering.py.")
    return AnsweringModels(
        passage=_model(data["passage"], PASSAGE_FEATURES, "passage", path),
        gate=_model(data["gate"], GATE_FEATURES, "gate", path),
        sentence=_model(data["sentence"], SENTENCE_FEATURES, "sentence", path),
        trained_on=str(data.get("trained_on", "")),
    )
