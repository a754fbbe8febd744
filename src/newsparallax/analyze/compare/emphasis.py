"""Emphasis: the share of each camp's articles tagged with each theme, with 95 % intervals."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ...store.database import Store
from .selection import Art, Selection, ids, wilson

__all__ = ["emphasis"]


def emphasis(store: Store, arts: list[Art], sel: Selection) -> dict[str, Any]:
    tagged: dict[int, list[str]] = defaultdict(list)
    rowids = {a.rowid for a in arts}
    for rowid, theme in store.conn.execute("SELECT article_rowid, theme FROM themes"):
        if rowid in rowids:
            tagged[rowid].append(theme)
    per_camp: dict[str, list[Art]] = defaultdict(list)
    for a in arts:
        per_camp[a.camp].append(a)
    out: dict[str, Any] = {}
    for camp, members in sorted(per_camp.items()):
        n = len(members)
        with_themes = [a for a in members if a.rowid in tagged]
        themes: dict[str, list[str]] = defaultdict(list)
        for a in with_themes:
            for t in tagged[a.rowid]:
                themes[t].append(a.id)
        m = len(with_themes)
        out[camp] = {
            "articles": n,
            "articles_tagged": m,
            "themes": {
                t: {
                    "share": round(len(found) / m, 4) if m else 0.0,
                    "ci95": list(wilson(len(found), m)),
                    "articles": len(found),
                    **ids(found, sel.max_ids),
                }
                for t, found in sorted(themes.items(), key=lambda kv: -len(kv[1]))
            },
        }
    return {
        "method": "share of the camp's theme-tagged articles carrying each theme (an article"
        " may carry several); 95% Wilson score intervals",
        "camps": out,
    }
