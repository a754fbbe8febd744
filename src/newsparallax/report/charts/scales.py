"""What every chart shares: camp colours, axis ticks, legend entries and round scale tops."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...records import Camp

FALLBACK_COLORS = (
    "#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000",
    "#332288", "#882255", "#117733", "#DDCC77", "#AA4499", "#999933", "#CC6677",
)  # fmt: skip
"""Okabe–Ito, then Paul Tol's muted set: distinguishable with the common colour blindnesses."""
UNKNOWN_COLOR = "#BBBBBB"


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


def tick_label(value: float) -> str:
    """An axis value as a tick shows it: whole numbers without decimals, others to one."""
    return str(int(value)) if value == int(value) else f"{value:.1f}"
