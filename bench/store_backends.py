"""Store backends side by side: the same corpus slice in SQLite (a file) and in PostgreSQL.

The first ``--per-file`` lines of each ``../shared/data/demo/*.jsonl.gz`` are copied to a
temporary folder at run time; then, for each backend in turn (SQLite first), this script times

1. the build, with the ``parallax`` CLI (``python -m newsparallax`` subprocesses, so the wall
   time includes starting Python): ``ingest --workers 1``, ``cluster`` (stories) and
   ``relations --rebuild``;
2. reads through the library, the calls the CLI makes (p50 of ``--repeat`` calls, one open
   store): ``search`` for three queries, ``events --source IRN --target RUS``,
   ``relation IRN RUS --freq week`` (``ensure_current`` + ``series``) and ``stats``;
3. the web app through FastAPI's TestClient (in process, no network): p50 of ``--repeat``
   requests after a first one, which is reported too ("first": a new app, its caches empty,
   after another app served each path once so one-off imports are paid). The app caches some
   results until the store's change token moves, so p50s include the backend's token check.

PostgreSQL: ``--postgres URL`` (a server where the user may CREATE DATABASE), else a
throwaway cluster from Debian's binaries (``tests/pg_support.py``, fsync off). A fresh
database is created on it for the run. Both stores must end with the same numbers of
articles and events; a warning line is printed otherwise.

    .venv/bin/python bench/store_backends.py [--per-file 300] [--repeat 10]
        [--postgres postgresql://user@host/postgres] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from newsparallax.analyze import relations
from newsparallax.analyze.stats import corpus_stats
from newsparallax.store.database import Store
from newsparallax.store.events import list_events
from newsparallax.store.search import search

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO.parent / "shared" / "data" / "demo"
sys.path.insert(0, str(REPO / "tests"))  # pg_support: the tests' throwaway PostgreSQL

QUERIES = ("Iran", "Россия", "nuclear*")
WEB_PATHS = ("/api/v1/articles?limit=50", "/api/v1/articles?q=Iran", "/api/v1/stories", "/")
BUILD_STEPS: tuple[tuple[str, list[str]], ...] = (
    ("ingest", ["ingest", "--workers", "1"]),
    ("cluster", ["cluster"]),
    ("relations --rebuild", ["relations", "--rebuild"]),
)


def slice_corpus(folder: Path, per_file: int) -> list[Path]:
    """The first ``per_file`` lines of each demo file, as plain JSON Lines in ``folder``."""
    sources = sorted(DEMO.glob("*.jsonl.gz"))
    if not sources:
        sys.exit(f"no demo corpus in {DEMO}")
    out = []
    for source in sources:
        target = folder / source.name.removesuffix(".gz")
        with gzip.open(source, "rt", encoding="utf-8") as src, target.open("w") as dst:
            for n, line in enumerate(src):
                if n >= per_file:
                    break
                dst.write(line)
        out.append(target)
    return out


def run_cli(args: list[str], db: str) -> float:
    """Wall seconds of ``parallax ARGS --db DB``; exits with its stderr if it fails."""
    command = [sys.executable, "-m", "newsparallax", *args, "--db", db]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(args[:2])} --db {db}\n{done.stderr}")
    return elapsed


def p50_ms(call: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return round(1000 * statistics.median(times), 2)


def read_figures(db: str, repeat: int) -> dict[str, float]:
    """p50 milliseconds of the library calls behind the read commands."""
    figures: dict[str, float] = {}
    with Store(db, readonly=True) as store:
        for query in QUERIES:
            figures[f"search {query}"] = p50_ms(partial(search, store, query), repeat)
        figures["events IRN RUS"] = p50_ms(
            lambda: list_events(store, source="IRN", target="RUS"), repeat
        )
        figures["stats"] = p50_ms(lambda: corpus_stats(store), repeat)
    with Store(db) as store:  # `relation` brings the index up to date first, so writable

        def relation() -> None:
            relations.ensure_current(store)
            relations.series(store, "IRN", "RUS", freq="week")

        figures["relation IRN RUS week"] = p50_ms(relation, repeat)
    return figures


def web_figures(db: str, repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """p50 (warm) and first-request (cold) milliseconds of web requests via TestClient."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from newsparallax.watches import load_watch
    from newsparallax.web import create_app

    def app() -> FastAPI:
        watch = load_watch("iran-russia")
        return create_app(db, watch, "token", read_access="open", outlets_file=None)

    with TestClient(app()) as client:  # a first app pays the process's one-off lazy imports
        for path in WEB_PATHS:
            client.get(path)
    warm: dict[str, float] = {}
    cold: dict[str, float] = {}
    with TestClient(app()) as client:  # a new app: its caches start empty

        def get(path: str) -> None:
            response = client.get(path)
            if response.status_code != 200:
                sys.exit(f"GET {path} on {db}: {response.status_code} {response.text[:300]}")

        for path in WEB_PATHS:
            started = time.perf_counter()
            get(path)
            cold[f"GET {path}"] = round(1000 * (time.perf_counter() - started), 2)
            warm[f"GET {path}"] = p50_ms(partial(get, path), repeat)
    return warm, cold


def counts(db: str) -> dict[str, int]:
    with Store(db, readonly=True) as store:
        row = store.conn.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),"
            " (SELECT count(*) FROM stories)"
        ).fetchone()
        found = {f"hits {q} (limit 1000)": len(search(store, q, limit=1000)) for q in QUERIES}
    return {"articles": int(row[0]), "events": int(row[1]), "stories": int(row[2]), **found}


def bench_backend(db: str, files: list[Path], repeat: int) -> dict[str, Any]:
    build: dict[str, float] = {}
    for name, args in BUILD_STEPS:
        extra = [str(f) for f in files] if name == "ingest" else []
        build[name] = round(run_cli([*args, *extra], db), 2)
        print(f"  {name}: {build[name]:.2f} s", file=sys.stderr)
    reads = read_figures(db, repeat)
    web, web_cold = web_figures(db, repeat)
    return {
        "counts": counts(db),
        "build_s": build,
        "read_ms": reads,
        "web_ms": web,
        "web_first_ms": web_cold,
    }


@contextlib.contextmanager
def postgres_server(url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    from pg_support import cluster

    print("starting a throwaway PostgreSQL cluster...", file=sys.stderr)
    with cluster() as server:
        yield server


def table(results: dict[str, dict[str, Any]]) -> str:
    sq, pg = results["sqlite"], results["postgresql"]
    lines = [f"{'':<42} {'SQLite':>10} {'PostgreSQL':>11} {'PG/SQLite':>10}"]
    for key, value in sq["counts"].items():
        lines.append(f"{key:<42} {value:>10} {pg['counts'][key]:>11}")
    for section, unit in (
        ("build_s", "s"),
        ("read_ms", "ms"),
        ("web_ms", "ms"),
        ("web_first_ms", "ms first"),
    ):
        label = "p50 ms" if unit == "ms" else unit
        for key, a in sq[section].items():
            b = pg[section][key]
            ratio = f"{b / a:.2f}x" if a else "-"
            lines.append(f"{key + ' (' + label + ')':<42} {a:>10.2f} {b:>11.2f} {ratio:>10}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-file", type=int, default=300, help="lines of each demo file")
    parser.add_argument("--repeat", type=int, default=10, help="calls per read figure (p50)")
    parser.add_argument("--postgres", metavar="URL", help="server where CREATE DATABASE works")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.per_file < 1 or args.repeat < 1:
        parser.error("--per-file and --repeat must be at least 1")
    if args.postgres and not args.postgres.startswith(("postgresql://", "postgres://")):
        parser.error("--postgres takes a postgresql:// URL")
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="parallax-backends-") as tmp:
        files = slice_corpus(Path(tmp), args.per_file)
        lines = sum(1 for f in files for _ in f.open())
        print(f"{lines} input lines from {len(files)} demo files", file=sys.stderr)
        from pg_support import fresh_database

        with postgres_server(args.postgres) as server:
            try:  # first, so a bad --postgres fails before the SQLite run
                pg_db = fresh_database(server)
            except Exception as err:  # psycopg's errors: no server, no right to create
                sys.exit(f"cannot create a database on {server}: {err}")
            print("sqlite:", file=sys.stderr)
            results["sqlite"] = bench_backend(str(Path(tmp) / "bench.db"), files, args.repeat)
            print("postgresql:", file=sys.stderr)
            results["postgresql"] = bench_backend(pg_db, files, args.repeat)
    mismatch = [
        f"{key} {results['sqlite']['counts'][key]} vs {results['postgresql']['counts'][key]}"
        for key in ("articles", "events")
        if results["sqlite"]["counts"][key] != results["postgresql"]["counts"][key]
    ]
    setup = {"input_lines": lines, "per_file": args.per_file, "repeat": args.repeat}
    if args.json:
        print(json.dumps({"setup": setup, **results, "mismatch": mismatch}, indent=2))
    else:
        print(f"{lines} input lines ({args.per_file} per demo file), p50 of {args.repeat}")
        print(table(results))
    for line in mismatch:
        print(f"WARNING: the stores differ: {line}", file=sys.stderr)


if __name__ == "__main__":
    main()
