"""``parallax serve`` for real: a server process called over HTTP, and the dashboard clicked
through in a real browser (Debian chromium driven by playwright; never `playwright install`)."""

from __future__ import annotations

import select
import shutil
import socket
from collections.abc import Iterable, Iterator
from pathlib import Path

import httpx
import pytest

from newsparallax.web import CSP
from web_support import TOKEN, build_store, start_server, stop_server

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("serve")
    db = build_store(folder)
    outlets = folder / "outlets.toml"
    outlets.write_text("# outlets added through the API\n", encoding="utf-8")
    proc, base = start_server(
        db, env={"PARALLAX_API_TOKEN": TOKEN, "PARALLAX_OUTLETS": str(outlets)}
    )
    try:
        yield base
    finally:
        stop_server(proc)


def test_serve_answers_over_http(server: str) -> None:
    health = httpx.get(f"{server}/api/v1/health")
    assert health.status_code == 200 and health.json()["articles"] == 6
    assert health.headers["content-security-policy"] == CSP
    page = httpx.get(f"{server}/")
    assert page.status_code == 200 and "<svg" in page.text
    new = {"id": "example.org", "name": "Example", "camp": "western"}
    assert httpx.post(f"{server}/api/v1/outlets", json=new).status_code == 401
    r = httpx.post(
        f"{server}/api/v1/outlets", json=new, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert r.status_code == 201, r.text
    assert httpx.get(f"{server}/api/v1/outlets/example.org").json()["camp"] == "western"
    export = httpx.get(f"{server}/api/v1/articles", params={"format": "jsonl"})
    assert len(export.text.splitlines()) == 5


def _raw(base: str, head: str, chunks: Iterable[bytes] = ()) -> bytes:
    """Send a request head, then body pieces until the server answers or closes, on a socket
    of its own; what the server sent back before it closed (within 10 s)."""
    url = httpx.URL(base)
    assert url.host and url.port
    data = b""
    with socket.create_connection((url.host, url.port), timeout=10) as s:
        s.sendall(head.encode())
        try:
            for chunk in chunks:
                s.sendall(chunk)
                if select.select([s], [], [], 0)[0]:
                    break  # it answered
        except OSError:  # it closed the connection while we were sending
            pass
        try:
            while piece := s.recv(65536):
                data += piece
        except OSError:  # a timeout, or a reset after the answer
            pass
    return data


def _head(path: str, *lines: str) -> str:
    return "".join(
        f"{line}\r\n" for line in (f"POST {path} HTTP/1.1", "Host: 127.0.0.1", *lines, "")
    )


def test_big_bodies_are_refused_without_being_read(server: str) -> None:
    """Issue 15, D4: a 200 MB upload is answered at once, not read first."""
    auth = f"Authorization: Bearer {TOKEN}"
    json_type = "Content-Type: application/json"
    huge = f"Content-Length: {200 * 1024 * 1024}"
    # declared too large: 413 before a byte of the body is sent, with or without the token
    for lines in ((auth, json_type, huge), (json_type, huge)):
        answer = _raw(server, _head("/api/v1/outlets", *lines))
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
        assert b"PARALLAX_MAX_REQUEST_BYTES" in answer
    # no token: 401 before the body is read (none is sent)
    chunked = "Transfer-Encoding: chunked"
    answer = _raw(server, _head("/api/v1/outlets", json_type, chunked))
    assert answer.startswith(b"HTTP/1.1 401 "), answer[:200]
    # streamed with the token: cut off once over the limit (1 MiB by default)
    piece = b"x" * 65536
    pieces = (b"%x\r\n%s\r\n" % (len(piece), piece) for _ in range(4 * 16))
    answer = _raw(server, _head("/api/v1/outlets", auth, json_type, chunked), pieces)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert httpx.get(f"{server}/api/v1/health").status_code == 200  # still serving


def test_hosts_other_than_localhost_are_refused(server: str) -> None:
    """Issue 15: a page whose DNS rebinds to 127.0.0.1 sends its own name as the Host."""
    port = httpx.URL(server).port
    r = httpx.get(f"{server}/api/v1/health", headers={"Host": f"rebind.example:{port}"})
    assert r.status_code == 400 and "PARALLAX_ALLOWED_HOSTS" in r.json()["detail"]
    assert httpx.get(f"{server}/", headers={"Host": "rebind.example"}).status_code == 400
    ok = httpx.get(f"{server}/api/v1/health", headers={"Host": f"localhost:{port}"})
    assert ok.status_code == 200


def test_dashboard_in_a_real_browser(server: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: install it with `apt-get install chromium`")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{server}/")
            chart = page.locator("#coverage-chart")
            chart.wait_for()
            box = chart.bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 100
            bars = page.locator("#coverage-chart rect")
            assert bars.count() >= 3
            first = bars.first.bounding_box()
            assert first is not None and first["height"] > 0
            assert bars.first.evaluate("r => getComputedStyle(r).fill") != "none"
            shot = chart.screenshot()
            assert len(shot) > 2000  # a drawn chart, not an empty box
            # overview -> the Persian article (the newest): right to left
            page.locator("ol.articles a.title[lang=fa]").first.click()
            page.wait_for_url("**/articles/**")
            text = page.locator("article .text")
            assert text.evaluate("e => getComputedStyle(e).direction") == "rtl"
            assert "تهران" in text.inner_text()
            assert page.locator("a.mention").count() >= 1
            page.locator("article h1").screenshot()
            # the hostile article: shown as text, nothing ran, nothing blocked by the CSP
            page.goto(f"{server}/search?q=transport")
            page.locator("a.title").first.click()
            page.wait_for_url("**/articles/**")
            assert "<script>" in page.locator("article h1").inner_text()
            assert page.evaluate("() => document.querySelectorAll('script, img').length") == 0
            assert not errors, errors
        finally:
            browser.close()


def test_python_m_entry_point_help() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "newsparallax.web", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--port" in out and "--watch" in out and "PARALLAX_API_TOKEN" in out
    assert shutil.which(sys.executable)


def test_overview_story_article_in_a_real_browser(tmp_path: Path) -> None:
    """Click through overview → story → article; the relation chart renders."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: install it with `apt-get install chromium`")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    from web_support import add_insight

    db = build_store(tmp_path)
    add_insight(db)
    proc, base = start_server(db)
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{base}/")
                page.locator("li.story-item a.title").first.click()
                page.wait_for_url("**/stories/**")
                assert page.locator("svg").count() >= 1  # the camp lanes of the story
                page.locator("a[href^='/articles/']").first.click()
                page.wait_for_url("**/articles/**")
                assert page.locator("article h1").inner_text().strip()
                page.goto(f"{base}/")
                page.locator("a[href^='/relations/']").first.click()
                page.wait_for_url("**/relations/**")
                chart = page.locator("svg").first
                box = chart.bounding_box()
                assert box is not None and box["width"] > 300 and box["height"] > 100
                assert len(chart.screenshot()) > 2000  # drawn, not an empty box
            finally:
                browser.close()
    finally:
        stop_server(proc)


def test_change_points_blindspots_and_filters_in_a_real_browser(tmp_path: Path) -> None:
    """The relation chart's change-point marker is drawn and opens that week's events; the
    overview's blindspot leads to the story's articles; the Search page filters by theme."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: install it with `apt-get install chromium`")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    from datetime import timedelta

    from newsparallax.analyze import relations
    from relations_support import open_store
    from web_support import SHIFT_START, add_blindspot, add_shift

    db = tmp_path / "marks.db"
    store = open_store(db)
    shift_week = add_shift(store)
    add_blindspot(store, SHIFT_START + timedelta(weeks=30))
    relations.rebuild(store)
    store.close()
    proc, base = start_server(db)
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                errors: list[str] = []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.goto(f"{base}/relations/IRN/RUS?freq=week&both=true")
                marker = page.locator("svg .changes a").first
                line = page.locator("svg .changes line").first
                box = line.bounding_box()
                assert box is not None and box["height"] > 100  # from the top of the plot down
                assert line.evaluate("l => getComputedStyle(l).strokeDasharray") != "none"
                assert shift_week in (marker.get_attribute("aria-label") or "")
                assert len(page.locator("figure.chart").first.screenshot()) > 2000
                marker.click()
                page.wait_for_url("**/events?**")
                assert f"since={shift_week}" in page.url
                assert page.locator("text=Iran and Russia talk 12-0").count() >= 1
                page.goto(f"{base}/")
                section = page.locator("section[aria-labelledby=blindspots-h]")
                assert "Drone plant <b>report</b>" in section.inner_text()
                section.locator("a", has_text="4 articles").click()
                page.wait_for_url("**/search?**")
                assert page.locator("li.article-item").count() == 4
                page.goto(f"{base}/search")
                page.select_option("#theme", index=1)
                page.locator("form.filters button[type=submit]").click()
                page.wait_for_url("**theme=**")
                assert page.locator("#theme").input_value() != ""
                assert not errors, errors
            finally:
                browser.close()
    finally:
        stop_server(proc)
