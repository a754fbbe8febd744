"""The themes stage: shipped taxonomy, EN/RU/FA terms with morphology, actor and event signals,
evidence spans, user themes from a watch file, and `parallax themes`."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import EN_DRONES, FA_TREATY, RU_SANCTIONS
from newsparallax.annotate.actors import find_mentions
from newsparallax.annotate.pipeline import Doc
from newsparallax.annotate.themes import (
    ThemeMatcher,
    ThemesStage,
    evidence_field,
    matcher_for,
    shipped_themes,
    taxonomy,
    themes_stage,
)
from newsparallax.cli.main import main
from newsparallax.cli.stories import register
from newsparallax.errors import ConfigError
from newsparallax.records import Event, Mention
from newsparallax.watches import load_watch

ISSUE_IDS = {
    "military_cooperation",
    "drones_missiles",
    "nuclear",
    "sanctions",
    "energy_trade",
    "israel_iran_conflict",
    "ukraine_war",
    "diplomacy_treaty",
    "brics_multipolar",
    "regime_change",
    "domestic_politics",
    "other",
}


def _mentions(title: str, body: str, published: date | None = None) -> list[Mention]:
    """The actors stage's mentions of a title and body (as the pipeline gives the stage)."""
    out = [replace(m, field="title") for m in find_mentions(title, published=published)]
    return out + [replace(m, field="text") for m in find_mentions(body, published=published)]


def _themes(title: str, body: str, **kw: Any) -> dict[str, float]:
    """Theme scores of an article; the actors stage runs unless ``mentions`` are given."""
    if "mentions" not in kw:
        kw["mentions"] = _mentions(title, body, kw.get("published"))
    return {t.theme: t.score for t in matcher_for().tag(title=title, body=body, **kw)}


def test_the_shipped_taxonomy_has_the_issue_ids_with_terms_in_three_languages() -> None:
    themes = {t.id: t for t in shipped_themes()}
    assert set(themes) == ISSUE_IDS
    for tid, theme in themes.items():
        if tid != "other":
            assert {"en", "ru", "fa"} <= set(theme.terms), tid
    assert themes["other"].fallback


def test_english_russian_and_persian_articles_get_their_themes() -> None:
    en = _themes("Iran and Russia sign drone production deal", EN_DRONES)
    assert {"drones_missiles", "military_cooperation", "diplomacy_treaty"} <= set(en)
    ru = _themes("МИД России назвал санкции против Ирана незаконными", RU_SANCTIONS)
    assert {"sanctions", "energy_trade"} <= set(ru)
    fa = _themes("دیدار وزیران خارجه ایران و روسیه در مسکو", FA_TREATY)
    assert "diplomacy_treaty" in fa and "sanctions" in fa


def test_inflections_and_spelling_variants_meet_the_seed_terms() -> None:
    # Russian case forms, an English plural, Persian with and without the ZWNJ plural
    assert "sanctions" in _themes("", "Под санкциями оказались ещё три банка.")
    assert "drones_missiles" in _themes("Беспилотников стало больше", "")
    assert "sanctions" in _themes("", "تحریم‌ها ادامه دارد")
    assert "sanctions" in _themes("", "تحريمها ادامه دارد")  # Arabic yeh, no ZWNJ
    assert "drones_missiles" in _themes("Kamikaze drones hit the port", "")


def test_nothing_relevant_gets_the_fallback_only() -> None:
    tags = matcher_for().tag(title="A quiet day at the botanical garden", body="Tulips bloomed.")
    assert [(t.theme, t.score) for t in tags] == [("other", 1.0)]


def test_evidence_spans_point_at_the_words_in_title_or_body() -> None:
    title = "Sanctions hit oil exports"
    body = "New sanctions were announced. The embargo covers crude oil."
    tags = {t.theme: t for t in matcher_for().tag(title=title, body=body)}
    view = title + "\n\n" + body
    words = {view[a:b].lower() for a, b in tags["sanctions"].evidence}
    assert {"sanctions", "embargo"} <= words
    first = tags["sanctions"].evidence[0]
    assert evidence_field(first, title=title, summary="", text=body) == ("title", 0, 9)
    last = sorted(tags["sanctions"].evidence)[-1]
    field, start, end = evidence_field(last, title=title, summary="", text=body)
    assert field == "text" and body[start:end] == "embargo"


def test_a_long_body_needs_more_than_one_passing_word() -> None:
    filler = " ".join(["The committee discussed the school budget and the parks."] * 60)
    assert "energy_trade" not in _themes("Council meeting", filler + " Oil was mentioned once.")
    assert "energy_trade" in _themes("Council meeting", "Oil prices were discussed.")


def test_an_aid_event_about_drones_is_military_cooperation_even_without_its_terms() -> None:
    title = "Tehran sent Shahed-136 units to Moscow"
    plain = _themes(title, "")
    assert "drones_missiles" in plain and "military_cooperation" not in plain
    aid = Event(
        type="AID",
        source="IRN",
        target="RUS",
        sentence_start=0,
        sentence_end=len(title),
        field="title",
    )
    coded = _themes(title, "", events=[aid])
    assert "military_cooperation" in coded
    assert coded["drones_missiles"] == plain["drones_missiles"]


def test_actor_and_country_signals() -> None:
    title = "The agency's inspectors arrived in Isfahan"
    iaea = Mention(start=4, end=10, text="agency", actor="IAEA", kind="igo", field="title")
    matcher = matcher_for()
    with_actor = matcher.scored(title=title, body="", mentions=[iaea])
    assert "nuclear" in with_actor
    assert "nuclear" not in matcher.scored(title=title, body="", mentions=[])
    both = [
        Mention(
            start=0, end=4, text="Iran", actor="IRN", kind="state", country="IRN", field="title"
        ),
        Mention(
            start=9, end=15, text="Israel", actor="ISR", kind="state", country="ISR", field="title"
        ),
    ]
    assert "israel_iran_conflict" in _themes("Iran and Israel trade threats", "", mentions=both)


def test_users_add_themes_in_their_watch_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mine.toml").write_text(
        '[watch]\nname = "mine"\nextends = "iran-russia"\n\n'
        "[themes.alabuga_plant]\n"
        'label = "Alabuga drone plant"\n'
        'terms.en = ["Alabuga", "Yelabuga"]\n'
        'terms.ru = ["Алабуга", "Елабуга"]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("PARALLAX_WATCH_DIR", str(tmp_path))
    watch = load_watch("mine")
    assert "alabuga_plant" in watch.themes
    assert load_watch("iran-russia").themes == {}
    stage = themes_stage(watch=watch)
    doc = stage(Doc(source="t", title="Новые цеха в Алабуге", text="", summary=""))
    assert "alabuga_plant" in {t.theme for t in doc.themes}
    assert doc.themes[0].stage == "themes.v2"


def test_a_bad_user_theme_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="unknown key"):
        taxonomy({"mine": {"label": "x", "term": {"en": ["a"]}}})
    with pytest.raises(ConfigError, match="unknown theme"):
        taxonomy({"mine": {"event_with": [{"type": "AID", "terms_of": "nope"}]}})


def test_stage_counts_and_speed() -> None:
    stage = ThemesStage(ThemeMatcher(shipped_themes()))
    for _ in range(50):
        stage(Doc(source="t", title="Iran and Russia sign drone deal", text=EN_DRONES))
    assert stage.counts["drones_missiles"] == 50


def test_parallax_themes_shows_taxonomy_and_stored_counts(tmp_path: Path) -> None:
    from stories_support import article, build_store

    register(main)
    register(main)  # idempotent
    texts = [
        ("Iran and Russia sign drone production deal", EN_DRONES, "en"),
        ("МИД России назвал санкции против Ирана незаконными", RU_SANCTIONS, "ru"),
        ("دیدار وزیران خارجه ایران و روسیه در مسکو", FA_TREATY, "fa"),
    ]
    db = build_store(
        tmp_path / "s.db",
        [
            article(
                i, outlet="reuters.com", when="2024-03-05T10:00:00", title=t, text=x, language=lang
            )
            for i, (t, x, lang) in enumerate(texts)
        ],
    )
    with sqlite3.connect(db) as conn:  # as a store tagged by the previous stage version
        conn.execute("UPDATE themes SET stage = 'themes.v1'")
    runner = CliRunner()
    result = runner.invoke(main, ["themes", "--db", str(db), "--retag", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_id = {t["id"]: t for t in data["themes"]}
    assert set(by_id) == ISSUE_IDS
    assert by_id["sanctions"]["stored"]["articles"] >= 2
    assert data["retagged"]["drones_missiles"] >= 1
    with sqlite3.connect(db) as conn:
        stages = {r[0] for r in conn.execute("SELECT DISTINCT stage FROM themes")}
    assert stages == {"themes.v2"}  # the stored rows say what produced them
    text = runner.invoke(main, ["themes", "--db", str(db)])
    assert text.exit_code == 0 and "military_cooperation" in text.output


def test_the_stage_is_in_the_pipeline_after_actors_and_events() -> None:
    from newsparallax.annotate.pipeline import check_order
    from newsparallax.ingest import front_stages

    names = [s.name.split(".v")[0] for s in front_stages(watch=load_watch())]
    assert names == [
        "extract", "identify", "dates", "quality", "language", "actors", "events", "themes",
    ]  # fmt: skip
    check_order([themes_stage(watch=load_watch())])  # needs only the input fields


def test_russian_prefix_terms_match_inflected_words() -> None:
    """A taxonomy term «хусит*» or «Росси*» is a word's beginning, not a word to lemmatise."""
    from newsparallax.annotate.themes import Theme, ThemeMatcher

    theme = Theme(id="t", label="T", terms={"ru": ("Севастопол*",)})
    matcher = ThemeMatcher([theme])
    assert [h.term for h in matcher.hits("Взрыв в Севастополе ночью.")] == ["Севастопол*"]


def test_a_war_window_ties_an_attack_to_the_war_of_its_date() -> None:
    """The labelling rule: the date may say which conflict a reported attack belongs to."""
    title = "Explosions heard in Riyadh as Iran launches a second day of retaliatory strikes"
    during = _themes(title, "", published=date(2026, 3, 1))
    before = _themes(title, "", published=date(2019, 9, 14))
    assert "israel_iran_conflict" in during
    assert "israel_iran_conflict" not in before
    # both sides of the war named together is a statement about it
    talks = "Iran rules out talks with the United States"
    assert "israel_iran_conflict" in _themes(talks, "", published=date(2026, 3, 2))
    # a side effect with no cause named is not
    assert _themes("Flights to Dubai cancelled", "", published=date(2026, 3, 1)) == {"other": 1.0}


def test_weak_words_alone_never_carry_a_theme() -> None:
    assert _themes("Ukraine wins the song contest", "") == {"other": 1.0}
    assert "ukraine_war" in _themes("Shelling of Kharkiv goes on", "")


def test_diplomacy_needs_two_states() -> None:
    one = _themes("The minister held talks with farmers' unions", "")
    assert "diplomacy_treaty" not in one
    two = _themes("Lavrov held talks with his Iranian counterpart in Moscow", "")
    assert "diplomacy_treaty" in two


def test_other_never_comes_with_another_theme() -> None:
    for title, body in [("Oil prices rise", ""), ("A quiet day", "Tulips bloomed."), ("", "")]:
        themes = _themes(title, body)
        assert ("other" in themes) == (set(themes) == {"other"})


def test_bad_windows_are_clear_errors() -> None:
    with pytest.raises(ConfigError, match="needs start and anchors"):
        taxonomy({"mine": {"during": [{"start": "2024-01-01"}]}})
    with pytest.raises(ConfigError, match="must be a date"):
        taxonomy({"mine": {"during": [{"start": "soon", "anchors": ["UKR"]}]}})
    with pytest.raises(ConfigError, match="unknown vocabulary"):
        taxonomy({"mine": {"during": [{"start": "2024-01-01", "anchors": ["X"], "vocab": "no"}]}})
    with pytest.raises(ConfigError, match="needs may hold"):
        taxonomy({"mine": {"needs": ["everything"]}})


def test_a_watch_theme_may_have_its_own_window() -> None:
    extra = {
        "kursk_incursion": {
            "label": "Kursk incursion",
            "terms": {"en": ["Sudzha"]},
            "during": [{"start": "2024-08-06", "end": "2025-04-30", "anchors": ["kursk-region"]}],
        }
    }
    matcher = matcher_for(extra)
    title = "Fighting goes on in the Kursk region"
    mentions = _mentions(title, "", date(2024, 9, 1))
    tags = matcher.tag(title=title, body="", mentions=mentions, published=date(2024, 9, 1))
    assert "kursk_incursion" in {t.theme for t in tags}
    later = matcher.tag(title=title, body="", mentions=mentions, published=date(2025, 9, 1))
    assert "kursk_incursion" not in {t.theme for t in later}


def test_not_phrases_mask_the_term_inside_them() -> None:
    assert _themes("Olive oil producers hit by drought", "") == {"other": 1.0}
    assert "energy_trade" in _themes("Oil producers cut output", "")
    assert "drones_missiles" not in _themes("Drone footage shows the flooded town", "")
    assert "energy_trade" not in _themes("Полиция применила слезоточивый газ", "")


def test_every_actor_the_taxonomy_names_is_in_the_actor_dictionary() -> None:
    from newsparallax.annotate.actors import default_matcher

    dictionary = default_matcher().dictionary
    for theme in shipped_themes():
        named = set(theme.actors) | {a for w in theme.during for a in w.anchors}
        named |= {a for w in theme.during for side in w.sides for a in side}
        missing = sorted(a for a in named if dictionary.get(a) is None)
        assert not missing, (theme.id, missing)
