"""Compare: theme shares per camp with their 95 % intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .scales import UNKNOWN_COLOR, Tick


@dataclass(frozen=True, slots=True)
class IntervalBar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    lo: float
    hi: float
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class IntervalChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    rows: list[tuple[str, float]]
    """``(theme label, y of the row's middle)``."""
    bars: list[IntervalBar]
    x_ticks: list[Tick]
    description: str

    @property
    def empty(self) -> bool:
        return not self.bars


def interval_bars(
    emphasis: dict[str, dict[str, Any]],
    *,
    labels: dict[str, str],
    colors: dict[str, str],
    order: list[str],
    width: int = 960,
    anchor: str = "em",
) -> IntervalChart:
    """Each theme's share of each camp's tagged articles as a horizontal bar with a whisker for
    its 95 % interval (``emphasis`` is :func:`compare.emphasis`'s ``camps``); every bar links to
    ``#{anchor}-{camp}-{theme}`` (the table row listing its articles)."""
    camps = [c for c in order if c in emphasis] + sorted(c for c in emphasis if c not in order)
    best: dict[str, float] = {}
    for camp in camps:
        for theme, v in emphasis[camp]["themes"].items():
            best[theme] = max(best.get(theme, 0.0), float(v["ci95"][1]), float(v["share"]))
    themes = sorted(best, key=lambda t: (-best[t], t))
    top = max(best.values(), default=0.0)
    scale_max = min(1.0, math.ceil(top * 10) / 10) if top else 1.0
    bar_h, gap, top_pad = 10.0, 10.0, 8.0
    row_h = bar_h * max(len(camps), 1) + gap
    left, right = 190.0, width - 30.0
    height = int(top_pad + row_h * max(len(themes), 1) + 28)

    def xpos(value: float) -> float:
        return round(left + (right - left) * min(value, scale_max) / scale_max, 2)

    bars: list[IntervalBar] = []
    rows: list[tuple[str, float]] = []
    for i, theme in enumerate(themes):
        y0 = top_pad + row_h * i
        rows.append((theme.replace("_", " "), round(y0 + bar_h * len(camps) / 2, 2)))
        for j, camp in enumerate(camps):
            v = emphasis[camp]["themes"].get(theme)
            if v is None:
                continue
            share, (lo, hi) = float(v["share"]), v["ci95"]
            bars.append(
                IntervalBar(
                    x=left,
                    y=round(y0 + bar_h * j, 2),
                    width=round(xpos(share) - left, 2),
                    height=bar_h - 2,
                    fill=colors.get(camp, UNKNOWN_COLOR),
                    lo=xpos(float(lo)),
                    hi=xpos(float(hi)),
                    label=f"{labels.get(camp, camp)} · {theme.replace('_', ' ')}:"
                    f" {100 * share:.1f} % of {emphasis[camp]['articles_tagged']} tagged articles"
                    f" (95 % interval {100 * float(lo):.1f}–{100 * float(hi):.1f} %)",
                    href=f"#{anchor}-{quote(camp, safe='')}-{quote(theme, safe='')}",
                )
            )
    ticks = [
        Tick(position=xpos(scale_max * k / 4), label=f"{round(100 * scale_max * k / 4)} %")
        for k in range(5)
    ]
    return IntervalChart(
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        rows=rows,
        bars=bars,
        x_ticks=ticks,
        description=(
            f"Share of each camp's theme-tagged articles per theme, {len(themes)} themes, camps"
            f" {', '.join(labels.get(c, c) for c in camps)}; whiskers are 95 % intervals."
            if bars
            else "No theme-tagged articles."
        ),
    )
