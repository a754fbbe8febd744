"""Stale-while-revalidate in the web cache: under a busy writer, requests do not queue behind
the recomputation of an expensive value, and a response built from a stale value has no ETag."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from newsparallax.watches import load_watch
from newsparallax.web.app import SecurityHeaders
from newsparallax.web.context import STALE_GRACE, WebContext, served_stale, track_stale


def _ctx(tmp_path: Path, refresh: float) -> tuple[WebContext, list[str]]:
    ctx = WebContext(
        db=tmp_path / "none.db",
        watch=load_watch(),
        token=None,
        read_access="local",
        refresh=refresh,
    )
    version = ["0:a"]
    ctx.fingerprint = lambda: version[0]  # type: ignore[method-assign]
    return ctx, version


def _recompute_in_background(ctx: WebContext, value: int) -> tuple[threading.Event, list[int]]:
    """Start a thread computing ``value`` for "x" that blocks until the event is set."""
    release, started, out = threading.Event(), threading.Event(), []

    def compute() -> int:
        started.set()
        release.wait(10)
        return value

    threading.Thread(target=lambda: out.append(ctx.cached("x", compute)), daemon=True).start()
    assert started.wait(10)
    return release, out


def test_a_recent_value_is_served_while_the_new_one_is_computed(tmp_path: Path) -> None:
    ctx, version = _ctx(tmp_path, refresh=5.0)
    assert ctx.cached("x", lambda: 1) == 1
    version[0] = "0:b"  # the store changed
    release, out = _recompute_in_background(ctx, 2)
    marks = track_stale()
    t0 = time.perf_counter()
    assert ctx.cached("x", lambda: 99) == 1  # no wait, no second computation
    assert time.perf_counter() - t0 < 1 and marks == ["x"]
    release.set()
    deadline = time.monotonic() + 10
    while not out and time.monotonic() < deadline:
        time.sleep(0.01)
    assert out == [2]
    assert ctx.cached("x", lambda: 99) == 2 and marks == ["x"]  # fresh: not marked again


@pytest.mark.parametrize("refresh", [0.0, 5.0])
def test_callers_wait_when_no_recent_value_or_no_refresh(
    tmp_path: Path, refresh: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, version = _ctx(tmp_path, refresh=refresh)
    assert ctx.cached("x", lambda: 1) == 1
    if refresh:  # the previous value is older than the grace period
        now = time.monotonic() + STALE_GRACE * refresh + 1
        monkeypatch.setattr("newsparallax.web.context.time.monotonic", lambda: now)
    version[0] = "0:b"
    release, _ = _recompute_in_background(ctx, 2)
    threading.Timer(0.3, release.set).start()
    marks = track_stale()
    assert ctx.cached("x", lambda: 99) == 2  # waited for the computation in flight
    assert marks == []


def test_a_reloaded_watch_never_gets_a_stale_value(tmp_path: Path) -> None:
    ctx, version = _ctx(tmp_path, refresh=5.0)
    assert ctx.cached("x", lambda: 1) == 1
    ctx.generation += 1  # as reload_watch does
    version[0] = "1:a"
    release, _ = _recompute_in_background(ctx, 2)
    threading.Timer(0.3, release.set).start()
    assert ctx.cached("x", lambda: 99) == 2


def test_a_response_built_from_a_stale_value_has_no_etag() -> None:
    app = FastAPI()
    app.add_middleware(SecurityHeaders)

    @app.get("/thing")
    def thing(request: Request, stale: bool = False) -> dict[str, bool]:  # runs in a thread
        request.state.etag = '"v2"'
        if stale:
            served_stale("thing")
        return {"stale": stale}

    with TestClient(app) as client:
        fresh = client.get("/thing")
        assert fresh.headers["etag"] == '"v2"' and fresh.headers["cache-control"] == "no-cache"
        old = client.get("/thing", params={"stale": True})
        assert old.status_code == 200 and "etag" not in old.headers
        assert "content-security-policy" in old.headers
        assert client.get("/thing").headers["etag"] == '"v2"'  # marks do not leak


def test_background_refresh_never_makes_a_caller_wait(tmp_path: Path) -> None:
    ctx, version = _ctx(tmp_path, refresh=5.0)
    assert ctx.cached("x", lambda: 1, background=True) == 1  # nothing before: computed here
    version[0] = "0:b"
    release, threads = threading.Event(), []

    def compute() -> int:
        threads.append(threading.current_thread().name)
        release.wait(10)
        return 2

    marks = track_stale()
    t0 = time.perf_counter()
    assert ctx.cached("x", compute, background=True) == 1  # the first caller does not wait
    assert ctx.cached("x", compute, background=True) == 1  # nor the next, nor a 2nd compute
    assert time.perf_counter() - t0 < 1 and marks == ["x", "x"]
    release.set()
    deadline = time.monotonic() + 10
    while ctx.cached("x", compute, background=True) != 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ctx.cached("x", compute, background=True) == 2
    assert len(threads) == 1 and threads[0].startswith("parallax-refresh")
    ctx.close()


def test_a_failed_background_refresh_is_tried_again(tmp_path: Path) -> None:
    ctx, version = _ctx(tmp_path, refresh=5.0)
    assert ctx.cached("x", lambda: 1, background=True) == 1
    version[0] = "0:b"
    calls = []

    def broken() -> int:
        calls.append(1)
        raise RuntimeError("boom")

    assert ctx.cached("x", broken, background=True) == 1
    deadline = time.monotonic() + 10
    while ("x", "0:b") in ctx._flights and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ctx.cached("x", lambda: 3, background=True) in (1, 3)  # a new attempt starts
    deadline = time.monotonic() + 10
    while ctx.cached("x", lambda: 3, background=True) != 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert calls == [1] and ctx.cached("x", lambda: 3) == 3
    ctx.close()
