"""The ``themes`` stage, the matcher it uses (cached per taxonomy and minimum score), and
:func:`retag` for stores tagged before the current taxonomy."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ... import settings
from ...records import Event, Mention
from ..pipeline import BaseStage, Doc
from .matcher import ThemeMatcher, theme_view
from .model import STAGE
from .taxonomy import taxonomy

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
    from ..dates import parse_date

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
            Event(
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
