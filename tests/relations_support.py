"""Small stores for the relation index, timeline, alerts and interop tests: articles written here
(our own words) with hand-made Event records, stored with Store.add."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from newsparallax.annotate.events import event_instance
from newsparallax.annotate.events.lexicon import load_lexicon
from newsparallax.cli.main import main
from newsparallax.cli.relations import register
from newsparallax.records import Article, DatePrecision, Event
from newsparallax.store.database import Store
from newsparallax.watches import load_watch


def cli() -> click.Group:
    """The main command with the relation commands registered (on a copy, so the commands
    documented in the README stay what cli.py wires)."""
    group = click.Group(name="parallax", commands=dict(main.commands))
    register(group)
    register(group)  # idempotent
    return group


def open_store(path: str | Path) -> Store:
    store = Store(path)
    watch = load_watch()
    store.sync_outlets(watch.outlets, watch=watch.name)
    return store


def ev(
    kind: str,
    source: str | None,
    target: str | None,
    *,
    cameo: str | None = None,
    negated: bool = False,
    asserted: bool = True,
    field: str = "title",
    start: int = 0,
    end: int = 0,
    source_actor: str | None = None,
    confidence: float = 0.9,
) -> Event:
    """An event of ``kind`` with the CAMEO code's quad and Goldstein value."""
    default = {
        "AID": "072",
        "CONSULT": "042",
        "SUPPORT": "057",
        "SANCTION": "163",
        "ASSAULT": "190",
        "ACCUSE": "112",
        "THREATEN": "138",
        "COOPERATE": "061",
        "AGREE": "0311",
        "REQUEST": "020",
    }
    code = load_lexicon().code(cameo or default[kind])
    assert code is not None and code.type == kind, (kind, cameo)
    return Event(
        type=kind,
        mode=code.mode,
        source=source,
        target=target,
        source_actor=source_actor or source,
        target_actor=target,
        sentence_start=start,
        sentence_end=end,
        trigger=kind.lower(),
        quad=code.quad,
        intensity=code.goldstein,
        cameo=code.cameo,
        asserted=asserted,
        negated=negated,
        confidence=confidence,
        coder="test",
        field=field,
    )


_counter = [0]


def add(
    store: Store,
    outlet: str,
    day: date | str,
    title: str,
    events: list[Event],
    *,
    hour: int = 9,
    precision: DatePrecision = DatePrecision.SECOND,
    duplicate_of: str | None = None,
    article_id: str | None = None,
    language: str = "en",
    text: str = "",
) -> str:
    """Store one article of ``outlet`` on ``day`` whose title carries ``events``."""
    d = date.fromisoformat(day) if isinstance(day, str) else day
    published = datetime(d.year, d.month, d.day, hour, 0, tzinfo=UTC)
    _counter[0] += 1
    aid = article_id or f"t{_counter[0]:05d}-{outlet}-{d.isoformat()}"
    stored = []
    for e in events:
        if e.field == "title" and e.sentence_end == 0:
            e = replace(e, sentence_start=0, sentence_end=len(title))
        stored.append(replace(e, instance=event_instance(e, published)))
    article = Article(
        id=aid,
        url=f"https://{outlet}/news/{aid}",
        outlet=outlet,
        domain=outlet,
        published=published,
        date_precision=precision,
        title=title,
        text=text or f"{title}. This is a test article written for Parallax.",
        language=language,
        duplicate_of=duplicate_of,
        events=tuple(stored),
    )
    assert store.add(article) is not None
    return aid


def article_ids(point: dict[str, Any]) -> list[str]:
    return list(point["article_ids"])


def make_story(store: Store, sid: str, label: str, articles: list[str]) -> None:
    """A story row as the story job writes it (our fixtures do not depend on its clustering)."""
    rows = store.conn.execute(
        f"SELECT a.rowid, a.published_ts, o.camp, a.outlet FROM articles a JOIN outlets o"
        f" ON o.id = a.outlet WHERE a.id IN ({','.join('?' * len(articles))})",
        articles,
    ).fetchall()
    first, last = min(r[1] for r in rows), max(r[1] for r in rows)
    camps = sorted({r[2] for r in rows})
    iso = lambda ts: datetime.fromtimestamp(ts, UTC).isoformat()  # noqa: E731
    with store.transaction():
        store.conn.execute(
            "INSERT INTO stories(id, label, first_seen, first_seen_ts, last_seen, last_seen_ts,"
            " status, articles, outlets, camps, languages, builder, updated_at)"
            " VALUES (?,?,?,?,?,?,'closed',?,?,?,'[\"en\"]','test',?)",
            (
                sid,
                label,
                iso(first),
                first,
                iso(last),
                last,
                len(rows),
                len({r[3] for r in rows}),
                json.dumps(camps),
                iso(last),
            ),
        )
        store.conn.executemany(
            "INSERT INTO story_articles(article_rowid, story_id, duplicate) VALUES (?,?,0)",
            [(r[0], sid) for r in rows],
        )
