"""Relation index, timeline and alerts on the demo corpus: times and the top-10 timelines.

Needs a store holding the whole demo corpus (``parallax demo --db PATH``, ~18 min on 2 cores).
On a copy of it, this script

1. rebuilds every relation series from scratch (``relations.rebuild``), ``--repeat`` times;
2. computes the top 10 timeline milestones of IRN–RUS and RUS–UKR (printed last), then ingests
   one new hand-written article (an Iran→Russia delivery, our own words) with the full pipeline
   and times the incremental update (``relations.update``) that follows;
3. times reading a dyad's series at day / week / month resolution;
4. runs the default alert rules of the ``iran-russia`` watch (no sinks).

Run: ``.venv/bin/python bench/relations_bench.py --demo-db parallax.db [--repeat 3] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from newsparallax.analyze import alerts, relations
from newsparallax.analyze.timeline import timeline
from newsparallax.ingest import ingest
from newsparallax.store.database import Store
from newsparallax.watches import load_watch

NEW_ARTICLE = {
    "url": "https://www.reuters.com/world/bench-iran-russia-delivery",
    "language": "en",
    "published": None,  # set to the day after the newest article of the store
    "date_precision": "second",
    "title": "Iran delivers a new batch of attack drones to Russia",
    "text": (
        "Iran delivered a new batch of attack drones to Russia on Monday, two officials said. "
        "The shipment crossed the Caspian Sea by ferry. Moscow thanked Tehran for its help."
    ),
    "collection": "bench",
    "license": "bench fixture (our own text)",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-db", required=True, help="store made by `parallax demo`")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    source = Path(args.demo_db)
    if not source.is_file():
        sys.exit(f"no store at {source}: run `parallax demo --db {source}` first")
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with Store(source) as original:  # checkpoint the WAL before copying
            original.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(source, db)
        with Store(db) as store:
            figures["articles"] = store.count()
            figures["events"] = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
            figures["stories"] = relations.stories_available(store)
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                summary = relations.rebuild(store)
                times.append(time.perf_counter() - started)
            figures["rebuild_seconds"] = round(statistics.median(times), 3)
            figures["rebuild"] = summary.as_dict()
            tops = {}  # before the new article, on the demo corpus alone
            for a, b in (("IRN", "RUS"), ("RUS", "UKR")):
                started = time.perf_counter()
                found_tl = timeline(store, a, b, limit=10)
                figures[f"timeline_{a}_{b}_ms"] = round(1000 * (time.perf_counter() - started))
                tops[f"{a}-{b}"] = found_tl["milestones"]
            newest = store.conn.execute("SELECT max(published_ts) FROM articles").fetchone()[0]
            day = time.strftime("%Y-%m-%dT09:00:00+00:00", time.gmtime(newest + 86_400))
            path = Path(tmp) / "new.jsonl"
            path.write_text(json.dumps({**NEW_ARTICLE, "published": day}) + "\n")
            started = time.perf_counter()
            stored = ingest([str(path)], store=store, watch=load_watch(), workers=1)
            figures["ingest_one_seconds"] = round(time.perf_counter() - started, 3)
            figures["ingest_one_stored"] = stored.stored
            started = time.perf_counter()
            update = relations.update(store)
            figures["update_seconds"] = round(time.perf_counter() - started, 4)
            figures["update"] = update.as_dict()
            for freq in ("day", "week", "month"):
                started = time.perf_counter()
                found = relations.series(store, "IRN", "RUS", freq=freq, both=True)
                figures[f"series_{freq}_ms"] = round(1000 * (time.perf_counter() - started), 1)
                figures[f"series_{freq}_points"] = len(found.points)
            started = time.perf_counter()
            evaluation = alerts.evaluate(store, load_watch(), sinks=[])
            figures["alerts_seconds"] = round(time.perf_counter() - started, 3)
            figures["alerts"] = evaluation.as_dict()
            figures["alerts_by_rule"] = dict(
                store.conn.execute("SELECT rule, count(*) FROM alerts GROUP BY rule").fetchall()
            )
    if args.json:
        print(json.dumps({"figures": figures, "timelines": tops}, ensure_ascii=False, indent=2))
        return
    for key, value in figures.items():
        print(f"{key:>24}: {value}")
    for pair, items in tops.items():
        print(f"\ntimeline {pair} (top 10 by camps, outlets, articles):")
        for m in items:
            camps = ", ".join(f"{c} {n}" for c, n in m["camps"].items())
            print(
                f"{m['rank']:>3}. {m['date']} {m['kind']:<9} {m['summary'][:100]}\n"
                f"       {m['camp_count']} camps / {m['outlets']} outlets / {m['articles']}"
                f" articles [{camps}] e.g. article {m['article_ids'][0]}"
            )


if __name__ == "__main__":
    main()
