"""Cost of the themes stage per article on the demo corpus, v1 beside this checkout.

Reads the first ``--n`` items (half Tehran Times, half Russian Telegram: long English articles and
short Russian posts) of ``../shared/data/demo``, runs the actors stage on all of them and the
events stage on every ``--events-every``-th one (the English coder parses with spaCy: the slow
stage, sampled to keep the bench short), then times the themes stage alone over the annotated
items: this checkout's in this process, v1's (``themes_eval.V1_COMMIT``) in a subprocess from
``git archive`` of that commit, on the same items with the same mentions and events. Prints
articles per second and milliseconds per article of each stage, best of ``--repeat`` runs.

    python bench/themes_throughput.py [--n 2000] [--events-every 10] [--repeat 3] [--no-v1]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import themes_eval
from newsparallax.annotate.actors.stage import actors_stage
from newsparallax.annotate.dates import parse_date
from newsparallax.annotate.events.stage import EventsStage
from newsparallax.annotate.pipeline import Doc
from newsparallax.annotate.themes import STAGE, themes_stage

DEMO = Path(__file__).resolve().parents[2] / "shared" / "data" / "demo"
FILES = ("tehrantimes.jsonl.gz", "telegram-ru-2024.jsonl.gz")


def load(n: int) -> list[Doc]:
    """``n`` items, half from each file, in file order (those with some text)."""
    docs = []
    for name in FILES:
        with gzip.open(DEMO / name, "rt", encoding="utf-8") as fh:
            rows = (json.loads(line) for line in fh if line.strip())
            rows = (r for r in rows if (r.get("text") or r.get("summary") or "").strip())
            for r in itertools.islice(rows, n // 2):
                doc = Doc(
                    source="demo",
                    title=r.get("title") or "",
                    text=r.get("text") or "",
                    summary=r.get("summary") or "",
                )
                doc.id = str(r.get("id") or len(docs))
                doc.language = r.get("language") or "en"
                doc.published, doc.date_precision = parse_date(r.get("published"))
                docs.append(doc)
    return docs


_V1_TIMER = r"""
import pickle, sys, time
from newsparallax.annotate.themes import themes_stage
docs = pickle.loads(sys.stdin.buffer.read())
repeat = int(sys.argv[1])
best = None
for _ in range(repeat):
    stage = themes_stage()
    t0 = time.perf_counter()
    for doc in docs:
        stage(doc)
    took = time.perf_counter() - t0
    best = took if best is None else min(best, took)
print(best)
"""


def time_v1(docs: Sequence[Doc], repeat: int) -> float:
    """Seconds of v1's themes stage over ``docs`` (best of ``repeat``), in a subprocess."""
    with tempfile.TemporaryDirectory(prefix="themes-v1-") as tmp:
        src = themes_eval.extract(themes_eval.V1_COMMIT, Path(tmp))
        for doc in docs:
            doc.themes = []
        env = {**os.environ, "PYTHONPATH": str(src)}
        done = subprocess.run(
            [sys.executable, "-c", _V1_TIMER, str(repeat)],
            input=pickle.dumps(list(docs)),
            capture_output=True,
            env=env,
            cwd=tmp,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode()[-2000:])
    return float(done.stdout.decode().strip())


def time_new(docs: Sequence[Doc], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        stage = themes_stage()
        t0 = time.perf_counter()
        for doc in docs:
            stage(doc)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--events-every", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-v1", action="store_true")
    args = parser.parse_args(argv)

    docs = load(args.n)
    words = sum(len((d.title + " " + (d.text or d.summary)).split()) for d in docs)
    actors = actors_stage()
    t0 = time.perf_counter()
    for doc in docs:
        actors(doc)
    t_actors = time.perf_counter() - t0
    sample = docs[:: args.events_every]
    events = EventsStage()
    t0 = time.perf_counter()
    for doc in sample:
        events(doc)
    t_events = time.perf_counter() - t0

    rows = [("actors.v1", t_actors, len(docs)), ("events.v1 (sampled)", t_events, len(sample))]
    if not args.no_v1:
        rows.append(("themes.v1", time_v1(docs, args.repeat), len(docs)))
    rows.append((STAGE, time_new(docs, args.repeat), len(docs)))
    print(
        f"{len(docs)} items ({', '.join(FILES)}), {words / len(docs):.0f} words each on average;"
        f" events on every {args.events_every}th"
    )
    for name, seconds, n in rows:
        print(f"  {name:22} {n / seconds:8.0f} articles/s  {1000 * seconds / n:7.2f} ms/article")
    return 0


if __name__ == "__main__":
    sys.exit(main())
