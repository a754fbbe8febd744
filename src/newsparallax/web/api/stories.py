"""``/stories`` and ``/compare``: stories across outlets and languages, and the camp
comparison."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from .. import insight
from ..data import PAGE_MAX, compare_data, stories_data
from ..deps import conditional, context
from ..exports import EXPORT_RESPONSES
from ..models import StoryDetail, StoryList, StoryOut
from .params import NO_TABLES, Format, Since, Until, items_or_export, require_built

router = APIRouter()

MEMBERS = 20
"""Articles listed per story by default: a story of the demo grows to hundreds of articles, a
list of 50 such stories to megabytes."""


# -- stories -----------------------------------------------------------------------------------


@router.get(
    "/stories",
    response_model=StoryList,
    dependencies=[Depends(conditional)],
    tags=["stories"],
    responses={**EXPORT_RESPONSES, **NO_TABLES},
)
def list_stories(
    request: Request,
    camp: Annotated[str | None, Query(description="Only stories this camp covered.")] = None,
    since: Since = None,
    until: Until = None,
    min_camps: Annotated[int, Query(ge=1, le=50)] = 1,
    min_articles: Annotated[int, Query(ge=1, le=100_000)] = 2,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 50,
    members: Annotated[
        int,
        Query(
            ge=0,
            le=100_000,
            description="Articles listed per story, first by date (`article_count` is the"
            " total and the coverage has every article id; `/stories/{id}` lists them all).",
        ),
    ] = MEMBERS,
    format: Format = "json",
) -> Any:
    """Stories (articles about one real-world event across outlets and languages, from
    `parallax cluster`), most camps first, then most articles, with coverage by camp and their
    first `members` articles."""
    missing, items = stories_data(
        context(request), camp=camp, since=since, until=until, min_camps=min_camps,
        min_articles=min_articles, limit=limit, members=members,
    )  # fmt: skip
    require_built(missing)
    return items_or_export(items, fmt=format, columns=list(StoryOut.model_fields), name="stories")


@router.get(
    "/stories/{story_id}",
    response_model=StoryDetail,
    dependencies=[Depends(conditional)],
    tags=["stories"],
    responses={404: {"description": "No such story, or no stories in this store."}},
)
def get_story(request: Request, story_id: str) -> Any:
    """One story: its articles in order, coverage by camp, themes and most named actors."""
    store = context(request).store()
    require_built(insight.stories_missing(store))
    found = insight.story(store, story_id)
    if found is None:
        raise HTTPException(404, detail=f"no story {story_id!r}")
    return found


# -- camp comparison ---------------------------------------------------------------------------


@router.get("/compare", dependencies=[Depends(conditional)], tags=["stories"])
def get_compare(
    request: Request,
    camps: Annotated[
        str | None, Query(description="Comma-separated camp ids (default: every camp).")
    ] = None,
    since: Since = None,
    until: Until = None,
    theme: Annotated[str | None, Query(description="Only articles with this theme.")] = None,
) -> dict[str, Any]:
    """Camp comparison (`parallax compare`): coverage and blindspots per story, theme emphasis
    with 95 % intervals, framing terms per language (Monroe log-odds), claims and tone toward the
    watch's states, each figure with the ids of its articles. The window defaults to the last
    30 days of the store and is cut to at most 92 days (`window.capped`); `stories_missing`
    says when `parallax cluster` has not run (coverage, framing and claims need stories)."""
    return compare_data(context(request), camps, since, until, theme)
