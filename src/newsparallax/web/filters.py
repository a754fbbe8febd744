"""Validation of the filters the API and the dashboard accept; the lookups behind it (known
camps, outlets, themes, stories) are the library's.

Every problem raises :class:`FilterError` naming the parameter, which the app turns into a
``422`` with the same shape as FastAPI's own validation errors (``{"detail": [{"loc": ["query",
NAME], "msg": ..., "type": "value_error"}]}``); a cursor that cannot be decoded
(:class:`~newsparallax.store.cursors.CursorError`) is a ``400``.
"""

from __future__ import annotations

import re
from typing import Any

from .. import periods
from ..analyze.stories.queries import story_heads
from ..errors import QueryError
from ..store.cursors import CursorError
from ..store.database import Store
from ..store.events import event_type
from ..store.filters import ArticleFilters
from ..store.outlets import known_camps, outlet_ids
from ..store.search import parse_query
from ..watches import Watch

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


def check_camp(store: Store, watch: Watch, camp: str, *, param: str = "camp") -> None:
    camps = known_camps(store, watch)
    if camp not in camps:
        raise FilterError(param, f"unknown camp {camp!r}; known camps: {', '.join(camps)}")


def check_theme(
    store: Store, watch: Watch, theme: str | None, *, param: str = "theme"
) -> str | None:
    """A known theme id (``None`` for none); :class:`FilterError` naming ``param`` otherwise."""
    if theme is None or not theme.strip():
        return None
    theme = theme.strip()
    if not THEME_ID.fullmatch(theme):
        raise FilterError(param, f"not a theme id: {theme!r}")
    from ..annotate.themes import known_themes

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
    if story not in story_heads(store, [story]):
        raise FilterError(param, f"unknown story {story!r} (see /api/v1/stories)")
    return story


def event_filters(
    store: Store,
    watch: Watch,
    *,
    source: str | None,
    target: str | None,
    type: str | None,
    since: str | None,
    until: str | None,
    camp: str | None,
    both: bool,
    below_threshold: bool = False,
) -> dict[str, Any]:
    """The filters of ``/events`` (the API's and the page's) checked, as
    :func:`~newsparallax.store.events.list_events` takes them; :class:`FilterError` on the
    first bad one."""
    checked: dict[str, Any] = {
        "source": check_code(source, param="source"),
        "target": check_code(target, param="target"),
        "type": check_event_type(type),
    }
    date_bound(since, param="since", end=False)  # refused here, naming the parameter
    date_bound(until, param="until", end=True)
    if camp:
        check_camp(store, watch, camp)
    return {
        **checked,
        "since": since,
        "until": until,
        "camp": camp or None,
        "both": both,
        "below_threshold": below_threshold,
    }


def check_event_type(value: str | None, *, param: str = "type") -> str | None:
    """A PLOVER event type in capitals (``None`` for none); :class:`FilterError` otherwise."""
    try:
        return event_type(check_code(value, param=param))
    except QueryError as err:
        raise FilterError(param, str(err)) from err


def check_code(value: str | None, *, param: str) -> str | None:
    if not value:
        return None
    value = value.strip()
    pattern = _EVENT_TYPE if param == "type" else _CODE
    if not pattern.fullmatch(value):
        raise FilterError(param, f"not a valid {param}: {value!r}")
    return value


# -- cursors -----------------------------------------------------------------------------------


def cursor_error(err: CursorError) -> FilterError:
    """A cursor the library could not read, as the ``400`` naming ``cursor`` that the API and
    the pages answer."""
    return FilterError("cursor", str(err), status=400)
