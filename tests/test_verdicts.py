"""Verdicts on a relation between two periods: a stated minimum, a test, an interval."""

from __future__ import annotations

import pytest

from newsparallax.analyze.verdicts import (
    PeriodCounts,
    binomial_two_sided,
    newcombe_difference,
    verdict,
    wilson,
)


def test_one_event_against_none_is_too_little_to_tell() -> None:
    found = verdict(
        PeriodCounts(events=1, cooperation=1, outlets=1), PeriodCounts(events=0, outlets=0)
    )
    assert found["verdict"] == "too little to tell" and not found["enough"]
    assert "at least 5 events" in found["reason"] and found["minimum"]["events"] == 5


def test_one_event_against_two_is_not_cooling() -> None:
    found = verdict(
        PeriodCounts(events=1, conflict=1, outlets=1),
        PeriodCounts(events=2, cooperation=2, outlets=2),
    )
    assert found["verdict"] == "too little to tell"
    assert found["cooperation_share"]["ci95"][0] < 0 < found["cooperation_share"]["ci95"][1]


def test_many_events_from_one_outlet_are_too_little() -> None:
    found = verdict(PeriodCounts(events=9, outlets=1), PeriodCounts(events=0, outlets=0))
    assert found["verdict"] == "too little to tell" and "2 outlets" in found["reason"]


def test_new_activity_needs_the_test_to_pass() -> None:
    new = verdict(PeriodCounts(events=8, cooperation=8, outlets=3), PeriodCounts(events=0))
    assert new["verdict"] == "new activity" and new["enough"]
    assert new["test"]["p_value"] < 0.05
    silent = verdict(PeriodCounts(events=0), PeriodCounts(events=7, outlets=4))
    assert silent["verdict"] == "fell silent"
    # five events against none is p = 0.0625: enough evidence, but within chance
    borderline = verdict(PeriodCounts(events=5, outlets=2), PeriodCounts(events=0))
    assert borderline["verdict"] == "steady" and "within chance" in borderline["reason"]


def test_warming_and_cooling_need_an_interval_clear_of_zero() -> None:
    warm = verdict(
        PeriodCounts(events=20, cooperation=17, conflict=3, outlets=5),
        PeriodCounts(events=20, cooperation=4, conflict=16, outlets=5),
    )
    assert warm["verdict"] == "warming"
    assert warm["cooperation_share"]["ci95"][0] > 0 and "95% CI" in warm["reason"]
    cool = verdict(
        PeriodCounts(events=20, cooperation=4, conflict=16, outlets=5),
        PeriodCounts(events=20, cooperation=17, conflict=3, outlets=5),
    )
    assert cool["verdict"] == "cooling"
    same = verdict(
        PeriodCounts(events=10, cooperation=6, conflict=4, outlets=3),
        PeriodCounts(events=10, cooperation=4, conflict=6, outlets=3),
    )
    assert same["verdict"] == "steady" and same["enough"]


def test_more_activity_with_the_same_tone() -> None:
    busier = verdict(
        PeriodCounts(events=40, cooperation=30, conflict=10, outlets=6),
        PeriodCounts(events=10, cooperation=7, conflict=3, outlets=4),
    )
    assert busier["verdict"] == "more activity" and busier["test"]["p_value"] < 0.05
    assert "no clear change of tone" in busier["reason"]
    # the same counts over a period four times as long: one rate, steady
    longer = verdict(
        PeriodCounts(events=40, cooperation=30, conflict=10, outlets=6, days=28),
        PeriodCounts(events=10, cooperation=7, conflict=3, outlets=4, days=7),
    )
    assert longer["verdict"] == "steady"


def test_quiet() -> None:
    assert verdict(PeriodCounts(events=0), PeriodCounts(events=0))["verdict"] == "quiet"


def test_the_statistics_against_known_values() -> None:
    # binom.test(5, 5, 0.5) in R: p = 0.0625; binom.test(3, 10, 0.5): p = 0.3437
    assert binomial_two_sided(5, 5, 0.5) == pytest.approx(0.0625)
    assert binomial_two_sided(3, 10, 0.5) == pytest.approx(0.34375)
    # Wilson 95% for 0/10: (0, 0.2775); Newcombe (1998) example 56/70 - 48/80: (0.0524, 0.3339)
    assert wilson(0, 10)[1] == pytest.approx(0.2775, abs=1e-4)
    d, lo, hi = newcombe_difference(56, 70, 48, 80)
    assert d == pytest.approx(0.2) and lo == pytest.approx(0.0524, abs=1e-3)
    assert hi == pytest.approx(0.3339, abs=1e-3)
