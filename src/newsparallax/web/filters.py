"""Validation of the filters the API and the dashboard accept, and opaque pagination cursors.

Every problem raises :class:`FilterError` naming the parameter, which the app turns into a
``422`` with the same shape as FastAPI's own validation errors (``{"detail": [{"loc": ["query",
NAME], "msg": ..., "type": "value_error"}]}``); a cursor that cannot be decoded is a ``400``.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any

from .. import periods, safejson
from ..errors import QueryError
from ..store.database import Store
from ..store.search import ParsedQuery, parse_query
from ..watches import Watch

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_ACTOR = re.compile(r"[\w.:\-]{1,200}")
_EVENT_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9_\-]{0,39}")
_CODE = re.compile(r"[\w.:\-]{1,200}")
THEME_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_STORY_ID = re.compile(r"[\w.:\-]{1,200}")


class FilterError(ValueError):
    """A query parameter with a value the API cannot use."""

    def __init__(self, param: str, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.param = param
        self.message = message
        self.status = status

    def as_detail(self) -> list[dict[str, Any]]:
        return [{"loc": ["query", self.param], "msg": self.message, "type": "value_error"}]


def date_bound(value: str | None, *, param: str, end: bool) -> int | None:
    """A date bound (see :mod:`newsparallax.periods`), refused as a ``422`` naming ``param``."""
    try:
        return periods.date_bound(value, end=end)
    except QueryError as err:
        raise FilterError(param, str(err)) from err


@dataclass(frozen=True, kw_only=True, slots=True)
class ArticleFilters:
    """Validated article filters (``None`` means no filter)."""

    outlets: tuple[str, ...] | None = None
    """Outlet ids matching the ``outlet`` parameter (id, domain or name)."""
    camp: str | None = None
    language: str | None = None
    since_ts: int | None = None
    until_ts: int | None = None
    actor: str | None = None
    theme: str | None = None
    story: str | None = None
    query: ParsedQuery | None = None
    include_duplicates: bool = False


def article_filters(
    store: Store,
    watch: Watch,
    *,
    outlet: str | None = None,
    camp: str | None = None,
    language: str | None = None,
    since: str | None = None,
    until: str | None = None,
    actor: str | None = None,
    theme: str | None = None,
    story: str | None = None,
    q: str | None = None,
    include_duplicates: bool = False,
) -> ArticleFilters:
    """Check every filter against the store and the watch; :class:`FilterError` on the first
    bad one."""
    outlets = None
    if outlet:
        outlets = outlet_ids(store, outlet)
        if not outlets:
            raise FilterError(
                "outlet", f"unknown outlet {outlet!r} (see /api/v1/outlets: id, domain or name)"
            )
    if camp:
        check_camp(store, watch, camp)
    if language:
        language = language.strip().lower()
        if not _LANGUAGE.fullmatch(language):
            raise FilterError(
                "language", f"not a language code: {language!r} (ISO 639-1, e.g. en, ru, fa)"
            )
    since_ts = date_bound(since, param="since", end=False)
    until_ts = date_bound(until, param="until", end=True)
    if since_ts is not None and until_ts is not None and since_ts > until_ts:
        raise FilterError("until", f"until ({until}) is before since ({since})")
    if actor:
        actor = actor.strip()
        if not _ACTOR.fullmatch(actor):
            raise FilterError("actor", f"not an actor id: {actor!r}")
    theme = check_theme(store, watch, theme)
    story = check_story(store, story)
    query = None
    if q is not None and q.strip():
        try:
            query = parse_query(q)
        except QueryError as err:
            raise FilterError("q", str(err)) from err
    return ArticleFilters(
        outlets=outlets,
        camp=camp or None,
        language=language or None,
        since_ts=since_ts,
        until_ts=until_ts,
        actor=actor or None,
        theme=theme,
        story=story,
        query=query,
        include_duplicates=include_duplicates,
    )


def outlet_ids(store: Store, outlet: str) -> tuple[str, ...]:
    """Ids of the stored outlets whose id, a domain or the name is ``outlet``."""
    rows = store.conn.execute(
        "SELECT id FROM outlets WHERE id = ?1 OR lower(name) = lower(?1)"
        " OR EXISTS (SELECT 1 FROM json_each(outlets.domains) d WHERE d.value = lower(?1))",
        (outlet.strip(),),
    ).fetchall()
    return tuple(sorted({str(r[0]) for r in rows}))


def known_camps(store: Store, watch: Watch) -> list[str]:
    stored = [
        str(r[0])
        for r in store.conn.execute("SELECT DISTINCT camp FROM outlets WHERE camp IS NOT NULL")
    ]
    return sorted(set(watch.camps) | set(stored))


def check_camp(store: Store, watch: Watch, camp: str, *, param: str = "camp") -> None:
    camps = known_camps(store, watch)
    if camp not in camps:
        raise FilterError(param, f"unknown camp {camp!r}; known camps: {', '.join(camps)}")


def known_themes(store: Store, watch: Watch) -> dict[str, str]:
    """Theme id → label, for the taxonomy (shipped and the watch's) and the stored tags, by id."""
    from ..annotate.themes import shipped_themes, taxonomy
    from ..errors import ConfigError

    try:
        themes = taxonomy(watch.themes)
    except ConfigError:  # a broken user theme: the shipped ones still filter
        themes = list(shipped_themes())
    labels = {t.id: t.label for t in themes}
    for row in store.conn.execute("SELECT DISTINCT theme FROM themes"):
        labels.setdefault(str(row[0]), str(row[0]))
    return dict(sorted(labels.items()))


def check_theme(
    store: Store, watch: Watch, theme: str | None, *, param: str = "theme"
) -> str | None:
    """A known theme id (``None`` for none); :class:`FilterError` naming ``param`` otherwise."""
    if theme is None or not theme.strip():
        return None
    theme = theme.strip()
    if not THEME_ID.fullmatch(theme):
        raise FilterError(param, f"not a theme id: {theme!r}")
    themes = known_themes(store, watch)
    if theme not in themes:
        raise FilterError(param, f"unknown theme {theme!r}; known themes: {', '.join(themes)}")
    return theme


def check_story(store: Store, story: str | None, *, param: str = "story") -> str | None:
    """A stored story id (``None`` for none); :class:`FilterError` when the store has no such
    story, or no stories at all (with what to run)."""
    if story is None or not story.strip():
        return None
    story = story.strip()
    if not _STORY_ID.fullmatch(story):
        raise FilterError(param, f"not a story id: {story!r}")
    from .insight import stories_missing

    missing = stories_missing(store)
    if missing:
        raise FilterError(param, missing)
    if store.conn.execute("SELECT 1 FROM stories WHERE id = ?", (story,)).fetchone() is None:
        raise FilterError(param, f"unknown story {story!r} (see /api/v1/stories)")
    return story


def check_code(value: str | None, *, param: str) -> str | None:
    if not value:
        return None
    value = value.strip()
    pattern = _EVENT_TYPE if param == "type" else _CODE
    if not pattern.fullmatch(value):
        raise FilterError(param, f"not a valid {param}: {value!r}")
    return value


# -- cursors -----------------------------------------------------------------------------------


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, keys: frozenset[str]) -> dict[str, Any] | None:
    """The position a cursor names; a ``400`` :class:`FilterError` if it is not one of ours."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = safejson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError) as err:  # safejson.JSONError is a ValueError
        raise FilterError(
            "cursor", "invalid cursor (pass next_cursor unchanged)", status=400
        ) from err
    if not isinstance(data, dict) or not set(data) <= keys or not data:
        raise FilterError("cursor", "invalid cursor (pass next_cursor unchanged)", status=400)
    for value in data.values():
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise FilterError("cursor", "invalid cursor (pass next_cursor unchanged)", status=400)
    return data
