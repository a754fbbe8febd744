"""`parallax feeds …`, `parallax watch` and the replay server of a WARC archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor_support import build_site, local_site, write_watch
from newsparallax.analyze import relations
from newsparallax.analyze.stories import queries as storystore
from newsparallax.cli.main import main
from newsparallax.cli.monitor import register
from newsparallax.monitor.replay import ReplayServer
from newsparallax.store.database import Store

register(main)
register(main)  # idempotent


@pytest.fixture(autouse=True)
def _light_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave out the slow-to-load annotation stages of other issues (test_monitor.py runs the
    full pipeline once)."""
    monkeypatch.setattr("newsparallax.ingest.ANNOTATION_STAGES", ())


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "PARALLAX_WATCH": str(write_watch(tmp_path)),
        "PARALLAX_HOST_DELAY": "0.02",
        "PARALLAX_WARC_DIR": str(tmp_path / "warc"),
        "PARALLAX_WORKERS": "1",
        **extra,
    }


def test_feeds_add_list_remove(tmp_path: Path) -> None:
    runner = CliRunner(env=_env(tmp_path))
    db = str(tmp_path / "db.sqlite")
    added = runner.invoke(main, ["feeds", "add", "https://news.test/feed.xml", "--db", db])
    assert added.exit_code == 0 and "outlet news.test" in added.output
    other = runner.invoke(
        main, ["feeds", "add", "https://cdn.example/x.rss", "--outlet", "news.test", "--db", db]
    )
    assert other.exit_code == 0
    bad = runner.invoke(main, ["feeds", "add", "file:///etc/passwd", "--db", db])
    assert bad.exit_code != 0 and "scheme" in bad.output
    listed = json.loads(runner.invoke(main, ["feeds", "list", "--json", "--db", db]).output)
    assert [f["url"] for f in listed] == ["https://news.test/feed.xml", "https://cdn.example/x.rss"]
    assert listed[1]["outlet"] == "news.test" and listed[0]["status"] == "new"
    assert {"last_success", "last_error", "items_per_day", "consecutive_failures"} <= set(listed[0])
    text = runner.invoke(main, ["feeds", "list", "--db", db]).output
    assert "https://news.test/feed.xml" in text and "/day" in text
    assert (
        runner.invoke(main, ["feeds", "remove", "https://cdn.example/x.rss", "--db", db]).exit_code
        == 0
    )
    assert runner.invoke(main, ["feeds", "remove", "https://nope.test/", "--db", db]).exit_code != 0
    listed = json.loads(runner.invoke(main, ["feeds", "list", "--json", "--db", db]).output)
    assert len(listed) == 1


def test_watch_once_direct_needs_private_networks_allowed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with ReplayServer(site) as srv:
        feed = local_site(site, srv.url)  # the folder named like the host
        runner = CliRunner(env=_env(tmp_path))
        db = str(tmp_path / "db.sqlite")
        runner.invoke(main, ["feeds", "add", feed, "--db", db])
        refused = runner.invoke(main, ["watch", "--once", "--json", "--db", db])
        assert refused.exit_code == 1  # nothing could be polled
        summary = json.loads(refused.stdout)
        # a refusal by policy, said as such: not a feed error
        assert summary["feeds"] == 0 and summary["feed_errors"] == 0 and summary["errors"] == []
        [skip] = summary["skipped_feeds"]
        assert skip["url"] == feed and skip["reason"] == "blocked" and skip["until"] is None
        assert "--allow-private-networks" in skip["detail"]
        assert srv.log == []
        text = runner.invoke(main, ["watch", "--once", "--db", db])
        assert "blocked" in text.stdout and "--allow-private-networks" in text.stdout
        listed = runner.invoke(main, ["feeds", "list", "--db", db]).stdout
        assert "blocked" in listed and "--allow-private-networks" in listed
        [health] = json.loads(runner.invoke(main, ["feeds", "list", "--json", "--db", db]).stdout)
        assert health["status"] == "blocked" and health["consecutive_failures"] == 0
        # the user re-runs with the policy lifted: the feed is polled now (no re-adding, no wait)
        ok = runner.invoke(
            main, ["watch", "--once", "--json", "--allow-private-networks", "--db", db]
        )
        assert ok.exit_code == 0, ok.output
        summary = json.loads(ok.stdout)
        assert {"feeds", "new_articles", "fetched", "not_modified", "errors"} <= set(summary)
        assert summary["feeds"] == 1 and summary["skipped_feeds"] == []
        assert summary["new_articles"] == 2 and summary["stored"] == 2


def test_watch_once_says_which_feeds_it_skipped_and_until_when(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    build_site(site, {"news.test": 1}, skip=30)
    with ReplayServer(site) as srv:
        runner = CliRunner(env=_env(tmp_path, PARALLAX_FETCH_VIA=srv.url))
        db = str(tmp_path / "db.sqlite")
        runner.invoke(main, ["feeds", "add", "https://news.test/feed.xml", "--db", db])
        runner.invoke(main, ["feeds", "add", "https://gone.test/feed.xml", "--db", db])
        runner.invoke(main, ["feeds", "remove", "https://gone.test/feed.xml", "--db", db])
        first = runner.invoke(main, ["watch", "--once", "--json", "--db", db])
        assert first.exit_code == 0 and json.loads(first.stdout)["stored"] == 1
        again = runner.invoke(main, ["watch", "--once", "--json", "--db", db])
        assert again.exit_code == 0, again.output
        summary = json.loads(again.stdout)
        assert summary["feeds"] == 0
        skipped = {s["url"]: s for s in summary["skipped_feeds"]}
        [health] = json.loads(runner.invoke(main, ["feeds", "list", "--json", "--db", db]).stdout)
        assert skipped["https://news.test/feed.xml"]["reason"] == "not-due"
        assert skipped["https://news.test/feed.xml"]["until"] == health["next_poll"]
        assert skipped["https://gone.test/feed.xml"]["reason"] == "removed"
        text = runner.invoke(main, ["watch", "--once", "--db", db])
        assert text.exit_code == 0
        assert "no feed is due" in text.stdout and health["next_poll"] in text.stdout


def test_replay_a_warc_archive_gives_the_same_store(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    build_site(site, {"news.test": 3, "other.test": 2}, skip=20)
    env = _env(tmp_path)
    with ReplayServer(site) as live:
        runner = CliRunner(env={**env, "PARALLAX_FETCH_VIA": live.url})
        db = str(tmp_path / "live.sqlite")
        for host in ("news.test", "other.test"):
            runner.invoke(main, ["feeds", "add", f"https://{host}/feed.xml", "--db", db])
        assert runner.invoke(main, ["watch", "--once", "--db", db]).exit_code == 0
    archive = tmp_path / "warc"
    assert list(archive.glob("*.warc.gz"))
    with ReplayServer(archive) as replay:  # the monitor's own WARC folder
        assert "https://news.test/feed.xml" in replay.index
        runner = CliRunner(env={**env, "PARALLAX_WARC_DIR": str(tmp_path / "warc2")})
        db2 = str(tmp_path / "replayed.sqlite")
        for host in ("news.test", "other.test"):
            runner.invoke(main, ["feeds", "add", f"https://{host}/feed.xml", "--db", db2])
        result = runner.invoke(
            main, ["watch", "--once", "--json", "--via", replay.url, "--db", db2]
        )
        assert result.exit_code == 0, result.output
        cycle = json.loads(result.stdout)
        assert cycle["stored"] == 5
        # the cycle brought stories, relations and alerts up to date with what it stored
        assert cycle["refresh"]["stories"]["articles"] == 5 and cycle["refresh"]["alerts"]
        listing = replay.answer("/", {"host": f"127.0.0.1:{replay.port}"})
        assert b"news.test/articles/" in listing.body
        assert replay.answer("/news.test/feed.xml", {}).status == 200  # host as first segment
    with Store(db) as a, Store(db2) as b:
        live_articles = [(x.id, x.title, x.text) for x in a.articles()]
        assert sorted(live_articles) == sorted((x.id, x.title, x.text) for x in b.articles())
        assert storystore.pending(b) == 0 and not relations.pending(b)


def test_replay_folder_refuses_escapes(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    server = ReplayServer(tmp_path / "site")
    try:
        assert server.answer("/../secret.txt", {}).status in (403, 404)
        assert server.answer("/%2e%2e/secret.txt", {}).status in (403, 404)
        assert server.answer("/missing", {}).status == 404
    finally:
        server.httpd.server_close()
