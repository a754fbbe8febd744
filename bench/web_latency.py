"""Web latency and load: p50/p95 of the main pages and API calls, then concurrent clients.

Serves a store holding the whole demo corpus with ``parallax serve`` (uvicorn, one
process) on loopback and measures it over HTTP:

1. latency: each URL is requested once cold (first request after start) and then ``--repeat``
   times in a row with keep-alive; p50 and p95 in milliseconds, plus a 304 revalidation;
2. load: ``--clients`` concurrent clients (asyncio + httpx) request a mix of those URLs for
   ``--seconds``; requests/s, p50/p99 and errors (anything but 200/304) are printed;
3. with ``--with-ingest``, the load runs again while ``parallax ingest`` writes new articles
   (synthetic, written here) into the same store, as the live monitor would: every write
   changes the store's fingerprint, so caches and ETags are renewed all along;
4. with ``--with-monitor``, the load runs again against ``parallax serve --monitor``: the live
   monitor, in a background thread of the server process, polls RSS feeds of a synthetic site
   (written here, :mod:`synthetic_site`) served by ``parallax replay-server`` and fetches, runs
   the pipeline on and stores its articles for the whole run. The articles stored during the
   load are counted: a run where the monitor stored none is void.

Everything runs on a copy of ``--db`` (the writes never touch the original).

The store is built once with ``parallax ingest ../shared/data/demo/*.jsonl.gz`` (about 5 minutes
on two cores) unless ``--db`` names an existing one; ``--keep`` keeps a built store.

    .venv/bin/python bench/web_latency.py [--db PATH] [--clients 20] [--seconds 20]
        [--with-ingest [--ingest-nice 10]] [--with-monitor [--monitor-pages 1500]]
        [--no-latency] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from synthetic_site import build_site

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO.parent / "shared" / "data" / "demo"


def build_store(db: Path) -> None:
    files = sorted(str(p) for p in DEMO.glob("*.jsonl.gz"))
    if not files:
        sys.exit(f"no demo corpus in {DEMO}")
    print(f"building {db} from {len(files)} demo files (takes minutes)...", file=sys.stderr)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "newsparallax", "ingest", "--db", str(db), *files],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(
    db: Path, *, monitor: bool = False, env: dict[str, str] | None = None, log: Path | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """``parallax serve`` on a free loopback port (with ``--monitor``: the live monitor too)."""
    port = free_port()
    command = [sys.executable, "-m", "newsparallax", "serve", "--db", str(db), "--port", str(port)]
    if monitor:
        command += ["--monitor", "--allow-private-networks"]
    proc = subprocess.Popen(
        command,
        env={**os.environ, "PARALLAX_API_READ": "local", **(env or {})},
        stderr=log.open("ab") if log else subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("server did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def urls(base: str) -> list[tuple[str, str]]:
    """``(name, path)`` of the measured pages and calls, with ids read from the store."""
    first = httpx.get(f"{base}/api/v1/articles", params={"limit": 1, "language": "ru"}).json()
    article = first["items"][0]["id"]
    top = httpx.get(f"{base}/api/v1/actors", params={"limit": 1}).json()["items"][0]["id"]
    return [
        ("page /", "/"),
        ("page /search", "/search"),
        ("page /search?q=", "/search?q=sanctions"),
        ("page /articles/{id}", f"/articles/{article}"),
        ("page /actors", "/actors"),
        ("page /actors/{id}", f"/actors/{top}"),
        ("page /outlets", "/outlets"),
        ("api health", "/api/v1/health"),
        ("api articles", "/api/v1/articles?limit=50"),
        ("api articles camp+since", "/api/v1/articles?camp=western&since=2022-03&limit=50"),
        ("api articles actor", f"/api/v1/articles?actor={top}&limit=50"),
        ("api articles q", "/api/v1/articles?q=%D1%81%D0%B0%D0%BD%D0%BA%D1%86%D0%B8%D0%B8"),
        ("api articles/{id}", f"/api/v1/articles/{article}"),
        ("api actors?q=", "/api/v1/actors?q=Lavrov"),
        ("api actors/{id}", f"/api/v1/actors/{top}"),
        ("api stats", "/api/v1/stats"),
        ("api camps", "/api/v1/camps"),
        ("api outlets", "/api/v1/outlets"),
        ("api events", "/api/v1/events?limit=50"),
    ]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency(base: str, targets: list[tuple[str, str]], *, repeat: int) -> list[dict[str, Any]]:
    rows = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for name, path in targets:
            t0 = time.perf_counter()
            r = client.get(path)
            cold = (time.perf_counter() - t0) * 1000
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
            etag = r.headers.get("etag")
            revalidate = None
            if etag:
                t0 = time.perf_counter()
                r304 = client.get(path, headers={"If-None-Match": etag})
                revalidate = (time.perf_counter() - t0) * 1000
                assert r304.status_code == 304, (path, r304.status_code)
            rows.append(
                {
                    "name": name,
                    "status": r.status_code,
                    "bytes": len(r.content),
                    "cold_ms": round(cold, 1),
                    "p50_ms": round(pct(times, 0.5), 1),
                    "p95_ms": round(pct(times, 0.95), 1),
                    "etag_304_ms": round(revalidate, 1) if revalidate is not None else None,
                }
            )
    return rows


def export_time(base: str) -> dict[str, Any]:
    out = {}
    with httpx.Client(base_url=base, timeout=300) as client:
        for fmt in ("csv", "jsonl"):
            t0 = time.perf_counter()
            r = client.get("/api/v1/articles", params={"format": fmt})
            seconds = time.perf_counter() - t0
            lines = r.text.count("\n")
            out[fmt] = {"seconds": round(seconds, 2), "lines": lines, "mb": len(r.content) / 1e6}
    return out


async def load(
    base: str, targets: list[tuple[str, str]], *, clients: int, seconds: float
) -> dict[str, Any]:
    times: list[float] = []
    by_name: dict[str, list[float]] = {}
    statuses: Counter[str] = Counter()
    stop = time.perf_counter() + seconds

    async def worker(k: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            i = k
            while time.perf_counter() < stop:
                name, path = targets[i % len(targets)]
                i += 1
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    statuses[str(r.status_code)] += 1
                except httpx.HTTPError as err:
                    statuses[type(err).__name__] += 1
                    continue
                ms = (time.perf_counter() - t0) * 1000
                times.append(ms)
                by_name.setdefault(name, []).append(ms)

    started = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(clients)))
    elapsed = time.perf_counter() - started
    total = sum(statuses.values())
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_s": round(total / elapsed, 1),
        "p50_ms": round(pct(times, 0.5), 1) if times else None,
        "p95_ms": round(pct(times, 0.95), 1) if times else None,
        "p99_ms": round(pct(times, 0.99), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
        "errors": sum(n for s, n in statuses.items() if s not in ("200", "304")),
        "statuses": dict(statuses),
        "by_target": {
            name: {
                "n": len(v),
                "p50_ms": round(pct(v, 0.5), 1),
                "p99_ms": round(pct(v, 0.99), 1),
            }
            for name, v in by_name.items()
        },
    }


def synthetic_records(path: Path, n: int) -> None:
    """``n`` short English items with fresh URLs (our own words), as JSON Lines."""
    stamp = int(time.time())
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(
                json.dumps(
                    {
                        "url": f"https://www.reuters.com/world/bench-{stamp}-{i}/",
                        "language": "en",
                        "published": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00+00:00",
                        "title": f"Officials in Moscow and Tehran meet for round {i} of talks",
                        "text": (
                            f"Delegations from Russia and Iran met for round {i} of talks on"
                            " trade and transport on Monday, officials said. The sides discussed"
                            f" payments in national currencies and a rail project, item {i}."
                        ),
                    }
                )
                + "\n"
            )


def load_with_ingest(
    base: str,
    db: Path,
    targets: list[tuple[str, str]],
    *,
    clients: int,
    seconds: float,
    nice: int = 0,
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        feed = Path(folder) / "bench-items.jsonl"
        synthetic_records(feed, 20_000)
        ingest = subprocess.Popen(
            [sys.executable, "-m", "newsparallax", "ingest", "--db", str(db), "--json",
             "--workers", "1", str(feed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            # small transactions, as the monitor commits article by article
            env={**os.environ, "PARALLAX_BATCH_SIZE": "20"},
            # `nice -n N parallax ingest`: the writer yields the CPU to the server
            preexec_fn=(lambda: os.nice(nice)) if nice else None,
        )  # fmt: skip
        before = httpx.get(f"{base}/api/v1/health").json()["articles"]
        time.sleep(6)  # let it load its models and start writing
        result = asyncio.run(load(base, targets, clients=clients, seconds=seconds))
        after = httpx.get(f"{base}/api/v1/health").json()["articles"]
        ingest.terminate()
        ingest.wait(timeout=30)
    result["articles_ingested_meanwhile"] = after - before
    result["ingest_nice"] = nice
    return result


def count_articles(db: Path) -> int:
    """Articles in the store, read by a separate read-only connection (never cached)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def pending_urls(db: Path) -> int:
    """Article URLs the monitor has discovered and not handled yet."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM frontier WHERE state = 'new'").fetchone()[0])


def copy_store(source: Path, folder: Path) -> Path:
    """A consistent copy of ``source`` (SQLite backup: safe even if something writes it)."""
    target = folder / "store.db"
    print(f"copying {source} to {target}...", file=sys.stderr)
    with (
        sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src,
        sqlite3.connect(target) as dst,
    ):
        src.backup(dst)
    return target


def load_with_monitor(
    db: Path,
    folder: Path,
    targets: list[tuple[str, str]],
    *,
    clients: int,
    seconds: float,
    pages: int,
) -> dict[str, Any]:
    """The load against ``parallax serve --monitor`` while it stores a synthetic site's articles.

    The site (``pages`` articles over six hosts, one RSS feed each) is served by ``parallax
    replay-server``; every monitor request goes there (``PARALLAX_FETCH_VIA``) with its original
    URL, without per-host delay, so the monitor is busy fetching and storing for the whole run.
    Each URL is requested once (the caches warm, as before the idle load), then the load starts
    once the monitor has stored its first article."""
    site = folder / "site"
    feeds = build_site(site, pages)
    replay_port = free_port()
    log = folder / "server.log"
    replay = subprocess.Popen(
        [sys.executable, "-m", "newsparallax", "replay-server", str(site),
         "--port", str(replay_port)],
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )  # fmt: skip
    proc = None
    try:
        for url in feeds:
            subprocess.run(
                [sys.executable, "-m", "newsparallax", "feeds", "add", url, "--db", str(db)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        env = {
            "PARALLAX_FETCH_VIA": f"http://127.0.0.1:{replay_port}",
            "PARALLAX_HOST_DELAY": "0",
            "PARALLAX_WARC_DIR": str(folder / "warc"),
        }
        before = count_articles(db)
        started = time.perf_counter()
        proc, base = start(db, monitor=True, env=env, log=log)
        with httpx.Client(base_url=base, timeout=300) as client:
            for _, path in targets:  # warm, as the latency pass does before the idle load
                client.get(path)
        deadline = time.monotonic() + 180
        while count_articles(db) == before:
            if time.monotonic() > deadline or proc.poll() is not None:
                sys.exit(f"the monitor stored nothing within 180 s (see {log})")
            time.sleep(0.5)
        warmup = time.perf_counter() - started
        at_start = count_articles(db)
        result = asyncio.run(load(base, targets, clients=clients, seconds=seconds))
        at_end = count_articles(db)
        pending = pending_urls(db)
    finally:
        if proc is not None:
            stop(proc)
        replay.terminate()
        replay.wait(timeout=30)
    result["articles_stored_meanwhile"] = at_end - at_start
    result["articles_per_s"] = round((at_end - at_start) / result["seconds"], 1)
    result["monitor_pending_at_end"] = pending
    result["monitor_start_s"] = round(warmup, 1)
    if at_end == at_start:
        result["void"] = "the monitor stored nothing during the load"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="an existing store (default: build one)")
    parser.add_argument("--keep", action="store_true", help="keep a store built here")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--with-ingest", action="store_true", help="also load while an ingest writes the store"
    )
    parser.add_argument(
        "--ingest-nice",
        type=int,
        default=0,
        metavar="N",
        help="run that ingest as `nice -n N` (the deployment the README describes: 10)",
    )
    parser.add_argument(
        "--with-monitor",
        action="store_true",
        help="also load `parallax serve --monitor` while its monitor stores a replayed site",
    )
    parser.add_argument(
        "--monitor-pages", type=int, default=1500, help="articles of the replayed site"
    )
    parser.add_argument(
        "--no-latency", action="store_true", help="skip the per-URL latencies and exports"
    )
    parser.add_argument("--no-idle", action="store_true", help="skip the load without writes")
    parser.add_argument("--by-target", action="store_true", help="p50/p99 per URL under load")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="parallax-web-bench-"))
    db = args.db
    rows: list[dict[str, Any]] = []
    exports: dict[str, Any] = {}
    loaded = busy = monitored = None
    try:
        if db is None or not db.exists():
            db = db or tmp / "demo.db"
            build_store(db)
            if args.keep:
                print(f"keeping {db}", file=sys.stderr)
        else:  # even the server alone may migrate the store: work on a copy, never the original
            db = copy_store(db, tmp)
        proc, base = start(db)
        try:
            targets = urls(base)
            mix = [t for t in targets if t[0] != "api health"]
            if not args.no_latency:
                rows = latency(base, targets, repeat=args.repeat)
                exports = export_time(base)
            if not args.no_idle:
                loaded = asyncio.run(load(base, mix, clients=args.clients, seconds=args.seconds))
            if args.with_ingest:
                busy = load_with_ingest(
                    base, db, mix, clients=args.clients, seconds=args.seconds,
                    nice=args.ingest_nice,
                )  # fmt: skip
        finally:
            stop(proc)
        if args.with_monitor:
            monitored = load_with_monitor(
                db,
                tmp,
                mix,
                clients=args.clients,
                seconds=args.seconds,
                pages=args.monitor_pages,
            )
    finally:
        if not (args.keep and args.db is None):
            shutil.rmtree(tmp, ignore_errors=True)
    result = {
        "store": str(args.db or db),
        "latency": rows,
        "exports": exports,
        "load": loaded,
        "load_while_ingesting": busy,
        "load_while_monitoring": monitored,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    report(result, by_target=args.by_target)


def report(result: dict[str, Any], *, by_target: bool) -> None:
    print(f"store {result['store']}")
    if result["latency"]:
        print(
            f"{'':28} {'status':>6} {'KB':>7} {'cold ms':>8} {'p50 ms':>7} {'p95 ms':>7}"
            f" {'304 ms':>7}"
        )
    for r in result["latency"]:
        print(
            f"{r['name']:<28} {r['status']:>6} {r['bytes'] / 1000:>7.1f} {r['cold_ms']:>8.1f}"
            f" {r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f} {r['etag_304_ms'] or 0:>7.1f}"
        )
    for fmt, e in result["exports"].items():
        print(
            f"export all articles as {fmt}: {e['lines']} lines, {e['mb']:.1f} MB"
            f" in {e['seconds']} s"
        )
    runs = (
        ("load", result["load"]),
        ("load while ingesting", result["load_while_ingesting"]),
        ("load while the monitor stores (serve --monitor)", result["load_while_monitoring"]),
    )
    for label, run in runs:
        if run is None:
            continue
        extra = ""
        if "articles_ingested_meanwhile" in run:
            extra = f", {run['articles_ingested_meanwhile']} articles stored meanwhile"
            if run.get("ingest_nice"):
                extra += f" (ingest run as nice -n {run['ingest_nice']})"
        if "articles_stored_meanwhile" in run:
            extra = (
                f", monitor stored {run['articles_stored_meanwhile']} articles meanwhile"
                f" ({run['articles_per_s']}/s, {run['monitor_pending_at_end']} URLs still"
                f" pending at the end)"
            )
        print(
            f"{label}: {run['clients']} clients x {run['seconds']} s: {run['requests']} requests,"
            f" {run['requests_per_s']} req/s, p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms,"
            f" p99 {run['p99_ms']} ms, max {run['max_ms']} ms, errors {run['errors']}"
            f" {run['statuses']}{extra}"
        )
        if run.get("void"):
            print(f"  VOID: {run['void']}")
        if by_target:
            for name, t in sorted(run["by_target"].items(), key=lambda kv: -kv[1]["p99_ms"]):
                print(
                    f"  {name:<28} n {t['n']:>6}  p50 {t['p50_ms']:>8.1f}  p99 {t['p99_ms']:>8.1f}"
                )
    print("(one run; figures vary ±30 % run to run)")


if __name__ == "__main__":
    main()
