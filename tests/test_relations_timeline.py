"""The timeline of a relation: milestone kinds, grouping, ranking, headline, evidence, CLI."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from click.testing import CliRunner

from newsparallax.analyze.timeline import milestone_kind, timeline
from newsparallax.records import DatePrecision
from newsparallax.store.database import Store
from relations_support import add, cli, ev, make_story, open_store

D0 = date(2025, 1, 13)


def _corpus(path: str | Path) -> Store:
    store = open_store(path)
    # a summit with a treaty, covered by four camps over two days
    treaty = [
        ("reuters.com", D0, "Iran and Russia sign strategic partnership treaty"),
        ("tass.com", D0, "Russia and Iran sign treaty on comprehensive partnership"),
        ("irna.ir", D0, "Iran, Russia sign comprehensive strategic partnership treaty"),
        ("aljazeera.com", D0 + timedelta(days=1), "Iran and Russia sign partnership treaty"),
        ("apnews.com", D0 + timedelta(days=1), "What is in the treaty Russia and Iran signed?"),
    ]
    for outlet, day, title in treaty:
        add(store, outlet, day, title, [ev("SUPPORT", "IRN", "RUS"), ev("SUPPORT", "RUS", "IRN")])
    # the visit itself, Russian camps only
    add(store, "kremlin.ru", D0, "Talks with President of Iran", [ev("CONSULT", "IRN", "RUS")])
    add(store, "tass.com", D0, "Putin meets Pezeshkian", [ev("CONSULT", "RUS", "IRN")])
    # drone deliveries: many Ukrainian articles, one camp
    for i in range(6):
        add(
            store,
            "kyivindependent.com",
            D0 - timedelta(days=30),
            f"Iran delivered drones to Russia, report {i}",
            [ev("AID", "IRN", "RUS")],
        )
    # a denial and a copy: neither makes or widens a milestone
    add(
        store,
        "irna.ir",
        D0 - timedelta(days=30),
        "Iran denies drones",
        [ev("AID", "IRN", "RUS", negated=True)],
    )
    first = store.conn.execute("SELECT id FROM articles WHERE outlet = 'reuters.com'").fetchone()[0]
    add(
        store,
        "bbc.co.uk",
        D0,
        "Iran and Russia sign strategic partnership treaty",
        [ev("SUPPORT", "IRN", "RUS")],
        duplicate_of=first,
    )
    # a sanction far away in time, and things that are not milestones
    add(
        store,
        "tass.com",
        D0 - timedelta(days=200),
        "Russia bans Iranian imports",
        [ev("SANCTION", "RUS", "IRN")],
    )
    add(
        store,
        "tass.com",
        D0 - timedelta(days=100),
        "Russia criticises Iran",
        [ev("ACCUSE", "RUS", "IRN")],
    )
    # two Tehran Times articles dated only to the month: separate candidates
    for i in range(2):
        add(
            store,
            "tehrantimes.com",
            date(2024, 11, 1),
            f"Iran and Russia hold consultations {i}",
            [ev("CONSULT", "IRN", "RUS")],
            precision=DatePrecision.MONTH_ESTIMATED,
        )
    return store


def test_kinds() -> None:
    assert milestone_kind("SUPPORT", "057") == "agreement"
    assert milestone_kind("SUPPORT", "051") is None
    assert milestone_kind("AGREE", "0311") == "agreement"
    assert milestone_kind("AGREE", "036") is None
    assert milestone_kind("CONSULT", "042") == "visit"
    assert milestone_kind("AID", "072") == "supply"
    assert milestone_kind("SANCTION", "163") == "sanction"
    assert milestone_kind("ASSAULT", "190") == "attack"
    assert milestone_kind("ACCUSE", "112") is None


def test_milestones_are_grouped_and_ranked_by_how_widely_reported(tmp_path: Path) -> None:
    with _corpus(tmp_path / "s.db") as store:
        found = timeline(store, "RUS", "IRN")
    ms = found["milestones"]
    assert [m["kind"] for m in ms[:3]] == ["agreement", "visit", "supply"]
    treaty = ms[0]
    # two consecutive days, one milestone; the copy adds no outlet
    assert (treaty["first"], treaty["last"]) == ("2025-01-13", "2025-01-14")
    assert treaty["camp_count"] == 4 and treaty["outlets"] == 5 and treaty["articles"] == 5
    assert treaty["camps"]["western"] == 2
    assert set(treaty["directions"]) == {"IRN→RUS", "RUS→IRN"}
    assert treaty["date"] == "2025-01-13" and treaty["date_precision"] == "day"
    # the most central headline, with its evidence ids
    assert "sign" in treaty["summary"] and "treaty" in treaty["summary"]
    assert len(treaty["article_ids"]) == 5 and len(treaty["event_ids"]) == 4
    supply = ms[2]
    assert supply["articles"] == 6 and supply["camp_count"] == 1  # the denial is left out
    months = [m for m in ms if m["date_precision"] == "month"]
    assert len(months) == 2 and all(m["date"] == "2024-11" for m in months)
    assert not any(m["kind"] == "attack" for m in ms)
    assert any(m["kind"] == "sanction" for m in ms)


def test_days_apart_are_separate_milestones(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        for offset in (0, 1, 2, 3, 10):
            add(
                store,
                "kyivindependent.com",
                D0 + timedelta(days=offset),
                "Strike",
                [ev("ASSAULT", "RUS", "UKR")],
            )
        found = timeline(store, "UKR", "RUS", window_days=3)
    spans = sorted((m["first"], m["last"]) for m in found["milestones"])
    assert spans == [
        ("2025-01-13", "2025-01-15"),
        ("2025-01-16", "2025-01-16"),
        ("2025-01-23", "2025-01-23"),
    ]


def test_stories_group_and_label_milestones(tmp_path: Path) -> None:
    with _corpus(tmp_path / "s.db") as store:
        ids = [
            r[0]
            for r in store.conn.execute(
                "SELECT a.id FROM articles a JOIN events e ON e.article_rowid = a.rowid"
                " WHERE e.type = 'SUPPORT' AND a.duplicate_of IS NULL"
            )
        ]
        make_story(store, "s-treaty", "Iran and Russia sign a 20-year treaty", sorted(set(ids)))
        found = timeline(store, "IRN", "RUS")
    assert found["stories_used"]
    treaty = found["milestones"][0]
    assert treaty["summary"] == "Iran and Russia sign a 20-year treaty"
    assert treaty["story_ids"] == ["s-treaty"]


def test_cli_timeline(store_ref: str) -> None:
    path = store_ref
    _corpus(path).close()
    runner = CliRunner()
    result = runner.invoke(cli(), ["timeline", "IRN", "RUS", "--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["milestones"][0]["kind"] == "agreement"
    text = runner.invoke(
        cli(), ["timeline", "IRN", "RUS", "--db", str(path), "--limit", "3", "--chronological"]
    )
    assert text.exit_code == 0 and "agreement" in text.stdout
    only = runner.invoke(
        cli(), ["timeline", "IRN", "RUS", "--db", str(path), "--kind", "supply", "--json"]
    )
    assert {m["kind"] for m in json.loads(only.stdout)["milestones"]} == {"supply"}


def test_a_summit_with_a_treaty_is_one_milestone(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        for outlet in ("kremlin.ru", "tass.com"):
            add(
                store,
                outlet,
                D0,
                "Putin and Pezeshkian hold talks and sign a treaty",
                [ev("CONSULT", "RUS", "IRN"), ev("SUPPORT", "RUS", "IRN", field="text")],
            )
        add(store, "ria.ru", D0, "Putin meets Pezeshkian", [ev("CONSULT", "RUS", "IRN")])
        found = timeline(store, "IRN", "RUS")
    [summit] = found["milestones"]
    assert summit["kind"] == "agreement" and summit["kinds"] == ["agreement", "visit"]
    assert summit["articles"] == 3 and summit["outlets"] == 3
