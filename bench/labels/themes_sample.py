"""Hand-labelled theme gold on real items: the sampler, the loader and a reviewer's print-out.

The gold (``themes_gold.jsonl`` beside this file) names each item by the file it comes from
(relative to ``../shared/data``) and its record key; the article text is never stored here, it
is read from the data at run time. One JSON object a line::

    {"file": "demo/kremlin.jsonl.gz", "id": "kremlin-67828", "lang": "en", "split": "test",
     "themes": ["ukraine_war", "diplomacy_treaty"], "note": "optional, the labeller's words"}

Record key: the record's ``id`` when it is set and unique in its file, else ``"url:"`` + its
url (the western feed headlines carry no id; a few ids repeat in the RUWA and Tehran Times
files). ``split`` is ``tune`` or ``test`` from a SHA-256 of the key (``split_of``). The labelling
rules are in ``bench/themes_labelling.md``.

``draw`` re-draws the sample: per source a fixed quota of records, chosen with a fixed seed
from the records of that source and language that hold some text. The gold was labelled on that
draw; if the data changes (held-back parts added), the draw may differ and ``main`` says so,
while ``load`` keeps reading exactly the labelled records.

Run: ``python bench/labels/themes_sample.py [--lang ru] [--source telegram-ru] [--chars 800]``
prints every drawn item with its labels; ``--check`` validates the gold and prints the counts.
Standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "themes_gold.jsonl"
DATA = (HERE.parents[2] / "shared" / "data").resolve()

SEED = "parallax-themes-gold-v1"
MIN_CHARS = 20  # records with less text than this (title + summary + text) are not drawn
LANGS = ("en", "ru", "fa")
THEMES = (
    "military_cooperation",
    "drones_missiles",
    "nuclear",
    "sanctions",
    "energy_trade",
    "israel_iran_conflict",
    "ukraine_war",
    "diplomacy_treaty",
    "brics_multipolar",
    "regime_change",
    "domestic_politics",
    "other",
)
FIELDS = ("title", "summary", "text", "published", "outlet", "language")


@dataclass(frozen=True)
class Source:
    name: str
    file: str  # relative to the data folder
    lang: str  # only records of this language are drawn
    quota: int


FEEDS_2026 = "news/feeds-iran-war-2026/feeds-2026.jsonl.gz"
SOURCES = (
    Source("tehrantimes", "demo/tehrantimes.jsonl.gz", "en", 45),
    Source("kremlin", "demo/kremlin.jsonl.gz", "en", 10),
    Source("federal-register", "demo/federal-register.jsonl.gz", "en", 20),
    Source("western-2022", "demo/western-feed-headlines-2022.jsonl.gz", "en", 25),
    Source("ruwa-2022", "demo/ruwa-war-headlines-2022.jsonl.gz", "en", 25),
    Source("feeds-2026-en", FEEDS_2026, "en", 25),
    Source("telegram-ru", "demo/telegram-ru-2024.jsonl.gz", "ru", 60),
    Source("feeds-2026-ru", FEEDS_2026, "ru", 70),
    Source("feeds-2026-fa", FEEDS_2026, "fa", 60),
    Source("farsnews-2023", "news/farsnews-2023/farsnews-2023.jsonl.gz", "fa", 60),
)


def split_of(key: str) -> str:
    """``tune`` or ``test``, from the first byte of the SHA-256 of ``themes-split:`` + the record
    key: a property of the key alone, so it stays put when items are added to the gold."""
    digest = hashlib.sha256(f"themes-split:{key}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "test"


def content(record: dict[str, object]) -> str:
    """The unit labelled: title, summary and text as Parallax reads them, blank-line joined."""
    parts = [record.get(f) for f in ("title", "summary", "text")]
    return "\n\n".join(p.strip() for p in parts if isinstance(p, str) and p.strip())


@cache
def _records(data_dir: Path, file: str) -> dict[str, dict[str, object]]:
    """The records of one data file by record key (see the module docstring)."""
    path = data_dir / file
    if not path.is_file():
        raise FileNotFoundError(f"theme gold: data file {path} not found (--data?)")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    ids = Counter(r.get("id") for r in rows if r.get("id"))
    urls = Counter(r.get("url") for r in rows if r.get("url"))
    out: dict[str, dict[str, object]] = {}
    for r in rows:
        rid, url = r.get("id"), r.get("url")
        if rid and ids[rid] == 1:
            out[str(rid)] = r
        elif url and urls[url] == 1:
            out[f"url:{url}"] = r
    return out


def draw(data_dir: Path = DATA) -> list[dict[str, str]]:
    """The sample: ``file``, ``id``, ``lang``, ``split`` and ``source`` of each drawn record."""
    items = []
    for src in SOURCES:
        records = _records(data_dir, src.file)
        keys = sorted(
            k
            for k, r in records.items()
            if r.get("language") == src.lang and len(content(r)) >= MIN_CHARS
        )
        if len(keys) < src.quota:
            raise ValueError(f"theme gold: {src.name} has {len(keys)} records, quota {src.quota}")
        for key in random.Random(f"{SEED}|{src.name}").sample(keys, src.quota):
            items.append(
                {
                    "file": src.file,
                    "id": key,
                    "lang": src.lang,
                    "split": split_of(key),
                    "source": src.name,
                }
            )
    return items


def source_of(file: str, lang: str) -> str:
    for src in SOURCES:
        if src.file == file and src.lang == lang:
            return src.name
    return f"{file}:{lang}"


def read_gold(path: Path = GOLD) -> list[dict[str, object]]:
    """The gold rows, checked: known themes, ``other`` alone, split matching the key."""
    rows: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            where = f"{path.name}:{n}"
            file, key, themes = row.get("file"), row.get("id"), row.get("themes")
            if not isinstance(file, str) or not isinstance(key, str):
                raise ValueError(f"{where}: file and id must be strings")
            if (file, key) in seen:
                raise ValueError(f"{where}: {file} {key} labelled twice")
            seen.add((file, key))
            if row.get("lang") not in LANGS:
                raise ValueError(f"{where}: lang {row.get('lang')!r} not one of {LANGS}")
            if row.get("split") != split_of(key):
                raise ValueError(f"{where}: split {row.get('split')!r}, key says {split_of(key)}")
            if not isinstance(themes, list) or not themes:
                raise ValueError(f"{where}: themes must be a non-empty list")
            unknown = [t for t in themes if t not in THEMES]
            if unknown:
                raise ValueError(f"{where}: unknown themes {unknown}")
            if len(set(themes)) != len(themes):
                raise ValueError(f"{where}: a theme repeated")
            if "other" in themes and len(themes) > 1:
                raise ValueError(f"{where}: 'other' only when no other theme applies")
            rows.append(row)
    return rows


def load(data_dir: Path | str = DATA, gold: Path | str = GOLD) -> list[dict[str, object]]:
    """Each labelled item joined with ``title``, ``summary``, ``text``, ``published``,
    ``outlet`` and ``language`` read from the data now; raises if a record is not found."""
    data_dir = Path(data_dir).resolve()
    out, missing = [], []
    for row in read_gold(Path(gold)):
        file, key = str(row["file"]), str(row["id"])
        record = _records(data_dir, file).get(key)
        if record is None:
            missing.append(f"{file} {key}")
            continue
        if record.get("language") != row["lang"]:
            raise ValueError(
                f"theme gold: {file} {key} is {record.get('language')!r}, "
                f"labelled as {row['lang']!r}"
            )
        out.append({**row, **{f: record.get(f) for f in FIELDS}})
    if missing:
        raise KeyError(
            f"theme gold: {len(missing)} labelled records not found in {data_dir}: "
            + "; ".join(missing[:5])
            + (" ..." if len(missing) > 5 else "")
        )
    return out


def counts(rows: Iterable[dict[str, object]]) -> str:
    """Items per language, source and split; labels per theme and language; share of other."""
    rows = list(rows)
    lines = [f"{len(rows)} items"]
    by_lang = Counter(str(r["lang"]) for r in rows)
    lines.append("per language: " + ", ".join(f"{k} {by_lang[k]}" for k in LANGS))
    split = Counter((str(r["lang"]), str(r["split"])) for r in rows)
    lines.append(
        "tune/test: " + ", ".join(f"{k} {split[(k, 'tune')]}/{split[(k, 'test')]}" for k in LANGS)
    )
    by_src = Counter(source_of(str(r["file"]), str(r["lang"])) for r in rows)
    lines.append("per source: " + ", ".join(f"{s.name} {by_src[s.name]}" for s in SOURCES))
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        for t in r["themes"]:  # type: ignore[attr-defined]
            per[t][str(r["lang"])] += 1
    lines.append(f"{'theme':22} {'en':>4} {'ru':>4} {'fa':>4} {'all':>5}")
    for t in THEMES:
        c = per[t]
        lines.append(f"{t:22} {c['en']:4} {c['ru']:4} {c['fa']:4} {sum(c.values()):5}")
    n_themes = Counter(len(r["themes"]) for r in rows)  # type: ignore[arg-type]
    lines.append("themes per item: " + ", ".join(f"{k}: {v}" for k, v in sorted(n_themes.items())))
    other = {k: per["other"][k] / by_lang[k] if by_lang[k] else 0.0 for k in LANGS}
    lines.append(
        "share of other: "
        + ", ".join(f"{k} {v:.0%}" for k, v in other.items())
        + f", all {sum(per['other'].values()) / max(len(rows), 1):.0%}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(DATA), help="the shared data folder")
    parser.add_argument("--gold", default=str(GOLD))
    parser.add_argument("--lang", choices=LANGS)
    parser.add_argument("--source", choices=[s.name for s in SOURCES])
    parser.add_argument("--chars", type=int, default=1200, help="text shown per item; 0: all")
    parser.add_argument("--unlabelled", action="store_true", help="only items with no label")
    parser.add_argument("--check", action="store_true", help="validate and count, print no text")
    args = parser.parse_args(argv)
    data_dir = Path(args.data).resolve()
    gold_path = Path(args.gold)
    gold = read_gold(gold_path) if gold_path.is_file() else []
    labels = {(str(r["file"]), str(r["id"])): r for r in gold}
    items = draw(data_dir)
    drawn = {(i["file"], i["id"]) for i in items}
    if args.check:
        load(data_dir, gold_path)
        print(counts(gold))
        unlabelled = len(drawn - labels.keys())
        extra = len(labels.keys() - drawn)
        print(
            f"draw vs gold: {unlabelled} drawn items unlabelled, {extra} labelled items "
            "not in today's draw"
        )
        return 1 if unlabelled or extra else 0
    for item in items:
        if (args.lang and item["lang"] != args.lang) or (
            args.source and item["source"] != args.source
        ):
            continue
        label = labels.get((item["file"], item["id"]))
        if args.unlabelled and label:
            continue
        record = _records(data_dir, item["file"])[item["id"]]
        text = content(record)
        if args.chars and len(text) > args.chars:
            text = text[: args.chars] + f" [... {len(text) - args.chars} more chars]"
        print(
            f"=== {item['source']} | {item['file']} | {item['id']} | {item['lang']} | "
            f"{item['split']} | {record.get('outlet') or record.get('domain')} | "
            f"{record.get('published')}"
        )
        if label:
            print(f"THEMES: {', '.join(label['themes'])}")  # type: ignore[arg-type]
            if label.get("note"):
                print(f"NOTE: {label['note']}")
        else:
            print("THEMES: (unlabelled)")
        print(text)
        print()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head or less, closed early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
