"""End to end on a slice of the real demo corpus: every record resolves to a camp, languages
match what the sources declare, Russian search folds inflections, re-ingest stores nothing."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import pytest

from conftest import SHARED_DATA
from newsparallax.analyze.stats import corpus_stats
from newsparallax.ingest import ingest
from newsparallax.store.database import Store
from newsparallax.store.search import search
from newsparallax.watches import load_watch

DEMO = SHARED_DATA / "demo"
PER_FILE = 150

pytestmark = pytest.mark.skipif(not DEMO.is_dir(), reason=f"demo corpus not found at {DEMO}")


@pytest.fixture(scope="module")
def slice_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("slice")
    for source in sorted(DEMO.glob("*.jsonl.gz")):
        with gzip.open(source, "rb") as fh:
            lines = list(itertools.islice(fh, PER_FILE))
        (folder / source.name.removesuffix(".gz")).write_bytes(b"".join(lines))
    db = tmp_path_factory.mktemp("store") / "slice.db"
    with Store(db) as store:
        summary = ingest([str(folder)], store=store, watch=load_watch("iran-russia"))
    assert summary.read >= PER_FILE * 5
    assert summary.rejected == 0
    assert all(p.code == "empty" for p in summary.errors)  # a few title-less headline rows
    return db, folder


def test_every_outlet_has_a_camp(slice_store: tuple[Path, Path]) -> None:
    with Store(slice_store[0]) as store:
        stats = corpus_stats(store)
    assert "unknown" not in stats["by_camp"], stats["by_camp"]
    assert {"western", "iranian_state", "russian_official", "us_government"} <= set(
        stats["by_camp"]
    )


def test_languages_agree_with_declared(slice_store: tuple[Path, Path]) -> None:
    with Store(slice_store[0]) as store:
        rows = store.conn.execute(
            "SELECT json_extract(extra, '$.declared_language') AS declared, language FROM articles"
        ).fetchall()
    disagreements = [r for r in rows if r["declared"] is not None]
    assert len(disagreements) <= len(rows) * 0.01, disagreements[:5]


def test_russian_search_and_idempotent_reingest(slice_store: tuple[Path, Path]) -> None:
    db, folder = slice_store
    with Store(db) as store:
        assert search(store, "санкций", lang="ru")
        before = store.count()
        again = ingest([str(folder)], store=store, watch=load_watch("iran-russia"))
        assert again.stored == 0 and store.count() == before
