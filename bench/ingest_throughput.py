"""Ingest throughput of the whole demo corpus, end to end into a fresh store.

Prints articles/s, peak resident memory and the share of time per stage (the rest is reading,
outlet lookup and writing to the store, including full-text indexing).

    python bench/ingest_throughput.py [--data ../shared/data/demo] [--limit-files N] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from newsparallax.demo import demo_files
from newsparallax.ingest import ingest
from newsparallax.store import Store
from newsparallax.watches import load_watch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=None)
    parser.add_argument("--limit-files", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    files = demo_files(args.data)[: args.limit_files]
    watch = load_watch("iran-russia")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        started = time.perf_counter()
        with Store(db) as store:
            summary = ingest([str(f) for f in files], store=store, watch=watch)
        total = time.perf_counter() - started
        size_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stage_total = sum(summary.stage_seconds.values())
    result = {
        "files": len(files),
        "read": summary.read,
        "stored": summary.stored,
        "duplicates": summary.duplicates,
        "seconds": round(total, 1),
        "articles_per_second": round(summary.read / total, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "store_mb": round(size_mb, 1),
        "stage_share": {k: round(v / total, 3) for k, v in summary.stage_seconds.items()},
        "outside_stages_share": round((total - stage_total) / total, 3),
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return
    print(f"demo corpus: {result['read']} records from {result['files']} files")
    print(
        f"ingest: {result['seconds']} s, {result['articles_per_second']} articles/s,"
        f" peak RSS {result['peak_rss_mb']} MB, store {result['store_mb']} MB"
    )
    print(f"stored {result['stored']} ({result['duplicates']} duplicates)")
    for name, share in result["stage_share"].items():
        print(f"  {name:<14} {share * 100:5.1f} %")
    print(f"  {'read+store':<14} {result['outside_stages_share'] * 100:5.1f} %")


if __name__ == "__main__":
    main()
