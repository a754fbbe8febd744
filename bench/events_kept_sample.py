"""A random sample of the events a store keeps (at the confidence threshold), to judge by hand.

Draws ``--en``/``--ru``/``--fa`` kept events (seeded) from a store such as the demo's and prints
each with its sentence and what was coded, under neutral numbers, for a reader who judges them
by ``bench/events_labelling.md`` without seeing the confidence; ``--key FILE`` writes which
event each number is. Nothing of the store's text is written into the repository; the labels of
the sample judged on 2026-12-07 are ``bench/labels/events_kept_blind.tsv`` (see the README).

    PYTHONPATH=src python bench/events_kept_sample.py --db parallax.db [--seed 1207] [--key k.json]

``--versus OTHER.db`` compares two stores of the same records coded by two versions of the
coder: it draws from the events one store keeps and the other does not, both ways (the same
article, field, sentence, type, source, target and flags), shuffled together under neutral
numbers, and the key says which store kept each. Judged blind, that says whether a change of the
coder made what is kept more often right.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
from collections import Counter
from typing import Any

QUERY = """
SELECT e.rowid, a.language, a.outlet, substr(a.published, 1, 10), e.type, e.source, e.target,
       e.asserted, e.negated, e.attributed_to, e.trigger,
       replace(substr(coalesce(CASE e.field WHEN 'title' THEN a.title WHEN 'summary'
               THEN a.summary ELSE a.text END, ''), e.sentence_start + 1,
               e.sentence_end - e.sentence_start), char(10), ' '),
       a.id, e.field, e.sentence_start
FROM events e JOIN articles a ON a.rowid = e.article_rowid
WHERE e.confidence >= ? AND a.language IN ('en', 'ru', 'fa')
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--threshold", type=float, default=0.75)
    ap.add_argument("--seed", type=int, default=1207)
    ap.add_argument("--en", type=int, default=30)
    ap.add_argument("--ru", type=int, default=30)
    ap.add_argument("--fa", type=int, default=20)
    ap.add_argument("--key", help="write the number → event key here (JSON)")
    ap.add_argument("--versus", help="draw from the events kept by only one of --db and this")
    args = ap.parse_args(argv)
    rows = sqlite3.connect(args.db).execute(QUERY, (args.threshold,)).fetchall()
    pools = [(rows, args.db)]  # the events to draw from, and the store that keeps them
    if args.versus:
        other = sqlite3.connect(args.versus).execute(QUERY, (args.threshold,)).fetchall()
        here, there = {_same(r): r for r in rows}, {_same(r): r for r in other}
        only = [here[k] for k in sorted(here.keys() - there.keys(), key=repr)]
        elsewhere = [there[k] for k in sorted(there.keys() - here.keys(), key=repr)]
        pools = [(only, args.db), (elsewhere, args.versus)]
        print(f"kept only by {args.db}: {_by_language(only)}; only by {args.versus}:"
              f" {_by_language(elsewhere)}", file=sys.stderr)  # fmt: skip
    rng = random.Random(args.seed)
    chosen: list[tuple[tuple[Any, ...], str]] = []
    for lang, n in (("en", args.en), ("ru", args.ru), ("fa", args.fa)):
        for pool, store in pools:
            candidates = [r for r in pool if r[1] == lang]
            chosen += [(r, store) for r in rng.sample(candidates, min(n, len(candidates)))]
    rng.shuffle(chosen)
    key = []
    for i, (r, store) in enumerate(chosen, 1):
        flags = f"asserted={'true' if r[7] else 'false'} negated={'true' if r[8] else 'false'}"
        print(f"#E{i} [{r[1]}] {r[2]} {r[3]}\n  sentence: {r[11][:600]}")
        print(f"  coded: {r[4]} source={r[5]} target={r[6]} {flags} attributed_to={r[9]}"
              f" trigger={r[10]!r}\n")  # fmt: skip
        key.append({"n": f"E{i}", "lang": r[1], "article_id": r[12], "field": r[13],
                    "sentence_start": r[14], "type": r[4], "store": store})  # fmt: skip
    if args.key:
        with open(args.key, "w", encoding="utf-8") as fh:
            json.dump(key, fh, indent=1)
    print(f"{len(chosen)} of {len(rows)} kept events", file=sys.stderr)
    return 0


def _same(r: tuple[Any, ...]) -> tuple[Any, ...]:
    """What makes two stores' events the same: article, field, sentence, type, roles, flags."""
    return (r[12], r[13], r[14], r[4], r[5], r[6], r[7], r[8])


def _by_language(rows: list[tuple[Any, ...]]) -> dict[str, int]:
    return dict(Counter(r[1] for r in rows))


if __name__ == "__main__":
    sys.exit(main())
