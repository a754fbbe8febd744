"""WARC / WARC.gz reading with warcio: HTML responses (and resources) become docs.

Each kept record becomes a :class:`~newsparallax.pipeline.Doc` with the target URI as its URL,
the payload as its HTML, the charset from the HTTP ``Content-Type`` and the capture time in
``meta["fetched"]`` (a publication date after it is impossible). Non-HTML records, redirects and
errors are skipped silently; a corrupt or truncated record ends the file with an ``bad-warc``
problem, keeping everything read before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import InputProblem
from .pipeline import Doc

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def read_warc(
    name: str, source: Path | IO[bytes], *, max_bytes: int
) -> Iterator[Doc | InputProblem]:
    from warcio.archiveiterator import ArchiveIterator

    fh: IO[bytes] = source.open("rb") if isinstance(source, Path) else source
    size = _size(fh)
    kept = 0
    end = 0
    try:
        iterator = ArchiveIterator(fh, arc2warc=True)
        for record in iterator:
            item = _record_item(name, record, iterator, max_bytes=max_bytes)
            if isinstance(item, _Truncated):
                yield InputProblem(
                    input=item.where,
                    code="bad-warc",
                    reason=f"record is truncated; the {kept} record(s) before it were kept",
                )
                return
            # asking for the offset and length reads the record to its end (warcio reads ahead)
            end = iterator.get_record_offset() + iterator.get_record_length()
            if item is not None:
                kept += isinstance(item, Doc)
                yield item
        if size is not None and end < size and _has_data_after(fh, end):
            yield InputProblem(
                input=name,
                code="bad-warc",
                reason=f"{size - end} trailing bytes could not be read (a truncated or corrupt"
                f" record); the {kept} record(s) before were kept",
            )
    except Exception as err:  # warcio raises many types on corrupt input
        yield InputProblem(
            input=name,
            code="bad-warc",
            reason=f"corrupt or truncated WARC after {kept} record(s): {type(err).__name__}: {err}",
        )
    finally:
        if isinstance(source, Path):
            fh.close()


class _Truncated:
    def __init__(self, where: str) -> None:
        self.where = where


def _record_item(
    name: str, record: Any, iterator: Any, *, max_bytes: int
) -> Doc | InputProblem | _Truncated | None:
    """The doc or problem for one record, ``None`` for records that are not pages."""
    if record.rec_type not in ("response", "resource"):
        return None
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if content_type and not content_type.lower().startswith(_HTML_TYPES):
        return None
    payload = record.content_stream().read(max_bytes + 1)
    where = f"{name}#{iterator.get_record_offset()}"
    if len(payload) > max_bytes:
        return InputProblem(
            input=where,
            code="too-large",
            reason=f"record payload is over the {max_bytes / 1e6:.1f} MB limit",
        )
    if getattr(record.raw_stream, "limit", 0) > 0:
        return _Truncated(where)
    if not payload.strip():
        return InputProblem(input=where, code="empty", reason="record has an empty payload")
    meta: dict[str, object] = {"fetched": record.rec_headers.get_header("WARC-Date")}
    if charset := _CHARSET.search(content_type):
        meta["charset"] = charset.group(1)
    return Doc(
        source=where,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        html=payload,
        meta=meta,
    )


def _size(fh: IO[bytes]) -> int | None:
    try:
        here = fh.tell()
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(here)
    except (OSError, ValueError):
        return None
    return size


def _has_data_after(fh: IO[bytes], offset: int) -> bool:
    """Whether anything but record separators follows ``offset``."""
    try:
        fh.seek(offset)
        return bool(fh.read(64).strip(b"\r\n"))
    except (OSError, ValueError):
        return False
