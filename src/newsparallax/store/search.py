"""Full-text search over the store, in English, Russian and Persian.

Titles and bodies are indexed in their normalised form (see :mod:`newsparallax.textnorm`), so a
query in any inflected form finds the others (санкции finds санкций; تحریم finds تحریم‌ها), and
SQLite's porter tokenizer stems English. Query syntax: words (all must match), ``"a phrase"``,
``OR`` between words, ``-word`` to exclude, ``word*`` for a prefix. Hits are ranked by BM25 with
titles weighted three times the body; syndicated copies are folded into their first-seen
original unless ``include_duplicates`` is set. Snippets are cut from the original text around the
densest run of matching words, with the matched spans given as offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..annotate.dates import format_date
from ..errors import QueryError
from ..periods import date_bound
from ..records import DatePrecision
from ..textnorm import normalize_words, prefix_words, word_spans
from .database import Store
from .filters import ArticleFilters, article_where
from .outlets import outlet_ids

_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')
_SNIPPET_WORDS = 32
_SNIPPET_SCAN = 50_000
"""Characters of a hit's text searched for its snippet."""
_BODY_WEIGHT = 0.33  # PostgreSQL's ranking: the body weighs a third of the title (as in BM25 here)


@dataclass(frozen=True, kw_only=True, slots=True)
class Hit:
    id: str
    title: str
    outlet: str
    outlet_name: str | None
    camp: str | None
    language: str
    published: str | None
    url: str | None
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    duplicates: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "outlet_name": self.outlet_name,
            "camp": self.camp,
            "language": self.language,
            "published": self.published,
            "url": self.url,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
            "duplicates": self.duplicates,
        }


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    fts: str  # an SQLite FTS5 expression
    terms: frozenset[str]  # normalised words to highlight; a prefix ends in ``*``
    tsquery: str = ""  # the same query for PostgreSQL's to_tsquery


def _ts_word(word: str, *, prefix: bool = False) -> str:
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'" + (":*" if prefix else "")


def parse_query(query: str) -> ParsedQuery:
    """Turn a user query into an FTS5 expression over normalised words."""
    parts: list[str] = []
    negated: list[str] = []
    ts_parts: list[str] = []
    ts_negated: list[str] = []
    terms: set[str] = set()
    pending_or = False
    for m in _QUERY_PART.finditer(query):
        phrase, word = m.group(1), m.group(2)
        if word == "OR":
            pending_or = bool(parts)
            continue
        negate = False
        prefix = False
        if phrase is not None:
            words = normalize_words(phrase)
            expr = '"' + " ".join(words) + '"' if words else ""
            ts = " <-> ".join(_ts_word(w) for w in words)
        else:
            assert word is not None
            if word.startswith("-") and len(word) > 1:
                negate, word = True, word[1:]
            if word.endswith("*") and len(word) > 1:
                prefix, word = True, word[:-1]
            words = prefix_words(word) if prefix else normalize_words(word)
            if not words:
                continue
            if prefix:
                expr = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
            else:
                expr = " ".join(f'"{w}"' for w in words)
            ts = " & ".join(
                _ts_word(w, prefix=prefix and i == len(words) - 1) for i, w in enumerate(words)
            )
        if not expr:
            continue
        if negate:
            negated.append(f"({expr.strip()})")
            ts_negated.append(f"!({ts})")
            continue
        terms.update([*words[:-1], words[-1] + "*"] if prefix else words)
        if pending_or and parts:
            parts[-1] = f"({parts[-1]} OR {expr.strip()})"
            ts_parts[-1] = f"({ts_parts[-1]} | ({ts}))"
        else:
            parts.append(f"({expr.strip()})")
            ts_parts.append(f"({ts})")
        pending_or = False
    if not parts:
        raise QueryError(f"nothing to search for in {query!r}")
    fts = " AND ".join(parts) + "".join(f" NOT {n}" for n in negated)
    return ParsedQuery(fts, frozenset(terms), " & ".join(ts_parts + ts_negated))


@dataclass(frozen=True, slots=True)
class FullTextMatch:
    """SQL for a parsed query on the store's backend, over ``articles_fts`` joined to its rows:
    a condition and a rank (lower is better), each with its parameters."""

    condition: str
    condition_params: tuple[Any, ...]
    rank: str
    rank_params: tuple[Any, ...]


def full_text_match(store: Store, parsed: ParsedQuery) -> FullTextMatch:
    """FTS5 with BM25 on SQLite; a ``tsvector`` match ranked by ``ts_rank`` on PostgreSQL.
    Both weigh titles three times the body."""
    if store.dialect == "postgresql":
        query = "to_tsquery('english', ?)"
        return FullTextMatch(
            f"articles_fts.doc @@ {query}",
            (parsed.tsquery,),
            f"-ts_rank('{{0.1, 0.2, {_BODY_WEIGHT}, 1.0}}', articles_fts.doc, {query})",
            (parsed.tsquery,),
        )
    return FullTextMatch("articles_fts MATCH ?", (parsed.fts,), "bm25(articles_fts, 3.0, 1.0)", ())


CANDIDATES = 256
"""Matches ranked by the full-text index alone in a first round (at least four times those
asked for): only they are read from the articles table and filtered."""


def ranked(
    store: Store,
    match: FullTextMatch,
    where: list[str],
    params: list[Any],
    *,
    count: int,
    candidates: int | None = None,
) -> list[tuple[int, float]]:
    """``(rowid, rank)`` of the best ``count`` matches that pass ``where`` (conditions over the
    articles ``a`` and their outlets ``o``), best first: ordered by rank, then rowid.

    The full-text index ranks every match on its own (no article row is read for that), and
    only the best :data:`CANDIDATES` (or ``4 × count``) are joined to their articles and
    filtered; when too few of them pass, the matches are ranked and filtered in one query
    instead. Either way the answer is that of the one query: a match outside the candidates
    ranks after every candidate. ``candidates`` overrides the size of the first round."""
    conn = store.conn
    k = max(CANDIDATES, 4 * count) if candidates is None else max(1, candidates)
    first = conn.execute(
        f"SELECT articles_fts.rowid, {match.rank} AS score FROM articles_fts"
        f" WHERE {match.condition} ORDER BY score, articles_fts.rowid LIMIT ?",
        [*match.rank_params, *match.condition_params, k],
    ).fetchall()
    found = [(int(r[0]), float(r[1])) for r in first]
    if where and found:
        passing: set[int] = set()
        for i in range(0, len(found), 500):
            chunk = [rowid for rowid, _ in found[i : i + 500]]
            passing.update(
                int(r[0])
                for r in conn.execute(
                    "SELECT a.rowid FROM articles a LEFT JOIN outlets o ON o.id = a.outlet"
                    f" WHERE a.rowid IN ({','.join('?' * len(chunk))}) AND {' AND '.join(where)}",
                    [*chunk, *params],
                )
            )
        found = [hit for hit in found if hit[0] in passing]
    if len(found) >= count or len(first) < k:
        return found[:count]
    rows = conn.execute(
        f"SELECT a.rowid, {match.rank} AS score"
        " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
        " LEFT JOIN outlets o ON o.id = a.outlet"
        f" WHERE {' AND '.join([match.condition, *where])} ORDER BY score, a.rowid LIMIT ?",
        [*match.rank_params, *match.condition_params, *params, count],
    ).fetchall()
    return [(int(r[0]), float(r[1])) for r in rows]


def search(
    store: Store,
    query: str,
    *,
    lang: str | None = None,
    camp: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
    include_duplicates: bool = False,
) -> list[Hit]:
    """Ranked hits for ``query`` with the given filters."""
    parsed = parse_query(query)
    match = full_text_match(store, parsed)
    where, params = article_where(
        ArticleFilters(
            outlets=outlet_ids(store, outlet) if outlet else None,
            camp=camp or None,
            language=lang or None,
            since_ts=date_bound(since, end=False),
            until_ts=date_bound(until, end=True),
            include_duplicates=include_duplicates,
        )
    )
    best = ranked(store, match, where, params, count=max(1, limit))
    if not best:
        return []
    marks = ",".join("?" * len(best))
    rows = {
        int(row["rowid"]): row
        for row in store.conn.execute(
            "SELECT a.rowid AS rowid, a.id, a.title, a.summary, a.text, a.outlet,"
            " o.name AS outlet_name, o.camp, a.language, a.published, a.date_precision, a.url,"
            " (SELECT count(*) FROM articles d WHERE d.duplicate_of = a.id) AS dups"
            f" FROM articles a LEFT JOIN outlets o ON o.id = a.outlet WHERE a.rowid IN ({marks})",
            [rowid for rowid, _ in best],
        )
    }
    hits = []
    for rowid, rank in best:
        row = rows.get(rowid)
        if row is None:
            continue
        body = row["text"] or row["summary"] or row["title"]
        snippet, highlights = make_snippet(body, parsed.terms)
        published = (
            format_date(
                datetime.fromisoformat(row["published"]),
                DatePrecision(row["date_precision"]) if row["date_precision"] else None,
            )
            if row["published"]
            else None
        )
        hits.append(
            Hit(
                id=row["id"],
                title=row["title"],
                outlet=row["outlet"],
                outlet_name=row["outlet_name"],
                camp=row["camp"],
                language=row["language"],
                published=published,
                url=row["url"],
                score=-rank,
                snippet=snippet,
                highlights=highlights,
                duplicates=int(row["dups"]),
            )
        )
    return hits


def _stem(word: str) -> str:
    """A light English stem for matching snippet words to query words (porter does the index)."""
    if word.isascii() and len(word) > 4:
        for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
    return word


def make_snippet(text: str, terms: frozenset[str]) -> tuple[str, list[tuple[int, int]]]:
    """A window of about 32 words around the densest matches, and the matches' offsets in it.

    Only the first :data:`_SNIPPET_SCAN` characters are read: a hit on a 200,000-character
    transcript costs no more than on a long article."""
    spans = list(word_spans(text[:_SNIPPET_SCAN]))
    if not spans:
        return text[:200], []
    wanted = {_stem(t) for t in terms if not t.endswith("*")}
    prefixes = tuple(t[:-1] for t in terms if t.endswith("*"))

    def hit(norm: str) -> bool:
        return _stem(norm) in wanted or (bool(prefixes) and norm.startswith(prefixes))

    matched = [i for i, (_, _, norm) in enumerate(spans) if hit(norm)]
    if not matched:
        first = spans[min(len(spans), _SNIPPET_WORDS) - 1][1]
        return text[:first].strip() + ("…" if first < len(text) else ""), []
    best, best_count, last = matched[0], 0, 0
    for first, i in enumerate(matched):  # the window of _SNIPPET_WORDS words with most matches
        while last < len(matched) and matched[last] < i + _SNIPPET_WORDS:
            last += 1
        if last - first > best_count:
            best, best_count = i, last - first
    start_word = max(0, best - 6)
    end_word = min(len(spans), start_word + _SNIPPET_WORDS) - 1
    start, end = spans[start_word][0], spans[end_word][1]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    snippet = prefix + " ".join(text[start:end].split()) + suffix
    highlights: list[tuple[int, int]] = []
    cursor = 0
    for i in range(start_word, end_word + 1):
        s, e, norm = spans[i]
        if not hit(norm):
            continue
        word = text[s:e]
        pos = snippet.find(word, cursor)
        if pos >= 0:
            if not highlights or highlights[-1] != (pos, pos + len(word)):
                highlights.append((pos, pos + len(word)))
            cursor = pos + len(word)
    return snippet, highlights
