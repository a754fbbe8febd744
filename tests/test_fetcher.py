"""The polite, guarded HTTP client against a local server: limits measured server-side."""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor_support import FEED_SAMPLES, no_such_names, real_pages
from newsparallax.monitor.fetcher import FetchConfig, Fetcher, HostLimiter, Refused, _retry_after
from newsparallax.monitor.netguard import Blocked, NetPolicy, check_url
from newsparallax.monitor.replay import ReplayServer, Reply
from newsparallax.monitor.robots import RobotsCache

UA = "ParallaxBot/0.1 (tests)"
LOCAL = NetPolicy.parse("true")


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "guardian.rss").symlink_to(
        FEED_SAMPLES / "rss-parser" / "test" / "input" / "guardian.rss"
    )
    page = real_pages(1)[0]
    (site / "page.html.gz").symlink_to(page)
    (site / "robots.txt").write_text(
        "User-agent: *\nDisallow: /private/\n\n"
        "User-agent: ParallaxBot\nDisallow: /nobots/\nCrawl-delay: 0.3\n"
    )
    return site


Hooks = dict[str, Reply]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[ReplayServer, Hooks]]:
    hooks: Hooks = {}

    def hook(host: str, path: str, headers: dict[str, str]) -> Reply | None:
        reply = hooks.get(path)
        if reply is not None and reply.status == 599:  # a slow server
            time.sleep(1.0)
            return Reply(200, b"late")
        return reply

    with ReplayServer(_site(tmp_path), hook=hook) as srv:
        yield srv, hooks


def _fetcher(**kw: object) -> Fetcher:
    values: dict[str, object] = {"user_agent": UA, "host_delay": 0.0, "policy": LOCAL}
    values.update(kw)
    return Fetcher(FetchConfig(**values))  # type: ignore[arg-type]


def test_get_gzip_page_and_conditional_get(server: tuple[ReplayServer, Hooks]) -> None:
    srv, _ = server
    with _fetcher() as f:
        page = f.fetch(srv.url + "/page.html")
        assert page.ok and page.status == 200 and page.content_type == "text/html"
        assert page.body == gzip.decompress(real_pages(1)[0].read_bytes())
        assert srv.log[-1].headers["user-agent"] == UA
        assert "gzip" in srv.log[-1].headers["accept-encoding"]
        feed = f.fetch(srv.url + "/guardian.rss")
        etag, modified = feed.headers["etag"], feed.headers["last-modified"]
        again = f.fetch(srv.url + "/guardian.rss", etag=etag, last_modified=modified)
        assert again.status == 304 and again.body == b"" and again.error_code is None
        assert srv.log[-1].headers["if-none-match"] == etag
        only_date = f.fetch(srv.url + "/guardian.rss", last_modified=modified)
        assert only_date.status == 304


def test_per_host_rate_limit_holds_under_concurrency(server: tuple[ReplayServer, Hooks]) -> None:
    srv, _ = server
    delay = 0.15
    other = srv.url.replace("127.0.0.1", "localhost")  # a second host name, same server
    with _fetcher(host_delay=delay) as f:
        threads = [
            threading.Thread(target=f.fetch, args=(f"{base}/guardian.rss?n={i}",))
            for i in range(5)
            for base in (srv.url, other)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    by_host: dict[str, list[float]] = {}
    for entry in srv.log:
        by_host.setdefault(entry.host.split(":")[0], []).append(entry.at)
    assert set(by_host) == {"127.0.0.1", "localhost"}
    for times in by_host.values():
        assert len(times) == 5
        gaps = [b - a for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
        assert min(gaps) >= delay - 0.02, gaps  # never faster than the limit
    assert elapsed < 5 * delay + 0.6  # the two hosts were served side by side


def test_retry_after_holds_the_host(server: tuple[ReplayServer, Hooks]) -> None:
    srv, hooks = server
    hooks["/busy"] = Reply(429, b"slow down", {"Retry-After": "1"})
    with _fetcher() as f:
        busy = f.fetch(srv.url + "/busy")
        assert busy.status == 429 and busy.retry_after == 1.0 and not busy.ok
        f.fetch(srv.url + "/page.html")
    times = [e.at for e in srv.log]
    assert times[1] - times[0] >= 0.95
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert _retry_after("soon") is None


def test_size_limits_and_decompression_bomb(server: tuple[ReplayServer, Hooks]) -> None:
    srv, hooks = server
    bomb = gzip.compress(b"\0" * 30_000_000)  # 30 MB of zeros in ~30 KB
    hooks["/bomb"] = Reply(200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"})
    deflate = zlib.compress(b"<p>" + b"a" * 3_000_000)
    hooks["/deflate"] = Reply(
        200, deflate, {"Content-Type": "text/html", "Content-Encoding": "deflate"}
    )
    hooks["/big"] = Reply(200, b"x" * 2_000_001, {"Content-Type": "text/html"})
    with _fetcher(max_bytes=1_000_000) as f:
        result = f.fetch(srv.url + "/bomb")
        assert result.error_code == "too-large" and len(result.body) == 0
        assert f.fetch(srv.url + "/deflate").error_code == "too-large"
        assert f.fetch(srv.url + "/big").error_code == "too-large"
    with _fetcher(max_bytes=4_000_000) as f:
        small = f.fetch(srv.url + "/deflate")
        assert small.ok and small.body.startswith(b"<p>aaa") and len(small.body) == 3_000_003


def test_redirects_followed_with_a_cap_and_types_filtered(
    server: tuple[ReplayServer, Hooks],
) -> None:
    srv, hooks = server
    hooks["/old"] = Reply(301, b"", {"Location": "/page.html"})
    hooks["/loop"] = Reply(302, b"", {"Location": "/loop"})
    hooks["/doc.pdf"] = Reply(200, b"%PDF-1.4 ...", {"Content-Type": "application/pdf"})
    with _fetcher(max_redirects=3) as f:
        moved = f.fetch(srv.url + "/old")
        assert moved.ok and moved.final_url == srv.url + "/page.html"
        assert [e.status for e in moved.exchanges] == [301, 200]
        loop = f.fetch(srv.url + "/loop")
        assert loop.error_code == "too-many-redirects" and len(loop.exchanges) == 4
        pdf = f.fetch(srv.url + "/doc.pdf", accept=("text/html",))
        assert pdf.error_code == "not-html" and "application/pdf" in (pdf.error or "")


def test_timeout(server: tuple[ReplayServer, Hooks]) -> None:
    srv, hooks = server
    hooks["/slow"] = Reply(599)
    with _fetcher(timeout=0.3) as f:
        result = f.fetch(srv.url + "/slow")
    assert result.error_code == "timeout" and result.seconds < 0.9


def test_ssrf_guard_refuses_private_addresses(server: tuple[ReplayServer, Hooks]) -> None:
    srv, _ = server
    with _fetcher(policy=NetPolicy()) as f:
        for url in (
            srv.url + "/page.html",
            srv.url.replace("127.0.0.1", "localhost") + "/page.html",
        ):
            result = f.fetch(url)
            assert result.error_code == "blocked" and "loopback" in (result.error or "")
        for url in (
            "file:///etc/passwd",
            "ftp://example.org/x",
            "gopher://x/",
            "http://user:pw@example.org/",
        ):
            assert f.fetch(url).error_code == "blocked"
    assert srv.log == []  # nothing reached the server


def test_dns_failure_is_unresolvable_not_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    no_such_names(monkeypatch)
    with _fetcher(policy=NetPolicy()) as f:
        result = f.fetch("http://feed.invalid/feed.xml")
        assert result.error_code == "unresolvable" and "feed.invalid" in (result.error or "")
        # robots.txt is asked first: its host does not resolve either, and that is what is said
        robots = RobotsCache(f)
        guarded = f.fetch("http://feed.invalid/feed.xml", permit=robots.reason_refused)
        assert guarded.error_code == "unresolvable" and "feed.invalid" in (guarded.error or "")


def test_ssrf_guard_rechecks_every_redirect(server: tuple[ReplayServer, Hooks]) -> None:
    srv, hooks = server
    hooks["/to-metadata"] = Reply(
        302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    hooks["/to-private"] = Reply(302, b"", {"Location": "http://10.0.0.1/admin"})
    hooks["/to-ipv6-loopback"] = Reply(302, b"", {"Location": "http://[::1]:1/"})
    hooks["/to-file"] = Reply(302, b"", {"Location": "file:///etc/passwd"})
    with _fetcher() as f:  # private networks allowed, link-local (metadata) still refused
        meta = f.fetch(srv.url + "/to-metadata")
        assert meta.error_code == "blocked" and "link-local" in (meta.error or "")
        assert f.fetch(srv.url + "/to-file").error_code == "blocked"
    with _fetcher(policy=NetPolicy.parse("127.0.0.0/8")) as f:  # only loopback allowed
        private = f.fetch(srv.url + "/to-private")
        assert private.error_code == "blocked" and "10.0.0.1" in (private.error or "")
        assert f.fetch(srv.url + "/to-ipv6-loopback").error_code == "blocked"


def test_net_policy() -> None:
    default, local, cidr = NetPolicy(), NetPolicy.parse("true"), NetPolicy.parse("10.1.0.0/16")
    for ip in (
        "127.0.0.1",
        "10.0.0.1",
        "192.168.1.1",
        "100.64.0.1",
        "::1",
        "fd00::1",
        "::ffff:127.0.0.1",
    ):
        with pytest.raises(Blocked):
            default.check_ip(ip)
    for ip in ("169.254.169.254", "fe80::1", "0.0.0.0", "224.0.0.1"):
        with pytest.raises(Blocked):
            local.check_ip(ip)
    local.check_ip("192.168.1.1")
    default.check_ip("8.8.8.8")
    default.check_ip("2a00:1450:4001::1")
    cidr.check_ip("10.1.2.3")
    with pytest.raises(Blocked):
        cidr.check_ip("10.2.0.1")
    assert check_url("HTTPS://Example.org/x") == ("https", "example.org", 443)


def test_robots_txt_is_obeyed_and_cached(server: tuple[ReplayServer, Hooks]) -> None:
    srv, hooks = server
    with _fetcher() as f:
        robots = RobotsCache(f)
        assert robots.reason_refused(srv.url + "/page.html") is None
        # our own group applies to us (it replaces the * group, per RFC 9309)
        assert robots.reason_refused(srv.url + "/nobots/x") is not None
        assert robots.reason_refused(srv.url + "/private/x") is None
        result = f.fetch(srv.url + "/nobots/x", permit=robots.reason_refused)
        assert result.error_code == "robots"
        assert f.limiter.delay_for(f"127.0.0.1:{srv.port}") == 0.3  # Crawl-delay
    assert [e.path for e in srv.log].count("/robots.txt") == 1
    hooks["/robots.txt"] = Reply(503, b"down")
    with _fetcher() as f, pytest.raises(Refused, match="unavailable") as refused:
        RobotsCache(f).reason_refused(srv.url + "/page.html")
    assert refused.value.code == "robots-unavailable"
    with _fetcher() as f:
        result = f.fetch(srv.url + "/page.html", permit=RobotsCache(f).reason_refused)
        assert result.error_code == "robots-unavailable"
    hooks["/robots.txt"] = Reply(404, b"none")
    with _fetcher() as f:
        assert RobotsCache(f).reason_refused(srv.url + "/nobots/x") is None


def test_host_limiter_clock() -> None:
    limiter = HostLimiter(0.1)
    limiter.set_delay("a:80", 0.01)
    assert limiter.delay_for("a:80") == 0.1  # robots may slow us down, never speed us up
    limiter.set_delay("a:80", 1e6)
    assert limiter.delay_for("a:80") == 60.0
    stop = threading.Event()
    stop.set()
    limiter.hold("b:80", 30)
    assert limiter.wait("b:80", stop=stop) is False
