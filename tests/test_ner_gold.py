"""Entity-gold loaders (``bench/ner_gold.py``) and the actor scorer (``bench/actors_eval.py``).

The loaders are checked on the real gold in ``../shared/data/ner`` (skipped when absent) and on
small hand-made files; the scorer on hand-made cases.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import SHARED_DATA

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import actors_eval as ae
import ner_gold as ng

NER = SHARED_DATA / "ner"
needs_gold = pytest.mark.skipif(not NER.is_dir(), reason="shared entity gold not available")


def _check_docs(docs: list[ng.GoldDoc], language: set[str], min_docs: int) -> Counter[str]:
    assert len(docs) >= min_docs
    assert len({d.id for d in docs}) == len(docs)
    types: Counter[str] = Counter()
    for doc in docs:
        assert doc.language in language
        for e in doc.entities:
            span = doc.text[e.start : e.end]
            assert 0 <= e.start < e.end <= len(doc.text)
            assert span.strip(), (doc.id, e)
            assert e.type in ng.TYPES
            types[e.type] += 1
        for e in doc.ignored:
            assert 0 <= e.start < e.end <= len(doc.text)
    return types


# --- real gold ---------------------------------------------------------------------------------


@needs_gold
def test_slavicner_offsets_types_and_countries() -> None:
    docs = list(ng.load_slavicner(NER / "slavicner"))
    types = _check_docs(docs, {"ru", "uk"}, 500)
    assert min(types.values()) > 5000
    assert {d.language for d in docs} == {"ru", "uk"}
    # the loader's spans are the TSV's surface strings
    doc = docs[0]
    tsv = NER / "slavicner" / (doc.id + ".tsv")
    surfaces = [line.split("\t")[2] for line in tsv.read_text(encoding="utf-8").splitlines()]
    spans = [doc.text[e.start : e.end] for e in (*doc.entities, *doc.ignored)]
    assert set(spans) == set(surfaces)
    countries = Counter(e.country for d in docs for e in d.entities if e.country)
    assert countries["RUS"] > 500 and countries["USA"] > 1000
    assert {e.type for d in docs for e in d.ignored} <= {"EVT", "PRO"}


@needs_gold
def test_nerel_top_level_and_nested() -> None:
    docs = list(ng.load_nerel(NER / "nerel"))
    types = _check_docs(docs, {"ru"}, 500)
    assert min(types.values()) > 3000
    for doc in docs[:200]:
        for e in doc.entities:
            assert not any(
                o.start <= e.start and e.end <= o.end and (o.start, o.end) != (e.start, e.end)
                for o in doc.entities
            )
    nested_countries = [e for d in docs for e in d.ignored if e.type == "LOC" and e.country]
    assert len(nested_countries) > 100
    countries = Counter(e.country for d in docs for e in d.entities if e.country)
    assert countries.most_common(1)[0][0] == "RUS"
    assert sum(countries.values()) > 2000
    ignored_types = {e.type for d in docs for e in d.ignored}
    assert {"PROFESSION", "NATIONALITY", "FACILITY"} <= ignored_types


@needs_gold
def test_arman_rebuilt_text() -> None:
    docs = list(ng.load_arman(NER / "arman-persian"))
    types = _check_docs(docs, {"fa"}, 200)
    assert min(types.values()) > 1500
    assert all(d.id.split("/")[-1].startswith("test_fold") for d in docs)
    assert "،" in docs[0].text and " ،" not in docs[0].text


@needs_gold
def test_re3d_rebuilt_text() -> None:
    docs = list(ng.load_re3d(NER / "re3d"))
    types = _check_docs(docs, {"en"}, 50)
    assert min(types.values()) > 300
    text = "\n".join(d.text for d in docs)
    assert " ," not in text and " ." not in text
    assert {"Weapon", "Nationality"} <= {e.type for d in docs for e in d.ignored}


@needs_gold
def test_load_by_name_and_spread() -> None:
    docs = list(ng.load("re3d", NER))
    picked = ae.spread(docs, 7)
    assert len(picked) == 7 and picked[0] is docs[0]
    assert len({d.id for d in picked}) == 7
    assert ae.spread(docs, None) == docs


# --- hand-made files ---------------------------------------------------------------------------


def test_country_codes() -> None:
    assert ng.country_code("Russia") == "RUS"
    assert ng.country_code("Great Britain") == "GBR"
    assert ng.country_code("Republic of South Africa") == "ZAF"
    assert ng.country_code("North Korea") == "PRK"
    assert ng.country_code("Россия") == "RUS"
    assert ng.country_code("США") == "USA"
    assert ng.country_code("Объединённые Арабские Эмираты") == "ARE"
    assert ng.country_code("Georgia") == "GEO"
    assert ng.country_code("Georgia US state") is None
    assert ng.country_code("Moscow") is None
    assert ng.country_code("European Union") is None


def test_detokenize_offsets() -> None:
    tokens = ["The", "army", "(", "SAA", ")", "of", "Syria", "'", "s", "pro", "-", "Assad"]
    tokens += ["regime", "said", ":", '"', "no", '"', "."]
    text, offsets = ng.detokenize(tokens)
    assert text == 'The army (SAA) of Syria\'s pro-Assad regime said: "no".'
    assert [text[a:b] for a, b in offsets] == tokens
    fa, fa_offsets = ng.detokenize(["وزیر", "«", "خارجه", "»", "،", "گفت", "."])
    assert fa == "وزیر «خارجه»، گفت."
    assert fa_offsets[2] == (6, 11)


def test_iob_spans() -> None:
    assert ng.iob_spans(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG"]) == [
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "LOC"),
        (5, 6, "ORG"),
    ]
    assert ng.iob_spans(["I-loc", "I-loc", "O"]) == [(0, 2, "loc")]


def test_token_loaders_glob_generically(tmp_path: Path) -> None:
    arman = tmp_path / "arman"
    arman.mkdir()
    (arman / "ReadMe.txt").write_text("A corpus.\nAnother line.\n", encoding="utf-8")
    fold = "سفر O\nبه O\nمسکو B-loc\n. O\n\nعلی B-pers\nآمد O\n"
    (arman / "test_fold1.txt").write_text(fold, encoding="utf-8")
    (arman / "test_fold3.txt").write_text(fold, encoding="utf-8")
    (arman / "train_fold1.txt").write_text(fold, encoding="utf-8")
    docs = list(ng.load_arman(arman, per_doc=1))
    assert [d.id for d in docs] == ["test_fold1#0", "test_fold1#1", "test_fold3#0", "test_fold3#1"]
    assert docs[0].text == "سفر به مسکو."
    assert [(e.type, docs[0].text[e.start : e.end]) for e in docs[0].entities] == [("LOC", "مسکو")]

    re3d = tmp_path / "re3d" / "test"
    re3d.mkdir(parents=True)
    conll = "-DOCSTART-\tO\n\nIraq\tB-Organisation\nsaid\tO\n\n-DOCSTART-\tO\n\nT-72\tB-Weapon\n"
    (re3d / "x.conll").write_text(conll, encoding="utf-8")
    docs = list(ng.load_re3d(tmp_path / "re3d"))
    assert [d.id for d in docs] == ["test/x#0", "test/x#1"]
    assert docs[0].entities == [ng.GoldEntity(0, 4, "ORG")]
    assert docs[1].entities == [] and docs[1].ignored == [ng.GoldEntity(0, 4, "Weapon")]


def test_nerel_brat(tmp_path: Path) -> None:
    split = tmp_path / "test"
    split.mkdir()
    text = "Правительство Киргизии и США.\r\nМинистр Иванов"
    (split / "1_text.txt").write_bytes(text.encode("utf-8"))
    ann = (
        "T1\tORGANIZATION 0 22\tПравительство Киргизии\n"
        "T2\tCOUNTRY 14 22\tКиргизии\n"
        "T3\tCOUNTRY 25 28\tСША\n"
        "T4\tPROFESSION 31 38\tМинистр\n"
        "T5\tPERSON 39 45\tИванов\n"
        "T6\tORGANIZATION 0 13;25 28\tПравительство США\n"
        "N1\tReference T2 Wikidata:Q813\tКиргизия\n"
        "N2\tReference T3 Wikidata:Q30\tСША\n"
        "R1\tLOCATED_IN Arg1:T1 Arg2:T2\n"
    )
    (split / "1_text.ann").write_text(ann, encoding="utf-8")
    (split / "orphan.txt").write_text("no annotations", encoding="utf-8")
    [doc] = list(ng.load_nerel(tmp_path))
    assert doc.id == "test/1_text" and doc.language == "ru"
    assert [(doc.text[e.start : e.end], e.type, e.country) for e in doc.entities] == [
        ("Правительство Киргизии", "ORG", None),
        ("США", "LOC", "USA"),
        ("Иванов", "PER", None),
    ]
    assert ng.GoldEntity(14, 22, "LOC", "KGZ") in doc.ignored
    assert ng.GoldEntity(31, 38, "PROFESSION") in doc.ignored
    assert ng.GoldEntity(0, 28, "ORG") in doc.ignored  # discontinuous


def test_slavicner_layout(tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "topic" / "ru"
    tsvs = tmp_path / "ner" / "topic" / "ru"
    raw.mkdir(parents=True)
    tsvs.mkdir(parents=True)
    (raw / "a_1.txt").write_text("Путин прилетел в Тегеран.", encoding="utf-8")
    (tsvs / "a_1.tsv").write_text(
        "0\t5\tПутин\tПутин\tPER\tPER-Vladimir-Putin\n"
        "17\t24\tТегеран\tТегеран\tLOC\tGPE-Tehran\n"
        "0\t5\tПутин\tПутин\tPER\tPER-Vladimir-Putin\n",
        encoding="utf-8",
    )
    (tmp_path / "ner" / "topic" / "pl").mkdir()
    (tmp_path / "ner" / "topic" / "pl" / "b.tsv").write_text("0\t1\tx\tx\tLOC\tGPE-Poland\n")
    [doc] = list(ng.load_slavicner(tmp_path))
    assert doc.id == "ner/topic/ru/a_1"
    assert doc.entities == [ng.GoldEntity(0, 5, "PER"), ng.GoldEntity(17, 24, "LOC")]


# --- scorer ------------------------------------------------------------------------------------


def _doc(entities: list[ng.GoldEntity], ignored: list[ng.GoldEntity] | None = None) -> ng.GoldDoc:
    return ng.GoldDoc("d", "en", "x" * 100, entities, ignored or [])


def _system(*preds: ae.Pred) -> ae.SystemFn:
    return lambda text, language: list(preds)


def test_score_exact_and_lenient() -> None:
    gold = [
        ng.GoldEntity(0, 10, "PER"),
        ng.GoldEntity(20, 30, "ORG"),
        ng.GoldEntity(40, 50, "LOC", "RUS"),
        ng.GoldEntity(60, 70, "LOC"),
    ]
    preds = (
        ae.Pred(0, 10, "PER"),  # exact hit
        ae.Pred(22, 30, "ORG"),  # lenient hit only
        ae.Pred(40, 50, "ORG", "RUS"),  # wrong type; right country
        ae.Pred(80, 85, "LOC"),  # false positive
        ae.Pred(0, 10, "PER"),  # duplicate, counted once
    )
    s = ae.score(_system(*preds), [_doc(gold)])
    assert (s.exact["PER"].tp, s.exact["PER"].fp, s.exact["PER"].fn) == (1, 0, 0)
    assert (s.exact["ORG"].tp, s.exact["ORG"].fp, s.exact["ORG"].fn) == (0, 2, 1)
    assert (s.exact["LOC"].tp, s.exact["LOC"].fp, s.exact["LOC"].fn) == (0, 1, 2)
    assert (s.exact["ALL"].tp, s.exact["ALL"].fp, s.exact["ALL"].fn) == (1, 3, 3)
    assert s.exact["ALL"].precision == pytest.approx(0.25)
    assert s.exact["ALL"].recall == pytest.approx(0.25)
    assert (s.lenient["ALL"].tp, s.lenient["ALL"].fp, s.lenient["ALL"].fn) == (2, 2, 2)
    assert s.lenient["ALL"].f1 == pytest.approx(0.5)
    assert (s.untyped_exact.tp, s.untyped_exact.fp, s.untyped_exact.fn) == (2, 2, 2)
    assert (s.untyped_lenient.tp, s.untyped_lenient.fp, s.untyped_lenient.fn) == (3, 1, 1)
    assert (s.country_total, s.country_resolved, s.country_correct) == (1, 1, 1)
    assert s.docs == 1


def test_score_lenient_is_one_to_one() -> None:
    gold = [ng.GoldEntity(0, 12, "PER")]
    s = ae.score(_system(ae.Pred(0, 5, "PER"), ae.Pred(6, 12, "PER")), [_doc(gold)])
    assert (s.lenient["PER"].tp, s.lenient["PER"].fp, s.lenient["PER"].fn) == (1, 1, 0)


def test_score_ignored_spans_are_neutral() -> None:
    gold = [ng.GoldEntity(0, 10, "ORG")]
    ignored = [ng.GoldEntity(4, 10, "LOC", "IRN"), ng.GoldEntity(30, 40, "NATIONALITY")]
    preds = (ae.Pred(4, 10, "LOC", "IRQ"), ae.Pred(30, 40, "LOC"), ae.Pred(32, 36, "PER"))
    s = ae.score(_system(*preds), [_doc(gold, ignored)])
    assert (s.exact["ALL"].tp, s.exact["ALL"].fp, s.exact["ALL"].fn) == (0, 1, 1)
    assert s.ignored == 2
    assert (s.lenient["ALL"].tp, s.lenient["ALL"].fp, s.lenient["ALL"].fn) == (0, 0, 1)
    assert (s.country_total, s.country_resolved, s.country_correct) == (1, 1, 0)
    strict = ae.score(_system(*preds), [_doc(gold, ignored)], use_ignored=False)
    assert strict.exact["ALL"].fp == 3 and strict.ignored == 0
    assert strict.country_total == 1  # country spans are scored either way


def test_score_empty_and_kind_mapping() -> None:
    s = ae.score(_system(), [_doc([])])
    assert s.exact["ALL"].f1 == 0.0 and s.country_accuracy == 0.0
    assert ae.KIND_TYPES["igo"] == "ORG" and ae.KIND_TYPES["state"] == "LOC"
    assert "weapon" not in ae.KIND_TYPES
    weapon = ae.score(_system(ae.Pred(0, 3, "weapon")), [_doc([])])
    assert weapon.exact["ALL"].fp == 0


def test_missing_dictionary_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "newsparallax.annotate.actors", None)
    systems, notes = ae.systems_for("fa", ["dictionary", "hybrid", "baseline"])
    assert systems == {}
    assert any(n.startswith("dictionary: skipped") for n in notes)
    assert any("baseline: none for 'fa'" in n for n in notes)
