"""Stories: articles about the same real-world event, grouped across outlets and languages.

A corpus job, not a pipeline stage: it reads articles from the store in publication order and
assigns each one to a story with a single pass (the classic topic-detection-and-tracking
scheme). A new article is compared with every *open* story — one that received an article in the
last ``quiet_days`` and began at most ``max_span_days`` before it — and joins the most similar one
when the similarity reaches ``threshold``; otherwise it starts a story. Stories close after the
quiet period. The same code runs over the whole archive (:func:`rebuild`) and over the articles
stored since the last run (:func:`update`, the incremental path; open stories keep their centroid
and the IDF counts in the store).

Similarity (see :mod:`newsparallax.analyze.stories.fingerprint` for the channels): each article is
one TF-IDF vector (sub-linear term counts × IDF over the articles clustered so far, per language
for words; channels weighted words 1, actors 0.7, names 0.5, facts 0.5; unit length); a story's
centroid is the sum of its members' vectors, cut to the strongest :data:`MAX_TERMS` keys per part.
An article is compared with the story *seen in its own language*: the cosine with the story's words
in that language plus its names, actors and facts. A story with no member in the article's language
(a Russian report joining an English story) is compared on names, actors and facts only, times
``cross_language`` (0.9), and only when they share at least :data:`MIN_SHARED_CROSS` keys —
words of different scripts never meet.

Syndicated copies (``duplicate_of``) join their original's story, are listed in its timeline and
counted once. Articles without a date, or dated only to the month or year, are not clustered
(recorded with a reason). Stories close relative to the newest article clustered (the clock), so
an article arriving late — published more than the quiet period before the clock — can only
join a story still open, or start its own.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ...records import Event, Mention
from ...store.database import Store
from .fingerprint import CHANNELS, Fingerprint, fingerprint, sublinear

log = logging.getLogger(__name__)

JOB = "stories.v1"
MAX_TERMS = 80
"""Keys kept per channel of a story centroid."""
MAX_CANDIDATES = 60
"""Open stories scored per article: those sharing the most keys with it (at least two, or one
for an article with fewer than five keys)."""
DAY = 86_400
_VAGUE = ("month", "month-estimated", "year", "year-estimated")
CHANNEL_WEIGHTS = {"words": 1.0, "names": 0.5, "actors": 0.7, "facts": 0.5}
"""Multipliers of each channel's TF-IDF values before the vector is normalised."""
MIN_SHARED_CROSS = 2
"""Keys (names, actors, facts) an article must share with a story in another language."""

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


@dataclass(frozen=True, slots=True)
class Params:
    """Clustering parameters (defaults from :mod:`newsparallax.settings`)."""

    threshold: float = 0.2
    quiet_days: float = 3.0
    max_span_days: float = 30.0
    cross_language: float = 0.9
    arc_threshold: float = 0.15
    arc_merge: float = 0.2

    def describe(self) -> str:
        return (
            f"{JOB} threshold={self.threshold} quiet_days={self.quiet_days}"
            f" max_span_days={self.max_span_days} cross_language={self.cross_language}"
            f" {ARC_JOB} arc_threshold={self.arc_threshold} arc_merge={self.arc_merge}"
        )

    @classmethod
    def from_settings(cls, **overrides: float | None) -> Params:
        from ... import settings

        values = {
            "threshold": settings.get_float("stories_threshold"),
            "quiet_days": settings.get_float("stories_quiet_days"),
            "max_span_days": settings.get_float("stories_max_span_days"),
            "arc_threshold": settings.get_float("stories_arc_threshold"),
            "arc_merge": settings.get_float("stories_arc_merge"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass(slots=True)
class Item:
    """One article as the clusterer sees it."""

    rowid: int
    id: str
    language: str
    ts: int | None
    fp: Fingerprint
    duplicate_of: str | None = None
    skip: str | None = None


def make_item(
    *,
    rowid: int,
    id: str,
    language: str,
    published: datetime | None,
    date_precision: str | None,
    title: str,
    summary: str,
    text: str,
    mentions: Iterable[Mention] = (),
    events: Iterable[Event] = (),
    duplicate_of: str | None = None,
) -> Item:
    """Build an :class:`Item` (its fingerprint) from an article's fields."""
    body = text if text.strip() else summary
    skip = None
    if published is None:
        skip = "no date"
    elif date_precision in _VAGUE:
        skip = f"date known only to the {date_precision.split('-')[0]}"
    elif not (title.strip() or body.strip()):
        skip = "no text"
    fp = (
        Fingerprint()
        if skip
        else fingerprint(title=title, body=body, mentions=list(mentions), published=published)
    )
    if not skip:
        for e in events:
            if e.negated:
                continue
            fp.actors[f"e:{e.type}:{e.source or '-'}>{e.target or '-'}"] += 1
    ts = int(published.timestamp()) if published is not None else None
    return Item(rowid, id, language or "und", ts, fp, duplicate_of, skip)


@dataclass(slots=True)
class Story:
    """A story being built: its members and per-channel centroid."""

    key: str
    first_ts: int
    last_ts: int
    members: list[tuple[int, float | None, bool]] = field(default_factory=list)
    """``(rowid, similarity when joined or None for the first, is_duplicate)``."""
    centroid: dict[str, dict[str, float]] = field(default_factory=dict)
    """Channel (``words:<lang>``, ``names``, ``actors``, ``facts``) → key → weight."""
    norms: dict[str, float] = field(default_factory=dict)
    closed: bool = False
    touched: bool = True
    count: int = 0
    """Unique members (syndicated copies apart), including those of earlier runs."""
    profile: dict[str, int] = field(default_factory=dict)
    """Fingerprint key (``w:<lang>:word``, ``n:``, ``a:``) → members carrying it (for arcs)."""
    arc: str | None = None
    arc_similarity: float | None = None
    arc_final: bool = False
    """Linked for good (the story closed); otherwise a provisional link of an open story."""
    arc_vector: dict[str, float] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(1 for _, _, dup in self.members if not dup)


def story_key(first_article_id: str) -> str:
    return "s-" + hashlib.blake2b(first_article_id.encode(), digest_size=6).hexdigest()


class Clusterer:
    """The single-pass clusterer. Feed it :class:`Item` s in publication order with :meth:`add`."""

    def __init__(
        self,
        params: Params | None = None,
        *,
        df: Counter[str] | None = None,
        totals: Counter[str] | None = None,
    ) -> None:
        self.params = params or Params()
        self.df: Counter[str] = df if df is not None else Counter()
        self.totals: Counter[str] = totals if totals is not None else Counter()
        self.stories: dict[str, Story] = {}
        self.open: set[str] = set()
        self.postings: dict[str, set[str]] = defaultdict(set)
        self.by_article: dict[str, str] = {}
        self.clock = 0
        self.counts: Counter[str] = Counter()
        self.arcs = ArcLinker(self)

    # -- vectors ---------------------------------------------------------------------------
    def _idf(self, channel: str, key: str, language: str) -> float:
        total = self.totals[language] if channel == "words" else self.totals["*"]
        return math.log((total + 1) / (self.df[_dfkey(channel, key, language)] + 1)) + 1.0

    def vectors(self, item: Item) -> dict[str, dict[str, float]]:
        """The unit TF-IDF vector of ``item`` in two parts: ``words:<lang>`` and ``other``
        (names, actors and facts, keys prefixed by channel), channel-weighted."""
        words: dict[str, float] = {}
        other: dict[str, float] = {}
        for channel in CHANNELS:
            counts = item.fp.channel(channel)
            weight = CHANNEL_WEIGHTS[channel]
            for k, tf in sublinear(counts.items()).items():
                value = weight * tf * self._idf(channel, k, item.language)
                if channel == "words":
                    words[k] = value
                else:
                    other[f"{channel[0]}:{k}"] = value
        norm = math.sqrt(sum(v * v for v in words.values()) + sum(v * v for v in other.values()))
        if not norm:
            return {}
        out = {"other": {k: v / norm for k, v in other.items()}}
        if words:
            out[f"words:{item.language}"] = {k: v / norm for k, v in words.items()}
        return out

    def similarity(self, vecs: dict[str, dict[str, float]], story: Story, language: str) -> float:
        """Cosine of the article with the story seen in the article's language (its words in
        that language plus the other channels); across languages, of the other channels only,
        when they share at least :data:`MIN_SHARED_CROSS` keys."""
        other, cen_other = vecs.get("other", {}), story.centroid.get("other", {})
        dot_other = sum(v * cen_other.get(k, 0.0) for k, v in other.items())
        name = f"words:{language}"
        if name in story.centroid:
            cen = story.centroid[name]
            dot = dot_other + sum(v * cen.get(k, 0.0) for k, v in vecs.get(name, {}).items())
            norm = math.hypot(story.norms.get(name, 0.0), story.norms.get("other", 0.0))
            return dot / norm if norm else 0.0
        shared = sum(1 for k in other if k in cen_other)
        if shared < MIN_SHARED_CROSS:
            return 0.0
        a_norm = math.sqrt(sum(v * v for v in other.values()))
        c_norm = story.norms.get("other", 0.0)
        if not a_norm or not c_norm:
            return 0.0
        return dot_other / (a_norm * c_norm) * self.params.cross_language

    # -- the pass --------------------------------------------------------------------------
    def add(self, item: Item) -> str | None:
        """Assign ``item`` to a story; return the story key (``None`` if skipped)."""
        if item.skip or item.ts is None:
            self.counts["skipped"] += 1
            return None
        self._advance(item.ts)
        if item.duplicate_of and item.duplicate_of in self.by_article:
            key = self.by_article[item.duplicate_of]
            story = self.stories[key]
            story.members.append((item.rowid, 1.0, True))  # listed; its date moves nothing
            story.touched = True
            self.by_article[item.id] = key
            self.counts["duplicates"] += 1
            return key
        vecs = self.vectors(item)
        best, best_sim = None, 0.0
        for key in self._candidates(vecs, item.ts):
            sim = self.similarity(vecs, self.stories[key], item.language)
            if sim > best_sim:
                best, best_sim = key, sim
        if best is not None and best_sim >= self.params.threshold:
            story = self.stories[best]
            story.members.append((item.rowid, round(best_sim, 4), False))
            self.counts["joined"] += 1
        else:
            story = Story(story_key(item.id), item.ts, item.ts)
            story.members.append((item.rowid, None, False))
            self.stories[story.key] = story
            self.open.add(story.key)
            self.counts["started"] += 1
        story.first_ts = min(story.first_ts, item.ts)
        story.last_ts = max(story.last_ts, item.ts)
        story.touched = True
        story.count += 1
        for channel in ARC_CHANNELS:
            for k in item.fp.channel(channel):
                dk = _dfkey(channel, k, item.language)
                story.profile[dk] = story.profile.get(dk, 0) + 1
        self._absorb(story, vecs)
        self.by_article[item.id] = story.key
        self._count(item)
        return story.key

    def _count(self, item: Item) -> None:
        self.totals["*"] += 1
        self.totals[item.language] += 1
        for channel in CHANNELS:
            for k in item.fp.channel(channel):
                self.df[_dfkey(channel, k, item.language)] += 1

    def _absorb(self, story: Story, vecs: dict[str, dict[str, float]]) -> None:
        for name, vec in vecs.items():
            cen = story.centroid.setdefault(name, {})
            for k, v in vec.items():
                cen[k] = cen.get(k, 0.0) + v
            if len(cen) > MAX_TERMS:
                kept = sorted(cen.items(), key=lambda kv: -kv[1])[:MAX_TERMS]
                cen = story.centroid[name] = dict(kept)
            story.norms[name] = math.sqrt(sum(v * v for v in cen.values()))
            for k in cen:
                self.postings[f"{name}|{k}"].add(story.key)

    def _candidates(self, vecs: dict[str, dict[str, float]], ts: int) -> list[str]:
        shared: Counter[str] = Counter()
        lo = ts - self.params.max_span_days * DAY
        for name, vec in vecs.items():
            for k in vec:
                for key in self.postings.get(f"{name}|{k}", ()):
                    shared[key] += 1
        out = []
        least = 2 if sum(len(v) for v in vecs.values()) >= 5 else 1
        for key, n in shared.most_common():
            if n < least:
                break
            story = self.stories[key]
            if story.closed or story.first_ts < lo:
                continue
            out.append(key)
            if len(out) >= MAX_CANDIDATES:
                break
        return out

    def _advance(self, ts: int) -> None:
        """Move the clock to ``ts`` and close the stories quiet for longer than the period."""
        if ts <= self.clock:
            return
        self.clock = ts
        quiet = self.params.quiet_days * DAY
        closing = [k for k in self.open if self.stories[k].last_ts < ts - quiet]
        for key in sorted(closing, key=lambda k: (self.stories[k].last_ts, k)):
            self.close(key)

    def close(self, key: str) -> None:
        story = self.stories[key]
        story.closed = True
        story.touched = True
        self.open.discard(key)
        self.arcs.link(story)
        for name, cen in story.centroid.items():
            for k in cen:
                bucket = self.postings.get(f"{name}|{k}")
                if bucket is not None:
                    bucket.discard(key)
                    if not bucket:
                        del self.postings[f"{name}|{k}"]

    def centrality(self, item: Item, story: Story) -> float:
        return self.similarity(self.vectors(item), story, item.language)

    def restore(self, story: Story) -> None:
        """Re-open a stored story (the incremental path)."""
        self.stories[story.key] = story
        if not story.closed:
            self.open.add(story.key)
            for name, cen in story.centroid.items():
                for k in cen:
                    self.postings[f"{name}|{k}"].add(story.key)


def _dfkey(channel: str, key: str, language: str) -> str:
    return f"w:{language}:{key}" if channel == "words" else f"{channel[0]}:{key}"


# -- arcs ---------------------------------------------------------------------------------------


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
        shared: Counter[str] = Counter()
        for k in vec:
            for key in self.postings.get(k, ()):
                shared[key] += 1
        shared.pop(exclude, None)
        least = 2 if len(vec) >= 5 else 1
        ranked = [key for key, n in shared.items() if n >= least]
        return sorted(ranked, key=lambda key: (-shared[key], key))[:limit]

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
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def cluster(items: Iterable[Item], params: Params | None = None) -> Clusterer:
    """Cluster ``items`` in memory (sorted by publication time); the finished clusterer."""
    clusterer = Clusterer(params)
    ordered = sorted(items, key=lambda i: (i.ts if i.ts is not None else -1, i.rowid))
    for item in ordered:
        clusterer.add(item)
    return clusterer


# -- the store job ------------------------------------------------------------------------------


@dataclass
class JobSummary:
    """What a clustering run did."""

    mode: str
    articles: int = 0
    joined: int = 0
    started: int = 0
    duplicates: int = 0
    skipped: int = 0
    stories: int = 0
    open: int = 0
    arcs: int = 0
    arcs_started: int = 0
    arcs_joined: int = 0
    arcs_merged: int = 0
    seconds: float = 0.0
    builder: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["seconds"] = round(self.seconds, 3)
        d["ms_per_article"] = (
            round(1000 * self.seconds / self.articles, 3) if self.articles else None
        )
        return d


def load_items(store: Store, *, where: str = "1", params: tuple[Any, ...] = ()) -> Iterator[Item]:
    """Articles of the store as :class:`Item` s (``where`` filters ``articles a``)."""
    conn = store.conn
    rows = conn.execute(
        "SELECT a.rowid, a.id, a.language, a.published, a.date_precision, a.title, a.summary,"
        f" a.text, a.duplicate_of FROM articles a WHERE {where} ORDER BY a.published_ts, a.rowid",
        params,
    ).fetchall()
    if not rows:
        return
    lo, hi = min(r[0] for r in rows), max(r[0] for r in rows)
    mentions: dict[int, list[Mention]] = defaultdict(list)
    for r in conn.execute(
        'SELECT article_rowid, start, "end", actor, kind, field FROM mentions'
        " WHERE article_rowid BETWEEN ? AND ?",
        (lo, hi),
    ):
        mentions[r[0]].append(
            Mention(start=r[1], end=r[2], text="", actor=r[3], kind=r[4], field=r[5])
        )
    events: dict[int, list[Event]] = defaultdict(list)
    for r in conn.execute(
        "SELECT article_rowid, type, source, target, negated, sentence_start, sentence_end"
        " FROM events WHERE article_rowid BETWEEN ? AND ?",
        (lo, hi),
    ):
        events[r[0]].append(
            Event(
                type=r[1],
                source=r[2],
                target=r[3],
                negated=bool(r[4]),
                sentence_start=r[5],
                sentence_end=r[6],
            )
        )
    for r in rows:
        yield make_item(
            rowid=r[0],
            id=r[1],
            language=r[2],
            published=datetime.fromisoformat(r[3]) if r[3] else None,
            date_precision=r[4],
            title=r[5] or "",
            summary=r[6] or "",
            text=r[7] or "",
            mentions=mentions.get(r[0], ()),
            events=events.get(r[0], ()),
            duplicate_of=r[8],
        )


def rebuild(
    store: Store,
    params: Params | None = None,
    *,
    progress: Callable[[Iterable[Item]], Iterable[Item]] | None = None,
    until_ts: int | None = None,
) -> JobSummary:
    """Drop every story and cluster the whole archive again (up to ``until_ts`` if given)."""
    with store.transaction():
        for table in ("story_articles", "stories", "story_df", "story_state", "story_arcs"):
            store.conn.execute(f"DELETE FROM {table}")
    return update(store, params, progress=progress, mode="rebuild", until_ts=until_ts)


def update(
    store: Store,
    params: Params | None = None,
    *,
    progress: Callable[[Iterable[Item]], Iterable[Item]] | None = None,
    mode: str = "update",
    until_ts: int | None = None,
) -> JobSummary:
    """Cluster the articles no run has seen yet (the incremental path); with ``until_ts``, only
    those published up to that instant (the others stay pending)."""
    from .saved import load_state, save

    started = time.perf_counter()
    params = params or Params.from_settings()
    clusterer = load_state(store, params)
    where = "a.rowid NOT IN (SELECT article_rowid FROM story_articles)"
    if until_ts is not None:
        where += f" AND a.published_ts <= {int(until_ts)}"
    items = list(load_items(store, where=where, params=()))
    summary = JobSummary(mode=mode, articles=len(items), builder=params.describe())
    from .saved import reopen

    reopen(store, clusterer)
    ordered: Iterable[Item] = sorted(
        items, key=lambda i: (i.ts if i.ts is not None else -1, i.rowid)
    )
    if progress is not None:
        ordered = progress(ordered)
    for item in ordered:
        clusterer.add(item)
    by_rowid = {i.rowid: i for i in items}
    save(store, clusterer, items=by_rowid, params=params)
    c = clusterer.counts
    summary.joined, summary.started = c["joined"], c["started"]
    summary.duplicates, summary.skipped = c["duplicates"], c["skipped"]
    summary.arcs_started, summary.arcs_joined = c["arc_started"], c["arc_joined"]
    summary.arcs_merged = c["arc_merged"]
    row = store.conn.execute("SELECT count(*), sum(status = 'open') FROM stories").fetchone()
    summary.stories, summary.open = int(row[0] or 0), int(row[1] or 0)
    summary.arcs = int(store.conn.execute("SELECT count(*) FROM story_arcs").fetchone()[0])
    summary.seconds = time.perf_counter() - started
    log.info("stories %s: %s", mode, summary.as_dict())
    return summary


def iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
