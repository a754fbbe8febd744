"""Change points of a series: PELT (``ruptures`` or :func:`pelt_l2`) and the shifts that
last."""

from __future__ import annotations

import importlib
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .rules import Rule, point_value


def pelt_l2(signal: Sequence[float], penalty: float, min_size: int = 2) -> list[int]:
    """Change points of ``signal`` by PELT with an L2 (mean shift) cost: the sorted indices where
    a new segment starts, ending with ``len(signal)`` like ``ruptures``' ``predict``."""
    n = len(signal)
    min_size = max(1, min_size)
    if n < 2 * min_size:
        return [n]
    cs = [0.0]
    cs2 = [0.0]
    for x in signal:
        cs.append(cs[-1] + x)
        cs2.append(cs2[-1] + x * x)

    def cost(a: int, b: int) -> float:
        m = b - a
        total = cs[b] - cs[a]
        return (cs2[b] - cs2[a]) - total * total / m

    best = [math.inf] * (n + 1)
    best[0] = -penalty
    last = [0] * (n + 1)
    admissible = [0]
    for t in range(min_size, n + 1):
        candidates = [s for s in admissible if t - s >= min_size and best[s] < math.inf]
        kept: list[int] = []
        if candidates:
            scores = [best[s] + cost(s, t) + penalty for s in candidates]
            i = min(range(len(scores)), key=scores.__getitem__)
            best[t], last[t] = scores[i], candidates[i]
            # PELT pruning: a start that cannot beat t now never will
            kept = [s for s, v in zip(candidates, scores, strict=True) if v - penalty <= best[t]]
        young = [s for s in admissible if t - s < min_size]
        admissible = [*kept, *young, t]
    cuts = [n]
    t = n
    while t > 0:
        t = last[t]
        if t > 0:
            cuts.append(t)
    return sorted(cuts)


def change_points(signal: Sequence[float], penalty: float, min_size: int) -> list[int]:
    """PELT change points (``ruptures`` when installed, else :func:`pelt_l2`)."""
    try:
        rpt = importlib.import_module("ruptures")
    except ImportError:
        return pelt_l2(signal, penalty, min_size)
    import numpy as np

    algo = rpt.Pelt(model="l2", min_size=min_size, jump=1).fit(np.asarray(signal, dtype=float))
    return [int(b) for b in algo.predict(pen=penalty)]


def noise_variance(values: Sequence[float]) -> float:
    """Noise variance from the median absolute first difference (robust to the shifts)."""
    diffs = sorted(abs(b - a) for a, b in itertools.pairwise(values))
    if not diffs:
        return 0.0
    mad = diffs[len(diffs) // 2]
    if mad == 0:
        mean_diff = sum(diffs) / len(diffs)
        return mean_diff * mean_diff / 2
    return (mad / 0.6745) ** 2 / 2


@dataclass(frozen=True, slots=True)
class Shift:
    """A lasting shift of a series found by :func:`series_shifts`."""

    index: int
    """Where the new segment starts, in the list of points given."""
    before: float
    """The mean of the segment before."""
    after: float
    """The mean of the segment from ``index`` on."""
    points_before: int
    points_after: int
    variance: float
    """The noise variance of the series (:func:`noise_variance`)."""
    penalty: float
    """The PELT penalty used: ``penalty`` × variance × log n."""

    @property
    def delta(self) -> float:
        return self.after - self.before


def series_shifts(points: Sequence[dict[str, Any]], rule: Rule) -> list[Shift]:
    """The change points of one :func:`relations.series` (any frequency) by the rule's PELT
    settings (``measure``, ``penalty``, ``min_size``) that move the mean by at least
    ``min_delta`` and ``min_change`` of the larger side. Periods when nothing at all was
    published (or, for the mean intensity, without events) are gaps, left out."""
    present = [
        (i, v) for i, p in enumerate(points) if (v := point_value(p, rule.measure)) is not None
    ]
    values = [v for _, v in present]
    var = noise_variance(values)
    if len(values) < 2 * rule.min_size or var <= 0:
        return []
    pen = rule.penalty * var * math.log(len(values))
    cuts = change_points(values, pen, rule.min_size)
    bounds = [0, *cuts]
    out = []
    for j in range(1, len(bounds) - 1):
        a, b, c = bounds[j - 1], bounds[j], bounds[j + 1]
        before = sum(values[a:b]) / (b - a)
        after = sum(values[b:c]) / (c - b)
        delta = after - before
        if abs(delta) < rule.min_delta or abs(delta) < rule.min_change * max(
            abs(before), abs(after)
        ):
            continue
        out.append(
            Shift(
                index=present[b][0], before=before, after=after, points_before=b - a,
                points_after=c - b, variance=var, penalty=pen,
            )
        )  # fmt: skip
    return out
