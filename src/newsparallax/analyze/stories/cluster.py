"""Stories: articles about the same real-world event, grouped across outlets and languages.

A corpus job, not a pipeline stage: it reads articles from the store in publication order and
assigns each one to a story with a single pass (the classic topic-detection-and-tracking
scheme). A new article is compared with every *open* story — one that received an article in the
last ``quiet_days`` and began at most ``max_span_days`` before it (``max_span_hours`` for an
article timed to the minute: one event is told within a day or so) — and joins the most similar one
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
counted once. The rules of one event (speakers, reactions, incident scenes, specific names; kinds
of pieces that stand alone) are :meth:`Clusterer.score` and :mod:`.cues`. An article dated only to
the month (or undated but fetched) is placed once its month is over (:meth:`Clusterer.place`);
one dated only to the year, or not at all, is skipped with the reason. Stories close relative to
the newest article clustered (the clock), so an article arriving late — published more than the
quiet period before the clock — can only join a story still open, or start its own.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from .arcs import ARC_CHANNELS, ARC_JOB, ArcLinker, sparse_dot
from .cues import REPORT
from .fingerprint import CHANNEL_WEIGHTS, CHANNELS, sublinear
from .items import DAY, Item, month_start, months_touched, order_key

log = logging.getLogger(__name__)

JOB = "stories.v2"
MAX_TERMS = 80
"""Keys kept per channel of a story centroid."""
MAX_CANDIDATES = 60
"""Open stories scored per article: those sharing the most keys with it (at least two, or one
for an article with fewer than five keys)."""
BROAD_SHARE = 0.04
BROAD_MIN = 10
"""A name or actor in more than :data:`BROAD_SHARE` of the articles (and at least
:data:`BROAD_MIN`) is broad: it neither pins an event down nor bridges two languages alone."""
MIN_SHARED_CROSS = 2
"""Keys (names, actors, facts) an article must share with a story in another language."""


@dataclass(frozen=True, slots=True)
class Params:
    """Clustering parameters (the first three from :mod:`newsparallax.settings`). The defaults
    of the rules were tuned on windows w1, w3 and w5 of the event gold
    (``bench/stories_gold_eval.py``); w2 and w4 are the report half."""

    threshold: float = 0.2
    quiet_days: float = 1.0
    max_span_days: float = 2.0
    max_span_hours: float = 36.0
    """An article timed to the minute joins only a story begun at most this many hours before it
    (one event is told within a day or so); one dated to the day keeps ``max_span_days``."""
    cross_language: float = 0.9
    arc_threshold: float = 0.15
    arc_merge: float = 0.2
    speaker_bonus: float = 0.1
    """Added when the headline's speaker (a person or a named source) is the speaker of most of
    the story's headlines, within ``speaker_hours``: one speaker, one occasion."""
    speaker_hours: float = 6.0
    """For an article dated only to the day, the bonuses of speakers and scenes hold on the
    day its story began (a day-dated article cannot tell one occasion from the next)."""
    speaker_clash: float = 0.5
    """Multiplier, weighed by the share of the story's headlines that name a speaker, when the
    headline's speaker is none of them: two speakers on one subject are two stories."""
    reaction_clash: float = 0.3
    """Multiplier for a reaction (:attr:`Item.reaction`) meeting a story its speaker does not
    dominate: a third party's condemnation of an event is a story of its own."""
    scene_bonus: float = 0.15
    """Added when the story's incidents are mostly in the country (and place, when both name
    one) of the headline's incident, within ``scene_hours``."""
    scene_hours: float = 3.0
    scene_clash: float = 1.0
    """Multiplier when the story's incidents are mostly in another country (1: off)."""
    name_clash: float = 0.5
    """Multiplier when the headline and the story's headlines name specific places, persons or
    organisations (:attr:`~.fingerprint.Fingerprint.specific`, not only broad ones) and share
    none."""
    uncertain_threshold: float = 0.45
    """Cosine an article of uncertain date needs to join a story (a strong match)."""

    def describe(self) -> str:
        """The job and every parameter, as saved with the stories (arcs' apart, at the end)."""
        story = [f"{f.name}={getattr(self, f.name)}" for f in fields(self) if f.name[:4] != "arc_"]
        arcs = f"arc_threshold={self.arc_threshold} arc_merge={self.arc_merge}"
        return f"{JOB} {' '.join(story)} {ARC_JOB} {arcs}"

    @classmethod
    def from_settings(cls, **overrides: float | None) -> Params:
        from ... import settings

        values = {
            "threshold": settings.get_float("stories_threshold"),
            "quiet_days": settings.get_float("stories_quiet_days"),
            "max_span_days": settings.get_float("stories_max_span_days"),
            "max_span_hours": settings.get_float("stories_max_span_hours"),
            "arc_threshold": settings.get_float("stories_arc_threshold"),
            "arc_merge": settings.get_float("stories_arc_merge"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


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
    speakers: dict[str, int] = field(default_factory=dict)
    """Speaker key (each part of :attr:`Item.speaker`) → members whose headline it speaks in;
    ``*``: members whose headline names a speaker."""
    specific: dict[str, int] = field(default_factory=dict)
    """Specific headline name → members naming it."""
    scenes: dict[str, int] = field(default_factory=dict)
    """Incident country → members reporting an incident there."""
    kind: str = REPORT
    """A story of one digest, live page, explainer or opinion piece is closed to joins."""
    uncertain: bool = False
    """Made of articles of uncertain date only: closed to precisely dated articles."""

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
        self.months: set[int] = set()
        """Months (their first instant) with articles of uncertain date to place: closed stories
        overlapping them stay findable (:attr:`month_postings`)."""
        self.month_postings: dict[int, dict[str, set[str]]] = {}
        self.uncertain: dict[int, list[str]] = defaultdict(list)
        """Month → stories made only of articles of uncertain date that start in it."""

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

    def score(self, item: Item, vecs: dict[str, dict[str, float]], story: Story) -> float:
        """The similarity of ``item`` with ``story`` (:meth:`similarity`) under the rules of an
        event: speakers, reactions, incident scenes and specific names (see :class:`Params`)."""
        sim = self.similarity(vecs, story, item.language)
        p = self.params
        ts = item.ts or 0
        if item.slack:  # dated to the day: an occasion is the day the story began, no later
            gap = 0.0 if ts - story.first_ts < item.slack else math.inf
        else:
            gap = max(0.0, (ts - story.last_ts) / 3600)
        parts = item.speaker.split("|") if item.speaker else []
        same = max((story.speakers.get(k, 0) for k in parts), default=0)
        if item.reaction and same * 2 < story.count:
            sim *= p.reaction_clash
        if parts and story.speakers:
            spoken = story.speakers.get("*", 0)
            person = parts[0][:2] in ("p:", "n:")  # a person or a named source, not a ministry
            if same * 2 >= spoken and gap <= p.speaker_hours and person:
                sim += p.speaker_bonus  # one speaker, one occasion
            elif not same:  # another speaker's story: weigh by how much of it is theirs
                share = min(1.0, spoken / max(1, story.count))
                sim *= 1 - (1 - p.speaker_clash) * share
        if item.scene and story.scenes:
            sim = self._scene(item.scene, story, sim, gap)
        if (
            p.name_clash < 1
            and item.fp.specific
            and story.specific
            and not any(k in story.specific for k in item.fp.specific)
            and not all(self.broad(k) for k in item.fp.specific)
            and not all(self.broad(k) for k in story.specific)
        ):
            sim *= p.name_clash
        return sim

    def _scene(self, scene: str, story: Story, sim: float, gap: float) -> float:
        """The scene rule: a story whose incidents are mostly in one country meets an incident
        there (in the same place, when both name one) with a bonus, one elsewhere with a
        penalty."""
        p = self.params
        countries: Counter[str] = Counter()
        places: set[str] = set()
        for key, n in story.scenes.items():
            country, _, place = key.partition("/")
            countries[country] += n
            if place:
                places.add(place)
        top, n = max(countries.items(), key=lambda kv: (kv[1], kv[0]))
        if n * 2 < sum(countries.values()):
            return sim
        country, _, place = scene.partition("/")
        if top != country:
            return sim * p.scene_clash
        if gap <= p.scene_hours and (not place or not places or place in places):
            return sim + p.scene_bonus
        return sim

    def strong(self, key: str) -> bool:
        """A key that can bridge two languages: a date or number, or a name or actor that is
        not broad — an actor other than a state or body (upper-case ids), a name skeleton of at
        least four letters (Khordad and Gard are both ``hrd``)."""
        kind, _, rest = key.partition(":")
        if kind == "f":
            return True
        if self.broad(key):
            return False
        if kind == "a":
            return not rest.isupper() and not rest.startswith("e:")
        return kind == "n" and len(rest) >= 4

    def broad(self, key: str) -> bool:
        """A name or actor too common in the corpus to tell events apart (a main belligerent
        of the watch), keyed as in the IDF counts (``n:``, ``a:``)."""
        n = self.df[key]
        return n >= BROAD_MIN and n > BROAD_SHARE * self.totals["*"]

    def similarity(self, vecs: dict[str, dict[str, float]], story: Story, language: str) -> float:
        """Cosine of the article with the story seen in the article's language (its words in
        that language plus the other channels); across languages, of the other channels only,
        when they share at least :data:`MIN_SHARED_CROSS` keys."""
        other, cen_other = vecs.get("other", {}), story.centroid.get("other", {})
        dot_other = sparse_dot(other, cen_other)
        name = f"words:{language}"
        if name in story.centroid:
            cen = story.centroid[name]
            dot = dot_other + sparse_dot(vecs.get(name, {}), cen)
            norm = math.hypot(story.norms.get(name, 0.0), story.norms.get("other", 0.0))
            return dot / norm if norm else 0.0
        shared = [k for k in other if k in cen_other]
        if len(shared) < MIN_SHARED_CROSS or not any(self.strong(k) for k in shared):
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
        if item.span is not None:
            return self.place(item)
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
        if item.kind == REPORT:
            for key in self._candidates(vecs, item.ts, precise=not item.slack):
                sim = self.score(item, vecs, self.stories[key])
                if sim > best_sim or (sim == best_sim and best is not None and key < best):
                    best, best_sim = key, sim
        if best is not None and best_sim >= self.params.threshold:
            story = self.stories[best]
            story.members.append((item.rowid, round(best_sim, 4), False))
            self.counts["joined"] += 1
        else:
            story = Story(story_key(item.id), item.ts, item.ts, kind=item.kind)
            story.members.append((item.rowid, None, False))
            self.stories[story.key] = story
            self.open.add(story.key)
            self.counts["started" if item.kind == REPORT else f"kind_{item.kind}"] += 1
        story.first_ts = min(story.first_ts, item.ts)
        story.last_ts = max(story.last_ts, item.ts)
        story.touched = True
        story.count += 1
        for channel in ARC_CHANNELS:
            for k in item.fp.channel(channel):
                dk = _dfkey(channel, k, item.language)
                story.profile[dk] = story.profile.get(dk, 0) + 1
        if item.speaker:
            for k in ("*", *item.speaker.split("|")):
                story.speakers[k] = story.speakers.get(k, 0) + 1
        for k in item.fp.specific:
            story.specific[k] = story.specific.get(k, 0) + 1
        if item.scene:
            story.scenes[item.scene] = story.scenes.get(item.scene, 0) + 1
        self.by_article[item.id] = story.key
        if story.kind != REPORT:  # a story of its own, closed to joins at once
            self._count(item)
            self.open.discard(story.key)
            story.closed = True
            self.arcs.relate(story)
            return story.key
        self._absorb(story, vecs)
        self._count(item)
        return story.key

    def place(self, item: Item) -> str:
        """Place an article of uncertain date (``item.span``), once every precisely dated article
        up to the end of its span has been clustered. It joins the most similar story (not of a
        single digest or opinion piece) whose span overlaps its own when the cosine reaches
        ``uncertain_threshold`` — listed as a member, without moving the story's dates or
        centroid — or the most similar story of other uncertain articles of its span, or starts
        such a story: closed to precisely dated articles, so it anchors nothing."""
        assert item.span is not None
        lo, hi = item.span
        vecs = self.vectors(item)
        best, best_sim = None, 0.0
        if item.kind == REPORT and vecs:
            for key in self._overlapping(vecs, lo, hi):
                story = self.stories[key]
                sim = self.similarity(vecs, story, item.language)
                if sim > best_sim or (sim == best_sim and best is not None and key < best):
                    best, best_sim = key, sim
        if best is not None and best_sim >= self.params.uncertain_threshold:
            story = self.stories[best]
            story.members.append((item.rowid, round(best_sim, 4), False))
            self.counts["uncertain_joined"] += 1
            if story.uncertain:
                self._absorb(story, vecs, index=False)
        else:
            story = Story(story_key(item.id), item.ts or lo, item.ts or lo, kind=item.kind)
            story.uncertain = True
            story.closed = True
            story.members.append((item.rowid, None, False))
            self.stories[story.key] = story
            self._absorb(story, vecs, index=False)
            if item.kind == REPORT:
                self.uncertain[month_start(lo)].append(story.key)
            self.counts["uncertain_started"] += 1
        story.touched = True
        story.count += 1
        for channel in ARC_CHANNELS:
            for k in item.fp.channel(channel):
                dk = _dfkey(channel, k, item.language)
                story.profile[dk] = story.profile.get(dk, 0) + 1
        if story.uncertain and story.arc is None:
            self.arcs.relate(story)
        self.by_article[item.id] = story.key
        self._count(item)
        return story.key

    def _overlapping(self, vecs: dict[str, dict[str, float]], lo: int, hi: int) -> list[str]:
        """Stories whose span overlaps ``[lo, hi)`` sharing the most keys with ``vecs``: open
        ones (the postings), closed ones of the months with uncertain articles, and stories of
        uncertain articles starting in those months."""
        shared: Counter[str] = Counter()
        months = months_touched(lo, hi)
        for name, vec in vecs.items():
            for k in vec:
                pk = f"{name}|{k}"
                for key in self.postings.get(pk, ()):
                    shared[key] += 1
                for month in months:
                    for key in self.month_postings.get(month, {}).get(pk, ()):
                        shared[key] += 1
        for month in months:
            for key in self.uncertain.get(month, ()):
                shared[key] += 1
        out = []
        for key, _n in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
            story = self.stories[key]
            if story.kind != REPORT or story.first_ts >= hi or story.last_ts < lo:
                continue
            out.append(key)
            if len(out) >= MAX_CANDIDATES:
                break
        return out

    def _remember(self, story: Story) -> None:
        """Keep a closing story findable for the uncertain articles of the months it spans."""
        for month in months_touched(story.first_ts, story.last_ts + 1):
            if month not in self.months:
                continue
            index = self.month_postings.setdefault(month, defaultdict(set))
            for name, cen in story.centroid.items():
                for k in cen:
                    index[f"{name}|{k}"].add(story.key)

    def _count(self, item: Item) -> None:
        self.totals["*"] += 1
        self.totals[item.language] += 1
        for channel in CHANNELS:
            for k in item.fp.channel(channel):
                self.df[_dfkey(channel, k, item.language)] += 1

    def _absorb(
        self, story: Story, vecs: dict[str, dict[str, float]], *, index: bool = True
    ) -> None:
        for name, vec in vecs.items():
            cen = story.centroid.setdefault(name, {})
            for k, v in vec.items():
                cen[k] = cen.get(k, 0.0) + v
            if len(cen) > MAX_TERMS:
                kept = sorted(cen.items(), key=lambda kv: -kv[1])[:MAX_TERMS]
                cen = story.centroid[name] = dict(kept)
            story.norms[name] = math.sqrt(sum(v * v for v in cen.values()))
            if index:
                for k in cen:
                    self.postings[f"{name}|{k}"].add(story.key)

    def _candidates(
        self, vecs: dict[str, dict[str, float]], ts: int, *, precise: bool = False
    ) -> list[str]:
        shared: Counter[str] = Counter()
        lo = ts - self.params.max_span_days * DAY
        if precise:  # timed to the minute: one event is told within a day or so
            lo = max(lo, ts - int(self.params.max_span_hours * 3600))
        for name, vec in vecs.items():
            for k in vec:
                for key in self.postings.get(f"{name}|{k}", ()):
                    shared[key] += 1
        out = []
        least = 2 if sum(len(v) for v in vecs.values()) >= 5 else 1
        for key, n in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
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
        if self.months:
            self._remember(story)
        for name, cen in story.centroid.items():
            for k in cen:
                bucket = self.postings.get(f"{name}|{k}")
                if bucket is not None:
                    bucket.discard(key)
                    if not bucket:
                        del self.postings[f"{name}|{k}"]

    def centrality(self, item: Item, story: Story) -> float:
        return self.similarity(self.vectors(item), story, item.language)

    def prepare(self, items: list[Item]) -> tuple[list[Item], list[Item]]:
        """Split ``items`` into those to cluster now and articles of uncertain date whose span
        ends after the newest precise date (stored or among ``items``): they wait for a later
        run, when every article they could join has been seen. Registers the months of the
        uncertain ones."""
        clock = max([self.clock, *(i.ts for i in items if i.span is None and i.ts is not None)])
        ready, waiting = [], []
        for item in items:
            if item.span is not None and not item.skip and item.span[1] > clock:
                waiting.append(item)
            else:
                ready.append(item)
                if item.span is not None and not item.skip:
                    self.months.update(months_touched(*item.span))
        return ready, waiting

    def restore_closed(self, story: Story) -> None:
        """Load a closed story (its centroid rebuilt) that uncertain articles may join."""
        story.closed = True
        self.stories[story.key] = story
        if story.uncertain:
            self.uncertain[month_start(story.first_ts)].append(story.key)
        else:
            self._remember(story)

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
    return cluster_waiting(items, params)[0]


def cluster_waiting(
    items: Iterable[Item], params: Params | None = None
) -> tuple[Clusterer, list[Item]]:
    """:func:`cluster`, and the articles of uncertain date left waiting for their span to end
    (:meth:`Clusterer.prepare`)."""
    clusterer = Clusterer(params)
    ready, waiting = clusterer.prepare(list(items))
    for item in sorted(ready, key=order_key):
        clusterer.add(item)
    return clusterer, waiting
