"""Story and arc clustering against real gold: B-cubed on the RUWA war headlines, beside baselines.

The ``ruwa-war-headlines`` records of ``../shared/data/demo`` carry in ``collection`` the
real-world event each item was collected for (two of the dataset's events are held back).
This script

1. ingests them into a store with the full pipeline (actors, events when registered, dedupe);
   ``--store PATH`` keeps that store for the next run;
2. clusters all but the newest ``--tail`` articles (``stories.rebuild``), then the tail
   incrementally (``stories.update``: open stories are loaded back from the store); time per
   article on both paths;
3. scores B-cubed precision / recall / F1 of the stories and of the story arcs (long-running
   story lines; an article counts in its story's arc) against the gold, for the default
   thresholds and a sweep, beside a TF-IDF + threshold baseline (single pass over title and
   summary, global IDF, the same quiet period, no stemming, no names / actors / facts) and
   two trivial references (everything in one cluster, every article alone), with the share
   of articles in the largest cluster of each (a giant cluster is how a method cheats this
   gold, whose largest event holds about half of the items);
4. with ``--demo-db PATH`` (a store holding the whole demo corpus, e.g. from `parallax demo`),
   times a full recluster of it on a copy.

Run: ``.venv/bin/python bench/stories_eval.py [--sweep] [--store ruwa.db] [--demo-db parallax.db]``.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from newsparallax.analyze.stories.cluster import Clusterer, Params
from newsparallax.analyze.stories.items import DAY, load_items
from newsparallax.analyze.stories.job import rebuild, update
from newsparallax.ingest import ingest
from newsparallax.store.database import Store
from newsparallax.watches import load_watch

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "data" / "demo" / "ruwa-war-headlines-2022.jsonl.gz"
_TOKEN = re.compile(r"\w+")


def bcubed(pred: dict[int, str], gold: dict[int, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998) over the items of ``pred``."""
    pc, gc = Counter(pred.values()), Counter(gold[i] for i in pred)
    both = Counter((pred[i], gold[i]) for i in pred)
    p = sum(both[(pred[i], gold[i])] / pc[pred[i]] for i in pred) / len(pred)
    r = sum(both[(pred[i], gold[i])] / gc[gold[i]] for i in pred) / len(pred)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def tfidf_baseline(
    docs: list[tuple[int, int, str]], threshold: float, quiet_days: float
) -> dict[int, str]:
    """Single-pass TF-IDF clustering: join the most similar cluster active in the last
    ``quiet_days`` if its centroid cosine reaches ``threshold``."""
    tokens = [Counter(_TOKEN.findall(text.lower())) for _, _, text in docs]
    df: Counter[str] = Counter()
    for c in tokens:
        df.update(c.keys())
    n = len(docs)
    idf = {k: math.log((n + 1) / (v + 1)) + 1 for k, v in df.items()}
    centroids: list[dict[str, float]] = []
    norms: list[float] = []
    last: list[int] = []
    postings: dict[str, set[int]] = defaultdict(set)
    out = {}
    for (rowid, ts, _), counts in zip(docs, tokens, strict=True):
        vec = {k: (1 + math.log(c)) * idf[k] for k, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vec = {k: v / norm for k, v in vec.items()}
        candidates = set().union(*(postings.get(k, set()) for k in vec)) if vec else set()
        best, best_sim = -1, 0.0
        for ci in candidates:
            if ts - last[ci] > quiet_days * DAY:
                continue
            sim = sum(v * centroids[ci].get(k, 0.0) for k, v in vec.items()) / norms[ci]
            if sim > best_sim:
                best, best_sim = ci, sim
        if best < 0 or best_sim < threshold:
            centroids.append({})
            norms.append(1.0)
            last.append(ts)
            best = len(centroids) - 1
        cen = centroids[best]
        for k, v in vec.items():
            cen[k] = cen.get(k, 0.0) + v
            postings[k].add(best)
        norms[best] = math.sqrt(sum(v * v for v in cen.values())) or 1.0
        last[best] = max(last[best], ts)
        out[rowid] = f"b{best}"
    return out


def _predicted(store: Store) -> dict[int, str]:
    return {
        r[0]: r[1]
        for r in store.conn.execute(
            "SELECT article_rowid, story_id FROM story_articles WHERE story_id IS NOT NULL"
        )
    }


def _predicted_arcs(store: Store) -> dict[int, str]:
    return {
        r[0]: r[1]
        for r in store.conn.execute(
            "SELECT sa.article_rowid, s.arc_id FROM story_articles sa"
            " JOIN stories s ON s.id = sa.story_id WHERE s.arc_id IS NOT NULL"
        )
    }


def largest_share(pred: dict[int, str]) -> float:
    return Counter(pred.values()).most_common(1)[0][1] / len(pred) if pred else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tail", type=int, default=500, help="articles clustered incrementally")
    ap.add_argument("--store", help="keep the ingested gold in this store (reused if present)")
    ap.add_argument("--sweep", action="store_true", help="also sweep thresholds")
    ap.add_argument("--demo-db", help="a store with the whole demo corpus: time a recluster")
    args = ap.parse_args()
    if not GOLD.exists():
        print(f"no gold at {GOLD}", file=sys.stderr)
        return 1
    params = Params.from_settings()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.store) if args.store else Path(tmp) / "ruwa.db"
        t_ingest = 0.0
        if not db.exists():
            t0 = time.perf_counter()
            with Store(db) as store:
                ingest([str(GOLD)], store=store, watch=load_watch())
            t_ingest = time.perf_counter() - t0
        with Store(db) as store:
            cutoff = store.conn.execute(
                "SELECT published_ts FROM articles WHERE published_ts IS NOT NULL"
                " ORDER BY published_ts DESC LIMIT 1 OFFSET ?",
                (args.tail,),
            ).fetchone()[0]
            full = rebuild(store, params, until_ts=cutoff)
            incr = update(store, params)
            gold = {
                r[0]: r[1]
                for r in store.conn.execute(
                    "SELECT rowid, collection FROM articles WHERE collection LIKE 'ruwa%'"
                )
            }
            pred = _predicted(store)
            pred_arcs = _predicted_arcs(store)
            items = list(load_items(store))
            docs = sorted(
                (
                    (r[0], r[1], f"{r[2]} {r[3]}")
                    for r in store.conn.execute(
                        "SELECT rowid, published_ts, title, summary FROM articles"
                        " WHERE published_ts IS NOT NULL AND (title != '' OR summary != '')"
                    )
                ),
                key=lambda d: (d[1], d[0]),
            )
        print(
            f"gold: {len(gold)} stored articles in {len(set(gold.values()))} events (ingest"
            f" {t_ingest:.0f} s); clustered {len(pred)}; builder: {params.describe()}"
        )
        print(
            f"rebuild:     {full.articles} articles in {full.seconds:.1f} s"
            f" = {1000 * full.seconds / max(1, full.articles):.2f} ms/article"
        )
        print(
            f"incremental: {incr.articles} articles in {incr.seconds:.2f} s"
            f" = {1000 * incr.seconds / max(1, incr.articles):.2f} ms/article"
            f" (load open stories and arcs, cluster, link, save)"
        )
        print(
            f"arcs:        {full.arcs_started + incr.arcs_started} founded,"
            f" {full.arcs_joined + incr.arcs_joined} stories joined one,"
            f" {full.arcs_merged + incr.arcs_merged} merges; {incr.arcs} arcs stored"
        )
        rows: list[tuple[str, object, int, float, float, float, float]] = []

        def add(name: str, th: object, got: dict[int, str]) -> None:
            rows.append((name, th, len(set(got.values())), *bcubed(got, gold), largest_share(got)))

        add("stories (incremental run)", params.threshold, pred)
        add("arcs (incremental run)", params.arc_threshold, pred_arcs)
        from newsparallax.analyze.stories.cluster import cluster

        def one_pass(
            th: float, arc_th: float, merge: float
        ) -> tuple[float, float, Clusterer, dict[int, str]]:
            p = Params(
                threshold=th,
                quiet_days=params.quiet_days,
                max_span_days=params.max_span_days,
                arc_threshold=arc_th,
                arc_merge=merge,
            )
            t0 = time.perf_counter()
            c = cluster(items, p)
            arcs = c.arcs.members()
            return time.perf_counter() - t0, c.arcs.seconds, c, arcs

        sweep = (
            [
                (0.15, params.arc_threshold, params.arc_merge),
                (0.2, params.arc_threshold, params.arc_merge),
                (0.3, params.arc_threshold, params.arc_merge),
            ]
            if args.sweep
            else [(params.threshold, params.arc_threshold, params.arc_merge)]
        )
        if args.sweep:
            for arc_th, merge in [(0.12, 0.2), (0.2, 0.2), (0.15, 0.15), (0.15, 0.25)]:
                sweep.append((params.threshold, arc_th, merge))
        timings = []
        for th, arc_th, merge in sweep:
            seconds, arc_seconds, c, arcs = one_pass(th, arc_th, merge)
            timings.append((th, arc_th, merge, seconds, arc_seconds))
            got = {m[0]: s.key for s in c.stories.values() for m in s.members}
            if (arc_th, merge) == (params.arc_threshold, params.arc_merge):
                add("stories (one pass)", th, got)
            add(f"arcs (one pass, m={merge})", f"{th}/{arc_th}", arcs)
        t0 = time.perf_counter()
        for th in [0.15, 0.2, 0.3, 0.4] if args.sweep else [0.15, 0.2]:
            got = tfidf_baseline(docs, th, params.quiet_days)
            add("tf-idf baseline", th, got)
        t_base = time.perf_counter() - t0
        add("all in one", None, dict.fromkeys(pred, "all"))
        add("each alone", None, {i: str(i) for i in pred})
        print(f"\n{'method':<28}{'thr':>10}{'clusters':>10}{'P':>8}{'R':>8}{'F1':>8}{'largest':>9}")
        for name, thr, k, p, r, f, big in rows:
            th_s = "" if thr is None else str(thr)
            print(f"{name:<28}{th_s:>10}{k:>10}{p:>8.3f}{r:>8.3f}{f:>8.3f}{big:>9.1%}")
        print("\n(thr of arcs: story threshold / arc threshold; m: arc merge threshold;")
        print(" largest: share of the clustered articles in the largest cluster)")
        for th, arc_th, merge, seconds, arc_seconds in timings:
            print(
                f"one pass {th}/{arc_th} m={merge}: {seconds:.1f} s"
                f" ({arc_seconds:.1f} s of it linking arcs)"
            )
        print(f"tf-idf baselines: {t_base:.1f} s")
        per_event = defaultdict(list)
        sizes = Counter(pred.values())
        for i, g in gold.items():
            if i in pred:
                per_event[g].append(sizes[pred[i]])
        arc_sizes = Counter(pred_arcs.values())
        per_arc: dict[str, list[int]] = defaultdict(list)
        for i, g in gold.items():
            if i in pred_arcs:
                per_arc[g].append(arc_sizes[pred_arcs[i]])
        print("\nper event: articles, median size of their stories, of their arcs")
        for g, sz in sorted(per_event.items(), key=lambda kv: -len(kv[1])):
            a = sorted(per_arc.get(g, [0]))
            print(f"  {g:<40} {len(sz):>6} {sorted(sz)[len(sz) // 2]:>5} {a[len(a) // 2]:>6}")
    if args.demo_db:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "demo.db"
            shutil.copy(args.demo_db, copy)
            for suffix in ("-wal", "-shm"):
                if Path(args.demo_db + suffix).exists():
                    shutil.copy(args.demo_db + suffix, str(copy) + suffix)
            with Store(copy) as store:
                s = rebuild(store, params)
            print(
                f"\nwhole demo store: {s.articles} articles reclustered in {s.seconds:.1f} s"
                f" ({1000 * s.seconds / max(1, s.articles):.2f} ms/article), {s.stories}"
                f" stories, {s.skipped} skipped (no day-precise date)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
