"""The shipped dictionary, user files over it, the CLI and the pipeline stage."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsparallax.annotate.actors import ActorDictionary, DictionaryError, Matcher
from newsparallax.annotate.actors.dictionary import SHIPPED
from newsparallax.cli.main import main


@pytest.fixture(scope="module")
def shipped() -> ActorDictionary:
    return ActorDictionary.load()


def test_shipped_dictionary_is_versioned_and_covers_every_state(shipped: ActorDictionary) -> None:
    with gzip.open(SHIPPED, "rt", encoding="utf-8") as fh:
        header = json.loads(fh.readline())
    assert header["dictionary"] == "parallax-actors" and header["entries"] == len(shipped)
    states = [a for a in shipped if a.kind == "state"]
    assert len(states) >= 193
    for actor in states:
        assert actor.country == actor.id and len(actor.id) == 3
    # Every state has a name in the three languages of the watch.
    missing = [a.id for a in states if not all(a.names.get(lang) for lang in ("en", "ru", "fa"))]
    assert len(missing) <= 10, missing


def test_user_toml_adds_overrides_and_patches(tmp_path: Path, shipped: ActorDictionary) -> None:
    user = tmp_path / "mine.toml"
    user.write_text(
        """
[[actor]]
id = "zz-test-militia"
kind = "armed_group"
country = "IRQ"
sector = "REB"
en = ["Brigade of the Test Dawn"]
ru = ["Бригада Тестового Рассвета"]

[[patch]]
id = "IRN"
en = ["the Islamic Republic"]
cues = ["Tehran"]
""",
        encoding="utf-8",
    )
    mine = shipped.apply(user)
    assert mine["zz-test-militia"].source == "user:mine.toml"
    assert "the Islamic Republic" in mine["IRN"].names["en"]
    assert "Iran" in mine["IRN"].names["en"]  # a patch adds, it does not replace
    found = Matcher(mine).find("Бригаду Тестового Рассвета обвинили; the Islamic Republic denied.")
    assert [(m.actor, m.country) for m in found] == [("zz-test-militia", "IRQ"), ("IRN", "IRN")]


def test_user_csv_and_yaml(tmp_path: Path, shipped: ActorDictionary) -> None:
    csv_file = tmp_path / "extra.csv"
    csv_file.write_text(
        "id,kind,country,sector,en,ru,short_en,unique_short\n"
        "zz-acme-drones,organisation,IRN,BUS,Acme Drone Works|Acme Drones,Акме Дрон,Acme,true\n",
        encoding="utf-8",
    )
    yaml_file = tmp_path / "extra.yaml"
    yaml_file.write_text("patch:\n  - id: zz-acme-drones\n    sector: MIL\n", encoding="utf-8")
    mine = shipped.apply(csv_file).apply(yaml_file)
    acme = mine["zz-acme-drones"]
    assert acme.names["en"] == ("Acme Drone Works", "Acme Drones") and acme.sector == "MIL"
    assert [m.actor for m in Matcher(mine).find("Acme shipped parts.")] == ["zz-acme-drones"]


def test_broken_user_files_say_which_file_and_why(tmp_path: Path, shipped: ActorDictionary) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[[actor]]\nid = 'x'\nkind = 'dragon'\nen = ['X']\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"bad\.toml.*dragon"):
        shipped.apply(bad)
    patch = tmp_path / "patch.toml"
    patch.write_text("[[patch]]\nid = 'no-such-actor'\nen = ['Y']\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="no-such-actor"):
        shipped.apply(patch)
    with pytest.raises(DictionaryError, match="unsupported"):
        shipped.apply(tmp_path / "x.txt")


def test_search_finds_names_in_any_language_and_inflection(shipped: ActorDictionary) -> None:
    assert shipped.search("Iran")[0].id == "IRN"
    assert shipped.search("Ирана")[0].id == "IRN"  # lemmatised like the text
    assert shipped.search("ايران")[0].id == "IRN"  # Arabic yeh


def test_cli_search_and_show(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["actors", "search", "Россия", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["id"] == "RUS"
    shown = runner.invoke(main, ["actors", "show", "RUS", "--json", "--date", "2024-01-01"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["resolved"]["country"] == "RUS" and "Россия" in data["names"]["ru"]
    missing = runner.invoke(main, ["actors", "show", "no-such-actor-zz"])
    assert missing.exit_code != 0 and "no actor" in missing.output
    bad_date = runner.invoke(main, ["actors", "show", "RUS", "--date", "yesterday"])
    assert bad_date.exit_code != 0


def test_stage_matches_title_summary_and_text() -> None:
    from newsparallax.annotate.actors.stage import ActorsStage
    from newsparallax.annotate.pipeline import Doc

    stage = ActorsStage()
    doc = Doc(source="t", title="Iran and Russia talk", summary="Russia hosts the talks.")
    doc.language = "en"
    stage(doc)
    assert [(m.field, m.actor) for m in doc.mentions] == [
        ("title", "IRN"),
        ("title", "RUS"),
        ("summary", "RUS"),
    ]
    for m in doc.mentions:
        source = doc.title if m.field == "title" else doc.summary
        assert source[m.start : m.end] == m.text
    assert stage.counts["state"] == 3 and stage.counts["articles_with_actors"] == 1

    body = Doc(source="t", title="", summary="Russia hosts.", text="Iran replied.")
    stage(body)  # with a body, the summary (usually its lead) is not matched again
    assert [(m.field, m.actor) for m in body.mentions] == [("text", "IRN")]


def test_dates_without_roles_keep_the_entry_defaults(shipped: ActorDictionary) -> None:
    assert shipped["IRN"].resolve(date(2020, 1, 1)) == ("IRN", None)


def _header(path: Path) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        head: dict[str, Any] = json.loads(fh.readline())
    return head


def test_shipped_dictionary_is_rebuilt_from_its_sources(tmp_path: Path) -> None:
    """Whoever edits dictionary/*.toml must run `make actors`: the shipped file is what the
    build makes of the sources, byte for byte. When it is not, the message names the inputs
    whose digest differs from the one recorded in the shipped header."""
    from newsparallax.annotate.actors import build

    if not build.DEFAULT_PHOENIX.exists():
        pytest.skip("the Phoenix dictionaries (../shared) are not beside the checkout")
    recorded = _header(SHIPPED).get("inputs", {})
    now = build.input_digests(build.DEFAULT_SOURCES, build.DEFAULT_PHOENIX)
    drifted = sorted(k for k in recorded.keys() | now.keys() if recorded.get(k) != now.get(k))
    assert not drifted, (
        f"inputs changed since the shipped dictionary was built: {drifted}; "
        "run `make actors` and commit the result"
    )
    out = tmp_path / "actors.jsonl.gz"
    build.write(build.build(), out, inputs=now)
    assert out.read_bytes() == SHIPPED.read_bytes(), (
        "the inputs are unchanged but the build differs (the build code changed): "
        "run `make actors` and commit the result"
    )


def test_build_needs_no_babel_and_names_a_drifted_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build reads CLDR names from the generated source file, not from whichever babel is
    installed; the recorded digests tell which input changed."""
    import shutil
    import sys

    from newsparallax.annotate.actors import build

    monkeypatch.setitem(sys.modules, "babel", None)  # importing babel now fails
    monkeypatch.setitem(sys.modules, "pycountry", None)
    sources = tmp_path / "dictionary"
    shutil.copytree(build.DEFAULT_SOURCES, sources)
    before = build.input_digests(sources, None)
    actors = {a.id: a for a in build.build(sources=sources, phoenix=None)}
    assert "Ukraine" in actors["UKR"].names["en"] and "Украина" in actors["UKR"].names["ru"]
    cldr = json.loads((sources / build.CLDR_FILE).read_text("utf-8"))
    assert cldr["babel"] and cldr["pycountry"]  # the versions it was generated from
    cldr["states"]["UKR"]["en"].append("Ukraina")
    build.write_cldr(cldr, sources / build.CLDR_FILE)
    after = build.input_digests(sources, None)
    assert [k for k in after if after[k] != before[k]] == ["dictionary/cldr_states.json"]
    rebuilt = {a.id: a for a in build.build(sources=sources, phoenix=None)}
    assert "Ukraina" in rebuilt["UKR"].names["en"]


def test_ingest_stores_mentions_and_unknown_reports_missing_names(
    tmp_path: Path, db_path: Path
) -> None:
    from conftest import record, write_jsonl

    text = (
        "Iran and Russia discussed the Zorbanian Accord on Monday. Officials said the "
        "Zorbanian Accord would be signed soon. The Kremlin welcomed the Zorbanian Accord."
    )
    rows = [
        record(
            url=f"https://example.org/a{i}",
            domain="example.org",
            language="en",
            published=f"2025-02-0{i + 1}",
            title=f"Talks {i}",
            text=text + f" Item {i}.",
        )
        for i in range(3)
    ]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", str(source), "--db", str(db_path), "--json"])
    assert ingested.exit_code == 0, ingested.output
    from newsparallax.store.database import Store

    with Store(db_path, readonly=True) as store:
        article = next(iter(store.articles()))
    assert {m.actor for m in article.mentions} >= {"IRN", "RUS"}
    for m in article.mentions:
        source_text = article.title if m.field == "title" else article.text
        assert source_text[m.start : m.end] == m.text
    result = runner.invoke(
        main,
        ["actors", "unknown", "--db", str(db_path), "--no-ner", "--min-count", "2", "--json"],
    )
    assert result.exit_code == 0, result.output
    names = {u["name"]: u for u in json.loads(result.output)}
    assert "Zorbanian Accord" in names and names["Zorbanian Accord"]["count"] >= 3
    assert not any("Iran" in n or "Kremlin" in n for n in names)  # the dictionary knows those
