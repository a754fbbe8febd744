"""Stories: a camp coverage bar and the articles of a story on a timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from ...analyze.display import display_title
from .scales import UNKNOWN_COLOR, Tick


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
                f"{display_title(a.get('title'), a.get('summary'), a.get('text')) or a['id']}",
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
