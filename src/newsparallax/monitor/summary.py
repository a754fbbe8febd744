"""What one monitor cycle did: the record ``parallax watch --json`` prints and the API's cycle
runs return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .frontier import now_iso


@dataclass
class CycleSummary:
    """What one cycle did (the JSON ``parallax watch --once --json`` prints)."""

    feeds: int = 0
    """Feeds polled."""
    not_modified: int = 0
    feed_errors: int = 0
    new_articles: int = 0
    """Article URLs discovered for the first time."""
    fetched: int = 0
    """Article pages fetched (a 2xx response)."""
    stored: int = 0
    duplicates: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    retrying: int = 0
    failed: int = 0
    requests: int = 0
    pending: int = 0
    """Article URLs still waiting in the frontier after the cycle."""
    errors: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    stopped: bool = False
    refresh: dict[str, Any] | None = None
    """What bringing stories, the relation index and alerts up to date did after the articles of
    the cycle were stored (``None`` when none was stored)."""
    skipped_feeds: list[dict[str, str | None]] = field(default_factory=list)
    """Feeds not polled, by feed id: ``{url, reason, until, detail}``. ``reason``: ``blocked``
    (refused by policy; ``until`` is ``None``: until the policy allows it, ``detail`` says
    why), ``backoff`` (failing, ``detail`` has the last error), ``deferred`` (the host asked
    for a pause), ``not-due`` (polled recently) or ``removed``; ``until``: the next poll."""

    def error(self, url: str, code: str, reason: str) -> None:
        self.errors.append({"url": url, "code": code, "reason": reason})

    def skip(
        self, url: str, reason: str, *, until: float | None = None, detail: str | None = None
    ) -> None:
        when = now_iso(until) if until is not None else None
        self.skipped_feeds.append({"url": url, "reason": reason, "until": when, "detail": detail})

    def as_dict(self) -> dict[str, Any]:
        return {
            "feeds": self.feeds,
            "not_modified": self.not_modified,
            "feed_errors": self.feed_errors,
            "new_articles": self.new_articles,
            "fetched": self.fetched,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "skipped": self.skipped,
            "retrying": self.retrying,
            "failed": self.failed,
            "requests": self.requests,
            "pending": self.pending,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "stopped": self.stopped,
            "skipped_feeds": self.skipped_feeds,
            "refresh": self.refresh,
        }
