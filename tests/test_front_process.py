"""The front of the pipeline in a spawned worker process (the monitor of ``serve --monitor``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor_support import build_site, write_watch
from newsparallax.annotate.pipeline import Doc
from newsparallax.annotate.spawned import FrontProcess
from newsparallax.annotate.workers import Failed
from newsparallax.monitor.cycle import Monitor
from newsparallax.monitor.fetcher import FetchConfig
from newsparallax.monitor.frontier import Frontier
from newsparallax.monitor.netguard import NetPolicy
from newsparallax.monitor.replay import ReplayServer
from newsparallax.store.database import Store
from newsparallax.watches import Watch, load_watch


@pytest.fixture
def watch(tmp_path: Path) -> Watch:
    return load_watch(str(write_watch(tmp_path)))


def _page(n: int) -> Doc:
    text = " ".join(
        f"Officials in the capital met delegates for round {n} of talks on trade, sentence {i}."
        for i in range(12)
    )
    return Doc(
        source=f"https://news.test/a{n}",
        url=f"https://news.test/a{n}",
        html=f"<html><head><title>Round {n}</title></head><body><article><p>{text}</p>"
        "</article></body></html>",
    )


def _stored(tmp_path: Path, watch: Watch, workers: int) -> dict[str, tuple[str, str, int]]:
    site = tmp_path / f"site{workers}"
    urls = build_site(site, {"news.test": 3, "other.test": 2})
    with ReplayServer(site) as srv, Store(tmp_path / f"db{workers}.sqlite") as store:
        config = FetchConfig(
            user_agent="ParallaxBot/0.1 (tests)", host_delay=0.0, via=srv.url, policy=NetPolicy()
        )
        frontier = Frontier(store)
        for host in urls:
            frontier.add_feed(f"https://{host}/feed.xml")
        with Monitor(
            store,
            watch,
            config=config,
            interval=0.0,
            warc_dir=tmp_path / f"warc{workers}",
            concurrency=3,
            pipeline_workers=workers,
        ) as monitor:
            summary = monitor.cycle()
        assert summary.stored == 5 and summary.errors == [], summary.as_dict()
        return {a.id: (a.text, a.language, len(a.mentions)) for a in store.articles()}


def test_worker_process_stores_what_the_thread_stores(tmp_path: Path, watch: Watch) -> None:
    in_thread = _stored(tmp_path, watch, 0)
    in_process = _stored(tmp_path, watch, 1)
    assert len(in_thread) == 5
    assert in_process == in_thread


def test_a_dead_worker_is_replaced(watch: Watch) -> None:
    front = FrontProcess(watch, workers=1)
    try:
        first = front.result(_page(1), front.submit(_page(1)))
        assert isinstance(first, Doc) and "round 1" in first.text
        for pid in list(front._pool._processes or {}):
            os.kill(pid, signal.SIGKILL)
        results = []
        for n in (2, 3, 4):  # the doc in hand when the worker died may fail, never raise
            results.append(front.result(_page(n), front.submit(_page(n))))
        assert all(isinstance(r, Doc | Failed) for r in results)
        assert isinstance(results[-1], Doc) and "round 4" in results[-1].text
        failed = [r for r in results if isinstance(r, Failed)]
        assert all(f.code == "internal" for f in failed)
    finally:
        front.close()


def test_workers_must_be_positive(watch: Watch) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        FrontProcess(watch, workers=0)


PARENT = """
import os, sys
from newsparallax.annotate.spawned import FrontProcess
from newsparallax.annotate.pipeline import Doc
from newsparallax.watches import load_watch

front = FrontProcess(load_watch(sys.argv[1]), workers=1)
doc = Doc(source="x", url="https://news.test/x", html="<p>" + "Talks went on. " * 40 + "</p>")
front.result(doc, front.submit(doc))
print(*front._pool._processes, flush=True)
os.kill(os.getpid(), 9)  # dies without shutting the pool down
"""


def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    watch = write_watch(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", PARENT, str(watch)], capture_output=True, text=True, timeout=120
    )
    pids = [int(p) for p in done.stdout.split()]
    assert done.returncode == -signal.SIGKILL and len(pids) == 1, done.stderr
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pids[0]):
        time.sleep(0.2)
    assert not _alive(pids[0])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
