"""Comparisons without noise, on a small store of our own articles: outlet boilerplate, framing
terms one outlet carries, stories about one event told twice, official and data-less camps,
hypothetical events, and a sentence repeated inside one article."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsparallax.analyze.compare import Selection, blindspots, compare, selection_for
from newsparallax.analyze.compare.boilerplate import Boilerplate, find, segment_key
from newsparallax.analyze.compare.terms import checked_lemma, terms
from newsparallax.periods import date_bound
from newsparallax.records import Article, DatePrecision, Event
from newsparallax.store.database import Store
from newsparallax.watches import load_watch
from relations_support import make_story
from stories_support import article, build_store

WINDOW = {"since": date_bound("2023-05-01", end=False), "until": date_bound("2023-05-31", end=True)}


def _event(kind: str, source: str, target: str, text: str, sentence: str, trigger: str) -> Event:
    start = text.index(sentence)
    return Event(
        type=kind,
        source=source,
        target=target,
        sentence_start=start,
        sentence_end=start + len(sentence),
        trigger=trigger,
        field="text",
    )


STRIKE = {
    "reuters.com": "Russian missiles hit the Kharkiv power station in the invasion's latest"
    " onslaught. The onslaught left the city dark.",
    "bbc.co.uk": "The invasion reached Kharkiv again as missiles struck the power station.",
    "theguardian.com": "Kharkiv's power station was destroyed, the invasion grinding on.",
    "rt.com": "Russian forces carried out a precision strike on an energy facility in Kharkiv"
    " during the special military operation.",
    "tass.com": "An energy facility in Kharkiv was disabled in the special military operation.",
}
HYPOTHETICAL = "Officials fear Iran could supply Russia with missiles for such strikes."
REPEATED = "Russia suffered a terrible and brutal defeat."
TOPICS = (
    "weather football theatre ballet opera chess tennis cinema harvest railways fishing"
    " gardening museums cycling skiing rowing painting poetry cooking hiking sailing jazz"
    " astronomy photography"
).split()


def _corpus() -> tuple[list[Article], dict[str, list[str]]]:
    arts: list[Article] = []
    stories: dict[str, list[str]] = {}
    n = 0

    def add(story: str | None, outlet: str, when: str, title: str, text: str, **kw: object) -> None:
        nonlocal n
        n += 1
        a = article(n, outlet=outlet, when=when, title=title, text=text, **kw)  # type: ignore[arg-type]
        arts.append(a)
        if story:
            stories.setdefault(story, []).append(a.id)

    # the strike: four articles per outlet, Western and Russian state media
    for k in range(4):
        for i, (outlet, body) in enumerate(STRIKE.items()):
            text = f"{body}\n{HYPOTHETICAL}"
            if outlet in ("bbc.co.uk", "theguardian.com"):
                text += "\nView news."
            events: tuple[Event, ...] = (
                _event("ASSAULT", "RUS", "UKR", text, body.split(". ")[0], "hit"),
                _event("AID", "IRN", "RUS", text, HYPOTHETICAL, "supply"),
            )
            if outlet == "rt.com" and k == 0:
                text += "\n" + " ".join([REPEATED] * 13) + "\nRussia welcomed the successful talks."
            add(
                "s-strike",
                outlet,
                f"2023-05-10T{10 + 2 * k + i % 2:02d}:{i:02d}:00",
                f"Kharkiv power station struck ({outlet}, {k})",
                text,
                events=events,
            )
    # one event told twice: a Western story and a Ukrainian one about the plant losing power
    plant = (
        "The Zaporizhzhia nuclear plant near Enerhodar lost its last external power line on"
        " May 11, IAEA chief Rafael Grossi said; 6 reactors are in cold shutdown."
    )
    for i, outlet in enumerate(("reuters.com", "bbc.co.uk", "theguardian.com", "reuters.com")):
        add(
            "s-plant-west", outlet, f"2023-05-11T0{i + 1}:00:00", "Nuclear plant loses power", plant
        )
    for i, outlet in enumerate(("ukrinform.net", "censor.net", "ukrinform.net", "censor.net")):
        add(
            "s-plant-ukr",
            outlet,
            f"2023-05-11T0{i + 5}:00:00",
            "ZNPP blackout: Enerhodar plant disconnected, says Grossi",
            f"ZNPP in Enerhodar: IAEA head Rafael Grossi says Zaporizhzhia lost power on May 11."
            f" 6 reactors are in cold shutdown ({i}).",
        )
    # an official camp: the Federal Register publishing a run of notices, Western media silent
    for i in range(24):
        add(
            "s-notices" if i < 4 else None,
            "federalregister.gov",
            f"2023-05-{10 + i % 3:02d}T15:{i:02d}:00",
            f"Notice of sanctions actions {i}",
            "The Department of State is publishing the names of persons designated.",
        )
    # a story on the 1st of the month, when the Tehran Times' month-dated items sit
    for i, outlet in enumerate(("reuters.com", "bbc.co.uk", "theguardian.com")):
        add("s-first", outlet, f"2023-05-01T0{i + 1}:00:00", "May Day rallies", "Crowds marched.")
    for i in range(25):
        add(
            None,
            "tehrantimes.com",
            "2023-05-01T00:00:00",
            f"Tehran Times feature {i}",
            "A feature.",
            precision=DatePrecision.MONTH_ESTIMATED,
        )
    # volume for every news camp, in stories of their own ("View news." under BBC and Guardian)
    for i, topic in enumerate(TOPICS):
        for outlet, extra in (
            ("reuters.com", ""),
            ("bbc.co.uk", "\nView news."),
            ("theguardian.com", "\nView news."),
            ("rt.com", ""),
            ("tass.com", ""),
            ("ukrinform.net", ""),
            ("censor.net", ""),
        ):
            add(
                f"s-{outlet}-{i}",
                outlet,
                f"2023-05-{10 + i % 3:02d}T2{i % 4}:{i:02d}:00",
                f"{topic.title()} news from {outlet.split('.')[0]}",
                f"{outlet.split('.')[0].title()} on {topic} and {TOPICS[i - 1]}.{extra}",
            )
    return arts, stories


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    arts, stories = _corpus()
    path = build_store(tmp_path_factory.mktemp("noise") / "n.db", arts)
    with Store(path) as store:
        for sid, ids in stories.items():
            if len(ids) >= 2:
                make_story(store, sid, sid, ids)
    return path


@pytest.fixture(scope="module")
def result(db: Path) -> dict:  # type: ignore[type-arg]
    with Store(db, readonly=True) as store:
        return compare(store, selection_for(load_watch(), **WINDOW, top=50, max_ids=50))


# -- boilerplate ----------------------------------------------------------------------------------


def test_a_line_is_boilerplate_only_when_repeated_across_an_outlets_articles() -> None:
    line = "Читать нас без VPN можно здесь: bit.ly/x"
    # one outlet, three articles of three stories: boilerplate
    found = find([(f"a{i}", f"s{i}", f"News {i}.\n{line}") for i in range(3)])
    assert segment_key(line) in found
    # the same paragraph in three updates of one story: not boilerplate
    assert not find([(f"a{i}", "s1", f"News {i}.\n{line}") for i in range(3)])
    # twice only, or one article repeating it: not boilerplate
    assert not find([("a1", "s1", line), ("a2", "s2", line), ("a1", "s1", line)])
    # numbers do not make lines different ("day 238", "day 239")
    days = find([(f"a{i}", f"s{i}", f"List of key events, day {238 + i}") for i in range(3)])
    assert segment_key("List of key events, day 1") in days
    kept = Boilerplate({"o": found}).strip("o", f"Drones hit the port.\n{line}")
    assert kept == "Drones hit the port."
    assert Boilerplate({"other": found}).strip("o", line) == line  # per outlet


def test_boilerplate_is_left_out_of_framing(result: dict) -> None:  # type: ignore[type-arg]
    en = result["framing"]["languages"]["en"]
    west = [t["key"] for t in en["distinctive"].get("western", [])]
    assert "invasion" in west
    assert not any("view" in t for t in west)
    assert result["framing"]["boilerplate"]["outlets"]["bbc.co.uk"] >= 1
    # Reuters' paragraph repeated by the updates of one story is no boilerplate
    assert "reuters.com" not in result["framing"]["boilerplate"]["outlets"]


# -- framing terms ---------------------------------------------------------------------------------


def test_a_framing_term_needs_several_outlets_of_the_camp(result: dict) -> None:  # type: ignore[type-arg]
    en = result["framing"]["languages"]["en"]["distinctive"]
    west = {t["key"]: t for t in en["western"]}
    assert west["invasion"]["outlets"] == 3
    assert "onslaught" not in west  # Reuters' word, in two articles of one outlet
    state = [t["term"] for t in en["russian_state"]]
    assert any("special military" in t or "military operation" in t for t in state)


def test_lemmas_are_checked() -> None:
    assert checked_lemma("населённых".replace("ё", "е")) == "населенный"
    assert checked_lemma("бпла") == "бпла"  # not the guessed verb «бпнуть»
    assert checked_lemma("беспилотников") == "беспилотник"
    keys = dict(terms("Удары БПЛА по населённым пунктам"))
    assert "населенный пункт" in keys and keys["населенный пункт"] == "населённым пунктам"
    assert "бпла" in keys
    assert not any("href" in k or "vpn" in k for k, _ in terms('<a href="x">ok</a> bit.ly/vpn'))


# -- blindspots ------------------------------------------------------------------------------------


def test_one_event_told_as_two_stories_is_no_blindspot(result: dict) -> None:  # type: ignore[type-arg]
    cov = result["coverage"]
    pairs = {(b["story"], b["missing_in"]) for b in cov["blindspots"]}
    assert ("s-plant-west", "ukrainian") not in pairs
    assert ("s-plant-ukr", "western") not in pairs
    assert cov["blindspots_left_out"]["same_event"] >= 2


def test_official_camps_are_listed_apart(result: dict) -> None:  # type: ignore[type-arg]
    cov = result["coverage"]
    assert cov["camps"]["us_government"]["kind"] == "official"
    assert not any("us_government" in (b["covered_by"], b["missing_in"]) for b in cov["blindspots"])
    assert any(o["story"] == "s-notices" for o in cov["official"])
    # Russian state media ignored the plant, told by Western and Ukrainian media: a blindspot,
    # with the chance of that silence at the other camps' attention
    plant = [
        b
        for b in cov["blindspots"]
        if b["story"].startswith("s-plant") and b["missing_in"] == "russian_state"
    ]
    assert plant and all(b["p_value"] < 0.05 for b in plant)


def test_a_camp_without_data_is_no_data_not_a_blindspot(db: Path, result: dict) -> None:  # type: ignore[type-arg]
    cov = result["coverage"]
    assert "iranian_state" in cov["no_data"]
    assert not any(b["missing_in"] == "iranian_state" for b in cov["blindspots"])
    with Store(db, readonly=True) as store:
        found = blindspots(store, load_watch(), **WINDOW, top=50)
    assert (
        "iranian_state" in found["no_data"]
        and found["camps"]["us_government"]["kind"] == "official"
    )


# -- claims and tone -------------------------------------------------------------------------------


def test_a_hypothetical_event_is_no_claim(result: dict) -> None:  # type: ignore[type-arg]
    claims = result["claims"]
    assert claims["available"]
    assert not any(i["type"] == "AID" for i in claims["items"])
    assert any(i["type"] == "ASSAULT" for i in claims["items"])
    assert claims["hypothetical_left_out"] == 20 and "could" in claims["hypothetical_cues"]


def test_a_sentence_repeated_thirteen_times_counts_once_in_tone(db: Path) -> None:
    with Store(db, readonly=True) as store:
        sel = Selection(actors=("RUS",), camps=("russian_state",), **WINDOW)
        tone = compare(store, sel)["tone"]
    rus = tone["actors"]["RUS"]["russian_state"]
    with Store(db, readonly=True) as store:
        rows = store.conn.execute(
            "SELECT a.text FROM articles a WHERE a.outlet = 'rt.com' AND a.text LIKE ?",
            (f"%{REPEATED}%",),
        ).fetchall()
    assert len(rows) == 1
    negative = [
        ev for ev in rus["most_negative"] if rows[0][0][ev["start"] : ev["end"]] == REPEATED
    ]
    assert len(negative) == 1
    assert tone["repeated_sentences_skipped"] >= 12
    # four distinct sentences (a fear, the strike, the defeat, a success): the defeat once
    assert rus["sentences"] == 4 and rus["mean"] == pytest.approx(-0.5)
