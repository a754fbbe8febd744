"""Events below the store's confidence threshold are stored and listed for inspection, and count
nowhere: not in the relation index, the timeline, alerts, claims or the default event lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsparallax.analyze import relations
from newsparallax.analyze.timeline import timeline
from newsparallax.annotate.events.signals import (
    ConfidenceModel,
    Signals,
    confidence_model,
    event_threshold,
)
from newsparallax.store.events import list_events
from newsparallax.watches import load_watch
from newsparallax.web import create_app
from relations_support import add, ev, open_store
from web_support import LOCAL, TOKEN

DAY = date(2025, 1, 17)


def _store(path: Path):  # type: ignore[no-untyped-def]
    store = open_store(path)
    # one report the model is sure of, one it is not
    add(store, "reuters.com", DAY, "Iran and Russia sign a treaty", [ev("AGREE", "IRN", "RUS")])
    add(
        store,
        "tass.com",
        DAY,
        "Iran hands drones to Russia",
        [ev("AID", "IRN", "RUS", confidence=0.2)],
        hour=12,
    )
    return store


def test_threshold_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARALLAX_EVENT_THRESHOLD", "")
    assert event_threshold() == confidence_model().threshold
    monkeypatch.setenv("PARALLAX_EVENT_THRESHOLD", "0.6")
    assert event_threshold() == 0.6
    for bad in ("1.5", "-0.1", "high"):
        monkeypatch.setenv("PARALLAX_EVENT_THRESHOLD", bad)
        with pytest.raises(ValueError, match="PARALLAX_EVENT_THRESHOLD"):
            event_threshold()


def test_index_counts_only_events_at_the_threshold_and_rebuilds_when_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARALLAX_EVENT_THRESHOLD", "0.5")
    with _store(tmp_path / "t.db") as store:
        relations.rebuild(store)
        [point] = relations.series(store, "IRN", "RUS").points
        assert point["events"] == 1 and point["reports"] == 1
        assert point["material_cooperation"] == 0  # the unsure AID report is not counted
        assert not relations.pending(store)
        monkeypatch.setenv("PARALLAX_EVENT_THRESHOLD", "0.1")
        assert relations.pending(store)  # built at another threshold
        assert relations.update(store).mode == "rebuild"
        [point] = relations.series(store, "IRN", "RUS").points
        assert point["reports"] == 2 and point["material_cooperation"] == 1


def test_lists_show_events_below_the_threshold_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARALLAX_EVENT_THRESHOLD", "0.5")
    with _store(tmp_path / "t.db") as store:
        kept = list_events(store)
        assert [e.type for e in kept.events] == ["AGREE"] and kept.reports == 1
        every = list_events(store, below_threshold=True)
        assert sorted(e.type for e in every.events) == ["AGREE", "AID"]
        milestones = timeline(store, "IRN", "RUS")["milestones"]
        assert milestones and all(m["kind"] != "supply" for m in milestones)
    app = create_app(tmp_path / "t.db", load_watch("iran-russia"), TOKEN, outlets_file=None)
    with TestClient(app, client=LOCAL) as client:
        shown = client.get("/api/v1/events").json()["items"]
        assert [e["type"] for e in shown] == ["AGREE"]
        shown = client.get("/api/v1/events", params={"below_threshold": "true"}).json()["items"]
        assert sorted(e["type"] for e in shown) == ["AGREE", "AID"]
        page = client.get("/events", params={"below_threshold": "true"}).text
        assert "below threshold" in page and "confidence 0.2" in page


def test_confidence_is_the_calibrated_precision_and_zero_for_what_never_counts() -> None:
    model = ConfidenceModel(
        {"bias": 0.0, "src=syntax": 2.0},
        threshold=0.75,
        calibration={"en": [(0.3, 0.4), (0.8, 0.9)]},
    )
    sure = Signals(language="en", tier="curated", source="syntax", target="syntax")
    unsure = Signals(language="en", tier="curated", source="none", target="syntax")
    assert model.confidence(sure) == 0.9  # score 0.88: the precision of events scoring >= 0.8
    assert model.confidence(unsure) == 0.4  # score 0.5
    for never in (
        Signals(language="en", tier="curated", source="syntax", target="syntax", mood="cancelled"),
        Signals(language="en", tier="curated", source="syntax", target="syntax", context="sports"),
        Signals(language="en", tier="curated", source="syntax", target="syntax", self_loop=True),
    ):
        assert model.confidence(never) == 0.0
    uncalibrated = Signals(language="fa", tier="curated", source="syntax", target="syntax")
    assert model.confidence(uncalibrated) == pytest.approx(0.881, abs=1e-3)
