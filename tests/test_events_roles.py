"""Roles, senses and moods the coder got wrong in the demo store, on sentences written here."""

from __future__ import annotations

from datetime import date

import pytest

from newsparallax.annotate.actors import find_mentions
from newsparallax.annotate.events import code_events
from newsparallax.records import Event

DAY = date(2025, 2, 1)


def _events(text: str, language: str) -> list[Event]:
    mentions = find_mentions(text, language=language, published=DAY)
    return code_events(text=text, mentions=mentions, language=language, published=DAY)


def _kept(text: str, language: str) -> set[tuple[str, str | None, str | None]]:
    """(type, source, target) of the events that can count (confidence above zero)."""
    return {(e.type, e.source, e.target) for e in _events(text, language) if e.confidence > 0}


def test_a_harm_verb_without_object_was_done_to_its_subject() -> None:
    kept = _kept("Two Iranian fishermen killed as Pakistan launches raid on the border", "en")
    assert not any(t == "ASSAULT" and s == "IRN" for t, s, _ in kept)
    assert ("ASSAULT", None, "IRN") in kept or any(tg == "IRN" for _, _, tg in kept)
    assert ("ASSAULT", "RUS", "UKR") in _kept("Russian forces killed three Ukrainian medics", "en")


def test_targeting_an_economy_is_a_sanction() -> None:
    assert ("SANCTION", "USA", "RUS") in _kept("Washington targets Russian banks in new move", "en")
    assert ("ASSAULT", "RUS", "UKR") in _kept("Russia targets Kyiv with waves of drones", "en")


def test_calling_something_a_name_is_no_request() -> None:
    kept = _kept("The French envoy calls the raid on Kharkiv a crime by Russia", "en")
    assert not any(t == "REQUEST" for t, _, _ in kept)
    assert ("REQUEST", "RUS", "IRN") in _kept("Russia calls on Iran to show restraint", "en")


def test_an_event_under_a_modal_or_a_scenario_is_hypothetical() -> None:
    for text in (
        "Analysts sketched a scenario in which a Russian offensive would begin with strikes.",
        "Russian strikes could hit Kyiv again next week.",
    ):
        found = [e for e in _events(text, "en") if e.type == "ASSAULT"]
        assert found and all(e.mood == "hypothetical" and e.confidence == 0 for e in found)
    done = [e for e in _events("Russian strikes hit Kyiv on Monday.", "en") if e.type == "ASSAULT"]
    assert done and all(e.mood == "fact" and e.confidence > 0 for e in done)


@pytest.mark.parametrize(
    ("text", "expected", "wrong"),
    [
        # the object's owner, not the region where it stood
        (
            "ВС РФ атаковали позиции ВСУ в Курской области.",
            ("ASSAULT", "RUS", "UKR"),
            ("ASSAULT", "RUS", "RUS"),
        ),
        # an animate accusative before a plural verb is who was acted on
        ("Россиянина избили возле бара в Таиланде.", ("ASSAULT", None, "RUS"), None),
        # agents joined by «и», where the place of the act is not one of them
        (
            "Число атакованных США и Израилем объектов в Иране выросло.",
            ("ASSAULT", "USA", "IRN"),
            ("ASSAULT", "ISR", "USA"),
        ),
        # without anything else struck, the place named is the target
        ("Израиль нанес удары в Бейруте.", ("ASSAULT", "ISR", "LBN"), None),
    ],
)
def test_russian_places_give_way_to_objects(
    text: str,
    expected: tuple[str, str | None, str | None],
    wrong: tuple[str, str | None, str | None] | None,
) -> None:
    kept = _kept(text, "ru")
    assert expected in kept
    assert wrong is None or wrong not in kept
    assert not any(t == "ASSAULT" and s == "RUS" and tg == "THA" for t, s, tg in kept)


@pytest.mark.parametrize(
    "text",
    [
        "Депутат призвала закрыть базы в ФРГ для ударов по Ирану.",
        "Иран заявил о праве атаковать базы США в регионе.",
    ],
)
def test_a_purpose_or_a_right_to_strike_is_no_strike(text: str) -> None:
    strikes = [e for e in _events(text, "ru") if e.type == "ASSAULT"]
    assert strikes and all(e.mood == "hypothetical" and e.confidence == 0 for e in strikes)


def test_a_russian_verbal_act_on_a_deed_targets_whose_deed_it_is() -> None:
    kept = _kept("Депутаты осудили решение Байдена разрешить Украине удары по России.", "ru")
    assert ("ACCUSE", None, "USA") in kept or any(
        t == "ACCUSE" and tg == "USA" for t, _, tg in kept
    )
    assert not any(t == "ACCUSE" and tg in ("UKR", "RUS") for t, _, tg in kept)
    kept = _kept("Собрание муфтиев осудило операцию США и Израиля против Ирана.", "ru")
    assert {tg for t, _, tg in kept if t == "ACCUSE"} == {"USA", "ISR"}
    assert not any(t == "ACCUSE" and s in ("USA", "ISR") for t, s, _ in kept)
    assert ("ACCUSE", "IRN", "ISR") in _kept("Иран осудил Израиль.", "ru")
    # an act condemned with no agent named: who is condemned is the verb's own object
    kept = _kept("Лавров осудил Израиль за удары по Ливану.", "ru")
    assert ("ACCUSE", "RUS", "ISR") in kept
    assert not any(t == "ACCUSE" and tg == "LBN" for t, _, tg in kept)


def test_a_russian_noun_phrase_trigger_takes_its_agent_after_it() -> None:
    kept = {
        (e.type, e.source, e.target)
        for e in _events("Последствия массированных ударов российских войск по позициям ВСУ.", "ru")
    }
    assert ("ASSAULT", "RUS", "UKR") in kept and ("ASSAULT", "UKR", "RUS") not in kept


def test_what_can_happen_has_not_happened() -> None:
    found = [e for e in _events("US aid can help Ukraine fight back.", "en") if e.type == "ASSAULT"]
    assert found and all(e.mood == "hypothetical" and e.confidence == 0 for e in found)


def test_a_threatened_strike_is_a_threat_not_a_strike() -> None:
    events = _events("Франция и Германия пригрозили атаковать Иран.", "ru")
    assert any(e.type == "THREATEN" and e.target == "IRN" for e in events)
    strikes = [e for e in events if e.type == "ASSAULT"]
    assert strikes and all(e.mood == "hypothetical" and e.confidence == 0 for e in strikes)
    kept = _kept("Лавров осудил неспровоцированную агрессию США против Ирана.", "ru")
    assert ("ACCUSE", "RUS", "USA") in kept and ("ACCUSE", "RUS", "IRN") not in kept


def test_english_attacks_in_words_are_accusations() -> None:
    kept = _kept("Russia's foreign minister blamed the US for Iran's uranium stockpile.", "en")
    assert ("ACCUSE", "RUS", "USA") in kept and ("ACCUSE", "RUS", "IRN") not in kept
    events = _events("Iran's spokesman attacked French President Macron for his remarks.", "en")
    assert {(e.type, e.source, e.target) for e in events} >= {("ACCUSE", "IRN", "FRA")}
    assert not any(e.type == "ASSAULT" for e in events)
    info = _events("Ukraine stood firm despite Russia's information attacks.", "en")
    assert not any(e.type == "ASSAULT" for e in info)
    assert ("ASSAULT", "RUS", "UKR") in _kept("Russian troops attacked Kharkiv for a week.", "en")


def test_a_headline_that_lost_its_apostrophe_still_denies() -> None:
    events = _events("Iran didn t provide Russia with drones, envoy", "en")
    aid = [e for e in events if e.type == "AID" and e.target == "RUS"]
    assert aid and all(e.negated for e in aid)


def _all(text: str, language: str) -> list[Event]:
    return [e for e in _events(text, language) if e.source or e.target]


def test_without_a_reason_is_no_negation_but_without_the_act_is() -> None:
    unprovoked = [e for e in _all("Russia attacked Ukraine without any provocation.", "en")]
    assert any(e.type == "ASSAULT" and not e.negated for e in unprovoked)
    quiet = _all("The night passed without strikes on Kyiv by Russia.", "en")
    assert any(e.type == "ASSAULT" and e.negated for e in quiet)


def test_delivering_words_is_no_aid() -> None:
    message = _all("Russia's defence chief delivers Putin's special message to Rouhani", "en")
    assert not any(e.type == "AID" for e in message)
    ultimatum = _all("Washington delivered an ultimatum to Tehran on Friday.", "en")
    assert any(e.type == "THREATEN" and e.source == "USA" for e in ultimatum)
    assert any(e.type == "AID" for e in _all("Iran delivered drones to Russia.", "en"))


def test_a_named_speaker_with_an_office_before_a_colon_tells_the_sentence() -> None:
    text = "Ivan Petrov, editor of Russia in Global Affairs: Washington attacked Iran overnight."
    found = [e for e in _all(text, "en") if e.type == "ASSAULT"]
    assert found and {e.source for e in found} == {"USA"}
    assert all(not e.asserted and e.attributed_to == "Ivan Petrov" for e in found)
    # two parties before a colon are no speaker
    pair = _all("Vladimir Putin, Ebrahim Raisi hold talks: Moscow will sell jets to Tehran", "en")
    assert any(e.asserted for e in pair)


def test_a_russian_killing_of_a_person_hits_the_person() -> None:
    killed = _all("Россия осудила убийство Хаменеи", "ru")
    assert any(e.type == "ASSAULT" and e.target == "IRN" and e.source is None for e in killed)
    assert not any(e.type == "ACCUSE" and e.target == "IRN" for e in killed)
    # a decision named after its maker stays his
    decision = _all("Депутаты осудили решение Байдена разрешить Украине удары по России.", "ru")
    assert any(e.type == "ACCUSE" and e.target == "USA" for e in decision)


@pytest.mark.parametrize(
    ("text", "language", "pair"),
    [
        (
            "Лавров и глава МИД Саудовской Аравии обсудили ситуацию вокруг Ирана",
            "ru",
            {"RUS", "SAU"},
        ),
        ("نشست دوجانبه روسای مجالس ایران و الجزایر برگزار شد", "fa", {"IRN", "DZA"}),
        (
            "Iranian, Norwegian diplomats discuss ways to achieve peace in Yemen",
            "en",
            {"IRN", "NOR"},
        ),
        ("Talks between Iran and Russia were held in Tehran.", "en", {"IRN", "RUS"}),
    ],
)
def test_both_sides_of_a_meeting_are_its_parties(text: str, language: str, pair: set[str]) -> None:
    consults = [e for e in _all(text, language) if e.type == "CONSULT"]
    assert any({e.source, e.target} == pair for e in consults)


def test_a_russian_dative_after_a_verb_is_the_recipient() -> None:
    found = _all("Кипр выразит Великобритании недовольство из-за ударов БПЛА", "ru")
    assert any(e.type == "ACCUSE" and (e.source, e.target) == ("CYP", "GBR") for e in found)
    # the strikes that are the reason were not done by either side of the complaint
    assert not any(e.type == "ASSAULT" and {e.source, e.target} == {"CYP", "GBR"} for e in found)


def test_admitting_an_act_tells_it_and_is_no_event_of_its_own() -> None:
    found = _all("Iran admits supplying drones to Russia", "en")
    assert not any(e.type == "SUPPORT" for e in found)
    aid = [e for e in found if e.type == "AID"]
    assert aid and all((e.source, e.target) == ("IRN", "RUS") for e in aid)
    assert all(not e.asserted and e.attributed_to == "IRN" for e in aid)


def test_a_meeting_the_clause_happened_in_is_an_event_between_its_sides() -> None:
    found = _all("In a meeting with Putin on Tuesday, Khamenei stressed the need for trade.", "en")
    assert any(e.type == "CONSULT" and {e.source, e.target} == {"IRN", "RUS"} for e in found)
    told = _all("During talks with Putin, Raisi said the dollar must go.", "en")
    talks = [e for e in told if e.type == "CONSULT"]
    assert talks and all(e.asserted for e in talks)  # the outlet tells the talks, not Raisi


def test_where_a_strike_was_launched_from_is_not_whom_it_hit() -> None:
    found = _all("Russia struck targets inside Syria from Iran for the first time.", "en")
    assert not any(e.type == "ASSAULT" and e.target == "IRN" for e in found)
    assert any(e.type == "ASSAULT" and e.target == "IRN" for e in _all("Israel struck Iran.", "en"))


def test_a_headlines_listed_subjects_are_both_parties() -> None:
    found = _all("Russia, Iran sign strategic partnership treaty", "en")
    assert any(e.type == "SUPPORT" and {e.source, e.target} == {"RUS", "IRN"} for e in found)


def test_a_russian_meeting_with_an_office_of_a_state_has_that_state_as_its_other_side() -> None:
    talks = _all("Путин провел переговоры с президентом Ирана в Кремле", "ru")
    assert any(e.type == "CONSULT" and {e.source, e.target} == {"RUS", "IRN"} for e in talks)
    topic = _all("Лавров обсудил с главой МИД Катара ситуацию с Ираном", "ru")
    consults = [e for e in topic if e.type == "CONSULT"]
    assert any(e.target == "QAT" for e in consults)
    assert not any(e.target == "IRN" for e in consults)  # the situation is the topic


def test_a_russian_denial_of_any_part_negates_the_act() -> None:
    found = _all("Власти Сирии не имеют отношения к обстрелу Израиля, заявил министр", "ru")
    acts = [e for e in found if e.type == "ASSAULT"]
    assert acts and all(e.negated and not e.asserted for e in acts)


def test_a_persian_condemnation_as_something_targets_the_acts_agents() -> None:
    text = "ونزوئلا حملات آمریکا و اسرائیل به ایران را به عنوان «جنایت جنگی» محکوم کرد"
    accuse = [e for e in _all(text, "fa") if e.type == "ACCUSE"]
    assert {e.target for e in accuse} == {"USA", "ISR"}


def test_what_someone_calls_an_act_is_no_act_of_theirs() -> None:
    text = "کرملین: روسیه در مورد آنچه «تجاوز آشکار» علیه تهران می‌نامد با ایران در تماس است"
    assert not any(e.type == "ASSAULT" and e.source == "RUS" for e in _all(text, "fa"))
    handed = _all("Iran delivers a peace initiative on Ukraine to Russia", "en")
    assert not any(e.type == "AID" for e in handed)


def test_a_russian_judge_of_a_deed_did_not_do_it() -> None:
    found = _all("Медведев назвал убийство генерала Ирана подлым", "ru")
    assert not any(e.type == "ASSAULT" and e.source == "RUS" for e in found)
    assert any(e.type == "ASSAULT" and e.target == "IRN" for e in found)


def test_watching_is_no_inquiry_and_striking_an_arrangement_is_no_attack() -> None:
    watched = _all("Iran is monitoring the UN report on the effects of US sanctions", "en")
    assert not any(e.type == "ACCUSE" for e in watched)
    deal = _all("Iran and Saudi Arabia struck an arrangement in Beijing.", "en")
    assert deal and not any(e.type == "ASSAULT" for e in deal)


def test_history_dated_years_before_the_article_counts_nowhere() -> None:
    day = date(2022, 5, 1)

    def coded(text: str, language: str) -> list[Event]:
        mentions = find_mentions(text, language=language, published=day)
        return code_events(text=text, mentions=mentions, language=language, published=day)

    old = coded("In August 2008 Russia attacked Georgia.", "en")
    assert old and all(e.mood == "past" and e.confidence == 0 for e in old)
    assert all(e.mood == "past" for e in coded("В 2008 году Россия напала на Грузию.", "ru"))
    new = coded("Russia attacked Ukraine in 2022.", "en")
    assert new and all(e.mood == "fact" and e.confidence > 0 for e in new)


def test_a_stated_need_to_cooperate_is_an_intent_but_a_past_one_happened() -> None:
    need = _all("Iran and Russia would have to cooperate on the Caspian oil fields.", "en")
    assert need and all(e.type == "AGREE" for e in need)
    done = _all("Russian troops had to retreat from Kherson.", "en")
    assert any(e.type == "RETREAT" for e in done)


def test_a_russian_feeling_about_a_deed_is_no_deed() -> None:
    found = _all("Россия обеспокоена ударами по Ирану", "ru")
    assert not any(e.type == "ASSAULT" and e.source == "RUS" for e in found)
    named = _all("Россия обеспокоена ударами США по Ирану", "ru")
    assert any(e.type == "ASSAULT" and (e.source, e.target) == ("USA", "IRN") for e in named)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Iran's foreign minister took part in talks with the Russian foreign minister in"
            " Moscow.",
            ("CONSULT", "IRN", "RUS"),
        ),
        ("The Iranian minister participated in a meeting with Lavrov.", ("CONSULT", "IRN", "RUS")),
        ("Iran took part in the Astana talks.", ("CONSULT", "IRN", None)),
        ("Russian troops took part in the attack on Kharkiv.", ("ASSAULT", "RUS", "UKR")),
    ],
)
def test_who_takes_part_in_an_event_is_its_party(
    text: str, expected: tuple[str, str | None, str | None]
) -> None:
    """ "Took part in talks", "participated in a meeting": the talks are the event, and who took
    part is its source (not the place the talks are named after)."""
    assert [(e.type, e.source, e.target) for e in _events(text, "en")] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Iraqi forces attacked Iran on September 22, 1980, without a declaration of war.",
        "On 3 January 2020 an American drone strike killed an Iranian general in Iraq.",
    ],
)
def test_an_act_dated_to_a_day_years_before_the_article_is_history(text: str) -> None:
    events = [e for e in _events(text, "en") if e.type == "ASSAULT"]
    assert events and all(e.mood == "past" and e.confidence == 0 for e in events)
    recent = "Iraqi forces attacked Iran on January 22, 2025, without a declaration of war."
    assert any(e.mood == "fact" for e in _events(recent, "en") if e.type == "ASSAULT")


def test_an_act_a_future_help_would_make_possible_has_not_happened() -> None:
    future = _events("The new aid will help Ukrainian soldiers defeat Russian invaders.", "en")
    assert [e.mood for e in future if e.type == "ASSAULT"] == ["hypothetical"]
    past = _events("American weapons helped Ukraine repel the Russian attack on Kyiv.", "en")
    assert ("ASSAULT", "UKR", "RUS", "fact") in {(e.type, e.source, e.target, e.mood) for e in past}


def test_a_strike_on_a_place_of_ones_own_country_is_no_self_loop() -> None:
    """The place is where a strike happened, not whom it hit: "repelled attacks in Donetsk" is
    no Ukrainian attack on Ukraine. Violence against a state's own people stays domestic."""
    kept = _kept("Ukraine's armed forces repelled eleven enemy attacks in Donetsk region.", "en")
    assert not any(t == "ASSAULT" and s == g == "UKR" for t, s, g in kept)
    own = _kept("Russian troops shelled the town, killing a former Russian soldier.", "en")
    assert ("ASSAULT", "RUS", "RUS") in own  # a person of one's own state: still a party


def test_a_russian_match_of_national_teams_is_sports() -> None:
    """«сборные» lemmatises to «сборный»: with «матч» the sentence is about sports."""
    text = "В решающем матче встретятся сборные Италии и Франции."
    assert not _kept(text, "ru")
    assert ("CONSULT", "FRA", "ITA") in {(e.type, e.source, e.target) for e in _events(text, "ru")}


@pytest.mark.parametrize(
    ("text", "language", "target"),
    [
        ("Российское посольство в Иране подверглось атаке", "ru", "RUS"),
        ("Американская военная база в Ираке подверглась удару", "ru", "USA"),
        ("سفارت روسیه در تهران مورد حمله قرار گرفت", "fa", "RUS"),
    ],
)
def test_where_an_act_suffered_happened_is_no_doer(text: str, language: str, target: str) -> None:
    """«подверглось атаке»: the subject suffered it; «в Иране» is where, not who attacked."""
    (event,) = [e for e in _events(text, language) if e.type == "ASSAULT"]
    assert (event.source, event.target) == (None, target)


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        ("قطر ادعا کرد دو جنگنده ایرانی را ساقط کرده است", "QAT"),
        ("ترامپ در مصاحبه با فاکس نیوز مدعی شد: رهبران ایران در حملات هوایی هدف گرفته شدند", None),
    ],
)
def test_a_persian_claim_is_relayed_whatever_follows(text: str, claimant: str | None) -> None:
    """«ادعا کرد», «مدعی شد»: what follows is the claimant's word, with or without «که»."""
    (event,) = [e for e in _events(text, "fa") if e.type == "ASSAULT"]
    assert not event.asserted and event.attributed_to is not None
    if claimant:
        assert event.attributed_to == claimant


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Russian losses: Ukrainian forces destroyed two Russian tanks near Kharkiv",
            "en",
            ("ASSAULT", "UKR", "RUS"),
        ),
        (
            "Удар по Харькову: российские войска нанесли удар по Харькову",
            "ru",
            ("ASSAULT", "RUS", "UKR"),
        ),
    ],
)
def test_a_topic_label_before_the_colon_is_no_source(
    text: str, language: str, expected: tuple[str, str, str]
) -> None:
    """ "Russian losses: …", «Удар по Харькову: …» name the topic, not who tells it: what follows
    is the outlet's own word, and the label's words are neither parties nor triggers."""
    events = _events(text, language)
    assert expected in {(e.type, e.source, e.target) for e in events}
    assert all(e.asserted and e.attributed_to is None for e in events)
    teller = _events("Al Hadath: Israeli jets struck Beirut", "en")
    assert [(e.asserted, e.attributed_to) for e in teller] == [(False, "Al Hadath")]


@pytest.mark.parametrize(
    ("text", "striker", "not_striker"),
    [
        # the clause's subject refused to back the strikes; it did not strike
        ("وزیر دفاع انگلیس از حمایت از حملات آمریکا به ایران خودداری کرد", "USA", "GBR"),
        # describing words between the noun and its agent («موشکی و پهپادی»)
        ("سازمان امداد اسرائیل گفت در حملات موشکی و پهپادی ایران دو نفر کشته شدند", "IRN", "ISR"),
    ],
)
def test_a_persian_noun_of_an_attack_has_its_agent_in_its_own_phrase(
    text: str, striker: str, not_striker: str
) -> None:
    attacks = [e for e in _events(text, "fa") if e.type == "ASSAULT" and e.confidence > 0]
    assert any(e.source == striker for e in attacks)
    assert not any(e.source == not_striker for e in attacks)


def test_a_persian_verb_of_doing_keeps_the_subject_as_striker() -> None:
    kept = _kept("آمریکا حملات هوایی علیه ایران را آغاز کرد", "fa")
    assert ("ASSAULT", "USA", "IRN") in kept


def test_whose_building_was_struck_is_the_target_and_the_city_only_where() -> None:
    attacks = [e for e in _events("حمله به سفارت ایران در کابل", "fa") if e.type == "ASSAULT"]
    assert attacks and all(e.target == "IRN" and e.source != "IRN" for e in attacks)


def test_a_russian_participles_agent_is_no_party_of_another_trigger() -> None:
    events = _events("Израиль продолжает наступление на поддерживаемую Ираном группировку", "ru")
    assault = [e for e in events if e.type == "ASSAULT"]
    assert assault and all(e.source == "ISR" for e in assault)
    # the participle is no verbal act over the offensive: Israel supports nobody here
    assert not any(e.type == "SUPPORT" and e.source == "ISR" for e in events)


def test_a_headline_participle_of_shelling_was_done_to_its_subject() -> None:
    events = _events("Ukrainian power plant shelled again overnight", "en")
    assert any(e.type == "ASSAULT" and e.target == "UKR" for e in events)
    assert not any(e.source == "UKR" for e in events)


def test_actors_of_a_russian_reason_phrase_are_no_roles_of_the_verb() -> None:
    text = "ВС России в ответ на применение американского оружия нанесли удар по Днепру"
    attacks = [e for e in _events(text, "ru") if e.type == "ASSAULT"]
    assert attacks and all(e.source == "RUS" for e in attacks)


def test_a_russian_as_clause_relays_without_naming_the_next_actor() -> None:
    text = "Как отмечает издание, Киев сосредоточится на ударах по Курской области."
    events = _events(text, "ru")
    assert events and all(not e.asserted and e.attributed_to is None for e in events)
    named = _events("По данным Минобороны России, ВСУ атаковали Белгород", "ru")
    assert any(e.attributed_to == "russia-defence-ministry" for e in named)


def test_the_genitive_of_a_russian_shelling_is_what_was_shelled() -> None:
    attacks = _events("Обсуждался новый обстрел Украины ракетами", "ru")
    assert any(e.type == "ASSAULT" and e.target == "UKR" for e in attacks)
    assert not any(e.source == "UKR" for e in attacks)


def test_fighting_on_the_side_of_a_state_is_no_attack_on_it() -> None:
    text = "Северокорейские военные участвуют в боевых действиях на стороне России"
    assert not any(e.target == "RUS" for e in _events(text, "ru") if e.type == "ASSAULT")


def test_destroying_an_agreement_is_no_attack() -> None:
    assert not any(e.type == "ASSAULT" for e in _events("США разрушили ядерную сделку", "ru"))
    assert any(e.type == "ASSAULT" for e in _events("Россия разрушила мост в Херсоне", "ru"))


def test_the_news_of_an_attack_is_no_report_of_it() -> None:
    text = "با اعلام خبر حمله آمریکا به ایران، مردم به خیابان‌ها آمدند"
    assert any(e.type == "ASSAULT" and e.asserted for e in _events(text, "fa"))


def test_who_announces_a_strike_in_persian_made_it_and_tells_it() -> None:
    events = _events("سپاه از حمله موشکی به پایگاه آمریکا خبر داد", "fa")
    attack = [e for e in events if e.type == "ASSAULT"]
    assert attack and attack[0].source == "IRN" and attack[0].target == "USA"
    assert not attack[0].asserted and attack[0].attributed_to == "irgc"


def test_an_attack_that_began_in_persian_has_no_doer_from_the_clause() -> None:
    events = _events("نماینده روسیه گفت بی‌ثباتی منطقه با تجاوز به ایران آغاز شد", "fa")
    attacks = [e for e in events if e.type == "ASSAULT"]
    assert attacks and not any(e.source == "RUS" for e in attacks)
    assert any(e.target == "IRN" for e in attacks)


@pytest.mark.parametrize(
    "text",
    [
        "Since the Russian invasion of Ukraine, the police have registered many new cases.",
        "Since the start of Russia's invasion, the museum has moved its collection west.",
        "What we know on day 40 of the Russian invasion of Ukraine",
        "Many children have been hurt in Kharkiv since the Russian invasion began.",
        "Timeline: week one of Russia's invasion of Ukraine",
        "Risks to civil aviation as they existed prior to Russia's invasion of Ukraine.",
    ],
)
def test_a_war_named_as_a_date_is_no_event(text: str) -> None:
    assert not any(e.trigger.lower() == "invasion" for e in _events(text, "en"))


def test_a_war_named_as_a_frame_with_its_attacker_stays_an_event() -> None:
    text = "Western leaders weigh more aid as the Russian invasion of Ukraine enters a new phase."
    assert any(e.trigger.lower() == "invasion" and e.source == "RUS" for e in _events(text, "en"))


def test_not_taking_part_in_strikes_negates_them_and_relays_the_assurance() -> None:
    text = "Лидеры Франции и Британии заверили, что их страны не участвовали в ударах по Ирану"
    attacks = [e for e in _events(text, "ru") if e.type == "ASSAULT"]
    assert attacks and all(e.negated and not e.asserted for e in attacks)


def test_who_died_in_a_strike_did_not_strike() -> None:
    text = "Генерал Ирана погиб при авиаударе по Тегерану, заявили в Хезболле"
    attacks = [e for e in _events(text, "ru") if e.type == "ASSAULT"]
    assert attacks and not any(e.source == "IRN" for e in attacks)


def test_the_subject_after_a_russian_passive_is_what_was_hit() -> None:
    events = _events("Над Белгородом были сбиты украинские беспилотники", "ru")
    assert any(e.type == "ASSAULT" and e.target == "UKR" for e in events)


def test_an_act_wished_for_is_no_act() -> None:
    events = _events("Some Belarusians want to fight Russians in Ukraine.", "en")
    assert not any(e.type == "ASSAULT" and e.confidence > 0 for e in events)


def test_who_is_sanctioned_for_an_attack_made_it() -> None:
    text = "Sweden is sanctioning Putin now for attacking Ukraine."
    attacks = [e for e in _events(text, "en") if e.type == "ASSAULT"]
    assert attacks and all(e.source == "RUS" for e in attacks)


@pytest.mark.parametrize(
    "text",
    [
        "Iran is helping Lebanon overcome its energy crisis.",
        "Poland receives US army equipment to bolster its eastern flank",
    ],
)
def test_objects_that_make_a_verb_no_event(text: str) -> None:
    assert not any(e.type in ("ASSAULT", "CONSULT") for e in _events(text, "en"))


def test_a_persian_ra_after_the_agents_of_a_noun_marks_the_whole_phrase() -> None:
    text = "شهادت فرمانده در حمله ناجوانمردانه آمریکا و رژیم صهیونیستی را تسلیت می‌گوییم"
    attacks = [e for e in _events(text, "fa") if e.type == "ASSAULT"]
    assert {e.source for e in attacks} >= {"USA", "ISR"}
    assert not any(e.target in ("USA", "ISR") for e in attacks)


def test_a_clause_after_a_comma_and_but_has_its_own_parties() -> None:
    text = "Абу-Даби призвал Тегеран одуматься, а Эр-Рияд требует международного ответа"
    calls = [e for e in _events(text, "ru") if e.type == "REQUEST" and e.source == "ARE"]
    assert calls and all(e.target == "IRN" for e in calls)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Украинские беспилотники чуть не сбили пассажирский самолёт над Москвой", "ru"),
        ("A Russian jet nearly hit a British spy plane over the Black Sea.", "en"),
    ],
)
def test_what_almost_happened_did_not(text: str, language: str) -> None:
    assert not any(e.type == "ASSAULT" and e.confidence > 0 for e in _events(text, language))


def test_the_victims_of_a_condemned_deed_are_not_condemned() -> None:
    events = _events("Iran's foreign ministry condemned U.S. aggression on Syria.", "en")
    condemned = {e.target for e in events if e.type == "ACCUSE"}
    assert "USA" in condemned and "SYR" not in condemned


@pytest.mark.parametrize(
    ("text", "condemner", "victim"),
    [
        ("Iran condemned the strikes on Syria.", "IRN", "SYR"),
        ("China condemns the invasion of Ukraine.", "CHN", "UKR"),
        ("Beijing condemns the war in Ukraine.", "CHN", "UKR"),
    ],
)
def test_a_condemned_deed_without_its_doer(text: str, condemner: str, victim: str) -> None:
    """No doer named: the condemner did not do the deed, and its victim or place is not
    condemned, not even as the nearest actor."""
    events = _events(text, "en")
    assert not any(e.source == condemner and e.target == victim for e in events)
    assert any(e.type == "ACCUSE" and e.source == condemner for e in events)


def test_a_condemned_deed_keeps_its_named_doer() -> None:
    events = _events("Iran condemned Israel for the attack on Syria.", "en")
    assert any(e.type == "ACCUSE" and (e.source, e.target) == ("IRN", "ISR") for e in events)
    assert any(e.type == "ASSAULT" and (e.source, e.target) == ("ISR", "SYR") for e in events)


@pytest.mark.parametrize(
    ("text", "not_type"),
    [
        ("Raisi held a phone call with Putin.", "COERCE"),  # no detention
        ("The Kremlin hit out at the European Union over its new sanctions.", "ASSAULT"),
        ("Russian support helped Syria overcome terrorist threats.", "ASSAULT"),
    ],
)
def test_senses_of_hold_hit_out_and_overcome(text: str, not_type: str) -> None:
    assert not any(e.type == not_type for e in _events(text, "en"))


def test_hitting_out_at_someone_is_criticism() -> None:
    events = _events("The Kremlin hit out at the European Union over its new sanctions.", "en")
    assert any(e.type == "ACCUSE" and e.source == "RUS" and e.target == "EU" for e in events)


def test_a_permission_to_strike_is_no_strike() -> None:
    text = "The US gave Ukraine permission to strike targets inside Russia."
    assert not any(e.type == "ASSAULT" and e.confidence > 0 for e in _events(text, "en"))


def test_a_dateline_is_no_party() -> None:
    """Where a story was filed from is not who acted in it."""
    events = _events(
        "TEHRAN – The Russian Foreign Ministry has slammed Britain for seizing a tanker.", "en"
    )
    assert any(e.type == "ACCUSE" and (e.source, e.target) == ("RUS", "GBR") for e in events)
    assert not any(e.source == "IRN" for e in events)


def test_a_passive_without_by_names_no_doer() -> None:
    """Not the subject of the verb it hangs on, nor the nearest actor before it."""
    events = _events(
        "In a message to Raisi, the Azerbaijani president said, “We are saddened by the news"
        " that many people have been killed in the collapse of a building in Abadan.”",
        "en",
    )
    assert not any(e.type == "ASSAULT" and e.source == "AZE" for e in events)


def test_a_threat_of_a_deed_is_no_deed() -> None:
    events = _events("As the threat of Russia's invasion of Ukraine loomed, Kyiv stood firm.", "en")
    assert not any(e.type == "ASSAULT" and e.confidence > 0 for e in events)


def test_who_is_slammed_for_a_deed_did_it() -> None:
    events = _events("Moscow slammed Britain for seizing an Iranian tanker.", "en")
    assert any(e.type == "COERCE" and (e.source, e.target) == ("GBR", "IRN") for e in events)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ВСУ наносили удары ракетами ATACMS американского производства по Курской области.", "ru"),
        ("ВСУ ударили ракетами производства США по Брянску.", "ru"),
        ("ارتش اوکراین با موشک‌های ساخت آمریکا به روسیه حمله کرد", "fa"),
    ],
)
def test_where_a_weapon_was_made_is_no_party(text: str, language: str) -> None:
    events = [e for e in _events(text, language) if e.type == "ASSAULT"]
    assert events and all((e.source, e.target) == ("UKR", "RUS") for e in events)


@pytest.mark.parametrize(
    "text",
    [
        "До вторжения в Украину Россия пыталась построить современную армию.",
        "На момент ударов по Ирану уран не обогащался.",
    ],
)
def test_a_russian_date_stamp_is_no_event(text: str) -> None:
    assert not any(e.type == "ASSAULT" for e in _events(text, "ru"))


def test_what_russia_will_probably_do_has_not_happened() -> None:
    events = _events("Россия, вероятно, увеличит количество атак на украинские позиции.", "ru")
    assert not any(e.type == "ASSAULT" and e.confidence > 0 for e in events)


@pytest.mark.parametrize(
    "text",
    [
        "لندن اجازه استفاده از پایگاه‌های نظامی خود برای حمله به تهران را صادر کرد",
        "انگلیس اجازه حمله به ایران را داد",
    ],
)
def test_a_persian_permission_or_purpose_of_a_strike_is_no_strike(text: str) -> None:
    assert not any(e.type == "ASSAULT" and e.confidence > 0 for e in _events(text, "fa"))


def test_a_persian_strike_for_the_second_time_happened() -> None:
    events = _events("آمریکا برای دومین بار به ایران حمله کرد", "fa")
    assert any(e.type == "ASSAULT" and e.confidence > 0 for e in events)


@pytest.mark.parametrize(
    "text",
    ["Putin to visit Iran next week", "Putin to annex four Ukrainian territories on Friday"],
)
def test_a_headline_of_what_someone_is_to_do_is_no_deed_yet(text: str) -> None:
    events = _events(text, "en")
    assert events and all(e.confidence == 0 for e in events)


def test_a_headline_of_what_was_done_stays_a_deed() -> None:
    assert any(e.confidence > 0 for e in _events("Putin visits Iran for talks", "en"))


def test_pressing_charges_is_an_accusation_and_dominating_no_attack() -> None:
    events = _events("Ukraine's prosecutors pressed charges against a Russian commander.", "en")
    assert [e.type for e in events if e.target == "RUS"] == ["ACCUSE"]
    events = _events("Sanctions on Russia dominate Ukraine's papers.", "en")
    assert not any(e.type == "ASSAULT" for e in events)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("US officials warn of an imminent Russian attack on Kyiv.", "en"),
        ("A possible Israeli strike on Iran worries Moscow.", "en"),
        ("حمله قریب‌الوقوع حزب الله عراق به پایگاه‌های آمریکا", "fa"),
        ("حمله احتمالی آمریکا به ایران", "fa"),
    ],
)
def test_a_possible_or_imminent_attack_has_not_happened(text: str, language: str) -> None:
    events = [e for e in _events(text, language) if e.type == "ASSAULT"]
    assert events and all(e.confidence == 0 for e in events)


def test_slapping_sanctions_is_a_sanction() -> None:
    events = _events("Washington slapped new sanctions on Iran.", "en")
    assert [e.type for e in events if (e.source, e.target) == ("USA", "IRN")] == ["SANCTION"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Uzbekistan defeat Iran at 2023 CAFA U20 Championship", "en"),
        ("U.S. intel believes Russia about to strike Ukraine's infrastructure", "en"),
        ("США не видят признаков подготовки России к применению ядерного оружия", "ru"),
        ("Журнал смоделировал ядерный удар США по Москве.", "ru"),
    ],
)
def test_a_match_a_strike_about_to_come_or_modelled_is_no_strike(text: str, language: str) -> None:
    assert not any(e.type == "ASSAULT" and e.confidence > 0 for e in _events(text, language))


def test_talks_about_strikes_do_not_make_the_strikes_possible() -> None:
    events = _events("Russian strikes on Kyiv killed five, Ukraine said.", "en")
    assert any(e.type == "ASSAULT" and e.confidence > 0 for e in events)


@pytest.mark.parametrize(
    ("text", "language", "teller"),
    [
        (
            "Shelling of the Sumy region: Russian occupiers shelled Sumy region in the morning,"
            " - RMA (29.08.22 10:09) « War in Ukraine | Censor.NET",
            "en",
            "RMA",
        ),
        (
            "Обстрел Белгорода: ВСУ выпустили ракеты по Белгороду, - Гладков (29.08.22 10:09)"
            " « Война | Censor.NET",
            "ru",
            "Гладков",
        ),
    ],
)
def test_a_labelled_headline_told_by_a_source_after_its_dash(
    text: str, language: str, teller: str
) -> None:
    """A headline "Topic: claim, - Source (stamp) « Section | Site": the claim is relayed."""
    events = [e for e in _events(text, language) if e.type == "ASSAULT"]
    assert events and all(not e.asserted and e.attributed_to == teller for e in events)


def test_a_labelled_headline_without_a_source_stays_the_outlets() -> None:
    text = "Shelling of the Sumy region: Russian occupiers shelled Sumy region (29.08.22 10:09)"
    assert any(e.type == "ASSAULT" and e.asserted for e in _events(text, "en"))
