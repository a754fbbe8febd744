"""A small real store for the web tests: the shared sample articles, a Persian article, and a
hostile one written like a malicious feed item (our own text)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import httpx

from conftest import record, sample_records, write_jsonl
from newsparallax.ingest import ingest
from newsparallax.store.database import Store
from newsparallax.watches import load_watch

HOSTILE_TITLE = '<script>alert("title")</script> Iran and Russia <img src=x onerror=alert(1)>'
HOSTILE_TEXT = (
    "Moscow and Tehran discussed a new transport corridor on Monday. "
    '<script>alert("text")</script> Officials said more talks would follow. '
    '<a href="javascript:alert(2)">Click here</a> for <b onmouseover="alert(3)">details</b>. '
    "Analysts in Baku said the project depends on financing from both capitals."
)
HOSTILE_URL = "javascript:alert(document.cookie)"
TOKEN = "test-token-123"


def web_records() -> list[dict[str, object]]:
    return [
        *sample_records(),
        record(
            url="https://news.example-hostile.org/item/1",
            domain="news.example-hostile.org",
            language="en",
            published="2024-05-01",
            date_precision="day",
            title=HOSTILE_TITLE,
            text=HOSTILE_TEXT,
        ),
    ]


_BUILT: list[Path] = []


def build_store(folder: Path) -> Path:
    """``folder/web.db`` holding the web records, ingested, plus a copy of the hostile article
    whose URL is a ``javascript:`` address (ingest drops such URLs; pages must not link it).

    The first call of a test process ingests; later calls copy that store (ingest is slow to
    start: it loads the language, actor and event models)."""
    db = folder / "web.db"
    if _BUILT:
        for suffix in ("", "-wal"):
            source = Path(f"{_BUILT[0]}{suffix}")
            if source.exists():
                shutil.copyfile(source, f"{db}{suffix}")
        return db
    path = write_jsonl(folder / "web.jsonl", web_records())
    with Store(db) as store:
        ingest([str(path)], store=store, watch=load_watch("iran-russia"), workers=1)
        hostile = next(a for a in store.articles() if a.title == HOSTILE_TITLE)
        store.add(
            replace(hostile, id="hostile-url", url=HOSTILE_URL, content_hash="x", duplicate_of=None)
        )
    template = folder.parent / f"{folder.name}-template.db"
    shutil.copyfile(db, template)
    _BUILT.append(template)
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    db: Path, *, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """``python -m newsparallax.web`` on a free port; waits until it answers."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsparallax.web", "--db", str(db), "--port", str(port)],
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            _, err = proc.communicate()
            raise RuntimeError(f"server exited {proc.returncode}: {err.decode()[-2000:]}")
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not answer within 30 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


HOSTILE_ALERT = '<script>alert("alert")</script> IRN→RUS & <b onmouseover="x()">surge</b>'


def add_insight(db: Path) -> dict[str, str]:
    """Build the relation index on ``db``, record two alerts (one with a hostile title, one
    acknowledged) and a story of three articles from three camps; returns the story's id."""
    import json

    from newsparallax.analyze import relations

    now = "2024-05-02T00:00:00+00:00"
    with Store(db) as store:
        rows = store.conn.execute(
            "SELECT a.rowid, a.id, a.published_ts, o.camp, a.outlet FROM articles a"
            " LEFT JOIN outlets o ON o.id = a.outlet"
            " WHERE a.duplicate_of IS NULL AND a.id != 'hostile-url' ORDER BY a.published_ts"
        ).fetchall()
        chosen: dict[str, tuple[int, str, int, str, str]] = {}
        for r in rows:
            if r[3] and r[3] not in chosen:
                chosen[r[3]] = tuple(r)
        picked = list(chosen.values())[:3]
        with store.transaction():
            for title, acked in ((HOSTILE_ALERT, None), ("Old and acknowledged", now)):
                store.conn.execute(
                    "INSERT INTO alerts(watch, rule, kind, subject, title, summary, first_day,"
                    " last_day, count, severity, article_ids, detail, created_at, updated_at,"
                    " acked_at) VALUES ('iran-russia', 'irn-rus-test', 'threshold', 'IRN-RUS',"
                    " ?, ?, '2024-05-01', '2024-05-01', 2, 3.5, ?, '{}', ?, ?, ?)",
                    (title, f"summary of {title}", json.dumps([picked[0][1]]), now, now, acked),
                )
            first, last = picked[0][2], picked[-1][2]
            store.conn.execute(
                "INSERT INTO stories(id, label, first_seen, first_seen_ts, last_seen,"
                " last_seen_ts, status, articles, outlets, camps, languages, builder, updated_at)"
                " VALUES ('s-test', ?, '2023-01-10', ?, '2025-01-01', ?, 'closed', ?, ?, ?,"
                ' \'["en", "fa", "ru"]\', \'test\', ?)',
                (
                    "Tehran & Moscow <script>x</script> talks",
                    first,
                    last,
                    len(picked),
                    len(picked),
                    json.dumps(sorted(p[3] for p in picked)),
                    now,
                ),
            )
            store.conn.executemany(
                "INSERT INTO story_articles(article_rowid, story_id, duplicate) VALUES (?,?,0)",
                [(p[0], "s-test") for p in picked],
            )
        relations.rebuild(store)  # after the story, so the index is current
    return {"story": "s-test"}


SHIFT_START = date(2024, 1, 1)  # a Monday


def add_shift(store: Store) -> str:
    """IRN→RUS at one event a week for 12 weeks from :data:`SHIFT_START`, then six a week for
    12 more (a lasting shift); returns the first week at the new level. Rebuild the relation
    index afterwards."""
    from relations_support import add, ev

    for week in range(24):
        for k in range(1 if week < 12 else 6):
            add(
                store,
                "reuters.com",
                SHIFT_START + timedelta(days=7 * week + k % 7),
                f"Iran and Russia talk {week}-{k}",
                [ev("CONSULT", "IRN", "RUS", source_actor=f"official-{k}")],
            )
    return (SHIFT_START + timedelta(days=7 * 12)).isoformat()


BLIND_STORY = "s-blind"


def add_blindspot(store: Store, start: date) -> list[str]:
    """Western outlets run a story (:data:`BLIND_STORY`, four articles over three days from
    ``start``) while TASS publishes six other articles and none about it; the story's ids."""
    from relations_support import add, make_story

    covered = [
        add(store, outlet, start + timedelta(days=k % 3), f"Drone plant report {k}", [])
        for k, outlet in enumerate(["reuters.com", "reuters.com", "bbc.co.uk", "bbc.co.uk"])
    ]
    for k in range(6):
        add(store, "tass.com", start + timedelta(days=k % 3), f"Other news {k}", [])
    make_story(store, BLIND_STORY, "Drone plant <b>report</b>", covered)
    return covered


LOCAL = ("127.0.0.1", 50000)
"""The client address of in-process tests: loopback, so reads are open by default."""
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def safe_elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """The page's elements, after checking that none comes from data (no script, image,
    frame, object or ``<b>``), that nothing is inline (no ``on*`` handler, no style) and that
    every link and form leads to this server or an http(s) address."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed", "b", "style"), tag
        assert not [a for a in attrs if a.startswith("on") or a == "style"], (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)
            if name == "href" and value:
                assert value.startswith(("/", "http://", "https://", "#")), (tag, attrs)
    assert "<script" not in html.lower()
    return parser.tags
