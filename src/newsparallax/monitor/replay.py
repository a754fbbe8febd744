"""Serve a folder or WARC archives over HTTP on localhost, as if they were the outlets.

``parallax replay-server DIR|WARC [--port N]`` lets the whole live path (feeds, robots.txt,
pages) run without the internet:

* **a folder** is served as a web site; a sub-folder named like a host (``DIR/www.bbc.co.uk/``)
  serves that host (by the request's ``Host`` header, or as the first path segment); a missing
  ``x`` with an ``x.gz`` beside it is served gzip-encoded; ETag and Last-Modified make
  conditional GETs answer ``304``; a path may not leave the folder.
* **WARC files** (one, or a folder of them such as the monitor's own archive) are indexed by
  target URI; a request is matched by ``Host`` + path (the original scheme may come in
  ``X-Parallax-Scheme``), by an absolute request target, or by its path alone when that is
  unambiguous. The latest successful capture of a URL wins. ``GET /`` with no match lists what
  is archived.

Point the monitor at it with ``PARALLAX_FETCH_VIA=http://127.0.0.1:PORT`` (or ``parallax watch
--via``): every request then goes to the replay server with its original URL, so article ids and
outlets are those of the real sites.

Every request is logged in :attr:`ReplayServer.log` (time, host, path, headers): the tests use it
to check politeness server-side. ``hook`` may answer a request itself (tests: 429, redirects).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import mimetypes
import os
import posixpath
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = ["ReplayServer", "Reply", "RequestLog"]

_WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_HOP = {"transfer-encoding", "connection", "content-length", "keep-alive", "content-encoding"}
_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".json": "application/json",
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
}


@dataclass(frozen=True, slots=True)
class RequestLog:
    at: float
    """``time.monotonic()`` when the request arrived."""
    host: str
    path: str
    headers: dict[str, str]


@dataclass(slots=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Hook = Callable[[str, str, dict[str, str]], Reply | None]


class ReplayServer:
    """A threaded HTTP server replaying ``source`` (a folder, a WARC file or a folder of WARCs)."""

    def __init__(
        self,
        source: str | Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        hook: Hook | None = None,
    ) -> None:
        self.source = Path(source)
        if not self.source.exists():
            raise FileNotFoundError(f"nothing to replay at {self.source}")
        self.hook = hook
        self.log: list[RequestLog] = []
        self._lock = threading.Lock()
        self.warcs = _warc_files(self.source)
        self.index: dict[str, tuple[Path, int, int]] = {}
        if self.warcs:
            self._index_warcs()
        self.httpd = ThreadingHTTPServer((host, port), _handler(self))
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def start(self) -> ReplayServer:
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- answering ---------------------------------------------------------------------------

    def answer(self, target: str, headers: dict[str, str]) -> Reply:
        host = headers.get("host", "")
        path = target
        if target.startswith(("http://", "https://")):  # absolute-form, as a proxy gets it
            parts = urlsplit(target)
            host = parts.netloc
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        with self._lock:
            self.log.append(RequestLog(time.monotonic(), host, path, dict(headers)))
        if self.hook is not None:
            reply = self.hook(host, path, headers)
            if reply is not None:
                return reply
        if self.warcs:
            return self._from_warc(host, path, headers)
        return self._from_folder(host, path, headers)

    def _from_folder(self, host: str, path: str, headers: dict[str, str]) -> Reply:
        clean = posixpath.normpath(unquote(path.split("?", 1)[0]))
        parts = [p for p in clean.split("/") if p]
        if any(p in ("..", ".") for p in parts):
            return Reply(403, b"forbidden\n")
        root = self.source
        hostname = host.split(":")[0].lower()
        if hostname and (root / hostname).is_dir():
            root = root / hostname
        elif parts and "." in parts[0] and (root / parts[0]).is_dir():
            root, parts = root / parts[0], parts[1:]
        file = root.joinpath(*parts) if parts else root
        if file.is_dir():
            file = file / "index.html"
        gz = file.with_name(file.name + ".gz")
        if not file.is_file() and gz.is_file():
            data = gz.read_bytes()
            ctype = _content_type(file.name, gzip.decompress(data)[:512])
            reply_headers = {"Content-Type": ctype}
            if "gzip" in headers.get("accept-encoding", ""):
                reply_headers["Content-Encoding"] = "gzip"
            else:
                data = gzip.decompress(data)
            return _conditional(data, gz.stat().st_mtime, reply_headers, headers)
        if not file.is_file():
            return Reply(404, b"not found\n", {"Content-Type": "text/plain"})
        data = file.read_bytes()
        headers_out = {"Content-Type": _content_type(file.name, data[:512])}
        return _conditional(data, file.stat().st_mtime, headers_out, headers)

    def _index_warcs(self) -> None:
        from warcio.archiveiterator import ArchiveIterator

        best: dict[str, tuple[bool, Path, int, int]] = {}
        for path in self.warcs:
            with path.open("rb") as fh:
                it = ArchiveIterator(fh)
                try:
                    for record in it:
                        if record.rec_type != "response" or record.http_headers is None:
                            continue
                        url = record.rec_headers.get_header("WARC-Target-URI") or ""
                        status = int(record.http_headers.get_statuscode() or 0)
                        if status == 304:
                            continue
                        good = 200 <= status < 400
                        offset = it.get_record_offset()
                        record.content_stream().read()
                        length = it.get_record_length()
                        if good or not best.get(url, (False,))[0]:
                            best[url] = (good, path, offset, length)
                except Exception:  # a truncated last record (a killed writer) ends the file
                    continue
        self.index = {url: (p, off, ln) for url, (_good, p, off, ln) in best.items()}

    def _from_warc(self, host: str, path: str, headers: dict[str, str]) -> Reply:
        scheme = headers.get("x-parallax-scheme", "")
        candidates = [f"{s}://{host}{path}" for s in ([scheme] if scheme else ["https", "http"])]
        found = next((self.index[c] for c in candidates if c in self.index), None)
        if found is None:
            segments = path.lstrip("/").split("/", 1)
            if "." in segments[0]:  # /<host>/<path>
                rest = "/" + (segments[1] if len(segments) > 1 else "")
                for s in ("https", "http"):
                    found = found or self.index.get(f"{s}://{segments[0]}{rest}")
        if found is None:
            same_path = [v for u, v in self.index.items() if _path_of(u) == path]
            if len(same_path) == 1:
                found = same_path[0]
        if found is None:
            if path == "/":
                return _listing(self.index)
            return Reply(404, b"not archived\n", {"Content-Type": "text/plain"})
        return self._record_reply(found, headers)

    def _record_reply(self, where: tuple[Path, int, int], headers: dict[str, str]) -> Reply:
        from warcio.archiveiterator import ArchiveIterator

        path, offset, _length = where
        with path.open("rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
            status = int(record.http_headers.get_statuscode() or 200)
            body = record.content_stream().read()
            out = {
                k: v
                for k, v in record.http_headers.headers
                if k.lower() not in _HOP and not k.lower().startswith("x-parallax-original")
            }
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        out.setdefault("ETag", etag)
        if status == 200 and headers.get("if-none-match") == out["ETag"]:
            return Reply(304, b"", {"ETag": out["ETag"]})
        return Reply(status, body, out)


def _warc_files(source: Path) -> list[Path]:
    if source.is_file():
        return [source] if source.name.lower().endswith(_WARC_SUFFIXES) else []
    files = [p for p in sorted(source.iterdir()) if p.is_file()]
    warcs = [p for p in files if p.name.lower().endswith(_WARC_SUFFIXES)]
    return warcs if warcs and len(warcs) == len(files) else []


def _content_type(name: str, head: bytes) -> str:
    suffix = os.path.splitext(name)[1].lower()
    if suffix == ".json" and b"jsonfeed.org" in head:
        return "application/feed+json"
    return _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _conditional(data: bytes, mtime: float, out: dict[str, str], headers: dict[str, str]) -> Reply:
    etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
    modified = formatdate(int(mtime), usegmt=True)
    out = {**out, "ETag": etag, "Last-Modified": modified}
    if headers.get("if-none-match") == etag:
        return Reply(304, b"", {"ETag": etag, "Last-Modified": modified})
    since = headers.get("if-modified-since")
    if since and "if-none-match" not in headers:
        try:
            if int(mtime) <= parsedate_to_datetime(since).timestamp():
                return Reply(304, b"", {"ETag": etag, "Last-Modified": modified})
        except (TypeError, ValueError):
            pass
    return Reply(200, data, out)


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _listing(index: dict[str, Any]) -> Reply:
    rows = "\n".join(
        f'<li><a href="/{html.escape(urlsplit(u).netloc + _path_of(u))}">{html.escape(u)}</a></li>'
        for u in sorted(index)
    )
    body = f"<!doctype html><title>Parallax replay</title><ul>\n{rows}\n</ul>\n".encode()
    return Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})


def _handler(server: ReplayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "ParallaxReplay/0.1"

        def do_GET(self) -> None:
            self._serve(head=False)

        def do_HEAD(self) -> None:
            self._serve(head=True)

        def _serve(self, *, head: bool) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                reply = server.answer(self.path, headers)
            except Exception as err:  # a replay bug answers 500, never kills the server
                reply = Reply(500, f"replay error: {err}\n".encode())
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.status != 304:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if not head and reply.status != 304:
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
