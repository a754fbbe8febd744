"""``parallax batch`` / ``parallax load``: partitioned runs to Parquet, on a local loop and Dask."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("distributed")

from conftest import record, sample_records, write_jsonl  # noqa: E402
from newsparallax.cli.batch import register  # noqa: E402
from newsparallax.cli.main import main  # noqa: E402
from newsparallax.scale.batch import (  # noqa: E402
    TABLES,
    read_manifest,
    run_batch,
    run_partition,
    written_partitions,
)
from newsparallax.store.database import Store  # noqa: E402


@pytest.fixture
def cli() -> Iterator[click.Group]:
    """``main`` with batch and load registered (removed again if this test added them, so the
    README check elsewhere sees the command set cli.py defines)."""
    added = [name for name in ("batch", "load") if name not in main.commands]
    register(main)
    register(main)  # idempotent
    yield main
    for name in added:
        main.commands.pop(name, None)


def _records() -> list[dict[str, Any]]:
    """The shared sample plus one bad line's worth of trouble: a record with no text."""
    return [*sample_records(), record(url="https://example.org/empty", title=None, text=None)]


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "in.jsonl", _records())


def _rows(out: Path, table: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(out / table).to_pylist()
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def test_local_and_dask_write_identical_rows(inputs: Path, tmp_path: Path) -> None:
    local = run_batch([str(inputs)], out=tmp_path / "local", partition_size=2)
    dask = run_batch(
        [str(inputs)],
        out=tmp_path / "dask",
        partition_size=2,
        engine="dask",
        workers=1,
        dask_processes=False,
    )
    assert local.ok and dask.ok
    assert sorted(local.done) == sorted(dask.done) == [0, 1, 2]
    for table in TABLES:
        assert _rows(tmp_path / "local", table) == _rows(tmp_path / "dask", table)
    articles = _rows(tmp_path / "local", "articles")
    assert len(articles) == 4
    assert {a["language"] for a in articles} == {"en", "ru", "fa"}
    # the syndicated copy is in another partition: not linked by batch (load links it)
    assert all(a["duplicate_of"] is None for a in articles)
    manifest = read_manifest(tmp_path / "local")
    assert manifest["totals"]["articles"] == 4
    assert manifest["totals"]["problems"] == 1  # the record with no text
    assert manifest["failed"] == []


def test_duplicates_are_linked_within_a_partition(inputs: Path, tmp_path: Path) -> None:
    run_batch([str(inputs)], out=tmp_path / "one", partition_size=100)
    articles = {a["url"]: a for a in _rows(tmp_path / "one", "articles")}
    copy = articles["https://example-news.com/world/iran-russia-drone-deal"]
    assert copy["duplicate_of"] is not None


def test_rerun_skips_written_partitions(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_batch([str(inputs)], out=out, partition_size=2)
    calls: list[int] = []

    def counting(index: int, *args: Any) -> dict[str, Any]:
        calls.append(index)
        return run_partition(index, *args)

    second = run_batch([str(inputs)], out=out, partition_size=2, task=counting)
    assert calls == []
    assert sorted(second.skipped) == [0, 1, 2]
    assert second.totals() == first.totals()
    with pytest.raises(Exception, match="partition-size"):
        run_batch([str(inputs)], out=out, partition_size=3)


def test_failing_partition_is_retried_reported_and_others_written(
    inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    attempts: list[int] = []

    def flaky(index: int, *args: Any) -> dict[str, Any]:
        if index == 1:
            attempts.append(index)
            raise RuntimeError("disk on fire")
        return run_partition(index, *args)

    report = run_batch([str(inputs)], out=out, partition_size=2, retries=2, task=flaky)
    assert len(attempts) == 3
    assert not report.ok
    assert sorted(report.done) == [0, 2]
    assert written_partitions(out) == [0, 2]
    manifest = read_manifest(out)
    assert manifest["failed"][0]["partition"] == 1
    assert "disk on fire" in manifest["failed"][0]["error"]
    for table in TABLES:
        assert not (out / table / "part-00001.parquet").exists()
    # the re-run writes only the missing partition
    again = run_batch([str(inputs)], out=out, partition_size=2)
    assert again.ok and sorted(again.skipped) == [0, 2]
    assert written_partitions(out) == [0, 1, 2]


def _articles(db: Path | str) -> list[dict[str, Any]]:
    with Store(db, readonly=True) as store:
        return sorted((asdict(a) for a in store.articles()), key=lambda a: a["id"])


def test_cli_batch_then_load_matches_ingest(
    cli: click.Group, inputs: Path, tmp_path: Path, store_ref: str
) -> None:
    """On both backends: ``load`` into a SQLite file or a PostgreSQL database."""
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(
        cli, ["batch", str(inputs), "--out", str(out), "--partition-size", "2", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["totals"]["articles"] == 4
    loaded_db, ingested_db = store_ref, tmp_path / "ingested.db"
    result = runner.invoke(cli, ["load", str(out), "--db", str(loaded_db), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["stored"] == 4 and summary["duplicates"] == 1
    result = runner.invoke(
        cli, ["ingest", str(inputs), "--db", str(ingested_db), "--workers", "1", "--json"]
    )
    assert result.exit_code == 0, result.output
    loaded, ingested = _articles(loaded_db), _articles(ingested_db)
    assert loaded == ingested
    assert sum(a["duplicate_of"] is not None for a in loaded) == 1
    # loading again stores nothing new
    result = runner.invoke(cli, ["load", str(out), "--db", str(loaded_db), "--json"])
    assert json.loads(result.output)["unchanged"] == 4


def _fail_partition_one(index: int, *args: Any) -> dict[str, Any]:
    if index == 1:
        raise RuntimeError("worker lost its disk")
    return run_partition(index, *args)


def test_dask_reports_a_failing_partition_and_writes_the_rest(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = run_batch(
        [str(inputs)],
        out=out,
        partition_size=2,
        engine="dask",
        workers=1,
        retries=1,
        dask_processes=False,
        task=_fail_partition_one,
    )
    assert sorted(report.done) == [0, 2]
    assert "worker lost its disk" in report.failed[1]
    assert written_partitions(out) == [0, 2]
    assert read_manifest(out)["failed"][0]["partition"] == 1
