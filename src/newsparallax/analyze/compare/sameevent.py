"""Stories about the same event, for blindspots.

The story job sometimes tells one event as two stories — a camp's own wording ("Zaporizhzhia
NPP", "ЗАЭС") keeps its articles apart from another camp's ("nuclear plant") — and each story
then looks like the other camp's blindspot. Before a blindspot is called, the story is compared
with the stories of the silent camp that overlap it in time (a day either side): when one is about
the same event, the two are read as one.

Each story is described by the vector the story job stores with it (``stories.arc_vector``: the
words, names and actor ids its articles carry, weighted by how many carry them and by IDF over the
archive, keys common to a fifth of it left out, unit length). A story without one (a store from
an older job) gets one here from the fingerprint channels of up to :data:`MEMBERS` of its
articles (sublinear counts), weighted by the job's IDF (``story_df``; IDF over the stories
compared when it is missing) and its channel weights. Two stories are about the same event when
the cosine of their vectors reaches :data:`SAME_EVENT`; in different languages they must also
share at least :data:`MIN_SHARED` keys other than words.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

from ...records import Mention
from ...store.database import Store
from ..stories.fingerprint import CHANNEL_WEIGHTS, CHANNELS, fingerprint, sublinear

__all__ = ["MEMBERS", "MIN_SHARED", "SAME_EVENT", "StoryVectors"]

MEMBERS = 8
"""Articles of a story read for its vector (spread over its span)."""
SAME_EVENT = 0.3
"""Cosine at which two overlapping stories are one event."""
MIN_SHARED = 2
"""Names, actors, dates or numbers two stories must share."""


def _spread(rowids: list[int], n: int) -> list[int]:
    if len(rowids) <= n:
        return rowids
    step = (len(rowids) - 1) / (n - 1)
    return [rowids[round(i * step)] for i in range(n)]


class StoryVectors:
    """Vectors of stories, built on demand and kept (one per story)."""

    def __init__(self, store: Store, members: dict[str, list[int]]) -> None:
        """``members``: story id → its articles' rowids in publication order."""
        self.store = store
        self.members = members
        self.vectors: dict[str, dict[str, float]] = {}
        self._counts: dict[str, Counter[str]] = {}
        state = (
            dict(store.conn.execute("SELECT key, value FROM story_state"))
            if store.has_table("story_state")
            else {}
        )
        self._totals: Counter[str] = Counter(json.loads(state.get("totals", "{}")))
        self._stored(list(members))

    def _stored(self, stories: list[str]) -> None:
        """The stored vectors of ``stories`` (those that have one)."""
        if not self.store.has_table("stories"):
            return
        try:
            self.store.conn.execute("SELECT arc_vector FROM stories LIMIT 0")
        except Exception:  # a store before migration 10: no stored vectors
            return
        for i in range(0, len(stories), 500):
            chunk = stories[i : i + 500]
            for sid, raw in self.store.conn.execute(
                "SELECT id, arc_vector FROM stories WHERE arc_vector IS NOT NULL"
                f" AND id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                vec = {str(k): float(v) for k, v in json.loads(raw).items()}
                if vec:
                    self.vectors[str(sid)] = vec

    def _load(self, stories: Iterable[str]) -> None:
        wanted = [s for s in stories if s not in self._counts and s in self.members]
        if not wanted:
            return
        rowids: dict[int, str] = {}
        for s in wanted:
            for rowid in _spread(self.members[s], MEMBERS):
                rowids[rowid] = s
        counts: dict[str, Counter[str]] = {s: Counter() for s in wanted}
        ids = sorted(rowids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            mentions: dict[int, list[Mention]] = defaultdict(list)
            for r in self.store.conn.execute(
                'SELECT article_rowid, start, "end", actor, kind, field FROM mentions'
                f" WHERE article_rowid IN ({marks})",
                chunk,
            ):
                mentions[r[0]].append(
                    Mention(start=r[1], end=r[2], text="", actor=r[3], kind=r[4], field=r[5])
                )
            for r in self.store.conn.execute(
                "SELECT rowid, language, published, title, summary, substr(text, 1, 1500)"
                f" FROM articles WHERE rowid IN ({marks})",
                chunk,
            ):
                body = r[5] if (r[5] or "").strip() else (r[4] or "")
                published = datetime.fromisoformat(r[2]) if r[2] else None
                if published is not None and published.tzinfo is None:
                    published = published.replace(tzinfo=UTC)
                found = mentions.get(r[0], [])
                fp = fingerprint(title=r[3] or "", body=body, mentions=found, published=published)
                target = counts[rowids[r[0]]]
                for channel in CHANNELS:
                    for k in fp.channel(channel):
                        lang = r[1] or "und"
                        key = f"w:{lang}:{k}" if channel == "words" else f"{channel[0]}:{k}"
                        target[key] += 1
        self._counts.update(counts)

    def _idf(self, keys: set[str]) -> dict[str, float]:
        df: dict[str, int] = {}
        if self._totals and self.store.has_table("story_df"):
            ordered = sorted(keys)
            for i in range(0, len(ordered), 500):
                chunk = ordered[i : i + 500]
                df.update(
                    self.store.conn.execute(
                        f"SELECT key, df FROM story_df WHERE key IN ({','.join('?' * len(chunk))})",
                        chunk,
                    )
                )
            out = {}
            for k in keys:
                total = self._totals[k.split(":")[1]] if k.startswith("w:") else self._totals["*"]
                out[k] = math.log((total + 1) / (df.get(k, 0) + 1)) + 1.0
            return out
        n = len(self._counts)
        local: Counter[str] = Counter()
        for c in self._counts.values():
            local.update(c.keys())
        return {k: math.log((n + 1) / (local[k] + 1)) + 1.0 for k in keys}

    def prepare(self, stories: Iterable[str]) -> None:
        """Build the vectors of ``stories`` (those not built yet)."""
        wanted = [s for s in stories if s not in self.vectors]
        if not wanted:
            return
        self._load(wanted)
        keys = {k for s in wanted for k in self._counts.get(s, {})}
        idf = self._idf(keys)
        weight = {c[0]: CHANNEL_WEIGHTS[c] for c in CHANNELS}
        for s in wanted:
            raw = sublinear(self._counts.get(s, Counter()).items())
            vec = {k: v * idf[k] * weight[k[0]] for k, v in raw.items()}
            norm = math.sqrt(sum(v * v for v in vec.values()))
            self.vectors[s] = {k: v / norm for k, v in vec.items()} if norm else {}

    def same_event(self, a: str, b: str) -> float:
        """The cosine of stories ``a`` and ``b`` when they share :data:`MIN_SHARED` keys other
        than words, else 0."""
        if a not in self.vectors or b not in self.vectors:
            self.prepare((a, b))
        va, vb = self.vectors[a], self.vectors[b]
        if len(va) > len(vb):
            va, vb = vb, va
        shared = [k for k in va if k in vb]
        same_language = any(k.startswith("w:") for k in shared)
        if not same_language and sum(1 for k in shared if not k.startswith("w:")) < MIN_SHARED:
            return 0.0
        return sum(va[k] * vb[k] for k in shared)
