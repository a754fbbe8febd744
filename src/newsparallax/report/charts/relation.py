"""The relation index: cooperation above the axis, conflict below, one bar per camp."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .scales import UNKNOWN_COLOR, LegendEntry, Tick, nice_max, tick_label


@dataclass(frozen=True, slots=True)
class LinkedRect:
    """A bar that opens what is behind it (``href``, a local path)."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    label: str
    href: str
    kind: str
    """``cooperation`` or ``conflict``."""


@dataclass(frozen=True, slots=True)
class RelationRow:
    """One period and camp of the data table."""

    period: str
    camp: str
    cooperation: int
    conflict: int
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    reports: int
    articles: int
    intensity_mean: float | None
    per_100: float | None
    href: str


@dataclass(frozen=True, slots=True)
class ChangeMark:
    """A change point drawn on a relation chart: a dashed line where the new level starts."""

    x: float
    period: str
    text: str
    """What shifted: ``events per week shifted up from 1.00 to 4.50 from the week of …``."""
    label: str
    """The text with the period, for the hover title and screen readers."""
    href: str
    direction: str


@dataclass(frozen=True, slots=True)
class RelationChart:
    title: str
    description: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    zero: float
    rects: list[LinkedRect]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    legend: list[LegendEntry]
    rows: list[RelationRow]
    changes: list[ChangeMark] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rects


COOPERATION = ("verbal_cooperation", "material_cooperation")
CONFLICT = ("verbal_conflict", "material_conflict")


def period_label(start: str, freq: str) -> str:
    """``2024-05`` for a month, the start day otherwise (a week starts on Monday)."""
    return start[:7] if freq == "month" else start


def relation_chart(
    series: list[dict[str, Any]],
    *,
    freq: str,
    labels: dict[str, str],
    colors: dict[str, str],
    href: Callable[[str, dict[str, Any]], str],
    title: str,
    changes: list[dict[str, Any]] | None = None,
    width: int = 960,
    height: int = 320,
) -> RelationChart:
    """Diverging bars of :func:`relations.series` dicts (one per camp): for each period and camp
    a bar of cooperation events above the axis and one of conflict events below it.
    ``href(camp, point)`` is where a bar leads (the events behind it). ``changes`` are change
    points (:func:`.insight.change_points`), marked at the start of their period and leading
    to the events of that period."""
    periods = sorted({p["start"] for s in series for p in s["points"]})
    index = {start: i for i, start in enumerate(periods)}
    coop_peak = max(
        (sum(p[q] for q in COOPERATION) for s in series for p in s["points"]), default=0
    )
    conf_peak = max((sum(p[q] for q in CONFLICT) for s in series for p in s["points"]), default=0)
    up = nice_max(coop_peak) if coop_peak else 0
    down = nice_max(conf_peak) if conf_peak else 0
    if not up and not down:
        up = 1
    left, right, top, bottom = 64.0, width - 12.0, 14.0, height - 40.0
    scale = (bottom - top) / (up + down)
    zero = top + up * scale
    slot = (right - left) / max(len(periods), 1)
    group = slot * 0.84
    bar_w = max(group / max(len(series), 1), 0.6)
    rects: list[LinkedRect] = []
    rows: list[RelationRow] = []
    legend: list[LegendEntry] = []
    for j, s in enumerate(series):
        camp = s["camp"]
        color = colors.get(camp, UNKNOWN_COLOR)
        label = labels.get(camp, camp)
        total = 0
        for p in s["points"]:
            i = index[p["start"]]
            x = left + i * slot + (slot - group) / 2 + j * bar_w
            coop = sum(p[q] for q in COOPERATION)
            conf = sum(p[q] for q in CONFLICT)
            total += p["events"]
            period = period_label(p["start"], freq)
            link = href(camp, p)
            if p["events"] or p["reports"]:
                rows.append(
                    RelationRow(
                        period=period, camp=label, cooperation=coop, conflict=conf,
                        **{q: p[q] for q in (*COOPERATION, *CONFLICT)},
                        reports=p["reports"], articles=p["articles"],
                        intensity_mean=p["intensity_mean"], per_100=p["per_100"], href=link,
                    )
                )  # fmt: skip
            tone = "" if p["intensity_mean"] is None else f"; mean intensity {p['intensity_mean']}"
            detail = (
                f"{p['reports']} reports in {p['articles']} articles{tone}"
                " — open the events behind it"
            )
            if coop:
                h = coop * scale
                rects.append(
                    LinkedRect(
                        x=round(x, 2), y=round(zero - h, 2), width=round(bar_w, 2),
                        height=round(h, 2), fill=color, href=link, kind="cooperation",
                        label=f"{period} · {label}: {coop} cooperation events (verbal "
                        f"{p['verbal_cooperation']}, material {p['material_cooperation']}); "
                        + detail,
                    )
                )  # fmt: skip
            if conf:
                h = conf * scale
                rects.append(
                    LinkedRect(
                        x=round(x, 2), y=round(zero, 2), width=round(bar_w, 2),
                        height=round(h, 2), fill=color, href=link, kind="conflict",
                        label=f"{period} · {label}: {conf} conflict events (verbal "
                        f"{p['verbal_conflict']}, material {p['material_conflict']}); " + detail,
                    )
                )  # fmt: skip
        legend.append(LegendEntry(key=camp, label=label, color=color, total=total))
    rows.sort(key=lambda r: r.period)  # stable: camps keep their order within a period
    step = max(1, math.ceil(len(periods) / 12))
    x_ticks = [
        Tick(position=round(left + i * slot + slot / 2, 2), label=period_label(p, freq))
        for i, p in enumerate(periods)
        if i % step == 0
    ]
    y_ticks = [Tick(position=round(zero, 2), label="0")]
    for extent, sign in ((up, -1), (down, 1)):
        if extent:
            for k in (0.5, 1.0):
                y_ticks.append(
                    Tick(
                        position=round(zero + sign * extent * k * scale, 2),
                        label=tick_label(extent * k),
                    )
                )
    span = (
        f"{period_label(periods[0], freq)} to {period_label(periods[-1], freq)}"
        if periods
        else "no data"
    )
    description = (
        f"Bars per {freq} and camp, {span}: cooperation events above the axis (highest "
        f"{coop_peak}), conflict events below it (highest {conf_peak})."
    )
    marks = [
        ChangeMark(
            x=round(left + index[c["start"]] * slot, 2),
            period=period_label(c["start"], freq),
            text=c["label"],
            label=f"Change point, {period_label(c['start'], freq)}: {c['label']}"
            " — open the events of that period",
            href=href(c["camp"], c),
            direction=c["direction"],
        )
        for c in changes or []
        if c["start"] in index
    ]
    if marks:
        description += f" Dashed lines mark {len(marks)} change points of the series."
    return RelationChart(
        title=title, description=description, width=width, height=height, plot_left=left,
        plot_right=right, plot_top=top, plot_bottom=bottom, zero=round(zero, 2), rects=rects,
        x_ticks=x_ticks, y_ticks=y_ticks, legend=legend, rows=rows, changes=marks,
    )  # fmt: skip
