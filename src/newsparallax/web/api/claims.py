"""``/claims``: the claim ledger — propositions with each camp's stance — and one proposition
with its evidence (see :mod:`newsparallax.analyze.ledger`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from ...analyze.ledger import UNCONFIRMED_FLOOR, ledger_page
from ...errors import QueryError
from ..data import claim_detail, claim_propositions, claim_query, claim_unconfirmed
from ..deps import conditional, context
from ..exports import EXPORT_RESPONSES
from ..models import ClaimPage, PropositionDetailOut
from .params import Cursor, Format, Limit, Since, Until, page_or_export

router = APIRouter()

CLAIM_COLUMNS = [
    "id", "label", "type", "source", "target", "object", "articles", "reports", "stances",
    "first_seen", "last_seen", "camps",
]  # fmt: skip

State = Annotated[
    str | None,
    Query(description="A state of the pair (country code, or an actor id); with the other one."),
]


@router.get(
    "/claims",
    response_model=ClaimPage,
    responses=EXPORT_RESPONSES,
    dependencies=[Depends(conditional)],
    tags=["claims"],
)
def list_claims(
    request: Request,
    a: State = None,
    b: State = None,
    one_way: Annotated[bool, Query(description="Only a → b (default: both directions).")] = False,
    type: Annotated[str | None, Query(description="Event type (PLOVER), e.g. AID.")] = None,
    since: Since = None,
    until: Until = None,
    min_camps: Annotated[
        int, Query(ge=1, le=100, description="Only propositions told by this many camps.")
    ] = 1,
    cursor: Cursor = None,
    limit: Limit = None,
    format: Format = "json",
) -> Any:
    """The claim ledger: propositions (event type, source → target, object) with each camp's
    stance — articles asserting, relaying (from whom) and denying (by whom) — the first report
    of each camp and stance, and a month by month timeline; most camps first (see `parallax
    claims`). Only events at the confidence threshold; hypothetical and cancelled ones left
    out (`left_out` says how many, and why). With the first page, `unconfirmed`: propositions
    told by two outlets or more in events under the threshold (each at `unconfirmed_floor` or
    more), beyond what counts — counted nowhere, for inspection."""
    ctx = context(request)
    query = claim_query(
        ctx, a=a, b=b, one_way=one_way, type=type, since=since, until=until, min_camps=min_camps
    )
    found, left_out = claim_propositions(ctx, query)

    def fetch(position: str | None, size: int) -> tuple[list[dict[str, Any]], str | None]:
        page = ledger_page(found, left_out, cursor=position, limit=size)
        return [p.as_dict() for p in page.items], page.next_cursor

    out = page_or_export(
        request, fetch, cursor=cursor, limit=limit, fmt=format, columns=CLAIM_COLUMNS,
        name="claims",
    )  # fmt: skip
    if isinstance(out, dict):
        head = ledger_page(found, left_out, cursor=None, limit=1)
        out.update(total=head.total, threshold=head.threshold, left_out=left_out, note=head.note)
        if not cursor:  # with the first page only, as the CLI shows them
            out.update(
                unconfirmed_floor=UNCONFIRMED_FLOOR,
                unconfirmed=[p.as_dict() for p in claim_unconfirmed(ctx, query, found)],
            )
    return out


@router.get(
    "/claims/{proposition_id}",
    response_model=PropositionDetailOut,
    dependencies=[Depends(conditional)],
    tags=["claims"],
    responses={
        404: {"description": "No report in the window supports this proposition."},
        422: {"description": "Not a proposition id, or a bad date."},
    },
)
def get_claim(
    request: Request, proposition_id: str, since: Since = None, until: Until = None
) -> Any:
    """One proposition (`TYPE.SOURCE.TARGET.OBJECT`, e.g. `AID.IRN.RUS.drones`): each camp's
    stance over time, related propositions of the pair, and every evidence sentence (oldest
    first, at most 500) with its article."""
    try:
        found = claim_detail(context(request), proposition_id, since=since, until=until)
    except QueryError as err:
        detail = [{"loc": ["path", "proposition_id"], "msg": str(err), "type": "value_error"}]
        raise HTTPException(422, detail=detail) from err
    if found is None:
        raise HTTPException(404, detail=f"no report supports {proposition_id!r} in this window")
    return found.as_dict()
