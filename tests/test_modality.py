"""Feared, supposed and hypothetical events, and events that are only a reason for another."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsparallax.analyze.modality import background, hypothetical


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("Officials fear Iran could supply Russia with missiles.", "supply"),
        ("If Iran sends ballistic missiles, Europe will respond.", "sends"),
        ("It is very likely that Russia buys drones from Iran, Zelensky said.", "buys"),
        ("White House says Iran is preparing to supply Russia with drones.", "supply"),
        ("Iran plans to supply Russia with drones, US warns.", "supply"),
        ("Instead of concluding an agreement, Kiev turned them all down.", "concluding"),
        ("Иран может поставить России баллистические ракеты.", "поставить"),
        ("Эксперты опасаются, что Иран передаст ракеты.", "передаст"),
        ("اگر ایران موشک به روسیه بفرستد، اروپا پاسخ می‌دهد.", "بفرستد"),
        ("Deliveries of the missiles are possible next month.", "Deliveries"),
    ],
)
def test_hypothetical_events(sentence: str, trigger: str) -> None:
    assert hypothetical(sentence, trigger) is not None


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("Iran admits supplying drones to Russia.", "supplying"),
        ("Putin and Pezeshkian signed the treaty in Moscow.", "signed"),
        ("In May Iran delivered a first batch of drones.", "delivered"),
        ("Russian forces struck Kharkiv overnight, officials said.", "struck"),
        ("Россия и Иран подписали договор о стратегическом партнёрстве.", "подписали"),
        # a modal in another clause does not govern the event
        ("Iran delivered the drones; what Russia could do next is unclear.", "delivered"),
    ],
)
def test_events_told_as_facts(sentence: str, trigger: str) -> None:
    assert hypothetical(sentence, trigger) is None


def test_an_intention_keeps_its_words_of_intent() -> None:
    sentence = "Ukraine is ready to discuss non-NATO models of security."
    assert hypothetical(sentence, "discuss") == "ready to"
    assert hypothetical(sentence, "discuss", intent=True) is None
    assert hypothetical("If asked, Iran is ready to send drones.", "send", intent=True) == "if"


def test_background_events() -> None:
    assert background(
        "The remarks come amid allegations that Tehran is supplying Moscow with drones.",
        "supplying",
    )
    assert background("In response to Iran's supply of weapons, Kyiv expelled envoys.", "supply")
    assert background("Iran admits supplying drones to Russia.", "supplying") is None


def test_the_coders_stored_mood_is_heeded(tmp_path: Path) -> None:
    """A store whose events carry the coder's mood (store migration 12): a report stored as
    hypothetical is no milestone, though its sentence has no cue of ours."""
    from newsparallax.analyze.timeline import timeline
    from relations_support import add, ev, open_store

    with open_store(tmp_path / "s.db") as store:
        names = {d[0] for d in store.conn.execute("SELECT * FROM events LIMIT 0").description}
        if "mood" not in names:
            store.conn.execute("ALTER TABLE events ADD COLUMN mood TEXT NOT NULL DEFAULT 'fact'")
        for outlet in ("reuters.com", "tass.com"):
            add(
                store,
                outlet,
                date(2024, 3, 1),
                "Iran sends drones to Russia",
                [ev("AID", "IRN", "RUS")],
            )
        store.conn.execute("UPDATE events SET mood = 'hypothetical'")
        store.conn.commit()
        found = timeline(store, "IRN", "RUS")
    assert found["milestones"] == []
    assert found["left_out"]["hypothetical"] == {"mood: hypothetical": 2}
