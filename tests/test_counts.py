"""The pre-aggregated counts (store migration 13): kept by ``Store.add``, filled from the stored
articles when an older store is migrated, and giving the same statistics, coverage and actor
rankings as the queries over every article they replace — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from newsparallax.analyze import stats
from newsparallax.records import Article, DatePrecision, Mention, Outlet, Quality
from newsparallax.store import actors, database
from newsparallax.store.database import Store

COUNT_TABLES = ("article_counts", "quality_flag_counts", "actor_counts")


def _mention(actor: str, start: int = 0) -> Mention:
    return Mention(start=start, end=start + 4, text="Iran", actor=actor, kind="state", stage="t")


def _articles() -> list[Article]:
    """Originals and copies, dated to the second, the month and the year, and undated, in two
    languages and three outlets (one without a camp), with flags and mentions."""
    out = []
    precisions = [
        (datetime(2022, 3, 1, 10, tzinfo=UTC), DatePrecision.SECOND),
        (datetime(2022, 3, 28, tzinfo=UTC), DatePrecision.DAY),
        (datetime(2022, 4, 1, tzinfo=UTC), DatePrecision.MONTH_ESTIMATED),
        (datetime(2015, 1, 1, tzinfo=UTC), DatePrecision.YEAR_ESTIMATED),
        (None, None),
    ]
    outlets = ["bbc.co.uk", "tass.com", "unknown.example"]
    for i in range(30):
        published, precision = precisions[i % len(precisions)]
        actors_here = ["IRN", "RUS", "IRN"][: 1 + i % 3]  # IRN twice in some: one article
        out.append(
            Article(
                id=f"a{i}",
                url=f"https://x.example/{i}",
                outlet=outlets[i % 3],
                domain=outlets[i % 3],
                published=published,
                date_precision=precision,
                title=f"Title {i}",
                text="Iran and Russia",
                language="en" if i % 4 else "ru",
                quality=Quality(
                    flags=(("short_text",) if i % 2 else ()) + (("seo",) * (i % 5 == 0))
                ),
                duplicate_of="a0" if i % 7 == 6 else None,
                mentions=tuple(_mention(a, 5 * k) for k, a in enumerate(actors_here)),
            )
        )
    return out


def _fill(store: Store) -> None:
    store.sync_outlets(
        [
            Outlet(id="bbc.co.uk", name="BBC", camp="western"),
            Outlet(id="tass.com", name="TASS", camp="russian_state"),
        ],
        watch="test",
    )
    store.ensure_outlet(Outlet(id="unknown.example", name="unknown.example"))
    with store.transaction():
        for article in _articles():
            store.add(article)


def _views(store: Store) -> dict[str, Any]:
    return {
        "stats": stats.corpus_stats(store),
        "annotations": stats.annotation_counts(store),
        "coverage": stats.coverage_by_camp_month(store),
        "by_camp": actors.top_actors_by_camp(store, per_camp=5),
        "top": actors.top_actors(store, limit=10),
    }


def _scanned(store: Store, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The same views from the queries over every article (as on a store without the counts)."""
    real = store.has_table
    with monkeypatch.context() as m:
        m.setattr(store, "has_table", lambda *n: not set(n) & set(COUNT_TABLES) and real(*n))
        return _views(store)


def test_counts_kept_by_add_match_the_scans(
    store_ref: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(store_ref) as store:
        _fill(store)
        counted = _views(store)
        assert counted == _scanned(store, monkeypatch)
        s = counted["stats"]
        assert (s["articles"], s["duplicates"], s["undated"]) == (30, 4, 6)
        assert s["by_month"] == {"2022-03": 12, "2022-04": 6}  # year-dated and undated apart
        assert s["quality_flags"] == {"short_text": 15, "seo": 6}
        assert counted["coverage"]["2022-03"] == {"russian_state": 4, "unknown": 3, "western": 3}
        # an article naming IRN twice counts once; copies not at all
        irn = sum(n for a, n in counted["top"] if a == "IRN")
        assert irn == 26
        assert store.add(_articles()[0]) is None  # already stored: nothing counted twice
        assert _views(store) == counted


def test_an_older_store_is_counted_when_migrated(
    store_ref: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store written before migration 13 gets its counts from its articles when opened."""
    with monkeypatch.context() as m:
        older = [mig for mig in database._migrations() if mig[0] < 13]
        m.setattr(database, "_migrations", lambda: older)
        m.setattr(database, "count_article", lambda conn, article: None)
        with Store(store_ref) as store:
            assert store.version == 12 and not store.has_table("article_counts")
            _fill(store)
            expected = _views(store)
    with Store(store_ref) as store:
        assert store.version >= 13 and store.has_table(*COUNT_TABLES)
        migrated = _views(store)
        assert migrated["stats"].pop("schema_version") > expected["stats"].pop("schema_version")
        assert migrated == expected
        assert store.conn.execute("SELECT sum(articles) FROM article_counts").fetchone()[0] == 30


def test_replaced_annotations_keep_the_counts_right(
    store_ref: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`parallax reannotate` replaces an article's mentions and events in place: the counts
    follow (actors gained and lost, mention and event totals), as a scan would find them."""
    from dataclasses import replace

    from newsparallax.records import Event
    from newsparallax.store.annotations import replace_annotations

    with Store(store_ref) as store:
        _fill(store)
        before = _views(store)
        for i in (1, 2, 8):  # originals; a1 named IRN and RUS
            rowid, article = (
                next(
                    (r, a)
                    for r, a in store.conn.execute("SELECT rowid, id FROM articles")
                    if a == f"a{i}"
                ),
                _articles()[i],
            )
            new = replace(
                article,
                mentions=(_mention("UKR"), _mention("UKR", 9)),
                events=(
                    Event(
                        type="ASSAULT", source="RUS", target="UKR", sentence_start=0, sentence_end=4
                    ),
                ),
            )
            replace_annotations(store, int(rowid[0]), new)
        after = _views(store)
        assert after == _scanned(store, monkeypatch)
        assert after != before
        assert dict(after["top"])["UKR"] == 3
        assert after["annotations"]["events"] == before["annotations"]["events"] + 3
