"""A change-point alert states its trend with the evidence behind it, or says it is too little to
tell (analyze.verdicts)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from newsparallax.analyze import alerts, relations
from newsparallax.analyze.alerts import Rule
from newsparallax.watches import load_watch
from relations_support import add, ev, open_store

D0 = date(2024, 1, 1)
RULE = Rule(id="shift", kind="changepoint", dyads=(("IRN", "RUS"),), both=True, min_size=4)


def _shift(path: Path, outlets: tuple[str, ...]) -> dict:  # type: ignore[type-arg]
    """IRN↔RUS talks at one event a week for 12 weeks, then six a week, told by ``outlets``."""
    store = open_store(path)
    for week in range(24):
        for k in range(1 if week < 12 else 6):
            add(
                store,
                outlets[(week + k) % len(outlets)],
                D0 + timedelta(days=7 * week + k % 7),
                f"Iran and Russia talk {week}-{k}",
                [ev("CONSULT", "IRN", "RUS", source_actor=f"official-{k}")],
            )
    relations.rebuild(store)
    alerts.evaluate(store, load_watch(), rules=[RULE], sinks=[])
    [alert] = alerts.list_alerts(store, include_acked=True)
    store.close()
    return alert


def test_a_shift_told_by_one_outlet_is_too_little_to_tell(tmp_path: Path) -> None:
    alert = _shift(tmp_path / "one.db", ("reuters.com",))
    assert alert["detail"]["verdict"] == "too little to tell"
    assert "too little to tell" in alert["title"] and "2 outlets" in alert["title"]


def test_a_shift_told_widely_states_its_test(tmp_path: Path) -> None:
    alert = _shift(tmp_path / "wide.db", ("reuters.com", "tass.com", "irna.ir"))
    detail = alert["detail"]["verdict_detail"]
    assert alert["detail"]["verdict"] == "more activity"
    assert detail["current"]["events"] == 72 and detail["previous"]["events"] == 12
    assert detail["test"]["p_value"] < 0.05 and "binomial test" in alert["title"]


def test_the_alerts_page_shows_the_verdict_its_minimum_and_test(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsparallax.web import create_app

    _shift(tmp_path / "page.db", ("reuters.com", "tass.com", "irna.ir"))
    app = create_app(tmp_path / "page.db", load_watch())
    with TestClient(app, client=("127.0.0.1", 40000)) as client:
        html = client.get("/alerts?include_acked=true").text
    assert "Verdict <strong>more activity</strong>" in html
    assert "It needs at least 5 events from 2 outlets" in html and "p = " in html
    assert ">Iran and Russia talk " in html  # the articles by their headlines, not their ids
