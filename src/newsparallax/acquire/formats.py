"""Input formats: recognise one input by its content (gzip looked through, ``WARC/``, JSON
Lines, HTML) and read it as a stream into docs and problems.

:func:`read_stream` is the one reader behind files, standard input and fsspec files. Memory
stays bounded by the page limit whatever the input: JSON Lines are read line by line with a
length limit, gzip is inflated as it goes, a page over the limit is refused. JSON Lines records
follow the demo corpus schema (``id, url, outlet, domain, language, published, date_precision,
title, summary, text, collection, license``) and may carry raw ``html`` instead of ``text``;
common alternative names (``link``, ``content``, ``body``, ``date``, ``headline``) are accepted.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterator
from typing import IO, Any

from .. import safejson
from ..annotate.pipeline import Doc
from ..errors import InputError, InputProblem
from .decoding import looks_binary

Item = Doc | InputProblem

_GZIP_MAGIC = b"\x1f\x8b"
_HEAD_BYTES = 4096  # read to recognise a format
_CHUNK = 1 << 20  # read at a time
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
SKIP_NAMES = frozenset({".DS_Store", "Thumbs.db"})
"""File names a folder listing passes over."""
_CANONICAL = re.compile(
    rb"""<link[^>]+rel=["']?canonical["']?[^>]*>|<meta[^>]+property=["']og:url["'][^>]*>""", re.I
)
_HREF = re.compile(rb"""(?:href|content)=["']([^"']+)["']""", re.I)
# C0 control characters other than tab and newlines (NUL and the like, seen in real exports)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ALIASES: dict[str, tuple[str, ...]] = {
    "url": ("url", "link", "canonical_url"),
    "title": ("title", "headline"),
    "text": ("text", "content", "body", "articleBody"),
    "summary": ("summary", "description", "lead"),
    "published": ("published", "date", "datePublished", "published_at", "pubDate"),
}
_META_FIELDS = ("id", "outlet", "domain", "language", "date_precision", "collection", "license")


def read_stream(name: str, fh: IO[bytes], *, max_bytes: int) -> Iterator[Item]:
    """Docs and problems of one input read from ``fh`` — a file, standard input or an fsspec
    file — recognised by its content. It is read as it goes, never whole: memory stays
    bounded by ``max_bytes`` (a page, a JSON Lines line) whatever the input's size, also for a
    gzip bomb."""
    try:
        head, fh = _peek(fh)
        kind = _sniff(head, name)
        if kind == "warc":
            from .warc import read_warc

            yield from read_warc(name, fh, max_bytes=max_bytes)
            return
        gz = head.startswith(_GZIP_MAGIC)
        body: IO[bytes] = fh
        if gz:  # a GzipFile is an IO[bytes]
            body = gzip.GzipFile(fileobj=fh, mode="rb")  # type: ignore[assignment]
        if kind == "jsonl":
            yield from _read_jsonl(name, body, max_bytes=max_bytes)
        elif kind == "html":
            yield _read_page(
                name, body, gz=gz, size=None if gz else _stream_size(fh), max_bytes=max_bytes
            )
        elif kind == "empty":
            raise InputError("empty", "the input is empty")
        elif kind == "binary":
            raise InputError("binary", "the content is binary, not text or HTML")
        else:
            raise InputError("unsupported", "not JSON Lines, HTML or WARC")
    except InputError as err:
        yield InputProblem(input=name, code=err.code, reason=err.reason)
    except EOFError:
        yield InputProblem(
            input=name, code="truncated-gzip", reason="the gzip stream ends before its end marker"
        )
    except (gzip.BadGzipFile, zlib.error) as err:
        yield InputProblem(input=name, code="bad-gzip", reason=f"not a valid gzip stream: {err}")
    except OSError as err:
        yield InputProblem(input=name, code="unreadable", reason=f"{type(err).__name__}: {err}")


def _read_page(name: str, body: IO[bytes], *, gz: bool, size: int | None, max_bytes: int) -> Doc:
    if size is not None and size > max_bytes:  # known without reading it
        raise InputError("too-large", _too_large(size, max_bytes))
    data = _read_up_to(body, max_bytes + 1)
    if len(data) > max_bytes:
        if gz:
            raise InputError("too-large", f"decompresses to more than {max_bytes / 1e6:.1f} MB")
        raise InputError("too-large", f"page is over the {max_bytes / 1e6:.1f} MB limit")
    if not data.strip():
        raise InputError("empty", "the file is empty")
    return Doc(source=name, html=data, url=_canonical_link(data))


def _peek(fh: IO[bytes]) -> tuple[bytes, IO[bytes]]:
    """The first bytes of ``fh`` (to recognise the format) and a stream that still starts at
    them: ``fh`` itself, rewound, when it can seek; else (a pipe) those bytes, then the rest."""
    if _seekable(fh):
        start = fh.tell()
        head = _read_up_to(fh, _HEAD_BYTES)
        fh.seek(start)
        return head, fh
    head = _read_up_to(fh, _HEAD_BYTES)
    return head, io.BufferedReader(_Prefixed(head, fh))


def _seekable(fh: IO[bytes]) -> bool:
    try:
        return bool(fh.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _stream_size(fh: IO[bytes]) -> int | None:
    """Bytes from the current position to the end, if the stream can tell without reading."""
    if not _seekable(fh):
        return None
    try:
        here = fh.tell()
        end = fh.seek(0, io.SEEK_END)
        fh.seek(here)
    except (OSError, ValueError):
        return None
    return end - here


def _read_up_to(fh: IO[bytes], n: int) -> bytes:
    """Up to ``n`` bytes of ``fh``: fewer only at its end (a pipe may give less per read)."""
    parts: list[bytes] = []
    left = n
    while left > 0:
        chunk = fh.read(min(left, _CHUNK))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


class _Prefixed(io.RawIOBase):
    """``head``, then the rest of ``fh``: a pipe whose first bytes were read to sniff it."""

    def __init__(self, head: bytes, fh: IO[bytes]) -> None:
        self._head = head
        self._fh = fh

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._fh.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _sniff(head: bytes, name: str) -> str:
    lower = name.lower().removesuffix(".gz")
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 2048)
        except zlib.error:  # a damaged start: the name may still tell (a WARC.gz resumes)
            return "warc" if lower.endswith((".warc", ".arc")) else "binary"
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        return "empty"
    if body.startswith(b"WARC/") or lower.endswith((".warc", ".arc")):
        return "warc"
    if body.startswith(b"{") or lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if looks_binary(body):
        return "binary"
    if body.startswith(b"<") or lower.endswith(_HTML_SUFFIXES) or b"<html" in body.lower():
        return "html"
    return "unknown"


def _too_large(size: int, limit: int) -> str:
    return f"page is {size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB limit"


def _read_jsonl(name: str, fh: IO[bytes], *, max_bytes: int) -> Iterator[Item]:
    """One doc or problem per non-blank line; a line over ``max_bytes`` is a too-large problem
    (never held in memory) and reading goes on after it."""
    lineno = 0
    try:
        for lineno, line in enumerate(_lines(fh, max_bytes), 1):
            if isinstance(line, int):
                yield InputProblem(
                    input=f"{name}:{lineno}",
                    code="too-large",
                    reason=f"record is {line / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB"
                    " limit",
                )
            elif line.strip():
                yield _record_to_doc(f"{name}:{lineno}", line)
    except EOFError:
        yield InputProblem(
            input=name,
            code="truncated-gzip",
            reason=f"the gzip stream ends after line {lineno}; the records before it were kept",
        )
    except gzip.BadGzipFile as err:
        yield InputProblem(input=name, code="bad-gzip", reason=str(err))
    except (OSError, zlib.error) as err:
        yield InputProblem(
            input=name,
            code="truncated-gzip" if lineno else "unreadable",
            reason=f"reading stopped after line {lineno}: {err}",
        )


def _lines(fh: IO[bytes], limit: int) -> Iterator[bytes | int]:
    """The lines of ``fh`` (with their newline), read in chunks; a line of more than ``limit``
    bytes (its newline not counted) is skipped and given as its size instead, so memory holds
    at most one line within the limit and one chunk."""
    # read1: what is there now, so the lines before a truncated gzip stream's break are given
    read = getattr(fh, "read1", fh.read)
    parts: list[bytes] = []
    size = 0  # bytes of the current line so far, its newline included
    over = False
    while chunk := read(_CHUNK):
        start = 0
        while start < len(chunk):
            newline = chunk.find(b"\n", start)
            end = len(chunk) if newline < 0 else newline + 1
            size += end - start
            if not over:
                parts.append(chunk[start:end])
                if size - (newline >= 0) > limit:
                    over, parts = True, []
            start = end
            if newline >= 0:
                yield size - 1 if over else b"".join(parts)
                parts, size, over = [], 0, False
    if size:
        yield size if over else b"".join(parts)


def _record_to_doc(source: str, raw: bytes) -> Item:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        return InputProblem(input=source, code="bad-encoding", reason=f"line is not UTF-8: {err}")
    try:
        record = safejson.loads(line)
    except safejson.JSONError as err:
        return InputProblem(input=source, code="bad-json", reason=str(err))
    if not isinstance(record, dict):
        return InputProblem(input=source, code="bad-json", reason="line is not a JSON object")
    values: dict[str, str | None] = {}
    for key, names in _ALIASES.items():
        value = next((record[n] for n in names if record.get(n) not in (None, "")), None)
        if value is not None and not isinstance(value, str | int | float):
            return InputProblem(
                input=source, code="bad-record", reason=f"field {key!r} is not text"
            )
        values[key] = str(value) if value is not None else None
    html = record.get("html")
    if html is not None and not isinstance(html, str):
        return InputProblem(input=source, code="bad-record", reason="field 'html' is not text")
    if not (values["title"] or values["text"] or values["summary"] or html):
        return InputProblem(input=source, code="empty", reason="record has no title and no text")
    meta = {k: record[k] for k in _META_FIELDS if record.get(k) not in (None, "")}
    return Doc(
        source=source,
        url=values["url"],
        html=html,
        title=_clean(values["title"]),
        text=_CONTROL_CHARS.sub("", values["text"] or "").strip(),
        summary=_clean(values["summary"]),
        published_raw=values["published"],
        meta=meta,
    )


def _clean(value: str | None) -> str:
    return " ".join(_CONTROL_CHARS.sub("", value).split()) if value else ""


def _canonical_link(html: bytes) -> str | None:
    """The page's own URL from ``<link rel=canonical>`` or ``og:url``, if absolute."""
    for tag in _CANONICAL.findall(html[:200_000]):
        m = _HREF.search(tag)
        if m:
            url = m.group(1).decode("utf-8", "replace").strip()
            if url.startswith(("http://", "https://")):
                return url
    return None
