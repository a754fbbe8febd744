"""Draw the samples judged in ``bench/compare_judged/`` from a store, for one version of the code.

    PYTHONPATH=src python bench/compare_sample.py --db /tmp/compare-demo.db --out /tmp/judge/after
    PYTHONPATH=/tmp/compare-before/src python bench/compare_sample.py --db ... --out /tmp/j/before

(``/tmp/compare-before`` is ``git archive main src`` unpacked: the code before the change, run on
the same store.) Writes, for a person to read, outside the repository (they quote articles):

* ``framing.txt`` — the top 20 framing terms of each camp in three windows;
* ``timeline.txt`` — the top 20 milestones of IRN–RUS and RUS–UKR with their summaries;
* ``blindspots.txt`` — the top 10 blindspots of two windows, each with three headlines of the
  covering camp and the three headlines of the silent camp in the span sharing most words with
  them (to see whether it told the event in another story);

and ``*.tsv`` skeletons with only ids and terms (no article text), to be labelled by the guide
``bench/compare_judging.md`` and kept in ``bench/compare_judged/``. Prints the time of each call.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path
from typing import Any

from newsparallax.analyze import compare as C
from newsparallax.analyze.timeline import timeline
from newsparallax.periods import date_bound
from newsparallax.store.database import Store
from newsparallax.watches import load_watch

FRAMING_WINDOWS = (
    ("2022-03-01", "2022-03-31"),
    ("2022-10-01", "2022-10-31"),
    ("2024-11-01", "2024-11-30"),
)
BLIND_WINDOWS = (("2022-08-01", "2022-08-31"), ("2024-11-01", "2024-11-30"))
PAIRS = (("IRN", "RUS"), ("RUS", "UKR"))
_WORDS = re.compile(r"\w{4,}")


def _framing(store: Store, out: Path) -> None:
    watch = load_watch()
    text, tsv = [], ["window\tlanguage\tcamp\trank\tterm\tlabel"]
    for since, until in FRAMING_WINDOWS:
        sel = C.selection_for(
            watch,
            since=date_bound(since, end=False),
            until=date_bound(until, end=True),
            top=20,
            max_ids=3,
        )
        started = time.perf_counter()
        found = C.compare(store, sel)["framing"]
        print(f"compare {since}..{until}: {time.perf_counter() - started:.1f} s")
        for lang, per in found["languages"].items():
            for camp, terms in per["distinctive"].items():
                words = [t["term"] for t in terms]
                text.append(f"{since} [{lang}] {camp}: {', '.join(words)}")
                tsv += [f"{since}\t{lang}\t{camp}\t{i}\t{w}\t" for i, w in enumerate(words, 1)]
            for camp, one in per.get("single_outlet", {}).items():
                words = [t["term"] for t in one["terms"]]
                text.append(f"{since} [{lang}] {camp} (one outlet): {', '.join(words)}")
    (out / "framing.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    (out / "framing.tsv").write_text("\n".join(tsv) + "\n", encoding="utf-8")


def _timeline(store: Store, out: Path) -> None:
    text, tsv = [], ["pair\trank\tdate\twhat\tsummary_article\treal\tlabel_right"]
    for a, b in PAIRS:
        started = time.perf_counter()
        found = timeline(store, a, b, limit=20)
        print(f"timeline {a}-{b}: {time.perf_counter() - started:.2f} s")
        for m in found["milestones"]:
            what = m.get("what", m["label"])
            text.append(
                f"{a}-{b} {m['rank']:>2}. {m['date']} {what} [{m['camp_count']} camps,"
                f" {m['outlets']} outlets, {m['articles']} articles]\n      {m['summary'][:220]}"
            )
            tsv.append(f"{a}-{b}\t{m['rank']}\t{m['date']}\t{what}\t{m['summary_article']}\t\t")
    (out / "timeline.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    (out / "timeline.tsv").write_text("\n".join(tsv) + "\n", encoding="utf-8")


def _headlines(store: Store, ids: list[str]) -> list[tuple[str, str, str]]:
    marks = ",".join("?" * len(ids))
    return [
        (str(r[0] or r[1] or "")[:110], str(r[2])[:10], str(r[3]))
        for r in store.conn.execute(
            "SELECT a.title, substr(COALESCE(NULLIF(a.summary, ''), a.text), 1, 110),"
            f" a.published, o.camp FROM articles a JOIN outlets o ON o.id = a.outlet"
            f" WHERE a.id IN ({marks}) ORDER BY a.published",
            ids,
        )
    ]


def _blindspots(store: Store, out: Path) -> None:
    watch = load_watch()
    text, tsv = [], ["window\trank\tstory\tcovered_by\tmissing_in\treal"]
    for since, until in BLIND_WINDOWS:
        started = time.perf_counter()
        found: dict[str, Any] = C.blindspots(
            store,
            watch,
            since=date_bound(since, end=False),
            until=date_bound(until, end=True),
            top=10,
            max_ids=200,
        )
        print(f"blindspots {since}..{until}: {time.perf_counter() - started:.2f} s")
        for i, b in enumerate(found["items"], 1):
            covered = _headlines(store, list(b["article_ids"]))
            first, last = covered[0][1], covered[-1][1]
            text.append(
                f"{since} {i:>2}. {b['story']} {b['covered_by']} {b['covered_articles']} ->"
                f" {b['missing_in']} {b['missing_articles']}/{b['missing_camp_articles_in_span']}"
                f" {first}..{last}: {b['label'][:100]}"
            )
            text += [f"      + {d} {h}" for h, d, _ in covered[:3]]
            words = set(
                _WORDS.findall(" ".join([b["label"], *(h for h, _, _ in covered[:5])]).lower())
            )
            rows = store.conn.execute(
                "SELECT a.title, substr(COALESCE(NULLIF(a.summary, ''), a.text), 1, 300),"
                " a.published FROM articles a JOIN outlets o ON o.id = a.outlet"
                " WHERE o.camp = ? AND a.published BETWEEN ? AND ? AND a.duplicate_of IS NULL",
                (b["missing_in"], first, f"{last}T23:59:59"),
            ).fetchall()
            scored = sorted(
                rows,
                key=lambda r: (
                    -len(words & set(_WORDS.findall(f"{r[0] or ''} {r[1] or ''}".lower())))
                ),
            )
            text += [f"      - {str(r[2])[:10]} {(r[0] or r[1] or '')[:110]}" for r in scored[:3]]
            tsv.append(f"{since}\t{i}\t{b['story']}\t{b['covered_by']}\t{b['missing_in']}\t")
    (out / "blindspots.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    (out / "blindspots.tsv").write_text("\n".join(tsv) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with Store(args.db, readonly=True) as store:
        _framing(store, args.out)
        _timeline(store, args.out)
        _blindspots(store, args.out)


if __name__ == "__main__":
    main()
