"""Matching and resolution rules, on a small dictionary written here (not the shipped one)."""

from __future__ import annotations

from datetime import date

import pytest

from newsparallax.annotate.actors import Actor, ActorDictionary, Matcher, Role


def _actor(ident: str, kind: str, **kw: object) -> Actor:
    data: dict[str, object] = {"id": ident, "kind": kind, **kw}
    return Actor.from_dict(data)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    actors = [
        _actor(
            "IRN",
            "state",
            country="IRN",
            en=["Iran", "Iranian"],
            ru=["Иран", "иранский"],
            fa=["ایران", "ایرانی"],
        ),
        _actor(
            "RUS",
            "state",
            country="RUS",
            en=["Russia", "Russian Federation"],
            ru=["Россия", "российский"],
            fa=["روسیه"],
        ),
        _actor("TUR", "state", country="TUR", en=["Turkey", "Türkiye"], ambiguous=True),
        _actor("JOR", "state", country="JOR", en=["Jordan"], ambiguous=True),
        _actor("GEO", "state", country="GEO", en=["Georgia"]),
        _actor("USA", "state", country="USA", en=["United States", "US", "U.S."]),
        _actor(
            "us-georgia",
            "place",
            country="USA",
            en=["Georgia"],
            cues=["Atlanta", "governor", "county"],
        ),
        _actor(
            "moscow",
            "place",
            country="RUS",
            metonym_of="RUS",
            en=["Moscow"],
            ru=["Москва"],
            fa=["مسکو"],
        ),
        _actor(
            "kremlin",
            "organisation",
            country="RUS",
            sector="GOV",
            building=True,
            en=["Kremlin"],
            ru=["Кремль"],
        ),
        _actor(
            "vladimir-putin",
            "person",
            country="RUS",
            sector="GOV",
            en=["Vladimir Putin"],
            ru=["Владимир Путин"],
            fa=["ولادیمیر پوتین"],
            short_en=["Putin"],
            short_ru=["Путин"],
            short_fa=["پوتین"],
            unique_short=True,
        ),
        _actor(
            "sergei-shoigu",
            "person",
            country="RUS",
            en=["Sergei Shoigu"],
            short_en=["Shoigu"],
            unique_short=True,
            roles=[
                {
                    "country": "RUS",
                    "sector": "MIL",
                    "start": "2012-11-06",
                    "end": "2024-05-12",
                    "office": "russia-defence-minister",
                },
                {"country": "RUS", "sector": "GOV", "start": "2024-05-12"},
            ],
        ),
        _actor(
            "andrei-belousov",
            "person",
            country="RUS",
            en=["Andrei Belousov"],
            roles=[
                {
                    "country": "RUS",
                    "sector": "MIL",
                    "start": "2024-05-14",
                    "office": "russia-defence-minister",
                }
            ],
        ),
        _actor(
            "russia-defence-minister",
            "office",
            country="RUS",
            sector="MIL",
            en=["Russian defence minister", "Russia's defence minister"],
            ru=["министр обороны России"],
        ),
        _actor(
            "mohammad-bagheri",
            "person",
            country="IRN",
            sector="MIL",
            en=["Mohammad Bagheri"],
            short_en=["Bagheri"],
            unique_short=False,
        ),
        _actor(
            "ali-bagheri-kani",
            "person",
            country="IRN",
            sector="GOV",
            en=["Ali Bagheri Kani", "Ali Bagheri"],
            short_en=["Bagheri"],
            unique_short=False,
        ),
        _actor("phx-old-name", "person", country="RUS", en=["Vladimir Putin"], source="phoenix"),
    ]
    return Matcher(ActorDictionary(actors))


def _found(matcher: Matcher, text: str, day: date | None = None) -> list[tuple[str, str, str]]:
    return [(m.text, m.actor, m.kind) for m in matcher.find(text, published=day)]


def test_offsets_point_at_the_text(matcher: Matcher) -> None:
    text = "Talks between Iran and the Russian Federation resumed."
    for m in matcher.find(text):
        assert text[m.start : m.end] == m.text
    assert [m.actor for m in matcher.find(text)] == ["IRN", "RUS"]


def test_russian_inflections_meet_the_nominative_alias(matcher: Matcher) -> None:
    text = "Владимира Путина поддержали в Ирана; российского посла вызвали. Путину ответили."
    actors = [m.actor for m in matcher.find(text)]
    assert actors == ["vladimir-putin", "IRN", "RUS", "vladimir-putin"]


def test_persian_spelling_variants_are_unified(matcher: Matcher) -> None:
    # Arabic yeh/kaf and a ZWNJ plural suffix must not stop the match.
    text = "ايران و روسيه توافق کردند؛ ایرانی‌ها استقبال کردند."
    assert [m.actor for m in matcher.find(text)] == ["IRN", "RUS", "IRN"]


def test_longest_match_wins(matcher: Matcher) -> None:
    found = _found(matcher, "Vladimir Putin spoke. Putin left.")
    assert found == [
        ("Vladimir Putin", "vladimir-putin", "person"),
        ("Putin", "vladimir-putin", "person"),
    ]


def test_capitalised_names_need_capitals_and_acronyms_need_all_caps(matcher: Matcher) -> None:
    assert _found(matcher, "They roasted a turkey and told us about it.") == []
    assert [a for _, a, _ in _found(matcher, "Turkey and the US agreed.")] == ["TUR", "USA"]


def test_ambiguous_names_glued_to_a_personal_name_are_skipped(matcher: Matcher) -> None:
    assert _found(matcher, "The coach praised Michael Jordan on Tuesday.") == []
    assert [a for _, a, _ in _found(matcher, "Officials in Jordan said so.")] == ["JOR"]


def test_cues_in_the_article_choose_between_entries_sharing_a_name(matcher: Matcher) -> None:
    plain = matcher.find("Georgia and Russia restored flights.")
    assert plain[0].actor == "GEO"
    us = matcher.find("The governor of Georgia spoke in Atlanta about the county vote.")
    assert us[0].actor == "us-georgia" and us[0].country == "USA"


def test_capital_stands_for_its_state_unless_after_a_locative(matcher: Matcher) -> None:
    said = matcher.find("Moscow said the talks went well.")
    assert (said[0].actor, said[0].kind) == ("RUS", "state")
    met = matcher.find("The ministers met in Moscow on Monday.")
    assert (met[0].actor, met[0].kind, met[0].country) == ("moscow", "place", "RUS")
    fa = matcher.find("وزیران در مسکو دیدار کردند.")
    assert (fa[0].actor, fa[0].kind) == ("moscow", "place")


def test_the_kremlin_is_the_presidency_but_a_place_after_a_locative(matcher: Matcher) -> None:
    said = matcher.find("The Kremlin denied the report.")
    assert (said[0].actor, said[0].kind, said[0].sector) == ("kremlin", "organisation", "GOV")
    inside = matcher.find("A ceremony was held in the Kremlin.")
    assert (inside[0].actor, inside[0].kind) == ("kremlin", "place")


def test_roles_are_resolved_on_the_article_date(matcher: Matcher) -> None:
    before = matcher.find("Shoigu inspected troops.", published=date(2023, 6, 1))
    after = matcher.find("Shoigu inspected troops.", published=date(2025, 6, 1))
    assert (before[0].country, before[0].sector) == ("RUS", "MIL")
    assert (after[0].country, after[0].sector) == ("RUS", "GOV")


def test_offices_resolve_to_the_holder_on_the_date(matcher: Matcher) -> None:
    text = "Russia's defence minister visited Tehran."
    assert matcher.find(text, published=date(2023, 1, 1))[0].actor == "sergei-shoigu"
    assert matcher.find(text, published=date(2025, 1, 1))[0].actor == "andrei-belousov"
    ru = matcher.find("Министра обороны России приняли в Тегеране.", published=date(2025, 1, 1))
    assert ru[0].actor == "andrei-belousov"


def test_shared_surnames_need_the_full_name_in_the_article(matcher: Matcher) -> None:
    assert _found(matcher, "Bagheri said the drills were over.") == []
    found = matcher.find("Ali Bagheri Kani arrived. Later Bagheri said the talks were useful.")
    assert [m.actor for m in found] == ["ali-bagheri-kani", "ali-bagheri-kani"]
    found = matcher.find("General Mohammad Bagheri spoke. Bagheri said the drills were over.")
    assert [m.actor for m in found] == ["mohammad-bagheri", "mohammad-bagheri"]


def test_curated_entries_win_over_phoenix_ones(matcher: Matcher) -> None:
    assert matcher.find("Vladimir Putin spoke.")[0].actor == "vladimir-putin"


def test_role_dates_accept_years_and_months() -> None:
    role = Role.from_dict({"country": "IRN", "start": "2024-07", "end": "2025"})
    assert role.start == date(2024, 7, 1) and role.end == date(2025, 12, 31)
    assert role.covers(date(2025, 12, 31)) and not role.covers(date(2024, 6, 30))


def test_generic_words_regions_and_outlets_are_not_states() -> None:
    """Issue 17's alias traps, with the shipped dictionary: a generic Phoenix alias, a region
    named after a state, a newspaper named after a country, a surname that lemmatises into a
    common word."""
    from newsparallax.annotate.actors import default_matcher

    matcher = default_matcher()
    found = matcher.find(
        "The World Trade Organization and the Ports and Maritime Organization met."
    )
    assert [m.actor for m in found] == ["WTO"]
    found = matcher.find("Exports to Latin America and South America grew; America said no.")
    assert [m.actor for m in found] == ["latin-america", "south-america", "USA"]
    found = matcher.find("Об этом сообщила «Украинская правда», а Украина промолчала.")
    assert [(m.actor, m.kind) for m in found] == [
        ("ukrainska-pravda", "organisation"), ("UKR", "state"),
    ]  # fmt: skip
    found = matcher.find("Дед сказал, что министр Алексей Дедов приедет; Дедова ждут.")
    assert [m.text for m in found] == ["Алексей Дедов", "Дедова"]


def test_iraqs_hezbollah_is_kataib_hezbollah_not_lebanons() -> None:
    """«حزب‌الله عراق» (Hezbollah of Iraq) names Kataib Hezbollah: the longer alias wins over
    Lebanon's «حزب‌الله», in every language; Lebanon's stays Lebanon's."""
    from newsparallax.annotate.actors import default_matcher

    matcher = default_matcher()
    found = matcher.find("حملات پهپادی حزب‌الله عراق و حزب الله لبنان")
    assert [(m.actor, m.country) for m in found] == [
        ("kataib-hezbollah", "IRQ"), ("hezbollah", "LBN"),
    ]  # fmt: skip
    found = matcher.find("Iraqi Hezbollah and Hezbollah fired rockets.")
    assert [m.actor for m in found] == ["kataib-hezbollah", "hezbollah"]
    found = matcher.find("Хезболла Ирака и Хезболла заявили.")
    assert [m.actor for m in found] == ["kataib-hezbollah", "hezbollah"]
