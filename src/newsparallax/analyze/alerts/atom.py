"""The Atom 1.0 feed of alerts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

from ...textnorm import strip_bidi_controls
from .outbox import now_iso

_XML_BAD = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x9, 0xA, 0xD)] + [0xFFFE, 0xFFFF], None
)


def _xml_text(value: object) -> str:
    """Text safe in XML 1.0 (control characters dropped; escaping is ElementTree's), without
    bidirectional embedding, override and isolate controls (a feed reader shows titles)."""
    text = "" if value is None else str(value)
    text = strip_bidi_controls(text.translate(_XML_BAD))
    return "".join(ch for ch in text if not (0xD800 <= ord(ch) <= 0xDFFF))


def atom_feed(
    alerts: Iterable[dict[str, Any]],
    *,
    title: str = "Parallax alerts",
    feed_id: str = "urn:parallax:alerts",
    link: str | None = None,
    updated: str | None = None,
) -> str:
    """An Atom 1.0 document of ``alerts`` (as :func:`alerts_for_feed` returns them)."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)

    def sub(parent: ET.Element, tag: str, text: object = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ns}}}{tag}", {k: _xml_text(v) for k, v in attrs.items()})
        if text is not None:
            el.text = _xml_text(text)
        return el

    items = list(alerts)
    feed = ET.Element(f"{{{ns}}}feed")
    sub(feed, "title", title)
    sub(feed, "id", feed_id)
    stamps = [str(a.get("updated_at") or a.get("created_at") or "") for a in items]
    sub(feed, "updated", updated or max(stamps, default="") or now_iso())
    if link:
        sub(feed, "link", href=link, rel="self")
    sub(sub(feed, "author"), "name", "Parallax")
    for a in items:
        entry = sub(feed, "entry")
        count = int(a.get("count") or 1)
        sub(entry, "title", a.get("title", "") + (f" (×{count})" if count > 1 else ""))
        sub(entry, "id", f"{feed_id}:{a.get('watch', '')}:{a.get('id')}")
        sub(entry, "updated", a.get("updated_at") or a.get("created_at") or now_iso())
        sub(entry, "published", a.get("created_at") or now_iso())
        sub(entry, "category", term=str(a.get("kind", "")))
        lines = [
            str(a.get("summary", "")),
            f"days: {a.get('first_day')} .. {a.get('last_day')}; triggers: {count}",
            "events: " + ", ".join(map(str, a.get("event_ids", [])[:20])),
            "articles: " + ", ".join(map(str, a.get("article_ids", [])[:20])),
        ]
        if a.get("story_ids"):
            lines.append("stories: " + ", ".join(map(str, a["story_ids"][:20])))
        sub(entry, "content", "\n".join(lines), type="text")
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body
