"""The monitor's tables in the store: feeds with their health, poll history and URL frontier.

Everything here runs on the :class:`~newsparallax.store.database.Store`'s connection and inside its
transactions, so the monitor can commit "these URLs were discovered" together with "the feed's
validators are now X", and "this article is stored" together with "this URL is done" — the two
commits that make a crash at any moment lose nothing and duplicate nothing.

Frontier states: ``new`` (to fetch; ``next_attempt_ts`` delays retries), ``done`` (stored, or
already in the store), ``rejected`` (the pipeline refused the page), ``skipped`` (robots.txt, not
HTML, too large, refused address) and ``failed`` (gave up after ``MAX_ATTEMPTS``).

A feed whose last poll was refused by policy (:data:`REFUSALS`: the SSRF guard, robots.txt) is
*blocked*: that is read from its latest ``feed_polls`` row, so stores written before blocked
feeds existed (when a refusal was a failure) need no migration.
"""

from __future__ import annotations

import sqlite3
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..store.database import Store
from ..urls import article_id
from ..watches import Watch
from .feeds import FeedItem
from .fetcher import host_key

__all__ = [
    "MAX_ATTEMPTS",
    "REFUSALS",
    "FeedRow",
    "Frontier",
    "FrontierRow",
    "feeds_due_now",
    "feeds_health",
    "has_feeds",
]

MAX_ATTEMPTS = 4
"""Fetch attempts of one article URL before it is marked ``failed``."""
STALE_DAYS = 3.0
"""A feed polled successfully for this long without a new item is reported ``stale``."""
DEAD_FAILURES = 5
REFUSALS = ("blocked", "robots")
"""Fetch error codes that are a refusal by policy (the SSRF guard; robots.txt saying no), not a
failure of the feed: no failure is counted and no backoff follows."""

# every feed column, and the error of the feed's latest poll (a refusal makes the feed blocked)
_FEEDS = (
    "SELECT feeds.*, (SELECT p.error FROM feed_polls p WHERE p.feed_id = feeds.id"
    " ORDER BY p.at_ts DESC, p.id DESC LIMIT 1) AS last_poll_error FROM feeds"
)


@dataclass(frozen=True, slots=True)
class FeedRow:
    id: int
    url: str
    outlet: str | None
    kind: str
    origin: str
    parent_id: int | None
    enabled: bool
    added_at: str
    etag: str | None
    last_modified: str | None
    last_polled_at: str | None
    last_success_at: str | None
    last_status: int | None
    last_error: str | None
    last_error_at: str | None
    last_new_at: str | None
    consecutive_failures: int
    next_poll_ts: int
    polls: int
    not_modified: int
    items_last: int
    new_total: int
    title: str | None
    blocked: str | None = None
    """Why its last poll was refused by policy (``[blocked] …``, ``[robots] …``), else ``None``."""


@dataclass(frozen=True, slots=True)
class FrontierRow:
    id: str
    url: str
    host: str
    feed_id: int | None
    outlet: str | None
    title: str | None
    published: str | None
    attempts: int


def now_iso(ts: float | None = None) -> str:
    when = datetime.fromtimestamp(ts, UTC) if ts is not None else datetime.now(UTC)
    return when.isoformat(timespec="seconds")


class Frontier:
    """Feeds and URL frontier on a store's connection."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.conn: sqlite3.Connection = store.conn

    # -- feeds -------------------------------------------------------------------------------

    def add_feed(
        self,
        url: str,
        *,
        outlet: str | None = None,
        kind: str = "auto",
        origin: str = "user",
        parent_id: int | None = None,
    ) -> int:
        """Add a feed; the user adding a known feed again re-enables it and makes it due now
        (whatever its backoff). Returns its id."""
        with self.store.transaction():
            row = self.conn.execute(
                "SELECT id, enabled FROM feeds WHERE url = ?", (url,)
            ).fetchone()
            if row is not None:
                if origin == "user":
                    self.conn.execute(
                        "UPDATE feeds SET enabled = 1, outlet = COALESCE(?, outlet),"
                        " next_poll_ts = 0 WHERE id = ?",
                        (outlet, row["id"]),
                    )
                return int(row["id"])
            cur = self.conn.execute(
                "INSERT INTO feeds(url, outlet, kind, origin, parent_id, added_at)"
                " VALUES (?,?,?,?,?,?)",
                (url, outlet, kind, origin, parent_id, now_iso()),
            )
            return int(cur.lastrowid or 0)

    def remove_feed(self, url: str) -> bool:
        """Stop polling a feed (and the feeds found through it); history is kept."""
        with self.store.transaction():
            row = self.conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                return False
            self.conn.execute(
                "UPDATE feeds SET enabled = 0 WHERE id = ? OR parent_id = ?", (row[0], row[0])
            )
        return True

    def sync_watch(self, watch: Watch) -> int:
        """Add the feeds a watch lists for its outlets; feeds the user removed stay removed."""
        added = 0
        with self.store.transaction():
            for outlet in watch.outlets:
                for url in outlet.feeds:
                    cur = self.conn.execute(
                        "INSERT OR IGNORE INTO feeds(url, outlet, kind, origin, added_at)"
                        " VALUES (?,?,?,?,?)",
                        (url, outlet.id, "auto", "watch", now_iso()),
                    )
                    added += cur.rowcount
        return added

    def feed(self, feed_id: int) -> FeedRow | None:
        row = self.conn.execute(f"{_FEEDS} WHERE id = ?", (feed_id,)).fetchone()
        return _feed(row) if row else None

    def feed_by_url(self, url: str) -> FeedRow | None:
        row = self.conn.execute(f"{_FEEDS} WHERE url = ?", (url,)).fetchone()
        return _feed(row) if row else None

    def feeds(self, *, enabled_only: bool = True) -> list[FeedRow]:
        where = "WHERE enabled = 1" if enabled_only else ""
        rows = self.conn.execute(f"{_FEEDS} {where} ORDER BY id").fetchall()
        return [_feed(r) for r in rows]

    def due_feeds(self, now_ts: float, *, blocked: bool = False) -> list[FeedRow]:
        """Enabled feeds whose next poll has come; with ``blocked``, also the blocked ones
        whenever their next poll (a new run may have a policy that lets them through)."""
        where = "next_poll_ts <= ?"
        if blocked:
            where += "".join(" OR last_poll_error LIKE ?" for _ in REFUSALS)
        rows = self.conn.execute(
            f"SELECT * FROM ({_FEEDS}) f WHERE enabled = 1 AND ({where}) ORDER BY next_poll_ts, id",
            (int(now_ts), *(f"[{code}]%" for code in REFUSALS if blocked)),
        ).fetchall()
        return [_feed(r) for r in rows]

    def next_feed_ts(self) -> int | None:
        row = self.conn.execute("SELECT min(next_poll_ts) FROM feeds WHERE enabled = 1").fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def record_poll(
        self,
        feed: FeedRow,
        *,
        status: int | None,
        ok: bool,
        error: str | None,
        items: int,
        new_items: int,
        next_poll_ts: float,
        etag: str | None = None,
        last_modified: str | None = None,
        kind: str | None = None,
        title: str | None = None,
        not_modified: bool = False,
        refused: bool = False,
    ) -> None:
        """Update a feed's health and validators and log the poll (call inside the transaction
        that adds the poll's URLs). ``refused`` (with ``ok=False``): the poll was refused by
        policy — the error is recorded, but it is no failure and ends the failure streak."""
        now = time.time()
        stamp = now_iso(now)
        if ok:
            self.conn.execute(
                "UPDATE feeds SET last_polled_at = ?, last_success_at = ?, last_status = ?,"
                " consecutive_failures = 0, next_poll_ts = ?, polls = polls + 1,"
                " not_modified = not_modified + ?, etag = COALESCE(?, etag),"
                " last_modified = COALESCE(?, last_modified),"
                " items_last = CASE WHEN ? <> 0 THEN items_last ELSE ? END,"
                " new_total = new_total + ?,"
                " last_new_at = CASE WHEN ? > 0 THEN ? ELSE last_new_at END,"
                " kind = COALESCE(?, kind), title = COALESCE(?, title) WHERE id = ?",
                (
                    stamp,
                    stamp,
                    status,
                    int(next_poll_ts),
                    int(not_modified),
                    etag,
                    last_modified,
                    int(not_modified),
                    items,
                    new_items,
                    new_items,
                    stamp,
                    kind,
                    title or None,
                    feed.id,
                ),
            )
        else:
            self.conn.execute(
                "UPDATE feeds SET last_polled_at = ?, last_status = ?, last_error = ?,"
                " last_error_at = ?, consecutive_failures = CASE WHEN ? <> 0 THEN 0"
                " ELSE consecutive_failures + 1 END,"
                " next_poll_ts = ?, polls = polls + 1 WHERE id = ?",
                (stamp, status, error, stamp, int(refused), int(next_poll_ts), feed.id),
            )
        self.conn.execute(
            "INSERT INTO feed_polls(feed_id, at_ts, status, items, new_items, error)"
            " VALUES (?,?,?,?,?,?)",
            (feed.id, int(now), status, items, new_items, None if ok else error),
        )

    def health(self, feed: FeedRow, *, now_ts: float | None = None) -> dict[str, Any]:
        """What ``feeds list`` shows: status, items per day and the rest of the feed's record."""
        now = time.time() if now_ts is None else now_ts
        added = _ts(feed.added_at) or now
        window = min(7 * 86400.0, max(now - added, 0.0))
        row = self.conn.execute(
            "SELECT count(*) FROM frontier WHERE feed_id = ? AND discovered_ts >= ?",
            (feed.id, int(now - 7 * 86400)),
        ).fetchone()
        per_day = int(row[0]) / max(window / 86400.0, 1.0)
        status = "ok"
        if not feed.enabled:
            status = "removed"
        elif feed.blocked:
            status = "blocked"
        elif feed.polls == 0:
            status = "new"
        elif feed.consecutive_failures >= DEAD_FAILURES:
            status = "dead"
        elif feed.consecutive_failures > 0:
            status = "failing"
        elif feed.kind not in ("homepage", "sitemapindex"):
            last_new = _ts(feed.last_new_at) or added
            if now - last_new > STALE_DAYS * 86400 and now - added > STALE_DAYS * 86400:
                status = "stale"
        return {
            "id": feed.id,
            "url": feed.url,
            "outlet": feed.outlet,
            "kind": feed.kind,
            "origin": feed.origin,
            "status": status,
            "title": feed.title,
            "last_polled": feed.last_polled_at,
            "last_success": feed.last_success_at,
            "last_status": feed.last_status,
            "last_error": feed.last_error,
            "last_error_at": feed.last_error_at,
            "last_new_item": feed.last_new_at,
            "consecutive_failures": feed.consecutive_failures,
            "items_per_day": round(per_day, 1),
            "items_in_last_poll": feed.items_last,
            "articles_discovered": feed.new_total,
            "polls": feed.polls,
            "not_modified": feed.not_modified,
            "next_poll": now_iso(feed.next_poll_ts) if feed.next_poll_ts else None,
            "enabled": feed.enabled,
        }

    # -- frontier ----------------------------------------------------------------------------

    def add_urls(
        self, items: Iterable[FeedItem], *, feed_id: int | None, outlet: str | None
    ) -> list[str]:
        """Insert newly discovered article URLs (call inside a transaction); their ids."""
        now = time.time()
        stamp = now_iso(now)
        new: list[str] = []
        for item in items:
            key = article_id(url=item.url)
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO frontier(id, url, host, feed_id, outlet, title, published,"
                " discovered_at, discovered_ts) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    key,
                    item.url,
                    host_key(item.url),
                    feed_id,
                    outlet,
                    item.title or None,
                    item.published,
                    stamp,
                    int(now),
                ),
            )
            if cur.rowcount:
                new.append(key)
        return new

    def due(self, *, now_ts: float, limit: int = 1000) -> list[FrontierRow]:
        """URLs to fetch now, oldest first, interleaved by host (so no host hogs the workers)."""
        rows = self.conn.execute(
            "SELECT id, url, host, feed_id, outlet, title, published, attempts FROM frontier"
            " WHERE state = 'new' AND next_attempt_ts <= ? ORDER BY discovered_ts, rowid LIMIT ?",
            (int(now_ts), limit),
        ).fetchall()
        return interleave([FrontierRow(*tuple(r)) for r in rows])

    def pending(self) -> int:
        row = self.conn.execute("SELECT count(*) FROM frontier WHERE state = 'new'").fetchone()
        return int(row[0])

    def next_attempt_ts(self) -> int | None:
        row = self.conn.execute(
            "SELECT min(next_attempt_ts) FROM frontier WHERE state = 'new'"
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def finish(
        self,
        url_id: str,
        *,
        state: str,
        status: int | None = None,
        reason: str | None = None,
        final_url: str | None = None,
        article_id: str | None = None,
        warc: tuple[str, int] | None = None,
    ) -> None:
        """Record the outcome of a fetch (inside the transaction that stores the article)."""
        self.conn.execute(
            "UPDATE frontier SET state = ?, attempts = attempts + 1, last_status = ?, reason = ?,"
            " final_url = ?, article_id = ?, warc_file = COALESCE(?, warc_file),"
            " warc_offset = COALESCE(?, warc_offset), fetched_at = ? WHERE id = ?",
            (
                state,
                status,
                reason,
                final_url,
                article_id,
                warc[0] if warc else None,
                warc[1] if warc else None,
                now_iso(),
                url_id,
            ),
        )

    def retry(
        self, url_id: str, *, attempts: int, delay: float, status: int | None, reason: str
    ) -> str:
        """A failed attempt: retry after ``delay`` seconds, or give up; returns the new state."""
        state = "failed" if attempts + 1 >= MAX_ATTEMPTS else "new"
        self.conn.execute(
            "UPDATE frontier SET state = ?, attempts = attempts + 1, next_attempt_ts = ?,"
            " last_status = ?, reason = ?, fetched_at = ? WHERE id = ?",
            (state, int(time.time() + delay), status, reason, now_iso(), url_id),
        )
        return state

    def counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT state, count(*) FROM frontier GROUP BY state")
        return {str(r[0]): int(r[1]) for r in rows}

    def rows(self) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.conn.execute(
                "SELECT id, url, state, attempts, article_id, reason FROM frontier ORDER BY id"
            )
        ]


# -- for the API and the dashboard (the monitor's tables read defensively) ---------------------


def has_feeds(store: Store) -> bool:
    return store.has_table("feeds", "frontier")


def feeds_health(store: Store) -> list[dict[str, Any]] | None:
    """The monitor's feed health rows, or ``None`` when this store has no feed tables."""
    if not has_feeds(store):
        return None
    try:
        frontier = Frontier(store)
        return [frontier.health(feed) for feed in frontier.feeds(enabled_only=False)]
    except (AttributeError, TypeError, KeyError, sqlite3.Error):
        rows = store.conn.execute("SELECT * FROM feeds ORDER BY id").fetchall()
        return [{k: r[k] for k in r.keys()} for r in rows]  # noqa: SIM118 - sqlite3.Row


def feeds_due_now(store: Store) -> int:
    """Make every enabled feed due now (``feeds=all``), whatever its schedule or back-off; the
    number of feeds. Polls are conditional requests: an unchanged feed costs one ``304``."""
    if not store.has_table("feeds"):
        return 0
    with store.transaction():
        cur = store.conn.execute("UPDATE feeds SET next_poll_ts = 0 WHERE enabled = 1")
    return int(cur.rowcount or 0)


def interleave(rows: Sequence[FrontierRow]) -> list[FrontierRow]:
    """Round-robin over hosts, keeping each host's order."""
    queues: dict[str, deque[FrontierRow]] = defaultdict(deque)
    for row in rows:
        queues[row.host].append(row)
    out: list[FrontierRow] = []
    while queues:
        for host in list(queues):
            out.append(queues[host].popleft())
            if not queues[host]:
                del queues[host]
    return out


def _ts(stamp: str | None) -> float | None:
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp).timestamp()
    except ValueError:
        return None


def _feed(row: sqlite3.Row) -> FeedRow:
    values = dict(row)
    values["enabled"] = bool(values["enabled"])
    last = values.pop("last_poll_error", None)
    refused = last is not None and any(last.startswith(f"[{code}]") for code in REFUSALS)
    values["blocked"] = last if refused else None
    return FeedRow(**values)
