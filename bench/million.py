"""A million articles: the store, the jobs and the web app at --size articles (default 1M), on
SQLite and on PostgreSQL, against the 43k-article demo store.

Annotating a million articles on two cores would take days, so only the real demo records are
annotated, once, and the million are made from their stored rows. What is real and what is not:

1. **base** — the demo corpus (``../shared/data/demo``, ~43k records) through the real ingest
   path (``parallax ingest``), or ``--base PATH``, a store built so (``parallax demo`` makes one).
2. **replicas** — the base's stored rows (articles with their mentions, events, themes and
   MinHash signatures) written again through the store's own write path (``Store.add`` in
   transactions of 2,000, :mod:`newsparallax.store.bulk`) until the store holds ``--size``
   articles. Copy ``k`` is dated ``k × --shift-days`` days earlier (month-dated items to the
   first of their month), so a year of the replicated store is about as dense as the demo's busy
   months times 365 / ``--shift-days``; it gets new ids, URLs and content hashes, its events new
   instance ids for their new day, and about one lowercase word in five outside the actor
   mentions replaced by another corpus word of the same length (every offset stays valid; the
   MinHash signature is computed again from the new text, so dedupe does not fold the copies:
   estimated Jaccard to the original ≈ 0.4, under the 0.7 threshold). Outlets and languages are
   kept. The replicas' annotations are their originals': nothing is annotated for them.
3. **jobs** — run for real over the whole store: ``parallax cluster`` (stories and arcs, every
   article) and ``parallax relations --rebuild``.
4. **ingest rate** — a fixed batch of ``--fresh`` raw demo records (every n-th one, words
   perturbed the same way, new URLs, dated in the last week to the store's data clock) goes
   through ``parallax ingest`` into the 43k store and into the big store, alternating,
   ``--ingest-repeat`` times (each round its own batch: the same records, another perturbation).
   After each, ``parallax cluster`` and ``parallax relations`` (incremental) are timed: the
   update cost per new article.
5. **reads** — ``parallax search``'s query (the library call the CLI makes, one open store:
   process start-up not counted) for a mix of queries; the pages and API calls of the overview,
   relation, stories, compare and article views over HTTP (``parallax serve``, one process): the
   first request of each URL (caches empty) and ``--repeat`` more (warm).
6. **size and memory** — bytes per article (SQLite: the file and its WAL; PostgreSQL:
   ``pg_database_size``) and the peak RSS of every step (``ru_maxrss`` of its process).

PostgreSQL: a throwaway cluster from Debian's binaries (as the tests start one, with
``shared_buffers`` 1 GB and fsync off: a bench, not a durable server) unless ``--postgres URL``
names a server where the user may create databases.

    .venv/bin/python bench/million.py --size 100000                # quick check, ~1 h
    .venv/bin/python bench/million.py --size 1000000 --base demo.db --keep --json > out.json
    .venv/bin/python bench/million.py --demo-per-file 300 --size 20000 --fresh 100  # smoke test
    .venv/bin/python bench/million.py reads --db big.db   # step 5 alone, on a kept store

Everything is written under ``--work`` (default a temporary folder, removed at the end unless
``--keep``): a 1M SQLite store takes about 8 GB.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import math
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO.parent / "shared" / "data" / "demo"
sys.path.insert(0, str(REPO / "tests"))  # pg_support: the tests' PostgreSQL binaries

WORD = re.compile(r"\w+")
RATE = 0.2
"""Share of eligible words a replica replaces."""
QUERIES = (
    "Iran",
    "Россия",
    "nuclear*",
    '"Iran and Russia"',
    "sanctions -Ukraine",
    "drone OR missile",
    "Lavrov Araghchi",
    "Zaporizhzhia",
    "санкции",
    "تحریم",
)
DYADS = (("IRN", "RUS"), ("RUS", "UKR"), ("USA", "IRN"), ("ISR", "IRN"), ("USA", "RUS"))


# -- perturbation ------------------------------------------------------------------------------


def _script(word: str) -> str:
    ch = word[0]
    if "\u0400" <= ch <= "\u04ff":
        return "c"
    if "\u0600" <= ch <= "\u06ff":
        return "a"
    return "l"


def word_pool(texts: Iterator[str], *, per_key: int = 300) -> dict[tuple[str, int], list[str]]:
    """Lowercase words of the corpus by script and length: the replacements."""
    pool: dict[tuple[str, int], list[str]] = {}
    seen: set[str] = set()
    for text in texts:
        for word in WORD.findall(text):
            if not word.isalpha() or word[0].isupper() or word in seen or len(word) < 3:
                continue
            bucket = pool.setdefault((_script(word), len(word)), [])
            if len(bucket) < per_key:
                bucket.append(word)
                seen.add(word)
    return pool


def perturb(
    text: str,
    rng: random.Random,
    pool: dict[tuple[str, int], list[str]],
    protected: Sequence[tuple[int, int]] = (),
) -> str:
    """``text`` with about :data:`RATE` of its lowercase words (outside ``protected`` spans)
    replaced by corpus words of the same length: every offset into it stays valid."""
    if not text:
        return text
    spans = sorted(protected)
    out: list[str] = []
    pos = 0
    k = 0  # spans[k:] end after the current word's start
    for m in WORD.finditer(text):
        if rng.random() >= RATE:
            continue
        word = m.group()
        if not word.isalpha() or word[0].isupper():
            continue
        start, end = m.span()
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        if any(s < end for s, _ in spans[k : k + 8]):  # sorted by start: the next few suffice
            continue
        choices = pool.get((_script(word), len(word)))
        if not choices:
            continue
        out.append(text[pos:start])
        out.append(rng.choice(choices))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _hash(*parts: object, size: int = 16) -> str:
    key = "\x1f".join(str(p) for p in parts)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=size).hexdigest()


def replica_id(article_id: str, copy: int) -> str:
    return article_id if copy == 0 else _hash("replica", copy, article_id)[:20]


def shift_date(value: datetime | None, precision: str | None, days: int) -> datetime | None:
    if value is None or days == 0:
        return value
    moved = value - timedelta(days=days)
    if precision in ("month", "month-estimated"):
        moved = moved.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    elif precision in ("year", "year-estimated"):
        moved = moved.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return moved


# -- replication (the `replicate` step, run in its own process) ---------------------------------


_BASE: dict[str, Any] = {}
"""The replicator's state, set before its worker processes fork (they inherit it)."""


def _make(job: tuple[int, int, int]) -> list[tuple[Any, Any]]:
    """Replicas ``start..end`` of copy ``copy`` of the base articles (see the module
    docstring), each with its MinHash signature (``None`` where the original has none)."""
    import numpy as np

    from newsparallax.annotate.events import event_instance
    from newsparallax.minhash import minhash
    from newsparallax.textnorm import normalize_words

    copy, start, end = job
    articles, signatures, pool = _BASE["articles"], _BASE["signatures"], _BASE["pool"]
    out = []
    for n in range(start, end):
        article = articles[n]
        raw = signatures.get(article.id)
        if copy == 0:
            out.append((article, np.frombuffer(raw, dtype=np.uint32) if raw else None))
            continue
        rng = random.Random(copy * 10_000_019 + n)
        spans: dict[str, list[tuple[int, int]]] = {"title": [], "summary": [], "text": []}
        for m in article.mentions:
            spans.setdefault(m.field, []).append((m.start, m.end))
        title = perturb(article.title, rng, pool, spans["title"])
        summary = perturb(article.summary, rng, pool, spans["summary"])
        text = perturb(article.text, rng, pool, spans["text"])
        precision = article.date_precision.value if article.date_precision else None
        published = shift_date(article.published, precision, copy * _BASE["shift_days"])
        new_id = replica_id(article.id, copy)
        vague = ("month", "month-estimated", "year", "year-estimated")
        day_precise = published is not None and precision not in vague
        events = tuple(
            replace(
                e,
                instance=event_instance(
                    e, published if day_precise else None, article=None if day_precise else new_id
                ),
            )
            for e in article.events
        )
        url = article.url
        if url:
            url = f"{url}{'&' if '?' in url else '?'}replica={copy}"
        sig = minhash(normalize_words(text or summary)) if raw else None
        replica = replace(
            article,
            id=new_id,
            url=url,
            published=published,
            title=title,
            summary=summary,
            text=text,
            content_hash=_hash(copy, article.content_hash, size=12),
            duplicate_of=replica_id(article.duplicate_of, copy) if article.duplicate_of else None,
            events=events,
            extra={**article.extra, "replica_of": article.id, "replica": copy},
        )
        out.append((replica, sig))
    return out


def replicate(args: argparse.Namespace) -> None:
    """Copy the base's rows into ``--db`` until it holds ``--size`` articles (see the module
    docstring); prints a JSON summary. ``--workers`` processes make the replicas while this
    one writes them."""
    import multiprocessing

    from newsparallax.store.database import Store
    from newsparallax.watches import load_watch

    started = time.perf_counter()
    with Store(args.base, readonly=True) as base:
        articles = list(base.articles())
        signatures = {
            str(r[0]): bytes(r[1])
            for r in base.conn.execute(
                "SELECT a.id, m.signature FROM minhash m JOIN articles a ON a.rowid ="
                " m.article_rowid"
            )
        }
        outlets = base.outlets()
    _BASE.update(
        articles=articles,
        signatures=signatures,
        pool=word_pool(a.title + " " + a.summary + " " + a.text[:2000] for a in articles[::7]),
        shift_days=args.shift_days,
    )
    loaded = time.perf_counter() - started
    watch = load_watch("iran-russia")
    written = 0
    with Store(args.db) as store:
        store.sync_outlets(watch.outlets, watch=watch.name)
        for o in outlets:
            if o.camp is None:
                store.ensure_outlet(o)
        have = store.count()
        todo = max(0, args.size - have)
        copies = math.ceil(todo / len(articles))
        jobs = []
        for copy in range(args.first_copy, args.first_copy + copies):
            for lo in range(0, len(articles), 200):
                hi = min(len(articles), lo + 200, lo + todo)
                if hi > lo:
                    jobs.append((copy, lo, hi))
                    todo -= hi - lo
        # the store's own write path, as store/bulk.py uses it: Store.add per article (with its
        # MinHash signature, as ingest passes it), committed every --batch articles
        write_started = time.perf_counter()
        pending = 0
        context = multiprocessing.get_context("fork")
        with context.Pool(max(1, args.workers)) as workers:
            store.begin()
            try:
                for chunk in workers.imap(_make, jobs):
                    for article, sig in chunk:
                        stored = store.add(article, signature=sig, canonical_url=article.url)
                        written += stored is not None
                        pending += 1
                    if pending >= args.batch:
                        store.commit()
                        store.begin()
                        pending = 0
                        if written % 50_000 < 200:
                            rate = written / (time.perf_counter() - write_started)
                            print(
                                f"  {written} written ({rate:.0f}/s)", file=sys.stderr, flush=True
                            )
            finally:
                store.commit()
        write_seconds = time.perf_counter() - write_started
        total = store.count()
    print(
        json.dumps(
            {
                "base_articles": len(articles),
                "written": written,
                "articles": total,
                "copies": copies,
                "load_seconds": round(loaded, 1),
                "write_seconds": round(write_seconds, 1),
                "articles_per_s": round(written / write_seconds, 1) if write_seconds else None,
            }
        )
    )


# -- fresh records for the ingest rate ---------------------------------------------------------


def demo_files() -> list[Path]:
    files = sorted(DEMO.glob("*.jsonl.gz"))
    if not files:
        sys.exit(f"no demo corpus in {DEMO}")
    return files


def demo_records() -> Iterator[dict[str, Any]]:
    for path in demo_files():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)


def fresh_batches(
    folder: Path, *, n: int, rounds: int, clock: datetime, pool: dict[tuple[str, int], list[str]]
) -> list[Path]:
    """``rounds`` files of the same ``n`` demo records (every m-th), each perturbed its own
    way, with new URLs and dated in the 7 days to ``clock``."""
    records = list(demo_records())
    step = max(1, len(records) // n)
    chosen = records[::step][:n]
    out = []
    for r in range(rounds):
        path = folder / f"fresh-{r}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for i, rec in enumerate(chosen):
                rng = random.Random(r * 1_000_003 + i)
                rec = dict(rec)
                for key in ("title", "summary", "text"):
                    if rec.get(key):
                        rec[key] = perturb(rec[key], rng, pool)
                if rec.get("url"):
                    rec["url"] = f"{rec['url']}{'&' if '?' in rec['url'] else '?'}fresh={r}"
                rec["id"] = f"fresh-{r}-{i}"
                published = str(rec.get("published") or "")
                if len(published) <= 7:  # a year or a month: keep that granularity
                    rec["published"] = clock.strftime("%Y-%m" if len(published) == 7 else "%Y")
                    if not published:
                        rec["published"] = None
                else:
                    old = datetime.fromisoformat(published.replace("Z", "+00:00"))
                    day = clock - timedelta(days=i % 7)
                    new = day.replace(hour=old.hour, minute=old.minute, second=old.second)
                    if rec.get("date_precision") in ("month-estimated", "month"):
                        new = new.replace(day=1, hour=0, minute=0, second=0)
                    rec["published"] = new.isoformat()
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        out.append(path)
    return out


# -- processes -----------------------------------------------------------------------------------


def run(cmd: list[str], *, log: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd``; its wall seconds, peak RSS (MB, the largest of it and its children) and
    standard output (parsed as JSON when it is)."""
    out_path = log.with_suffix(".out")
    started = time.perf_counter()
    with out_path.open("wb") as out, log.open("ab") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    text = out_path.read_text(encoding="utf-8", errors="replace")
    if code != 0:
        sys.exit(f"{' '.join(cmd[:6])}... failed ({code}); see {log}")
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        parsed = text.strip()[-2000:]
    return {"seconds": round(seconds, 2), "rss_mb": round(usage.ru_maxrss / 1024), "out": parsed}


def parallax(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsparallax", *args]


# -- PostgreSQL ----------------------------------------------------------------------------------


@contextlib.contextmanager
def pg_server(folder: Path) -> Iterator[str]:
    """A throwaway PostgreSQL cluster (Debian's binaries) on a Unix socket in ``folder``."""
    from pg_support import _as_owner, _binaries

    bindir = _binaries()
    if bindir is None:
        sys.exit("no PostgreSQL binaries (apt-get install postgresql), or pass --postgres URL")
    base = folder / "pg"
    base.mkdir()
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        base.chmod(0o755)
    subprocess.run(
        _as_owner([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "parallax",
                   "-E", "UTF8", "--locale=C.UTF-8"]),
        check=True, capture_output=True,
    )  # fmt: skip
    options = (
        f"-k {base} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off -c max_connections=200 -c shared_buffers=1GB"
        " -c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=8GB"
    )
    subprocess.run(
        _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
                   str(base / "log"), "start"]),
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield f"postgresql://parallax@/postgres?host={base}"
    finally:
        subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            capture_output=True,
        )


def pg_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    base, _, query = server.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


def store_bytes(ref: str) -> int:
    if ref.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(ref) as conn:
            row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
            return int(row[0]) if row else 0
    return sum(
        Path(p).stat().st_size for p in (ref, f"{ref}-wal", f"{ref}-shm") if Path(p).exists()
    )


def article_count(ref: str) -> int:
    from newsparallax.store.database import Store

    with Store(ref, readonly=True) as store:
        return store.count()


# -- reads ---------------------------------------------------------------------------------------


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def search_times(ref: str, *, repeat: int) -> dict[str, Any]:
    """The query of ``parallax search`` (default limit 20) for :data:`QUERIES`, one open store:
    the first call of each and ``repeat`` more."""
    from newsparallax.store.database import Store
    from newsparallax.store.search import search

    first: dict[str, float] = {}
    warm: list[float] = []
    worst: dict[str, float] = {}
    with Store(ref, readonly=True) as store:
        for q in QUERIES:
            t0 = time.perf_counter()
            search(store, q)
            first[q] = round((time.perf_counter() - t0) * 1000, 1)
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                search(store, q)
                times.append((time.perf_counter() - t0) * 1000)
            warm += times
            worst[q] = round(statistics.median(times), 1)
    return {
        "p50_ms": round(pct(warm, 0.5), 1),
        "p95_ms": round(pct(warm, 0.95), 1),
        "first_ms": first,
        "median_ms_by_query": worst,
    }


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(
    ref: str, *, log: Path, extra: Sequence[str] = (), env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    import httpx

    port = free_port()
    proc = subprocess.Popen(
        parallax("serve", "--db", ref, "--port", str(port), *extra),
        env={**os.environ, "PARALLAX_API_READ": "local", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    try:
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                sys.exit(f"server did not start (see {log})")
            time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def peak_rss_mb(pid: int) -> int | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return None


def web_targets(base: str, ref: str) -> dict[str, list[str]]:
    """URLs per view, pages and API, with ids drawn from the store."""
    import httpx

    from newsparallax.store.database import Store

    with Store(ref, readonly=True) as store:
        n = store.count()
        rng = random.Random(7)
        ids = []
        for rowid in sorted(rng.sample(range(1, n + 1), 20)):
            row = store.conn.execute(
                "SELECT id FROM articles WHERE rowid >= ? ORDER BY rowid LIMIT 1", (rowid,)
            ).fetchone()
            if row:
                ids.append(str(row[0]))
    stories = httpx.get(f"{base}/api/v1/stories", params={"limit": 5}, timeout=600).json()
    story_ids = [s["id"] for s in stories["items"]]
    camps = [c["id"] for c in httpx.get(f"{base}/api/v1/camps", timeout=600).json()["items"]]
    pair = ",".join(c for c in ("western", "russian_state") if c in camps) or ",".join(camps[:2])
    dense = "since=2022-03-01&until=2022-03-31"
    rel = [f"/relations/{a}/{b}" for a, b in DYADS]
    targets = {
        "overview": ["/"],
        "relation": [*rel[:3], f"{rel[0]}?freq=week", f"{rel[1]}?freq=day"],
        "stories": ["/stories", f"/stories?{dense}", *(f"/stories/{s}" for s in story_ids[:3])],
        "compare": ["/compare", f"/compare?{dense}", f"/compare?camps={pair}&{dense}"],
        "article": [f"/articles/{i}" for i in ids[:10]],
    }
    api = {
        "api relation": [f"/api/v1{r}?freq=week" for r in rel[:3]],
        "api stories": ["/api/v1/stories", *(f"/api/v1/stories/{s}" for s in story_ids[:3])],
        "api compare": ["/api/v1/compare", f"/api/v1/compare?{dense}"],
        "api article": [f"/api/v1/articles/{i}" for i in ids[10:20]],
        "api articles list": ["/api/v1/articles?limit=50", "/api/v1/articles?q=Iran&limit=50"],
    }
    return {**targets, **api}


def web_times(base: str, targets: dict[str, list[str]], *, repeat: int) -> dict[str, Any]:
    import httpx

    out: dict[str, Any] = {}
    with httpx.Client(base_url=base, timeout=900) as client:
        for kind, paths in targets.items():
            first: list[float] = []
            warm: list[float] = []
            statuses: set[int] = set()
            for path in paths:
                t0 = time.perf_counter()
                r = client.get(path)
                first.append((time.perf_counter() - t0) * 1000)
                statuses.add(r.status_code)
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    r = client.get(path)
                    warm.append((time.perf_counter() - t0) * 1000)
                    statuses.add(r.status_code)
            out[kind] = {
                "urls": len(paths),
                "first_max_ms": round(max(first), 1),
                "first_p50_ms": round(pct(first, 0.5), 1),
                "warm_p50_ms": round(pct(warm, 0.5), 1),
                "warm_p95_ms": round(pct(warm, 0.95), 1),
                "statuses": sorted(statuses),
            }
    return out


def reads(ref: str, work: Path, name: str, *, repeat: int, settle: float = 0) -> dict[str, Any]:
    """``parallax search`` and the pages and API calls over HTTP; with ``settle``, the server is
    left that many seconds after start-up first (it prepares the overview and the default
    comparison in a thread of its own, which slows every request meanwhile)."""
    print(f"[{name}] reads", file=sys.stderr, flush=True)
    result: dict[str, Any] = {"search": search_times(ref, repeat=repeat)}
    with server(ref, log=work / f"{name}-serve.log") as (base, proc):
        time.sleep(settle)
        targets = web_targets(base, ref)
        result["web"] = web_times(base, targets, repeat=repeat)
        result["serve_peak_rss_mb"] = peak_rss_mb(proc.pid)
    return result


# -- the run -------------------------------------------------------------------------------------


def build_base(work: Path, per_file: int | None) -> tuple[Path, dict[str, Any]]:
    """The demo corpus (or its first ``per_file`` lines per file) through ``parallax ingest``."""
    files = demo_files()
    if per_file:
        sliced = []
        for source in files:
            target = work / source.name.removesuffix(".gz")
            with gzip.open(source, "rt", encoding="utf-8") as src, target.open("w") as dst:
                for n, line in enumerate(src):
                    if n >= per_file:
                        break
                    dst.write(line)
            sliced.append(target)
        files = sliced
    db = work / "base.db"
    print(f"building the base store {db} (real ingest; minutes)...", file=sys.stderr, flush=True)
    step = run(
        parallax("ingest", "--db", str(db), "--json", *map(str, files)), log=work / "base.log"
    )
    return db, step


def copy_sqlite(source: Path, target: Path) -> None:
    with (
        sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src,
        sqlite3.connect(target) as dst,
    ):
        src.backup(dst)


def jobs(ref: str, work: Path, name: str) -> dict[str, Any]:
    """``parallax cluster`` then ``parallax relations`` (incremental: a rebuild the first time),
    timed."""
    log = work / f"{name}-jobs.log"
    cluster = run(parallax("cluster", "--db", ref, "--json"), log=log)
    relations = run(parallax("relations", "--db", ref, "--json", "--limit", "1"), log=log)
    return {"cluster": cluster, "relations": relations}


def summarise_job(step: dict[str, Any]) -> dict[str, Any]:
    out = step.get("out")
    info = {k: step[k] for k in ("seconds", "rss_mb")}
    if isinstance(out, dict):
        info.update({k: out[k] for k in ("articles", "stories", "ms_per_article") if k in out})
    return info


def ingest_round(ref: str, batch: Path, work: Path, name: str) -> dict[str, Any]:
    step = run(parallax("ingest", "--db", ref, "--json", str(batch)), log=work / f"{name}.log")
    out = step["out"]
    stored = out["stored"] if isinstance(out, dict) else 0
    after = jobs(ref, work, name)
    return {
        "stored": stored,
        "ingest_seconds": out["seconds"],
        "articles_per_s": round(stored / out["seconds"], 2) if out["seconds"] else None,
        "ingest_wall_s": step["seconds"],
        "ingest_rss_mb": step["rss_mb"],
        "dedupe_s": out.get("stage_seconds", {}).get("dedupe.v1"),
        "cluster_s": after["cluster"]["seconds"],
        "cluster_ms_per_new_article": round(1000 * after["cluster"]["seconds"] / max(stored, 1), 1),
        "cluster_rss_mb": after["cluster"]["rss_mb"],
        "relations_s": after["relations"]["seconds"],
        "relations_ms_per_new_article": round(
            1000 * after["relations"]["seconds"] / max(stored, 1), 1
        ),
    }


def backend_run(
    backend: str, args: argparse.Namespace, work: Path, base: Path, fresh: list[Path], server: str
) -> dict[str, Any]:
    result: dict[str, Any] = {"backend": backend}
    if backend == "sqlite":
        small, big = str(work / "small.db"), str(work / "big.db")
        copy_sqlite(base, Path(small))
        copy_sqlite(base, Path(big))
        first_copy = 1
    else:
        small = pg_database(server, "parallax_small")
        big = pg_database(server, "parallax_big")
        first_copy = 1  # copy 0, the base itself, is loaded first
        base_n = article_count(str(base))
        for ref in (small, big):
            print(f"[{backend}] loading the base into {ref}", file=sys.stderr, flush=True)
            step = run(
                [sys.executable, __file__, "replicate", "--base", str(base), "--db", ref,
                 "--size", str(base_n), "--first-copy", "0"],
                log=work / f"{backend}-load.log",
            )  # fmt: skip
            result.setdefault("base_load", step)
    print(f"[{backend}] jobs on the base-size store", file=sys.stderr, flush=True)
    result["small_jobs"] = {k: summarise_job(v) for k, v in jobs(small, work, "small").items()}
    print(f"[{backend}] replicating to {args.size}", file=sys.stderr, flush=True)
    result["replicate"] = run(
        [sys.executable, __file__, "replicate", "--base", str(base), "--db", big,
         "--size", str(args.size), "--first-copy", str(first_copy),
         "--shift-days", str(args.shift_days)],
        log=work / f"{backend}-replicate.log",
    )  # fmt: skip
    print(f"[{backend}] jobs on the big store (full cluster + relations)", file=sys.stderr)
    result["big_jobs"] = {k: summarise_job(v) for k, v in jobs(big, work, "big").items()}
    for name, ref in (("small", small), ("big", big)):
        n = article_count(ref)
        size = store_bytes(ref)
        result[f"{name}_articles"] = n
        result[f"{name}_bytes_per_article"] = round(size / max(n, 1))
        result[f"{name}_gb"] = round(size / 1e9, 2)
    if not args.no_reads:
        result["small_reads"] = reads(small, work, f"{backend}-small", repeat=args.repeat)
        result["big_reads"] = reads(big, work, f"{backend}-big", repeat=args.repeat)
    rounds: dict[str, list[dict[str, Any]]] = {"small": [], "big": []}
    for r, batch in enumerate(fresh):
        for name, ref in (("small", small), ("big", big)):
            print(f"[{backend}] fresh ingest round {r} into {name}", file=sys.stderr, flush=True)
            rounds[name].append(ingest_round(ref, batch, work, f"{backend}-{name}-ingest-{r}"))
    result["ingest_rounds"] = rounds
    for name in ("small", "big"):
        rows = rounds[name]
        if rows:
            result[f"{name}_ingest_median"] = {
                k: statistics.median(float(r[k]) for r in rows if r[k] is not None)
                for k in rows[0]
                if k != "stored" and any(r[k] is not None for r in rows)
            }
    if rounds["small"] and rounds["big"]:
        a = result["small_ingest_median"]["articles_per_s"]
        b = result["big_ingest_median"]["articles_per_s"]
        result["ingest_slowdown_pct"] = round(100 * (1 - b / a), 1) if a else None
    if not args.keep and backend == "sqlite":
        for ref in (small, big):
            for suffix in ("", "-wal", "-shm"):
                Path(ref + suffix).unlink(missing_ok=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    rep = sub.add_parser("replicate", help="(internal) copy a base store's rows into --db")
    rep.add_argument("--base", required=True)
    rep.add_argument("--db", required=True)
    rep.add_argument("--size", type=int, required=True)
    rep.add_argument("--first-copy", type=int, default=1)
    rep.add_argument("--shift-days", type=int, default=16)
    rep.add_argument("--batch", type=int, default=2000)
    rep.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 1))
    only = sub.add_parser("reads", help="search, pages and API calls on an existing store")
    only.add_argument("--db", required=True, help="the store (opening it may migrate it)")
    only.add_argument("--repeat", type=int, default=10)
    only.add_argument("--settle", type=float, default=20.0, help="seconds after start-up")
    only.add_argument("--json", action="store_true")
    parser.add_argument("--size", type=int, default=1_000_000, help="articles of the big store")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--base", type=Path, help="an annotated demo store (default: build one)")
    parser.add_argument("--demo-per-file", type=int, help="base from the first N lines per file")
    parser.add_argument("--work", type=Path, help="folder for the stores (default: temporary)")
    parser.add_argument("--keep", action="store_true", help="keep the stores and logs")
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: a throwaway one)")
    parser.add_argument("--shift-days", type=int, default=16, help="date shift between copies")
    parser.add_argument("--fresh", type=int, default=1000, help="records per fresh ingest batch")
    parser.add_argument("--ingest-repeat", type=int, default=3, help="fresh ingest rounds")
    parser.add_argument("--repeat", type=int, default=10, help="warm repeats per URL and query")
    parser.add_argument("--no-reads", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.command == "replicate":
        replicate(args)
        return
    if args.command == "reads":
        with tempfile.TemporaryDirectory(prefix="parallax-million-reads-") as folder:
            found = reads(args.db, Path(folder), "store", repeat=args.repeat, settle=args.settle)
        if args.json:
            print(json.dumps(found, indent=2, ensure_ascii=False))
        else:
            report_reads(found)
        return

    from newsparallax.analyze.clock import data_clock
    from newsparallax.store.database import Store

    work = args.work or Path(tempfile.mkdtemp(prefix="parallax-million-"))
    work.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "size": args.size,
        "machine": {"cpus": os.cpu_count(), "load_before": os.getloadavg()},
    }
    try:
        if args.base:
            base = args.base
        else:
            base, step = build_base(work, args.demo_per_file)
            out = step["out"]
            result["base_ingest"] = {
                "articles": out["stored"],
                "seconds": out["seconds"],
                "articles_per_s": round(out["stored"] / out["seconds"], 2),
                "rss_mb": step["rss_mb"],
            }
        with Store(base, readonly=True) as store:
            day = data_clock(store)
            rows = store.conn.execute("SELECT title || ' ' || summary FROM articles")
            texts = [str(r[0]) for r in rows]
        clock = datetime(day.year, day.month, day.day, 12, tzinfo=UTC) if day else datetime.now(UTC)
        pool = word_pool(iter(texts))
        fresh = fresh_batches(work, n=args.fresh, rounds=args.ingest_repeat, clock=clock, pool=pool)
        backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
        for backend in backends:
            if backend == "postgresql":
                with contextlib.ExitStack() as stack:
                    url = args.postgres or stack.enter_context(pg_server(work))
                    result["postgresql"] = backend_run(backend, args, work, base, fresh, url)
            else:
                result["sqlite"] = backend_run(backend, args, work, base, fresh, "")
        result["machine"]["load_after"] = os.getloadavg()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        report(result)


def report(result: dict[str, Any]) -> None:
    print(f"size {result['size']:,}; machine {result['machine']}")
    if "base_ingest" in result:
        b = result["base_ingest"]
        print(f"base: {b['articles']} articles ingested at {b['articles_per_s']}/s")
    for backend in ("sqlite", "postgresql"):
        r = result.get(backend)
        if not r:
            continue
        print(f"\n== {backend}")
        for name in ("small", "big"):
            print(
                f"{name}: {r[f'{name}_articles']:,} articles, {r[f'{name}_gb']} GB,"
                f" {r[f'{name}_bytes_per_article']:,} bytes/article"
            )
        rep = r["replicate"]
        print(f"replicate: {rep['seconds']} s, {rep['rss_mb']} MB, {rep['out']}")
        for name in ("small_jobs", "big_jobs"):
            print(f"{name}: {r[name]}")
        for name in ("small", "big"):
            med = r.get(f"{name}_ingest_median")
            if med:
                print(f"ingest into {name} (median of {len(r['ingest_rounds'][name])}): {med}")
        if "ingest_slowdown_pct" in r:
            print(f"ingest at {r['big_articles']:,} vs {r['small_articles']:,}:"
                  f" {r['ingest_slowdown_pct']} % slower")  # fmt: skip
        for name in ("small_reads", "big_reads"):
            reads_ = r.get(name)
            if not reads_:
                continue
            report_reads(reads_, name=name)


def report_reads(reads_: dict[str, Any], *, name: str = "reads") -> None:
    s = reads_["search"]
    print(
        f"{name}: search p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms;"
        f" by query {s['median_ms_by_query']};"
        f" serve peak {reads_['serve_peak_rss_mb']} MB"
    )
    for kind, w in reads_["web"].items():
        print(
            f"  {kind:<18} first p50 {w['first_p50_ms']:>8} max {w['first_max_ms']:>8}"
            f"  warm p50 {w['warm_p50_ms']:>7} p95 {w['warm_p95_ms']:>7}  {w['statuses']}"
        )


if __name__ == "__main__":
    main()
