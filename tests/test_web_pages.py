"""The dashboard in-process: every page renders, hostile input stays text, RTL is marked, the
Content-Security-Policy is on every response, and the OpenAPI schema matches its snapshot."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import REPO
from newsparallax.watches import load_watch
from newsparallax.web import CSP, create_app
from web_support import HOSTILE_TITLE, HOSTILE_URL, TOKEN, build_store, safe_elements

SNAPSHOT = REPO / "tests" / "fixtures" / "web_openapi.json"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = build_store(tmp_path_factory.mktemp("pages"))
    app = create_app(db, load_watch("iran-russia"), TOKEN)
    with TestClient(app, client=("127.0.0.1", 40000)) as c:
        yield c


def _ids(client: TestClient) -> dict[str, str]:
    items = client.get("/api/v1/articles", params={"include_duplicates": "true"}).json()["items"]
    by_language = {i["language"]: i["id"] for i in items if i["language"] != "en"}
    hostile = [i["id"] for i in items if i["title"] == HOSTILE_TITLE]
    return {**by_language, "hostile": hostile[0], "hostile-url": "hostile-url"}


def _pages(client: TestClient) -> list[str]:
    ids = _ids(client)
    return [
        "/",
        "/search",
        "/search?q=alert",
        "/search?q=Tehran&camp=&language=en",
        f"/articles/{ids['hostile']}",
        "/articles/hostile-url",
        f"/articles/{ids['fa']}",
        f"/articles/{ids['ru']}",
        "/actors",
        "/actors?q=Иран",
        "/actors/IRN",
        "/actors/RUS",
        "/outlets",
        "/feeds",
        "/claims",
        "/claims?a=IRN&b=RUS",
    ]


def test_every_page_renders_with_the_hostile_article_as_text(client: TestClient) -> None:
    for url in _pages(client):
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:500])
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff"
        safe_elements(r.text)
    page = client.get(f"/articles/{_ids(client)['hostile']}").text
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in page
    assert "&lt;a href=&#34;javascript:alert(2)&#34;&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_javascript_url_is_never_a_link(client: TestClient) -> None:
    page = client.get("/articles/hostile-url").text
    assert HOSTILE_URL in page  # shown as text
    assert f'href="{HOSTILE_URL}' not in page and 'href="javascript' not in page
    search = client.get("/search?q=transport&include_duplicates=true").text
    assert "hostile-url" in search and 'href="javascript' not in search


def test_no_script_and_no_inline_style_anywhere(client: TestClient) -> None:
    # the CSP forbids both, so the pages must not rely on them
    for url in _pages(client):
        html = client.get(url).text
        assert "<script" not in html and " style=" not in html and "<style" not in html


def test_overview_shows_counts_chart_actors_and_what_is_missing(client: TestClient) -> None:
    html = client.get("/").text
    assert 'role="img"' in html and "<svg" in html and "<rect" in html
    assert "Articles by camp and month" in html and "Western media" in html
    assert "Who each camp writes about" in html and "/actors/IRN" in html
    assert "Not available yet" in html and "Relation index" in html
    assert "The numbers as a table" in html  # the chart's data as text


def test_article_page_highlights_mentions_and_shows_the_camp_evidence(
    client: TestClient,
) -> None:
    ids = _ids(client)
    html = client.get(f"/articles/{ids['ru']}").text
    assert 'class="mention kind-state" href="/actors/IRN"' in html
    assert "Why this camp" in html and "Evidence" in html
    fa = client.get(f"/articles/{ids['fa']}").text
    assert re.search(r'<h1 dir="rtl">', fa) and re.search(r'<div class="text" dir="rtl">', fa)
    assert 'lang="fa"' in fa and "ایران" in fa
    assert client.get("/articles/does-not-exist").status_code == 404


def test_search_page_filters_errors_and_pagination(client: TestClient) -> None:
    html = client.get("/search", params={"q": "санкции"}).text
    assert '<mark class="hit">' in html and "tass.com" in html.lower()
    r = client.get("/search", params={"since": "yesterday"})
    assert r.status_code == 422 and "since" in r.text and 'role="alert"' in r.text
    r = client.get("/search", params={"camp": "<script>"})
    assert r.status_code == 422 and "<script>" not in r.text
    r = client.get("/search", params={"cursor": "bad"})
    assert r.status_code == 400
    first = client.get("/search").text
    assert 'rel="next"' not in first  # 5 articles fit one page of 25


def test_static_assets_are_shipped(client: TestClient) -> None:
    r = client.get("/static/parallax.css")
    assert r.status_code == 200 and "text/css" in r.headers["content-type"]
    assert r.headers["content-security-policy"] == CSP


def test_openapi_schema_matches_the_snapshot(client: TestClient) -> None:
    """Refresh after an intended API change with:
    PARALLAX_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_web_pages.py -k openapi
    """
    schema = client.get("/openapi.json").json()
    text = json.dumps(schema, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("PARALLAX_UPDATE_SNAPSHOTS") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.write_text(text, encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8")
    assert text == expected, (
        f"the OpenAPI schema changed; if that is intended, refresh {SNAPSHOT.name} with "
        "PARALLAX_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_web_pages.py -k openapi"
    )
    paths = set(schema["paths"])
    assert {
        "/api/v1/health",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/outlets",
        "/api/v1/camps",
        "/api/v1/actors",
        "/api/v1/actors/{actor_id}",
        "/api/v1/events",
        "/api/v1/stats",
        "/api/v1/feeds",
        "/api/v1/alerts",
        "/api/v1/alerts.atom",
        "/api/v1/relations/{source}/{target}",
        "/api/v1/relations/{source}/{target}/timeline",
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/monitor",
        "/api/v1/monitor/cycles",
        "/api/v1/monitor/cycles/{run_id}",
    } <= paths
    articles = {p["name"] for p in schema["paths"]["/api/v1/articles"]["get"]["parameters"]}
    assert {"outlet", "camp", "language", "since", "until", "actor", "theme", "story"} <= articles
    fmt = next(
        p for p in schema["paths"]["/api/v1/articles"]["get"]["parameters"] if p["name"] == "format"
    )
    assert fmt["schema"]["enum"] == ["json", "csv", "jsonl", "parquet"]
    assert not any(not p.startswith("/api/v1/") for p in paths)  # pages stay out of the API
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SPOOF_TITLE = "Iran \u202eaidem\u202c and \u2066Russia\u2069 talk \u202a\u202b\u202d\u2067\u2068"
FA_MARKED = "تحریم\u200cها\u200f علیه ایران"  # a ZWNJ inside the word, an RLM after it


def test_bidi_controls_are_removed_and_persian_marks_kept(tmp_path: Path) -> None:
    """Issue 15: an override (U+202E) in a feed's title could reverse what the tab and the page
    show; embedding, override and isolate controls go, the ZWNJ and RLM of Persian stay."""
    from dataclasses import replace

    from newsparallax.store.database import Store

    db = build_store(tmp_path)
    with Store(db) as store:
        base = next(a for a in store.articles() if a.title == HOSTILE_TITLE)
        for id_, title, language in (("bidi", SPOOF_TITLE, "en"), ("fa-marks", FA_MARKED, "fa")):
            url = f"https://news.example-hostile.org/item/{id_}"
            text = f"{title}. Moscow and Tehran discussed a transport corridor."
            store.add(
                replace(
                    base, id=id_, url=url, title=title, text=text, language=language,
                    content_hash=id_, duplicate_of=None,
                )
            )  # fmt: skip
    app = create_app(db, load_watch("iran-russia"), None)
    with TestClient(app, client=("127.0.0.1", 40000)) as c:
        page = c.get("/articles/bidi")
        assert page.status_code == 200
        title = re.search(r"<title>(.*?)</title>", page.text, re.S)
        assert title and "Iran aidem and Russia talk" in title.group(1)
        assert "<h1" in page.text and "Iran aidem and Russia talk" in page.text
        assert not BIDI_CONTROLS & set(page.text)
        listed = c.get("/search", params={"q": "corridor"}).text
        assert "Iran aidem and Russia talk" in listed and not BIDI_CONTROLS & set(listed)
        persian = c.get("/articles/fa-marks").text
        assert persian.count(FA_MARKED) >= 2  # the tab's title and the heading, as stored
        assert "\u202e" in c.get("/api/v1/articles/bidi").json()["title"]  # data stays as is


def test_one_finalize_cleans_every_rendered_value() -> None:
    from markupsafe import Markup

    from newsparallax.web.pages.render import templates

    env = templates.env
    rendered = env.from_string("{{ a }}|{{ b }}|{{ c }}|{{ n }}").render(
        a=SPOOF_TITLE, b=Markup(f"<b>{SPOOF_TITLE}</b>"), c=FA_MARKED, n=3
    )
    assert rendered == (
        "Iran aidem and Russia talk |<b>Iran aidem and Russia talk </b>|" + FA_MARKED + "|3"
    )
