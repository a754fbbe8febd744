"""Readers: turn input paths (and standard input) into :class:`~newsparallax.pipeline.Doc` items.

Formats are recognised by content, not only by name: gzip is looked through, ``WARC/`` starts a
WARC file, ``{`` a JSON Lines file, markup an HTML page; a folder is read recursively in name
order. Every problem becomes an :class:`~newsparallax.errors.InputProblem` in the stream, and
reading goes on: a truncated gzip keeps the records before the break, a corrupt WARC record keeps
the records before it, one bad JSON line costs only that line.

JSON Lines records follow the demo corpus schema (``id, url, outlet, domain, language, published,
date_precision, title, summary, text, collection, license``) and may carry raw ``html`` instead of
``text``; common alternative names (``link``, ``content``, ``body``, ``date``, ``headline``) are
accepted.
"""

from __future__ import annotations

import gzip
import io
import logging
import re
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from . import safejson
from .decoding import looks_binary
from .errors import InputError, InputProblem
from .fsio import is_url, list_url, read_url
from .pipeline import Doc

Item = Doc | InputProblem

log = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b"
_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_SKIP_NAMES = {".DS_Store", "Thumbs.db"}
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


def read_inputs(
    paths: Sequence[str], *, stdin: IO[bytes] | None = None, max_bytes: int = 16 * 1024 * 1024
) -> Iterator[Item]:
    """Yield docs and problems for each path; ``-`` reads standard input."""
    for raw in paths:
        if raw == "-":
            data = stdin.read() if stdin is not None else b""
            yield from _guarded("<stdin>", _read_bytes("<stdin>", data, max_bytes=max_bytes))
            continue
        if is_url(raw):  # s3://, gs://, hdfs://, file://, memory://: read through fsspec
            yield from _guarded(raw, read_url(raw, max_bytes=max_bytes))
            continue
        listed = list_input(raw)
        if isinstance(listed, InputProblem):
            yield listed
            continue
        for name, _ in listed:
            yield from _guarded(name, _read_file(Path(name), max_bytes=max_bytes))


def _guarded(name: str, items: Iterator[Item]) -> Iterator[Item]:
    """``items``, ended by an ``internal`` problem for ``name`` should reading it raise
    something unexpected (a bug, or a library failing on a hostile file): one input never
    stops the run."""
    try:
        yield from items
    except Exception as err:
        log.error("reading %s failed", name, exc_info=True)
        yield InputProblem(
            input=name,
            code="internal",
            reason=f"reading stopped on an unexpected error: {type(err).__name__}: {err}",
        )


def list_input(raw: str) -> list[tuple[str, int]] | InputProblem:
    """The files behind one input path or URL as ``(path or URL, bytes)``, in the order
    :func:`read_inputs` reads them (each, read alone, yields the same items), or the problem
    that stops reading it. ``parallax batch`` plans its units of work with this."""
    if is_url(raw):
        return list_url(raw)
    path = Path(raw)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.name not in _SKIP_NAMES)
        if not files:
            return InputProblem(input=str(path), code="empty", reason="folder has no files")
        return [(str(f), _size(f)) for f in files]
    if path.is_file():
        return [(raw, _size(path))]
    return InputProblem(input=raw, code="not-found", reason="no such file or folder")


def _size(path: Path) -> int:
    """Bytes of ``path``; 0 when it cannot be read (reading it then records the problem)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_file(path: Path, *, max_bytes: int) -> Iterator[Item]:
    name = str(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
        kind = _sniff(head, name)
        if kind == "jsonl":
            yield from _read_jsonl(name, lambda: _open_maybe_gzip(path))
            return
        if kind == "warc":
            from .warc import read_warc

            yield from read_warc(name, path, max_bytes=max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes and not head.startswith(_GZIP_MAGIC):
            raise InputError("too-large", _too_large(size, max_bytes))
        data = path.read_bytes()
    except InputError as err:
        yield InputProblem(input=name, code=err.code, reason=err.reason)
        return
    except OSError as err:
        yield InputProblem(input=name, code="unreadable", reason=str(err))
        return
    yield from _read_bytes(name, data, max_bytes=max_bytes)


def _read_bytes(name: str, data: bytes, *, max_bytes: int) -> Iterator[Item]:
    """Dispatch an in-memory input (stdin, a small file) by its content."""
    try:
        if data.startswith(_GZIP_MAGIC):
            data = _gunzip(data, max_bytes=max_bytes)
        kind = _sniff(data[:4096], name)
        if kind == "jsonl":
            yield from _read_jsonl(name, lambda: io.BytesIO(data))
        elif kind == "warc":
            from .warc import read_warc

            yield from read_warc(name, io.BytesIO(data), max_bytes=max_bytes)
        elif kind == "html":
            if len(data) > max_bytes:
                raise InputError("too-large", _too_large(len(data), max_bytes))
            if not data.strip():
                raise InputError("empty", "the file is empty")
            yield Doc(source=name, html=data, url=_canonical_link(data))
        elif kind == "empty":
            raise InputError("empty", "the input is empty")
        elif kind == "binary":
            raise InputError("binary", "the content is binary, not text or HTML")
        else:
            raise InputError("unsupported", "not JSON Lines, HTML or WARC")
    except InputError as err:
        yield InputProblem(input=name, code=err.code, reason=err.reason)


def _sniff(head: bytes, name: str) -> str:
    lower = name.lower().removesuffix(".gz")
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 2048)
        except zlib.error:
            return "binary"
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


def _gunzip(data: bytes, *, max_bytes: int) -> bytes:
    """Decompress gzip with a ceiling, so a decompression bomb is refused, not expanded."""
    decompressor = zlib.decompressobj(wbits=31)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as err:
        raise InputError("bad-gzip", f"not a valid gzip stream: {err}") from err
    if len(out) > max_bytes:
        raise InputError("too-large", f"decompresses to more than {max_bytes / 1e6:.1f} MB")
    if not decompressor.eof:
        raise InputError("truncated-gzip", "the gzip stream ends before its end marker")
    return out


def _too_large(size: int, limit: int) -> str:
    return f"page is {size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB limit"


def _open_maybe_gzip(path: Path) -> IO[bytes]:
    with path.open("rb") as fh:
        magic = fh.read(2)
    if magic == _GZIP_MAGIC:
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]  # GzipFile is an IO[bytes]
    return path.open("rb")


def _read_jsonl(name: str, opener: Any) -> Iterator[Item]:
    lineno = 0
    try:
        with opener() as fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                yield _record_to_doc(f"{name}:{lineno}", raw)
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
