"""Event coding throughput and output on the offline demo corpus.

For each demo file: actors then events on title and text (or summary), as the pipeline does;
prints articles and sentences per CPU second of the event stage alone (actors excluded), events per
article, the share of events relayed (not asserted) and negated, and the most frequent
type/dyad pairs.

    python bench/events_throughput.py [--data ../shared/data/demo] [--limit N] [--json]
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

from newsparallax.annotate.actors import default_matcher
from newsparallax.annotate.events import code_events, coder_for
from newsparallax.annotate.events.sentence_parts import sentences

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "demo"


def _published(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=500, help="Records per file.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    matcher = default_matcher()
    for lang in ("en", "ru", "fa"):
        coder_for(lang)  # load models before timing
    report = []
    for path in sorted(args.data.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            rows = [json.loads(line) for _, line in zip(range(args.limit), fh, strict=False)]
        prepared = []
        for r in rows:
            title, text = r.get("title") or "", r.get("text") or ""
            summary = r.get("summary") or ""
            day = _published(r.get("published"))
            mentions = []
            for field, value in (("title", title), ("text", text), ("summary", summary)):
                if value and (field != "summary" or not text):
                    from dataclasses import replace

                    found = matcher.find(value, published=day)
                    mentions += [replace(m, field=field) for m in found]
            prepared.append((title, summary, text, mentions, r.get("language"), day))
        n_sentences = sum(sum(1 for _ in sentences(t or s)) + bool(ti) for ti, s, t, *_ in prepared)
        started = time.process_time()  # CPU time: one process, robust to a busy machine
        kinds: Counter[str] = Counter()
        dyads: Counter[str] = Counter()
        relayed = negated = total = 0
        for title, summary, text, mentions, language, day in prepared:
            events = code_events(
                title=title,
                summary=summary,
                text=text,
                mentions=mentions,
                language=language,
                published=day,
            )
            total += len(events)
            for e in events:
                kinds[e.type] += 1
                dyads[f"{e.type} {e.source or '?'}→{e.target or '?'}"] += 1
                relayed += not e.asserted
                negated += e.negated
        seconds = time.process_time() - started
        report.append(
            {
                "file": path.name,
                "articles": len(prepared),
                "articles_per_s": round(len(prepared) / seconds, 1),
                "sentences_per_s": round(n_sentences / seconds, 1),
                "events_per_article": round(total / max(len(prepared), 1), 2),
                "relayed": round(relayed / total, 3) if total else 0.0,
                "negated": round(negated / total, 3) if total else 0.0,
                "types": kinds.most_common(6),
                "top_dyads": dyads.most_common(6),
            }
        )
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for r in report:
        print(
            f"{r['file']:<38} {r['articles']:>5} art  {r['articles_per_s']:>7} art/s"
            f"  {r['sentences_per_s']:>7} sent/s  {r['events_per_article']:>5} ev/art"
            f"  relayed {r['relayed']:.0%}  negated {r['negated']:.0%}"
        )
        print("    " + ", ".join(f"{d} {n}" for d, n in r["top_dyads"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
