"""A polite, guarded HTTP client for the live monitor (built on httpx).

* **Politeness** — one :class:`HostLimiter` sends one request at a time to each host
  (``host:port``), each starting at least the configured delay (or the robots.txt
  ``Crawl-delay``) after the previous one ended; a ``Retry-After`` from a host holds every request
  to it until then. The monitor caps concurrency over all hosts.
* **Conditional GET** — ``etag`` / ``last_modified`` become ``If-None-Match`` /
  ``If-Modified-Since``; a ``304`` comes back with an empty body.
* **Redirects** are followed by hand, at most ``max_redirects``; every hop is checked again by
  the SSRF guard, by the caller's ``permit`` (robots.txt) and waits its turn at its host.
* **Limits** — a ``Content-Length`` over the limit is refused before reading; the body is read
  raw and decompressed here with a ceiling, so a decompression bomb is refused, not expanded;
  a slow server is cut off after a total deadline; ``accept`` refuses other content types before
  the body is read.
* **SSRF guard** — connections go through a network backend that resolves the host, checks
  every address against the :class:`~newsparallax.monitor.netguard.NetPolicy` and connects to the
  address it checked. ``via`` sends every request to a replay server instead (see
  :mod:`newsparallax.monitor.replay`), keeping the original URL in the ``Host`` header.

Every exchange (redirects included) is returned with its raw headers and decoded body, so the
caller can archive it in a WARC file.
"""

from __future__ import annotations

import email.utils
import threading
import time
import typing
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .. import settings
from .netguard import Blocked, NetPolicy, Unresolvable, check_url

__all__ = [
    "Exchange",
    "FetchConfig",
    "FetchResult",
    "Fetcher",
    "HostLimiter",
    "Refused",
    "TooLarge",
    "gunzip_limited",
    "host_key",
]

#: Codes the guarded network backend puts before a refused connection's reason.
_GUARD_CODES = ("blocked", "unresolvable")
#: Longest wait a ``Retry-After`` or ``Crawl-delay`` can impose (seconds).
MAX_WAIT = 3600.0
MAX_CRAWL_DELAY = 60.0


class TooLarge(Exception):
    """A body is (or decompresses to) more than the limit."""


@dataclass(frozen=True, slots=True)
class FetchConfig:
    user_agent: str
    host_delay: float = 1.0
    timeout: float = 20.0
    max_bytes: int = 32 * 1024 * 1024
    max_redirects: int = 5
    policy: NetPolicy = field(default_factory=NetPolicy)
    via: str | None = None

    @classmethod
    def from_settings(cls, **overrides: typing.Any) -> FetchConfig:
        values: dict[str, typing.Any] = {
            "user_agent": settings.get("user_agent"),
            "host_delay": settings.get_float("host_delay"),
            "timeout": settings.get_float("timeout"),
            "max_bytes": settings.get_int("max_response_bytes"),
            "policy": NetPolicy.parse(settings.get("allow_private_networks")),
            "via": settings.get("fetch_via") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass(slots=True)
class Exchange:
    """One HTTP request and its response, as archived."""

    url: str
    request_headers: list[tuple[str, str]]
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    """Response headers as received (``Content-Encoding`` describes the raw body, not ``body``)."""
    body: bytes
    """The body after content decoding."""
    started: datetime
    ip: str | None = None


@dataclass(slots=True)
class FetchResult:
    url: str
    final_url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    """Final response headers, lower-cased names."""
    body: bytes = b""
    error_code: str | None = None
    """``blocked`` (refused by the SSRF guard), ``robots`` (disallowed by robots.txt),
    ``robots-unavailable``, ``unresolvable`` (DNS), ``too-large``, ``not-html``, ``timeout``,
    ``network``, ``too-many-redirects``, ``bad-encoding``, ``deferred``, ``stopped`` — or
    ``None``."""
    error: str | None = None
    retry_after: float | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_code is None and self.status is not None and 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


def host_key(url: str) -> str:
    """The politeness key of a URL: lower-cased ``host:port``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    default = 443 if parts.scheme == "https" else 80
    return f"{host}:{port or default}"


class HostLimiter:
    """Spaces requests to each host; thread-safe. ``wait`` reserves the next slot and sleeps."""

    def __init__(self, delay: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.delay = delay
        self._clock = clock
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}
        self._host_locks: dict[str, threading.Lock] = {}

    def set_delay(self, host: str, seconds: float) -> None:
        """A host-specific delay (robots.txt ``Crawl-delay``); never below the default."""
        with self._lock:
            self._delays[host] = max(self.delay, min(seconds, MAX_CRAWL_DELAY))

    def delay_for(self, host: str) -> float:
        return self._delays.get(host, self.delay)

    def hold(self, host: str, seconds: float) -> None:
        """No request to ``host`` for ``seconds`` (a ``Retry-After``)."""
        with self._lock:
            until = self._clock() + min(max(seconds, 0.0), MAX_WAIT)
            self._next[host] = max(self._next.get(host, 0.0), until)

    def ready_in(self, host: str) -> float:
        with self._lock:
            return max(0.0, self._next.get(host, 0.0) - self._clock())

    def wait(self, host: str, *, stop: threading.Event | None = None) -> bool:
        """Sleep until ``host`` may be hit; ``False`` if ``stop`` was set meanwhile.

        Prefer :meth:`slot`, which also keeps to one request at a time per host."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, 0.0))
            self._next[host] = slot + self._delays.get(host, self.delay)
        pause = slot - now
        if pause <= 0:
            return True
        if stop is not None:
            return not stop.wait(pause)
        time.sleep(pause)
        return True

    @contextmanager
    def slot(self, host: str, *, stop: threading.Event | None = None) -> Iterator[bool]:
        """One request at a time per host, started at least the delay after the previous one
        *ended* — so the host sees the gap even when connection times vary. Yields ``False``
        (and sends nothing) if ``stop`` was set while waiting."""
        with self._lock:
            lock = self._host_locks.setdefault(host, threading.Lock())
        while not lock.acquire(timeout=0.05):
            if stop is not None and stop.is_set():
                yield False
                return
        try:
            while True:
                with self._lock:
                    pause = self._next.get(host, 0.0) - self._clock()
                if pause <= 0:
                    break
                if stop is not None:
                    if stop.wait(pause):
                        yield False
                        return
                else:
                    time.sleep(pause)
            yield True
        finally:
            with self._lock:
                done = self._clock() + self._delays.get(host, self.delay)
                self._next[host] = max(self._next.get(host, 0.0), done)
            lock.release()


class _GuardedBackend(httpcore.SyncBackend):
    """Resolve, check every address against the policy and connect to the one checked."""

    def __init__(self, policy: NetPolicy) -> None:
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self.policy.resolve(host, port)
        except Blocked as err:
            raise httpcore.ConnectError(f"blocked: {err.reason}") from err
        except Unresolvable as err:
            raise httpcore.ConnectError(f"unresolvable: {err.reason}") from err
        last: Exception | None = None
        for ip in addresses:
            try:
                return super().connect_tcp(ip, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as err:
                last = err
        assert last is not None
        raise last


def _client(config: FetchConfig, *, guarded: bool) -> httpx.Client:
    transport = httpx.HTTPTransport(retries=0)
    if guarded:
        # httpx has no public hook for the network backend: rebuild its pool with ours
        transport._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(config.policy),
        )
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(config.timeout),
        follow_redirects=False,
        trust_env=False,  # a proxy from the environment would bypass the guard
    )


class Fetcher:
    """Fetch URLs politely and safely; share one per monitor (it is thread-safe)."""

    def __init__(self, config: FetchConfig, *, limiter: HostLimiter | None = None) -> None:
        self.config = config
        self.limiter = limiter or HostLimiter(config.host_delay)
        self._client = _client(config, guarded=config.via is None)
        self.requests = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: tuple[str, ...] | None = None,
        permit: Callable[[str], str | None] | None = None,
        stop: threading.Event | None = None,
        max_bytes: int | None = None,
        max_wait: float | None = None,
    ) -> FetchResult:
        """GET ``url`` following redirects; never raises for network or HTTP problems.

        ``accept``: content-type prefixes wanted (others give ``not-html`` without reading the
        body). ``permit(url)`` returns a reason to refuse a hop (robots.txt) or ``None``; it may
        also raise :class:`Blocked`, :class:`~newsparallax.monitor.netguard.Unresolvable` or
        :class:`Refused` (with its own code).
        ``max_wait``: when the host is held longer than this (a ``Retry-After``), give up at once
        with ``deferred`` and the time left in ``retry_after`` instead of blocking a worker.
        """
        started = time.perf_counter()
        result = FetchResult(url=url, final_url=url)
        current = url
        limit = max_bytes or self.config.max_bytes
        try:
            for _hop in range(self.config.max_redirects + 1):
                result.final_url = current
                check_url(current)
                if permit is not None and (reason := permit(current)) is not None:
                    result.error_code, result.error = "robots", reason
                    return result
                held = self.limiter.ready_in(host_key(current))
                if max_wait is not None and held > max_wait:
                    result.error_code = "deferred"
                    result.error = f"host asked for a pause ({held:.0f} s left)"
                    result.retry_after = held
                    return result
                conditional = current == url
                with self.limiter.slot(host_key(current), stop=stop) as go:
                    if not go:
                        result.error_code, result.error = "stopped", "the monitor is stopping"
                        return result
                    exchange, location = self._one(
                        current,
                        etag=etag if conditional else None,
                        last_modified=last_modified if conditional else None,
                        accept=accept,
                        limit=limit,
                        result=result,
                    )
                result.exchanges.append(exchange)
                if location is None:
                    return result
                current = urljoin(current, location)
            result.error_code = "too-many-redirects"
            result.error = f"more than {self.config.max_redirects} redirects"
        except Blocked as err:
            result.error_code, result.error = "blocked", err.reason
        except Unresolvable as err:
            result.error_code, result.error = "unresolvable", err.reason
        except TooLarge as err:
            result.error_code, result.error = "too-large", str(err)
        except httpx.TimeoutException as err:
            result.error_code, result.error = "timeout", f"{type(err).__name__}: {err}"
        except httpx.HTTPError as err:
            text = str(err)
            code = next((c for c in _GUARD_CODES if text.startswith(f"{c}: ")), "network")
            result.error_code, result.error = code, text.removeprefix(f"{code}: ") or repr(err)
        except Refused as err:
            result.error_code, result.error = err.code, err.reason
        finally:
            result.seconds = time.perf_counter() - started
        return result

    def _one(
        self,
        url: str,
        *,
        etag: str | None,
        last_modified: str | None,
        accept: tuple[str, ...] | None,
        limit: int,
        result: FetchResult,
    ) -> tuple[Exchange, str | None]:
        headers = {
            "User-Agent": self.config.user_agent,
            "Accept-Encoding": "gzip, deflate",
            "Accept": "*/*",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        target = url
        if self.config.via:
            parts = urlsplit(url)
            via = self.config.via.rstrip("/")
            target = via + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            headers["Host"] = parts.netloc
            headers["X-Parallax-Scheme"] = parts.scheme
        started = datetime.now(UTC)
        deadline = time.monotonic() + self.config.timeout * 3
        self.requests += 1
        with self._client.stream("GET", target, headers=headers) as response:
            status = response.status_code
            result.status = status
            result.headers = {k.lower(): v for k, v in response.headers.items()}
            result.retry_after = _retry_after(response.headers.get("retry-after"))
            raw_headers = [
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw
            ]
            location = response.headers.get("location") if 300 <= status < 400 else None
            body = b""
            if status != 304 and location is None:
                length = response.headers.get("content-length", "")
                if length.isdigit() and int(length) > limit:
                    raise TooLarge(f"Content-Length {int(length)} is over the {limit} byte limit")
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if accept and 200 <= status < 300 and ctype and not ctype.startswith(accept):
                    raise Refused("not-html", f"content type {ctype!r} is not an article page")
                encoding = response.headers.get("content-encoding", "").strip().lower()
                body = _read_body(response.iter_raw(), encoding, limit=limit, deadline=deadline)
            ip = _peer(response)
            exchange = Exchange(
                url=url,
                request_headers=list(headers.items()),
                status=status,
                reason=response.reason_phrase,
                http_version=response.http_version,
                headers=raw_headers,
                body=body,
                started=started,
                ip=ip,
            )
        result.body = body
        if status in (429, 503) and result.retry_after is not None:
            self.limiter.hold(host_key(url), result.retry_after)
        return exchange, location


class Refused(Exception):
    """A fetch given up with ``code`` (a :attr:`FetchResult.error_code`) and ``reason``."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _peer(response: httpx.Response) -> str | None:
    stream = response.extensions.get("network_stream")
    if stream is None:
        return None
    try:
        addr = stream.get_extra_info("server_addr")
    except Exception:  # pragma: no cover - backend specific
        return None
    return str(addr[0]) if addr else None


def _read_body(chunks: Iterable[bytes], encoding: str, *, limit: int, deadline: float) -> bytes:
    """Read the raw body and decode ``gzip``/``deflate`` with a ceiling of ``limit`` bytes."""
    decoder: typing.Any = None
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(wbits=47)  # gzip or zlib header, auto-detected
    elif encoding == "deflate":
        decoder = _Deflate()
    out = bytearray()
    raw = 0
    for chunk in chunks:
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the response took too long to arrive")
        raw += len(chunk)
        if raw > limit:
            raise TooLarge(f"response is over the {limit} byte limit")
        if decoder is None:
            out += chunk
        else:
            try:
                out += decoder.decompress(chunk, limit + 1 - len(out))
            except zlib.error as err:
                raise Refused("bad-encoding", f"corrupt {encoding} body: {err}") from err
            if decoder.unconsumed_tail or len(out) > limit:
                raise TooLarge(f"body decompresses to more than {limit} bytes")
        if len(out) > limit:
            raise TooLarge(f"response is over the {limit} byte limit")
    return bytes(out)


class _Deflate:
    """HTTP ``deflate``: zlib-wrapped by the standard, raw deflate by some servers."""

    def __init__(self) -> None:
        self._inner: typing.Any = None
        self.unconsumed_tail = b""

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if self._inner is None:
            raw = not (len(data) >= 2 and (data[0] << 8 | data[1]) % 31 == 0)
            self._inner = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        out: bytes = self._inner.decompress(data, max_length)
        self.unconsumed_tail = self._inner.unconsumed_tail
        return out


def gunzip_limited(data: bytes, *, limit: int) -> bytes:
    """Decompress a gzip file (a ``.xml.gz`` sitemap) with a ceiling; :class:`TooLarge` above."""
    decoder = zlib.decompressobj(wbits=31)
    try:
        out = decoder.decompress(data, limit + 1)
    except zlib.error as err:
        raise TooLarge(f"not a valid gzip stream: {err}") from err
    if len(out) > limit or decoder.unconsumed_tail:
        raise TooLarge(f"decompresses to more than {limit} bytes")
    return out


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_WAIT)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, (when - datetime.now(UTC)).total_seconds()), MAX_WAIT)
