"""Which articles a comparison reads, and what each camp is: news or official, with data or not."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...store.database import Store
from ...watches import Watch

__all__ = [
    "VAGUE_PRECISIONS",
    "Art",
    "Selection",
    "camps_with_data",
    "fetch",
    "ids",
    "official_camps",
    "select_articles",
    "selection_for",
    "wilson",
]

VAGUE_PRECISIONS = ("month", "month-estimated", "year", "year-estimated")
"""Date precisions the story job does not cluster (an article dated to a month is no event)."""


@dataclass(frozen=True, slots=True)
class Selection:
    """Which articles to compare."""

    camps: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None
    theme: str | None = None
    actors: tuple[str, ...] = ()
    """States whose tone is measured (ISO alpha-3); default: the watch's."""
    outlet_camps: dict[str, str] | None = None
    """Outlet id → camp (a watch's); default: the store's outlets table."""
    max_ids: int = 25
    top: int = 20
    official: frozenset[str] | None = None
    """Camps of official publishers (governments), listed apart from the news camps; default:
    the camps whose every outlet has ``ownership = "government"``."""
    story: str | None = None
    """Only the articles of this story (a story page's comparison)."""


@dataclass(slots=True)
class Art:
    rowid: int
    id: str
    outlet: str
    camp: str
    language: str
    ts: int
    story: str | None
    day_dated: bool = True
    """Dated to the day or finer (else to a month or year: never clustered)."""


def ids(values: list[str], limit: int) -> dict[str, Any]:
    return {"article_ids": values[:limit], "ids_total": len(values)}


def wilson(k: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of ``k / n``, rounded (``(0, 0)`` when ``n`` is 0)."""
    if n == 0:
        return (0.0, 0.0)
    z, p = 1.96, k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4))


def _official_from(outlets: list[tuple[str | None, str | None]]) -> frozenset[str]:
    kinds: dict[str, set[str]] = {}
    for camp, ownership in outlets:
        if camp:
            kinds.setdefault(camp, set()).add(ownership or "")
    return frozenset(c for c, k in kinds.items() if k == {"government"})


def selection_for(watch: Watch, **values: Any) -> Selection:
    """A :class:`Selection` with the watch's states, its outlets' camps and its official camps
    (``values``: the other fields)."""
    values.setdefault("official", _official_from([(o.camp, o.ownership) for o in watch.outlets]))
    return Selection(
        actors=tuple(watch.actors),
        outlet_camps={o.id: o.camp for o in watch.outlets if o.camp},
        **values,
    )


def official_camps(store: Store, sel: Selection) -> frozenset[str]:
    """The selection's official camps (see :attr:`Selection.official`)."""
    if sel.official is not None:
        return sel.official
    rows = [
        ((sel.outlet_camps or {}).get(str(r[0])) or r[1], r[2])
        for r in store.conn.execute("SELECT id, camp, ownership FROM outlets")
    ]
    return _official_from(rows)


def camps_with_data(
    store: Store,
    *,
    since: int | None,
    until: int | None,
    outlet_camps: Mapping[str, str] | None = None,
) -> Counter[str]:
    """Articles per camp that the story job can cluster in ``since..until``: originals dated to
    the day. A camp absent from the answer has *no data* in the window, which is not silence.

    The one place this rule lives (the story job will answer it itself; switch here)."""
    where = ["a.duplicate_of IS NULL", "a.published_ts IS NOT NULL"]
    params: list[Any] = []
    where.append(
        "(a.date_precision IS NULL OR a.date_precision NOT IN"
        f" ({','.join('?' * len(VAGUE_PRECISIONS))}))"
    )
    params.extend(VAGUE_PRECISIONS)
    if since is not None:
        where.append("a.published_ts >= ?")
        params.append(since)
    if until is not None:
        where.append("a.published_ts <= ?")
        params.append(until)
    out: Counter[str] = Counter()
    for outlet, camp, n in store.conn.execute(
        "SELECT a.outlet, o.camp, count(*) FROM articles a LEFT JOIN outlets o ON o.id = a.outlet"
        f" WHERE {' AND '.join(where)} GROUP BY a.outlet, o.camp",
        params,
    ):
        chosen = (outlet_camps or {}).get(outlet) or camp
        if chosen:
            out[chosen] += int(n)
    return out


def select_articles(store: Store, sel: Selection) -> list[Art]:
    """The original (not duplicate) dated articles of the selection, with camp and story."""
    where = ["a.duplicate_of IS NULL", "a.published_ts IS NOT NULL"]
    params: list[Any] = []
    if sel.since is not None:
        where.append("a.published_ts >= ?")
        params.append(sel.since)
    if sel.until is not None:
        where.append("a.published_ts <= ?")
        params.append(sel.until)
    if sel.theme:
        where.append("a.rowid IN (SELECT article_rowid FROM themes WHERE theme = ?)")
        params.append(sel.theme)
    if sel.story:
        where.append("sa.story_id = ?")
        params.append(sel.story)
    rows = store.conn.execute(
        "SELECT a.rowid, a.id, a.outlet, o.camp, a.language, a.published_ts, sa.story_id,"
        " a.date_precision"
        " FROM articles a LEFT JOIN outlets o ON o.id = a.outlet"
        " LEFT JOIN story_articles sa ON sa.article_rowid = a.rowid"
        f" WHERE {' AND '.join(where)} ORDER BY a.published_ts, a.rowid",
        params,
    )
    out = []
    for r in rows:
        camp = (sel.outlet_camps or {}).get(r[2]) or r[3]
        if camp is None or (sel.camps and camp not in sel.camps):
            continue
        out.append(Art(r[0], r[1], r[2], camp, r[4], r[5], r[6], r[7] not in VAGUE_PRECISIONS))
    return out


def fetch(store: Store, rowids: list[int], columns: str) -> list[Any]:
    """``(rowid, columns...)`` of the articles ``rowids``, in chunks."""
    out: list[Any] = []
    for i in range(0, len(rowids), 900):
        chunk = rowids[i : i + 900]
        out.extend(
            store.conn.execute(
                f"SELECT a.rowid, {columns} FROM articles a"
                f" WHERE a.rowid IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        )
    return out
