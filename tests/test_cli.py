"""The command line, in-process through click and once as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparallax.cli.main import main


def test_ingest_search_stats_outlets(sample_jsonl: Path, db_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(sample_jsonl), "--db", str(db_path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {"read", "stored", "duplicates", "rejected", "errors"} <= set(summary)
    assert summary["stored"] == 4 and summary["errors"] == []

    result = runner.invoke(main, ["search", "санкций", "--db", str(db_path), "--json"])
    hits = json.loads(result.stdout)
    assert len(hits) == 1
    assert {"id", "title", "outlet", "camp", "published", "snippet"} <= set(hits[0])

    result = runner.invoke(main, ["stats", "--db", str(db_path), "--json"])
    stats = json.loads(result.stdout)
    assert stats["articles"] == 4 and stats["by_language"]["ru"] == 1
    assert stats["by_camp"]["western"] == 1

    result = runner.invoke(main, ["outlets", "--json"])
    registry = json.loads(result.stdout)
    assert len(registry["outlets"]) >= 60


def test_db_from_environment(sample_jsonl: Path, db_path: Path) -> None:
    runner = CliRunner(env={"PARALLAX_DB": str(db_path)})
    assert runner.invoke(main, ["ingest", str(sample_jsonl)]).exit_code == 0
    assert db_path.exists()


def test_exit_code_only_when_nothing_read(tmp_path: Path, db_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(tmp_path / "nope"), "--db", str(db_path)])
    assert result.exit_code == 1 and "not-found" in result.output
    result = runner.invoke(main, ["search", "x", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no store" in result.output


def test_demo_missing_data_is_a_clear_message(tmp_path: Path, db_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["demo", "--data", str(tmp_path / "nowhere"), "--db", str(db_path)]
    )
    assert result.exit_code != 0 and "no demo corpus" in result.output


def test_demo_ingests_the_news_files_beside_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By default the demo reads its folder and the news files of PARALLAX_DEMO_NEWS (relative
    to the folder's parent, as ../shared/data/news is to ../shared/data/demo); with --data, only
    the folder named."""
    from conftest import sample_records, write_jsonl
    from newsparallax.cli.demo import demo_files

    folder = tmp_path / "demo"
    folder.mkdir()
    write_jsonl(folder / "mini.jsonl", sample_records())
    (tmp_path / "news" / "feeds").mkdir(parents=True)
    news = write_jsonl(tmp_path / "news" / "feeds" / "war.jsonl", sample_records()[:1])
    monkeypatch.setenv("PARALLAX_DEMO_DATA", str(folder))
    monkeypatch.setenv("PARALLAX_DEMO_NEWS", "news/feeds/war.jsonl, news/missing.jsonl.gz")
    assert demo_files() == [folder / "mini.jsonl", news]
    assert demo_files(folder) == [folder / "mini.jsonl"]
    monkeypatch.setenv("PARALLAX_DEMO_NEWS", "")
    assert demo_files() == [folder / "mini.jsonl"]


def test_python_dash_m_annotate_from_stdin(sample_jsonl: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "newsparallax", "annotate", "-"],
        input=sample_jsonl.read_bytes(),
        capture_output=True,
        check=True,
        timeout=120,
    )
    lines = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [a["language"] for a in lines] == ["en", "ru", "fa", "en"]


def test_demo_runs_every_stage_and_reports_them(tmp_path: Path, db_path: Path) -> None:
    from conftest import sample_records, write_jsonl

    folder = tmp_path / "demo"
    folder.mkdir()
    write_jsonl(folder / "mini.jsonl", sample_records())
    result = CliRunner().invoke(
        main, ["demo", "--data", str(folder), "--db", str(db_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ingest"]["stored"] == 4
    assert report["annotations"]["mentions"] > 0 and report["annotations"]["events"] > 0
    assert report["relation"]["points"] > 0  # the relation index was built
    # stories and alerts are built too, so the dashboard is complete after the demo
    # the Persian article is dated only to a month later than every other: it waits, counted,
    # until its month is over
    stories = report["refresh"]["stories"]
    assert report["stories"]["stories"] > 0
    assert (stories["articles"], stories["waiting"]) == (3, 1)
    assert report["refresh"]["alerts"] is not None


def test_ingest_keeps_stories_relations_and_alerts_current(tmp_path: Path, db_path: Path) -> None:
    """After `parallax ingest` the dashboard needs no `parallax cluster`: the new articles are
    in stories, the relation index covers them and the alert rules have run; a second ingest of
    new articles updates them incrementally, and --no-refresh leaves them pending."""
    from conftest import record, sample_records, write_jsonl
    from newsparallax.analyze import relations
    from newsparallax.analyze.stories import queries as storystore
    from newsparallax.store.database import Store

    first = write_jsonl(tmp_path / "a.jsonl", sample_records())
    out = CliRunner().invoke(main, ["ingest", str(first), "--db", str(db_path), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert (data["refresh"]["stories"]["articles"], data["refresh"]["stories"]["waiting"]) == (3, 1)
    assert data["refresh"]["relations"]["points"] > 0 and data["refresh"]["alerts"] is not None
    with Store(db_path, readonly=True) as store:
        assert storystore.pending(store) == 1 and not relations.pending(store)
        stories_before = store.conn.execute("SELECT count(*) FROM stories").fetchone()[0]
    more = record(
        url="https://example.org/new",
        domain="example.org",
        language="en",
        published="2025-03-02",
        title="Russia and Iran hold talks on a new gas pipeline",
        text="Russia and Iran held talks in Tehran on a new gas pipeline on Sunday.",
    )
    second = write_jsonl(tmp_path / "b.jsonl", [more])
    out = CliRunner().invoke(main, ["ingest", str(second), "--db", str(db_path), "--json"])
    data = json.loads(out.output)
    # a March 2025 article: January is over, so the waiting Persian article is placed too
    assert data["stored"] == 1 and data["refresh"]["stories"]["articles"] == 2
    with Store(db_path, readonly=True) as store:
        assert storystore.pending(store) == 0 and not relations.pending(store)
        assert store.conn.execute("SELECT count(*) FROM stories").fetchone()[0] >= stories_before
    third = write_jsonl(tmp_path / "c.jsonl", [{**more, "url": "https://example.org/n3"}])
    out = CliRunner().invoke(
        main, ["ingest", str(third), "--db", str(db_path), "--json", "--no-refresh"]
    )
    assert json.loads(out.output)["refresh"] is None
    with Store(db_path, readonly=True) as store:
        assert relations.pending(store)
    again = CliRunner().invoke(main, ["ingest", str(second), "--db", str(db_path)])
    assert "stories, relations" not in again.output  # nothing stored: nothing to refresh
