"""Helpers for the stories and compare tests: small stores built from hand-written articles.

Articles are stored with :meth:`Store.add` directly (actor mentions from the real matcher), which
is much faster than the full ingest pipeline; the ingest path itself is tested elsewhere."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from newsparallax.annotate.actors import default_matcher
from newsparallax.annotate.themes import matcher_for, theme_view
from newsparallax.records import Article, DatePrecision, Event
from newsparallax.store.database import Store
from newsparallax.urls import article_id
from newsparallax.watches import load_watch

OUTLET_DOMAINS = {
    "reuters.com": "western",
    "bbc.co.uk": "western",
    "theguardian.com": "western",
    "rt.com": "russian_state",
    "tass.ru": "russian_state",
    "ria.ru": "russian_state",
    "ukrinform.net": "ukrainian",
    "tehrantimes.com": "iranian_state",
}


def article(
    n: int,
    *,
    outlet: str,
    when: str,
    title: str,
    text: str = "",
    summary: str = "",
    language: str = "en",
    duplicate_of: str | None = None,
    events: tuple[Event, ...] = (),
    precision: DatePrecision = DatePrecision.SECOND,
) -> Article:
    """An article of ``outlet`` (a domain of the default watch) published at ``when``."""
    published = datetime.fromisoformat(when).replace(tzinfo=UTC)
    url = f"https://{outlet}/news/{n}"
    matcher = default_matcher()
    mentions = [replace(m, field="title") for m in matcher.find(title, published=published)]
    body_field = "text" if text.strip() else "summary"
    body = text or summary
    mentions += [replace(m, field=body_field) for m in matcher.find(body, published=published)]
    body, field = theme_view(title, summary, text)
    themes = matcher_for().tag(
        title=title, body=body, mentions=mentions, events=events, body_field=field
    )
    return Article(
        id=article_id(url=url),
        url=url,
        outlet=outlet,
        domain=outlet,
        published=published,
        date_precision=precision,
        title=title,
        text=text,
        summary=summary,
        language=language,
        duplicate_of=duplicate_of,
        mentions=tuple(mentions),
        events=events,
        themes=tuple(themes),
    )


P = TypeVar("P", str, Path)


def build_store(path: P, articles: list[Article]) -> P:
    watch = load_watch()
    with Store(path) as store:
        store.sync_outlets(watch.outlets, watch=watch.name)
        for a in articles:
            store.add(a)
    return path


def from_record(n: int, record: dict[str, Any]) -> Article:
    """An article of a demo-corpus record (read from ../shared/data, never copied), published
    at noon of its day; outlets outside :data:`OUTLET_DOMAINS` are stored as a Western one."""
    domain = (record.get("domain") or "").removeprefix("www.")
    return article(
        n,
        outlet=domain if domain in OUTLET_DOMAINS else "reuters.com",
        when=f"{record['published'][:10]}T12:00:00",
        title=record.get("title") or "",
        summary=record.get("summary") or "",
        text=record.get("text") or "",
        language=record.get("language") or "en",
        precision=DatePrecision.DAY,
    )
