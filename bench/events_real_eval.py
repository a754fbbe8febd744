"""Event coding on hand-labelled real sentences (EN/RU/FA): precision and recall per language.

Reads the gold of ``bench/labels/events_gold.jsonl`` (400 sentences from the demo corpus and the
``news/`` sets, labelled as ``bench/events_labelling.md`` says) through its loader, runs the
actors stage and the event coder on each sentence alone (on the record's date), and matches the
coded events to the gold events of the sentence one to one:

* **type**: same PLOVER type;
* **dyad**: same source and target codes (``null`` = no identifiable actor); the order does not
  count for CONSULT, AGREE and COOPERATE (meetings and agreements are mutual), and a coder's
  two directions of one such event (same trigger) count as one prediction (:func:`unordered`);
* **both**: type and dyad on the same gold event;
* **full**: both, and the same ``negated`` and ``asserted`` flags.

Precision is over the coded events that are *kept* (confidence at or above ``--threshold``, the
store's default unless given) and name at least one party; recall over the gold events that name
at least one party. ``--split`` picks the tune half, the test half (the default: report there,
tune on the other) or all. ``--set bilateral`` scores the Iran–Russia stratum
(``bench/labels/events_bilateral.py``) instead of the random gold.

Beside today's coder the same run scores the **v1 coder** (the actors and events stages as they
were at ``V1_COMMIT``, before issue 17, from ``git archive`` of that commit in a subprocess; it
has no calibrated confidence, so every event it codes is kept); ``--no-v1`` skips it.

    python bench/events_real_eval.py [--split test|tune|all] [--threshold X] [--errors N]
        [--no-v1] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent / "labels"))

import events_sample

from newsparallax.annotate.actors import find_mentions
from newsparallax.annotate.events import coder_for
from newsparallax.annotate.events.signals import Coded
from newsparallax.records import Event
from themes_eval import V1_COMMIT, extract

MUTUAL = frozenset({"CONSULT", "AGREE", "COOPERATE"})
LEVELS = ("type", "dyad", "both", "full")


def _date(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return datetime.fromisoformat(published.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            return None


def _dyad_ok(pred: Event, gold: dict[str, Any]) -> bool:
    same = (pred.source, pred.target) == (gold["source"], gold["target"])
    if same:
        return True
    return (
        pred.type in MUTUAL
        and gold["type"] == pred.type
        and ((pred.target, pred.source) == (gold["source"], gold["target"]))
    )


def unordered(preds: list[Any], event: Any = lambda p: p) -> list[Any]:
    """``preds`` without the mirror of an earlier one: a mutual type's second direction ("Iran
    and Russia met" is coded IRN→RUS and RUS→IRN), which the guide labels once, unordered —
    scored as one event, not as a right one and a wrong one. ``event`` gets a prediction's
    :class:`Event`."""
    seen: set[tuple[str, str | None, str | None, str]] = set()
    out = []
    for p in preds:
        e = event(p)
        if e.type in MUTUAL and (e.type, e.target, e.source, e.trigger) in seen:
            continue
        seen.add((e.type, e.source, e.target, e.trigger))
        out.append(p)
    return out


def _level(pred: Event, gold: dict[str, Any]) -> dict[str, bool]:
    t = pred.type == gold["type"]
    d = (
        _dyad_ok(pred, gold)
        if t
        else (pred.source, pred.target) == (gold["source"], gold["target"])
    )
    both = t and d
    full = both and pred.negated == gold["negated"] and pred.asserted == gold["asserted"]
    return {"type": t, "dyad": d, "both": both, "full": full}


def match(preds: list[Event], golds: list[dict[str, Any]]) -> tuple[dict[str, int], dict[str, int]]:
    """Matched counts per level, for predictions and for gold events (one to one, greedily,
    each level on its own: a prediction's type may match one gold event and its dyad another)."""
    pred_hits: dict[str, int] = {}
    gold_hits: dict[str, int] = {}
    for level in LEVELS:
        used: set[int] = set()
        hits = 0
        for pred in preds:
            for i, gold in enumerate(golds):
                if i not in used and _level(pred, gold)[level]:
                    used.add(i)
                    hits += 1
                    break
        pred_hits[level] = hits
        gold_hits[level] = len(used)
    return pred_hits, gold_hits


def _has_party(source: str | None, target: str | None) -> bool:
    return bool(source or target)


def code_sentence(item: dict[str, Any]) -> list[Event]:
    return [c.event for c in coded_sentence(item)]


def coded_sentence(item: dict[str, Any]) -> list[Coded]:
    """The sentence's events with their signals, coded alone on its record's date."""
    text = item["text"]
    day = _date(item.get("published"))
    mentions = find_mentions(text, published=day, language=item["lang"])
    coder = coder_for(item["lang"])
    if coder is None:
        return []
    return coder.coded(text, mentions, field="text")


def fully_right(preds: list[Event], golds: list[dict[str, Any]]) -> list[bool]:
    """For each predicted event, whether it matches a gold event of the sentence in type,
    source, target, negation and assertion (one to one, in order)."""
    used: set[int] = set()
    out = []
    for pred in preds:
        hit = next(
            (i for i, g in enumerate(golds) if i not in used and _level(pred, g)["full"]), None
        )
        if hit is not None:
            used.add(hit)
        out.append(hit is not None)
    return out


_V1_SCRIPT = """
import json, sys
from datetime import date, datetime
from newsparallax.annotate.actors import find_mentions
from newsparallax.annotate.events import coder_for
out = {}
for line in sys.stdin:
    item = json.loads(line)
    day = date.fromisoformat(item["day"]) if item["day"] else None
    coder = coder_for(item["lang"])
    events = []
    if coder is not None:
        mentions = find_mentions(item["text"], published=day, language=item["lang"])
        events = [
            {k: getattr(e, k) for k in ("type", "source", "target", "asserted", "negated",
                                        "confidence", "trigger")}
            for e in coder.code(item["text"], mentions, field="text")
        ]
    out[item["id"]] = events
json.dump(out, sys.stdout)
"""


def code_v1(items: list[dict[str, Any]], commit: str = V1_COMMIT) -> dict[str, list[Event]]:
    """The events the v1 coder codes for each item (by id), run from ``commit``'s code."""
    payload = "".join(
        json.dumps(
            {
                "id": item["id"],
                "lang": item["lang"],
                "text": item["text"],
                "day": (d := _date(item.get("published"))) and d.isoformat(),
            }
        )
        + "\n"
        for item in items
    )
    with tempfile.TemporaryDirectory(prefix="events-v1-") as tmp:
        extract(commit, Path(tmp))
        env = {**os.environ, "PYTHONPATH": str(Path(tmp) / "src")}
        done = subprocess.run(
            [sys.executable, "-c", _V1_SCRIPT], input=payload, capture_output=True, text=True,
            env=env, cwd=tmp, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"v1 run failed:\n{done.stderr[-2000:]}")
    return {
        key: [Event(**{**e, "confidence": 1.0}, sentence_start=0, sentence_end=0) for e in events]
        for key, events in json.loads(done.stdout).items()
    }


def evaluate(
    items: list[dict[str, Any]],
    *,
    threshold: float,
    errors: int = 0,
    coded_by: dict[str, list[Event]] | None = None,
) -> dict[str, Any]:
    """Scores per language; ``coded_by`` gives the events of each item (by id) instead of
    coding them here (the v1 coder's)."""
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    shown = 0
    started = time.perf_counter()
    for item in items:
        lang = item["lang"]
        golds = [g for g in item["events"] if _has_party(g["source"], g["target"])]
        coded = coded_by.get(item["id"], []) if coded_by is not None else code_sentence(item)
        preds = unordered(
            [e for e in coded if e.confidence >= threshold and _has_party(e.source, e.target)]
        )
        pred_hits, gold_hits = match(preds, golds)
        for key in (lang, "all"):
            c = totals[key]
            c["sentences"] += 1
            c["predicted"] += len(preds)
            c["gold"] += len(golds)
            c["dropped"] += len(coded) - len(preds)
            for level in LEVELS:
                c[f"p_{level}"] += pred_hits[level]
                c[f"g_{level}"] += gold_hits[level]
        if errors and shown < errors and pred_hits["full"] < max(len(preds), len(golds)):
            shown += 1
            print(f"\n[{lang}] {item['text'][:300]}", file=sys.stderr)
            for g in golds:
                print(f"   gold  {g['type']} {g['source']}->{g['target']} asserted="
                      f"{g['asserted']} negated={g['negated']}", file=sys.stderr)  # fmt: skip
            for e in preds:
                print(f"   coded {e.type} {e.source}->{e.target} asserted={e.asserted}"
                      f" negated={e.negated} conf={e.confidence:.2f} '{e.trigger}'",
                      file=sys.stderr)  # fmt: skip
    report: dict[str, Any] = {"seconds": round(time.perf_counter() - started, 1)}
    for key, c in totals.items():
        row: dict[str, Any] = {k: c[k] for k in ("sentences", "predicted", "gold", "dropped")}
        for level in LEVELS:
            p = c[f"p_{level}"] / c["predicted"] if c["predicted"] else None
            r = c[f"g_{level}"] / c["gold"] if c["gold"] else None
            row[level] = {"precision": _r(p), "recall": _r(r)}
        report[key] = row
    return report


def _r(x: float | None) -> float | None:
    return round(x, 3) if x is not None else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("test", "tune", "all"), default="test")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--errors", type=int, default=0, help="print N sentences coded wrong")
    parser.add_argument("--no-v1", action="store_true", help="skip the v1 coder")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--set",
        choices=("gold", "bilateral"),
        default="gold",
        help="the random gold (default) or the Iran–Russia stratum (labels/events_bilateral.py)",
    )
    args = parser.parse_args(argv)
    threshold = args.threshold if args.threshold is not None else default_threshold()
    if args.set == "bilateral":
        import events_bilateral

        items = events_bilateral.load(events_sample.DEFAULT_DATA)
    else:
        items = events_sample.load(events_sample.DEFAULT_DATA)
    if args.split != "all":
        items = [i for i in items if i["split"] == args.split]
    report = evaluate(items, threshold=threshold, errors=args.errors)
    report["split"], report["threshold"] = args.split, threshold
    v1 = None if args.no_v1 else evaluate(items, threshold=0.0, coded_by=code_v1(items))
    if args.json:
        print(json.dumps({"coder": report, "v1": v1}, indent=2))
        return 0
    _table(f"today's coder, {args.set} set, split={args.split}, threshold={threshold}", report)
    if v1 is not None:
        _table(f"v1 coder ({V1_COMMIT[:7]}), same sentences, every event kept", v1)
    return 0


def _table(title: str, report: dict[str, Any]) -> None:
    print(f"\n{title} ({report['seconds']} s)")
    print(f"{'lang':5} {'sent':>5} {'coded':>6} {'gold':>5}   "
          + "   ".join(f"{lv:>4} P / R  " for lv in LEVELS))  # fmt: skip
    for key in ("en", "ru", "fa", "all"):
        row = report.get(key)
        if not row:
            continue
        cells = "   ".join(
            f"{_fmt(row[lv]['precision'])} / {_fmt(row[lv]['recall'])}" for lv in LEVELS
        )
        print(f"{key:5} {row['sentences']:>5} {row['predicted']:>6} {row['gold']:>5}   {cells}")


def _fmt(x: float | None) -> str:
    return f"{x:.2f}" if x is not None else "  - "


def default_threshold() -> float:
    """The store's default confidence threshold for events (0 for a coder that has none)."""
    try:
        from newsparallax.annotate.events.signals import event_threshold
    except ImportError:  # the v1 coder
        return 0.0
    return event_threshold()


if __name__ == "__main__":
    sys.exit(main())
