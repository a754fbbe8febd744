"""Support, features and tags of one article: :class:`ThemeMatcher` holds a taxonomy's term
automaton, signal tables and model (see the package docstring for what is measured), and the
*theme view* (``title + "\\n\\n" + body``) that evidence spans point into."""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ...records import Event, Mention, ThemeTag
from ..events.sentence_parts import sentences
from .model import STAGE, Model, shipped_model
from .taxonomy import Theme, vocabularies
from .terms import STRONG, UNRELATED, VOCAB_PREFIX, WEAK, Hit, find_hits, kept, term_automaton

SEPARATOR = "\n\n"
MAX_EVIDENCE = 12
LEAD_SENTENCES = 2
PASSAGE = 3


@dataclass(slots=True)
class _Support:
    """What one article offers one theme: features and evidence."""

    title_strong: set[str] = field(default_factory=set)
    title_weak: set[str] = field(default_factory=set)
    lead_strong: set[str] = field(default_factory=set)
    body_strong: set[str] = field(default_factory=set)
    body_weak: set[str] = field(default_factory=set)
    sentences: defaultdict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    actor: float = 0.0
    sector: bool = False
    countries: bool = False
    events: int = 0
    event_with: bool = False
    during: float = 0.0
    evidence: list[tuple[int, int]] = field(default_factory=list)


def _date_of(published: datetime | date | None) -> date | None:
    if isinstance(published, datetime):
        return published.date()
    return published


class ThemeMatcher:
    """Term automaton, signal tables and model for a taxonomy; :meth:`tag` scores an article."""

    stage = STAGE

    def __init__(
        self,
        themes: Sequence[Theme],
        *,
        min_score: float = 0.5,
        model: Model | None = None,
        vocab: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    ) -> None:
        self.themes = {t.id: t for t in themes}
        self.min_score = min_score
        self.model = model or shipped_model()
        self.fallback = next((t.id for t in themes if t.fallback), None)
        groups: list[tuple[str, float, Mapping[str, Sequence[str]]]] = []
        for theme in themes:
            groups += [(theme.id, STRONG, theme.terms), (theme.id, WEAK, theme.weak)]
            groups.append((theme.id, UNRELATED, theme.unrelated))
        vocab = vocabularies() if vocab is None else vocab
        used = {w.vocab for t in themes for w in t.during}
        groups += [(VOCAB_PREFIX + name, STRONG, vocab[name]) for name in sorted(used)]
        self.automaton, self.size = term_automaton(groups)

    def hits(self, text: str, offset: int = 0) -> list[Hit]:
        """Term hits in ``text`` (spans shifted by ``offset``)."""
        if not self.size or not text:
            return []
        return find_hits(self.automaton, text, offset)

    def support(
        self,
        *,
        title: str,
        body: str,
        mentions: Iterable[Mention] = (),
        events: Iterable[Event] = (),
        body_field: str = "text",
        published: datetime | date | None = None,
    ) -> tuple[dict[str, _Support], int, int]:
        """What the article offers each theme, and the numbers of body words and sentences."""
        body_offset = len(title) + len(SEPARATOR)
        sup: defaultdict[str, _Support] = defaultdict(_Support)
        sents = list(sentences(body)) if body.strip() else []
        starts = [s for s, _ in sents]

        def sentence_of(pos: int) -> int:
            return max(0, bisect.bisect_right(starts, pos) - 1)

        # where each vocabulary is found: -1 for the title, else the body's sentence index
        vocab_at: defaultdict[str, set[int]] = defaultdict(set)
        for hit in kept(self.hits(title)):
            if hit.theme.startswith(VOCAB_PREFIX):
                vocab_at[hit.theme].add(-1)
                continue
            s = sup[hit.theme]
            (s.title_strong if hit.weight >= STRONG else s.title_weak).add(hit.term)
            s.evidence.append((hit.start, hit.end))
        term_spans: dict[tuple[int, int], set[str]] = defaultdict(set)
        for hit in kept(self.hits(body, body_offset)):
            index = sentence_of(hit.start - body_offset)
            if hit.theme.startswith(VOCAB_PREFIX):
                vocab_at[hit.theme].add(index)
                continue
            s = sup[hit.theme]
            s.evidence.append((hit.start, hit.end))
            term_spans[(hit.start, hit.end)].add(hit.theme)
            if hit.weight >= STRONG:
                s.body_strong.add(hit.term)
                if index < LEAD_SENTENCES:
                    s.lead_strong.add(hit.term)
                s.sentences[index].add(hit.term)
            else:
                s.body_weak.add(hit.term)
        mentions = list(mentions)
        events = list(events)
        named = {m.actor for m in mentions} | {m.country for m in mentions if m.country}
        day = _date_of(published)

        def where(field_name: str, start: int) -> int | None:
            if field_name == "title":
                return -1
            return sentence_of(start) if field_name == body_field else None

        for theme in self.themes.values():
            s = sup[theme.id]
            for m in mentions:
                if m.actor in theme.actors:
                    s.actor = max(s.actor, 1.0 if m.field == "title" else 0.5)
                elif m.sector and m.sector in theme.sectors:
                    s.sector = True
                else:
                    continue
                span = _view_span(m.field, m.start, m.end, body_field, body_offset)
                if span:
                    s.evidence.append(span)
            if theme.countries and all(c in named for c in theme.countries):
                s.countries = True
            for w in theme.during:
                if not w.covers(day):
                    continue
                anchors = set(w.anchors)
                anchor_at = {
                    where(m.field, m.start)
                    for m in mentions
                    if m.actor in anchors or m.country in anchors
                }
                # an event of the window's types with an anchor as a party is both
                event_at = {
                    where(e.field, e.sentence_start)
                    for e in events
                    if e.type in w.events and {e.source, e.target} & anchors
                }
                level = _window_level(
                    {i for i in anchor_at | event_at if i is not None},
                    {i for i in event_at if i is not None} | vocab_at[VOCAB_PREFIX + w.vocab],
                )
                if w.sides:
                    # both sides of the war named together: a statement about it
                    at = [
                        {
                            where(m.field, m.start)
                            for m in mentions
                            if m.actor in side or m.country in side
                        }
                        - {None}
                        for side in w.sides
                    ]
                    level = max(level, _window_level(*at))  # type: ignore[arg-type]
                s.during = max(s.during, level)
        for e in events:
            span = _view_span(e.field, e.sentence_start, e.sentence_end, body_field, body_offset)
            for theme in self.themes.values():
                if e.type in theme.events:
                    sup[theme.id].events += 1
                    if span:
                        sup[theme.id].evidence.append(span)
                for etype, other in theme.event_with:
                    if e.type != etype or span is None:
                        continue
                    inside = any(
                        other in owners and span[0] <= a and b <= span[1]
                        for (a, b), owners in term_spans.items()
                    ) or (
                        e.field == "title" and bool(sup[other].title_strong | sup[other].title_weak)
                    )
                    if inside:
                        sup[theme.id].event_with = True
                        sup[theme.id].evidence.append(span)
        return dict(sup), len(body.split()), len(sents)

    def features(self, s: _Support, body_words: int, n_sentences: int) -> list[float]:
        passage = 0
        if s.sentences:
            for i in s.sentences:
                terms: set[str] = set()
                for j in range(i, i + PASSAGE):
                    terms |= s.sentences.get(j, set())
                passage = max(passage, len(terms))
        coverage = len(s.sentences) / n_sentences if n_sentences else 0.0
        return [
            float(min(len(s.title_strong), 2)),
            float(min(len(s.title_weak), 2)),
            float(min(len(s.lead_strong), 2)),
            float(min(passage, 3)),
            coverage,
            math.log1p(len(s.body_strong)),
            math.log1p(len(s.body_weak)),
            s.actor,
            float(s.sector),
            float(s.countries),
            float(min(s.events, 2)),
            float(s.event_with),
            s.during,
            1.0 if body_words < 25 else 0.0,
        ]

    def scored(
        self,
        *,
        title: str,
        body: str,
        mentions: Iterable[Mention] = (),
        events: Iterable[Event] = (),
        body_field: str = "text",
        published: datetime | date | None = None,
    ) -> dict[str, tuple[float, list[float], _Support]]:
        """Every non-fallback theme with support: probability, features and support."""
        mentions, events = list(mentions), list(events)
        sup, words, n_sentences = self.support(
            title=title,
            body=body,
            mentions=mentions,
            events=events,
            body_field=body_field,
            published=published,
        )
        abroad = _abroad(mentions, events)
        out = {}
        for tid, s in sup.items():
            theme = self.themes.get(tid)
            if theme is None or theme.fallback:
                continue
            if "abroad" in theme.needs and not abroad:
                continue
            if not _substantive(s):
                continue  # weak words alone are never substantive support
            feats = self.features(s, words, n_sentences)
            out[tid] = (self.model.probability(tid, feats), feats, s)
        return out

    def tag(
        self,
        *,
        title: str,
        body: str,
        mentions: Iterable[Mention] = (),
        events: Iterable[Event] = (),
        body_field: str = "text",
        published: datetime | date | None = None,
    ) -> list[ThemeTag]:
        """Themes of one article, best first (the fallback theme when none reaches the bar)."""
        scored = self.scored(
            title=title,
            body=body,
            mentions=mentions,
            events=events,
            body_field=body_field,
            published=published,
        )
        tags = []
        for tid, (p, _, s) in scored.items():
            if p >= self.min_score:
                spans = tuple(sorted(set(s.evidence)))[:MAX_EVIDENCE]
                tags.append(ThemeTag(theme=tid, score=round(p, 3), evidence=spans, stage=STAGE))
        tags.sort(key=lambda t: (-t.score, t.theme))
        if not tags and self.fallback:
            tags.append(ThemeTag(theme=self.fallback, score=1.0, evidence=(), stage=STAGE))
        return tags


def _substantive(s: _Support) -> bool:
    """A strong term, an actor, an event or a window: weak words alone never carry a theme."""
    strong = s.title_strong or s.body_strong or s.actor or s.events or s.event_with
    return bool(strong or s.during or s.countries)


def _window_level(anchor_at: set[int], vocab_at: set[int]) -> float:
    """1 when an anchor and a word of the vocabulary (or an anchored event) are both in the
    title or lead, 0.5 when they share a sentence of the body, else 0. ``-1`` is the title."""
    front = {-1, *range(LEAD_SENTENCES)}
    if anchor_at & front and vocab_at & front:
        return 1.0
    return 0.5 if anchor_at & vocab_at else 0.0


def _abroad(mentions: Sequence[Mention], events: Sequence[Event]) -> bool:
    """Two states named, or a state and an international organisation, or an event between
    two different states: what a diplomatic theme needs."""
    states = {m.country for m in mentions if m.country}
    if len(states) >= 2 or (states and any(m.kind == "igo" for m in mentions)):
        return True
    return any(e.source and e.target and e.source != e.target for e in events)


def _view_span(
    field_name: str, start: int, end: int, body_field: str, body_offset: int
) -> tuple[int, int] | None:
    if field_name == "title":
        return (start, end)
    if field_name == body_field:
        return (start + body_offset, end + body_offset)
    return None


def theme_view(title: str, summary: str, text: str) -> tuple[str, str]:
    """The body the stage reads (text, or summary when there is none) and its field name."""
    return (text, "text") if text.strip() else (summary, "summary")


def evidence_field(
    span: tuple[int, int], *, title: str, summary: str, text: str
) -> tuple[str, int, int]:
    """Map an evidence span of the theme view back to ``(field, start, end)``."""
    _body, name = theme_view(title, summary, text)
    offset = len(title) + len(SEPARATOR)
    if span[0] < len(title):
        return ("title", span[0], min(span[1], len(title)))
    return (name, span[0] - offset, span[1] - offset)
