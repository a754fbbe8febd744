"""The live monitor: poll feeds, discover article URLs, fetch each once, run the pipeline, store.

One :meth:`Monitor.cycle`:

1. adds the feeds the watch lists (feeds the user removed stay removed);
2. polls every feed that is due, ``concurrency`` at a time, with conditional GET; parses it
   (:mod:`newsparallax.monitor.feeds`); commits the new article URLs to the frontier *in the same
   transaction* as the feed's new validators and health. Child sitemaps and feeds a homepage
   announces are added as feeds and polled in the same cycle (a few levels deep);
3. fetches every due frontier URL (robots.txt, per-host delay, SSRF guard, size limits, HTML
   only), archives each response in WARC, runs the same pipeline as ``parallax ingest`` and
   stores the article *in the same transaction* as marking its URL done. Results are handled in
   frontier order whatever order the fetches finish in, so near-duplicate links do not depend on
   timing. The stateless front of the pipeline (extraction … annotation) runs before that
   transaction, so the write lock is held only for dedupe and storing; with
   ``pipeline_workers`` it runs in worker processes (:mod:`newsparallax.annotate.spawned`) as
   soon as a page arrives, overlapping the fetches and off the GIL of the calling process
   (``parallax serve --monitor`` shares it with the web server).

So a SIGKILL at any moment loses no discovered URL (it is committed before the feed is marked
read) and stores no article twice (ids are unique and "stored" and "done" commit together): the
next run re-fetches at most the pages that were in flight.

Failures back off: a feed's next poll moves out exponentially with its consecutive failures
(a DNS failure, ``unresolvable``, is one) and never before a ``Retry-After``; an article URL is
retried a few times (:data:`~newsparallax.monitor.frontier.MAX_ATTEMPTS`) on network errors (DNS
failures too), 429 and 5xx, and given up at once on other 4xx. :meth:`Monitor.run` repeats
cycles until stopped; SIGINT/SIGTERM set the stop flag: the work in hand is finished and stored,
nothing new is started (a second signal exits at once, which is safe too).

A refusal by policy — the SSRF guard refusing the feed's address, robots.txt disallowing it — is
no failure: the feed is recorded as *blocked* with the reason, its failures are not counted and
it is asked again at the poll interval. Every new :class:`Monitor` (every run of
``parallax watch``) polls the blocked feeds in its first cycle whatever their next poll, since
its policy may now let them through (``--allow-private-networks``). Each cycle reports the
feeds it did not poll, why and until when (:attr:`CycleSummary.skipped_feeds`).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from .. import settings
from ..analyze.alerts import deliver
from ..analyze.refresh import refresh
from ..annotate.pipeline import Doc
from ..annotate.spawned import FrontProcess
from ..annotate.workers import Result, run_stages
from ..ingest import IngestSummary, build_pipeline, ingest_front_result
from ..store.database import Store
from ..watches import Watch
from .feeds import ParsedFeed, parse_feed
from .fetcher import FetchConfig, Fetcher, FetchResult
from .frontier import REFUSALS, FeedRow, Frontier, FrontierRow
from .robots import RobotsCache
from .summary import CycleSummary
from .warcwriter import WarcWriter

__all__ = ["CycleSummary", "Monitor", "default_warc_dir"]

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_FEED_BACKOFF = 24 * 3600.0
MAX_DISCOVERY_ROUNDS = 3
_RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
#: Fetch errors that skip an article URL for good (others are retried, e.g. ``unresolvable``).
_SKIP_CODES = frozenset(
    {"robots", "robots-unavailable", "blocked", "not-html", "too-large", "too-many-redirects"}
)
_FEED_KINDS = {
    "rss": "feed",
    "atom": "feed",
    "json": "feed",
    "sitemap": "sitemap",
    "sitemapindex": "sitemapindex",
    "html": "homepage",
}

T = TypeVar("T")
R = TypeVar("R")


def default_warc_dir(db: str | Path) -> Path:
    """The WARC folder: the setting, else ``warc`` beside the store."""
    configured = settings.get("warc_dir")
    return Path(configured) if configured else Path(db).resolve().parent / "warc"


class Monitor:
    """Polls a store's feeds and fetches their articles; see the module docstring."""

    def __init__(
        self,
        store: Store,
        watch: Watch,
        *,
        config: FetchConfig | None = None,
        concurrency: int | None = None,
        interval: float | None = None,
        warc_dir: str | Path | None = None,
        warc_max_bytes: int | None = None,
        retry_base: float = 60.0,
        progress: Callable[[str], None] | None = None,
        stop: threading.Event | None = None,
        pipeline_workers: int = 0,
    ) -> None:
        """``pipeline_workers``: processes for the front of the pipeline (0: this thread)."""
        self.store = store
        self.watch = watch
        self.frontier = Frontier(store)
        self.config = config or FetchConfig.from_settings()
        self.concurrency = max(1, concurrency or settings.get_int("concurrency"))
        self.interval = interval if interval is not None else settings.get_float("poll_interval")
        self.retry_base = retry_base
        self.progress = progress or (lambda _msg: None)
        self.stop = stop or threading.Event()
        self.fetcher = Fetcher(self.config)
        folder = warc_dir if warc_dir is not None else default_warc_dir(store.path)
        self.warc = WarcWriter(
            folder, max_bytes=warc_max_bytes or settings.get_int("warc_max_bytes")
        )
        self._robot_results: deque[FetchResult] = deque()
        self.robots = RobotsCache(self.fetcher, on_fetch=self._robot_results.append)
        pipeline = build_pipeline(watch=watch, index=store)
        self.front, self.back = pipeline.split("dedupe")
        self.front_process = (
            FrontProcess(watch, workers=pipeline_workers) if pipeline_workers > 0 else None
        )
        self._synced = False
        # the policy may differ from the last run's: its first cycle asks the blocked feeds again
        self._first_cycle = True

    def close(self) -> None:
        self.fetcher.close()
        self.warc.close()
        if self.front_process is not None:
            self.front_process.close()

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the loop ----------------------------------------------------------------------------

    def run(
        self,
        *,
        once: bool = False,
        max_cycles: int | None = None,
        on_cycle: Callable[[CycleSummary], None] | None = None,
    ) -> list[CycleSummary]:
        """Run cycles until stopped (or once); SIGINT/SIGTERM stop cleanly (main thread only)."""
        summaries: list[CycleSummary] = []
        with self._signals():
            while not self.stop.is_set():
                summary = self.cycle()
                summaries.append(summary)
                if on_cycle is not None:
                    on_cycle(summary)
                if once or (max_cycles is not None and len(summaries) >= max_cycles):
                    break
                self.stop.wait(self.sleep_time())
        return summaries

    def sleep_time(self) -> float:
        """Seconds to wait before the next cycle: until the next feed or retry is due, at least
        0.05 and at most the poll interval (the loop here and a server's attached loop wait
        this long)."""
        now = time.time()
        nexts = [t for t in (self.frontier.next_feed_ts(), self.frontier.next_attempt_ts()) if t]
        wake = min([*nexts, now + self.interval])
        return min(max(wake - now, 0.05), self.interval)

    def _signals(self) -> Any:
        monitor = self

        class _Handlers:
            def __enter__(self) -> None:
                self.saved: dict[int, Any] = {}
                if threading.current_thread() is not threading.main_thread():
                    return
                for sig in (signal.SIGINT, signal.SIGTERM):
                    self.saved[sig] = signal.signal(sig, self.handle)

            def handle(self, signum: int, frame: FrameType | None) -> None:
                if monitor.stop.is_set():  # second signal: leave now (still crash-safe)
                    raise KeyboardInterrupt
                monitor.progress(f"{signal.Signals(signum).name}: finishing the work in hand")
                monitor.stop.set()

            def __exit__(self, *exc: object) -> None:
                for sig, handler in self.saved.items():
                    signal.signal(sig, handler)

        return _Handlers()

    # -- one cycle ---------------------------------------------------------------------------

    def cycle(self) -> CycleSummary:
        started = time.perf_counter()
        summary = CycleSummary()
        requests_before = self.fetcher.requests
        ingest_summary = IngestSummary(run_id=self.store.start_run("watch"))
        if not self._synced:
            self.store.sync_outlets(self.watch.outlets, watch=self.watch.name)
            self._synced = True
        self.frontier.sync_watch(self.watch)
        self._poll_feeds(summary)
        self._fetch_articles(summary, ingest_summary)
        if summary.stored:
            summary.refresh = refresh(self.store, self.watch).as_dict()
            deliver(self.store)  # new alerts to the configured webhook / e-mail, if any
        self._archive_robots()
        summary.requests = self.fetcher.requests - requests_before
        summary.pending = self.frontier.pending()
        summary.stopped = self.stop.is_set()
        summary.seconds = time.perf_counter() - started
        self.store.finish_run(ingest_summary.run_id or 0, summary.as_dict())
        self.progress(
            f"cycle done: {summary.feeds} feeds ({summary.not_modified} not modified,"
            f" {summary.feed_errors} errors, {len(summary.skipped_feeds)} skipped),"
            f" {summary.new_articles} new URLs, {summary.stored} stored,"
            f" {summary.pending} pending"
        )
        return summary

    # -- feeds -------------------------------------------------------------------------------

    def _poll_feeds(self, summary: CycleSummary) -> None:
        polled: set[int] = set()
        blocked, self._first_cycle = self._first_cycle, False
        for _round in range(MAX_DISCOVERY_ROUNDS + 1):
            due = self.frontier.due_feeds(time.time(), blocked=blocked)
            due = [f for f in due if f.id not in polled]
            if not due or self.stop.is_set():
                break
            polled.update(f.id for f in due)
            for feed, (result, parsed) in self._in_order(due, self._poll_one):
                self._record_feed(feed, result, parsed, summary)
        self._report_skipped(summary, polled)

    def _report_skipped(self, summary: CycleSummary, polled: set[int]) -> None:
        """Add the feeds this cycle did not ask to ``summary.skipped_feeds`` (a refused or
        deferred poll is there already), all in feed order."""
        now = time.time()
        feeds = self.frontier.feeds(enabled_only=False)
        for feed in feeds:
            if feed.id in polled:
                continue
            if not feed.enabled:
                summary.skip(feed.url, "removed")
            elif feed.next_poll_ts <= now:
                continue  # due, not reached (stopping, or found in the last discovery round)
            elif feed.blocked:
                summary.skip(feed.url, "blocked", detail=feed.blocked)
            elif feed.consecutive_failures:
                summary.skip(feed.url, "backoff", until=feed.next_poll_ts, detail=feed.last_error)
            else:
                summary.skip(feed.url, "not-due", until=feed.next_poll_ts)
        order = {feed.url: feed.id for feed in feeds}
        summary.skipped_feeds.sort(key=lambda skip: order.get(skip["url"] or "", 0))

    def _poll_one(self, feed: FeedRow) -> tuple[FetchResult, ParsedFeed | None]:
        self.progress(f"poll {feed.url}")
        result = self.fetcher.fetch(
            feed.url,
            etag=feed.etag,
            last_modified=feed.last_modified,
            permit=self.robots.reason_refused,
            stop=self.stop,
            max_wait=self._max_wait(),
        )
        parsed = None
        if result.ok:
            parsed = parse_feed(
                result.body,
                url=result.final_url,
                content_type=result.headers.get("content-type", ""),
                max_bytes=self.config.max_bytes,
            )
        return result, parsed

    def _record_feed(
        self,
        feed: FeedRow,
        result: FetchResult,
        parsed: ParsedFeed | None,
        summary: CycleSummary,
    ) -> None:
        if result.error_code == "stopped":
            return
        now = time.time()
        if result.error_code == "deferred":  # the host asked for a pause: not a failure
            until = int(now + (result.retry_after or self.interval)) + 1
            with self.store.transaction():
                self.store.conn.execute(
                    "UPDATE feeds SET next_poll_ts = ? WHERE id = ?", (until, feed.id)
                )
            summary.skip(feed.url, "deferred", until=until, detail=result.error)
            return
        self._archive(result)
        status = result.status
        if result.error_code in REFUSALS:  # refused by policy: no failure, no backoff
            reason = f"[{result.error_code}] {result.error}"
            with self.store.transaction():
                self.frontier.record_poll(
                    feed,
                    status=status,
                    ok=False,
                    refused=True,
                    error=reason,
                    items=0,
                    new_items=0,
                    next_poll_ts=now + self.interval,
                )
            summary.skip(feed.url, "blocked", detail=reason)
            self.progress(f"{feed.url}: {reason}")
            return
        summary.feeds += 1
        if result.error_code is None and status == 304:
            summary.not_modified += 1
            with self.store.transaction():
                self.frontier.record_poll(
                    feed,
                    status=304,
                    ok=True,
                    error=None,
                    items=0,
                    new_items=0,
                    next_poll_ts=now + self.interval,
                    not_modified=True,
                )
            self.progress(f"{feed.url}: not modified")
            return
        error = self._feed_error(result, parsed)
        if error is not None:
            summary.feed_errors += 1
            summary.error(feed.url, error[0], error[1])
            failures = feed.consecutive_failures + 1
            delay = min(MAX_FEED_BACKOFF, max(self.interval, 1.0) * 2**failures)
            if result.retry_after is not None:
                delay = max(delay, result.retry_after)
            with self.store.transaction():
                self.frontier.record_poll(
                    feed,
                    status=status,
                    ok=False,
                    error=f"[{error[0]}] {error[1]}",
                    items=0,
                    new_items=0,
                    next_poll_ts=now + delay,
                )
            self.progress(f"{feed.url}: {error[0]} {error[1]} (next poll in {delay:.0f} s)")
            return
        assert parsed is not None
        outlet = feed.outlet or self._outlet_of(feed.url)
        with self.store.transaction():
            new = self.frontier.add_urls(parsed.items, feed_id=feed.id, outlet=outlet)
            children = parsed.feeds
            if parsed.kind == "sitemapindex":
                from .feeds import MAX_CHILD_SITEMAPS

                children = children[:MAX_CHILD_SITEMAPS]
            for child in children:
                self.frontier.add_feed(
                    child,
                    outlet=outlet,
                    kind="sitemap" if parsed.kind == "sitemapindex" else "auto",
                    origin="discovered",
                    parent_id=feed.id,
                )
            self.frontier.record_poll(
                feed,
                status=status,
                ok=True,
                error=None,
                items=len(parsed.items),
                new_items=len(new),
                next_poll_ts=now + self.interval,
                etag=result.headers.get("etag"),
                last_modified=result.headers.get("last-modified"),
                kind=_FEED_KINDS.get(parsed.kind),
                title=parsed.title,
            )
        summary.new_articles += len(new)
        self.progress(f"{feed.url}: {len(parsed.items)} items, {len(new)} new")

    def _feed_error(self, result: FetchResult, parsed: ParsedFeed | None) -> tuple[str, str] | None:
        if result.error_code is not None:
            return result.error_code, result.error or ""
        if result.status is None or not 200 <= result.status < 300:
            return "http", f"HTTP {result.status}"
        if parsed is None or parsed.error is not None:
            return "bad-feed", (parsed.error if parsed else None) or "unreadable"
        if parsed.kind == "html" and not parsed.feeds:
            return "no-feed", "an HTML page that announces no feed"
        return None

    def _outlet_of(self, url: str) -> str | None:
        outlet = self.watch.resolve(url)
        return outlet.id if outlet else None

    # -- articles ----------------------------------------------------------------------------

    def _fetch_articles(self, summary: CycleSummary, ingest_summary: IngestSummary) -> None:
        handled: set[str] = set()
        while not self.stop.is_set():
            rows = [r for r in self.frontier.due(now_ts=time.time()) if r.id not in handled]
            if not rows:
                return
            handled.update(r.id for r in rows)
            todo = []
            for row in rows:
                if self.store.has(row.id):  # ingested before, by a file or an earlier fetch
                    with self.store.transaction():
                        self.frontier.finish(row.id, state="done", article_id=row.id)
                    summary.unchanged += 1
                else:
                    todo.append(row)
            for n, (row, (result, front)) in enumerate(self._in_order(todo, self._fetch_one), 1):
                self._record_article(row, result, summary, ingest_summary, front=front)
                self.progress(f"article {n}/{len(todo)} {row.url}")
            self._archive_robots()

    def _fetch_one(self, row: FrontierRow) -> tuple[FetchResult, Future[Result] | None]:
        """Fetch a page; with worker processes, also start the front of the pipeline on it."""
        result = self.fetcher.fetch(
            row.url,
            accept=HTML_TYPES,
            permit=self.robots.reason_refused,
            stop=self.stop,
            max_bytes=min(self.config.max_bytes, settings.get_int("max_page_bytes")),
            max_wait=self._max_wait(),
        )
        front = None
        if self.front_process is not None and _storable(result):
            front = self.front_process.submit(self._doc(row, result))
        return result, front

    @staticmethod
    def _doc(row: FrontierRow, result: FetchResult) -> Doc:
        meta: dict[str, Any] = {"fetched": datetime.now(UTC).isoformat(timespec="seconds")}
        if result.charset:
            meta["charset"] = result.charset
        if row.outlet:
            meta["domain"] = row.outlet
        return Doc(
            source=result.final_url,
            url=result.final_url,
            html=result.body,
            title=row.title or "",
            published_raw=row.published,
            meta=meta,
        )

    def _max_wait(self) -> float:
        """How long a worker may wait for its host before deferring the job instead."""
        return max(30.0, 4 * self.config.host_delay)

    def _record_article(
        self,
        row: FrontierRow,
        result: FetchResult,
        summary: CycleSummary,
        ingest_summary: IngestSummary,
        *,
        front: Future[Result] | None = None,
    ) -> None:
        if result.error_code == "stopped":
            return  # still 'new': fetched next time
        if result.error_code == "deferred":  # the host asked for a pause: try after it
            with self.store.transaction():
                self.store.conn.execute(
                    "UPDATE frontier SET next_attempt_ts = ? WHERE id = ?",
                    (int(time.time() + (result.retry_after or 0)) + 1, row.id),
                )
            summary.retrying += 1
            return
        warc = self._archive(result)
        code, status = result.error_code, result.status
        if code in _SKIP_CODES:
            summary.skipped += 1
            summary.error(row.url, code, result.error or "")
            with self.store.transaction():
                self.frontier.finish(
                    row.id, state="skipped", status=status, reason=f"[{code}] {result.error}"
                )
            return
        transient = code is not None or (status is not None and status in _RETRY_STATUSES)
        if transient or status is None:
            reason = f"[{code}] {result.error}" if code else f"HTTP {status}"
            delay = min(3600.0, self.retry_base * 2**row.attempts)
            if result.retry_after is not None:
                delay = max(delay, result.retry_after)
            with self.store.transaction():
                state = self.frontier.retry(
                    row.id, attempts=row.attempts, delay=delay, status=status, reason=reason
                )
            if state == "failed":
                summary.failed += 1
            else:
                summary.retrying += 1
            summary.error(row.url, code or "http", reason)
            return
        if not 200 <= status < 300:
            summary.failed += 1
            summary.error(row.url, "http", f"HTTP {status}")
            with self.store.transaction():
                self.frontier.finish(row.id, state="failed", status=status, reason=f"HTTP {status}")
            return
        summary.fetched += 1
        doc = self._doc(row, result)
        # the stateless stages run outside the write transaction (or ran in a worker)
        fronted = (
            FrontProcess.result(doc, front) if front is not None else run_stages(self.front, doc)
        )
        before = ingest_summary.duplicates
        with self.store.transaction():
            outcome = ingest_front_result(
                fronted, store=self.store, back=self.back, summary=ingest_summary
            )
            state = "rejected" if outcome.state == "rejected" else "done"
            self.frontier.finish(
                row.id,
                state=state,
                status=status,
                reason=outcome.reason,
                final_url=result.final_url,
                article_id=outcome.article_id,
                warc=warc,
            )
        if outcome.state == "stored":
            summary.stored += 1
            summary.duplicates += ingest_summary.duplicates - before
        elif outcome.state == "unchanged":
            summary.unchanged += 1
        else:
            summary.rejected += 1
            summary.error(row.url, "rejected", outcome.reason or "")

    # -- helpers -----------------------------------------------------------------------------

    def _in_order(self, items: list[T], work: Callable[[T], R]) -> Iterator[tuple[T, R]]:
        """Run ``work`` over ``items`` on ``concurrency`` threads; yield results in item order.

        At most twice ``concurrency`` items are in flight; nothing new starts once stopping."""
        if not items:
            return
        window = self.concurrency * 2
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="parallax-fetch") as pool:
            queue: deque[tuple[T, Future[R]]] = deque()
            pending: Iterable[T] = iter(items)
            for item in pending:
                if self.stop.is_set():
                    break
                queue.append((item, pool.submit(work, item)))
                if len(queue) >= window:
                    head, future = queue.popleft()
                    yield head, future.result()
            while queue:
                head, future = queue.popleft()
                yield head, future.result()

    def _archive(self, result: FetchResult) -> tuple[str, int] | None:
        location = None
        for exchange in result.exchanges:
            try:
                location = self.warc.write(exchange)
            except OSError as err:  # a full disk must not stop the monitor
                log.error("cannot write WARC: %s", err)
        return location

    def _archive_robots(self) -> None:
        while self._robot_results:
            self._archive(self._robot_results.popleft())


def _storable(result: FetchResult) -> bool:
    """A response :meth:`Monitor._record_article` will run the pipeline on."""
    return result.error_code is None and result.status is not None and 200 <= result.status < 300
