"""Event coding: types, roles, attribution and negation in EN/RU/FA, on sentences written here."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparallax.annotate.actors import find_mentions
from newsparallax.annotate.events import code_events, load_lexicon
from newsparallax.cli.main import main
from newsparallax.records import Event

DAY = date(2025, 2, 1)


def _events(text: str, language: str = "en") -> list[Event]:
    mentions = find_mentions(text, language=language, published=DAY)
    return code_events(text=text, mentions=mentions, language=language, published=DAY)


def _main(text: str, language: str = "en") -> tuple[str, str | None, str | None]:
    events = [e for e in _events(text, language) if not e.negated]
    assert events, f"no event in {text!r}"
    e = events[0]
    return e.type, e.source, e.target


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Iran supplied attack drones to Russia.", ("AID", "IRN", "RUS")),
        ("Attack drones were supplied to Russia by Iran.", ("AID", "IRN", "RUS")),  # passive
        ("Russia's defence minister met his Iranian counterpart.", ("CONSULT", "RUS", "IRN")),
        ("The United States imposed new sanctions on Iran.", ("SANCTION", "USA", "IRN")),
        ("Israel struck targets in Iran overnight.", ("ASSAULT", "ISR", None)),
        ("Israel launched a missile attack on Iran.", ("ASSAULT", "ISR", "IRN")),
        ("Iran condemned the strike by Israel.", ("ACCUSE", "IRN", "ISR")),
        ("Russia is ready to supply fighter jets to Iran.", ("AGREE", "RUS", "IRN")),  # intent
        ("Iran warned it would strike Israel.", ("THREATEN", "IRN", "ISR")),
    ],
)
def test_english_types_and_dyads(text: str, expected: tuple[str, str | None, str | None]) -> None:
    kind, source, target = _main(text)
    assert kind == expected[0]
    assert source == expected[1]
    if expected[2] is not None:
        assert target == expected[2]


def test_military_aid_has_its_mode_and_intensity() -> None:
    event = _events("Iran supplied ballistic missiles to Russia.")[0]
    assert (event.type, event.mode, event.cameo) == ("AID", "military", "072")
    assert event.quad == "material_cooperation" and event.intensity > 0
    attack = _events("Israel launched a missile attack on Iran.")[0]
    assert attack.quad == "material_conflict" and attack.intensity < 0


def test_coordinated_actors_pair_both_ways() -> None:
    events = _events("Iran and Russia signed a strategic partnership treaty.")
    assert {(e.source, e.target) for e in events} >= {("IRN", "RUS"), ("RUS", "IRN")}


def test_relayed_claims_are_not_asserted_and_name_who_claims() -> None:
    said = _events("Iran sent drones to Russia, Ukrainian officials said.")
    aid = next(e for e in said if e.type == "AID")
    assert not aid.asserted and aid.attributed_to == "UKR"  # "Ukrainian officials"
    hedged = [e for e in _events("Iran reportedly sent drones to Russia.") if e.type == "AID"]
    assert hedged and not hedged[0].asserted
    plain = [e for e in _events("Iran sent drones to Russia.") if e.type == "AID"]
    assert plain and plain[0].asserted
    accused = _events("Britain accused Iran of supplying missiles to Russia.")
    supply = next(e for e in accused if e.type == "AID")
    assert (supply.source, supply.target, supply.asserted, supply.attributed_to) == (
        "IRN",
        "RUS",
        False,
        "GBR",
    )
    assert any(e.type == "ACCUSE" and e.source == "GBR" and e.asserted for e in accused)


def test_denials_are_rejects_and_negate_what_is_denied() -> None:
    events = _events("Iran denies sending ballistic missiles to Russia.")
    reject = [e for e in events if e.type == "REJECT"]
    assert reject and reject[0].source == "IRN" and not reject[0].negated
    aid = [e for e in events if e.type == "AID"]
    assert all(e.negated and not e.asserted for e in aid)
    negated = _events("Russia did not deliver air defence systems to Iran.")
    assert negated and all(e.negated for e in negated if e.type == "AID")


def test_evidence_offsets_point_at_the_sentence() -> None:
    text = "Markets were calm. Iran sent drones to Russia. Nothing else happened."
    event = _events(text)[0]
    assert text[event.sentence_start : event.sentence_end] == "Iran sent drones to Russia."


def test_russian_lexical_coder() -> None:
    kind, source, target = _main("Иран поставил России ракеты.", "ru")
    assert (kind, source, target) == ("AID", "IRN", "RUS")
    relayed = [e for e in _events("По данным разведки, Иран передал России ракеты.", "ru")]
    assert relayed and not relayed[0].asserted
    symmetric = _events("Россия и Иран подписали договор о партнерстве.", "ru")
    assert {(e.source, e.target) for e in symmetric} == {("RUS", "IRN"), ("IRN", "RUS")}


def test_persian_lexical_coder() -> None:
    kind, source, target = _main("آمریکا تحریم‌های جدیدی علیه ایران اعمال کرد.", "fa")
    assert (kind, source, target) == ("SANCTION", "USA", "IRN")
    kind, source, target = _main("عراقچی در مسکو با لاوروف دیدار کرد.", "fa")
    assert (kind, source, target) == ("CONSULT", "IRN", "RUS")


def test_titles_and_feed_summaries_are_coded_with_their_field() -> None:
    title = "Iran sends drones to Russia"
    mentions = [m for m in find_mentions(title, published=DAY)]
    from dataclasses import replace

    mentions = [replace(m, field="title") for m in mentions]
    events = code_events(title=title, mentions=mentions, language="en", published=DAY)
    assert events and events[0].field == "title" and events[0].instance


def test_instances_link_reports_of_one_event() -> None:
    a = _events("Iran sent drones to Russia.")[0]
    b = _events("Iran shipped drones to Russia, officials said.")[0]
    assert a.instance == b.instance  # same type, actors and day
    c = _events("Russia sent drones to Iran.")[0]
    assert c.instance != a.instance


def test_lexicon_maps_cameo_to_plover() -> None:
    lexicon = load_lexicon()
    assert lexicon.code("072").type == "AID"  # type: ignore[union-attr]
    assert lexicon.code("163").type == "SANCTION"  # type: ignore[union-attr]
    assert lexicon.code("042").mode == "visit"  # type: ignore[union-attr]
    assert lexicon.code("010") is None  # public statements code nothing


def test_cli_lists_stored_events_with_evidence(tmp_path: Path, db_path: Path) -> None:
    from conftest import record, write_jsonl

    rows = [
        record(
            url="https://example.org/1",
            domain="example.org",
            language="en",
            published="2025-02-01",
            title="Drone deliveries",
            text="Iran sent drones to Russia. The move drew criticism.",
        ),
        record(
            url="https://example.org/2",
            domain="example.org",
            language="en",
            published="2025-02-01",
            title="Sanctions",
            text="The United States imposed sanctions on Iran.",
        ),
    ]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(source), "--db", str(db_path)]).exit_code == 0
    result = runner.invoke(main, ["events", "--db", str(db_path), "--source", "IRN", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["reports"] >= 1 and data["items"][0]["evidence"] == "Iran sent drones to Russia."
    assert data["items"][0]["url"] == "https://example.org/1"
    typed = runner.invoke(main, ["events", "--db", str(db_path), "--type", "sanction", "--json"])
    assert [e["target"] for e in json.loads(typed.output)["items"]] == ["IRN"]
    bad = runner.invoke(main, ["events", "--db", str(db_path), "--type", "HUG"])
    assert bad.exit_code != 0 and "unknown event type" in bad.output
    text = runner.invoke(main, ["events", "--db", str(db_path)])
    assert "reports of" in text.output and "→" in text.output


def test_shipped_lexicon_is_rebuilt_from_its_sources(tmp_path: Path) -> None:
    """Whoever edits dictionary/events/*.toml must run `make actors` (which rebuilds the
    lexicon too): the shipped file is what the build makes of its sources, byte for byte."""
    from newsparallax.annotate.events import build
    from newsparallax.annotate.events.lexicon import SHIPPED

    if not build.DEFAULT_SHARED.exists():
        pytest.skip("../shared is not beside the checkout")
    out = tmp_path / "lexicon.json.gz"
    build.write(build.build(), out)
    assert out.read_bytes() == SHIPPED.read_bytes(), "run `make actors` and commit the result"


def _title_events(title: str) -> list[Event]:
    from dataclasses import replace

    mentions = [replace(m, field="title") for m in find_mentions(title, published=DAY)]
    return code_events(title=title, mentions=mentions, language="en", published=DAY)


def test_nominalisations_code_their_agents() -> None:
    events = _title_events("The signing of the treaty by Putin and Pezeshkian took place.")
    assert {(e.type, e.source, e.target) for e in events} >= {
        ("SUPPORT", "RUS", "IRN"),
        ("SUPPORT", "IRN", "RUS"),
    }


def test_headlines_that_cite_a_report_are_relayed() -> None:
    events = _title_events("Iran hands over missiles to Russia - report")
    aid = [e for e in events if e.type == "AID"]
    assert aid and aid[0].source == "IRN" and not aid[0].asserted
    plain = [e for e in _title_events("Iran hands over missiles to Russia") if e.type == "AID"]
    assert plain and plain[0].asserted


def test_a_sentence_reports_an_event_once_per_dyad() -> None:
    events = _events("Iran and Russia signed a partnership treaty and a trade agreement.")
    keys = [(e.type, e.source_actor, e.target_actor) for e in events]
    assert len(keys) == len(set(keys)) and ("SUPPORT", "IRN", "RUS") in keys


def test_reports_without_a_day_link_only_within_their_article() -> None:
    text = "Iran sent drones to Russia."
    mentions = find_mentions(text, published=DAY)
    a, b = (
        code_events(
            text=text,
            mentions=mentions,
            language="en",
            published=DAY,
            day_precise=False,
            article=name,
        )[0]
        for name in ("article-a", "article-b")
    )
    assert a.instance != b.instance  # a month-dated report is not merged with others
    c, d = (
        code_events(text=text, mentions=mentions, language="en", published=DAY)[0] for _ in range(2)
    )
    assert c.instance == d.instance


def test_russian_subject_is_the_nominative_next_to_the_trigger() -> None:
    text = "Глава иранского МИД прибудет завтра, а Башар Асад вернется после визита в Москву."
    events = [e for e in _events(text, "ru") if e.type == "CONSULT"]
    assert [(e.source, e.target) for e in events] == [("SYR", "RUS")]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Russia attacked Kyiv with Iranian drones.", "en"),
        ("Russia attacked Kyiv with Iranian-made Shahed drones.", "en"),
        ("Россия атаковала Киев иранскими беспилотниками.", "ru"),
        ("روسیه با پهپادهای ایرانی به کی‌یف حمله کرد.", "fa"),
    ],
)
def test_a_weapons_country_of_origin_is_no_party_to_its_use(text: str, language: str) -> None:
    attacks = [e for e in _events(text, language) if e.type == "ASSAULT"]
    assert attacks and {(e.source, e.target) for e in attacks} == {("RUS", "UKR")}


def test_who_shoots_down_a_weapon_made_elsewhere_attacks_no_maker() -> None:
    made = [
        e
        for e in _events("Ukrainian forces shot down 12 Iranian-made drones.")
        if e.type == "ASSAULT"
    ]
    assert made and all(e.target != "IRN" for e in made)
    # a state's own drone shot down names that state as the target
    own = [e for e in _events("Iran shot down five Israeli drones.") if e.type == "ASSAULT"]
    assert own and (own[0].source, own[0].target) == ("IRN", "ISR")


def test_a_claim_noun_relays_and_a_claim_called_false_negates() -> None:
    claimed = [
        e for e in _events("The claim that Iran sent drones to Russia spread.") if e.type == "AID"
    ]
    assert claimed and not claimed[0].asserted and not claimed[0].negated
    baseless = _events("Tehran rejected as baseless the claim that Iran sent drones to Russia.")
    aid = [e for e in baseless if e.type == "AID"]
    assert aid and all(e.negated and not e.asserted for e in aid)
    assert not [e for e in _events("Putin sent greetings to Iran.") if e.type == "AID"]


@pytest.mark.parametrize(
    "text",
    [
        "Iranian drones were supplied to Russia.",
        "Russia received Iranian drones.",
        "Russia has acquired hundreds of Iranian drones.",
        "Iran supplied Russia with hundreds of Shahed drones.",
    ],
)
def test_arms_transfers_run_from_the_weapons_state_to_the_recipient(text: str) -> None:
    aid = [e for e in _events(text) if e.type == "AID"]
    assert [(e.source, e.target) for e in aid] == [("IRN", "RUS")]


def test_acquiring_codes_a_transfer_only_with_a_known_supplier_and_arms() -> None:
    bought = [e for e in _events("Russia bought missiles from North Korea.") if e.type == "AID"]
    assert [(e.source, e.target) for e in bought] == [("PRK", "RUS")]
    assert not [
        e
        for e in _events("The US must ensure Iran does not acquire nuclear weapons.")
        if e.type == "AID"
    ]
    assert not [e for e in _events("Russia received a delegation from Iran.") if e.type == "AID"]


def test_russian_states_after_a_strike_noun_are_who_struck() -> None:
    strikes = _events("Тайвань оценивает последствия ударов США и Израиля по Ирану.", "ru")
    assert {(e.source, e.target) for e in strikes if e.type == "ASSAULT"} == {
        ("USA", "IRN"),
        ("ISR", "IRN"),
    }
    # the subject of the clause reports, it does not strike
    reported = _events("Иран сообщил о гибели учителей из-за ударов США и Израиля.", "ru")
    assert {e.source for e in reported if e.type == "ASSAULT"} == {"USA", "ISR"}


def test_a_strikes_other_sources_are_not_where_it_happened() -> None:
    joint = _events("شهادت ۱۵ شهروند در حمله رژیم صهیونیستی و آمریکا به لامرد", "fa")
    pairs = {(e.source, e.target) for e in joint if e.type == "ASSAULT"}
    assert pairs and not pairs & {("ISR", "USA"), ("USA", "ISR")}
    assert {s for s, _ in pairs} == {"ISR", "USA"}


def test_a_parenthetical_aside_is_no_party_to_the_event() -> None:
    text = (
        "Иранский беспилотник атаковал нефтяную вышку в заливе, сообщает канал в Facebook"
        " (принадлежит Meta, которая признана в России экстремистской и запрещена)."
    )
    attacks = [e for e in _events(text, "ru") if e.type == "ASSAULT"]
    assert attacks and all("RUS" not in (e.source, e.target, e.attributed_to) for e in attacks)


def test_engaging_in_activities_is_no_attack() -> None:
    notice = "The company has engaged in activities that contribute to Iran's drone program."
    assert not [e for e in _events(notice) if e.type == "ASSAULT"]
    battle = [e for e in _events("Ukrainian forces engaged Russian troops.") if e.type == "ASSAULT"]
    assert [(e.source, e.target) for e in battle] == [("UKR", "RUS")]


def test_a_headlines_parts_have_their_own_roles() -> None:
    # «Russian lawmaker: the attack on Iran was aggression / the Security Council should meet»
    text = "قانونگذار روس:‌ حمله به ایران، متجاوزانه بود/ شورای امنیت جلسه فوری تشکیل دهد"
    attacks = [e for e in _events(text, "fa") if e.type == "ASSAULT"]
    assert attacks and all(e.source not in ("RUS", "UNSC", "UN") for e in attacks)
    assert all(e.target == "IRN" for e in attacks)


def test_a_later_noun_trigger_keeps_its_own_roles_in_russian() -> None:
    # «Britain sanctioned two Iranian companies over Tehran's transfer of missiles to Russia»
    text = (
        "Великобритания ввела санкции против двух иранских компаний в ответ на передачу"
        " Тегераном баллистических ракет России."
    )
    pairs = {(e.type, e.source, e.target) for e in _events(text, "ru")}
    assert ("SANCTION", "GBR", "IRN") in pairs  # «против двух …»: the number is skipped
    assert ("AID", "IRN", "RUS") in pairs  # the transfer's agent is Tehran, not Britain
    assert not {p for p in pairs if p[0] == "SANCTION" and "RUS" in p}
    assert ("AID", "GBR", "RUS") not in pairs


def test_the_subject_of_a_russian_passive_is_acted_on() -> None:
    attacked = _events("Российские военные были атакованы ВСУ.", "ru")
    assert {(e.source, e.target) for e in attacked if e.type == "ASSAULT"} == {("UKR", "RUS")}
    seized = _events("Иранский танкер был задержан Великобританией.", "ru")
    assert {(e.source, e.target) for e in seized if e.type == "COERCE"} == {("GBR", "IRN")}
    # a nominative after the passive is acted on too, never its agent by word order alone
    hit = _events("В порту атакован танкер под флагом США.", "ru")
    assert {(e.source, e.target) for e in hit if e.type == "ASSAULT"} == {(None, "USA")}


@pytest.mark.parametrize(
    ("past", "now", "language"),
    [
        (
            "Iran and Russia signed a cooperation deal 20 years ago.",
            "Iran and Russia signed a cooperation deal on Friday.",
            "en",
        ),
        (
            "Россия и Иран подписали соглашение 20 лет назад.",
            "Россия и Иран подписали соглашение в пятницу.",
            "ru",
        ),
    ],
)
def test_history_recounted_years_back_is_no_event_of_the_day(
    past: str, now: str, language: str
) -> None:
    then = [e for e in _events(past, language) if e.source and e.target]
    assert then and all(e.mood == "past" and e.confidence == 0 for e in then)
    today = [e for e in _events(now, language) if e.source and e.target]
    assert today and all(e.mood == "fact" and e.confidence > 0 for e in today)


@pytest.mark.parametrize(
    "text",
    [
        "The EU hopes gas imports from Iran can break its dependence on Russia.",
        "Russia does not intend to break its obligations to Iran.",
        "The naval exercises jointly executed by Iran and Russia ended on Friday.",
        "Iran and Russia will continue fighting terrorism together.",
        "Iran and Russia struck a deal on gas supplies.",
    ],
)
def test_figures_of_speech_are_no_attacks(text: str) -> None:
    assert not [
        e for e in _events(text) if e.type == "ASSAULT" and {e.source, e.target} == {"IRN", "RUS"}
    ]


def test_striking_a_deal_is_an_agreement_and_striking_a_city_an_attack() -> None:
    deal = {(e.type, e.source, e.target) for e in _events("Iran and Russia struck a deal on gas.")}
    assert ("SUPPORT", "IRN", "RUS") in deal
    hit = {(e.type, e.source, e.target) for e in _events("Russian missiles struck Kyiv overnight.")}
    assert ("ASSAULT", "RUS", "UKR") in hit


def test_opening_airspace_is_no_opening_of_fire() -> None:
    text = "Iran opened its airspace to Russian fighters as well as missiles fired from the sea."
    assert not [e for e in _events(text) if e.trigger == "opened"]
    fire = _events("Russian troops opened fire on Ukrainian positions.")
    assert [(e.type, e.source, e.target) for e in fire if e.trigger == "opened"] == [
        ("ASSAULT", "RUS", "UKR")
    ]


def test_defeating_a_resolution_is_a_rejection_not_an_attack() -> None:
    vote = _events("The UN Security Council has defeated Russia's draft resolution on Ukraine.")
    assert ("REJECT", "UNSC", "RUS") in {(e.type, e.source, e.target) for e in vote}
    assert not [e for e in vote if e.type == "ASSAULT"]
    battle = _events("Ukrainian forces defeated Russian troops near Kharkiv.")
    assert ("ASSAULT", "UKR", "RUS") in {(e.type, e.source, e.target) for e in battle}


def test_a_permitted_or_banned_strike_and_a_question_are_no_strikes_in_russian() -> None:
    for text in (
        "Британия разрешила Украине наносить удары ракетами по российским территориям.",
        "Вашингтон запрещал наносить удары по российским тылам.",
        "**Россия ударила по Украине межконтинентальной ракетой?**",
    ):
        strikes = [e for e in _events(text, "ru") if e.type == "ASSAULT"]
        assert strikes and all(e.mood == "hypothetical" and e.confidence == 0 for e in strikes)
    done = [e for e in _events("Россия ударила по Украине ракетой.", "ru") if e.type == "ASSAULT"]
    assert done and all(e.mood == "fact" for e in done)


def test_a_permitted_or_barred_strike_is_no_strike_in_english() -> None:
    for text in (
        "The US allowed Ukraine to strike Russian territory with ATACMS missiles.",
        "Washington barred Kyiv from striking targets inside Russia.",
    ):
        strikes = [e for e in _events(text) if e.type == "ASSAULT"]
        assert strikes and all(e.mood == "hypothetical" and e.confidence == 0 for e in strikes)


def test_what_is_demanded_or_urged_has_not_happened() -> None:
    text = "Iran demanded that the U.S. remove the IRGC from its terrorism list."
    events = _events(text)
    assert ("REQUEST", "IRN", "USA") in {(e.type, e.source, e.target) for e in events}
    assert all(e.mood == "hypothetical" for e in events if e.type == "COERCE")
    pushed = [e for e in _events("The U.S. is pushing Azerbaijan to escalate tensions with Iran.")]
    assert all(e.mood == "hypothetical" for e in pushed if e.trigger == "escalate")


def test_what_is_demanded_has_not_happened_in_russian() -> None:
    events = _events("США требуют от Украины мобилизовать 18-летних.", "ru")
    assert [e.type for e in events if e.mood == "fact"] == ["REQUEST"]


def test_a_call_to_stop_strikes_tells_that_they_go_on() -> None:
    called = _events("Лавров призвал Израиль прекратить удары по Ливану.", "ru")
    assert [e.mood for e in called if e.type == "ASSAULT"] == ["fact"]
    demanded = _events("Иран потребовал от США снять санкции.", "ru")
    assert all(e.mood == "hypothetical" for e in demanded if e.type != "REQUEST")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Россия атаковала Киев иранскими и северокорейскими ракетами.", "ru"),
        ("Russia struck Kyiv with Iranian and North Korean missiles.", "en"),
    ],
)
def test_coordinated_origins_of_weapons_are_no_parties(text: str, language: str) -> None:
    pairs = {(e.source, e.target) for e in _events(text, language) if e.type == "ASSAULT"}
    assert pairs == {("RUS", "UKR")}


def test_a_singular_place_before_a_plural_verb_is_what_was_hit_in_russian() -> None:
    text = "Киев атакуют крылатые ракеты, сообщают Воздушные силы ВСУ."
    hits = [e for e in _events(text, "ru") if e.type == "ASSAULT"]
    assert [(e.source, e.target) for e in hits] == [(None, "UKR")]  # the reporter is no party
    assert not hits[0].asserted and hits[0].attributed_to is not None
    shelled = [e for e in _events("Белгород обстреляли из РСЗО.", "ru") if e.type == "ASSAULT"]
    assert [(e.source, e.target) for e in shelled] == [(None, "RUS")]


def test_a_deal_struck_in_a_relative_clause_is_an_agreement() -> None:
    text = "Diplomats said the deal - which Iran struck with Britain and Germany - can be saved."
    kinds = {(e.type, e.source, e.target) for e in _events(text)}
    assert ("SUPPORT", "IRN", "GBR") in kinds and not [k for k in kinds if k[0] == "ASSAULT"]
    assert not [
        e
        for e in _events("Iranian president explores Ukraine crisis with Putin")
        if e.type == "ACCUSE"
    ]


def test_a_persian_condemnation_targets_the_attackers_of_its_object() -> None:
    # «Brazil condemned the aggressive attacks of America and the Zionist regime on Iran»
    text = "برزیل حملات تجاوزکارانه آمریکا و رژیم صهیونیستی به ایران را محکوم کرد"
    pairs = {(e.type, e.source, e.target) for e in _events(text, "fa")}
    assert {("ASSAULT", "USA", "IRN"), ("ASSAULT", "ISR", "IRN")} <= pairs
    assert {("ACCUSE", "BRA", "USA"), ("ACCUSE", "BRA", "ISR")} <= pairs
    assert ("ACCUSE", "BRA", "IRN") not in pairs
    # «… strongly condemned»: an adverb between «را» and the verb
    strongly = "حزب کمونیست ژاپن تجاوز نظامی آمریکا به ایران را قویا محکوم کرد"
    assert ("ACCUSE", "JPN", "USA") in {
        (e.type, e.source, e.target) for e in _events(strongly, "fa")
    }


def test_a_rally_in_condemnation_of_an_attack_is_no_condemnation_of_its_own() -> None:
    rally = _events("تجمع مردم مشهد در محکومیت حملات آمریکایی-صهیونی", "fa")
    assert not [e for e in rally if e.type == "ACCUSE"]
    assert {("ASSAULT", "USA"), ("ASSAULT", "ISR")} <= {(e.type, e.source) for e in rally}
    statement = _events("ایران در محکومیت حمله آمریکا بیانیه صادر کرد", "fa")
    assert ("ACCUSE", "IRN", "USA") in {(e.type, e.source, e.target) for e in statement}


def test_holding_importance_is_no_confinement() -> None:
    text = "For Iran, the Russian Federation holds significant importance."
    assert not [e for e in _events(text) if e.type == "COERCE"]
    held = _events("Russia holds two Ukrainian sailors in custody.")
    assert ("COERCE", "RUS", "UKR") in {(e.type, e.source, e.target) for e in held}


def test_an_embassy_is_no_attacker() -> None:
    from newsparallax.annotate.events.signals import confidence_model

    text = "Посольство РФ в Иране не получало данных о пострадавших россиянах при атаках"
    attacks = [e for e in _events(text, "ru") if e.type == "ASSAULT" and e.source == "RUS"]
    assert all(e.confidence < confidence_model().threshold for e in attacks)
