"""Outlets and camps as the API and the dashboard list them: the watch's registry merged with
the outlets seen only in the data, with article counts; the camps; and the lookups that filters
check against (the outlets a name, domain or id stands for, the camps known).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..watches import Watch
from .database import Store


def outlet_article_counts(store: Store) -> dict[str, int]:
    return {
        str(o): int(n)
        for o, n in store.conn.execute(
            "SELECT outlet, count(*) FROM articles WHERE duplicate_of IS NULL GROUP BY outlet"
        )
    }


def list_outlets(store: Store, watch: Watch) -> list[dict[str, Any]]:
    """The watch's registry plus outlets seen only in the data, with their article counts."""
    counts = outlet_article_counts(store)
    seen = {o.id: o for o in store.outlets()}
    merged = {o.id: o for o in watch.outlets}
    for oid, outlet in seen.items():
        merged.setdefault(oid, outlet)
    rows: list[dict[str, Any]] = []
    for o in merged.values():
        rows.append(
            {
                **o.as_dict(),
                "in_watch": watch.outlet(o.id) is not None,
                "articles": counts.get(o.id, 0),
            }
        )
    rows.sort(key=lambda r: (r["camp"] is None, r["camp"] or "", -r["articles"], r["id"]))
    return rows


def list_camps(store: Store, watch: Watch) -> list[dict[str, Any]]:
    counts = {
        str(camp): int(n)
        for camp, n in store.conn.execute(
            "SELECT coalesce(o.camp, 'unknown'), count(*) FROM articles a"
            " LEFT JOIN outlets o ON o.id = a.outlet WHERE a.duplicate_of IS NULL GROUP BY 1"
        )
    }
    members = Counter(o.camp for o in watch.outlets)
    rows = [
        {
            "id": cid,
            "label": c.label,
            "description": c.description,
            "color": c.color,
            "outlets": members.get(cid, 0),
            "articles": counts.get(cid, 0),
        }
        for cid, c in watch.camps.items()
    ]
    for cid, n in sorted(counts.items()):
        if cid not in watch.camps:
            rows.append(
                {
                    "id": cid,
                    "label": "No camp (outlet not in the watch)" if cid == "unknown" else cid,
                    "description": "",
                    "color": "",
                    "outlets": 0,
                    "articles": n,
                }
            )
    return rows


def outlet_ids(store: Store, outlet: str) -> tuple[str, ...]:
    """Ids of the stored outlets whose id, a domain or the name is ``outlet``."""
    rows = store.conn.execute(
        "SELECT id FROM outlets WHERE id = ?1 OR lower(name) = lower(?1)"
        " OR EXISTS (SELECT 1 FROM json_each(outlets.domains) d WHERE d.value = lower(?1))",
        (outlet.strip(),),
    ).fetchall()
    return tuple(sorted({str(r[0]) for r in rows}))


def known_camps(store: Store, watch: Watch) -> list[str]:
    stored = [
        str(r[0])
        for r in store.conn.execute("SELECT DISTINCT camp FROM outlets WHERE camp IS NOT NULL")
    ]
    return sorted(set(watch.camps) | set(stored))
