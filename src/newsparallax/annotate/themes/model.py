"""The features of an (article, theme) pair and the small logistic model over them
(``data/themes_model.json``, fitted by ``bench/themes_train.py``)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ...errors import ConfigError

STAGE = "themes.v2"

#: The features of a (article, theme) pair, in the model's order.
FEATURES = (
    "title_strong",  # distinct strong terms in the title (at most 2)
    "title_weak",  # distinct weak terms in the title (at most 2)
    "lead_strong",  # distinct strong terms in the lead (at most 2)
    "passage",  # most distinct strong terms in three sentences running (at most 3)
    "coverage",  # share of the body's sentences holding a strong term
    "body_strong",  # log(1 + distinct strong terms in the body)
    "body_weak",  # log(1 + distinct weak terms in the body)
    "actor",  # a theme actor named (1 in the title, 0.5 in the body only)
    "sector",  # an actor of a theme sector named
    "countries",  # all of the theme's countries named
    "event",  # events of the theme's types (at most 2)
    "event_with",  # an event of a listed type whose sentence holds the named theme's terms
    "during",  # a window's anchor and vocabulary (1 in title or lead, 0.5 in the body)
    "headline",  # the article is a headline (no body, or under 25 words)
)


@dataclass(frozen=True, slots=True)
class Model:
    """The logistic model over :data:`FEATURES`: shared weights, a prior per theme."""

    weights: tuple[float, ...]
    intercept: float
    priors: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, theme: str, features: Sequence[float]) -> float:
        z = self.intercept + self.priors.get(theme, 0.0)
        z += sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": STAGE,
            "features": list(FEATURES),
            "weights": dict(zip(FEATURES, self.weights, strict=True)),
            "intercept": self.intercept,
            "priors": self.priors,
            "meta": self.meta,
        }


def parse_model(data: Mapping[str, Any]) -> Model:
    weights = data["weights"]
    missing = [f for f in FEATURES if f not in weights]
    if missing:
        raise ConfigError(f"themes model: no weight for {', '.join(missing)}")
    return Model(
        weights=tuple(float(weights[f]) for f in FEATURES),
        intercept=float(data["intercept"]),
        priors={str(k): float(v) for k, v in data.get("priors", {}).items()},
        meta=dict(data.get("meta", {})),
    )


@cache
def shipped_model() -> Model:
    """The model shipped in ``data/themes_model.json``."""
    path = resources.files("newsparallax") / "data" / "themes_model.json"
    return parse_model(json.loads(path.read_text(encoding="utf-8")))
