"""Themes: the ``themes`` stage (``themes.v2``) tags each article with themes of a taxonomy.

The shipped taxonomy is ``data/themes.toml`` (its header documents the keys); a watch file adds
themes, or replaces one by id, with ``[themes.<id>]`` tables of the same keys.

A theme applies when the article is *substantially* about it (``bench/themes_labelling.md``): a
main subject, or a passage of its own — not a word in passing. So the stage does not add up
hits; it measures, per theme, where the support is and how much of the article carries it:

* seed *terms* (strong) and *weak* terms in English, Russian and Persian (and *not* phrases that
  mask a term inside them: "olive oil", "drone footage"), matched on normalised
  words (Russian lemmas, Persian script unified and plural ``ها`` dropped, a light English stem;
  ``word*`` matches a word beginning): distinct strong and weak terms in the title, in the lead
  (the first two sentences of the body), the most distinct strong terms in one passage (three
  sentences running) and the share of the body's sentences that hold a strong term;
* *actors* (ids), actor *sectors* and *countries* all named, from the actors stage;
* *events* of the listed PLOVER types, and ``event_with``: an event of a type whose sentence
  holds a term of another theme (an AID event about drones → ``military_cooperation``);
* *during*: date windows of a conflict (the full-scale war in Ukraine from 24 Feb 2022; the
  US–Israeli war on Iran from 28 Feb 2026, ...) in which an article published then that names
  one of the window's *anchors* (states, actors) together with a word of the window's
  vocabulary (attack, killed, condolences, ...; ``[vocab.<name>]``) belongs to that conflict —
  the labelling rule "the date may say which conflict a reported attack or statement belongs
  to";
* *needs*: a gate — ``abroad`` (diplomacy) holds only when two states, or a state and an
  international organisation, are named, or an event has two different states as parties.

These features go through a small logistic model (``data/themes_model.json``: one weight per
feature shared by all themes, plus a learned prior per shipped theme; ``bench/themes_train.py``
fits it on the tune half of the theme gold). The probability is the tag's ``score``; themes at
or above ``PARALLAX_THEMES_MIN_SCORE`` (0.5) are kept, and the fallback theme ``other`` is given
only when none is.

Evidence spans are ``(start, end)`` offsets into the article's *theme view*:
``title + "\\n\\n" + body``, where body is the text, or the summary when the text is empty (as
the actors stage reads it). :func:`evidence_field` maps a span back to ``title``/``text``/
``summary`` offsets.
"""

from __future__ import annotations

import bisect
import json
import math
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import ahocorasick

from .. import settings
from ..analyze.stories.fingerprint import stem
from ..errors import ConfigError
from ..records import Event, Mention, ThemeTag
from ..textnorm import normalize_words, prefix_words, word_spans
from .events.sentences import sentences
from .pipeline import BaseStage, Doc

if TYPE_CHECKING:
    from ..store.database import Store
    from ..watches import Watch

STAGE = "themes.v2"
SEPARATOR = "\n\n"
LANGUAGES = ("en", "ru", "fa")
_KEYS = frozenset(
    {"label", "description", "terms", "weak", "not", "actors", "sectors", "countries", "events"}
    | {"event_with", "fallback", "during", "needs"}
)
_WINDOW_KEYS = frozenset({"start", "end", "anchors", "vocab", "events", "sides"})
NEEDS = frozenset({"abroad"})
_FA_PLURAL = ("هایی", "های", "ها")
STRONG, WEAK, UNRELATED = 1.0, 0.4, 0.0
MAX_EVIDENCE = 12
LEAD_SENTENCES = 2
PASSAGE = 3
VOCAB_PREFIX = "vocab:"

#: The features of a (article, theme) pair, in the model's order.
FEATURES = (
    "title_strong",  # distinct strong terms in the title (at most 2)
    "title_weak",  # distinct weak terms in the title (at most 2)
    "lead_strong",  # distinct strong terms in the lead (at most 2)
    "passage",  # most distinct strong terms in three sentences running (at most 3)
    "coverage",  # share of the body's sentences holding a strong term
    "body_strong",  # log(1 + distinct strong terms in the body)
    "body_weak",  # log(1 + distinct weak terms in the body)
    "actor",  # a theme actor named (1 in the title, 0.5 in the body only)
    "sector",  # an actor of a theme sector named
    "countries",  # all of the theme's countries named
    "event",  # events of the theme's types (at most 2)
    "event_with",  # an event of a listed type whose sentence holds the named theme's terms
    "during",  # a window's anchor and vocabulary (1 in title or lead, 0.5 in the body)
    "headline",  # the article is a headline (no body, or under 25 words)
)


@dataclass(frozen=True, slots=True)
class Window:
    """A date window in which an anchor plus a word of a vocabulary signals the theme."""

    start: date
    end: date | None = None
    anchors: tuple[str, ...] = ()
    vocab: str = "war"
    events: tuple[str, ...] = ()
    sides: tuple[tuple[str, ...], ...] = ()

    def covers(self, day: date | None) -> bool:
        return day is not None and self.start <= day and (self.end is None or day <= self.end)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "anchors": list(self.anchors),
            "vocab": self.vocab,
            "events": list(self.events),
            "sides": [list(side) for side in self.sides],
        }


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme of the taxonomy."""

    id: str
    label: str
    description: str = ""
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    weak: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unrelated: dict[str, tuple[str, ...]] = field(default_factory=dict)
    actors: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    event_with: tuple[tuple[str, str], ...] = ()
    during: tuple[Window, ...] = ()
    needs: tuple[str, ...] = ()
    fallback: bool = False
    source: str = "shipped"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "description": self.description,
            "source": self.source,
            "terms": {k: list(v) for k, v in self.terms.items()},
            "weak": {k: list(v) for k, v in self.weak.items()},
            "not": {k: list(v) for k, v in self.unrelated.items()},
            "actors": list(self.actors),
            "sectors": list(self.sectors),
            "countries": list(self.countries),
            "events": list(self.events),
            "event_with": [{"type": t, "terms_of": o} for t, o in self.event_with],
            "during": [w.as_dict() for w in self.during],
            "needs": list(self.needs),
            "fallback": self.fallback,
        }


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: must be a list of strings")
    return tuple(value)


def _by_language(value: object, where: str) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table of languages (en = [...], ru = [...])")
    return {str(k): _strings(v, f"{where}.{k}") for k, v in value.items()}


def _day(value: object, where: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(f"{where}: must be a date (YYYY-MM-DD)")


def _window(entry: object, where: str) -> Window:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table {{ start = ..., anchors = [...] }}")
    unknown = set(entry) - _WINDOW_KEYS
    if unknown:
        allowed = ", ".join(sorted(_WINDOW_KEYS))
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} ({allowed})")
    if "start" not in entry or not entry.get("anchors"):
        raise ConfigError(f"{where}: needs start and anchors")
    end = entry.get("end")
    sides = entry.get("sides", [])
    if not isinstance(sides, list) or len(sides) not in (0, 2):
        raise ConfigError(f"{where}.sides: must be two lists of anchors")
    return Window(
        start=_day(entry["start"], f"{where}.start"),
        end=_day(end, f"{where}.end") if end else None,
        anchors=_strings(entry["anchors"], f"{where}.anchors"),
        vocab=str(entry.get("vocab", "war")),
        events=tuple(e.upper() for e in _strings(entry.get("events", []), f"{where}.events")),
        sides=tuple(_strings(side, f"{where}.sides") for side in sides),
    )


def parse_theme(tid: str, table: dict[str, Any], *, source: str) -> Theme:
    """A :class:`Theme` from a TOML table (every key checked)."""
    where = f"{source}: theme {tid!r}"
    unknown = set(table) - _KEYS
    if unknown:
        allowed = ", ".join(sorted(_KEYS))
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} ({allowed})")
    label = table.get("label", tid)
    if not isinstance(label, str):
        raise ConfigError(f"{where}: label must be a string")
    pairs = []
    for i, entry in enumerate(table.get("event_with", [])):
        if not isinstance(entry, dict) or set(entry) != {"type", "terms_of"}:
            raise ConfigError(f"{where}: event_with[{i}] must be {{ type = ..., terms_of = ... }}")
        pairs.append((str(entry["type"]), str(entry["terms_of"])))
    during = table.get("during", [])
    if not isinstance(during, list):
        raise ConfigError(f"{where}: during must be a list of tables")
    needs = _strings(table.get("needs", []), f"{where}: needs")
    if set(needs) - NEEDS:
        raise ConfigError(f"{where}: needs may hold {', '.join(sorted(NEEDS))}")
    return Theme(
        id=tid,
        label=label,
        description=str(table.get("description", "")),
        terms=_by_language(table.get("terms"), f"{where}: terms"),
        weak=_by_language(table.get("weak"), f"{where}: weak"),
        unrelated=_by_language(table.get("not"), f"{where}: not"),
        actors=_strings(table.get("actors", []), f"{where}: actors"),
        sectors=_strings(table.get("sectors", []), f"{where}: sectors"),
        countries=_strings(table.get("countries", []), f"{where}: countries"),
        events=tuple(e.upper() for e in _strings(table.get("events", []), f"{where}: events")),
        event_with=tuple(pairs),
        during=tuple(_window(w, f"{where}: during[{i}]") for i, w in enumerate(during)),
        needs=needs,
        fallback=bool(table.get("fallback", False)),
        source=source,
    )


@cache
def _shipped() -> tuple[tuple[Theme, ...], dict[str, dict[str, tuple[str, ...]]]]:
    text = (resources.files("newsparallax") / "data" / "themes.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    themes = tuple(
        parse_theme(tid, table, source="shipped") for tid, table in data["themes"].items()
    )
    vocab = {
        name: _by_language(table.get("terms"), f"shipped: vocab {name!r}")
        for name, table in data.get("vocab", {}).items()
    }
    return themes, vocab


def shipped_themes() -> tuple[Theme, ...]:
    """The taxonomy shipped in ``data/themes.toml``."""
    return _shipped()[0]


def vocabularies() -> dict[str, dict[str, tuple[str, ...]]]:
    """The shipped vocabularies (``[vocab.<name>]``) that ``during`` windows name."""
    return _shipped()[1]


def taxonomy(
    extra: dict[str, dict[str, Any]] | None = None, *, source: str = "watch"
) -> list[Theme]:
    """The shipped themes with ``extra`` (a watch's ``[themes.*]``) added; same id replaces."""
    themes = {t.id: t for t in shipped_themes()}
    for tid, table in (extra or {}).items():
        themes[tid] = parse_theme(tid, table, source=source)
    known = set(themes)
    vocab = vocabularies()
    for t in themes.values():
        for _, other in t.event_with:
            if other not in known:
                raise ConfigError(f"theme {t.id!r}: event_with names unknown theme {other!r}")
        for w in t.during:
            if w.vocab not in vocab:
                raise ConfigError(
                    f"theme {t.id!r}: during names unknown vocabulary {w.vocab!r} "
                    f"({', '.join(sorted(vocab))})"
                )
    return list(themes.values())


def known_themes(store: Store, watch: Watch) -> dict[str, str]:
    """Theme id → label, for the taxonomy (shipped and the watch's) and the stored tags, by id."""
    try:
        themes = taxonomy(watch.themes)
    except ConfigError:  # a broken user theme: the shipped ones still filter
        themes = list(shipped_themes())
    labels = {t.id: t.label for t in themes}
    for row in store.conn.execute("SELECT DISTINCT theme FROM themes"):
        labels.setdefault(str(row[0]), str(row[0]))
    return dict(sorted(labels.items()))


@dataclass(frozen=True, slots=True)
class Model:
    """The logistic model over :data:`FEATURES`: shared weights, a prior per theme."""

    weights: tuple[float, ...]
    intercept: float
    priors: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, theme: str, features: Sequence[float]) -> float:
        z = self.intercept + self.priors.get(theme, 0.0)
        z += sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": STAGE,
            "features": list(FEATURES),
            "weights": dict(zip(FEATURES, self.weights, strict=True)),
            "intercept": self.intercept,
            "priors": self.priors,
            "meta": self.meta,
        }


def parse_model(data: Mapping[str, Any]) -> Model:
    weights = data["weights"]
    missing = [f for f in FEATURES if f not in weights]
    if missing:
        raise ConfigError(f"themes model: no weight for {', '.join(missing)}")
    return Model(
        weights=tuple(float(weights[f]) for f in FEATURES),
        intercept=float(data["intercept"]),
        priors={str(k): float(v) for k, v in data.get("priors", {}).items()},
        meta=dict(data.get("meta", {})),
    )


@cache
def shipped_model() -> Model:
    """The model shipped in ``data/themes_model.json``."""
    path = resources.files("newsparallax") / "data" / "themes_model.json"
    return parse_model(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=200_000)
def norm_word(word: str) -> str:
    """The matching form of a normalised word: English stem, Persian plural dropped."""
    for suffix in _FA_PLURAL:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.isascii():
            return word[: -len(suffix)]
    return stem(word)


@dataclass(slots=True)
class _Hit:
    theme: str
    term: str
    weight: float
    start: int
    end: int


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
        self.automaton: Any = ahocorasick.Automaton()
        table: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
        groups: list[tuple[str, float, Mapping[str, Sequence[str]]]] = []
        for theme in themes:
            groups += [(theme.id, STRONG, theme.terms), (theme.id, WEAK, theme.weak)]
            groups.append((theme.id, UNRELATED, theme.unrelated))
        vocab = vocabularies() if vocab is None else vocab
        used = {w.vocab for t in themes for w in t.during}
        groups += [(VOCAB_PREFIX + name, STRONG, vocab[name]) for name in sorted(used)]
        for owner, strength, by_lang in groups:
            for terms in by_lang.values():
                for term in terms:
                    prefix = term.endswith("*")
                    split = prefix_words if prefix else normalize_words
                    words = [norm_word(w) for w in split(term.rstrip("*"))]
                    if not words:
                        continue
                    key = " " + " ".join(words) + ("" if prefix else " ")
                    table[key].append((owner, term, strength))
        for key, entries in table.items():
            self.automaton.add_word(key, (len(key), tuple(entries)))
        if table:
            self.automaton.make_automaton()
        self.size = len(table)

    def hits(self, text: str, offset: int = 0) -> list[_Hit]:
        """Term hits in ``text`` (spans shifted by ``offset``)."""
        if not self.size or not text:
            return []
        tokens = list(word_spans(text))
        if not tokens:
            return []
        parts, starts = [], []
        pos = 0
        for _, _, norm in tokens:
            starts.append(pos)
            word = " " + norm_word(norm)
            parts.append(word)
            pos += len(word)
        joined = "".join(parts) + " "
        out = []
        for end, (length, entries) in self.automaton.iter(joined):
            first = bisect.bisect_right(starts, end - length + 1) - 1
            last = bisect.bisect_right(starts, end) - 1
            if first < 0 or starts[first] != end - length + 1:
                continue
            last = min(last, len(tokens) - 1)
            if joined[end] == " " and last > first and starts[last] == end:
                last -= 1  # the trailing space belongs to the next token's slot
            span = (tokens[first][0] + offset, tokens[last][1] + offset)
            for theme, term, weight in entries:
                out.append(_Hit(theme, term, weight, *span))
        return out

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
        for hit in _kept(self.hits(title)):
            if hit.theme.startswith(VOCAB_PREFIX):
                vocab_at[hit.theme].add(-1)
                continue
            s = sup[hit.theme]
            (s.title_strong if hit.weight >= STRONG else s.title_weak).add(hit.term)
            s.evidence.append((hit.start, hit.end))
        term_spans: dict[tuple[int, int], set[str]] = defaultdict(set)
        for hit in _kept(self.hits(body, body_offset)):
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


def _kept(hits: list[_Hit]) -> list[_Hit]:
    """Hits without those inside (or overlapping) an earlier, longer or stronger hit of the same
    theme: "Zionist regime" counts once, not also as "Zionist*"; "Ukraine" inside "Ukraine war"
    is not a weak hit of its own; "oil" inside the theme's `not` phrase "olive oil" is none."""
    hits.sort(key=lambda h: (h.start, h.start - h.end, -h.weight))
    last_end: dict[str, int] = {}
    out = []
    for h in hits:
        if h.start < last_end.get(h.theme, -1):
            continue
        last_end[h.theme] = h.end
        if h.weight > UNRELATED:  # a `not` phrase (olive oil) only masks what it covers
            out.append(h)
    return out


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


_matchers: dict[str, ThemeMatcher] = {}


def matcher_for(extra: dict[str, dict[str, Any]] | None = None) -> ThemeMatcher:
    """A matcher over the shipped taxonomy plus ``extra`` themes (cached per content)."""
    min_score = settings.get_float("themes_min_score")
    key = repr((sorted((extra or {}).items()), min_score))
    if key not in _matchers:
        _matchers[key] = ThemeMatcher(taxonomy(extra), min_score=min_score)
    return _matchers[key]


class ThemesStage(BaseStage):
    """Fill ``doc.themes`` from terms, actor mentions, events and the date (see the module
    docstring). ``published`` is read when an earlier stage set it (no date: no window)."""

    name = STAGE
    requires = ("title", "text", "summary")
    provides = ("themes",)

    def __init__(self, matcher: ThemeMatcher | None = None) -> None:
        super().__init__()
        self.matcher = matcher or matcher_for()

    def __call__(self, doc: Doc) -> Doc:
        body, body_field = theme_view(doc.title, doc.summary, doc.body)
        doc.themes = self.matcher.tag(
            title=doc.title,
            body=body,
            mentions=doc.mentions,
            events=doc.events,
            body_field=body_field,
            published=doc.published,
        )
        for tag in doc.themes:
            self.counts[tag.theme] += 1
        return doc


def themes_stage(*, watch: Any = None, **_: Any) -> ThemesStage:
    extra = getattr(watch, "themes", None) or None
    return ThemesStage(matcher_for(extra))


def retag(store: Any, *, watch: Any = None, batch: int = 2000) -> dict[str, int]:
    """Tag every stored article again with the current taxonomy (replacing ``themes.*`` rows);
    for stores ingested before the stage existed, by an older stage version (``themes.v1``) or
    before the taxonomy changed. Counts by theme."""
    from ..records import Event as _Event
    from .dates import parse_date

    matcher = matcher_for(getattr(watch, "themes", None) or None)
    conn = store.conn
    counts: Counter[str] = Counter()
    mentions: dict[int, list[Mention]] = defaultdict(list)
    for r in conn.execute(
        'SELECT article_rowid, start, "end", actor, kind, country, sector, field FROM mentions'
    ):
        mentions[r[0]].append(
            Mention(
                start=r[1],
                end=r[2],
                text="",
                actor=r[3],
                kind=r[4],
                country=r[5],
                sector=r[6],
                field=r[7],
            )
        )
    events: dict[int, list[Event]] = defaultdict(list)
    for r in conn.execute(
        "SELECT article_rowid, type, source, target, sentence_start, sentence_end, field"
        " FROM events"
    ):
        events[r[0]].append(
            _Event(
                type=r[1],
                source=r[2],
                target=r[3],
                sentence_start=r[4],
                sentence_end=r[5],
                field=r[6],
            )
        )
    rows = conn.execute("SELECT rowid, title, summary, text, published FROM articles").fetchall()
    with store.transaction():
        conn.execute("DELETE FROM themes WHERE stage LIKE 'themes.%'")
        pending: list[tuple[int, str, float, str, str]] = []
        for rowid, title, summary, text, published in rows:
            body, body_field = theme_view(title or "", summary or "", text or "")
            day, _ = parse_date(published) if published else (None, None)
            for tag in matcher.tag(
                title=title or "",
                body=body,
                mentions=mentions.get(rowid, ()),
                events=events.get(rowid, ()),
                body_field=body_field,
                published=day,
            ):
                counts[tag.theme] += 1
                spans = "[" + ",".join(f"[{a},{b}]" for a, b in tag.evidence) + "]"
                pending.append((rowid, tag.theme, tag.score, spans, tag.stage))
            if len(pending) >= batch:
                conn.executemany(_INSERT, pending)
                pending.clear()
        conn.executemany(_INSERT, pending)
    return dict(counts.most_common())


_INSERT = "INSERT INTO themes(article_rowid, theme, score, evidence, stage) VALUES (?,?,?,?,?)"
