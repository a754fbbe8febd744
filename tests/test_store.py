from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsparallax.errors import InputProblem, StoreError
from newsparallax.records import Article, DatePrecision, Mention, Outlet, Quality, ThemeTag
from newsparallax.store.database import Store


def _article(i: str, **kw: object) -> Article:
    base: dict[str, object] = dict(
        id=i,
        url=f"https://x.com/{i}",
        outlet="x.com",
        domain="x.com",
        published=datetime(2024, 5, 1, tzinfo=UTC),
        date_precision=DatePrecision.MONTH_ESTIMATED,
        title=f"Title {i}",
        text="Body text about Iran and Russia.",
        language="en",
        language_confidence=0.99,
        quality=Quality(score=0.9, flags=("short_text",)),
    )
    base.update(kw)
    return Article(**base)  # type: ignore[arg-type]


def test_created_on_first_use_with_wal_and_version(db_path: Path) -> None:
    with Store(db_path) as store:
        assert store.version >= 1
        mode = store.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
    assert db_path.exists()


def test_round_trip_and_idempotent_add(store_ref: str) -> None:
    article = _article(
        "a1",
        mentions=(Mention(start=0, end=5, text="Title", actor="X", kind="state", stage="t.v1"),),
        themes=(ThemeTag(theme="nuclear", score=0.5, evidence=((0, 5),), stage="t.v1"),),
    )
    with Store(store_ref) as store:
        assert store.add(article) is not None
        assert store.add(article) is None
        assert store.count() == 1
        back = store.get("a1")
    assert back is not None
    assert back.published == article.published and back.published.tzinfo is not None
    assert back.date_precision == DatePrecision.MONTH_ESTIMATED
    assert back.quality.flags == ("short_text",)
    assert back.mentions == article.mentions and back.themes == article.themes


def test_a_failed_write_leaves_earlier_articles(store_ref: str) -> None:
    with Store(store_ref) as store:
        store.add(_article("a1"))
        with pytest.raises(RuntimeError), store.transaction():
            store.add(_article("a2"))
            raise RuntimeError("crash in the middle of a batch")
        assert store.has("a1") and not store.has("a2")


def test_refuses_a_newer_schema(db_path: Path) -> None:
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db_path)


def test_readonly_store_must_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        Store(tmp_path / "missing.db", readonly=True)


def test_outlets_and_problems(store_ref: str) -> None:
    with Store(store_ref) as store:
        store.sync_outlets(
            [Outlet(id="tass.com", name="TASS", camp="russian_state", founded=1902)], watch="w"
        )
        store.sync_outlets([Outlet(id="tass.com", name="TASS agency", camp="x")], watch="w")
        store.ensure_outlet(Outlet(id="tass.com", name="ignored"))
        assert store.outlet("tass.com") == Outlet(id="tass.com", name="TASS agency", camp="x")
        run = store.start_run("test")
        store.record_problem(run, InputProblem(input="f:1", code="bad-json", reason="x"))
        assert store.problems(run) == [InputProblem(input="f:1", code="bad-json", reason="x")]


def test_a_failed_add_inside_a_batch_undoes_only_itself(store_ref: str) -> None:
    with Store(store_ref) as store:
        store.begin()
        store.add(_article("a1"))
        with pytest.raises(RuntimeError), store.transaction():
            store.conn.execute(
                "INSERT INTO articles(id, outlet, domain, ingested_at)"
                " VALUES ('half', 'x', 'x', '')"
            )
            raise RuntimeError("fails half way through an article")
        store.commit()
        assert store.has("a1") and not store.has("half")


def test_a_killed_run_is_marked_interrupted_by_the_next(store_ref: str) -> None:
    """A run whose process died (SIGKILL) stays unfinished until the next run on the host marks
    it `interrupted`; a run whose process is alive is left alone."""
    import subprocess
    import sys

    from newsparallax.store.database import Store

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    with Store(store_ref) as store:
        killed = store.start_run("ingest")
        with store.transaction():
            store.conn.execute("UPDATE runs SET pid = ? WHERE id = ?", (int(gone.stdout), killed))
        alive = store.start_run("watch")  # this process: alive
        third = store.start_run("ingest")
        rows = {
            r[0]: (r[1], r[2] is not None)
            for r in store.conn.execute("SELECT id, status, finished_at FROM runs")
        }
        assert rows[killed] == ("interrupted", True)
        assert rows[alive] == ("running", False)
        store.finish_run(third, {"stored": 0})
        assert (
            store.conn.execute("SELECT status FROM runs WHERE id = ?", (third,)).fetchone()[0]
            == "finished"
        )
