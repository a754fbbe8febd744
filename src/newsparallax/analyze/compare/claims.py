"""Claims: the events of a story that two camps or more report, and how each camp tells them.

Per event (story, type, source, target) and camp: reports that assert it, that only relay it
(attributed to someone: "…, officials said"), and that deny it. Only those are claims: an event
whose sentence only fears, supposes or imagines it ("could supply", "fears that Iran will send",
«может поставить») is left out (:func:`~newsparallax.analyze.modality.hypothetical`), as is one
the event coder stored as hypothetical or cancelled (its ``mood``), each counted with its cue so
the reader sees what was left out.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ...store.database import Store
from ...store.events import kept
from ..modality import hypothetical, mood_column
from .selection import Art, Selection, fetch

__all__ = ["claims"]

STANCES = ("asserted", "attributed", "denied")
INTENT_TYPES = ("AGREE", "THREATEN")
"""Event types that are themselves intentions (the coder's "will supply", "is ready to send")."""


def claims(store: Store, arts: list[Art], sel: Selection) -> dict[str, Any]:
    by_rowid = {a.rowid: a for a in arts if a.story}
    rows: list[Any] = []
    condition, threshold = kept()  # only the events that count (the confidence threshold)
    wanted = sorted(by_rowid)
    for i in range(0, len(wanted), 900):  # the compared articles' events, by their index
        chunk = wanted[i : i + 900]
        rows.extend(
            store.conn.execute(
                "SELECT e.article_rowid, e.type, e.source, e.target, e.asserted, e.negated,"
                " e.attributed_to, e.sentence_start, e.sentence_end, e.field, e.trigger,"
                f" {mood_column(store)}, e.rowid FROM events e WHERE {condition}"
                f" AND e.article_rowid IN ({','.join('?' * len(chunk))})",
                (threshold, *chunk),
            )
        )
    rows.sort(key=lambda r: r[-1])  # in the order of the store, as one scan gave them
    if not rows:
        return {
            "available": False,
            "note": "no events are stored for these articles: the events stage has not run on"
            " them (claims need its asserted / negated flags)",
            "items": [],
        }
    texts = {
        r[0]: {"title": r[1] or "", "summary": r[2] or "", "text": r[3] or ""}
        for r in fetch(store, sorted({r[0] for r in rows}), "a.title, a.summary, a.text")
    }
    groups: dict[tuple[str, str, str, str], dict[str, dict[str, list[dict[str, Any]]]]] = {}
    left_out: Counter[str] = Counter()
    examples: list[dict[str, Any]] = []
    for r in rows:
        a = by_rowid[r[0]]
        assert a.story is not None
        sentence = texts.get(r[0], {}).get(r[9] or "text", "")[r[7] : r[8]]
        ev = {"article_id": a.id, "field": r[9], "start": r[7], "end": r[8], "by": r[6]}
        intent = r[1] in INTENT_TYPES
        cue = None if r[5] else hypothetical(sentence, r[10] or "", intent=intent)
        if not r[5] and r[11] not in (None, "fact"):
            cue = f"mood: {r[11]}"  # the coder's own reading of the clause
        if cue is not None:
            left_out[cue] += 1
            if len(examples) < sel.max_ids:
                examples.append({**ev, "type": r[1], "cue": cue})
            continue
        stance = "denied" if r[5] else ("asserted" if r[4] else "attributed")
        key = (a.story, r[1], r[2] or "-", r[3] or "-")
        slot = groups.setdefault(key, {}).setdefault(a.camp, {s: [] for s in STANCES})
        slot[stance].append(ev)
    items: list[dict[str, Any]] = []
    for (story, etype, source, target), per_camp in groups.items():
        if len(per_camp) < 2:
            continue
        items.append(
            {
                "story": story,
                "type": etype,
                "source": source,
                "target": target,
                "camps": {
                    camp: {
                        k: {"reports": len(v), "evidence": v[: sel.max_ids]} for k, v in s.items()
                    }
                    for camp, s in sorted(per_camp.items())
                },
            }
        )
    items.sort(
        key=lambda i: -sum(sum(v["reports"] for v in c.values()) for c in i["camps"].values())
    )
    return {
        "available": True,
        "note": "events of the same story, type and dyad reported by at least two camps, as"
        " asserted, relayed (attributed) or denied; events only feared, supposed or hypothetical"
        " are left out",
        "items": items[: sel.top],
        "items_total": len(items),
        "hypothetical_left_out": sum(left_out.values()),
        "hypothetical_cues": dict(left_out.most_common()),
        "hypothetical_examples": examples,
    }
