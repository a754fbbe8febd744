"""The timeline of a relation: milestone kinds, grouping, ranking, headline, evidence, CLI."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
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
    # the label is the milestone's own evidence sentence; the story's label is beside it
    assert "sign" in treaty["summary"] and treaty["summary"] in treaty["evidence"]
    assert treaty["story_label"] == "Iran and Russia sign a 20-year treaty"
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


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _irn_rus_history(store: Store) -> None:
    """Three real milestones, thinly reported, among louder noise (our own sentences)."""
    # the treaty: one Kremlin transcript whose headline names only the press conference
    text = (
        "Vladimir Putin: Mr President, colleagues. Today we signed the Treaty on Comprehensive"
        " Strategic Partnership between Russia and Iran. It sets out our cooperation for twenty"
        " years."
    )
    sentence = (
        "Today we signed the Treaty on Comprehensive Strategic Partnership between Russia and Iran."
    )
    s, e = _span(text, sentence)
    add(
        store,
        "kremlin.ru",
        date(2025, 1, 17),
        "Press conference following Russian-Iranian talks",
        [ev("SUPPORT", "RUS", "IRN", field="text", start=s, end=e)],
        text=text,
    )
    # an explainer the next week names the treaty in its headline: it never labels it
    add(
        store,
        "apnews.com",
        date(2025, 1, 22),
        "What is in the treaty Russia and Iran signed?",
        [ev("SUPPORT", "RUS", "IRN")],
    )
    # Putin's visit to Tehran, three camps
    for outlet, title in (
        ("bbc.co.uk", "Putin arrives in Tehran for talks with Iran's leaders"),
        ("kremlin.ru", "Putin visits Tehran for talks with President Raisi"),
        ("tass.com", "Putin visits Iran for a trilateral summit"),
    ):
        add(store, outlet, date(2022, 7, 19), title, [ev("CONSULT", "RUS", "IRN", cameo="042")])
    # the drone deliveries, relayed by two camps
    for day, outlet, title in (
        (
            date(2022, 10, 17),
            "ukrinform.net",
            "Iran delivered Shahed drones to Russia, intelligence says",
        ),
        (date(2022, 10, 18), "bbc.co.uk", "Iran has supplied drones to Russia, US officials say"),
    ):
        add(store, outlet, day, title, [ev("AID", "IRN", "RUS", asserted=False)])
    # noise 1: Shahed strikes on Kyiv, whose sentence the coder also reads as an attack of
    # Russia on Iran ("Russia strikes Kyiv with Iranian drones"), every other day for a month,
    # from four camps
    for k in range(14):
        day = date(2022, 10, 1) + timedelta(days=2 * k)
        for outlet in ("ukrinform.net", "reuters.com", "aljazeera.com", "tass.com"):
            add(
                store,
                outlet,
                day,
                f"Russia strikes Kyiv with Iranian drones overnight, wave {k}",
                [ev("ASSAULT", "RUS", "UKR"), ev("ASSAULT", "RUS", "IRN")],
            )
    # noise 1b: a strike the coder gives to the pair alone, widely reported every other day
    for k in range(10):
        for outlet in ("ukrinform.net", "reuters.com", "aljazeera.com"):
            add(
                store,
                outlet,
                date(2023, 6, 1) + timedelta(days=2 * k),
                f"Drone debris falls near the Caspian coast, report {k}",
                [ev("ASSAULT", "RUS", "IRN")],
            )
    # noise 2: a speculation coded as cooperation, widely relayed
    spec = "It is very likely that Russia buys missiles from Iran, Zelensky said"
    for outlet in ("ukrinform.net", "reuters.com", "censor.net", "aljazeera.com"):
        add(
            store, outlet, date(2022, 10, 24), spec, [ev("COOPERATE", "RUS", "IRN", asserted=False)]
        )
    # noise 3: phone calls every week, from three camps
    for k in range(10):
        for outlet in ("tass.com", "irna.ir", "reuters.com"):
            add(
                store,
                outlet,
                date(2023, 3, 1) + timedelta(days=7 * k),
                f"Lavrov and Amir-Abdollahian discuss bilateral ties by phone ({k})",
                [ev("CONSULT", "RUS", "IRN", cameo="041")],
            )


def test_the_three_irn_rus_milestones_are_in_the_top_ten(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        _irn_rus_history(store)
        found = timeline(store, "IRN", "RUS", limit=10)
    ms = found["milestones"]
    by_date = {m["first"]: m for m in ms}
    treaty, visit, drones = by_date["2025-01-17"], by_date["2022-07-19"], by_date["2022-10-17"]
    assert treaty["what"] == "agreement signed" and "signed the Treaty" in treaty["summary"]
    assert "Press conference" not in treaty["summary"]
    assert visit["what"] == "visit" and visit["camp_count"] == 3
    assert drones["what"] == "military supplies" and "drones" in drones["summary"]
    # the speculation is no milestone; the explainer is one, but its headline labels nothing
    assert not any("very likely" in m["summary"] for m in ms)
    assert found["hypothetical_left_out"] == 4
    assert found["left_out"]["third_party_attacks"] == 56
    assert not any(m["summary"].startswith("What is in") for m in ms)
    # the strikes on Kyiv are about a third state; the attacks every other day count once as
    # new, then as routine: below the three
    assert not any("Kyiv" in m["summary"] for m in ms)
    real = max(m["rank"] for m in (treaty, visit, drones))
    assert real <= 6
    later = [m["rank"] for m in ms if m["kind"] == "attack" and m["first"] > "2023-06-01"]
    assert later and min(later) > real


def test_an_explainer_only_milestone_is_labelled_by_what_it_is(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        add(
            store,
            "apnews.com",
            D0,
            "What is in the treaty Russia and Iran signed?",
            [ev("SUPPORT", "RUS", "IRN")],
        )
        [m] = timeline(store, "IRN", "RUS")["milestones"]
    assert m["summary"] == "agreement signed (RUS→IRN)" and m["explainer_articles"] == 1


def test_a_background_sentence_carried_from_article_to_article_is_no_new_milestone(
    tmp_path: Path,
) -> None:
    background = (
        "Iran and Russia signed eight memorandums of understanding at their joint commission."
    )
    with open_store(tmp_path / "s.db") as store:
        for n, day in enumerate((D0, D0 + timedelta(days=40), D0 + timedelta(days=90))):
            text = f"A new story number {n} on trade. {background}"
            start = text.index(background)
            add(
                store,
                "tehrantimes.com",
                day,
                f"Trade story {n}",
                [ev("SUPPORT", "IRN", "RUS", field="text", start=start, end=len(text))],
                text=text,
            )
        # a short headline told again weeks later may be news again: it stays
        for day in (D0, D0 + timedelta(days=40)):
            add(store, "tass.com", day, "Russia and Iran sign deal", [ev("SUPPORT", "RUS", "IRN")])
        found = timeline(store, "IRN", "RUS")
    days = sorted(m["first"] for m in found["milestones"])
    assert days == [D0.isoformat(), (D0 + timedelta(days=40)).isoformat()]
    assert found["left_out"]["repeated_sentences"] == 2


def _visit_under_the_bar(store: Store, headline: str) -> date:
    """A signing kept at 0.9 (the timeline proper) and a visit two outlets report, each only at
    0.6 or 0.62 (not counted, shown apart); the day of both."""
    day = date(2022, 7, 19)
    add(store, "kremlin.ru", day, "Iran and Russia sign memorandum",
        [ev("SUPPORT", "IRN", "RUS", confidence=0.9)])  # fmt: skip
    add(store, "bbc.co.uk", day, headline, [ev("CONSULT", "RUS", "IRN", confidence=0.6)])
    add(store, "cnn.com", day + timedelta(days=1), "Putin and Raisi meet in Tehran",
        [ev("CONSULT", "RUS", "IRN", confidence=0.62)])  # fmt: skip
    return day


def test_milestones_told_only_under_the_threshold_are_shown_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARALLAX_EVENT_THRESHOLD", "0.75")
    store = open_store(tmp_path / "u.db")
    day = _visit_under_the_bar(store, "Putin visits Iran")
    # one outlet's low-confidence report is not shown at all, nor one under the floor
    add(store, "rt.com", day - timedelta(days=40), "Iran sends drones to Russia",
        [ev("AID", "IRN", "RUS", confidence=0.6)])  # fmt: skip
    add(store, "tass.com", day - timedelta(days=90), "Russia sanctions Iran",
        [ev("SANCTION", "RUS", "IRN", confidence=0.3)])  # fmt: skip
    add(store, "ria.ru", day - timedelta(days=90), "Russia sanctions Iran again",
        [ev("SANCTION", "RUS", "IRN", confidence=0.3)])  # fmt: skip
    found = timeline(store, "IRN", "RUS")
    assert [m["what"] for m in found["milestones"]] == ["agreement signed"]
    (visit,) = found["unconfirmed"]
    assert visit["kind"] == "visit" and visit["outlets"] == 2
    assert visit["confidence"] == 0.62 and visit["first"] == day.isoformat()


def test_an_earlier_month_named_in_the_sentence_is_a_mention_of_the_past(tmp_path: Path) -> None:
    store = open_store(tmp_path / "p.db")
    # a May article recounting January's visit: no May visit
    text = "In January 2022, the Iranian president travelled to Russia and met Putin."
    add(store, "tehrantimes.com", date(2022, 5, 1), "Iran and Russia deepen ties",
        [ev("CONSULT", "IRN", "RUS", field="text", start=0, end=len(text))], text=text)  # fmt: skip
    found = timeline(store, "IRN", "RUS")
    assert found["milestones"] == [] and found["left_out"]["past_mentions"] == 1


def test_a_heres_why_headline_is_an_explainer() -> None:
    from newsparallax.analyze.timeline import is_explainer

    assert is_explainer("Here’s why the invasion is being called a TikTok war")
    assert not is_explainer("Russia invades Ukraine")


def test_the_relation_page_lists_unconfirmed_milestones_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from newsparallax.analyze import relations
    from newsparallax.watches import load_watch
    from newsparallax.web import create_app
    from web_support import LOCAL, safe_elements

    monkeypatch.setenv("PARALLAX_EVENT_THRESHOLD", "0.75")
    store = open_store(tmp_path / "p.db")
    _visit_under_the_bar(store, "Putin visits Iran <i>today</i>")
    relations.rebuild(store)
    store.close()
    app = create_app(tmp_path / "p.db", load_watch("iran-russia"))
    with TestClient(app, client=LOCAL) as client:
        html = client.get("/relations/IRN/RUS?both=true").text
    safe_elements(html)
    counted, apart = html.split('id="unconfirmed-h"')
    assert "Iran and Russia sign memorandum" in counted and "Putin visits" not in counted
    assert "best confidence 0.62" in apart and "2 outlets" in apart
    assert "<i>today" not in html
