"""Alerts (JSON, Atom, page), the relation page and API, the events page and story pages, on a
small real store with the relation index built, two alerts and a story; and what the pages and
the API say when those tables are missing or their jobs have not run."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsparallax.watches import load_watch
from newsparallax.web import CSP, create_app
from web_support import HOSTILE_ALERT, TOKEN, add_insight, build_store

LOCAL = ("127.0.0.1", 50000)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_store(tmp_path_factory.mktemp("insight"))
    add_insight(path)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, load_watch("iran-russia"), TOKEN), client=LOCAL) as c:
        yield c


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A store whose relation index was never built and that has no stories."""
    path = build_store(tmp_path_factory.mktemp("bare"))
    with TestClient(create_app(path, load_watch("iran-russia"), TOKEN), client=LOCAL) as c:
        yield c


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _safe(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """The page's elements, after checking none comes from data and nothing is inline."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed", "b", "style"), tag
        assert not [a for a in attrs if a.startswith("on") or a == "style"], (tag, attrs)
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(("/", "http://", "https://", "#")), (tag, attrs)
    return parser.tags


def _page(client: TestClient, url: str, status: int = 200) -> str:
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:800])
    assert r.headers["content-security-policy"] == CSP
    _safe(r.text)
    return r.text


# -- alerts ------------------------------------------------------------------------------------


def test_alerts_api_lists_the_watch_alerts(client: TestClient) -> None:
    r = client.get("/api/v1/alerts")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [a["title"] for a in items] == [HOSTILE_ALERT]  # the acknowledged one is hidden
    assert items[0]["count"] == 2 and items[0]["article_ids"]
    everything = client.get("/api/v1/alerts", params={"include_acked": "true"}).json()["items"]
    assert len(everything) == 2
    assert client.get("/api/v1/alerts", params={"kind": "nope"}).status_code == 422
    bad = client.get("/api/v1/alerts", params={"since": "yesterday"})
    assert bad.status_code == 422 and "since" in bad.text
    assert client.get("/api/v1/alerts", params={"since": "2024-06"}).json()["items"] == []


def test_alerts_atom_feed_is_escaped_atom(client: TestClient) -> None:
    r = client.get("/api/v1/alerts.atom")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    assert "<script" not in r.text and "<b " not in r.text
    feed = ET.fromstring(r.content)
    assert feed.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert f"{HOSTILE_ALERT} (×2)" in titles and len(titles) == 2  # acknowledged ones too
    link = feed.find(f"{ATOM}link")
    assert link is not None and link.get("href", "").endswith("/api/v1/alerts.atom")


def test_alerts_page_shows_alerts_as_text(client: TestClient) -> None:
    html = _page(client, "/alerts")
    assert "&lt;script&gt;alert(&#34;alert&#34;)&lt;/script&gt;" in html
    assert "Old and acknowledged" not in html
    assert "Old and acknowledged" in _page(client, "/alerts?include_acked=true")
    assert "/api/v1/alerts.atom" in html and "/articles/" in html


# -- relations ---------------------------------------------------------------------------------


def test_relation_api_by_camp_and_for_one_camp(client: TestClient) -> None:
    r = client.get("/api/v1/relations/IRN/RUS", params={"both": "true", "freq": "month"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["source"] == "IRN" and body["both"] is True and body["stale"] is False
    camps = [s["camp"] for s in body["series"]]
    assert camps[0] == "*" and {"western", "russian_state", "iranian_state"} <= set(camps)
    overall = body["series"][0]
    assert overall["totals"]["events"] == 9 and overall["dyad"] == "IRN↔RUS"
    one = client.get(
        "/api/v1/relations/irn/rus", params={"camp": "western", "since": "2023", "until": "2023"}
    ).json()
    assert [s["camp"] for s in one["series"]] == ["western"]
    overall_only = client.get("/api/v1/relations/IRN/RUS", params={"camp": "*"}).json()
    assert [s["camp"] for s in overall_only["series"]] == ["*"]
    assert one["series"][0]["totals"]["events"] >= 1
    for params in (
        {"freq": "hour"},
        {"camp": "nope"},
        {"since": "x"},
        {"since": "2024", "until": "2023"},
    ):
        bad = client.get("/api/v1/relations/IRN/RUS", params=params)
        assert bad.status_code == 422, (params, bad.text)
    assert client.get("/api/v1/relations/IR%20N/RUS").status_code == 422


def test_timeline_api(client: TestClient) -> None:
    r = client.get("/api/v1/relations/IRN/RUS/timeline")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["pair"] == ["IRN", "RUS"] and body["milestones"]
    assert {m["kind"] for m in body["milestones"]} <= {
        "agreement",
        "supply",
        "sanction",
        "attack",
        "visit",
    }


def test_relation_page_chart_links_table_and_milestones(client: TestClient) -> None:
    html = _page(client, "/relations/IRN/RUS?both=true")
    tags = _safe(html)
    assert 'role="img"' in html and "cooperation ↑" in html and "conflict ↓" in html
    assert "<title>" in html and "cooperation events" in html
    bar_links = [a["href"] or "" for t, a in tags if t == "a" and "/events?" in (a["href"] or "")]
    assert any("since=2023-01-01" in h and "until=2023-01-31" in h for h in bar_links)
    assert any("camp=western" in h and "both=true" in h for h in bar_links)
    assert "The numbers as a table" in html and "Milestones" in html
    assert "visit, summit or talks" in html or "agreement signed" in html
    weekly = _page(client, "/relations/RUS/IRN?freq=week&camp=*")
    assert "per week" in weekly
    assert client.get("/relations/IRN/RUS?freq=hour").status_code == 422


def test_chart_points_open_the_events_behind_them(client: TestClient) -> None:
    html = _page(
        client,
        "/events?source=IRN&target=RUS&both=true&camp=western&since=2023-01-01&until=2023-01-31",
    )
    assert "COOPERATE" in html and "reuters.com" in html
    rows = html.count("<tr>") - 1
    assert rows >= 2 and "RUS → IRN" in html and "IRN → RUS" in html
    everything = _page(client, "/events")
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in everything
    one_way = _page(client, "/events?source=IRN&target=RUS&since=2023-01-01&until=2023-01-31")
    assert "RUS → IRN" not in one_way
    api = client.get(
        "/api/v1/events", params={"source": "RUS", "target": "IRN", "both": "true"}
    ).json()["items"]
    assert {(e["source"], e["target"]) for e in api} == {("IRN", "RUS"), ("RUS", "IRN")}


def test_overview_links_the_watch_dyads_alerts_and_stories(client: TestClient) -> None:
    html = _page(client, "/")
    assert 'href="/relations/IRN/RUS"' in html and 'href="/relations/TUR/RUS"' in html
    assert "Latest alerts" in html and "&lt;script&gt;alert(&#34;alert&#34;)" in html
    assert "Top stories" in html and 'href="/stories/s-test"' in html
    assert "Not available yet" not in html
    # the relation index chart of the first dyad, its bars opening the events behind them
    assert 'id="overview-relation-chart"' in html
    assert "/events?source=" in html and "both=" in html


# -- stories -----------------------------------------------------------------------------------


def test_stories_api(client: TestClient) -> None:
    items = client.get("/api/v1/stories").json()["items"]
    assert [s["id"] for s in items] == ["s-test"]
    story = items[0]
    assert len(story["coverage"]) == 3 and all("rowid" not in a for a in story["articles"])
    one = client.get("/api/v1/stories/s-test")
    assert one.status_code == 200 and "themes" in one.json()
    assert client.get("/api/v1/stories/nope").status_code == 404
    assert client.get("/api/v1/stories", params={"camp": "nope"}).status_code == 422


def test_story_pages(client: TestClient) -> None:
    listing = _page(client, "/stories")
    assert 'class="coverage"' in listing and 'href="/stories/s-test"' in listing
    assert "Tehran &amp; Moscow &lt;script&gt;x&lt;/script&gt; talks" in listing
    html = _page(client, "/stories/s-test")
    assert "Headlines side by side" in html and "<circle" in html
    assert 'dir="rtl"' in html and 'lang="fa"' in html  # the Persian headline
    assert html.count('class="camp-card"') == 3
    assert client.get("/stories/nope").status_code == 404


# -- missing tables and jobs not run -----------------------------------------------------------


def test_without_the_jobs_everything_says_what_to_run(bare: TestClient) -> None:
    r = bare.get("/api/v1/relations/IRN/RUS")
    assert r.status_code == 404 and "parallax relations" in r.json()["detail"]
    assert "parallax relations" in _page(bare, "/relations/IRN/RUS")
    r = bare.get("/api/v1/stories")
    assert r.status_code == 404 and "parallax cluster" in r.json()["detail"]
    assert bare.get("/api/v1/stories/s-test").status_code == 404
    assert "parallax cluster" in _page(bare, "/stories")
    assert "parallax cluster" in _page(bare, "/stories/s-test")
    assert bare.get("/api/v1/alerts").json() == {"items": []}
    assert "No alerts" in _page(bare, "/alerts")
    overview = _page(bare, "/")
    assert "Not available yet" in overview and "parallax cluster" in overview


def test_missing_tables_are_a_message_never_a_500(tmp_path: Path) -> None:
    path = build_store(tmp_path)
    app = create_app(path, load_watch("iran-russia"), TOKEN)
    with sqlite3.connect(path) as conn:
        for table in ("alert_deliveries", "alert_triggers", "alerts", "relation_points"):
            conn.execute(f"DROP TABLE {table}")
    with TestClient(app, client=LOCAL) as c:
        for url in ("/api/v1/alerts", "/api/v1/alerts.atom", "/api/v1/relations/IRN/RUS"):
            r = c.get(url)
            assert r.status_code == 404 and "tables" in r.json()["detail"], url
        assert "no alert tables" in _page(c, "/alerts")
        assert "no relation index tables" in _page(c, "/relations/IRN/RUS")
        assert "Not available yet" in _page(c, "/")


def test_acknowledging_an_alert_needs_the_token(tmp_path: Path) -> None:
    db = build_store(tmp_path)
    add_insight(db)
    with TestClient(create_app(db, load_watch("iran-russia"), TOKEN), client=LOCAL) as c:
        open_alerts = c.get("/api/v1/alerts").json()["items"]
        assert open_alerts
        target = open_alerts[0]["id"]
        assert c.post(f"/api/v1/alerts/{target}/ack").status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert c.post(f"/api/v1/alerts/{target}/ack", headers=wrong).status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        done = c.post(f"/api/v1/alerts/{target}/ack", headers=auth)
        assert done.status_code == 200 and done.json() == {"id": target, "acknowledged": True}
        assert target not in {a["id"] for a in c.get("/api/v1/alerts").json()["items"]}
        assert c.post("/api/v1/alerts/999999/ack", headers=auth).status_code == 404
