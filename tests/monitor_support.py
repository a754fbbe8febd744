"""Helpers for the live-monitor tests: a site folder built in a temporary directory.

Real pages are linked (symlinks) from ../shared/data/extraction, never copied; feeds that list
them are written by the tests themselves. Served by
:class:`newsparallax.monitor.replay.ReplayServer`.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from email.utils import formatdate
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from conftest import SHARED_DATA

PAGES = SHARED_DATA / "extraction" / "scrapinghub-article-extraction-benchmark" / "html"
FEED_SAMPLES = SHARED_DATA / "feeds" / "samples"

WATCH_TOML = """\
[watch]
name = "test-monitor"

[camps.test]
label = "Test camp"

[[outlets]]
id = "news.test"
name = "News Test"
domains = ["news.test"]
camp = "test"
"""


def real_pages(n: int, *, skip: int = 0) -> list[Path]:
    pages = sorted(PAGES.glob("*.html.gz"))[skip : skip + n]
    assert len(pages) == n, "the shared extraction pages are missing"
    return pages


def write_watch(folder: Path) -> Path:
    path = folder / "test-monitor.toml"
    path.write_text(WATCH_TOML, encoding="utf-8")
    return path


def rss(items: Iterable[tuple[str, str]], *, title: str = "Test feed") -> str:
    """Our own RSS 2.0 document listing ``(url, title)`` items."""
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(u)}</link>"
        f"<pubDate>{formatdate(1_700_000_000 + i * 3600, usegmt=True)}</pubDate></item>"
        for i, (u, t) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://news.test/</link>{body}</channel></rss>\n"
    )


def add_pages(site: Path, host: str, pages: list[Path], *, base: str | None = None) -> list[str]:
    """Link real pages under ``site/host/articles/``; their URLs (``https://host/...``)."""
    folder = site / host / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    urls = []
    for page in pages:
        name = page.name.removesuffix(".gz")
        target = folder / page.name
        if not target.exists():
            target.symlink_to(page)
        urls.append(f"{base or 'https://' + host}/articles/{name}")
    return urls


def build_site(site: Path, hosts: dict[str, int], *, skip: int = 0) -> dict[str, list[str]]:
    """A site per host with ``n`` real pages and ``/feed.xml`` listing them."""
    out: dict[str, list[str]] = {}
    offset = skip
    for host, n in hosts.items():
        urls = add_pages(site, host, real_pages(n, skip=offset))
        offset += n
        (site / host / "feed.xml").write_text(
            rss((u, f"Item {i}") for i, u in enumerate(urls)), encoding="utf-8"
        )
        out[host] = urls
    return out


def no_such_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names under ``.invalid`` (RFC 6761) fail to resolve here, without asking any resolver:
    a DNS failure that never reaches the network."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host).rstrip(".").endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def local_site(site: Path, base: str, n: int = 2) -> str:
    """A site served at ``base`` itself (``http://127.0.0.1:PORT``): ``n`` real pages and a
    feed listing them by that address; the feed's URL."""
    build_site(site, {"127.0.0.1": n})
    feed = site / "127.0.0.1" / "feed.xml"
    feed.write_text(feed.read_text().replace("https://127.0.0.1", base))
    return f"{base}/feed.xml"
