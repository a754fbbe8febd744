"""Stories as events: kinds of pieces, speakers, reactions and scenes of headlines; articles of
uncertain date (month-dated, or undated but fetched) in the clustering; which camps have data.

Every headline and text here is our own, written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsparallax.analyze.stories.cluster import Params, cluster
from newsparallax.analyze.stories.cues import is_reaction, kind_of, speaker_of, speaker_span
from newsparallax.analyze.stories.items import Item, make_item
from newsparallax.analyze.stories.job import rebuild, update
from newsparallax.analyze.stories.queries import (
    StoryQuery,
    camps_with_data,
    get_story,
    list_stories,
    pending,
)
from newsparallax.records import Article, DatePrecision
from newsparallax.store.database import Store
from stories_support import article, build_store

# -- cues -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "kind"),
    [
        ("Ukraine war round-up: a mall attack and stolen grain", "", "digest"),
        ("Главное за день: удары, переговоры и погода", "", "digest"),
        ("مروری بر مهم‌ترین اخبار امروز", "", "digest"),
        ("أبرز الأحداث في المنطقة اليوم", "", "digest"),
        ("Russia-Ukraine war latest updates: talks resume", "", "live"),
        ("Онлайн-трансляция: саммит в Астане", "", "live"),
        ("لحظه به لحظه با تحولات منطقه", "", "live"),
        ("Why did the talks in Oman collapse?", "", "explainer"),
        ("Что известно о новом заводе в Татарстане", "", "explainer"),
        ("Opinion: the treaty changes little", "", "opinion"),
        ("Иран будет сопротивляться до конца, считает эксперт", "", "opinion"),
        ("Iran and Russia sign a gas deal in Tehran", "", "report"),
        ("Live fire drills held near the border", "", "report"),
        (
            "Evening summary",
            "\n".join(f"🔹 item {n} of the day" for n in range(8)),
            "digest",
        ),
    ],
)
def test_kind_of_a_piece(title: str, body: str, kind: str) -> None:
    assert kind_of(title, body) == kind


@pytest.mark.parametrize(
    ("title", "speaker"),
    [
        ("Захарова: Запад не заметил удара по школе", "Захарова"),
        ("Трамп заявил, что операция идёт хорошо", "Трамп"),
        ("Операция может затянуться, заявил Трамп", "Трамп"),
        ("Foreign Ministry Spokesman: the leaders are safe", "Foreign Ministry Spokesman"),
        ("Putin says the ruble is under control", "Putin"),
        ("Talks will resume next week - Lavrov", "Lavrov"),
        ("Shelling of Kharkiv: four killed overnight", None),  # a section label, not a speaker
        ("Drone plant in Alabuga expands", None),
    ],
)
def test_speaker_of_a_headline(title: str, speaker: str | None) -> None:
    span = speaker_span(title)
    assert (title[span[0] : span[1]] if span else None) == speaker


def test_speakers_in_two_scripts_meet_by_name() -> None:
    a, b = speaker_of("Путин заявил о контроле над курсом рубля"), speaker_of("Putin: no panic")
    assert a is not None and b is not None
    assert set(a.split("|")) & set(b.split("|"))


def test_reactions() -> None:
    assert is_reaction("G7 leaders condemn the strike on a shopping mall")
    assert is_reaction("Каллас осудила удары по городу")
    assert not is_reaction("Death toll in the strike rises to 18")


# -- kinds and speakers in the clustering -----------------------------------------------------


def _items(articles: list[Article]) -> list[Item]:
    return [
        make_item(
            rowid=n,
            id=a.id,
            language=a.language,
            published=a.published,
            date_precision=a.date_precision.value if a.date_precision else None,
            title=a.title,
            summary=a.summary,
            text=a.text,
            mentions=a.mentions,
        )
        for n, a in enumerate(articles)
    ]


PLANT = article(
    1,
    outlet="reuters.com",
    when="2025-05-06T09:00:00",
    title="Alabuga drone plant to double output, officials say",
    text="The Alabuga drone plant in Tatarstan will double its output of attack drones this"
    " year, officials said on Tuesday.",
)
PLANT_RU = article(
    2,
    outlet="ria.ru",
    when="2025-05-06T10:00:00",
    language="ru",
    title="Завод в Алабуге удвоит выпуск беспилотников",
    text="Завод в Алабуге в Татарстане удвоит выпуск беспилотников в этом году, сообщили во"
    " вторник официальные лица.",
)
BANKS = article(
    3,
    outlet="theguardian.com",
    when="2025-05-06T11:00:00",
    title="EU adds three regional banks to its sanctions list",
    text="The European Union added three regional banks in Kazan to its sanctions list over"
    " payments for energy firms.",
)
DIGEST = article(
    4,
    outlet="bbc.co.uk",
    when="2025-05-06T12:00:00",
    title="Round-up: Alabuga drone plant output, EU sanctions on regional banks",
    text="The Alabuga drone plant in Tatarstan will double its output of drones. The European"
    " Union added three regional banks to its sanctions list.",
)
BANKS_2 = article(
    5,
    outlet="rt.com",
    when="2025-05-06T13:00:00",
    title="Three Kazan banks hit by new EU sanctions",
    text="Three regional banks in Kazan were added to the European Union's sanctions list over"
    " energy payments.",
)


def test_a_digest_stands_alone_and_glues_nothing() -> None:
    clusterer = cluster(_items([PLANT, PLANT_RU, BANKS, DIGEST, BANKS_2]), Params())
    story = clusterer.by_article
    assert story[PLANT.id] == story[PLANT_RU.id]
    assert story[BANKS.id] == story[BANKS_2.id] != story[PLANT.id]
    alone = clusterer.stories[story[DIGEST.id]]
    assert alone.kind == "digest" and alone.size == 1 and alone.closed


def test_the_kind_the_story_job_took_is_saved_and_shown(tmp_path: Path) -> None:
    db = build_store(tmp_path / "k.db", [PLANT, PLANT_RU, BANKS, DIGEST, BANKS_2])
    with Store(db) as store:
        rebuild(store, Params())
        saved = dict(store.conn.execute("SELECT a.id, sa.kind FROM story_articles sa JOIN"
                                        " articles a ON a.rowid = sa.article_rowid"))  # fmt: skip
        assert saved[DIGEST.id] == "digest" and saved[PLANT.id] == "report"
        sid = str(store.conn.execute(
            "SELECT sa.story_id FROM story_articles sa JOIN articles a ON"
            " a.rowid = sa.article_rowid WHERE a.id = ?", (DIGEST.id,)).fetchone()[0])  # fmt: skip
        found = get_story(store, sid)
        assert found is not None and found["kind"] == "digest"
        assert [a["kind"] for a in found["articles"]] == ["digest"]
        # what is shown is what was saved, not matched again on each read...
        store.conn.execute("UPDATE story_articles SET kind = 'opinion' WHERE story_id = ?", (sid,))
        again = get_story(store, sid)
        assert again is not None and again["articles"][0]["kind"] == "opinion"
        # ...and rows saved before kinds were kept are matched from the title
        store.conn.execute("UPDATE story_articles SET kind = NULL")
        old = get_story(store, sid)
        assert old is not None and old["kind"] == "digest"


def test_two_speakers_on_one_subject_are_two_stories() -> None:
    lavrov = [
        article(
            10 + n,
            outlet="tass.ru",
            when=f"2025-05-07T{9 + n:02d}:00:00",
            language="ru",
            title=title,
            text=title,
        )
        for n, title in enumerate(
            [
                "Лавров: переговоры по ядерной программе Ирана возобновятся в Омане",
                "Лавров заявил, что переговоры по ядерной программе Ирана пройдут в Омане",
            ]
        )
    ]
    other = article(
        13,
        outlet="ria.ru",
        when="2025-05-07T11:30:00",
        language="ru",
        title="Аракчи заявил, что переговоры по ядерной программе Ирана пройдут в Омане",
        text="Аракчи заявил, что переговоры по ядерной программе Ирана пройдут в Омане",
    )
    clusterer = cluster(_items([*lavrov, other]), Params())
    story = clusterer.by_article
    assert story[lavrov[0].id] == story[lavrov[1].id]
    assert story[other.id] != story[lavrov[0].id]
    assert (
        cluster(_items([*lavrov, other]), Params(speaker_clash=1.0)).by_article[other.id]
        == cluster(_items([*lavrov, other]), Params(speaker_clash=1.0)).by_article[lavrov[0].id]
    )


def _speaker_day(n: int, day: str, title: str) -> Article:
    return article(n, outlet="ukrinform.net", when=f"2025-05-{day}T00:00:00", title=title,
                   text=title, precision=DatePrecision.DAY)  # fmt: skip


def test_day_dated_headlines_get_no_occasion_bonus_after_the_story_s_first_day() -> None:
    """Dated only to the day, a speaker's headlines cannot tell one occasion from the next: the
    speaker's bonus holds on the day the story began, not on the days after (a chain of one
    person's statements over days is a topic, not an event)."""
    first = _speaker_day(30, "07", "Kuleba: partners must speed up deliveries of air defence")
    again = "Kuleba: Ukraine expects a decision on air defence deliveries from partners"
    clusterer = cluster(_items([first]), Params())
    story = clusterer.stories[clusterer.by_article[first.id]]
    scores = {}
    for n, day in ((31, "07"), (32, "08")):
        (item,) = _items([_speaker_day(n, day, again)])
        scores[day] = clusterer.score(item, clusterer.vectors(item), story)
    bonus = Params().speaker_bonus
    assert scores["07"] == pytest.approx(scores["08"] + bonus)


def test_timed_reports_join_a_story_for_a_day_and_a_half_from_its_start() -> None:
    """Timed to the minute, the reports of one event come within a day or so; a report 37 hours
    after a story began starts a story of its own however alike, unless the span is set wider."""
    title = "Iran and Oman hold talks on shipping in the Strait of Hormuz"
    reports = [
        article(40 + n, outlet=outlet, when=when, title=title, text=title)
        for n, (outlet, when) in enumerate(
            [("tass.com", "2025-05-07T08:00:00"), ("ria.ru", "2025-05-08T04:00:00"),
             ("rt.com", "2025-05-08T21:00:00")]
        )
    ]  # fmt: skip
    story = cluster(_items(reports), Params()).by_article
    assert story[reports[0].id] == story[reports[1].id] != story[reports[2].id]
    wider = cluster(_items(reports), Params(max_span_hours=48)).by_article
    assert wider[reports[0].id] == wider[reports[2].id]


# -- uncertain dates ------------------------------------------------------------------------------

MAY = [PLANT, PLANT_RU, BANKS, BANKS_2]
LATER = article(
    20,
    outlet="reuters.com",
    when="2025-06-03T09:00:00",
    title="Caspian ferry line opens between Astrakhan and Anzali",
    text="A ferry line between Astrakhan and Bandar Anzali opened on Monday.",
)
MONTH_PLANT = article(
    21,
    outlet="tehrantimes.com",
    when="2025-05-01T00:00:00",
    title="Alabuga drone plant to double output",
    text="The Alabuga drone plant in Tatarstan will double its output of attack drones this"
    " year, officials said.",
    precision=DatePrecision.MONTH_ESTIMATED,
)
MONTH_OTHER = article(
    22,
    outlet="tehrantimes.com",
    when="2025-05-01T00:00:00",
    title="Iranian carpet exhibition opens in Shiraz",
    text="An exhibition of hand-woven carpets opened in Shiraz with weavers from six provinces.",
    precision=DatePrecision.MONTH_ESTIMATED,
)
LATE_JUNE = article(
    23,
    outlet="reuters.com",
    when="2025-06-03T12:00:00",
    title="Iranian carpet exhibition in Shiraz draws crowds",
    text="An exhibition of hand-woven carpets in Shiraz drew crowds, its organisers said.",
)


def _members(store: Store) -> dict[str, str]:
    return {
        aid: sid
        for aid, sid in store.conn.execute(
            "SELECT a.id, sa.story_id FROM story_articles sa JOIN articles a"
            " ON a.rowid = sa.article_rowid WHERE sa.story_id IS NOT NULL"
        )
    }


def test_a_month_dated_article_joins_a_story_of_its_month_without_moving_it(
    tmp_path: Path,
) -> None:
    db = build_store(tmp_path / "m.db", [*MAY, LATER, MONTH_PLANT, MONTH_OTHER, LATE_JUNE])
    with Store(db) as store:
        summary = rebuild(store, Params())
        assert summary.skipped == 0 and summary.waiting == 0 and summary.uncertain == 2
        members = _members(store)
        plant = members[PLANT.id]
        assert members[MONTH_PLANT.id] == plant  # a strong match in an overlapping span
        story = get_story(store, plant)
        assert story is not None
        assert story["first_seen"].startswith("2025-05-06T09:00")  # not the 1st of May
        assert story["last_seen"].startswith("2025-05-06T10:00")
        assert story["uncertain_articles"] == 1 and "iranian_state" in story["camps"]
        flagged = {a["id"]: a["date_uncertain"] for a in story["articles"]}
        assert flagged[MONTH_PLANT.id] and not flagged[PLANT.id]
        # no match: a story of its own, which a precisely dated article never joins
        other = members[MONTH_OTHER.id]
        assert other not in {members[a.id] for a in (*MAY, LATER, LATE_JUNE)}
        assert (
            store.conn.execute("SELECT status FROM stories WHERE id = ?", (other,)).fetchone()[0]
            == "closed"
        )
        listed = list_stories(store, StoryQuery(min_articles=1, ids=(other,)))
        assert listed[0]["articles"][0]["date_uncertain"] is True


def test_a_month_dated_article_waits_then_joins_a_closed_story_in_a_later_run(
    tmp_path: Path,
) -> None:
    db = build_store(tmp_path / "w.db", [*MAY, MONTH_PLANT])
    with Store(db) as store:
        first = update(store, Params())
        assert first.waiting == 1 and pending(store) == 1  # May is not over
        store.add(LATER)  # June: the May stories close, May is over
        second = update(store, Params())
        assert second.uncertain == 1 and pending(store) == 0
        incremental = _members(store)
        assert incremental[MONTH_PLANT.id] == incremental[PLANT.id]
        rebuild(store, Params())
        assert _members(store) == incremental


def test_an_undated_article_fetched_by_the_monitor_takes_part(tmp_path: Path) -> None:
    undated = article(
        30,
        outlet="tass.ru",
        when="2025-05-06T00:00:00",
        title="Alabuga drone plant to double output, officials say",
        text="The Alabuga drone plant in Tatarstan will double its output of attack drones this"
        " year, officials said on Tuesday.",
    )
    items = _items([PLANT, BANKS, LATER])
    fetched = make_item(
        rowid=99,
        id=undated.id,
        language="en",
        published=None,
        date_precision=None,
        title=undated.title,
        summary="",
        text=undated.text,
        mentions=undated.mentions,
        fetched=LATER.published,
    )
    assert fetched.span is not None and fetched.skip is None
    clusterer = cluster([*items, fetched], Params())
    assert clusterer.by_article[undated.id] == clusterer.by_article[PLANT.id]
    plant = clusterer.stories[clusterer.by_article[PLANT.id]]
    assert plant.last_ts == int(PLANT.published.timestamp())  # type: ignore[union-attr]
    no_date = make_item(
        rowid=100,
        id="x",
        language="en",
        published=None,
        date_precision=None,
        title="t",
        summary="",
        text="t",
    )
    assert no_date.skip == "no date"


def test_camps_with_data_tell_no_data_from_a_blindspot(tmp_path: Path) -> None:
    db = build_store(tmp_path / "c.db", [*MAY, LATER, MONTH_PLANT, MONTH_OTHER])
    with Store(db) as store:
        rebuild(store, Params())
        may_6 = int(PLANT.published.timestamp())  # type: ignore[union-attr]
        camps = camps_with_data(store, since=may_6 - 3600, until=may_6 + 3600 * 6)
        assert camps["iranian_state"] == 2  # month-dated: May overlaps the window
        assert camps["western"] == 2 and camps["russian_state"] == 2
        june = camps_with_data(store, since=may_6 + 27 * 86_400, until=may_6 + 40 * 86_400)
        assert "iranian_state" not in june and june["western"] == 1
        assert json.dumps(camps_with_data(store))  # open window: plain JSON
