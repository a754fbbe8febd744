"""The claim ledger: propositions with each camp's stance, and one proposition's history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from ...analyze.ledger import (
    STANCES,
    UNCONFIRMED_FLOOR,
    ClaimReport,
    ledger_page,
    report_date,
)
from ...errors import QueryError
from ...report.charts import camp_colors
from ...store.events import TYPES
from ..data import claim_detail, claim_propositions, claim_query, claim_unconfirmed
from ..deps import conditional, context
from ..filters import FilterError
from .render import as_form, camp_labels, camp_order, http_url, query, render, text_dir

router = APIRouter(include_in_schema=False)

PAGE = 30


@router.get("/claims", response_class=HTMLResponse, dependencies=[Depends(conditional)])
def claims_page(
    request: Request,
    a: str | None = None,
    b: str | None = None,
    one_way: bool = False,
    type: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_camps: Annotated[int, Query(ge=1, le=100)] = 1,
    cursor: str | None = None,
) -> Response:
    """The propositions of the filters, most camps first, each with its camps' stances."""
    ctx = context(request)
    params: dict[str, Any] = {
        "a": a, "b": b, "one_way": one_way, "type": type, "since": since, "until": until,
    }  # fmt: skip
    form = {**as_form(params), "min_camps": min_camps}
    q = claim_query(ctx, min_camps=min_camps, **params)
    found, left_out = claim_propositions(ctx, q)
    page = ledger_page(found, left_out, cursor=cursor, limit=PAGE)
    unconfirmed = [] if cursor else claim_unconfirmed(ctx, q, found)
    order = camp_order(ctx, sorted({c.camp for p in [*page.items, *unconfirmed] for c in p.camps}))
    return render(
        request,
        "claims.html",
        form=form,
        types=TYPES,
        page=page,
        unconfirmed=unconfirmed,
        unconfirmed_floor=UNCONFIRMED_FLOOR,
        stances=STANCES,
        camp_labels=camp_labels(request),
        colors=camp_colors(ctx.watch.camps, order),
        detail_query=query({"since": since, "until": until}),
        next_query=query({**form, "cursor": page.next_cursor}) if page.next_cursor else None,
        api_query=query(form),
    )


@router.get(
    "/claims/{proposition_id}", response_class=HTMLResponse, dependencies=[Depends(conditional)]
)
def claim_page(
    request: Request, proposition_id: str, since: str | None = None, until: str | None = None
) -> Response:
    """One proposition: each camp's stance and its first report, a month by month timeline per
    camp, related propositions and every evidence sentence linked to its article."""
    ctx = context(request)
    try:
        found = claim_detail(ctx, proposition_id, since=since, until=until)
    except QueryError as err:
        raise FilterError("proposition_id", str(err)) from err
    if found is None:
        raise HTTPException(404, detail=f"no report supports {proposition_id!r} in this window")
    p = found.proposition
    months = sorted({m["month"] for c in p.camps for m in c.months})
    grid = {c.camp: {m["month"]: m for m in c.months} for c in p.camps}

    def row(r: ClaimReport) -> dict[str, Any]:
        return {
            "report": r,
            "date": report_date(r),
            "title": found.titles.get(r.article) or r.article,
            "url": http_url(r.url),
            "dir": text_dir(r.language),
        }

    return render(
        request,
        "claim.html",
        p=p,
        detail=found,
        months=months,
        grid=grid,
        stances=STANCES,
        evidence=[row(r) for r in found.reports],
        aside=[row(r) for r in found.aside],
        camp_labels=camp_labels(request),
        colors=camp_colors(ctx.watch.camps, [c.camp for c in p.camps]),
        window=query({"since": since, "until": until}),
        form={"since": since or "", "until": until or ""},
    )
