"""The relation index: counting rules, normalisation, roll-ups, incremental updates, the CLI."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import record, write_jsonl
from newsparallax.analyze import relations
from newsparallax.records import DatePrecision
from newsparallax.store.database import Store
from relations_support import add, cli, ev, open_store

D0 = date(2024, 3, 4)  # a Monday


def _build(path: str | Path) -> Store:
    """A small corpus: IRN→RUS aid reported by three outlets in two camps, one syndicated
    copy, a denial, a month-dated Iranian article, and a busier Western camp."""
    store = open_store(path)
    aid = ev("AID", "IRN", "RUS")
    first = add(store, "reuters.com", D0, "Iran delivers drones to Russia", [aid])
    add(store, "apnews.com", D0, "Iran sends drones to Russia", [aid], hour=11)
    add(store, "tass.com", D0, "Tehran hands drones to Moscow", [aid], hour=12)
    # a syndicated copy of the Reuters story: counted apart, never twice
    add(store, "bbc.co.uk", D0, "Iran delivers drones to Russia", [aid], duplicate_of=first)
    # a denial: left out
    add(store, "irna.ir", D0, "Iran denies sending drones", [ev("AID", "IRN", "RUS", negated=True)])
    # busier western camp: two more articles that day without IRN→RUS events
    add(store, "reuters.com", D0, "Markets rally", [], hour=15)
    add(store, "reuters.com", D0, "Weather report", [], hour=16)
    # next day: a visit, and a threat (verbal conflict) reported by Reuters only
    add(
        store,
        "reuters.com",
        D0 + timedelta(days=1),
        "Iran's minister visits Moscow; Iran warns Russia",
        [ev("CONSULT", "IRN", "RUS"), ev("THREATEN", "IRN", "RUS", field="text")],
    )
    # an article dated only to the month (monthly roll-up only)
    add(
        store,
        "tehrantimes.com",
        D0.replace(day=1),
        "Iran and Russia discuss cooperation",
        [ev("CONSULT", "IRN", "RUS")],
        precision=DatePrecision.MONTH_ESTIMATED,
    )
    # other dyads, and a state acting on itself (ignored)
    add(store, "kyivindependent.com", D0, "Russia strikes Kyiv", [ev("ASSAULT", "RUS", "UKR")])
    add(store, "tass.com", D0, "Russia reforms its army", [ev("COOPERATE", "RUS", "RUS")])
    return store


def test_counting_rules(store_ref: str) -> None:
    with _build(store_ref) as store:
        summary = relations.rebuild(store)
        assert summary.dyads == 2  # IRN→RUS, RUS→UKR (RUS→RUS ignored)
        day = relations.series(store, "IRN", "RUS", since="2024-03-04", until="2024-03-04")
        [p] = day.points
        assert p["events"] == 1  # three outlets, one real-world event
        assert p["reports"] == 3  # the copy and the denial are not reports
        assert p["copies"] == 1
        assert p["articles"] == 3 and p["outlets"] == 3 and p["camps"] == 2
        assert p["material_cooperation"] == 1 and p["verbal_conflict"] == 0
        assert p["intensity_mean"] == pytest.approx(8.3)
        assert len(p["event_ids"]) == 1 and len(p["article_ids"]) == 3
        assert sorted(p["camp_ids"]) == ["russian_state", "western"]
        # the camp volume counts unique articles of all camps (copies apart)
        assert p["published"] == 8
        assert p["per_100"] == pytest.approx(100 / 8, abs=1e-3)


def test_per_camp_series_are_normalised_by_the_camps_own_volume(store_ref: str) -> None:
    with _build(store_ref) as store:
        relations.rebuild(store)
        west = relations.series(store, "IRN", "RUS", camp="western", until="2024-03-04").points
        russia = relations.series(
            store, "IRN", "RUS", camp="russian_state", until="2024-03-04"
        ).points
        # one event each; western published 4 unique articles that day, Russian state media 2
        assert (west[-1]["events"], west[-1]["published"]) == (1, 4)
        assert (russia[-1]["events"], russia[-1]["published"]) == (1, 2)
        assert west[-1]["per_100"] == 25.0 and russia[-1]["per_100"] == 50.0


def test_month_dated_articles_only_in_the_monthly_rollup(store_ref: str) -> None:
    with _build(store_ref) as store:
        relations.rebuild(store)
        daily = relations.series(store, "IRN", "RUS")
        assert [p["start"] for p in daily.points] == ["2024-03-04", "2024-03-05"]
        assert daily.month_only == {"events": 1, "reports": 1}
        weekly = relations.series(store, "IRN", "RUS", freq="week")
        [week] = weekly.points
        assert (week["start"], week["end"]) == ("2024-03-04", "2024-03-10")
        assert week["events"] == 3 and week["verbal_conflict"] == 1
        monthly = relations.series(store, "IRN", "RUS", freq="month")
        [month] = monthly.points
        assert month["start"] == "2024-03-01" and month["events"] == 4
        assert month["verbal_cooperation"] == 2  # the visit and the month-dated talks
        assert "iranian_state" in month["camp_ids"]


def test_smoothing_is_a_trailing_ratio_of_sums(store_ref: str) -> None:
    with _build(store_ref) as store:
        relations.rebuild(store)
        points = relations.series(store, "IRN", "RUS", until="2024-03-10", smooth=7).points
        assert len(points) == 7  # dense: days without events are there, with zeros
        last = points[-1]
        assert last["events"] == 0
        assert last["smoothed"]["events"] == pytest.approx(3 / 7, abs=1e-3)
        assert last["smoothed"]["per_100"] == pytest.approx(100 * 3 / 9, abs=1e-3)


def test_both_directions_and_dyad_listing(store_ref: str) -> None:
    with _build(store_ref) as store:
        add(store, "tass.com", D0, "Russia supplies jets to Iran", [ev("AID", "RUS", "IRN")])
        relations.rebuild(store)
        one = relations.series(store, "IRN", "RUS", since="2024-03-04", until="2024-03-04")
        both = relations.series(
            store, "IRN", "RUS", since="2024-03-04", until="2024-03-04", both=True
        )
        assert one.points[0]["events"] == 1 and both.points[0]["events"] == 2
        listed = {(d["source"], d["target"]): d for d in relations.dyads(store)}
        assert listed[("IRN", "RUS")]["events"] == 4  # with the month-dated one
        assert ("RUS", "RUS") not in listed


def test_incremental_update_equals_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with _build(path) as store:
        relations.rebuild(store)
        assert not relations.pending(store)
        assert relations.ensure_current(store) is None
        # new articles: one more report of the known event, a copy, and a new day
        add(store, "xinhuanet.com", D0, "Iran provides drones to Russia", [ev("AID", "IRN", "RUS")])
        add(
            store,
            "timesofisrael.com",
            D0 + timedelta(days=9),
            "Iran ships drones to Russia",
            [ev("AID", "IRN", "RUS")],
        )
        assert relations.pending(store)
        summary = relations.update(store)
        assert summary.mode == "update" and summary.days == 2
        incremental = _dump(store)
        day = relations.series(store, "IRN", "RUS", since="2024-03-04", until="2024-03-04")
        assert day.points[0]["events"] == 1 and day.points[0]["reports"] == 4
        assert day.points[0]["camps"] == 3
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    with Store(copy) as again:
        relations.rebuild(again)
        assert _dump(again) == incremental


def _dump(store: Store) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    points = store.conn.execute("SELECT * FROM relation_points ORDER BY 1, 2, 3, 4, 5").fetchall()
    volume = store.conn.execute("SELECT * FROM relation_volume ORDER BY 1, 2, 3").fetchall()
    return [tuple(r) for r in points], [tuple(r) for r in volume]


def test_stories_are_counted_when_a_story_job_ran(store_ref: str) -> None:
    with _build(store_ref) as store:
        relations.rebuild(store)
        assert relations.series(store, "IRN", "RUS").totals["stories"] == 0
        from newsparallax.analyze.stories import job as stories
        from newsparallax.analyze.stories.cluster import Params

        stories.rebuild(store, Params())  # the defaults, whatever the settings
        assert relations.pending(store)  # the story job changed stories
        relations.update(store)
        points = relations.series(store, "IRN", "RUS", since="2024-03-04", until="2024-03-04")
        p = points.points[0]
        assert p["stories"] >= 1 and len(p["story_ids"]) == p["stories"]


def test_ingested_articles_feed_the_index(tmp_path: Path, db_path: Path) -> None:
    """End to end: events coded by the ingest pipeline from our own sentences."""
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [
            record(
                url="https://www.reuters.com/world/a1",
                language="en",
                published="2024-05-02T10:00:00+00:00",
                date_precision="second",
                title="Iran supplied attack drones to Russia",
                text="Iran supplied attack drones to Russia. The shipment arrived by sea.",
            ),
            record(
                url="https://www.apnews.com/article/a2",
                language="en",
                published="2024-05-02T12:00:00+00:00",
                date_precision="second",
                title="Iran supplied attack drones to Russia, officials say",
                text="Iran supplied attack drones to Russia. Iran denies sending missiles.",
            ),
        ],
    )
    runner = CliRunner()
    group = cli()
    assert runner.invoke(group, ["ingest", str(source), "--db", str(db_path)]).exit_code == 0
    result = runner.invoke(
        group, ["relation", "IRN", "RUS", "--db", str(db_path), "--json", "--freq", "week"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dyad"] == "IRN→RUS" and data["totals"]["events"] >= 1
    point = next(p for p in data["points"] if p["events"])
    assert point["material_cooperation"] >= 1 and point["article_ids"]
    text = runner.invoke(group, ["relation", "IRN", "RUS", "--db", str(db_path)])
    assert text.exit_code == 0 and "IRN→RUS" in text.stdout
    listed = runner.invoke(group, ["relations", "--db", str(db_path), "--json"])
    assert listed.exit_code == 0
    assert any(d["source"] == "IRN" for d in json.loads(listed.stdout)["dyads"])


def test_cli_rejects_bad_dates(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    _build(path).close()
    result = CliRunner().invoke(
        cli(), ["relation", "IRN", "RUS", "--since", "yesterday-ish", "--db", str(path)]
    )
    assert result.exit_code != 0


def test_compare_camps_gives_one_series_per_camp(store_ref: str) -> None:
    with _build(store_ref) as store:
        relations.rebuild(store)
        by_camp = relations.compare_camps(store, "IRN", "RUS", freq="month")
        assert set(by_camp) == {"*", "western", "russian_state", "iranian_state"}
        assert by_camp["*"].totals["events"] == 4
        assert by_camp["iranian_state"].points[0]["events"] == 1
        assert "event_ids" not in by_camp["western"].points[0]  # ids left out for charts
