"""What a coded trigger rests on, and the confidence that follows from it.

Every coder describes each event it codes by the same :class:`Signals`: how sure the trigger is
(a curated trigger, or one of the thousands of the CAMEO verb dictionary) and which word it is,
how its source and target were found (parse, case or preposition: ``syntax``; only the nearest
actor: ``fallback``; ``none``), the mood of its clause (a fact, a possibility or fear, a
cancelled or failed event), whether the sentence is about sports or markets, whether it codes a
state acting on itself, and a few facts of the sentence (the clause the trigger heads, how many
actors it names, whether it is a headline, what kinds of actors the roles are).

The confidence of an event is a logistic model over these signals, trained on hand-labelled real
sentences in English, Russian and Persian — the tune half of ``bench/labels/events_gold.jsonl``
and the training set ``bench/labels/events_train.jsonl``, never the test half — to predict that
an event is *fully right* (type, source, target, negation and assertion), by
``bench/events_calibrate.py``, which writes ``data/event_confidence.json``. A possibility or a
fear, a cancelled event, a sports or market sentence and a misread self-loop get confidence 0:
they are stored for inspection only. Events below the store's threshold
(``PARALLAX_EVENT_THRESHOLD``, the model's own by default) are kept out of the relation index,
timelines, alerts and claims.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ... import settings
from ...records import Event

MODEL = Path(__file__).resolve().parents[2] / "data" / "event_confidence.json"

#: PLOVER types an actor may do to its own state's people (police detaining protesters,
#: a government conceding to strikers): a self-loop of another type is a misread role.
DOMESTIC = frozenset({"COERCE", "ASSAULT", "PROTEST", "MOBILIZE", "CONCEDE", "REQUEST", "ACCUSE"})

#: Moods that are not events that happened (or were stated, promised or threatened) at the
#: time of the report: possibilities, cancelled events, and history recounted years back.
NOT_EVENTS = frozenset({"hypothetical", "cancelled", "past"})


@dataclass(frozen=True, slots=True)
class Signals:
    """What one coded event rests on (see the module docstring)."""

    language: str
    tier: str  # "curated" | "lexicon"
    source: str  # "syntax" | "fallback" | "none"
    target: str  # "syntax" | "fallback" | "none"
    mood: str = "fact"  # "fact" | "hypothetical" | "cancelled" | "past"
    context: str = ""  # "" | "sports" | "markets"
    self_loop: bool = False
    kind: str = ""  # the PLOVER type
    trigger: str = ""  # the trigger's lemma, lower case
    noun: bool = False  # a noun trigger ("strikes", «удар»), not a verb
    clause: str = ""  # English: the trigger's dependency label (ROOT, ccomp, conj...)
    parties: int = 0  # actors that can be parties, in the sentence
    asserted: bool = True
    negated: bool = False
    title: bool = False  # the sentence is a headline
    source_kind: str = ""
    target_kind: str = ""

    @property
    def never_kept(self) -> bool:
        """A possibility, fear, cancelled event, sports or market sentence, misread self-loop."""
        return self.mood in NOT_EVENTS or bool(self.context) or self.self_loop

    def features(self) -> list[str]:
        """The model's binary features."""
        lang = self.language
        roles = f"{self.source}/{self.target}"
        return [
            "bias",
            f"lang={lang}",
            f"tier={self.tier}",
            f"tier={self.tier}|lang={lang}",
            f"src={self.source}",
            f"tgt={self.target}",
            f"roles={roles}",
            f"roles={roles}|lang={lang}",
            f"type={self.kind}",
            f"type={self.kind}|lang={lang}",
            f"trigger={lang}:{self.trigger}",
            f"noun={self.noun}|lang={lang}",
            f"clause={self.clause}",
            f"parties={min(self.parties, 4)}",
            f"asserted={self.asserted}",
            f"negated={self.negated}",
            f"title={self.title}|lang={lang}",
            f"skind={self.source_kind}",
            f"tkind={self.target_kind}",
        ]


class Coded(NamedTuple):
    """A coded event and the signals it rests on."""

    event: Event
    signals: Signals


class ConfidenceModel:
    """Logistic weights over :meth:`Signals.features`, and the default threshold."""

    def __init__(
        self,
        weights: dict[str, float],
        *,
        threshold: float = 0.5,
        calibration: dict[str, list[tuple[float, float]]] | None = None,
    ) -> None:
        self.weights = weights
        self.threshold = threshold
        self.calibration = calibration or {}

    @classmethod
    def load(cls, path: Path = MODEL) -> ConfidenceModel:
        if not path.exists():
            return cls({"bias": -1.5})
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            {str(k): float(v) for k, v in data["weights"].items()},
            threshold=float(data.get("threshold", 0.5)),
            calibration={
                lang: [(float(t), float(p)) for t, p in steps]
                for lang, steps in data.get("calibration", {}).items()
            },
        )

    def score(self, signals: Signals) -> float:
        """The model's probability, before the never-kept rules."""
        z = sum(self.weights.get(f, 0.0) for f in signals.features())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def confidence(self, signals: Signals) -> float:
        """The probability that an event with these signals is fully right: the
        cross-validated precision, in its language, of the events scoring at least as much
        (the model's raw probability where no calibration is shipped)."""
        if signals.never_kept:
            return 0.0
        score = self.score(signals)
        steps = self.calibration.get(signals.language)
        if not steps:
            return round(score, 3)
        value = 0.0
        for t, precision in steps:
            if score >= t:
                value = precision
        return round(value, 3)


_lock = threading.Lock()
_default: ConfidenceModel | None = None


def confidence_model() -> ConfidenceModel:
    """The shipped model (loaded once per process)."""
    global _default
    with _lock:
        if _default is None:
            _default = ConfidenceModel.load()
        return _default


def event_threshold() -> float:
    """The confidence an event needs to count in series, timelines, alerts and claims:
    ``PARALLAX_EVENT_THRESHOLD`` if set, else the shipped model's threshold."""
    raw = settings.get("event_threshold").strip()
    if not raw:
        return confidence_model().threshold
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"PARALLAX_EVENT_THRESHOLD must be a number from 0 to 1, not {raw!r}")
    return value
