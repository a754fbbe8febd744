"""Feed parsing on the real feeds of ../shared/data/feeds/samples, against their expected parses."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import FA_TREATY, RU_SANCTIONS
from monitor_support import FEED_SAMPLES
from newsparallax.monitor.feeds import discover_feeds, parse_feed

RSS_PARSER = FEED_SAMPLES / "rss-parser" / "test"
TRAFILATURA = FEED_SAMPLES / "trafilatura" / "tests" / "resources"
BASE = "http://feeds.example.test/feed"


def _expected(name: str) -> list[str]:
    data = json.loads(
        (RSS_PARSER / "output" / f"{name}.json").read_bytes().decode("utf-8", "replace")
    )
    links = [item.get("link") for item in data["feed"]["items"]]
    return [urljoin(BASE, link.strip()) for link in links if link and link.strip()]


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for p in (RSS_PARSER / "input").iterdir()
        if (RSS_PARSER / "output" / f"{p.stem}.json").exists()
    ),
    ids=lambda p: p.name,
)
def test_item_links_match_the_expected_parse(path: Path) -> None:
    parsed = parse_feed(path.read_bytes(), url=BASE)
    assert parsed.error is None
    assert [item.url for item in parsed.items] == _expected(path.stem)


def test_feed_versions_and_metadata() -> None:
    guardian = parse_feed((RSS_PARSER / "input" / "guardian.rss").read_bytes(), url=BASE)
    assert guardian.kind == "rss" and guardian.version == "rss20"
    assert guardian.title == "The Guardian" and len(guardian.items) == 55
    first = guardian.items[0]
    assert first.title.startswith("Trump State of the Union")
    assert first.published == "2018-01-31T07:26:05+00:00"
    assert (
        parse_feed((RSS_PARSER / "input" / "rss-1.rss").read_bytes(), url=BASE).version == "rss10"
    )
    assert (
        parse_feed((RSS_PARSER / "input" / "heraldsun.rss").read_bytes(), url=BASE).version
        == "rss092"
    )
    atom = parse_feed((RSS_PARSER / "input" / "heise.atom").read_bytes(), url=BASE)
    assert atom.kind == "atom" and len(atom.items) == 15


def test_legacy_charset_feeds_decode() -> None:
    uol = parse_feed((RSS_PARSER / "input" / "uolNoticias.rss").read_bytes(), url=BASE)
    # undeclared ISO-8859-1 bytes
    assert any("ç" in i.title or "ã" in i.title for i in uol.items)
    assert not any("\ufffd" in i.title for i in uol.items)
    # our own Cyrillic and Persian feeds in legacy code pages
    for text, codec in ((RU_SANCTIONS, "windows-1251"), (FA_TREATY, "windows-1256")):
        # windows-1256 has the Arabic yeh and kaf, which Persian pages in it use
        title = text.split(".")[0].replace("\u200c", " ").replace("ی", "ي").replace("ک", "ك")
        doc = (
            f'<?xml version="1.0" encoding="{codec}"?><rss version="2.0"><channel><title>t</title>'
            f"<item><title>{title}</title><link>https://news.test/a</link></item></channel></rss>"
        ).encode(codec)
        parsed = parse_feed(doc, url=BASE)
        assert parsed.items[0].title == " ".join(title.split())


def test_json_feed() -> None:
    parsed = parse_feed((TRAFILATURA / "feed.json").read_bytes(), url=BASE)
    raw = json.loads((TRAFILATURA / "feed.json").read_text(encoding="utf-8"))
    assert parsed.kind == "json" and parsed.version == "json1"
    assert [i.url for i in parsed.items] == [item["url"] for item in raw["items"]]
    assert parsed.items[0].published == "2021-10-29T14:26:00+00:00"


def test_sitemaps_plain_gzip_index_and_hreflang() -> None:
    plain = parse_feed((TRAFILATURA / "sitemap.xml").read_bytes(), url=BASE)
    packed = parse_feed((TRAFILATURA / "sitemap.xml.gz").read_bytes(), url=BASE)
    assert plain.kind == "sitemap" and len(plain.items) == 84
    assert [i.url for i in packed.items] == [i.url for i in plain.items]
    index = parse_feed((TRAFILATURA / "sitemap2.xml").read_bytes(), url=BASE)
    assert index.kind == "sitemapindex"
    # newest first; the CDATA-wrapped <loc> is read too
    assert index.feeds == [
        "http://www.example.com/sitemap2.xml.gz",
        "http://www.example.com/sitemap1.xml.gz",
    ]
    hreflang = parse_feed((TRAFILATURA / "sitemap-hreflang.xml").read_bytes(), url=BASE)
    assert hreflang.items and all(
        i.url.startswith("http://www.example.com/") for i in hreflang.items
    )


def test_news_sitemap_fields() -> None:
    doc = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.test/a/1</loc>
    <news:news><news:publication><news:name>News Test</news:name><news:language>en</news:language>
    </news:publication><news:publication_date>2024-03-05T10:00:00+03:00</news:publication_date>
    <news:title>Our own headline</news:title></news:news></url>
</urlset>"""
    parsed = parse_feed(doc, url=BASE)
    assert parsed.items[0].url == "https://news.test/a/1"
    assert parsed.items[0].title == "Our own headline"
    assert parsed.items[0].published == "2024-03-05T07:00:00+00:00"


def test_sitemap_entities_are_not_expanded() -> None:
    doc = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://news.test/&e;</loc></url></urlset>"""
    parsed = parse_feed(doc, url=BASE)
    assert all("root:" not in i.url for i in parsed.items)


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>")
    parsed = parse_feed(bomb, url=BASE, max_bytes=1_000_000)
    assert parsed.error and "more than" in parsed.error and not parsed.items


def test_feed_discovery_from_a_homepage() -> None:
    page = b"""<!doctype html><html><head><base href="https://news.test/en/">
<link rel="alternate" type="application/rss+xml" title="All" href="/rss/all.xml">
<link rel='alternate' type='application/atom+xml' href='atom.xml'>
<link rel="alternate" type="application/feed+json" href="https://news.test/feed.json">
<link rel="alternate" hreflang="fr" href="https://news.test/fr/">
<link rel="stylesheet" type="text/css" href="/s.css"></head><body>x</body></html>"""
    assert discover_feeds(page, url="https://news.test/") == [
        "https://news.test/rss/all.xml",
        "https://news.test/en/atom.xml",
        "https://news.test/feed.json",
    ]
    parsed = parse_feed(page, url="https://news.test/")
    assert parsed.kind == "html" and len(parsed.feeds) == 3


def test_garbage_is_an_error_not_an_exception() -> None:
    for data in (b"", b"\x00\x01binary", b"{not json", b'{"version": "x"}', b"plain text"):
        parsed = parse_feed(data, url=BASE)
        assert parsed.error is not None and not parsed.items
    assert parse_feed(b"/etc/passwd", url=BASE).items == []  # never opened as a path


def test_hostile_json_is_an_error_not_an_exception() -> None:
    """A JSON document nested 5,000 deep (RecursionError) or with a 5,000-digit number
    (ValueError) is a feed error, as parse_feed promises, not an exception in the monitor."""
    version = b'{"version": "https://jsonfeed.org/version/1.1", "items": '
    for data in (b"[" * 5000 + b"]" * 5000, version + b"[" * 5000 + b"]" * 5000 + b"}",
                 version + b"1" * 5000 + b"}"):  # fmt: skip
        parsed = parse_feed(data, url=BASE)
        assert parsed.kind == "json" and parsed.error is not None and not parsed.items
