"""Charts as geometry for server-rendered SVG: no script, readable with or without colour.

A :class:`StackedBars` holds every rectangle, axis tick and legend entry with its numbers; the
``charts.html`` template draws it as inline SVG (each bar has a ``<title>`` for hover details)
and the same numbers as a data table for screen readers and people who would rather read.

One module a chart kind: :mod:`.scales` (colours, ticks, legend entries, scale tops: what every
chart shares), :mod:`.bars` (counts per month by camp), :mod:`.relation` (cooperation above the
axis, conflict below), :mod:`.stories` (a story's coverage bar and timeline), :mod:`.intervals`
(theme shares with their 95 % intervals) and :mod:`.segments` (text cut for highlighting); their
public names are importable from here.
"""

from __future__ import annotations

from .bars import MAX_MONTHS, Rect, StackedBars, stacked_bars
from .intervals import IntervalBar, IntervalChart, interval_bars
from .relation import (
    CONFLICT,
    COOPERATION,
    ChangeMark,
    LinkedRect,
    RelationChart,
    RelationRow,
    period_label,
    relation_chart,
)
from .scales import FALLBACK_COLORS, UNKNOWN_COLOR, LegendEntry, Tick, camp_colors, nice_max
from .segments import Segment, segments
from .stories import CoverageSegment, Dot, StoryTimeline, coverage_bar, story_timeline

__all__ = [
    "CONFLICT",
    "COOPERATION",
    "FALLBACK_COLORS",
    "MAX_MONTHS",
    "UNKNOWN_COLOR",
    "ChangeMark",
    "CoverageSegment",
    "Dot",
    "IntervalBar",
    "IntervalChart",
    "LegendEntry",
    "LinkedRect",
    "Rect",
    "RelationChart",
    "RelationRow",
    "Segment",
    "StackedBars",
    "StoryTimeline",
    "Tick",
    "camp_colors",
    "coverage_bar",
    "interval_bars",
    "nice_max",
    "period_label",
    "relation_chart",
    "segments",
    "stacked_bars",
    "story_timeline",
]
