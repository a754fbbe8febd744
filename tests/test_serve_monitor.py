"""`parallax serve --monitor`: the API serves articles the monitor stores while it runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from monitor_support import build_site, write_watch
from newsparallax.monitor.frontier import Frontier
from newsparallax.monitor.replay import ReplayServer
from newsparallax.store.database import Store
from web_support import TOKEN, free_port


def test_serve_with_monitor_serves_what_the_monitor_fetches(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    urls = build_site(site, {"news.test": 3}, skip=20)
    db = tmp_path / "live.db"
    with Store(db) as store:
        Frontier(store).add_feed("https://news.test/feed.xml")
    port = free_port()
    with ReplayServer(site) as srv:
        env = {
            **os.environ,
            "PARALLAX_WATCH": str(write_watch(tmp_path)),
            "PARALLAX_FETCH_VIA": srv.url,
            "PARALLAX_HOST_DELAY": "0.05",
            "PARALLAX_WORKERS": "1",
            "PARALLAX_WARC_DIR": str(tmp_path / "warc"),
            "PARALLAX_API_TOKEN": TOKEN,
            # the feed is due again in an hour: only a request starts a cycle sooner
            "PARALLAX_POLL_INTERVAL": "3600",
        }
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsparallax",
                "serve",
                "--monitor",
                "--allow-private-networks",
                "--db",
                str(db),
                "--port",
                str(port),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            base = f"http://127.0.0.1:{port}/api/v1"
            stored: set[str] = set()
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and len(stored) < 3:
                assert proc.poll() is None, proc.communicate()[1].decode()[-2000:]
                try:
                    page = httpx.get(f"{base}/articles", params={"limit": 50}, timeout=5)
                    if page.status_code == 200:
                        stored = {a["url"] for a in page.json()["items"]}
                except httpx.HTTPError:
                    pass
                time.sleep(0.5)
            assert stored == set(urls["news.test"])  # fetched by the monitor, read by the API
            # a cycle asked for through the API wakes the sleeping monitor
            assert httpx.post(f"{base}/monitor/cycles", timeout=5).status_code == 401
            auth = {"Authorization": f"Bearer {TOKEN}"}
            r = httpx.post(f"{base}/monitor/cycles", headers=auth, timeout=5)
            assert r.status_code == 202 and r.json()["mode"] == "attached", r.text
            run = r.json()
            while run["status"] in ("queued", "running") and time.monotonic() < deadline:
                time.sleep(0.3)
                run = httpx.get(f"http://127.0.0.1:{port}{run['url']}", timeout=5).json()
            assert run["status"] == "done", run
            assert run["summary"]["feeds"] == 1 and run["summary"]["stored"] == 0
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=60)
    assert proc.returncode in (0, -signal.SIGTERM)
