"""Ingest throughput of the whole demo corpus, end to end into a fresh store.

Runs ingest with 1 and 2 worker processes, each into a fresh store, and prints wall time,
articles/s, store size, CPU seconds per stage (summed over processes) and peak resident memory.
The time not in stages is reading, the duplicate look-ups in the store and writing (including
full-text indexing), which stay in the main process.

    python bench/ingest_throughput.py [--data ../shared/data/demo] [--workers 1,2] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from newsparallax.cli.demo import demo_files
from newsparallax.ingest import ingest
from newsparallax.store.database import Store
from newsparallax.watches import load_watch


def run(files: list[Path], *, workers: int) -> dict[str, object]:
    watch = load_watch("iran-russia")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        started = time.perf_counter()
        with Store(db) as store:
            summary = ingest([str(f) for f in files], store=store, watch=watch, workers=workers)
        total = time.perf_counter() - started
        size_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
    stage_cpu = sum(summary.stage_seconds.values())
    return {
        "workers": workers,
        "files": len(files),
        "read": summary.read,
        "stored": summary.stored,
        "duplicates": summary.duplicates,
        "seconds": round(total, 1),
        "articles_per_second": round(summary.read / total, 1),
        "store_mb": round(size_mb, 1),
        "stage_seconds": {k: round(v, 1) for k, v in summary.stage_seconds.items()},
        "stage_share": {k: round(v / stage_cpu, 3) for k, v in summary.stage_seconds.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=None)
    parser.add_argument("--limit-files", type=int, default=None)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts to run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    files = demo_files(args.data)[: args.limit_files]
    results = [run(files, workers=int(w)) for w in args.workers.split(",")]
    peak = {
        "main_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "largest_worker_rss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
    }
    if args.json:
        json.dump({"runs": results, "peak_memory": peak}, sys.stdout, indent=2)
        print()
        return
    for r in results:
        print(
            f"workers={r['workers']}: {r['read']} records from {r['files']} files in"
            f" {r['seconds']} s = {r['articles_per_second']} articles/s;"
            f" stored {r['stored']} ({r['duplicates']} duplicates), store {r['store_mb']} MB"
        )
        print("  stage CPU seconds (summed over processes) and share of stage time:")
        for name, secs in r["stage_seconds"].items():  # type: ignore[attr-defined]
            share = r["stage_share"][name]  # type: ignore[index]
            print(f"    {name:<14} {secs:7.1f} s  {share * 100:5.1f} %")
    print(
        f"peak RSS: main process {peak['main_rss_mb']} MB,"
        f" largest worker {peak['largest_worker_rss_mb']} MB"
    )


if __name__ == "__main__":
    main()
