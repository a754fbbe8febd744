"""Story arcs: long-running story lines that link closed stories, with no time limit."""

from __future__ import annotations

import hashlib
import heapq
import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import mul
from typing import TYPE_CHECKING

from .fingerprint import CHANNEL_WEIGHTS

if TYPE_CHECKING:  # the clusterer owns its linker; the linker reads the clusterer's state
    from .cluster import Clusterer, Story

ARC_JOB = "arcs.v1"
ARC_CHANNELS = ("words", "names", "actors")
"""What persists along a story line: facts (dates, numbers) belong to one event, not an arc."""
ARC_STORY_TERMS = 40
"""Keys of a story's arc vector (its most distinctive ones)."""
ARC_TERMS = 200
"""Keys kept in an arc's centroid."""
ARC_CANDIDATES = 80
"""Arcs scored per story: those sharing the most keys with it (at least two)."""
ARC_MERGE_CANDIDATES = 30
"""Arcs scored for a merge with the arc a story has just joined."""
ARC_MAX_DF = 0.2
"""Keys carried by more than this share of the articles (of their language, for words), and by
more than :data:`ARC_MIN_COMMON` of them, are not distinctive of any story line ("Ukraine" in
a war corpus) and are left out of arc vectors."""
ARC_MIN_COMMON = 25


@dataclass(slots=True)
class Arc:
    """A story line: the summed arc vectors of its stories."""

    key: str
    first_ts: int
    last_ts: int
    centroid: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0
    touched: bool = True


def arc_key(first_story_key: str) -> str:
    return "a-" + hashlib.blake2b(first_story_key.encode(), digest_size=6).hexdigest()


class ArcLinker:
    """Links closed stories into arcs: long-running story lines with no time limit.

    When a story closes, its *arc vector* is built from what its members share: each key of
    its words, names and actors weighted ``(1 + log n) × idf`` (``n`` of its articles carry
    it; the stories' IDF over every article clustered so far), channel-weighted like the
    stories, cut to the :data:`ARC_STORY_TERMS` strongest keys, unit length. Dates and numbers
    are left out: they belong to one event, not to a story line; so are keys too common to
    tell story lines apart (:data:`ARC_MAX_DF`). The story joins the arc whose
    centroid (the sum of its stories' vectors, each weighted ``1 + log size``, cut to
    :data:`ARC_TERMS` keys) is most similar (cosine) when that reaches ``arc_threshold``, else
    it founds an arc. Then the arc it joined is merged with the most similar other arc while
    their centroids' cosine reaches ``arc_merge`` (the older arc keeps its id): two lines that
    turn out to be one come together, as in agglomerative clustering. Arcs never close. An open
    story gets a provisional link (the same rule, nothing absorbed) each time the store is
    saved. Stories close in the order of the articles, so incremental runs give the arcs of a
    rebuild.
    """

    def __init__(self, clusterer: Clusterer) -> None:
        self.clusterer = clusterer
        self.arcs: dict[str, Arc] = {}
        self.postings: dict[str, set[str]] = defaultdict(set)
        self.merged: list[tuple[str, str]] = []
        """``(gone, kept)`` merges of this run, in order."""
        self._alias: dict[str, str] = {}
        self.seconds = 0.0
        """Time spent linking (for the bench)."""

    def _idf(self, key: str) -> float:
        totals, df = self.clusterer.totals, self.clusterer.df
        total = totals[key.split(":", 2)[1]] if key.startswith("w:") else totals["*"]
        return math.log((total + 1) / (df[key] + 1)) + 1.0

    def _common(self, key: str) -> bool:
        totals, df = self.clusterer.totals, self.clusterer.df
        total = totals[key.split(":", 2)[1]] if key.startswith("w:") else totals["*"]
        return df[key] > max(ARC_MAX_DF * total, ARC_MIN_COMMON)

    def vector(self, story: Story) -> dict[str, float]:
        """The unit arc vector of ``story`` (see the class docstring)."""
        vec = {}
        for k, n in story.profile.items():
            if self._common(k):
                continue
            value = _ARC_WEIGHTS[k[0]] * (1.0 + math.log(n)) * self._idf(k)
            if value > 0:
                vec[k] = value
        kept = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:ARC_STORY_TERMS]
        norm = math.sqrt(sum(v * v for _, v in kept))
        return {k: v / norm for k, v in kept} if norm else {}

    def _candidates(self, vec: dict[str, float], limit: int, exclude: str = "") -> list[str]:
        postings = self.postings
        shared: Counter[str] = Counter(chain.from_iterable(postings.get(k, ()) for k in vec))
        shared.pop(exclude, None)
        least = 2 if len(vec) >= 5 else 1
        ranked = [(-n, key) for key, n in shared.items() if n >= least]
        return [key for _, key in heapq.nsmallest(limit, ranked)]

    def best(self, vec: dict[str, float]) -> tuple[str | None, float]:
        """The arc most similar to the unit vector ``vec`` and the cosine."""
        best, best_sim = None, 0.0
        for key in self._candidates(vec, ARC_CANDIDATES):
            arc = self.arcs[key]
            sim = _dot(vec, arc.centroid) / arc.norm if arc.norm else 0.0
            if sim > best_sim:
                best, best_sim = key, sim
        return best, best_sim

    def link(self, story: Story) -> None:
        """Link a story that has just closed, for good (and merge arcs that became one)."""
        started = time.perf_counter()
        self._link(story)
        self.seconds += time.perf_counter() - started

    def _link(self, story: Story) -> None:
        vec = self.vector(story)
        story.arc_vector = {k: round(v, 6) for k, v in vec.items()}
        key, sim = self.best(vec)
        story.arc_final = True
        if key is not None and sim >= self.clusterer.params.arc_threshold:
            arc = self.arcs[key]
            story.arc_similarity = round(sim, 4)
            self.clusterer.counts["arc_joined"] += 1
        else:
            arc = Arc(arc_key(story.key), story.first_ts, story.last_ts)
            self.arcs[arc.key] = arc
            story.arc_similarity = None
            self.clusterer.counts["arc_started"] += 1
        story.arc = arc.key
        arc.first_ts = min(arc.first_ts, story.first_ts)
        arc.last_ts = max(arc.last_ts, story.last_ts)
        arc.touched = True
        self._absorb(arc, vec, 1.0 + math.log(max(1, story.count)))
        self._merge(arc)

    def _merge(self, arc: Arc) -> None:
        while True:
            other, other_sim = None, 0.0
            for key in self._candidates(arc.centroid, ARC_MERGE_CANDIDATES, exclude=arc.key):
                b = self.arcs[key]
                sim = _dot(arc.centroid, b.centroid) / (arc.norm * b.norm) if b.norm else 0.0
                if sim > other_sim:
                    other, other_sim = key, sim
            if other is None or other_sim < self.clusterer.params.arc_merge:
                return
            b = self.arcs[other]
            kept, gone = (arc, b) if (arc.first_ts, arc.key) <= (b.first_ts, b.key) else (b, arc)
            for k in gone.centroid:
                self.postings[k].discard(gone.key)
            del self.arcs[gone.key]
            kept.first_ts = min(kept.first_ts, gone.first_ts)
            kept.last_ts = max(kept.last_ts, gone.last_ts)
            kept.touched = True
            self._absorb(kept, gone.centroid, 1.0)
            self.merged.append((gone.key, kept.key))
            self._alias[gone.key] = kept.key
            self.clusterer.counts["arc_merged"] += 1
            arc = kept

    def members(self) -> dict[int, str]:
        """Article rowid → arc id of every story in memory, linking the open ones
        provisionally (what an in-memory run ends with; the store does the same on save)."""
        for key in sorted(self.clusterer.open):
            self.provisional(self.clusterer.stories[key])
        return {
            rowid: self.resolve(story.arc)
            for story in self.clusterer.stories.values()
            if story.arc
            for rowid, _, _ in story.members
        }

    def resolve(self, key: str) -> str:
        """The arc a (possibly merged) arc id now belongs to."""
        while key in self._alias:
            key = self._alias[key]
        return key

    def relate(self, story: Story) -> None:
        """Link a story of one digest, live page, explainer or opinion piece for good, as related:
        the arc it is most like (nothing absorbed, so it never glues two story lines), or an arc
        of its own that nothing can join (it has no centroid)."""
        started = time.perf_counter()
        vec = self.vector(story)
        story.arc_vector = {k: round(v, 6) for k, v in vec.items()}
        key, sim = self.best(vec)
        story.arc_final = True
        if key is not None and sim >= self.clusterer.params.arc_threshold:
            story.arc, story.arc_similarity = key, round(sim, 4)
            self.arcs[key].touched = True
        else:
            arc = Arc(arc_key(story.key), story.first_ts, story.last_ts)
            self.arcs[arc.key] = arc
            story.arc, story.arc_similarity = arc.key, None
        self.clusterer.counts["arc_related"] += 1
        self.seconds += time.perf_counter() - started

    def provisional(self, story: Story) -> None:
        """Link an open story for now: the arc it would join, or its own if none."""
        vec = self.vector(story)
        story.arc_vector = {k: round(v, 6) for k, v in vec.items()}
        key, sim = self.best(vec)
        story.arc_final = False
        if key is not None and sim >= self.clusterer.params.arc_threshold:
            story.arc, story.arc_similarity = key, round(sim, 4)
        else:
            story.arc, story.arc_similarity = arc_key(story.key), None

    def _absorb(self, arc: Arc, vec: dict[str, float], weight: float) -> None:
        cen = arc.centroid
        for k, v in vec.items():
            cen[k] = cen.get(k, 0.0) + weight * v
        if len(cen) > ARC_TERMS:
            kept = sorted(cen.items(), key=lambda kv: (-kv[1], kv[0]))[:ARC_TERMS]
            for k in set(cen).difference(k for k, _ in kept):
                self.postings[k].discard(arc.key)
            cen = arc.centroid = dict(kept)
        arc.norm = math.sqrt(sum(v * v for v in cen.values()))
        for k in cen:
            self.postings[k].add(arc.key)

    def restore(self, arc: Arc) -> None:
        """Load a stored arc (the incremental path)."""
        arc.touched = False
        self.arcs[arc.key] = arc
        for k in arc.centroid:
            self.postings[k].add(arc.key)


_ARC_WEIGHTS = {
    "w": CHANNEL_WEIGHTS["words"],
    "n": CHANNEL_WEIGHTS["names"],
    "a": CHANNEL_WEIGHTS["actors"],
}


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    """The dot product of two sparse vectors, over the shorter one's keys."""
    return sparse_dot(b, a) if len(a) > len(b) else sparse_dot(a, b)


def sparse_dot(vec: dict[str, float], other: dict[str, float]) -> float:
    """``sum(v * other.get(k, 0.0) for k, v in vec.items())``, summed in C, in that order."""
    return float(sum(map(mul, vec.values(), map(other.get, vec, repeat(0.0)))))
