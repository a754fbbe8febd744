"""Charts as geometry for server-rendered SVG: no script, readable with or without colour.

A :class:`StackedBars` holds every rectangle, axis tick and legend entry with its numbers; the
``charts.html`` template draws it as inline SVG (each bar has a ``<title>`` for hover details)
and the same numbers as a data table for screen readers and people who would rather read.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from ..records import Camp

FALLBACK_COLORS = (
    "#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000",
    "#332288", "#882255", "#117733", "#DDCC77", "#AA4499", "#999933", "#CC6677",
)  # fmt: skip
"""Okabe–Ito, then Paul Tol's muted set: distinguishable with the common colour blindnesses."""
UNKNOWN_COLOR = "#BBBBBB"
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
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class LegendEntry:
    key: str
    label: str
    color: str
    total: int


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


def camp_colors(camps: dict[str, Camp], keys: list[str]) -> dict[str, str]:
    """A colour per camp: the watch's, else the next unused colour-blind-safe one."""
    colors: dict[str, str] = {}
    used = {c.color.upper() for c in camps.values() if c.color}
    spare = [c for c in FALLBACK_COLORS if c.upper() not in used]
    for key in keys:
        camp = camps.get(key)
        if key == "unknown":
            colors[key] = UNKNOWN_COLOR
        elif camp is not None and camp.color:
            colors[key] = camp.color
        else:
            colors[key] = spare.pop(0) if spare else UNKNOWN_COLOR
    return colors


def nice_max(value: int) -> int:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    exp = int(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 2.5, 5, 10):
        if step * exp >= value:
            return math.ceil(step * exp)
    return int(10 * exp)  # pragma: no cover


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
        Tick(position=round(bottom - plot_h * k / 4, 2), label=_fmt(y_max * k / 4))
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


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


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


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text, highlighted when ``mark`` is set (an actor mention)."""

    text: str
    actor: str | None = None
    kind: str | None = None


def segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[Segment]:
    """``text`` cut at the ``(start, end, actor, kind)`` spans (overlaps and bad offsets skipped),
    so a template can highlight mentions while escaping every piece."""
    out: list[Segment] = []
    cursor = 0
    for start, end, actor, kind in sorted(spans):
        if start < cursor or end <= start or end > len(text):
            continue
        if start > cursor:
            out.append(Segment(text[cursor:start]))
        out.append(Segment(text[start:end], actor=actor, kind=kind))
        cursor = end
    if cursor < len(text):
        out.append(Segment(text[cursor:]))
    return out


# -- the relation index: cooperation above the axis, conflict below, one bar per camp ----------


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
                        position=round(zero + sign * extent * k * scale, 2), label=_fmt(extent * k)
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


# -- stories: a camp coverage bar and the articles of a story on a timeline --------------------


@dataclass(frozen=True, slots=True)
class CoverageSegment:
    x: float
    width: float
    fill: str
    label: str


def coverage_bar(
    coverage: dict[str, dict[str, Any]],
    *,
    labels: dict[str, str],
    colors: dict[str, str],
    order: list[str],
    width: int = 100,
) -> list[CoverageSegment]:
    """A story's articles by camp as one horizontal bar (camps in ``order``, then the rest);
    positions are in ``width`` units (percent by default: the template stretches them)."""
    camps = [c for c in order if c in coverage] + sorted(c for c in coverage if c not in order)
    total = sum(int(coverage[c]["articles"]) for c in camps)
    out: list[CoverageSegment] = []
    x = 0.0
    for camp in camps:
        n = int(coverage[camp]["articles"])
        if not n or not total:
            continue
        w = width * n / total
        share = round(100 * n / total)
        outlets = len(coverage[camp].get("outlets", []))
        out.append(
            CoverageSegment(
                x=round(x, 2),
                width=round(w, 2),
                fill=colors.get(camp, UNKNOWN_COLOR),
                label=f"{labels.get(camp, camp)}: {n} articles ({share} %) from {outlets} outlets",
            )
        )
        x += w
    return out


@dataclass(frozen=True, slots=True)
class Dot:
    cx: float
    cy: float
    fill: str
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class StoryTimeline:
    width: int
    height: int
    plot_left: float
    plot_right: float
    lanes: list[tuple[str, float, str]]
    """``(camp label, y, colour)`` of each lane."""
    dots: list[Dot]
    x_ticks: list[Tick]
    description: str

    @property
    def empty(self) -> bool:
        return not self.dots


def _day(value: str | None) -> date | None:
    if not value:
        return None
    text = value[:10] if len(value) >= 10 else f"{value[:7]}-01" if len(value) >= 7 else ""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def story_timeline(
    articles: list[dict[str, Any]],
    *,
    labels: dict[str, str],
    colors: dict[str, str],
    order: list[str],
    width: int = 960,
) -> StoryTimeline:
    """Each article of a story as a dot on its day, one lane per camp (copies left out)."""
    dated: list[tuple[dict[str, Any], date]] = []
    for a in articles:
        d = _day(a.get("published"))
        if d is not None and not a.get("duplicate_of"):
            dated.append((a, d))
    present: set[str] = {str(a.get("camp") or "unknown") for a, _ in dated}
    camps = [c for c in order if c in present] + sorted(c for c in present if c not in order)
    lane_h = 34.0
    top = 10.0
    height = int(top + lane_h * max(len(camps), 1) + 30)
    left, right = 180.0, width - 48.0
    days = [d for _, d in dated]
    first, last = (min(days), max(days)) if days else (date.today(), date.today())
    span = max((last - first).days, 1)
    lane_y = {c: top + lane_h * i + lane_h / 2 for i, c in enumerate(camps)}
    stacked: dict[tuple[str, date], int] = {}
    dots = []
    for a, d in dated:
        camp = str(a.get("camp") or "unknown")
        k = stacked.get((camp, d), 0)
        stacked[(camp, d)] = k + 1
        x = left + (right - left) * ((d - first).days / span if days and last != first else 0.5)
        dots.append(
            Dot(
                cx=round(x + (k % 4) * 7, 2),
                cy=round(lane_y[camp] + (k // 4 % 3 - 1) * 8, 2),
                fill=colors.get(camp, UNKNOWN_COLOR),
                label=f"{a.get('published')} · {a.get('outlet_name') or a.get('outlet')}: "
                f"{a.get('title') or '(untitled)'}",
                href=f"/articles/{quote(str(a['id']), safe='')}",
            )
        )
    ticks = []
    if days:
        count = min(6, span + 1)
        for k in range(count):
            d = first + timedelta(days=round(span * k / max(count - 1, 1)))
            x = (
                left + (right - left) * ((d - first).days / span)
                if last != first
                else (left + right) / 2
            )
            ticks.append(Tick(position=round(x, 2), label=d.isoformat()))
            if last == first:
                break
    return StoryTimeline(
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        lanes=[(labels.get(c, c), lane_y[c], colors.get(c, UNKNOWN_COLOR)) for c in camps],
        dots=dots,
        x_ticks=ticks,
        description=(
            f"{len(dots)} articles from {first.isoformat()} to {last.isoformat()}, one lane per"
            f" camp ({', '.join(labels.get(c, c) for c in camps)})."
            if dots
            else "No dated articles."
        ),
    )


# -- compare: theme shares per camp with their 95 % intervals ----------------------------------


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
