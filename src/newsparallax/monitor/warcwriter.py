"""Rotating gzip WARC files of every response the monitor receives (warcio).

Each exchange becomes a ``response`` record (status line, headers, body) followed by the
``request`` record that asked for it. The body is archived *decoded*: a ``Content-Encoding`` the
monitor undid is dropped from the archived headers and ``Content-Length`` is set to the decoded
size, so the record replays and re-extracts as it is (the original header values are kept as
``X-Parallax-Original-…`` headers).

Files are named ``parallax-<UTC time>-<pid>-<n>.warc.gz``; a new file starts when the current one
passes ``max_bytes``, and every process starts its own file, never appending to one a crash may
have cut short. Each record is its own gzip member, flushed as soon as written: a kill loses at
most the record being written, and :mod:`newsparallax.acquire.warc` reads every record before it.
"""

from __future__ import annotations

import io
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from .fetcher import Exchange

__all__ = ["WarcWriter"]

_HOP_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection"}


class WarcWriter:
    """Append exchanges to rotating ``.warc.gz`` files in ``folder``; thread-safe."""

    def __init__(self, folder: str | Path, *, max_bytes: int = 1024**3) -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self._fh: IO[bytes] | None = None
        self._path: Path | None = None
        self._writer: Any = None
        self._serial = 0
        self._lock = threading.Lock()
        self.records = 0

    @property
    def path(self) -> Path | None:
        """The file being written, if any."""
        return self._path

    def close(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()
            self._fh = self._writer = self._path = None

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, exchange: Exchange) -> tuple[str, int]:
        """Archive one exchange; returns ``(file name, offset)`` of its response record."""
        from warcio.statusandheaders import StatusAndHeaders

        with self._lock:
            self._open()
            assert self._fh is not None and self._path is not None
            writer = self._writer
            headers = [(k, v) for k, v in exchange.headers if k.lower() not in _HOP_HEADERS]
            for name, value in exchange.headers:
                if name.lower() in ("content-encoding", "content-length", "transfer-encoding"):
                    headers.append((f"X-Parallax-Original-{name}", value))
            headers.append(("Content-Length", str(len(exchange.body))))
            protocol = "HTTP/1.1" if exchange.http_version != "HTTP/1.0" else "HTTP/1.0"
            status_line = f"{exchange.status} {exchange.reason or 'OK'}"
            http_headers = StatusAndHeaders(status_line, headers, protocol=protocol)
            date = exchange.started.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            warc_headers = {"WARC-Date": date}
            if exchange.ip:
                warc_headers["WARC-IP-Address"] = exchange.ip
            response = writer.create_warc_record(
                exchange.url,
                "response",
                payload=io.BytesIO(exchange.body),
                length=len(exchange.body),
                http_headers=http_headers,
                warc_headers_dict=warc_headers,
            )
            offset = self._fh.tell()
            writer.write_record(response)
            request_headers = StatusAndHeaders(
                f"GET {_path_of(exchange.url)} HTTP/1.1",
                exchange.request_headers,
                protocol="HTTP/1.1",
                is_http_request=True,
            )
            request = writer.create_warc_record(
                exchange.url,
                "request",
                payload=io.BytesIO(b""),
                length=0,
                http_headers=request_headers,
                warc_headers_dict={
                    "WARC-Date": date,
                    "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
                },
            )
            writer.write_record(request)
            self._fh.flush()
            self.records += 1
            name = self._path.name
            if self._fh.tell() >= self.max_bytes:
                self._fh.close()
                self._fh = self._writer = self._path = None
            return name, offset

    def _open(self) -> None:
        if self._fh is not None:
            return
        from warcio.warcwriter import WARCWriter

        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        while True:
            self._serial += 1
            path = self.folder / f"parallax-{stamp}-{os.getpid()}-{self._serial:05d}.warc.gz"
            if not path.exists():
                break
        self._path = path
        self._fh = path.open("xb")
        self._writer = WARCWriter(self._fh, gzip=True)


def _path_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
