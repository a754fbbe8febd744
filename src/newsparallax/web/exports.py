"""Exports of API lists as CSV or JSON Lines, streamed row by row.

CSV cells hold lists joined with ``"; "`` and objects as JSON; a cell that a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or CR) gets a leading ``'``.
Parquet is offered only when ``pyarrow`` is installed (it is not a dependency).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

Fetch = Callable[[str | None], tuple[list[dict[str, Any]], str | None]]
"""One page of rows from a cursor, and the next cursor (run in a worker thread)."""

ExportFormat = Literal["json", "csv", "jsonl"]
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
        "description": "A page of JSON, or with `format=csv|jsonl` every matching row.",
    }
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def parquet_available() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        text = "; ".join(
            json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else str(v)
            for v in value
        )
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


async def paged_rows(
    fetch: Fetch, *, cursor: str | None, limit: int | None
) -> AsyncIterator[dict[str, Any]]:
    """Every row from ``cursor`` on, page by page; each page is read in a worker thread (which
    uses that thread's own store connection)."""
    sent = 0
    while True:
        rows, cursor = await run_in_threadpool(fetch, cursor)
        for row in rows:
            if limit is not None and sent >= limit:
                return
            yield row
            sent += 1
        if cursor is None:
            return


async def csv_lines(rows: AsyncIterator[dict[str, Any]], columns: list[str]) -> AsyncIterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    async for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


async def jsonl_lines(rows: AsyncIterator[dict[str, Any]]) -> AsyncIterator[str]:
    async for row in rows:
        yield json.dumps(row, ensure_ascii=False, default=str) + "\n"


def export_response(
    rows: AsyncIterator[dict[str, Any]], *, fmt: str, columns: list[str], name: str
) -> StreamingResponse:
    """Stream ``rows`` as ``csv`` or ``jsonl`` with a download file name."""
    body = csv_lines(rows, columns) if fmt == "csv" else jsonl_lines(rows)
    return StreamingResponse(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


async def listed(rows: list[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    """An already computed list as the rows of an export."""
    for row in rows:
        yield row
