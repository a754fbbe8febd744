"""Stories: articles about the same real-world event, grouped across outlets and languages.

A corpus job, not a pipeline stage: it reads articles from the store in publication order and
assigns each one to a story with a single pass (the classic topic-detection-and-tracking
scheme). A new article is compared with every *open* story — one that received an article in the
last ``quiet_days`` and began at most ``max_span_days`` before it — and joins the most similar one
when the similarity reaches ``threshold``; otherwise it starts a story. Stories close after the
quiet period. The same code runs over the whole archive (:func:`~.job.rebuild`) and over the
articles stored since the last run (:func:`~.job.update`, the incremental path; open stories keep
their centroid and the IDF counts in the store). Story lines across stories are :mod:`.arcs`;
saving and reading stories back is :mod:`.saved`.

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
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ...records import Event, Mention
from .arcs import ARC_CHANNELS, ARC_JOB, ArcLinker
from .fingerprint import CHANNEL_WEIGHTS, CHANNELS, Fingerprint, fingerprint, sublinear

log = logging.getLogger(__name__)

JOB = "stories.v1"
MAX_TERMS = 80
"""Keys kept per channel of a story centroid."""
MAX_CANDIDATES = 60
"""Open stories scored per article: those sharing the most keys with it (at least two, or one
for an article with fewer than five keys)."""
DAY = 86_400
_VAGUE = ("month", "month-estimated", "year", "year-estimated")
MIN_SHARED_CROSS = 2
"""Keys (names, actors, facts) an article must share with a story in another language."""


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

    def sweep(self) -> None:
        """Close the open stories quiet for longer than the period at the clock. ``add`` closes
        them as the clock moves; articles dated before it (a backfill) move nothing, so their
        stories would stay open, and be restored by every later run, until a newer article."""
        quiet = self.params.quiet_days * DAY
        closing = [k for k in self.open if self.stories[k].last_ts < self.clock - quiet]
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


def cluster(items: Iterable[Item], params: Params | None = None) -> Clusterer:
    """Cluster ``items`` in memory (sorted by publication time); the finished clusterer."""
    clusterer = Clusterer(params)
    ordered = sorted(items, key=lambda i: (i.ts if i.ts is not None else -1, i.rowid))
    for item in ordered:
        clusterer.add(item)
    return clusterer


def iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
