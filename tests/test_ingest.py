"""End to end: inputs → pipeline → store, idempotent, with every bad input recorded."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import EN_DRONES, record, sample_records, write_jsonl
from newsparallax.dedupe import MemoryIndex
from newsparallax.errors import PipelineOrderError
from newsparallax.ingest import annotate, build_pipeline, ingest
from newsparallax.pipeline import BaseStage, Doc, Pipeline
from newsparallax.store import Store
from newsparallax.watches import load_watch

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def test_ingest_stores_and_is_idempotent(sample_jsonl: Path, store_ref: str) -> None:
    watch = load_watch("iran-russia")
    with Store(store_ref) as store:
        first = ingest([str(sample_jsonl)], store=store, watch=watch)
        assert (first.read, first.stored, first.duplicates, first.rejected) == (4, 4, 1, 0)
        second = ingest([str(sample_jsonl)], store=store, watch=watch)
        assert (second.read, second.stored, second.unchanged) == (4, 0, 4)
        assert store.count() == 4
        articles = {a.domain: a for a in store.articles()}
    ru = articles["tass.ru"]
    assert ru.language == "ru" and ru.outlet == "tass.com"
    assert ru.published == datetime(2024, 3, 5, tzinfo=UTC)
    copy = articles["example-news.com"]
    assert copy.duplicate_of == articles["reuters.com"].id
    assert copy.duplicate_similarity is not None and copy.duplicate_similarity >= 0.7
    assert articles["reuters.com"].stages[:9] == (
        "extract.v1",
        "identify.v1",
        "dates.v1",
        "quality.v1",
        "language.v1",
        "actors.v1",
        "events.v1",
        "themes.v1",
        "dedupe.v1",
    )
    # The actors stage ran in the pipeline and its mentions were stored with the article.
    assert {m.actor for m in ru.mentions} >= {"RUS"}


def test_bad_inputs_are_recorded_and_nothing_stored_is_lost(tmp_path: Path, store_ref: str) -> None:
    watch = load_watch("iran-russia")
    good = write_jsonl(tmp_path / "good.jsonl", sample_records())
    with Store(store_ref) as store:
        ingest([str(good)], store=store, watch=watch)
    truncated = tmp_path / "cut.jsonl.gz"
    many = [
        record(url=f"https://example.org/{i}", title=f"Item {i}", text=EN_DRONES + str(i))
        for i in range(200)
    ]
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in many).encode())
    truncated.write_bytes(data[: len(data) // 2])
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 10)
    no_charset = tmp_path / "legacy.html"
    no_charset.write_bytes(
        (
            "<html><body><article><p>"
            + "Москва и Тегеран подписали соглашение о сотрудничестве. " * 12
            + "</p></article></body></html>"
        ).encode("cp1251")
    )
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"title": "", "text": ""}\n')
    future = write_jsonl(
        tmp_path / "future.jsonl",
        [
            record(
                url="https://tass.com/future",
                title="From the future",
                text=EN_DRONES + " future",
                published="2031-01-01",
                date_precision="day",
            )
        ],
    )
    with Store(store_ref) as store:
        summary = ingest(
            [str(p) for p in (truncated, binary, no_charset, empty, future, tmp_path / "gone")],
            store=store,
            watch=watch,
            now=lambda: NOW,
        )
        codes = sorted(p.code for p in summary.errors)
        assert codes == ["binary", "empty", "not-found", "truncated-gzip"]
        assert not summary.failed
        assert 0 < summary.stored < 200
        assert store.count() == 4 + summary.stored
        legacy = next(store.articles(where="source = ?", params=[str(no_charset)]))
        assert "Тегеран" in legacy.text and legacy.language == "ru"
        fut = next(store.articles(where="url = ?", params=["https://tass.com/future"]))
        assert fut.published is None and fut.date_claimed == "2031-01-01"
        assert "date_in_future" in fut.quality.flags
        assert {p.code for p in store.problems(summary.run_id)} == set(codes)


def test_nothing_readable_means_failed(tmp_path: Path, store_ref: str) -> None:
    with Store(store_ref) as store:
        summary = ingest([str(tmp_path / "missing")], store=store, watch=load_watch("iran-russia"))
    assert summary.failed and summary.read == 0


def test_annotate_does_not_store(sample_jsonl: Path) -> None:
    items = list(annotate([str(sample_jsonl)], watch=load_watch("iran-russia")))
    assert len(items) == 4
    first = items[0]
    assert isinstance(first, dict)
    for key in (
        "id",
        "url",
        "outlet",
        "domain",
        "camp",
        "language",
        "published",
        "date_precision",
        "title",
        "text",
        "quality",
        "duplicate_of",
        "mentions",
        "events",
        "themes",
    ):
        assert key in first
    assert first["camp"] == "western" and first["language"] == "en"
    assert items[3]["duplicate_of"] == first["id"]  # type: ignore[index]


def test_pipeline_checks_order_when_built() -> None:
    class NeedsLanguage(BaseStage):
        name = "needs.v1"
        requires = ("language",)
        provides = ()

        def __call__(self, doc: Doc) -> Doc:
            return doc

    with pytest.raises(PipelineOrderError, match=r"needs\.v1 requires language"):
        Pipeline([NeedsLanguage()])
    pipeline = build_pipeline(watch=load_watch("iran-russia"), index=MemoryIndex())
    Pipeline([*pipeline.stages, NeedsLanguage()])  # after the language stage: fine


def _snapshot(db: Path) -> list[tuple[object, ...]]:
    with Store(db) as store:
        return [
            (a.id, a.duplicate_of, a.language, a.quality.flags, a.published, a.stages)
            for a in store.articles()
        ]


def test_parallel_and_serial_ingest_store_the_same(tmp_path: Path) -> None:
    """Worker processes change speed, not results: same ids, links, order and annotations."""
    watch = load_watch("iran-russia")
    records = sample_records() + [
        record(title=f"Post {i}", text=EN_DRONES if i % 7 == 0 else f"{EN_DRONES} {i} " * 2)
        for i in range(150)
    ]
    path = write_jsonl(tmp_path / "many.jsonl", records)
    results = []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        with Store(db) as store:
            summary = ingest([str(path)], store=store, watch=watch, workers=workers)
        assert summary.read == len(records) and summary.rejected == 0
        assert summary.stage_counts["language.v1"]["en"] >= 150
        results.append((summary.stored, summary.duplicates, summary.unchanged, _snapshot(db)))
    assert results[0] == results[1]
    assert results[0][1] > 0  # the repeated posts were linked as duplicates
