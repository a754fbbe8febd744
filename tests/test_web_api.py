"""The REST API in-process (FastAPI's TestClient) on a real temporary store."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsparallax.watches import load_watch
from newsparallax.web import CSP, create_app
from web_support import HOSTILE_TITLE, LOCAL, TOKEN, build_store

REMOTE = ("203.0.113.7", 50000)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    app = create_app(db, load_watch("iran-russia"), TOKEN, outlets_file=None)
    app.state.outlets_file = None  # no PARALLAX_OUTLETS in the environment of this module
    with TestClient(app, client=LOCAL) as c:
        yield c


def test_health(client: TestClient) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["watch"] == "iran-russia"
    assert body["articles"] == 6 and body["writes_enabled"] is True
    assert r.headers["content-security-policy"] == CSP


def test_list_articles_and_filters(client: TestClient) -> None:
    items = client.get("/api/v1/articles").json()["items"]
    # the syndicated copy is folded; newest first
    assert len(items) == 5
    published = [i["published"] for i in items]
    assert published[0] == "2025-01" and items[0]["language"] == "fa"
    drones = next(i for i in items if i["outlet"] == "reuters.com")
    assert drones["duplicates"] == 1 and drones["camp"] == "western"

    def ids(**params: str) -> list[str]:
        r = client.get("/api/v1/articles", params=params)
        assert r.status_code == 200, r.text
        return [i["outlet"] for i in r.json()["items"]]

    assert ids(camp="western") == ["reuters.com"]
    assert ids(language="ru") == ["tass.com"]
    assert ids(outlet="TASS") == ["tass.com"]  # by name
    assert ids(outlet="irna.ir") == ["irna.ir"]  # by domain
    assert ids(since="2024-03-05", until="2024-03-05") == ["tass.com"]
    assert ids(until="2023") == ["reuters.com"]
    assert len(ids(include_duplicates="true")) == 6
    assert ids(q="санкций") == ["tass.com"]
    assert ids(q="تحریم") == ["irna.ir"]
    assert "irna.ir" in ids(actor="IRN") and "tass.com" in ids(actor="IRN")
    hit = client.get("/api/v1/articles", params={"q": "drone production"}).json()["items"][0]
    assert hit["score"] > 0 and hit["highlights"]
    s, e = hit["highlights"][0]
    assert hit["snippet"][s:e].lower().startswith("drone")


def _stored_ids(db: Path, sql: str, *params: str) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {str(r[0]) for r in conn.execute(sql, params)}


def test_filter_by_theme(client: TestClient, db: Path) -> None:
    themes = _stored_ids(db, "SELECT DISTINCT theme FROM themes")
    assert len(themes) >= 2
    for theme in sorted(themes):
        expected = _stored_ids(
            db,
            "SELECT a.id FROM articles a JOIN themes t ON t.article_rowid = a.rowid"
            " WHERE t.theme = ? AND a.duplicate_of IS NULL",
            theme,
        )
        r = client.get("/api/v1/articles", params={"theme": theme})
        assert r.status_code == 200, r.text
        assert {i["id"] for i in r.json()["items"]} == expected
    every = {i["id"] for i in client.get("/api/v1/articles").json()["items"]}
    some = sorted(themes)[0]
    narrowed = client.get("/api/v1/articles", params={"theme": some, "language": "en"}).json()
    assert {i["id"] for i in narrowed["items"]} < every  # a filter among the others
    # a theme of the taxonomy that tags nothing here: an empty list, not an error
    from newsparallax.annotate.themes import shipped_themes

    untagged = next(t.id for t in shipped_themes() if t.id not in themes)
    r = client.get("/api/v1/articles", params={"theme": untagged})
    assert r.status_code == 200 and r.json()["items"] == []


@pytest.mark.parametrize(
    ("value", "message"),
    [("no_such_theme", "unknown theme"), ("a b", "not a theme id"), ("x" * 65, "not a theme")],
)
def test_bad_theme_is_422_listing_the_known_themes(
    client: TestClient, value: str, message: str
) -> None:
    r = client.get("/api/v1/articles", params={"theme": value})
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["loc"] == ["query", "theme"] and message in detail["msg"]
    if message == "unknown theme":
        assert "sanctions" in detail["msg"]  # says which themes exist


def test_story_filter_without_stories_says_what_to_run(client: TestClient) -> None:
    r = client.get("/api/v1/articles", params={"story": "s-1"})
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["loc"] == ["query", "story"] and "parallax cluster" in detail["msg"]


def test_cursor_pagination_walks_every_article_once(client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = "/api/v1/articles?limit=2&include_duplicates=true"
    while url:
        page = client.get(url).json()
        assert len(page["items"]) <= 2
        seen += [i["id"] for i in page["items"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 6
    # full-text pages too
    first = client.get("/api/v1/articles", params={"q": "Iran OR Ирана OR ایران", "limit": 1})
    page = first.json()
    assert len(page["items"]) == 1 and page["next_cursor"]
    second = client.get(
        "/api/v1/articles",
        params={"q": "Iran OR Ирана OR ایران", "limit": 1, "cursor": page["next_cursor"]},
    ).json()
    assert second["items"][0]["id"] != page["items"][0]["id"]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"since": "last week"}, "since"),
        ({"until": "2024-13"}, "until"),
        ({"since": "2025", "until": "2024"}, "until"),
        ({"camp": "martians"}, "camp"),
        ({"language": "english"}, "language"),
        ({"outlet": "nowhere.example"}, "outlet"),
        ({"q": '""'}, "q"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"actor": "a b"}, "actor"),
        ({"format": "xml"}, "format"),
    ],
)
def test_bad_filters_are_422_naming_the_parameter(
    client: TestClient, params: dict[str, str], param: str
) -> None:
    r = client.get("/api/v1/articles", params=params)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail[0]["loc"][-1] == param and detail[0]["msg"]


def test_bad_cursor_is_400(client: TestClient) -> None:
    import base64

    deep = base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode().rstrip("=")
    for cursor in ("garbage!", "eyJ4IjoxfQ", "bm90IGpzb24", deep):  # deep: was a 500
        r = client.get("/api/v1/articles", params={"cursor": cursor})
        assert r.status_code == 400, (cursor, r.text)
        assert r.json()["detail"][0]["loc"] == ["query", "cursor"]


def test_one_article_with_annotations(client: TestClient) -> None:
    items = client.get("/api/v1/articles", params={"outlet": "reuters.com"}).json()["items"]
    r = client.get(f"/api/v1/articles/{items[0]['id']}")
    assert r.status_code == 200
    a = r.json()
    assert a["outlet"]["camp"] == "western" and a["outlet"]["evidence"]
    assert a["outlet"]["camp_label"] == "Western media"
    assert len(a["duplicates"]) == 1 and a["duplicates"][0]["outlet"] == "example-news.com"
    tehran = [m for m in a["mentions"] if m["actor"] == "IRN" and m["field"] == "text"]
    assert tehran and all(a["text"][m["start"] : m["end"]] == m["text"] for m in tehran)
    assert isinstance(a["events"], list) and isinstance(a["themes"], list)
    copy = client.get(f"/api/v1/articles/{a['duplicates'][0]['id']}").json()
    assert copy["duplicate_of"]["id"] == a["id"]
    assert client.get("/api/v1/articles/nope").status_code == 404


def test_etag_gives_304_until_the_store_changes(client: TestClient, db: Path) -> None:
    for url in ("/api/v1/articles?camp=western", "/api/v1/stats", "/"):
        first = client.get(url)
        etag = first.headers["etag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        assert "content-security-policy" in again.headers
    etag = client.get("/api/v1/stats").headers["etag"]
    from newsparallax.store.database import Store

    with Store(db) as store:  # another process writing (the monitor, an ingest)
        store.start_run("test")
    assert client.get("/api/v1/stats", headers={"If-None-Match": etag}).status_code == 200


def test_exports_csv_and_jsonl(client: TestClient) -> None:
    r = client.get("/api/v1/articles", params={"format": "csv", "include_duplicates": "true"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 6 and {"id", "title", "camp", "published"} <= set(rows[0])
    hostile = next(row for row in rows if "alert" in row["title"])
    assert hostile["title"] == HOSTILE_TITLE  # data, unchanged (CSV is not HTML)
    r = client.get("/api/v1/articles", params={"format": "jsonl", "limit": "3"})
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert len(lines) == 3 and all("id" in line for line in lines)
    r = client.get("/api/v1/outlets", params={"format": "csv", "camp": "western"})
    assert r.status_code == 200 and "reuters.com" in r.text
    assert client.get("/api/v1/camps", params={"format": "jsonl"}).status_code == 200
    assert client.get("/api/v1/events", params={"format": "csv"}).text.startswith("article_id,")


def test_parquet_export_reads_back_as_the_json_list(client: TestClient) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from newsparallax.web.api.articles import ArticlePageColumns
    from newsparallax.web.api.events import EVENT_COLUMNS
    from newsparallax.web.models import ActorBrief, OutletOut

    cases = [
        ("/api/v1/articles", {"include_duplicates": "true"}, ArticlePageColumns),
        ("/api/v1/articles", {"q": "Iran OR Ирана OR ایران"}, ArticlePageColumns),
        ("/api/v1/outlets", {}, list(OutletOut.model_fields)),
        ("/api/v1/actors", {}, list(ActorBrief.model_fields)),
        ("/api/v1/events", {}, EVENT_COLUMNS),
    ]
    for path, params, columns in cases:
        listed = client.get(path, params={**params, "limit": 500}).json()["items"]
        r = client.get(path, params={**params, "format": "parquet"})
        assert r.status_code == 200, (path, r.text[:300])
        assert r.headers["content-type"] == "application/vnd.apache.parquet"
        assert r.headers["content-disposition"].endswith('.parquet"')
        assert r.content[:4] == b"PAR1" and r.content[-4:] == b"PAR1"
        table = pq.read_table(io.BytesIO(r.content))
        wanted = [c for c in columns if "q" in params or c != "score"]
        assert table.column_names == wanted
        assert table.to_pylist() == [{c: item.get(c) for c in wanted} for item in listed], path
    r = client.get("/api/v1/articles", params={"format": "parquet", "limit": 2})
    assert pq.read_table(io.BytesIO(r.content)).num_rows == 2


def test_parquet_export_without_pyarrow_is_406(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsparallax.web import exports

    monkeypatch.setattr(exports, "parquet_available", lambda: False)
    r = client.get("/api/v1/articles", params={"format": "parquet"})
    assert r.status_code == 406
    detail = r.json()["detail"][0]
    assert detail["loc"] == ["query", "format"] and "pyarrow" in detail["msg"]
    assert client.get("/api/v1/outlets", params={"format": "parquet"}).status_code == 406


def test_parquet_columns_keep_types_and_write_objects_as_json() -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from newsparallax.web.exports import parquet_bytes

    rows = [
        {"n": 1, "tags": ["a", "b"], "obj": {"k": [1, 2]}, "mixed": 1, "none": None},
        {"n": None, "tags": [], "obj": None, "mixed": "two", "none": None},
    ]
    table = pq.read_table(io.BytesIO(parquet_bytes(rows, ["n", "tags", "obj", "mixed"])))
    assert str(table.schema.field("n").type) == "int64"
    assert table.to_pylist() == [
        {"n": 1, "tags": ["a", "b"], "obj": '{"k": [1, 2]}', "mixed": "1"},
        {"n": None, "tags": [], "obj": None, "mixed": "two"},
    ]


def test_csv_cells_cannot_run_as_formulas() -> None:
    from newsparallax.web.exports import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell(["a", "b"]) == "a; b" and _cell(None) == ""


def test_outlets_camps_actors_events_stats(client: TestClient) -> None:
    outlets = client.get("/api/v1/outlets").json()["items"]
    reuters = next(o for o in outlets if o["id"] == "reuters.com")
    assert reuters["articles"] == 1 and reuters["camp"] == "western" and reuters["in_watch"]
    assert client.get("/api/v1/outlets/reuters.com").json()["name"] == reuters["name"]
    assert client.get("/api/v1/outlets/nowhere.example").status_code == 404
    camps = {c["id"]: c for c in client.get("/api/v1/camps").json()["items"]}
    assert camps["western"]["articles"] == 1 and camps["unknown"]["articles"] == 2
    found = client.get("/api/v1/actors", params={"q": "Иран"}).json()["items"]
    assert found[0]["id"] == "IRN" and found[0]["articles"] >= 3
    top = client.get("/api/v1/actors").json()["items"]
    assert top and top[0]["articles"] >= top[-1]["articles"]
    actor = client.get("/api/v1/actors/IRN").json()
    assert actor["in_dictionary"] and actor["entry"]["names"]["fa"]
    assert actor["mentions"]["by_camp"]["western"] == 1
    assert {row["month"] for row in actor["mentions"]["by_month"]} >= {"2023-01", "2024-03"}
    assert client.get("/api/v1/actors/no-such-actor").status_code == 404
    events = client.get("/api/v1/events", params={"camp": "western", "limit": 2}).json()
    assert "items" in events and len(events["items"]) <= 2
    for item in events["items"]:
        assert item["camp"] == "western"
    assert client.get("/api/v1/events", params={"type": "no such"}).status_code == 422
    assert client.get("/api/v1/events", params={"since": "x"}).status_code == 422
    stats = client.get("/api/v1/stats").json()
    assert stats["articles"] == 6 and stats["duplicates"] == 1 and stats["mentions"] > 0


def test_events_are_the_cli_list_newest_first_and_their_pages_join_up(
    client: TestClient, db: Path
) -> None:
    """One list of events behind `parallax events`, the API and the Events page: newest
    publication first; walking the cursors gives that list once, whatever the page size."""
    from newsparallax.store.database import Store
    from newsparallax.store.events import list_events

    everything = client.get("/api/v1/events", params={"limit": 500}).json()["items"]
    assert len(everything) >= 5
    walked: list[dict[str, object]] = []
    cursor = None
    while True:
        page = client.get("/api/v1/events", params={"limit": 2, "cursor": cursor or ""}).json()
        assert len(page["items"]) <= 2
        walked += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == everything
    with Store(db, readonly=True) as store:
        listed = list_events(store, include_duplicates=True, limit=500)
        ts = dict(store.conn.execute("SELECT id, published_ts FROM articles").fetchall())
    assert listed.reports == len(everything)
    assert [(e.article, e.type, e.sentence_start) for e in listed.events] == [
        (i["article_id"], i["type"], i["sentence_start"]) for i in everything
    ]
    stamps = [ts[i["article_id"]] for i in everything]
    dated = [t for t in stamps if t is not None]
    assert dated == sorted(dated, reverse=True) and stamps[: len(dated)] == dated
    both = client.get("/api/v1/events", params={"source": "irn", "target": "rus", "both": True})
    assert {(e["source"], e["target"]) for e in both.json()["items"]} == {
        ("IRN", "RUS"),
        ("RUS", "IRN"),
    }  # codes in any case, as `parallax events` takes them
    bad_type = client.get("/api/v1/events", params={"type": "HUG"})
    assert bad_type.status_code == 422 and bad_type.json()["detail"][0]["loc"] == ["query", "type"]
    assert client.get("/api/v1/events", params={"cursor": "e30"}).status_code == 400


def test_writes_need_the_token(client: TestClient) -> None:
    new = {"id": "example.org", "name": "Example", "camp": "western"}
    assert client.post("/api/v1/outlets", json=new).status_code == 401
    r = client.post("/api/v1/outlets", json=new, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = client.post("/api/v1/feeds", json={"url": "https://example.org/rss"})
    assert r.status_code == 401


def test_writes_refused_without_a_configured_token(db: Path) -> None:
    app = create_app(db, load_watch("iran-russia"), None)
    with TestClient(app, client=LOCAL) as c:
        r = c.post(
            "/api/v1/outlets",
            json={"id": "example.org", "name": "Example"},
            headers={"Authorization": "Bearer anything"},
        )
        assert r.status_code == 403 and "PARALLAX_API_TOKEN" in r.json()["detail"]
        assert c.get("/api/v1/health").json()["writes_enabled"] is False


def test_add_outlet_to_the_user_file(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outlets = tmp_path / "outlets.toml"
    outlets.write_text("# my outlets\n", encoding="utf-8")
    monkeypatch.setenv("PARALLAX_OUTLETS", str(outlets))
    app = create_app(db, load_watch("iran-russia"), TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(app, client=LOCAL) as c:
        etag = c.get("/api/v1/outlets").headers["etag"]
        new = {
            "id": "example-hostile.org",
            "name": "Example Hostile",
            "domains": ["example-hostile.org"],
            "country": "GBR",
            "languages": ["en"],
            "camp": "western",
            "ownership": "private",
            "evidence": 'Written for a test; "quoted" and \\ escaped.',
        }
        r = c.post("/api/v1/outlets", json=new, headers=auth)
        assert r.status_code == 201, r.text
        assert r.json()["camp"] == "western" and r.json()["in_watch"]
        text = outlets.read_text(encoding="utf-8")
        assert text.startswith("# my outlets\n") and "[[outlets]]" in text
        assert load_watch("iran-russia").outlet("example-hostile.org") is not None
        assert c.get("/api/v1/outlets", headers={"If-None-Match": etag}).status_code == 200
        assert c.get("/api/v1/outlets/example-hostile.org").json()["evidence"] == new["evidence"]
        assert c.post("/api/v1/outlets", json=new, headers=auth).status_code == 409
        bad = {**new, "id": "other.example", "camp": "martians"}
        assert c.post("/api/v1/outlets", json=bad, headers=auth).status_code == 422
        bad = {**new, "id": "other.example", "ownership": "pirate"}
        r = c.post("/api/v1/outlets", json=bad, headers=auth)
        assert r.status_code == 422 and "ownership" in r.json()["detail"]
        assert outlets.read_text(encoding="utf-8") == text  # the file was put back
        bad = {**new, "id": "JAVASCRIPT:alert(1)"}
        assert c.post("/api/v1/outlets", json=bad, headers=auth).status_code == 422


def test_add_outlet_without_a_user_file_says_so(client: TestClient) -> None:
    r = client.post(
        "/api/v1/outlets",
        json={"id": "example.net", "name": "Example"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 409 and "PARALLAX_OUTLETS" in r.json()["detail"]


def test_add_feed(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post("/api/v1/feeds", json={"url": "javascript:alert(1)"}, headers=auth)
    assert r.status_code == 422
    r = client.post("/api/v1/feeds", json={"url": "https://www.reuters.com/rss"}, headers=auth)
    assert r.status_code == 201 and r.json()["outlet"] == "reuters.com"
    feeds = client.get("/api/v1/feeds").json()["items"]
    assert any(f["url"] == "https://www.reuters.com/rss" for f in feeds)


def test_read_access_from_other_hosts(db: Path) -> None:
    watch = load_watch("iran-russia")
    with TestClient(create_app(db, watch, None), client=REMOTE) as c:
        assert c.get("/api/v1/health").status_code == 403
        r = c.get("/")
        assert r.status_code == 403 and "text/html" in r.headers["content-type"]
    with TestClient(create_app(db, watch, TOKEN), client=REMOTE) as c:
        assert c.get("/api/v1/health").status_code == 401
        ok = c.get("/api/v1/health", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200
    with TestClient(create_app(db, watch, None, read_access="open"), client=REMOTE) as c:
        assert c.get("/api/v1/health").status_code == 200
    with TestClient(create_app(db, watch, TOKEN, read_access="token"), client=LOCAL) as c:
        assert c.get("/api/v1/health").status_code == 401


def test_unknown_routes_and_methods(client: TestClient) -> None:
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.headers["content-security-policy"] == CSP
    assert client.delete("/api/v1/articles").status_code == 405
    assert client.get("/docs").status_code == 404  # Swagger UI needs a CDN: not served
