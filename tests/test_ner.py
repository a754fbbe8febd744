"""Optional statistical NER (``newsparallax.annotate.ner``): the model tests skip without the
extra."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator

import pytest

from newsparallax.annotate import ner

RU_TEXT = (
    "Министр иностранных дел России Сергей Лавров встретился в Тегеране с главой МИД Ирана. "
    "Стороны обсудили строительство железной дороги."
)
EN_TEXT = (
    "Russian President Vladimir Putin met Iranian officials in Kazan on Tuesday. "
    "The International Atomic Energy Agency was not invited."
)


@pytest.fixture
def fake_language(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """A backend ``xx`` that tags every word starting with a capital as LOC; counts loads."""
    loads: list[int] = []

    def load() -> ner.Tagger:
        loads.append(1)

        def tag(text: str) -> list[ner.Span]:
            spans: list[ner.Span] = []
            pos = 0
            for word in text.split(" "):
                if word[:1].isupper():
                    spans.append((pos, pos + len(word.rstrip(".\n")), "LOC"))
                pos += len(word) + 1
            return spans

        return tag

    backend = ner._Backend("fake", (), load, 40)
    monkeypatch.setitem(ner._BACKENDS, "xx", backend)
    monkeypatch.setitem(ner._LABEL_MAPS, "fake", {"LOC": "LOC"})
    monkeypatch.delitem(ner._taggers, "fake", raising=False)
    yield loads
    ner._taggers.pop("fake", None)


def test_unsupported_language_is_unavailable() -> None:
    assert not ner.available("fa")
    with pytest.raises(ner.NerUnavailable, match="no statistical NER model"):
        ner.entities("تهران", "fa")
    assert issubclass(ner.NerUnavailable, RuntimeError)


def test_missing_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ner, "_installed", lambda module: False)
    assert not ner.available("ru")
    with pytest.raises(ner.NerUnavailable, match=r"newsparallax\[ner\]"):
        ner.entities(RU_TEXT, "ru")


def test_chunks_cover_text_and_cut_at_boundaries() -> None:
    text = "Alpha beta gamma.\nDelta epsilon. Zeta eta theta iota kappa lambda mu nu xi."
    pieces = list(ner.chunks(text, 24))
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 24 for _, p in pieces)
    assert all(text[o : o + len(p)] == p for o, p in pieces)
    assert pieces[0][1] == "Alpha beta gamma.\n"
    assert list(ner.chunks("x" * 10, 4)) == [(0, "xxxx"), (4, "xxxx"), (8, "xx")]
    assert list(ner.chunks("", 4)) == []


def test_long_text_offsets_and_lazy_single_load(fake_language: list[int]) -> None:
    text = "the river Volga and the city Kazan.\n" * 5 + "  Tehran"
    found = ner.entities(text, "xx-XX")
    assert [e.text for e in found] == ["Volga", "Kazan"] * 5 + ["Tehran"]
    assert all(text[e.start : e.end] == e.text for e in found)
    ner.entities(text, "xx")
    assert fake_language == [1]


def test_concurrent_first_use_loads_once(fake_language: list[int]) -> None:
    results: list[list[ner.Entity]] = []
    barrier = threading.Barrier(6)

    def work() -> None:
        barrier.wait()
        results.append(ner.entities("In Moscow and Tehran.", "xx"))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert fake_language == [1]
    assert len(results) == 6 and all(r == results[0] for r in results)
    assert [e.text for e in results[0]] == ["In", "Moscow", "Tehran"]


def test_entity_is_frozen() -> None:
    entity = ner.Entity(start=0, end=3, text="ООН", label="ORG")
    with pytest.raises(dataclasses.FrozenInstanceError):
        entity.label = "LOC"  # type: ignore[misc]


def test_russian_natasha() -> None:
    pytest.importorskip("natasha")
    assert ner.available("ru")
    found = ner.entities(RU_TEXT, "ru")
    assert all(RU_TEXT[e.start : e.end] == e.text for e in found)
    assert {e.label for e in found} <= set(ner.LABELS)
    pairs = {(e.text, e.label) for e in found}
    assert ("Сергей Лавров", "PER") in pairs
    assert ("Тегеране", "LOC") in pairs
    assert ner.entities("   ", "ru") == []


def test_english_spacy_maps_labels() -> None:
    pytest.importorskip("spacy")
    if not ner.available("en"):
        pytest.skip("no English spaCy model installed")
    found = ner.entities(EN_TEXT, "en-GB")
    assert all(EN_TEXT[e.start : e.end] == e.text for e in found)
    pairs = {(e.text, e.label) for e in found}
    assert ("Vladimir Putin", "PER") in pairs
    assert ("Kazan", "LOC") in pairs
    assert any(e.label == "ORG" and "Atomic Energy Agency" in e.text for e in found)
    assert not any(e.text in ("Iranian", "Russian", "Tuesday") for e in found)  # NORP, DATE


def test_threads_share_one_model() -> None:
    pytest.importorskip("natasha")
    expected = ner.entities(RU_TEXT, "ru")
    results: list[list[ner.Entity]] = []
    threads = [
        threading.Thread(target=lambda: results.append(ner.entities(RU_TEXT, "ru")))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4
