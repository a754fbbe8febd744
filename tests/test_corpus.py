"""``parallax corpus``: stories and relation series from the Parquet output of ``batch`` agree
with what ``load`` + ``stories`` + ``relations`` compute in the store."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("distributed")
pytest.importorskip("pandas")

from conftest import record, sample_records, write_jsonl  # noqa: E402
from newsparallax.analyze import relations  # noqa: E402
from newsparallax.analyze.stories import job as stories  # noqa: E402
from newsparallax.cli.batch import register  # noqa: E402
from newsparallax.cli.main import main  # noqa: E402
from newsparallax.scale.batch import load, run_batch  # noqa: E402
from newsparallax.scale.corpus import run_corpus  # noqa: E402
from newsparallax.store.database import Store  # noqa: E402
from newsparallax.watches import load_watch  # noqa: E402


def _records() -> list[dict[str, Any]]:
    """The shared sample (a syndicated copy two partitions after its original) and four
    hand-written reports over two days from four camps, one of them repeated later (the same
    article id twice: the store keeps the first)."""
    extra = [
        record(
            url="https://www.reuters.com/world/iran-russia-energy-2024-03-05/",
            domain="reuters.com",
            language="en",
            published="2024-03-05T09:00:00+00:00",
            date_precision="second",
            title="Russia and Iran agree to expand energy cooperation",
            text="Russia and Iran agreed on Tuesday to expand cooperation in energy and transport."
            " The Russian foreign minister met his Iranian counterpart in Moscow to discuss it.",
        ),
        record(
            url="https://tass.ru/ekonomika/555",
            domain="tass.ru",
            language="en",
            published="2024-03-05T12:00:00+00:00",
            date_precision="second",
            title="Moscow and Tehran sign transport agreement",
            text="Russia and Iran signed an agreement on a new transport corridor on Tuesday."
            " Iran praised Russia for its support.",
        ),
        record(
            url="https://www.tehrantimes.com/news/4001",
            domain="tehrantimes.com",
            language="en",
            published="2024-03-06T07:00:00+00:00",
            date_precision="second",
            title="Iran condemns new sanctions against Russia",
            text="Iran condemned the new United States sanctions against Russia on Wednesday."
            " The United States threatened Iran with further measures.",
        ),
        record(
            url="https://unknown-blog.example/post/1",
            domain="unknown-blog.example",
            language="en",
            published="2024-03-06T18:00:00+00:00",
            date_precision="second",
            title="United States accuses Iran of arming Russia",
            text="The United States accused Iran of sending missiles to Russia."
            " Iran denied sending missiles to Russia.",
        ),
    ]
    return [*sample_records(), *extra, extra[0]]


@pytest.fixture
def batch_out(tmp_path: Path) -> Path:
    inputs = write_jsonl(tmp_path / "in.jsonl", _records())
    out = tmp_path / "out"
    assert run_batch([str(inputs)], out=out, partition_size=2).ok
    return out


def _table(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def _store_side(out: Path, db: Path) -> dict[str, Any]:
    """What the serving store computes after `parallax load` of the same batch output."""
    watch = load_watch("iran-russia")
    with Store(db) as store:
        load(out, store=store, watch=watch)
        stories.rebuild(store)
        relations.rebuild(store)
        conn = store.conn
        return {
            "points": [tuple(r) for r in conn.execute("SELECT * FROM relation_points")],
            "volume": [tuple(r) for r in conn.execute("SELECT * FROM relation_volume")],
            "links": {r[0]: r[1] for r in conn.execute("SELECT id, duplicate_of FROM articles")},
            "stories": {
                r[0]: (r[1], r[2], r[3], r[4])
                for r in conn.execute(
                    "SELECT a.id, sa.story_id, sa.duplicate, sa.skipped, sa.similarity"
                    " FROM story_articles sa JOIN articles a ON a.rowid = sa.article_rowid"
                )
            },
            "story_arcs": {
                r[0]: (r[1], bool(r[2]))
                for r in conn.execute("SELECT id, arc_id, arc_final FROM stories")
            },
            "arcs": {
                r[0]: (r[1], r[2], r[3], r[4])
                for r in conn.execute(
                    "SELECT id, stories, articles, first_seen, last_seen FROM story_arcs"
                )
            },
            "series": relations.series(store, "IRN", "RUS", freq="day", smooth=3).as_dict(),
        }


def _parquet_side(dest: Path) -> dict[str, Any]:
    return {
        "points": [tuple(r.values()) for r in _table(dest / "relations" / "points.parquet")],
        "volume": [tuple(r.values()) for r in _table(dest / "relations" / "volume.parquet")],
        "links": {r["id"]: r["duplicate_of"] for r in _table(dest / "links.parquet")},
        "stories": {
            r["article_id"]: (r["story_id"], int(r["duplicate"]), r["skipped"], r["similarity"])
            for r in _table(dest / "stories" / "articles.parquet")
        },
        "story_arcs": {
            r["id"]: (r["arc_id"], r["arc_final"])
            for r in _table(dest / "stories" / "stories.parquet")
        },
        "arcs": {
            r["id"]: (r["stories"], r["articles"], r["first_seen"], r["last_seen"])
            for r in _table(dest / "stories" / "arcs.parquet")
        },
    }


def test_corpus_jobs_on_parquet_equal_the_store_after_load(batch_out: Path, tmp_path: Path) -> None:
    report = run_corpus(batch_out, watch=load_watch("iran-russia"))
    dest = batch_out / "corpus"
    assert report.repeated == 1  # the repeated article is counted once, as in the store
    parquet = _parquet_side(dest)
    store = _store_side(batch_out, tmp_path / "loaded.db")
    assert parquet["links"] == store["links"]
    # the syndicated copy two partitions after its original is linked across partitions
    assert sum(v is not None for v in parquet["links"].values()) == 1
    assert parquet["stories"] == store["stories"]
    assert {v[0] for v in parquet["stories"].values() if v[0]}  # some stories were built
    # every story's arc (open ones linked provisionally) and the arcs' sizes and spans
    assert parquet["story_arcs"] == store["story_arcs"] and parquet["arcs"] == store["arcs"]
    assert all(arc for arc, _ in parquet["story_arcs"].values())
    assert sorted(parquet["points"]) == sorted(store["points"])
    assert sorted(parquet["volume"]) == sorted(store["volume"])
    points = {(p[0], p[1], p[2], p[3], p[4]): p for p in parquet["points"]}
    camps = {key[2] for key in points}
    assert {"*", "western", "russian_state", "iranian_state", "unknown"} <= camps
    assert any(p[14] > 0 for p in parquet["points"])  # copies counted apart
    assert any(p[16] > 0 for p in parquet["points"])  # stories behind a point
    # the day series the store serves is built from exactly these points
    served = {p["start"]: p["events"] for p in store["series"]["points"] if p["events"]}
    from_parquet: dict[str, int] = {}
    for (source, target, camp, grain, day), p in points.items():
        if (source, target, camp, grain) == ("IRN", "RUS", "*", "day"):
            from_parquet[day] = from_parquet.get(day, 0) + p[6]
    assert served == from_parquet and served


def test_dask_engine_writes_the_same_results(batch_out: Path, tmp_path: Path) -> None:
    watch = load_watch("iran-russia")
    run_corpus(batch_out, watch=watch, dest=str(tmp_path / "local"))
    run_corpus(
        batch_out,
        watch=watch,
        dest=str(tmp_path / "dask"),
        engine="dask",
        workers=1,
        dask_processes=False,
    )
    assert _parquet_side(tmp_path / "local") == _parquet_side(tmp_path / "dask")


@pytest.fixture
def cli() -> Iterator[click.Group]:
    added = [name for name in ("batch", "load", "corpus") if name not in main.commands]
    register(main)
    yield main
    for name in added:
        main.commands.pop(name, None)


def test_cli_corpus_relations_only_and_bad_input(
    cli: click.Group, batch_out: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    dest = tmp_path / "rel"
    result = runner.invoke(
        cli, ["corpus", str(batch_out), "--jobs", "relations", "--dest", str(dest), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["jobs"] == ["relations"] and data["relations"]["points"] > 0
    assert (dest / "relations" / "points.parquet").exists()
    assert not (dest / "stories").exists()
    # without stories, no point has stories behind it (as in a store no story job ran on)
    assert all(r["stories"] == 0 for r in _table(dest / "relations" / "points.parquet"))
    result = runner.invoke(cli, ["corpus", str(batch_out), "--jobs", "topics"])
    assert result.exit_code != 0 and "unknown corpus job" in result.output
    result = runner.invoke(cli, ["corpus", str(tmp_path / "nothing")])
    assert result.exit_code != 0 and "no readable batch manifest" in result.output
    if importlib.util.find_spec("s3fs") is None:
        result = runner.invoke(cli, ["corpus", "s3://bucket/run"])
        assert result.exit_code != 0 and "pip install s3fs" in result.output


def test_output_without_articles_gives_empty_tables_with_columns(tmp_path: Path) -> None:
    inputs = write_jsonl(tmp_path / "in.jsonl", [record(url="https://example.org/x")])
    assert run_batch([str(inputs)], out=tmp_path / "out").totals()["articles"] == 0
    report = run_corpus(tmp_path / "out", watch=load_watch("iran-russia"))
    assert report.articles == 0 and report.relations["points"] == 0
    points = pq.read_table(tmp_path / "out" / "corpus" / "relations" / "points.parquet")
    assert points.num_rows == 0 and points.schema.names[:5] == [
        "source",
        "target",
        "camp",
        "grain",
        "day",
    ]
