"""Per-outlet boilerplate: lines an outlet repeats across its articles, left out of term counts.

Feeds and channels wrap their news in lines of their own — "View news." under every Censor.NET
item, "Читать нас без VPN можно здесь: bit.ly/…" under every BBC Russian post, "List of key
events, day 238" as an Al Jazeera headline every day, "Continue reading..." in a Guardian
summary. Counted as words they top any comparison of the camp's vocabulary, and say nothing
about how it frames a story.

A *segment* is a line of an article's title or body, or a sentence of a line. Its key is the
segment lower-cased, with markup and links removed and every run of digits read as one digit
(so "day 238" and "day 239" are the same line). A key is the outlet's boilerplate when it is
in at least :data:`MIN_ARTICLES` of the outlet's articles and those articles belong to at least
:data:`MIN_GROUPS` different stories (an article in no story is a group of its own): a paragraph
repeated by the updates of one story is not boilerplate, a line under unrelated articles is.
The outlet's articles are those compared plus, for a sample of its habits, its latest
:data:`SAMPLE` articles up to the end of the window.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from ...store.database import Store
from .terms import clean_markup

__all__ = ["MIN_ARTICLES", "MIN_GROUPS", "SAMPLE", "Boilerplate", "learn", "segment_key"]

MIN_ARTICLES = 3
MIN_GROUPS = 2
SAMPLE = 200
HEAD_CHARS = 3000
TAIL_CHARS = 1500
"""Of a long text, the beginning and the end are read (boilerplate sits there)."""

_LINES = re.compile(r"\n+")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=\W*[\w«\"„“])")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=131_072)
def segment_key(segment: str) -> str:
    """The key of a segment: lower-cased words of it without markup or links, digit runs as one
    digit (``""`` when no word is left). Kept for segments met again: boilerplate is by nature
    the lines an outlet repeats, and each story page learns its outlets' boilerplate anew."""
    words = _NOT_WORD.sub(" ", clean_markup(segment).casefold())
    return " ".join(_DIGITS.sub("0", words).split())


def segments(text: str) -> list[str]:
    """The lines of ``text`` and, when a line has several sentences, its sentences too."""
    out = []
    for line in _LINES.split(text):
        if not line.strip():
            continue
        out.append(line)
        parts = _SENTENCE.split(line)
        if len(parts) > 1:
            out.extend(p for p in parts if p.strip())
    return out


def _sample_text(text: str) -> str:
    if len(text) <= HEAD_CHARS + TAIL_CHARS:
        return text
    return f"{text[:HEAD_CHARS]}\n{text[-TAIL_CHARS:]}"


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """The boilerplate keys of each outlet."""

    keys: Mapping[str, frozenset[str]]

    def strip(self, outlet: str, text: str) -> str:
        """``text`` without the outlet's boilerplate lines and sentences."""
        keys = self.keys.get(outlet)
        if not keys or not text:
            return text
        kept = []
        for line in _LINES.split(text):
            if not line.strip() or segment_key(line) in keys:
                continue
            parts = _SENTENCE.split(line)
            if len(parts) > 1:
                line = " ".join(p for p in parts if segment_key(p) not in keys)
            kept.append(line)
        return "\n".join(kept)

    def is_boilerplate(self, outlet: str, segment: str) -> bool:
        return segment_key(segment) in self.keys.get(outlet, frozenset())

    def count(self) -> dict[str, int]:
        """Boilerplate keys per outlet (outlets with none left out)."""
        return {o: len(k) for o, k in sorted(self.keys.items()) if k}


def find(
    articles: Iterable[tuple[str, str, str]],
    *,
    min_articles: int = MIN_ARTICLES,
    min_groups: int = MIN_GROUPS,
) -> frozenset[str]:
    """The boilerplate keys of one outlet's ``articles`` (``(article id, group, text)``: the
    group is the article's story, or the article itself)."""
    seen: dict[str, set[str]] = defaultdict(set)
    groups: dict[str, set[str]] = defaultdict(set)
    done: set[str] = set()
    for article, group, text in articles:
        if article in done:
            continue
        done.add(article)
        for key in {segment_key(s) for s in segments(text)}:
            if key:
                seen[key].add(article)
                groups[key].add(group)
    return frozenset(
        k for k, arts in seen.items() if len(arts) >= min_articles and len(groups[k]) >= min_groups
    )


def learn(
    store: Store,
    known: Mapping[str, Iterable[tuple[str, str, str]]],
    *,
    until: int | None,
    sample: int = SAMPLE,
) -> Boilerplate:
    """The boilerplate of every outlet of ``known`` (outlet → ``(article id, group, text)`` of
    the articles compared), learnt from them and the outlet's latest ``sample`` articles up to
    ``until`` (Unix seconds; ``None``: the newest)."""
    keys: dict[str, frozenset[str]] = {}
    for outlet, items in known.items():
        pool = list(items)
        sql = (
            f"SELECT a.id, COALESCE(sa.story_id, a.id), a.title, a.summary,"
            f" substr(a.text, 1, {HEAD_CHARS + TAIL_CHARS}),"
            f" CASE WHEN length(a.text) > {HEAD_CHARS + TAIL_CHARS}"
            f" THEN substr(a.text, length(a.text) - {TAIL_CHARS - 1}, {TAIL_CHARS}) ELSE '' END"
            " FROM articles a LEFT JOIN story_articles sa ON sa.article_rowid = a.rowid"
            " WHERE a.outlet = ? AND a.duplicate_of IS NULL"
        )
        params: list[object] = [outlet]
        if until is not None:
            sql += " AND a.published_ts <= ?"
            params.append(until)
        sql += " ORDER BY a.published_ts DESC LIMIT ?"
        params.append(sample)
        if store.has_table("story_articles"):
            rows = store.conn.execute(sql, params)
        else:
            rows = store.conn.execute(
                sql.replace("COALESCE(sa.story_id, a.id)", "a.id").replace(
                    " LEFT JOIN story_articles sa ON sa.article_rowid = a.rowid", ""
                ),
                params,
            )
        for r in rows:
            text = r[4] or ""
            if r[5]:
                text = f"{text[:HEAD_CHARS]}\n{r[5]}"
            pool.append((r[0], r[1], f"{r[2] or ''}\n{r[3] or ''}\n{text}"))
        keys[outlet] = find((a, g, _sample_text(t)) for a, g, t in pool)
    return Boilerplate(keys)
