"""Story clustering against the hand-labelled event gold, beside v1 (main's clustering) in one run.

The gold (``bench/labels/stories_gold.jsonl``, guide ``bench/stories_labelling.md``) labels every
item of five complete time windows with the real-world event it reports: 722 items, 421 stories.
This script

1. ingests those items with the full pipeline into a scratch store, together with their
   neighbours in the same data file (``--context-hours`` before and after each window, 24 by
   default: the clusterer meets the window among the stories of the day before, as it would in
   a real store). ``--store PATH`` keeps the store for the next run (reused when present);
2. clusters the whole store with v1 — the story clustering of a pinned commit of main
   (``--v1-ref``), run from an extracted copy of that commit's ``src`` in a subprocess on a copy
   of the store — and with the working tree's clustering, in process (``stories.rebuild``);
3. scores both on the gold items only (an unclustered gold item counts as a singleton):
   B-cubed precision / recall / F1, pair recall (pairs of items of one gold story found in one
   predicted story), pair precision, pair recall within multi-outlet stories and of
   cross-language pairs; pooled over all windows, over each half of the declared split, and per
   window. The split: clustering is tuned on ``TUNE`` = w1, w3, w5 and reported on ``REPORT``
   = w2, w4 (fixed before tuning). Putin's Astana press conference in w4 holds 57 % of all gold
   pairs, hence the per-window pair recall and its macro average.

Run: ``PYTHONPATH=src .venv/bin/python bench/stories_gold_eval.py [--store gold.db] [--errors w1]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE / "labels"))

import stories_sample as gold_sample  # noqa: E402  (the gold loader lives beside the labels)

V1_REF = "a60359e7dcf493635863b729b63f87f8e44285ff"
"""main when issue 18 was taken up: the story clustering the gold was first measured with."""
TUNE = ("w1", "w3", "w5")
REPORT = ("w2", "w4")
CONTEXT_DAYS_DAY_PRECISION = 2
"""Neighbours of a day-precision window (RUWA, w5): whole days either side."""

_V1_SCRIPT = """
import json, sys
from newsparallax.analyze.stories.cluster import Params
from newsparallax.analyze.stories.job import rebuild
from newsparallax.store.database import Store
db, paths = sys.argv[1], sys.argv[2:]
with Store(db) as store:
    if paths:  # a store of v1's own: the same records through v1's pipeline
        from newsparallax.ingest import ingest
        from newsparallax.watches import load_watch
        ingest(paths, store=store, watch=load_watch(), command="gold-bench-v1")
    summary = rebuild(store, Params())
    rows = store.conn.execute(
        "SELECT json_extract(a.extra, '$.input_id'), sa.story_id FROM story_articles sa"
        " JOIN articles a ON a.rowid = sa.article_rowid WHERE sa.story_id IS NOT NULL"
    ).fetchall()
json.dump({"stories": {str(r): s for r, s in rows if r is not None},
           "seconds": summary.seconds, "articles": summary.articles,
           "builder": summary.builder}, sys.stdout)
"""


# -- the scratch store ----------------------------------------------------------------------------


def _records(data_dir: Path, rel: str) -> list[dict[str, Any]]:
    with gzip.open(data_dir / rel, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def selection(data_dir: Path, context_hours: float) -> dict[str, list[dict[str, Any]]]:
    """The records to ingest per data file: every window's items and their neighbours."""
    out: dict[str, list[dict[str, Any]]] = {}
    for w in gold_sample.WINDOWS:
        records = out.setdefault(w.file, [])
        if not records:
            records.extend(_records(data_dir, w.file))
    chosen: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for w in gold_sample.WINDOWS:
        start, end = gold_sample.utc(w.start), gold_sample.utc(w.end)
        if len(w.start) == 10:  # a day-precision window
            pad = timedelta(days=CONTEXT_DAYS_DAY_PRECISION if context_hours else 0)
        else:
            pad = timedelta(hours=context_hours)
        for r in out[w.file]:
            if r.get("published") and start - pad <= gold_sample.utc(r["published"]) < end + pad:
                chosen[w.file][r["id"]] = r
    return {f: sorted(rs.values(), key=lambda r: r["id"]) for f, rs in chosen.items()}


def write_selection(folder: Path, chosen: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The selected records as JSON Lines files in ``folder``, one per data file."""
    paths = []
    for n, (rel, records) in enumerate(sorted(chosen.items())):
        path = folder / f"{n}-{Path(rel).name.removesuffix('.gz')}"
        with open(path, "w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        paths.append(str(path))
    return paths


def build_store(db: Path, data_dir: Path, context_hours: float) -> dict[str, Any]:
    """Ingest the selection into ``db`` (a fresh file) with the full pipeline."""
    from newsparallax.ingest import ingest
    from newsparallax.store.database import Store
    from newsparallax.watches import load_watch

    chosen = selection(data_dir, context_hours)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_selection(Path(tmp), chosen)
        with Store(db) as store:
            summary = ingest(paths, store=store, watch=load_watch(), command="gold-bench")
            store.conn.execute(
                "CREATE TABLE IF NOT EXISTS bench_meta(key TEXT PRIMARY KEY, value TEXT)"
            )
            store.conn.execute(
                "INSERT OR REPLACE INTO bench_meta VALUES ('context_hours', ?)",
                (str(context_hours),),
            )
            store.conn.commit()
    return {
        "records": sum(len(v) for v in chosen.values()),
        "stored": summary.stored,
        "seconds": time.perf_counter() - started,
    }


def input_ids(db: Path) -> dict[str, int]:
    """Record id (the input's ``id``) → article rowid."""
    from newsparallax.store.database import Store

    with Store(db, readonly=True) as store:
        return {
            str(r[0]): int(r[1])
            for r in store.conn.execute(
                "SELECT json_extract(extra, '$.input_id'), rowid FROM articles"
                " WHERE json_extract(extra, '$.input_id') IS NOT NULL"
            )
        }


# -- clustering -----------------------------------------------------------------------------------


def run_v1(db: Path, ref: str, data_dir: Path, context_hours: float) -> dict[str, Any]:
    """Cluster with the story clustering of commit ``ref``, in a subprocess: a copy of ``db``
    when that commit can read its schema, else a store v1 ingests itself from the same
    records (a store written by later code is too new for it). Stories keyed by input id."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "v1"
        src.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", ref, "src"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARALLAX_")}
        env["PYTHONPATH"] = str(src / "src")
        copy = Path(tmp) / "v1.db"
        shutil.copy(db, copy)
        proc = subprocess.run(
            [sys.executable, "-c", _V1_SCRIPT, str(copy)], capture_output=True, env=env, text=True
        )
        if proc.returncode != 0 and "newer than this Parallax knows" in proc.stderr:
            copy.unlink()
            paths = write_selection(Path(tmp), selection(data_dir, context_hours))
            proc = subprocess.run(
                [sys.executable, "-c", _V1_SCRIPT, str(copy), *paths],
                capture_output=True, env=env, text=True,
            )  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(f"v1 ({ref[:7]}) failed:\n{proc.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


def run_new(db: Path) -> dict[str, Any]:
    """Cluster a copy of ``db`` with the working tree's clustering (the job over the store)."""
    from newsparallax.analyze.stories.cluster import Params
    from newsparallax.analyze.stories.job import rebuild
    from newsparallax.store.database import Store

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "new.db"
        shutil.copy(db, copy)
        with Store(copy) as store:
            summary = rebuild(store, Params.from_settings())
            rows = store.conn.execute(
                "SELECT article_rowid, story_id FROM story_articles WHERE story_id IS NOT NULL"
            ).fetchall()
    return {
        "stories": {int(r): s for r, s in rows},
        "seconds": summary.seconds,
        "articles": summary.articles,
        "builder": summary.builder,
    }


# -- scoring --------------------------------------------------------------------------------------


@dataclass
class Scores:
    items: int
    precision: float
    recall: float
    f1: float
    pairs: int
    pair_recall: float
    pair_precision: float
    multi_outlet_pairs: int
    multi_outlet_recall: float
    cross_language_pairs: int
    cross_language_recall: float


def _ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def score(items: list[dict[str, Any]], pred: dict[str, str]) -> Scores:
    """Scores of ``pred`` (gold item id → predicted cluster) on ``items`` (gold lines)."""
    gold = {i["id"]: i["story"] for i in items}
    got = {i["id"]: pred.get(i["id"], "alone:" + i["id"]) for i in items}
    pc, gc = Counter(got.values()), Counter(gold.values())
    both = Counter((got[i], gold[i]) for i in gold)
    n = len(gold)
    p = sum(both[(got[i], gold[i])] / pc[got[i]] for i in gold) / n
    r = sum(both[(got[i], gold[i])] / gc[gold[i]] for i in gold) / n
    outlets: dict[str, set[str]] = defaultdict(set)
    for i in items:
        outlets[i["story"]].add(i["outlet"])
    pairs = hit = multi = multi_hit = cross = cross_hit = 0
    by_story: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i in items:
        by_story[i["story"]].append(i)
    for story, members in by_story.items():
        for a, b in combinations(members, 2):
            same = got[a["id"]] == got[b["id"]]
            pairs += 1
            hit += same
            if len(outlets[story]) > 1:
                multi += 1
                multi_hit += same
            if a["lang"] != b["lang"]:
                cross += 1
                cross_hit += same
    pred_pairs = sum(k * (k - 1) // 2 for k in pc.values())
    return Scores(
        items=n,
        precision=p,
        recall=r,
        f1=2 * p * r / (p + r) if p + r else 0.0,
        pairs=pairs,
        pair_recall=_ratio(hit, pairs),
        pair_precision=_ratio(hit, pred_pairs),
        multi_outlet_pairs=multi,
        multi_outlet_recall=_ratio(multi_hit, multi),
        cross_language_pairs=cross,
        cross_language_recall=_ratio(cross_hit, cross),
    )


def by_gold_id(
    items: list[dict[str, Any]], ids: dict[str, int], stories: dict[int, str]
) -> dict[str, str]:
    """Gold item id → predicted story (gold items the store lacks are left out)."""
    out = {}
    for i in items:
        rowid = ids.get(i["id"])
        if rowid is not None and rowid in stories:
            out[i["id"]] = stories[rowid]
    return out


def _row(name: str, s: Scores) -> str:
    return (
        f"{name:<22}{s.items:>6}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
        f"{s.pairs:>7}{s.pair_recall:>7.3f}{s.pair_precision:>7.3f}"
        f"{s.multi_outlet_recall:>8.3f}{s.cross_language_recall:>8.3f}"
    )


def report(items: list[dict[str, Any]], runs: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Print the tables; return the figures (for tests and the README)."""
    groups: list[tuple[str, list[dict[str, Any]]]] = [
        ("all windows", items),
        ("tune " + ",".join(TUNE), [i for i in items if i["window"] in TUNE]),
        ("report " + ",".join(REPORT), [i for i in items if i["window"] in REPORT]),
    ]
    groups += [(w.name, [i for i in items if i["window"] == w.name]) for w in gold_sample.WINDOWS]
    head = (
        f"{'':<22}{'items':>6}{'B3 P':>7}{'B3 R':>7}{'B3 F1':>7}{'pairs':>7}{'pairR':>7}"
        f"{'pairP':>7}{'multiO':>8}{'xlang':>8}"
    )
    figures: dict[str, Any] = {}
    for name, pred in runs.items():
        print(f"\n== {name}")
        print(head)
        figures[name] = {}
        for group, members in groups:
            s = score(members, pred)
            figures[name][group] = s
            print(_row(group, s))
        macro = [figures[name][w.name].pair_recall for w in gold_sample.WINDOWS]
        print(f"{'pair recall, macro over windows':<40}{sum(macro) / len(macro):.3f}")
    return figures


def errors(items: list[dict[str, Any]], pred: dict[str, str], window: str) -> None:
    """Print the gold stories of ``window`` split by ``pred`` and the predicted stories mixing
    gold stories (titles read from the data at run time)."""
    mine = [i for i in items if i["window"] == window]
    gold_groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    pred_groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i in mine:
        gold_groups[i["story"]].append(i)
        pred_groups[pred.get(i["id"], "alone:" + i["id"])].append(i)

    def line(i: dict[str, Any]) -> str:
        title = " ".join((i.get("title") or i.get("summary") or "").split())[:90]
        key = pred.get(i["id"], "-")[-6:]
        return f"    {i['story']} {key} {i['lang']} {i['outlet'][:14]:14} {i['kind'][:3]} {title}"

    print(f"\n-- {window}: gold stories split")
    for story, members in sorted(gold_groups.items(), key=lambda kv: -len(kv[1])):
        if len({pred.get(i["id"], i["id"]) for i in members}) > 1:
            print(f"  {story} ({len(members)})")
            for i in members:
                print(line(i))
    print(f"\n-- {window}: predicted stories mixing gold stories")
    for key, members in sorted(pred_groups.items(), key=lambda kv: -len(kv[1])):
        if len({i["story"] for i in members}) > 1:
            print(f"  {key} ({len(members)})")
            for i in sorted(members, key=lambda i: i["story"]):
                print(line(i))


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(gold_sample.DEFAULT_DATA), help="shared data folder")
    ap.add_argument("--store", help="keep the ingested store here (reused when present)")
    ap.add_argument("--context-hours", type=float, default=24.0, help="neighbours per window")
    ap.add_argument("--v1-ref", default=V1_REF, help="commit whose clustering is v1")
    ap.add_argument("--no-v1", action="store_true", help="skip v1 (faster when tuning)")
    ap.add_argument("--errors", metavar="WINDOW", help="print the new clustering's errors")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args(list(argv) if argv is not None else None)
    data_dir = Path(args.data)
    try:
        items = gold_sample.load(data_dir)
    except gold_sample.GoldError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.store) if args.store else Path(tmp) / "gold.db"
        if not db.exists():
            built = build_store(db, data_dir, args.context_hours)
            print(
                f"ingested {built['records']} records ({built['stored']} stored) in"
                f" {built['seconds']:.0f} s into {db}"
            )
        ids = input_ids(db)
        missing = [i["id"] for i in items if i["id"] not in ids]
        print(
            f"gold: {len(items)} items in {len({i['story'] for i in items})} stories;"
            f" store: {len(ids)} articles; gold items not stored: {len(missing)}"
        )
        runs: dict[str, dict[str, str]] = {}
        if not args.no_v1:
            v1 = run_v1(db, args.v1_ref, data_dir, args.context_hours)
            runs[f"v1 ({args.v1_ref[:7]})"] = {
                i["id"]: v1["stories"][i["id"]] for i in items if i["id"] in v1["stories"]
            }
            print(
                f"v1:  {v1['articles']} articles in {v1['seconds']:.1f} s"
                f" ({1000 * v1['seconds'] / max(1, v1['articles']):.1f} ms/article)"
                f" {v1['builder']}"
            )
        new = run_new(db)
        runs["new (working tree)"] = by_gold_id(items, ids, new["stories"])
        print(
            f"new: {new['articles']} articles in {new['seconds']:.1f} s"
            f" ({1000 * new['seconds'] / max(1, new['articles']):.1f} ms/article)"
            f" {new['builder']}"
        )
    figures = report(items, runs)
    if args.errors:
        errors(items, runs["new (working tree)"], args.errors)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    run: {g: s.__dict__ for g, s in groups.items()}
                    for run, groups in figures.items()
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
