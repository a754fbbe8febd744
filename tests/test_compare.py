"""Camp comparison on a small store of our own articles: coverage and blindspots, emphasis with
intervals, framing (log-odds with a Dirichlet prior), claims from events, tone, and ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparallax.analyze.compare import Selection, _wilson, compare
from newsparallax.analyze.stories.cluster import Params
from newsparallax.analyze.stories.job import update
from newsparallax.cli.main import main
from newsparallax.cli.stories import register
from newsparallax.records import Event
from newsparallax.store.database import Store
from stories_support import article, build_store

FACTS = " About 12,000 homes in the Saltivka district lost power on May 9."
WEST = [
    (
        "reuters.com",
        "Russian invasion forces strike Kharkiv power station",
        "Russian missiles hit the Kharkiv power station overnight, cutting electricity, as the"
        " invasion enters a new phase. Officials condemned the brutal attack.",
    ),
    (
        "bbc.co.uk",
        "Kharkiv power station hit as Russia's invasion grinds on",
        "The Kharkiv power station was struck by Russian missiles, leaving thousands without"
        " electricity. The invasion has destroyed much of the grid.",
    ),
    (
        "theguardian.com",
        "Invasion: Russian missiles knock out Kharkiv power station",
        "Russian missiles destroyed the Kharkiv power station. Residents described a terrifying"
        " attack during the invasion.",
    ),
]
STATE = [
    (
        "rt.com",
        "Special military operation: precision strike on Kharkiv power station",
        "Russian forces carried out a precision strike on the Kharkiv power station, an energy"
        " facility of the Ukrainian military, as part of the special military operation.",
    ),
    (
        "rt.com",
        "Kharkiv power station disabled in special military operation",
        "The special military operation continued as Russian forces disabled the Kharkiv power"
        " station, an energy facility, the defence ministry said.",
    ),
    (
        "tass.com",
        "Special military operation: Kharkiv power station energy facility disabled",
        "Russian forces disabled the Kharkiv power station in the special military operation."
        " Russia and its partners welcomed the constructive progress and praised the successful"
        " cooperation.",
    ),
]
GRAIN = [
    (
        "reuters.com",
        "Grain ship convoy leaves Odesa under UN corridor deal",
        "A convoy of grain ships left Odesa under the UN corridor deal, port officials said.",
    ),
    (
        "bbc.co.uk",
        "Odesa grain convoy sails under UN corridor deal",
        "Grain ships sailed from Odesa under the UN corridor deal on Wednesday.",
    ),
    (
        "theguardian.com",
        "UN corridor deal: grain convoy leaves Odesa port",
        "The grain convoy left Odesa port under the UN corridor deal, easing fears of shortages.",
    ),
    (
        "reuters.com",
        "Second grain convoy due to leave Odesa under UN corridor deal",
        "A second convoy of grain ships is due to leave Odesa under the corridor deal.",
    ),
]
OTHER_STATE = [
    "Moscow football club wins the cup final",
    "Heavy snow expected in Yakutia this weekend",
    "New metro line opens in Kazan",
    "Ballet season opens at the Bolshoi theatre",
    "Siberian tigers counted in the Far East reserve",
    "Volga river cruise season begins early",
    "Chess tournament opens in Saint Petersburg",
    "Record wheat harvest forecast for the Kuban",
    "Hockey league announces its new season",
    "Tretyakov gallery opens a new exhibition",
    "Lake Baikal ice festival draws visitors",
    "Trans-Siberian railway timetable changes",
]


def _articles(with_events: bool) -> list:  # type: ignore[type-arg]
    out = []
    # each report twice more, as follow-ups the same day (framing needs some volume)
    west = [(o, f"{u}{t}", x + FACTS) for u in ("", "Update: ", "Latest: ") for o, t, x in WEST]
    state = [(o, f"{u}{t}", x + FACTS) for u in ("", "Update: ", "Latest: ") for o, t, x in STATE]
    n = 0
    for i, (outlet, title, text) in enumerate(west):
        n += 1
        events: tuple[Event, ...] = ()
        if with_events and i < 3:
            events = (
                Event(
                    type="ASSAULT",
                    source="RUS",
                    target="UKR",
                    sentence_start=0,
                    sentence_end=len(title),
                    asserted=i != 1,
                    field="title",
                ),
            )
        out.append(
            article(
                n,
                outlet=outlet,
                when=f"2023-05-10T0{i}:10:00",
                title=title,
                text=text,
                events=events,
            )
        )
    for i, (outlet, title, text) in enumerate(state):
        n += 1
        events = ()
        if with_events and i == 0:
            events = (
                Event(
                    type="ASSAULT",
                    source="RUS",
                    target="UKR",
                    sentence_start=0,
                    sentence_end=len(title),
                    field="title",
                ),
            )
        out.append(
            article(
                n,
                outlet=outlet,
                when=f"2023-05-10T1{i}:20:00",
                title=title,
                text=text,
                events=events,
            )
        )
    for i, (outlet, title, text) in enumerate(GRAIN):
        n += 1
        out.append(
            article(n, outlet=outlet, when=f"2023-05-11T0{i + 1}:00:00", title=title, text=text)
        )
    for i, title in enumerate(OTHER_STATE):
        n += 1
        out.append(
            article(
                n,
                outlet="rt.com" if i % 2 else "tass.com",
                when=f"2023-05-11T{10 + i:02d}:00:00",
                title=title,
                text=title + ".",
            )
        )
    return out


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for name, events in (("events", True), ("plain", False)):
        db = build_store(tmp_path_factory.mktemp(name) / "c.db", _articles(events))
        with Store(db) as store:
            update(store, Params())
        out[name] = db
    return out


def _run(db: Path, **kw: object) -> dict:  # type: ignore[type-arg]
    sel = Selection(actors=("RUS", "UKR"), **kw)  # type: ignore[arg-type]
    with Store(db, readonly=True) as store:
        return compare(store, sel)


def test_coverage_is_volume_normalised_and_finds_the_blindspot(stores: dict[str, Path]) -> None:
    data = _run(stores["plain"])
    cov = data["coverage"]
    strike = next(
        r for r in cov["stories"] if set(r["camps_covering"]) == {"western", "russian_state"}
    )
    w, s = strike["camps"]["western"], strike["camps"]["russian_state"]
    assert w["articles"] == 9 and w["outlet_share"] == 1.0
    assert s["articles"] == 9 and s["outlets_covering"] == 2
    assert 0 < s["attention"] < 1 and len(s["article_ids"]) == 9
    blind = [b for b in cov["blindspots"] if b["covered_by"] == "western"]
    assert blind and blind[0]["missing_in"] == "russian_state"
    assert blind[0]["covered_articles"] == 4 and blind[0]["missing_articles"] == 0
    assert blind[0]["missing_camp_articles_in_span"] >= 5
    assert "0.1" in cov["blindspot_rule"]


def test_emphasis_has_shares_with_intervals_and_ids(stores: dict[str, Path]) -> None:
    camps = _run(stores["plain"])["emphasis"]["camps"]
    west = camps["western"]["themes"]
    assert "ukraine_war" in west or "energy_trade" in west
    for camp in camps.values():
        for t in camp["themes"].values():
            lo, hi = t["ci95"]
            assert 0.0 <= lo <= t["share"] <= hi <= 1.0
            assert t["ids_total"] == t["articles"] and t["article_ids"]
    assert _wilson(0, 10)[0] == 0.0 and _wilson(10, 10)[1] == 1.0


def test_framing_finds_each_camps_words_on_shared_stories(stores: dict[str, Path]) -> None:
    framing = _run(stores["plain"])["framing"]
    en = framing["languages"]["en"]["distinctive"]
    west = [t["term"] for t in en["western"]]
    state = [t["term"] for t in en["russian_state"]]
    assert "invasion" in west
    assert any("special military" in t or "military operation" in t for t in state)
    assert "invasion" not in state
    top = en["western"][0]
    assert top["z"] >= 1.96 and top["article_ids"]
    assert "Monroe" in framing["method"]


def test_claims_from_events_and_a_clear_note_without_them(stores: dict[str, Path]) -> None:
    plain = _run(stores["plain"])["claims"]
    assert plain["available"] is False and "events stage" in plain["note"]
    claims = _run(stores["events"])["claims"]
    assert claims["available"] is True
    item = next(i for i in claims["items"] if i["type"] == "ASSAULT")
    assert item["source"] == "RUS" and item["target"] == "UKR"
    assert item["camps"]["western"]["asserted"]["reports"] == 2
    assert item["camps"]["western"]["attributed"]["reports"] == 1
    assert item["camps"]["russian_state"]["asserted"]["reports"] == 1
    ev = item["camps"]["western"]["asserted"]["evidence"][0]
    assert {"article_id", "field", "start", "end"} <= set(ev)


def test_tone_toward_a_state_differs_by_camp_with_sentences_behind_it(
    stores: dict[str, Path],
) -> None:
    tone = _run(stores["plain"])["tone"]
    rus = tone["actors"]["RUS"]
    assert rus["western"]["mean"] < rus["russian_state"]["mean"]
    lo, hi = rus["western"]["ci95"]
    assert lo <= rus["western"]["mean"] <= hi
    ev = rus["western"]["most_negative"][0]
    assert ev["field"] in ("title", "text") and ev["end"] > ev["start"]
    assert "lexicon" in tone["method"]


def test_filters_and_the_cli(stores: dict[str, Path]) -> None:
    only = _run(stores["plain"], camps=("western",))
    assert only["selection"]["camps"] == ["western"]
    assert only["selection"]["articles"] == 13
    none = _run(stores["plain"], since=2_000_000_000)
    assert none["selection"]["articles"] == 0 and none["coverage"]["stories"] == []
    register(main)
    runner = CliRunner()
    db = str(stores["events"])
    result = runner.invoke(
        main,
        [
            "compare",
            "--db",
            db,
            "--camps",
            "western,russian_state",
            "--since",
            "2023-05",
            "--until",
            "2023-05-31",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["selection"]["camps"] == ["russian_state", "western"]
    assert data["coverage"]["blindspots_total"] >= 1
    themed = runner.invoke(main, ["compare", "--db", db, "--theme", "ukraine_war", "--json"])
    assert themed.exit_code == 0
    text = runner.invoke(main, ["compare", "--db", db])
    assert text.exit_code == 0 and "Blindspots" in text.output
    bad = runner.invoke(main, ["compare", "--db", db, "--camps", "nope"])
    assert bad.exit_code != 0
