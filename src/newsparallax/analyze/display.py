"""How an article is named where a headline is shown: its title, or an untitled item's first words.

Telegram posts and many feed items have no title. Lists, briefings and the command line show them
by their first words (markup, links and leading emoji removed) — never as "(untitled)".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..store.database import Store

__all__ = ["FIRST_WORDS", "display_title", "display_titles"]

FIRST_WORDS = 12
"""Words of an untitled item shown in its place."""

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"\(?(?:https?://|t\.me/|www\.)\S+|<[^>]{0,300}>")
_MARKS = re.compile(r"[*_`~]{2,}|&[a-z]+;|&#\d+;")
_LEAD = re.compile(r"^[^\w«\"„“(\[]+")


def display_title(
    title: str | None, summary: str | None = "", text: str | None = "", *, words: int = FIRST_WORDS
) -> str:
    """``title`` with its whitespace collapsed; when it is empty, the first ``words`` words of
    ``summary`` (else ``text``) without links, markup or leading emoji, ending in "…" when cut.
    ``""`` only when all three are empty."""
    head = " ".join((title or "").split())
    if head:
        return head
    for body in (summary or "", text or ""):
        for line in body[:4000].splitlines():
            line = _MARKS.sub(" ", _URL.sub(" ", _LINK.sub(r"\1", line)))
            line = _LEAD.sub("", " ".join(line.split()))
            if not re.search(r"\w", line):
                continue
            parts = line.split()
            if len(parts) <= words:
                return line
            return " ".join(parts[:words]).rstrip(",;:—–-") + "…"
    return ""


def display_titles(store: Store, ids: Iterable[str], *, words: int = FIRST_WORDS) -> dict[str, str]:
    """Article id → :func:`display_title` for stored articles among ``ids`` (from the store's
    title, summary and the start of the text)."""
    unique = list(dict.fromkeys(ids))
    out: dict[str, str] = {}
    for i in range(0, len(unique), 500):
        chunk = unique[i : i + 500]
        for r in store.conn.execute(
            "SELECT id, title, substr(summary, 1, 2000), substr(text, 1, 2000) FROM articles"
            f" WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            out[r[0]] = display_title(r[1], r[2], r[3], words=words)
    return out
