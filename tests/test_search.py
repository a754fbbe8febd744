from __future__ import annotations

from pathlib import Path

import pytest

from newsparallax.ingest import ingest
from newsparallax.store.database import Store
from newsparallax.store.search import (
    QueryError,
    full_text_match,
    make_snippet,
    parse_query,
    ranked,
    search,
)
from newsparallax.watches import load_watch


@pytest.fixture
def store(sample_jsonl: Path, store_ref: str) -> Store:
    s = Store(store_ref)
    ingest([str(sample_jsonl)], store=s, watch=load_watch("iran-russia"))
    return s


def test_russian_inflections_find_each_other(store: Store) -> None:
    for query in ("санкции", "санкций", "санкциям", "Тегерану"):
        hits = search(store, query)
        assert [h.language for h in hits] == ["ru"], query
    assert search(store, "санкции", lang="en") == []


def test_persian_and_english(store: Store) -> None:
    hits = search(store, "تحریم")
    assert len(hits) == 1 and hits[0].language == "fa"
    assert hits[0].published == "2025-01"  # an estimated month stays a month
    hits = search(store, "sanction")  # porter: sanction ~ sanctions
    assert len(hits) == 1 and hits[0].outlet == "reuters.com"


def test_duplicates_fold_into_the_original(store: Store) -> None:
    hits = search(store, "drone production")
    assert len(hits) == 1 and hits[0].duplicates == 1
    assert len(search(store, "drone production", include_duplicates=True)) == 2


def test_filters(store: Store) -> None:
    assert len(search(store, "Russia OR России OR روسیه")) == 3
    assert search(store, "drone", since="2023-02") == []
    assert len(search(store, "drone", until="2023-01-10")) == 1
    assert len(search(store, "drone", camp="western")) == 1
    assert search(store, "drone", camp="iranian_state") == []
    # an outlet by id, name or one of its domains, as the API's outlet filter
    for outlet in ("tass.com", "TASS", "tass.ru"):
        assert [h.outlet for h in search(store, "санкции", outlet=outlet)] == ["tass.com"]
    assert search(store, "санкции", outlet="reuters.com") == []
    assert search(store, "санкции", outlet="no-such-outlet") == []
    assert search(store, "drone -Tatarstan") == []
    assert len(search(store, '"drone production"')) == 1
    assert len(search(store, "Tatar*")) == 1
    with pytest.raises(QueryError):
        search(store, "drone", since="last week")


def test_snippet_highlights_match_original_words() -> None:
    text = "Сегодня министр заявил, что новые санкции против Ирана незаконны."
    snippet, highlights = make_snippet(text, parse_query("санкция иран").terms)
    assert [snippet[s:e] for s, e in highlights] == ["санкции", "Ирана"]


def test_empty_query_is_an_error() -> None:
    with pytest.raises(QueryError):
        parse_query("  !!! ")


def test_russian_prefixes_are_not_lemmatised(store: Store) -> None:
    """«Росси*» is a word's beginning: lemmatised it became «росся» and found nothing."""
    for query in ("Росси*", "росси*", "Тегера*", "санкци*"):
        hits = search(store, query)
        assert [h.language for h in hits] == ["ru"], query
    assert search(store, "Росси* -санкции") == []
    hits = search(store, "Тегера*")
    assert [hits[0].snippet[s:e] for s, e in hits[0].highlights] == ["Тегераном"]


def test_prefix_terms_highlight_the_words_they_begin() -> None:
    parsed = parse_query("Tatar* Росси*")
    assert parsed.terms == {"tatar*", "росси*"}
    text = "A plant in Tatarstan builds drones for Россией and Россия."
    snippet, highlights = make_snippet(text, parsed.terms)
    assert [snippet[s:e] for s, e in highlights] == ["Tatarstan", "Россией", "Россия"]


@pytest.mark.parametrize("count", [1, 2, 3, 20])
def test_filtered_ranking_is_that_of_one_query(store: Store, count: int) -> None:
    """The full-text index ranks a first round of candidates alone and only they are filtered;
    when too few pass, the one query answers: the same hits whatever the first round's size."""
    parsed = parse_query("Russia OR России OR روسیه OR drone")
    match = full_text_match(store, parsed)
    for where, params in (([], []), (["o.camp = ?"], ["western"]), (["a.language = ?"], ["ru"])):
        expected = ranked(store, match, where, params, count=count, candidates=10_000)
        assert expected, where
        for candidates in (1, 2, 3):
            got = ranked(store, match, where, params, count=count, candidates=candidates)
            assert got == expected, (where, candidates)
