"""Stories: fingerprints, clustering across outlets and languages, the quiet period, syndicated
copies, the incremental path against a rebuild, story arcs, and `parallax cluster / stories /
story / arc`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparallax.analyze.stories.cluster import Params
from newsparallax.analyze.stories.fingerprint import (
    clean_title,
    fact_keys,
    headline,
    name_keys,
    skeleton,
)
from newsparallax.analyze.stories.job import rebuild, update
from newsparallax.analyze.stories.queries import (
    StoryQuery,
    get_arc,
    get_story,
    list_arcs,
    list_stories,
    pending,
)
from newsparallax.cli.main import main
from newsparallax.cli.stories import register
from newsparallax.records import Article, DatePrecision
from newsparallax.store.database import Store
from stories_support import article, build_store

# Our own hand-written reports of three invented events on 2-3 March 2023, and a follow-up.
A1 = article(
    1,
    outlet="reuters.com",
    when="2023-03-02T09:00:00",
    title="Iran and Russia to expand drone plant in Alabuga, Tatarstan",
    text="Iranian engineers will help Russia expand the Alabuga drone factory in Tatarstan to"
    " build 6,000 Shahed-type drones, officials said. The plant near Yelabuga will assemble the"
    " airframes from Iranian kits.",
)
B1 = article(
    2,
    outlet="reuters.com",
    when="2023-03-02T11:00:00",
    title="IAEA inspectors arrive at Bushehr nuclear plant",
    text="A team of inspectors from the International Atomic Energy Agency arrived at the Bushehr"
    " nuclear power plant to check fuel stocks, the agency said. Grossi is expected in Tehran"
    " next week.",
)
C1 = article(
    3,
    outlet="theguardian.com",
    when="2023-03-02T12:00:00",
    title="EU adds three regional banks to sanctions list over energy payments",
    text="The European Union added three regional banks to its sanctions list for processing"
    " payments for energy firms, officials in Brussels said.",
)
A2 = article(
    4,
    outlet="bbc.co.uk",
    when="2023-03-02T14:00:00",
    title="Alabuga plant in Tatarstan to make 6,000 drones with Iranian help",
    text="Russia plans to build 6,000 attack drones at the Alabuga plant in Tatarstan with help"
    " from Iranian engineers, according to documents seen by reporters. Moscow and Tehran did not"
    " comment.",
)
B2 = article(
    5,
    outlet="ria.ru",
    when="2023-03-02T16:00:00",
    language="ru",
    title="Инспекторы МАГАТЭ прибыли на АЭС Бушер",
    text="Группа инспекторов Международного агентства по атомной энергии прибыла на атомную"
    " электростанцию Бушер для проверки запасов топлива. Гросси ожидается в Тегеране на следующей"
    " неделе.",
)
B3 = article(
    6,
    outlet="theguardian.com",
    when="2023-03-03T07:00:00",
    title="UN nuclear watchdog inspectors visit Iran's Bushehr reactor",
    text="Inspectors of the UN nuclear watchdog visited the Bushehr reactor to check fuel. Rafael"
    " Grossi, the head of the IAEA, will travel to Tehran next week.",
)
A3 = article(
    7,
    outlet="tass.com",
    when="2023-03-03T08:00:00",
    language="ru",
    title="В Алабуге расширят производство беспилотников",
    text="Завод в особой экономической зоне Алабуга в Татарстане увеличит выпуск беспилотников до"
    " 6000 единиц, сообщили 2 марта источники. Тегеран и Москва продолжают сотрудничество.",
)
A4 = article(
    8,
    outlet="rt.com",
    when="2023-03-03T10:00:00",
    title="Western media claim Alabuga plant will build Iranian drones",
    text="Western outlets claimed on March 2 that a plant in Tatarstan's Alabuga zone will produce"
    " 6,000 drones of Iranian design. The Kremlin called the reports speculation.",
)
A1_COPY = article(
    9,
    outlet="ukrinform.net",
    when="2023-03-03T11:00:00",
    title=A1.title,
    text=A1.text,
    duplicate_of=A1.id,
)
D1 = article(
    10,
    outlet="reuters.com",
    when="2023-03-25T09:00:00",
    title="Alabuga drone plant doubles output, satellite images show",
    text="Satellite images show new hangars at the Alabuga plant in Tatarstan, where Shahed-type"
    " drones are assembled.",
)
VAGUE = article(
    11,
    outlet="tehrantimes.com",
    when="2023-03-01T00:00:00",
    title="Drone plant in Alabuga expands",
    text="A plant in Alabuga expands.",
    precision=DatePrecision.MONTH_ESTIMATED,
)
ALL = [A1, B1, C1, A2, B2, B3, A3, A4, A1_COPY, D1, VAGUE]
EARLY = [A1, B1, C1, A2, B2]


def _groups(store: Store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for story, aid in store.conn.execute(
        "SELECT sa.story_id, a.id FROM story_articles sa JOIN articles a"
        " ON a.rowid = sa.article_rowid WHERE sa.story_id IS NOT NULL"
    ):
        out.setdefault(story, set()).add(aid)
    return out


def _story_of(groups: dict[str, set[str]], a: Article) -> set[str]:
    return next(v for v in groups.values() if a.id in v)


@pytest.fixture
def clustered(store_ref: str) -> str:
    db = build_store(store_ref, ALL)
    with Store(db) as store:
        update(store, Params())
    return db


def test_names_meet_across_scripts_and_dates_and_numbers_are_read() -> None:
    assert skeleton("Zelensky") == skeleton("Зеленский")
    assert skeleton("Kursk") == skeleton("Курской")  # lemma курский
    assert skeleton("Tehran") == skeleton("Тегеран")
    assert skeleton("Alabuga") == skeleton("Алабуге")
    assert "atacms" in name_keys("Strikes with ATACMS on Tuesday")
    assert sorted(
        fact_keys("On March 2, 6,000 drones; 2 марта 6000 ракет at 18:30", published=None)
    ) == [
        "d:03-02",
        "d:03-02",
        "n:6000",
        "n:6000",
    ]
    assert clean_title("Shelling of Kharkiv (13.04.22 11:24) « War in Ukraine | Site") == (
        "Shelling of Kharkiv"
    )
    assert (
        headline("❗️**Путин прибыл** в [Астану](https://t.me/x/1)\nдалее")
        == "Путин прибыл в Астану"
    )


def test_reports_of_one_event_form_one_story_across_outlets_and_languages(clustered: str) -> None:
    with Store(clustered) as store:
        groups = _groups(store)
        drones = _story_of(groups, A1)
        assert {A1.id, A2.id, A3.id, A4.id} <= drones  # A3 is Russian
        nuclear = _story_of(groups, B1)
        assert nuclear == {B1.id, B2.id, B3.id}  # B2 is Russian
        assert _story_of(groups, C1) == {C1.id}
        assert not drones & nuclear


def test_a_story_closes_after_the_quiet_period(clustered: str) -> None:
    with Store(clustered) as store:
        groups = _groups(store)
        assert _story_of(groups, D1) == {D1.id}  # same subject 22 days later: a new story


def test_an_arc_links_stories_of_one_story_line_past_the_span(clustered: str) -> None:
    with Store(clustered) as store:
        groups = _groups(store)
        arc_of = dict(store.conn.execute("SELECT id, arc_id FROM stories"))
        story = {a.id: k for k, v in groups.items() for a in (A1, B1, C1, D1) if a.id in v}
        assert story[A1.id] != story[D1.id]  # 22 days apart: two stories...
        assert arc_of[story[A1.id]] == arc_of[story[D1.id]]  # ...of one story line
        assert len({arc_of[story[x.id]] for x in (A1, B1, C1)}) == 3
        drones = get_arc(store, arc_of[story[A1.id]])
        assert drones is not None
        assert drones["story_count"] == 2 and drones["article_count"] == 5
        assert "Alabuga" in drones["label"] and "alabuga" in drones["terms"]
        assert drones["first_seen"].startswith("2023-03-02T09:00")
        assert drones["last_seen"].startswith("2023-03-25")
        assert set(drones["camps"]) >= {"western", "russian_state"}
        later = get_story(store, story[D1.id])
        assert later is not None and later["arc"]["id"] == drones["id"]
        assert later["arc"]["final"] is False  # D1's story is still open: a provisional link
        earlier = get_story(store, story[A1.id])
        assert earlier is not None and earlier["arc"]["final"] is True
        listed = list_arcs(store, StoryQuery(min_articles=1))
        assert listed[0]["id"] == drones["id"]  # most articles first
        assert {x["id"] for x in listed} == set(arc_of.values())


def test_copies_count_once_and_a_month_dated_article_waits_for_its_month(clustered: str) -> None:
    with Store(clustered) as store:
        story = get_story(store, next(k for k, v in _groups(store).items() if A1.id in v))
        assert story is not None
        assert story["article_count"] == 4 and story["duplicates"] == 1
        copy = next(a for a in story["articles"] if a["id"] == A1_COPY.id)
        assert copy["duplicate_of"] == A1.id
        assert "ukrainian" not in story["coverage"]  # the copy adds no coverage
        # dated only to March 2023 while the newest article is of 25 March: it waits until the
        # month is over (every article it could join seen), and is still pending
        seen = store.conn.execute(
            "SELECT count(*) FROM story_articles sa JOIN articles a ON a.rowid = sa.article_rowid"
            " WHERE a.id = ?",
            (VAGUE.id,),
        ).fetchone()[0]
        assert seen == 0 and pending(store) == 1


def test_the_incremental_path_matches_a_rebuild(tmp_path: Path) -> None:
    db = build_store(tmp_path / "inc.db", EARLY)
    with Store(db) as store:
        first = update(store, Params())
        assert first.articles == len(EARLY)
        for a in ALL:
            if a not in EARLY:
                store.add(a)
        second = update(store, Params())
        assert second.articles == len(ALL) - len(EARLY) - 1 and second.waiting == 1
        incremental = sorted(sorted(v) for v in _groups(store).values())
        ids_before = set(_groups(store))
        arcs_before = store.conn.execute(
            "SELECT id, arc_id, arc_final FROM stories ORDER BY id"
        ).fetchall()
        rebuild(store, Params())
        arcs_after = store.conn.execute(
            "SELECT id, arc_id, arc_final FROM stories ORDER BY id"
        ).fetchall()
        assert [tuple(r) for r in arcs_after] == [tuple(r) for r in arcs_before]
        assert sorted(sorted(v) for v in _groups(store).values()) == incremental
        assert set(_groups(store)) == ids_before  # story ids are stable
        again = update(store, Params())
        assert again.articles == 0


def test_story_fields_labels_and_filters(clustered: str) -> None:
    with Store(clustered) as store:
        found = list_stories(store, StoryQuery(min_camps=2))
        assert found, "expected multi-camp stories"
        s = found[0]
        for key in ("id", "label", "first_seen", "last_seen", "camps", "articles", "coverage"):
            assert key in s
        for a in s["articles"]:
            assert {"id", "url", "outlet", "camp", "published", "title"} <= set(a)
        drones = next(x for x in found if A1.id in {a["id"] for a in x["articles"]})
        assert "Alabuga" in drones["label"]
        assert drones["first_seen"].startswith("2023-03-02T09:00")
        assert set(drones["camps"]) >= {"western", "russian_state"}
        assert drones["coverage"]["western"]["article_ids"]
        only_ru = list_stories(store, StoryQuery(camp="russian_state", min_articles=1))
        assert all("russian_state" in x["camps"] for x in only_ru)
        assert not list_stories(store, StoryQuery(since=2_000_000_000))


def test_cli_cluster_stories_and_story(store_ref: str) -> None:
    register(main)
    db = build_store(store_ref, ALL)
    runner = CliRunner()
    result = runner.invoke(main, ["cluster", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert (
        summary["articles"] == len(ALL) - 1
        and summary["duplicates"] == 1
        and summary["skipped"] == 0
        and summary["waiting"] == 1  # VAGUE: its month is not over
    )
    listed = runner.invoke(main, ["stories", "--db", db, "--min-camps", "2", "--json"])
    stories = json.loads(listed.output)
    assert stories and all(len(s["camps"]) >= 2 for s in stories)
    one = runner.invoke(main, ["story", stories[0]["id"], "--db", db, "--json"])
    assert json.loads(one.output)["id"] == stories[0]["id"]
    text = runner.invoke(main, ["story", stories[0]["id"], "--db", db])
    assert "timeline:" in text.output
    assert runner.invoke(main, ["story", "s-nope", "--db", db]).exit_code != 0
    arcs = json.loads(runner.invoke(main, ["stories", "--arcs", "--db", db, "--json"]).output)
    assert arcs and {"id", "label", "first_seen", "last_seen", "camps"} <= set(arcs[0])
    assert arcs[0]["story_count"] >= 1 and arcs[0]["article_count"] >= 1
    shown = runner.invoke(main, ["arc", arcs[0]["id"], "--db", db])
    assert shown.exit_code == 0 and "stories:" in shown.output
    assert "arc a-" in runner.invoke(main, ["story", stories[0]["id"], "--db", db]).output
    assert runner.invoke(main, ["arc", "a-nope", "--db", db]).exit_code != 0
    rebuilt = runner.invoke(main, ["cluster", "--rebuild", "--db", db])
    assert rebuilt.exit_code == 0 and "rebuild" in rebuilt.output


def test_reading_stories_of_a_store_never_clustered_says_what_to_do(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "old.db"
    sqlite3.connect(db).executescript(
        "CREATE TABLE articles(rowid INTEGER PRIMARY KEY, id TEXT); PRAGMA user_version = 1;"
    )
    register(main)
    result = CliRunner().invoke(main, ["stories", "--db", str(db)])
    assert result.exit_code != 0 and "parallax cluster" in result.output


def test_a_backfill_older_than_the_clock_leaves_no_story_open(tmp_path: Path) -> None:
    """Articles dated before the clock move nothing: their stories, quiet for longer than the
    period at the clock, are closed at the end of the run rather than restored by every later
    run (the cost of an update would grow with the archive otherwise)."""
    d1 = next(a for a in ALL if a.published and a.published.month == 3 and a.published.day == 25)
    db = build_store(tmp_path / "backfill.db", [d1])
    with Store(db) as store:
        update(store, Params())
        for a in EARLY:
            store.add(a)
        summary = update(store, Params())
        assert summary.articles == len(EARLY)
        clock = int(
            store.conn.execute("SELECT value FROM story_state WHERE key = 'clock'").fetchone()[0]
        )
        quiet = Params().quiet_days * 86400
        open_rows = store.conn.execute(
            "SELECT id, last_seen_ts FROM stories WHERE status = 'open'"
        ).fetchall()
        assert open_rows and all(int(r[1]) >= clock - quiet for r in open_rows)
        assert summary.open == len(open_rows) == 1
