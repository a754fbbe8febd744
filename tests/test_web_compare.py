"""The Compare page and ``/api/v1/compare`` (the camp comparison library over a capped window)
and the per-story claims and framing on the story page, on the small web store with a story."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsparallax.report.charts import interval_bars
from newsparallax.watches import load_watch
from newsparallax.web import create_app, insight
from web_support import LOCAL, TOKEN, add_insight, build_store, safe_elements

EVIL = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_store(tmp_path_factory.mktemp("compare"))
    add_insight(path)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, load_watch("iran-russia"), TOKEN), client=LOCAL) as c:
        yield c


def _links(html: str) -> list[str]:
    return [str(a.get("href")) for t, a in safe_elements(html) if t == "a"]


def test_api_defaults_to_the_last_30_days_and_caps_long_windows(client: TestClient) -> None:
    r = client.get("/api/v1/compare")
    assert r.status_code == 200
    d = r.json()
    assert d["window"] == {
        "since": "2024-12-02",
        "until": "2025-01-01",
        "capped": False,
        "default_days": 30,
        "max_days": 92,
    }
    assert d["stories_missing"] is None
    assert set(d) >= {"coverage", "emphasis", "framing", "claims", "tone", "selection"}
    wide = client.get("/api/v1/compare?since=2023-01-01&until=2025-01-01").json()
    assert wide["window"]["capped"] is True and wide["window"]["since"] == "2024-10-01"
    # the last stored article (Persian, Iranian state media) is in the window: its themes and
    # its tone toward the watch's states, with its id
    camp = wide["emphasis"]["camps"]["iranian_state"]
    assert camp["articles"] == 1 and camp["themes"]
    assert all(t["article_ids"] for t in camp["themes"].values())
    assert "IRN" in wide["tone"]["actors"]


@pytest.mark.parametrize(
    "query",
    [
        "camps=nope",
        "since=yesterday",
        "since=2024-05-01&until=2024-01-01",
        f"theme={EVIL}",
        "theme=martian_affairs",
    ],
)
def test_api_refuses_bad_parameters(client: TestClient, query: str) -> None:
    assert client.get(f"/api/v1/compare?{query}").status_code == 422
    page = client.get(f"/compare?{query}")
    assert page.status_code == 422
    safe_elements(page.text)


def test_page_renders_emphasis_tone_and_links_to_the_articles(client: TestClient) -> None:
    r = client.get("/compare?camps=iranian_state,western&since=2024-11-01&until=2025-01-01")
    assert r.status_code == 200
    html = r.text
    links = _links(html)
    assert 'aria-current="page"' in html and 'href="/compare"' in html  # in the nav
    assert "Theme emphasis" in html and "Tone toward" in html
    assert any(h.startswith("/articles/") for h in links)
    assert any(h.startswith("#em-iranian_state-") for h in links)  # bars → table cells
    assert 'class="whisker"' in html
    assert "/api/v1/compare?camps=iranian_state%2Cwestern" in html
    assert "never more than 92 days" in html


def test_page_says_when_the_window_was_cut(client: TestClient) -> None:
    html = client.get("/compare?since=2020&until=2025").text
    assert "only the last 92 days of it are compared" in html


def test_page_and_api_without_stories_say_run_cluster(tmp_path: Path) -> None:
    path = build_store(tmp_path)
    with TestClient(create_app(path, load_watch("iran-russia"), TOKEN), client=LOCAL) as c:
        d = c.get("/api/v1/compare").json()
        assert "parallax cluster" in d["stories_missing"]
        html = c.get("/compare").text
        assert "run <code>parallax cluster</code>" in html
        safe_elements(html)


def _fake(*_: Any, **__: Any) -> dict[str, Any]:
    ids = {"article_ids": ["hostile-url"], "ids_total": 7}
    return {
        "selection": {"camps": ["iranian_state", "western"], "articles": 9, "clustered": 9},
        "coverage": {
            "blindspot_rule": "rule",
            "stories": [
                {
                    "story": "s-test",
                    "articles": 4,
                    "camps_covering": ["western"],
                    "camps": {
                        "western": {
                            "articles": 4, "outlets_active": 2, "outlets_covering": 2, **ids
                        }
                    },
                }
            ],
            "blindspots": [
                {
                    "story": "s-test", "covered_by": "western", "missing_in": "iranian_state",
                    "covered_attention": 0.5, "missing_attention": 0.0, "covered_articles": 4,
                    "missing_articles": 0, "missing_camp_articles_in_span": 9, **ids,
                }
            ],
            "blindspots_total": 1,
        },
        "emphasis": {"method": "m", "camps": {}},
        "framing": {
            "method": "m",
            "languages": {
                "en": {
                    "stories": 1, "articles": 3, "articles_per_camp": {"western": 3},
                    "distinctive": {
                        "western": [{"term": EVIL, "z": 3.1, "count": 4, "count_others": 0, **ids}]
                    },
                }
            },
        },
        "claims": {"available": False, "note": "no events", "items": []},
        "tone": {"method": "m", "actors": {}},
    }  # fmt: skip


def test_blindspots_and_framing_link_their_stories_and_articles(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(insight, "camp_compare", _fake)
    html = client.get("/compare?theme=regime_change").text
    links = _links(html)
    assert "/stories/s-test" in links and "/articles/hostile-url" in links
    assert "Tehran &amp; Moscow &lt;script&gt;x&lt;/script&gt; talks" in html  # the story label
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html  # the term, escaped
    assert "7 articles (first 1)" in html


def test_story_page_shows_claims_and_framing_per_camp(client: TestClient) -> None:
    r = client.get("/stories/s-test")
    assert r.status_code == 200
    assert "Claims per camp" in r.text and "Framing terms per camp" in r.text
    assert "No language has articles of this story from two camps." in r.text
    safe_elements(r.text)


def test_interval_bars_link_each_bar_and_keep_whiskers_in_the_plot() -> None:
    emphasis = {
        "a": {"articles_tagged": 10, "themes": {"nuclear": {"share": 0.4, "ci95": [0.2, 0.7]}}},
        "b<x>": {"articles_tagged": 5, "themes": {"nuclear": {"share": 0.2, "ci95": [0.0, 0.6]}}},
    }
    chart = interval_bars(emphasis, labels={}, colors={}, order=["a"])
    assert [b.href for b in chart.bars] == ["#em-a-nuclear", "#em-b%3Cx%3E-nuclear"]
    for b in chart.bars:
        assert chart.plot_left <= b.lo <= b.x + b.width <= b.hi <= chart.plot_right
    assert interval_bars({}, labels={}, colors={}, order=[]).empty


def test_the_default_comparison_is_computed_before_its_first_visitor(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    real = insight.camp_compare
    calls: list[dict[str, Any]] = []
    done = threading.Event()

    def counting(*args: Any, **kw: Any) -> Any:
        calls.append(kw)
        try:
            return real(*args, **kw)
        finally:
            done.set()

    monkeypatch.setattr(insight, "camp_compare", counting)
    with TestClient(create_app(db, load_watch("iran-russia"), TOKEN), client=LOCAL) as c:
        assert done.wait(30), "the server did not compute the default comparison ahead"
        time.sleep(0.2)  # the warm-up stores its result in the cache after the call returns
        assert c.get("/api/v1/compare").status_code == 200
        assert len(calls) == 1 and calls[0]["camps"] == () and calls[0]["theme"] is None
        # another window is computed on request
        assert c.get("/api/v1/compare?since=2024-01-01&until=2024-02-01").status_code == 200
        assert len(calls) == 2
