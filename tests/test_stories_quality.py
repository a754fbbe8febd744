"""Quality gates for story clustering on real data (read from ../shared/data, never copied).

* B-cubed against the RUWA war-headline gold (``collection`` names the real-world event), on
  April–May 2022 (about 3,000 headlines), with pinned floors that may only rise. The gold's
  "events" are broad (months of coverage each), so recall is low for any event-sized story;
  story arcs (long-running story lines) are scored against the same gold, with a cap on the
  share of the largest arc. See ``bench/stories_eval.py`` for the whole set, a TF-IDF
  baseline and trivial references.
* Arcs on real data: clustering a store in several incremental steps gives the stories and
  arcs of a rebuild.
* Cross-language: the Kremlin's English transcript of Putin's address of 21 November 2024 and a
  Russian-language Telegram report of it land in one story.
* The event gold (``bench/labels/stories_gold.jsonl``: 722 items of five complete windows, 421
  hand-labelled events, see ``bench/stories_labelling.md``): B-cubed F1 and pair recall of the
  stories with pinned floors that may only rise, overall and on the report half (windows w2,
  w4; the rules were tuned on w1, w3, w5). ``bench/stories_gold_eval.py`` scores the same with
  the full ingest pipeline and the windows' neighbours, beside v1.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED_DATA
from newsparallax.analyze.stories.cluster import Clusterer, Params, cluster
from newsparallax.analyze.stories.items import Item, make_item
from newsparallax.analyze.stories.job import rebuild, update
from newsparallax.annotate.actors import default_matcher
from newsparallax.annotate.dates import parse_date
from newsparallax.store.database import Store
from stories_support import build_store, from_record

DEMO = SHARED_DATA / "demo"
RUWA = DEMO / "ruwa-war-headlines-2022.jsonl.gz"

# Measured 2026-11 with stories.v1 (threshold 0.2, quiet 3 days, span 30 days): P 0.715,
# R 0.026, F1 0.051 on April-May 2022. Measured 2026-12 with stories.v2 (events: quiet 1 day,
# span 2 days, speaker / scene / name rules): P 0.845, R 0.007, F1 0.013. This gold's "events"
# are months-long keyword collections, so event-sized stories score a lower recall here by
# design; the F1 floor was lowered for v2 (from 0.045) and the precision floor raised (from
# 0.68). The event gold below is what stories are judged on; arcs are judged here.
FLOOR_F1 = 0.012
FLOOR_PRECISION = 0.82
# Arcs, measured 2026-11 with the defaults (arc threshold 0.15, merge 0.2) on the same window:
# P 0.515, R 0.155, F1 0.238, 376 arcs, the largest holding 30% of the articles; 2026-12 over
# stories.v2: P 0.501, R 0.178, F1 0.262, 408 arcs, the largest 34 %. The bench's TF-IDF +
# threshold baseline scores F1 0.212 there (threshold 0.15; its largest cluster 27%).
# The share cap catches a degenerate giant arc (everything in one scores F1 0.48 on this gold).
ARC_FLOOR_F1 = 0.24
ARC_FLOOR_PRECISION = 0.47
ARC_MAX_LARGEST_SHARE = 0.4

# Russian-language Telegram posts (ids of the demo corpus) reporting what Putin said in the
# address of 21 November 2024 (kremlin-75614).
RU_REPORTS_OF_THE_ADDRESS = {
    "tg-1001003921752-73237",
    "tg-1001003921752-73239",
    "tg-1001003921752-73242",
    "tg-1001117628569-59392",
    "tg-1001166834860-128382",
    "tg-1001166834860-128384",
    "tg-1001394050290-194487",
    "tg-1001394050290-194490",
    "tg-1001394050290-194494",
    "tg-1001394050290-194498",
    "tg-1001394050290-194501",
    "tg-1001394050290-194502",
    "tg-1001100158992-74409",
    "tg-1001100158992-74410",
}

pytestmark = pytest.mark.skipif(not DEMO.is_dir(), reason="shared demo corpus not present")

# Measured 2026-12 on the 722 gold items alone (actor mentions from the real matcher, no events):
# all windows P 0.814, R 0.775, F1 0.794, pair recall 0.356; report half (w2, w4) F1 0.765;
# v1's settings (quiet 3 days, span 30 days, no event rules) F1 0.710 (report half 0.738).
# With the time-span rules (fourth round of 2026-12-07): P 0.821, R 0.771, F1 0.795, pair
# recall 0.350; report half F1 0.770.
GOLD_FLOOR_F1 = 0.78
GOLD_FLOOR_PRECISION = 0.80
GOLD_FLOOR_PAIR_RECALL = 0.33
GOLD_REPORT_FLOOR_F1 = 0.76


def _records(path: Path, lo: str, hi: str) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [r for r in rows if r["published"] and lo <= r["published"][:10] <= hi]


def _items(records: list[dict[str, Any]]) -> list[Item]:
    """Items as the store would give them: mentions from the real matcher on title and body."""
    matcher = default_matcher()
    items = []
    for i, r in enumerate(records):
        published, precision = parse_date(r["published"], precision=r["date_precision"])
        title, summary, text = r["title"] or "", r["summary"] or "", r["text"] or ""
        body_field, body = ("text", text) if text.strip() else ("summary", summary)
        mentions = [replace(m, field="title") for m in matcher.find(title, published=published)]
        mentions += [replace(m, field=body_field) for m in matcher.find(body, published=published)]
        items.append(
            make_item(
                rowid=i,
                id=r["id"],
                language=r["language"] or "und",
                published=published,
                date_precision=precision.value if precision else None,
                title=title,
                summary=summary,
                text=text,
                mentions=mentions,
            )
        )
    return items


def bcubed(pred: dict[int, str], gold: dict[int, str]) -> tuple[float, float, float]:
    pc, gc = Counter(pred.values()), Counter(gold[i] for i in pred)
    both = Counter((pred[i], gold[i]) for i in pred)
    p = sum(both[(pred[i], gold[i])] / pc[pred[i]] for i in pred) / len(pred)
    r = sum(both[(pred[i], gold[i])] / gc[gold[i]] for i in pred) / len(pred)
    return p, r, 2 * p * r / (p + r)


@pytest.fixture(scope="module")
def april_may() -> tuple[list[dict[str, Any]], Clusterer]:
    records = _records(RUWA, "2022-04-01", "2022-05-31")
    assert len(records) > 2500
    return records, cluster(_items(records), Params())


def test_bcubed_on_real_gold_stays_above_its_floor(
    april_may: tuple[list[dict[str, Any]], Clusterer],
) -> None:
    records, clusterer = april_may
    pred = {m[0]: s.key for s in clusterer.stories.values() for m in s.members}
    gold = {i: r["collection"] for i, r in enumerate(records)}
    assert len(pred) >= 0.98 * len(records)  # the rest have no title nor text
    p, r, f = bcubed(pred, gold)
    assert p >= FLOOR_PRECISION, (p, r, f)
    assert f >= FLOOR_F1, (p, r, f)
    # sanity of the metric itself: the trivial clusterings score as they must
    assert bcubed({i: "one" for i in gold}, gold)[1] == pytest.approx(1.0)
    assert bcubed({i: str(i) for i in gold}, gold)[0] == pytest.approx(1.0)


def test_arcs_on_real_gold_stay_above_their_floor(
    april_may: tuple[list[dict[str, Any]], Clusterer],
) -> None:
    records, clusterer = april_may
    arcs = clusterer.arcs.members()
    gold = {i: r["collection"] for i, r in enumerate(records)}
    stories = {m[0]: s.key for s in clusterer.stories.values() for m in s.members}
    assert set(arcs) == set(stories)  # every clustered article has an arc
    p, r, f = bcubed(arcs, gold)
    largest = Counter(arcs.values()).most_common(1)[0][1] / len(arcs)
    assert p >= ARC_FLOOR_PRECISION, (p, r, f, largest)
    assert f >= ARC_FLOOR_F1, (p, r, f, largest)
    assert largest <= ARC_MAX_LARGEST_SHARE, (p, r, f, largest)
    assert f > bcubed(stories, gold)[2]  # story lines are what this gold calls events


def test_an_english_and_a_russian_report_of_one_event_share_a_story() -> None:
    records = _records(DEMO / "kremlin.jsonl.gz", "2024-11-17", "2024-11-23")
    records += _records(DEMO / "telegram-ru-2024.jsonl.gz", "2024-11-17", "2024-11-23")
    assert any(r["id"] == "kremlin-75614" for r in records)
    clusterer = cluster(_items(records), Params())
    story = clusterer.by_article["kremlin-75614"]
    together = {i for i, key in clusterer.by_article.items() if key == story}
    assert together & RU_REPORTS_OF_THE_ADDRESS, "no Russian report joined the English transcript"
    languages = {r["language"] for r in records if r["id"] in together}
    assert languages == {"en", "ru"}


def _snapshot(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    stories = store.conn.execute(
        "SELECT id, status, articles, arc_id, arc_final, arc_similarity, arc_centrality"
        " FROM stories ORDER BY id"
    ).fetchall()
    arcs = store.conn.execute(
        # not the label text: a story's label (its most central headline) is chosen with the
        # centralities of the run that saved each article, so it may differ after a rebuild
        "SELECT id, label_story, first_seen, last_seen, stories, articles, camps, terms,"
        " centroid FROM story_arcs ORDER BY id"
    ).fetchall()
    return [tuple(r) for r in stories], [tuple(r) for r in arcs]


def test_incremental_arcs_on_real_data_match_a_rebuild(tmp_path: Path) -> None:
    records = _records(RUWA, "2022-04-01", "2022-04-24")
    records = [r for r in records if r["title"] or r["summary"]][::2]
    db = build_store(tmp_path / "ruwa.db", [from_record(n, r) for n, r in enumerate(records)])
    with Store(db) as store:
        days = sorted({r["published"][:10] for r in records})
        for day in (days[6], days[12], days[18]):
            update(
                store,
                Params(),
                until_ts=int(datetime.fromisoformat(day + "T23:59:59+00:00").timestamp()),
            )
        summary = update(store, Params())
        incremental = _snapshot(store)
        merged = store.conn.execute("SELECT count(*) FROM story_arcs WHERE stories >= 3").fetchone()
        rebuilt = rebuild(store, Params())
        assert _snapshot(store) == incremental
    assert summary.articles > 0 and rebuilt.arcs == len(incremental[1])
    assert merged[0] >= 3, "expected arcs grouping several stories"


def _gold() -> list[dict[str, Any]]:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "labels"))
    import stories_sample

    try:
        return list(stories_sample.load(SHARED_DATA))
    except stories_sample.GoldError as err:
        pytest.skip(f"event gold data missing: {err}")


def _pairs(items: list[dict[str, Any]], pred: dict[str, str]) -> float:
    by_story: dict[str, list[str]] = {}
    for i in items:
        by_story.setdefault(i["story"], []).append(i["id"])
    total = hit = 0
    for ids in by_story.values():
        for n, a in enumerate(ids):
            for b in ids[n + 1 :]:
                total += 1
                hit += pred[a] == pred[b]
    return hit / total


def test_event_gold_stays_above_its_floor() -> None:
    items = _gold()
    records = [
        {
            "id": i["id"],
            "title": i["title"],
            "summary": i["summary"],
            "text": i["text"],
            "published": i["published"],
            "date_precision": "day" if i["window"] == "w5" else "second",
            "language": i["lang"],
        }
        for i in items
    ]
    built = _items(records)
    clusterer = cluster(built, Params())
    pred = {i["id"]: clusterer.by_article.get(i["id"], "alone:" + i["id"]) for i in items}
    index = {i["id"]: n for n, i in enumerate(items)}
    gold = {index[i["id"]]: i["story"] for i in items}
    got = {index[k]: v for k, v in pred.items()}
    p, r, f = bcubed(got, gold)
    pair_recall = _pairs(items, pred)
    assert p >= GOLD_FLOOR_PRECISION and f >= GOLD_FLOOR_F1, (p, r, f)
    assert pair_recall >= GOLD_FLOOR_PAIR_RECALL, pair_recall
    report = [index[i["id"]] for i in items if i["window"] in ("w2", "w4")]
    rp, rr, rf = bcubed({k: got[k] for k in report}, {k: gold[k] for k in report})
    assert rf >= GOLD_REPORT_FLOOR_F1, (rp, rr, rf)
    # digests, live pages, explainers and opinion pieces stand alone
    kinds = {
        clusterer.stories[clusterer.by_article[i.id]].kind for i in built if i.kind != "report"
    }
    assert kinds and "report" not in kinds
