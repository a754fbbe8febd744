"""What the API's routers share: query parameters, page sizes, documented responses, and a list
answered as a JSON page or as an export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import HTTPException, Query, Request

from ..data import PAGE_MAX
from ..exports import ExportFormat, export_response, listed, paged_rows
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
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or wrong bearer token."},
    403: {"description": "Writes are disabled (no PARALLAX_API_TOKEN)."},
}
"""The refusals of every write endpoint (:func:`.deps.require_write`)."""

PageFetch = Callable[[str | None, int], tuple[list[dict[str, Any]], str | None]]
"""``fetch(cursor, size)``: a page of rows from ``cursor`` and the next cursor, read with the
calling thread's store."""


def page_or_export(
    request: Request,
    fetch: PageFetch,
    *,
    cursor: str | None,
    limit: int | None,
    fmt: str,
    columns: list[str],
    name: str,
) -> Any:
    """A JSON page (with ``next_cursor`` and the URL of the next page), or with ``format=csv``,
    ``jsonl`` or ``parquet`` every row from ``cursor`` on (at most ``limit``), read a thousand
    at a time in worker threads; a bad cursor fails before the export starts."""
    size = page_limit(limit, fmt)
    if fmt == "json":
        assert size is not None
        items, next_cursor = fetch(cursor, size)
        return {"items": items, "next_cursor": next_cursor, "next": next_url(request, next_cursor)}
    fetch(cursor, 1)  # a bad cursor fails here

    def pages(position: str | None) -> tuple[list[dict[str, Any]], str | None]:
        return fetch(position, 1000)

    return export_response(
        paged_rows(pages, cursor=cursor, limit=size), fmt=fmt, columns=columns, name=name
    )


def require_built(missing: str | None) -> None:
    """``404`` saying why, when the tables a read needs are missing or their job has not run
    (the answer of an ``insight.*_missing``)."""
    if missing:
        raise HTTPException(404, detail=missing)


def items_or_export(rows: list[dict[str, Any]], *, fmt: str, columns: list[str], name: str) -> Any:
    """A whole list as JSON (``items``), or as a ``csv``, ``jsonl`` or ``parquet`` export."""
    if fmt == "json":
        return {"items": rows}
    return export_response(listed(rows), fmt=fmt, columns=columns, name=name)
