"""The themes stage on the hand-labelled theme gold (EN/RU/FA), beside v1 and keyword baselines.

Reads ``bench/labels/themes_gold.jsonl`` through its loader (400 real items, tune/test halves
per language; the rules are ``bench/themes_labelling.md``), runs the stages the pipeline runs
before themes (actors, then events, on the record's language and date) and tags every item with:

* **new**: the themes stage of this checkout;
* **v1**: the themes stage as it was at ``V1_COMMIT`` (its actors and events stages too), run
  from ``git archive`` of that commit in a subprocess, so v1 stays runnable whatever changes here;
* **kw-v1**: a plain keyword list: v1's strong terms of each theme, one hit anywhere in title or
  body tags the theme, no weights (``other`` when none);
* **kw-new**: the same over this checkout's term lists (what the scoring adds to the lists).

Per tagger, split and language (and ``head``: the headline items of all languages, body under 25
words) it prints micro precision / recall / F1 over the themes that have gold positives in that
cell (``other`` included: it is a label the stage gives), the same without
``other``, macro F1 over those themes, and false positives on themes with no gold positives
(precision is all that can be measured there). ``--themes`` adds a per-theme table (P/R/F1 with
tp/fp/fn) per language and split. Tune on the tune half only; the test half is for reporting.

    python bench/themes_eval.py [--split tune|test|all] [--themes] [--no-v1] [--json]
                                [--errors N] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent / "labels"))

import themes_sample

from newsparallax.annotate.actors.stage import actors_stage
from newsparallax.annotate.dates import parse_date
from newsparallax.annotate.events.stage import EventsStage
from newsparallax.annotate.pipeline import Doc
from newsparallax.annotate.themes import (
    STAGE,
    STRONG,
    ThemeMatcher,
    shipped_themes,
    theme_view,
    themes_stage,
)

ROOT = Path(__file__).resolve().parents[1]
#: The commit whose themes stage is "v1" (the base of the theme work: stage ``themes.v1``).
V1_COMMIT = "a60359e7dcf493635863b729b63f87f8e44285ff"
LANGS = themes_sample.LANGS
THEMES = themes_sample.THEMES
TAGGERS = ("new", "v1", "kw-v1", "kw-new")


def gold_docs(rows: Iterable[Mapping[str, Any]]) -> list[Doc]:
    """A :class:`Doc` per gold item, as the pipeline has it when the actors stage starts."""
    docs = []
    for r in rows:
        published, precision = parse_date(r.get("published"))
        doc = Doc(
            source="themes-gold",
            title=str(r.get("title") or ""),
            text=str(r.get("text") or ""),
            summary=str(r.get("summary") or ""),
        )
        doc.id, doc.language = str(r["id"]), str(r["lang"])
        doc.published, doc.date_precision = published, precision
        docs.append(doc)
    return docs


def annotate(docs: Sequence[Doc]) -> dict[str, float]:
    """Run the actors and events stages on ``docs`` in place; seconds per stage."""
    seconds: Counter[str] = Counter()
    for stage in (actors_stage(), EventsStage()):
        t0 = time.perf_counter()
        for doc in docs:
            stage(doc)
        seconds[stage.name] += time.perf_counter() - t0
    return dict(seconds)


def tag_new(docs: Sequence[Doc]) -> tuple[dict[str, list[str]], float]:
    """This checkout's themes stage on annotated ``docs``; and its seconds."""
    stage = themes_stage()
    t0 = time.perf_counter()
    out = {}
    for doc in docs:
        stage(doc)
        out[doc.id] = [t.theme for t in doc.themes]
    return out, time.perf_counter() - t0


def keyword_tags(matcher: ThemeMatcher, title: str, body: str) -> list[str]:
    """The keyword baseline: every theme with a strong term anywhere; else ``other``."""
    hits = matcher.hits(title) + matcher.hits(body)
    found = sorted({h.theme for h in hits if h.weight >= STRONG})
    return found or ["other"]


def tag_keywords_new(docs: Sequence[Doc]) -> dict[str, list[str]]:
    matcher = ThemeMatcher(shipped_themes())
    out = {}
    for doc in docs:
        body, _ = theme_view(doc.title, doc.summary, doc.body)
        out[doc.id] = keyword_tags(matcher, doc.title, body)
    return out


_V1_SCRIPT = r"""
import json, sys
from newsparallax.annotate.actors.stage import actors_stage
from newsparallax.annotate.dates import parse_date
from newsparallax.annotate.events.stage import EventsStage
from newsparallax.annotate.pipeline import Doc
from newsparallax.annotate.themes import STRONG, matcher_for, theme_view, themes_stage

stages = [actors_stage(), EventsStage(), themes_stage()]
matcher = matcher_for()
out = {}
for line in sys.stdin:
    r = json.loads(line)
    doc = Doc(source="themes-gold", title=r["title"], text=r["text"], summary=r["summary"])
    doc.id, doc.language = r["id"], r["lang"]
    doc.published, doc.date_precision = parse_date(r["published"])
    for stage in stages:
        stage(doc)
    body, _ = theme_view(doc.title, doc.summary, doc.body)
    hits = matcher.hits(doc.title) + matcher.hits(body)
    kw = sorted({h.theme for h in hits if h.weight >= STRONG}) or ["other"]
    out[doc.id] = {"v1": [t.theme for t in doc.themes], "kw": kw, "stage": doc.themes[0].stage}
json.dump(out, sys.stdout)
"""


def extract(commit: str, dest: Path) -> Path:
    """``src/`` of ``commit`` (``git archive``) under ``dest``; returns the ``src`` folder."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "src"],
        check=True,
        capture_output=True,
    ).stdout
    tar_path = dest / "src.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def tag_v1(
    rows: Sequence[Mapping[str, Any]], commit: str = V1_COMMIT
) -> tuple[dict[str, list[str]], dict[str, list[str]], str]:
    """v1 tags and the v1 keyword baseline, from ``commit``'s code in a subprocess."""
    with tempfile.TemporaryDirectory(prefix="themes-v1-") as tmp:
        extract(commit, Path(tmp))
        payload = "".join(
            json.dumps(
                {
                    "id": str(r["id"]),
                    "lang": r["lang"],
                    "title": r.get("title") or "",
                    "text": r.get("text") or "",
                    "summary": r.get("summary") or "",
                    "published": r.get("published"),
                }
            )
            + "\n"
            for r in rows
        )
        env = {**os.environ, "PYTHONPATH": str(Path(tmp) / "src")}
        done = subprocess.run(
            [sys.executable, "-c", _V1_SCRIPT],
            input=payload,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"v1 run failed:\n{done.stderr[-2000:]}")
    data = json.loads(done.stdout)
    stage = next(iter(data.values()))["stage"] if data else "?"
    return (
        {k: v["v1"] for k, v in data.items()},
        {k: v["kw"] for k, v in data.items()},
        stage,
    )


@dataclass
class Cell:
    """Counts of one tagger on one split and language, per theme."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    n: int = 0

    def add(self, gold: set[str], pred: set[str]) -> None:
        self.n += 1
        for t in gold | pred:
            if t in gold and t in pred:
                self.tp[t] += 1
            elif t in pred:
                self.fp[t] += 1
            else:
                self.fn[t] += 1

    def positives(self, *, other: bool = True) -> list[str]:
        """Themes with gold positives in this cell."""
        return [t for t in THEMES if self.tp[t] + self.fn[t] and (other or t != "other")]

    def theme(self, t: str) -> tuple[float | None, float | None, float | None]:
        return prf(self.tp[t], self.fp[t], self.fn[t])

    def micro(self, *, other: bool = True) -> tuple[float | None, float | None, float | None]:
        themes = self.positives(other=other)
        return prf(
            sum(self.tp[t] for t in themes),
            sum(self.fp[t] for t in themes),
            sum(self.fn[t] for t in themes),
        )

    def macro(self) -> float | None:
        f1s = [self.theme(t)[2] or 0.0 for t in self.positives()]
        return sum(f1s) / len(f1s) if f1s else None

    def stray(self) -> dict[str, int]:
        """False positives on themes with no gold positives in this cell."""
        return {t: self.fp[t] for t in THEMES if self.fp[t] and not (self.tp[t] + self.fn[t])}


def prf(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return p, r, f


def score(
    rows: Sequence[Mapping[str, Any]], preds: Mapping[str, Sequence[str]]
) -> dict[tuple[str, str], Cell]:
    """Cells by ``(split, lang)``, with ``all`` for both splits and for all languages."""
    cells: dict[tuple[str, str], Cell] = {}
    for r in rows:
        gold, pred = set(r["themes"]), set(preds[str(r["id"])])
        langs = [str(r["lang"]), "all"] + (["head"] if is_headline(r) else [])
        for split in (str(r["split"]), "all"):
            for lang in langs:
                cells.setdefault((split, lang), Cell()).add(gold, pred)
    return cells


def is_headline(row: Mapping[str, Any]) -> bool:
    """A headline item: its body (text, else summary) under 25 words."""
    body = str(row.get("text") or "").strip() or str(row.get("summary") or "")
    return len(body.split()) < 25


def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def summary_table(
    results: Mapping[str, Mapping[tuple[str, str], Cell]], splits: Sequence[str]
) -> str:
    lines = [
        f"{'split':5} {'lang':4} {'tagger':7} {'n':>4}  {'P':>5} {'R':>5} {'F1':>5}   "
        f"{'F1-oth':>6} {'macro':>5}  stray FP (themes with no gold positives here)"
    ]
    for split in splits:
        for lang in (*LANGS, "all", "head"):
            for name, cells in results.items():
                cell = cells.get((split, lang))
                if cell is None:
                    continue
                p, r, f = cell.micro()
                f_no = cell.micro(other=False)[2]
                stray = ", ".join(f"{t} {n}" for t, n in cell.stray().items()) or "-"
                lines.append(
                    f"{split:5} {lang:4} {name:7} {cell.n:4}  {_f(p)} {_f(r)} {_f(f)}   "
                    f"{_f(f_no):>6} {_f(cell.macro())}  {stray}"
                )
            lines.append("")
    return "\n".join(lines)


def theme_table(
    results: Mapping[str, Mapping[tuple[str, str], Cell]], split: str, lang: str
) -> str:
    names = list(results)
    head = f"{'theme':21}" + "".join(f" | {n:^27}" for n in names)
    lines = [f"-- {split} / {lang}: P R F1 (tp/fp/fn)", head]
    for t in THEMES:
        row = f"{t:21}"
        shown = False
        for n in names:
            cell = results[n].get((split, lang))
            if cell is None:
                row += f" | {'':27}"
                continue
            p, r, f = cell.theme(t)
            counts = f"{cell.tp[t]}/{cell.fp[t]}/{cell.fn[t]}"
            shown |= bool(cell.tp[t] + cell.fp[t] + cell.fn[t])
            row += f" | {_f(p)} {_f(r)} {_f(f)} {counts:>9}"
        if shown:
            lines.append(row)
    return "\n".join(lines)


def errors(
    rows: Sequence[Mapping[str, Any]], preds: Mapping[str, Sequence[str]], split: str, n: int
) -> str:
    out = []
    for r in rows:
        if split != "all" and r["split"] != split:
            continue
        gold, pred = set(r["themes"]), set(preds[str(r["id"])])
        if gold != pred:
            title = str(r.get("title") or r.get("summary") or r.get("text") or "")[:110]
            out.append(
                f"{r['lang']} {r['id'][:28]:28} gold {','.join(sorted(gold))} | "
                f"new {','.join(sorted(pred))} | {title!r}"
            )
    return "\n".join(out[:n])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("tune", "test", "all"), default=None)
    parser.add_argument("--themes", action="store_true", help="per-theme tables too")
    parser.add_argument("--no-v1", action="store_true", help="skip the v1 subprocess")
    parser.add_argument("--errors", type=int, default=0, help="print N misses of 'new'")
    parser.add_argument("--data", default=str(themes_sample.DATA))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    splits = [args.split] if args.split else ["tune", "test"]

    rows = themes_sample.load(args.data)
    docs = gold_docs(rows)
    seconds = annotate(docs)
    new, new_seconds = tag_new(docs)
    seconds[STAGE] = new_seconds
    preds: dict[str, Mapping[str, Sequence[str]]] = {"new": new}
    v1_stage = None
    if not args.no_v1:
        v1, kw_v1, v1_stage = tag_v1(rows)
        preds["v1"], preds["kw-v1"] = v1, kw_v1
    preds["kw-new"] = tag_keywords_new(docs)
    results = {name: score(rows, p) for name, p in preds.items()}

    if args.json:
        out = {
            name: {
                f"{s}/{lang}": {
                    "n": cell.n,
                    "micro": cell.micro(),
                    "micro_without_other": cell.micro(other=False),
                    "macro_f1": cell.macro(),
                    "themes": {t: [cell.tp[t], cell.fp[t], cell.fn[t]] for t in THEMES},
                }
                for (s, lang), cell in cells.items()
            }
            for name, cells in results.items()
        }
        json.dump(out, sys.stdout, indent=1)
        print()
        return 0
    print(
        f"theme gold: {len(rows)} items; new = {STAGE}, v1 = "
        f"{v1_stage or 'skipped'} ({V1_COMMIT[:10]}); micro over themes with gold positives "
        "in the cell, 'other' included (F1-oth: without it)"
    )
    print("seconds on the gold: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()))
    print()
    print(summary_table(results, splits))
    if args.themes:
        for split in splits:
            for lang in LANGS:
                print(theme_table(results, split, lang))
                print()
    if args.errors:
        print(errors(rows, new, args.split or "tune", args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
