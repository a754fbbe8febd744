"""Verdicts on a relation between two periods, with the evidence and the uncertainty behind them.

:func:`verdict` compares the events of a dyad in a period with those of the period before and
says one of:

* ``warming`` / ``cooling`` — the share of cooperative events (verbal or material cooperation,
  among cooperation and conflict events) rose / fell: the 95 % interval of the change (Newcombe's
  hybrid score interval, from the two Wilson intervals) lies wholly above / below zero;
* ``new activity`` — events where the period before had none, more than chance allows: under the
  null of one rate over both periods the current period's share of the events is binomial with
  p = its share of the time, and the exact two-sided p-value is below ``alpha``;
* ``fell silent`` — the converse;
* ``more activity`` / ``less activity`` — events in both periods, the tone not clearly changed,
  and the split of the events between the periods unlikely under one rate (the same test);
* ``steady`` — enough evidence and none of the above;
* ``too little to tell`` — below the stated minimum: fewer than ``min_events`` events in the
  period that would carry the verdict (both periods for warming/cooling), or fewer than
  ``min_outlets`` distinct outlets when they are given;
* ``quiet`` — no events in either period.

Every result states the minimum, the test or interval used and the counts, so a briefing, the
relation page or an alert can print *why* ("1 event against 0: too little to tell, a verdict
needs at least 5 events from 2 outlets"). Pure Python, no SciPy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ALPHA",
    "MIN_EVENTS",
    "MIN_OUTLETS",
    "PeriodCounts",
    "binomial_two_sided",
    "newcombe_difference",
    "verdict",
    "wilson",
]

MIN_EVENTS = 5
"""Fewest events in a period for a verdict to rest on it (both periods for warming/cooling)."""
MIN_OUTLETS = 2
"""Fewest distinct outlets reporting a period's events (when outlet counts are given)."""
ALPHA = 0.05
"""Significance level of the tests; intervals are at 1 - ALPHA."""
_Z = 1.959963984540054

VERDICTS = (
    "warming",
    "cooling",
    "new activity",
    "fell silent",
    "more activity",
    "less activity",
    "steady",
    "too little to tell",
    "quiet",
)


@dataclass(frozen=True, slots=True)
class PeriodCounts:
    """What a dyad did in one period."""

    events: int
    """Distinct events (instances) of every type."""
    cooperation: int = 0
    """Events of the two cooperation quad classes (verbal and material)."""
    conflict: int = 0
    """Events of the two conflict quad classes."""
    outlets: int | None = None
    """Distinct outlets that reported them, when known."""
    articles: int | None = None
    days: float = 1.0
    """Length of the period (any unit, the same for both periods)."""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "events": self.events,
            "cooperation": self.cooperation,
            "conflict": self.conflict,
        }
        if self.outlets is not None:
            out["outlets"] = self.outlets
        if self.articles is not None:
            out["articles"] = self.articles
        return out


def wilson(k: int, n: int, z: float = _Z) -> tuple[float, float]:
    """The Wilson score interval of the proportion ``k / n`` (``(0, 1)`` when ``n`` is 0)."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def newcombe_difference(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float, float]:
    """``(p1 - p2, low, high)``: the difference of two proportions with its 95 % interval by
    Newcombe's hybrid score method (method 10 of Newcombe 1998), from the Wilson intervals."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return (d, max(-1.0, low), min(1.0, high))


def _log_pmf(k: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1.0:
        return 0.0 if k == n else -math.inf
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def binomial_two_sided(k: int, n: int, p: float) -> float:
    """The exact two-sided p-value of ``k`` successes in ``n`` trials of probability ``p``: the
    total probability of outcomes no more likely than ``k`` (as R's ``binom.test``)."""
    if n <= 0:
        return 1.0
    observed = _log_pmf(k, n, p)
    total = 0.0
    for i in range(n + 1):
        lp = _log_pmf(i, n, p)
        if lp <= observed + 1e-7:
            total += math.exp(lp)
    return min(1.0, total)


def _events(n: int) -> str:
    return f"{n} event{'' if n == 1 else 's'}"


def verdict(
    current: PeriodCounts,
    previous: PeriodCounts,
    *,
    min_events: int = MIN_EVENTS,
    min_outlets: int = MIN_OUTLETS,
    alpha: float = ALPHA,
) -> dict[str, Any]:
    """The verdict on a dyad from its counts in ``current`` and ``previous`` (see the module
    docstring), as plain data:

    ``verdict`` (one of :data:`VERDICTS`), ``enough`` (whether the minimum was met),
    ``minimum`` (``{"events", "outlets"}``), ``current`` / ``previous`` (the counts),
    ``test`` (the activity test: ``{"name", "p_value", "share_expected", "share_observed"}``),
    ``cooperation_share`` (``{"current", "previous", "change", "ci95"}`` or ``None`` when a
    period has no cooperation or conflict events) and ``reason`` (one sentence that says why).
    """
    minimum = {"events": min_events, "outlets": min_outlets}
    out: dict[str, Any] = {
        "verdict": "quiet",
        "enough": False,
        "minimum": minimum,
        "current": current.as_dict(),
        "previous": previous.as_dict(),
        "test": None,
        "cooperation_share": None,
        "reason": "",
    }
    c, p = current.events, previous.events
    if c == 0 and p == 0:
        out["reason"] = "no events in either period"
        return out

    def enough(period: PeriodCounts) -> bool:
        if period.events < min_events:
            return False
        return period.outlets is None or period.outlets >= min_outlets

    known = current.outlets is not None or previous.outlets is not None
    need = f"a verdict needs at least {min_events} events" + (
        f" from {min_outlets} outlets" if known and min_outlets > 1 else ""
    )
    # the activity test: is the split of the events between the periods what one rate gives?
    n = c + p
    share = current.days / (current.days + previous.days)
    p_value = binomial_two_sided(c, n, share)
    out["test"] = {
        "name": "exact binomial test of the events' split between the periods (one rate)",
        "p_value": round(p_value, 4),
        "share_expected": round(share, 4),
        "share_observed": round(c / n, 4),
    }
    # the tone: the share of cooperation among cooperation and conflict events
    cn = current.cooperation + current.conflict
    pn = previous.cooperation + previous.conflict
    if cn and pn:
        d, lo, hi = newcombe_difference(current.cooperation, cn, previous.cooperation, pn)
        out["cooperation_share"] = {
            "current": round(current.cooperation / cn, 4),
            "previous": round(previous.cooperation / pn, 4),
            "change": round(d, 4),
            "ci95": [round(lo, 4), round(hi, 4)],
            "method": "Newcombe hybrid score interval of the difference (Wilson intervals)",
        }
    counts = f"{_events(c)} against {p} the period before"
    activity = f"binomial test of the split p = {p_value:.2g}"
    if p == 0 or c == 0:
        active = current if p == 0 else previous
        if not enough(active):
            out["verdict"] = "too little to tell"
            out["reason"] = f"{counts}; {need}"
            return out
        out["enough"] = True
        if p_value < alpha:
            out["verdict"] = "new activity" if p == 0 else "fell silent"
            out["reason"] = f"{counts}; {activity}"
        else:
            out["verdict"] = "steady"
            out["reason"] = f"{counts}; {activity}: within chance"
        return out
    if not (enough(current) and enough(previous)):
        out["verdict"] = "too little to tell"
        out["reason"] = f"{counts}; {need} in each period"
        return out
    out["enough"] = True
    busier: str | None = None
    if p_value < alpha:
        busier = "more activity" if c / current.days > p / previous.days else "less activity"
    share_change = out["cooperation_share"]
    if share_change is None or cn < min_events or pn < min_events:
        out["verdict"] = busier or "steady"
        out["reason"] = (
            f"{counts}; {activity}; too few cooperation or conflict events to judge the tone"
        )
        return out
    lo, hi = share_change["ci95"]
    tone = (
        f"cooperative share {share_change['previous']:.0%} → {share_change['current']:.0%},"
        f" 95% CI of the change {lo * 100:+.0f} to {hi * 100:+.0f} points"
    )
    if lo > 0 or hi < 0:
        out["verdict"] = "warming" if lo > 0 else "cooling"
        out["reason"] = f"{counts}; {tone}"
        return out
    out["verdict"] = busier or "steady"
    out["reason"] = f"{counts}; {activity}; {tone}: no clear change of tone"
    return out
