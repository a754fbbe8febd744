"""A random sample of multi-camp stories to judge by hand: are they one real-world event?

Draws ``--n`` stories (seeded) among those with at least ``--min-articles`` articles and
``--min-camps`` camps, and prints each with its articles' dates, outlets, camps and headlines
(an untitled post by its first words), for a reader to judge as the guide in
``bench/stories_coherence.md`` says. Prints ids and the store's text only; nothing is written
into the repository but the labels the reader keeps (``bench/labels/stories_coherence.tsv``).

    PYTHONPATH=src python bench/stories_coherence_sample.py --db parallax.db [--n 25] [--seed 18]
"""

from __future__ import annotations

import argparse
import random
import sys

from newsparallax.analyze.display import display_titles
from newsparallax.store.database import Store


def sample(store: Store, *, n: int, min_articles: int, min_camps: int, seed: int) -> list[str]:
    ids = sorted(
        str(r[0])
        for r in store.conn.execute(
            "SELECT id FROM stories WHERE articles >= ? AND json_array_length(camps) >= ?",
            (min_articles, min_camps),
        )
    )
    return random.Random(seed).sample(ids, min(n, len(ids)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--n", type=int, default=25)
    ap.add_argument("--min-articles", type=int, default=3)
    ap.add_argument("--min-camps", type=int, default=2)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--max-members", type=int, default=12)
    args = ap.parse_args(argv)
    with Store(args.db, readonly=True) as store:
        chosen = sample(
            store, n=args.n, min_articles=args.min_articles, min_camps=args.min_camps,
            seed=args.seed,
        )  # fmt: skip
        for k, story_id in enumerate(chosen, 1):
            rows = store.conn.execute(
                "SELECT a.id, a.published, a.outlet, o.camp, a.language FROM story_articles sa"
                " JOIN articles a ON a.rowid = sa.article_rowid"
                " LEFT JOIN outlets o ON o.id = a.outlet"
                " WHERE sa.story_id = ? AND sa.duplicate = 0 ORDER BY a.published_ts",
                (story_id,),
            ).fetchall()
            titles = display_titles(store, [str(r[0]) for r in rows])
            print(f"\n#{k} {story_id} ({len(rows)} articles)")
            for r in rows[: args.max_members]:
                title = titles.get(str(r[0]), "")[:110]
                print(f"  {str(r[1])[:16]:16} {r[2][:18]:18} {str(r[3])[:16]:16} {r[4]} | {title}")
            if len(rows) > args.max_members:
                print(f"  … {len(rows) - args.max_members} more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
