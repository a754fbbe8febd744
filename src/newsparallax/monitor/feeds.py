"""Parse what a feed URL returns: RSS 0.9x/1.0/2.0, Atom, JSON Feed, sitemaps, or a homepage.

:func:`parse_feed` recognises the format by content (gzip is looked through with a ceiling)
and returns a :class:`ParsedFeed`:

* RSS and Atom go through ``feedparser`` (from bytes, never letting it fetch anything), which
  also decodes legacy charsets using the HTTP ``Content-Type``;
* JSON Feed 1.x is read here;
* a sitemap (``<urlset>``, with ``news:`` extensions) gives article URLs; a sitemap index
  (``<sitemapindex>``) gives child sitemaps, newest first; both parsed with entity expansion
  and network access off;
* an HTML page gives the feeds it announces with ``<link rel="alternate" type="…rss/atom/json">``
  (feed discovery).

Item URLs are made absolute against the feed's URL; only http(s) links are kept.
"""

from __future__ import annotations

import calendar
import io
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from .. import safejson

__all__ = ["FeedItem", "ParsedFeed", "discover_feeds", "parse_feed"]

_GZIP_MAGIC = b"\x1f\x8b"
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_PROLOG = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S | re.I)
_LINK_TAG = re.compile(rb"<link\b[^>]*>", re.I)
_ATTR = re.compile(rb"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
    "text/xml",
    "application/xml",
)
_BASE = re.compile(rb"""<base\b[^>]*href\s*=\s*["']([^"']+)["']""", re.I)
#: Child sitemaps of an index taken per poll (newest first); news sites have thousands.
MAX_CHILD_SITEMAPS = 5


@dataclass(frozen=True, slots=True)
class FeedItem:
    url: str
    title: str = ""
    published: str | None = None
    """ISO-8601 (UTC) when the feed gives a date."""
    summary: str = ""


@dataclass(slots=True)
class ParsedFeed:
    kind: str
    """``rss``, ``atom``, ``json``, ``sitemap``, ``sitemapindex``, ``html`` or ``unknown``."""
    version: str = ""
    title: str = ""
    items: list[FeedItem] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    """Further feeds to poll: child sitemaps, or the feeds a homepage announces."""
    error: str | None = None
    """Why nothing could be read (a broken or unrecognised document)."""


def parse_feed(
    data: bytes,
    *,
    url: str,
    content_type: str = "",
    max_bytes: int = 64 * 1024 * 1024,
) -> ParsedFeed:
    """Parse a fetched feed document; never raises on bad input (see ``error``)."""
    if data.startswith(_GZIP_MAGIC):
        from .fetcher import TooLarge, gunzip_limited

        try:
            data = gunzip_limited(data, limit=max_bytes)
        except TooLarge as err:
            return ParsedFeed(kind="unknown", error=str(err))
    head = data[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        return ParsedFeed(kind="unknown", error="empty document")
    if head.startswith((b"{", b"[")):
        return _parse_json_feed(data, url=url)
    root = _root_name(head)
    if root in ("urlset", "sitemapindex"):
        return _parse_sitemap(data, url=url)
    if root in ("html", "!doctype") or (root is None and b"<html" in head.lower()):
        return ParsedFeed(kind="html", feeds=discover_feeds(data, url=url))
    return _parse_xml_feed(data, url=url, content_type=content_type)


def _root_name(head: bytes) -> str | None:
    body = _PROLOG.sub(b"", head)
    if re.match(rb"\s*<!doctype\s+html", head, re.I):
        return "html"
    m = _ROOT.search(body)
    if m is None:
        return None
    return m.group(1).split(b":")[-1].decode("ascii", "replace").lower()


def _http_url(link: object, base: str) -> str | None:
    if not isinstance(link, str) or not link.strip():
        return None
    absolute = urljoin(base, link.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _parse_xml_feed(data: bytes, *, url: str, content_type: str) -> ParsedFeed:
    import feedparser  # type: ignore[import-untyped]

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    # a file-like object: feedparser would fetch a URL or open a path given as str/bytes
    parsed: Any = feedparser.parse(io.BytesIO(data), response_headers=headers)
    version = str(parsed.get("version") or "")
    items: list[FeedItem] = []
    for entry in parsed.entries:
        link = _http_url(entry.get("link"), url)
        if link is None:
            link = next(
                (
                    u
                    for lk in entry.get("links", [])
                    if lk.get("rel", "alternate") == "alternate"
                    and (u := _http_url(lk.get("href"), url))
                ),
                None,
            )
        if link is None:
            continue
        # plain dict access: feedparser's own mapping of updated -> published warns
        stamp = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
        items.append(
            FeedItem(
                url=link,
                title=" ".join(str(entry.get("title", "")).split()),
                published=_iso(stamp),
                summary=str(entry.get("summary", ""))[:2000],
            )
        )
    feed = parsed.get("feed", {})
    error = None
    if not version and not items:
        exc = parsed.get("bozo_exception")
        error = f"not a feed: {exc}" if exc else "not a feed, sitemap or HTML page"
    kind = "atom" if version.startswith("atom") else "rss" if version else "unknown"
    return ParsedFeed(
        kind=kind,
        version=version,
        title=" ".join(str(feed.get("title", "")).split()),
        items=items,
        error=error,
    )


def _iso(stamp: Any) -> str | None:
    if not stamp:
        return None
    try:
        seconds = calendar.timegm(stamp)
    except (TypeError, ValueError, OverflowError):
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(seconds))


def _parse_json_feed(data: bytes, *, url: str) -> ParsedFeed:
    try:
        doc = safejson.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        return ParsedFeed(kind="json", error=f"invalid JSON: {err}")
    except safejson.JSONError as err:
        return ParsedFeed(kind="json", error=str(err))
    if not isinstance(doc, dict) or "jsonfeed.org" not in str(doc.get("version", "")):
        return ParsedFeed(kind="json", error="JSON, but not a JSON Feed (no jsonfeed.org version)")
    items: list[FeedItem] = []
    entries = doc.get("items")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        link = _http_url(entry.get("url"), url) or _http_url(entry.get("external_url"), url)
        if link is None:
            continue
        summary = entry.get("summary") or entry.get("content_text") or ""
        items.append(
            FeedItem(
                url=link,
                title=" ".join(str(entry.get("title") or "").split()),
                published=_json_date(entry.get("date_published") or entry.get("date_modified")),
                summary=str(summary)[:2000],
            )
        )
    version = str(doc.get("version", "")).rstrip("/").rsplit("/", 1)[-1]
    return ParsedFeed(
        kind="json",
        version=f"json{version}",
        title=" ".join(str(doc.get("title") or "").split()),
        items=items,
    )


def _json_date(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    from datetime import UTC, datetime

    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat()


def _parse_sitemap(data: bytes, *, url: str) -> ParsedFeed:
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as err:
        return ParsedFeed(kind="sitemap", error=f"invalid sitemap XML: {err}")
    if root is None:
        return ParsedFeed(kind="sitemap", error="invalid sitemap XML")
    name = etree.QName(root).localname
    if name == "sitemapindex":
        children: list[tuple[str, str]] = []
        for el in root:
            if not isinstance(el.tag, str) or etree.QName(el).localname != "sitemap":
                continue
            fields = _children(el)
            link = _http_url(fields.get("loc"), url)
            if link:
                children.append((fields.get("lastmod", ""), link))
        # newest first when dated (stable otherwise: document order)
        ordered = sorted(children, key=lambda c: c[0], reverse=True)
        return ParsedFeed(kind="sitemapindex", feeds=[c[1] for c in ordered])
    items: list[FeedItem] = []
    for el in root:
        if not isinstance(el.tag, str) or etree.QName(el).localname != "url":
            continue
        fields = _children(el)
        link = _http_url(fields.get("loc"), url)
        if link is None:
            continue
        published = fields.get("publication_date") or fields.get("lastmod")
        items.append(
            FeedItem(
                url=link,
                title=" ".join((fields.get("title") or "").split()),
                published=_json_date(published) or (published or None),
            )
        )
    return ParsedFeed(kind="sitemap", items=items)


def _children(el: Any) -> dict[str, str]:
    """Local name → text of an element's descendants (``news:news`` fields are nested)."""
    from lxml import etree

    out: dict[str, str] = {}
    for child in el.iter():
        if child is el or not isinstance(child.tag, str):
            continue
        text = (child.text or "").strip()
        if text:
            out.setdefault(etree.QName(child).localname, text)
    return out


def discover_feeds(html: bytes, *, url: str) -> list[str]:
    """Feeds announced by a page's ``<link rel="alternate" type="…">`` tags, absolute, in order."""
    head = html[:512_000]
    base = url
    if m := _BASE.search(head):
        base = urljoin(url, m.group(1).decode("utf-8", "replace").strip())
    found: list[str] = []
    for tag in _LINK_TAG.findall(head):
        attrs = {
            m.group(1).lower().decode("ascii", "replace"): (m.group(2) or m.group(3) or m.group(4))
            .decode("utf-8", "replace")
            .strip()
            for m in _ATTR.finditer(tag)
            if m.group(2) is not None or m.group(3) is not None or m.group(4) is not None
        }
        rels = attrs.get("rel", "").lower().split()
        kind = attrs.get("type", "").lower().split(";")[0].strip()
        if "alternate" not in rels or kind not in _FEED_TYPES:
            continue
        link = _http_url(attrs.get("href"), base)
        if link and link not in found:
            found.append(link)
    return found
