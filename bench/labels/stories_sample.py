"""Gold story clustering of real news items: window sampler and loader (stdlib only).

The gold (``stories_gold.jsonl``, one line per item, and ``stories_index.jsonl``, one line per
story) labels EVERY item of five complete time windows of the shared corpora with the
real-world event (story) it reports; see ``bench/stories_labelling.md`` for the rules. The
files hold only references (data file + record id) and our own one-line descriptions: titles and
texts are read from the data at run time.

- ``sample(data_dir)`` recomputes the item list of every window from the data alone (the
  windows are fixed half-open UTC intervals, items sorted by UTC time then id), so the labelled
  set can be reproduced exactly;
- ``load(data_dir)`` returns every labelled item joined with its record (raises
  ``GoldError`` if an id is missing from the data or the gold and the windows disagree);
- ``main()`` prints the windows story by story for review:
  ``python bench/labels/stories_sample.py [--data DIR] [--window w2] [--check]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "stories_gold.jsonl"
INDEX = HERE / "stories_index.jsonl"
DEFAULT_DATA = HERE.parents[2] / "shared" / "data"  # /work/main/bench/labels -> /work/shared/data

FEEDS = "news/feeds-iran-war-2026/feeds-2026.jsonl.gz"
TELEGRAM = "demo/telegram-ru-2024.jsonl.gz"
RUWA = "demo/ruwa-war-headlines-2022.jsonl.gz"


@dataclass(frozen=True)
class Window:
    name: str
    file: str  # relative to the data directory
    start: str  # ISO-8601, inclusive (UTC unless an offset is given)
    end: str  # ISO-8601, exclusive
    why: str


WINDOWS: tuple[Window, ...] = (
    Window(
        "w1",
        FEEDS,
        "2026-02-28T19:00:00+00:00",
        "2026-02-28T21:00:00+00:00",
        "day 1 of the war, evening: IRNA (Persian) at a high rate in the feed "
        "beside TASS, RIA, RBC, Kommersant, CIT, Press TV and Sputnik; no crawl gap",
    ),
    Window(
        "w2",
        FEEDS,
        "2026-03-01T04:00:00+00:00",
        "2026-03-01T06:00:00+00:00",
        "morning after Khamenei's death is announced: Shafaqna Persian/English, Tehran "
        "Times, Al Alam (Arabic) and Rybar present beside the Russian agencies",
    ),
    Window(
        "w3",
        FEEDS,
        "2026-03-02T19:00:00+00:00",
        "2026-03-02T21:00:00+00:00",
        "day 3, evening: the smallest 2-hour window of 2 March with Persian, Arabic, "
        "English (CIT, Press TV, Shafaqna, RT) and Russian items",
    ),
    Window(
        "w4",
        TELEGRAM,
        "2024-11-28T12:00:00+00:00",
        "2024-11-28T16:00:00+00:00",
        "RIA Novosti and BBC Russian both post (RIA is in the set only from 26 Nov), with "
        "all tabloid channels; Putin's Astana press conference falls inside",
    ),
    Window(
        "w5",
        RUWA,
        "2022-06-27",
        "2022-06-29",
        "two whole days (day precision) around the Kremenchuk mall strike: Reuters, BBC, "
        "Al Jazeera, MSNBC, RT, TASS, Ukrinform, Censor.net; the existing event gold "
        "('collection') was checked item by item against ours",
    ),
)

# Camp of each outlet (feeds and Telegram: ``outlet``; RUWA: ``domain``), for per-camp breakdowns.
CAMPS: dict[str, str] = {
    "IRNA": "iran-state",
    "Tasnim News": "iran-state",
    "Press TV": "iran-state",
    "Press TV (TG)": "iran-state",
    "Al Alam": "iran-state",
    "Tehran Times": "iran-state",
    "Shafaqna Persian": "iran-aligned",
    "Shafaqna English": "iran-aligned",
    "Iran Herald": "iran-aligned",
    "TASS": "russia-state",
    "RIA Novosti": "russia-state",
    "РИА Новости": "russia-state",
    "RT": "russia-state",
    "Sputnik": "russia-state",
    "Russian MoD English (TG)": "russia-state",
    "RBC": "russia-private",
    "Kommersant": "russia-private",
    "Rybar (TG)": "russia-milblog",
    "Conflict Intelligence Team (TG)": "russia-independent",
    "BBC News | Русская служба": "western",
    "112": "russia-tabloid",
    "Mash": "russia-tabloid",
    "SHOT": "russia-tabloid",
    "Ньюсач/Двач": "russia-tabloid",
    "ТОПОР - Горячие новости": "russia-tabloid",
    "Раньше всех. Ну почти.": "russia-tabloid",
    "reuters.com": "western",
    "bbc.co.uk": "western",
    "www.msnbc.com": "western",
    "aljazeera.com": "gulf",
    "rt.com": "russia-state",
    "tass.com": "russia-state",
    "en.news-front.info": "russia-state",
    "ukrinform.net": "ukraine",
    "censor.net": "ukraine",
}


class GoldError(Exception):
    """The gold files and the data disagree (missing id, window mismatch, bad line)."""


def utc(stamp: str) -> datetime:
    """Parse an ISO-8601 stamp (date-only stamps are midnight UTC) to an aware UTC datetime."""
    t = datetime.fromisoformat(stamp)
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC)


def outlet_of(record: dict) -> str:
    return record.get("outlet") or record.get("domain") or "?"


def camp_of(record: dict) -> str:
    return CAMPS.get(outlet_of(record), "other")


def read_records(data_dir: Path, rel: str) -> list[dict]:
    path = Path(data_dir) / rel
    if not path.exists():
        raise GoldError(f"data file not found: {path}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def window_items(window: Window, records: list[dict]) -> list[dict]:
    """Every record of ``records`` published in ``window``, sorted by UTC time then id."""
    start, end = utc(window.start), utc(window.end)
    inside = [r for r in records if r.get("published") and start <= utc(r["published"]) < end]
    return sorted(inside, key=lambda r: (utc(r["published"]), r["id"]))


def sample(data_dir: Path | str = DEFAULT_DATA) -> list[tuple[Window, dict]]:
    """Recompute the labelled item list from the data: (window, record) in window order."""
    cache: dict[str, list[dict]] = {}
    out = []
    for w in WINDOWS:
        if w.file not in cache:
            cache[w.file] = read_records(Path(data_dir), w.file)
        out.extend((w, r) for r in window_items(w, cache[w.file]))
    return out


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise GoldError(f"{path.name}:{n}: bad JSON ({exc})") from None
    return rows


def load(data_dir: Path | str = DEFAULT_DATA, gold: Path | str = GOLD) -> list[dict]:
    """Every labelled item: its gold line joined with title, summary, text, published, outlet,
    language, url and camp read from the data. Raises ``GoldError`` on any inconsistency."""
    data_dir = Path(data_dir)
    rows = read_jsonl(Path(gold))
    by_file: dict[str, dict[str, dict]] = {}
    for f in sorted({row["file"] for row in rows}):
        by_file[f] = {r["id"]: r for r in read_records(data_dir, f)}
    out, seen = [], set()
    for row in rows:
        key = (row["file"], row["id"])
        if key in seen:
            raise GoldError(f"duplicate gold item {key}")
        seen.add(key)
        rec = by_file[row["file"]].get(row["id"])
        if rec is None:
            raise GoldError(f"gold id {row['id']!r} not found in {row['file']} under {data_dir}")
        item = dict(row)
        for field in ("title", "summary", "text", "url", "collection", "domain"):
            item[field] = rec.get(field)
        item["published"] = rec.get("published")
        item["outlet"] = outlet_of(rec)
        item["lang"] = rec.get("language")
        item["camp"] = camp_of(rec)
        out.append(item)
    return out


def check(data_dir: Path | str = DEFAULT_DATA) -> list[dict]:
    """``load`` plus: the gold holds exactly the items of the windows, and every story of the
    gold is in the index with the right window and size."""
    items = load(data_dir)
    want = {(w.name, w.file, r["id"]) for w, r in sample(data_dir)}
    have = {(i["window"], i["file"], i["id"]) for i in items}
    if want != have:
        raise GoldError(
            f"gold and windows differ: {len(want - have)} unlabelled window items, "
            f"{len(have - want)} gold items outside the windows"
        )
    index = {row["story"]: row for row in read_jsonl(INDEX)}
    sizes = Counter(i["story"] for i in items)
    for story, n in sizes.items():
        row = index.get(story)
        if row is None or row["items"] != n:
            raise GoldError(f"story {story}: index says {row and row['items']}, gold has {n}")
    if set(index) != set(sizes):
        raise GoldError(f"index stories without items: {sorted(set(index) - set(sizes))[:5]}")
    for i in items:
        if index[i["story"]]["window"] != i["window"]:
            raise GoldError(f"story {i['story']} spans windows")
    return items


def _snippet(item: dict, width: int) -> str:
    text = " ".join((item.get("title") or item.get("summary") or item.get("text") or "").split())
    return text[:width]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="shared data directory")
    ap.add_argument("--window", help="print only this window (w1..w5)")
    ap.add_argument("--check", action="store_true", help="validate and print totals only")
    ap.add_argument("--width", type=int, default=110, help="characters of title/text shown")
    args = ap.parse_args(argv)
    try:
        items = check(args.data)
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    index = {row["story"]: row for row in read_jsonl(INDEX)}
    sizes = Counter(i["story"] for i in items)
    langs = defaultdict(set)
    for i in items:
        langs[i["story"]].add(i["lang"])
    print(
        f"{len(items)} items, {len(sizes)} stories, "
        f"{sum(1 for n in sizes.values() if n > 1)} with >= 2 items, "
        f"{sum(1 for s in langs if len(langs[s]) > 1)} cross-language"
    )
    if args.check:
        return 0
    for w in WINDOWS:
        if args.window and w.name != args.window:
            continue
        mine = [i for i in items if i["window"] == w.name]
        print(f"\n=== {w.name}  {w.file}  [{w.start}, {w.end})  {len(mine)} items\n    {w.why}")
        groups = defaultdict(list)
        for i in mine:
            groups[i["story"]].append(i)
        for story in sorted(groups, key=lambda s: (-len(groups[s]), s)):
            row = index[story]
            print(f"\n{story} ({len(groups[story])}) {row['date']}: {row['description']}")
            for i in sorted(groups[story], key=lambda i: (utc(i["published"]), i["id"])):
                when = utc(i["published"]).strftime("%m-%d %H:%M")
                print(
                    f"   {when} {i['lang']} {i['outlet'][:18]:18} {i['kind'][:3]} "
                    f"{i['id']}  {_snippet(i, args.width)}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
