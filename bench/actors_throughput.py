"""Actor matching throughput and coverage on the offline demo corpus.

Runs the dictionary matcher (the ``actors`` stage's work) over every record of the demo files
(title is not included: offsets are into the text), and prints per file: records, articles per
CPU second (one process; CPU time so that a busy machine does not skew it),
words/s, mentions per article, share of articles with at least one actor, and the most
mentioned actors. Also the time to load the dictionary and build the automaton.

    python bench/actors_throughput.py [--data ../shared/data/demo] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from newsparallax.annotate.actors import ActorDictionary, Matcher

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "demo"


def _records(path: Path, limit: int | None) -> list[dict[str, object]]:
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(out) >= limit:
                break
            out.append(json.loads(line))
    return out


def _published(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="Records per file.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    dictionary = ActorDictionary.load()
    loaded = time.perf_counter() - started
    matcher = Matcher(dictionary)
    built = time.perf_counter() - started - loaded
    report: dict[str, object] = {
        "dictionary_entries": len(dictionary),
        "aliases": matcher.size,
        "load_seconds": round(loaded, 2),
        "automaton_seconds": round(built, 2),
        "files": [],
    }
    total_docs = total_seconds = 0.0
    for path in sorted(args.data.glob("*.jsonl.gz")):
        records = _records(path, args.limit)
        texts = [
            (str(r.get("text") or r.get("summary") or ""), r.get("language"), r.get("published"))
            for r in records
        ]
        words = sum(len(t.split()) for t, _, _ in texts)
        top: Counter[str] = Counter()
        with_actor = mentions = 0
        t0 = time.process_time()
        for text, language, published in texts:
            found = matcher.find(
                text, language=str(language or ""), published=_published(published)
            )
            mentions += len(found)
            with_actor += bool(found)
            top.update(m.actor for m in found)
        seconds = time.process_time() - t0
        total_docs += len(texts)
        total_seconds += seconds
        files = report["files"]
        assert isinstance(files, list)
        files.append(
            {
                "file": path.name,
                "records": len(texts),
                "articles_per_s": round(len(texts) / seconds, 1) if seconds else None,
                "words_per_s": round(words / seconds) if seconds else None,
                "mentions_per_article": round(mentions / max(len(texts), 1), 2),
                "with_actor": round(with_actor / max(len(texts), 1), 3),
                "top": top.most_common(8),
            }
        )
    report["articles_per_s"] = round(total_docs / total_seconds, 1) if total_seconds else None
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(
        f"dictionary: {report['dictionary_entries']} entries, {report['aliases']} alias keys;"
        f" load {report['load_seconds']} s, automaton {report['automaton_seconds']} s"
    )
    for f in report["files"]:  # type: ignore[union-attr]
        print(
            f"{f['file']:<38} {f['records']:>6} rec  {f['articles_per_s']:>8} art/s"
            f"  {f['words_per_s']:>8} words/s  {f['mentions_per_article']:>6} mentions/art"
            f"  {f['with_actor']:.1%} with an actor"
        )
        print("    top: " + ", ".join(f"{a} {n}" for a, n in f["top"]))
    print(f"all files: {report['articles_per_s']} articles/s (one process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
