"""Does this checkout code the same events as a baseline commit? Checked on real demo articles.

Takes the first ``--per-file`` records of each demo file (``../shared/data/demo``: Kremlin
transcripts, Tehran Times, Federal Register, feed and war headlines, Russian Telegram posts),
runs the actors stage and then the events stage over them with the baseline's code (``git
archive`` of ``--baseline``, default the merge base with ``main``) and with this checkout's, each
in its own process, and compares every field of every event (type, CAMEO code, source, target,
actors, sentence offsets, trigger, confidence, attribution, negation, mood, instance...).

This checkout runs the stage twice: once doc by doc (as the monitor does) and once in chunks of
32 docs, stage by stage, as ingest does (the events stage then parses the sentences of the
whole chunk in one batch). Prints the events found, the docs and events that differ (the first
few in full) and the CPU seconds of the events stage in each run. Exit status 1 if any differ.

    python bench/events_same.py [--baseline REF] [--per-file 100] [--data ../shared/data/demo]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from themes_eval import extract

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT.parent / "shared" / "data" / "demo"

_CHILD = r"""
import json, sys, time
from dataclasses import asdict
from newsparallax.annotate.actors.stage import actors_stage
from newsparallax.annotate.dates import parse_date
from newsparallax.annotate.events import coder_for
from newsparallax.annotate.events.stage import EventsStage
from newsparallax.annotate.pipeline import Doc, Pipeline

rows = json.load(sys.stdin)


def docs():
    out = []
    for r in rows:
        d = Doc(source="demo", title=r["title"], text=r["text"], summary=r["summary"])
        d.id, d.language = r["id"], r["language"]
        d.published, d.date_precision = parse_date(r["published"])
        out.append(d)
    return out


annotated = docs()
actors = actors_stage()
for d in annotated:
    actors(d)
coder_for("en").code("Iran signed a treaty with Russia.", [])  # load spaCy before timing


def fresh():
    out = docs()
    for d, a in zip(out, annotated):
        d.mentions = list(a.mentions)
    return out


def forget():
    getattr(coder_for("en"), "_parsed", {}).clear()  # no parses kept from the run before


def dump(ds):
    return [[{k: v for k, v in asdict(e).items() if k != "signals"} for e in d.events] for d in ds]


result = {}
forget()
ds, stage = fresh(), EventsStage()
t0 = time.process_time()
for d in ds:
    stage(d)
result["each"] = {"cpu": time.process_time() - t0, "events": dump(ds)}
if hasattr(Pipeline, "run_each"):
    forget()
    ds, stage = fresh(), EventsStage()
    pipe = Pipeline([stage], given=frozenset(Doc.__dataclass_fields__))
    t0 = time.process_time()
    for i in range(0, len(ds), 32):
        failed = [r for r in pipe.run_each(ds[i : i + 32]) if isinstance(r, Exception)]
        assert not failed, failed
    result["chunks"] = {"cpu": time.process_time() - t0, "events": dump(ds)}
json.dump(result, sys.stdout)
"""


def load(data: Path, per_file: int) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(data.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in itertools.islice(fh, per_file):
                r = json.loads(line)
                rows.append(
                    {
                        "id": str(r.get("id") or f"{path.name}:{len(rows)}"),
                        "language": r.get("language") or "und",
                        "published": r.get("published"),
                        "title": r.get("title") or "",
                        "text": r.get("text") or "",
                        "summary": r.get("summary") or "",
                    }
                )
    return rows


def run(src: Path, rows: list[dict[str, Any]]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps(rows).encode(),
        capture_output=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode()[-3000:])
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def compare(
    name: str, base: list[list[Any]], new: list[list[Any]], rows: list[Any], *, show: int = 8
) -> int:
    docs = [i for i, (a, b) in enumerate(zip(base, new, strict=True)) if a != b]
    events = sum(
        len([e for e in a if e not in b]) + len([e for e in b if e not in a])
        for a, b in ((base[i], new[i]) for i in docs)
    )
    print(f"{name}: {len(docs)} of {len(base)} docs differ, {events} events in one only")
    for i in docs[:show]:
        print(f"  doc {rows[i]['id']} (- baseline only, + this checkout only):")
        for sign, ours, theirs in (("-", base[i], new[i]), ("+", new[i], base[i])):
            for e in (e for e in ours if e not in theirs):
                print(f"    {sign} {_brief(e)}")
    return len(docs)


def _brief(event: Any) -> str:
    """One line of an event: type, source → target, trigger, confidence, mood, flags."""
    if not isinstance(event, dict):
        return json.dumps(event, ensure_ascii=False)[:200]
    flags = ("" if event.get("asserted", True) else " relayed") + (
        " negated" if event.get("negated") else ""
    )
    return (
        f"{event.get('type')} {event.get('source')}→{event.get('target')}"
        f" {event.get('trigger')!r} {event.get('confidence')} {event.get('mood')}{flags}"
        f" @{event.get('field')}:{event.get('sentence_start')}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--baseline", default=None, help="git ref (default: merge base with main)")
    parser.add_argument("--per-file", type=int, default=100, help="records from each demo file")
    parser.add_argument("--data", type=Path, default=DEMO)
    parser.add_argument("--show", type=int, default=8, help="differing docs to print")
    args = parser.parse_args()
    baseline = (
        args.baseline
        or subprocess.run(
            ["git", "-C", str(ROOT), "merge-base", "HEAD", "main"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    rows = load(args.data, args.per_file)
    with tempfile.TemporaryDirectory(prefix="events-base-") as tmp:
        base = run(extract(baseline, Path(tmp)), rows)
    new = run(ROOT / "src", rows)
    found = base["each"]["events"]
    total = sum(len(e) for e in found)
    with_events = sum(bool(e) for e in found)
    print(
        f"{len(rows)} records ({args.per_file} of each demo file): baseline {baseline[:12]} codes"
        f" {total} events in {with_events} of them"
    )
    differ = compare(
        "this checkout, doc by doc", found, new["each"]["events"], rows, show=args.show
    )
    if "chunks" in new:
        differ += compare(
            "this checkout, chunks of 32", found, new["chunks"]["events"], rows, show=args.show
        )
    print("CPU seconds of the events stage:")
    print(f"  baseline, doc by doc      {base['each']['cpu']:7.2f}")
    print(f"  this, doc by doc          {new['each']['cpu']:7.2f}")
    if "chunks" in new:
        print(f"  this, chunks of 32        {new['chunks']['cpu']:7.2f}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
