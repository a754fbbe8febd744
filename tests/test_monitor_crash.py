"""Crash safety: SIGKILL the monitor mid-cycle again and again, then let it finish; the store
must equal that of an uninterrupted run (no URL lost, no article twice). Also a clean SIGTERM."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor_support import build_site, write_watch
from newsparallax.monitor.frontier import Frontier
from newsparallax.monitor.replay import ReplayServer
from newsparallax.store.database import Store

# The annotation stages other issues add (actors, events, themes) take seconds to load in every
# process; they are not what is tested here, so the runner leaves them out (both runs alike).
RUNNER = """\
import sys
import newsparallax.ingest
newsparallax.ingest.ANNOTATION_STAGES = ()
from newsparallax.cli.main import main
from newsparallax.cli.monitor import register
register(main)
main(sys.argv[1:], prog_name="parallax")
"""


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[ReplayServer, Path, dict[str, str], list[str]]]:
    site = tmp_path / "site"
    site.mkdir()
    urls = build_site(site, {"news.test": 5, "other.test": 4, "third.test": 4}, skip=10)
    script = tmp_path / "runner.py"
    script.write_text(RUNNER)
    env = {
        **os.environ,
        "PARALLAX_WATCH": str(write_watch(tmp_path)),
        "PARALLAX_HOST_DELAY": "0.05",
        "PARALLAX_CONCURRENCY": "3",
        "PARALLAX_WORKERS": "1",
    }
    feeds = [f"https://{host}/feed.xml" for host in urls]
    with ReplayServer(site) as srv:
        env["PARALLAX_FETCH_VIA"] = srv.url
        yield srv, script, env, feeds


def _start(script: Path, env: dict[str, str], db: Path, *args: str) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, str(script), *args, "--db", str(db)]
    return subprocess.Popen(
        cmd,
        env={**env, "PARALLAX_WARC_DIR": str(db.parent / "warc")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _run(script: Path, env: dict[str, str], db: Path, *args: str) -> str:
    proc = _start(script, env, db, *args)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    return out.decode()


def _add_feeds(db: Path, feeds: list[str]) -> None:
    with Store(db) as store:
        for feed in feeds:
            Frontier(store).add_feed(feed)


def _snapshot(db: Path) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    conn = sqlite3.connect(db)
    articles = conn.execute(
        "SELECT id, url, title, content_hash, language FROM articles ORDER BY id"
    ).fetchall()
    frontier = conn.execute(
        "SELECT id, url, state, article_id FROM frontier ORDER BY id"
    ).fetchall()
    conn.close()
    return articles, frontier


def test_sigkill_mid_cycle_loses_nothing_and_duplicates_nothing(
    setup: tuple[ReplayServer, Path, dict[str, str], list[str]], tmp_path: Path
) -> None:
    srv, script, env, feeds = setup
    (tmp_path / "ref").mkdir()
    (tmp_path / "crash").mkdir()
    ref, crash = tmp_path / "ref" / "db.sqlite", tmp_path / "crash" / "db.sqlite"
    for db in (ref, crash):
        _add_feeds(db, feeds)
    _run(script, env, ref, "watch", "--once", "--interval", "0", "--json")
    expected = _snapshot(ref)
    assert len(expected[0]) == 13 and {r[2] for r in expected[1]} == {"done"}

    rng = random.Random(3)
    kills = 0
    for _ in range(4):
        before = len(srv.log)
        proc = _start(script, env, crash, "watch", "--once", "--interval", "0")
        wanted = before + rng.randint(2, 14)  # kill after this many requests reached the server
        deadline = time.monotonic() + 20
        while len(srv.log) < wanted and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=20)
    assert kills >= 3
    partial = _snapshot(crash)
    assert len(partial[0]) < 13 or kills < 4  # the kills did cut work short
    _run(script, env, crash, "watch", "--once", "--interval", "0")
    got = _snapshot(crash)
    assert got == expected
    with Store(crash) as store:  # the store is intact and searchable
        assert store.count() == 13
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sigterm_finishes_the_work_in_hand_and_exits(
    setup: tuple[ReplayServer, Path, dict[str, str], list[str]], tmp_path: Path
) -> None:
    srv, script, env, feeds = setup
    db = tmp_path / "db.sqlite"
    _add_feeds(db, feeds)
    env = {**env, "PARALLAX_HOST_DELAY": "0.3"}
    proc = _start(script, env, db, "watch", "--interval", "3600")  # runs until stopped
    deadline = time.monotonic() + 20
    while len(srv.log) < 8 and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    started = time.monotonic()
    _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err.decode()
    assert time.monotonic() - started < 5
    articles, frontier = _snapshot(db)
    states = [r[2] for r in frontier]
    assert len(frontier) == 13 and 0 < len(articles) < 13
    assert states.count("done") == len(articles)  # everything fetched was stored
    assert set(states) <= {"done", "new"}  # the rest waits for the next run
