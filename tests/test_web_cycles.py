"""``POST /api/v1/monitor/cycles``: a monitor cycle asked for through the API.

Without a monitor in the server, the request runs one real cycle in a background thread (here
against a replayed site); with the monitor attached (``parallax serve --monitor``, see
test_serve_monitor.py) it wakes the sleeping monitor. Requests coalesce while one is queued."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from monitor_support import build_site, write_watch
from newsparallax.monitor.cycle import CycleSummary
from newsparallax.monitor.frontier import Frontier
from newsparallax.monitor.replay import ReplayServer
from newsparallax.store.database import Store
from newsparallax.watches import load_watch
from newsparallax.web import create_app
from newsparallax.web.cycles import CycleRunner, MonitorStopped
from web_support import AUTH, LOCAL, TOKEN


def _poll(client: TestClient, url: str, *, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run: dict[str, Any] = client.get(url).json()
        if run["status"] in ("done", "failed"):
            return run
        time.sleep(0.2)
    raise AssertionError(f"{url} did not finish in {timeout} s")


def test_on_demand_cycle_fetches_the_feeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    urls = build_site(site, {"news.test": 2}, skip=30)
    db = tmp_path / "live.db"
    with Store(db) as store:
        Frontier(store).add_feed("https://news.test/feed.xml")
    with ReplayServer(site) as srv:
        for name, value in {
            "PARALLAX_FETCH_VIA": srv.url,
            "PARALLAX_HOST_DELAY": "0.05",
            "PARALLAX_WORKERS": "1",
            "PARALLAX_WARC_DIR": str(tmp_path / "warc"),
            "PARALLAX_ALLOW_PRIVATE_NETWORKS": "true",
        }.items():
            monkeypatch.setenv(name, value)
        app = create_app(db, load_watch(str(write_watch(tmp_path))), TOKEN)
        with TestClient(app, client=LOCAL) as c:
            assert c.post("/api/v1/monitor/cycles").status_code == 401
            wrong = c.post("/api/v1/monitor/cycles", headers={"Authorization": "Bearer x"})
            assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
            assert c.get("/api/v1/monitor").json()["recent"] == []  # nothing ran
            r = c.post("/api/v1/monitor/cycles", headers=AUTH)
            assert r.status_code == 202, r.text
            run = r.json()
            assert run["mode"] == "on_demand" and run["status"] in ("queued", "running")
            assert r.headers["location"] == run["url"] == f"/api/v1/monitor/cycles/{run['id']}"
            done = _poll(c, run["url"])
            assert done["status"] == "done", done
            assert done["summary"]["stored"] == 2 and done["started"] and done["finished"]
            stored = {a["url"] for a in c.get("/api/v1/articles").json()["items"]}
            assert stored == set(urls["news.test"])
            again = c.post("/api/v1/monitor/cycles", headers=AUTH).json()
            assert again["id"] == run["id"] + 1
            second = _poll(c, again["url"])
            # feeds=all (the default): the feed is polled again although not due for a while
            assert second["status"] == "done" and second["summary"]["feeds"] == 1
            assert second["summary"]["stored"] == 0
            due = c.post("/api/v1/monitor/cycles?feeds=due", headers=AUTH).json()
            assert _poll(c, due["url"])["summary"]["feeds"] == 0  # its own schedule: not yet
            bad = c.post("/api/v1/monitor/cycles?feeds=some", headers=AUTH)
            assert bad.status_code == 422
            state = c.get("/api/v1/monitor").json()
            assert [x["id"] for x in state["recent"]] == [due["id"], again["id"], run["id"]]
            assert state["mode"] == "on_demand" and state["queued"] is None
            feeds_page = c.get("/feeds").text
            assert "/api/v1/monitor/cycles" in feeds_page
            assert "The last requested cycle: done" in feeds_page
            assert c.get("/api/v1/monitor/cycles/999").status_code == 404
            assert c.get("/api/v1/monitor/cycles/x").status_code == 422


def test_writes_disabled_without_a_token(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    app = create_app(db, load_watch("iran-russia"), None)
    with TestClient(app, client=LOCAL) as c:
        r = c.post("/api/v1/monitor/cycles", headers=AUTH)
        assert r.status_code == 403 and "PARALLAX_API_TOKEN" in r.json()["detail"]


class _FakeMonitor:
    """Counts cycles; each waits for ``gate``; sleeps an hour between cycles (a due time far
    off, so only a request can start the next one soon)."""

    def __init__(self) -> None:
        self.cycles = 0
        self.gate = threading.Event()
        self.gate.set()
        self.started = threading.Event()
        self.fail = False

    def cycle(self) -> CycleSummary:
        self.started.set()
        self.gate.wait(30)
        if self.fail:
            raise OSError("disk full")
        self.cycles += 1
        return CycleSummary(feeds=self.cycles)

    def sleep_time(self) -> float:
        return 3600.0


def _attached() -> tuple[CycleRunner, _FakeMonitor, threading.Thread]:
    runner = CycleRunner("attached")
    monitor = _FakeMonitor()

    def loop() -> None:
        with contextlib.suppress(OSError):  # the failure of the last test: `serve` logs it
            runner.run_monitor(monitor)  # type: ignore[arg-type]

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while monitor.cycles < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert monitor.cycles == 1  # the first cycle runs at once, then it sleeps an hour
    return runner, monitor, thread


def _wait(runner: CycleRunner, run_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        run = runner.get(run_id)
        assert run is not None
        if run.status in ("done", "failed"):
            return run.as_dict()
        time.sleep(0.01)
    raise AssertionError("the run did not finish")


def test_a_request_wakes_the_attached_monitor() -> None:
    runner, monitor, thread = _attached()
    try:
        run, new = runner.request()
        assert new and run.mode == "attached"
        done = _wait(runner, run.id)
        assert done["status"] == "done" and done["summary"]["feeds"] == 2
        assert monitor.cycles == 2  # woken well before its hour of sleep was over
    finally:
        runner.close()
        thread.join(10)
    assert not thread.is_alive()
    with pytest.raises(MonitorStopped):
        runner.request()


def test_requests_coalesce_while_one_is_queued() -> None:
    runner, monitor, thread = _attached()
    try:
        monitor.gate.clear()
        monitor.started.clear()
        first, new = runner.request()
        assert new
        assert monitor.started.wait(10)  # cycle 2 runs, holding the first request
        assert runner.get(first.id).status == "running"  # type: ignore[union-attr]
        second, new = runner.request()
        third, new_third = runner.request()
        assert new and not new_third and third.id == second.id != first.id
        assert runner.state()["queued"]["id"] == second.id
        monitor.gate.set()
        assert _wait(runner, first.id)["summary"]["feeds"] == 2
        assert _wait(runner, second.id)["summary"]["feeds"] == 3
    finally:
        monitor.gate.set()
        runner.close()
        thread.join(10)


def test_a_failed_monitor_fails_the_run_and_refuses_new_ones(tmp_path: Path) -> None:
    runner, monitor, thread = _attached()
    monitor.fail = True
    run, _ = runner.request()
    thread.join(10)
    failed = _wait(runner, run.id)
    assert failed["status"] == "failed" and "disk full" in failed["error"]
    app = create_app(tmp_path / "s.db", load_watch("iran-russia"), TOKEN, cycles=runner)
    with TestClient(app, client=LOCAL) as c:
        r = c.post("/api/v1/monitor/cycles", headers=AUTH)
        assert r.status_code == 409 and "disk full" in r.json()["detail"]
        assert c.get(f"/api/v1/monitor/cycles/{run.id}").json()["status"] == "failed"
