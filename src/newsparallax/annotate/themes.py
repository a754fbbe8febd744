"""Themes: the ``themes`` stage (``themes.v1``) tags each article with themes of a taxonomy.

The shipped taxonomy is ``data/themes.toml`` (its header documents the keys); a watch file adds
themes, or replaces one by id, with ``[themes.<id>]`` tables of the same keys. Signals:

* seed *terms* in English, Russian and Persian, matched on normalised words (Russian lemmas,
  Persian script unified and plural ``ها`` dropped, a light English stem; ``word*`` matches a
  word beginning) — strong terms weigh 1, ``weak`` terms 0.4; a term in the title counts 1.25×,
  in the body 0.8× (less in long bodies: × √(150 / words) below 1), repeats add a little;
* *actors* (ids), actor *sectors* and *countries* all named, from the actors stage;
* *events* of the listed PLOVER types, and ``event_with``: an event of a type whose sentence
  holds a term of another theme (an AID event about drones → ``military_cooperation``).

The raw sum ``r`` becomes a score ``1 - exp(-r)`` in [0, 1); themes scoring at least
``PARALLAX_THEMES_MIN_SCORE`` (0.35) are kept, else the fallback theme ``other``.

Evidence spans are ``(start, end)`` offsets into the article's *theme view*:
``title + "\\n\\n" + body``, where body is the text, or the summary when the text is empty (as
the actors stage reads it). :func:`evidence_field` maps a span back to ``title``/``text``/
``summary`` offsets.
"""

from __future__ import annotations

import bisect
import math
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import ahocorasick

from .. import settings
from ..analyze.stories.fingerprint import stem
from ..errors import ConfigError
from ..records import Event, Mention, ThemeTag
from ..textnorm import normalize_words, prefix_words, word_spans
from .pipeline import BaseStage, Doc

if TYPE_CHECKING:
    from ..store.database import Store
    from ..watches import Watch

STAGE = "themes.v1"
SEPARATOR = "\n\n"
LANGUAGES = ("en", "ru", "fa")
_KEYS = frozenset(
    {"label", "description", "terms", "weak", "actors", "sectors", "countries", "events"}
    | {"event_with", "fallback"}
)
_FA_PLURAL = ("هایی", "های", "ها")
STRONG, WEAK = 1.0, 0.4
TITLE, BODY = 1.25, 0.8
MAX_EVIDENCE = 12


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme of the taxonomy."""

    id: str
    label: str
    description: str = ""
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    weak: dict[str, tuple[str, ...]] = field(default_factory=dict)
    actors: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    event_with: tuple[tuple[str, str], ...] = ()
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
            "actors": list(self.actors),
            "sectors": list(self.sectors),
            "countries": list(self.countries),
            "events": list(self.events),
            "event_with": [{"type": t, "terms_of": o} for t, o in self.event_with],
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
    return Theme(
        id=tid,
        label=label,
        description=str(table.get("description", "")),
        terms=_by_language(table.get("terms"), f"{where}: terms"),
        weak=_by_language(table.get("weak"), f"{where}: weak"),
        actors=_strings(table.get("actors", []), f"{where}: actors"),
        sectors=_strings(table.get("sectors", []), f"{where}: sectors"),
        countries=_strings(table.get("countries", []), f"{where}: countries"),
        events=tuple(e.upper() for e in _strings(table.get("events", []), f"{where}: events")),
        event_with=tuple(pairs),
        fallback=bool(table.get("fallback", False)),
        source=source,
    )


@cache
def shipped_themes() -> tuple[Theme, ...]:
    """The taxonomy shipped in ``data/themes.toml``."""
    text = (resources.files("newsparallax") / "data" / "themes.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)["themes"]
    return tuple(parse_theme(tid, table, source="shipped") for tid, table in data.items())


def taxonomy(
    extra: dict[str, dict[str, Any]] | None = None, *, source: str = "watch"
) -> list[Theme]:
    """The shipped themes with ``extra`` (a watch's ``[themes.*]``) added; same id replaces."""
    themes = {t.id: t for t in shipped_themes()}
    for tid, table in (extra or {}).items():
        themes[tid] = parse_theme(tid, table, source=source)
    known = set(themes)
    for t in themes.values():
        for _, other in t.event_with:
            if other not in known:
                raise ConfigError(f"theme {t.id!r}: event_with names unknown theme {other!r}")
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


class ThemeMatcher:
    """Term automaton and signal tables for a taxonomy; :meth:`tag` scores one article."""

    def __init__(self, themes: Sequence[Theme], *, min_score: float = 0.35) -> None:
        self.themes = {t.id: t for t in themes}
        self.min_score = min_score
        self.fallback = next((t.id for t in themes if t.fallback), None)
        self.automaton: Any = ahocorasick.Automaton()
        table: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
        for theme in themes:
            for strength, groups in ((STRONG, theme.terms), (WEAK, theme.weak)):
                for terms in groups.values():
                    for term in terms:
                        prefix = term.endswith("*")
                        split = prefix_words if prefix else normalize_words
                        words = [norm_word(w) for w in split(term.rstrip("*"))]
                        if not words:
                            continue
                        key = " " + " ".join(words) + ("" if prefix else " ")
                        table[key].append((theme.id, term, strength))
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

    def tag(
        self,
        *,
        title: str,
        body: str,
        mentions: Iterable[Mention] = (),
        events: Iterable[Event] = (),
        body_field: str = "text",
    ) -> list[ThemeTag]:
        """Themes of one article, best first (the fallback theme when none reaches the bar)."""
        body_offset = len(title) + len(SEPARATOR)
        raw: defaultdict[str, float] = defaultdict(float)
        evidence: dict[str, list[tuple[int, int]]] = defaultdict(list)
        body_words = max(1, len(body.split()))
        body_factor = BODY * min(1.0, math.sqrt(150 / body_words))
        seen: set[tuple[str, str]] = set()
        repeats: Counter[str] = Counter()
        term_themes_in: dict[tuple[int, int], set[str]] = defaultdict(set)
        for text, offset, factor in ((title, 0, TITLE), (body, body_offset, body_factor)):
            for hit in self.hits(text, offset):
                evidence[hit.theme].append((hit.start, hit.end))
                term_themes_in[(hit.start, hit.end)].add(hit.theme)
                if (hit.theme, hit.term) in seen:
                    if repeats[hit.theme] < 3:
                        raw[hit.theme] += 0.15 * hit.weight
                        repeats[hit.theme] += 1
                    continue
                seen.add((hit.theme, hit.term))
                raw[hit.theme] += hit.weight * factor
        mentions = list(mentions)
        named = {m.actor for m in mentions} | {m.country for m in mentions if m.country}
        for theme in self.themes.values():
            actor_weight: dict[str, float] = {}
            sector_hit = False
            for m in mentions:
                span = _view_span(m.field, m.start, m.end, body_field, body_offset)
                if m.actor in theme.actors:
                    weight = 0.8 if m.field == "title" else 0.5
                    actor_weight[m.actor] = max(actor_weight.get(m.actor, 0.0), weight)
                elif m.sector and m.sector in theme.sectors:
                    sector_hit = True
                else:
                    continue
                if span:
                    evidence[theme.id].append(span)
            raw[theme.id] += sum(actor_weight.values()) + (0.2 if sector_hit else 0.0)
            if theme.countries and all(c in named for c in theme.countries):
                raw[theme.id] += 0.5
        for e in events:
            span = _view_span(e.field, e.sentence_start, e.sentence_end, body_field, body_offset)
            for theme in self.themes.values():
                if e.type in theme.events:
                    raw[theme.id] += 0.8
                    if span:
                        evidence[theme.id].append(span)
                for etype, other in theme.event_with:
                    if e.type != etype or span is None:
                        continue
                    inside = any(
                        other in themes and span[0] <= s[0] and s[1] <= span[1]
                        for s, themes in term_themes_in.items()
                    )
                    if inside:
                        raw[theme.id] += 1.0
                        evidence[theme.id].append(span)
        tags = []
        for tid, r in raw.items():
            score = 1.0 - math.exp(-r)
            if score >= self.min_score and tid in self.themes and not self.themes[tid].fallback:
                spans = tuple(sorted(set(evidence[tid])))[:MAX_EVIDENCE]
                tags.append(ThemeTag(theme=tid, score=round(score, 3), evidence=spans, stage=STAGE))
        tags.sort(key=lambda t: (-t.score, t.theme))
        if not tags and self.fallback:
            tags.append(ThemeTag(theme=self.fallback, score=1.0, evidence=(), stage=STAGE))
        return tags


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
    """Fill ``doc.themes`` from terms, actor mentions and events (see the module docstring)."""

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
        )
        for tag in doc.themes:
            self.counts[tag.theme] += 1
        return doc


def themes_stage(*, watch: Any = None, **_: Any) -> ThemesStage:
    extra = getattr(watch, "themes", None) or None
    return ThemesStage(matcher_for(extra))


def retag(store: Any, *, watch: Any = None, batch: int = 2000) -> dict[str, int]:
    """Tag every stored article again with the current taxonomy (replacing ``themes.*`` rows);
    for stores ingested before the stage existed or after the taxonomy changed. Counts by theme."""
    from ..records import Event as _Event

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
        "SELECT article_rowid, type, sentence_start, sentence_end, field FROM events"
    ):
        events[r[0]].append(_Event(type=r[1], sentence_start=r[2], sentence_end=r[3], field=r[4]))
    rows = conn.execute("SELECT rowid, title, summary, text FROM articles").fetchall()
    with store.transaction():
        conn.execute("DELETE FROM themes WHERE stage LIKE 'themes.%'")
        pending: list[tuple[int, str, float, str, str]] = []
        for rowid, title, summary, text in rows:
            body, body_field = theme_view(title or "", summary or "", text or "")
            for tag in matcher.tag(
                title=title or "",
                body=body,
                mentions=mentions.get(rowid, ()),
                events=events.get(rowid, ()),
                body_field=body_field,
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
