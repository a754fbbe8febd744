"""The PostgreSQL backend against the embedded one: the same input, the same answers.

A slice of the real demo corpus is ingested into a SQLite file and a PostgreSQL database with
the CLI; every read command, the corpus jobs (stories, relation index, alerts) and the REST API
must then give the same results on both (times and run ids apart)."""

from __future__ import annotations

import gzip
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import SHARED_DATA
from newsparallax.cli.main import main
from newsparallax.store.database import Store
from newsparallax.watches import load_watch

DEMO = SHARED_DATA / "demo"
PER_FILE = 40

pytestmark = pytest.mark.skipif(not DEMO.is_dir(), reason=f"demo corpus not found at {DEMO}")

# fields that differ between two runs of the same job whatever the backend
VOLATILE = re.compile(
    r"^(seconds|\w*per_second|\w*_ms|ms_per_article|per_article_ms|elapsed|started_at|finished_at|ingested_at|"
    r"updated_at|created_at|generated|generated_at|run_id|db|store|took_ms|stage_seconds)$"
)


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if not VOLATILE.match(str(k))}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _same(a: Any, b: Any, where: str = "") -> None:
    """Equal, floats within rounding (the backends sum floating point in different orders)."""
    if isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, int | float) and isinstance(b, int | float), where
        assert abs(a - b) <= 1e-3 + 1e-6 * abs(a), f"{where}: {a} != {b}"
    elif isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            _same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), f"{where}: {len(a)} != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def _run(args: list[str]) -> Any:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return _scrub(json.loads(result.stdout))


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, pg_server: str) -> dict[str, str]:
    """The same slice ingested (then clustered and indexed) into each backend."""
    from pg_support import fresh_database

    folder = tmp_path_factory.mktemp("pgslice")
    for source in sorted(DEMO.glob("*.jsonl.gz")):
        with gzip.open(source, "rb") as fh:
            lines = list(itertools.islice(fh, PER_FILE))
        (folder / source.name.removesuffix(".gz")).write_bytes(b"".join(lines))
    refs = {
        "sqlite": str(tmp_path_factory.mktemp("sqlite") / "slice.db"),
        "postgresql": fresh_database(pg_server),
    }
    summaries = {}
    for backend, ref in refs.items():
        summaries[backend] = _run(["ingest", str(folder), "--db", ref, "--workers", "1", "--json"])
        _run(["cluster", "--db", ref, "--json"])
        _run(["relations", "--db", ref, "--json"])
    _same(summaries["sqlite"], summaries["postgresql"])
    assert summaries["sqlite"]["stored"] >= PER_FILE * 5
    return refs


SEARCHES = [
    ["Iran"],
    ["Россия"],
    ["drone OR missile"],
    ["nuclear*"],
    ["Iran -Russia"],
    ['"foreign minister"'],
]


@pytest.mark.parametrize("query", SEARCHES, ids=lambda c: "-".join(c)[:40])
def test_search_finds_the_same_articles_on_both_backends(
    stores: dict[str, str], query: list[str]
) -> None:
    """BM25 (SQLite) and ts_rank (PostgreSQL) rank differently; the hits are the same.

    (One known difference: in a phrase, PostgreSQL lets any word stand for an English stop
    word, so "Iran and Russia" also finds "Iran or Russia".)"""
    found = [
        sorted(h["id"] for h in _run(["search", "--limit", "1000", "--db", ref, "--json", *query]))
        for ref in stores.values()
    ]
    assert found[0] == found[1]
    assert found[0]


COMMANDS = [
    ["stats"],
    ["events", "--limit", "40"],
    ["events", "--source", "IRN", "--target", "RUS"],
    ["relations", "--limit", "30"],
    ["relation", "RUS", "UKR", "--freq", "month", "--both"],
    ["relation", "IRN", "RUS", "--camp", "western", "--freq", "week"],
    ["timeline", "IRN", "RUS"],
    ["stories", "--limit", "30"],
    ["stories", "--arcs"],
    ["compare", "--top", "5"],
    ["alerts", "--all", "--no-deliver"],
    ["themes"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c)[:40])
def test_commands_answer_the_same_on_both_backends(
    stores: dict[str, str], command: list[str]
) -> None:
    answers = [_run([*command, "--db", ref, "--json"]) for ref in stores.values()]
    _same(answers[0], answers[1])
    assert answers[0]  # something to compare


def test_the_slice_exercises_every_table(stores: dict[str, str]) -> None:
    with Store(stores["postgresql"], readonly=True) as store:
        counts = {
            table: store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "mentions", "events", "themes", "stories", "relation_points")
        }
    assert all(n > 0 for n in counts.values()), counts


def test_rest_api_answers_the_same_on_both_backends(stores: dict[str, str]) -> None:
    from fastapi.testclient import TestClient

    from newsparallax.web import create_app

    paths = [
        "/api/v1/health",
        "/api/v1/stats",
        "/api/v1/articles?limit=20",
        "/api/v1/events?limit=20",
        "/api/v1/stories?limit=10",
        "/api/v1/relations/IRN/RUS?freq=month",
        "/api/v1/outlets",
        "/api/v1/camps",
        "/api/v1/actors?limit=20",
        "/api/v1/relations/IRN/RUS/timeline",
        "/api/v1/compare",
        "/api/v1/alerts",
    ]
    answers: dict[str, list[Any]] = {}
    for backend, ref in stores.items():
        app = create_app(
            ref, load_watch("iran-russia"), "token", read_access="open", outlets_file=None
        )
        with TestClient(app) as client:
            answers[backend] = []
            for path in paths:
                response = client.get(path)
                assert response.status_code == 200, (backend, path, response.text)
                answers[backend].append(_scrub(response.json()))
            found = client.get("/api/v1/articles?q=Russia&limit=100").json()["items"]
            answers[backend].append(sorted(a["id"] for a in found))  # ranked differently
            for page_path in ("/", "/stories", "/compare", "/relations/IRN/RUS", "/search?q=Iran"):
                page = client.get(page_path)
                assert page.status_code == 200, (backend, page_path, page.text[-500:])
            article_id = answers[backend][2]["items"][0]["id"]
            page = client.get(f"/articles/{article_id}")
            assert page.status_code == 200 and "<html" in page.text
    _same(answers["sqlite"], answers["postgresql"])


def test_concurrent_writers_store_each_article_once(stores: dict[str, str], tmp_path: Path) -> None:
    """Two ingest processes at once into one PostgreSQL database: each article stored once."""
    from conftest import sample_records, write_jsonl

    path = write_jsonl(tmp_path / "again.jsonl", sample_records())
    ref = stores["postgresql"]
    command = [sys.executable, "-m", "newsparallax", "ingest", str(path), "--db", ref, "--json"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    results = [json.loads(p.communicate(timeout=300)[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert sum(r["stored"] for r in results) == len(sample_records())
    with Store(ref, readonly=True) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM articles")]
        fts = store.conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    assert len(ids) == len(set(ids)) == fts


def test_a_bad_url_is_a_clear_error() -> None:
    result = CliRunner().invoke(
        main, ["stats", "--db", "postgresql://nobody:secret@127.0.0.1:1/none", "--json"]
    )
    assert result.exit_code != 0
    assert "cannot connect" in result.output and "secret" not in result.output
