"""The verdict on a relation's latest period (analyze.relations.period_verdict), in the relation
API and on the Relation page: what it says, the minimum it needs and the test behind it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsparallax.analyze import relations
from newsparallax.store.database import Store
from newsparallax.watches import load_watch
from newsparallax.web import create_app
from relations_support import add, ev, open_store

FEB, MAR = date(2024, 2, 1), date(2024, 3, 1)


def _build(path: Path) -> Path:
    """IRN→RUS: six supplies in February, six threats in March, from two outlets each month;
    IRN→CHN: one visit in March."""
    with open_store(path) as store:
        for i in range(6):
            outlet = ("reuters.com", "tass.com")[i % 2]
            add(store, outlet, FEB + timedelta(days=2 * i), f"Iran ships cargo {i}",
                [ev("AID", "IRN", "RUS")])  # fmt: skip
            add(store, outlet, MAR + timedelta(days=2 * i), f"Iran warns Russia {i}",
                [ev("THREATEN", "IRN", "RUS")])  # fmt: skip
        add(store, "reuters.com", MAR, "Iran's minister in Beijing", [ev("CONSULT", "IRN", "CHN")])
        relations.rebuild(store)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("verdict") / "verdict.db")


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, load_watch("iran-russia")), client=("127.0.0.1", 40000)) as c:
        yield c


def test_the_last_month_against_the_month_before(db: Path) -> None:
    with Store(db, readonly=True) as store:
        found = relations.period_verdict(store, "IRN", "RUS", freq="month", until="2024-03-31")
        quiet = relations.period_verdict(store, "IRN", "CHN", freq="month", until="2024-03")
        clock = relations.period_verdict(store, "IRN", "RUS", freq="month")
    assert found is not None and found["verdict"] == "cooling" and found["enough"]
    assert found["period"] == {"start": "2024-03-01", "end": "2024-03-31"}
    assert found["previous_period"] == {"start": "2024-02-01", "end": "2024-02-29"}
    assert found["current"]["events"] == 6 and found["previous"]["events"] == 6
    assert found["cooperation_share"]["ci95"][1] < 0
    assert found["minimum"] == {"events": 5, "outlets": 2}
    assert quiet is not None and quiet["verdict"] == "too little to tell"
    assert "at least 5 events" in quiet["reason"]
    # without `until`: the data's clock, the newest article's day (11 March)
    assert clock is not None and clock["period"]["end"] == "2024-03-11"


def test_the_relation_api_and_page_show_the_verdict(client: TestClient) -> None:
    r = client.get("/api/v1/relations/IRN/RUS", params={"freq": "month", "until": "2024-03-31"})
    assert r.status_code == 200, r.text
    assert r.json()["verdict"]["verdict"] == "cooling"
    html = client.get("/relations/IRN/RUS?freq=month&until=2024-03-31").text
    assert "Verdict: 2024-03-01 – 2024-03-31 against 2024-02-01 – 2024-02-29" in html
    assert 'class="verdict-word verdict-cooling">cooling<' in html
    assert "A verdict needs at least 5 events from 2 outlets" in html
    assert "exact binomial test" in html and "95 % interval of the change" in html
    weekly = client.get("/relations/IRN/CHN?freq=week&until=2024-03-03").text
    assert "too little to tell" in weekly and "not met here" in weekly
