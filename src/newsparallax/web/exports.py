"""Exports of API lists as CSV or JSON Lines, streamed row by row, or as one Parquet file.

CSV cells hold lists joined with ``"; "`` and objects as JSON; a cell that a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or CR) gets a leading ``'``.
Parquet keeps numbers, booleans and lists of scalars typed and writes objects as JSON text; it
needs ``pyarrow`` (the ``parquet`` extra): without it a Parquet export is a ``406`` saying so.
A Parquet file is written whole (its footer indexes the row groups), so it is built in memory.
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

ExportFormat = Literal["json", "csv", "jsonl", "parquet"]
PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": PARQUET_MEDIA_TYPE,
}
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
            PARQUET_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "A page of JSON, or with `format=csv|jsonl|parquet` every matching row.",
    },
    406: {"description": "`format=parquet` on a server without pyarrow (the parquet extra)."},
}
PARQUET_MISSING = (
    "Parquet exports need pyarrow, which this server lacks: install the parquet extra"
    " (pip install 'newsparallax[parquet]'), or use format=csv or jsonl"
)
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


def _pyarrow(name: str = "pyarrow") -> Any:
    return importlib.import_module(name)  # untyped: imported by name


def _parquet_values(values: list[Any]) -> Any:
    """One column as a pyarrow array: typed when pyarrow can infer one type, else text."""
    pa = _pyarrow()

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        if isinstance(value, list | tuple):
            if all(v is None or isinstance(v, str | int | float | bool) for v in value):
                return list(value)
            return json.dumps(value, ensure_ascii=False)
        return value

    def text(value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False, default=str)

    cells = [plain(v) for v in values]
    try:
        return pa.array(cells)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types: every cell as text
        return pa.array([text(v) for v in cells], type=pa.string())


def parquet_bytes(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    """``rows`` (their ``columns``, in order) as the bytes of one Parquet file."""
    pa, pq = _pyarrow(), _pyarrow("pyarrow.parquet")
    table = pa.table({c: _parquet_values([r.get(c) for r in rows]) for c in columns})
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


async def parquet_body(
    rows: AsyncIterator[dict[str, Any]], columns: list[str]
) -> AsyncIterator[bytes]:
    collected = [row async for row in rows]
    yield await run_in_threadpool(parquet_bytes, collected, columns)


def check_export_format(fmt: str) -> None:
    """A ``406`` :class:`FilterError` for ``parquet`` when pyarrow is not installed."""
    if fmt == "parquet" and not parquet_available():
        from .filters import FilterError

        raise FilterError("format", PARQUET_MISSING, status=406)


def export_response(
    rows: AsyncIterator[dict[str, Any]], *, fmt: str, columns: list[str], name: str
) -> StreamingResponse:
    """``rows`` as a ``csv`` or ``jsonl`` stream, or a ``parquet`` file, with a download name."""
    check_export_format(fmt)
    body: AsyncIterator[str] | AsyncIterator[bytes]
    if fmt == "parquet":
        body = parquet_body(rows, columns)
    elif fmt == "csv":
        body = csv_lines(rows, columns)
    else:
        body = jsonl_lines(rows)
    return StreamingResponse(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


async def listed(rows: list[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
    """An already computed list as the rows of an export."""
    for row in rows:
        yield row
