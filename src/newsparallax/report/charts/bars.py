"""Stacked bars of counts per month (or year) by camp."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ...records import Camp
from .scales import LegendEntry, Tick, camp_colors, nice_max, tick_label

MAX_MONTHS = 72
"""With more months than this, bars are years."""


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    label: str


@dataclass(frozen=True, slots=True)
class StackedBars:
    title: str
    description: str
    unit: str
    """``month`` or ``year``: what one bar counts."""
    width: int
    height: int
    plot_left: float
    plot_top: float
    plot_bottom: float
    plot_right: float
    rects: list[Rect]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    legend: list[LegendEntry]
    table_columns: list[str]
    table_rows: list[tuple[str, list[int], int]] = field(default_factory=list)
    """``(bucket, counts per legend entry, total)`` for the data table."""

    @property
    def empty(self) -> bool:
        return not self.rects


def stacked_bars(
    counts: dict[str, dict[str, int]],
    *,
    camps: dict[str, Camp],
    title: str,
    noun: str = "articles",
    width: int = 960,
    height: int = 300,
) -> StackedBars:
    """Bars of ``{month (YYYY-MM): {camp: n}}`` stacked by camp, months or years on the x axis."""
    months = sorted(counts)
    unit = "month"
    series = counts
    if len(months) > MAX_MONTHS:
        unit = "year"
        yearly: dict[str, dict[str, int]] = {}
        for month, by_camp in counts.items():
            year = yearly.setdefault(month[:4], {})
            for camp, n in by_camp.items():
                year[camp] = year.get(camp, 0) + n
        series = yearly
    buckets = _fill_gaps(sorted(series), unit=unit)
    totals_by_camp: dict[str, int] = {}
    for by_camp in series.values():
        for camp, n in by_camp.items():
            totals_by_camp[camp] = totals_by_camp.get(camp, 0) + n
    order = [c for c in camps if c in totals_by_camp]
    order += sorted(c for c in totals_by_camp if c not in camps and c != "unknown")
    order += ["unknown"] if "unknown" in totals_by_camp else []
    colors = camp_colors(camps, order)
    legend = [
        LegendEntry(
            key=c,
            label=camps[c].label if c in camps else ("No camp" if c == "unknown" else c),
            color=colors[c],
            total=totals_by_camp[c],
        )
        for c in order
    ]
    left, right, top, bottom = 64.0, width - 12.0, 12.0, height - 36.0
    peak = max((sum(series.get(b, {}).values()) for b in buckets), default=0)
    y_max = nice_max(peak)
    plot_h = bottom - top
    slot = (right - left) / max(len(buckets), 1)
    bar_w = max(slot * 0.8, 1.0)
    rects: list[Rect] = []
    rows: list[tuple[str, list[int], int]] = []
    for i, bucket in enumerate(buckets):
        by_camp = series.get(bucket, {})
        y = bottom
        x = left + i * slot + (slot - bar_w) / 2
        for entry in legend:
            n = by_camp.get(entry.key, 0)
            if not n:
                continue
            h = plot_h * n / y_max
            y -= h
            rects.append(
                Rect(
                    x=round(x, 2),
                    y=round(y, 2),
                    width=round(bar_w, 2),
                    height=round(h, 2),
                    fill=entry.color,
                    label=f"{bucket} · {entry.label}: {n} {noun}",
                )
            )
        counts_row = [by_camp.get(e.key, 0) for e in legend]
        rows.append((bucket, counts_row, sum(counts_row)))
    step = max(1, math.ceil(len(buckets) / 12))
    x_ticks = [
        Tick(position=round(left + i * slot + slot / 2, 2), label=b)
        for i, b in enumerate(buckets)
        if i % step == 0
    ]
    y_ticks = [
        Tick(position=round(bottom - plot_h * k / 4, 2), label=tick_label(y_max * k / 4))
        for k in range(5)
    ]
    total = sum(totals_by_camp.values())
    span = f"{buckets[0]} to {buckets[-1]}" if buckets else "no dated data"
    description = (
        f"Stacked bars: {noun} per {unit} by camp, {span}; {total} {noun} in all; "
        f"highest {unit}: {peak}."
    )
    return StackedBars(
        title=title,
        description=description,
        unit=unit,
        width=width,
        height=height,
        plot_left=left,
        plot_top=top,
        plot_bottom=bottom,
        plot_right=right,
        rects=rects,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        legend=legend,
        table_columns=[e.label for e in legend],
        table_rows=rows,
    )


def _fill_gaps(buckets: list[str], *, unit: str) -> list[str]:
    """Every month (or year) from the first to the last, so gaps show as gaps."""
    if not buckets:
        return []
    try:
        if unit == "year":
            return [str(y) for y in range(int(buckets[0]), int(buckets[-1]) + 1)]
        y0, m0 = int(buckets[0][:4]), int(buckets[0][5:7])
        y1, m1 = int(buckets[-1][:4]), int(buckets[-1][5:7])
    except ValueError:
        return buckets
    out = []
    y, m = y0, m0
    while (y, m) <= (y1, m1):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
