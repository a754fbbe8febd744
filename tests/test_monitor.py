"""The monitor cycle end to end against a local replay of real feeds and pages."""

from __future__ import annotations

import gzip
import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import FA_TREATY, RU_SANCTIONS
from monitor_support import (
    FEED_SAMPLES,
    add_pages,
    build_site,
    local_site,
    no_such_names,
    real_pages,
    rss,
    write_watch,
)
from newsparallax.acquire.warc import read_warc
from newsparallax.monitor.cycle import Monitor
from newsparallax.monitor.fetcher import FetchConfig, HostLimiter
from newsparallax.monitor.frontier import Frontier, now_iso
from newsparallax.monitor.netguard import NetPolicy
from newsparallax.monitor.replay import ReplayServer, Reply
from newsparallax.store.database import Store
from newsparallax.watches import Watch, load_watch

DELAY = 0.1
Hooks = dict[str, Reply]


@pytest.fixture
def light(monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave out the slow-to-load annotation stages of other issues (the first test keeps the
    full pipeline)."""
    monkeypatch.setattr("newsparallax.ingest.ANNOTATION_STAGES", ())


@pytest.fixture
def watch(tmp_path: Path) -> Watch:
    return load_watch(str(write_watch(tmp_path)))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    return folder


@pytest.fixture
def served(site: Path) -> Iterator[tuple[ReplayServer, Hooks]]:
    hooks: Hooks = {}
    with ReplayServer(site, hook=lambda host, path, headers: hooks.get(f"{host}{path}")) as srv:
        yield srv, hooks


def _monitor(
    store: Store, watch: Watch, srv: ReplayServer, tmp_path: Path, **kw: object
) -> Monitor:
    config = FetchConfig(
        user_agent="ParallaxBot/0.1 (tests)", host_delay=DELAY, via=srv.url, policy=NetPolicy()
    )
    values: dict[str, object] = {
        "interval": 0.0,
        "warc_dir": tmp_path / "warc",
        "retry_base": 0.0,
        "concurrency": 4,
    }
    values.update(kw)
    return Monitor(store, watch, config=config, **values)  # type: ignore[arg-type]


def _direct_monitor(store: Store, watch: Watch, tmp_path: Path, policy: NetPolicy) -> Monitor:
    """A monitor that connects to the hosts themselves (no replay ``via``): the SSRF guard and
    DNS are on the path. Feeds are polled every 10 minutes."""
    config = FetchConfig(user_agent="ParallaxBot/0.1 (tests)", host_delay=DELAY, policy=policy)
    return Monitor(
        store, watch, config=config, interval=600.0, warc_dir=tmp_path / "warc", retry_base=0.0
    )


def test_cycle_discovers_fetches_stores_once_and_is_polite(
    served: tuple[ReplayServer, Hooks],
    site: Path,
    watch: Watch,
    tmp_path: Path,
    store_ref: str,
) -> None:
    srv, _ = served
    urls = build_site(site, {"news.test": 4, "other.test": 3})
    with Store(store_ref) as store, _monitor(store, watch, srv, tmp_path) as monitor:
        frontier = Frontier(store)
        for host in urls:
            frontier.add_feed(f"https://{host}/feed.xml")
        first = monitor.cycle()
        assert first.feeds == 2 and first.new_articles == 7 and first.fetched == 7
        assert first.stored == 7 and first.errors == [] and first.pending == 0
        assert frontier.counts() == {"done": 7}
        stored = {a.url: a for a in store.articles()}
        assert set(stored) == {u for us in urls.values() for u in us}
        art = stored[urls["news.test"][0]]
        assert art.outlet == "news.test" and len(art.text) > 300
        assert art.published is not None and art.published.year == 2023  # the feed's date
        # politeness, measured server-side: no host hit faster than its delay
        by_host: dict[str, list[float]] = {}
        for entry in srv.log:
            by_host.setdefault(entry.host, []).append(entry.at)
        for times in by_host.values():
            gaps = [b - a for a, b in itertools.pairwise(times)]
            assert not gaps or min(gaps) >= DELAY - 0.02, gaps
        assert sorted(by_host) == ["news.test", "other.test"]
        assert all(e.headers["user-agent"].startswith("ParallaxBot") for e in srv.log)
        # every response is archived; the archive reads back as the same pages
        warcs = sorted((tmp_path / "warc").glob("*.warc.gz"))
        docs = [
            d for w in warcs for d in read_warc(str(w), w, max_bytes=10**8) if hasattr(d, "url")
        ]
        assert {u for us in urls.values() for u in us} <= {d.url for d in docs}  # type: ignore[union-attr]

        # second cycle: feeds answer 304, nothing is fetched again
        before = len(srv.log)
        second = monitor.cycle()
        assert second.feeds == 2 and second.not_modified == 2
        assert second.new_articles == 0 and second.fetched == 0 and second.stored == 0
        assert len(srv.log) - before == 2
        health = {h["url"]: h for h in (frontier.health(f) for f in frontier.feeds())}
        assert health["https://news.test/feed.xml"]["status"] == "ok"
        assert health["https://news.test/feed.xml"]["not_modified"] == 1
        assert health["https://news.test/feed.xml"]["items_per_day"] == 4.0
        assert store.count() == 7


def test_legacy_charset_pages_decode(
    served: tuple[ReplayServer, Hooks],
    site: Path,
    watch: Watch,
    tmp_path: Path,
    light: None,
    store_ref: str,
) -> None:
    srv, hooks = served
    pages = {
        # our own texts, in the code pages Russian and Persian sites used
        "ru-header": (RU_SANCTIONS, "windows-1251", True),
        "ru-meta": (RU_SANCTIONS.replace("—", "-"), "koi8-r", False),
        "fa-header": (
            FA_TREATY.replace("ی", "ي").replace("ک", "ك").replace("\u200c", " "),
            "windows-1256",
            True,
        ),
    }
    items = []
    for name, (text, codec, in_header) in pages.items():
        meta = "" if in_header else f'<meta charset="{codec}">'
        head = f"<html><head>{meta}<title>{text[:40]}</title></head>"
        body = f"{head}<body><article><h1>{text[:40]}</h1>"
        body += (
            "".join(f"<p>{s}.</p>" for s in text.split(".") if s.strip())
            + "</article></body></html>"
        )
        ctype = f"text/html; charset={codec}" if in_header else "text/html"
        hooks[f"news.test/{name}"] = Reply(200, body.encode(codec), {"Content-Type": ctype})
        items.append((f"https://news.test/{name}", name))
    (site / "news.test").mkdir()
    (site / "news.test" / "feed.xml").write_text(rss(items), encoding="utf-8")
    with Store(store_ref) as store, _monitor(store, watch, srv, tmp_path) as monitor:
        Frontier(store).add_feed("https://news.test/feed.xml")
        summary = monitor.cycle()
        assert summary.stored == 3, summary.errors
        texts = {a.url.rsplit("/", 1)[1]: a for a in store.articles()}
    assert "санкции против Ирана" in texts["ru-header"].text and texts["ru-header"].language == "ru"
    assert "санкции против Ирана" in texts["ru-meta"].text
    assert (
        "وزير امور خارجه ايران" in texts["fa-header"].text and texts["fa-header"].language == "fa"
    )


def test_skips_retries_and_failures_are_recorded(
    served: tuple[ReplayServer, Hooks],
    site: Path,
    watch: Watch,
    tmp_path: Path,
    light: None,
    store_ref: str,
) -> None:
    srv, hooks = served
    good = add_pages(site, "news.test", real_pages(2))
    (site / "news.test" / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    hooks["news.test/doc.pdf"] = Reply(200, b"%PDF-1.4", {"Content-Type": "application/pdf"})
    hooks["news.test/busy"] = Reply(429, b"", {"Retry-After": "0"})
    extra = [
        "https://news.test/private/a",
        "https://news.test/doc.pdf",
        "https://news.test/gone",
        "https://news.test/busy",
    ]
    (site / "news.test" / "feed.xml").write_text(rss((u, u) for u in [*good, *extra]))
    with Store(store_ref) as store, _monitor(store, watch, srv, tmp_path) as monitor:
        frontier = Frontier(store)
        frontier.add_feed("https://news.test/feed.xml")
        summary = monitor.cycle()
        assert summary.stored == 2 and summary.skipped == 2 and summary.failed == 1
        assert summary.retrying == 1
        states = {r["url"]: r for r in frontier.rows()}
        assert states["https://news.test/private/a"]["state"] == "skipped"
        assert "robots.txt" in states["https://news.test/private/a"]["reason"]
        assert "[not-html]" in states["https://news.test/doc.pdf"]["reason"]
        assert states["https://news.test/gone"]["state"] == "failed"
        assert states["https://news.test/busy"]["state"] == "new"
        assert not any(e.path.startswith("/private") for e in srv.log)
        # the busy page recovers on a later cycle
        del hooks["news.test/busy"]
        hooks["news.test/busy"] = Reply(
            200,
            (real_pages(1, skip=5)[0]).read_bytes(),
            {"Content-Type": "text/html", "Content-Encoding": "gzip"},
        )
        later = monitor.cycle()
        assert later.stored == 1 and frontier.rows() and states
        assert {r["url"]: r["state"] for r in frontier.rows()}["https://news.test/busy"] == "done"


def test_failing_feed_backs_off_and_shows_in_health(
    served: tuple[ReplayServer, Hooks],
    watch: Watch,
    tmp_path: Path,
    light: None,
    store_ref: str,
) -> None:
    srv, hooks = served
    hooks["down.test/feed.xml"] = Reply(503, b"maintenance", {"Retry-After": "120"})
    with Store(store_ref) as store, _monitor(store, watch, srv, tmp_path) as monitor:
        frontier = Frontier(store)
        frontier.add_feed("https://down.test/feed.xml")
        first = monitor.cycle()
        assert first.feeds == 1 and first.feed_errors == 1
        feed = frontier.feeds()[0]
        assert feed.consecutive_failures == 1 and feed.next_poll_ts >= time.time() + 110
        health = frontier.health(feed)
        assert health["status"] == "failing" and "503" in health["last_error"]
        assert health["last_success"] is None
        assert monitor.cycle().feeds == 0  # not due again before Retry-After
        with store.transaction():
            store.conn.execute("UPDATE feeds SET next_poll_ts = 0")
        started = time.monotonic()
        deferred = monitor.cycle()  # due, but the host is held: deferred, no wait
        assert time.monotonic() - started < 5
        assert deferred.feeds == 0 and deferred.feed_errors == 0
        [skip] = deferred.skipped_feeds
        assert skip["reason"] == "deferred" and "pause" in skip["detail"]
        assert skip["until"] == now_iso(frontier.feeds()[0].next_poll_ts)
        assert frontier.feeds()[0].consecutive_failures == 1
        monitor.fetcher.limiter = HostLimiter(0.0)  # (as if the pause were over)
        hooks["down.test/feed.xml"] = Reply(500, b"broken")
        for _ in range(4):
            with store.transaction():
                store.conn.execute("UPDATE feeds SET next_poll_ts = 0")
            assert monitor.cycle().feed_errors == 1
        assert frontier.health(frontier.feeds()[0])["status"] == "dead"


def test_sitemap_index_homepage_discovery_and_real_feed(
    served: tuple[ReplayServer, Hooks],
    site: Path,
    watch: Watch,
    tmp_path: Path,
    light: None,
    store_ref: str,
) -> None:
    srv, _ = served
    urls = add_pages(site, "news.test", real_pages(3))
    (site / "news.test" / "index.html").write_text(
        "<!doctype html><html><head>"
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        "</head><body>home</body></html>"
    )
    (site / "news.test" / "feed.xml").write_text(rss([(urls[0], "one")]))
    (site / "news.test" / "sitemap-index.xml").write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>https://news.test/sitemap-1.xml</loc><lastmod>2024-01-02</lastmod></sitemap>"
        "</sitemapindex>"
    )
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls[1:])
    sitemap = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    (site / "news.test" / "sitemap-1.xml.gz").write_bytes(gzip.compress(sitemap.encode()))
    (site / "real.test").mkdir()
    (site / "real.test" / "guardian.rss").symlink_to(
        FEED_SAMPLES / "rss-parser" / "test" / "input" / "guardian.rss"
    )
    with Store(store_ref) as store, _monitor(store, watch, srv, tmp_path) as monitor:
        frontier = Frontier(store)
        frontier.add_feed("https://news.test/")
        frontier.add_feed("https://news.test/sitemap-index.xml")
        summary = monitor.cycle()
        kinds = {f.url: f.kind for f in frontier.feeds()}
        assert kinds == {
            "https://news.test/": "homepage",
            "https://news.test/sitemap-index.xml": "sitemapindex",
            "https://news.test/feed.xml": "feed",
            "https://news.test/sitemap-1.xml": "sitemap",
        }
        assert summary.stored == 3 and store.count() == 3
        # a real feed (55 items): its feed host lets us in, the article host does not
        (site / "www.theguardian.com").mkdir()
        (site / "www.theguardian.com" / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
        frontier.add_feed("https://real.test/guardian.rss")
        before = len(srv.log)
        real = monitor.cycle()
        assert real.new_articles == 55 and real.skipped == 55 and real.stored == 0
        hits = [(e.host, e.path) for e in srv.log[before:] if e.host != "news.test"]
        assert sorted(hits) == [
            ("real.test", "/guardian.rss"),
            ("real.test", "/robots.txt"),
            ("www.theguardian.com", "/robots.txt"),
        ]


def test_watch_feeds_are_synced_and_removal_sticks(
    tmp_path: Path,
    store_ref: str,
) -> None:
    watch = load_watch()
    with Store(store_ref) as store:
        frontier = Frontier(store)
        added = frontier.sync_watch(watch)
        listed = [u for o in watch.outlets for u in o.feeds]
        assert added == len(set(listed)) >= 20
        assert frontier.remove_feed(listed[0])
        assert frontier.sync_watch(watch) == 0
        assert listed[0] not in {f.url for f in frontier.feeds()}
        frontier.add_feed(listed[0])  # the user adds it back
        assert listed[0] in {f.url for f in frontier.feeds()}


def test_policy_refusal_is_not_a_failure_and_a_run_allowed_polls_at_once(
    served: tuple[ReplayServer, Hooks],
    site: Path,
    watch: Watch,
    tmp_path: Path,
    light: None,
    store_ref: str,
) -> None:
    srv, _ = served
    feed_url = local_site(site, srv.url)  # a feed at 127.0.0.1: refused by default
    with Store(store_ref) as store:
        frontier = Frontier(store)
        frontier.add_feed(feed_url)
        with _direct_monitor(store, watch, tmp_path, NetPolicy()) as monitor:
            refused = monitor.cycle()
            assert srv.log == []  # nothing reached the server
            assert refused.feeds == 0 and refused.feed_errors == 0 and refused.errors == []
            [skip] = refused.skipped_feeds
            assert skip["url"] == feed_url and skip["reason"] == "blocked"
            assert skip["until"] is None  # until the policy allows it
            assert "127.0.0.1" in skip["detail"] and "--allow-private-networks" in skip["detail"]
            feed = frontier.feeds()[0]
            assert feed.consecutive_failures == 0  # not a failure: no backoff
            assert feed.next_poll_ts <= time.time() + 600 + 1  # at most the poll interval
            health = frontier.health(feed)
            assert health["status"] == "blocked" and health["consecutive_failures"] == 0
            assert health["last_error"].startswith("[blocked]")
            assert "--allow-private-networks" in health["last_error"]
            # the same run (same policy) does not ask again before the interval
            again = monitor.cycle()
            assert again.feeds == 0 and [s["reason"] for s in again.skipped_feeds] == ["blocked"]
            assert frontier.feeds()[0].polls == feed.polls
        # the next run, with private networks allowed, polls it at once (no re-adding, no wait)
        with _direct_monitor(store, watch, tmp_path, NetPolicy(allow_private=True)) as monitor:
            allowed = monitor.cycle()
        assert allowed.feeds == 1 and allowed.feed_errors == 0 and allowed.stored == 2
        assert allowed.skipped_feeds == []
        assert frontier.health(frontier.feeds()[0])["status"] == "ok"


def test_a_policy_backoff_stored_by_earlier_versions_is_polled_once_allowed(
    served: tuple[ReplayServer, Hooks],
    site: Path,
    watch: Watch,
    tmp_path: Path,
    light: None,
    store_ref: str,
) -> None:
    srv, _ = served
    feed_url = local_site(site, srv.url)
    refusal = (
        "[blocked] 127.0.0.1: address 127.0.0.1 is loopback"
        " (allow it with --allow-private-networks)"
    )
    with Store(store_ref) as store:
        frontier = Frontier(store)
        feed_id = frontier.add_feed(feed_url)
        now = int(time.time())
        with store.transaction():  # what earlier versions stored: a failure, backed off a day
            store.conn.execute(
                "UPDATE feeds SET consecutive_failures = 3, next_poll_ts = ?, polls = 3,"
                " last_polled_at = ?, last_error = ?, last_error_at = ? WHERE id = ?",
                (now + 86400, now_iso(now - 60), refusal, now_iso(now - 60), feed_id),
            )
            store.conn.execute(
                "INSERT INTO feed_polls(feed_id, at_ts, status, items, new_items, error)"
                " VALUES (?, ?, NULL, 0, 0, ?)",
                (feed_id, now - 60, refusal),
            )
        assert frontier.health(frontier.feeds()[0])["status"] == "blocked"
        with _direct_monitor(store, watch, tmp_path, NetPolicy(allow_private=True)) as monitor:
            summary = monitor.cycle()
        assert summary.feeds == 1 and summary.stored == 2, summary.errors
        feed = frontier.feeds()[0]
        assert feed.consecutive_failures == 0 and frontier.health(feed)["status"] == "ok"


def test_dns_failure_is_unresolvable_a_failure_that_backs_off(
    watch: Watch,
    tmp_path: Path,
    light: None,
    store_ref: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    no_such_names(monkeypatch)
    with Store(store_ref) as store:
        frontier = Frontier(store)
        frontier.add_feed("http://feed.invalid/feed.xml")
        with _direct_monitor(store, watch, tmp_path, NetPolicy()) as monitor:
            first = monitor.cycle()
            assert first.feeds == 1 and first.feed_errors == 1 and first.skipped_feeds == []
            [error] = first.errors
            assert error["code"] == "unresolvable" and "feed.invalid" in error["reason"]
            feed = frontier.feeds()[0]
            assert feed.consecutive_failures == 1 and feed.next_poll_ts >= time.time() + 1100
            health = frontier.health(feed)
            assert health["status"] == "failing"
            assert health["last_error"].startswith("[unresolvable]")
            later = monitor.cycle()
        assert later.feeds == 0
        [skip] = later.skipped_feeds
        assert skip["reason"] == "backoff" and skip["until"] == now_iso(feed.next_poll_ts)
        assert "[unresolvable]" in skip["detail"]


def test_feed_disallowed_by_robots_txt_is_blocked_unavailable_robots_txt_fails(
    served: tuple[ReplayServer, Hooks],
    site: Path,
    watch: Watch,
    tmp_path: Path,
    light: None,
    store_ref: str,
) -> None:
    srv, hooks = served
    build_site(site, {"news.test": 1})
    (site / "news.test" / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    hooks["down.test/robots.txt"] = Reply(503, b"maintenance")
    closed, down = "https://news.test/feed.xml", "https://down.test/feed.xml"
    with Store(store_ref) as store, _monitor(store, watch, srv, tmp_path) as monitor:
        frontier = Frontier(store)
        frontier.add_feed(closed)
        frontier.add_feed(down)
        summary = monitor.cycle()
        assert summary.feeds == 1 and summary.feed_errors == 1  # down.test only
        assert [e["url"] for e in summary.errors] == [down]
        [skip] = summary.skipped_feeds
        assert skip["url"] == closed and skip["reason"] == "blocked"
        assert "robots.txt" in skip["detail"]
        health = {h["url"]: h for h in (frontier.health(f) for f in frontier.feeds())}
        assert health[closed]["status"] == "blocked" and health[closed]["consecutive_failures"] == 0
        assert health[down]["status"] == "failing" and health[down]["consecutive_failures"] == 1
        assert not any(e.path == "/feed.xml" for e in srv.log)


def test_cycle_reports_the_feeds_it_skips_why_and_until_when(
    served: tuple[ReplayServer, Hooks],
    site: Path,
    watch: Watch,
    tmp_path: Path,
    light: None,
    store_ref: str,
) -> None:
    srv, hooks = served
    build_site(site, {"news.test": 1})
    hooks["down.test/feed.xml"] = Reply(500, b"broken")
    ok, failing, gone = (
        "https://news.test/feed.xml",
        "https://down.test/feed.xml",
        "https://gone.test/feed.xml",
    )
    with (
        Store(store_ref) as store,
        _monitor(store, watch, srv, tmp_path, interval=600.0) as monitor,
    ):
        frontier = Frontier(store)
        for url in (ok, failing, gone):
            frontier.add_feed(url)
        frontier.remove_feed(gone)
        first = monitor.cycle()
        assert first.feeds == 2 and first.feed_errors == 1
        assert first.skipped_feeds == [
            {"url": gone, "reason": "removed", "until": None, "detail": None}
        ]
        second = monitor.cycle()
        assert second.feeds == 0 and second.feed_errors == 0
        skipped = {s["url"]: s for s in second.skipped_feeds}
        assert [s["url"] for s in second.skipped_feeds] == [ok, failing, gone]
        feeds = {f.url: f for f in frontier.feeds()}
        assert skipped[ok] == {
            "url": ok,
            "reason": "not-due",
            "until": now_iso(feeds[ok].next_poll_ts),
            "detail": None,
        }
        assert skipped[failing]["reason"] == "backoff"
        assert skipped[failing]["until"] == now_iso(feeds[failing].next_poll_ts)
        assert "HTTP 500" in skipped[failing]["detail"]
        assert skipped[gone]["reason"] == "removed"
        assert second.as_dict()["skipped_feeds"] == second.skipped_feeds
