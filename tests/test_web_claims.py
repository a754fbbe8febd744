"""The claim ledger in the API and on the dashboard: filters refused with a 422 naming the
parameter, exports, ETags, one proposition, and every sentence shown as text."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ledger_support import Ev, add, build
from newsparallax.store.database import Store
from newsparallax.watches import load_watch
from newsparallax.web import CSP, create_app
from web_support import safe_elements

DRONES = "AID.IRN.RUS.drones"


@pytest.fixture(autouse=True)
def shipped_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARALLAX_EVENT_THRESHOLD", "0.75")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("web-claims")
    db = build(folder / "built.db")
    shutil.copy(db, folder / "web.db")
    with Store(folder / "web.db") as store:  # told by two outlets, each report under the bar
        for aid, outlet, day in (
            ("h1", "bbc.co.uk", "2022-08-01"),
            ("h2", "cnn.com", "2022-08-02"),
        ):
            add(store, aid, outlet, day, "Russia sends helicopters to Iran <b>now</b>.",
                [Ev("AID", "RUS", "IRN", "sends", cameo="072", confidence=0.6)])  # fmt: skip
    app = create_app(folder / "web.db", load_watch("iran-russia"))
    with TestClient(app, client=("127.0.0.1", 40000)) as c:
        yield c


def test_the_api_lists_propositions_with_each_camps_stance(client: TestClient) -> None:
    r = client.get("/api/v1/claims", params={"a": "irn", "b": "RUS"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["items"][0]["id"] == DRONES and data["threshold"] == 0.75
    assert data["total"] == len(data["items"]) and data["next_cursor"] is None
    camps = {c["camp"]: c for c in data["items"][0]["camps"]}
    assert camps["russian_state"]["denied_by"] == {"iran-mfa": 1}
    assert data["left_out"]["hypothetical: could"] == 1
    page = client.get("/api/v1/claims", params={"a": "IRN", "b": "RUS", "limit": 1}).json()
    assert len(page["items"]) == 1 and page["next_cursor"] and "cursor=" in page["next"]
    rest = client.get(page["next"]).json()
    assert rest["items"][0]["id"] != DRONES
    etag = r.headers["etag"]
    again = client.get("/api/v1/claims?a=irn&b=RUS", headers={"If-None-Match": etag})
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"type": "TELEPORT"}, "type"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2022-12", "until": "2022-01"}, "until"),
        ({"a": "IRN"}, "b"),
        ({"b": "RUS"}, "a"),
        ({"a": "<script>", "b": "RUS"}, "a"),
        ({"min_camps": "0"}, "min_camps"),
        ({"limit": "501"}, "limit"),
    ],
)
def test_bad_filters_are_422_naming_the_parameter(
    client: TestClient, params: dict[str, str], name: str
) -> None:
    r = client.get("/api/v1/claims", params=params)
    assert r.status_code == 422, r.text
    assert [d["loc"][-1] for d in r.json()["detail"]] == [name]


def test_a_bad_cursor_is_400_and_exports_stream_every_row(client: TestClient) -> None:
    assert client.get("/api/v1/claims", params={"cursor": "nonsense"}).status_code == 400
    csv = client.get("/api/v1/claims", params={"format": "csv"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0].startswith("id,label,type,source,target,object")
    assert len(lines) == 1 + client.get("/api/v1/claims").json()["total"]
    jsonl = client.get("/api/v1/claims", params={"format": "jsonl", "type": "ASSAULT"})
    assert "at-zaporizhzhia-npp" in jsonl.text


def test_one_proposition_with_its_evidence(client: TestClient) -> None:
    r = client.get(f"/api/v1/claims/{DRONES}")
    assert r.status_code == 200, r.text
    data = r.json()
    assert [e["article_id"] for e in data["evidence"]][:2] == ["w1", "i1"]  # oldest first
    assert data["evidence"][0]["url"] == "https://reuters.com/news/w1"
    assert [e["cue"] for e in data["aside"]] == ["could"]
    assert {p["id"] for p in data["related"]} == {"AID.IRN.RUS.missiles"}
    assert client.get(f"/api/v1/claims/{DRONES}", params={"since": "2023"}).status_code == 404
    assert client.get("/api/v1/claims/AID.IRN.RUS.oil").status_code == 404
    bad = client.get("/api/v1/claims/not-an-id")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["path", "proposition_id"]
    assert client.get(f"/api/v1/claims/{DRONES}", params={"until": "soon"}).status_code == 422


def test_the_pages_render_every_sentence_as_text(client: TestClient) -> None:
    for url in ("/claims", "/claims?a=IRN&b=RUS&type=AID", f"/claims/{DRONES}"):
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        assert r.headers["content-security-policy"] == CSP
        assert "<script" not in r.text and " style=" not in r.text
        safe_elements(r.text)
    listed = client.get("/claims?a=IRN&b=RUS").text
    assert f'href="/claims/{DRONES}"' in listed and "IRN supplies drones to RUS" in listed
    assert 'aria-current="page">Claims' in listed
    page = client.get(f"/claims/{DRONES}").text
    assert "&lt;script&gt;alert(&#34;ledger&#34;)&lt;/script&gt;" in page
    assert "denied by" in page and "iran-mfa" in page and "read off the denial" in page
    assert "“refuted”" in page and 'href="https://reuters.com/news/w1"' in page
    assert "Told only as a plan" in page and "could" in page
    assert client.get("/claims?type=TELEPORT").status_code == 422
    assert client.get("/claims/AID.IRN.RUS.oil").status_code == 404
    assert client.get("/claims/not-an-id").status_code == 422


def test_claims_under_the_threshold_are_listed_apart_on_the_first_page(client: TestClient) -> None:
    first = client.get("/api/v1/claims", params={"a": "IRN", "b": "RUS"}).json()
    ids = [p["id"] for p in first["items"]]
    (apart,) = [p for p in first["unconfirmed"] if p["source"] == "RUS"]
    assert apart["type"] == "AID" and apart["target"] == "IRN" and apart["articles"] == 2
    assert apart["id"] not in ids and first["unconfirmed_floor"] == 0.5
    later = client.get("/api/v1/claims", params={"a": "IRN", "b": "RUS", "limit": 1}).json()
    following = client.get("/api/v1/claims", params={"cursor": later["next_cursor"]}).json()
    assert following["unconfirmed"] == []  # with the first page only
    page = client.get("/claims?a=IRN&b=RUS").text
    assert 'id="unconfirmed-h"' in page and f'href="/claims/{apart["id"]}"' in page
    assert page.index(f'href="/claims/{DRONES}"') < page.index('id="unconfirmed-h"')
    assert "<b>now" not in page
    safe_elements(page)
