"""Alerts (JSON, Atom, page), the relation page and API, the events page and story pages, on a
small real store with the relation index built, two alerts and a story; and what the pages and
the API say when those tables are missing or their jobs have not run."""

from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsparallax.watches import load_watch
from newsparallax.web import CSP, create_app
from web_support import (
    HOSTILE_ALERT,
    LOCAL,
    SHIFT_START,
    TOKEN,
    add_blindspot,
    add_insight,
    add_shift,
    build_store,
    safe_elements,
)

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


def _page(client: TestClient, url: str, status: int = 200) -> str:
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:800])
    assert r.headers["content-security-policy"] == CSP
    safe_elements(r.text)
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


def test_alerts_atom_feed_has_no_bidi_controls() -> None:
    """Issue 15: a feed reader shows an alert's title as the page does, without overrides."""
    from newsparallax.analyze.alerts import atom_feed

    spoof = "Spike \u202eSUR\u202c\u2067 IRN\u2069"
    body = atom_feed([{"id": 1, "title": spoof, "summary": f"a {spoof}", "count": 1}], title=spoof)
    assert not set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") & set(body)
    feed = ET.fromstring(body)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["Spike SUR IRN"] and feed.findtext(f"{ATOM}title") == "Spike SUR IRN"
    fa = "هشدار\u200cها\u200f"
    body = atom_feed([{"id": 2, "title": fa, "count": 1}])
    assert ET.fromstring(body).find(f"{ATOM}entry/{ATOM}title").text == fa  # type: ignore[union-attr]


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
    assert overall["totals"]["events"] == 8 and overall["dyad"] == "IRN↔RUS"
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
    tags = safe_elements(html)
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


def test_overview_top_stories_come_from_the_week_of_the_newest_article(
    db: Path, tmp_path: Path
) -> None:
    from newsparallax.analyze.clock import day_ts, newest_day
    from newsparallax.store.database import Store
    from newsparallax.web import insight

    copy = tmp_path / "copy.db"
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    with Store(copy) as store:
        newest = newest_day(store)
        assert newest is not None
        end = day_ts(newest, end=True)
        day = 86_400
        with store.transaction():
            # an older story that would rank first of all time (more camps and articles)
            store.conn.execute(
                "INSERT INTO stories(id, label, first_seen, first_seen_ts, last_seen,"
                " last_seen_ts, status, articles, outlets, camps, languages, builder, updated_at)"
                " VALUES ('s-old', 'Old story', '2001-01-01', ?, '2001-01-02', ?, 'closed', 9,"
                ' 9, \'["a", "b", "c", "d", "e"]\', \'["en"]\', \'test\', \'\')',
                (end - 400 * day, end - 399 * day),
            )
            store.conn.execute(
                "UPDATE stories SET last_seen_ts = ? WHERE id = 's-test'", (end - 3 * day,)
            )
        found, window = insight.top_stories(store)
        assert [s["id"] for s in found] == ["s-test"]
        assert window == {
            "kind": "week",
            "days": 7,
            "since": (newest - timedelta(days=6)).isoformat(),
            "until": newest.isoformat(),
            "newest": newest.isoformat(),
            "clock": newest.isoformat(),
        }
        store.conn.execute(
            "UPDATE stories SET first_seen_ts = ?, last_seen_ts = ? WHERE id = 's-test'",
            (end - 21 * day, end - 20 * day),
        )
        found, window = insight.top_stories(store)
        assert [s["id"] for s in found] == ["s-test"] and window["kind"] == "month"
        # a sparse tail of articles after the last story: the week to the newest story two camps
        # covered (s-test has three; a newer one-camp story does not move the window)
        store.conn.execute(
            "INSERT INTO stories(id, label, first_seen, first_seen_ts, last_seen,"
            " last_seen_ts, status, articles, outlets, camps, languages, builder, updated_at)"
            " VALUES ('s-one', 'One camp', '', ?, '', ?, 'closed', 2, 1, '[\"a\"]',"
            " '[\"en\"]', 'test', '')",
            (end - 60 * day, end - 60 * day),
        )
        store.conn.execute(
            "UPDATE stories SET first_seen_ts = ?, last_seen_ts = ? WHERE id = 's-test'",
            (end - 90 * day, end - 89 * day),
        )
        found, window = insight.top_stories(store)
        latest = newest - timedelta(days=89)
        assert [s["id"] for s in found] == ["s-test"]
        assert (window["kind"], window["since"], window["until"]) == (
            "latest",
            (latest - timedelta(days=6)).isoformat(),
            latest.isoformat(),
        )
    with TestClient(create_app(copy, load_watch("iran-russia"), TOKEN), client=LOCAL) as c:
        html = _page(c, "/")
        assert "Latest top stories</h2>" in html and "newest story two camps covered" in html
        assert f"/stories?since={(latest - timedelta(days=6)).isoformat()}" in html


# -- stories -----------------------------------------------------------------------------------


def test_stories_api(client: TestClient) -> None:
    items = client.get("/api/v1/stories").json()["items"]
    assert [s["id"] for s in items] == ["s-test"]
    story = items[0]
    assert len(story["coverage"]) == 3 and all("rowid" not in a for a in story["articles"])
    one = client.get("/api/v1/stories/s-test")
    assert one.status_code == 200 and "themes" in one.json()
    # a list names a story's first articles; its counts and coverage stay whole
    every = one.json()["articles"]
    assert len(every) == story["article_count"] >= 3 and story["articles"] == every
    first = client.get("/api/v1/stories", params={"members": 1}).json()["items"][0]
    assert first["articles"] == every[:1] and first["article_count"] == len(every)
    assert first["coverage"] == story["coverage"]
    bare = client.get("/api/v1/stories", params={"members": 0}).json()["items"][0]
    assert bare["articles"] == [] and {c: v["articles"] for c, v in bare["coverage"].items()} == {
        c: v["articles"] for c, v in story["coverage"].items()
    }
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


def test_articles_filtered_by_story(client: TestClient, db: Path) -> None:
    with sqlite3.connect(db) as conn:
        members = {
            str(r[0])
            for r in conn.execute(
                "SELECT a.id FROM articles a JOIN story_articles s ON s.article_rowid = a.rowid"
                " WHERE s.story_id = 's-test' AND a.duplicate_of IS NULL"
            )
        }
    assert len(members) == 3
    r = client.get("/api/v1/articles", params={"story": "s-test"})
    assert r.status_code == 200, r.text
    assert {i["id"] for i in r.json()["items"]} == members
    camp = r.json()["items"][0]["camp"]
    narrowed = client.get("/api/v1/articles", params={"story": "s-test", "camp": camp}).json()
    assert {i["camp"] for i in narrowed["items"]} == {camp} and len(narrowed["items"]) < 3
    for value, message in (("nope", "unknown story"), ("a b", "not a story id")):
        r = client.get("/api/v1/articles", params={"story": value})
        assert r.status_code == 422 and message in r.json()["detail"][0]["msg"]
        assert r.json()["detail"][0]["loc"] == ["query", "story"]
    # the Search page offers the same filters
    html = _page(client, "/search?story=s-test")
    assert 'name="story"' in html and 'name="theme"' in html
    assert 'href="/stories/s-test"' in html and "Tehran &amp; Moscow" in html
    assert html.count('class="article-item"') == 3
    assert "unknown story" in _page(client, "/search?story=nope", 422)
    themed = _page(client, "/search?theme=sanctions")
    assert '<option value="sanctions" selected>' in themed
    assert "unknown theme" in _page(client, "/search?theme=martian_affairs", 422)


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


# -- change points on the relation chart -------------------------------------------------------


def test_relation_chart_marks_the_change_points_the_alerts_find(tmp_path: Path) -> None:
    """A dyad at one event a week for 12 weeks, then six: the API and the page mark the shift
    where the `changepoint` alert rule finds it (one PELT), linked to that week's events."""
    from newsparallax.analyze import alerts, relations
    from newsparallax.web.insight import changepoint_rule
    from relations_support import open_store

    store = open_store(tmp_path / "shift.db")
    shift_week = add_shift(store)
    relations.rebuild(store)
    watch = load_watch("iran-russia")
    rule = changepoint_rule(watch, "IRN", "RUS", both=True)
    assert rule.kind == "changepoint" and rule.measure == "events"  # the watch's own rule
    alerts.evaluate(store, watch, rules=[rule], sinks=[])
    [alert] = alerts.list_alerts(store, watch=watch.name)
    store.close()
    assert alert["first_day"] == shift_week

    with TestClient(create_app(tmp_path / "shift.db", watch, TOKEN), client=LOCAL) as c:
        body = c.get(
            "/api/v1/relations/IRN/RUS", params={"freq": "week", "both": "true", "camp": "*"}
        ).json()
        [change] = body["change_points"]
        assert change["start"] == shift_week == alert["first_day"]
        assert change["direction"] == "up" and change["rule"] == rule.id
        assert change["before"] == pytest.approx(1) and change["after"] == pytest.approx(6)
        # by camp (no camp given): the change points of every camp together
        by_camp = c.get("/api/v1/relations/IRN/RUS", params={"freq": "week", "both": "true"})
        assert [p["start"] for p in by_camp.json()["change_points"]] == [shift_week]
        # a month series has too few points for segments of four: nothing marked, no error
        monthly = c.get("/api/v1/relations/IRN/RUS", params={"both": "true"}).json()
        assert monthly["change_points"] == []

        html = _page(c, "/relations/IRN/RUS?freq=week&both=true")
        tags = safe_elements(html)
        marks = [
            a for t, a in tags if t == "a" and (a.get("aria-label") or "").startswith("Change")
        ]
        assert len(marks) == 1
        label, href = marks[0]["aria-label"] or "", marks[0]["href"] or ""
        assert shift_week in label and "shifted up from 1.00 to 6.00" in label
        assert href.startswith("/events?") and f"since={shift_week}" in href
        assert 'class="changes"' in html and "Change points" in html and "<line" in html
        events = _page(c, href.replace("&amp;", "&"))
        found = set(re.findall(r"Iran and Russia talk (\d+)-(\d)", events))
        assert found == {("12", str(k)) for k in range(6)}  # the week the new level starts


# -- blindspots on the overview ----------------------------------------------------------------


def test_overview_shows_the_blindspots(tmp_path: Path) -> None:
    """Western outlets run a story on three days when TASS publishes six other articles and
    none about it: the overview lists it as a blindspot, as the Compare page does."""
    from relations_support import open_store

    store = open_store(tmp_path / "blind.db")
    add_blindspot(store, SHIFT_START)
    store.close()
    watch = load_watch("iran-russia")
    with TestClient(create_app(tmp_path / "blind.db", watch, TOKEN), client=LOCAL) as c:
        compared = c.get("/api/v1/compare").json()["coverage"]["blindspots"]
        assert [(b["story"], b["covered_by"], b["missing_in"]) for b in compared] == [
            ("s-blind", "western", "russian_state")
        ]
        html = _page(c, "/")
        assert 'id="blindspots-h"' in html and 'href="/stories/s-blind"' in html
        section = html.split('id="blindspots-h"', 1)[1].split("</section>", 1)[0]
        assert "Drone plant &lt;b&gt;report&lt;/b&gt;" in section  # the label, as text
        assert f"covered by {watch.camps['western'].label}" in section
        assert f"ignored by {watch.camps['russian_state'].label}: 0 articles of its 6" in section
        link = "/search?story=s-blind&amp;camp=western"
        assert f'href="{link}">4 articles</a>' in section
        listed = _page(c, link.replace("&amp;", "&"))
        assert listed.count('class="article-item"') == 4


def test_overview_says_when_there_is_no_blindspot(client: TestClient) -> None:
    html = _page(client, "/")
    assert 'id="blindspots-h"' in html and "No blindspot in this period" in html


def test_stories_and_alerts_export_as_csv_jsonl_and_parquet(client: TestClient) -> None:
    import csv
    import io
    import json

    pq = pytest.importorskip("pyarrow.parquet")
    for path, columns in (
        ("/api/v1/stories", ["id", "label", "article_count", "camps", "coverage", "articles"]),
        ("/api/v1/alerts", ["id", "title", "kind", "article_ids", "detail", "deliveries"]),
    ):
        items = client.get(path).json()["items"]
        assert items
        lines = client.get(path, params={"format": "jsonl"}).text.splitlines()
        assert [json.loads(line) for line in lines] == items
        rows = list(csv.DictReader(io.StringIO(client.get(path, params={"format": "csv"}).text)))
        assert [r["id"] for r in rows] == [str(i["id"]) for i in items]
        assert set(columns) <= set(rows[0])
        table = pq.read_table(io.BytesIO(client.get(path, params={"format": "parquet"}).content))
        back = table.to_pylist()
        assert [r["id"] for r in back] == [i["id"] for i in items]
        for row, item in zip(back, items, strict=True):
            for c in columns:  # scalars and lists of scalars typed, objects as JSON text
                value = item[c]
                nested = isinstance(value, list) and value and isinstance(value[0], dict)
                if isinstance(value, dict) or nested:
                    assert json.loads(row[c]) == value, c
                else:
                    assert row[c] == value, c


def test_events_page_links_its_exports(client: TestClient) -> None:
    html = _page(client, "/events?source=IRN&target=RUS&both=true")
    links = [a["href"] or "" for t, a in safe_elements(html) if t == "a"]
    for fmt in ("csv", "jsonl", "parquet"):
        [link] = [h for h in links if h.startswith("/api/v1/events?") and f"format={fmt}" in h]
        r = client.get(link)
        assert r.status_code == 200 and r.headers["content-disposition"].endswith(f'.{fmt}"')
