"""Alert rules: the ``[[alerts]]`` tables of a watch checked and made into :class:`Rule`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ...errors import ConfigError
from ..relations import ALL, QUADS

KINDS = ("threshold", "changepoint", "new_story", "first_type", "blindspot")
MEASURES = ("events", "reports", *QUADS, "intensity_sum", "intensity_mean", "per_100")


@dataclass(frozen=True, slots=True)
class Rule:
    """One alert rule (defaults apply to the kinds that use the key)."""

    id: str
    kind: str
    dyads: tuple[tuple[str, str], ...] = ()
    both: bool = False
    camp: str = ALL
    measure: str = "events"
    sigma: float = 3.0
    window_days: int = 90
    min_value: float = 3.0
    min_history_days: int = 30
    penalty: float = 3.0
    min_size: int = 4
    min_delta: float = 2.0
    min_change: float = 0.5
    min_camps: int = 3
    min_articles: int = 5
    min_camp_articles: int = 20
    min_camp_events: int = 3
    camps: tuple[str, ...] = ()
    fold_days: int = 7
    enabled: bool = True
    title: str = ""


_INT_KEYS = {
    "window_days",
    "min_history_days",
    "min_size",
    "min_camps",
    "min_articles",
    "min_camp_articles",
    "min_camp_events",
    "fold_days",
}
_FLOAT_KEYS = {"sigma", "min_value", "penalty", "min_delta", "min_change"}
_RULE_KEYS = {f for f in Rule.__dataclass_fields__}


def parse_rules(
    raw: Iterable[dict[str, Any]], *, dyads: Sequence[tuple[str, str]] = ()
) -> list[Rule]:
    """Check ``[[alerts]]`` tables and make rules (``dyads`` default to the watch's)."""
    rules = []
    for entry in raw:
        rid = str(entry.get("id", "?"))
        where = f"alert {rid!r}"
        unknown = set(entry) - _RULE_KEYS
        if unknown:
            raise ConfigError(
                f"{where}: unknown key(s) {', '.join(sorted(unknown))}"
                f" (allowed: {', '.join(sorted(_RULE_KEYS))})"
            )
        kind = entry.get("kind")
        if kind not in KINDS:
            raise ConfigError(f"{where}: kind must be one of {', '.join(KINDS)}")
        values: dict[str, Any] = {"id": rid, "kind": kind}
        for key, value in entry.items():
            if key in ("id", "kind"):
                continue
            if key in _INT_KEYS:
                if type(value) is not int or value < 0:
                    raise ConfigError(f"{where}: {key} must be a non-negative integer")
            elif key in _FLOAT_KEYS:
                if type(value) not in (int, float) or value < 0:
                    raise ConfigError(f"{where}: {key} must be a non-negative number")
                value = float(value)
            elif key in ("both", "enabled"):
                if not isinstance(value, bool):
                    raise ConfigError(f"{where}: {key} must be true or false")
            elif key == "dyads":
                ok = isinstance(value, list) and all(
                    isinstance(p, list)
                    and len(p) == 2
                    and all(isinstance(c, str) and c.strip() for c in p)
                    for p in value
                )
                if not ok:
                    raise ConfigError(f"{where}: dyads must be a list of [source, target] pairs")
                value = tuple((p[0].upper(), p[1].upper()) for p in value)
            elif key == "camps":
                if not (isinstance(value, list) and all(isinstance(c, str) for c in value)):
                    raise ConfigError(f"{where}: camps must be a list of camp ids")
                value = tuple(value)
            elif key == "measure":
                if value not in MEASURES:
                    raise ConfigError(f"{where}: measure must be one of {', '.join(MEASURES)}")
            elif not isinstance(value, str):
                raise ConfigError(f"{where}: {key} must be a string")
            values[key] = value
        if "dyads" not in values:
            values["dyads"] = tuple(dyads)
        rules.append(Rule(**values))
    return rules


def watch_rules(watch: Any) -> list[Rule]:
    """The enabled rules of a watch."""
    return [r for r in parse_rules(watch.alerts, dyads=watch.dyads) if r.enabled]


def point_value(point: dict[str, Any], measure: str) -> float | None:
    """The ``measure`` of a point of a :func:`relations.series`; ``None`` when it is missing:
    nothing at all was published that day (a gap in the corpus, not a quiet relation), or a
    ratio without a denominator."""
    if not point.get("published"):
        return None
    value = point.get(measure)
    return None if value is None else float(value)
