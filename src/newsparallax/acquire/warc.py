"""WARC / WARC.gz reading with warcio: HTML responses (and resources) become docs.

Each kept record becomes a :class:`~newsparallax.annotate.pipeline.Doc` with the target URI as its
URL, the payload as its HTML, the charset from the HTTP ``Content-Type`` and the capture time in
``meta["fetched"]`` (a publication date after it is impossible). Non-HTML records, redirects and
errors are skipped silently. A WARC.gz (one gzip member per record) is inflated member by member,
each only up to the page limit: a member that does not inflate is a ``bad-warc`` problem and
reading resumes at the next member that starts a WARC record. In an uncompressed WARC, and at a
truncated last record, a corrupt record ends the file with a ``bad-warc`` problem, keeping
everything read before it.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from ..annotate.pipeline import Doc
from ..errors import InputProblem

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_MEMBER_MAGIC = b"\x1f\x8b\x08"  # gzip, deflate: the start of a gzip member
_CHUNK = 1 << 16  # read at a time (what follows a member is copied once per member)
_PROBE_BYTES = 4096  # inflated to check that a gzip member starts a record
_HEADROOM = 1 << 20  # inflated beyond the page limit for a record's WARC and HTTP headers


def read_warc(
    name: str, source: Path | IO[bytes], *, max_bytes: int
) -> Iterator[Doc | InputProblem]:
    fh: IO[bytes] = source.open("rb") if isinstance(source, Path) else source
    try:
        if _head(fh, len(_MEMBER_MAGIC)) == _MEMBER_MAGIC:
            yield from _read_members(name, fh, max_bytes=max_bytes)
        else:
            yield from _read_plain(name, fh, max_bytes=max_bytes)
    finally:
        if isinstance(source, Path):
            fh.close()


def _read_members(name: str, fh: IO[bytes], *, max_bytes: int) -> Iterator[Doc | InputProblem]:
    """A WARC.gz, one gzip member (one record) at a time: a member that does not inflate is a
    problem, and reading resumes at the next member that starts a WARC record."""
    from warcio.archiveiterator import ArchiveIterator

    members = _Members(fh)
    kept = 0
    while True:
        offset = members.offset
        where = f"{name}#{offset}"
        try:
            member = members.next(max_bytes + _HEADROOM)
        except (_BadMember, EOFError) as err:
            # EOFError: the file ends inside the member: truncated, or damaged and run on
            truncated = isinstance(err, EOFError)
            resume = members.resync(offset + 1)
            if resume is None:
                what = "record is truncated" if truncated else f"record is corrupt ({err})"
                yield InputProblem(
                    input=where,
                    code="bad-warc",
                    reason=f"{what}; the {kept} record(s) before it were kept",
                )
                return
            what = (
                "record is corrupt (it does not end)" if truncated else f"record is corrupt ({err})"
            )
            yield InputProblem(
                input=where,
                code="bad-warc",
                reason=f"{what}; skipped {resume - offset} bytes to the next record at {resume}",
            )
            continue
        if member is None:
            return
        data, cut = member
        try:
            for record in ArchiveIterator(io.BytesIO(data), arc2warc=True):
                item = _record_item(record, where.__str__, max_bytes=max_bytes)
                if isinstance(item, _Truncated):
                    item = _truncated_in_member(where, cut=cut, max_bytes=max_bytes)
                if item is not None:
                    kept += isinstance(item, Doc)
                    yield item
        except Exception as err:  # warcio raises many types on corrupt input
            yield InputProblem(
                input=where,
                code="bad-warc",
                reason=f"record cannot be read: {type(err).__name__}: {err}",
            )


def _truncated_in_member(where: str, *, cut: bool, max_bytes: int) -> InputProblem:
    if cut:  # inflated only up to the limit: the record is larger
        return InputProblem(
            input=where,
            code="too-large",
            reason=f"record is over the {max_bytes / 1e6:.1f} MB limit",
        )
    return InputProblem(
        input=where, code="bad-warc", reason="record is shorter than its Content-Length"
    )


def _read_plain(name: str, fh: IO[bytes], *, max_bytes: int) -> Iterator[Doc | InputProblem]:
    """An uncompressed WARC (or ARC) file: a corrupt or truncated record ends it."""
    from warcio.archiveiterator import ArchiveIterator

    size = _size(fh)
    kept = 0
    end = 0
    try:
        iterator = ArchiveIterator(fh, arc2warc=True)
        for record in iterator:
            item = _record_item(
                record, lambda: f"{name}#{iterator.get_record_offset()}", max_bytes=max_bytes
            )
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


class _BadMember(Exception):
    """Bytes that should start a gzip member do not inflate."""


class _Members:
    """The gzip members of a WARC.gz in order, inflated one at a time from a stream (a file or
    a pipe) read in chunks: memory holds one chunk and one member up to a limit."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.seekable = _seekable(fh)
        self.offset = fh.tell() if self.seekable else 0  # where the next member starts
        self.buf = b""  # bytes from ``offset`` on, read but not inflated yet

    def next(self, limit: int) -> tuple[bytes, bool] | None:
        """The next member inflated, at most ``limit`` bytes of it, and whether it was cut
        there; ``None`` at the end. Raises :class:`_BadMember`, or :class:`EOFError` when the
        file ends inside the member."""
        if not self._at_member():
            return None
        inflater = zlib.decompressobj(wbits=31)
        parts: list[bytes] = []
        room, cut, limited = limit, False, False
        data, self.buf = self.buf, b""
        used = 0
        while not inflater.eof:
            if not data and not limited:  # (limited: output may be pending without input)
                data = self.fh.read(_CHUNK)
                if not data:
                    raise EOFError
            step = room if room > 0 else _CHUNK
            try:
                out = inflater.decompress(data, step)
            except zlib.error as err:  # (a pipe resynchronises from here on)
                self.buf, self.offset = data, self.offset + used
                raise _BadMember(str(err)) from None
            limited = len(out) == step
            if room > 0:
                parts.append(out)
                room -= len(out)
            elif out:
                cut = True  # past the limit: inflated only to find the member's end
            rest = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
            used += len(data) - len(rest)
            data = rest
        self.buf = data
        self.offset += used
        return b"".join(parts), cut

    def _at_member(self) -> bool:
        """Whether a member starts at ``offset``: ``False`` at the end of the file (line ends
        after the last member are tolerated), else :class:`_BadMember` for other bytes."""
        while True:
            stripped = self.buf.lstrip(b"\r\n")
            self.offset += len(self.buf) - len(stripped)
            self.buf = stripped
            if len(self.buf) >= len(_MEMBER_MAGIC) or not self._read():
                break
        if not self.buf:
            return False
        if self.buf.startswith(_MEMBER_MAGIC):
            return True
        raise _BadMember("not the start of a gzip member")

    def _read(self) -> bool:
        chunk = self.fh.read(_CHUNK)
        self.buf += chunk
        return bool(chunk)

    def resync(self, start: int) -> int | None:
        """Move to the first member at or after ``start`` that inflates to a WARC record and
        return its offset, ``None`` when there is none. A pipe cannot go back: there the
        search starts where inflating failed."""
        if self.seekable:
            self.fh.seek(start)
            self.offset, self.buf = start, b""
        pos = 0
        while True:
            found = self.buf.find(_MEMBER_MAGIC, pos)
            if found < 0:  # keep only what may begin a magic number across two chunks
                keep = len(_MEMBER_MAGIC) - 1
                self.offset += max(0, len(self.buf) - keep)
                self.buf, pos = self.buf[-keep:], 0
                if not self._read():
                    return None
                continue
            while len(self.buf) - found < _PROBE_BYTES and self._read():
                pass
            if self.offset + found >= start and _starts_record(
                self.buf[found : found + _PROBE_BYTES]
            ):
                self.offset += found
                self.buf = self.buf[found:]
                return self.offset
            pos = found + 1


def _starts_record(raw: bytes) -> bool:
    """Whether ``raw`` starts a gzip member that inflates to a WARC (or ARC) record."""
    try:
        head = zlib.decompressobj(wbits=31).decompress(raw, 64)
    except zlib.error:
        return False
    return head.lstrip(b"\r\n").startswith((b"WARC/", b"filedesc://"))


def _seekable(fh: IO[bytes]) -> bool:
    try:
        return bool(fh.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _head(fh: IO[bytes], n: int) -> bytes:
    """The first ``n`` bytes of ``fh``, left to be read again."""
    if _seekable(fh):
        here = fh.tell()
        head = fh.read(n)
        fh.seek(here)
        return head
    peek = getattr(fh, "peek", None)
    return peek(n)[:n] if peek is not None else b""


class _Truncated:
    def __init__(self, where: str) -> None:
        self.where = where


def _record_item(
    record: Any, where: Callable[[], str], *, max_bytes: int
) -> Doc | InputProblem | _Truncated | None:
    """The doc or problem for one record, ``None`` for records that are not pages. ``where``
    names the record (asked once its payload is read: warcio finds offsets by reading on)."""
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
    source = where()
    if len(payload) > max_bytes:
        return InputProblem(
            input=source,
            code="too-large",
            reason=f"record payload is over the {max_bytes / 1e6:.1f} MB limit",
        )
    if getattr(record.raw_stream, "limit", 0) > 0:
        return _Truncated(source)
    if not payload.strip():
        return InputProblem(input=source, code="empty", reason="record has an empty payload")
    meta: dict[str, object] = {"fetched": record.rec_headers.get_header("WARC-Date")}
    if charset := _CHARSET.search(content_type):
        meta["charset"] = charset.group(1)
    return Doc(
        source=source,
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
