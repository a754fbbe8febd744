"""Print the claim-ledger propositions to judge by hand (guide and table: bench/claims_judged.md).

    PYTHONPATH=src python bench/claims_sample.py --db /tmp/claims/demo.db \
        --since 2022-06 --until 2022-11 --n 9 --max-articles 6 --tsv /tmp/claims/judge75.tsv
    PARALLAX_EVENT_THRESHOLD=0.4 PYTHONPATH=src python bench/claims_sample.py \
        --db /tmp/claims/demo.db --since 2022-06 --until 2022-11 \
        --id AID.IRN.RUS.drones --n 0 --tsv /tmp/claims/judge04.tsv

For each proposition: its id, label and each camp's stance as the ledger gives it (articles
asserting / relaying / denying), then every report — camp, outlet, date, the ledger's stance and
on whose word, the article id, field and sentence offsets — and the sentence itself, on stdout
only: the repository keeps ids, offsets and labels, never article text.

The draw: the propositions given with ``--id``, then ``--n`` more drawn at random (``--seed``)
among those told by at least ``--min-camps`` camps with at most ``--max-articles`` articles (a
person can read all of their sentences). ``--tsv`` writes a skeleton without text, one row per
report, with empty ``hand`` and ``note`` columns to fill by the guide.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from newsparallax.analyze.ledger import LedgerQuery, find_propositions, proposition
from newsparallax.annotate.events.signals import event_threshold
from newsparallax.store.database import Store
from newsparallax.watches import load_watch

COLUMNS = (
    "proposition", "camp", "article", "field", "start", "end", "stance", "who", "via", "hand",
    "note",
)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--since")
    parser.add_argument("--until")
    parser.add_argument("--id", dest="ids", action="append", default=[])
    parser.add_argument("--n", type=int, default=10)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--min-camps", type=int, default=2)
    parser.add_argument("--max-articles", type=int, default=12)
    parser.add_argument("--tsv", type=Path)
    args = parser.parse_args()
    order = tuple(load_watch().camps)
    rows: list[str] = ["\t".join(COLUMNS)]
    with Store(args.db, readonly=True) as store:
        started = time.perf_counter()
        query = LedgerQuery(since=args.since, until=args.until, camp_order=order)
        found, left_out = find_propositions(store, query)
        print(
            f"# threshold {event_threshold()}, {args.since}..{args.until}: {len(found)}"
            f" propositions in {time.perf_counter() - started:.1f} s; left out:"
            f" {sum(left_out.values())} reports"
        )
        pool = [
            p.id
            for p in found
            if len(p.camps) >= args.min_camps
            and p.articles <= args.max_articles
            and p.id not in args.ids
        ]
        drawn = random.Random(args.seed).sample(pool, min(args.n, len(pool)))
        for pid in [*args.ids, *drawn]:
            detail = proposition(
                store, pid, since=args.since, until=args.until, camp_order=order, related=0
            )
            if detail is None:
                print(f"\n## {pid}: no report in the window")
                continue
            p = detail.proposition
            print(f"\n## {p.id} — {p.label} ({p.articles} articles)")
            for c in p.camps:
                print(
                    f"   {c.camp:<20} asserted {c.articles['asserted']} · relayed"
                    f" {c.articles['relayed']} · denied {c.articles['denied']}"
                    f"  first {c.first_seen}"
                )
            for r in detail.reports:
                who = f" ({r.who})" if r.who else ""
                print(
                    f" - [{r.camp} · {r.outlet} · {(r.published or '')[:10]}] {r.stance}{who}"
                    f"  {r.article} {r.field} {r.start}:{r.end}\n   “{r.sentence}”"
                )
                rows.append(
                    "\t".join(
                        [
                            p.id,
                            r.camp,
                            r.article,
                            r.field,
                            str(r.start),
                            str(r.end),
                            r.stance,
                            r.who or "",
                            r.via,
                            "",
                            "",
                        ]
                    )
                )
    if args.tsv:
        args.tsv.write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"\nwrote {len(rows) - 1} rows to {args.tsv}")


if __name__ == "__main__":
    main()
