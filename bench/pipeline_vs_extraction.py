"""The whole ingest pipeline beside extraction alone, on the same real pages, in one run.

On the 181 pages of the Scrapinghub article-extraction benchmark (``../shared/data/extraction``)
prints, in CPU seconds of this process (robust to a busy machine):

* plain ``trafilatura.extract(html)`` (its defaults, text only): pages per CPU second;
* ``ingest --workers 1`` over the same pages, read from their ``.html.gz`` files into a fresh
  store (every stage on: extract, identify, dates, quality, language, actors, events, themes,
  dedupe; then storing with full-text indexing): pages per CPU second;
* their ratio, and the CPU seconds of each stage; what is not in a stage is reading, the
  "already stored?" look-ups and writing.

Models (spaCy, the actor dictionary, the themes model) are loaded by a warm-up ingest of a few
pages into a throwaway store first, so the timed run is the steady state, as in a long ingest.
Each is run ``--repeat`` times and the fastest run is kept (the least disturbed by other work).

    python bench/pipeline_vs_extraction.py [--data ../shared/data] [--repeat 3] [--profile FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import trafilatura  # noqa: E402 - after the path set-up above

from extraction_score import SCRAPINGHUB, scrapinghub_pages  # noqa: E402
from newsparallax import ingest as ingest_module  # noqa: E402
from newsparallax.annotate.events import coder_for  # noqa: E402
from newsparallax.annotate.pipeline import Doc, Pipeline, Stage  # noqa: E402
from newsparallax.store.database import Store  # noqa: E402
from newsparallax.watches import load_watch  # noqa: E402


class CpuTimed:
    """A stage that adds the CPU seconds it spends to ``sink[name]``."""

    def __init__(self, stage: Stage, sink: Counter[str]) -> None:
        self.stage = stage
        self.sink = sink
        self.name = stage.name
        self.requires = stage.requires
        self.provides = stage.provides
        self.counts = stage.counts
        if hasattr(stage, "prepare"):  # the batch work of a stage run over a chunk of docs
            self.prepare = self._prepare

    def _prepare(self, docs: Any) -> None:
        t0 = time.process_time()
        try:
            self.stage.prepare(docs)  # type: ignore[attr-defined]
        finally:
            self.sink[self.name.split(".v")[0]] += time.process_time() - t0

    def __call__(self, doc: Doc) -> Doc:
        t0 = time.process_time()
        try:
            return self.stage(doc)
        finally:
            self.sink[self.name.split(".v")[0]] += time.process_time() - t0


def timed_pipelines(sink: Counter[str]) -> Callable[..., Pipeline]:
    def make(stages: list[Stage], **kwargs: Any) -> Pipeline:
        return Pipeline([CpuTimed(s, sink) for s in stages], **kwargs)

    return make


def run_extract(pages: list[bytes]) -> float:
    t0 = time.process_time()
    for html in pages:
        trafilatura.extract(html)
    return time.process_time() - t0


def run_ingest(
    inputs: list[str], sink: Counter[str], profile: cProfile.Profile | None = None
) -> tuple[float, int]:
    watch = load_watch("iran-russia")
    # the English coder keeps recent parses: a run must not find the sentences of the last one
    getattr(coder_for("en"), "_parsed", {}).clear()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        if profile is not None:
            profile.enable()
        t0 = time.process_time()
        summary = ingest_module.ingest(inputs, store=store, watch=watch, workers=1)
        seconds = time.process_time() - t0
        if profile is not None:
            profile.disable()
    return seconds, summary.stored


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the fastest counts")
    parser.add_argument("--profile", type=Path, help="write a cProfile of one ingest run here")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # extractors log per-page warnings

    pages = [html for _id, html, _url, _gold in scrapinghub_pages(args.data)]
    folder = args.data / SCRAPINGHUB / "html"
    inputs = sorted(str(p) for p in folder.glob("*.html.gz"))
    assert len(inputs) == len(pages), (len(inputs), len(pages))

    stage_sink: Counter[str] = Counter()
    ingest_module.Pipeline = timed_pipelines(stage_sink)  # type: ignore[attr-defined]
    run_extract(pages[:5])
    run_ingest(inputs[:5], Counter())  # load models, warm caches
    extract_s = min(run_extract(pages) for _ in range(args.repeat))
    best: tuple[float, Counter[str], int] | None = None
    for _ in range(args.repeat):
        stage_sink.clear()
        seconds, stored = run_ingest(inputs, stage_sink)
        if best is None or seconds < best[0]:
            best = (seconds, Counter(stage_sink), stored)
    assert best is not None
    ingest_s, stages, stored = best
    n = len(pages)
    extract_rate, ingest_rate = n / extract_s, n / ingest_s
    print(f"{n} pages of {SCRAPINGHUB}, best of {args.repeat} runs, CPU seconds of one process")
    print(f"trafilatura.extract alone: {extract_s:6.2f} s = {extract_rate:6.1f} pages/CPU-s")
    print(
        f"ingest --workers 1:        {ingest_s:6.2f} s = {ingest_rate:6.1f} pages/CPU-s"
        f" ({stored} stored)"
    )
    print(f"ratio ingest/extraction:   {ingest_rate / extract_rate:.2f}")
    print("CPU seconds per stage:")
    for name, secs in stages.most_common():
        print(f"  {name:<10} {secs:6.2f} s  {secs / ingest_s:6.1%}")
    rest = ingest_s - sum(stages.values())
    print(f"  {'(other)':<10} {rest:6.2f} s  {rest / ingest_s:6.1%}  reading, look-ups, storing")
    if args.profile:
        profile = cProfile.Profile()
        run_ingest(inputs, Counter(), profile)
        profile.dump_stats(str(args.profile))
        print(f"profile of one ingest run written to {args.profile}")


if __name__ == "__main__":
    main()
