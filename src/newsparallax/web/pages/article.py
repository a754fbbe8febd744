"""One article: its text with the mentions marked, its actors, events and themes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from ...analyze.display import display_title
from ...report.charts import camp_colors, segments
from ...store.articles import article_detail
from ..data import with_headlines
from ..deps import conditional, context
from .render import render

router = APIRouter(include_in_schema=False)


# -- one article -------------------------------------------------------------------------------


@router.get(
    "/articles/{article_id}", response_class=HTMLResponse, dependencies=[Depends(conditional)]
)
def article_page(request: Request, article_id: str) -> Response:
    ctx = context(request)
    detail = article_detail(ctx.store(), ctx.watch, article_id)
    if detail is None:
        raise HTTPException(404, detail=f"no article {article_id!r}")
    spans: dict[str, list[tuple[int, int, str, str]]] = {"title": [], "summary": [], "text": []}
    for m in detail["mentions"]:
        spans.setdefault(m["field"], []).append((m["start"], m["end"], m["actor"], m["kind"]))
    dictionary = ctx.dictionary()
    actors: dict[str, dict[str, Any]] = {}
    for m in detail["mentions"]:
        row = actors.setdefault(
            m["actor"],
            {
                "id": m["actor"],
                "label": dictionary[m["actor"]].label if m["actor"] in dictionary else m["actor"],
                "kind": m["kind"],
                "country": m["country"],
                "forms": {},
            },
        )
        row["forms"][m["text"]] = row["forms"].get(m["text"], 0) + 1
    for event in detail["events"]:
        source = detail.get(event["field"]) or ""
        event["sentence"] = source[event["sentence_start"] : event["sentence_end"]]
    with_headlines(ctx.store(), detail["duplicates"])
    if detail.get("duplicate_of"):
        with_headlines(ctx.store(), [detail["duplicate_of"]])
    camp = detail["outlet"]["camp"]
    return render(
        request,
        "article.html",
        a=detail,
        headline=display_title(detail["title"], detail["summary"], detail["text"]),
        title_segments=segments(detail["title"], spans["title"]),
        summary_segments=segments(detail["summary"], spans["summary"]),
        text_segments=segments(detail["text"], spans["text"]),
        actors=sorted(actors.values(), key=lambda r: -sum(r["forms"].values())),
        camp_color=camp_colors(ctx.watch.camps, [camp or "unknown"])[camp or "unknown"],
    )
