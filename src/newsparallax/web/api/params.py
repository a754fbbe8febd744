"""Query parameters, page sizes and responses that the API's routers share."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request

from ..data import PAGE_MAX
from ..exports import ExportFormat
from ..filters import FilterError

PAGE_DEFAULT, EXPORT_MAX = 50, 1_000_000

Outlet = Annotated[
    str | None, Query(description="Outlet id, domain or name (see /api/v1/outlets).")
]
Camp = Annotated[str | None, Query(description="Camp id (see /api/v1/camps).")]
Language = Annotated[str | None, Query(description="ISO 639-1 code: en, ru, fa…")]
Since = Annotated[str | None, Query(description="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")]
Until = Annotated[str | None, Query(description="Up to and including this date.")]
Cursor = Annotated[str | None, Query(description="`next_cursor` of the previous page.")]
Limit = Annotated[
    int | None,
    Query(
        ge=1, le=EXPORT_MAX, description="Page size (JSON: 1–500, default 50); rows of an export."
    ),
]
Format = Annotated[ExportFormat, Query(description="`json` page, or a `csv`/`jsonl` export.")]


def page_limit(limit: int | None, fmt: str) -> int | None:
    if fmt != "json":
        return limit
    if limit is not None and limit > PAGE_MAX:
        raise FilterError(
            "limit", f"at most {PAGE_MAX} per JSON page; use format=csv or jsonl to export more"
        )
    return limit or PAGE_DEFAULT


def next_url(request: Request, cursor: str | None) -> str | None:
    return str(request.url.include_query_params(cursor=cursor)) if cursor else None


NO_TABLES: dict[int | str, dict[str, Any]] = {
    404: {"description": "The store lacks these tables, or their job has not run."}
}
