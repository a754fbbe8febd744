"""The claim ledger: what a proposition is, each camp's stance on it, and what it leaves out —
on headlines written here with hand-made events (tests/ledger_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger_support import build
from newsparallax.analyze.ledger import (
    LedgerQuery,
    families,
    ledger,
    object_of,
    parse_id,
    proposition,
)
from newsparallax.analyze.ledger.objects import Mention
from newsparallax.analyze.ledger.stance import denial
from newsparallax.annotate.actors import default_dictionary
from newsparallax.errors import QueryError
from newsparallax.store.database import Store

DRONES = "AID.IRN.RUS.drones"


@pytest.fixture(autouse=True)
def shipped_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' default threshold is 0 (conftest): these check the shipped one."""
    monkeypatch.setenv("PARALLAX_EVENT_THRESHOLD", "0.75")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("ledger") / "ledger.db")


def _ledger(db: Path, **query: object) -> dict[str, object]:
    with Store(db, readonly=True) as store:
        return ledger(store, LedgerQuery(**query)).as_dict()  # type: ignore[arg-type]


def _camps(item: dict[str, object]) -> dict[str, dict[str, object]]:
    return {c["camp"]: c for c in item["camps"]}  # type: ignore[attr-defined, index]


def test_reports_of_one_claim_group_across_outlets_languages_and_models(db: Path) -> None:
    found = _ledger(db, a="IRN", b="RUS")
    ids = [p["id"] for p in found["items"]]  # type: ignore[attr-defined, index]
    assert DRONES in ids and "AID.IRN.RUS.missiles" in ids
    drones = next(p for p in found["items"] if p["id"] == DRONES)  # type: ignore[attr-defined]
    # "attack drones" (en), the Shahed-136 (a weapon mention), «беспилотников» (ru): one claim
    assert set(_camps(drones)) == {"western", "iranian_state", "russian_state", "ukrainian"}
    assert drones["named"] == {"shahed-136": 1}
    assert drones["label"] == "IRN supplies drones to RUS"
    assert ids[0] == DRONES  # most camps first


def test_each_camp_asserts_relays_or_denies_and_says_who(db: Path) -> None:
    with Store(db, readonly=True) as store:
        found = proposition(store, DRONES)
    assert found is not None
    camps = _camps(found.as_dict())
    assert camps["western"]["articles"] == {"asserted": 0, "relayed": 1, "denied": 0}
    assert camps["western"]["relayed_from"] == {"USA": 1}
    # a negated event, a kept REJECT over a negated event under the threshold, and a sentence
    # that refutes what the coder read as relayed: three denials
    assert camps["iranian_state"]["articles"] == {"asserted": 0, "relayed": 0, "denied": 3}
    assert camps["iranian_state"]["denied_by"] == {"IRN": 2, "?": 1}
    assert camps["iranian_state"]["by_source"] == {"denied": 2}
    by_article = {e["article_id"]: e for e in found.as_dict()["evidence"]}
    assert by_article["i2"]["via"] == "rejection" and by_article["i2"]["stance"] == "denied"
    assert by_article["i3"]["denial_cue"] == "refuted"
    # the Russian denial names no supplier: the denier's state (from its mention) is the source
    assert camps["russian_state"]["articles"]["denied"] == 1
    assert by_article["r1"]["source_inferred"] and by_article["r1"]["who"] == "iran-mfa"
    # an admission relayed on the word of Iran's own minister
    assert camps["ukrainian"]["by_source"] == {"relayed": 1}
    assert camps["western"]["first_seen"] == "2022-07-12"
    assert camps["iranian_state"]["first"] == {"denied": "2022-10-20"}
    assert [m["month"] for m in camps["iranian_state"]["months"]] == ["2022-10"]


def test_copies_below_threshold_and_hypotheticals_count_nowhere(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(db, readonly=True) as store:
        found = proposition(store, DRONES)
    assert found is not None
    articles = {e["article_id"] for e in found.as_dict()["evidence"]}
    assert "w1-copy" not in articles  # a syndicated copy counts once, on the original
    assert "w2" not in articles  # confidence 0.5, under the shipped threshold
    assert not articles & {"i4", "i5"}  # "could supply"; a hypothetical mood
    assert [e["article_id"] for e in found.as_dict()["aside"]] == ["i4"]
    assert found.as_dict()["aside"][0]["cue"] == "could"
    left = _ledger(db, a="IRN", b="RUS")["left_out"]
    assert left["hypothetical: could"] == 1 and left["mood: hypothetical"] == 1  # type: ignore[index]
    monkeypatch.setenv("PARALLAX_EVENT_THRESHOLD", "0.4")
    with Store(db, readonly=True) as store:
        lower = proposition(store, DRONES)
    assert lower is not None
    assert _camps(lower.as_dict())["western"]["articles"]["asserted"] == 1  # type: ignore[index]


def test_filters_a_place_as_object_and_one_way(db: Path) -> None:
    assault = _ledger(db, type="assault")
    assert [p["id"] for p in assault["items"]] == [  # type: ignore[attr-defined, index]
        "ASSAULT.RUS.UKR.at-zaporizhzhia-npp"
    ]
    assert _ledger(db, a="RUS", b="IRN", one_way=True)["total"] == 0
    assert _ledger(db, a="IRN", b="RUS", since="2022-11")["total"] >= 1
    assert _ledger(db, a="IRN", b="RUS", min_camps=2)["total"] == 1
    page = _ledger(db, a="IRN", b="RUS", limit=1)
    assert page["next_cursor"] and len(page["items"]) == 1  # type: ignore[arg-type]
    with pytest.raises(QueryError):
        _ledger(db, a="IRN")
    with pytest.raises(QueryError):
        _ledger(db, type="TELEPORT")
    with pytest.raises(QueryError):
        _ledger(db, since="2022-12", until="2022-01")


def test_proposition_ids_are_checked() -> None:
    assert parse_id("AID.IRN.RUS.drones") == ("AID", "IRN", "RUS", "drones")
    for bad in ("AID.IRN.RUS", "aid.IRN.RUS.drones", "AID..RUS.drones", "x.y.z.w.v"):
        with pytest.raises(QueryError):
            parse_id(bad)


def _obj(type: str, sentence: str, trigger: str, *mentions: tuple[str, str, str]) -> str:
    found = [
        Mention(start=sentence.index(t), end=sentence.index(t) + len(t), actor=a, kind=k)
        for t, a, k in mentions
    ]
    obj, _named = object_of(
        type=type, context="military", sentence=sentence, trigger=trigger, mentions=found
    )
    return obj.key


def test_the_object_is_a_family_a_place_or_the_mode() -> None:
    patriot = ("Patriot", "patriot", "weapon")
    # the word "missile" inside a weapon's name is that weapon
    assert _obj("AID", "Iran sent Patriot missile parts", "sent", patriot) == "air-defence"
    assert _obj("AID", "Iran sent weapons, including drones, to Russia", "sent") == "drones"
    assert _obj("AID", "Иран поставил России беспилотники", "поставил") == "drones"
    assert _obj("AID", "ایران پهپاد به روسیه داد", "داد") == "drones"
    assert _obj("AID", "Iran sent weapons to Russia", "sent") == "arms"
    assert _obj("AID", "Iran gave Russia what it asked for", "gave") == "mode-military"
    shelling = "Russian drones shelled Kherson"
    assert _obj("ASSAULT", shelling, "shelled", ("Kherson", "kherson", "place")) == "at-kherson"
    assert _obj("ASSAULT", shelling, "shelled") == "drones"
    assert _obj("ASSAULT", "Russia attacked Ukraine", "attacked") == "unspecified"  # no mode
    far = (
        "The invasion caused great destruction in the east and the south of the country, but"
        " the fight of its people allows it"
    )
    assert (
        _obj(
            "ASSAULT",
            far + " to achieve the deoccupation of Crimea",
            "invasion",
            ("Crimea", "crimea", "place"),
        )
        == "unspecified"
    )  # a place far from the act is not where
    assert _obj("ASSAULT", "Azov fighters destroyed enemy tanks", "destroyed") == "unspecified"


def test_every_weapon_of_the_dictionary_has_a_family() -> None:
    weapons = {a.id for a in default_dictionary() if a.kind == "weapon"}
    covered = {w for f in families() for w in f.weapons}
    assert weapons <= covered, sorted(weapons - covered)
    assert not covered - weapons, sorted(covered - weapons)  # no family names a lost weapon


@pytest.mark.parametrize(
    ("sentence", "trigger", "cue"),
    [
        ("Officials refuted claims that Iran sent drones to Russia.", "sent", "refuted"),
        ("Tehran has repeatedly denied that it supplied drones.", "supplied", "denied"),
        ("Iran didn t provide Russia with drones", "provide", "didn t"),
        ("Иран не поставлял беспилотники России", "поставлял", "не"),
        ("МИД опроверг сообщения о поставках дронов в Россию", "поставках", "опроверг"),
        ("ایران ارسال پهپاد به روسیه را تکذیب کرد", "ارسال", "تکذیب"),
        ("Despite Tehran's denials, Iran has sent drones to Russia.", "sent", None),
        ("The West accused Iran of sending drones, while Tehran denied it.", "sending", None),
        ("Iran sent drones to Russia, US officials said.", "sent", None),
        ("Polyanskiy said no drones were supplied by Iran to Russia.", "supplied", "no"),
        ("Turkey did not recognize Russia's annexation of Crimea.", "annexation", None),
        ("Tehran says drones have never been sent to Russia.", "sent", "never been"),
        ("There is no doubt Iran supplied the drones.", "supplied", None),
    ],
)
def test_a_sentence_that_denies_what_it_reports(
    sentence: str, trigger: str, cue: str | None
) -> None:
    assert denial(sentence, trigger) == cue


def test_the_cli_lists_propositions_and_shows_one(db: Path) -> None:
    import json

    from click.testing import CliRunner

    from newsparallax.cli.main import main

    runner = CliRunner()
    out = runner.invoke(main, ["claims", "IRN", "RUS", "--db", str(db), "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["items"][0]["id"] == DRONES and data["threshold"] == 0.75
    text = runner.invoke(main, ["claims", "--db", str(db), "--type", "ASSAULT"])
    assert text.exit_code == 0 and "RUS attacks UKR at zaporizhzhia-npp" in text.output
    one = runner.invoke(main, ["claims", "--id", DRONES, "--db", str(db)])
    assert one.exit_code == 0, one.output
    assert "denied by iran-mfa" in one.output and "relayed from USA" in one.output
    assert "https://reuters.com/news/w1" in one.output
    for bad in (["IRN"], ["--type", "TELEPORT"], ["--since", "yesterday"], ["--id", "AID.IRN"]):
        wrong = runner.invoke(main, ["claims", *bad, "--db", str(db)])
        assert wrong.exit_code == 2, (bad, wrong.output)
    missing = runner.invoke(main, ["claims", "--id", "AID.IRN.RUS.oil", "--db", str(db)])
    assert missing.exit_code == 1 and "no report supports" in missing.output


def test_claims_told_by_several_outlets_under_the_threshold_are_shown_apart(
    tmp_path: Path,
) -> None:
    from ledger_support import Ev, add
    from newsparallax.watches import load_watch

    store = Store(tmp_path / "u.db")
    watch = load_watch()
    store.sync_outlets(watch.outlets, watch=watch.name)
    with store:
        # one claim, two outlets, every report at 0.6: counted nowhere, shown apart
        add(store, "u1", "reuters.com", "2022-10-16", "Iran sends missiles to Russia.",
            [Ev("AID", "IRN", "RUS", "sends", cameo="072", confidence=0.6)])  # fmt: skip
        relayed = Ev("AID", "IRN", "RUS", "sends", cameo="072", asserted=False, confidence=0.62)
        add(store, "u2", "ukrinform.net", "2022-10-17", "Iran sends missiles to Russia, media say.",
            [relayed])  # fmt: skip
        # one outlet only, or under the floor: not shown
        add(store, "u3", "cnn.com", "2022-10-18", "Russia sends tanks to Iran.",
            [Ev("AID", "RUS", "IRN", "sends", cameo="072", confidence=0.6)])  # fmt: skip
        add(store, "u4", "bbc.co.uk", "2022-10-19", "Iran meets Russia.",
            [Ev("CONSULT", "IRN", "RUS", "meets", confidence=0.3)])  # fmt: skip
        add(store, "u5", "dw.com", "2022-10-19", "Iran meets Russia again.",
            [Ev("CONSULT", "IRN", "RUS", "meets", confidence=0.3)])  # fmt: skip
    with Store(tmp_path / "u.db", readonly=True) as ro:
        found = ledger(ro, LedgerQuery(a="IRN", b="RUS")).as_dict()
    assert found["total"] == 0  # nothing counts
    (claim,) = found["unconfirmed"]
    assert claim["source"] == "IRN" and claim["type"] == "AID" and claim["articles"] == 2
