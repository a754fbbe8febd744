"""Untitled items (Telegram posts, feed items) are shown by their first words wherever the
dashboard lists articles — never as "(untitled)" or a bare id."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ledger_support import Ev, add
from newsparallax.store.database import Store
from newsparallax.watches import load_watch
from newsparallax.web import create_app
from relations_support import make_story

POST = "⚡️ **Tehran and Moscow** sign a deal on the transport corridor https://t.me/x/1 today"
FIRST_WORDS = "Tehran and Moscow sign a deal on the transport corridor today"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("headlines") / "web.db"
    store = Store(db)
    watch = load_watch()
    store.sync_outlets(watch.outlets, watch=watch.name)
    with store:
        titled = add(store, "t1", "tass.com", "2024-05-02", "Iran and Russia sign a deal.",
                     [Ev("AGREE", "IRN", "RUS", "sign")])  # fmt: skip
        add(store, "p1", "tass.com", "2024-05-02", "", [], text=POST)
        add(store, "p1-copy", "tass.com", "2024-05-02", "", [], text=POST, duplicate_of="p1")
        make_story(store, "s1", "Iran and Russia sign a deal.", [titled, "p1"])
    with TestClient(create_app(db, watch), client=("127.0.0.1", 40000)) as c:
        yield c


@pytest.mark.parametrize("url", ["/", "/search", "/search?q=corridor", "/stories/s1"])
def test_lists_show_an_untitled_item_by_its_first_words(client: TestClient, url: str) -> None:
    html = client.get(url).text
    assert 'href="/articles/p1"' in html, url
    assert f">{FIRST_WORDS}</" in html, url  # the link's text (the lead may follow as it is)
    assert "(untitled)" not in html


def test_the_article_page_names_an_untitled_item_and_its_copies(client: TestClient) -> None:
    page = client.get("/articles/p1").text
    assert f"<title>{FIRST_WORDS} · Parallax</title>" in page
    assert "(untitled item)" in page
    copy = client.get("/articles/p1-copy").text
    assert f'href="/articles/p1" dir="auto">{FIRST_WORDS}</a>' in copy
