"""robots.txt, fetched once per host and cached (RFC 9309 semantics).

* ``2xx`` — the rules apply to our product token (the first word of the User-Agent);
* ``4xx`` (no robots.txt) — everything is allowed;
* ``5xx``, network errors — the host is treated as fully disallowed for now (``robots-unavailable``,
  not ``robots``: the site did not say no), and asked again after a short time (``ERROR_TTL``);
* a host the SSRF guard refuses, or whose name does not resolve, is refused (or unresolvable)
  for every URL, with that reason;
* redirects are followed by the fetcher (up to its cap).

``Crawl-delay`` raises the host's delay in the fetcher's limiter (never lowers it).
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass

from .fetcher import Fetcher, FetchResult, Refused, host_key
from .netguard import Blocked, Unresolvable

__all__ = ["RobotsCache", "crawl_delay"]

TTL = 24 * 3600.0
ERROR_TTL = 600.0
MAX_ROBOTS_BYTES = 512 * 1024


@dataclass(slots=True)
class _Entry:
    parser: urllib.robotparser.RobotFileParser | None
    allow_all: bool
    deny_all: bool
    expires: float
    reason: str = ""
    refused: str | None = None
    """``blocked`` or ``unresolvable``: the host itself cannot be fetched, for that reason."""


class RobotsCache:
    """Answers "may this URL be fetched?" for every host, fetching robots.txt on first use."""

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        on_fetch: Callable[[FetchResult], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.fetcher = fetcher
        self.agent = fetcher.config.user_agent.split("/")[0].split()[0]
        self.on_fetch = on_fetch
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def reason_refused(self, url: str) -> str | None:
        """``None`` if robots.txt allows ``url``, else why not. Raises :class:`Blocked` when the
        host's address is refused by the SSRF guard, :class:`Unresolvable` when its name does
        not resolve, and :class:`~newsparallax.monitor.fetcher.Refused` (``robots-unavailable``)
        when its robots.txt cannot be had for now."""
        entry = self._entry(url)
        if entry.refused == "blocked":  # the host itself is refused by the SSRF guard: say so
            raise Blocked(entry.reason)
        if entry.refused == "unresolvable":
            raise Unresolvable(entry.reason)
        if entry.allow_all:
            return None
        if entry.deny_all:
            raise Refused(
                "robots-unavailable",
                f"robots.txt unavailable ({entry.reason}): host treated as disallowed",
            )
        assert entry.parser is not None
        if entry.parser.can_fetch(self.agent, url):
            return None
        return f"disallowed by robots.txt for {self.agent}"

    def _entry(self, url: str) -> _Entry:
        key = host_key(url)
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one robots.txt request per host, however many threads ask
            entry = self._entries.get(key)
            if entry is None or entry.expires < self._clock():
                entry = self._load(url, key)
                self._entries[key] = entry
            return entry

    def _load(self, url: str, key: str) -> _Entry:
        scheme = url.split(":", 1)[0]
        host = url.split("/")[2]
        robots_url = f"{scheme}://{host}/robots.txt"
        result = self.fetcher.fetch(robots_url, max_bytes=MAX_ROBOTS_BYTES)
        if self.on_fetch is not None:
            self.on_fetch(result)
        now = self._clock()
        status = result.status
        if result.error_code == "too-large" and status is not None:
            return _Entry(None, True, False, now + TTL)  # RFC 9309: parse what fits; we allow
        if result.error_code in ("blocked", "unresolvable"):
            reason = result.error or ""
            return _Entry(None, False, True, now + ERROR_TTL, reason, refused=result.error_code)
        if result.error_code is not None or status is None:
            reason = result.error or "no response"
            return _Entry(None, False, True, now + ERROR_TTL, reason)
        if 400 <= status < 500:
            return _Entry(None, True, False, now + TTL)
        if status >= 500 or not 200 <= status < 300:
            return _Entry(None, False, True, now + ERROR_TTL, f"HTTP {status}")
        parser = urllib.robotparser.RobotFileParser()
        text = result.body.decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        delay = crawl_delay(text, self.agent)
        if delay is not None:
            self.fetcher.limiter.set_delay(key, delay)
        return _Entry(parser, False, False, now + TTL)


def crawl_delay(text: str, agent: str) -> float | None:
    """The ``Crawl-delay`` of the group for ``agent`` (else of ``*``); fractions allowed, which
    :mod:`urllib.robotparser` ignores."""
    token = agent.lower()
    found: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
        elif key in ("allow", "disallow", "crawl-delay", "sitemap"):
            in_rules = True
            if key == "crawl-delay":
                try:
                    seconds = float(value)
                except ValueError:
                    continue
                for name in agents:
                    found.setdefault(name, seconds)
    for name, seconds in found.items():
        if name != "*" and name in token:
            return seconds
    return found.get("*")
